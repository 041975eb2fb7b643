#!/usr/bin/env bash
# Exports under load (run by `make bench`, not by `make test`): the server on SQLite with the demo data and the
# DECP sample of ../shared (as `make run` has them), then 16 clients downloading CSV exports in a loop — awarded
# contracts and notices, over 40 selections (départements, CPV divisions, none) — while wrk measures /healthz and
# a notice page beside them. Prints p50/p99 of /healthz and of the notice page alone, then under the export
# load, and the exports' own rate. A measurement, not a test: it asserts nothing.
#
# usage: bench/exports.sh [PASSERELLE_BIN] [WORK_DIR]   (env: DURATION=20s CLIENTS=16 EXPORT_RATE=0)
set -euo pipefail
BIN=${1:-build/src/cli/passerelle}
WORK=${2:-build/bench-work/exports}
DURATION=${DURATION:-20s}
CLIENTS=${CLIENTS:-16}
EXPORT_RATE=${EXPORT_RATE-0}  # exports per minute and client address; 0: no limit (the load is one address)
SHARED=${SHARED:-../shared}
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/install-deps.sh" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
DB="sqlite:$WORK/exports.db"
"$BIN" demo --db "$DB" --log-level warn >/dev/null
"$BIN" import decp --quiet --db "$DB" --log-level warn "$SHARED"/data/decp/v1_2018-2019/*.json \
  "$SHARED"/data/decp/v1_croix_2019-2021/*.json "$SHARED"/data/decp/tabular_2024H2_travaux/*.csv >/dev/null
contracts=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM contracts').fetchone()[0])" "$WORK/exports.db")
# EXPORT_RATE empty: the option is not given (a binary from before it existed, to compare).
"$BIN" serve --db "$DB" --var "$WORK/var" --port 0 --port-file "$WORK/port" --threads 2 --search-rate 0 \
  ${EXPORT_RATE:+--export-rate "$EXPORT_RATE"} --log-level warn >"$WORK/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$WORK/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$WORK/port")"
notice=$(curl -s "$base/consultations" | grep -o 'href="/consultations/[0-9]*"' | head -1 | grep -o '/consultations/[0-9]*')

# The export selections, requested in turn by every connection.
{
  echo 'local paths = {'
  for d in 01 02 06 13 31 33 34 35 38 44 59 62 67 69 75 76 77 78 91 92 93 94 95 2A; do
    echo "  '/marches-attribues.csv?departement=$d',"
  done
  for c in 09 15 30 33 34 44 45 48 50 71 72 79 80 90 92; do echo "  '/marches-attribues.csv?division=$c',"; done
  echo "  '/marches-attribues.csv', '/consultations.csv', '/consultations.csv?etat=toutes',"
  echo '}'
  echo 'local i = 0'
  echo 'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end'
} >"$WORK/exports.lua"

measure() {  # path, label
  local out
  out=$(wrk -t1 -c2 -d"$DURATION" --latency "$base$1")
  echo "| $2 | $(echo "$out" | awk '$1 == "50%" {print $2}') | $(echo "$out" | awk '$1 == "99%" {print $2}') | $(echo "$out" | awk '/Requests\/sec/ {print $2}') |"
}

echo
echo "Demo + DECP sample: $contracts awarded contracts. Server: --threads 2, --export-rate $EXPORT_RATE; loopback."
echo
echo "| measured alone (wrk -t1 -c2 -d$DURATION) | p50 | p99 | requests/s |"
echo "|---|---|---|---|"
measure /healthz "/healthz"
measure "$notice" "$notice"

echo
echo "| measured while $CLIENTS clients download exports in a loop (wrk -t1 -c2 -d$DURATION) | p50 | p99 | requests/s |"
echo "|---|---|---|---|"
for path in /healthz "$notice"; do
  wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -s "$WORK/exports.lua" "$base" >"$WORK/load.txt" 2>&1 &
  load=$!
  sleep 1
  measure "$path" "$path"
  wait $load
  exports_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/load.txt")
  exports_p99=$(awk '$1 == "99%" {print $2}' "$WORK/load.txt")
  bad=$(awk '/Non-2xx or 3xx/ {print $5}' "$WORK/load.txt")
  echo "| (the exports meanwhile: ${exports_rps} requests/s, p99 ${exports_p99}, non-2xx/3xx ${bad:-0}) | | | |"
done
echo
[ -d "$WORK/var/cache/exports" ] && echo "export cache: $(ls "$WORK/var/cache/exports" | wc -l) files, $(du -sh "$WORK/var/cache/exports" | cut -f1)"
echo "server RSS after the load: $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server/status") MB"
