//! The match percentage: token edit distance, then small penalties (the definition with worked
//! examples is in the [module docs](super)).

use super::tokens::{tokenize, NumValue, NumberStyle, TokenKind, Tokens};

/// The small penalties subtracted from the edit-distance percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Penalties {
    /// 1 per changed, added or removed number (edit distance between the two sequences of
    /// number values), at most 3.
    pub numbers: u8,
    /// 1 when the punctuation differs (any of it).
    pub punctuation: u8,
    /// 1 when the inline codes differ.
    pub codes: u8,
    /// 1 when the token keys, numbers, punctuation and codes are all the same but the texts
    /// are not: white space, case, width, Arabic letter forms or diacritics.
    pub form: u8,
}

impl Penalties {
    /// The sum.
    pub fn total(&self) -> u8 {
        self.numbers + self.punctuation + self.codes + self.form
    }
}

/// A match percentage and how it was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Score {
    /// The match percentage, 0-100: `base` minus the penalties.
    pub percent: u8,
    /// `floor(100 * (len - edits) / len)`: the percentage before penalties.
    pub base: u8,
    /// Token edit distance (words, and numbers as one key; no punctuation, no codes).
    pub edits: u32,
    /// The longer of the two key sequences.
    pub len: u32,
    /// What was subtracted.
    pub penalties: Penalties,
}

impl Score {
    /// True when the texts have the same words and codes and differ in numbers (and possibly
    /// punctuation): the case where [`super::transfer`] can adjust the translation.
    pub fn numbers_only(&self) -> bool {
        self.edits == 0 && self.penalties.numbers > 0 && self.penalties.codes == 0
    }
}

/// A text prepared for scoring: tokens, number values and the text itself.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// The tokens.
    pub tokens: Tokens,
    /// Canonical values of the numbers, in order.
    pub numbers: Vec<String>,
    text: String,
}

impl Prepared {
    /// Tokenises `text`, reading numbers with `lang`'s conventions.
    pub fn new(text: &str, lang: &str) -> Prepared {
        let tokens = tokenize(text);
        let style = NumberStyle::for_lang(lang);
        let numbers = tokens
            .of_kind(TokenKind::Number)
            .map(|t| NumValue::parse(tokens.text(t), style).canonical())
            .collect();
        Prepared {
            tokens,
            numbers,
            text: text.trim().to_string(),
        }
    }

    /// The text (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of keys (words and numbers): the length the edit distance runs on.
    pub fn key_len(&self) -> usize {
        self.tokens.keys().count()
    }

    fn kind_texts(&self, kind: TokenKind) -> Vec<&str> {
        self.tokens
            .of_kind(kind)
            .map(|t| self.tokens.text(t))
            .collect()
    }
}

/// Levenshtein distance between two sequences (unit costs), in `O(min(n, m))` memory.
pub fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y {
                diag
            } else {
                1 + diag.min(up).min(row[j])
            };
            diag = up;
        }
    }
    row[b.len()]
}

/// Levenshtein distance if it is at most `max`, else `None` (stops as soon as a whole row
/// exceeds `max`).
pub fn levenshtein_bounded(a: &[u32], b: &[u32], max: usize, row: &mut Vec<u32>) -> Option<usize> {
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if a.len() - b.len() > max {
        return None;
    }
    row.clear();
    row.extend(0..=b.len() as u32);
    for (i, x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i as u32 + 1;
        let mut low = row[0];
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            let v = if x == y {
                diag
            } else {
                1 + diag.min(up).min(row[j])
            };
            row[j + 1] = v;
            low = low.min(v);
            diag = up;
        }
        if low as usize > max {
            return None;
        }
    }
    let d = row[b.len()] as usize;
    (d <= max).then_some(d)
}

/// `floor(100 * (len - edits) / len)`, 100 for two empty sequences.
pub fn base_percent(edits: usize, len: usize) -> u8 {
    (100 * (len - edits.min(len)))
        .checked_div(len)
        .map_or(100, |p| p as u8)
}

/// Scores a query against a TM source (both prepared with the source language). Symmetric:
/// `score(a, b) == score(b, a)`.
///
/// ```
/// use dragoman::tm::fuzzy::{score, Prepared};
/// let q = Prepared::new("The budget rose by 7 percent in 2020.", "en");
/// let s = Prepared::new("The budget rose by 5 percent in 2020.", "en");
/// assert_eq!(score(&q, &s).percent, 99);
/// ```
pub fn score(query: &Prepared, source: &Prepared) -> Score {
    let qk: Vec<&str> = query.tokens.keys().collect();
    let sk: Vec<&str> = source.tokens.keys().collect();
    let len = qk.len().max(sk.len());
    let edits = levenshtein(&qk, &sk);
    let base = base_percent(edits, len);
    let mut p = Penalties {
        numbers: levenshtein(&query.numbers, &source.numbers).min(3) as u8,
        punctuation: u8::from(
            query.kind_texts(TokenKind::Punct) != source.kind_texts(TokenKind::Punct),
        ),
        codes: u8::from(query.kind_texts(TokenKind::Code) != source.kind_texts(TokenKind::Code)),
        form: 0,
    };
    if edits == 0 && p.total() == 0 && query.text != source.text {
        p.form = 1;
    }
    Score {
        percent: base.saturating_sub(p.total()),
        base,
        edits: edits as u32,
        len: len as u32,
        penalties: p,
    }
}

/// [`score`] on two texts in `lang`.
pub fn score_texts(query: &str, source: &str, lang: &str) -> Score {
    score(&Prepared::new(query, lang), &Prepared::new(source, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(a: &str, b: &str, lang: &str) -> u8 {
        score_texts(a, b, lang).percent
    }

    #[test]
    fn identical_is_100() {
        assert_eq!(
            pct(
                "قال الوزير إن الميزانية ارتفعت.",
                "قال الوزير إن الميزانية ارتفعت.",
                "ar"
            ),
            100
        );
        assert_eq!(pct("", "", "en"), 100);
    }

    #[test]
    fn hand_computed() {
        // 8 keys, one word replaced: floor(700 / 8) = 87.
        let s = score_texts(
            "The budget fell by 5 percent last year.",
            "The budget rose by 5 percent last year.",
            "en",
        );
        assert_eq!((s.edits, s.len, s.base, s.percent), (1, 8, 87, 87));
        // One word inserted: 9 keys against 8, one edit: floor(800 / 9) = 88.
        assert_eq!(
            pct(
                "The budget rose by 5 percent again last year.",
                "The budget rose by 5 percent last year.",
                "en"
            ),
            88
        );
        // Two of four words differ: 50.
        assert_eq!(pct("a b c d", "a b x y", "en"), 50);
        // Nothing in common: 0.
        assert_eq!(pct("a b", "c d", "en"), 0);
    }

    #[test]
    fn penalties() {
        // A number: 99.
        let s = score_texts("بلغ العجز ٦٬٥٠٠ دينار", "بلغ العجز 5,000 دينار", "ar");
        assert_eq!((s.base, s.penalties.numbers, s.percent), (100, 1, 99));
        assert!(s.numbers_only());
        // The same number in another digit system: no number penalty, only the form one.
        let s = score_texts("بلغ العجز ٦٬٥٠٠ دينار", "بلغ العجز 6,500 دينار", "ar");
        assert_eq!(
            (s.penalties.numbers, s.penalties.form, s.percent),
            (0, 1, 99)
        );
        // Three numbers changed: capped at 3.
        assert_eq!(pct("1 2 3 4 x", "5 6 7 8 x", "en"), 97);
        // Punctuation: 99.
        assert_eq!(pct("Hello, world.", "Hello world", "en"), 99);
        // Codes: 99.
        assert_eq!(pct("Press <b>OK</b>", "Press OK", "en"), 99);
        assert_eq!(pct("Press {1}OK{2}", "Press <b>OK</b>", "en"), 99);
        // White space, case, diacritics, letter forms: 99.
        assert_eq!(pct("a  b", "a b", "en"), 99);
        assert_eq!(pct("The UN", "the un", "en"), 99);
        assert_eq!(pct("مُحَمَّد في المدرسة", "محمد فى المدرسه", "ar"), 99);
    }

    #[test]
    fn bounded_agrees() {
        let mut row = Vec::new();
        let a = [1, 2, 3, 4, 5];
        let b = [1, 3, 4, 6];
        assert_eq!(levenshtein(&a, &b), 2);
        assert_eq!(levenshtein_bounded(&a, &b, 2, &mut row), Some(2));
        assert_eq!(levenshtein_bounded(&a, &b, 1, &mut row), None);
    }
}
