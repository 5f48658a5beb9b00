#!/usr/bin/env bash
# Measures the quickstart's wall time on the two-worker standalone cluster against local[2], side by side in one run
# (alternating, so both see the same machine load), both through deploy/submit.sh (spark-submit, client mode):
#   deploy/standalone/compare-quickstart.sh [ROUNDS]     (default 2)
# Starts a cluster in target/compare-cluster and stops it at the end. The sample data is generated first, so neither
# side's time includes it. Prints one line per run and the ratio of the medians.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
rounds="${1:-2}"
work="$ROOT/target/compare-quickstart"
cluster="$ROOT/target/compare-cluster"
rm -rf "$work"; mkdir -p "$work"

"$ROOT/deploy/submit.sh" --master 'local[2]' generate classification --rows 20000 --seed 7 \
  --out "$ROOT/data/quickstart" > "$work/generate.log" 2>&1 || true
master="$("$HERE/cluster.sh" start --dir "$cluster" --port 7177 --ui-port 0 | tail -n 1)"
trap '"$HERE/cluster.sh" stop --dir "$cluster" > /dev/null' EXIT

run() {  # run NAME MASTER -> prints seconds
  local start end
  start=$(date +%s.%N)
  "$ROOT/deploy/submit.sh" --master "$2" quickstart --out "$work/$1" > "$work/$1.log" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

local_times=(); cluster_times=()
for r in $(seq "$rounds"); do
  t=$(run "local-$r" 'local[2]'); local_times+=("$t"); echo "round $r  local[2]            ${t} s"
  t=$(run "cluster-$r" "$master"); cluster_times+=("$t"); echo "round $r  standalone 2 workers ${t} s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
l=$(median "${local_times[@]}"); c=$(median "${cluster_times[@]}")
echo "median: local[2] ${l} s, standalone ${c} s, cluster/local $(echo "scale=2; $c / $l" | bc)"
grep -h "^test:" "$work"/local-1.log "$work"/cluster-1.log | sed 's/^/results (local, cluster): /'
