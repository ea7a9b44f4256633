#!/usr/bin/env bash
# Fuzzy lookup and concordance benchmark beside the anchors, one run:
#  - TMs of SIZES units from ../shared/bench/perf/gen_tm.py (generated OUTSIDE the repository,
#    in $PERF_DIR);
#  - QUERIES edited TM segments from scripts/fuzzy_queries.py (deterministic: inserted,
#    deleted, replaced words, changed numbers, a tenth with no match), the same set for every
#    size (all are taken from the first 100k units, which every size shares);
#  - dragoman (examples/fuzzy_bench.rs, release, all cores): build time, queries/s, recall of
#    the true best match per band against brute force (every unit scored with the same score)
#    on the first BRUTE queries, concordance latency of 100 two-word phrases, peak RSS
#    (/usr/bin/time -v), for top-1 and top-MAX lookups;
#  - rapidfuzz brute force (scripts/fuzzy_peer_rapidfuzz.py, fuzz.ratio, 2 workers) on the first
#    PEER queries, and the ratio.
#
#   scripts/fuzzy-bench.sh                          # SIZES=100000
#   SIZES="100000 1000000" BRUTE=200 PEER=20 scripts/fuzzy-bench.sh
#   PERF_DIR=/tmp/perf PEER_VENV=/tmp/fuzzpeers NO_PEER=1 ...
#
# The machine is shared: every figure line carries the load average at that moment.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DRAGOMAN_SHARED:-$root/../shared}
perf_dir=${PERF_DIR:-/tmp/perf}
venv=${PEER_VENV:-/tmp/fuzzpeers}
sizes=${SIZES:-100000}
nq=${QUERIES:-1000}
brute=${BRUTE:-1000}
peer=${PEER:-50}
min=${MIN:-50}
max=${MAX:-5}
mkdir -p "$perf_dir"
case "$(cd "$perf_dir" && pwd)/" in "$root"/*) echo "PERF_DIR must be outside the repository" >&2; exit 2 ;; esac

(cd "$root" && cargo build --release --quiet --example fuzzy_bench)
bin=$root/target/release/examples/fuzzy_bench
if [ -z "${NO_PEER:-}" ] && [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q rapidfuzz numpy
fi
load() { cut -d' ' -f1 /proc/loadavg; }

for n in $sizes; do
  [ -f "$perf_dir/tm-$n.tmx" ] || python3 "$shared/bench/perf/gen_tm.py" "$n" "$perf_dir" >/dev/null
done
first=$(echo "$sizes" | awk '{print $1}')
queries=$perf_dir/fuzzy-queries-$nq.txt
[ -f "$queries" ] || python3 "$root/scripts/fuzzy_queries.py" "$perf_dir/tm-$first.ar" "$nq" "$queries"

echo "# fuzzy-bench: $(nproc) cores, queries=$nq (brute force on $brute), --min $min, $(date -u +%FT%TZ)"
for n in $sizes; do
  for k in 1 "$max"; do
    out=$perf_dir/fuzzy-bench-$n-top$k.txt
    /usr/bin/time -v "$bin" "$perf_dir/tm-$n.tmx" "$queries" "$queries.phrases" \
      --min "$min" --max "$k" --brute "$brute" >"$out" 2>"$out.time"
    rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$out.time")
    qps=$(awk '/^lookup_qps/ {print $2}' "$out")
    bqps=$(awk '/^brute_qps/ {print $2}' "$out")
    echo "tm-$n top-$k: $qps queries/s (brute force $bqps, ratio $(awk -v a="$qps" -v b="$bqps" 'BEGIN{printf "%.0f", a/b}')x), build $(awk '/^build_s/ {print $2}' "$out") s after load $(awk '/^load_s/ {print $2}' "$out") s, index $(awk '/^index_mb/ {print $2}' "$out") MB, peak RSS $rss MB  [load $(load)]"
    grep '^band_' "$out" | sed 's/^/    /'
    grep '^concordance' "$out" | sed 's/^/    /'
  done
  if [ -z "${NO_PEER:-}" ]; then
    pout=$perf_dir/fuzzy-peer-$n.txt
    "$venv/bin/python" "$root/scripts/fuzzy_peer_rapidfuzz.py" "$perf_dir/tm-$n.ar" "$queries" \
      --n "$peer" --min "$min" --max "$max" >"$pout"
    pq=$(awk '/^peer_qps/ {print $2}' "$pout")
    dq=$(awk '/^lookup_qps/ {print $2}' "$perf_dir/fuzzy-bench-$n-top$max.txt")
    echo "tm-$n rapidfuzz brute force (fuzz.ratio, 2 workers, $peer queries): $pq queries/s; dragoman top-$max is $(awk -v a="$dq" -v b="$pq" 'BEGIN{printf "%.0f", a/b}')x  [load $(load)]"
  fi
done
