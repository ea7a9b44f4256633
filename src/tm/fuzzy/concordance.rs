//! Concordance: every unit whose source (or target) contains a phrase, with the phrase's
//! places in the original text for highlighting.
//!
//! A phrase matches a run of consecutive keys (words and numbers; punctuation and codes in
//! between are ignored) of the [normalised](super::normalize()) text, word by word. In Arabic
//! each word may carry clitic prefixes: a conjunction `و` or `ف`, then a preposition `ب`, `ك`
//! or `ل`, then the article `ال` (`ل` + `ال` is written `لل`), so `وقف إطلاق` finds
//! `لوقف الإطلاق` and `كتاب` finds `والكتاب`. Numbers match by value (`٦٬٥٠٠` finds `6,500`).
//!
//! With an [`Index`], candidates come from the inverted lists of the rarest phrase word (the
//! union over its clitic forms), and each is checked on its stored keys: no text is read
//! until a hit is printed ([`Index::highlights`]).

use std::ops::Range;

use rayon::prelude::*;

use super::index::Index;
use super::tokens::{tokenize, NumValue, NumberStyle, TokenKind, Tokens, NUMBER_KEY};

/// Which text of the units to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    /// The source.
    #[default]
    Source,
    /// The target.
    Target,
}

/// A prepared phrase: each word with the forms it may take in the text.
#[derive(Debug, Clone)]
pub struct Phrase {
    words: Vec<PhraseWord>,
}

#[derive(Debug, Clone)]
struct PhraseWord {
    /// Normalised forms (the word, and with Arabic clitics); [`NUMBER_KEY`] for a number.
    forms: Vec<String>,
    /// A number's canonical value.
    number: Option<String>,
}

/// The forms an Arabic word (normalised) takes with clitic prefixes, the word itself first.
///
/// ```
/// use dragoman::tm::fuzzy::clitic_forms;
/// let f = clitic_forms("كتاب");
/// for w in ["كتاب", "الكتاب", "والكتاب", "بكتاب", "للكتاب", "فبالكتاب"] {
///     assert!(f.contains(&w.to_string()), "{w}");
/// }
/// assert!(clitic_forms("الكتاب").contains(&"للكتاب".to_string()));
/// ```
pub fn clitic_forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let rest = word.strip_prefix("ال");
    for c in ["", "و", "ف"] {
        for p in ["", "ب", "ك", "ل"] {
            match rest {
                Some(r) if p == "ل" => out.push(format!("{c}لل{r}")),
                Some(_) => out.push(format!("{c}{p}{word}")),
                None => {
                    for a in ["", "ال"] {
                        if p == "ل" && !a.is_empty() {
                            out.push(format!("{c}لل{word}"));
                        } else {
                            out.push(format!("{c}{p}{a}{word}"));
                        }
                    }
                }
            }
        }
    }
    let first = out[0].clone();
    out.sort();
    out.dedup();
    out.retain(|w| *w != first);
    out.insert(0, first);
    out
}

fn uses_clitics(lang: &str) -> bool {
    let p = lang.split(['-', '_']).next().unwrap_or(lang);
    p.eq_ignore_ascii_case("ar")
}

impl Phrase {
    /// Prepares `phrase` for searching texts in `lang`. `None` when it has no word or number.
    pub fn new(phrase: &str, lang: &str) -> Option<Phrase> {
        let t = tokenize(phrase);
        let style = NumberStyle::for_lang(lang);
        let words: Vec<PhraseWord> = t
            .tokens
            .iter()
            .filter_map(|x| match x.kind {
                TokenKind::Word if uses_clitics(lang) => Some(PhraseWord {
                    forms: clitic_forms(t.text(x)),
                    number: None,
                }),
                TokenKind::Word => Some(PhraseWord {
                    forms: vec![t.text(x).to_string()],
                    number: None,
                }),
                TokenKind::Number => Some(PhraseWord {
                    forms: vec![NUMBER_KEY.to_string()],
                    number: Some(NumValue::parse(t.text(x), style).canonical()),
                }),
                _ => None,
            })
            .collect();
        (!words.is_empty()).then_some(Phrase { words })
    }

    /// Where the phrase is in `text` (in `lang`): byte ranges of the original text, from the
    /// first letter of the first word (its clitics included) to the end of the last word.
    ///
    /// ```
    /// use dragoman::tm::fuzzy::Phrase;
    /// let p = Phrase::new("وقف إطلاق", "ar").unwrap();
    /// let text = "دعا إلى الوقفِ الفوري لإطلاق النار، ثم لوقف إطلاق النار.";
    /// let spans = p.find(text, "ar");
    /// assert_eq!(spans.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(), ["لوقف إطلاق"]);
    /// ```
    pub fn find(&self, text: &str, lang: &str) -> Vec<Range<usize>> {
        let t = tokenize(text);
        let style = NumberStyle::for_lang(lang);
        let keyed: Vec<usize> = (0..t.tokens.len())
            .filter(|&i| t.key(&t.tokens[i]).is_some())
            .collect();
        let n = self.words.len();
        let mut out = Vec::new();
        let mut i = 0;
        while i + n <= keyed.len() {
            if (0..n).all(|j| self.word_matches(j, &t, keyed[i + j], style)) {
                let first = &t.tokens[keyed[i]];
                let last = &t.tokens[keyed[i + n - 1]];
                out.push(t.norm.original_tight(first.span.start..last.span.end, text));
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }

    fn word_matches(&self, j: usize, t: &Tokens, tok: usize, style: NumberStyle) -> bool {
        let w = &self.words[j];
        let tok = &t.tokens[tok];
        match &w.number {
            Some(v) => {
                tok.kind == TokenKind::Number
                    && NumValue::parse(t.text(tok), style).canonical() == *v
            }
            None => tok.kind == TokenKind::Word && w.forms.iter().any(|f| f == t.text(tok)),
        }
    }

    fn has_numbers(&self) -> bool {
        self.words.iter().any(|w| w.number.is_some())
    }
}

/// Separator of the parts of an [`index_terms`] term: the tatweel, which normalisation removes
/// from every text, so no key holds it, and which a plain tokenizer (SQLite FTS5's `ascii`)
/// keeps inside a token as it does any non-ASCII letter.
const TERM_SEP: char = '\u{640}';

/// The term of one key of a text in `lang`: `LANG` + sep + key, the tag's hyphens and any
/// ASCII character but letters and digits written as the separator too (a lossy mapping is
/// fine: the terms only pick candidates, which [`Phrase::find`] then checks).
fn term(lang: &str, key: &str, number: bool, out: &mut String) {
    out.clear();
    let mut push = |c: char| {
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            out.push(TERM_SEP);
        } else {
            out.push(c.to_ascii_lowercase());
        }
    };
    lang.chars().for_each(&mut push);
    push('-');
    if number {
        push('#');
    }
    key.chars().for_each(push);
}

/// The terms a lasting concordance index keeps for `text` in `lang` (a store's, see
/// `tm::store`): each distinct word key (normalised) and number value, tagged with the
/// language, so that one index serves every language of a multilingual TM. A phrase's units
/// are those holding a term of every [`Phrase::index_terms`] group.
///
/// ```
/// use dragoman::tm::fuzzy::{index_terms, Phrase};
/// let text = index_terms("وقال المتحدث إن الدعم بلغ ٦٬٥٠٠ دينار", "ar");
/// let p = Phrase::new("الدعم بلغ 6500", "ar").unwrap();
/// assert!(p.index_terms("ar").iter().all(|g| g.iter().any(|t| text.contains(t))));
/// let other = Phrase::new("الدعم بلغ 7500", "ar").unwrap();
/// assert!(!other.index_terms("ar").iter().all(|g| g.iter().any(|t| text.contains(t))));
/// ```
pub fn index_terms(text: &str, lang: &str) -> Vec<String> {
    let t = tokenize(text);
    let style = NumberStyle::for_lang(lang);
    let mut out: Vec<String> = Vec::new();
    let mut buf = String::new();
    for x in &t.tokens {
        match x.kind {
            TokenKind::Word => term(lang, t.text(x), false, &mut buf),
            TokenKind::Number => term(
                lang,
                &NumValue::parse(t.text(x), style).canonical(),
                true,
                &mut buf,
            ),
            _ => continue,
        }
        out.push(buf.clone());
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Phrase {
    /// The [`index_terms`] each phrase word may take in a text in `lang` (its clitic forms, a
    /// number's value): a unit contains the phrase only if it holds a term of every group.
    pub fn index_terms(&self, lang: &str) -> Vec<Vec<String>> {
        let mut buf = String::new();
        self.words
            .iter()
            .map(|w| match &w.number {
                Some(v) => {
                    term(lang, v, true, &mut buf);
                    vec![buf.clone()]
                }
                None => w
                    .forms
                    .iter()
                    .map(|f| {
                        term(lang, f, false, &mut buf);
                        buf.clone()
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A unit that contains the phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcordanceHit {
    /// The unit's position in the index.
    pub unit: usize,
    /// How many times the phrase occurs in it.
    pub count: usize,
}

impl Index {
    /// Every unit whose `field` contains `phrase`, in unit order. Searching the target uses its
    /// inverted lists when [`Index::build_target_side`] has built them, else reads every
    /// target (correct, slower).
    ///
    /// ```
    /// use dragoman::tm::{Entry, Unit, Variant};
    /// use dragoman::tm::fuzzy::{Field, Index};
    /// let e = |ar: &str| Entry::from(Unit {
    ///     variants: vec![Variant::new("ar", ar), Variant::new("en", "x")], ..Default::default() });
    /// let index = Index::from_entries([e("أعلن وقف إطلاق النار"), e("لوقف الإطلاق"), e("وقف")], "ar", "en");
    /// let hits = index.concordance("وقف إطلاق", Field::Source);
    /// assert_eq!(hits.iter().map(|h| h.unit).collect::<Vec<_>>(), [0, 1]);
    /// assert_eq!(index.highlights(1, Field::Source, "وقف إطلاق"), vec![0.."لوقف الإطلاق".len()]);
    /// ```
    pub fn concordance(&self, phrase: &str, field: Field) -> Vec<ConcordanceHit> {
        let lang = self.field_lang(field);
        let Some(p) = Phrase::new(phrase, lang) else {
            return Vec::new();
        };
        let side = match field {
            Field::Source => Some(&self.src),
            Field::Target => self.tgt.as_ref(),
        };
        let Some(side) = side else {
            return (0..self.len())
                .filter_map(|u| {
                    let count = p.find(self.target(u), lang).len();
                    (count > 0).then_some(ConcordanceHit { unit: u, count })
                })
                .collect();
        };
        let ids: Vec<Vec<u32>> = p
            .words
            .iter()
            .map(|w| {
                let mut v: Vec<u32> = w
                    .forms
                    .iter()
                    .filter_map(|f| side.vocab.get(f.as_str()).copied())
                    .collect();
                v.sort_unstable();
                v
            })
            .collect();
        if ids.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let size = |v: &Vec<u32>| v.iter().map(|&k| side.units_with(k).len()).sum::<usize>();
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&j| size(&ids[j]));
        let words = self.len().div_ceil(64);
        // Units whose count is known without reading their keys (bit set: one occurrence).
        let mut exact: Option<Vec<u64>> = None;
        // The cheapest adjacent word pair in the pair lists, when they are built and cheaper
        // than the rarest word (two frequent words: `في من`).
        let pair = side.pairs.get().and_then(|pl| {
            (0..ids.len().saturating_sub(1))
                .map(|j| (pl.cost(side, &ids[j], &ids[j + 1]), j))
                .min()
                .filter(|&(c, _)| c < size(&ids[order[0]]))
                .map(|(_, j)| (pl, j))
        });
        let (bits, cands) = if let Some((pl, j)) = pair {
            let c = pl.candidates(side, &ids[j], &ids[j + 1], words);
            if ids.len() == 2 && !p.has_numbers() {
                exact = Some(c.exact);
            }
            (c.bits, c.count)
        } else {
            // Candidates: the units holding a form of every phrase word, as a bitmap over the
            // units (lists are sorted by unit length, not by unit). Setting a bit costs a few
            // nanoseconds, checking a unit's keys a cache miss or two, so a further word's
            // lists are intersected while they are not much longer than the candidates so far
            // (the rarest word alone leaves every unit of a frequent second word to check).
            let union = |v: &Vec<u32>| {
                let mut bits = vec![0u64; words];
                for &k in v {
                    for &u in side.units_with(k) {
                        bits[u as usize / 64] |= 1 << (u % 64);
                    }
                }
                bits
            };
            let mut bits = union(&ids[order[0]]);
            let mut cands = size(&ids[order[0]]);
            for &j in &order[1..] {
                if size(&ids[j]) > 16 * cands.max(1024) {
                    break;
                }
                let other = union(&ids[j]);
                cands = 0;
                for (b, o) in bits.iter_mut().zip(&other) {
                    *b &= o;
                    cands += b.count_ones() as usize;
                }
            }
            (bits, cands)
        };
        // Which phrase words each key may stand for: bit j for word j.
        let n = ids.len();
        let mut mask = KeyBits::default();
        for (j, v) in ids.iter().enumerate().take(if n <= 8 { n } else { 0 }) {
            for &k in v {
                mask.add(k, 1 << j);
            }
        }
        let text_of = |u: usize| match field {
            Field::Source => self.matching_source(u),
            Field::Target => self.target(u),
        };
        // Checked on every core, in blocks of the bitmap, so the hits stay in unit order.
        let check = |(w, &word): (usize, &u64)| {
            let mut out = Vec::new();
            let mut word = word;
            let known = exact.as_ref().map_or(0, |e| e[w]);
            while word != 0 {
                let bit = word & word.wrapping_neg();
                let u = w * 64 + word.trailing_zeros() as usize;
                word &= word - 1;
                if known & bit != 0 {
                    out.push(ConcordanceHit { unit: u, count: 1 });
                    continue;
                }
                let keys = side.unit_keys(u);
                let count = if n <= 8 {
                    count_runs_masked(keys, &mask, n)
                } else {
                    count_runs(keys, &ids, n)
                };
                if count == 0 {
                    continue;
                }
                let count = if p.has_numbers() {
                    p.find(text_of(u), lang).len()
                } else {
                    count
                };
                if count > 0 {
                    out.push(ConcordanceHit { unit: u, count });
                }
            }
            out
        };
        let out: Vec<ConcordanceHit> = if cands < 4096 {
            bits.iter().enumerate().flat_map(check).collect()
        } else {
            bits.par_iter()
                .enumerate()
                .with_min_len(256)
                .flat_map_iter(check)
                .collect()
        };
        out
    }

    /// Builds the lists of adjacent frequent-word pairs of `field` (the target's only when
    /// [`Index::build_target_side`] has built its lists), so that a phrase of two frequent
    /// words (`في من`, in a tenth of a TM) reads one list instead of checking every unit
    /// that has both words. Worth it for many searches on one index (a server, a benchmark);
    /// without it [`Index::concordance`] is as correct, and slower only on such phrases.
    /// Does nothing when they exist.
    pub fn build_phrase_lists(&self, field: Field) {
        let side = match field {
            Field::Source => Some(&self.src),
            Field::Target => self.tgt.as_ref(),
        };
        if let Some(side) = side {
            side.pairs.get_or_init(|| PairLists::build(side));
        }
    }

    /// Where `phrase` is in unit `unit`'s `field`: byte ranges of [`Index::source`] or
    /// [`Index::target`], for highlighting.
    pub fn highlights(&self, unit: usize, field: Field, phrase: &str) -> Vec<Range<usize>> {
        let lang = self.field_lang(field);
        let text = match field {
            Field::Source => self.source(unit),
            Field::Target => self.target(unit),
        };
        Phrase::new(phrase, lang).map_or_else(Vec::new, |p| p.find(text, lang))
    }

    fn field_lang(&self, field: Field) -> &str {
        match field {
            Field::Source => self.source_lang(),
            Field::Target => self.target_lang(),
        }
    }
}

/// The inverted lists of adjacent key pairs `(a, b)` where both keys are *frequent* (in at
/// least a thousandth of the units, 64 at least), one posting per occurrence, in unit order. A pair with
/// a rarer key needs no list: the rarer key's own list is short. So a pair of phrase words
/// costs the pair lists of their frequent forms plus the unit lists of their rare forms,
/// instead of every unit that has both words.
#[derive(Debug)]
pub(crate) struct PairLists {
    /// Per vocabulary key: frequent (in at least `min_len` units of `build_with`) or not.
    frequent: Vec<bool>,
    /// Pair keys (`a << 32 | b`), sorted, and each one's range in `postings`.
    keys: Vec<u64>,
    ranges: Vec<(u32, u32)>,
    postings: Vec<u32>,
}

/// Candidates of a pair of phrase words: units with an occurrence of the pair (`bits`), those
/// of them whose only occurrence is one pair-list posting (`exact`), and their number.
struct PairCandidates {
    bits: Vec<u64>,
    exact: Vec<u64>,
    count: usize,
}

fn pair_key(a: u32, b: u32) -> u64 {
    u64::from(a) << 32 | u64::from(b)
}

impl PairLists {
    fn build(side: &super::index::Side) -> PairLists {
        PairLists::build_with(side, (side.units() / 1024).max(64))
    }

    fn build_with(side: &super::index::Side, min_len: usize) -> PairLists {
        let units = side.units();
        let frequent: Vec<bool> = (0..side.vocab.len() as u32)
            .map(|k| side.units_with(k).len() >= min_len)
            .collect();
        let pairs = |u: usize| {
            side.unit_keys(u)
                .windows(2)
                .filter(|w| frequent[w[0] as usize] && frequent[w[1] as usize])
                .map(|w| pair_key(w[0], w[1]))
        };
        // Pass 1: occurrences per pair; pass 2: fill in unit order.
        let mut at: super::index::FxMap<u64, (u32, u32)> = Default::default();
        for u in 0..units {
            for k in pairs(u) {
                at.entry(k).or_insert((0, 0)).1 += 1;
            }
        }
        let mut keys: Vec<u64> = at.keys().copied().collect();
        keys.sort_unstable();
        let mut total = 0u32;
        let mut ranges = Vec::with_capacity(keys.len());
        for k in &keys {
            let e = at.get_mut(k).map_or((0, 0), |e| {
                *e = (total, total + e.1);
                *e
            });
            ranges.push(e);
            total = e.1;
        }
        let mut postings = vec![0u32; total as usize];
        for u in 0..units {
            for k in pairs(u) {
                if let Some(e) = at.get_mut(&k) {
                    postings[e.0 as usize] = u as u32;
                    e.0 += 1;
                }
            }
        }
        PairLists {
            frequent,
            keys,
            ranges,
            postings,
        }
    }

    pub(crate) fn bytes(&self) -> usize {
        self.frequent.capacity()
            + 8 * self.keys.capacity()
            + 8 * self.ranges.capacity()
            + 4 * self.postings.capacity()
    }

    fn frequent(&self, k: u32) -> bool {
        self.frequent.get(k as usize).copied().unwrap_or(false)
    }

    fn list(&self, a: u32, b: u32) -> &[u32] {
        match self.keys.binary_search(&pair_key(a, b)) {
            Ok(i) => {
                let (s, e) = self.ranges[i];
                &self.postings[s as usize..e as usize]
            }
            Err(_) => &[],
        }
    }

    /// Postings read for the word pair with forms `a` then `b`.
    fn cost(&self, side: &super::index::Side, a: &[u32], b: &[u32]) -> usize {
        let mut c = 0;
        for &x in a {
            if !self.frequent(x) {
                c += side.units_with(x).len();
                continue;
            }
            for &y in b {
                if self.frequent(y) {
                    c += self.list(x, y).len();
                }
            }
        }
        c + b
            .iter()
            .filter(|&&y| !self.frequent(y))
            .map(|&y| side.units_with(y).len())
            .sum::<usize>()
    }

    /// Every unit where a form of `a` is followed by a form of `b`, and more (units with a
    /// rare form, to check on their keys).
    fn candidates(
        &self,
        side: &super::index::Side,
        a: &[u32],
        b: &[u32],
        words: usize,
    ) -> PairCandidates {
        let mut bits = vec![0u64; words];
        let mut twice = vec![0u64; words];
        let mut check = vec![0u64; words];
        let mark = |set: &mut Vec<u64>, u: u32| set[u as usize / 64] |= 1 << (u % 64);
        for &x in a {
            if !self.frequent(x) {
                side.units_with(x).iter().for_each(|&u| mark(&mut check, u));
                continue;
            }
            for &y in b.iter().filter(|&&y| self.frequent(y)) {
                for &u in self.list(x, y) {
                    let (w, bit) = (u as usize / 64, 1u64 << (u % 64));
                    twice[w] |= bits[w] & bit;
                    bits[w] |= bit;
                }
            }
        }
        for &y in b.iter().filter(|&&y| !self.frequent(y)) {
            side.units_with(y).iter().for_each(|&u| mark(&mut check, u));
        }
        let mut count = 0;
        let mut exact = twice;
        for ((e, b), c) in exact.iter_mut().zip(bits.iter_mut()).zip(&check) {
            *e = *b & !*e & !c;
            *b |= c;
            count += b.count_ones() as usize;
        }
        PairCandidates { bits, exact, count }
    }
}

/// Which phrase words (bit `j` for word `j`) each of a few keys may stand for: a small
/// open-addressing table that stays in the cache (an array over the whole vocabulary, of
/// millions of keys, missed the cache on nearly every key of every unit checked).
#[derive(Debug)]
struct KeyBits {
    slots: Vec<(u32, u8)>,
}

impl Default for KeyBits {
    fn default() -> KeyBits {
        KeyBits {
            slots: vec![(u32::MAX, 0); 64],
        }
    }
}

impl KeyBits {
    fn slot(&self, k: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (k.wrapping_mul(0x9E37_79B9) >> 7) as usize & mask;
        while self.slots[i].0 != k && self.slots[i].0 != u32::MAX {
            i = (i + 1) & mask;
        }
        i
    }

    fn add(&mut self, k: u32, bits: u8) {
        let used = self.slots.iter().filter(|s| s.0 != u32::MAX).count();
        if 2 * (used + 1) > self.slots.len() {
            let size = 2 * self.slots.len();
            let old = std::mem::replace(&mut self.slots, vec![(u32::MAX, 0); size]);
            for (k, b) in old.into_iter().filter(|s| s.0 != u32::MAX) {
                let i = self.slot(k);
                self.slots[i] = (k, b);
            }
        }
        let i = self.slot(k);
        self.slots[i].0 = k;
        self.slots[i].1 |= bits;
    }

    fn get(&self, k: u32) -> u8 {
        self.slots[self.slot(k)].1
    }
}

/// [`count_runs`] with the word sets as bits of `mask`.
fn count_runs_masked(keys: &[u32], mask: &KeyBits, n: usize) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i + n <= keys.len() {
        if (0..n).all(|j| mask.get(keys[i + j]) & (1 << j) != 0) {
            count += 1;
            i += n;
        } else {
            i += 1;
        }
    }
    count
}

/// Non-overlapping runs of `n` consecutive keys, key `j` of the run in `ids[j]` (sorted).
fn count_runs(keys: &[u32], ids: &[Vec<u32>], n: usize) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i + n <= keys.len() {
        if (0..n).all(|j| ids[j].binary_search(&keys[i + j]).is_ok()) {
            count += 1;
            i += n;
        } else {
            i += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::{Entry, Unit, Variant};

    fn index(rows: &[(&str, &str)]) -> Index {
        Index::from_entries(
            rows.iter().map(|(a, e)| {
                Entry::from(Unit {
                    variants: vec![Variant::new("ar", *a), Variant::new("en", *e)],
                    ..Default::default()
                })
            }),
            "ar",
            "en",
        )
    }

    #[test]
    fn each_clitic_prefix() {
        let rows: Vec<(String, &str)> = [
            "وقف",
            "ووقف",
            "فوقف",
            "بوقف",
            "كوقف",
            "لوقف",
            "الوقف",
            "والوقف",
            "بالوقف",
            "للوقف",
            "فللوقف",
        ]
        .iter()
        .map(|w| (format!("أعلن {w} القتال"), "x"))
        .collect();
        let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        let idx = index(&rows);
        let hits = idx.concordance("وقف القتال", Field::Source);
        assert_eq!(hits.len(), rows.len());
        for h in &hits {
            let spans = idx.highlights(h.unit, Field::Source, "وقف القتال");
            assert_eq!(spans.len(), 1);
            assert!(idx.source(h.unit)[spans[0].clone()].ends_with("وقف القتال"));
        }
    }

    #[test]
    fn not_inside_words_nor_suffixes() {
        let idx = index(&[("موقف ثابت", "x"), ("وقفة", "x"), ("وقفوا", "x")]);
        assert!(idx.concordance("وقف", Field::Source).is_empty());
    }

    #[test]
    fn normalised_and_vocalised() {
        let idx = index(&[("إلى المدرسةِ", "x")]);
        let hits = idx.concordance("الى مدرسه", Field::Source);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            idx.highlights(0, Field::Source, "الى مدرسه"),
            vec![0.."إلى المدرسةِ".len() - "ِ".len()]
        );
    }

    #[test]
    fn numbers_by_value_and_the_target() {
        let mut idx = index(&[
            ("بلغ ٦٬٥٠٠ دينار", "It reached 6,500 dinars"),
            ("بلغ ٥٬٠٠٠ دينار", "It Reached 5,000 Dinars"),
        ]);
        let h = idx.concordance("6,500 دينار", Field::Source);
        assert_eq!(h.iter().map(|h| h.unit).collect::<Vec<_>>(), [0]);
        let scan = idx.concordance("reached", Field::Target);
        idx.build_target_side();
        let listed = idx.concordance("reached", Field::Target);
        assert_eq!(scan, listed);
        assert_eq!(listed.len(), 2);
        assert_eq!(idx.highlights(1, Field::Target, "reached"), vec![3..10]);
    }

    const WORDS: &[&str] = &[
        "في",
        "وفي",
        "من",
        "ومن",
        "الوقف",
        "وقف",
        "للوقف",
        "اطلاق",
        "النار",
        "٥",
        "5",
        "،",
    ];

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(0..WORDS.len(), 0..12)
            .prop_map(|v| v.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" "))
    }

    use proptest::prelude::*;

    proptest! {
        /// The pair lists change the cost, never the hits: every frequency cut-off (1: every
        /// key frequent) against the unit lists alone.
        #[test]
        fn pair_lists_find_what_the_word_lists_find(
            tm in proptest::collection::vec(text(), 1..50),
            phrases in proptest::collection::vec(text(), 1..6),
            min_len in 1usize..8,
        ) {
            let rows: Vec<(&str, &str)> = tm.iter().map(|t| (t.as_str(), "x")).collect();
            let plain = index(&rows);
            let paired = index(&rows);
            let lists = PairLists::build_with(&paired.src, min_len);
            prop_assert!(paired.src.pairs.set(lists).is_ok());
            for p in &phrases {
                prop_assert_eq!(paired.concordance(p, Field::Source), plain.concordance(p, Field::Source), "{}", p);
            }
        }
    }

    #[test]
    fn pair_lists_count_each_occurrence() {
        let rows: Vec<(String, &str)> = (0..70)
            .map(|i| {
                (
                    if i % 2 == 0 {
                        "في من ثم في من"
                    } else {
                        "في ومن"
                    }
                    .to_string(),
                    "x",
                )
            })
            .chain([("من في من".to_string(), "x"), ("لا".to_string(), "x")])
            .collect();
        let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        let idx = index(&rows);
        let before = idx.concordance("في من", Field::Source);
        idx.build_phrase_lists(Field::Source);
        assert!(idx
            .src
            .pairs
            .get()
            .is_some_and(|p| p.frequent(idx.src.vocab["في"])));
        let after = idx.concordance("في من", Field::Source);
        assert_eq!(after, before);
        assert_eq!(after.len(), 71);
        assert_eq!((after[0].count, after[1].count, after[70].count), (2, 1, 1));
    }

    #[test]
    fn every_occurrence() {
        let idx = index(&[("وقف ثم وقف ثم لوقف", "x")]);
        assert_eq!(idx.concordance("وقف", Field::Source)[0].count, 3);
    }
}
