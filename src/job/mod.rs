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

use std::path::{Path, PathBuf};

use crate::error::{display_path, Position};

pub use analyze::{analyze, Analysis, AnalysisConfig, Weights};
pub use document::{load_file, load_text, JobFile, JobSegment, Paragraph};
pub use matching::{match_job, Band, Bands, MatchOptions, SegmentMatch, Suggestion};
pub use tm::{JobTm, TmSpec};

/// Errors of job operations: every variant names the file, with a line and column where one
/// is known (compiler style, as [`crate::Error`] displays them).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Invalid content or an unusable input (wrong language, missing language in a TM, ids
    /// that do not match the job).
    #[error("{}: {message}", located(path, position))]
    Input {
        /// The file concerned.
        path: PathBuf,
        /// Where, if known.
        position: Option<Position>,
        /// What is wrong, for a person.
        message: String,
    },
    /// Reading a document failed (I/O, UTF-8), already located.
    #[error(transparent)]
    File(#[from] crate::Error),
    /// A TM file could not be read.
    #[error(transparent)]
    Tm(#[from] crate::tm::Error),
    /// A TM store could not be opened or read.
    #[error(transparent)]
    Store(#[from] crate::tm::store::Error),
}

fn located(path: &Path, pos: &Option<Position>) -> String {
    match pos {
        Some(p) => format!("{}:{p}", display_path(path)),
        None => display_path(path),
    }
}

impl Error {
    /// Invalid content in `path`.
    pub fn input(
        path: impl Into<PathBuf>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Error {
        Error::Input {
            path: path.into(),
            position,
            message: message.into(),
        }
    }
}

impl From<crate::lang::LangError> for Error {
    fn from(e: crate::lang::LangError) -> Error {
        Error::File(e.into())
    }
}
