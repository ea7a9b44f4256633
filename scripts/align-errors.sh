#!/bin/sh
# Error analysis on the dev sets: recall per gold link type, and wrong predicted links by
# cause (next to a dropped/added sentence, at a merge/split, other).
# usage: scripts/align-errors.sh [DRAGOMAN_BINARY]   (default target/release/dragoman)
# DRAGOMAN_SHARED: the shared data directory (default: ../shared beside the repository root).
BIN=${1:-target/release/dragoman}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${DRAGOMAN_SHARED:-$ROOT/../shared}
exec python3 - "$BIN" "$SHARED" <<'PY'
import collections, glob, subprocess, sys
BIN = sys.argv[1]
D = sys.argv[2] + "/data"
sets = [("ar-en-alignment/ntrex/dev/flat", "en"), ("ar-en-alignment/ntrex/dev/para", "en"),
        ("ar-en-alignment/pud/dev/flat", "en"), ("ar-en-alignment/pud/dev/para", "en"),
        ("ar-fr-alignment/pud/dev/flat", "fr"), ("ar-fr-alignment/pud/dev/para", "fr")]
def parse(text):
    out = []
    for line in text.splitlines():
        if line.strip():
            c = line.split("\t")
            out.append((tuple(int(x) for x in c[0].split(",") if x),
                        tuple(int(x) for x in c[1].split(",") if x)))
    return out
def near(l, g):
    s = set(range(min(l[0]) - 1, max(l[0]) + 2)) if l[0] else set()
    t = set(range(min(l[1]) - 1, max(l[1]) + 2)) if l[1] else set()
    return bool(set(g[0]) & s or set(g[1]) & t)
for d, tl in sets:
    rec, tot, cats = collections.Counter(), collections.Counter(), collections.Counter()
    for gl in sorted(glob.glob(f"{D}/{d}/*.links")):
        b = gl[:-6]
        gold = parse(open(gl, encoding="utf-8").read())
        test = parse(subprocess.run([BIN, "align", "--presegmented", "--source-lang", "ar",
                                     "--target-lang", tl, b + ".ar", b + "." + tl],
                                    capture_output=True, text=True, check=True).stdout)
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
