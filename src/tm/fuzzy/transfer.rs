//! Number transfer: when a match differs from the query only in numbers, the TM translation
//! gets the query's numbers, written in the target language's conventions, and is marked
//! adjusted (what memoQ and Trados do with "auto-adjusted" numbers).
//!
//! The `i`-th number of the TM source corresponds to the `i`-th number of the query (their
//! words are the same, so their numbers are in the same places). Each source number whose value
//! changed is looked up, by value, among the numbers of the translation (read with the target's
//! conventions: `6,500` in English and `6 500` in French are the same value) and rewritten:
//! - digits in the translation's own system (Western, or Eastern Arabic `٠-٩` when the
//!   translation used them there);
//! - groups of three when the query or the translation grouped that number (the translation's
//!   own separator if it had one, else the target's: `,` English and Arabic, no-break space
//!   French, `٬` with Eastern Arabic digits);
//! - the target's decimal mark (`.` English, `,` French, `٫` with Eastern Arabic digits).
//!
//! When a changed number is not found in the translation (spelt out, or reordered into an
//! ambiguous place) nothing is adjusted: [`transfer_numbers`] returns `None` and the match is
//! shown as it is.

use std::ops::Range;

use super::score::Prepared;
use super::tokens::{tokenize, NumValue, NumberStyle, TokenKind};

/// A translation with adjusted numbers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Adjusted {
    /// The translation with the query's numbers.
    pub text: String,
    /// What was replaced, in the order it appears.
    pub changes: Vec<Change>,
}

/// One replaced number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Byte range of the new number in [`Adjusted::text`].
    pub span: Range<usize>,
    /// The number the translation had.
    pub from: String,
    /// The number written instead.
    pub to: String,
}

/// Puts the query's numbers into the TM translation `target`, when `query` and `source`
/// (texts in `src_lang`) differ only in numbers (same word keys). `None` when they differ in
/// anything but numbers and punctuation, when no number changed, or when a changed number
/// cannot be found in the translation.
///
/// ```
/// use dragoman::tm::fuzzy::transfer_numbers;
/// let a = transfer_numbers("بلغ العجز ٦٬٥٠٠ دينار", "بلغ العجز ٥٬٠٠٠ دينار",
///                          "The deficit reached 5,000 dinars", "ar", "en").unwrap();
/// assert_eq!(a.text, "The deficit reached 6,500 dinars");
/// ```
pub fn transfer_numbers(
    query: &str,
    source: &str,
    target: &str,
    src_lang: &str,
    tgt_lang: &str,
) -> Option<Adjusted> {
    let q = Prepared::new(query, src_lang);
    let s = Prepared::new(source, src_lang);
    if !q.tokens.keys().eq(s.tokens.keys()) || q.numbers == s.numbers {
        return None;
    }
    let qstyle = NumberStyle::for_lang(src_lang);
    let qnums: Vec<NumValue> = q
        .tokens
        .of_kind(TokenKind::Number)
        .map(|t| NumValue::parse(q.tokens.text(t), qstyle))
        .collect();
    let tstyle = NumberStyle::for_lang(tgt_lang);
    let t = tokenize(target);
    let mut tnums: Vec<(Range<usize>, NumValue)> = Vec::new();
    let nums: Vec<_> = t.of_kind(TokenKind::Number).collect();
    let mut i = 0;
    while i < nums.len() {
        // A French-style number written with ordinary spaces between groups (`5 000`): the
        // tokenizer splits it (a space separates numbers), the translation is read whole.
        let mut j = i;
        if tstyle.decimal == ',' {
            while j + 1 < nums.len()
                && nums[j].span.end + 1 == nums[j + 1].span.start
                && t.norm.text[nums[j].span.end..].starts_with(' ')
                && t.text(nums[j + 1])
                    .split(',')
                    .next()
                    .is_some_and(|g| g.len() == 3)
                && !t.text(nums[j]).contains(',')
            {
                j += 1;
            }
        }
        let span = nums[i].span.start..nums[j].span.end;
        let raw = t.norm.text[span.clone()].replace(' ', "\u{a0}");
        tnums.push((
            t.norm.original_tight(span, target),
            NumValue::parse(&raw, tstyle),
        ));
        i = j + 1;
    }
    let mut used = vec![false; tnums.len()];
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (i, (sv, qv)) in s.numbers.iter().zip(&q.numbers).enumerate() {
        if sv == qv {
            // Unchanged: reserve its occurrence in the translation so that a changed number
            // with the same value takes the next one.
            if let Some(j) = (0..tnums.len()).find(|&j| !used[j] && tnums[j].1.canonical() == *sv) {
                used[j] = true;
            }
            continue;
        }
        let j = (0..tnums.len()).find(|&j| !used[j] && tnums[j].1.canonical() == *sv)?;
        used[j] = true;
        let (range, old) = &tnums[j];
        let text = format_number(&qnums[i], old, &target[range.clone()], tstyle);
        edits.push((range.clone(), text));
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(target.len() + 8);
    let mut changes = Vec::new();
    let mut at = 0;
    for (r, new) in edits {
        out.push_str(&target[at..r.start]);
        let start = out.len();
        out.push_str(&new);
        changes.push(Change {
            span: start..out.len(),
            from: target[r.clone()].to_string(),
            to: new,
        });
        at = r.end;
    }
    out.push_str(&target[at..]);
    Some(Adjusted { text: out, changes })
}

/// Writes `value` as the translation wrote `old` (its original text `orig`).
fn format_number(value: &NumValue, old: &NumValue, orig: &str, style: NumberStyle) -> String {
    let eastern = orig.chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c));
    let persian = orig.chars().any(|c| ('\u{06F0}'..='\u{06F9}').contains(&c));
    let own_group = if old.grouped {
        orig.chars()
            .find(|c| !c.is_numeric() && Some(*c) != decimal_in(orig, old))
    } else {
        None
    };
    let (group, decimal) = if eastern || persian {
        (own_group.unwrap_or('\u{066C}'), '\u{066B}')
    } else {
        (own_group.unwrap_or(style.group), style.decimal)
    };
    let mut s = String::new();
    let int = &value.int;
    let grouped = (value.grouped || old.grouped) && int.len() > 3;
    for (i, d) in int.chars().enumerate() {
        if grouped && i > 0 && (int.len() - i) % 3 == 0 {
            s.push(group);
        }
        s.push(d);
    }
    if let Some(f) = &value.frac {
        s.push(decimal);
        s.push_str(f);
    }
    if eastern || persian {
        let zero = if eastern { 0x0660 } else { 0x06F0 };
        s = s
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(zero + (c as u32 - '0' as u32)).unwrap_or(c),
                c => c,
            })
            .collect();
    }
    s
}

/// The decimal mark of an original number text, if it has a fraction.
fn decimal_in(orig: &str, v: &NumValue) -> Option<char> {
    let frac = v.frac.as_ref()?;
    let digits = frac.chars().count();
    orig.chars().rev().nth(digits)
}

// ---------------------------------------------------------------------------------------
// Inline codes.

/// A text with its inline codes: the plain text and, when it has codes, the markup (TMX
/// `<seg>` content, as in [`crate::tm::VariantExtra::markup`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coded<'a> {
    /// The plain text (code content left out).
    pub text: &'a str,
    /// The TMX markup, when the text has inline codes.
    pub markup: Option<&'a str>,
}

impl<'a> Coded<'a> {
    /// A text with its markup.
    pub fn new(text: &'a str, markup: Option<&'a str>) -> Coded<'a> {
        Coded { text, markup }
    }
}

/// A translation with the query's inline codes (see [`transfer_codes`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodesAdjusted {
    /// The translation's plain text. For a query given with markup it is the TM target's
    /// (code content is not part of a plain text); for a plain-text query, the query's typed
    /// codes (`<b>`, `{1}`) stand in it where the target's codes were.
    pub text: String,
    /// The translation's markup with the query's codes, for a query given with markup.
    pub markup: Option<String>,
    /// The codes replaced, in the target's order.
    pub changes: Vec<CodeChange>,
}

/// One replaced inline code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeChange {
    /// The TM target's code, as written in its markup.
    pub from: String,
    /// The query's code written instead.
    pub to: String,
}

/// How a code pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeKind {
    /// Standalone: TMX `<ph>`, `<ut>`; a typed `<x/>` or `{1}`.
    Ph,
    /// Opens a pair: `<bpt>`; a typed `<b>`.
    Begin,
    /// Closes a pair: `<ept>`; a typed `</b>`.
    End,
    /// `<it>`: half a pair whose other half is in another segment.
    Isolated,
}

/// One inline code of a segment.
#[derive(Debug, Clone, Copy)]
struct Code<'a> {
    kind: CodeKind,
    /// What pairs a begin with its end: TMX `i`, or a typed tag's name.
    pair: Option<&'a str>,
    /// TMX `x`: the code's id across the languages of a unit.
    x: Option<&'a str>,
    /// The code as written: the whole TMX element with its content, or the typed tag.
    raw: &'a str,
}

/// A segment cut into text and codes.
enum Piece<'a> {
    /// Text (escaped, in markup).
    Text(&'a str),
    /// An inline code.
    Code(Code<'a>),
    /// Markup that is neither (`<hi>`, `</hi>`, a comment): kept in markup, dropped in text.
    Other(&'a str),
}

/// The value of attribute `name` in a start tag (`<bpt i="1" x="2">`).
fn attr_of<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + name.len()..];
        if before.is_some_and(char::is_whitespace) {
            if let Some(v) = after.trim_start().strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    return v[1..].find(q).map(|e| &v[1..=e]);
                }
            }
        }
        rest = after;
    }
    None
}

/// The pieces of TMX markup: text, the inline elements (`<ph>`, `<bpt>`, `<ept>`, `<it>`,
/// `<ut>`, each with its content), and the rest.
fn markup_pieces(m: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = m[i..].find('<') {
        let lt = i + off;
        if lt > i {
            out.push(Piece::Text(&m[i..lt]));
        }
        let Some(gt) = m[lt..].find('>').map(|g| lt + g + 1) else {
            out.push(Piece::Text(&m[lt..]));
            return out;
        };
        let tag = &m[lt..gt];
        let closing = tag.starts_with("</");
        let name = tag
            .trim_start_matches(['<', '/'])
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("");
        let kind = match name {
            "ph" | "ut" => CodeKind::Ph,
            "bpt" => CodeKind::Begin,
            "ept" => CodeKind::End,
            "it" => CodeKind::Isolated,
            _ => {
                out.push(Piece::Other(tag));
                i = gt;
                continue;
            }
        };
        let mut end = gt;
        if !closing && !tag.ends_with("/>") {
            let end_tag = format!("</{name}>");
            end = m[gt..]
                .find(&end_tag)
                .map_or(m.len(), |e| gt + e + end_tag.len());
        }
        out.push(Piece::Code(Code {
            kind,
            pair: attr_of(tag, "i"),
            x: attr_of(tag, "x"),
            raw: &m[lt..end],
        }));
        i = end;
    }
    if i < m.len() {
        out.push(Piece::Text(&m[i..]));
    }
    out
}

/// The pieces of a plain text with codes typed in it, as the tokenizer finds them: `<b>`,
/// `</b>`, `<x id="1"/>`, `{1}`.
fn text_pieces(t: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let (mut i, mut text_from) = (0, 0);
    while let Some(off) = t[i..].find(['<', '{']) {
        let at = i + off;
        let Some(n) = super::tokens::code_len(&t[at..]) else {
            i = at + 1;
            continue;
        };
        if at > text_from {
            out.push(Piece::Text(&t[text_from..at]));
        }
        let raw = &t[at..at + n];
        let name = raw
            .trim_start_matches(['<', '/'])
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next();
        let kind = if raw.starts_with('{') || raw.ends_with("/>") {
            CodeKind::Ph
        } else if raw.starts_with("</") {
            CodeKind::End
        } else {
            CodeKind::Begin
        };
        out.push(Piece::Code(Code {
            kind,
            pair: name.filter(|_| kind != CodeKind::Ph),
            x: None,
            raw,
        }));
        i = at + n;
        text_from = i;
    }
    if text_from < t.len() {
        out.push(Piece::Text(&t[text_from..]));
    }
    out
}

fn codes_of<'a>(pieces: &[Piece<'a>]) -> Vec<Code<'a>> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Code(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// For each code, the index of the code it pairs with (a begin with the first later
/// unpaired end of the same key).
fn partners(codes: &[Code<'_>]) -> Vec<Option<usize>> {
    let mut p = vec![None; codes.len()];
    for (b, c) in codes.iter().enumerate() {
        if c.kind != CodeKind::Begin {
            continue;
        }
        let end = (b + 1..codes.len())
            .find(|&e| p[e].is_none() && codes[e].kind == CodeKind::End && codes[e].pair == c.pair);
        if let Some(e) = end {
            p[b] = Some(e);
            p[e] = Some(b);
        }
    }
    p
}

/// Puts the query's inline codes into the TM translation, when the query and the TM source
/// differ only in their codes (attributes, ids, native content): the same words, numbers and
/// number of codes, of the same kinds and pairing, in the same order.
///
/// The `k`-th code of the TM source corresponds to the `k`-th code of the query (the words
/// around them are the same). Each code of the translation is matched to a code of the TM
/// source: a `<bpt>`/`<ept>` by its `i`, else a code by its `x` (the id TMX writers and
/// dragoman's XLIFF reader give a code in every language), else by the same element, else
/// the next code of the same kind; then it is replaced by the query's code at that place.
///
/// The query comes with its markup (from a TMX or XLIFF source: the result has markup), or
/// as plain text with codes typed in it (`<b>`, `{1}`: the result is plain text, the typed
/// codes where the translation's codes were).
///
/// `None` when anything but codes (and punctuation) differs, when the code counts, kinds or
/// pairs differ (then the codes penalty stays and nothing is adjusted), when a code of the
/// translation has no counterpart in the source, or when nothing would change.
///
/// ```
/// use dragoman::tm::fuzzy::{transfer_codes, Coded};
/// let query = r#"Press <ph x="1">%2$s</ph> now"#;
/// let source = r#"Press <ph x="1">%1$s</ph> now"#;
/// let target = r#"Appuyez sur <ph x="1">%1$s</ph> maintenant"#;
/// let a = transfer_codes(
///     Coded::new("Press  now", Some(query)),
///     Coded::new("Press  now", Some(source)),
///     Coded::new("Appuyez sur  maintenant", Some(target)),
///     "en",
/// )
/// .unwrap();
/// assert_eq!(a.markup.as_deref(), Some(r#"Appuyez sur <ph x="1">%2$s</ph> maintenant"#));
/// ```
pub fn transfer_codes(
    query: Coded<'_>,
    source: Coded<'_>,
    target: Coded<'_>,
    src_lang: &str,
) -> Option<CodesAdjusted> {
    let (smarkup, tmarkup) = (source.markup?, target.markup?);
    let qtext = super::matching_text(query.text, query.markup);
    let q = Prepared::new(&qtext, src_lang);
    let s = Prepared::new(&super::matching_text(source.text, Some(smarkup)), src_lang);
    if !q.tokens.keys().eq(s.tokens.keys()) || q.numbers != s.numbers {
        return None;
    }
    let qp = match query.markup {
        Some(m) => markup_pieces(m),
        None => text_pieces(query.text),
    };
    let (qc, sc) = (codes_of(&qp), codes_of(&markup_pieces(smarkup)));
    let same_kinds = qc.len() == sc.len() && qc.iter().zip(&sc).all(|(a, b)| a.kind == b.kind);
    if qc.is_empty() || !same_kinds || partners(&qc) != partners(&sc) {
        return None;
    }
    let tp = markup_pieces(tmarkup);
    let mut used = vec![false; sc.len()];
    let mut find = |ok: &dyn Fn(&Code<'_>) -> bool| {
        let j = (0..sc.len()).find(|&j| !used[j] && ok(&sc[j]))?;
        used[j] = true;
        Some(j)
    };
    let mut out = String::with_capacity(tmarkup.len() + 16);
    let mut changes = Vec::new();
    for p in &tp {
        match p {
            Piece::Text(t) if query.markup.is_some() => out.push_str(t),
            Piece::Text(t) => super::super::xml::unescape_into(&mut out, t).ok()?,
            Piece::Other(o) if query.markup.is_some() => out.push_str(o),
            Piece::Other(_) => {}
            Piece::Code(t) => {
                let kind = t.kind;
                let paired = matches!(kind, CodeKind::Begin | CodeKind::End) && t.pair.is_some();
                let j = if paired {
                    find(&|c| c.kind == kind && c.pair == t.pair)
                } else {
                    None
                }
                .or_else(|| {
                    t.x.and_then(|x| find(&|c| c.kind == kind && c.x == Some(x)))
                })
                .or_else(|| find(&|c| c.raw == t.raw))
                .or_else(|| find(&|c| c.kind == kind))?;
                out.push_str(qc[j].raw);
                if qc[j].raw != t.raw {
                    changes.push(CodeChange {
                        from: t.raw.to_string(),
                        to: qc[j].raw.to_string(),
                    });
                }
            }
        }
    }
    match query.markup {
        Some(_) if changes.is_empty() => None,
        Some(_) => Some(CodesAdjusted {
            text: target.text.to_string(),
            markup: Some(out),
            changes,
        }),
        None => Some(CodesAdjusted {
            text: out,
            markup: None,
            changes,
        }),
    }
}

/// True when the query and the TM source have the same number of codes but not the same
/// codes (attributes, ids or content): the match index sees every TMX code as one
/// placeholder, so such a pair scores as if the codes were equal; callers take the codes
/// penalty off the percentage with this.
pub fn codes_differ(query_markup: Option<&str>, source_markup: Option<&str>) -> bool {
    let raws = |m: Option<&str>| -> Vec<String> {
        m.map(|m| {
            codes_of(&markup_pieces(m))
                .iter()
                .map(|c| c.raw.to_string())
                .collect()
        })
        .unwrap_or_default()
    };
    let (q, s) = (raws(query_markup), raws(source_markup));
    q.len() == s.len() && q != s
}

/// Reads one query written with inline codes, as TMX `<seg>` content (`Format::Tmx`) or
/// XLIFF 1.2 `<source>` content (`Format::Xliff`: `<g>`, `<x/>`, `<bx/>`, `<ex/>`, `<ph>`,
/// `<bpt>`/`<ept>`, `<it>`), into its plain text and its markup in TMX form, with the
/// format's own reader: the codes are those a unit of that format would have in the TM.
/// `name` is how the query is called in messages (`query 3`).
///
/// ```
/// use dragoman::tm::{fuzzy::read_coded, Format};
/// let (text, markup) = read_coded(r#"Read <g id="7">the guide</g>."#, Format::Xliff, "en", "q").unwrap();
/// assert_eq!(text, "Read the guide.");
/// assert!(markup.unwrap().contains(r#"x="7""#));
/// ```
///
/// # Errors
/// Malformed markup (the reader's message), a format other than TMX or XLIFF.
pub fn read_coded(
    fragment: &str,
    format: crate::tm::Format,
    lang: &str,
    name: &str,
) -> Result<(String, Option<String>), crate::tm::Error> {
    use crate::tm::{Format, ReadUnits};
    let path = std::path::Path::new(name);
    let mut la = String::new();
    crate::tm::xml::escape_attr(&mut la, lang);
    let mut r: Box<dyn ReadUnits> = match format {
        Format::Tmx => {
            let doc = format!(
                "<tmx version=\"1.4\"><header srclang=\"{la}\" segtype=\"sentence\" \
                 adminlang=\"en\" datatype=\"plaintext\" o-tmf=\"q\" creationtool=\"q\" \
                 creationtoolversion=\"1\"/><body><tu><tuv xml:lang=\"{la}\"><seg>{fragment}\
                 </seg></tuv></tu></body></tmx>"
            );
            Box::new(crate::tm::tmx::Reader::from_reader(
                std::io::Cursor::new(doc.into_bytes()),
                path,
            )?)
        }
        Format::Xliff => {
            let doc = format!(
                "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\
                 <file source-language=\"{la}\" datatype=\"plaintext\" original=\"q\"><body>\
                 <trans-unit id=\"q\"><source>{fragment}</source></trans-unit></body></file>\
                 </xliff>"
            );
            Box::new(crate::tm::xliff::Reader::from_reader(
                std::io::Cursor::new(doc.into_bytes()),
                path,
            )?)
        }
        other => {
            return Err(crate::tm::Error::invalid(
                name,
                format!("queries with codes are TMX or XLIFF, not {other:?}"),
            ))
        }
    };
    let Some(mut e) = r.read_entry()? else {
        return Ok((String::new(), None));
    };
    let markup = e.extras.first_mut().and_then(|x| x.markup.take());
    let text = e
        .unit
        .variants
        .into_iter()
        .next()
        .map(|v| v.text)
        .unwrap_or_default();
    Ok((text, markup))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(q: &str, s: &str, t: &str, sl: &str, tl: &str) -> Option<String> {
        transfer_numbers(q, s, t, sl, tl).map(|a| a.text)
    }

    const AR_SRC: &str = "بلغ العجز ٥٬٠٠٠ دينار";

    #[test]
    fn eastern_arabic_digits_with_arabic_separator_to_english() {
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "The deficit reached 5,000 dinars",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The deficit reached 6,500 dinars"));
    }

    #[test]
    fn western_digits_with_comma_to_english() {
        let t = tr(
            "بلغ العجز 6,500 دينار",
            AR_SRC,
            "The deficit reached 5,000 dinars",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The deficit reached 6,500 dinars"));
    }

    #[test]
    fn persian_digits_ungrouped_take_the_translations_grouping() {
        let t = tr(
            "بلغ العجز ۶۵۰۰ دينار",
            AR_SRC,
            "The deficit reached 5,000 dinars",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The deficit reached 6,500 dinars"));
    }

    #[test]
    fn to_french_with_no_break_space() {
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "Le déficit a atteint 5000 dinars",
            "ar",
            "fr",
        );
        assert_eq!(t.as_deref(), Some("Le déficit a atteint 6\u{a0}500 dinars"));
        // The translation's own narrow no-break space is kept.
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "Le déficit a atteint 5\u{202f}000 dinars",
            "ar",
            "fr",
        );
        assert_eq!(
            t.as_deref(),
            Some("Le déficit a atteint 6\u{202f}500 dinars")
        );
    }

    #[test]
    fn french_groups_with_ordinary_spaces() {
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "Le déficit a atteint 5 000 dinars",
            "ar",
            "fr",
        );
        assert_eq!(t.as_deref(), Some("Le déficit a atteint 6 500 dinars"));
    }

    #[test]
    fn decimals() {
        let src = "ارتفع النمو ٥٫٢ بالمئة";
        let q = "ارتفع النمو ٦٫٥ بالمئة";
        assert_eq!(
            tr(q, src, "Growth rose 5.2 percent", "ar", "en").as_deref(),
            Some("Growth rose 6.5 percent")
        );
        assert_eq!(
            tr(q, src, "La croissance a augmenté de 5,2 %", "ar", "fr").as_deref(),
            Some("La croissance a augmenté de 6,5 %")
        );
        // Western decimal point in the Arabic query.
        assert_eq!(
            tr(
                "ارتفع النمو 6.5 بالمئة",
                src,
                "Growth rose 5.2 percent",
                "ar",
                "en"
            )
            .as_deref(),
            Some("Growth rose 6.5 percent")
        );
    }

    #[test]
    fn into_arabic_with_eastern_digits() {
        let t = tr(
            "The deficit reached 6,500 dinars",
            "The deficit reached 5,000 dinars",
            "بلغ العجز ٥٬٠٠٠ دينار",
            "en",
            "ar",
        );
        assert_eq!(t.as_deref(), Some("بلغ العجز ٦٬٥٠٠ دينار"));
        let t = tr(
            "It cost 2.5 dinars",
            "It cost 1.5 dinars",
            "كلف ١٫٥ دينار",
            "en",
            "ar",
        );
        assert_eq!(t.as_deref(), Some("كلف ٢٫٥ دينار"));
    }

    #[test]
    fn french_source_to_english() {
        let t = tr(
            "Le coût est de 6 500,5 euros",
            "Le coût est de 5 000,5 euros",
            "The cost is 5,000.5 euros",
            "fr",
            "en",
        );
        assert_eq!(
            t, None,
            "an ordinary space splits the numbers: 5 is not in the translation"
        );
        let t = tr(
            "Le coût est de 6\u{a0}500,5 euros",
            "Le coût est de 5\u{a0}000,5 euros",
            "The cost is 5,000.5 euros",
            "fr",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The cost is 6,500.5 euros"));
    }

    #[test]
    fn several_numbers_and_repeats() {
        let t = tr(
            "من 5 إلى 7 أيام",
            "من 5 إلى 6 أيام",
            "from 5 to 6 days",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("from 5 to 7 days"));
        let a = transfer_numbers(
            "في 2021 و2022",
            "في 2020 و2020",
            "in 2020 and 2020",
            "ar",
            "en",
        )
        .unwrap();
        assert_eq!(a.text, "in 2021 and 2022");
        assert_eq!(a.changes.len(), 2);
        assert_eq!(&a.text[a.changes[1].span.clone()], "2022");
    }

    #[test]
    fn nothing_to_adjust() {
        // Words differ.
        assert_eq!(
            tr("بلغ الدين ٦ دينار", "بلغ العجز ٥ دينار", "5", "ar", "en"),
            None
        );
        // Same numbers.
        assert_eq!(tr("بلغ ٥", "بلغ ٥", "5", "ar", "en"), None);
        // The number is spelt out in the translation.
        assert_eq!(tr("بلغ ٦", "بلغ ٥", "reached five", "ar", "en"), None);
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    fn tc(q: Coded<'_>, s: Coded<'_>, t: Coded<'_>) -> Option<CodesAdjusted> {
        transfer_codes(q, s, t, "en")
    }

    #[test]
    fn ph_content_and_id_come_from_the_query() {
        let a = tc(
            Coded::new(
                "Click  to save",
                Some(r#"Click <ph x="3">&lt;img src="b.png"/&gt;</ph> to save"#),
            ),
            Coded::new(
                "Click  to save",
                Some(r#"Click <ph x="1">&lt;img src="a.png"/&gt;</ph> to save"#),
            ),
            Coded::new(
                "Cliquez sur  pour enregistrer",
                Some(r#"Cliquez sur <ph x="1">&lt;img src="a.png"/&gt;</ph> pour enregistrer"#),
            ),
        )
        .unwrap();
        assert_eq!(
            a.markup.as_deref(),
            Some(r#"Cliquez sur <ph x="3">&lt;img src="b.png"/&gt;</ph> pour enregistrer"#)
        );
        assert_eq!(a.text, "Cliquez sur  pour enregistrer");
        assert_eq!(a.changes.len(), 1);
        assert_eq!(
            a.changes[0].from,
            r#"<ph x="1">&lt;img src="a.png"/&gt;</ph>"#
        );
    }

    #[test]
    fn bpt_ept_pairs_follow_the_targets_order() {
        // The translation puts the two pairs the other way round: each is found by its `i`.
        let q = r#"<bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> or <bpt i="2">&lt;i&gt;</bpt>quit<ept i="2">&lt;/i&gt;</ept>"#;
        let s = r#"<bpt i="1">&lt;strong&gt;</bpt>Save<ept i="1">&lt;/strong&gt;</ept> or <bpt i="2">&lt;em&gt;</bpt>quit<ept i="2">&lt;/em&gt;</ept>"#;
        let t = r#"<bpt i="2">&lt;em&gt;</bpt>Quitter<ept i="2">&lt;/em&gt;</ept> ou <bpt i="1">&lt;strong&gt;</bpt>enregistrer<ept i="1">&lt;/strong&gt;</ept>"#;
        let a = tc(
            Coded::new("Save or quit", Some(q)),
            Coded::new("Save or quit", Some(s)),
            Coded::new("Quitter ou enregistrer", Some(t)),
        )
        .unwrap();
        assert_eq!(
            a.markup.as_deref(),
            Some(
                r#"<bpt i="2">&lt;i&gt;</bpt>Quitter<ept i="2">&lt;/i&gt;</ept> ou <bpt i="1">&lt;b&gt;</bpt>enregistrer<ept i="1">&lt;/b&gt;</ept>"#
            )
        );
        assert_eq!(a.changes.len(), 4);
    }

    #[test]
    fn empty_pairs_of_xliff_g_take_the_querys_ids() {
        // `<g id="7">` read from XLIFF 1.2 is an empty bpt/ept pair with x = the XLIFF id.
        let q = r#"Read <bpt i="1" x="7"/>the guide<ept i="1"/>."#;
        let s = r#"Read <bpt i="1" x="2"/>the guide<ept i="1"/>."#;
        let t = r#"Lisez <bpt i="1" x="2"/>le guide<ept i="1"/>."#;
        let a = tc(
            Coded::new("Read the guide.", Some(q)),
            Coded::new("Read the guide.", Some(s)),
            Coded::new("Lisez le guide.", Some(t)),
        )
        .unwrap();
        assert_eq!(
            a.markup.as_deref(),
            Some(r#"Lisez <bpt i="1" x="7"/>le guide<ept i="1"/>."#)
        );
    }

    #[test]
    fn typed_codes_in_a_plain_query_go_into_a_plain_translation() {
        let s = r#"Delete <ph x="1">{0}</ph> files from <bpt i="1">&lt;b&gt;</bpt>Trash<ept i="1">&lt;/b&gt;</ept>"#;
        let t = r#"Supprimer <ph x="1">{0}</ph> fichiers de la <bpt i="1">&lt;b&gt;</bpt>Corbeille<ept i="1">&lt;/b&gt;</ept> &amp; co"#;
        let a = tc(
            Coded::new("Delete {1} files from <b>Trash</b>", None),
            Coded::new("Delete  files from Trash", Some(s)),
            Coded::new("Supprimer  fichiers de la Corbeille & co", Some(t)),
        )
        .unwrap();
        assert_eq!(a.text, "Supprimer {1} fichiers de la <b>Corbeille</b> & co");
        assert_eq!(a.markup, None);
    }

    #[test]
    fn no_transfer_when_codes_or_words_do_not_correspond() {
        let s = r#"Press <ph x="1">%s</ph> now"#;
        let t = r#"Appuyez <ph x="1">%s</ph> maintenant"#;
        let src = Coded::new("Press  now", Some(s));
        let tgt = Coded::new("Appuyez  maintenant", Some(t));
        // One code more in the query: the count differs.
        let two = r#"Press <ph x="1">%d</ph><ph x="2">%s</ph> now"#;
        assert_eq!(tc(Coded::new("Press  now", Some(two)), src, tgt), None);
        // A pair where the source has a placeholder: the kinds differ.
        let pair = r#"Press <bpt i="1">&lt;b&gt;</bpt><ept i="1">&lt;/b&gt;</ept> now"#;
        assert_eq!(tc(Coded::new("Press  now", Some(pair)), src, tgt), None);
        // A word differs.
        let other = r#"Push <ph x="1">%d</ph> now"#;
        assert_eq!(tc(Coded::new("Push  now", Some(other)), src, tgt), None);
        // A plain query without codes.
        assert_eq!(tc(Coded::new("Press now", None), src, tgt), None);
        // The same codes: nothing to adjust.
        assert_eq!(tc(Coded::new("Press  now", Some(s)), src, tgt), None);
        // A target code the source does not have.
        let extra = Coded::new("Appuyez", Some(r#"Appuyez <bpt i="1">x</bpt>"#));
        let q = Coded::new("Press  now", Some(r#"Press <ph x="1">%d</ph> now"#));
        assert_eq!(tc(q, src, extra), None);
        assert!(tc(q, src, tgt).is_some());
    }

    #[test]
    fn codes_differ_only_with_the_same_count() {
        let a = Some(r#"a <ph x="1">%s</ph>"#);
        let b = Some(r#"a <ph x="1">%d</ph>"#);
        assert!(codes_differ(a, b));
        assert!(!codes_differ(a, a));
        assert!(!codes_differ(None, a));
        assert!(!codes_differ(None, None));
    }
}
