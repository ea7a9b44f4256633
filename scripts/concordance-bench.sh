#!/usr/bin/env bash
# `dragoman tm concordance` on a 1M-unit store, end to end (process start, store open, search,
# output), one run per phrase of the fuzzy benchmark's phrase set (two-word phrases of the TM:
# $PERF_DIR/fuzzy-queries-1000.txt.phrases, made by scripts/fuzzy-bench.sh):
#  - the store with a concordance index (`tm index`, built on a copy: $PERF_DIR/conc.db),
#    every hit printed, and the first 50 (`--max 50`, a CAT tool's concordance pane);
#  - the same store without the index (it is loaded for each search): 3 phrases.
# The build time and size of the index are printed too.
#   PERF_DIR=/tmp/perf scripts/concordance-bench.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
perf_dir=${PERF_DIR:-/tmp/perf}
size=${SIZE:-1000000}
[ -n "${NO_BUILD:-}" ] || (cd "$root" && cargo build --release --quiet --bin dragoman)
bin=$root/target/release/dragoman
store=$perf_dir/tm-$size.db
phrases=$perf_dir/fuzzy-queries-1000.txt.phrases
[ -f "$store" ] || "$bin" tm import -q "$store" "$perf_dir/tm-$size.tmx" >/dev/null || true
[ -f "$phrases" ] || { echo "run scripts/fuzzy-bench.sh first (it writes $phrases)" >&2; exit 2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
conc=$perf_dir/conc.db
rm -f "$conc" "$conc-wal" "$conc-shm"
cp "$store" "$conc"
/usr/bin/time -f '%e s wall, %M KB peak RSS' "$bin" tm index -q "$conc" 2>"$perf_dir/index.time"
echo "tm index: $(tail -1 "$perf_dir/index.time"); store $(stat -c %s "$store") -> $(stat -c %s "$conc") bytes  [load $(load)]"
python3 - "$bin" "$conc" "$store" "$phrases" <<'PY'
import statistics, subprocess, sys, time
bin, conc, plain, phrases = sys.argv[1:5]
ps = [l.strip() for l in open(phrases, encoding="utf-8") if l.strip()]
def run(store, p, extra=()):
    t = time.perf_counter()
    r = subprocess.run([bin, "tm", "concordance", store, "-s", "ar", "-t", "en", *extra, p],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000, r.stdout.count(b"\n")
def report(name, rows):
    ms = sorted(r[0] for r in rows)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    print(f"{name}: {len(ms)} phrases, {sum(r[1] for r in rows)} hits, median {statistics.median(ms):.1f} ms, "
          f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms (whole command)")
report("indexed, first 50 hits", [run(conc, p, ["--max", "50"]) for p in ps])
report("indexed, every hit", [run(conc, p) for p in ps])
report("not indexed (loads the store), first 50 hits", [run(plain, p, ["--max", "50"]) for p in ps[:3]])
PY
echo "[load $(load)]"
