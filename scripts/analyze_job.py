#!/usr/bin/env python3
"""A deterministic translation job made of edited TM segments (scripts/analyze-bench.sh).

usage: analyze_job.py TM.ar N OUT [--seed S]

Reads the line-aligned Arabic side of a TM made by ../shared/bench/perf/gen_tm.py (tm-N.ar)
and writes OUT, one paragraph a line (the layout `dragoman analyze` reads), N lines:

  90% edited TM segments from scripts/fuzzy_queries.py (numbers changed, words replaced,
      inserted, deleted, mixed edits, unchanged, no match at all), drawn from the whole TM;
   6% runs of six consecutive unchanged TM segments (the context-match case: gen_tm.py's
      units come in documents, so most of a run's inner segments have the same neighbours);
   4% lines repeated from earlier in the job (repetitions).
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tm")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with open(a.tm, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    n_runs = a.n * 6 // 100 // 6
    n_reps = a.n * 4 // 100
    n_edit = a.n - 6 * n_runs - n_reps
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as d:
        q = os.path.join(d, "q.txt")
        subprocess.run([sys.executable, os.path.join(here, "fuzzy_queries.py"), a.tm,
                        str(n_edit), q, "--seed", str(a.seed), "--from-first",
                        str(len(lines))], check=True)
        with open(q, encoding="utf-8") as f:
            edited = [l.rstrip("\n") for l in f]
    blocks = [[e] for e in edited]
    for _ in range(n_runs):
        i = rng.randrange(len(lines) - 6)
        blocks.append(lines[i:i + 6])
    rng.shuffle(blocks)
    job = [l for b in blocks for l in b]
    for _ in range(n_reps):
        at = rng.randrange(1, len(job))
        job.insert(at, job[rng.randrange(at)])
    with open(a.out, "w", encoding="utf-8") as f:
        for l in job[: a.n]:
            f.write(l + "\n")


if __name__ == "__main__":
    main()
