#!/usr/bin/env bash
# The eval benchmark: 1,000,000 rows x 21 rules (../shared/bench/WORKLOAD.md),
# CSV in, CSV out, measured side by side in one run:
#   - yardstick (all cores, and --jobs 1)
#   - yardstick with rule D2 computed by a script function (benches/script.std):
#     the cost of one Rhai call per record
#   - benches/baseline.rs: the same rules written by hand, single-threaded
#   - DuckDB and Polars (benches/others.py), when `--others` is given; they are
#     installed from PyPI into target/bench/venv on first use.
# Each is run RUNS times, alternating; the median wall time and the peak memory
# (max RSS, from /usr/bin/time) are printed. yardstick's output must be
# byte-identical to the baseline's. Not a test: run it by hand.
#
#   bash benches/eval.sh [--others] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."

others=false
if [ "${1:-}" = "--others" ]; then others=true; shift; fi
rows=${1:-1000000}
runs=${RUNS:-5}
dir=target/bench
data=$dir/inspections-$rows.csv
mkdir -p "$dir"

cargo build --release --quiet --bin yardstick --example gen --example baseline
[ -f "$data" ] || target/release/examples/gen --rows "$rows" --seed 2015 -o "$data"

if $others && [ ! -x "$dir/venv/bin/python" ]; then
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install --quiet duckdb polars
fi

declare -A commands=(
  [yardstick]="target/release/yardstick eval standards/bench/2015.std $data --format csv -o $dir/yardstick.csv"
  [yardstick-jobs1]="target/release/yardstick eval standards/bench/2015.std $data --format csv --jobs 1 -o $dir/yardstick1.csv"
  [yardstick-script]="target/release/yardstick eval benches/script.std $data --format csv -o $dir/yardstick-script.csv"
  [baseline]="target/release/examples/baseline $data $dir/baseline.csv"
)
names=(yardstick yardstick-jobs1 yardstick-script baseline)
if $others; then
  commands[duckdb]="$dir/venv/bin/python benches/others.py duckdb $data $dir/duckdb.csv"
  commands[polars]="$dir/venv/bin/python benches/others.py polars $data $dir/polars.csv"
  names+=(duckdb polars)
fi

declare -A times memory
for run in $(seq "$runs"); do
  for name in "${names[@]}"; do
    /usr/bin/time -o "$dir/time" -f "%e %M" ${commands[$name]} >/dev/null 2>&1
    line=$(tail -1 "$dir/time")
    times[$name]+="${line%% *} "
    memory[$name]="${line##* }"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "eval benchmark: $rows rows x 21 rules, CSV in -> CSV out, $runs runs each, $(nproc) cores"
printf '%-16s %10s %12s %10s\n' program "median s" "rows/s" "peak MB"
for name in "${names[@]}"; do
  m=$(echo "${times[$name]}" | median)
  printf '%-16s %10s %12.0f %10.1f\n' "$name" "$m" "$(echo "$rows / $m" | bc -l)" "$(echo "${memory[$name]} / 1024" | bc -l)"
done
cmp "$dir/yardstick.csv" "$dir/baseline.csv" && echo "yardstick and the baseline wrote the same bytes"
cmp "$dir/yardstick.csv" "$dir/yardstick1.csv" && echo "--jobs 1 wrote the same bytes"
cmp "$dir/yardstick.csv" "$dir/yardstick-script.csv" && echo "the script version wrote the same bytes"
