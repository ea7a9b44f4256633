#!/usr/bin/env python3
"""Brute-force fuzzy lookup with rapidfuzz: the anchor of scripts/fuzzy-bench.sh.

usage: fuzzy_peer_rapidfuzz.py TM.ar QUERIES [--n N] [--workers 2] [--min 50] [--max 5]

Scores every TM source against each of the first N queries with rapidfuzz's fuzz.ratio
(normalised Indel similarity on characters, after utils.default_process: lower case,
non-alphanumerics to spaces), on WORKERS cores (process.cdist), keeps the top MAX at or above
MIN, and prints `peer_qps Q` and `peer_queries N`. Install: python3 -m venv /tmp/fuzzpeers &&
/tmp/fuzzpeers/bin/pip install rapidfuzz numpy
"""
import argparse
import time

import numpy as np
from rapidfuzz import fuzz, process, utils


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tm")
    ap.add_argument("queries")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--min", type=int, default=50)
    ap.add_argument("--max", type=int, default=5)
    a = ap.parse_args()
    t0 = time.time()
    with open(a.tm, encoding="utf-8") as f:
        choices = [utils.default_process(l.rstrip("\n")) for l in f]
    with open(a.queries, encoding="utf-8") as f:
        queries = [utils.default_process(l.rstrip("\n")) for l in f][: a.n]
    print(f"peer_load_s {time.time() - t0:.2f}")
    t0 = time.time()
    found = 0
    for i in range(0, len(queries), 4):
        m = process.cdist(queries[i:i + 4], choices, scorer=fuzz.ratio, score_cutoff=a.min,
                          workers=a.workers, dtype=np.uint8)
        for row in m:
            top = np.argpartition(-row.astype(np.int16), a.max)[: a.max]
            found += int((row[top] >= a.min).sum())
    secs = time.time() - t0
    print(f"peer_queries {len(queries)}")
    print(f"peer_matches {found}")
    print(f"peer_qps {len(queries) / secs:.2f}")


if __name__ == "__main__":
    main()
