//! Translation units and the formats that carry them. (STUB: the formats helper deepens this.)
//!
//! `tm` knows nothing of segmentation or alignment: a [`Unit`] is what every format shares.

pub mod csv;
pub mod tmx;

/// A named property (`<prop type="x-...">` in TMX).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prop {
    /// The property type, e.g. `x-document`.
    pub kind: String,
    /// Its value.
    pub value: String,
}

/// One language's text of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// BCP 47 language tag.
    pub lang: String,
    /// Plain text of the segment.
    pub text: String,
}

/// A translation unit: the same content in several languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unit {
    /// Unit id (`tuid`).
    pub id: Option<String>,
    /// Creation date, `YYYYMMDDThhmmssZ`.
    pub created: Option<String>,
    /// Properties.
    pub props: Vec<Prop>,
    /// Notes.
    pub notes: Vec<String>,
    /// One variant per language, source first.
    pub variants: Vec<Variant>,
}

impl Unit {
    /// The text of `lang`, if the unit has it.
    pub fn text(&self, lang: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|v| v.lang == lang)
            .map(|v| v.text.as_str())
    }
}

/// Errors reading or writing translation memories.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Invalid content.
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
}

impl Error {
    /// True for a closed output pipe.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
