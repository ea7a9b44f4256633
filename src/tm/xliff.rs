//! XLIFF 1.2 for translation jobs: what OmegaT 3.6, memoQ, Trados and translate-toolkit read.
//!
//! The [`Writer`] follows `shared/bench/cat/CONVENTIONS.md` §4: one `<file>` with
//! `source-language`, `target-language`, `datatype="plaintext"` and `tool-id`, a `<header>` with
//! the `<tool>`, and one `<trans-unit id=".." xml:space="preserve">` per unit. OmegaT 3.6
//! translates the *content of `<target>`*, so a job file carries a copy of the source there
//! (`state="needs-translation"`); the known translation travels beside it in
//! `<alt-trans match-quality="100" origin="dragoman">`, which Trados and memoQ show as a match and
//! OmegaT ignores. Inline codes (TMX markup in [`VariantExtra::markup`]) become XLIFF 1.2
//! inline elements in the source, its copy and the alt-trans (see the `inline` module); notes keep
//! `xml:lang`, a variant's notes are written with `annotates`. Unit props have no place in
//! XLIFF 1.2 (`<prop-group>` is deprecated) and are not written. It validates against the
//! XLIFF 1.2 transitional (and strict) schema.
//!
//! The [`Reader`] reads 1.2 (and 1.0/1.1) `<trans-unit>`s: source, and as translation the
//! `<target>` unless it is a source copy marked `needs-translation`/`new`. An `<alt-trans>` is
//! a suggestion, never the translation, unless [`ReadOptions::alt_trans`] asks for exact ones
//! (what reading a dragoman job back needs). It also reads XLIFF 2.x (what memoQ and Trados
//! export now): one unit per `<segment>`, languages from `srcLang`/`trgLang`, a target still
//! `initial` (a draft or a fuzzy match) not taken as a translation. What it leaves out is
//! counted in [`Reader::warnings`]. A file with no target language needs one from the caller
//! or its name (see [`ReadOptions::target_lang`]): its targets are never dropped. Entity
//! declarations are refused, as in TMX.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::chunk::{Base, Input};
use super::xml::{attr, escape_attr, escape_text, find_illegal, strip_illegal, unescape_into};
use super::{Entry, Error, Note, Unit, Variant, VariantExtra, OUTPUT};
use crate::Lang;

pub(crate) mod inline;
use inline::{plain, render, Content, Done, Piece};

/// The largest stretch of an XLIFF file without a `</trans-unit>` that is read (a unit, or
/// a header with an embedded skeleton file): it bounds memory on hostile input.
pub const MAX_SIZE: u64 = 512 << 20;

/// XLIFF writing options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `original` attribute of `<file>` (default `dragoman`).
    pub original: Option<String>,
}

/// Streams units out as an XLIFF 1.2 job for one language pair (the first two languages).
pub struct Writer<W: Write> {
    w: W,
    src: String,
    tgt: String,
    n: u64,
    buf: String,
}

impl<W: Write> Writer<W> {
    /// Writes the prolog, `<file>` and `<header>`. `langs` = source, target (others ignored).
    ///
    /// # Errors
    /// Fewer than two languages, invalid tags; I/O errors.
    pub fn new(mut w: W, langs: &[String], opts: &Options) -> Result<Self, Error> {
        if langs.len() < 2 {
            return Err(Error::invalid(
                OUTPUT,
                "XLIFF needs a source and a target language",
            ));
        }
        let tag = |l: &str| {
            Lang::parse(l)
                .map(|l| l.as_str().to_string())
                .map_err(|e| Error::invalid(OUTPUT, e.to_string()))
        };
        let (src, tgt) = (tag(&langs[0])?, tag(&langs[1])?);
        let mut s = String::new();
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n  <file original=\"");
        escape_attr(&mut s, opts.original.as_deref().unwrap_or("dragoman"));
        s.push_str(&format!(
            "\" source-language=\"{src}\" target-language=\"{tgt}\" datatype=\"plaintext\" tool-id=\"dragoman\">\n    <header>\n      <tool tool-id=\"dragoman\" tool-name=\"dragoman\" tool-version=\"{}\"/>\n      <note>Translation job: targets hold a copy of the source (OmegaT 3.6 / Okapi Rainbow convention); known translations are in alt-trans.</note>\n    </header>\n    <body>\n",
            env!("CARGO_PKG_VERSION")
        ));
        w.write_all(s.as_bytes())
            .map_err(|e| Error::io(OUTPUT, e))?;
        Ok(Writer {
            w,
            src,
            tgt,
            n: 0,
            buf: String::new(),
        })
    }

    /// Writes one `<trans-unit>` (a unit without inline codes).
    ///
    /// # Errors
    /// As [`Writer::write_entry`].
    pub fn write_unit(&mut self, u: &Unit) -> Result<(), Error> {
        self.write_entry(&Entry {
            unit: u.clone(),
            extras: Vec::new(),
        })
    }

    /// The XLIFF 1.2 content of a variant: its inline codes mapped from the TMX markup (see
    /// `xliff::inline`), else its escaped text; trimmed (edges are always text, never a tag).
    fn content(e: &Entry, k: usize, lang: &str) -> Result<String, Error> {
        let v = &e.unit.variants[k];
        let mut s = String::new();
        match e.extras.get(k).and_then(|x| x.markup.as_deref()) {
            Some(m) => inline::to_xliff12(m, &mut s).map_err(|why| {
                Error::invalid(
                    OUTPUT,
                    format!(
                        "unit {}: inline markup of {lang}: {why}",
                        e.unit.id.as_deref().unwrap_or("without id")
                    ),
                )
            })?,
            None => escape_text(&mut s, &strip_illegal(&v.text)),
        }
        Ok(s.trim().to_string())
    }

    /// Writes one `<trans-unit>`: the source (with its inline codes), its copy in the
    /// `needs-translation` target, the translation in an `<alt-trans>`, the notes (a
    /// variant's with `annotates="source"`/`"target"`, `xml:lang` kept).
    ///
    /// # Errors
    /// [`Error::Invalid`] for a unit with no source text or with malformed markup; I/O errors.
    pub fn write_entry(&mut self, e: &Entry) -> Result<(), Error> {
        let u = &e.unit;
        let index = |lang: &str| {
            u.variant(lang)
                .and_then(|v| u.variants.iter().position(|x| std::ptr::eq(x, v)))
        };
        let si =
            index(&self.src).filter(|&k| !strip_illegal(&u.variants[k].text).trim().is_empty());
        let Some(si) = si else {
            return Err(Error::invalid(
                OUTPUT,
                format!(
                    "unit {}: no {} source text",
                    u.id.as_deref().unwrap_or("without id"),
                    self.src
                ),
            ));
        };
        let src = Self::content(e, si, &self.src)?;
        let ti =
            index(&self.tgt).filter(|&k| !strip_illegal(&u.variants[k].text).trim().is_empty());
        let tgt = match ti {
            Some(k) => Some(Self::content(e, k, &self.tgt)?),
            None => None,
        };
        self.n += 1;
        let s = &mut self.buf;
        s.clear();
        s.push_str("      <trans-unit id=\"");
        match &u.id {
            Some(id) => escape_attr(s, id),
            None => s.push_str(&self.n.to_string()),
        }
        s.push_str("\" xml:space=\"preserve\">\n        <source xml:lang=\"");
        s.push_str(&self.src);
        s.push_str("\">");
        s.push_str(&src);
        s.push_str("</source>\n        <target xml:lang=\"");
        s.push_str(&self.tgt);
        s.push_str("\" state=\"needs-translation\">");
        s.push_str(&src);
        s.push_str("</target>\n");
        if let Some(tgt) = &tgt {
            s.push_str("        <alt-trans match-quality=\"100\" origin=\"dragoman\">\n          <target xml:lang=\"");
            s.push_str(&self.tgt);
            s.push_str("\">");
            s.push_str(tgt);
            s.push_str("</target>\n        </alt-trans>\n");
        }
        let mut note = |n: &Note, annotates: Option<&str>| {
            s.push_str("        <note");
            if let Some(l) = n.lang.as_deref().and_then(|l| Lang::parse(l).ok()) {
                s.push_str(" xml:lang=\"");
                s.push_str(l.as_str());
                s.push('"');
            }
            if let Some(a) = annotates {
                s.push_str(" annotates=\"");
                s.push_str(a);
                s.push('"');
            }
            s.push('>');
            escape_text(s, &n.text);
            s.push_str("</note>\n");
        };
        for n in &u.notes {
            note(n, None);
        }
        for (k, which) in [(Some(si), "source"), (ti, "target")] {
            if let Some(x) = k.and_then(|k| e.extras.get(k)) {
                for n in &x.notes {
                    note(n, Some(which));
                }
            }
        }
        s.push_str("      </trans-unit>\n");
        self.w
            .write_all(s.as_bytes())
            .map_err(|e| Error::io(OUTPUT, e))
    }

    /// Closes the document and returns the inner writer.
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish(mut self) -> Result<W, Error> {
        self.w
            .write_all(b"    </body>\n  </file>\n</xliff>\n")
            .and_then(|_| self.w.flush())
            .map_err(|e| Error::io(OUTPUT, e))?;
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

/// How the reader treats `<alt-trans>` (XLIFF 1.x): a suggestion (a TM match, a previous
/// version), never the unit's translation unless the caller asks for exact ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AltTrans {
    /// Never taken as the translation (default); units that had one and no translation are
    /// counted in [`Reader::warnings`].
    #[default]
    Ignore,
    /// Taken as the translation of a unit that has none, when it is exact: no `<source>` of
    /// its own or one equal to the unit's (text and codes), `match-quality` absent or 100, and
    /// not an `alttranstype` of `rejected`, `reference` or `previous-version`. dragoman's own
    /// jobs carry their translations this way (see [`Writer`]).
    Exact,
}

/// XLIFF reading options.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// What an `<alt-trans>` may be.
    pub alt_trans: AltTrans,
    /// The target language of a 1.x `<file>` without `target-language` (2.x: a document
    /// without `trgLang`) whose `<target>`s have no `xml:lang` either. Without it the file name
    /// is tried (see [`lang_from_file_name`]), then the file is refused.
    pub target_lang: Option<String>,
}

/// The target language a file name gives, for a file that declares none: the last part of
/// the name before `.xlf`/`.xliff`, after a `.` or `_` (`job.fr.xlf`, `messages_fr.xlf`,
/// `doc.pt-BR.xlf`), or the second half of a pair that starts with the source language
/// (`job.ar-en.xlf`, `job.ar_en.xlf` with source `ar`). The language part must have two
/// letters (`fr`, not `job`) unless it comes in such a pair, and must differ from the source.
pub fn lang_from_file_name(name: &str, source: &str) -> Option<String> {
    let stem = name.rsplit(['/', '\\']).next()?;
    let lower = stem.to_ascii_lowercase();
    let stem = if lower.ends_with(".xlf") {
        &stem[..stem.len() - 4]
    } else if lower.ends_with(".xliff") {
        &stem[..stem.len() - 6]
    } else {
        stem
    };
    let src = super::norm_lang(source)?;
    let cand = &stem[stem.rfind(['.', '_']).map(|i| i + 1)?..];
    let two_letters = |t: &str| {
        let p = t.split(['-', '_']).next().unwrap_or("");
        p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic())
    };
    // A pair: the source, then the target (after '-' or '_' in the last part, or the part
    // before the last '_' being the source: `job.ar_en`).
    for sep in ['-', '_'] {
        if let Some((a, b)) = cand.split_once(sep) {
            if super::norm_lang(a).as_deref() == Some(src.as_str()) {
                // `en-US` with source `en` is one tag, not a pair: a pair's second half is a
                // language (lowercase letters), not a region.
                if b.chars().all(|c| c.is_ascii_lowercase()) && (2..=3).contains(&b.len()) {
                    return super::norm_lang(b).filter(|t| *t != src);
                }
            }
        }
    }
    if let Some(i) = stem.rfind('.') {
        let part = &stem[i + 1..];
        if let Some((a, b)) = part.split_once('_') {
            if super::norm_lang(a).as_deref() == Some(src.as_str()) {
                return super::norm_lang(b).filter(|t| *t != src);
            }
        }
    }
    if two_letters(cand) {
        return super::norm_lang(cand).filter(|t| *t != src);
    }
    None
}

/// Streams the units of an XLIFF 1.x or 2.x file.
///
/// The file is read in chunks of about [`CHUNK`] bytes cut just after a `</trans-unit>`
/// (outside comments and CDATA), each parsed on its own, so memory is a few chunks whatever
/// the file size. Element nesting is checked across chunks: a mismatched end tag or a
/// truncated file is an error with its position.
///
/// What it keeps: source and translation with their inline codes (as TMX markup, see
/// `xliff::inline`), notes (`xml:lang` kept; `annotates="source"`/`"target"` or 2.x `appliesTo`
/// notes go to that variant), `<seg-source>` segmentation (one unit per
/// `<mrk mtype="seg">`, id `unitid_mid`), every `<file>` with its languages. White space
/// follows `xml:space` (inherited; `default` collapses runs to one space and trims, as
/// translate-toolkit does, `preserve` keeps it), the same for every output. What it does not
/// take as a translation, and says so in [`Reader::warnings`]: `<alt-trans>` suggestions
/// (unless [`AltTrans::Exact`]), XLIFF 2 `mtc:match` candidates, XLIFF 2 targets still in
/// state `initial`, and a `needs-translation`/`new` target that is a copy of the source.
/// Elements of other namespaces (`mda:`, `mtc:`, tool extensions) are skipped whole.
pub struct Reader<'a> {
    input: Input<'a>,
    finished: bool,
    queue: std::collections::VecDeque<Entry>,
    state: State,
}

/// Target chunk size.
pub const CHUNK: usize = 1 << 20;

/// A content being collected, and what it is.
enum Kind {
    Source,
    Target,
    SegSource,
    AltSource,
    AltTarget,
    Note {
        lang: Option<String>,
        annotates: Option<String>,
    },
    Data(String),
}

/// An XLIFF 2 `<unit>` being read.
#[derive(Default)]
struct Unit2 {
    id: Option<String>,
    notes: Vec<(Note, Option<String>)>,
    segs: Vec<TransUnit>,
    /// `<originalData>`: native code of each `<data id>`.
    data: HashMap<String, String>,
    /// The unit has `mtc:matches` (suggestions).
    matches: bool,
}

/// What parsing carries from one chunk to the next.
#[derive(Default)]
struct State {
    opts: ReadOptions,
    /// The file's name, for messages and the language it may give.
    path: String,
    saw_root: bool,
    /// XLIFF 2.x: `<unit>`s of `<segment>`s, languages on the root.
    v2: bool,
    /// The prefix of XLIFF elements (that of the root: `xlf` for `<xlf:xliff>`).
    prefix: Vec<u8>,
    /// Open elements of other namespaces: what they hold is not XLIFF content.
    foreign: usize,
    /// `xml:space="preserve"` in effect, per open element.
    space: Vec<bool>,
    /// XLIFF 2.x: the `<unit>` being read.
    unit: Option<Unit2>,
    /// Source and target language of the current `<file>` (2.x: of the document).
    src: Option<String>,
    tgt: Option<String>,
    /// The target language when the file declares none: the caller's, else from the name.
    fallback: Option<(String, bool)>,
    /// Every language met so far, source first.
    langs: Vec<String>,
    /// Open elements (qualified names), to check nesting across chunks.
    open: Vec<Vec<u8>>,
    /// Units with suggestions and no translation (alt-trans, mtc:match not taken).
    alt_skipped: u64,
    /// XLIFF 2 targets in state `initial` not taken.
    initial_skipped: u64,
    /// The target language taken from the file name (for the warning).
    name_lang_used: Option<String>,
}

impl<'a> Reader<'a> {
    /// Opens an XLIFF file and reads up to its first `<file>` (for [`Reader::langs`]), with
    /// the default [`ReadOptions`].
    ///
    /// # Errors
    /// Syntax errors with file, line and column; I/O errors; a single unit (or header) larger
    /// than [`MAX_SIZE`].
    pub fn from_reader(r: impl BufRead + 'a, path: &Path) -> Result<Reader<'a>, Error> {
        Reader::with_options(r, path, ReadOptions::default())
    }

    /// Opens an XLIFF file with reading options.
    ///
    /// # Errors
    /// As [`Reader::from_reader`]; an invalid [`ReadOptions::target_lang`].
    pub fn with_options(
        r: impl BufRead + 'a,
        path: &Path,
        mut opts: ReadOptions,
    ) -> Result<Reader<'a>, Error> {
        if let Some(l) = &opts.target_lang {
            opts.target_lang = Some(super::norm_lang(l).ok_or_else(|| {
                Error::invalid(
                    "--target-lang",
                    format!("{l:?} is not a BCP 47 language tag"),
                )
            })?);
        }
        let input = Input::open(r, path)?;
        let mut this = Reader {
            state: State {
                opts,
                path: input.path.clone(),
                ..Default::default()
            },
            input,
            finished: false,
            queue: Default::default(),
        };
        while this.state.langs.is_empty() && !this.finished {
            this.parse_next_chunk()?;
        }
        Ok(this)
    }

    /// Source and target language of the first `<file>`, then any other met so far.
    pub fn langs(&self) -> &[String] {
        &self.state.langs
    }

    /// What the reader left out or guessed, for the user (so far; complete at the end).
    pub fn warnings(&self) -> Vec<String> {
        let st = &self.state;
        let mut w = Vec::new();
        if st.alt_skipped > 0 {
            let n = st.alt_skipped;
            let how = match st.opts.alt_trans {
                AltTrans::Ignore => {
                    "suggestions are never the translation; --alt-trans exact takes exact ones: \
                     no source of their own or the unit's, match-quality 100"
                }
                AltTrans::Exact => "they are fuzzy, or for another source",
            };
            w.push(format!(
                "{}: {n} {} without a translation had alt-trans (or mtc:match) suggestions, \
                 not taken as translations ({how})",
                st.path,
                if n == 1 { "unit" } else { "units" },
            ));
        }
        if st.initial_skipped > 0 {
            w.push(format!(
                "{}: {} XLIFF 2 target(s) in state \"initial\" (drafts or matches) not taken \
                 as translations",
                st.path, st.initial_skipped
            ));
        }
        if let Some(l) = &st.name_lang_used {
            w.push(format!(
                "{}: the file declares no target language: its targets are taken as {l}, from \
                 the file name; give --target-lang to say otherwise",
                st.path
            ));
        }
        w
    }

    fn next_entry(&mut self) -> Result<Option<Entry>, Error> {
        loop {
            if let Some(u) = self.queue.pop_front() {
                return Ok(Some(u));
            }
            if self.finished {
                return Ok(None);
            }
            self.parse_next_chunk()?;
        }
    }

    /// Cuts the next chunk off the input and parses it into the queue.
    fn parse_next_chunk(&mut self) -> Result<(), Error> {
        let max = MAX_SIZE as usize;
        let (bytes, base, last) =
            self.input
                .next_chunk(&[b"trans-unit", b"unit"], true, CHUNK, max, &|| {
                    format!(
                        "no </trans-unit> or </unit> in {} MiB: refused (a unit or header that \
                         large)",
                        MAX_SIZE >> 20
                    )
                })?;
        parse_chunk(&bytes, base, last, &mut self.state, &mut self.queue)?;
        self.input.recycle(bytes);
        self.finished = last;
        Ok(())
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Unit, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_entry().map(|e| e.map(|e| e.unit)).transpose()
    }
}

impl super::ReadUnits for Reader<'_> {
    fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        Ok(self.next_entry()?.map(|e| e.unit))
    }
    fn read_entry(&mut self) -> Result<Option<Entry>, Error> {
        self.next_entry()
    }
    fn langs(&self) -> Vec<String> {
        self.state.langs.clone()
    }
    fn bytes_read(&self) -> u64 {
        self.input.base.byte
    }
    fn warnings(&self) -> Vec<String> {
        Reader::warnings(self)
    }
}

/// Plain text and TMX markup of a segment.
type Rendered = (String, Option<String>);

/// An `<alt-trans>`.
#[derive(Default)]
struct Alt {
    mid: Option<String>,
    quality: Option<String>,
    kind: Option<String>,
    source: Option<Done>,
    target: Option<Done>,
    target_lang: Option<String>,
}

impl Alt {
    /// Exact: no source of its own or `source`'s, quality absent or 100, not rejected.
    fn is_exact(&self, source: &(String, Option<String>)) -> bool {
        let quality = match self.quality.as_deref().map(str::trim) {
            None => true,
            Some(q) => q
                .trim_end_matches('%')
                .trim()
                .parse::<f64>()
                .is_ok_and(|q| q == 100.0),
        };
        let kind = !matches!(
            self.kind.as_deref(),
            Some("rejected" | "reference" | "previous-version")
        );
        let same = match &self.source {
            None => true,
            Some(s) => render(&s.main, &mut Vec::new()) == *source,
        };
        quality && kind && same
    }
}

/// A 1.x `<trans-unit>` or a 2.x `<segment>`.
#[derive(Default)]
struct TransUnit {
    id: Option<String>,
    /// Offset of its start tag in the chunk, for errors.
    at: usize,
    source: Option<Done>,
    seg_source: Option<Done>,
    target: Option<Done>,
    target_lang: Option<String>,
    target_state: Option<String>,
    /// 1.x `approved` and `translate` of the trans-unit.
    approved: Option<String>,
    translate: Option<String>,
    alts: Vec<Alt>,
    /// Notes and what they annotate (`source`, `target`, other).
    notes: Vec<(Note, Option<String>)>,
}

/// `xml:space` of `e`: `Some(true)` for `preserve`, `Some(false)` for `default`.
fn xml_space(e: &BytesStart) -> Option<bool> {
    match attr(e, b"xml:space").ok().flatten().as_deref() {
        Some("preserve") => Some(true),
        Some("default") => Some(false),
        _ => None,
    }
}

/// Parses one chunk (whole `<trans-unit>`s, and whatever surrounds them) into `units`.
fn parse_chunk(
    bytes: &[u8],
    base: Base,
    last: bool,
    st: &mut State,
    units: &mut std::collections::VecDeque<Entry>,
) -> Result<(), Error> {
    let path = st.path.clone();
    let err = |off: usize, msg: String| Error::syntax(&path, base.position(bytes, off), msg);
    let text = super::xml::from_utf8(bytes).map_err(|e| {
        let i = e.valid_up_to();
        err(i, format!("invalid UTF-8 (byte 0x{:02X})", bytes[i]))
    })?;
    if let Some(i) = find_illegal(bytes) {
        return Err(err(i, "character not allowed in XML 1.0".into()));
    }
    // quick-xml skips a byte order mark at the start of its input and leaves it out of its
    // positions: give it the text after one (U+FEFF between elements is ignorable text).
    let skip = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let err = |off: usize, msg: String| err(skip + off, msg);
    let mut r = quick_xml::Reader::from_str(&text[skip..]);
    // Nesting is checked here, across chunks (`st.open`).
    r.config_mut().check_end_names = false;
    r.config_mut().allow_unmatched_ends = true;
    let mut cur: Option<TransUnit> = None;
    let mut collect: Option<(Kind, Content)> = None;
    let mut in_alt = false;
    let no_data = HashMap::new();
    let mut buf = String::new();
    loop {
        let before = r.buffer_position() as usize;
        let ev = r
            .read_event()
            .map_err(|e| err(r.error_position() as usize, format!("malformed XML: {e}")))?;
        match &ev {
            Event::Start(e) => {
                st.open.push(e.name().as_ref().to_vec());
                let inherited = st.space.last().copied().unwrap_or(false);
                st.space.push(xml_space(e).unwrap_or(inherited));
            }
            Event::End(e) => {
                st.space.pop();
                match st.open.pop() {
                    Some(n) if n == e.name().as_ref() => {}
                    Some(n) => {
                        return Err(err(
                            before,
                            format!(
                                "mismatched end tag: </{}> closes <{}>",
                                String::from_utf8_lossy(e.name().as_ref()),
                                String::from_utf8_lossy(&n)
                            ),
                        ))
                    }
                    None => {
                        return Err(err(
                            before,
                            format!(
                                "unexpected </{}>",
                                String::from_utf8_lossy(e.name().as_ref())
                            ),
                        ))
                    }
                }
            }
            _ => {}
        }
        // Inside a source, target, note...: everything goes to its content.
        if let Some((_, c)) = collect.as_mut() {
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let data = st.unit.as_ref().map_or(&no_data, |u| &u.data);
                    c.start(e, matches!(ev, Event::Empty(_)), data)
                        .map_err(|m| err(before, m))?;
                    continue;
                }
                Event::End(_) if c.depth() > 0 => {
                    c.end();
                    continue;
                }
                Event::End(_) => {
                    if let Some((kind, c)) = collect.take() {
                        store(kind, c.finish(), &mut cur, st);
                    }
                    continue;
                }
                Event::Text(t) => {
                    buf.clear();
                    unescape_into(&mut buf, std::str::from_utf8(t).unwrap_or(""))
                        .map_err(|e| err(before + e.offset, e.message))?;
                    c.text(&buf);
                    continue;
                }
                Event::CData(t) => {
                    c.text(std::str::from_utf8(t).unwrap_or(""));
                    continue;
                }
                Event::Eof => {}
                _ => continue,
            }
        }
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Eof => break,
            Event::DocType(d) if d.to_ascii_uppercase().windows(6).any(|w| w == b"ENTITY") => {
                return Err(err(
                    before,
                    "the DOCTYPE declares entities: refused (never expanded or fetched)".into(),
                ));
            }
            Event::Start(e) | Event::Empty(e) if !st.saw_root => {
                if local(&e) != b"xliff" {
                    return Err(err(
                        before,
                        "not an XLIFF file: the root is not <xliff>".into(),
                    ));
                }
                let n = e.name().into_inner();
                st.prefix = n[..n.len() - b"xliff".len()].to_vec();
                if let Some(v) = attr(&e, b"version").map_err(|m| err(before, m))? {
                    if v.starts_with('2') {
                        // XLIFF 2.x: srcLang (required) and trgLang on the root.
                        st.v2 = true;
                        let l = attr(&e, b"srcLang")
                            .map_err(|m| err(before, m))?
                            .ok_or_else(|| {
                                err(before, format!("XLIFF {v} without srcLang on <xliff>"))
                            })?;
                        let src = super::norm_lang(&l).ok_or_else(|| {
                            err(before, format!("srcLang {l:?} is not a BCP 47 tag"))
                        })?;
                        let tgt = attr(&e, b"trgLang").map_err(|m| err(before, m))?;
                        set_file_langs(st, src, tgt).map_err(|m| err(before, m))?;
                    }
                }
                st.saw_root = true;
            }
            Event::Start(e) | Event::Empty(e) => {
                if st.foreign > 0 {
                    st.foreign += usize::from(!empty);
                    continue;
                }
                if is_foreign(&e, &st.prefix) {
                    if local(&e) == b"matches" {
                        if let Some(u) = st.unit.as_mut() {
                            u.matches = true;
                        }
                    }
                    st.foreign += usize::from(!empty);
                    continue;
                }
                let a = |k: &[u8]| attr(&e, k).map_err(|m| err(before, m));
                // Pushed for this element already when it has content.
                let preserve = st.space.last().copied().unwrap_or(false);
                macro_rules! start {
                    ($kind:expr, $v2:expr) => {{
                        let c = Content::new($v2, preserve);
                        if empty {
                            store($kind, c.finish(), &mut cur, st);
                        } else {
                            collect = Some(($kind, c));
                        }
                    }};
                }
                match local(&e) {
                    b"trans-unit" if st.v2 => {
                        return Err(err(
                            before,
                            "<trans-unit> is XLIFF 1.2, in an XLIFF 2 file (units are <unit>)"
                                .into(),
                        ))
                    }
                    b"unit" if st.v2 => {
                        st.unit = Some(Unit2 {
                            id: a(b"id")?,
                            ..Default::default()
                        });
                    }
                    b"segment" if st.unit.is_some() => {
                        cur = Some(TransUnit {
                            target_state: a(b"state")?,
                            at: before,
                            ..Default::default()
                        })
                    }
                    b"data" if st.unit.is_some() && cur.is_none() => {
                        let id = a(b"id")?.unwrap_or_default();
                        let c = Content::new(true, true);
                        if empty {
                            store(Kind::Data(id), c.finish(), &mut cur, st);
                        } else {
                            collect = Some((Kind::Data(id), c));
                        }
                    }
                    b"note" if st.v2 && cur.is_none() && st.unit.is_some() => {
                        let annotates = a(b"appliesTo")?;
                        let lang = a(b"xml:lang")?;
                        start!(Kind::Note { lang, annotates }, true);
                    }
                    b"file" if !st.v2 => {
                        // source-language is required (XLIFF 1.2); target-language optional.
                        let src = a(b"source-language")?
                            .ok_or_else(|| err(before, "<file> without source-language".into()))?;
                        let n = super::norm_lang(&src).ok_or_else(|| {
                            err(
                                before,
                                format!("source-language {src:?} is not a BCP 47 tag"),
                            )
                        })?;
                        let tgt = a(b"target-language")?;
                        set_file_langs(st, n, tgt).map_err(|m| err(before, m))?;
                    }
                    b"trans-unit" => {
                        cur = Some(TransUnit {
                            id: a(b"id")?,
                            at: before,
                            approved: a(b"approved")?,
                            translate: a(b"translate")?,
                            ..Default::default()
                        })
                    }
                    b"alt-trans" if cur.is_some() => {
                        in_alt = !empty;
                        let alt = Alt {
                            mid: a(b"mid")?,
                            quality: a(b"match-quality")?,
                            kind: a(b"alttranstype")?,
                            ..Default::default()
                        };
                        if let Some(u) = cur.as_mut() {
                            u.alts.push(alt);
                        }
                    }
                    b"source" if cur.is_some() => {
                        start!(
                            if in_alt {
                                Kind::AltSource
                            } else {
                                Kind::Source
                            },
                            st.v2
                        )
                    }
                    b"seg-source" if cur.is_some() && !in_alt => start!(Kind::SegSource, st.v2),
                    b"target" if cur.is_some() => {
                        let lang = a(b"xml:lang")?;
                        let state = a(b"state")?;
                        if let Some(u) = cur.as_mut() {
                            if in_alt {
                                if let Some(alt) = u.alts.last_mut() {
                                    alt.target_lang = lang;
                                }
                            } else {
                                u.target_lang = lang;
                                if !st.v2 {
                                    u.target_state = state;
                                }
                            }
                        }
                        start!(
                            if in_alt {
                                Kind::AltTarget
                            } else {
                                Kind::Target
                            },
                            st.v2
                        )
                    }
                    b"note" if cur.is_some() && !in_alt && !st.v2 => {
                        let annotates = a(b"annotates")?;
                        let lang = a(b"xml:lang")?;
                        start!(Kind::Note { lang, annotates }, false);
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if st.foreign > 0 {
                    st.foreign -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"alt-trans" => in_alt = false,
                    b"segment" if st.v2 => {
                        if let (Some(tu), Some(unit)) = (cur.take(), st.unit.as_mut()) {
                            unit.segs.push(tu);
                        }
                    }
                    b"unit" if st.v2 => {
                        // One translation unit per segment: the unit's id (with the segment's
                        // number when it has several) and its notes.
                        if let Some(u) = st.unit.take() {
                            let several = u.segs.len() > 1;
                            let mut notes = Some(u.notes);
                            for (k, mut tu) in u.segs.into_iter().enumerate() {
                                tu.id = match &u.id {
                                    Some(id) if several => Some(format!("{id}#{}", k + 1)),
                                    id => id.clone(),
                                };
                                tu.notes = notes.take().unwrap_or_default();
                                if u.matches && tu.target.as_ref().map_or(true, is_blank) {
                                    st.alt_skipped += 1;
                                }
                                let at = tu.at;
                                emit(tu, st, units).map_err(|m| err(at, m))?;
                            }
                        }
                    }
                    b"trans-unit" => {
                        if let Some(tu) = cur.take() {
                            if st.src.is_none() {
                                // Regression (fuzz, read_xliff): a unit outside any <file
                                // source-language> indexed an empty language list.
                                return Err(err(
                                    before,
                                    "<trans-unit> outside a <file source-language=...>".into(),
                                ));
                            }
                            let at = tu.at;
                            emit(tu, st, units).map_err(|m| err(at, m))?;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                unescape_into(&mut String::new(), std::str::from_utf8(&t).unwrap_or(""))
                    .map_err(|e| err(before + e.offset, e.message))?;
            }
            _ => {}
        }
    }
    if last {
        if !st.saw_root {
            return Err(err(bytes.len(), "empty file: no <xliff> element".into()));
        }
        if let Some(n) = st.open.last() {
            return Err(err(
                bytes.len(),
                format!(
                    "the file ends inside <{}>: truncated",
                    String::from_utf8_lossy(n)
                ),
            ));
        }
        if st.langs.is_empty() {
            return Err(err(0, "no <file source-language=...>".into()));
        }
    }
    Ok(())
}

/// True for an element of another namespace than XLIFF's: another prefix than the root's, or
/// a default namespace of its own that is not XLIFF's.
fn is_foreign(e: &BytesStart, prefix: &[u8]) -> bool {
    let n = e.name().into_inner();
    let p = match n.iter().rposition(|&b| b == b':') {
        Some(i) => &n[..=i],
        None => &n[..0],
    };
    if p != prefix {
        return true;
    }
    let ns = if prefix.is_empty() {
        b"xmlns".to_vec()
    } else {
        [b"xmlns:", &prefix[..prefix.len() - 1]].concat()
    };
    matches!(attr(e, &ns), Ok(Some(v)) if !v.starts_with("urn:oasis:names:tc:xliff:document:"))
}

/// Sets the languages of a `<file>` (2.x: of the document): `tgt` as declared, else the
/// caller's or the file name's as a fallback for targets without `xml:lang`.
fn set_file_langs(st: &mut State, src: String, tgt: Option<String>) -> Result<(), String> {
    let tgt = match tgt {
        Some(l) => Some(
            super::norm_lang(&l)
                .ok_or_else(|| format!("target language {l:?} is not a BCP 47 tag"))?,
        ),
        None => None,
    };
    st.fallback = match (&tgt, &st.opts.target_lang) {
        (Some(_), _) => None,
        (None, Some(l)) => Some((l.clone(), false)),
        (None, None) => lang_from_file_name(&st.path, &src).map(|l| (l, true)),
    };
    add_lang(&mut st.langs, &src);
    if let Some(t) = &tgt {
        add_lang(&mut st.langs, t);
    } else if let Some((l, false)) = &st.fallback {
        add_lang(&mut st.langs, &l.clone());
    }
    st.src = Some(src);
    st.tgt = tgt;
    Ok(())
}

fn add_lang(langs: &mut Vec<String>, l: &str) {
    if !langs.iter().any(|x| x == l) {
        langs.push(l.to_string());
    }
}

/// Puts a finished content where it belongs.
fn store(kind: Kind, done: Done, cur: &mut Option<TransUnit>, st: &mut State) {
    match kind {
        Kind::Data(id) => {
            if let Some(u) = st.unit.as_mut() {
                u.data.insert(id, plain(&done.main));
            }
        }
        Kind::Note { lang, annotates } => {
            let note = Note {
                text: plain(&done.main),
                lang: lang.and_then(|l| super::norm_lang(&l).or(Some(l))),
            };
            match (cur.as_mut(), st.unit.as_mut()) {
                (Some(u), _) => u.notes.push((note, annotates)),
                (None, Some(u)) => u.notes.push((note, annotates)),
                _ => {}
            }
        }
        kind => {
            let Some(u) = cur.as_mut() else { return };
            match kind {
                Kind::Source => u.source = Some(done),
                Kind::Target => u.target = Some(done),
                Kind::SegSource => u.seg_source = Some(done),
                Kind::AltSource => {
                    if let Some(a) = u.alts.last_mut() {
                        a.source = Some(done);
                    }
                }
                Kind::AltTarget => {
                    if let Some(a) = u.alts.last_mut() {
                        if a.target.is_none() {
                            a.target = Some(done);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_blank(d: &Done) -> bool {
    plain(&d.main).trim().is_empty()
}

/// The entries of one trans-unit (several with `<seg-source>` segments).
fn emit(
    tu: TransUnit,
    st: &mut State,
    units: &mut std::collections::VecDeque<Entry>,
) -> Result<(), String> {
    // <seg-source>: one unit per segment, when the target is absent or segmented the same way.
    if let Some(ss) = tu.seg_source.as_ref().filter(|s| !s.segs.is_empty()) {
        let tsegs = tu.target.as_ref().map(|t| &t.segs);
        let usable = match (&tu.target, tsegs) {
            (None, _) => true,
            (Some(t), Some(ts)) if ts.is_empty() => is_blank(t),
            (Some(_), Some(ts)) => ts.iter().all(|(m, _)| ss.segs.iter().any(|(n, _)| n == m)),
            (Some(_), None) => false,
        };
        if usable {
            let mut notes = Some(tu.notes.clone());
            // An alt-trans without mid is for the whole unit: one segment's when there is
            // only one, else a suggestion for none of them (counted if one lacks a translation).
            let unit_alts: Vec<&Alt> = tu.alts.iter().filter(|a| a.mid.is_none()).collect();
            let single = ss.segs.len() == 1;
            let mut untranslated = false;
            for (mid, spieces) in &ss.segs {
                let tp = tsegs
                    .and_then(|ts| ts.iter().find(|(m, _)| m == mid))
                    .map(|(_, p)| p.as_slice());
                let alts: Vec<&Alt> = tu
                    .alts
                    .iter()
                    .filter(|a| {
                        a.mid.as_deref() == Some(mid.as_str()) || (single && a.mid.is_none())
                    })
                    .collect();
                let id = Some(match &tu.id {
                    Some(id) => format!("{id}_{mid}"),
                    None => mid.clone(),
                });
                let e = build(
                    &tu,
                    id,
                    spieces,
                    tp,
                    &alts,
                    notes.take().unwrap_or_default(),
                    st,
                )?;
                untranslated |= e.unit.variants.len() < 2;
                units.push_back(e);
            }
            let suggested = unit_alts
                .iter()
                .any(|a| a.target.as_ref().is_some_and(|t| !is_blank(t)));
            if !single && untranslated && suggested {
                st.alt_skipped += 1;
            }
            return Ok(());
        }
    }
    let mut tu = tu;
    let source = tu.source.take().map(|d| d.main).unwrap_or_default();
    let notes = std::mem::take(&mut tu.notes);
    let target = tu.target.as_ref().map(|d| d.main.as_slice());
    let alts: Vec<&Alt> = tu.alts.iter().collect();
    let e = build(&tu, tu.id.clone(), &source, target, &alts, notes, st)?;
    units.push_back(e);
    Ok(())
}

/// One entry: the source, the translation if there is one (the target, else an exact
/// alt-trans when asked for), the notes.
fn build(
    tu: &TransUnit,
    id: Option<String>,
    source: &[Piece],
    target: Option<&[Piece]>,
    alts: &[&Alt],
    notes: Vec<(Note, Option<String>)>,
    st: &mut State,
) -> Result<Entry, String> {
    let Some(src_lang) = st.src.clone() else {
        return Err("<trans-unit> outside a <file source-language=...>".into());
    };
    let mut ikeys = Vec::new();
    let src = render(source, &mut ikeys);
    // (text, markup) and the target's own xml:lang.
    let mut tgt: Option<(Rendered, Option<String>)> = None;
    let mut from_target = false;
    if let Some(t) = target {
        let t = render(t, &mut ikeys);
        if !t.0.trim().is_empty() {
            let state = tu.target_state.as_deref();
            let copy = matches!(state, Some("needs-translation" | "new")) && t == src;
            if st.v2 && state == Some("initial") {
                st.initial_skipped += 1;
            } else if !copy {
                tgt = Some((t, tu.target_lang.clone()));
                from_target = true;
            }
        }
    }
    let suggested = alts
        .iter()
        .any(|a| a.target.as_ref().is_some_and(|t| !is_blank(t)));
    if tgt.is_none() && suggested {
        if st.opts.alt_trans == AltTrans::Exact {
            if let Some(a) = alts
                .iter()
                .find(|a| a.target.as_ref().is_some_and(|t| !is_blank(t)) && a.is_exact(&src))
            {
                if let Some(t) = &a.target {
                    tgt = Some((render(&t.main, &mut ikeys), a.target_lang.clone()));
                }
            }
        }
        if tgt.is_none() {
            st.alt_skipped += 1;
        }
    }
    let mut unit = Unit {
        id,
        variants: vec![Variant::new(src_lang, src.0)],
        ..Default::default()
    };
    // What the file says of the translation (kept as TMX props: x-state, x-approved) and of
    // the unit (x-translate="no": not to be translated).
    if from_target {
        if let Some(s) = &tu.target_state {
            unit.props.push(super::Prop::new("x-state", s.clone()));
        }
        if let Some(a) = &tu.approved {
            unit.props.push(super::Prop::new("x-approved", a.clone()));
        }
    }
    if let Some(t) = tu.translate.as_deref().filter(|t| *t == "no") {
        unit.props.push(super::Prop::new("x-translate", t));
    }
    let mut extras = vec![VariantExtra {
        markup: src.1,
        ..Default::default()
    }];
    if let Some(((text, markup), own_lang)) = tgt {
        let lang = match (&st.tgt, own_lang.as_deref().and_then(super::norm_lang)) {
            (Some(l), _) => l.clone(),
            (None, Some(l)) => l,
            (None, None) => match &st.fallback {
                Some((l, from_name)) => {
                    if *from_name && st.name_lang_used.is_none() {
                        st.name_lang_used = Some(l.clone());
                    }
                    l.clone()
                }
                None => {
                    return Err(format!(
                        "unit {}: a translation in no known language (the {} declares no {} \
                         and the <target> no xml:lang): give --target-lang",
                        unit.id.as_deref().unwrap_or("without id"),
                        if st.v2 { "<xliff>" } else { "<file>" },
                        if st.v2 { "trgLang" } else { "target-language" },
                    ))
                }
            },
        };
        add_lang(&mut st.langs, &lang);
        unit.variants.push(Variant::new(lang, text));
        extras.push(VariantExtra {
            markup,
            ..Default::default()
        });
    }
    for (n, annotates) in notes {
        match annotates.as_deref() {
            Some("source") => extras[0].notes.push(n),
            Some("target") if extras.len() > 1 => extras[1].notes.push(n),
            _ => unit.notes.push(n),
        }
    }
    if extras.iter().all(VariantExtra::is_empty) {
        extras.clear();
    }
    Ok(Entry { unit, extras })
}

fn local<'b>(e: &'b BytesStart) -> &'b [u8] {
    let n = e.name().into_inner();
    match n.iter().rposition(|&b| b == b':') {
        Some(i) => &n[i + 1..],
        None => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dragoman's own jobs carry the translation in an exact alt-trans.
    fn exact() -> ReadOptions {
        ReadOptions {
            alt_trans: AltTrans::Exact,
            ..Default::default()
        }
    }

    #[test]
    fn round_trip_through_alt_trans() {
        let langs = ["ar".to_string(), "en".to_string()];
        let mut w = Writer::new(Vec::new(), &langs, &Options::default()).unwrap();
        let u = Unit {
            id: Some("a&1".into()),
            variants: vec![
                Variant::new("ar", "سلام <b>"),
                Variant::new("en", "peace & x"),
            ],
            ..Default::default()
        };
        w.write_unit(&u).unwrap();
        let out = w.finish().unwrap();
        let s = String::from_utf8(out.clone()).unwrap();
        assert!(
            s.contains("state=\"needs-translation\">سلام &lt;b&gt;</target>"),
            "{s}"
        );
        let r = Reader::with_options(&out[..], Path::new("x.xlf"), exact()).unwrap();
        assert_eq!(r.langs(), langs);
        let back: Vec<Unit> = r.collect::<Result<_, _>>().unwrap();
        assert_eq!(back, vec![u]);
    }

    /// Units enough for several chunks: every one read back, in order; the file cut short
    /// anywhere is an error at its end, and a mismatched end tag chunks away from its start
    /// tag is found.
    #[test]
    fn streams_across_chunks() {
        let langs = ["ar".to_string(), "fr".to_string()];
        let mut w = Writer::new(Vec::new(), &langs, &Options::default()).unwrap();
        let n = 12_000;
        for i in 0..n {
            let u = Unit {
                id: Some(format!("u{i}")),
                variants: vec![
                    Variant::new("ar", format!("الجملة رقم {i} <b> & ما بعدها")),
                    Variant::new("fr", format!("phrase numéro {i} <b> & la suite")),
                ],
                ..Default::default()
            };
            w.write_unit(&u).unwrap();
        }
        let out = w.finish().unwrap();
        assert!(out.len() > 3 * CHUNK, "{}", out.len());
        let back: Vec<Unit> = Reader::with_options(&out[..], Path::new("big.xlf"), exact())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back.len(), n);
        assert_eq!(back[n - 1].id.as_deref(), Some("u11999"));
        assert_eq!(
            back[7000].text("fr"),
            Some("phrase numéro 7000 <b> & la suite")
        );

        let s = String::from_utf8(out).unwrap();
        let cut = s[..s.len() * 2 / 3].rfind("</trans-unit>").unwrap() + "</trans-unit>".len();
        let lines = s[..cut].lines().count() as u64;
        let e = Reader::from_reader(&s.as_bytes()[..cut], Path::new("cut.xlf"))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        assert_eq!(e.position().map(|p| p.0), Some(lines), "{e}");

        let bad = s.replacen("</body>", "</file>", 1);
        let e = Reader::from_reader(bad.as_bytes(), Path::new("bad.xlf"))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert!(e.to_string().contains("</file> closes <body>"), "{e}");
    }

    /// XLIFF 2: languages on the root, one unit per `<segment>`, unit notes kept, `initial`
    /// targets (drafts, fuzzy matches) and `mtc:match` candidates not taken as translations,
    /// inline codes reduced to their text.
    #[test]
    fn reads_xliff_2() {
        let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0"
       version="2.0" srcLang="ar" trgLang="fr-FR">
  <file id="f1">
    <unit id="a">
      <notes><note>titre</note></notes>
      <mtc:matches><mtc:match ref="\#s1"><source>سلام</source><target>WRONG</target></mtc:match></mtc:matches>
      <segment id="s1" state="translated"><source>سلام</source><target>Paix</target></segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2" state="final"><source>حرب <ph id="1"/><pc id="2">كبيرة</pc></source><target>Guerre <ph id="1"/><pc id="2">grande</pc></target></segment>
    </unit>
    <unit id="b"><segment state="initial"><source>كلمة</source><target>fuzzy</target></segment></unit>
    <unit id="c"><segment><source>نعم</source><target>Oui</target></segment></unit>
  </file>
</xliff>"#;
        let r = Reader::from_reader(x.as_bytes(), Path::new("j.xlf")).unwrap();
        assert_eq!(r.langs(), ["ar", "fr-FR"]);
        let units: Vec<Unit> = r.collect::<Result<_, _>>().unwrap();
        type Row<'u> = (Option<&'u str>, Option<&'u str>, Option<&'u str>, usize);
        let got: Vec<Row> = units
            .iter()
            .map(|u| {
                (
                    u.id.as_deref(),
                    u.text("ar"),
                    u.text("fr-FR"),
                    u.notes.len(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("a#1"), Some("سلام"), Some("Paix"), 1),
                (Some("a#2"), Some("حرب كبيرة"), Some("Guerre grande"), 0),
                (Some("b"), Some("كلمة"), None, 0),
                (Some("c"), Some("نعم"), Some("Oui"), 0),
            ]
        );
        assert_eq!(units[0].notes, ["titre"]);

        // Errors: a 1.2 <trans-unit> inside, no srcLang.
        let mixed = x
            .replace("<unit id=\"c\">", "<trans-unit id=\"c\">")
            .replace(
                "</segment></unit>\n  </file>",
                "</segment></trans-unit>\n  </file>",
            );
        let e = Reader::from_reader(mixed.as_bytes(), Path::new("m.xlf"))
            .and_then(|r| r.collect::<Result<Vec<_>, _>>())
            .unwrap_err();
        assert!(e.to_string().contains("<trans-unit> is XLIFF 1.2"), "{e}");
        assert_eq!(e.position(), Some((13, 5)), "{e}");
        let e = Reader::from_reader(
            x.replace("srcLang=\"ar\"", "").as_bytes(),
            Path::new("n.xlf"),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("without srcLang"), "{e}");
    }

    /// XLIFF 2 files are cut into chunks after `</unit>` like 1.2 files after
    /// `</trans-unit>`: many units, every one read, in order.
    #[test]
    fn streams_xliff_2_across_chunks() {
        let mut x = String::from(
            "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" \
             srcLang=\"ar\" trgLang=\"en\"><file id=\"f\">\n",
        );
        let n = 30_000;
        for i in 0..n {
            x.push_str(&format!(
                "<unit id=\"u{i}\"><segment state=\"translated\"><source>جملة {i}</source>\
                 <target>sentence {i}</target></segment></unit>\n"
            ));
        }
        x.push_str("</file></xliff>\n");
        assert!(x.len() > 2 * CHUNK);
        let units: Vec<Unit> = Reader::from_reader(x.as_bytes(), Path::new("big2.xlf"))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(units.len(), n);
        assert_eq!(units[n - 1].text("en"), Some("sentence 29999"));
    }

    /// Every prefix of a document full of codes, segments, alt-trans and notes is read or
    /// refused, never a panic; the whole document gives codes that the TMX writer accepts.
    #[test]
    fn cut_anywhere_is_an_error_not_a_panic() {
        let x = r#"<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" datatype="html" original="a"><body>
<group><trans-unit id="t" xml:space="preserve"><source>A <g id="1">b <x id="2"/></g><ph id="3">&lt;x <sub>s <g id="9">t</g><x id="8"/></sub>/&gt;</ph> <bpt id="4">[</bpt>c</source>
<seg-source><mrk mtype="seg" mid="1">A <g id="1">b</g></mrk> <mrk mtype="seg" mid="2">c<ept id="4">]</ept></mrk></seg-source>
<target xml:lang="fr"><mrk mtype="seg" mid="1">a <it id="5" pos="close">]</it></mrk><mrk mtype="seg" mid="2"><mrk mtype="term">d</mrk></mrk></target>
<alt-trans mid="2" match-quality="100"><target>e</target></alt-trans><note annotates="target" xml:lang="fr">n</note></trans-unit></group>
</body></file></xliff>"#;
        let opts = || ReadOptions {
            alt_trans: AltTrans::Exact,
            ..Default::default()
        };
        let entries: Vec<Entry> = {
            let mut r = Reader::with_options(x.as_bytes(), Path::new("c.xlf"), opts()).unwrap();
            std::iter::from_fn(|| r.next_entry().transpose())
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].unit.id.as_deref(), Some("t_1"));
        assert_eq!(entries[1].unit.text("fr"), Some("d"));
        let mut w =
            super::super::tmx::Writer::new(Vec::new(), &super::super::tmx::Header::new("en"))
                .unwrap();
        w.allow_partial(true);
        for e in &entries {
            super::super::WriteUnits::write_entry(&mut w, e).unwrap();
        }
        for cut in 0..x.len() {
            if !x.is_char_boundary(cut) {
                continue;
            }
            if let Ok(r) = Reader::with_options(&x.as_bytes()[..cut], Path::new("c.xlf"), opts()) {
                let _ = r.collect::<Result<Vec<_>, _>>();
            }
        }
    }

    /// Random edits of a document with every inline element: never a panic, and every
    /// markup the reader makes is accepted by the TMX writer and maps back to XLIFF 1.2.
    #[test]
    fn mutated_documents_never_panic_and_give_valid_markup() {
        let base = r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" target-language="fr" datatype="x" original="a"><body><trans-unit id="t"><source>A <g id="1">b <x id="2"/><mrk mtype="term">m</mrk></g><ph id="3">&lt;x <sub>s <g id="9">t</g></sub>/&gt;</ph> <bpt id="4">[</bpt>c<ept id="4">]</ept><bx id="5"/><ex id="5"/><it id="6" pos="open">{</it></source><target>a <g id="1">b</g> <ph id="3">p</ph></target></trans-unit></body></file></xliff>"#;
        let base2 = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr"><file id="f"><unit id="u"><originalData><data id="d">&lt;b&gt;</data></originalData><segment><source><pc id="1" dataRefStart="d">a</pc><ph id="2" dataRef="d"/><sc id="3"/>b<ec startRef="3"/><mrk id="m" type="term">c</mrk><cp hex="41"/></source><target><pc id="1">x</pc></target></segment></unit></file></xliff>"#;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        let pieces: [&[u8]; 8] = [
            b"<",
            b">",
            b"/",
            b"\"",
            b"</g>",
            b"<ept id=\"4\"/>",
            b"&",
            b" ",
        ];
        for doc in [base, base2] {
            for _ in 0..1500 {
                let mut b = doc.as_bytes().to_vec();
                for _ in 0..1 + next() % 3 {
                    let at = (next() as usize) % b.len();
                    match next() % 3 {
                        0 => {
                            b.remove(at);
                        }
                        1 => {
                            let p = pieces[(next() as usize) % pieces.len()];
                            b.splice(at..at, p.iter().copied());
                        }
                        _ => b.truncate(at.max(1)),
                    }
                }
                let Ok(mut r) = Reader::from_reader(&b[..], Path::new("m.xlf")) else {
                    continue;
                };
                while let Ok(Some(e)) = r.next_entry() {
                    for x in &e.extras {
                        if let Some(m) = &x.markup {
                            checked += 1;
                            let mut out = String::new();
                            inline::to_xliff12(m, &mut out).unwrap();
                            if e.unit.variants.len() < 2 {
                                continue;
                            }
                            let mut w = super::super::tmx::Writer::fragment(
                                Vec::new(),
                                &["en".to_string(), "fr".to_string()],
                            )
                            .unwrap();
                            w.allow_partial(true);
                            super::super::WriteUnits::write_entry(&mut w, &e)
                                .unwrap_or_else(|err| panic!("{err}: {m}"));
                        }
                    }
                }
            }
        }
        assert!(checked > 500, "{checked}");
    }

    /// The target language a file name gives: carefully (a word is not a language).
    #[test]
    fn languages_from_file_names() {
        for (name, src, want) in [
            ("job.ar-en.xlf", "ar", Some("en")),
            ("job.ar_en.xliff", "ar", Some("en")),
            ("dir.x/messages.fr.xlf", "en", Some("fr")),
            ("messages_fr.XLF", "en", Some("fr")),
            ("doc.pt-BR.xlf", "en", Some("pt-BR")),
            ("doc.en-US.xlf", "en", Some("en-US")),
            ("readme_en.xlf", "en", None),
            ("my_job.xlf", "en", None),
            ("job.xlf", "en", None),
            ("report_v2.xlf", "en", None),
            ("job.en-fra.xlf", "en", Some("fra")),
        ] {
            assert_eq!(
                lang_from_file_name(name, src).as_deref(),
                want,
                "{name} ({src})"
            );
        }
    }

    #[test]
    fn hostile() {
        for (x, pos) in [
            ("<!DOCTYPE x [<!ENTITY a \"b\">]><xliff/>", (1, 1)),
            ("<xliff version=\"1.2\"><file source-language=\"ar\"><body>\n<trans-unit id=\"1\"><source>&#0;</source>", (2, 28)),
            ("<xliff version=\"1.2\"><file source-language=\"ar\"><body></file>", (1, 55)),
            ("<tmx/>", (1, 1)),
            // Regression (fuzz crash-2eda8513): no source-language, then a unit: no panic.
            ("<xliff version=\"1.2\"><file target-language=\"en\"><body><trans-unit id=\"1\"><source>x</source></trans-unit></body></file></xliff>", (1, 22)),
            ("<xliff version=\"1.2\"><body><trans-unit id=\"1\"><source>x</source></trans-unit></body></xliff>", (1, 65)),
        ] {
            let e = Reader::from_reader(x.as_bytes(), Path::new("h.xlf")).err().unwrap();
            assert_eq!(e.position(), Some(pos), "{e}");
        }
    }
}
