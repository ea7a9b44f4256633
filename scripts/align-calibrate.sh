#!/bin/sh
# Reliability of the link scores on the dev sets, and the precision of links above and below
# review thresholds (REVIEW_THRESHOLD is 0.9). A link counts as right when the gold holds
# exactly that link (empty-side links included).
# usage: scripts/align-calibrate.sh [DRAGOMAN_BINARY]   (default target/release/dragoman)
# DRAGOMAN_SHARED: the shared data directory (default: ../shared beside the repository root).
BIN=${1:-target/release/dragoman}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${DRAGOMAN_SHARED:-$ROOT/../shared}
exec python3 - "$BIN" "$SHARED" "$ROOT/scripts" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
from align_dev import documents
rows = []
for _, gold, test in documents(sys.argv[1], sys.argv[2]):
    gold = {(s, t) for s, t, _ in gold}
    rows += [(sc, (s, t) in gold) for s, t, sc in test]
print(f"links={len(rows)} right={sum(y for _, y in rows)}")
edges = [0, 0.5, 0.7, 0.9, 0.97, 1.01]
for lo, hi in zip(edges, edges[1:]):
    sel = [(p, y) for p, y in rows if lo <= p < hi]
    if sel:
        print(f"score [{lo:.2f},{min(hi, 1):.2f}] n={len(sel)} mean_score="
              f"{sum(p for p, _ in sel) / len(sel):.3f} precision={sum(y for _, y in sel) / len(sel):.3f}")
wrong = sum(1 for _, y in rows if not y)
for th in (0.7, 0.8, 0.9):
    ab = [y for p, y in rows if p >= th]
    be = [y for p, y in rows if p < th]
    caught = sum(1 for y in be if not y)
    print(f"threshold {th}: above n={len(ab)} precision={sum(ab) / max(1, len(ab)):.3f} | "
          f"below n={len(be)} precision={sum(be) / max(1, len(be)):.3f} "
          f"(holds {caught}/{wrong} of the wrong links)")
PY
