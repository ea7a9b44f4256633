#!/usr/bin/env bash
# Job analysis at scale, beside the brute-force baseline, one run:
#  - the 1M-unit benchmark TM of ../shared/bench/perf/gen_tm.py (generated OUTSIDE the
#    repository, in $PERF_DIR);
#  - a job of JOB lines (default 10,000) of edited TM segments from scripts/analyze_job.py
#    (numbers changed, words replaced/inserted/deleted, mixed edits, unchanged runs for
#    context matches, repetitions, a tenth with no match);
#  - `dragoman analyze JOB --tm tm.tmx` (release, 2 cores): wall time and peak RSS
#    (/usr/bin/time -v); with STORE=1 also `--tm STORE` (imported once into $PERF_DIR);
#  - examples/analyze_bench.rs: time to open the TM, to match, and brute force (every unit
#    scored with the same score) on BRUTE segments spread over the job, extrapolated to the
#    whole job, its agreement with the bands, and the ratio.
#
#   scripts/analyze-bench.sh                  # SIZE=1000000 JOB=10000 BRUTE=50
#   STORE=1 BRUTE=100 scripts/analyze-bench.sh
#   NO_BUILD=1 ...                            # measure the release build as it is
#
# The machine is shared: every figure line carries the load average at that moment.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DRAGOMAN_SHARED:-$root/../shared}
perf_dir=${PERF_DIR:-/tmp/perf}
size=${SIZE:-1000000}
lines=${JOB:-10000}
brute=${BRUTE:-50}
mkdir -p "$perf_dir"
case "$(cd "$perf_dir" && pwd)/" in "$root"/*) echo "PERF_DIR must be outside the repository" >&2; exit 2 ;; esac
load() { cut -d' ' -f1-3 /proc/loadavg; }

[ -n "${NO_BUILD:-}" ] || (cd "$root" && cargo build --release --quiet --bin dragoman --example analyze_bench)
bin=$root/target/release/dragoman
tm=$perf_dir/tm-$size.tmx
[ -f "$tm" ] || python3 "$shared/bench/perf/gen_tm.py" "$size" "$perf_dir" >/dev/null
job=$perf_dir/analyze-job-$size-$lines.txt
[ -f "$job" ] || python3 "$root/scripts/analyze_job.py" "$perf_dir/tm-$size.ar" "$lines" "$job"

echo "# analyze-bench: $(nproc) cores, TM $size units, job $lines lines, $(date -u +%FT%TZ)"
measure() { # name, TM location
  local out=$perf_dir/analyze-bench-$1.json
  /usr/bin/time -v "$bin" analyze "$job" --tm "$2" -t en -s ar --format json -o "$out" --timings 2>"$out.time"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.1f", s}' "$out.time")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$out.time")
  local cpu
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$out.time")
  echo "dragoman analyze --tm $1: ${wall} s wall, ${cpu} s CPU, peak RSS ${rss} MB, $(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['total']['total']; print(t['segments'], 'segments', t['words'], 'words')" "$out")  [load $(load)]"
  echo "  phases (wall): $(sed -n 's/^timing: //p' "$out.time" | paste -sd';' - | sed 's/;/; /g')"
}
measure tmx "$tm"
if [ -n "${STORE:-}" ]; then
  store=$perf_dir/tm-$size.db
  [ -f "$store" ] || "$bin" tm import -q "$store" "$tm" >/dev/null || true
  measure store "$store"
  # The two paths must agree on every band (a store keeps a repeated unit once, with every
  # place it stood in its contexts table).
  python3 - "$perf_dir/analyze-bench-tmx.json" "$perf_dir/analyze-bench-store.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["total"] for p in sys.argv[1:3])
rows = lambda t: {r["key"]: r["segments"] for r in t["rows"]}
ra, rb = rows(a), rows(b)
diff = {k: (ra.get(k), rb.get(k)) for k in sorted(set(ra) | set(rb)) if ra.get(k) != rb.get(k)}
print("bands, TMX vs store: " + ("identical, " + ", ".join(f"{k} {v}" for k, v in ra.items()) if not diff
      else "DIFFER (tmx, store): " + ", ".join(f"{k} {v}" for k, v in diff.items())))
PY
fi
b=$perf_dir/analyze-bench-phases.txt
"$root/target/release/examples/analyze_bench" "$tm" "$job" --brute "$brute" >"$b"
echo "phases: open TM $(awk '/^open_s/ {print $2}' "$b") s, match $(awk '/^match_s/ {print $2}' "$b") s for $(awk '/^distinct/ {print $2}' "$b") distinct segments  [load $(load)]"
echo "brute force (same score, every unit) on $(awk '/^brute_sample/ {print $2}' "$b") segments: $(awk '/^brute_per_segment_s/ {print $2}' "$b") s a segment, ~$(awk '/^brute_extrapolated_s/ {print $2}' "$b") s for the job; bands agree on $(awk '/^brute_agree/ {print $2}' "$b")/$(awk '/^brute_sample/ {print $2}' "$b"); dragoman's matching is $(awk '/^ratio/ {print $2}' "$b")x faster  [load $(load)]"
