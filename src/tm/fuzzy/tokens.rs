//! Tokens for matching: words, numbers, punctuation and inline-code placeholders, found in the
//! [normalised](super::normalize()) text; white space separates tokens and is otherwise ignored.
//!
//! - a **word** is a run of letters, digits and combining marks that starts with a letter
//!   (`a320`, `والحكومة`);
//! - a **number** starts with a digit and takes digit groups joined by one separator each
//!   (`,` `.` `'`, the no-break, narrow no-break and thin spaces; Arabic `٬ ٫` are folded to
//!   `, .` first): `6,500`, `6 500`, `٦٬٥٠٠`, `3.14`;
//! - an **inline code** is a TMX code (U+FFFC, which [`matching_text`] puts where `<bpt>`,
//!   `<ept>`, `<ph>`, `<it>`, `<ut>` were), an XML-like tag typed in a query (`<b>`, `</b>`,
//!   `<x id="1"/>`) or a numbered placeholder (`{1}`);
//! - anything else that is not white space is one **punctuation** token per character.

use std::ops::Range;

use super::normalize::{normalize, Normalized};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters (and digits, marks) starting with a letter.
    Word,
    /// Digits with group or decimal separators.
    Number,
    /// One punctuation or symbol character.
    Punct,
    /// An inline code or placeholder.
    Code,
}

/// One token: its kind and its byte range in the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The kind.
    pub kind: TokenKind,
    /// Byte range in [`Tokens::norm`]'s text.
    pub span: Range<usize>,
}

/// The key under which numbers take part in the edit distance: every number is the same key,
/// so a changed number costs a penalty, not an edit.
pub const NUMBER_KEY: &str = "\u{1}#";

/// A tokenised text: the normalised copy and its tokens.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The normalised text the spans point into (with its map back to the original).
    pub norm: Normalized,
    /// The tokens, in order.
    pub tokens: Vec<Token>,
}

impl Tokens {
    /// The normalised text of a token.
    pub fn text(&self, t: &Token) -> &str {
        &self.norm.text[t.span.clone()]
    }

    /// The key of a token in the edit distance: the normalised word or [`NUMBER_KEY`];
    /// `None` for punctuation and inline codes (which only cost a penalty).
    pub fn key<'a>(&'a self, t: &Token) -> Option<&'a str> {
        match t.kind {
            TokenKind::Word => Some(self.text(t)),
            TokenKind::Number => Some(NUMBER_KEY),
            TokenKind::Code | TokenKind::Punct => None,
        }
    }

    /// The keys of the text, in order (what the edit distance runs on).
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.tokens.iter().filter_map(|t| self.key(t))
    }

    /// The tokens of one kind.
    pub fn of_kind(&self, kind: TokenKind) -> impl Iterator<Item = &Token> + '_ {
        self.tokens.iter().filter(move |t| t.kind == kind)
    }
}

fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_word_char(c: char) -> bool {
    is_letter(c) || is_mark(c)
}

/// `char::is_alphanumeric` with fast paths for ASCII and Arabic letters (the table lookup was
/// a sixth of lookup time).
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{0621}'..='\u{064A}' => true,
        '\0'..='\u{7f}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// True for a character of the Arabic blocks (letters, marks, digits, punctuation).
pub(crate) fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Separators that may join digit groups inside one number.
pub(crate) fn is_num_sep(c: char) -> bool {
    matches!(c, ',' | '.' | '\'' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

/// Tokenises `text` (normalising it first).
///
/// ```
/// use dragoman::tm::fuzzy::{tokenize, TokenKind};
/// let t = tokenize("Budget: ٦٬٥٠٠ {1}دينار.");
/// let kinds: Vec<_> = t.tokens.iter().map(|x| x.kind).collect();
/// assert_eq!(kinds, [TokenKind::Word, TokenKind::Punct, TokenKind::Number, TokenKind::Code,
///                    TokenKind::Word, TokenKind::Punct]);
/// assert_eq!(t.text(&t.tokens[2]), "6,500");
/// ```
pub fn tokenize(text: &str) -> Tokens {
    let norm = normalize(text);
    let tokens = tokenize_normalized(&norm.text);
    Tokens { norm, tokens }
}

/// Tokenises a text that is already normalised.
pub fn tokenize_normalized(s: &str) -> Vec<Token> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 5 + 1);
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        let start = i;
        let kind;
        if c.is_ascii_digit() {
            i += 1;
            loop {
                while i < s.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                // A separator followed by a digit continues the number.
                let Some(sep) = s[i..].chars().next() else {
                    break;
                };
                if is_num_sep(sep)
                    && s[i + sep.len_utf8()..].starts_with(|d: char| d.is_ascii_digit())
                {
                    i += sep.len_utf8() + 1;
                } else {
                    break;
                }
            }
            kind = TokenKind::Number;
        } else if is_letter(c) {
            i += cl;
            let mut prev = c;
            while let Some(d) = s[i..].chars().next() {
                // Arabic clitics attach to numbers (و2022): the number is a token of its own.
                if !is_word_char(d) || (d.is_ascii_digit() && is_arabic(prev)) {
                    break;
                }
                i += d.len_utf8();
                prev = d;
            }
            kind = TokenKind::Word;
        } else if c == '\u{FFFC}' {
            i += cl;
            kind = TokenKind::Code;
        } else if let Some(n) = code_len(&s[i..]) {
            i += n;
            kind = TokenKind::Code;
        } else {
            i += cl;
            kind = TokenKind::Punct;
        }
        out.push(Token {
            kind,
            span: start..i,
        });
    }
    out
}

/// Length of a placeholder at the start of `s`: `<tag ...>`, `</tag>`, `<tag/>` or `{digits}`.
pub(crate) fn code_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match b.first()? {
        b'<' => {
            let next = *b.get(1)?;
            if !(next.is_ascii_alphabetic() || next == b'/') {
                return None;
            }
            let end = s[1..].find(['>', '<', '\n'])? + 1;
            (b[end] == b'>' && end <= 200).then_some(end + 1)
        }
        b'{' => {
            let end = s.find('}')?;
            (end > 1 && end <= 4 && b[1..end].iter().all(u8::is_ascii_digit)).then_some(end + 1)
        }
        _ => None,
    }
}

/// The text to match a TMX segment on: its plain text, or, when it has inline codes
/// (`markup`, as in [`crate::tm::VariantExtra::markup`]), the markup with each inline element
/// (`<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`, with its content) replaced by U+FFFC, `<hi>` and
/// `<sub>` tags dropped (their content kept) and entities decoded.
///
/// ```
/// use dragoman::tm::fuzzy::matching_text;
/// let m = r#"Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> &amp; go"#;
/// assert_eq!(matching_text("Press OK & go", Some(m)), "Press \u{FFFC}OK\u{FFFC} & go");
/// ```
pub fn matching_text<'a>(text: &'a str, markup: Option<&str>) -> std::borrow::Cow<'a, str> {
    let Some(m) = markup else {
        return text.into();
    };
    let mut out = String::with_capacity(m.len());
    let mut rest = m;
    while let Some(lt) = rest.find(['<', '&']) {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with('&') {
            let end = rest.find(';').unwrap_or(0);
            let ent = &rest[1..end.max(1)];
            let ch = match ent {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            match ch {
                Some(c) if end > 0 => {
                    out.push(c);
                    rest = &rest[end + 1..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        // A tag, comment or CDATA.
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").unwrap_or(body.len());
            out.push_str(&body[..end]);
            rest = body.get(end + 3..).unwrap_or("");
            continue;
        }
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[end..];
            continue;
        }
        let close = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..close];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[close..];
        if matches!(name.as_str(), "bpt" | "ept" | "ph" | "it" | "ut") {
            out.push('\u{FFFC}');
            if !tag.ends_with("/>") && !tag.starts_with("</") {
                // Skip the element's content (the native code) up to its end tag.
                let end_tag = format!("</{name}>");
                let end = rest
                    .find(&end_tag)
                    .map_or(rest.len(), |e| e + end_tag.len());
                rest = &rest[end..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// How a language writes numbers: its decimal mark and its group separators (after
/// normalisation, so Arabic `٫ ٬` are `.` and `,`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberStyle {
    /// The decimal mark.
    pub decimal: char,
    /// The usual group separator (written by [`super::transfer`]).
    pub group: char,
}

impl NumberStyle {
    /// The conventions of a language (primary subtag): `fr` `6 500,5` (no-break space),
    /// `ar` and `en` (and the default) `6,500.5`.
    pub fn for_lang(lang: &str) -> NumberStyle {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        match primary.to_ascii_lowercase().as_str() {
            "fr" | "de" | "es" | "it" | "pt" | "ru" | "nl" | "pl" | "tr" => NumberStyle {
                decimal: ',',
                group: if primary.eq_ignore_ascii_case("fr") {
                    '\u{00A0}'
                } else {
                    '.'
                },
            },
            _ => NumberStyle {
                decimal: '.',
                group: ',',
            },
        }
    }
}

/// A number's value as read with a language's conventions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NumValue {
    /// The integer digits (ASCII), without separators.
    pub int: String,
    /// The fraction digits, if there is a decimal mark.
    pub frac: Option<String>,
    /// True when the integer part was written with group separators.
    pub grouped: bool,
}

impl NumValue {
    /// Reads a number token (normalised text: ASCII digits and separators).
    ///
    /// A no-break or thin space always separates groups. With two different marks the last
    /// one is the decimal mark (`6.500,5`, `6,500.5`); a mark used more than once groups
    /// (`1,000,000`); a single mark that is the language's decimal mark is one (`6,500` is
    /// 6.5 in French); the other mark groups when exactly three digits follow it (`6,500` in
    /// English), else it is a decimal mark too (`6,5` in an English text is 6.5).
    ///
    /// ```
    /// use dragoman::tm::fuzzy::{NumValue, NumberStyle};
    /// let en = NumberStyle::for_lang("en");
    /// let fr = NumberStyle::for_lang("fr");
    /// assert_eq!(NumValue::parse("6,500", en).int, "6500");
    /// assert_eq!(NumValue::parse("6,5", fr).frac.as_deref(), Some("5"));
    /// assert_eq!(NumValue::parse("6\u{a0}500", fr).int, "6500");
    /// ```
    pub fn parse(raw: &str, style: NumberStyle) -> NumValue {
        let seps: Vec<(usize, char)> = raw
            .char_indices()
            .filter(|&(_, c)| !c.is_ascii_digit())
            .collect();
        let marks: Vec<(usize, char)> = seps
            .iter()
            .copied()
            .filter(|&(_, c)| matches!(c, ',' | '.'))
            .collect();
        let decimal_at = match marks.as_slice() {
            [] => None,
            [(at, c)] => {
                let after = raw[at + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .count();
                if *c == style.decimal {
                    Some(*at)
                } else if after == 3 {
                    None
                } else {
                    Some(*at)
                }
            }
            many => {
                let (last_at, last_c) = many[many.len() - 1];
                if many.iter().any(|&(_, c)| c != last_c) {
                    Some(last_at)
                } else {
                    None
                }
            }
        };
        let (int_part, frac) = match decimal_at {
            Some(at) => (&raw[..at], Some(raw[at + 1..].to_string())),
            None => (raw, None),
        };
        let int: String = int_part.chars().filter(char::is_ascii_digit).collect();
        NumValue {
            grouped: int.len() != int_part.len(),
            int,
            frac,
        }
    }

    /// The value as a canonical string (`6500`, `6.5`): equal values, equal strings.
    pub fn canonical(&self) -> String {
        let int = self.int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        match &self.frac {
            Some(f) if !f.trim_end_matches('0').is_empty() => {
                format!("{int}.{}", f.trim_end_matches('0'))
            }
            _ => int.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(TokenKind, String)> {
        let t = tokenize(s);
        t.tokens
            .iter()
            .map(|x| (x.kind, t.text(x).to_string()))
            .collect()
    }

    #[test]
    fn words_numbers_punctuation() {
        use TokenKind::*;
        assert_eq!(
            kinds("The A320 cost $6,500.50, (2024)."),
            [
                (Word, "the".into()),
                (Word, "a320".into()),
                (Word, "cost".into()),
                (Punct, "$".into()),
                (Number, "6,500.50".into()),
                (Punct, ",".into()),
                (Punct, "(".into()),
                (Number, "2024".into()),
                (Punct, ")".into()),
                (Punct, ".".into()),
            ]
        );
    }

    #[test]
    fn white_space_is_ignored() {
        assert_eq!(kinds("a  b\t c"), kinds(" a b c "));
    }

    #[test]
    fn arabic_and_french_numbers() {
        assert_eq!(kinds("بلغ ٦٬٥٠٠ دينار")[1].1, "6,500");
        assert_eq!(kinds("soit 6\u{202F}500 euros")[1].1, "6\u{202F}500");
        // An ordinary space separates numbers.
        assert_eq!(kinds("in 2020 100 people").len(), 4);
        // An Arabic clitic before a number, a Latin word with digits.
        assert_eq!(kinds("و2022")[1], (TokenKind::Number, "2022".into()));
        assert_eq!(kinds("A320").len(), 1);
    }

    #[test]
    fn codes() {
        use TokenKind::*;
        let k: Vec<TokenKind> = kinds("<b>OK</b> {1} \u{FFFC} a<b c")
            .iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(k, [Code, Word, Code, Code, Code, Word, Punct, Word, Word]);
    }

    #[test]
    fn number_values() {
        let en = NumberStyle::for_lang("en");
        let fr = NumberStyle::for_lang("fr-CA");
        let ar = NumberStyle::for_lang("ar");
        let c = |raw: &str, st| NumValue::parse(raw, st).canonical();
        assert_eq!(c("6,500", en), "6500");
        assert_eq!(c("6,500", ar), "6500");
        assert_eq!(c("6.5", ar), "6.5");
        assert_eq!(c("6.5", en), "6.5");
        assert_eq!(c("6,5", fr), "6.5");
        assert_eq!(c("6,500", fr), "6.5");
        assert_eq!(c("6.500", fr), "6500");
        assert_eq!(c("6\u{a0}500", fr), "6500");
        assert_eq!(c("6\u{202f}500,25", fr), "6500.25");
        assert_eq!(c("1,000,000", en), "1000000");
        assert_eq!(c("1.000.000,5", fr), "1000000.5");
        assert_eq!(c("1,234.50", en), "1234.5");
        assert_eq!(c("2024", en), "2024");
        assert!(NumValue::parse("6,500", en).grouped);
        assert!(!NumValue::parse("6500", en).grouped);
    }

    #[test]
    fn matching_text_of_markup() {
        let m = r#"<ph x="1">&lt;br/&gt;</ph>a<it pos="begin">x</it> <hi>b</hi><ut>y</ut>&#65;"#;
        assert_eq!(
            matching_text("a b", Some(m)),
            "\u{FFFC}a\u{FFFC} b\u{FFFC}A"
        );
        assert_eq!(matching_text("plain", None), "plain");
    }
}
