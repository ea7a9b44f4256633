#!/usr/bin/env bash
# Throughput and peak memory of `dragoman segment` and the fastest peers, side by side, on the
# same N MB of Arabic news text (the NTREX dev articles repeated; built in a temp dir, never in
# the repository). One process per tool, input from a file, output to /dev/null.
#
# usage: scripts/segment-bench.sh [MB]      (default 50; needs ../shared or /work/shared)
# Peers: unicode-segmentation (UAX #29, ../shared/bench/peers/unicode_sentences_seg.sh),
# ICU and sentencex (venv /tmp/segpeers, see ../shared/bench/README.md); missing ones skipped.
# Times include process start and reading the input; MB/s = input bytes / wall seconds, best
# of 3 runs. Peak RSS from /usr/bin/time -v.
set -uo pipefail
cd "$(dirname "$0")/.."
mb=${1:-50}
shared=""
for d in ../shared /work/shared; do [ -d "$d/data/ar-segmentation" ] && shared="$d" && break; done
[ -n "$shared" ] || { echo "no shared data (../shared or /work/shared): skipped" >&2; exit 0; }
peers="$shared/bench/peers"
py=/tmp/segpeers/bin/python
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
input="$tmp/ar-$mb.txt"
unit="$shared/data/ar-segmentation/ntrex/dev.txt"
while [ "$(stat -c %s "$input" 2>/dev/null || echo 0)" -lt $((mb * 1000000)) ]; do cat "$unit" >> "$input"; done
bytes=$(stat -c %s "$input")
cargo build --release --quiet || exit 2

measure() { # name cmd...
  local name=$1; shift
  local best="" rss=""
  for _ in 1 2 3; do
    /usr/bin/time -v -o "$tmp/time" "$@" < "$input" > /dev/null 2> "$tmp/err" || { echo "$name failed: $(tail -2 "$tmp/err")"; return; }
    local wall kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; fi
    rss=$kb
  done
  local mbs
  mbs=$(awk "BEGIN{printf \"%.1f\", $bytes / 1e6 / $best}")
  echo "$name $mbs $rss" >> "$tmp/results"
  printf '%-28s %8s MB/s  %8.2f s  peak RSS %7.1f MB\n' "$name" "$mbs" "$best" "$(awk "BEGIN{print $rss/1024}")"
}

echo "input: $(awk "BEGIN{printf \"%.1f\", $bytes/1e6}") MB of Arabic news text, $(nproc) cores shared, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure dragoman target/release/dragoman segment --lang ar
"$peers/unicode_sentences_seg.sh" </dev/null >/dev/null 2>&1 && measure unicode-segmentation "$peers/unicode_sentences_seg.sh"
if [ -x "$py" ]; then
  measure ICU "$py" "$peers/icu_seg.py" ar
  measure sentencex "$py" "$peers/sentencex_seg.py" ar
fi
ours=$(awk '$1=="dragoman"{print $2}' "$tmp/results")
awk -v o="$ours" '$1!="dragoman"{printf "dragoman / %-20s %.2fx\n", $1, o/$2}' "$tmp/results"
