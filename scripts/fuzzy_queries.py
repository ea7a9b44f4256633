#!/usr/bin/env python3
"""Deterministic fuzzy-lookup queries: edited segments of a TM (scripts/fuzzy-bench.sh).

usage: fuzzy_queries.py TM.ar N OUT [--seed S] [--from-first K]

Reads the line-aligned Arabic side of a TM made by ../shared/bench/perf/gen_tm.py (tm-N.ar),
picks N segments among the first K lines (default 100000: gen_tm.py's TMs share their first
units, so one query set serves every size) and writes one query a line to OUT:

  15% a number changed (or a word replaced when the segment has no number)
  20% one word replaced            15% one word inserted        10% one or two words deleted
  25% three to eight mixed edits (insert, delete, replace: the 50-74 band and below)
   5% unchanged (the 100% case)
  10% no match at all: nonsense Arabic words that occur nowhere in the TM

Inserted and replacing words are drawn from other segments of the TM, so they are real
vocabulary. Also writes OUT.phrases: 100 two-word phrases (consecutive words of TM segments)
for the concordance timing.
"""
import argparse
import random
import re

AR_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
DIGITS = "0123456789"
EASTERN = "٠١٢٣٤٥٦٧٨٩"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tm")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--from-first", type=int, default=100000)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    lines = []
    with open(a.tm, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= a.from_first:
                break
            lines.append(line.rstrip("\n"))
    vocab = [w for line in lines[:20000] for w in line.split() if not re.search(r"[0-9٠-٩]", w)]
    queries = []
    kinds = (["number"] * 15 + ["replace"] * 20 + ["insert"] * 15 + ["delete"] * 10
             + ["mixed"] * 25 + ["same"] * 5 + ["none"] * 10)
    while len(queries) < a.n:
        kind = kinds[len(queries) % len(kinds)]
        if kind == "none":
            words = ["".join(rng.choice(AR_LETTERS) for _ in range(rng.randint(4, 8)))
                     + "ظظ" for _ in range(rng.randint(6, 18))]
            queries.append(" ".join(words))
            continue
        src = lines[rng.randrange(len(lines))].split()
        if len(src) < 4:
            continue
        w = list(src)
        if kind == "same":
            pass
        elif kind == "number":
            idx = [i for i, t in enumerate(w) if re.search(r"[0-9٠-٩]", t)]
            if idx:
                i = rng.choice(idx)
                w[i] = "".join(
                    (rng.choice(DIGITS) if c in DIGITS else rng.choice(EASTERN) if c in EASTERN else c)
                    for c in w[i])
            else:
                w[rng.randrange(len(w))] = rng.choice(vocab)
        elif kind == "replace":
            w[rng.randrange(len(w))] = rng.choice(vocab)
        elif kind == "insert":
            w.insert(rng.randrange(len(w) + 1), rng.choice(vocab))
        elif kind == "delete":
            for _ in range(rng.randint(1, 2)):
                if len(w) > 2:
                    del w[rng.randrange(len(w))]
        else:
            for _ in range(rng.randint(3, 8)):
                op = rng.choice("idr")
                if op == "i":
                    w.insert(rng.randrange(len(w) + 1), rng.choice(vocab))
                elif op == "d" and len(w) > 2:
                    del w[rng.randrange(len(w))]
                else:
                    w[rng.randrange(len(w))] = rng.choice(vocab)
        queries.append(" ".join(w))
    with open(a.out, "w", encoding="utf-8") as f:
        for q in queries:
            f.write(q + "\n")
    phrases = []
    while len(phrases) < 100:
        src = lines[rng.randrange(len(lines))].split()
        words = [t for t in src if re.fullmatch(r"[\u0621-\u064a\u064b-\u0652]+", t)]
        if len(words) >= 2:
            i = rng.randrange(len(words) - 1)
            phrases.append(words[i] + " " + words[i + 1])
    with open(a.out + ".phrases", "w", encoding="utf-8") as f:
        for p in phrases:
            f.write(p + "\n")


if __name__ == "__main__":
    main()
