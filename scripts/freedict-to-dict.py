#!/usr/bin/env python3
"""Converts a FreeDict dictd dictionary (Debian's dict-freedict-XXX-YYY: XXX-YYY.index and
.dict.dz under /usr/share/dictd/) into dragoman's dictionary format (hunalign's: one
`target phrase @ source phrase` entry a line), for `dragoman align --dict`.

FreeDict's dictionaries are GPL-2+: dragoman does not ship the result; convert it locally:

    python3 scripts/freedict-to-dict.py /usr/share/dictd/freedict-ara-eng > ara-eng.dic

Each headword gives one entry per sense (senses split on `,` and `;`, parenthesised notes
dropped), senses of more than MAX_WORDS words skipped (a phrase matches only when all its words
are in the sentence, so long glosses never match).
"""
import gzip
import re
import sys

MAX_WORDS = 3
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(s):
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: freedict-to-dict.py /usr/share/dictd/freedict-ara-eng (no extension)")
    base = sys.argv[1]
    with gzip.open(base + ".dict.dz", "rb") as f:
        data = f.read()
    seen = set()
    out = sys.stdout
    with open(base + ".index", encoding="utf-8") as idx:
        for line in idx:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00database"):
                continue
            head, off, size = parts[0], b64(parts[1]), b64(parts[2])
            body = data[off:off + size].decode("utf-8", "replace").splitlines()
            if not body:
                continue
            word = re.sub(r"/[^/]*/", "", body[0]).strip() or head
            for l in body[1:]:
                m = re.match(r"\s*(?:\d+\.\s*)?(.*)", l)
                sense = re.sub(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>", " ", m.group(1))
                for g in re.split(r"[,;]", sense):
                    g = " ".join(g.split())
                    if not g or len(g.split()) > MAX_WORDS or " @ " in g or "@" in word:
                        continue
                    e = (g.lower(), word)
                    if e not in seen:
                        seen.add(e)
                        out.write(f"{g} @ {word}\n")


if __name__ == "__main__":
    main()
