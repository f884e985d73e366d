#!/usr/bin/env bash
# The roll-up benchmark: a year of inspections of many units (by default
# 10,000 units × ~1,000 inspections each = 10,000,000 rows of the eval
# workload, ../shared/bench/WORKLOAD.md, with unit ids cycling over the
# units), rolled up by benches/rollup.std — month (暗訪 and 明察), quarter
# (with 抽查), year, repeats, a quota and a target. Measured beside `eval` on
# the same file, so that the roll-up's own cost shows: the median wall time
# and the peak memory (max RSS, from /usr/bin/time) of RUNS runs each. The
# roll-up keeps units × periods, not inspections: its peak memory must stay
# near eval's. Not a test: run it by hand.
#
#   bash benches/rollup.sh [ROWS] [UNITS]
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${1:-10000000}
units=${2:-10000}
runs=${RUNS:-3}
dir=target/bench
data=$dir/year-$rows-$units.csv
mkdir -p "$dir"

cargo build --release --quiet --bin yardstick --example gen
[ -f "$data" ] || target/release/examples/gen --rows "$rows" --units "$units" --seed 2015 -o "$data"

declare -A commands=(
  [eval]="target/release/yardstick eval benches/rollup.std $data --allow-outside --format csv -o $dir/rollup-eval.csv"
  [rollup]="target/release/yardstick rollup benches/rollup.std $data --allow-outside --format csv -o $dir/rollup.csv"
)
names=(eval rollup)

declare -A times memory
for run in $(seq "$runs"); do
  for name in "${names[@]}"; do
    /usr/bin/time -o "$dir/time" -f "%e %M" ${commands[$name]} >/dev/null 2>&1 || true
    line=$(tail -1 "$dir/time")
    times[$name]+="${line%% *} "
    memory[$name]="${line##* }"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "roll-up benchmark: $rows inspections of $units units, CSV in, $runs runs each, $(nproc) cores"
printf '%-8s %10s %16s %10s\n' program "median s" "inspections/s" "peak MB"
for name in "${names[@]}"; do
  t=$(echo "${times[$name]}" | median)
  printf '%-8s %10s %16.0f %10.0f\n' "$name" "$t" "$(echo "$rows / $t" | bc -l)" "$(echo "${memory[$name]} / 1024" | bc -l)"
done
echo "units rolled up: $(($(wc -l < "$dir/rollup.csv") - 1))"
