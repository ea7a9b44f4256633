//! Matching two versions of a plain-text translation (one paragraph a line, as in
//! `translations/LANG/`), so that units correspond even where a reviewer split or merged
//! sentences.
//!
//! With the source ([`through_source`]): the source and both versions are segmented as
//! `dragoman build` does, each version is aligned to the source with the same aligner, and
//! units are the coarsest groups of source sentences that both alignments keep whole (where
//! both have a link boundary). A sentence the reviewer split is then one unit, its old
//! sentence against its two new ones; two merged sentences likewise. Target sentences with no
//! source (0-1 links) stay with the unit before them.
//!
//! Without the source ([`monolingual`]): the two versions are aligned to each other, the
//! aligner's length-based cost working as well within one language as across two; each link
//! is a unit (1-1 edited or unchanged, 1-2 a split, 2-1 a merge, 1-0 removed, 0-1 added).

use std::ops::Range;
use std::path::Path;

use crate::align::{format_ids, Aligner, Link, Params};
use crate::error::Result;
use crate::lang::Lang;
use crate::pipeline::{align_pair, check_language, Segmented};
use crate::tm::{Entry, Unit, Variant};

use super::Pair;

fn aligner(src: &Lang, tgt: &Lang) -> Aligner {
    Aligner::new(Params {
        src_lang: Some(src.clone()),
        tgt_lang: Some(tgt.clone()),
        ..Params::default()
    })
}

fn read(path: &Path, lang: &Lang) -> Result<Segmented> {
    let s = Segmented::from_path(path, lang)?;
    check_language(&s.doc, lang)?;
    Ok(s)
}

fn entry(id: String, variants: Vec<Variant>) -> Entry {
    Entry::from(Unit {
        id: Some(id),
        variants,
        ..Default::default()
    })
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Units of two versions of a translation of `src`, matched through the source (see the
/// module docs). Unit ids are `STEM:ids` of the source sentences (0-based, as in `build`).
///
/// # Errors
/// Unreadable files, invalid UTF-8, text in the wrong script for its language.
pub fn through_source(
    src: &Path,
    old: &Path,
    new: &Path,
    src_lang: &Lang,
    tgt_lang: &Lang,
) -> Result<Vec<Pair>> {
    let source = read(src, src_lang)?;
    let o = read(old, tgt_lang)?;
    let n = read(new, tgt_lang)?;
    let al = aligner(src_lang, tgt_lang);
    let (lo, _) = align_pair(&al, &source, &o, None)?;
    let (ln, _) = align_pair(&al, &source, &n, None)?;
    let stem = stem(src);
    let mut out = Vec::new();
    for g in groups(source.segments.len(), &[&lo, &ln]) {
        let src_text = source.join(&g);
        let side = |doc: &Segmented, links: &[Link]| -> Option<String> {
            let r = targets(links, &g, source.segments.len())?;
            let t = doc.join(&r);
            (!t.is_empty()).then_some(t)
        };
        let (ot, nt) = (side(&o, &lo), side(&n, &ln));
        if ot.is_none() && nt.is_none() {
            continue;
        }
        let id = format!("{stem}:{}", format_ids(&g));
        let mk = |t: Option<String>| {
            t.map(|t| {
                entry(
                    id.clone(),
                    vec![
                        Variant::new(src_lang.as_str(), src_text.clone()),
                        Variant::new(tgt_lang.as_str(), t),
                    ],
                )
            })
        };
        out.push((mk(ot), mk(nt)));
    }
    Ok(out)
}

/// The anchor of each link: its first source sentence, or for a target-only link the last
/// source sentence before it (0 at the start).
fn anchors(links: &[Link]) -> Vec<usize> {
    let mut last = 0;
    links
        .iter()
        .map(|l| {
            if l.src.is_empty() {
                last
            } else {
                last = l.src.end - 1;
                l.src.start
            }
        })
        .collect()
}

/// The coarsest grouping of `0..n` source sentences that every link set keeps whole.
fn groups(n: usize, sets: &[&[Link]]) -> Vec<Range<usize>> {
    let mut cut = vec![true; n + 1];
    for links in sets {
        let mut starts = vec![false; n + 1];
        starts[0] = true;
        starts[n] = true;
        for l in links.iter().filter(|l| !l.src.is_empty()) {
            starts[l.src.start] = true;
        }
        for i in 0..=n {
            cut[i] &= starts[i];
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (end, _) in cut.iter().enumerate().skip(1).filter(|(_, &c)| c) {
        out.push(start..end);
        start = end;
    }
    out
}

/// The target sentences of the links anchored in group `g`, if any.
fn targets(links: &[Link], g: &Range<usize>, _n: usize) -> Option<Range<usize>> {
    let mut r: Option<Range<usize>> = None;
    for (l, a) in links.iter().zip(anchors(links)) {
        let inside = if l.src.is_empty() {
            g.contains(&a)
        } else {
            l.src.start >= g.start && l.src.end <= g.end
        };
        if inside && !l.tgt.is_empty() {
            r = Some(match r {
                None => l.tgt.clone(),
                Some(t) => t.start..l.tgt.end,
            });
        }
    }
    r
}

/// Units of two versions of a text in `lang`, aligned to each other (see the module docs).
/// Unit ids are `STEM:old ids>new ids`.
///
/// # Errors
/// As [`through_source`].
pub fn monolingual(old: &Path, new: &Path, lang: &Lang) -> Result<Vec<Pair>> {
    let o = read(old, lang)?;
    let n = read(new, lang)?;
    if o.segments.is_empty() && n.segments.is_empty() {
        return Ok(Vec::new());
    }
    let links = aligner(lang, lang).align(&o.sentences(), &n.sentences());
    let stem = stem(new);
    let mut out = Vec::new();
    for l in links {
        let id = format!("{stem}:{}>{}", format_ids(&l.src), format_ids(&l.tgt));
        let mk = |doc: &Segmented, r: &Range<usize>| {
            (!r.is_empty())
                .then(|| entry(id.clone(), vec![Variant::new(lang.as_str(), doc.join(r))]))
        };
        out.push((mk(&o, &l.src), mk(&n, &l.tgt)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(s: Range<usize>, t: Range<usize>) -> Link {
        Link {
            src: s,
            tgt: t,
            score: 0.9,
        }
    }

    #[test]
    fn groups_keep_splits_and_merges_whole() {
        // Old: 1-1 everywhere. New: source 1 split in two (1-2), sources 2 and 3 merged (2-1).
        let old = [
            link(0..1, 0..1),
            link(1..2, 1..2),
            link(2..3, 2..3),
            link(3..4, 3..4),
        ];
        let new = [link(0..1, 0..1), link(1..2, 1..3), link(2..4, 3..4)];
        let g = groups(4, &[&old, &new]);
        assert_eq!(g, vec![0..1, 1..2, 2..4]);
        assert_eq!(targets(&old, &(2..4), 4), Some(2..4));
        assert_eq!(targets(&new, &(1..2), 4), Some(1..3));
    }

    #[test]
    fn target_only_sentences_stay_with_the_unit_before() {
        let links = [link(0..1, 0..1), link(1..1, 1..2), link(1..2, 2..3)];
        assert_eq!(targets(&links, &(0..1), 2), Some(0..2));
        assert_eq!(targets(&links, &(1..2), 2), Some(2..3));
    }
}
