#!/usr/bin/env bash
# prepare and finish at scale, one run each (release, the machine's cores):
#  - the benchmark TM of ../shared/bench/perf/gen_tm.py (SIZE units, default 1,000,000;
#    generated OUTSIDE the repository, in $PERF_DIR, shared with scripts/analyze-bench.sh);
#  - a job of JOB segments (default 10,000), one a line, taken from the TM's Arabic side at
#    even steps: 60% unchanged, runs of them in TM order (context/exact matches), 30% with one
#    word dropped (fuzzy), 10% with the word order reversed (mostly no match);
#  - `dragoman prepare JOB --tm tm.tmx -t en -o OUT` (wall, CPU, peak RSS from /usr/bin/time -v),
#    then every empty target filled and `dragoman finish OUT --tm STORE` (the same figures).
#
#   scripts/prepare-bench.sh                  # SIZE=1000000 JOB=10000
#   SIZE=100000 JOB=2000 scripts/prepare-bench.sh
#
# The machine is shared: every figure line carries the load average at that moment.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DRAGOMAN_SHARED:-$root/../shared}
perf_dir=${PERF_DIR:-/tmp/perf}
size=${SIZE:-1000000}
lines=${JOB:-10000}
mkdir -p "$perf_dir"
case "$(cd "$perf_dir" && pwd)/" in "$root"/*) echo "PERF_DIR must be outside the repository" >&2; exit 2 ;; esac
load() { cut -d' ' -f1-3 /proc/loadavg; }
(cd "$root" && cargo build --release --quiet --bin dragoman)
bin=$root/target/release/dragoman
tm=$perf_dir/tm-$size.tmx
[ -f "$tm" ] || python3 "$shared/bench/perf/gen_tm.py" "$size" "$perf_dir" >/dev/null
job=$perf_dir/prepare-job-$size-$lines.txt
[ -f "$job" ] || python3 - "$perf_dir/tm-$size.ar" "$lines" "$job" <<'PY'
import sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [l.rstrip("\n") for l in open(src, encoding="utf-8")]
step = max(1, len(rows) // (n // 5 + 1))
picked = []
for start in range(0, len(rows), step):   # runs of 5 consecutive TM segments
    picked.extend(rows[start:start + 5])
    if len(picked) >= n:
        break
with open(out, "w", encoding="utf-8") as f:
    for i, s in enumerate(picked[:n]):
        w = s.split()
        if i % 10 in (6, 7, 8) and len(w) > 3:
            s = " ".join(w[:len(w) // 2] + w[len(w) // 2 + 1:])
        elif i % 10 == 9 and len(w) > 3:
            s = " ".join(reversed(w))
        f.write(s.replace("\t", " ").strip() + "\n")
PY
out=$perf_dir/prepare-bench-job
echo "# prepare-bench: $(nproc) cores, TM $size units, job $(wc -l <"$job") lines, $(date -u +%FT%TZ)"
figures() { # label, time -v output
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.1f", s}' "$2")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$2")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$2")
  echo "$1: ${wall} s wall, ${cpu} s CPU, peak RSS ${rss} MB  [load $(load)]"
}
/usr/bin/time -v "$bin" prepare -q "$job" --tm "$tm" -t en -s ar -o "$out" --force 2>"$out.time"
figures "dragoman prepare ($(grep -c '<trans-unit' "$out"/*.xlf) units, $(grep -c 'state="translated"' "$out"/*.xlf) pre-translated, $(grep -c '<alt-trans' "$out"/*.xlf) alt-trans)" "$out.time"
python3 - "$out"/*.xlf <<'PY'
import re, sys
p = sys.argv[1]
x = open(p, encoding="utf-8").read()
def fill(m):
    u = m.group(0)
    if "<target" in u.split("<alt-trans")[0]:
        return u
    return u.replace("</source>", "</source><target xml:lang=\"en\" state=\"translated\">EN %s</target>" % m.group(1), 1)
open(p, "w", encoding="utf-8").write(re.sub(r'<trans-unit id="([^"]+)".*?</trans-unit>', fill, x, flags=re.S))
PY
rm -f "$perf_dir/prepare-bench.db"
/usr/bin/time -v "$bin" finish "$out" --tm "$perf_dir/prepare-bench.db" --translator bench --format json >"$out.finish.json" 2>"$out.finish.time"
figures "dragoman finish ($(python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['files'][0]; print(f['translated'], 'of', f['segments'], 'translated')" "$out.finish.json"), store written)" "$out.finish.time"
