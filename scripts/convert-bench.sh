#!/usr/bin/env bash
# Streaming conversion benchmark: dragoman TMX -> CSV -> TMX on 10k, 100k and 1M-unit TMX files
# made by ../shared/bench/perf/gen_tm.py (generated OUTSIDE the repository, in $PERF_DIR), with
# wall time, MB/s and peak RSS, and translate-toolkit (ttk_tmx2csv.py) on the 100k file in the
# same run, as a ratio. Builds dragoman in release mode (once).
#
#   scripts/convert-bench.sh               # sizes 10000 100000 1000000
#   SIZES="10000 100000" scripts/convert-bench.sh
#   PERF_DIR=/tmp/perf CAT_VENV=/tmp/dragoman-cat-venv NO_TTK=1 ...
#   REPEAT=5 ...      # best of 5 runs per command (default 3)
#   CALLGRIND=1 ...   # also count instructions (valgrind, load-independent) of dragoman and of
#                     # the bare quick-xml + csv loop (benches/convert.rs) on the 100k file
#
# Every figure line is printed with the load average at that moment: other jobs on the machine
# slow wall times down; CPU time per core and instruction counts are steadier.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DRAGOMAN_SHARED:-$root/../shared}
perf_dir=${PERF_DIR:-/tmp/perf}
venv=${CAT_VENV:-/tmp/dragoman-cat-venv}
sizes=${SIZES:-"10000 100000 1000000"}
mkdir -p "$perf_dir"
case "$(cd "$perf_dir" && pwd)/" in "$root"/*) echo "PERF_DIR must be outside the repository" >&2; exit 2 ;; esac

(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/dragoman

for n in $sizes; do
  [ -f "$perf_dir/tm-$n.tmx" ] || python3 "$shared/bench/perf/gen_tm.py" "$n" "$perf_dir" >/dev/null
done

# run LABEL MB CMD...: prints wall s, MB/s, peak RSS MB of the fastest of $REPEAT runs (default
# 3, as eval_segment.py does; the same for every tool, so ratios stay fair).
repeat=${REPEAT:-3}
run() {
  local label=$1 mb=$2; shift 2
  local t0 t1 wall rss user sys _e best="" i
  for ((i = 0; i < repeat; i++)); do
    t0=$(date +%s%N)
    /usr/bin/time -o "$perf_dir/.time" -f "%e %M %U %S" "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    # Wall time in ns (time's %e has 10 ms steps: 6% of a 0.16 s run).
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    if [ -z "$best" ] || awk -v w="$wall" -v b="$best" 'BEGIN { exit !(w < b) }'; then
      best=$wall
      read -r _e rss user sys < "$perf_dir/.time"
    fi
  done
  wall=$best
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
  awk -v l="$label" -v mb="$mb" -v w="$wall" -v r="$rss" -v c="$cpu" \
    'BEGIN { printf "%-36s %7.1f MB %7.3f s %7.1f MB/s %7.2f s cpu %7.1f MB/s/core %7.1f MB RSS\n", l, mb, w, (w > 0 ? mb / w : 0), c, (c > 0 ? mb / c : 0), r / 1024 }'
  echo "$wall" > "$perf_dir/.last_wall"
  echo "$cpu" > "$perf_dir/.last_cpu"
  echo "    (load $(cut -d' ' -f1-3 /proc/loadavg); best of $repeat)"
}

echo "machine: $(nproc) cores, $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  f=$perf_dir/tm-$n.tmx
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
  cat "$f" >/dev/null # page cache
  run "dragoman tmx->csv ($n units)" "$mb" "$bin" convert -q "$f" "$perf_dir/out-$n.csv"
  eval "ours_$n=$(cat "$perf_dir/.last_wall")"
  eval "ourscpu_$n=$(cat "$perf_dir/.last_cpu")"
  cmb=$(awk -v b="$(stat -c %s "$perf_dir/out-$n.csv")" 'BEGIN { printf "%.1f", b / 1e6 }')
  run "dragoman csv->tmx ($n units)" "$cmb" "$bin" convert -q "$perf_dir/out-$n.csv" "$perf_dir/back-$n.tmx"
done

if [ "${NO_TTK:-0}" != 1 ] && [ -x "$venv/bin/python" ] && [ -f "$perf_dir/tm-100000.tmx" ]; then
  f=$perf_dir/tm-100000.tmx
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
  run "translate-toolkit tmx->csv (100000)" "$mb" "$venv/bin/python" "$shared/bench/perf/ttk_tmx2csv.py" "$f" "$perf_dir/ttk-100000.csv"
  ttk=$(cat "$perf_dir/.last_wall")
  ttkcpu=$(cat "$perf_dir/.last_cpu")
  ours=${ours_100000:-}
  ourscpu=${ourscpu_100000:-}
  if [ -n "$ours" ]; then
    awk -v t="$ttk" -v o="$ours" -v tc="$ttkcpu" -v oc="$ourscpu" 'BEGIN { printf "ratio: dragoman is %.1fx faster than translate-toolkit on 100k units (tmx->csv, wall), %.1fx in CPU time\n", t / o, tc / oc }'
  fi
fi

if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null && [ -f "$perf_dir/tm-100000.tmx" ]; then
  f=$perf_dir/tm-100000.tmx
  (cd "$root" && cargo bench --bench convert --no-run --quiet 2>/dev/null)
  bench=$(ls -t "$root"/target/release/deps/convert-* | grep -v '\.d$' | head -1)
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ { print $4 }'; }
  ours_ir=$(count "$bin" convert -q "$f" "$perf_dir/cg-out.csv")
  bare_ir=$(count --collect-atstart=no '--toggle-collect=*bare_loop*' "$bench" "$f")
  awk -v o="$ours_ir" -v b="$bare_ir" -v mb="$(stat -c %s "$f")" 'BEGIN {
    printf "instructions (tmx->csv, 100k units): dragoman %.3g (%.1f/byte), bare loop %.3g (%.1f/byte): %.2fx the bare loop\n", o, o / mb, b, b / mb, o / b }'
fi
