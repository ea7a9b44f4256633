#!/usr/bin/env bash
# Boundary F1 of dragoman and its peers on every segmentation set, in one run.
#
# usage: scripts/segment-eval.sh [DRAGOMAN_CMD...]
#   default command: target/release/dragoman segment --lang (built here); the language is
#   appended as the last argument, e.g. scripts/segment-eval.sh target/release/dragoman
#   segment --srx my.srx --lang
# Sets: the UD English and French sets of data/ud-segmentation/ (tuning and held-out halves,
# split by document), our challenge sets, and the shared Arabic sets (NTREX and PUD dev, and
# their halves: PUD split by document = paragraph, NTREX by paragraph, its files having no
# document ids; paragraph parity, like the UD split).
# Peers need the venv of ../shared/bench/README.md in /tmp/segpeers; missing peers are skipped.
# Prints one line per set and segmenter, then a Markdown table (F1) of everything; with the
# default command it also scores the two cross-validation folds of data/ud-segmentation/folds.
# Shared data is read from ../shared or /work/shared and never copied into the repository;
# without it, the Arabic sets are skipped and the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."
shared=""
for d in ../shared /work/shared; do [ -d "$d/data/ar-segmentation" ] && shared="$d" && break; done
[ -n "$shared" ] || { echo "no shared data (../shared or /work/shared): skipped" >&2; exit 0; }
eval_py="$shared/eval/eval_segment.py"
peers="$shared/bench/peers"
py=/tmp/segpeers/bin/python
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

folds=""
if [ $# -eq 0 ]; then
  cargo build --release --quiet || exit 2
  set -- target/release/dragoman segment --lang
  folds=yes
fi

# Raw text from a gold file: each paragraph's sentences joined by one space.
raw_of() {
  python3 -c 'import sys
t=open(sys.argv[1],encoding="utf-8").read()
ps=[p for p in t.split("\n\n") if p.strip()]
sys.stdout.write("\n\n".join(" ".join(s for s in p.split("\n") if s.strip()) for p in ps)+"\n")' "$1"
}

# Gold paragraphs of parity $2 (0: tuning half, 1: held-out half) of gold file $1.
half_of() {
  python3 -c 'import sys
t=open(sys.argv[1],encoding="utf-8").read()
ps=[p.strip("\n") for p in t.split("\n\n") if p.strip()]
sys.stdout.write("\n\n".join(ps[int(sys.argv[2])::2])+"\n")' "$1" "$2"
}

results="$tmp/results.tsv"
run() { # name lang gold raw cmd...
  local name=$1 lang=$2 gold=$3 raw=$4; shift 4
  local out r
  out=$(python3 "$eval_py" "$gold" "$raw" -- "$@" 2>/dev/null)
  r=$(tail -1 <<<"$out" | grep -o 'f1=[0-9.]*')
  [ -n "$r" ] || r="f1=n/a"
  printf '%-26s %-4s %s\n' "$name" "$lang" "$r"
  printf '%s\t%s\t%s\n' "$set_name" "$name" "${r#f1=}" >>"$results"
}

sets=()
for l in en fr; do
  for h in tune heldout; do
    d=data/ud-segmentation/$l
    sets+=("ud-$l-$h $l $d/$h.gold.txt $d/$h.txt")
  done
done
for l in en fr ar; do
  raw_of "tests/data/segment/$l-challenge.gold.txt" > "$tmp/$l.txt"
  sets+=("challenge-$l $l tests/data/segment/$l-challenge.gold.txt $tmp/$l.txt")
done
# Written after the rules were frozen, scored once, not tuned on (see docs/segment.md).
raw_of tests/data/segment/ar-heldout.gold.txt > "$tmp/ar-heldout.txt"
sets+=("heldout-ar ar tests/data/segment/ar-heldout.gold.txt $tmp/ar-heldout.txt")
for s in "ntrex $shared/data/ar-segmentation/ntrex/dev.gold.txt" \
         "pud $shared/data/ar-segmentation/dev.gold.txt"; do
  read -r name gold <<<"$s"
  raw_of "$gold" > "$tmp/$name.txt"
  sets+=("$name-ar ar $gold $tmp/$name.txt")
  for h in 0 1; do
    half=$([ $h = 0 ] && echo tune || echo heldout)
    half_of "$gold" $h > "$tmp/$name-$half.gold.txt"
    raw_of "$tmp/$name-$half.gold.txt" > "$tmp/$name-$half.txt"
    sets+=("$name-ar-$half ar $tmp/$name-$half.gold.txt $tmp/$name-$half.txt")
  done
done

for s in "${sets[@]}"; do
  read -r set_name lang gold raw <<<"$s"
  echo "== $set_name ($lang)"
  run dragoman "$lang" "$gold" "$raw" "$@" "$lang"
  "$shared/bench/peers/unicode_sentences_seg.sh" </dev/null >/dev/null 2>&1 &&
    run unicode-segmentation "$lang" "$gold" "$raw" "$peers/unicode_sentences_seg.sh"
  if [ -x "$py" ]; then
    run ICU "$lang" "$gold" "$raw" "$py" "$peers/icu_seg.py" "$lang"
    if [ "$lang" = ar ]; then lt=ar_two; else lt="${lang}_two"; fi
    run "LanguageTool SRX" "$lang" "$gold" "$raw" "$py" "$peers/srx_seg.py" "$lt"
    run "Bling Fire" "$lang" "$gold" "$raw" "$py" "$peers/blingfire_seg.py"
    run sentencex "$lang" "$gold" "$raw" "$py" "$peers/sentencex_seg.py" "$lang"
    run pySBD "$lang" "$gold" "$raw" "$py" "$peers/pysbd_seg.py" "$lang"
  fi
  # OmegaT 3.6's default rules (needs Java and OmegaT: ../shared/bench/cat/setup.sh).
  [ -f /usr/share/omegat/OmegaT.jar ] &&
    run "OmegaT default" "$lang" "$gold" "$raw" "$shared/bench/cat/omegat_segment.sh" "$lang"
  run naive "$lang" "$gold" "$raw" python3 "$peers/naive_seg.py"
done

# Two-fold cross-validation of the en/fr rules (issue 13): each fold's rule set was changed
# looking at one half only (data/ud-segmentation/folds/), and is scored on the other half.
# Columns "fold tuned on tune" (scored on the held-out half) and "fold tuned on held-out"
# (scored on the tuning half); the built-in rules are the union of both folds' changes.
if [ -n "$folds" ]; then
  f=data/ud-segmentation/folds
  for l in en fr; do
    d=data/ud-segmentation/$l
    echo "== folds ($l)"
    set_name=ud-$l-heldout
    run "fold tuned on tune" "$l" "$d/heldout.gold.txt" "$d/heldout.txt" \
      target/release/dragoman segment --srx "$f/tuned-on-tune.srx" --lang "$l"
    set_name=ud-$l-tune
    run "fold tuned on held-out" "$l" "$d/tune.gold.txt" "$d/tune.txt" \
      target/release/dragoman segment --srx "$f/tuned-on-heldout.srx" --lang "$l"
  done
fi

echo
echo "Boundary F1 (eval_segment.py), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg):"
python3 - "$results" <<'EOF'
import sys
rows, cols = {}, []
for line in open(sys.argv[1], encoding="utf-8"):
    s, tool, f = line.rstrip("\n").split("\t")
    rows.setdefault(s, {})[tool] = f
    if tool not in cols:
        cols.append(tool)
print("| set | " + " | ".join(cols) + " |")
print("|---" * (len(cols) + 1) + "|")
for s, r in rows.items():
    print(f"| {s} | " + " | ".join(r.get(c, "") for c in cols) + " |")
EOF
