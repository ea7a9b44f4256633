#!/bin/sh
# Strict F1 of the aligner on the shared dev sets (skips what is absent).
# usage: scripts/align-eval.sh
#   ALIGN_BIN=path   aligner (default: the example, target/debug/examples/align SRC_LANG TGT_LANG SRC TGT)
#   ALIGN_CLI=1      ALIGN_BIN is the dragoman binary: run `align --presegmented --source-lang ...`
#   DRAGOMAN_SHARED  the shared data directory (default: ../shared beside the repository root)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${DRAGOMAN_SHARED:-$ROOT/../shared}
D=$SHARED/data
EVAL=$SHARED/eval/eval_align.py
BIN=${ALIGN_BIN:-target/debug/examples/align}
for set in ar-en-alignment/ntrex/dev/flat ar-en-alignment/ntrex/dev/para ar-en-alignment/pud/dev/flat ar-en-alignment/pud/dev/para ar-fr-alignment/pud/dev/flat ar-fr-alignment/pud/dev/para; do
  [ -d "$D/$set" ] || { echo "skip $set (absent)"; continue; }
  tl=$(echo "$set" | sed 's/^ar-\(..\).*/\1/')
  if [ "${ALIGN_CLI:-0}" = 1 ]; then
    r=$(python3 "$EVAL" "$D/$set" ar "$tl" -- "$BIN" align --presegmented --source-lang ar --target-lang "$tl" {src} {tgt} | tail -1)
  else
    r=$(python3 "$EVAL" "$D/$set" ar "$tl" -- "$BIN" ar "$tl" {src} {tgt} | tail -1)
  fi
  echo "$set $r"
done
