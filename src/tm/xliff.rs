//! XLIFF 1.2 for translation jobs: what OmegaT 3.6, memoQ, Trados and translate-toolkit read.
//!
//! The [`Writer`] follows `shared/bench/cat/CONVENTIONS.md` §4: one `<file>` with
//! `source-language`, `target-language`, `datatype="plaintext"` and `tool-id`, a `<header>` with
//! the `<tool>`, and one `<trans-unit id=".." xml:space="preserve">` per unit. OmegaT 3.6
//! translates the *content of `<target>`*, so a job file carries a copy of the source there
//! (`state="needs-translation"`); the known translation travels beside it in
//! `<alt-trans match-quality="100" origin="dragoman">`, which Trados and memoQ show as a match and
//! OmegaT ignores. It validates against the XLIFF 1.2 transitional (and strict) schema.
//!
//! The [`Reader`] reads 1.2 (and 1.0/1.1) `<trans-unit>`s: source, and as translation the
//! `<target>` unless it is a source copy marked `needs-translation` with an `<alt-trans>`
//! target, which is then used. It also reads XLIFF 2.x (what memoQ and Trados export now):
//! one unit per `<segment>`, languages from `srcLang`/`trgLang`, a target still `initial` (a
//! draft or a fuzzy match) not taken as a translation. Job files are small: the reader holds the file in memory (at
//! most [`MAX_SIZE`]); entity declarations are refused, as in TMX.

use std::io::{BufRead, Write};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::chunk::{Base, Input};
use super::xml::{attr, escape_attr, escape_text, find_illegal, strip_illegal, unescape_into};
use super::{Error, Note, Unit, Variant, OUTPUT};
use crate::Lang;

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

    /// Writes one `<trans-unit>`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a unit with no source text; I/O errors.
    pub fn write_unit(&mut self, u: &Unit) -> Result<(), Error> {
        let src = strip_illegal(u.text(&self.src).unwrap_or(""));
        let src = src.trim();
        if src.is_empty() {
            return Err(Error::invalid(
                OUTPUT,
                format!(
                    "unit {}: no {} source text",
                    u.id.as_deref().unwrap_or("without id"),
                    self.src
                ),
            ));
        }
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
        escape_text(s, src);
        s.push_str("</source>\n        <target xml:lang=\"");
        s.push_str(&self.tgt);
        s.push_str("\" state=\"needs-translation\">");
        escape_text(s, src);
        s.push_str("</target>\n");
        let tgt = strip_illegal(u.text(&self.tgt).unwrap_or(""));
        let tgt = tgt.trim();
        if !tgt.is_empty() {
            s.push_str("        <alt-trans match-quality=\"100\" origin=\"dragoman\">\n          <target xml:lang=\"");
            s.push_str(&self.tgt);
            s.push_str("\">");
            escape_text(s, tgt);
            s.push_str("</target>\n        </alt-trans>\n");
        }
        for n in &u.notes {
            s.push_str("        <note>");
            escape_text(s, &n.text);
            s.push_str("</note>\n");
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
    fn finish_boxed(self: Box<Self>) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

/// Streams the units of an XLIFF 1.x file.
///
/// The file is read in chunks of about [`CHUNK`] bytes cut just after a `</trans-unit>`
/// (outside comments and CDATA), each parsed on its own, so memory is a few chunks whatever
/// the file size. Element nesting is checked across chunks: a mismatched end tag or a
/// truncated file is an error with its position.
pub struct Reader<'a> {
    input: Input<'a>,
    finished: bool,
    queue: std::collections::VecDeque<Unit>,
    state: State,
}

/// Target chunk size.
pub const CHUNK: usize = 1 << 20;

/// What parsing carries from one chunk to the next.
#[derive(Default)]
struct State {
    saw_root: bool,
    /// XLIFF 2.x: `<unit>`s of `<segment>`s, languages on the root.
    v2: bool,
    /// XLIFF 2.x: the `<unit>` being read (id, notes, segments so far).
    unit: Option<(Option<String>, Vec<String>, Vec<TransUnit>)>,
    /// Source and target language of the first `<file>`.
    langs: Vec<String>,
    /// Open elements (qualified names), to check nesting across chunks.
    open: Vec<Vec<u8>>,
}

impl<'a> Reader<'a> {
    /// Opens an XLIFF file and reads up to its first `<file>` (for [`Reader::langs`]).
    ///
    /// # Errors
    /// Syntax errors with file, line and column; I/O errors; a single unit (or header) larger
    /// than [`MAX_SIZE`].
    pub fn from_reader(r: impl BufRead + 'a, path: &Path) -> Result<Reader<'a>, Error> {
        let mut this = Reader {
            input: Input::open(r, path)?,
            finished: false,
            queue: Default::default(),
            state: State::default(),
        };
        while this.state.langs.is_empty() && !this.finished {
            this.parse_next_chunk()?;
        }
        Ok(this)
    }

    /// Source and target language of the (first) `<file>`.
    pub fn langs(&self) -> &[String] {
        &self.state.langs
    }

    fn next_unit(&mut self) -> Result<Option<Unit>, Error> {
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
        parse_chunk(
            &bytes,
            base,
            last,
            &self.input.path,
            &mut self.state,
            &mut self.queue,
        )?;
        self.input.recycle(bytes);
        self.finished = last;
        Ok(())
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Unit, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_unit().transpose()
    }
}

impl super::ReadUnits for Reader<'_> {
    fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        self.next_unit()
    }
    fn langs(&self) -> Vec<String> {
        self.state.langs.clone()
    }
    fn bytes_read(&self) -> u64 {
        self.input.base.byte
    }
}

#[derive(Default)]
struct TransUnit {
    id: Option<String>,
    source: String,
    target: Option<String>,
    target_state: Option<String>,
    alt_target: Option<String>,
    notes: Vec<String>,
}

/// Parses one chunk (whole `<trans-unit>`s, and whatever surrounds them) into `units`.
fn parse_chunk(
    bytes: &[u8],
    base: Base,
    last: bool,
    path: &str,
    st: &mut State,
    units: &mut std::collections::VecDeque<Unit>,
) -> Result<(), Error> {
    let err = |off: usize, msg: String| Error::syntax(path, base.position(bytes, off), msg);
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
    // Which text we are collecting: 0 none, 1 source, 2 target, 3 alt-trans target, 4 note.
    let mut field = 0u8;
    let mut field_depth = 0usize;
    let mut in_alt = 0usize;
    let mut buf = String::new();
    loop {
        let before = r.buffer_position() as usize;
        let ev = r
            .read_event()
            .map_err(|e| err(r.error_position() as usize, format!("malformed XML: {e}")))?;
        match &ev {
            Event::Start(e) => st.open.push(e.name().as_ref().to_vec()),
            Event::End(e) => match st.open.pop() {
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
            },
            _ => {}
        }
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
                if let Some(v) = attr(&e, b"version").map_err(|m| err(before, m))? {
                    if v.starts_with('2') {
                        // XLIFF 2.x: srcLang (required) and trgLang on the root.
                        st.v2 = true;
                        for (key, required) in [(&b"srcLang"[..], true), (b"trgLang", false)] {
                            let name = String::from_utf8_lossy(key);
                            match attr(&e, key).map_err(|m| err(before, m))? {
                                Some(l) => {
                                    st.langs.push(super::norm_lang(&l).ok_or_else(|| {
                                        err(before, format!("{name} {l:?} is not a BCP 47 tag"))
                                    })?)
                                }
                                None if required => {
                                    return Err(err(
                                        before,
                                        format!("XLIFF {v} without {name} on <xliff>"),
                                    ))
                                }
                                None => {}
                            }
                        }
                    }
                }
                st.saw_root = true;
            }
            Event::Start(e) => {
                let name = local(&e).to_vec();
                if field != 0 {
                    // Inline markup inside source/target (<g>, <x/>, <mrk>...): keep its text.
                    field_depth += 1;
                    continue;
                }
                match name.as_slice() {
                    b"trans-unit" if st.v2 => {
                        return Err(err(
                            before,
                            "<trans-unit> is XLIFF 1.2, in an XLIFF 2 file (units are <unit>)"
                                .into(),
                        ))
                    }
                    b"unit" if st.v2 => {
                        let id = attr(&e, b"id").map_err(|m| err(before, m))?;
                        st.unit = Some((id, Vec::new(), Vec::new()));
                    }
                    b"segment" if st.unit.is_some() => {
                        cur = Some(TransUnit {
                            target_state: attr(&e, b"state").map_err(|m| err(before, m))?,
                            ..Default::default()
                        })
                    }
                    // XLIFF 2 match candidates (mtc:match) hold a <source> and a <target> too.
                    b"match" if st.v2 => in_alt += 1,
                    b"note" if st.v2 && cur.is_none() && st.unit.is_some() && in_alt == 0 => {
                        field = 5
                    }
                    b"file" if st.langs.is_empty() => {
                        // source-language is required (XLIFF 1.2); target-language optional.
                        let src = attr(&e, b"source-language")
                            .map_err(|m| err(before, m))?
                            .ok_or_else(|| err(before, "<file> without source-language".into()))?;
                        let n = super::norm_lang(&src).ok_or_else(|| {
                            err(
                                before,
                                format!("source-language {src:?} is not a BCP 47 tag"),
                            )
                        })?;
                        st.langs.push(n);
                        if let Some(l) = attr(&e, b"target-language").map_err(|m| err(before, m))? {
                            let n = super::norm_lang(&l).ok_or_else(|| {
                                err(before, format!("target-language {l:?} is not a BCP 47 tag"))
                            })?;
                            st.langs.push(n);
                        }
                    }
                    b"trans-unit" => {
                        cur = Some(TransUnit {
                            id: attr(&e, b"id").map_err(|m| err(before, m))?,
                            ..Default::default()
                        })
                    }
                    b"alt-trans" => in_alt += 1,
                    b"source" if cur.is_some() && in_alt == 0 => field = 1,
                    b"target" if cur.is_some() && in_alt == 0 => {
                        field = 2;
                        if let (Some(u), false) = (cur.as_mut(), st.v2) {
                            u.target_state = attr(&e, b"state").map_err(|m| err(before, m))?;
                        }
                    }
                    b"target" if cur.is_some() && in_alt > 0 => field = 3,
                    b"note" if cur.is_some() && in_alt == 0 => field = 4,
                    _ => {}
                }
                if field != 0 {
                    buf.clear();
                    field_depth = 0;
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_vec();
                if field != 0 {
                    if field_depth > 0 {
                        field_depth -= 1;
                        continue;
                    }
                    let t = std::mem::take(&mut buf);
                    match (field, cur.as_mut(), st.unit.as_mut()) {
                        (5, _, Some(unit)) => unit.1.push(t),
                        (1, Some(u), _) => u.source = t,
                        (2, Some(u), _) => u.target = Some(t),
                        (3, Some(u), _) if u.alt_target.is_none() => u.alt_target = Some(t),
                        (4, Some(u), _) => u.notes.push(t),
                        _ => {}
                    }
                    field = 0;
                    continue;
                }
                match name.as_slice() {
                    b"alt-trans" => in_alt = in_alt.saturating_sub(1),
                    b"match" if st.v2 => in_alt = in_alt.saturating_sub(1),
                    b"segment" if st.v2 => {
                        if let (Some(tu), Some(unit)) = (cur.take(), st.unit.as_mut()) {
                            unit.2.push(tu);
                        }
                    }
                    b"unit" if st.v2 => {
                        // One translation unit per segment: the unit's id (with the segment's
                        // number when it has several) and its notes.
                        if let Some((id, notes, segs)) = st.unit.take() {
                            let several = segs.len() > 1;
                            for (k, mut tu) in segs.into_iter().enumerate() {
                                tu.id = match &id {
                                    Some(id) if several => Some(format!("{id}#{}", k + 1)),
                                    id => id.clone(),
                                };
                                if k == 0 {
                                    tu.notes.clone_from(&notes);
                                }
                                units.push_back(to_unit(tu, &st.langs));
                            }
                        }
                    }
                    b"trans-unit" => {
                        if let Some(tu) = cur.take() {
                            if st.langs.is_empty() {
                                // Regression (fuzz, read_xliff): a unit outside any <file
                                // source-language> indexed an empty language list.
                                return Err(err(
                                    before,
                                    "<trans-unit> outside a <file source-language=...>".into(),
                                ));
                            }
                            units.push_back(to_unit(tu, &st.langs));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if field != 0 => {
                unescape_into(&mut buf, std::str::from_utf8(&t).unwrap_or(""))
                    .map_err(|e| err(before + e.offset, e.message))?;
            }
            Event::CData(t) if field != 0 => buf.push_str(std::str::from_utf8(&t).unwrap_or("")),
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

fn to_unit(tu: TransUnit, langs: &[String]) -> Unit {
    let mut variants = vec![Variant::new(langs[0].clone(), tu.source.clone())];
    let target = match (tu.target_state.as_deref(), tu.alt_target, tu.target) {
        // XLIFF 2: a target still `initial` is a draft or a fuzzy match, not a translation.
        (Some("initial"), _, _) => None,
        (Some("needs-translation") | Some("new"), Some(alt), _) => Some(alt),
        (Some("needs-translation") | Some("new"), None, Some(t)) if t == tu.source => None,
        (_, _, Some(t)) => Some(t),
        (_, alt, None) => alt,
    };
    if let (Some(t), Some(l)) = (target, langs.get(1)) {
        if !t.is_empty() {
            variants.push(Variant::new(l.clone(), t));
        }
    }
    Unit {
        id: tu.id,
        created: None,
        props: Vec::new(),
        notes: tu.notes.into_iter().map(Note::from).collect(),
        attrs: Vec::new(),
        variants,
    }
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
        let r = Reader::from_reader(&out[..], Path::new("x.xlf")).unwrap();
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
        let back: Vec<Unit> = Reader::from_reader(&out[..], Path::new("big.xlf"))
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
