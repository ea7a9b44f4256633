#!/bin/sh
# Error analysis on the dev sets: recall per gold link type, and wrong predicted links by
# cause (next to a dropped/added sentence, at a merge/split, other).
# usage: scripts/align-errors.sh [DRAGOMAN_BINARY]   (default target/release/dragoman)
# DRAGOMAN_SHARED: the shared data directory (default: ../shared beside the repository root).
BIN=${1:-target/release/dragoman}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${DRAGOMAN_SHARED:-$ROOT/../shared}
exec python3 - "$BIN" "$SHARED" "$ROOT/scripts" <<'PY'
import collections, itertools, sys
sys.path.insert(0, sys.argv[3])
from align_dev import documents
def near(l, g):
    s = set(range(min(l[0]) - 1, max(l[0]) + 2)) if l[0] else set()
    t = set(range(min(l[1]) - 1, max(l[1]) + 2)) if l[1] else set()
    return bool(set(g[0]) & s or set(g[1]) & t)
for d, docs in itertools.groupby(documents(sys.argv[1], sys.argv[2]), key=lambda x: x[0]):
    rec, tot, cats = collections.Counter(), collections.Counter(), collections.Counter()
    for _, gold, test in docs:
        gold = [(s, t) for s, t, _ in gold]
        test = [(s, t) for s, t, _ in test]
        ts, gs = set(test), set(gold)
        for g in gold:
            k = (len(g[0]), len(g[1]))
            tot[k] += 1
            rec[k] += g in ts
        for l in test:
            if l[0] and l[1] and l not in gs:
                ov = [g for g in gold if set(g[0]) & set(l[0]) or set(g[1]) & set(l[1])]
                if any((not g[0] or not g[1]) and near(l, g) for g in gold):
                    cats["next to a dropped/added sentence"] += 1
                elif any(len(g[0]) + len(g[1]) > 2 for g in ov) or len(l[0]) + len(l[1]) > 2:
                    cats["merge/split"] += 1
                else:
                    cats["other"] += 1
    print(d)
    print("  recall by gold type:", ", ".join(f"{a}-{b} {rec[(a, b)]}/{tot[(a, b)]}" for a, b in sorted(tot)))
    print("  wrong predicted links:", dict(cats))
PY
