//! Errors shared by every stage, and the positions they point at.
//!
//! Each stage owns a typed error (`segment::Error`, `align::Error`, `tm::Error`); this module
//! holds the crate-level [`Error`] that wraps them with the file they came from, and
//! [`Position`], which turns byte offsets (what parsers report) into `line:column` (what people
//! read). Display is compiler-style: `translations/en/x.txt:12:7: invalid UTF-8 ...`.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in an input: 1-based line and column (in characters), and the 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: u64,
    /// 1-based column, counted in Unicode scalar values (what an editor shows).
    pub column: u64,
    /// 0-based byte offset from the start of the input.
    pub byte: u64,
}

impl Position {
    /// Computes the line and column of `byte` in `text`.
    ///
    /// Bytes that are not valid UTF-8 count as one column each, so the position of an encoding
    /// error is still exact.
    ///
    /// ```
    /// use dragoman::Position;
    /// let p = Position::from_byte("ab\ncé\nx".as_bytes(), 6);
    /// assert_eq!((p.line, p.column), (2, 3));
    /// ```
    pub fn from_byte(text: &[u8], byte: usize) -> Position {
        let byte = byte.min(text.len());
        let before = &text[..byte];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        // Count characters: every byte that is not a UTF-8 continuation byte starts one.
        let column = before[line_start..]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count() as u64
            + 1;
        Position {
            line,
            column,
            byte: byte as u64,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value quoted for a message: `"fr_x"`, with control characters shown as escapes (`\t`,
/// `\u{1}`) and nothing else escaped, so that a pattern `\d+` or a path reads as written
/// (Rust's `{:?}` would double every backslash and show the type's debug form).
///
/// ```
/// assert_eq!(dragoman::error::quoted("a\\d\t"), "\"a\\d\\t\"");
/// ```
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// How a path is shown in messages: `-` is standard input or output.
pub fn display_path(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Formats `path:line:col` or just `path` when the position is unknown.
fn located(path: &Path, pos: &Option<Position>) -> String {
    match pos {
        Some(p) => format!("{}:{}", display_path(path), p),
        None => display_path(path),
    }
}

/// The crate-level error: what went wrong, and in which file and where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{}: {source}", display_path(path))]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The input is not UTF-8.
    #[error("{}: invalid UTF-8 (byte 0x{byte:02X}); dragoman reads UTF-8 text only", located(path, &Some(*position)))]
    Utf8 {
        /// The file concerned.
        path: PathBuf,
        /// Where the first bad byte is.
        position: Position,
        /// The first bad byte.
        byte: u8,
    },
    /// Invalid content in a file, with a position when one is known.
    #[error("{}: {message}", located(path, position))]
    Input {
        /// The file concerned.
        path: PathBuf,
        /// Where, if known.
        position: Option<Position>,
        /// What is wrong, for a person.
        message: String,
    },
    /// A project (directory layout) problem: missing `source/`, a translation with no source...
    #[error("{0}")]
    Project(String),
    /// A language code that is not a usable BCP 47 tag.
    #[error(transparent)]
    Lang(#[from] crate::lang::LangError),
    /// A segmentation rule set could not be loaded.
    #[error(transparent)]
    Segment(#[from] crate::segment::Error),
    /// Alignment failed (bad corrections file, inconsistent inputs).
    #[error(transparent)]
    Align(#[from] crate::align::Error),
    /// A translation-memory file could not be read or written.
    #[error(transparent)]
    Tm(#[from] crate::tm::Error),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

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

    /// True when the error is a closed pipe on output (`dragoman ... | head`), which the CLI
    /// treats as success, as other Unix tools do.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Io { source, .. } => source.kind() == std::io::ErrorKind::BrokenPipe,
            Error::Tm(e) => e.is_broken_pipe(),
            _ => false,
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "سلام\nعليكم x";
        let byte = text.find('x').unwrap();
        let p = Position::from_byte(text.as_bytes(), byte);
        assert_eq!((p.line, p.column), (2, 7));
    }

    #[test]
    fn position_at_start_and_past_end() {
        assert_eq!(Position::from_byte(b"abc", 0).column, 1);
        let p = Position::from_byte(b"a\nb", 99);
        assert_eq!((p.line, p.column, p.byte), (2, 2, 3));
    }

    #[test]
    fn messages_name_file_and_position() {
        let e = Error::input(
            "x.tmx",
            Some(Position {
                line: 3,
                column: 9,
                byte: 20,
            }),
            "bad",
        );
        assert_eq!(e.to_string(), "x.tmx:3:9: bad");
    }
}
