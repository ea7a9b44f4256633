#!/usr/bin/env python3
"""Anchor for `dragoman diff` (scripts/diff-bench.sh): two TMX versions diffed in Python with
lxml (streaming iterparse) and difflib (per-unit word diff of every matched unit's targets).

usage: diff_difflib.py OLD.tmx NEW.tmx > changes.tsv    (tuid, lang, ratio; one line per
changed target). Units are matched by tuid: in step while both files agree (the common case),
through a dict of waiting units otherwise, as dragoman does.
"""
import difflib
import re
import sys

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def units(path):
    for _, tu in etree.iterparse(path, tag="tu", huge_tree=True):
        texts = {}
        for tuv in tu.iter("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if seg is None:
                continue
            # Plain text: inline code content (bpt/ept/ph/it/ut) left out, hi/sub kept.
            parts = [seg.text or ""]
            for el in seg:
                if el.tag in ("hi", "sub"):
                    parts.append("".join(el.itertext()))
                parts.append(el.tail or "")
            texts[lang] = "".join(parts)
        yield tu.get("tuid"), texts
        tu.clear()
        while tu.getprevious() is not None:
            del tu.getparent()[0]


def diff(tuid, a, b, out):
    for lang in sorted(set(a) | set(b)):
        if lang == "ar":
            continue
        x, y = a.get(lang, ""), b.get(lang, "")
        if x == y:
            continue
        sm = difflib.SequenceMatcher(None, WORD.findall(x), WORD.findall(y), autojunk=False)
        sm.get_opcodes()
        out.write(f"{tuid}\t{lang}\t{sm.ratio():.4f}\n")


def main():
    old, new = sys.argv[1], sys.argv[2]
    out = sys.stdout
    wait_old, wait_new = {}, {}
    for (ka, a), (kb, b) in zip(units(old), units(new)):
        if ka == kb:
            diff(ka, a, b, out)
            continue
        if ka in wait_new:
            diff(ka, a, wait_new.pop(ka), out)
        else:
            wait_old[ka] = a
        if kb in wait_old:
            diff(kb, wait_old.pop(kb), b, out)
        else:
            wait_new[kb] = b
    for k in wait_old:
        out.write(f"{k}\tremoved\t0\n")
    for k in wait_new:
        out.write(f"{k}\tadded\t0\n")


if __name__ == "__main__":
    main()
