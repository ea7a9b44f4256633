#!/usr/bin/env bash
# `dragoman diff` at scale: two versions of a TMX made by ../shared/bench/perf/gen_tm.py
# --revise 0.05 (generated OUTSIDE the repository, in $PERF_DIR), checked against the ground
# truth (tm-N.rev.changes.tsv: every edit found, nothing else reported), timed with peak RSS,
# beside two anchors in the same run: a Python lxml + difflib script (scripts/diff_difflib.py,
# per-unit word diff of the matched units) and GNU diff on the aligned plain text (lines only,
# no unit matching). Ratios are printed.
#
#   scripts/diff-bench.sh                  # N=1000000
#   N=100000 scripts/diff-bench.sh
#   PERF_DIR=/tmp/perf PYTHON=/tmp/dragoman-cat-venv/bin/python NO_PY=1 ...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DRAGOMAN_SHARED:-$root/../shared}
perf_dir=${PERF_DIR:-/tmp/perf}
n=${N:-1000000}
py=${PYTHON:-/tmp/dragoman-cat-venv/bin/python}
mkdir -p "$perf_dir"
case "$(cd "$perf_dir" && pwd)/" in "$root"/*) echo "PERF_DIR must be outside the repository" >&2; exit 2 ;; esac

(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/dragoman
old=$perf_dir/tm-$n.tmx
new=$perf_dir/tm-$n.rev.tmx
[ -f "$new" ] || python3 "$shared/bench/perf/gen_tm.py" "$n" "$perf_dir" --revise 0.05 >/dev/null

# run LABEL CMD...: wall s (ns clock), peak RSS MB, CPU s, printed on stderr (the command's
# stdout may be redirected by the caller); sets $wall and $cpu.
run() {
  local label=$1; shift
  local t0 t1 rss user sys
  t0=$(date +%s%N)
  /usr/bin/time -o "$perf_dir/.time" -f "%M %U %S" "$@" || true
  t1=$(date +%s%N)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  read -r rss user sys < <(tail -n 1 "$perf_dir/.time")  # after "Command exited with non-zero status 1"
  printf '%-34s %8.2f s  %7.0f MB peak RSS  %7.2f s CPU  (load %s)\n' "$label" "$wall" \
    "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
    "$(cut -d' ' -f1 /proc/loadavg)" >&2
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
}

echo "dragoman diff on $n units ($(du -m "$old" | cut -f1) MB + $(du -m "$new" | cut -f1) MB), $(nproc) cores"
run "dragoman diff --format csv" "$bin" diff --format csv -o "$perf_dir/diff-$n.csv" "$old" "$new"
t_drag=$wall c_drag=$cpu
"$bin" diff -q "$old" "$new" > "$perf_dir/diff-$n.summary.txt" || true
python3 "$root/scripts/diff_check.py" "$perf_dir/tm-$n.rev.changes.tsv" "$perf_dir/diff-$n.csv"
sed -n '1,3p' "$perf_dir/diff-$n.summary.txt"

run "GNU diff, plain text (en + fr)" bash -c "diff '$perf_dir/tm-$n.en' '$perf_dir/tm-$n.rev.en' > '$perf_dir/gnu-$n.txt'; diff '$perf_dir/tm-$n.fr' '$perf_dir/tm-$n.rev.fr' >> '$perf_dir/gnu-$n.txt'"
t_gnu=$wall
if [ -z "${NO_PY:-}" ]; then
  run "python lxml + difflib" "$py" "$root/scripts/diff_difflib.py" "$old" "$new" > "$perf_dir/py-$n.tsv"
  t_py=$wall c_py=$cpu
  echo "python found $(wc -l < "$perf_dir/py-$n.tsv") changed targets"
  awk -v a="$t_py" -v b="$t_drag" -v c="$c_py" -v d="$c_drag" \
    'BEGIN { printf "dragoman is %.1fx faster than lxml + difflib (wall), %.1fx (CPU)\n", a / b, c / d }'
fi
awk -v a="$t_gnu" -v b="$t_drag" 'BEGIN { printf "dragoman takes %.1fx the time of GNU diff on plain lines\n", b / a }'
