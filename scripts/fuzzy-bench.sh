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
#  - the anchors (scripts/fuzzy_peers.py) on the first PEER queries: rapidfuzz brute force
#    (fuzz.ratio, 2 workers: the truth of the peers' recall), SQLite FTS5 trigram with
#    rescoring, PostgreSQL pg_trgm (GIN) with rescoring, and translate-toolkit's matcher (on
#    the first TTK queries); queries/s, recall of the true best match per band, and the
#    ratio of dragoman's top-MAX queries/s to each. PostgreSQL: PEER_PG=URL, else a throwaway
#    cluster on 127.0.0.1:5434 (Debian's postgresql, as .ci/run starts one), stopped at the end.
#    Their indexes are built once in $PERF_DIR (build times printed) and reused.
#
#   scripts/fuzzy-bench.sh                          # SIZES=100000
#   SIZES="100000 1000000" BRUTE=200 PEER=20 scripts/fuzzy-bench.sh
#   PERF_DIR=/tmp/perf PEER_VENV=/tmp/fuzzpeers NO_PEER=1 PEERS=rapidfuzz,fts5 TTK=5 ...
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
ttk=${TTK:-5}
peers=${PEERS:-rapidfuzz,fts5,pg,ttk}
min=${MIN:-50}
max=${MAX:-5}
mkdir -p "$perf_dir"
case "$(cd "$perf_dir" && pwd)/" in "$root"/*) echo "PERF_DIR must be outside the repository" >&2; exit 2 ;; esac

(cd "$root" && cargo build --release --quiet --example fuzzy_bench)
bin=$root/target/release/examples/fuzzy_bench
if [ -z "${NO_PEER:-}" ] && [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q rapidfuzz numpy "psycopg[binary]" translate-toolkit
fi
pg_url=${PEER_PG:-}
if [ -z "${NO_PEER:-}" ] && [ -z "$pg_url" ] && [[ ",$peers," == *,pg,* ]]; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pgdir=$perf_dir/pg
  if [ ! -d "$pgdir/data" ]; then
    mkdir -p "$pgdir" && chown postgres "$pgdir"
    runuser -u postgres -- "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
  fi
  if ! runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
      -o "-p 5434 -k $pgdir -c listen_addresses=127.0.0.1 -c maintenance_work_mem=512MB" start >/dev/null
    # shellcheck disable=SC2064
    trap "runuser -u postgres -- '$pgbin/pg_ctl' -D '$pgdir/data' -m fast stop >/dev/null" EXIT
  fi
  pg_url=postgres://postgres@127.0.0.1:5434/postgres
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
    qps=$(awk '$1 == "lookup_qps" {print $2}' "$out")
    bqps=$(awk '/^brute_qps/ {print $2}' "$out")
    cq=$(awk '/^lookup_qps_cpu/ {print $2}' "$out")
    echo "tm-$n top-$k: $qps queries/s ($cq by CPU time x $(awk '/^threads/ {print $2}' "$out") threads; brute force $bqps, ratio $(awk -v a="$qps" -v b="$bqps" 'BEGIN{printf "%.0f", a/b}')x), build $(awk '/^build_s/ {print $2}' "$out") s after load $(awk '/^load_s/ {print $2}' "$out") s, index $(awk '/^index_mb/ {print $2}' "$out") MB, peak RSS $rss MB  [load $(load)]"
    grep '^band_' "$out" | sed 's/^/    /'
    grep '^concordance' "$out" | sed 's/^/    /'
  done
  if [ -z "${NO_PEER:-}" ]; then
    pout=$perf_dir/fuzzy-peers-$n.txt
    "$venv/bin/python" "$root/scripts/fuzzy_peers.py" "$perf_dir/tm-$n.ar" "$perf_dir/tm-$n.en" "$queries" \
      --workdir "$perf_dir" --n "$peer" --ttk-n "$ttk" --min "$min" --max "$max" --pg "$pg_url" \
      --peers "$peers" >"$pout"
    dq=$(awk '$1 == "lookup_qps" {print $2}' "$perf_dir/fuzzy-bench-$n-top$max.txt")
    d1=$(awk '$1 == "lookup_qps" {print $2}' "$perf_dir/fuzzy-bench-$n-top1.txt")
    for p in rapidfuzz fts5 pg ttk; do
      grep -q "^${p}_qps" "$pout" || continue
      pq=$(awk -v k="${p}_qps" '$1 == k {print $2}' "$pout")
      bs=$(awk -v k="${p}_build_s" '$1 == k {print " build " $2 " s,"}' "$pout")
      rec=$(awk -v p="${p}_band_" 'index($1, p) == 1 {b = substr($1, length(p) + 1); printf " %s %d/%d", b, $3, $2}' "$pout")
      echo "tm-$n $p (top-$max, $(awk -v k="${p}_queries" '$1 == k {print $2}' "$pout") queries):$bs $pq queries/s; dragoman top-1 $(awk -v a="$d1" -v b="$pq" 'BEGIN{printf "%.0f", a/b}')x, top-$max $(awk -v a="$dq" -v b="$pq" 'BEGIN{printf "%.0f", a/b}')x; best match recalled:$rec  [load $(load)]"
    done
  fi
done
