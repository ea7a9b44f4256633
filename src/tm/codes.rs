//! Plain text from inline codes, for the formats that have no inline elements (CSV, TSV,
//! Moses).
//!
//! Every reader puts a segment's inline codes in one canonical form, TMX 1.4b `<seg>` content
//! ([`super::VariantExtra::markup`]); [`super::Variant::text`] is the text with the codes'
//! content left out, which is what CAT tools match on but not what a person reading a
//! spreadsheet needs: `Insert <ph>%s</ph> here` would become `Insert  here`, and
//! `line<ph>&lt;br/&gt;</ph>break` would become `linebreak`. A plain-text output renders the
//! markup instead, with one of two rules ([`Codes`]):
//!
//! - **native** (the default): the native code text of `<ph>`, `<bpt>`, `<ept>`, `<it>` and
//!   `<ut>` is kept, unescaped, where it stands (`Insert %s here`, `line<br/>break`,
//!   `<b>bold</b>`), `<sub>` text in its place inside it;
//! - **strip**: code content is dropped, but `<sub>` text (translatable text inside a code,
//!   such as an `alt` attribute) is kept in place, set off by spaces.
//!
//! In both modes `<hi>` content is text, and two words are never glued: a code that leaves no
//! text and stands between two non-space characters becomes one space when it is a
//! placeholder (`<ph>`) or stands for a break (its native code is a line end or a block or
//! break element: `<br>`, `<p>`, `<div>`, `<li>`, `<td>`, RTF `\par`, ...). A paired
//! formatting code (`<bpt>`/`<ept>` of `<b>`, `<i>`, `<span>`...) leaves nothing, since it
//! may stand inside a word (`un<b>believ</b>able`). White space around codes is kept as it
//! is (`a <ph/> b` stays `a  b` in strip mode).

use std::borrow::Cow;

use super::xml::{unescape_into, UnescapeError};
use super::{Entry, Unit};

/// How plain-text outputs render inline codes (`--codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Codes {
    /// Keep the native code text (`%s`, `<br/>`) and `<sub>` text where they stand.
    #[default]
    Native,
    /// Drop code content (keeping `<sub>` text), never gluing two words.
    Strip,
}

impl Codes {
    /// Parses `native` or `strip`.
    ///
    /// # Errors
    /// A message naming the accepted values.
    pub fn from_name(s: &str) -> Result<Codes, String> {
        match s.to_ascii_lowercase().as_str() {
            "native" => Ok(Codes::Native),
            "strip" => Ok(Codes::Strip),
            _ => Err(format!("{s:?}: use native or strip")),
        }
    }
}

impl std::fmt::Display for Codes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Codes::Native => "native",
            Codes::Strip => "strip",
        })
    }
}

impl std::str::FromStr for Codes {
    type Err = String;
    fn from_str(s: &str) -> Result<Codes, String> {
        Codes::from_name(s)
    }
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    Hi,
    Sub,
    /// A code element: whether it is a placeholder (`<ph>`), and the lengths of the output
    /// and of the hidden text when it opened.
    Code {
        placeholder: bool,
        out: usize,
        hidden: usize,
    },
}

/// The rendering state of one segment, fed by a parser's events (the TMX reader's rows mode
/// and its scanner share it, so that both give the same text). Reset with [`Render::begin`].
#[derive(Debug, Default)]
pub(crate) struct Render {
    mode: Codes,
    stack: Vec<Frame>,
    /// A code that left no text asked for a space before the next text, if it would otherwise
    /// touch a non-space character.
    pending: bool,
    /// Code content not written (strip mode), to tell a break from formatting.
    hidden: String,
}

impl Render {
    pub(crate) fn new(mode: Codes) -> Render {
        Render {
            mode,
            ..Default::default()
        }
    }

    /// Starts a segment.
    pub(crate) fn begin(&mut self) {
        self.stack.clear();
        self.pending = false;
        self.hidden.clear();
    }

    /// True when text here goes to the output: outside codes, in native mode, or in a
    /// `<sub>` nearer than any code.
    fn visible(&self) -> bool {
        if self.mode == Codes::Native {
            return true;
        }
        for f in self.stack.iter().rev() {
            match f {
                Frame::Sub => return true,
                Frame::Code { .. } => return false,
                Frame::Hi => {}
            }
        }
        true
    }

    fn in_code(&self) -> bool {
        self.stack.iter().any(|f| matches!(f, Frame::Code { .. }))
    }

    /// Text content, escaped (`raw`) or not (CDATA).
    pub(crate) fn text(
        &mut self,
        out: &mut String,
        raw: &str,
        escaped: bool,
    ) -> Result<(), UnescapeError> {
        if raw.is_empty() {
            return Ok(());
        }
        if !self.visible() {
            return if escaped {
                unescape_into(&mut self.hidden, raw)
            } else {
                self.hidden.push_str(raw);
                Ok(())
            };
        }
        let at = out.len();
        if escaped {
            unescape_into(out, raw)?;
        } else {
            out.push_str(raw);
        }
        if self.pending && out.len() > at {
            self.pending = false;
            let before = out[..at].chars().next_back();
            let after = out[at..].chars().next();
            if let (Some(b), Some(a)) = (before, after) {
                if !b.is_whitespace() && !a.is_whitespace() {
                    out.insert(at, ' ');
                }
            }
        }
        Ok(())
    }

    /// A start tag of an inline element (`hi`, `sub`, or a code).
    pub(crate) fn start(&mut self, out: &str, name: &[u8]) {
        match name {
            b"hi" => self.stack.push(Frame::Hi),
            b"sub" => {
                if self.mode == Codes::Strip && self.in_code() {
                    self.pending = true;
                }
                self.stack.push(Frame::Sub);
            }
            _ => self.stack.push(Frame::Code {
                placeholder: name == b"ph",
                out: out.len(),
                hidden: self.hidden.len(),
            }),
        }
    }

    /// The end tag of the innermost open inline element.
    pub(crate) fn end(&mut self, out: &str) {
        match self.stack.pop() {
            Some(Frame::Sub) => {
                if self.mode == Codes::Strip && self.in_code() {
                    self.pending = true;
                }
            }
            Some(Frame::Code {
                placeholder,
                out: len,
                hidden,
            }) => {
                let left_text = out.len() > len;
                if !left_text && (placeholder || is_break(&self.hidden[hidden..])) {
                    self.pending = true;
                }
                self.hidden.truncate(hidden);
            }
            Some(Frame::Hi) | None => {}
        }
    }

    /// An empty inline element (`<ph/>`, `<bpt i="1"/>`).
    pub(crate) fn empty(&mut self, out: &str, name: &[u8]) {
        if name != b"hi" && name != b"sub" {
            self.start(out, name);
            self.end(out);
        }
    }
}

/// True when a native code stands for a break between words: a line end, or a break or
/// block element (HTML/XML), or an RTF paragraph or line mark.
fn is_break(native: &str) -> bool {
    if native.contains(['\n', '\r']) {
        return true;
    }
    let t = native.trim_start();
    if let Some(rest) = t.strip_prefix('\\') {
        return ["par", "line", "sect", "page", "cell", "row"]
            .iter()
            .any(|w| {
                rest.strip_prefix(w)
                    .is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic()))
            });
    }
    let Some(rest) = t.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "br" | "p"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "dt"
            | "dd"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "tab"
            | "lb"
            | "cr"
    )
}

/// The plain text of TMX `<seg>` content (`markup`, as in [`super::VariantExtra::markup`]).
///
/// ```
/// use dragoman::tm::codes::{render, Codes};
/// let m = "Insert <ph x=\"1\">%s</ph> in<ph x=\"2\">&lt;br/&gt;</ph>line, <bpt i=\"1\">&lt;b&gt;</bpt>bold<ept i=\"1\">&lt;/b&gt;</ept>";
/// assert_eq!(render(m, Codes::Native).unwrap(), "Insert %s in<br/>line, <b>bold</b>");
/// assert_eq!(render(m, Codes::Strip).unwrap(), "Insert  in line, bold");
/// ```
///
/// # Errors
/// Markup that is not well-formed (readers never produce it): a message.
pub fn render(markup: &str, mode: Codes) -> Result<String, String> {
    let mut r = Render::new(mode);
    let mut out = String::with_capacity(markup.len());
    let b = markup.as_bytes();
    let mut i = 0;
    let bad = |e: UnescapeError| e.message;
    while i < b.len() {
        let Some(off) = memchr::memchr(b'<', &b[i..]) else {
            r.text(&mut out, &markup[i..], true).map_err(bad)?;
            break;
        };
        let lt = i + off;
        r.text(&mut out, &markup[i..lt], true).map_err(bad)?;
        let rest = &markup[lt..];
        if let Some(c) = rest.strip_prefix("<!--") {
            let e = c.find("-->").ok_or("unclosed comment")?;
            i = lt + 4 + e + 3;
        } else if let Some(c) = rest.strip_prefix("<![CDATA[") {
            let e = c.find("]]>").ok_or("unclosed CDATA section")?;
            r.text(&mut out, &c[..e], false).map_err(bad)?;
            i = lt + 9 + e + 3;
        } else {
            // The end of the tag: the first `>` outside quotes.
            let mut q = None;
            let mut j = lt + 1;
            while j < b.len() {
                match (q, b[j]) {
                    (None, b'"' | b'\'') => q = Some(b[j]),
                    (Some(c), x) if c == x => q = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j == b.len() {
                return Err("unclosed tag".into());
            }
            let tag = &b[lt + 1..j];
            if tag.first() == Some(&b'/') {
                if r.stack.is_empty() {
                    return Err("end tag without a start tag".into());
                }
                r.end(&out);
            } else if tag.first() != Some(&b'?') {
                let n = tag
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || *c == b'/')
                    .unwrap_or(tag.len());
                let name = &tag[..n];
                if tag.last() == Some(&b'/') {
                    r.empty(&out, name);
                } else {
                    r.start(&out, name);
                }
            }
            i = j + 1;
        }
    }
    if !r.stack.is_empty() {
        return Err("unclosed inline element".into());
    }
    Ok(out)
}

/// `e`'s unit with each variant's text rendered from its markup (where it has some) by `mode`:
/// what CSV, TSV and Moses writers write. Borrowed when no variant has markup.
pub fn plain_unit(e: &Entry, mode: Codes) -> Cow<'_, Unit> {
    if e.extras.iter().all(|x| x.markup.is_none()) {
        return Cow::Borrowed(&e.unit);
    }
    let mut u = e.unit.clone();
    for (v, x) in u.variants.iter_mut().zip(&e.extras) {
        if let Some(m) = &x.markup {
            // Markup comes from the readers, well-formed; were it not, the plain text stays.
            if let Ok(t) = render(m, mode) {
                v.text = t;
            }
        }
    }
    Cow::Owned(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(m: &str) -> (String, String) {
        (
            render(m, Codes::Native).unwrap(),
            render(m, Codes::Strip).unwrap(),
        )
    }

    #[test]
    fn native_keeps_code_text_strip_never_glues_words() {
        assert_eq!(
            both("word<ph>&lt;br/&gt;</ph>word"),
            ("word<br/>word".into(), "word word".into())
        );
        assert_eq!(
            both("a translation <ph>%s</ph>"),
            ("a translation %s".into(), "a translation ".into())
        );
        // An empty placeholder (XLIFF <x/>) between words: a space in both modes.
        assert_eq!(
            both("one<ph x=\"1\"/>two"),
            ("one two".into(), "one two".into())
        );
        // Paired formatting inside a word leaves nothing in strip mode.
        assert_eq!(
            both("un<bpt i=\"1\">&lt;b&gt;</bpt>believ<ept i=\"1\">&lt;/b&gt;</ept>able"),
            ("un<b>believ</b>able".into(), "unbelievable".into())
        );
        // A paired code that stands for a paragraph does separate.
        assert_eq!(
            both("end.<ept i=\"1\">&lt;/p&gt;</ept><bpt i=\"2\">&lt;p&gt;</bpt>Next"),
            ("end.</p><p>Next".into(), "end. Next".into())
        );
        assert_eq!(both("a<it pos=\"begin\">\\par </it>b").1, "a b");
        // A code whose native text is a line end.
        assert_eq!(both("a<ph>\n</ph>b"), ("a\nb".into(), "a b".into()));
    }

    #[test]
    fn sub_text_is_kept_in_place_and_hi_is_text() {
        let m = "See <ph x=\"1\">&lt;img alt=\"<sub>A cat</sub>\"/&gt;</ph>here and <hi type=\"b\">there</hi>";
        assert_eq!(
            both(m),
            (
                "See <img alt=\"A cat\"/>here and there".into(),
                "See A cat here and there".into()
            )
        );
        assert_eq!(both("<![CDATA[a<b]]> &amp; c<!-- x -->d").0, "a<b & cd");
    }

    #[test]
    fn malformed_markup_is_an_error_not_a_panic() {
        for m in [
            "<ph>",
            "</ph>",
            "<ph x=\"1",
            "a &bogus; b",
            "<!-- x",
            "<![CDATA[x",
        ] {
            assert!(render(m, Codes::Native).is_err(), "{m}");
        }
    }
}
