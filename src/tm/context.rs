//! Document context of translation units: the source segments before and after a unit where
//! it stood in its document, which a context (101%) match compares with the job's.
//!
//! A unit's context comes, in this order, from
//! - its `x-context-pre` / `x-context-post` props (the texts of the previous and next source
//!   segments, as memoQ writes them in TMX; an empty value is the document's start or end);
//! - else its `x-document` prop (what `dragoman build` writes, as do Okapi and others): the
//!   previous and next units of the same document, in file order, are its neighbours, and the
//!   first and last units of a document stand at its start and end.
//!
//! Contexts are kept as hashes of the neighbours' trimmed source texts. The hash is FNV-1a,
//! stable across builds, because a store writes them to disk: a store keeps a repeated unit
//! once, so it records every occurrence's context in a table of its own ([`Chain`] makes the
//! rows while the units are imported), and a job compares them with its segments' later.

use std::collections::HashMap;

use super::Prop;

/// No known neighbour: never a context match.
pub const NO_CONTEXT: u64 = 0;
/// The document's start (no previous segment).
pub const START: u64 = 1;
/// The document's end (no next segment).
pub const END: u64 = 2;

/// Hash of a segment text for context comparisons (exact text, trimmed). Values 0-2 are kept
/// for [`NO_CONTEXT`], [`START`] and [`END`].
pub fn text_hash(s: &str) -> u64 {
    (super::store::codec::Fnv::new().str(s.trim()).get() as u64).max(3)
}

/// The context a unit's `x-context-pre` / `x-context-post` values give, when it has either:
/// a non-empty value is that neighbour, an empty one the document's edge, a missing one
/// unknown.
pub fn explicit(pre: Option<&str>, post: Option<&str>) -> Option<(u64, u64)> {
    if pre.is_none() && post.is_none() {
        return None;
    }
    let h = |s: Option<&str>, edge| match s {
        Some(t) if !t.trim().is_empty() => text_hash(t),
        Some(_) => edge,
        None => NO_CONTEXT,
    };
    Some((h(pre, START), h(post, END)))
}

/// One occurrence's context, as a store keeps it: the unit (its identity hash, as the store's
/// `units.hash`), and the previous and next neighbours' [`text_hash`]es (as `i64`, the
/// integer both SQLite and PostgreSQL store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContextRow {
    /// The unit's identity hash.
    pub unit: i64,
    /// The previous segment's hash, or [`START`] / [`NO_CONTEXT`].
    pub prev: i64,
    /// The next segment's hash, or [`END`] / [`NO_CONTEXT`].
    pub next: i64,
}

impl ContextRow {
    fn new(unit: i64, prev: u64, next: u64) -> ContextRow {
        ContextRow {
            unit,
            prev: prev as i64,
            next: next as i64,
        }
    }

    /// `(previous, next)` as [`text_hash`] values.
    pub fn pair(&self) -> (u64, u64) {
        (self.prev as u64, self.next as u64)
    }
}

/// The contexts of the units of one input, in input order: each occurrence is pushed as it is
/// read, and its row is given out once its next neighbour is known (or, at
/// [`Chain::finish`], that it has none). Documents are the `x-document` values of this input
/// only: the same name in two imports is two documents, as in two TM files.
#[derive(Debug, Default)]
pub struct Chain {
    /// The last occurrence of each document seen so far, waiting for its next neighbour.
    open: HashMap<String, Open>,
}

#[derive(Debug)]
struct Open {
    unit: i64,
    prev: u64,
    source: u64,
    /// Its context came from its own props: the chain gives its neighbours only.
    explicit: bool,
}

impl Chain {
    /// Notes one occurrence of unit `unit` with source text `source` and unit props `props`,
    /// and pushes to `out` the rows now known: this one's when its props tell it, the
    /// previous occurrence's of its document when that one waited for a neighbour.
    pub fn push(&mut self, unit: i64, source: &str, props: &[Prop], out: &mut Vec<ContextRow>) {
        let (mut doc, mut pre, mut post) = (None, None, None);
        for p in props {
            match p.kind.as_str() {
                "x-document" if doc.is_none() => doc = Some(&p.value),
                "x-context-pre" if pre.is_none() => pre = Some(p.value.as_str()),
                "x-context-post" if post.is_none() => post = Some(p.value.as_str()),
                _ => {}
            }
        }
        let ex = explicit(pre, post);
        if let Some((p, n)) = ex {
            out.push(ContextRow::new(unit, p, n));
        }
        let Some(doc) = doc else { return };
        let source = text_hash(source);
        let mut now = Open {
            unit,
            prev: START,
            source,
            explicit: ex.is_some(),
        };
        match self.open.get_mut(doc.as_str()) {
            Some(last) => {
                now.prev = last.source;
                let last = std::mem::replace(last, now);
                if !last.explicit {
                    out.push(ContextRow::new(last.unit, last.prev, source));
                }
            }
            None => {
                self.open.insert(doc.clone(), now);
            }
        }
    }

    /// Ends the input: the last occurrence of every document stands at its end.
    pub fn finish(&mut self, out: &mut Vec<ContextRow>) {
        let mut rest: Vec<ContextRow> = self
            .open
            .drain()
            .filter(|(_, o)| !o.explicit)
            .map(|(_, o)| ContextRow::new(o.unit, o.prev, END))
            .collect();
        rest.sort_unstable();
        out.extend(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(d: &str) -> Vec<Prop> {
        vec![Prop::new("x-document", d)]
    }

    #[test]
    fn a_repeated_unit_gets_each_place_it_stood() {
        let mut c = Chain::default();
        let mut out = Vec::new();
        // d1: A X B ; d2: C X (X is unit 9 both times).
        for (u, s, d) in [
            (1, "A", "d1"),
            (9, "X", "d1"),
            (5, "C", "d2"),
            (9, "X", "d2"),
            (2, "B", "d1"),
        ] {
            c.push(u, s, &doc(d), &mut out);
        }
        c.finish(&mut out);
        out.sort_unstable();
        let h = |s| text_hash(s) as i64;
        let mut want = vec![
            ContextRow::new(1, START, text_hash("X")),
            ContextRow::new(9, text_hash("A"), text_hash("B")),
            ContextRow::new(5, START, text_hash("X")),
            ContextRow::new(9, text_hash("C"), END),
            ContextRow::new(2, text_hash("X"), END),
        ];
        want.sort_unstable();
        assert_eq!(out, want);
        assert_eq!(out.iter().filter(|r| r.unit == 9).count(), 2);
        assert!(out.iter().any(|r| r.unit == 9 && r.prev == h("C")));
    }

    #[test]
    fn memoq_props_win_and_units_without_either_have_none() {
        let mut c = Chain::default();
        let mut out = Vec::new();
        let mut p = doc("d");
        p.push(Prop::new("x-context-pre", "Before."));
        p.push(Prop::new("x-context-post", ""));
        c.push(1, "One.", &doc("d"), &mut out);
        c.push(2, "Two.", &p, &mut out);
        c.push(3, "Three.", &doc("d"), &mut out);
        c.push(4, "Loose.", &[], &mut out);
        c.finish(&mut out);
        out.sort_unstable();
        assert_eq!(
            out,
            [
                ContextRow::new(1, START, text_hash("Two.")),
                ContextRow::new(2, text_hash("Before."), END),
                ContextRow::new(3, text_hash("Two."), END),
            ]
        );
    }

    #[test]
    fn hashes_are_stable_and_trimmed() {
        assert_eq!(text_hash(" a "), text_hash("a"));
        assert_ne!(text_hash("a"), text_hash("b"));
        assert!(text_hash("") > END);
        // On disk: must never change between builds.
        assert_eq!(text_hash("a"), 0x089b_c907_b544_c769);
    }
}
