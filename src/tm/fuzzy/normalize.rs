//! Normalisation for matching only: a folded copy of a text with a byte map back to the
//! original, so that scores are computed on the copy while diffs and highlights point into the
//! original. The original text is never changed (it is borrowed, never rewritten).
//!
//! What is folded (each a test below):
//! - Arabic letter forms: alef with hamza above/below, madda and wasla (`أ إ آ ٱ`) -> `ا`;
//!   alef maqsura `ى` -> `ي`; ta marbuta `ة` -> `ه`; Persian yeh `ی` -> `ي`, Persian kaf `ک` ->
//!   `ك`;
//! - removed: tatweel `ـ`, harakat, tanwin, shadda, sukun, superscript alef (U+064B-U+065F,
//!   U+0670), Quranic annotation marks (U+06D6-U+06ED), and invisible format characters (LRM,
//!   RLM, ALM, zero-width space/joiners, bidi embeddings and isolates, BOM);
//! - digits: Eastern Arabic `٠-٩` and Persian `۰-۹` -> `0-9`; Arabic decimal and thousands
//!   separators `٫ ٬` -> `. ,`; Arabic percent `٪` -> `%`; Arabic comma, semicolon and question
//!   mark `، ؛ ؟` -> `, ; ?`;
//! - Latin: lower case (full Unicode), full-width forms (U+FF01-U+FF5E, ideographic space) ->
//!   ASCII; curly quotes and guillemets -> `'` and `"`.
//!
//! White space is kept (the tokenizer ignores it, except non-breaking and thin spaces between
//! digit groups, which are part of a number: `6 500`).

use std::ops::Range;

/// A text folded for matching, with the position in the original of every byte.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Normalized {
    /// The folded text.
    pub text: String,
    /// `map[i]` is the byte offset in the original of the character that produced byte `i` of
    /// `text`; `map[text.len()]` is the original's length.
    map: Vec<u32>,
}

impl Normalized {
    /// The original byte range a range of the folded text came from: from the start of the
    /// character that produced `r.start` up to the start of the one after `r.end - 1` (removed
    /// characters such as harakat right after the last letter are included, so a highlight
    /// covers the whole vocalised word).
    ///
    /// ```
    /// use dragoman::tm::fuzzy::normalize;
    /// let n = normalize("Ø المدرسةُ");
    /// assert_eq!(n.text, "ø المدرسه");
    /// let r = n.original(n.text.find("المدرسه").unwrap()..n.text.len());
    /// assert_eq!(&"Ø المدرسةُ"[r], "المدرسةُ");
    /// ```
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        self.map[r.start] as usize..self.map[r.end] as usize
    }

    /// Like [`Normalized::original`], but ends right after the last character that produced
    /// `r` (no trailing removed characters): for a highlight that must not swallow a following
    /// mark or space.
    pub fn original_tight(&self, r: Range<usize>, original: &str) -> Range<usize> {
        if r.is_empty() {
            let s = self.map[r.start] as usize;
            return s..s;
        }
        let start = self.map[r.start] as usize;
        let last = self.map[r.end - 1] as usize;
        let end = last + original[last..].chars().next().map_or(0, char::len_utf8);
        start..end
    }
}

enum Fold {
    Keep,
    Drop,
    To(char),
    Lower,
}

fn fold(c: char) -> Fold {
    match c {
        'a'..='z' | '0'..='9' | ' ' => Fold::Keep,
        // Arabic letters that stay as they are (the common case, before any table lookup).
        '\u{0621}' | '\u{0624}' | '\u{0626}'..='\u{0628}' | '\u{062A}'..='\u{063A}' => Fold::Keep,
        '\u{0641}'..='\u{0648}' | '\u{064A}' => Fold::Keep,
        'A'..='Z' => Fold::To(c.to_ascii_lowercase()),
        // Arabic letter forms.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => {
            Fold::To('\u{0627}')
        }
        '\u{0649}' | '\u{06CC}' => Fold::To('\u{064A}'),
        '\u{0629}' => Fold::To('\u{0647}'),
        '\u{06A9}' => Fold::To('\u{0643}'),
        // Tatweel, harakat, Quranic marks.
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => Fold::Drop,
        // Invisible format characters.
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Fold::Drop,
        '\u{061C}' | '\u{FEFF}' | '\u{00AD}' => Fold::Drop,
        // Digits and Arabic punctuation.
        '\u{0660}'..='\u{0669}' => Fold::To(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => Fold::To(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        '\u{066B}' => Fold::To('.'),
        '\u{066C}' => Fold::To(','),
        '\u{066A}' => Fold::To('%'),
        '\u{060C}' => Fold::To(','),
        '\u{061B}' => Fold::To(';'),
        '\u{061F}' => Fold::To('?'),
        // Quotes.
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => Fold::To('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => Fold::To('"'),
        // Width.
        '\u{FF01}'..='\u{FF5E}' => {
            let a = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            if a.is_ascii_uppercase() {
                Fold::To(a.to_ascii_lowercase())
            } else {
                Fold::To(a)
            }
        }
        '\u{3000}' => Fold::To(' '),
        c if c.is_ascii() => Fold::Keep,
        c if c.is_uppercase() => Fold::Lower,
        _ => Fold::Keep,
    }
}

/// Folds `text` for matching (see the module docs for what is folded).
///
/// ```
/// use dragoman::tm::fuzzy::normalize;
/// assert_eq!(normalize("إلى المدرسةِ ٢٠٢٤").text, "الي المدرسه 2024");
/// assert_eq!(normalize("ＡＢＣ Déjà").text, "abc déjà");
/// ```
pub fn normalize(text: &str) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let before = out.len();
        match fold(c) {
            Fold::Keep => out.push(c),
            Fold::Drop => {}
            Fold::To(d) => out.push(d),
            Fold::Lower => out.extend(c.to_lowercase()),
        }
        map.resize(map.len() + (out.len() - before), i as u32);
    }
    map.push(text.len() as u32);
    Normalized { text: out, map }
}

/// True when `a` and `b` fold to the same text.
pub fn same_folded(a: &str, b: &str) -> bool {
    normalize(a).text == normalize(b).text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn alef_forms() {
        assert_eq!(n("أحمد إبراهيم آمال ٱلله"), "احمد ابراهيم امال الله");
    }

    #[test]
    fn alef_maqsura_and_ya() {
        assert_eq!(n("على مستشفى"), "علي مستشفي");
        assert_eq!(n("فارسی"), "فارسي");
    }

    #[test]
    fn ta_marbuta_and_ha() {
        assert_eq!(n("مدرسة"), n("مدرسه"));
    }

    #[test]
    fn tatweel_removed() {
        assert_eq!(n("الســـلام"), "السلام");
    }

    #[test]
    fn harakat_removed() {
        assert_eq!(n("مُحَمَّدٌ كِتَابًا"), "محمد كتابا");
        assert_eq!(n("هٰذا"), "هذا");
    }

    #[test]
    fn eastern_arabic_and_persian_digits() {
        assert_eq!(n("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(n("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(n("٦٬٥٠٠ و٦٫٥٪"), "6,500 و6.5%");
    }

    #[test]
    fn case_and_width() {
        assert_eq!(n("The UN Ｂｕｄｇｅｔ　ÉTÉ"), "the un budget été");
        assert_eq!(n("İstanbul"), "i\u{307}stanbul");
    }

    #[test]
    fn invisible_marks_removed() {
        assert_eq!(n("\u{200F}قال\u{200E} x\u{200B}y"), "قال xy");
    }

    #[test]
    fn quotes() {
        assert_eq!(n("« l’Union »"), "\" l'union \"");
    }

    #[test]
    fn map_points_into_the_original() {
        let s = "قالَ الرئيسُ: ٦٬٥٠٠";
        let m = normalize(s);
        let at = m
            .text
            .find("الرييس")
            .unwrap_or_else(|| m.text.find("الرئيس").unwrap());
        let r = m.original(at..at + "الرئيس".len());
        assert_eq!(&s[r.clone()], "الرئيسُ");
        let t = m.original_tight(at..at + "الرئيس".len(), s);
        assert_eq!(&s[t], "الرئيس");
        let d = m.text.find("6,500").unwrap();
        assert_eq!(&s[m.original(d..d + 5)], "٦٬٥٠٠");
    }
}
