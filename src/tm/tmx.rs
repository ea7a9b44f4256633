//! TMX: writes 1.4b, reads 1.1 to 1.4b as found in the wild.
//!
//! The [`Writer`] streams `<tu>`s; every file it writes validates against `tmx14.dtd` and
//! follows the conventions CAT tools depend on (`shared/bench/cat/CONVENTIONS.md` §2): UTF-8
//! without BOM, `<!DOCTYPE tmx SYSTEM "tmx14.dtd">` and no internal subset, every DTD-required
//! header attribute, BCP 47 `xml:lang`, the source `<tuv>` first, every `<tu>` complete (the
//! same languages in every unit), no empty or padded `<seg>`, TMX dates, no XML-illegal
//! character.
//!
//! The [`Reader`] streams too (see its docs): memory depends on the largest unit, not the file.

use std::io::Write;

use super::xml::{escape_attr, escape_text, strip_illegal};
use super::{norm_lang, Entry, Error, Note, Prop, Unit, VariantExtra, OUTPUT};
use crate::Lang;

mod reader;
pub use super::chunk::Base;
pub(crate) use super::xml::{find_illegal, from_utf8};
pub(crate) use reader::{tmx_date, TuCounts};

/// Counts the one `<tu>` that `bytes` holds (see [`TuCounts`]); false when the counter gives
/// up (invalid UTF-8 included) and the unit must be parsed.
pub(crate) fn count_tu<'t>(bytes: &'t [u8], out: &mut TuCounts<'t>) -> bool {
    match super::xml::from_utf8(bytes) {
        Ok(t) => reader::tu_counts(t, 0, out) == Some(t.len()),
        Err(_) => false,
    }
}
pub use reader::{
    parse_body_chunk, parse_body_chunk_rows, parse_body_chunk_rows_report,
    parse_body_chunk_rows_unlisted, parse_body_chunk_text, Chunk, Reader, RowsReport, CHUNK,
    MAX_UNIT,
};

/// The `<header>` of a TMX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Source language (BCP 47); a reader may also report `*all*`, which writers refuse.
    pub srclang: String,
    /// Language of notes and props.
    pub adminlang: String,
    /// Creation date `YYYYMMDDThhmmssZ`.
    pub creation_date: Option<String>,
    /// `creationtool`.
    pub creation_tool: String,
    /// `creationtoolversion`.
    pub creation_tool_version: String,
    /// `segtype`: `sentence` (default), `paragraph`, `phrase` or `block`.
    pub segtype: String,
    /// `datatype`: `plaintext` for aligned plain text.
    pub datatype: String,
    /// `o-tmf`: the format the data came from.
    pub o_tmf: String,
    /// Header properties (`<header><prop>`).
    pub props: Vec<Prop>,
    /// Header notes.
    pub notes: Vec<Note>,
    /// User-defined encodings (`<header><ude>`), each element's XML exactly as read.
    pub udes: Vec<String>,
    /// Other header attributes (`creationid`, `changedate`, `changeid`, `o-encoding`),
    /// verbatim.
    pub attrs: super::Attrs,
}

impl Header {
    /// A header naming dragoman as the creation tool.
    pub fn new(srclang: &str) -> Header {
        Header {
            srclang: srclang.to_string(),
            adminlang: "en".into(),
            creation_date: None,
            creation_tool: "dragoman".into(),
            creation_tool_version: env!("CARGO_PKG_VERSION").into(),
            segtype: "sentence".into(),
            datatype: "plaintext".into(),
            o_tmf: "dragoman".into(),
            props: Vec::new(),
            notes: Vec::new(),
            udes: Vec::new(),
            attrs: Vec::new(),
        }
    }
}

/// The attributes TMX 1.4b allows on `<header>` beyond those [`Header`] has fields for.
const HEADER_ATTRS: &[&str] = &["o-encoding", "creationid", "changedate", "changeid"];
/// The attributes TMX 1.4b allows on `<tu>` beyond `tuid` and `creationdate`.
const TU_ATTRS: &[&str] = &[
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationid",
    "changedate",
    "segtype",
    "changeid",
    "o-tmf",
    "srclang",
];
/// The attributes TMX 1.4b allows on `<tuv>` beyond `xml:lang`.
const TUV_ATTRS: &[&str] = &[
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationdate",
    "creationid",
    "changedate",
    "o-tmf",
    "changeid",
];

/// Writes the kept attributes the DTD allows on this element (`allowed`); others (read from a
/// TMX 1.1 file, or another format) are left out so the file stays valid.
fn kept_attrs(s: &mut String, attrs: &[(String, String)], allowed: &[&str]) {
    for (n, v) in attrs {
        if allowed.contains(&n.as_str()) {
            attr(s, n, v);
        }
    }
}

/// True for a TMX date: `YYYYMMDDThhmmssZ` (UTC).
pub fn is_tmx_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'T'
        && b[9..15].iter().all(u8::is_ascii_digit)
        && b[15] == b'Z'
}

fn io(e: std::io::Error) -> Error {
    Error::io(OUTPUT, e)
}

fn lang_tag(tag: &str, what: &str) -> Result<String, Error> {
    Lang::parse(tag)
        .map(|l| l.as_str().to_string())
        .map_err(|e| Error::invalid(OUTPUT, format!("{what}: {e}")))
}

/// Streams units out as TMX 1.4b.
///
/// The languages of the file are the header's `srclang` and the languages of the first unit
/// (or those given to [`Writer::set_langs`]); every later unit must have exactly these, each
/// with non-empty text, or [`Writer::write_unit`] fails without writing anything of it.
/// Text is trimmed (OmegaT trims segments, so padding only breaks exact matches) and stripped of
/// XML-illegal characters.
///
/// ```
/// use dragoman::tm::{tmx, Unit, Variant, Prop};
/// let mut h = tmx::Header::new("ar");
/// h.creation_date = Some("20261124T120000Z".into());
/// let mut w = tmx::Writer::new(Vec::new(), &h).unwrap();
/// w.write_unit(&Unit {
///     id: Some("1".into()),
///     props: vec![Prop::new("x-document", "article")],
///     variants: vec![Variant::new("ar", "مرحبا"), Variant::new("en", "Hello & welcome")],
///     ..Default::default()
/// }).unwrap();
/// let xml = String::from_utf8(w.finish().unwrap()).unwrap();
/// assert!(xml.contains(r#"<tuv xml:lang="en"><seg>Hello &amp; welcome</seg></tuv>"#));
/// ```
pub struct Writer<W: Write> {
    w: W,
    srclang: String,
    langs: Option<Vec<String>>,
    buf: String,
    written: u64,
    partial: bool,
}

impl<W: Write> Writer<W> {
    /// Writes the prolog and header.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a header CAT tools would reject (`srclang` or `adminlang` not a
    /// BCP 47 tag, `*all*`, a malformed date, an unknown `segtype`, empty required
    /// attributes); I/O errors.
    pub fn new(mut w: W, h: &Header) -> Result<Self, Error> {
        if h.srclang == "*all*" {
            return Err(Error::invalid(
                OUTPUT,
                "srclang=\"*all*\" is refused by Trados and others: name the source language",
            ));
        }
        let srclang = lang_tag(&h.srclang, "srclang")?;
        let adminlang = lang_tag(&h.adminlang, "adminlang")?;
        if !["sentence", "paragraph", "phrase", "block"].contains(&h.segtype.as_str()) {
            return Err(Error::invalid(
                OUTPUT,
                format!(
                    "segtype {}: use sentence, paragraph, phrase or block",
                    crate::error::quoted(&h.segtype)
                ),
            ));
        }
        for (name, v) in [
            ("creationtool", &h.creation_tool),
            ("creationtoolversion", &h.creation_tool_version),
            ("datatype", &h.datatype),
            ("o-tmf", &h.o_tmf),
        ] {
            if v.trim().is_empty() {
                return Err(Error::invalid(
                    OUTPUT,
                    format!("empty {name} in the TMX header"),
                ));
            }
        }
        let mut s = String::with_capacity(512);
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n  <header");
        attr(&mut s, "creationtool", &h.creation_tool);
        attr(&mut s, "creationtoolversion", &h.creation_tool_version);
        attr(&mut s, "datatype", &h.datatype);
        attr(&mut s, "segtype", &h.segtype);
        attr(&mut s, "o-tmf", &h.o_tmf);
        attr(&mut s, "adminlang", &adminlang);
        attr(&mut s, "srclang", &srclang);
        if let Some(d) = &h.creation_date {
            check_date(d)?;
            attr(&mut s, "creationdate", d);
        }
        kept_attrs(&mut s, &h.attrs, HEADER_ATTRS);
        if h.props.is_empty() && h.notes.is_empty() && h.udes.is_empty() {
            s.push_str("/>\n");
        } else {
            s.push_str(">\n");
            write_notes_props(&mut s, "    ", &h.notes, &h.props);
            for u in &h.udes {
                s.push_str("    ");
                s.push_str(u);
                s.push('\n');
            }
            s.push_str("  </header>\n");
        }
        s.push_str("  <body>\n");
        w.write_all(s.as_bytes()).map_err(io)?;
        Ok(Writer {
            w,
            srclang,
            langs: None,
            buf: String::with_capacity(1024),
            written: 0,
            partial: false,
        })
    }

    /// Fixes the languages of the file (source first) instead of taking them from the first
    /// unit. The first must be the header's `srclang`.
    ///
    /// # Errors
    /// Invalid tags, a duplicate, a first language other than `srclang`, or units already
    /// written.
    pub fn set_langs(&mut self, langs: &[String]) -> Result<(), Error> {
        if self.written > 0 {
            return Err(Error::invalid(OUTPUT, "set_langs after units were written"));
        }
        let mut v = Vec::with_capacity(langs.len());
        for l in langs {
            let t = lang_tag(l, "language")?;
            if v.contains(&t) {
                return Err(Error::invalid(OUTPUT, format!("language {t} given twice")));
            }
            v.push(t);
        }
        if v.first() != Some(&self.srclang) {
            return Err(Error::invalid(
                OUTPUT,
                format!("the first language must be srclang {}", self.srclang),
            ));
        }
        if v.len() < 2 {
            return Err(Error::invalid(OUTPUT, "a TMX needs at least two languages"));
        }
        self.langs = Some(v);
        Ok(())
    }

    /// Accepts units that lack some target languages of the file (default: refused). Every
    /// `<tu>` still needs the source language (CAT tools index on `srclang`) and at least one
    /// target. Used by `merge`, where units of `ar-en` and `ar-fr` memories that share a source
    /// are joined and the others keep the languages they have.
    pub fn allow_partial(&mut self, yes: bool) {
        self.partial = yes;
    }

    /// A writer for `<tu>`s only (no prolog, header or closing tags), with the file's languages
    /// fixed: used to encode chunks in parallel, then spliced with [`Writer::write_raw`].
    ///
    /// # Errors
    /// As [`Writer::set_langs`].
    pub fn fragment(w: W, langs: &[String]) -> Result<Self, Error> {
        let srclang = lang_tag(langs.first().map_or("", String::as_str), "srclang")?;
        let mut this = Writer {
            w,
            srclang,
            langs: None,
            buf: String::with_capacity(1024),
            written: 0,
            partial: false,
        };
        this.set_langs(langs)?;
        Ok(this)
    }

    /// Writes bytes produced by a [`Writer::fragment`] with the same languages.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_raw(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.w.write_all(bytes).map_err(io)
    }

    /// The number of units written so far.
    pub fn units_written(&self) -> u64 {
        self.written
    }

    /// Writes one `<tu>`.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing written) for a unit missing a language of the file, with an
    /// extra or duplicate language, with an empty segment, or with a malformed date or inline
    /// markup; I/O errors.
    pub fn write_unit(&mut self, u: &Unit) -> Result<(), Error> {
        self.write_with_extras(u, &[])
    }

    /// Writes one `<tu>` with the extras of its variants (inline markup, `<tuv>` props and
    /// notes), as read by [`Reader::read_entry`].
    ///
    /// # Errors
    /// As [`Writer::write_unit`].
    pub fn write_entry(&mut self, e: &Entry) -> Result<(), Error> {
        self.write_with_extras(&e.unit, &e.extras)
    }

    fn write_with_extras(&mut self, u: &Unit, extras: &[VariantExtra]) -> Result<(), Error> {
        if self.langs.is_none() {
            let mut v = vec![self.srclang.clone()];
            for var in &u.variants {
                let t = lang_tag(&var.lang, "language of a variant")?;
                if !v.contains(&t) {
                    v.push(t);
                }
            }
            if v.len() < 2 {
                return Err(Error::invalid(
                    OUTPUT,
                    format!("{}: a TMX unit needs a source and a target", unit_name(u)),
                ));
            }
            self.langs = Some(v);
        }
        let file_langs = self.langs.as_ref().expect("set above");
        // Map each file language to the unit's variant; refuse anything incomplete or extra
        // (with `partial`, a language outside the file's list is written after them).
        let mut langs: std::borrow::Cow<'_, [String]> = file_langs.as_slice().into();
        let mut order: Vec<Option<usize>> = vec![None; langs.len()];
        for (i, var) in u.variants.iter().enumerate() {
            let pos = match langs.iter().position(|l| *l == var.lang) {
                Some(p) => Some(p),
                None => norm_lang(&var.lang).and_then(|n| langs.iter().position(|l| *l == n)),
            };
            let pos = match pos {
                None if self.partial => {
                    let t = lang_tag(&var.lang, "language of a variant")?;
                    langs.to_mut().push(t);
                    order.push(None);
                    Some(langs.len() - 1)
                }
                p => p,
            };
            let Some(p) = pos else {
                return Err(Error::invalid(
                    OUTPUT,
                    format!(
                        "{}: language {} is not one of this file's ({})",
                        unit_name(u),
                        var.lang,
                        langs.join(", ")
                    ),
                ));
            };
            if order[p].is_some() {
                return Err(Error::invalid(
                    OUTPUT,
                    format!("{}: two variants in {}", unit_name(u), langs[p]),
                ));
            }
            order[p] = Some(i);
        }
        let s = &mut self.buf;
        s.clear();
        s.push_str("    <tu");
        if let Some(id) = &u.id {
            attr(s, "tuid", id);
        }
        if let Some(d) = &u.created {
            check_date(d)?;
            attr(s, "creationdate", d);
        }
        kept_attrs(s, &u.attrs, TU_ATTRS);
        s.push_str(">\n");
        write_notes_props(s, "      ", &u.notes, &u.props);
        if self.partial && order[0].is_some() && order[1..].iter().all(Option::is_none) {
            return Err(Error::invalid(
                OUTPUT,
                format!(
                    "{}: only {} text; a TMX unit needs a source and a target",
                    unit_name(u),
                    langs[0]
                ),
            ));
        }
        // A `<tu srclang>` of its own (TMX 1.4b section 3.3) lets a unit lack the header's.
        let own_source = self.partial
            && order.iter().flatten().count() >= 2
            && super::attr_value(&u.attrs, "srclang").is_some_and(|l| {
                l == "*all*"
                    || norm_lang(l).is_some_and(|n| {
                        order
                            .iter()
                            .zip(langs.iter())
                            .any(|(o, x)| o.is_some() && *x == n)
                    })
            });
        for (p, idx) in order.iter().enumerate() {
            let Some(i) = *idx else {
                if self.partial && (p > 0 || own_source) {
                    continue;
                }
                return Err(Error::invalid(
                    OUTPUT,
                    format!(
                        "{}: no {} text; CAT tools mis-import incomplete units (OmegaT fills the gap with another language)",
                        unit_name(u),
                        langs[p]
                    ),
                ));
            };
            let var = &u.variants[i];
            let none = VariantExtra::default();
            let ex = extras.get(i).unwrap_or(&none);
            let text = strip_illegal(&var.text);
            let has_markup = ex.markup.as_deref().is_some_and(|m| !m.trim().is_empty());
            if text.trim().is_empty() && !has_markup {
                return Err(Error::invalid(
                    OUTPUT,
                    format!("{}: empty {} segment", unit_name(u), langs[p]),
                ));
            }
            s.push_str("      <tuv xml:lang=\"");
            s.push_str(&langs[p]);
            s.push('"');
            kept_attrs(s, &ex.attrs, TUV_ATTRS);
            if ex.props.is_empty() && ex.notes.is_empty() {
                s.push_str("><seg>");
            } else {
                s.push_str(">\n");
                write_notes_props(s, "        ", &ex.notes, &ex.props);
                s.push_str("        <seg>");
            }
            match &ex.markup {
                Some(m) if !m.trim().is_empty() => {
                    check_markup(m).map_err(|why| {
                        Error::invalid(
                            OUTPUT,
                            format!("{}: inline markup of {}: {why}", unit_name(u), langs[p]),
                        )
                    })?;
                    s.push_str(m.trim_matches(is_xml_space_or_unicode));
                }
                _ => escape_text(s, text.trim_matches(is_xml_space_or_unicode)),
            }
            s.push_str("</seg></tuv>\n");
        }
        s.push_str("    </tu>\n");
        self.w.write_all(s.as_bytes()).map_err(io)?;
        self.written += 1;
        Ok(())
    }

    /// Closes the document, flushes, and returns the inner writer.
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish(mut self) -> Result<W, Error> {
        self.w.write_all(b"  </body>\n</tmx>\n").map_err(io)?;
        self.w.flush().map_err(io)?;
        Ok(self.w)
    }
}

impl<W: Write> super::WriteUnits for Writer<W> {
    fn write_unit(&mut self, unit: &Unit) -> Result<(), Error> {
        Writer::write_unit(self, unit)
    }
    fn write_entry(&mut self, e: &Entry) -> Result<(), Error> {
        Writer::write_entry(self, e)
    }
    fn finish_boxed(self: Box<Self>) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

fn is_xml_space_or_unicode(c: char) -> bool {
    c.is_whitespace()
}

fn unit_name(u: &Unit) -> String {
    match &u.id {
        Some(id) => format!("unit {}", crate::error::quoted(id)),
        None => "a unit without tuid".to_string(),
    }
}

fn check_date(d: &str) -> Result<(), Error> {
    if is_tmx_date(d) {
        Ok(())
    } else {
        Err(Error::invalid(
            OUTPUT,
            format!(
                "date {} is not a TMX date (YYYYMMDDThhmmssZ, UTC)",
                crate::error::quoted(d)
            ),
        ))
    }
}

fn attr(s: &mut String, name: &str, value: &str) {
    s.push(' ');
    s.push_str(name);
    s.push_str("=\"");
    escape_attr(s, value);
    s.push('"');
}

fn write_notes_props(s: &mut String, indent: &str, notes: &[Note], props: &[Prop]) {
    for n in notes {
        s.push_str(indent);
        s.push_str("<note");
        if let Some(l) = &n.lang {
            attr(s, "xml:lang", l);
        }
        s.push('>');
        escape_text(s, &n.text);
        s.push_str("</note>\n");
    }
    for p in props {
        s.push_str(indent);
        s.push_str("<prop");
        attr(s, "type", &p.kind);
        if let Some(l) = &p.lang {
            attr(s, "xml:lang", l);
        }
        s.push('>');
        escape_text(s, &p.value);
        s.push_str("</prop>\n");
    }
}

/// Checks that inline markup is a well-formed TMX `<seg>` content: only the inline elements the
/// DTD allows, predefined entities, XML characters. Markup comes from the TMX reader, which
/// already guarantees this; the check keeps a hand-built `Unit` from breaking the file.
fn check_markup(m: &str) -> Result<(), String> {
    use quick_xml::events::Event;
    if let Some(i) = super::xml::find_illegal(m.as_bytes()) {
        return Err(format!("XML-illegal character at byte {i}"));
    }
    let mut r = quick_xml::Reader::from_str(m);
    let mut depth = 0usize;
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if !INLINE.contains(&e.name().as_ref()) => {
                return Err(format!(
                    "<{}> is not a TMX inline element",
                    String::from_utf8_lossy(e.name().as_ref())
                ))
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.checked_sub(1).ok_or("unbalanced end tag")?,
            Event::Text(t) => {
                super::xml::unescape_into(&mut String::new(), &String::from_utf8_lossy(&t))
                    .map_err(|e| e.message)?
            }
            Event::Empty(_) | Event::CData(_) | Event::Comment(_) => {}
            Event::Eof => break,
            _ => return Err("declarations and processing instructions are not allowed".into()),
        }
    }
    if depth != 0 {
        return Err("unclosed element".into());
    }
    Ok(())
}

/// Elements allowed inside `<seg>` (and nested in them).
pub(crate) const INLINE: [&[u8]; 7] = [b"bpt", b"ept", b"ph", b"it", b"hi", b"ut", b"sub"];

#[cfg(test)]
mod tests {
    use super::super::{Entry, Variant};
    use super::*;

    fn unit(id: &str, pairs: &[(&str, &str)]) -> Unit {
        Unit {
            id: Some(id.into()),
            variants: pairs.iter().map(|(l, t)| Variant::new(*l, *t)).collect(),
            ..Default::default()
        }
    }

    fn write(units: &[Unit]) -> Result<String, Error> {
        let mut h = Header::new("ar");
        h.creation_date = Some("20261124T120000Z".into());
        let mut w = Writer::new(Vec::new(), &h)?;
        for u in units {
            w.write_unit(u)?;
        }
        Ok(String::from_utf8(w.finish()?).unwrap())
    }

    #[test]
    fn escapes_strips_and_trims() {
        let x = write(&[unit(
            "a\"b",
            &[
                ("ar", "  س <b> & \u{1}c\u{B} "),
                ("EN", "x\r\ny ]]> \u{FFFE}"),
            ],
        )])
        .unwrap();
        assert!(x.contains(r#"<tu tuid="a&quot;b">"#), "{x}");
        assert!(x.contains("<seg>س &lt;b&gt; &amp; c</seg>"), "{x}");
        assert!(x.contains(r#"<tuv xml:lang="en"><seg>x&#13;"#), "{x}");
        assert!(x.contains("]]&gt;"), "{x}");
    }

    #[test]
    fn refuses_incomplete_empty_and_bad_units() {
        let ok = unit("1", &[("ar", "س"), ("en", "x")]);
        let missing = unit("2", &[("ar", "س")]);
        let empty = unit("3", &[("ar", "س"), ("en", " \u{1} ")]);
        let extra = unit("4", &[("ar", "س"), ("en", "x"), ("fr", "y")]);
        let twice = unit("5", &[("ar", "س"), ("en", "x"), ("en", "z")]);
        let bad_lang = unit("6", &[("ar", "س"), ("english", "x")]);
        for bad in [missing, empty, extra, twice, bad_lang] {
            let e = write(&[ok.clone(), bad.clone()]).unwrap_err();
            assert!(matches!(e, Error::Invalid { .. }), "{bad:?}: {e}");
        }
        let mut d = ok.clone();
        d.created = Some("2026-11-24".into());
        assert!(write(&[d]).is_err());
    }

    #[test]
    fn refuses_bad_headers() {
        for (f, v) in [("srclang", "*all*"), ("srclang", "ar_SA"), ("segtype", "x")] {
            let mut h = Header::new("ar");
            match f {
                "srclang" => h.srclang = v.into(),
                _ => h.segtype = v.into(),
            }
            assert!(Writer::new(Vec::new(), &h).is_err(), "{f}={v}");
        }
    }

    #[test]
    fn source_first_and_deterministic() {
        let u = unit("1", &[("en", "x"), ("ar", "س")]);
        let a = write(std::slice::from_ref(&u)).unwrap();
        assert_eq!(a, write(&[u]).unwrap());
        let ar = a.find("xml:lang=\"ar\"").unwrap();
        let en = a.find("xml:lang=\"en\"").unwrap();
        assert!(ar < en);
    }

    #[test]
    fn markup_is_written_intact_and_checked() {
        let u = unit("1", &[("ar", "س"), ("en", "bold x")]);
        let mut ex = vec![VariantExtra::default(), VariantExtra::default()];
        ex[1].markup =
            Some(r#"<bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept> x"#.into());
        let w = |ex: &[VariantExtra]| -> Result<String, Error> {
            let mut w = Writer::new(Vec::new(), &Header::new("ar"))?;
            w.write_entry(&Entry {
                unit: u.clone(),
                extras: ex.to_vec(),
            })?;
            Ok(String::from_utf8(w.finish()?).unwrap())
        };
        let x = w(&ex).unwrap();
        assert!(
            x.contains(r#"<seg><bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept> x</seg>"#)
        );
        ex[1].markup = Some("<g id=\"1\">x</g>".into());
        assert!(w(&ex).is_err());
        ex[1].markup = Some("<bpt i=\"1\">".into());
        assert!(w(&ex).is_err());
    }

    #[test]
    fn dates() {
        assert!(is_tmx_date("20261124T120000Z"));
        assert!(!is_tmx_date("20261124T120000"));
        assert!(!is_tmx_date("2026-11-24T12:00:00Z"));
    }
}
