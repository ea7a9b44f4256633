//! Sentence segmentation: text -> segments. (STUB: replaced by the SRX engine.)
//!
//! Contract: segments are byte ranges into the paragraph they come from, never empty, on char
//! boundaries, trimmed of surrounding whitespace; segments plus the gaps between them rebuild
//! the paragraph exactly.

use std::ops::Range;
use std::path::Path;

use crate::doc::Document;
use crate::lang::Lang;

/// One sentence: its paragraph and its byte range in the document text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Index of the paragraph (see [`Document::line_para`]).
    pub para: usize,
    /// Byte range in [`Document::text`].
    pub span: Range<usize>,
}

/// Errors from loading segmentation rules.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An SRX file is unusable.
    #[error("{path}: {message}")]
    Srx {
        /// The SRX file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// A compiled rule set for one language.
#[derive(Debug, Clone)]
pub struct Segmenter {
    _lang: Lang,
}

impl Segmenter {
    /// The built-in rules for `lang` (falls back to generic rules for other languages).
    pub fn for_lang(lang: &Lang) -> Segmenter {
        Segmenter {
            _lang: lang.clone(),
        }
    }

    /// Rules from an SRX 2.0 document, for `lang`.
    ///
    /// # Errors
    /// [`Error::Srx`] naming the file.
    pub fn from_srx(_xml: &str, path: &Path, _lang: &Lang) -> Result<Segmenter, Error> {
        Err(Error::Srx {
            path: path.display().to_string(),
            message: "SRX not implemented yet".into(),
        })
    }

    /// Splits one paragraph; ranges are relative to `para`.
    pub fn split(&self, para: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = para.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if matches!(c, '.' | '!' | '?' | '؟' | '…')
                && chars.get(k + 1).is_some_and(|&(_, n)| n == ' ')
            {
                push_trimmed(para, start..i + c.len_utf8(), &mut out);
                start = i + c.len_utf8();
            }
        }
        push_trimmed(para, start..para.len(), &mut out);
        out
    }

    /// Segments every paragraph of `doc`.
    pub fn segment(&self, doc: &Document) -> Vec<Segment> {
        let mut out = Vec::new();
        for (i, r) in doc.lines.iter().enumerate() {
            for s in self.split(&doc.text[r.clone()]) {
                out.push(Segment {
                    para: doc.line_para[i],
                    span: r.start + s.start..r.start + s.end,
                });
            }
        }
        out
    }
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if !t.is_empty() {
        out.push(r.start + lead..r.start + lead + t.len());
    }
}

/// The built-in rules as one SRX 2.0 document, for `segment --export-srx`.
pub fn builtin_srx() -> &'static str {
    ""
}
