//! The streaming TMX reader.
//!
//! How it stays flat and fast: the prolog and `<header>` are parsed first; the `<body>` is then
//! read in chunks of about [`CHUNK`] bytes cut just after a `</tu>` (outside comments and CDATA),
//! and each chunk is parsed on its own with quick-xml from a slice (borrowed events, no copy).
//! Memory is a few chunks, whatever the file size; `dragoman convert` parses chunks on both
//! cores ([`Reader::next_chunk`] + [`parse_body_chunk`]). For CSV/TSV output
//! ([`parse_body_chunk_rows`]) a lean scanner (`scan.rs`) reads the common shape of a `<tu>`
//! first and hands quick-xml only what it does not take, errors included.
//!
//! Safety: a DOCTYPE that declares entities (billion laughs, external entities) is refused
//! before anything is expanded, and nothing is ever fetched; only the five predefined entities
//! and character references are decoded, and a reference to an XML-illegal character is an
//! error. Raw XML-illegal characters and invalid UTF-8 are errors with their position. UTF-16
//! (with or without BOM), a UTF-8 BOM and the legacy encodings an XML declaration names
//! (windows-1252, ISO-8859-x, Shift_JIS...: everything encoding_rs knows) are accepted; an
//! unknown encoding is an error naming it. Line ends are normalised as XML 1.0 §2.11 says
//! (CRLF and CR read as LF; `&#13;` stays CR), in the input layer shared with XLIFF.
//!
//! What is read, and how:
//! - `<tu srclang>` (TMX 1.4 §3.3) overrides the header for its unit: the unit's source
//!   variant comes first in the [`Entry`] and `srclang` stays in [`Unit::attrs`] (the writer
//!   writes it back); with a header `srclang="*all*"` any language may be a unit's source.
//! - `xml:lang` (or TMX 1.1/1.2 `lang`, on `<tuv>`, `<prop>` and `<note>`) of variants is
//!   normalised to BCP 47 case (`EN-us` -> `en-US`, `en_US` -> `en-US`); that of props and
//!   notes is kept as written.
//! - `<seg>` text is kept exactly as read, white space included (TMX gives it meaning); the
//!   writers trim segments on purpose (CAT tools match on trimmed text). An empty `<seg/>` is
//!   a variant without text, which outputs leave out.
//! - [`Variant::text`] leaves the content of codes (`<bpt> <ept> <ph> <it> <ut>`, and the
//!   `<sub>` text inside them) out; [`VariantExtra::markup`] keeps all of it. Plain-text
//!   outputs render the markup with [`super::super::codes`] (the rows path does it while
//!   reading: native code text kept by default).
//! - `<prop>` and `<note>` hold text only (the DTD says `#PCDATA`): markup in them is an
//!   error with its place, never dropped silently. Their `o-encoding` is not kept.

use std::io::BufRead;
use std::path::Path;

use memchr::memmem;
use quick_xml::events::{BytesStart, Event};

use super::super::chunk::{Base, Input};
use super::super::codes::{Codes, Render};
use super::super::xml::{check_escapes, find_illegal, unescape_into};
use super::super::{norm_lang, Attrs, Entry, Error, Note, Prop, Unit, Variant, VariantExtra};
use super::{is_tmx_date, Header, INLINE};

mod scan;
pub(crate) use scan::{tu_counts, TuCounts};

/// What an invalid UTF-8 error adds: how a file in another encoding is read.
const NAME_THE_ENCODING: &str = ": a file in another encoding must name it in its XML \
     declaration (e.g. <?xml version=\"1.0\" encoding=\"windows-1252\"?>)";

/// Target chunk size for the body.
pub const CHUNK: usize = 1 << 20;
/// The largest single `<tu>` (or header) accepted, to bound memory on hostile input.
pub const MAX_UNIT: usize = 64 << 20;

/// A piece of the `<body>` holding whole `<tu>`s (and, for the last one, the end of the file).
#[derive(Debug)]
pub struct Chunk {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Where they start.
    pub base: Base,
    /// True for the last chunk, which must close `</body>` and `</tmx>`.
    pub last: bool,
}

/// Streams the units of a TMX file (1.1 to 1.4b).
///
/// ```
/// use dragoman::tm::tmx::Reader;
/// let tmx = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="ar" adminlang="en"
///   creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" datatype="plaintext"/>
///   <body><tu tuid="1"><tuv xml:lang="ar"><seg>سلام</seg></tuv>
///   <tuv xml:lang="en"><seg>Peace &amp; <ph x="1">&lt;br/&gt;</ph>quiet</seg></tuv></tu></body></tmx>"#;
/// let mut r = Reader::from_reader(tmx.as_bytes(), "x.tmx".as_ref()).unwrap();
/// assert_eq!(r.header().srclang, "ar");
/// let e = r.read_entry().unwrap().unwrap();
/// assert_eq!(e.unit.text("en"), Some("Peace & quiet"));
/// assert!(e.extras[1].markup.as_deref().unwrap().contains("<ph x=\"1\">"));
/// assert!(r.next().is_none());
/// ```
pub struct Reader<'a> {
    input: Input<'a>,
    header: Header,
    finished: bool,
    queue: std::collections::VecDeque<Entry>,
    langs: Vec<String>,
    srclang_unused: bool,
}

impl<'a> Reader<'a> {
    /// Reads the prolog and the `<header>`, and parses the first chunk of the body.
    ///
    /// # Errors
    /// Syntax errors with `path`, line and column (entity declarations, invalid UTF-8,
    /// malformed XML, no `<tmx>`/`<body>`, a header `srclang` that is not a language tag); I/O
    /// errors.
    pub fn from_reader(r: impl BufRead + 'a, path: &Path) -> Result<Reader<'a>, Error> {
        let mut this = Reader {
            input: Input::open(r, path)?,
            header: Header::new("*all*"),
            finished: false,
            queue: Default::default(),
            langs: Vec::new(),
            srclang_unused: false,
        };
        this.read_prolog()?;
        this.fill_queue()?;
        // Every language of the first chunk (not only of the first unit), in order of first
        // appearance: a multilingual memory whose first unit lacks a language still has it.
        let mut seen: Vec<String> = Vec::new();
        for e in &this.queue {
            for v in &e.unit.variants {
                if !v.text.trim().is_empty() && !seen.contains(&v.lang) {
                    seen.push(v.lang.clone());
                }
            }
        }
        let src = &this.header.srclang;
        let mut langs = Vec::new();
        if *src != "*all*" && (seen.is_empty() || seen.contains(src)) {
            langs.push(src.clone());
        } else if *src != "*all*" {
            this.srclang_unused = true;
        }
        for l in seen {
            if !langs.contains(&l) {
                langs.push(l);
            }
        }
        this.langs = langs;
        Ok(this)
    }

    /// The file's header (`srclang` normalised, or `*all*`).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// `srclang` (unless `*all*` or used by no `<tuv>` of the first chunk) then every language
    /// of the units in the first chunk (about [`CHUNK`] bytes), in order of first appearance.
    /// A language that first appears later is not listed: name it with `--langs`.
    pub fn langs(&self) -> &[String] {
        &self.langs
    }

    /// True when the header's `srclang` is used by no `<tuv>` of the first chunk (a header
    /// copied from another memory): [`Reader::langs`] then leaves it out, and the source is
    /// the first language the units have.
    pub fn srclang_unused(&self) -> bool {
        self.srclang_unused
    }

    /// The next unit, `Ok(None)` at the end of the file.
    ///
    /// # Errors
    /// Syntax errors with position; I/O errors.
    pub fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        Ok(self.read_entry()?.map(|e| e.unit))
    }

    /// The next unit with its variants' extras (inline markup, `<tuv>` props and notes).
    ///
    /// # Errors
    /// As [`Reader::read_unit`].
    pub fn read_entry(&mut self) -> Result<Option<Entry>, Error> {
        loop {
            if let Some(u) = self.queue.pop_front() {
                return Ok(Some(u));
            }
            if !self.fill_queue()? {
                return Ok(None);
            }
        }
    }

    fn fill_queue(&mut self) -> Result<bool, Error> {
        while self.queue.is_empty() {
            let Some(chunk) = self.next_chunk()? else {
                return Ok(false);
            };
            let mut units = Vec::new();
            parse_body_chunk(&chunk, &self.input.path, &mut units)?;
            self.queue.extend(units);
        }
        Ok(true)
    }

    /// Bytes of input consumed (parsed or handed out as chunks).
    pub fn bytes_read(&self) -> u64 {
        self.input.base.byte
    }

    /// Units parsed but not yet returned (they come before the next chunk's).
    pub fn take_queued(&mut self) -> Vec<Entry> {
        self.queue.drain(..).collect()
    }

    /// The next raw piece of the body, for parallel parsing with [`parse_body_chunk`]; call
    /// [`Reader::take_queued`] first, or units are lost. `Ok(None)` after the last chunk.
    ///
    /// # Errors
    /// I/O errors; a single unit larger than [`MAX_UNIT`].
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        if self.finished {
            return Ok(None);
        }
        let (bytes, base, last) =
            self.input
                .next_chunk(&[b"tu"], false, CHUNK, MAX_UNIT, &|| {
                    format!(
                        "a <tu> larger than {} MiB (or no </tu>): refused",
                        MAX_UNIT >> 20
                    )
                })?;
        self.finished = last;
        Ok(Some(Chunk { bytes, base, last }))
    }

    /// Gives back the bytes of a chunk this reader handed out, once parsed: the next chunks
    /// are read into them instead of into fresh memory.
    pub fn recycle(&mut self, buf: Vec<u8>) {
        self.input.recycle(buf);
    }

    fn err_at(&self, off: usize, msg: impl Into<String>) -> Error {
        Error::syntax(
            &self.input.path,
            self.input.base.position(&self.input.buf, off),
            msg,
        )
    }

    /// Parses everything up to and including `<body>`; leaves the body in `buf`.
    fn read_prolog(&mut self) -> Result<(), Error> {
        let mut want = 64 << 10;
        loop {
            self.input.fill(want)?;
            let last_try = self.input.eof || want >= MAX_UNIT;
            match self.try_prolog(last_try)? {
                Some((body_start, empty_body)) => {
                    self.input.take(body_start);
                    if empty_body {
                        // `<body/>`: let the body parser see an immediate `</body>`.
                        self.input.buf.splice(0..0, b"</body>".iter().copied());
                    }
                    return Ok(());
                }
                None if self.input.eof => {
                    return Err(self.err_at(
                        self.input.buf.len(),
                        "the file ends before <body>: truncated, or not a TMX",
                    ))
                }
                None if want >= MAX_UNIT => {
                    return Err(self.err_at(0, "no <body> in the first 64 MiB: refused"))
                }
                None => want *= 4,
            }
        }
    }

    /// Tries to parse the prolog from `buf`; `Some((offset after <body>, body is empty))`, or
    /// `None` if more input is needed. Syntax errors are only final on the `last_try`, since a
    /// cut buffer ends in the middle of some markup.
    fn try_prolog(&mut self, last_try: bool) -> Result<Option<(usize, bool)>, Error> {
        // Validate what we have: UTF-8 (allowing a character cut at the end) and XML chars.
        let valid = match std::str::from_utf8(&self.input.buf) {
            Ok(_) => self.input.buf.len(),
            Err(e) if e.error_len().is_none() && !self.input.eof => e.valid_up_to(),
            Err(e) => {
                return Err(self.err_at(
                    e.valid_up_to(),
                    format!(
                        "invalid UTF-8 (byte 0x{:02X}){NAME_THE_ENCODING}",
                        self.input.buf[e.valid_up_to()]
                    ),
                ))
            }
        };
        let text = std::str::from_utf8(&self.input.buf[..valid]).expect("checked");
        if let Some(i) = find_illegal(text.as_bytes()) {
            return Err(self.illegal_char(i));
        }
        let mut r = quick_xml::Reader::from_str(text);
        r.config_mut().check_end_names = false;
        r.config_mut().allow_unmatched_ends = true;
        let mut header = Header::new("*all*");
        let mut saw_tmx = false;
        let mut saw_header = false;
        let mut in_header = false;
        // Inside <header>: the element whose text we collect (prop or note), and the prop type.
        let mut collecting: Option<(bool, String, String)> = None;
        let mut collecting_lang: Option<String> = None;
        loop {
            let before = r.buffer_position() as usize;
            let ev = match r.read_event() {
                Ok(ev) => ev,
                Err(_) if !last_try => return Ok(None),
                Err(e) => return Err(self.err_at(r.error_position() as usize, xml_msg(&e))),
            };
            match ev {
                Event::Eof => return Ok(None),
                Event::Decl(d) => {
                    // The input layer has decoded what the declaration names (or refused an
                    // encoding it does not know, with its place); this only catches a
                    // declaration it could not see (e.g. after a comment).
                    if let Some(Ok(enc)) = d.encoding() {
                        let label = String::from_utf8_lossy(&enc).trim().to_string();
                        if encoding_rs::Encoding::for_label(label.as_bytes()).is_none() {
                            return Err(self.err_at(
                                before,
                                format!(
                                    "encoding {label:?} is not supported: convert the file to UTF-8"
                                ),
                            ));
                        }
                    }
                }
                Event::DocType(d) => {
                    let raw = d.as_ref();
                    if memmem::find(raw, b"<!ENTITY").is_some()
                        || memmem::find(&raw.to_ascii_uppercase(), b"ENTITY").is_some()
                    {
                        return Err(self.err_at(
                            before,
                            "the DOCTYPE declares entities: refused (entity expansion \
                             ('billion laughs') and external entities are never processed)",
                        ));
                    }
                }
                Event::PI(_) | Event::Comment(_) => {}
                // A header <prop> or <note> keeps its text exactly, white space included (a
                // value of one space is a value).
                Event::Text(t) if collecting.is_some() => {
                    let (_, _, ref mut s) = collecting.as_mut().expect("checked");
                    unescape_into(s, as_str(&t))
                        .map_err(|e| self.err_at(before + e.offset, e.message))?;
                }
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::CData(t) if collecting.is_some() => {
                    let (_, _, ref mut s) = collecting.as_mut().expect("checked");
                    s.push_str(as_str(&t));
                }
                Event::Start(e) | Event::Empty(e) if !saw_tmx => {
                    if e.name().as_ref() != b"tmx" {
                        return Err(
                            self.err_at(before, "not a TMX file: the root element is not <tmx>")
                        );
                    }
                    saw_tmx = true;
                }
                Event::Start(e) if e.name().as_ref() == b"header" && !saw_header => {
                    self.header_attrs(&e, before, &mut header)?;
                    saw_header = true;
                    in_header = true;
                }
                Event::Empty(e) if e.name().as_ref() == b"header" && !saw_header => {
                    self.header_attrs(&e, before, &mut header)?;
                    saw_header = true;
                }
                Event::Start(e) if in_header && collecting.is_none() => {
                    match e.name().as_ref() {
                        b"prop" => {
                            let kind = self.attr(&e, b"type", before)?.unwrap_or_default();
                            collecting_lang = match self.attr(&e, b"xml:lang", before)? {
                                // TMX 1.1 and 1.2 say `lang`.
                                None => self.attr(&e, b"lang", before)?,
                                l => l,
                            };
                            collecting = Some((true, kind, String::new()));
                        }
                        b"note" => {
                            collecting_lang = match self.attr(&e, b"xml:lang", before)? {
                                // TMX 1.1 and 1.2 say `lang`.
                                None => self.attr(&e, b"lang", before)?,
                                l => l,
                            };
                            collecting = Some((false, String::new(), String::new()))
                        }
                        b"ude" => {
                            // User-defined encodings: kept verbatim for TMX -> TMX.
                            r.read_to_end(e.name()).map_err(|x| {
                                self.err_at(r.error_position() as usize, xml_msg(&x))
                            })?;
                            let end = r.buffer_position() as usize;
                            header.udes.push(text[before..end].to_string());
                        }
                        n => {
                            return Err(self.err_at(
                                before,
                                format!("unexpected <{}> in <header>", String::from_utf8_lossy(n)),
                            ))
                        }
                    }
                }
                Event::Empty(e) if in_header && collecting.is_none() => {
                    if e.name().as_ref() == b"ude" {
                        let end = r.buffer_position() as usize;
                        header.udes.push(text[before..end].to_string());
                    } else if matches!(e.name().as_ref(), b"prop" | b"note") {
                        let lang = match self.attr(&e, b"xml:lang", before)? {
                            None => self.attr(&e, b"lang", before)?,
                            l => l,
                        };
                        if e.name().as_ref() == b"prop" {
                            let kind = self.attr(&e, b"type", before)?.unwrap_or_default();
                            header.props.push(Prop {
                                kind,
                                value: String::new(),
                                lang,
                            });
                        } else {
                            header.notes.push(Note {
                                text: String::new(),
                                lang,
                            });
                        }
                    } else {
                        return Err(self.err_at(
                            before,
                            format!(
                                "unexpected <{}/> in <header>",
                                String::from_utf8_lossy(e.name().as_ref())
                            ),
                        ));
                    }
                }
                Event::End(e) if collecting.is_some() => {
                    let (is_prop, kind, text) = collecting.take().expect("checked");
                    let want: &[u8] = if is_prop { b"prop" } else { b"note" };
                    if e.name().as_ref() != want {
                        return Err(self.err_at(before, "mismatched end tag in <header>"));
                    }
                    let lang = collecting_lang.take();
                    if is_prop {
                        header.props.push(Prop {
                            kind,
                            value: text,
                            lang,
                        });
                    } else {
                        header.notes.push(Note { text, lang });
                    }
                }
                Event::End(e) if in_header && e.name().as_ref() == b"header" => in_header = false,
                Event::Start(e) if !in_header && e.name().as_ref() == b"body" => {
                    self.header = header;
                    return Ok(Some((r.buffer_position() as usize, false)));
                }
                Event::Empty(e) if !in_header && e.name().as_ref() == b"body" => {
                    self.header = header;
                    return Ok(Some((r.buffer_position() as usize, true)));
                }
                Event::Start(e) | Event::Empty(e) => {
                    return Err(self.err_at(
                        before,
                        format!(
                            "unexpected <{}> before <body>",
                            String::from_utf8_lossy(e.name().as_ref())
                        ),
                    ))
                }
                Event::End(_) | Event::Text(_) | Event::CData(_) => {
                    return Err(self.err_at(before, "unexpected content before <body>"))
                }
            }
        }
    }

    fn illegal_char(&self, i: usize) -> Error {
        let c = std::str::from_utf8(&self.input.buf[i..(i + 3).min(self.input.buf.len())])
            .ok()
            .or_else(|| std::str::from_utf8(&self.input.buf[i..i + 1]).ok())
            .and_then(|s| s.chars().next())
            .map_or(0, |c| c as u32);
        self.err_at(i, format!("character U+{c:04X} is not allowed in XML 1.0"))
    }

    fn attr(&self, e: &BytesStart, name: &[u8], at: usize) -> Result<Option<String>, Error> {
        super::super::xml::attr(e, name).map_err(|m| self.err_at(at, m))
    }

    fn header_attrs(&self, e: &BytesStart, at: usize, h: &mut Header) -> Result<(), Error> {
        for a in e.attributes() {
            let a = a.map_err(|x| self.err_at(at, x.to_string()))?;
            let mut v = String::new();
            unescape_into(&mut v, std::str::from_utf8(&a.value).unwrap_or(""))
                .map_err(|x| self.err_at(at, x.message))?;
            match a.key.as_ref() {
                b"srclang" => {
                    h.srclang = if v == "*all*" {
                        v
                    } else {
                        norm_lang(&v).ok_or_else(|| {
                            self.err_at(at, format!("srclang {v:?} is not a BCP 47 language tag"))
                        })?
                    }
                }
                b"adminlang" => h.adminlang = norm_lang(&v).unwrap_or(v),
                b"creationtool" => h.creation_tool = v,
                b"creationtoolversion" => h.creation_tool_version = v,
                b"segtype" => h.segtype = v,
                b"datatype" => h.datatype = v,
                b"o-tmf" => h.o_tmf = v,
                b"creationdate" => h.creation_date = tmx_date(&v),
                k => h.attrs.push((String::from_utf8_lossy(k).into_owned(), v)),
            }
        }
        Ok(())
    }
}

impl super::super::ReadUnits for Reader<'_> {
    fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        Reader::read_unit(self)
    }
    fn read_entry(&mut self) -> Result<Option<Entry>, Error> {
        Reader::read_entry(self)
    }
    fn langs(&self) -> Vec<String> {
        self.langs.clone()
    }
    fn srclang(&self) -> Option<String> {
        (self.header.srclang != "*all*" && !self.srclang_unused)
            .then(|| self.header.srclang.clone())
    }
    fn bytes_read(&self) -> u64 {
        Reader::bytes_read(self)
    }
    fn tmx_header(&self) -> Option<&Header> {
        Some(&self.header)
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Unit, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.read_unit().transpose()
    }
}

/// A TMX date as written (`YYYYMMDDThhmmssZ`); ISO 8601 `YYYY-MM-DDThh:mm:ssZ` (which OmegaT
/// also reads) is converted; anything else is dropped, as OmegaT does.
pub(crate) fn tmx_date(v: &str) -> Option<String> {
    if is_tmx_date(v) {
        return Some(v.to_string());
    }
    let compact: String = v.chars().filter(|c| *c != '-' && *c != ':').collect();
    is_tmx_date(&compact).then_some(compact)
}

fn xml_msg(e: &quick_xml::Error) -> String {
    format!("malformed XML: {e}")
}

/// Parses one chunk of `<body>` into `out`.
///
/// # Errors
/// Syntax errors with `path`, line and column.
pub fn parse_body_chunk(chunk: &Chunk, path: &str, out: &mut Vec<Entry>) -> Result<(), Error> {
    parse_chunk(chunk, path, true, out)
}

/// Like [`parse_body_chunk`], but keeps only the text of each variant (no ids, dates, props,
/// notes or markup): the lean path for conversions to formats that carry nothing else (CSV,
/// TSV, Moses). The input is checked just as strictly.
///
/// # Errors
/// As [`parse_body_chunk`].
pub fn parse_body_chunk_text(chunk: &Chunk, path: &str, out: &mut Vec<Entry>) -> Result<(), Error> {
    parse_chunk(chunk, path, false, out)
}

/// Parses one chunk of `<body>` and calls `row` once per `<tu>` with its text in each of
/// `langs` (normalised tags, source first; `""` where the unit has none, the first non-blank
/// variant where it has several), inline codes rendered in [`Codes::Native`] mode (see
/// [`super::super::codes`]). No `Unit` is built: the fastest path, for CSV/TSV output.
/// The input is checked exactly as by [`parse_body_chunk`].
///
/// # Errors
/// As [`parse_body_chunk`], and whatever `row` returns.
pub fn parse_body_chunk_rows(
    chunk: &Chunk,
    path: &str,
    langs: &[String],
    row: &mut dyn FnMut(&[String]) -> Result<(), Error>,
) -> Result<(), Error> {
    parse_body_chunk_rows_unlisted(chunk, path, langs, row, &mut Vec::new())
}

/// Like [`parse_body_chunk_rows`], and adds to `unlisted` the (normalised) languages of
/// `<tuv>`s that are not in `langs`, each once: what a conversion leaves out.
///
/// # Errors
/// As [`parse_body_chunk`], and whatever `row` returns.
pub fn parse_body_chunk_rows_unlisted(
    chunk: &Chunk,
    path: &str,
    langs: &[String],
    row: &mut dyn FnMut(&[String]) -> Result<(), Error>,
    unlisted: &mut Vec<String>,
) -> Result<(), Error> {
    let mut rep = RowsReport::default();
    parse_body_chunk_rows_report(chunk, path, langs, Codes::Native, row, &mut rep)?;
    for l in rep.unlisted {
        if !unlisted.contains(&l) {
            unlisted.push(l);
        }
    }
    Ok(())
}

/// What the rows path met besides the rows, for the conversion's report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowsReport {
    /// The (normalised) languages of `<tuv>`s that are not in `langs`, each once.
    pub unlisted: Vec<String>,
    /// Units whose own source language (`<tu srclang>`, TMX 1.4 §3.3) is not `langs[0]`.
    pub own_srclang: u64,
    /// Of those, the units with no text in `langs[0]` (a CSV/TSV row needs it).
    pub own_srclang_without_source: u64,
    /// Units with two `<tuv>`s of text in one language of `langs`: a row holds the first.
    pub duplicate_lang: u64,
}

/// Like [`parse_body_chunk_rows`], with inline codes rendered by `codes`, adding to `report`
/// the languages left out and the units that have their own source language.
///
/// # Errors
/// As [`parse_body_chunk`], and whatever `row` returns.
pub fn parse_body_chunk_rows_report(
    chunk: &Chunk,
    path: &str,
    langs: &[String],
    codes: Codes,
    row: &mut dyn FnMut(&[String]) -> Result<(), Error>,
    report: &mut RowsReport,
) -> Result<(), Error> {
    let rows = Rows::new(langs, codes);
    parse_chunk_impl(
        chunk,
        path,
        false,
        Some(rows),
        true,
        &mut |_, rows| match rows {
            Some(r) => {
                for l in r.unlisted.drain(..) {
                    if !report.unlisted.contains(&l) {
                        report.unlisted.push(l);
                    }
                }
                if std::mem::take(&mut r.dup) {
                    report.duplicate_lang += 1;
                }
                if std::mem::take(&mut r.own_src) {
                    report.own_srclang += 1;
                    if r.texts.first().is_some_and(|t| t.trim().is_empty()) {
                        report.own_srclang_without_source += 1;
                    }
                }
                row(&r.texts)?;
                for t in &mut r.texts {
                    t.clear();
                }
                Ok(())
            }
            None => Ok(()),
        },
    )
}

fn parse_chunk(chunk: &Chunk, path: &str, meta: bool, out: &mut Vec<Entry>) -> Result<(), Error> {
    parse_chunk_impl(chunk, path, meta, None, false, &mut |e, _| {
        out.push(e);
        Ok(())
    })
}

type Sink<'s> = dyn FnMut(Entry, Option<&mut Rows>) -> Result<(), Error> + 's;

fn parse_chunk_impl(
    chunk: &Chunk,
    path: &str,
    meta: bool,
    rows: Option<Rows>,
    fast: bool,
    out: &mut Sink<'_>,
) -> Result<(), Error> {
    let bytes = &chunk.bytes;
    let err = |off: usize, msg: String| Error::syntax(path, chunk.base.position(bytes, off), msg);
    let text = super::super::xml::from_utf8(bytes).map_err(|e| {
        let i = e.valid_up_to();
        err(
            i,
            format!("invalid UTF-8 (byte 0x{:02X}){NAME_THE_ENCODING}", bytes[i]),
        )
    })?;
    if let Some(i) = find_illegal(bytes) {
        let c = text[i..].chars().next().map_or(0, |c| c as u32);
        return Err(err(
            i,
            format!("character U+{c:04X} is not allowed in XML 1.0"),
        ));
    }
    let mut rows = rows;
    let mut langs = Vec::new();
    let mut closed_body = false;
    let mut closed_tmx = false;
    // `pos`: where the full parser (re)starts. In rows mode the scanner takes every unit it
    // can and hands the parser only what it gives up on (one unit at a time, or what follows
    // the units); otherwise the parser reads the whole chunk.
    let mut pos = 0;
    loop {
        if let (Some(rs), false, true) = (rows.as_mut(), closed_body, fast) {
            pos = scan_units(text, pos, rs, &mut |rs| out(Entry::default(), Some(rs)))?;
        }
        let sub = &text[pos..];
        let at = pos;
        let sub_err = |off: usize, msg: String| err(at + off, msg);
        // quick-xml skips a byte order mark at the start of its input, and its positions
        // then leave it out; in a body, U+FEFF is just text where none may be.
        if sub.starts_with('\u{feff}') {
            return Err(sub_err(0, "unexpected content in <body>".into()));
        }
        let mut r = quick_xml::Reader::from_str(sub);
        r.config_mut().check_end_names = false;
        r.config_mut().allow_unmatched_ends = true;
        let mut p = Parser {
            r,
            text: sub,
            err: &sub_err,
            meta,
            langs: std::mem::take(&mut langs),
            rows: rows.take(),
        };
        let mut resume = None;
        loop {
            let before = p.r.buffer_position() as usize;
            let ev = p.event()?;
            match ev {
                Event::Eof => break,
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Start(e) if e.name().as_ref() == b"tu" && !closed_body => {
                    let u = p.tu(&e, before)?;
                    out(u, p.rows.as_mut())?;
                    if fast && p.rows.is_some() {
                        // Back to the scanner for the next units.
                        resume = Some(at + p.r.buffer_position() as usize);
                        break;
                    }
                }
                Event::Empty(e) if e.name().as_ref() == b"tu" && !closed_body => {}
                Event::End(e) if e.name().as_ref() == b"body" && !closed_body => closed_body = true,
                Event::End(e) if e.name().as_ref() == b"tmx" && closed_body && !closed_tmx => {
                    closed_tmx = true
                }
                Event::Start(e) | Event::Empty(e) => {
                    return Err(sub_err(
                        before,
                        format!(
                            "unexpected <{}> {}",
                            String::from_utf8_lossy(e.name().as_ref()),
                            if closed_body {
                                "after </body>"
                            } else {
                                "in <body> (expected <tu>)"
                            }
                        ),
                    ))
                }
                Event::End(e) => {
                    return Err(sub_err(
                        before,
                        format!(
                            "unexpected </{}>",
                            String::from_utf8_lossy(e.name().as_ref())
                        ),
                    ))
                }
                _ => return Err(sub_err(before, "unexpected content in <body>".into())),
            }
        }
        rows = p.rows.take();
        langs = std::mem::take(&mut p.langs);
        match resume {
            Some(next) => pos = next,
            None => break,
        }
    }
    if chunk.last && !(closed_body && closed_tmx) {
        return Err(err(
            bytes.len(),
            format!(
                "the file ends without {}: truncated",
                if closed_body {
                    "</tmx>"
                } else {
                    "</body></tmx>"
                }
            ),
        ));
    }
    Ok(())
}

struct Parser<'t, 'e> {
    r: quick_xml::Reader<&'t [u8]>,
    text: &'t str,
    err: &'e dyn Fn(usize, String) -> Error,
    /// Keep ids, dates, props, notes and markup (false: text only).
    meta: bool,
    /// Language tags seen in this chunk: raw -> normalised (saves re-parsing `xml:lang`).
    langs: Vec<(String, String)>,
    /// Rows mode: texts go straight into per-language slots, no `Unit` is built.
    rows: Option<Rows>,
}

/// The per-language text slots of the rows mode ([`parse_body_chunk_rows`]).
struct Rows {
    langs: Vec<String>,
    texts: Vec<String>,
    scratch: String,
    /// Raw `xml:lang` -> slot (None: a language not asked for).
    cache: Vec<(String, Option<usize>)>,
    /// Languages met that have no slot (drained after each unit).
    unlisted: Vec<String>,
    /// How inline codes become text (shared by the scanner and the parser).
    render: Render,
    /// The current unit has a `srclang` of its own that is not `langs[0]`.
    own_src: bool,
    /// The current unit has a second variant with text in a language that already had some.
    dup: bool,
}

impl Rows {
    fn new(langs: &[String], codes: Codes) -> Rows {
        Rows {
            langs: langs.to_vec(),
            texts: vec![String::new(); langs.len()],
            scratch: String::new(),
            cache: Vec::new(),
            unlisted: Vec::new(),
            render: Render::new(codes),
            own_src: false,
            dup: false,
        }
    }

    /// Notes a `<tu srclang>` (raw): whether it names another language than `langs[0]`.
    fn tu_srclang(&mut self, raw: &str) {
        let first = self.langs.first().map_or("", String::as_str);
        self.own_src = raw != "*all*"
            && !raw.eq_ignore_ascii_case(first)
            && !matches!(norm_lang(raw), Some(n) if n == first);
    }

    /// The slot of a raw `xml:lang` (`Some(None)`: a language not asked for, noted in
    /// `unlisted` the first time), cached per raw tag (no allocation per `<tuv>`); `None` when
    /// the tag is not BCP 47.
    fn slot(&mut self, raw: &str) -> Option<Option<usize>> {
        if let Some((_, k)) = self.cache.iter().find(|(r, _)| r == raw) {
            return Some(*k);
        }
        let n = norm_lang(raw)?;
        let k = self.langs.iter().position(|l| *l == n);
        if k.is_none() {
            self.unlisted.push(n);
        }
        if self.cache.len() < 16 {
            self.cache.push((raw.to_string(), k));
        }
        Some(k)
    }

    /// Reads a `<seg>` into the scratch text with `read`, then keeps it in `slot` if that
    /// has no text yet (the first non-blank variant of a language wins).
    fn take_seg<T, E>(
        &mut self,
        slot: Option<usize>,
        read: impl FnOnce(&mut String, &mut Render) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        let r = read(&mut text, &mut self.render);
        match slot {
            Some(k) if r.is_ok() && self.texts[k].trim().is_empty() => {
                std::mem::swap(&mut self.texts[k], &mut text)
            }
            Some(k) if r.is_ok() && !text.trim().is_empty() && text != self.texts[k] => {
                self.dup = true
            }
            _ => {}
        }
        self.scratch = text;
        r
    }
}

impl<'t> Parser<'t, '_> {
    /// The `&str` of an event's bytes: a slice of the (already validated) chunk text, without
    /// checking the UTF-8 again.
    fn s<'x>(&self, b: &'x [u8]) -> &'x str
    where
        't: 'x,
    {
        let base = self.text.as_ptr() as usize;
        let p = b.as_ptr() as usize;
        if p >= base && p + b.len() <= base + self.text.len() {
            if let Some(s) = self.text.get(p - base..p - base + b.len()) {
                return s;
            }
        }
        as_str(b)
    }

    /// Skips to the end tag of `name` (for props and notes on the lean path).
    fn skip(&mut self, name: &[u8], at: usize) -> Result<(), Error> {
        // Exactly what simple_text accepts, without keeping the text.
        loop {
            let before = self.r.buffer_position() as usize;
            match self.event()? {
                Event::Text(t) => check_escapes(self.s(&t))
                    .map_err(|e| (self.err)(before + e.offset, e.message))?,
                Event::CData(_) | Event::Comment(_) => {}
                Event::End(e) if e.name().as_ref() == name => return Ok(()),
                Event::Eof => return Err((self.err)(at, unclosed(name))),
                _ => {
                    return Err((self.err)(
                        before,
                        format!("unexpected markup in <{}>", String::from_utf8_lossy(name)),
                    ))
                }
            }
        }
    }

    /// The raw `xml:lang` (or TMX 1.1 `lang`) of a `<tuv>`, borrowed when it holds no reference.
    fn lang_attr<'x>(
        &self,
        e: &'x BytesStart,
        at: usize,
    ) -> Result<Option<std::borrow::Cow<'x, str>>, Error> {
        let mut found = None;
        let mut keys = Keys::default();
        let mut it = e.attributes();
        it.with_checks(false);
        for a in it {
            let a = a.map_err(|x| (self.err)(at, x.to_string()))?;
            keys.insert(a.key.0).map_err(|m| (self.err)(at, m))?;
            let key = a.key.as_ref();
            // Every attribute is parsed (a malformed one is an error), xml:lang wins over lang.
            if key == b"xml:lang" || (key == b"lang" && found.is_none()) {
                let raw = std::str::from_utf8(&a.value).unwrap_or("");
                let v = if raw.contains('&') {
                    let mut v = String::new();
                    unescape_into(&mut v, raw).map_err(|x| (self.err)(at, x.message))?;
                    std::borrow::Cow::Owned(v)
                } else {
                    match a.value {
                        std::borrow::Cow::Borrowed(b) => {
                            std::borrow::Cow::Borrowed(std::str::from_utf8(b).unwrap_or(""))
                        }
                        std::borrow::Cow::Owned(_) => std::borrow::Cow::Owned(raw.to_string()),
                    }
                };
                found = Some(v);
            }
        }
        Ok(found)
    }

    fn lang(&mut self, raw: &str) -> Option<String> {
        if let Some((_, n)) = self.langs.iter().find(|(r, _)| r == raw) {
            return Some(n.clone());
        }
        let n = norm_lang(raw)?;
        if self.langs.len() < 16 {
            self.langs.push((raw.to_string(), n.clone()));
        }
        Some(n)
    }
    fn event(&mut self) -> Result<Event<'t>, Error> {
        self.r
            .read_event()
            .map_err(|e| (self.err)(self.r.error_position() as usize, xml_msg(&e)))
    }

    fn attr(&self, e: &BytesStart, name: &[u8], at: usize) -> Result<Option<String>, Error> {
        super::super::xml::attr(e, name).map_err(|m| (self.err)(at, m))
    }

    /// The attributes of `e` other than those named in `skip`, unescaped, in file order.
    fn other_attrs(&self, e: &BytesStart, skip: &[&[u8]], at: usize) -> Result<Attrs, Error> {
        let mut out = Attrs::new();
        for a in e.attributes().with_checks(false) {
            let a = a.map_err(|x| (self.err)(at, x.to_string()))?;
            if skip.contains(&a.key.as_ref()) {
                continue;
            }
            let mut v = String::new();
            unescape_into(&mut v, as_str(&a.value)).map_err(|x| (self.err)(at, x.message))?;
            out.push((String::from_utf8_lossy(a.key.as_ref()).into_owned(), v));
        }
        Ok(out)
    }

    /// A `<prop>` or `<note>` of a unit or a variant (`empty`: written `<prop/>`), kept when
    /// reading metadata (an empty one with an empty value, so that TMX -> TMX does not lose a
    /// flag-like property), checked and skipped otherwise.
    fn prop_or_note(
        &mut self,
        e: &BytesStart,
        at: usize,
        empty: bool,
        props: &mut Vec<Prop>,
        notes: &mut Vec<Note>,
    ) -> Result<(), Error> {
        check_attrs(e).map_err(|m| (self.err)(at, m))?;
        if !self.meta {
            return if empty {
                Ok(())
            } else {
                self.skip(e.name().as_ref(), at)
            };
        }
        let lang = match self.attr(e, b"xml:lang", at)? {
            // TMX 1.1 and 1.2 say `lang`.
            None => self.attr(e, b"lang", at)?,
            l => l,
        };
        let is_prop = e.name().as_ref() == b"prop";
        let text = if empty {
            String::new()
        } else {
            self.simple_text(if is_prop { b"prop" } else { b"note" }, at)?
        };
        if is_prop {
            let kind = self.attr(e, b"type", at)?.unwrap_or_default();
            props.push(Prop {
                kind,
                value: text,
                lang,
            });
        } else {
            notes.push(Note { text, lang });
        }
        Ok(())
    }

    fn simple_text(&mut self, name: &[u8], at: usize) -> Result<String, Error> {
        let mut s = String::new();
        loop {
            let before = self.r.buffer_position() as usize;
            match self.event()? {
                Event::Text(t) => unescape_into(&mut s, self.s(&t))
                    .map_err(|e| (self.err)(before + e.offset, e.message))?,
                Event::CData(t) => s.push_str(self.s(&t)),
                Event::Comment(_) => {}
                Event::End(e) if e.name().as_ref() == name => return Ok(s),
                Event::Eof => return Err((self.err)(at, unclosed(name))),
                _ => {
                    return Err((self.err)(
                        before,
                        format!("unexpected markup in <{}>", String::from_utf8_lossy(name)),
                    ))
                }
            }
        }
    }

    fn tu(&mut self, start: &BytesStart, at: usize) -> Result<Entry, Error> {
        let mut extras = Vec::new();
        let mut u = Unit::default();
        check_attrs(start).map_err(|m| (self.err)(at, m))?;
        if self.meta {
            u.id = self.attr(start, b"tuid", at)?;
            u.created = self
                .attr(start, b"creationdate", at)?
                .and_then(|d| tmx_date(&d));
            u.attrs = self.other_attrs(start, &[b"tuid", b"creationdate"], at)?;
        }
        // TMX 1.4 §3.3: a <tu>'s own srclang overrides the header's for that unit.
        let srclang = if self.meta {
            super::super::attr_value(&u.attrs, "srclang").map(str::to_string)
        } else {
            self.attr(start, b"srclang", at)?
        };
        if let (Some(raw), Some(rows)) = (&srclang, self.rows.as_mut()) {
            rows.tu_srclang(raw);
        }
        loop {
            let before = self.r.buffer_position() as usize;
            match self.event()? {
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Comment(_) => {}
                Event::Start(e) => match e.name().as_ref() {
                    b"prop" | b"note" => {
                        self.prop_or_note(&e, before, false, &mut u.props, &mut u.notes)?
                    }
                    b"tuv" => {
                        let (v, ex) = self.tuv(&e, before)?;
                        if self.rows.is_none() {
                            u.variants.push(v);
                        }
                        if self.meta {
                            extras.push(ex);
                        }
                    }
                    n => return Err((self.err)(before, unexpected(n, "tu"))),
                },
                Event::Empty(e) => match e.name().as_ref() {
                    b"prop" | b"note" => {
                        self.prop_or_note(&e, before, true, &mut u.props, &mut u.notes)?
                    }
                    b"tuv" => {
                        return Err((self.err)(before, "<tuv/> without <seg>".into()));
                    }
                    n => return Err((self.err)(before, unexpected(n, "tu"))),
                },
                Event::End(e) if e.name().as_ref() == b"tu" => {
                    if let Some(src) = srclang.as_deref().and_then(norm_lang) {
                        source_first(&mut u.variants, &mut extras, &src);
                    }
                    if extras.iter().all(VariantExtra::is_empty) {
                        extras.clear();
                    }
                    return Ok(Entry { unit: u, extras });
                }
                Event::Eof => return Err((self.err)(at, unclosed(b"tu"))),
                _ => return Err((self.err)(before, "unexpected content in <tu>".into())),
            }
        }
    }

    fn tuv(&mut self, start: &BytesStart, at: usize) -> Result<(Variant, VariantExtra), Error> {
        let raw_lang = match self.lang_attr(start, at)? {
            Some(l) => l,
            None => return Err((self.err)(at, "<tuv> without xml:lang".into())),
        };
        let bad_lang = |raw: &str| {
            (self.err)(
                at,
                format!("xml:lang {raw:?} is not a BCP 47 language tag (e.g. ar, en-GB)"),
            )
        };
        // Rows mode: the slot of this language.
        let mut slot = None;
        let lang = match self.rows.as_mut() {
            Some(rows) => {
                slot = rows.slot(&raw_lang).ok_or_else(|| bad_lang(&raw_lang))?;
                String::new()
            }
            None => self.lang(&raw_lang).ok_or_else(|| bad_lang(&raw_lang))?,
        };
        let mut v = Variant {
            lang,
            text: String::new(),
        };
        let mut ex = VariantExtra::default();
        if self.meta {
            ex.attrs = self.other_attrs(start, &[b"xml:lang", b"lang"], at)?;
        }
        let mut saw_seg = false;
        loop {
            let before = self.r.buffer_position() as usize;
            match self.event()? {
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Comment(_) => {}
                Event::Start(e) => match e.name().as_ref() {
                    b"prop" | b"note" => {
                        self.prop_or_note(&e, before, false, &mut ex.props, &mut ex.notes)?
                    }
                    b"seg" if !saw_seg => {
                        match self.rows.take() {
                            None => ex.markup = self.seg(&mut v.text, before, None)?,
                            Some(mut rows) => {
                                let r = rows.take_seg(slot, |t, rd| self.seg(t, before, Some(rd)));
                                self.rows = Some(rows);
                                r?;
                            }
                        }
                        saw_seg = true;
                    }
                    n => return Err((self.err)(before, unexpected(n, "tuv"))),
                },
                Event::Empty(e) => match e.name().as_ref() {
                    b"prop" | b"note" => {
                        self.prop_or_note(&e, before, true, &mut ex.props, &mut ex.notes)?
                    }
                    b"seg" if !saw_seg => saw_seg = true,
                    n => return Err((self.err)(before, unexpected(n, "tuv"))),
                },
                Event::End(e) if e.name().as_ref() == b"tuv" => {
                    if !saw_seg {
                        return Err((self.err)(at, "<tuv> without <seg>".into()));
                    }
                    return Ok((v, ex));
                }
                Event::Eof => return Err((self.err)(at, unclosed(b"tuv"))),
                _ => {
                    return Err((self.err)(
                        before,
                        "text directly in <tuv>: put it in <seg>".into(),
                    ))
                }
            }
        }
    }

    /// Reads a `<seg>`'s content into `text`; returns its raw markup if it has any (and
    /// metadata is kept). Without `render`, `text` is the plain text (code content left out:
    /// [`Variant::text`]); with it (rows mode), the text as `render`'s [`Codes`] mode
    /// renders it for plain-text outputs.
    ///
    /// [`Codes`]: super::super::codes::Codes
    fn seg(
        &mut self,
        text: &mut String,
        at: usize,
        mut render: Option<&mut Render>,
    ) -> Result<Option<String>, Error> {
        let inner_start = self.r.buffer_position() as usize;
        let mut stack: Vec<&'t [u8]> = Vec::new();
        let mut code_depth = 0usize;
        let mut markup = false;
        if let Some(r) = render.as_deref_mut() {
            r.begin();
        }
        loop {
            let before = self.r.buffer_position() as usize;
            match self.event()? {
                Event::Text(t) => {
                    let raw = self.s(&t);
                    let res = match render.as_deref_mut() {
                        Some(r) => r.text(text, raw, true),
                        None if code_depth == 0 => unescape_into(text, raw),
                        None => check_escapes(raw),
                    };
                    res.map_err(|e| (self.err)(before + e.offset, e.message))?;
                }
                Event::CData(t) => {
                    markup = true;
                    match render.as_deref_mut() {
                        Some(r) => {
                            let _ = r.text(text, self.s(&t), false);
                        }
                        None if code_depth == 0 => text.push_str(self.s(&t)),
                        None => {}
                    }
                }
                Event::Comment(_) => markup = true,
                Event::Start(e) => {
                    let name = inline_name(&e)
                        .ok_or_else(|| (self.err)(before, unexpected(e.name().as_ref(), "seg")))?;
                    check_attrs(&e).map_err(|m| (self.err)(before, m))?;
                    markup = true;
                    if name != b"hi" && name != b"sub" {
                        code_depth += 1;
                    }
                    if let Some(r) = render.as_deref_mut() {
                        r.start(text, name);
                    }
                    stack.push(name);
                }
                Event::Empty(e) => {
                    let name = inline_name(&e)
                        .ok_or_else(|| (self.err)(before, unexpected(e.name().as_ref(), "seg")))?;
                    check_attrs(&e).map_err(|m| (self.err)(before, m))?;
                    markup = true;
                    if let Some(r) = render.as_deref_mut() {
                        r.empty(text, name);
                    }
                }
                Event::End(e) => {
                    let name = e.name();
                    match stack.pop() {
                        Some(open) if open == name.as_ref() => {
                            if open != b"hi" && open != b"sub" {
                                code_depth -= 1;
                            }
                            if let Some(r) = render.as_deref_mut() {
                                r.end(text);
                            }
                        }
                        None if name.as_ref() == b"seg" => {
                            return Ok((markup && self.meta)
                                .then(|| self.text[inner_start..before].to_string()));
                        }
                        _ => {
                            return Err((self.err)(
                                before,
                                format!(
                                    "mismatched end tag </{}>",
                                    String::from_utf8_lossy(name.as_ref())
                                ),
                            ))
                        }
                    }
                }
                Event::Eof => return Err((self.err)(at, unclosed(b"seg"))),
                _ => return Err((self.err)(before, "unexpected markup in <seg>".into())),
            }
        }
    }
}

/// Moves the first variant in `src` (and its extras) to the front: a unit's own source first,
/// whatever the header says, as the model wants (the TMX writer keeps `srclang` on the `<tu>`).
fn source_first(variants: &mut [Variant], extras: &mut [VariantExtra], src: &str) {
    if let Some(i) = variants.iter().position(|v| v.lang == src) {
        if i > 0 {
            variants[..=i].rotate_right(1);
            if extras.len() > i {
                extras[..=i].rotate_right(1);
            }
        }
    }
}

/// The name of an inline element allowed in `<seg>`, as a `'static` slice.
fn inline_name(e: &BytesStart) -> Option<&'static [u8]> {
    INLINE.iter().copied().find(|n| *n == e.name().as_ref())
}

/// Checks that attribute values decode (entities, legal characters).
fn check_attrs(e: &BytesStart) -> Result<(), String> {
    let mut keys = Keys::default();
    let mut it = e.attributes();
    it.with_checks(false);
    for a in it {
        let a = a.map_err(|x| x.to_string())?;
        keys.insert(a.key.0)?;
        // Values come from validated UTF-8 cut at ASCII quotes; only references need a look.
        if memchr::memchr(b'&', &a.value).is_some() {
            check_escapes(std::str::from_utf8(&a.value).unwrap_or("")).map_err(|x| x.message)?;
        }
    }
    Ok(())
}

/// The attribute names of one element, to refuse duplicates. quick-xml's own check keeps them
/// in a `Vec` allocated per element (5% of TMX -> CSV); elements have a handful of attributes,
/// so a few stack slots do (a `Vec` takes over past them).
#[derive(Default)]
struct Keys<'a> {
    few: [&'a [u8]; 8],
    n: usize,
    more: Vec<&'a [u8]>,
}

impl<'a> Keys<'a> {
    fn insert(&mut self, k: &'a [u8]) -> Result<(), String> {
        if self.few[..self.n].contains(&k) || self.more.contains(&k) {
            return Err(format!(
                "duplicated attribute {}",
                String::from_utf8_lossy(k)
            ));
        }
        if self.n < self.few.len() {
            self.few[self.n] = k;
            self.n += 1;
        } else {
            self.more.push(k);
        }
        Ok(())
    }
}

fn as_str(b: &[u8]) -> &str {
    // Events come from a &str reader, cut at markup boundaries (ASCII): always UTF-8.
    std::str::from_utf8(b).unwrap_or("")
}

/// Runs the scanner over the units from `pos`, calling `row` for each; returns where it
/// stopped: the end of the last unit it read (before any white space), where the full parser
/// takes over.
fn scan_units(
    text: &str,
    mut pos: usize,
    rows: &mut Rows,
    row: &mut dyn FnMut(&mut Rows) -> Result<(), Error>,
) -> Result<usize, Error> {
    let b = text.as_bytes();
    loop {
        let mut i = pos;
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if !b[i..].starts_with(b"<tu") {
            return Ok(pos);
        }
        match scan::tu(text, i, rows) {
            Some(end) => {
                row(rows)?;
                pos = end;
            }
            None => return Ok(pos),
        }
    }
}

fn unexpected(name: &[u8], parent: &str) -> String {
    format!(
        "unexpected <{}> in <{parent}>",
        String::from_utf8_lossy(name)
    )
}

fn unclosed(name: &[u8]) -> String {
    format!(
        "<{}> is not closed: the file is truncated or malformed",
        String::from_utf8_lossy(name)
    )
}
