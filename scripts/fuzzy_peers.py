#!/usr/bin/env python3
"""The anchors of scripts/fuzzy-bench.sh, in one run: fuzzy lookup as a user would do it
without dragoman, each measured in queries/s and in recall of the true best match per band.

usage: fuzzy_peers.py TM.ar TM.en QUERIES --workdir DIR [--n N] [--ttk-n N] [--min 50]
                      [--max 5] [--pg URL] [--peers rapidfuzz,fts5,pg,ttk]

The truth is brute force with rapidfuzz (fuzz.ratio after utils.default_process, every TM
source scored, 2 workers): its best score per query puts the query in a band (100, 75-99,
50-74, none). Each other peer returns candidates its own way; they are rescored with the
same fuzz.ratio, and a query counts as recalled when the peer's top MAX holds a unit with the
truth's best score (the same definition as dragoman's `best_recall`, on the peers' score):

  fts5   SQLite FTS5 with the trigram tokenizer (one file in DIR, built once): MATCH on the
         query's words of 3 letters or more, OR'ed, best 100 by bm25, rescored;
  pg     PostgreSQL pg_trgm, a GIN index (gin_trgm_ops) on the sources, `src % query`
         (pg_trgm.similarity_threshold 0.3, the default) ordered by similarity, best 100,
         rescored (table built once per database);
  ttk    translate-toolkit's matcher (translate.search.match.matcher, its Levenshtein
         comparer, min_similarity MIN, max_length 1000 so that sentences longer than its
         default 70 characters are compared at all), on the first TTK_N queries.

Prints `PEER_KEY VALUE` lines: `<peer>_qps`, `<peer>_build_s`, `<peer>_band_<b> Q R`
(queries in the band, recalled). Needs rapidfuzz, numpy, psycopg (pg) and translate-toolkit
(ttk) in the Python that runs it.
"""
import argparse
import os
import re
import sqlite3
import time

import numpy as np
from rapidfuzz import fuzz, process, utils

BANDS = ("100", "75_99", "50_74", "none")


def band(score):
    if score is None:
        return "none"
    if score >= 100:
        return "100"
    if score >= 75:
        return "75_99"
    if score >= 50:
        return "50_74"
    return "none"


def rescore(q, cands, choices, k, lo):
    """Top k of candidate unit ids by fuzz.ratio on the processed texts."""
    scored = sorted(((round(fuzz.ratio(q, choices[c]), 2), c) for c in set(cands)), key=lambda x: (-x[0], x[1]))
    return [(s, c) for s, c in scored[:k] if s >= lo]


def report(name, truth, got, secs, n):
    print(f"{name}_queries {n}")
    print(f"{name}_qps {n / secs:.3f}")
    for b in BANDS:
        qs = [i for i in range(n) if band(truth[i][0][0] if truth[i] else None) == b]
        rec = 0
        for i in qs:
            best = truth[i][0][0] if truth[i] else None
            mine = got[i][0][0] if got[i] else None
            rec += int(best == mine)
        print(f"{name}_band_{b} {len(qs)} {rec}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tm")
    ap.add_argument("tm_target")
    ap.add_argument("queries")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--ttk-n", type=int, default=5)
    ap.add_argument("--min", type=int, default=50)
    ap.add_argument("--max", type=int, default=5)
    ap.add_argument("--pg", default="")
    ap.add_argument("--peers", default="rapidfuzz,fts5,pg,ttk")
    a = ap.parse_args()
    peers = a.peers.split(",")
    tag = os.path.basename(a.tm).rsplit(".", 1)[0]
    with open(a.tm, encoding="utf-8") as f:
        raw = [l.rstrip("\n") for l in f]
    choices = [utils.default_process(s) for s in raw]
    with open(a.queries, encoding="utf-8") as f:
        qraw = [l.rstrip("\n") for l in f][: a.n]
    queries = [utils.default_process(q) for q in qraw]
    n = len(queries)

    # Truth: rapidfuzz brute force.
    t0 = time.time()
    truth = []
    for i in range(0, n, 4):
        m = process.cdist(queries[i:i + 4], choices, scorer=fuzz.ratio, score_cutoff=a.min,
                          workers=2, dtype=np.float32)
        for row in m:
            top = np.argpartition(-row, a.max)[: a.max]
            top = sorted(top, key=lambda c: (-row[c], c))
            truth.append([(round(float(row[c]), 2), int(c)) for c in top if row[c] >= a.min])
    report("rapidfuzz", truth, truth, time.time() - t0, n)

    words = lambda q: [w for w in q.split() if len(w) >= 3]

    if "fts5" in peers:
        db = os.path.join(a.workdir, f"{tag}.fts5.db")
        t0 = time.time()
        if not os.path.exists(db):
            con = sqlite3.connect(db + ".part")
            con.execute("CREATE VIRTUAL TABLE tm USING fts5(src, tokenize='trigram')")
            con.executemany("INSERT INTO tm(rowid, src) VALUES (?, ?)",
                            ((i, s) for i, s in enumerate(choices)))
            con.commit()
            con.close()
            os.rename(db + ".part", db)
        print(f"fts5_build_s {time.time() - t0:.1f}")
        print(f"fts5_mb {os.path.getsize(db) / 1e6:.0f}")
        con = sqlite3.connect(db)
        t0 = time.time()
        got = []
        for q in queries:
            ws = words(q)
            if not ws:
                got.append([])
                continue
            expr = " OR ".join('"' + w.replace('"', '""') + '"' for w in ws)
            rows = con.execute("SELECT rowid FROM tm WHERE tm MATCH ? ORDER BY rank LIMIT 100",
                               (expr,)).fetchall()
            got.append(rescore(q, [r[0] for r in rows], choices, a.max, a.min))
        report("fts5", truth, got, time.time() - t0, n)

    if "pg" in peers and a.pg:
        import psycopg

        con = psycopg.connect(a.pg, autocommit=True)
        t0 = time.time()
        con.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        table = "fz_" + re.sub(r"\W", "_", tag)
        exists = con.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0]
        if exists is None:
            con.execute(f"CREATE TABLE {table}_part (id integer, src text)")
            with con.cursor().copy(f"COPY {table}_part (id, src) FROM STDIN") as cp:
                for i, s in enumerate(choices):
                    cp.write_row((i, s))
            con.execute(f"CREATE INDEX ON {table}_part USING gin (src gin_trgm_ops)")
            con.execute(f"ALTER TABLE {table}_part RENAME TO {table}")
            con.execute(f"ANALYZE {table}")
        print(f"pg_build_s {time.time() - t0:.1f}")
        t0 = time.time()
        got = []
        for q in queries:
            rows = con.execute(
                f"SELECT id FROM {table} WHERE src %% %s ORDER BY similarity(src, %s) DESC LIMIT 100",
                (q, q)).fetchall()
            got.append(rescore(q, [r[0] for r in rows], choices, a.max, a.min))
        report("pg", truth, got, time.time() - t0, n)

    if "ttk" in peers:
        from translate.search import match
        from translate.storage import base

        # The matcher keeps a heap of (similarity, unit): two candidates with the same
        # similarity are compared as units, which base units do not support.
        base.TranslationUnit.__lt__ = lambda x, y: id(x) < id(y)

        with open(a.tm_target, encoding="utf-8") as f:
            targets = [l.rstrip("\n") for l in f]
        t0 = time.time()
        store = base.TranslationStore()
        for i, (s, t) in enumerate(zip(choices, targets)):
            u = base.TranslationUnit(s)
            u.target = t or "x"
            u.unit_id = i
            store.units.append(u)
        m = match.matcher(store, max_candidates=a.max, min_similarity=a.min, max_length=1000)
        ids = {}
        for i, s in enumerate(choices):
            ids.setdefault(s, i)
        print(f"ttk_build_s {time.time() - t0:.1f}")
        k = min(a.ttk_n, n)
        t0 = time.time()
        got = []
        for q in queries[:k]:
            units = m.matches(q)
            got.append(rescore(q, [ids[u.source] for u in units if u.source in ids], choices,
                               a.max, a.min))
        report("ttk", truth[:k], got, time.time() - t0, k)


if __name__ == "__main__":
    main()
