//! Edit metrics: word tokens, word and character edit distances, post-edit distance and its
//! effort bands, and the word diff (with a character diff inside changed Arabic words).
//!
//! Definitions (each checked by hand in the tests below):
//! - **word tokens**: the UAX #29 word-bound segments of the text that are not whitespace, so
//!   a word, a number and each punctuation mark is one token (`"Hi, you."` is `Hi` `,` `you`
//!   `.`: 4 tokens). Arabic clitics written attached (`بالمدينة`) stay inside their word, as
//!   UAX #29 leaves them; the character diff inside a changed word shows them.
//! - **word edit distance**: Levenshtein distance over word tokens (insertion, deletion and
//!   substitution of one token cost 1), whitespace ignored.
//! - **character edit distance**: Levenshtein distance over Unicode scalar values (`char`s),
//!   whitespace included.
//! - **post-edit distance (PED)**: character edit distance / the longer text's length in
//!   characters x 100, in percent (0 when both are empty). Characters rather than words
//!   because an edited Arabic ending is a small edit, not a whole word. The word PED (word
//!   distance / longer token count) is reported beside it.
//! - **effort band**: the PED rounded *up* to a whole percent, then 0, 1-5, 6-10, 11-20,
//!   21-30, 31-50 or over 50; rounding up keeps any edit, however small, out of band 0.

use similar::{capture_diff_slices, Algorithm, DiffOp};
use unicode_segmentation::UnicodeSegmentation;

/// One word token and the whitespace before it (kept to render the text back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Whitespace between the previous token (or the start) and this one.
    pub space: &'a str,
    /// The token.
    pub text: &'a str,
}

/// The word tokens of `s` (see the module docs); trailing whitespace is dropped.
pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut space_start = 0;
    for (i, w) in s.split_word_bound_indices() {
        if w.chars().all(char::is_whitespace) {
            continue;
        }
        out.push(Token {
            space: &s[space_start..i],
            text: w,
        });
        space_start = i + w.len();
    }
    out
}

/// Number of word tokens of `s`.
pub fn word_count(s: &str) -> usize {
    s.split_word_bounds()
        .filter(|w| !w.chars().all(char::is_whitespace))
        .count()
}

/// Levenshtein distance between two sequences (unit costs), exact.
///
/// Why not the plain O(n·m) table: revised segments share most of their text, so the common
/// prefix and suffix are cut off first and the rest is computed in a diagonal band that
/// doubles until it holds the answer (Ukkonen), O(n·d) for distance d.
pub fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if a.is_empty() {
        return b.len();
    }
    let mut k = (b.len() - a.len()).max(1);
    loop {
        if let Some(d) = banded(a, b, k) {
            return d;
        }
        k *= 2;
    }
}

/// Levenshtein distance of `a` and `b` (`a` not longer) if it is at most `k`, computing only
/// the cells within `k` of the diagonal. Exact once `k >= b.len()`.
fn banded<T: PartialEq>(a: &[T], b: &[T], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    let k = k.min(m);
    const INF: usize = usize::MAX / 4;
    let w = 2 * k + 1;
    // Cell (i, j) lives at offset j + k - i of row i.
    let mut prev = vec![INF; w];
    let mut cur = vec![INF; w];
    for j in 0..=k.min(m) {
        prev[j + k] = j;
    }
    for i in 1..=n {
        for off in 0..w {
            let j = (i + off) as isize - k as isize;
            if j < 0 || j as usize > m {
                cur[off] = INF;
                continue;
            }
            let j = j as usize;
            if j == 0 {
                cur[off] = i;
                continue;
            }
            let mut best = prev[off] + usize::from(a[i - 1] != b[j - 1]);
            if off + 1 < w {
                best = best.min(prev[off + 1] + 1);
            }
            if off > 0 {
                best = best.min(cur[off - 1] + 1);
            }
            cur[off] = best;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[m + k - n];
    (d <= k || k >= m).then_some(d)
}

/// Word edit distance of two texts (see the module docs).
pub fn word_distance(a: &str, b: &str) -> usize {
    let ta: Vec<&str> = tokens(a).iter().map(|t| t.text).collect();
    let tb: Vec<&str> = tokens(b).iter().map(|t| t.text).collect();
    levenshtein(&ta, &tb)
}

/// Character edit distance of two texts (see the module docs).
pub fn char_distance(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let ca: Vec<char> = a.chars().collect();
    let cb: Vec<char> = b.chars().collect();
    levenshtein(&ca, &cb)
}

/// `edits / max_len x 100`, 0 for two empty texts.
pub fn percent(edits: usize, max_len: usize) -> f64 {
    if max_len == 0 {
        0.0
    } else {
        edits as f64 * 100.0 / max_len as f64
    }
}

/// Post-edit effort bands, as post-edit comparison tools report them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Band {
    /// No edit.
    #[serde(rename = "0")]
    None,
    /// 1-5 %.
    #[serde(rename = "1-5")]
    B1to5,
    /// 6-10 %.
    #[serde(rename = "6-10")]
    B6to10,
    /// 11-20 %.
    #[serde(rename = "11-20")]
    B11to20,
    /// 21-30 %.
    #[serde(rename = "21-30")]
    B21to30,
    /// 31-50 %.
    #[serde(rename = "31-50")]
    B31to50,
    /// Over 50 %.
    #[serde(rename = ">50")]
    Over50,
}

impl Band {
    /// Every band, lowest first.
    pub const ALL: [Band; 7] = [
        Band::None,
        Band::B1to5,
        Band::B6to10,
        Band::B11to20,
        Band::B21to30,
        Band::B31to50,
        Band::Over50,
    ];

    /// The band of a post-edit distance in percent (rounded up first; see the module docs).
    pub fn of(ped: f64) -> Band {
        // A tiny epsilon so that 10.000000001 from float division stays in 6-10.
        let p = (ped - 1e-9).ceil().max(0.0) as u64;
        match p {
            0 => Band::None,
            1..=5 => Band::B1to5,
            6..=10 => Band::B6to10,
            11..=20 => Band::B11to20,
            21..=30 => Band::B21to30,
            31..=50 => Band::B31to50,
            _ => Band::Over50,
        }
    }

    /// The label: `0`, `1-5`, ..., `>50`.
    pub fn label(self) -> &'static str {
        match self {
            Band::None => "0",
            Band::B1to5 => "1-5",
            Band::B6to10 => "6-10",
            Band::B11to20 => "11-20",
            Band::B21to30 => "21-30",
            Band::B31to50 => "31-50",
            Band::Over50 => ">50",
        }
    }

    /// Position in [`Band::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What a piece of a diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// In both texts.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// A run of text of one kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    /// Its kind.
    pub change: Change,
    /// Its text.
    pub text: String,
}

/// True for a character of an Arabic-script block.
pub fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// True for a character of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...).
pub fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// True when `s` has a right-to-left letter.
pub fn has_rtl(s: &str) -> bool {
    s.chars().any(is_rtl)
}

/// The word diff of `old` and `new` as runs of equal, deleted and inserted text.
///
/// Tokens are compared whole; whitespace follows the new text in equal runs. Where an Arabic
/// word was replaced by a similar one (at most half of its characters edited: a changed
/// clitic, article or ending), the two are diffed by character instead, so `بالمدينة` ->
/// `للمدينة` shows `[-با-]{+ل+}لمدينة` rather than the whole word twice.
///
/// Invariant (tested): the equal and deleted runs spell `old`, the equal and inserted runs
/// `new`, wherever the two texts space their common words alike.
pub fn word_diff(old: &str, new: &str) -> Vec<Span> {
    compare(old, new).spans
}

/// The word diff, the word edit distance and the token counts of two texts, tokenised once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    /// [`word_diff`].
    pub spans: Vec<Span>,
    /// [`word_distance`].
    pub word_edits: usize,
    /// Word tokens of the old and the new text.
    pub words: (usize, usize),
}

/// [`word_diff`], [`word_distance`] and [`word_count`] of both, in one tokenisation.
pub fn compare(old: &str, new: &str) -> Compared {
    let to = tokens(old);
    let tn = tokens(new);
    let wo: Vec<&str> = to.iter().map(|t| t.text).collect();
    let wn: Vec<&str> = tn.iter().map(|t| t.text).collect();
    Compared {
        word_edits: levenshtein(&wo, &wn),
        words: (wo.len(), wn.len()),
        spans: spans(&to, &tn, &wo, &wn),
    }
}

fn spans(to: &[Token], tn: &[Token], wo: &[&str], wn: &[&str]) -> Vec<Span> {
    let mut b = Builder::default();
    for op in capture_diff_slices(Algorithm::Myers, wo, wn) {
        match op {
            DiffOp::Equal { new_index, len, .. } => {
                for t in &tn[new_index..new_index + len] {
                    b.push(Change::Equal, t.space, t.text);
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for t in &to[old_index..old_index + old_len] {
                    b.push(Change::Delete, t.space, t.text);
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for t in &tn[new_index..new_index + new_len] {
                    b.push(Change::Insert, t.space, t.text);
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let o = &to[old_index..old_index + old_len];
                let n = &tn[new_index..new_index + new_len];
                replace(&mut b, o, n);
            }
        }
    }
    b.finish()
}

/// A replaced run: pairs of similar Arabic words get a character diff, the rest is deleted
/// then inserted as a block.
fn replace(b: &mut Builder, o: &[Token], n: &[Token]) {
    let pairwise = o.len() == n.len();
    let mut start = 0;
    let flush = |b: &mut Builder, from: usize, to: usize| {
        for t in &o[from..to.min(o.len())] {
            b.push(Change::Delete, t.space, t.text);
        }
        for t in &n[from.min(n.len())..if pairwise { to } else { n.len() }] {
            b.push(Change::Insert, t.space, t.text);
        }
    };
    if !pairwise {
        flush(b, 0, o.len());
        return;
    }
    for i in 0..o.len() {
        if similar_words(o[i].text, n[i].text) {
            flush(b, start, i);
            start = i + 1;
            b.push(Change::Equal, n[i].space, "");
            let (co, cn): (Vec<char>, Vec<char>) =
                (o[i].text.chars().collect(), n[i].text.chars().collect());
            for op in capture_diff_slices(Algorithm::Myers, &co, &cn) {
                let (kind, chars) = match op {
                    DiffOp::Equal { new_index, len, .. } => {
                        (Change::Equal, &cn[new_index..new_index + len])
                    }
                    DiffOp::Delete {
                        old_index, old_len, ..
                    } => (Change::Delete, &co[old_index..old_index + old_len]),
                    DiffOp::Insert {
                        new_index, new_len, ..
                    } => (Change::Insert, &cn[new_index..new_index + new_len]),
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    } => {
                        let s: String = co[old_index..old_index + old_len].iter().collect();
                        b.push(Change::Delete, "", &s);
                        (Change::Insert, &cn[new_index..new_index + new_len])
                    }
                };
                let s: String = chars.iter().collect();
                b.push(kind, "", &s);
            }
        }
    }
    flush(b, start, o.len());
}

/// Two Arabic words where at most half of the longer one's characters changed.
fn similar_words(a: &str, b: &str) -> bool {
    if !(a.chars().any(is_arabic) && b.chars().any(is_arabic)) {
        return false;
    }
    let la = a.chars().count();
    let lb = b.chars().count();
    la.min(lb) >= 2 && char_distance(a, b) * 2 <= la.max(lb)
}

/// Collects runs, merging neighbours of one kind. A changed token's leading space stays in
/// its mark (an inserted word brings its space), except where a deletion is followed by an
/// insertion that both start with the same space: that space is common, so it moves out
/// (`the [-old-]{+new+} text`); see [`Builder::finish`].
#[derive(Default)]
struct Builder {
    spans: Vec<Span>,
}

impl Builder {
    fn push(&mut self, kind: Change, space: &str, text: &str) {
        self.append(kind, space);
        self.append(kind, text);
    }

    fn append(&mut self, kind: Change, s: &str) {
        if s.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(s),
            _ => self.spans.push(Span {
                change: kind,
                text: s.to_string(),
            }),
        }
    }

    fn finish(self) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::with_capacity(self.spans.len());
        let mut it = self.spans.into_iter().peekable();
        while let Some(mut sp) = it.next() {
            if sp.change == Change::Delete {
                if let Some(next) = it.peek_mut() {
                    if next.change == Change::Insert {
                        // Common leading whitespace, compared by character (a no-break
                        // space is two bytes).
                        let common = sp
                            .text
                            .chars()
                            .zip(next.text.chars())
                            .take_while(|(a, b)| a == b && a.is_whitespace())
                            .map(|(a, _)| a.len_utf8())
                            .sum::<usize>();
                        if common > 0 && common < sp.text.len() && common < next.text.len() {
                            let space = sp.text[..common].to_string();
                            sp.text.drain(..common);
                            next.text.drain(..common);
                            match out.last_mut() {
                                Some(last) if last.change == Change::Equal => {
                                    last.text.push_str(&space)
                                }
                                _ => out.push(Span {
                                    change: Change::Equal,
                                    text: space,
                                }),
                            }
                        }
                    }
                }
            }
            match out.last_mut() {
                Some(last) if last.change == sp.change => last.text.push_str(&sp.text),
                _ => out.push(sp),
            }
        }
        out
    }
}

/// Renders spans in the style of `git diff --word-diff=plain`: `[-old-]{+new+}`.
pub fn render_plain(spans: &[Span]) -> String {
    let mut s = String::new();
    for sp in spans {
        match sp.change {
            Change::Equal => s.push_str(&sp.text),
            Change::Delete => {
                s.push_str("[-");
                s.push_str(&sp.text);
                s.push_str("-]");
            }
            Change::Insert => {
                s.push_str("{+");
                s.push_str(&sp.text);
                s.push_str("+}");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokens(s).iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_are_words_numbers_and_each_punctuation_mark() {
        assert_eq!(toks("Hi, you."), ["Hi", ",", "you", "."]);
        assert_eq!(toks("  6,500 people  "), ["6,500", "people"]);
        // Arabic: the attached clitic stays in the word; the Arabic comma is its own token.
        assert_eq!(toks("وقال، بالمدينة"), ["وقال", "،", "بالمدينة"]);
        assert_eq!(word_count("Hi, you."), 4);
        assert_eq!(tokens("a  b")[1].space, "  ");
    }

    #[test]
    fn levenshtein_by_hand() {
        // kitten -> sitting: k->s, e->i, +g = 3.
        let a: Vec<char> = "kitten".chars().collect();
        let b: Vec<char> = "sitting".chars().collect();
        assert_eq!(levenshtein(&a, &b), 3);
        assert_eq!(levenshtein::<u8>(&[], &[]), 0);
        assert_eq!(levenshtein(&[1, 2, 3], &[]), 3);
        assert_eq!(levenshtein(&[1, 2, 3], &[3, 2, 1]), 2);
        // flaw -> lawn: -f, +n = 2.
        assert_eq!(char_distance("flaw", "lawn"), 2);
    }

    #[test]
    fn banded_levenshtein_equals_the_full_table() {
        fn full(a: &[u8], b: &[u8]) -> usize {
            let mut prev: Vec<usize> = (0..=b.len()).collect();
            for i in 1..=a.len() {
                let mut cur = vec![i; b.len() + 1];
                for j in 1..=b.len() {
                    cur[j] = (prev[j - 1] + usize::from(a[i - 1] != b[j - 1]))
                        .min(prev[j] + 1)
                        .min(cur[j - 1] + 1);
                }
                prev = cur;
            }
            prev[b.len()]
        }
        // A small deterministic generator: many shapes, including long distances.
        let mut x: u64 = 7;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..2000 {
            let la = (next() % 30) as usize;
            let lb = (next() % 30) as usize;
            let a: Vec<u8> = (0..la).map(|_| (next() % 3) as u8).collect();
            let b: Vec<u8> = (0..lb).map(|_| (next() % 3) as u8).collect();
            assert_eq!(levenshtein(&a, &b), full(&a, &b), "{a:?} {b:?}");
        }
    }

    #[test]
    fn word_and_character_distances_by_hand() {
        // "The cat sat." -> "The dog sat down." tokens: The cat sat . / The dog sat down .
        // cat->dog (1), +down (1): 2 word edits; chars: c,a,t -> d,o,g (3) + " down" (5) = 8.
        let (a, b) = ("The cat sat.", "The dog sat down.");
        assert_eq!(word_distance(a, b), 2);
        assert_eq!(char_distance(a, b), 8);
        // PED = 8 / 17 (the longer text) = 47.06 % -> band 31-50.
        let ped = percent(8, b.chars().count());
        assert!((ped - 47.0588).abs() < 1e-3, "{ped}");
        assert_eq!(Band::of(ped), Band::B31to50);
        // Word PED = 2 / 5 tokens = 40 %.
        assert_eq!(percent(2, 5), 40.0);
        // A comma added: 1 word edit (the ',' token), 1 character.
        assert_eq!(word_distance("yes we can", "yes, we can"), 1);
        assert_eq!(char_distance("yes we can", "yes, we can"), 1);
        // Arabic: بالمدينة -> للمدينة is 1 word, 2 characters (ب deleted, ا -> ل).
        assert_eq!(word_distance("في بالمدينة", "في للمدينة"), 1);
        assert_eq!(char_distance("بالمدينة", "للمدينة"), 2);
    }

    #[test]
    fn bands_round_up_and_have_inclusive_upper_bounds() {
        let cases = [
            (0.0, Band::None),
            (0.01, Band::B1to5),
            (5.0, Band::B1to5),
            (5.01, Band::B6to10),
            (10.0, Band::B6to10),
            (100.0 / 3.0, Band::B31to50), // 33.3 -> 34
            (20.0, Band::B11to20),
            (30.0, Band::B21to30),
            (50.0, Band::B31to50),
            (50.5, Band::Over50),
            (100.0, Band::Over50),
        ];
        for (p, b) in cases {
            assert_eq!(Band::of(p), b, "{p}");
        }
        // 1 edit in 10 characters computes as exactly 10 %: band 6-10, not 11-20.
        assert_eq!(Band::of(percent(1, 10)), Band::B6to10);
        assert_eq!(Band::of(percent(3, 30)), Band::B6to10);
    }

    #[test]
    fn word_diff_marks_words_and_keeps_spaces_outside() {
        let s = word_diff("the old text", "the new text");
        assert_eq!(render_plain(&s), "the [-old-]{+new+} text");
        let s = word_diff("a b", "a b c");
        assert_eq!(render_plain(&s), "a b{+ c+}");
        let s = word_diff("yes we can", "yes, we can");
        assert_eq!(render_plain(&s), "yes{+,+} we can");
        assert_eq!(render_plain(&word_diff("", "x y")), "{+x y+}");
        assert_eq!(render_plain(&word_diff("x y", "")), "[-x y-]");
        // English words are never split by character.
        assert_eq!(render_plain(&word_diff("cat", "car")), "[-cat-]{+car+}");
    }

    #[test]
    fn word_diff_goes_to_characters_inside_a_changed_arabic_word() {
        let s = word_diff("في بالمدينة اليوم", "في للمدينة اليوم");
        assert_eq!(render_plain(&s), "في [-با-]ل{+ل+}مدينة اليوم");
        // A changed ending: -ة -> -ات.
        let s = word_diff("الشركة الكبيرة", "الشركات الكبيرة");
        assert_eq!(render_plain(&s), "الشرك[-ة-]{+ات+} الكبيرة");
        // Unrelated words are replaced whole.
        let s = word_diff("ذهب الرجل", "ذهب الوزير");
        assert_eq!(render_plain(&s), "ذهب [-الرجل-]{+الوزير+}");
    }

    proptest::proptest! {
        /// Any text (spaces of several kinds, Arabic, punctuation): no panic, and the
        /// distances agree with the diff's bounds.
        #[test]
        fn word_diff_never_panics(a in "[a b\u{a0}\u{2009}،.ةال«»x]{0,12}", b in "[a b\u{a0}\u{2009}،.ةال«»x]{0,12}") {
            let s = word_diff(&a, &b);
            let changed = s.iter().any(|x| x.change != Change::Equal);
            let differ = tokens(&a).iter().map(|t| t.text).ne(tokens(&b).iter().map(|t| t.text));
            proptest::prop_assert_eq!(changed, differ);
            proptest::prop_assert!(word_distance(&a, &b) <= word_count(&a).max(word_count(&b)));
            proptest::prop_assert!(char_distance(&a, &b) <= a.chars().count().max(b.chars().count()));
        }
    }

    #[test]
    fn word_diff_spells_both_texts() {
        for (a, b) in [
            ("The cat sat.", "The dog sat down."),
            ("one two three four", "zero two four five"),
            ("في بالمدينة اليوم", "في للمدينة غدا"),
            ("", "new"),
            ("a, b; c", "a; b, c"),
            // A no-break space (French) against a plain one, before replaced words.
            ("dit\u{a0}oui", "dit non"),
            ("x \u{a0}a", "x \u{a0}b"),
        ] {
            let s = word_diff(a, b);
            let old: String = s
                .iter()
                .filter(|x| x.change != Change::Insert)
                .map(|x| x.text.as_str())
                .collect();
            let new: String = s
                .iter()
                .filter(|x| x.change != Change::Delete)
                .map(|x| x.text.as_str())
                .collect();
            assert_eq!(old, a, "{s:?}");
            assert_eq!(new, b, "{s:?}");
        }
    }
}
