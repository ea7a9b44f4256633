//! Sentence alignment: two lists of sentences -> links between them, each with a confidence.
//!
//! The aligner follows what translators do: keep a sentence (1-1), merge two or three (2-1,
//! 3-1), split one (1-2, 1-3), rewrite two as two (2-2), drop one (1-0) or add one (0-1).
//! A link's cost adds (see [`cost`] and [`anchors`]):
//! - the Gale-Church length cost, with the length ratio estimated from the document pair and
//!   the variance fitted per language pair;
//! - the link shape's prior;
//! - a bonus for anchors the two sides share (numbers in any digits, Latin tokens inside
//!   Arabic text, dictionary entries), a larger one for an anchor found in only one sentence
//!   of each document (it cannot be a coincidence with a neighbour, so it says which of two
//!   neighbours has no counterpart), and a penalty for punctuation that does not survive
//!   (`?`/`؟`, `!`, quotes, parentheses);
//! - soft paragraph penalties: a link that crosses a paragraph end on one side, or ends at a
//!   paragraph end on one side only, costs more.
//!
//! The search ([`search`]) is a banded Viterbi pass, linear in time and memory in the length
//! of the documents. Each link's score is a calibrated function of its *margin*: how much
//! worse the best local alternative without that link is.
//!
//! Invariants of [`Aligner::align`]: every sentence of each side is in exactly one link; links
//! are in order on both sides; scores are in [0, 1].
//!
//! Measured (dev sets in `../shared/data`, `scripts/align-eval.sh`, docs/align.md): strict F1
//! of the shipped weights on the dev documents they were fitted on, ar-en NTREX flat 0.986,
//! para 0.987, PUD flat 0.984, para 0.992; ar-fr PUD flat 0.966, para 0.981. Two-fold
//! cross-validated (fitted on one half, scored on the other; mean of the two folds): 0.972,
//! 0.978, 0.974, 0.981; 0.968, 0.979. Scores are calibrated (`scripts/align-calibrate.sh`):
//! links at or above [`REVIEW_THRESHOLD`] are right 99.4% of the time, those below 80%. Most
//! remaining errors sit next to a dropped or added sentence (`scripts/align-errors.sh`): which
//! of two neighbours has no counterpart is often a coin toss for lengths alone. 1M sentences
//! a side align in about 26 s of CPU and 650 MB, 29 s when the length ratio drifts
//! (`scripts/align-bench.sh`, docs/align.md). Setting `DRAGOMAN_DEBUG`
//! prints the time of each stage to stderr.
//!
//! ```
//! use dragoman::align::{Aligner, Params, Sentence};
//! let s = |text| Sentence { text, para: 0 };
//! let src = [s("مرحبا بكم في عام 2024."), s("كيف حالك؟")];
//! let tgt = [s("Welcome to 2024."), s("How are you?")];
//! let links = Aligner::new(Params::default()).align(&src, &tgt);
//! assert_eq!(links.len(), 2);
//! assert_eq!(links[1].kind(), (1, 1));
//! ```

use std::path::Path;

use crate::lang::Lang;

pub mod anchors;
pub mod cost;
pub mod dict;
mod guide;
pub mod lexicon;
mod link;
pub mod report;
pub mod search;

pub use dict::Dictionary;
pub use link::{format_ids, parse_links, Link};

use anchors::{mostly_latin, side_features, DictSide};
use cost::{move_prior_costs, variance_for, LengthModel, MOVES};
use search::{margins, viterbi, Band, Scorer};

/// One sentence as the aligner sees it.
#[derive(Debug, Clone, Copy)]
pub struct Sentence<'a> {
    /// The sentence text.
    pub text: &'a str,
    /// Its paragraph index.
    pub para: usize,
}

/// Links scoring below this are listed for review by `build`.
///
/// Chosen on the dev sets (NTREX and PUD, ar-en and ar-fr, flat and para). With the shipped
/// weights (3463 links), the 7% of links below it are right 80% of the time and hold 49 of the
/// 69 errors; the links above it are right 99.4% of the time.
pub const REVIEW_THRESHOLD: f64 = 0.9;

/// Alignment errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A corrections (links) file is unusable.
    #[error("{path}:{line}: {message}")]
    Corrections {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A dictionary file is unusable.
    #[error("{path}:{line}: {message}")]
    Dictionary {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Fixed links that cannot be kept: out of order, overlapping, or beyond the documents.
    #[error("fixed link #{} ({link}): {message}", .index + 1)]
    Fixed {
        /// 0-based position of the link in the list given (shown 1-based: `#1` is the first).
        index: usize,
        /// The link, as TSV ids.
        link: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// Weights of the cost terms, in nats. The defaults were fitted on all dev documents by the
/// coordinate search of `scripts/align-eval.sh` (a handful of global numbers, no per-document
/// tuning; docs/align.md has the fit and its cross-validated figures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Bonus per number both sides share.
    pub number: f64,
    /// Penalty per number on one side of a link that the other side does not have (dropped
    /// sentences are exempt, which is the point: a sentence whose numbers match nothing is
    /// the better one to drop).
    pub number_miss: f64,
    /// Bonus per Latin token shared (a name or acronym kept in Latin script).
    pub word: f64,
    /// Bonus for dictionary entries shared, times their cosine (shared entries over the
    /// geometric mean of each sentence's entries), so that long sentences full of common words
    /// do not attract merges.
    pub dict: f64,
    /// Bonus per name-like word whose consonant skeleton both sides share (transliterated
    /// names between Arabic and Latin script).
    pub name: f64,
    /// ... when the skeleton has five consonants or more (`Cambridgeshire`, `kmbrdgsr`).
    pub long_name: f64,
    /// Penalty per unmatched `?`, `!`, double quote, parenthesis (one weight each).
    pub punct: [f64; 4],
    /// Extra cost of a link with an empty side (on top of its prior).
    pub indel: f64,
    /// Penalty for a link that spans a paragraph end on one side.
    pub para_cross: f64,
    /// Penalty for a link that ends a paragraph on one side only.
    pub para_edge: f64,
    /// ... when the other side's paragraph ends one sentence away (a dropped sentence).
    pub para_near: f64,
    /// Cost per sentence end that the link shape does not explain (a segment holding two
    /// sentences linked 1-1, or a merge whose single side holds both sentences, which earns
    /// this as a bonus).
    pub sentences: f64,
    /// Bonus per anchor (number, Latin token, name) that the two sentences share and that
    /// occurs in no other sentence of either document, on top of its kind's bonus (which the
    /// fit sets to 0 for numbers and names: their evidence is this bonus and `number_miss`).
    pub unique: f64,
    /// Penalty per sentence inside a merge (2-1, 1-2, 3-1...) that has anchors but shares
    /// none with the other side: such a sentence is more likely dropped (1-0) or added (0-1)
    /// than merged, whatever the lengths say.
    pub unsupported: f64,
    /// Penalty per sentence without a final stop (a headline) merged with the next one.
    pub open_merge: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        // The all-dev fit of `scripts/align-eval.sh` (one pass, as shipped; docs/align.md).
        Weights {
            number: 0.0,
            number_miss: 1.33,
            word: 0.5,
            dict: 3.0,
            name: 0.0,
            long_name: 0.0,
            punct: [1.5, 1.0, 0.5, 0.5],
            indel: 0.665,
            para_cross: 6.0,
            para_edge: 4.0,
            para_near: 2.0,
            sentences: 1.0,
            unique: 3.99,
            unsupported: 0.5,
            open_merge: 4.0,
        }
    }
}

/// The names of [`Weights::to_values`]'s entries, in order.
pub const WEIGHT_NAMES: [&str; 18] = [
    "number",
    "word",
    "dict",
    "punct?",
    "punct!",
    "punct\"",
    "punct(",
    "indel",
    "para_cross",
    "para_edge",
    "para_near",
    "sentences",
    "name",
    "number_miss",
    "long_name",
    "unique",
    "unsupported",
    "open_merge",
];

impl Weights {
    /// The weights as numbers, in the order of [`WEIGHT_NAMES`] (what the tuning scripts
    /// read and write).
    pub fn to_values(&self) -> [f64; 18] {
        let p = self.punct;
        [
            self.number,
            self.word,
            self.dict,
            p[0],
            p[1],
            p[2],
            p[3],
            self.indel,
            self.para_cross,
            self.para_edge,
            self.para_near,
            self.sentences,
            self.name,
            self.number_miss,
            self.long_name,
            self.unique,
            self.unsupported,
            self.open_merge,
        ]
    }

    /// Weights from numbers in the order of [`WEIGHT_NAMES`]; missing trailing entries keep
    /// their defaults.
    pub fn from_values(v: &[f64]) -> Weights {
        let mut a = Weights::default().to_values();
        for (x, y) in a.iter_mut().zip(v) {
            *x = *y;
        }
        Weights {
            number: a[0],
            word: a[1],
            dict: a[2],
            punct: [a[3], a[4], a[5], a[6]],
            indel: a[7],
            para_cross: a[8],
            para_edge: a[9],
            para_near: a[10],
            sentences: a[11],
            name: a[12],
            number_miss: a[13],
            long_name: a[14],
            unique: a[15],
            unsupported: a[16],
            open_merge: a[17],
        }
    }
}

/// Knobs of the aligner.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// Source language, selects the fitted length variance.
    pub src_lang: Option<Lang>,
    /// Target language.
    pub tgt_lang: Option<Lang>,
    /// A bilingual dictionary (hunalign's format) for extra anchors.
    pub dictionary: Option<Dictionary>,
    /// Draw a progress bar on stderr for large inputs (hidden when stderr is not a terminal).
    pub progress: bool,
    /// Cost weights; the defaults are fitted.
    pub weights: Weights,
    /// Align twice: learn a translation lexicon from the first pass's confident 1-1 links
    /// (see [`lexicon`]) and align again with it (hunalign's realign). Off by default: as
    /// built it lowered strict F1 by 0.01-0.04 on the dev sets (docs/align.md); documents of
    /// more than [`REALIGN_MAX`] sentences a side are aligned once.
    pub realign: bool,
    /// What the realign lexicon keeps.
    pub lexicon: lexicon::LexiconParams,
}

/// Documents longer than this (sentences, either side) are not realigned: the second pass
/// would double the time of inputs that already take seconds.
pub const REALIGN_MAX: usize = 100_000;
/// First-pass links at or above this score feed the realign lexicon.
const REALIGN_MIN_SCORE: f64 = 0.9;

/// The dictionary weight ([`Weights::dict`]) when a lexicon learned from the user's TM joins
/// the dictionary (`align --tm`, `build --tm`; see [`lexicon::from_tm`]): fitted on the
/// tuning half of `TM=1 scripts/align-eval.sh`, docs/align.md.
pub const TM_DICT_WEIGHT: f64 = 2.0;

/// Above this many cells, the search is banded rather than whole.
const FULL_SEARCH_CELLS: usize = 4_000_000;
/// First half-width of the band.
const FIRST_BAND: usize = 24;
/// The band widens while the cells of every pass so far and the next stay under this (the
/// time of a pass is linear in its cells; 150M is the first pass and one doubling at a
/// million sentences, about a minute on this machine's cores), so that no input can take
/// minutes or gigabytes; a path still at the band's edge then is kept as it is.
const WIDEN_BUDGET: usize = 150_000_000;
/// Documents with more sentences than this on a side get a progress bar (when asked).
const PROGRESS_MIN: usize = 20_000;

/// Turns a margin (nats) into a confidence: a logistic regression of "the link is in the
/// gold" on the margin, fitted on the links of the six dev sets (3440 links, with the weights
/// shipped before issue 13). With the current weights (3463 links), mean score and precision
/// agree within 0.01 in the bins from 0.7 up; links scoring 0.5-0.7 are right 73% of the time
/// for a mean score of 0.64 (`scripts/align-calibrate.sh`).
fn confidence(margin: f32) -> f64 {
    let (a, b) = (0.864, 0.247);
    1.0 / (1.0 + (-(a * margin as f64 + b)).exp())
}

/// The aligner.
#[derive(Debug, Clone, Default)]
pub struct Aligner {
    params: Params,
}

impl Aligner {
    /// An aligner with `params`.
    pub fn new(params: Params) -> Aligner {
        Aligner { params }
    }

    /// Aligns two sides; every sentence is in exactly one link, in order.
    pub fn align(&self, src: &[Sentence], tgt: &[Sentence]) -> Vec<Link> {
        let first = self.align_forced(src, tgt, None, None);
        match self.realigner(src, tgt, &first) {
            Some(second) => second.align_forced(src, tgt, None, None),
            None => first,
        }
    }

    /// The aligner of the second pass: this one with the lexicon learned from the confident
    /// 1-1 links of `first` added to its dictionary; `None` when realign is off, the input
    /// too long, or nothing was learned.
    fn realigner(&self, src: &[Sentence], tgt: &[Sentence], first: &[Link]) -> Option<Aligner> {
        let p = &self.params;
        if !p.realign || src.len().max(tgt.len()) > REALIGN_MAX {
            return None;
        }
        let pairs = first
            .iter()
            .filter(|l| l.kind() == (1, 1) && l.score >= REALIGN_MIN_SCORE)
            .map(|l| (src[l.src.start].text, tgt[l.tgt.start].text));
        let lex = lexicon::learn(pairs, &p.lexicon);
        if lex.is_empty() {
            return None;
        }
        let dict = p.dictionary.clone().unwrap_or_default().with_entries(&lex);
        Some(Aligner::new(Params {
            dictionary: Some(dict),
            realign: false,
            ..p.clone()
        }))
    }

    fn align_forced(
        &self,
        src: &[Sentence],
        tgt: &[Sentence],
        src_forced: Option<&[bool]>,
        tgt_forced: Option<&[bool]>,
    ) -> Vec<Link> {
        let (n, m) = (src.len(), tgt.len());
        if n == 0 || m == 0 {
            let one = |i| Link {
                src: if n == 0 { 0..0 } else { i..i + 1 },
                tgt: if m == 0 { 0..0 } else { i..i + 1 },
                score: 1.0,
            };
            return (0..n.max(m)).map(one).collect();
        }
        let p = &self.params;
        let (sl, tl) = (mostly_latin(src), mostly_latin(tgt));
        let dict = p.dictionary.as_ref();
        let t = std::time::Instant::now();
        let mut fs = side_features(src, sl, tl, dict.map(|d| (d, DictSide::Source)));
        let ft = side_features(tgt, tl, sl, dict.map(|d| (d, DictSide::Target)));
        let banded = (n + 1).saturating_mul(m + 1) > FULL_SEARCH_CELLS;
        // Long documents: the path estimated from anchors centres the band, and its local
        // length ratio corrects the lengths (see `guide`).
        let guide = banded
            .then(|| guide::Guide::from_anchors(&fs, &ft))
            .flatten();
        if let Some(g) = &guide {
            g.rescale(&mut fs);
        }
        if std::env::var_os("DRAGOMAN_DEBUG").is_some() {
            eprintln!("features: {:.2?}", t.elapsed());
        }
        let s2 = variance_for(p.src_lang.as_ref(), p.tgt_lang.as_ref());
        let sc = Scorer {
            src: &fs,
            tgt: &ft,
            model: LengthModel::fit(fs.prefix[n], ft.prefix[m], s2),
            prior: move_prior_costs(),
            w: &p.weights,
            paragraphs: fs.paragraphs() > 1 && ft.paragraphs() > 1,
            src_forced,
            tgt_forced,
            unique: anchors::unique_pairs(&fs, &ft),
        };
        let pb = (p.progress && n.max(m) >= PROGRESS_MIN).then(|| {
            let pb = indicatif::ProgressBar::new(n as u64);
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "aligning {bar:40} {pos}/{len} sentences ({eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
        let path = if !banded {
            viterbi(&sc, &Band::full(n, m), pb.as_ref())
        } else {
            let mut half = FIRST_BAND;
            let mut spent = 0usize;
            loop {
                let band = match &guide {
                    Some(g) => Band::around(&g.center, m, half),
                    None => Band::around_lengths(&fs, &ft, half),
                };
                spent += band.cells();
                if let Some(pb) = &pb {
                    pb.reset();
                }
                let t = std::time::Instant::now();
                let path = viterbi(&sc, &band, pb.as_ref());
                if std::env::var_os("DRAGOMAN_DEBUG").is_some() {
                    let worst = path
                        .iter()
                        .map(|&(i, j)| {
                            let c = (band.lo[i] + band.hi[i]) / 2;
                            (j as i64 - c as i64, i)
                        })
                        .max_by_key(|x| x.0.abs());
                    eprintln!(
                        "band half-width {half}: {:.2?}, worst {worst:?}",
                        t.elapsed()
                    );
                }
                if half >= m
                    || !band.touched(&path, m, 3)
                    || spent + 2 * band.cells() > WIDEN_BUDGET
                {
                    break path;
                }
                half *= 2;
            }
        };
        if let Some(pb) = pb {
            pb.finish_and_clear();
        }
        let t = std::time::Instant::now();
        let margin = margins(&sc, &path);
        if std::env::var_os("DRAGOMAN_DEBUG").is_some() {
            eprintln!("margins: {:.2?}", t.elapsed());
        }
        path.windows(2)
            .zip(margin)
            .map(|(w, mg)| Link {
                src: w[0].0..w[1].0,
                tgt: w[0].1..w[1].1,
                score: confidence(mg),
            })
            .collect()
    }

    /// Aligns two sides keeping `fixed` links exactly, aligning the gaps between them.
    ///
    /// `fixed` is what a person corrected (see [`parse_links`]): only some links, in order on
    /// both sides and not overlapping. A fixed link with an empty side (`5<TAB>`: source 5 has
    /// no counterpart) says only that its sentence stays unlinked; where it goes on the other
    /// side is decided by the aligner. Fixed links keep their score (1.0 when read without
    /// one).
    ///
    /// # Errors
    /// [`Error::Fixed`] when a fixed link reaches past the end of a document, has two empty
    /// sides, overlaps or comes before the previous fixed link on either side.
    ///
    /// ```
    /// use dragoman::align::{Aligner, Link, Params, Sentence};
    /// let s = |text| Sentence { text, para: 0 };
    /// let src = [s("a"), s("b"), s("c")];
    /// let tgt = [s("A"), s("B"), s("C")];
    /// let fixed = [Link { src: 0..2, tgt: 0..1, score: 1.0 }];
    /// let links = Aligner::default().align_fixed(&src, &tgt, &fixed).unwrap();
    /// assert_eq!(links[0], fixed[0]);
    /// assert_eq!(links.last().unwrap().src.end, 3);
    /// ```
    pub fn align_fixed(
        &self,
        src: &[Sentence],
        tgt: &[Sentence],
        fixed: &[Link],
    ) -> Result<Vec<Link>, Error> {
        let first = self.fixed_pass(src, tgt, fixed)?;
        match self.realigner(src, tgt, &first) {
            Some(second) => second.fixed_pass(src, tgt, fixed),
            None => Ok(first),
        }
    }

    fn fixed_pass(
        &self,
        src: &[Sentence],
        tgt: &[Sentence],
        fixed: &[Link],
    ) -> Result<Vec<Link>, Error> {
        let (n, m) = (src.len(), tgt.len());
        let mut src_forced = vec![false; n];
        let mut tgt_forced = vec![false; m];
        let mut anchors: Vec<&Link> = Vec::new();
        let (mut s_end, mut t_end) = (0usize, 0usize);
        for (index, l) in fixed.iter().enumerate() {
            let bad = |message: String| Error::Fixed {
                index,
                link: link_ids(l),
                message,
            };
            if l.src.is_empty() && l.tgt.is_empty() {
                return Err(bad("a link needs at least one sentence".into()));
            }
            if l.src.end > n {
                return Err(bad(format!("the source has only {n} sentences")));
            }
            if l.tgt.end > m {
                return Err(bad(format!("the target has only {m} sentences")));
            }
            for (side, r, end) in [
                ("source", &l.src, &mut s_end),
                ("target", &l.tgt, &mut t_end),
            ] {
                if r.is_empty() {
                    continue;
                }
                if r.start < *end {
                    return Err(bad(format!(
                        "{side} sentence {} is already in an earlier fixed link \
                         (fixed links must be in order and must not overlap)",
                        r.start
                    )));
                }
                *end = r.end;
            }
            if l.src.is_empty() {
                tgt_forced[l.tgt.start] = true;
            } else if l.tgt.is_empty() {
                src_forced[l.src.start] = true;
            } else {
                anchors.push(l);
            }
        }
        // Check that removals sit between the anchors consistently: a removed sentence must
        // not fall inside an anchor (already excluded by the order checks above).
        let mut out = Vec::with_capacity(n.max(m));
        let (mut i, mut j) = (0usize, 0usize);
        let gap = |i0: usize, i1: usize, j0: usize, j1: usize, out: &mut Vec<Link>| {
            let sub = self.align_forced(
                &src[i0..i1],
                &tgt[j0..j1],
                Some(&src_forced[i0..i1]),
                Some(&tgt_forced[j0..j1]),
            );
            for mut l in sub {
                let fixed_removal =
                    (l.src.len() == 1 && l.tgt.is_empty() && src_forced[i0 + l.src.start])
                        || (l.tgt.len() == 1 && l.src.is_empty() && tgt_forced[j0 + l.tgt.start]);
                l.src = l.src.start + i0..l.src.end + i0;
                l.tgt = l.tgt.start + j0..l.tgt.end + j0;
                if fixed_removal {
                    let k = if l.src.is_empty() {
                        l.tgt.start
                    } else {
                        l.src.start
                    };
                    let side_src = !l.src.is_empty();
                    l.score = fixed
                        .iter()
                        .find(|f| {
                            if side_src {
                                f.tgt.is_empty() && f.src.start == k
                            } else {
                                f.src.is_empty() && f.tgt.start == k
                            }
                        })
                        .map_or(1.0, |f| f.score);
                }
                out.push(l);
            }
        };
        for a in anchors {
            gap(i, a.src.start, j, a.tgt.start, &mut out);
            out.push(a.clone());
            i = a.src.end;
            j = a.tgt.end;
        }
        gap(i, n, j, m, &mut out);
        Ok(out)
    }
}

fn link_ids(l: &Link) -> String {
    let s = l.to_string();
    s.rsplit_once('\t')
        .map_or(s.clone(), |(ids, _)| ids.replace('\t', " <-> "))
}

/// Reads a dictionary, see [`Dictionary::from_path`].
///
/// # Errors
/// As [`Dictionary::from_path`].
pub fn read_dictionary(path: &Path) -> Result<Dictionary, Error> {
    Dictionary::from_path(path)
}

/// Every move the search uses, as `(source count, target count)`: 1-1, 1-0, 0-1, 2-1, 1-2,
/// 2-2, 3-1, 1-3.
pub fn link_kinds() -> &'static [(usize, usize)] {
    &MOVES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(texts: &[&'static str]) -> Vec<Sentence<'static>> {
        texts
            .iter()
            .map(|&text| Sentence { text, para: 0 })
            .collect()
    }

    fn check_cover(links: &[Link], n: usize, m: usize) {
        let (mut i, mut j) = (0, 0);
        for l in links {
            assert!(!(l.src.is_empty() && l.tgt.is_empty()));
            if !l.src.is_empty() {
                assert_eq!(l.src.start, i);
                i = l.src.end;
            }
            if !l.tgt.is_empty() {
                assert_eq!(l.tgt.start, j);
                j = l.tgt.end;
            }
            assert!((0.0..=1.0).contains(&l.score));
        }
        assert_eq!((i, j), (n, m));
    }

    #[test]
    fn finds_a_merge_by_length() {
        let src = sents(&[
            "This is a sentence of medium length here.",
            "Short one.",
            "Another one.",
            "A final sentence that is reasonably long too.",
        ]);
        let tgt = sents(&[
            "This is a sentence of medium length here.",
            "Short one; another one.",
            "A final sentence that is reasonably long too.",
        ]);
        let links = Aligner::default().align(&src, &tgt);
        check_cover(&links, 4, 3);
        assert_eq!(links[1].kind(), (2, 1));
    }

    #[test]
    fn a_merged_sentence_without_lexical_support_is_dropped_instead() {
        let src = sents(&[
            "A long sentence about the weather here today.",
            "In 1999 it rained.",
            "Another sentence of fair length follows now.",
        ]);
        let tgt = sents(&[
            "A long sentence about the weather here today; that day it poured.",
            "Another sentence of fair length follows now.",
        ]);
        let with = |unsupported| {
            let mut p = Params::default();
            p.weights.unsupported = unsupported;
            let links = Aligner::new(p).align(&src, &tgt);
            check_cover(&links, 3, 2);
            links.iter().map(Link::kind).collect::<Vec<_>>()
        };
        // Lengths alone merge the number sentence into its neighbour...
        assert!(with(0.0).contains(&(2, 1)), "{:?}", with(0.0));
        // ... its unmatched number makes it the dropped one.
        assert!(with(6.0).contains(&(1, 0)), "{:?}", with(6.0));
    }

    #[test]
    fn empty_sides() {
        let a = Aligner::default();
        let s = sents(&["a", "b"]);
        let l = a.align(&s, &[]);
        assert_eq!(l.len(), 2);
        check_cover(&l, 2, 0);
        check_cover(&a.align(&[], &s), 0, 2);
        assert!(a.align(&[], &[]).is_empty());
    }

    #[test]
    fn banded_search_matches_whole_search_on_a_long_document() {
        let texts: Vec<String> = (0..3000)
            .map(|i| "word ".repeat(3 + (i * 7919) % 23) + &i.to_string())
            .collect();
        let src: Vec<Sentence> = texts
            .iter()
            .map(|t| Sentence { text: t, para: 0 })
            .collect();
        // Drop every 100th sentence from the target.
        let tgt: Vec<Sentence> = src
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 100 != 50)
            .map(|(_, s)| *s)
            .collect();
        let links = Aligner::default().align(&src, &tgt);
        check_cover(&links, src.len(), tgt.len());
        let ones = links.iter().filter(|l| l.kind() == (1, 1)).count();
        assert!(ones >= 2950, "{ones}");
    }

    /// A long document whose target is written twice as long in stretches (the length
    /// ratio drifts), a number every 40th sentence: the diagonal from lengths strays and the
    /// length cost of the whole document's ratio prefers wrong merges; the guide from the
    /// numbers centres the band and rescales the lengths (without the rescaling this fails).
    #[test]
    fn a_long_document_whose_length_ratio_drifts_is_aligned_one_to_one() {
        let n = 6000;
        let src_t: Vec<String> = (0..n)
            .map(|i| {
                let w = "word ".repeat(3 + (i * 7919) % 23);
                if i % 40 == 0 {
                    format!("{w}{}", 10_000 + i)
                } else {
                    w
                }
            })
            .collect();
        // Stretches of 700 sentences alternate between the same length and twice as long.
        let tgt_t: Vec<String> = src_t
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if (i / 700) % 2 == 1 {
                    format!("{t} {t}")
                } else {
                    t.clone()
                }
            })
            .collect();
        let src: Vec<Sentence> = src_t
            .iter()
            .map(|t| Sentence { text: t, para: 0 })
            .collect();
        let tgt: Vec<Sentence> = tgt_t
            .iter()
            .map(|t| Sentence { text: t, para: 0 })
            .collect();
        let links = Aligner::default().align(&src, &tgt);
        check_cover(&links, n, n);
        let right = links
            .iter()
            .filter(|l| l.kind() == (1, 1) && l.src.start == l.tgt.start)
            .count();
        assert!(right >= n * 98 / 100, "{right} of {n}");
    }

    #[test]
    fn fixed_links_are_kept_and_gaps_aligned() {
        let src = sents(&[
            "One two three.",
            "Four five six seven.",
            "Eight.",
            "Nine ten.",
        ]);
        let tgt = sents(&[
            "One two three.",
            "Four five six seven.",
            "Eight.",
            "Nine ten.",
        ]);
        let a = Aligner::default();
        let fixed = vec![
            Link {
                src: 1..3,
                tgt: 1..2,
                score: 1.0,
            },
            Link {
                src: 0..0,
                tgt: 2..3,
                score: 1.0,
            },
        ];
        let links = a.align_fixed(&src, &tgt, &fixed).unwrap();
        check_cover(&links, 4, 4);
        assert!(links.contains(&fixed[0]));
        assert!(links.iter().any(|l| l.tgt == (2..3) && l.src.is_empty()));
        assert_eq!(links[0].kind(), (1, 1));
    }

    #[test]
    fn fixed_links_out_of_order_are_refused() {
        let s = sents(&["a", "b", "c"]);
        let a = Aligner::default();
        let l = |s: std::ops::Range<usize>, t: std::ops::Range<usize>| Link {
            src: s,
            tgt: t,
            score: 1.0,
        };
        let e = a
            .align_fixed(&s, &s, &[l(1..2, 1..2), l(0..1, 2..3)])
            .unwrap_err();
        assert!(e.to_string().contains("must be in order"), "{e}");
        let e = a
            .align_fixed(&s, &s, &[l(0..2, 0..1), l(1..2, 1..2)])
            .unwrap_err();
        assert!(e.to_string().contains("source sentence 1"), "{e}");
        let e = a.align_fixed(&s, &s, &[l(2..4, 2..3)]).unwrap_err();
        assert!(e.to_string().contains("only 3"), "{e}");
    }
}
