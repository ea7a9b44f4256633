#!/bin/sh
# Honest alignment figures: two-fold cross-validation over the shared dev documents.
#
# Documents are split into halves A and B by the parity of the FNV-1a 32-bit hash of their
# name (the file name without its extension, e.g. `000_bbc.381790`), so the flat and para
# copies of one document, and the ar-en and ar-fr copies of one PUD document, always fall in
# the same half. The aligner's global weights are fitted on one half (examples/align_tune.rs:
# a coordinate search maximising mean strict F1 + 0.1 x F1 of 1-0/0-1 links) and scored on the
# other with ../shared/eval/eval_align.py, then the halves swap. Printed per set and fold:
# strict F1 on the tuning half, on the held-out half, the drop, and precision/recall of the
# 1-0/0-1 links on the held-out half; then the same procedure on all dev documents (the fit
# that `Weights::default` ships), the shipped weights' figures on all dev, and hunalign and
# Gale-Church on the same documents.
#
# Every fit starts from the same weights, START (default: the weights shipped before issue 13,
# themselves fitted on all dev, so the held-out figures carry that small leak), never from
# `Weights::default`: once the all-dev fit is shipped, starting there would hand each fold the
# weights that the held-out half chose. Alignment is one pass, as shipped (realign off).
#
# usage: scripts/align-eval.sh          (builds the two examples in release mode)
#   ROUNDS=N          coordinate-search rounds (default 1)
#   START="W..."      the weights every fit starts from (WEIGHT_NAMES order)
#   PEERS=0           skip hunalign / Gale-Church
#   PEER_PY           python for the peers (default /tmp/alignpeers/bin/python when it exists:
#                     python3 -m venv /tmp/alignpeers && /tmp/alignpeers/bin/pip install galechurch)
#   DRAGOMAN_SHARED   the shared data directory (default: ../shared beside the repository root)
#   TM=1              also score each held-out half with a user's TM (issue 13, lexical evidence):
#                     the gold-aligned sentence pairs of the tuning half's documents, written as
#                     one TMX per language pair and given to the aligner as `dragoman align --tm`
#                     gives it (the `align` example's DRAGOMAN_TM); the `dict` weight is chosen
#                     on the tuning half alone (align_tune --tm-loo --dict-grid: each tuning
#                     document aligned with the lexicon of the other tuning documents), so no
#                     document is ever aligned with a lexicon learned from its own text
#   DICT_EN=FILE      also score with this ar-en dictionary (e.g. FreeDict converted by
#                     scripts/freedict-to-dict.py), its `dict` weight chosen on the tuning half;
#                     with TM=1 also both together
#   GRID="W..."       the `dict` weights tried (default "0 0.5 1 2 3 4")
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${DRAGOMAN_SHARED:-$ROOT/../shared}
D=$SHARED/data
EVAL=$SHARED/eval/eval_align.py
cd "$ROOT"
cargo build --release --quiet --example align --example align_tune
ALIGN=$ROOT/target/release/examples/align
TUNE=$ROOT/target/release/examples/align_tune
# WEIGHT_NAMES order: number word dict punct? punct! punct" punct( indel para_cross para_edge
# para_near sentences name number_miss long_name unique unsupported open_merge
START=${START:-"2 0.5 3 1.5 1 0.5 0.5 0.5 6 4 2 1 0.5 0 1 3 0 0"}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SETS="ar-en-alignment/ntrex/dev/flat ar-en-alignment/ntrex/dev/para ar-en-alignment/pud/dev/flat ar-en-alignment/pud/dev/para ar-fr-alignment/pud/dev/flat ar-fr-alignment/pud/dev/para"
python3 - "$D" "$TMP" $SETS <<'PY'
import os, sys
def fnv(s):
    h = 0x811c9dc5
    for b in s.encode():
        h = ((h ^ b) * 0x01000193) & 0xffffffff
    return h
d, tmp = sys.argv[1], sys.argv[2]
for s in sys.argv[3:]:
    src = os.path.join(d, s)
    if not os.path.isdir(src):
        continue
    for f in sorted(os.listdir(src)):
        half = "AB"[fnv(f.rsplit(".", 1)[0]) & 1]
        for h in (half, "all"):
            out = os.path.join(tmp, h, s)
            os.makedirs(out, exist_ok=True)
            os.symlink(os.path.join(src, f), os.path.join(out, f))
PY
GRID=${GRID:-"0 0.5 1 2 3 4"}
if [ "${TM:-0}" = 1 ]; then
  # One TMX per half and language pair: the gold links with two sides (merged sentences
  # joined by a space), each distinct pair once (the flat and para copies hold the same pairs).
  python3 - "$TMP" $SETS <<'PY'
import os, sys
from xml.sax.saxutils import escape
tmp = sys.argv[1]
for half in "AB":
    pairs = {}
    for s in sys.argv[2:]:
        tl = s.split("/")[0][3:5]
        d = os.path.join(tmp, half, s)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith(".links"):
                continue
            stem = os.path.join(d, f[:-6])
            side = lambda ext: [l.rstrip("\n") for l in open(f"{stem}.{ext}", encoding="utf-8") if l.strip()]
            src, tgt = side("ar"), side(tl)
            for line in open(os.path.join(d, f), encoding="utf-8"):
                if not line.strip() or line.startswith("#"):
                    continue
                a, b = (line.rstrip("\n").split("\t") + [""])[:2]
                if a and b:
                    p = (" ".join(src[int(i)] for i in a.split(",")), " ".join(tgt[int(i)] for i in b.split(",")))
                    pairs.setdefault(tl, dict())[p] = None
    for tl, ps in pairs.items():
        os.makedirs(os.path.join(tmp, "tm"), exist_ok=True)
        with open(os.path.join(tmp, "tm", f"{half}.{tl}.tmx"), "w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="align-eval" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="ar" datatype="plaintext"/><body>\n')
            for a, b in ps:
                out.write(f'<tu><tuv xml:lang="ar"><seg>{escape(a)}</seg></tuv><tuv xml:lang="{tl}"><seg>{escape(b)}</seg></tuv></tu>\n')
            out.write("</body></tmx>\n")
PY
fi
tmfrom() { for s in $SETS; do [ -d "$TMP/$1/$s" ] && case $s in ar-$2-*) printf -- '--tm-from %s ' "$TMP/$1/$s:$2" ;; esac; done; }
# held SET TL WEIGHTS TUNE_ARGS... -> "F1 n=.. p=.. r=.." on the held-out half (env: DRAGOMAN_TM/DICT)
held() {
  s=$1 tl=$2 w=$3
  shift 3
  f=$(strict "$TMP/$other/$s" "$tl" "$w")
  e=$("$TUNE" --score --weights "$w" "$@" "$TMP/$other/$s:$tl" | sed 's/.*empty_links=\([0-9]*\) empty_p=\([0-9.]*\) empty_r=\([0-9.]*\).*/n=\1 p=\2 r=\3/')
  echo "$f $e"
}
args() { for s in $SETS; do [ -d "$TMP/$1/$s" ] && printf '%s ' "$TMP/$1/$s:$(echo "$s" | sed 's/^ar-\(..\).*/\1/')"; done; }
strict() { # DIR TL WEIGHTS -> strict F1 by eval_align.py (fails on a coverage problem)
  r=$(DRAGOMAN_W="$3" python3 "$EVAL" "$1" ar "$2" -- "$ALIGN" ar "$2" {src} {tgt} | tail -1)
  case $r in *coverage_problems=0*) ;; *) echo "eval_align.py: $r" >&2; exit 1 ;; esac
  echo "$r" | sed 's/.*strict_f1=\([0-9.]*\).*/\1/'
}
echo "load average: $(uptime | sed 's/.*load average: //')"
for fold in A B; do
  other=$([ $fold = A ] && echo B || echo A)
  W=$(ROUNDS=${ROUNDS:-1} "$TUNE" --weights "$START" $(args $fold))
  echo "fold: tune on $fold, score on $other; weights: $W"
  printf '%-32s %8s %8s %7s %s\n' set tune_f1 held_f1 drop "held-out 1-0/0-1 links"
  for s in $SETS; do
    [ -d "$TMP/$other/$s" ] || continue
    tl=$(echo "$s" | sed 's/^ar-\(..\).*/\1/')
    a=$(strict "$TMP/$fold/$s" "$tl" "$W")
    b=$(strict "$TMP/$other/$s" "$tl" "$W")
    e=$("$TUNE" --score --weights "$W" "$TMP/$other/$s:$tl" | sed 's/.*empty_links=\([0-9]*\) empty_p=\([0-9.]*\) empty_r=\([0-9.]*\).*/n=\1 p=\2 r=\3/')
    printf '%-32s %8s %8s %7.4f %s\n' "$s" "$a" "$b" "$(echo "$a - $b" | bc -l)" "$e"
  done
  if [ "${TM:-0}" = 1 ]; then
    WT=$("$TUNE" --weights "$W" --tm-loo --dict-grid "$GRID" $(args $fold) 2>/dev/null)
    echo "  with a TM (the gold pairs of half $fold), dict weight $(echo "$WT" | cut -d' ' -f3) (fitted on $fold, leave-one-out):"
    for s in $SETS; do
      [ -d "$TMP/$other/$s" ] || continue
      tl=$(echo "$s" | sed 's/^ar-\(..\).*/\1/')
      printf '  %-30s %s\n' "$s" "$(export DRAGOMAN_TM="$TMP/tm/$fold.$tl.tmx"; held "$s" "$tl" "$WT" $(tmfrom $fold $tl))"
    done
  fi
  if [ -n "$DICT_EN" ]; then
    WD=$("$TUNE" --weights "$W" --dict "en:$DICT_EN" --dict-grid "$GRID" $(args $fold) 2>/dev/null)
    echo "  with $DICT_EN (ar-en), dict weight $(echo "$WD" | cut -d' ' -f3) (fitted on $fold):"
    for s in $SETS; do
      case $s in ar-en-*) [ -d "$TMP/$other/$s" ] || continue ;; *) continue ;; esac
      printf '  %-30s %s\n' "$s" "$(export DRAGOMAN_DICT="$DICT_EN"; held "$s" en "$WD" --dict "en:$DICT_EN")"
    done
    if [ "${TM:-0}" = 1 ]; then
      WB=$("$TUNE" --weights "$W" --dict "en:$DICT_EN" --tm-loo --dict-grid "$GRID" $(args $fold) 2>/dev/null)
      echo "  with both, dict weight $(echo "$WB" | cut -d' ' -f3) (fitted on $fold, leave-one-out):"
      for s in $SETS; do
        case $s in ar-en-*) [ -d "$TMP/$other/$s" ] || continue ;; *) continue ;; esac
        printf '  %-30s %s\n' "$s" "$(export DRAGOMAN_DICT="$DICT_EN" DRAGOMAN_TM="$TMP/tm/$fold.en.tmx"; held "$s" en "$WB" --dict "en:$DICT_EN" $(tmfrom $fold en))"
      done
    fi
  fi
done
WALL=$(ROUNDS=${ROUNDS:-1} "$TUNE" --weights "$START" $(args all))
echo "all dev (same procedure, from START): weights: $WALL"
"$TUNE" --score --weights "$WALL" $(args all) | sed "s|$TMP/all/||"
SHIPPED=$("$TUNE" --print-weights)
echo "shipped Weights::default: $SHIPPED"
if [ "$SHIPPED" = "$WALL" ]; then
  echo "(the shipped weights are the all-dev fit)"
else
  echo "(the shipped weights differ from the all-dev fit); their figures on all dev:"
  "$TUNE" --score $(args all) | sed "s|$TMP/all/||"
fi
if [ "${TM:-0}" = 1 ]; then
  WTA=$("$TUNE" --weights "$SHIPPED" --tm-loo --dict-grid "$GRID" $(args all) 2>/dev/null)
  echo "TM dict weight on all dev (shipped weights, leave-one-out; align::TM_DICT_WEIGHT ships it): $(echo "$WTA" | cut -d' ' -f3)"
fi
if [ "${PEERS:-1}" = 1 ]; then
  P=$SHARED/bench/peers
  PY=${PEER_PY:-python3}
  [ -z "$PEER_PY" ] && [ -x /tmp/alignpeers/bin/python ] && PY=/tmp/alignpeers/bin/python
  peer() { # DIR TL WRAPPER -> strict F1, or n/a (and why) when the peer does not run
    r=$(python3 "$EVAL" "$1" ar "$2" -- "$PY" "$P/$3" {src} {tgt} 2>&1 | tail -1) || true
    case $r in
      *strict_f1=*) echo "$r" | sed 's/.*strict_f1=\([0-9.]*\).*/\1/' ;;
      *) echo "n/a ($(echo "$r" | cut -c1-60))" ;;
    esac
  }
  for s in $SETS; do
    [ -d "$D/$s" ] || continue
    tl=$(echo "$s" | sed 's/^ar-\(..\).*/\1/')
    if command -v "${HUNALIGN:-hunalign}" >/dev/null 2>&1; then h=$(peer "$D/$s" "$tl" hunalign_align.py); else h="n/a (no hunalign binary)"; fi
    g=$(peer "$D/$s" "$tl" galechurch_align.py)
    echo "$s hunalign=$h galechurch=$g"
  done
fi
