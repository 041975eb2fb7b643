#!/usr/bin/env bash
# Runs each fuzz target for SECONDS on its corpus (BUILD/corpus/<target>/, kept between runs), seeded from
# fuzz/seeds/<target>/ (hand-written inputs and the inputs of past crashes) and, when ../shared is there,
# from its real data: DECP files, eForms and BOAMP notices, scheduler instances, the product documents as
# Markdown. Prints one line per target; stops at the first crash, the input saved under BUILD/crashes/.
# usage: fuzz/run.sh BUILD SECONDS [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
seconds=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(http_request_fuzz form_fuzz search_query_fuzz decp_fuzz eforms_fuzz boamp_fuzz
  sched_instance_fuzz markdown_fuzz image_fuzz jwt_fuzz)
shared=../shared
max_len=65536

shared_seeds() {
  case $1 in
    decp_fuzz) ls $shared/data/decp/*/*.json $shared/data/decp/*/*.csv $shared/data/decp/schemas/v2/exemples/json/*.json ;;
    eforms_fuzz) ls $shared/data/eforms/examples/notices/*.xml ;;
    boamp_fuzz) ls $shared/data/boamp/xml_2017/*.xml ;;
    sched_instance_fuzz) ls $shared/bench/sched/examples/*.json ;;
    markdown_fuzz) ls $shared/*.md ;;
  esac 2>/dev/null || true
}

mkdir -p "$build/crashes"
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  mkdir -p "$corpus"
  # Seeds: at most max_len bytes of each file (a truncated document is a fine seed too).
  for f in fuzz/seeds/$t/* $(shared_seeds $t); do
    [ -f "$f" ] && head -c $max_len "$f" >"$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  log=$build/crashes/$t.log
  start=$(date +%s)
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" "$corpus" >"$log" 2>&1; then
    echo "FUZZ $t: FAILED — see $log"
    grep -E "ERROR|property failed|Test unit written|SUMMARY" "$log" | head -8
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  echo "fuzz $t: $runs runs in $(($(date +%s) - start)) s, coverage $cov edges, corpus $(ls "$corpus" | wc -l) inputs"
done
