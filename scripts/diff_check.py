#!/usr/bin/env python3
"""Checks a `dragoman diff --format csv` report against gen_tm.py's ground truth
(tm-N.rev.changes.tsv: tuid, en, fr): every edit found, nothing else reported.

usage: diff_check.py changes.tsv report.csv   (exit 0 when they agree)
"""
import csv
import sys


def main():
    truth = set()
    with open(sys.argv[1], encoding="utf-8") as f:
        next(f)
        for line in f:
            tuid, en, fr = line.rstrip("\n").split("\t")
            if en == "1":
                truth.add((tuid, "en"))
            if fr == "1":
                truth.add((tuid, "fr"))
    found, other = set(), []
    with open(sys.argv[2], encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] == "edited" and row["lang"]:
                found.add((row["id"], row["lang"]))
            else:
                other.append((row["id"], row["lang"], row["status"]))
    missed = truth - found
    extra = found - truth
    print(f"ground truth {len(truth)} edited targets; reported {len(found)}; "
          f"missed {len(missed)}; extra {len(extra)}; other rows {len(other)}")
    for x in sorted(missed)[:5]:
        print("  missed", x)
    for x in sorted(extra)[:5]:
        print("  extra", x)
    for x in other[:5]:
        print("  other", x)
    sys.exit(0 if not missed and not extra and not other else 1)


if __name__ == "__main__":
    main()
