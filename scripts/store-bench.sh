#!/usr/bin/env bash
# TM store benchmark: `dragoman tm import` of gen_tm.py TMs (ar + en + fr, props, notes, inline
# codes) into a fresh SQLite store and, when STORE_BENCH_PG is a server URL where databases may
# be created, into a fresh PostgreSQL database; then `tm stats` and `tm export` to CSV.
# Prints wall time, units/s, peak RSS (/usr/bin/time) and the store's size against the TM's
# text (the size of the CSV gen_tm.py writes beside the TMX: the same units' text).
#
#   scripts/store-bench.sh                         # 100000 units
#   SIZES="100000 1000000" scripts/store-bench.sh
#   STORE_BENCH_PG=postgres://postgres@127.0.0.1:5433/postgres scripts/store-bench.sh
#   PERF_DIR=/tmp/perf-store ...                   # where the TMs are made (outside the repo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DRAGOMAN_SHARED:-$root/../shared}
perf_dir=${PERF_DIR:-/tmp/perf-store}
sizes=${SIZES:-100000}
mkdir -p "$perf_dir"
case "$(cd "$perf_dir" && pwd)/" in "$root"/*) echo "PERF_DIR must be outside the repository" >&2; exit 2 ;; esac
(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/dragoman

# timed LABEL CMD...: one run, wall s and peak RSS MB.
timed() {
  local label=$1; shift
  local rc=0
  # Exit 1 is an import that found conflicting translations (kept): not a failure here.
  /usr/bin/time -o "$perf_dir/.time" -f "%e %M %U %S" "$@" >/dev/null 2>"$perf_dir/.err" || rc=$?
  if [ "$rc" -gt 1 ]; then cat "$perf_dir/.err" >&2; return 1; fi
  read -r wall rss user sys < <(tail -1 "$perf_dir/.time")
  # CPU time (user + sys) is steadier than wall time when other jobs load the machine.
  printf '%-30s %8.2f s wall %8.2f s CPU %7.1f MB peak RSS   (load %s)\n' "$label" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

for n in $sizes; do
  [ -f "$perf_dir/tm-$n.tmx" ] || python3 "$shared/bench/perf/gen_tm.py" "$n" "$perf_dir" >/dev/null
  tmx=$perf_dir/tm-$n.tmx
  text=$(stat -c %s "$perf_dir/tm-$n.csv")
  echo "== $n units: TMX $(mb "$(stat -c %s "$tmx")") MB, text (CSV) $(mb "$text") MB"
  db=$perf_dir/store-$n.db
  rm -f "$db" "$db-wal" "$db-shm"
  timed "sqlite: tm import" "$bin" tm import "$db" "$tmx" -q
  size=$(( $(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0) ))
  echo "sqlite: store $(mb "$size") MB = $(awk -v s="$size" -v t="$text" 'BEGIN { printf "%.2f", s / t }')x the text"
  timed "sqlite: tm stats" "$bin" tm stats "$db"
  timed "sqlite: tm export -> csv" "$bin" tm export "$db" "$perf_dir/store-$n.out.csv" -q
  if [ -n "${STORE_BENCH_PG:-}" ]; then
    dbname=dragoman_bench_$n
    base=${STORE_BENCH_PG%/*}
    psql -q "$STORE_BENCH_PG" -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" -c "CREATE DATABASE $dbname"
    timed "postgres: tm import" "$bin" tm import "$base/$dbname" "$tmx" -q
    "$bin" tm stats "$base/$dbname" | grep -E '^(units|size)'
    timed "postgres: tm export -> csv" "$bin" tm export "$base/$dbname" "$perf_dir/store-$n.pg.csv" -q
    psql -q "$STORE_BENCH_PG" -c "DROP DATABASE $dbname WITH (FORCE)"
  fi
  rm -f "$perf_dir/store-$n.out.csv" "$perf_dir/store-$n.pg.csv"
done
