//! Documents: checked UTF-8 text and where its paragraphs are.
//!
//! Two layouts are read. A *running* document has one paragraph per line (blank lines are
//! ignored), as the source and translations in a project are written. A *presegmented* document
//! has one segment per line and a blank line between paragraphs, as alignment gold sets and
//! corrected segmentations are written. Text is kept whole: paragraphs and segments are byte
//! ranges into it, so every stage can point back at the exact bytes a user gave.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, Position, Result};

/// A UTF-8 text with its paragraphs as byte ranges (line terminators excluded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where the text came from (`-` for standard input), for messages.
    pub path: PathBuf,
    /// The whole input, byte for byte.
    pub text: String,
    /// Non-blank lines, in order. In a presegmented document these are the segments.
    pub lines: Vec<Range<usize>>,
    /// Paragraph index of each entry of `lines`.
    pub line_para: Vec<usize>,
}

impl Document {
    /// Checks that `bytes` are UTF-8 and splits them into lines.
    ///
    /// `presegmented` chooses the layout (see the module docs): when false, each non-blank line
    /// is its own paragraph; when true, a blank line ends a paragraph.
    ///
    /// # Errors
    /// [`Error::Utf8`] with the line and column of the first invalid byte.
    ///
    /// ```
    /// use dragoman::Document;
    /// let d = Document::from_bytes("a\n\nb\nc\n".into(), "x.txt", true).unwrap();
    /// assert_eq!(d.line_para, vec![0, 1, 1]);
    /// ```
    pub fn from_bytes(
        bytes: Vec<u8>,
        path: impl Into<PathBuf>,
        presegmented: bool,
    ) -> Result<Self> {
        let path = path.into();
        let text = decode_utf8(bytes, &path)?;
        let (lines, line_para) = split_lines(&text, presegmented);
        Ok(Document {
            path,
            text,
            lines,
            line_para,
        })
    }

    /// Reads a file (or standard input for `-`), see [`Document::from_bytes`].
    ///
    /// # Errors
    /// [`Error::Io`] naming the file when it cannot be read; [`Error::Utf8`] as above.
    pub fn from_path(path: &Path, presegmented: bool) -> Result<Self> {
        let bytes = crate::io::read_input(path)?;
        Document::from_bytes(bytes, path, presegmented)
    }

    /// The text of line `i` (a paragraph or, when presegmented, a segment).
    pub fn line(&self, i: usize) -> &str {
        &self.text[self.lines[i].clone()]
    }

    /// Number of paragraphs.
    pub fn paragraph_count(&self) -> usize {
        self.line_para.last().map_or(0, |p| p + 1)
    }
}

/// Decodes UTF-8, reporting the first bad byte with its line and column.
///
/// # Errors
/// [`Error::Utf8`] naming `path`.
pub fn decode_utf8(bytes: Vec<u8>, path: &Path) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        Error::Utf8 {
            path: path.to_path_buf(),
            position: Position::from_byte(&bytes, at),
            byte: bytes[at],
        }
    })
}

/// Whitespace that separates lines' content from nothing: a line made only of these is blank.
/// The BOM counts, so a file saved by Notepad does not start with an invisible segment.
fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || c == '\u{FEFF}')
}

fn split_lines(text: &str, presegmented: bool) -> (Vec<Range<usize>>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut paras = Vec::new();
    let mut para = 0usize;
    let mut pending_break = false;
    let mut start = 0usize;
    for piece in text.split_inclusive('\n') {
        let end = start + piece.len();
        let body = piece.trim_end_matches(['\n', '\r']);
        // Content range: the line without its terminator and without a leading BOM.
        let mut s = start;
        if start == 0 && body.starts_with('\u{FEFF}') {
            s += '\u{FEFF}'.len_utf8();
        }
        let e = start + body.len();
        if is_blank(&text[s..e]) {
            pending_break = true;
        } else {
            if !lines.is_empty() && (pending_break || !presegmented) {
                para += 1;
            }
            pending_break = false;
            lines.push(s..e);
            paras.push(para);
        }
        start = end;
    }
    (lines, paras)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_text_one_paragraph_per_line() {
        let d = Document::from_bytes("t\n\np1. s2.\r\np2\n".into(), "x", false).unwrap();
        assert_eq!(d.lines.len(), 3);
        assert_eq!(d.line(1), "p1. s2.");
        assert_eq!(d.line_para, vec![0, 1, 2]);
    }

    #[test]
    fn presegmented_blank_line_breaks_paragraph() {
        let d = Document::from_bytes("a\nb\n\n\nc".into(), "x", true).unwrap();
        assert_eq!(d.line_para, vec![0, 0, 1]);
        assert_eq!(d.paragraph_count(), 2);
        assert_eq!(d.line(2), "c");
    }

    #[test]
    fn bom_is_not_content() {
        let d = Document::from_bytes("\u{FEFF}a\n".into(), "x", false).unwrap();
        assert_eq!(d.line(0), "a");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let e = Document::from_bytes(b"ok\nab\xFFc".to_vec(), "f.txt", false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.txt:2:3: invalid UTF-8 (byte 0xFF); dragoman reads UTF-8 text only"
        );
    }
}
