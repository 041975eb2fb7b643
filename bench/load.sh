#!/usr/bin/env bash
# Load test (run by `make bench`, not by `make test`): the server on SQLite with the demo data plus N imported
# notices (the BOAMP XML notices of ../shared/data/boamp repeated under new numbers, imported by
# `passerelle import boamp`), then wrk on loopback against the home page, a search page and a notice page,
# each for DURATION. Prints one table: requests per second, p50 and p99 latency, errors and non-2xx/3xx
# answers. A measurement, not a test: it asserts nothing.
#
# usage: bench/load.sh [PASSERELLE_BIN] [WORK_DIR]   (env: NOTICES=100000 DURATION=15s CONNECTIONS=16)
set -euo pipefail
BIN=${1:-build/src/cli/passerelle}
WORK=${2:-build/bench-work/load}
NOTICES=${NOTICES:-100000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
SHARED=${SHARED:-../shared}
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/install-deps.sh" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/xml"
echo "generating $NOTICES BOAMP notices…" >&2
python3 - "$NOTICES" "$SHARED/data/boamp/xml_2017" "$WORK/xml" <<'PY'
import os, re, sys
n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
models = [open(os.path.join(src, f), encoding="utf-8").read() for f in sorted(os.listdir(src)) if f.endswith(".xml")]
for i in range(n):
    text = re.sub(r"<IDWEB>[^<]*</IDWEB>", "<IDWEB>LT-%d</IDWEB>" % i, models[i % len(models)], count=1)
    sub = os.path.join(dst, "%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "avis-%d.xml" % i), "w", encoding="utf-8") as f:
        f.write(text)
PY
DB="sqlite:$WORK/load.db"
"$BIN" demo --db "$DB" --log-level warn >/dev/null
start=$(date +%s.%N)
for d in "$WORK"/xml/*/; do "$BIN" import boamp --db "$DB" --log-level warn "$d" >/dev/null; done
echo "import: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s" >&2
start=$(date +%s.%N)
"$BIN" reindex --db "$DB" --var "$WORK/var" --log-level warn >/dev/null
echo "reindex: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s" >&2
imported=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM external_notices').fetchone()[0])" "$WORK/load.db")

"$BIN" serve --db "$DB" --var "$WORK/var" --port 0 --port-file "$WORK/port" --threads 2 --search-rate 0 \
  --log-level warn >"$WORK/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$WORK/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$WORK/port")"
notice=$(curl -s "$base/consultations" | grep -o 'href="/consultations/[0-9]*"' | head -1 | grep -o '/consultations/[0-9]*')

echo
echo "| page ($imported imported notices + demo, wrk -t2 -c$CONNECTIONS -d$DURATION, loopback) | requests/s | p50 | p99 | errors | non-2xx/3xx |"
echo "|---|---|---|---|---|---|"
for path in "/" "/recherche?q=travaux" "$notice"; do
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$base$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
  bad=$(echo "$out" | awk '/Non-2xx or 3xx/ {print $5}')
  echo "| $path | $rps | $p50 | $p99 | ${errors:-0} | ${bad:-0} |"
done
rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server/status")
echo
echo "server RSS after the load: $rss MB"
