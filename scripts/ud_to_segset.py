#!/usr/bin/env python3
"""Turn Universal Dependencies CoNLL-U into a sentence-segmentation set (eval_segment.py format).

usage: scripts/ud_to_segset.py OUTDIR FILE.conllu [FILE.conllu...]

Reads whole CoNLL-U files or extracts of them that keep only the comment lines (`# newdoc`,
`# newpar`, `# text = ...`, and `# SpaceAfter=No` after a sentence whose last token has
SpaceAfter=No). Paragraphs start at `# newdoc` and `# newpar`; inside a paragraph, sentences are
joined by one space unless the last token of a sentence has SpaceAfter=No.

Documents are split deterministically in file order: even-ranked documents (0, 2, 4...) form
the tuning half, odd-ranked ones the held-out half. Writes OUTDIR/{tune,heldout}.txt (one
paragraph a line, a blank line between paragraphs) and OUTDIR/{tune,heldout}.gold.txt (one
sentence a line, a blank line between paragraphs), and prints the counts.
"""
import os
import sys


def read_docs(paths):
    """[(doc_id, [paragraph]) ...], a paragraph being [(sentence, space_after)]."""
    docs = []
    for path in paths:
        para = None
        last_misc, mwt_end = "", 0
        with open(path, encoding="utf-8") as f:
            for raw in f:
                line = raw.rstrip("\n")
                if line.startswith("# newdoc"):
                    doc_id = line.split("=", 1)[1].strip() if "=" in line else str(len(docs))
                    docs.append((doc_id, []))
                    para = None
                elif line.startswith("# newpar"):
                    para = None
                elif line.startswith("# text ="):
                    if not docs:
                        docs.append(("doc0", []))
                    if para is None:
                        para = []
                        docs[-1][1].append(para)
                    para.append([line.split("=", 1)[1].strip(), True])
                    last_misc, mwt_end = "", 0
                elif line.strip() == "# SpaceAfter=No" and para:
                    para[-1][1] = False
                elif line and not line.startswith("#"):
                    cols = line.split("\t")
                    if len(cols) != 10 or not para:
                        continue
                    tid = cols[0]
                    if "-" in tid:
                        mwt_end = int(tid.split("-")[1])
                        last_misc = cols[9]
                    elif "." in tid:
                        continue
                    elif int(tid) > mwt_end:
                        last_misc = cols[9]
                elif not line and para:
                    # end of a sentence block: its last surface token decides the space
                    if "SpaceAfter=No" in last_misc.split("|"):
                        para[-1][1] = False
                    last_misc, mwt_end = "", 0
    return [(d, [p for p in ps if p]) for d, ps in docs if any(ps)]


def write(outdir, name, docs):
    paras = [p for _, ps in docs for p in ps]
    raw, gold = [], []
    for p in paras:
        text = ""
        for i, (sent, space) in enumerate(p):
            text += sent
            if i + 1 < len(p) and space:
                text += " "
        raw.append(text)
        gold.append("\n".join(s for s, _ in p))
    with open(os.path.join(outdir, name + ".txt"), "w", encoding="utf-8") as f:
        f.write("\n\n".join(raw) + "\n")
    with open(os.path.join(outdir, name + ".gold.txt"), "w", encoding="utf-8") as f:
        f.write("\n\n".join(gold) + "\n")
    sents = sum(len(p) for p in paras)
    print(f"{name}: {len(docs)} documents, {len(paras)} paragraphs, {sents} sentences, "
          f"{sents - len(paras)} in-paragraph boundaries")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    outdir, paths = sys.argv[1], sys.argv[2:]
    os.makedirs(outdir, exist_ok=True)
    docs = read_docs(paths)
    write(outdir, "tune", docs[0::2])
    write(outdir, "heldout", docs[1::2])


if __name__ == "__main__":
    main()
