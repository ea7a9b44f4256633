#!/usr/bin/env python3
"""Reads dragoman's conformance corpus (tests/data/tm/conformance/) with translate-toolkit and
checks that it finds the same units and texts as dragoman (NAME.expected.tsv, which
`cargo test --test tm_conformance` checks against dragoman's readers).

Where both read a file, every unit must agree: same number of units, and translate-toolkit's
source and target text must each be one of the unit's texts in dragoman (the `native`
rendering where the variant has inline codes: native code text kept, as translate-toolkit
shows it). Files where translate-toolkit reads less than the specification says are listed
in KNOWN with the reason; they are reported, not failed.

    /tmp/dragoman-cat-venv/bin/python scripts/conformance-ttk.py [CORPUS_DIR]

Prints one [PASS|FAIL|KNOWN] line per file and ends with 'N passed, N failed'.
Exit status 1 when a file fails.
"""
import collections
import glob
import os
import sys

from translate.storage import tmx, xliff, xliff2

KNOWN = {
    "xlf12-sdlxliff-like.xlf": "translate-toolkit does not read <seg-source> segmentation (what Trados' SDLXLIFF uses): one unit per <trans-unit> instead of one per <mrk mtype=\"seg\">",
    "xlf12-gettext-plurals.xlf": "translate-toolkit joins a gettext plural group (restype=\"x-gettext-plurals\") into one unit with plural forms; dragoman keeps one unit per <trans-unit>, as XLIFF 1.2 has them",
    "xlf12-seg-source.xlf": "translate-toolkit does not read <seg-source> segmentation: one unit per <trans-unit>, where the XLIFF 1.2 spec (2.2.4) and dragoman give one per <mrk mtype=\"seg\">",
    "xlf2-groups-segments.xlf": "translate-toolkit takes a target in state=\"initial\" (a draft or an unconfirmed match, XLIFF 2 4.2.2.4) as the translation; dragoman keeps the source only",
    "xlf12-inline.xlf": "translate-toolkit drops empty codes without native data (<x/>, <bx/>, <ex/>) and glues the words around them ('Line oneline two')",
    "xlf2-inline.xlf": "translate-toolkit drops the native data of <ph dataRef>/<pc dataRefStart> codes and <cp> characters",
}


def unescape(v):
    out, i = [], 0
    while i < len(v):
        c = v[i]
        if c == "\\" and i + 1 < len(v):
            n = v[i + 1]
            out.append({"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expected_units(path):
    """unit number -> {lang: text}, the native rendering preferred; and an error if any."""
    units = collections.OrderedDict()
    error = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            k, field, lang, value = line.rstrip("\n").split("\t", 3)
            k = int(k)
            if field == "error":
                error = unescape(value)
            if k == 0 or field not in ("text", "native"):
                continue
            u = units.setdefault(k, {})
            if field == "native" or lang not in u:
                u[lang] = unescape(value)
    return units, error


def ttk_units(path):
    name = os.path.basename(path)
    if name.endswith(".tmx"):
        store = tmx.tmxfile.parsefile(path)
    elif name.startswith("xlf2"):
        store = xliff2.Xliff2File.parsefile(path)
    else:
        store = xliff.xlifffile.parsefile(path)
    return [(str(u.source or ""), str(u.target or "")) for u in store.units if not u.isheader()]


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "tm", "conformance")
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(corpus, "*"))):
        name = os.path.basename(path)
        if name.endswith(".expected.tsv") or not name.endswith((".tmx", ".xlf")):
            continue
        ours, error = expected_units(path + ".expected.tsv")
        try:
            theirs = ttk_units(path)
        except Exception as e:  # noqa: BLE001 - any failure of the peer is a finding
            if error:
                print(f"[PASS] {name}: both refuse it (dragoman: {error}; ttk: {e})")
                passed += 1
            else:
                print(f"[KNOWN] {name}: translate-toolkit cannot read it ({e}); dragoman reads {len(ours)} units")
            continue
        problems = []
        if error:
            problems.append(f"dragoman refuses it ({error}) but translate-toolkit reads {len(theirs)} units")
        if len(theirs) != len(ours):
            problems.append(f"{len(theirs)} units in translate-toolkit, {len(ours)} in dragoman")
        for i, ((src, tgt), (k, texts)) in enumerate(zip(theirs, ours.items()), 1):
            values = set(texts.values())
            for what, t in (("source", src), ("target", tgt)):
                if t and t not in values:
                    problems.append(f"unit {i}: translate-toolkit's {what} {t!r} is none of dragoman's {sorted(values)!r}")
        if not problems:
            print(f"[PASS] {name}: {len(ours)} units agree")
            passed += 1
        elif name in KNOWN:
            print(f"[KNOWN] {name}: {KNOWN[name]} ({problems[0]})")
        else:
            print(f"[FAIL] {name}: " + "; ".join(problems))
            failed += 1
    for name in KNOWN:
        if not os.path.exists(os.path.join(corpus, name)):
            print(f"[FAIL] {name}: listed in KNOWN but not in the corpus")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
