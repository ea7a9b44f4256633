#!/usr/bin/env bash
# Streaming conversion benchmark: dragoman TMX -> CSV -> TMX on 10k, 100k and 1M-unit TMX files
# made by ../shared/bench/perf/gen_tm.py (generated OUTSIDE the repository, in $PERF_DIR), with
# wall time, MB/s and peak RSS, and translate-toolkit (ttk_tmx2csv.py) on the 100k file in the
# same run, as a ratio. Builds dragoman in release mode (once).
#
#   scripts/convert-bench.sh               # sizes 10000 100000 1000000
#   SIZES="10000 100000" scripts/convert-bench.sh
#   PERF_DIR=/tmp/perf CAT_VENV=/tmp/dragoman-cat-venv NO_TTK=1 ...
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

# run LABEL MB CMD...: prints wall s, MB/s, peak RSS MB
run() {
  local label=$1 mb=$2; shift 2
  /usr/bin/time -o "$perf_dir/.time" -f "%e %M %U %S" "$@" >/dev/null 2>&1
  local wall rss user sys
  read -r wall rss user sys < "$perf_dir/.time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
  awk -v l="$label" -v mb="$mb" -v w="$wall" -v r="$rss" -v c="$cpu" \
    'BEGIN { printf "%-36s %7.1f MB %7.2f s %7.1f MB/s %7.2f s cpu %7.1f MB/s/core %7.1f MB RSS\n", l, mb, w, (w > 0 ? mb / w : 0), c, (c > 0 ? mb / c : 0), r / 1024 }'
  echo "$wall" > "$perf_dir/.last_wall"
}

echo "machine: $(nproc) cores, $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  f=$perf_dir/tm-$n.tmx
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
  cat "$f" >/dev/null # page cache
  run "dragoman tmx->csv ($n units)" "$mb" "$bin" convert -q "$f" "$perf_dir/out-$n.csv"
  eval "ours_$n=$(cat "$perf_dir/.last_wall")"
  cmb=$(awk -v b="$(stat -c %s "$perf_dir/out-$n.csv")" 'BEGIN { printf "%.1f", b / 1e6 }')
  run "dragoman csv->tmx ($n units)" "$cmb" "$bin" convert -q "$perf_dir/out-$n.csv" "$perf_dir/back-$n.tmx"
done

if [ "${NO_TTK:-0}" != 1 ] && [ -x "$venv/bin/python" ] && [ -f "$perf_dir/tm-100000.tmx" ]; then
  f=$perf_dir/tm-100000.tmx
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
  run "translate-toolkit tmx->csv (100000)" "$mb" "$venv/bin/python" "$shared/bench/perf/ttk_tmx2csv.py" "$f" "$perf_dir/ttk-100000.csv"
  ttk=$(cat "$perf_dir/.last_wall")
  ours=${ours_100000:-}
  if [ -n "$ours" ]; then
    awk -v t="$ttk" -v o="$ours" 'BEGIN { printf "ratio: dragoman is %.1fx faster than translate-toolkit on 100k units (tmx->csv)\n", t / o }'
  fi
fi
