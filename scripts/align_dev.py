"""What scripts/align-calibrate.sh and scripts/align-errors.sh share: the alignment dev sets
in ../shared/data, the reader of the links TSV, and one `dragoman align` run per document."""
import glob
import subprocess

# (directory under data/, target language)
SETS = [("ar-en-alignment/ntrex/dev/flat", "en"), ("ar-en-alignment/ntrex/dev/para", "en"),
        ("ar-en-alignment/pud/dev/flat", "en"), ("ar-en-alignment/pud/dev/para", "en"),
        ("ar-fr-alignment/pud/dev/flat", "fr"), ("ar-fr-alignment/pud/dev/para", "fr")]


def parse(text):
    """Links of a links TSV: (source ids, target ids, score or None)."""
    out = []
    for line in text.splitlines():
        if line.strip():
            c = line.split("\t")
            out.append((tuple(int(x) for x in c[0].split(",") if x),
                        tuple(int(x) for x in c[1].split(",") if x),
                        float(c[2]) if len(c) > 2 else None))
    return out


def documents(binary, shared):
    """For every dev document: (set, gold links, links dragoman predicts)."""
    for d, tl in SETS:
        for gl in sorted(glob.glob(f"{shared}/data/{d}/*.links")):
            b = gl[:-6]
            with open(gl, encoding="utf-8") as f:
                gold = parse(f.read())
            out = subprocess.run([binary, "align", "--presegmented", "--source-lang", "ar",
                                  "--target-lang", tl, b + ".ar", b + "." + tl],
                                 capture_output=True, text=True, check=True).stdout
            yield d, gold, parse(out)
