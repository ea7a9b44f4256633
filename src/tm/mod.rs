//! Translation units and the formats that carry them.
//!
//! `tm` knows nothing of segmentation or alignment: a [`Unit`] is what every format shares, and
//! each format module ([`tmx`], [`csv`], [`xliff`], [`moses`]) has a streaming reader that
//! yields units and a streaming writer that takes them, so memory stays flat whatever the size
//! of the file. [`Format`], [`open_reader`] and [`create_writer`] pick the module from a file
//! name, which is all `dragoman convert` needs.
//!
//! Invariants the writers keep, because CAT tools break silently otherwise (see
//! `shared/bench/cat/CONVENTIONS.md`):
//! - language tags are written as normalised BCP 47 ([`crate::Lang`]): `ar-SA`, never `ar_SA`;
//! - every unit has its source-language text; TMX units have a target too, and have every
//!   language of the file unless the writer was told otherwise ([`tmx::Writer::allow_partial`],
//!   used by `merge` and `convert` when no `--langs` were given); no segment is written empty
//!   or padded with whitespace (TMX and XLIFF trim; an empty source is an error);
//! - characters that XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) are
//!   stripped by the XML writers: the pipeline never produces them, and a reader that meets one
//!   (raw or as `&#1;`) fails with its position;
//! - output is deterministic: the same units give byte-identical files.

use std::fmt;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

pub mod codes;
pub mod context;
pub mod csv;
pub mod fuzzy;
pub mod moses;
pub mod ops;
pub mod store;
pub mod tmx;
pub mod xliff;

mod chunk;
mod convert;
mod merge;
pub(crate) mod spill;
mod stats;
pub(crate) mod xml;

pub use ops::{
    convert, convert_reader, merge, stats, stats_with, ConvertOptions, ConvertReport, MergeOptions,
    MergeReport, Stats, StatsOptions,
};

/// A named property (`<prop type="x-...">` in TMX).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Prop {
    /// The property type, e.g. `x-document`.
    pub kind: String,
    /// Its value, exactly as read (a value of one space stays one space).
    pub value: String,
    /// The language of the value (`xml:lang` of the `<prop>`), when the file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Prop {
    /// A property of type `kind`, with no language of its own.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Prop {
        Prop {
            kind: kind.into(),
            value: value.into(),
            lang: None,
        }
    }
}

/// A note (`<note>` in TMX and XLIFF): free text for people, kept through every conversion
/// that can carry it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// The text of the note.
    pub text: String,
    /// The language of the note (`xml:lang`), when the file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Note {
    /// A note with no language of its own.
    pub fn new(text: impl Into<String>) -> Note {
        Note {
            text: text.into(),
            lang: None,
        }
    }
}

impl From<&str> for Note {
    fn from(text: &str) -> Note {
        Note::new(text)
    }
}

impl From<String> for Note {
    fn from(text: String) -> Note {
        Note::new(text)
    }
}

impl PartialEq<str> for Note {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Note {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Attributes kept verbatim (name, value) in file order, for a lossless TMX -> TMX: the
/// `<tu>`/`<tuv>` attributes the model has no field for (`changedate`, `changeid`,
/// `creationid`, `usagecount`, `lastusagedate`, `o-encoding`, `datatype`, `segtype`, `o-tmf`,
/// ...). Writers of other formats ignore them.
pub type Attrs = Vec<(String, String)>;

/// The value of attribute `name` in `attrs`.
pub fn attr_value<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// One language's text of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// BCP 47 language tag.
    pub lang: String,
    /// Plain text of the segment: inline codes (`<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`) left
    /// out, the content of `<hi>` kept (what OmegaT matches on).
    pub text: String,
}

impl Variant {
    /// Plain text in `lang`.
    pub fn new(lang: impl Into<String>, text: impl Into<String>) -> Variant {
        Variant {
            lang: lang.into(),
            text: text.into(),
        }
    }
}

/// What a TMX variant carries beyond its plain text. Kept beside the [`Unit`] (in an
/// [`Entry`]) rather than in [`Variant`], so that code building units with struct literals
/// keeps compiling.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct VariantExtra {
    /// The segment's XML content with its inline codes, exactly as read from a TMX (escaped,
    /// ready to write between `<seg>` and `</seg>`), when it has any inline element, comment or
    /// CDATA. TMX writers use it instead of the text, so TMX -> TMX keeps the codes.
    pub markup: Option<String>,
    /// Properties of this variant (`<tuv><prop>`).
    pub props: Vec<Prop>,
    /// Notes of this variant (`<tuv><note>`).
    pub notes: Vec<Note>,
    /// Other `<tuv>` attributes (all but `xml:lang`), verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Attrs,
}

impl VariantExtra {
    /// True when there is nothing beyond the plain text.
    pub fn is_empty(&self) -> bool {
        self.markup.is_none()
            && self.props.is_empty()
            && self.notes.is_empty()
            && self.attrs.is_empty()
    }
}

/// A unit with the extras of its variants (`extras[i]` belongs to `unit.variants[i]`; the
/// vector may be shorter, even empty, when there are none): what readers yield and writers take
/// for a lossless TMX -> TMX conversion.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// The unit.
    pub unit: Unit,
    /// Per-variant extras, parallel to `unit.variants`.
    pub extras: Vec<VariantExtra>,
}

impl From<Unit> for Entry {
    fn from(unit: Unit) -> Entry {
        Entry {
            unit,
            extras: Vec::new(),
        }
    }
}

/// A translation unit: the same content in several languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Unit {
    /// Unit id (`tuid`).
    pub id: Option<String>,
    /// Creation date, `YYYYMMDDThhmmssZ`.
    pub created: Option<String>,
    /// Properties.
    pub props: Vec<Prop>,
    /// Notes.
    pub notes: Vec<Note>,
    /// One variant per language, source first.
    pub variants: Vec<Variant>,
    /// Other `<tu>` attributes (all but `tuid` and `creationdate`), verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Attrs,
}

impl Unit {
    /// The text of `lang`, if the unit has it.
    ///
    /// `lang` matches exactly, or after BCP 47 normalisation (`EN-gb` finds `en-GB`).
    pub fn text(&self, lang: &str) -> Option<&str> {
        self.variant(lang).map(|v| v.text.as_str())
    }

    /// The variant in `lang` (exact, else normalised match).
    pub fn variant(&self, lang: &str) -> Option<&Variant> {
        if let Some(v) = self.variants.iter().find(|v| v.lang == lang) {
            return Some(v);
        }
        let want = norm_lang(lang)?;
        self.variants
            .iter()
            .find(|v| norm_lang(&v.lang).as_deref() == Some(want.as_str()))
    }

    /// The value of the first property of type `kind`.
    pub fn prop(&self, kind: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|p| p.kind == kind)
            .map(|p| p.value.as_str())
    }
}

/// Normalises a language tag as readers do: case, `_` -> `-`. `None` when it is not a tag.
pub(crate) fn norm_lang(tag: &str) -> Option<String> {
    crate::Lang::parse(&tag.replace('_', "-"))
        .ok()
        .map(|l| l.as_str().to_string())
}

/// Errors reading or writing translation memories.
///
/// Every variant names the file (`<stdin>`/`<stdout>` for `-`); syntax errors also carry the
/// 1-based line and column (in characters) where the problem is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O error. (The cause is not exposed as `source()`: it is already in the message,
    /// and `anyhow`'s `{:#}` would print it twice.)
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// Invalid content at a known place.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// Invalid content or a unit a writer refuses, with no position (e.g. a unit missing a
    /// language of the file).
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// True for a closed output pipe.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { cause, .. } if cause.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The position of a syntax error: `(line, column)`.
    pub fn position(&self) -> Option<(u64, u64)> {
        match self {
            Error::Syntax { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    pub(crate) fn io(path: &str, cause: std::io::Error) -> Error {
        Error::Io {
            path: path.to_string(),
            cause,
        }
    }

    pub(crate) fn invalid(path: &str, message: impl Into<String>) -> Error {
        Error::Invalid {
            path: path.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn syntax(path: &str, pos: crate::Position, message: impl Into<String>) -> Error {
        Error::Syntax {
            path: path.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }
}

/// How a path is named in messages.
pub(crate) fn path_name(path: &Path) -> String {
    crate::error::display_path(path)
}

/// Name used for output errors when the writer does not know its file.
pub(crate) const OUTPUT: &str = "<output>";

/// The formats dragoman reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// TMX 1.4b (reads 1.1 to 1.4b).
    Tmx,
    /// Comma-separated values, header row of language tags.
    Csv,
    /// Tab-separated values, header row of language tags.
    Tsv,
    /// XLIFF 1.2.
    Xliff,
    /// Moses-style parallel text: one file per language (`corpus.ar`, `corpus.en`),
    /// line-aligned.
    Moses,
}

impl Format {
    /// The format a file name implies: `.tmx`, `.csv`, `.tsv`/`.tab`, `.xlf`/`.xliff`, or a
    /// language-tag extension (`corpus.ar`: Moses). `None` when the extension says nothing
    /// (e.g. `-`).
    ///
    /// ```
    /// use dragoman::tm::Format;
    /// use std::path::Path;
    /// assert_eq!(Format::from_path(Path::new("a/b.TMX")), Some(Format::Tmx));
    /// assert_eq!(Format::from_path(Path::new("corpus.ar")), Some(Format::Moses));
    /// assert_eq!(Format::from_path(Path::new("-")), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "tmx" => Some(Format::Tmx),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "xlf" | "xliff" => Some(Format::Xliff),
            e if moses::is_lang_ext(e) => Some(Format::Moses),
            _ => None,
        }
    }

    /// Parses a format name as given to `--from`/`--to`.
    ///
    /// # Errors
    /// An [`Error::Invalid`] listing the known names.
    pub fn from_name(name: &str) -> Result<Format, Error> {
        match name.to_ascii_lowercase().as_str() {
            "tmx" => Ok(Format::Tmx),
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "xlf" | "xliff" => Ok(Format::Xliff),
            "moses" | "txt" => Ok(Format::Moses),
            _ => Err(Error::invalid(
                name,
                "unknown format; use tmx, csv, tsv, xliff or moses",
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Tmx => "tmx",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Xliff => "xliff",
            Format::Moses => "moses",
        })
    }
}

/// A streaming source of units, whatever the format.
pub trait ReadUnits {
    /// The next unit, `Ok(None)` at the end.
    ///
    /// # Errors
    /// Syntax errors with file, line and column; I/O errors.
    fn read_unit(&mut self) -> Result<Option<Unit>, Error>;

    /// The next unit with its variants' extras (TMX inline markup, `<tuv>` props and notes).
    ///
    /// # Errors
    /// As [`ReadUnits::read_unit`].
    fn read_entry(&mut self) -> Result<Option<Entry>, Error> {
        Ok(self.read_unit()?.map(Entry::from))
    }

    /// The languages the file declares, source first (TMX: `srclang`, unless no unit uses it,
    /// then the languages of the units of the first chunk; CSV: the header; may be empty for a TMX with `srclang="*all*"` before the
    /// first unit is read).
    fn langs(&self) -> Vec<String>;

    /// The declared source language, if any: by default the first of [`ReadUnits::langs`]
    /// (TMX: `None` for `*all*`).
    fn srclang(&self) -> Option<String> {
        self.langs().into_iter().next()
    }

    /// Bytes of input consumed so far (for progress bars).
    fn bytes_read(&self) -> u64 {
        0
    }

    /// The TMX `<header>`, for a TMX input (what `merge` keeps of it in a TMX output).
    fn tmx_header(&self) -> Option<&tmx::Header> {
        None
    }

    /// What the reader left out or guessed and the user should be told (e.g. XLIFF
    /// `<alt-trans>` suggestions not taken as translations); complete once the last unit is
    /// read.
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A streaming sink of units, whatever the format.
pub trait WriteUnits {
    /// Writes one unit.
    ///
    /// # Errors
    /// I/O errors; [`Error::Invalid`] for a unit the format cannot carry (missing language).
    fn write_unit(&mut self, unit: &Unit) -> Result<(), Error>;

    /// Writes one unit with its variants' extras (TMX keeps them; other formats ignore them).
    ///
    /// # Errors
    /// As [`WriteUnits::write_unit`].
    fn write_entry(&mut self, e: &Entry) -> Result<(), Error> {
        self.write_unit(&e.unit)
    }

    /// Ends the file (closing tags, flush).
    ///
    /// # Errors
    /// I/O errors.
    fn finish_boxed(self: Box<Self>) -> Result<(), Error>;
}

/// What a writer needs beyond the units: languages (source first) and format options.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Languages to write, source first (BCP 47).
    pub langs: Vec<String>,
    /// CSV options (formula neutralisation, ...).
    pub csv: csv::Options,
    /// A TMX header to start from (`srclang` is set from `langs[0]`).
    pub tmx_header: Option<tmx::Header>,
    /// XLIFF options.
    pub xliff: xliff::Options,
}

/// Opens a streaming reader for `format` on `input`. `path` names the file in messages; for
/// Moses it is the source-language file, and the other languages are the sibling files named
/// in `moses_langs` (or found next to it).
///
/// # Errors
/// I/O errors, or a header that cannot be read.
pub fn open_reader<'a>(
    format: Format,
    input: Box<dyn BufRead + 'a>,
    path: &Path,
    moses_langs: &[String],
) -> Result<Box<dyn ReadUnits + 'a>, Error> {
    Ok(match format {
        Format::Tmx => Box::new(tmx::Reader::from_reader(input, path)?),
        Format::Csv => Box::new(csv::Reader::from_reader(input, path, b',')?),
        Format::Tsv => Box::new(csv::Reader::from_reader(input, path, b'\t')?),
        Format::Xliff => Box::new(xliff::Reader::from_reader(input, path)?),
        Format::Moses => Box::new(moses::Reader::open(path, moses_langs)?),
    })
}

/// Creates a streaming writer for `format` on `out`.
///
/// Moses writes one file per language and so takes the output *stem* (`corpus` for
/// `corpus.ar` + `corpus.en`) instead of `out`: use [`moses::Writer::create`].
///
/// # Errors
/// I/O errors; invalid language tags; Moses through this function.
pub fn create_writer<'a, W: Write + 'a>(
    format: Format,
    out: W,
    opts: &WriteOptions,
) -> Result<Box<dyn WriteUnits + 'a>, Error> {
    if opts.langs.is_empty() {
        return Err(Error::invalid(OUTPUT, "no languages to write"));
    }
    Ok(match format {
        Format::Tmx => {
            let mut h = opts
                .tmx_header
                .clone()
                .unwrap_or_else(|| tmx::Header::new(&opts.langs[0]));
            h.srclang = opts.langs[0].clone();
            let mut w = tmx::Writer::new(out, &h)?;
            w.set_langs(&opts.langs)?;
            Box::new(w)
        }
        Format::Csv => Box::new(csv::Writer::new(out, &opts.langs, opts.csv.clone())?),
        Format::Tsv => Box::new(csv::Writer::with_dialect(
            out,
            &opts.langs,
            opts.csv.clone(),
            csv::Dialect::TSV,
        )?),
        Format::Xliff => Box::new(xliff::Writer::new(out, &opts.langs, &opts.xliff)?),
        Format::Moses => {
            return Err(Error::invalid(
                OUTPUT,
                "Moses output is one file per language: use moses::Writer::create",
            ))
        }
    })
}

/// Path of a Moses file: `stem.lang`.
pub(crate) fn moses_path(stem: &Path, lang: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(lang);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_matches_normalised_tags() {
        let u = Unit {
            variants: vec![Variant::new("ar", "س"), Variant::new("en-GB", "x")],
            ..Default::default()
        };
        assert_eq!(u.text("ar"), Some("س"));
        assert_eq!(u.text("EN-gb"), Some("x"));
        assert_eq!(u.text("en_GB"), Some("x"));
        assert_eq!(u.text("fr"), None);
    }

    #[test]
    fn formats_from_names() {
        for (p, f) in [
            ("x.csv", Format::Csv),
            ("x.tsv", Format::Tsv),
            ("x.xlf", Format::Xliff),
            ("x.xliff", Format::Xliff),
            ("c.en", Format::Moses),
        ] {
            assert_eq!(Format::from_path(Path::new(p)), Some(f), "{p}");
        }
        assert_eq!(Format::from_path(Path::new("x.txt")), None);
        assert!(Format::from_name("docx").is_err());
    }
}
