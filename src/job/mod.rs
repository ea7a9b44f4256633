//! Translation jobs: new documents analysed against a translation memory, pre-translated into
//! packages, and brought back into the TM.
//!
//! A job is a set of [`JobFile`]s (one paragraph a line, like `source/`), each segmented with
//! the same SRX rules as `build` ([`load_file`]). Every segment has a stable id (`p3.s2`: third
//! paragraph, second segment) that packages carry as their unit ids, and the file keeps the
//! exact white space around and between segments, so [`JobFile::rebuild`] gives the document
//! back byte for byte (with or without translations).
//!
//! The operations, one module each: [`tm`] opens the TM for a job (a store or TM files),
//! [`matching`] finds each segment's band (context, exact, fuzzy, none) and suggestions and the
//! repetitions inside the job, [`count`] counts words and characters as CAT tools do, and
//! [`analyze`] turns matches into the per-band report and its writers.

pub mod analyze;
pub mod count;
pub mod document;
pub mod finish;
pub mod matching;
pub mod package;
pub mod prepare;
pub mod report;
pub mod tm;

use std::path::PathBuf;

use crate::error::Position;

pub use analyze::{analyze, Analysis, AnalysisConfig, Weights};
pub use document::{load_file, load_text, JobFile, JobSegment, Paragraph};
pub use matching::{match_job, Band, Bands, MatchOptions, SegmentMatch, Suggestion};
pub use tm::{JobTm, Keep, TmSpec};

/// Errors of job operations: every variant names the file, with a line and column where one
/// is known (compiler style, as [`crate::Error`] displays them).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A document could not be read (I/O, UTF-8), or its content is unusable (wrong language,
    /// a TM without the language pair, ids that do not match the job): a
    /// [`crate::Error::Input`] with the file and position.
    #[error(transparent)]
    File(#[from] crate::Error),
    /// A TM file could not be read.
    #[error(transparent)]
    Tm(#[from] crate::tm::Error),
    /// A TM store could not be opened or read.
    #[error(transparent)]
    Store(#[from] crate::tm::store::Error),
}

impl Error {
    /// Invalid content in `path` (a [`crate::Error::Input`]).
    pub fn input(
        path: impl Into<PathBuf>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Error {
        Error::File(crate::Error::input(path, position, message))
    }
}

impl From<crate::lang::LangError> for Error {
    fn from(e: crate::lang::LangError) -> Error {
        Error::File(e.into())
    }
}
