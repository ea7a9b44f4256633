//! CSV/TSV with a header row of language codes, for spreadsheets first and CAT tools second.
//!
//! The [`Writer`] writes what `shared/bench/cat/CONVENTIONS.md` §3 asks: UTF-8 with a BOM (so
//! Excel does not garble Arabic), RFC 4180 (comma, CRLF, fields quoted when they hold the
//! delimiter, `"`, CR or LF, quotes doubled), a header row of BCP 47 tags with the source first,
//! one row per unit, every row as wide as the header. Cells a spreadsheet would run as a formula
//! (starting with `=` `+` `-` `@`, tab, CR or NUL) are neutralised as OWASP recommends: prefixed
//! with `'` and quoted (TSV: not quoted unless the cell holds a tab, a line break or `"`);
//! [`Options::raw_formulas`] writes them as they are, for machine readers. CSV files start
//! with a BOM; `dragoman convert` leaves it out when writing to standard output.
//! The [`Reader`] undoes the neutralisation (one `'` before a trigger character is removed).
//!
//! Metadata columns ([`Options::columns`], `--columns tuid,note,created,prop:TYPE`) follow the
//! language columns; the reader takes them back from the header cells of the same names, so
//! TMX -> CSV -> TMX keeps unit ids, notes, dates and props (not the xml:lang of notes, nor
//! `<tuv>`-level notes and props, nor other attributes: CSV has no place for them). Tables
//! whose header is not a row of language tags, or that have none, are read when the caller
//! names the columns ([`ReadOptions`]).

use std::io::{BufRead, Write};
use std::path::Path;

use super::{norm_lang, path_name, Error, Unit, Variant, OUTPUT};
use crate::Lang;

/// CSV writing options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write cells that start like a spreadsheet formula as they are (default: neutralised).
    pub raw_formulas: bool,
    /// Metadata columns written after the language columns (`--columns tuid,note`), so that
    /// TMX -> CSV -> TMX keeps ids, notes, dates and props: the [`Reader`] reads them back.
    pub columns: Vec<Column>,
    /// How inline codes become cell text (see [`super::codes`]; default: native code kept).
    pub codes: super::codes::Codes,
}

/// A metadata column of a CSV/TSV: its header cell is its name (`tuid`, `note`, `created`,
/// `prop:TYPE`), which the [`Reader`] recognises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// The unit id (`tuid`).
    Tuid,
    /// The unit's notes (TMX `<tu><note>`), joined by [`JOIN`] when there are several.
    Note,
    /// The unit's creation date (`creationdate`, `YYYYMMDDThhmmssZ`).
    Created,
    /// The unit's props of this type (`<prop type="x-document">`), joined by [`JOIN`].
    Prop(String),
}

/// What separates several notes (or props of one type) in one cell: a line holding only
/// `---`. A cell is split back on it by the [`Reader`]; a single note is written as it is.
/// (A note that itself holds a line `---` between two lines comes back as two notes.)
pub const JOIN: &str = "\n---\n";

impl Column {
    /// Parses a `--columns` name: `tuid`, `note`, `created` or `prop:TYPE`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for another name.
    pub fn parse(name: &str) -> Result<Column, Error> {
        let n = name.trim();
        match n.to_ascii_lowercase().as_str() {
            "tuid" | "id" => Ok(Column::Tuid),
            "note" | "notes" => Ok(Column::Note),
            "created" | "creationdate" => Ok(Column::Created),
            l if l.starts_with("prop:") && n.len() > 5 => Ok(Column::Prop(n[5..].to_string())),
            _ => Err(Error::invalid(
                "--columns",
                format!("{n}: expected tuid, note, created or prop:TYPE (e.g. prop:x-document)"),
            )),
        }
    }

    /// The header cell.
    pub fn name(&self) -> String {
        match self {
            Column::Tuid => "tuid".into(),
            Column::Note => "note".into(),
            Column::Created => "created".into(),
            Column::Prop(t) => format!("prop:{t}"),
        }
    }

    /// The cell of `u` in this column.
    fn cell(&self, u: &Unit) -> String {
        match self {
            Column::Tuid => u.id.clone().unwrap_or_default(),
            Column::Note => join(u.notes.iter().map(|n| n.text.as_str())),
            Column::Created => u.created.clone().unwrap_or_default(),
            Column::Prop(t) => join(
                u.props
                    .iter()
                    .filter(|p| p.kind == *t)
                    .map(|p| p.value.as_str()),
            ),
        }
    }
}

/// Joins texts with [`JOIN`].
fn join<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, t) in texts.enumerate() {
        if i > 0 {
            out.push_str(JOIN);
        }
        out.push_str(t);
    }
    out
}

/// How a [`Reader`] learns what each column holds, for tables whose header row is not a row
/// of language tags (Okapi's and OmegaT's `Source,Target`, or no header at all). The text of
/// such a table cannot be read without being told its languages, so nothing is guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The file has no header row: the first row is data, and the columns are `columns`
    /// (`--langs en,fr --no-header`), or the 1-based column numbers of `header_map`.
    pub no_header: bool,
    /// With `no_header`: the columns in order, each a language tag, `tuid` or `note`.
    pub columns: Vec<String>,
    /// What header cells (matched trimmed, ignoring case) stand for: a language tag, `tuid`
    /// or `note` (`--header-map Source=en,Target=fr,Comment=note`). With `no_header` the keys
    /// are 1-based column numbers. Cells not in the map are read as usual.
    pub header_map: Vec<(String, String)>,
}

impl ReadOptions {
    /// True when the reader is told nothing (the header row must name the languages).
    pub fn is_default(&self) -> bool {
        *self == ReadOptions::default()
    }
}

/// The file's shape: delimiter and BOM (kept out of [`Options`] so that struct literals of
/// `Options` keep compiling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// Field delimiter: `b','` or `b'\t'`.
    pub delimiter: u8,
    /// Start with a UTF-8 byte-order mark (Excel needs it for non-Latin text).
    pub bom: bool,
}

impl Dialect {
    /// Spreadsheet CSV: comma, BOM.
    pub const CSV: Dialect = Dialect {
        delimiter: b',',
        bom: true,
    };
    /// TSV: tab, no BOM (for tools and glossaries).
    pub const TSV: Dialect = Dialect {
        delimiter: b'\t',
        bom: false,
    };
}

/// True when a spreadsheet would evaluate a cell starting with this character.
fn is_formula_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\0')
}

/// Streams units out as CSV (or TSV).
///
/// ```
/// use dragoman::tm::{csv, Unit, Variant};
/// let langs = ["ar".to_string(), "en".to_string()];
/// let mut w = csv::Writer::new(Vec::new(), &langs, csv::Options::default()).unwrap();
/// w.write_unit(&Unit { variants: vec![Variant::new("ar", "٥٪"), Variant::new("en", "-5%, \"net\"")], ..Default::default() }).unwrap();
/// let out = String::from_utf8(w.finish().unwrap()).unwrap();
/// assert_eq!(out, "\u{feff}ar,en\r\n٥٪,\"'-5%, \"\"net\"\"\"\r\n");
/// ```
pub struct Writer<W: Write> {
    w: W,
    langs: Vec<String>,
    opts: Options,
    dialect: Dialect,
    line: String,
}

impl<W: Write> Writer<W> {
    /// Writes the BOM and the header row of a comma-separated file.
    ///
    /// # Errors
    /// [`Error::Invalid`] for no languages, a tag that is not BCP 47, or a duplicate; I/O errors.
    pub fn new(w: W, langs: &[String], opts: Options) -> Result<Self, Error> {
        Writer::with_dialect(w, langs, opts, Dialect::CSV)
    }

    /// Like [`Writer::new`] with another delimiter or no BOM.
    ///
    /// # Errors
    /// As [`Writer::new`]; a delimiter that is a quote or a line end.
    pub fn with_dialect(
        w: W,
        langs: &[String],
        opts: Options,
        dialect: Dialect,
    ) -> Result<Self, Error> {
        if langs.is_empty() {
            return Err(Error::invalid(OUTPUT, "no languages for the CSV header"));
        }
        let mut norm: Vec<String> = Vec::with_capacity(langs.len());
        for l in langs {
            let t = Lang::parse(l)
                .map_err(|e| Error::invalid(OUTPUT, format!("CSV header: {e}")))?
                .as_str()
                .to_string();
            if norm.contains(&t) {
                return Err(Error::invalid(OUTPUT, format!("language {t} given twice")));
            }
            norm.push(t);
        }
        if matches!(dialect.delimiter, b'"' | b'\n' | b'\r') || !dialect.delimiter.is_ascii() {
            return Err(Error::invalid(OUTPUT, "invalid CSV delimiter"));
        }
        let mut this = Writer {
            w,
            langs: norm,
            opts,
            dialect,
            line: String::with_capacity(512),
        };
        if this.dialect.bom {
            this.w.write_all("\u{feff}".as_bytes()).map_err(io)?;
        }
        let mut header = this.langs.clone();
        for c in &this.opts.columns {
            let n = c.name();
            if header.contains(&n) {
                return Err(Error::invalid(OUTPUT, format!("column {n} given twice")));
            }
            header.push(n);
        }
        this.line.clear();
        for (i, l) in header.iter().enumerate() {
            if i > 0 {
                this.line.push(this.dialect.delimiter as char);
            }
            push_field(&mut this.line, l, this.dialect.delimiter, true);
        }
        this.line.push_str("\r\n");
        this.w.write_all(this.line.as_bytes()).map_err(io)?;
        Ok(this)
    }

    /// A writer for rows only (no BOM, no header): used to encode chunks in parallel.
    ///
    /// # Errors
    /// As [`Writer::with_dialect`].
    pub fn fragment(
        w: W,
        langs: &[String],
        opts: Options,
        dialect: Dialect,
    ) -> Result<Self, Error> {
        let mut this = Writer::with_dialect(
            std::io::sink(),
            langs,
            opts,
            Dialect {
                bom: false,
                ..dialect
            },
        )?;
        let _ = &mut this;
        Ok(Writer {
            w,
            langs: this.langs,
            opts: this.opts,
            dialect,
            line: this.line,
        })
    }

    /// The normalised language tags of the header.
    pub fn langs(&self) -> &[String] {
        &self.langs
    }

    /// Writes one row: the unit's text in each header language, empty where it has none.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the unit has no source (first-language) text; I/O errors.
    pub fn write_unit(&mut self, u: &Unit) -> Result<(), Error> {
        self.line.clear();
        for (i, l) in self.langs.iter().enumerate() {
            let t = u.text(l).unwrap_or("");
            if i == 0 && t.trim().is_empty() {
                return Err(Error::invalid(
                    OUTPUT,
                    format!(
                        "unit {}: no {l} (source) text for the CSV row",
                        u.id.as_deref().unwrap_or("without id")
                    ),
                ));
            }
            if i > 0 {
                self.line.push(self.dialect.delimiter as char);
            }
            push_field(
                &mut self.line,
                t,
                self.dialect.delimiter,
                self.opts.raw_formulas,
            );
        }
        for c in &self.opts.columns {
            self.line.push(self.dialect.delimiter as char);
            push_field(
                &mut self.line,
                &c.cell(u),
                self.dialect.delimiter,
                self.opts.raw_formulas,
            );
        }
        if self.langs.len() == 1 && self.opts.columns.is_empty() && self.line.is_empty() {
            self.line.push_str("\"\"");
        }
        self.line.push_str("\r\n");
        self.w.write_all(self.line.as_bytes()).map_err(io)
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish(mut self) -> Result<W, Error> {
        self.w.flush().map_err(io)?;
        Ok(self.w)
    }
}

impl<W: Write> Writer<W> {
    /// Writes one row, each cell rendered from the variant's inline markup when it has some
    /// (by [`Options::codes`]), so that `%s` or `<br/>` codes do not vanish from the text.
    ///
    /// # Errors
    /// As [`Writer::write_unit`].
    pub fn write_entry(&mut self, e: &super::Entry) -> Result<(), Error> {
        let u = super::codes::plain_unit(e, self.opts.codes);
        self.write_unit(&u)
    }
}

impl<W: Write> super::WriteUnits for Writer<W> {
    fn write_unit(&mut self, unit: &Unit) -> Result<(), Error> {
        Writer::write_unit(self, unit)
    }
    fn write_entry(&mut self, e: &super::Entry) -> Result<(), Error> {
        Writer::write_entry(self, e)
    }
    fn finish_boxed(self: Box<Self>) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

fn io(e: std::io::Error) -> Error {
    Error::io(OUTPUT, e)
}

/// True for `'`* followed by a formula trigger: such a cell gets one more `'` on writing and
/// loses one on reading, so every text round-trips.
fn apostrophes_then_trigger(t: &str) -> bool {
    t.trim_start_matches('\'').starts_with(is_formula_trigger)
}

/// Appends one field, quoted when needed, neutralised unless `raw`.
///
/// CSV quotes a neutralised cell (`"'=SUM(A1)"`, as OWASP recommends for spreadsheets); TSV
/// follows its own convention (IANA `text/tab-separated-values`, what `cut` and glossary tools
/// expect): a cell is quoted only when it holds a tab, a line break or a `"`.
pub(crate) fn push_field(out: &mut String, t: &str, delim: u8, raw: bool) {
    // A text that really starts with `'` + trigger gets a second `'`, so that the reader's
    // removal of one `'` gives it back unchanged.
    let neutralise = !raw && apostrophes_then_trigger(t);
    let needs_quotes = (neutralise && delim != b'\t')
        || memchr::memchr3(b'"', b'\n', b'\r', t.as_bytes()).is_some()
        || memchr::memchr(delim, t.as_bytes()).is_some();
    if !needs_quotes {
        if neutralise {
            out.push('\'');
        }
        out.push_str(t);
        return;
    }
    out.push('"');
    if neutralise {
        out.push('\'');
    }
    let mut rest = t;
    while let Some(i) = memchr::memchr(b'"', rest.as_bytes()) {
        out.push_str(&rest[..=i]);
        out.push('"');
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// Streams units from a CSV/TSV whose header row names the languages (source first).
///
/// Header cells that are not language tags are metadata columns: `tuid` becomes the unit id,
/// `note`/`notes` a note; others are refused so that a typo (`Englsh`) is not silently taken for
/// data. Tags are normalised (`EN_us` -> `en-US`). A leading UTF-8 BOM is skipped. Rows of
/// another width than the header, invalid UTF-8 and bad quoting are errors with line and
/// column. One `'` in front of a formula trigger (`'=`, `'-5%`) is removed, undoing the
/// writer's neutralisation.
pub struct Reader<'a> {
    r: ::csv::Reader<Box<dyn BufRead + 'a>>,
    path: String,
    langs: Vec<String>,
    /// For each column: the language index, or a metadata role.
    cols: Vec<Col>,
    rec: ::csv::ByteRecord,
    raw_formulas: bool,
    /// csv-core ends a CRLF record at the CR, so the next record's position is one line early.
    crlf: bool,
    /// No record read yet (with no header row, the first one tells whether lines end in CRLF).
    first: bool,
    /// The columns were named by the caller (`--no-header`), not by a header row.
    no_header: bool,
    /// The types of the `prop:TYPE` columns.
    props: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
enum Col {
    Lang(usize),
    Id,
    Note,
    Created,
    /// Index into `Reader::props`.
    Prop(usize),
}

/// The role a header cell (or a `--no-header` column name) gives its column: `Ok(None)` for
/// a cell that is neither a language tag nor `tuid`/`note`.
fn role_of(t: &str) -> Option<Role> {
    let t = t.trim();
    match t.to_ascii_lowercase().as_str() {
        "tuid" => Some(Role::Id),
        "note" | "notes" => Some(Role::Note),
        "created" | "creationdate" => Some(Role::Created),
        l if l.starts_with("prop:") && t.len() > 5 => Some(Role::Prop(t[5..].to_string())),
        _ => norm_lang(t).map(Role::Lang),
    }
}

/// A column's meaning before languages are numbered.
enum Role {
    Lang(String),
    Id,
    Note,
    Created,
    Prop(String),
}

/// What to tell a user whose table has no header row of language tags.
const NAME_COLUMNS: &str = "name the columns with --header-map (e.g. --header-map \
     Source=en,Target=fr,Note=note), or, for a file without a header row, with --langs en,fr \
     --no-header";

impl<'a> Reader<'a> {
    /// Reads the header row.
    ///
    /// # Errors
    /// Syntax errors (empty file, header cells that are neither language tags nor `tuid`/`note`,
    /// duplicates, invalid UTF-8) with position; I/O errors.
    pub fn from_reader(
        r: impl BufRead + 'a,
        path: &Path,
        delimiter: u8,
    ) -> Result<Reader<'a>, Error> {
        Reader::with_options(r, path, delimiter, &ReadOptions::default())
    }

    /// Like [`Reader::from_reader`], with the columns named by `opts` (for a header row of
    /// other names, or none).
    ///
    /// # Errors
    /// As [`Reader::from_reader`]; `opts` naming something that is neither a language tag nor
    /// `tuid`/`note`, or a language twice; with `no_header`, no columns named.
    pub fn with_options(
        r: impl BufRead + 'a,
        path: &Path,
        delimiter: u8,
        opts: &ReadOptions,
    ) -> Result<Reader<'a>, Error> {
        let name = path_name(path);
        let boxed: Box<dyn BufRead + 'a> = Box::new(r);
        let mut r = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(boxed);
        let mut rec = ::csv::ByteRecord::new();
        let mapped = |key: &str| -> Result<Option<Role>, Error> {
            let Some((_, v)) = opts
                .header_map
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(key.trim()))
            else {
                return Ok(None);
            };
            role_of(v).map(Some).ok_or_else(|| {
                Error::invalid(
                    "--header-map",
                    format!("{key}={v}: {v} is not a BCP 47 language tag nor tuid/note"),
                )
            })
        };
        let mut roles: Vec<(Role, (u64, u64))> = Vec::new();
        if opts.no_header {
            if !opts.columns.is_empty() {
                for c in &opts.columns {
                    let role = role_of(c).ok_or_else(|| {
                        Error::invalid(
                            &name,
                            format!(
                                "--no-header column {c}: not a BCP 47 language tag nor tuid/note"
                            ),
                        )
                    })?;
                    roles.push((role, (1, 1)));
                }
            } else if !opts.header_map.is_empty() {
                let mut k = 1;
                while let Some(role) = mapped(&k.to_string())? {
                    roles.push((role, (1, 1)));
                    k += 1;
                }
                if roles.len() != opts.header_map.len() {
                    return Err(Error::invalid(
                        "--header-map",
                        "with --no-header, the keys are the column numbers 1, 2, 3, ... \
                         (e.g. 1=en,2=fr,3=note)",
                    ));
                }
            }
            if roles.is_empty() {
                return Err(Error::invalid(
                    &name,
                    "--no-header: name the columns' languages with --langs (e.g. --langs en,fr)",
                ));
            }
        } else {
            let got = r
                .read_byte_record(&mut rec)
                .map_err(|e| csv_err(&name, e))?;
            if !got {
                return Err(Error::Syntax {
                    path: name,
                    line: 1,
                    column: 1,
                    message: "empty file: expected a header row of language tags (e.g. ar,en)"
                        .into(),
                });
            }
            for (i, cell) in rec.iter().enumerate() {
                let mut cell = cell;
                if i == 0 {
                    cell = cell.strip_prefix("\u{feff}".as_bytes()).unwrap_or(cell);
                }
                let pos = field_pos(&rec, i);
                let text = std::str::from_utf8(cell).map_err(|_| Error::Syntax {
                    path: name.clone(),
                    line: pos.0,
                    column: pos.1,
                    message: "invalid UTF-8 in the header row".into(),
                })?;
                let t = text.trim();
                let role = match mapped(t)? {
                    Some(r) => r,
                    None => role_of(t).ok_or_else(|| Error::Syntax {
                        path: name.clone(),
                        line: pos.0,
                        column: pos.1,
                        message: format!(
                            "header cell \"{t}\" is not a BCP 47 language tag (e.g. ar, en-GB) \
                             nor tuid, note, created or prop:TYPE: {NAME_COLUMNS}"
                        ),
                    })?,
                };
                roles.push((role, pos));
            }
        }
        let mut langs = Vec::new();
        let mut cols = Vec::new();
        let mut props = Vec::new();
        for (role, pos) in roles {
            cols.push(match role {
                Role::Id => Col::Id,
                Role::Note => Col::Note,
                Role::Created => Col::Created,
                Role::Prop(t) => {
                    props.push(t);
                    Col::Prop(props.len() - 1)
                }
                Role::Lang(l) if !langs.contains(&l) => {
                    langs.push(l);
                    Col::Lang(langs.len() - 1)
                }
                Role::Lang(l) => {
                    return Err(Error::Syntax {
                        path: name,
                        line: pos.0,
                        column: pos.1,
                        message: format!("language {l} appears twice in the header"),
                    })
                }
            });
        }
        let crlf = !opts.no_header && rec.position().map_or(1, |p| p.line()) == r.position().line();
        if langs.is_empty() {
            return Err(Error::Syntax {
                path: name,
                line: 1,
                column: 1,
                message: format!("the header row names no language: {NAME_COLUMNS}"),
            });
        }
        Ok(Reader {
            r,
            path: name,
            langs,
            cols,
            rec,
            raw_formulas: false,
            crlf,
            first: opts.no_header,
            no_header: opts.no_header,
            props,
        })
    }

    /// Keeps a leading `'` before formula triggers (for files written with raw formulas whose
    /// text really starts with `'=`).
    pub fn keep_apostrophes(&mut self, keep: bool) {
        self.raw_formulas = keep;
    }

    /// The languages of the header, source first.
    pub fn langs(&self) -> &[String] {
        &self.langs
    }

    /// The next unit (variants in header order, empty cells left out), `Ok(None)` at the end.
    ///
    /// # Errors
    /// Ragged rows, invalid UTF-8, bad quoting, an empty source cell: syntax errors with
    /// position. I/O errors.
    pub fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        loop {
            let got = self
                .r
                .read_byte_record(&mut self.rec)
                .map_err(|e| csv_err(&self.path, e))?;
            if !got {
                return Ok(None);
            }
            let rec_line = self.rec.position().map_or(1, |p| p.line());
            let line = if self.first {
                // The first row of a file without a header: the lines after it are counted
                // as after a header row.
                self.first = false;
                self.crlf = rec_line == self.r.position().line();
                rec_line
            } else {
                rec_line + self.crlf as u64
            };
            // A blank line (one empty field) between rows is tolerated.
            if self.rec.len() == 1 && self.rec[0].is_empty() && self.cols.len() > 1 {
                continue;
            }
            if self.rec.len() != self.cols.len() {
                return Err(Error::Syntax {
                    path: self.path.clone(),
                    line,
                    column: 1,
                    message: format!(
                        "row has {} fields, {} {}{}",
                        self.rec.len(),
                        if self.no_header {
                            "the columns named for --no-header are"
                        } else {
                            "the header has"
                        },
                        self.cols.len(),
                        if self.no_header {
                            " (ragged row, or name every column: e.g. --no-header --header-map \
                             1=en,2=fr,3=note)"
                        } else {
                            " (ragged row)"
                        }
                    ),
                });
            }
            let mut u = Unit::default();
            let mut vars: Vec<Option<Variant>> = vec![None; self.langs.len()];
            for (i, cell) in self.rec.iter().enumerate() {
                let text = std::str::from_utf8(cell).map_err(|e| {
                    let (_, c) = field_pos(&self.rec, i);
                    Error::Syntax {
                        path: self.path.clone(),
                        line,
                        column: c + e.valid_up_to() as u64,
                        message: format!(
                            "invalid UTF-8 in field {} (dragoman reads UTF-8 CSV only)",
                            i + 1
                        ),
                    }
                })?;
                let text = if !self.raw_formulas
                    && text.starts_with('\'')
                    && apostrophes_then_trigger(text)
                {
                    &text[1..]
                } else {
                    text
                };
                match self.cols[i] {
                    Col::Id if !text.is_empty() => u.id = Some(text.to_string()),
                    Col::Note if !text.is_empty() => {
                        u.notes.extend(text.split(JOIN).map(super::Note::from))
                    }
                    Col::Created if !text.is_empty() => {
                        if !super::tmx::is_tmx_date(text) {
                            let (_, c) = field_pos(&self.rec, i);
                            return Err(Error::Syntax {
                                path: self.path.clone(),
                                line,
                                column: c,
                                message: format!(
                                    "created {text}: not a TMX date (YYYYMMDDThhmmssZ, UTC)"
                                ),
                            });
                        }
                        u.created = Some(text.to_string());
                    }
                    Col::Prop(k) if !text.is_empty() => {
                        let kind = &self.props[k];
                        u.props
                            .extend(text.split(JOIN).map(|v| super::Prop::new(kind.clone(), v)));
                    }
                    Col::Lang(l) if !text.is_empty() => {
                        vars[l] = Some(Variant::new(self.langs[l].clone(), text))
                    }
                    _ => {}
                }
            }
            if !matches!(&vars[0], Some(v) if !v.text.trim().is_empty()) {
                return Err(Error::Syntax {
                    path: self.path.clone(),
                    line,
                    column: 1,
                    message: format!("empty {} (source) cell", self.langs[0]),
                });
            }
            u.variants = vars.into_iter().flatten().collect();
            return Ok(Some(u));
        }
    }

    /// Bytes consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.r.position().byte()
    }
}

impl super::ReadUnits for Reader<'_> {
    fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        Reader::read_unit(self)
    }
    fn langs(&self) -> Vec<String> {
        self.langs.clone()
    }
    fn bytes_read(&self) -> u64 {
        Reader::bytes_read(self)
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Unit, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.read_unit().transpose()
    }
}

/// Line and (approximate, 1-based) column of field `i` of a record: the record's line; the
/// column counts the bytes of the fields before it (exact for unquoted single-line rows).
fn field_pos(rec: &::csv::ByteRecord, i: usize) -> (u64, u64) {
    let line = rec.position().map_or(1, |p| p.line());
    let col: usize = (0..i)
        .map(|j| std::str::from_utf8(&rec[j]).map_or(rec[j].len(), |s| s.chars().count()) + 1)
        .sum();
    (line, col as u64 + 1)
}

fn csv_err(path: &str, e: ::csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let shown = e.to_string();
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => Error::io(path, io),
        ::csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => Error::Syntax {
            path: path.to_string(),
            line: pos.map_or(line, |p| p.line()),
            column: 1,
            message: format!("row has {len} fields, expected {expected_len}"),
        },
        _ => Error::Syntax {
            path: path.to_string(),
            line: line.max(1),
            column: 1,
            message: shown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    fn unit(pairs: &[(&str, &str)]) -> Unit {
        Unit {
            variants: pairs.iter().map(|(l, t)| Variant::new(*l, *t)).collect(),
            ..Default::default()
        }
    }

    fn write(u: &[Unit], opts: Options) -> String {
        let mut w = Writer::new(Vec::new(), &langs(&["ar", "en", "fr"]), opts).unwrap();
        for u in u {
            w.write_unit(u).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn quotes_and_neutralises() {
        let u = unit(&[("ar", "=1+1"), ("en", "a,b\nc"), ("fr", "@x")]);
        let s = write(std::slice::from_ref(&u), Options::default());
        assert_eq!(s, "\u{feff}ar,en,fr\r\n\"'=1+1\",\"a,b\nc\",\"'@x\"\r\n");
        let raw = write(
            &[u],
            Options {
                raw_formulas: true,
                ..Default::default()
            },
        );
        assert_eq!(raw, "\u{feff}ar,en,fr\r\n=1+1,\"a,b\nc\",@x\r\n");
    }

    #[test]
    fn missing_target_is_empty_cell_missing_source_is_error() {
        let s = write(&[unit(&[("ar", "س"), ("fr", "x")])], Options::default());
        assert!(s.ends_with("س,,x\r\n"));
        let mut w = Writer::new(Vec::new(), &langs(&["ar", "en"]), Options::default()).unwrap();
        assert!(w.write_unit(&unit(&[("en", "x")])).is_err());
    }

    #[test]
    fn round_trip() {
        let units = vec![
            unit(&[("ar", "-5%"), ("en", "\"q\", \r\nx"), ("fr", "'=a")]),
            unit(&[("ar", "ب"), ("en", "\tt")]),
        ];
        let s = write(&units, Options::default());
        let mut r = Reader::from_reader(s.as_bytes(), Path::new("x.csv"), b',').unwrap();
        assert_eq!(r.langs(), ["ar", "en", "fr"]);
        let back: Vec<Unit> = r.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(back, units);
    }

    #[test]
    fn hostile_csv() {
        let cases: &[(&[u8], (u64, u64))] = &[
            (b"ar,en\r\nx,y\r\nz\r\n", (3, 1)),
            (b"ar_SA,English\r\n", (1, 7)),
            (b"ar,en\r\nx,\xff\r\n", (2, 3)),
            (b"ar,en\r\n,y\r\n", (2, 1)),
            (b"", (1, 1)),
        ];
        for (input, pos) in cases {
            let e = Reader::from_reader(*input, Path::new("h.csv"), b',')
                .and_then(|r| r.collect::<Result<Vec<_>, _>>());
            let e = e.unwrap_err();
            assert_eq!(e.position(), Some(*pos), "{e}");
            assert!(e.to_string().starts_with("h.csv:"), "{e}");
        }
    }

    #[test]
    fn header_normalised_meta_columns() {
        let s = "\u{feff}AR,en_gb,tuid,note\r\nس,x,7,n\r\n";
        let mut r = Reader::from_reader(s.as_bytes(), Path::new("x.csv"), b',').unwrap();
        assert_eq!(r.langs(), ["ar", "en-GB"]);
        let u = r.read_unit().unwrap().unwrap();
        assert_eq!(u.id.as_deref(), Some("7"));
        assert_eq!(u.notes, ["n"]);
        assert_eq!(u.text("en-GB"), Some("x"));
    }

    #[test]
    fn columns_named_by_the_caller() {
        let opts = ReadOptions {
            no_header: true,
            columns: langs(&["EN", "fr"]),
            ..Default::default()
        };
        let mut r =
            Reader::with_options("a,b\r\nc,d\r\n".as_bytes(), Path::new("x.csv"), b',', &opts)
                .unwrap();
        assert_eq!(r.langs(), ["en", "fr"]);
        let all: Vec<Unit> = r.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            all,
            [
                unit(&[("en", "a"), ("fr", "b")]),
                unit(&[("en", "c"), ("fr", "d")])
            ]
        );
        let opts = ReadOptions {
            header_map: vec![
                ("source".into(), "en".into()),
                ("Note".into(), "note".into()),
            ],
            ..Default::default()
        };
        let s = "Source,fr,NOTE\r\na,b,n\r\n";
        let mut r = Reader::with_options(s.as_bytes(), Path::new("x.csv"), b',', &opts).unwrap();
        let u = r.read_unit().unwrap().unwrap();
        assert_eq!((u.text("en"), u.text("fr")), (Some("a"), Some("b")));
        assert_eq!(u.notes, ["n"]);
        // Unmapped, such a header is refused with the options that would read it.
        let e = Reader::from_reader(s.as_bytes(), Path::new("x.csv"), b',')
            .err()
            .unwrap();
        let m = e.to_string();
        assert!(
            m.contains("--header-map") && m.contains("--no-header"),
            "{m}"
        );
    }
}
