//! Sentence alignment: segments -> links. (STUB: replaced by the real aligner.)

use std::ops::Range;

use crate::lang::Lang;

/// One sentence as the aligner sees it.
#[derive(Debug, Clone, Copy)]
pub struct Sentence<'a> {
    /// The sentence text.
    pub text: &'a str,
    /// Its paragraph index.
    pub para: usize,
}

/// A link between consecutive source and target sentences (either side may be empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Source sentence indices.
    pub src: Range<usize>,
    /// Target sentence indices.
    pub tgt: Range<usize>,
    /// Confidence in [0, 1].
    pub score: f64,
}

impl Link {
    /// `(source count, target count)`: (1, 1) for a 1-1 link, (2, 1) for a merge...
    pub fn kind(&self) -> (usize, usize) {
        (self.src.len(), self.tgt.len())
    }
}

/// Links below this score are listed for review by `build`.
pub const REVIEW_THRESHOLD: f64 = 0.5;

/// Alignment errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A corrections file is unusable.
    #[error("{path}:{line}: {message}")]
    Corrections {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Knobs of the aligner.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// Source language, selects fitted length parameters.
    pub src_lang: Option<Lang>,
    /// Target language.
    pub tgt_lang: Option<Lang>,
    /// Draw a progress bar on stderr for long inputs.
    pub progress: bool,
}

/// The aligner.
#[derive(Debug, Clone, Default)]
pub struct Aligner {
    _params: Params,
}

impl Aligner {
    /// An aligner with `params`.
    pub fn new(params: Params) -> Aligner {
        Aligner { _params: params }
    }

    /// Aligns two sides; every sentence is in exactly one link, in order.
    pub fn align(&self, src: &[Sentence], tgt: &[Sentence]) -> Vec<Link> {
        let n = src.len().min(tgt.len());
        let mut out: Vec<Link> = (0..n)
            .map(|i| Link {
                src: i..i + 1,
                tgt: i..i + 1,
                score: 0.5,
            })
            .collect();
        for i in n..src.len() {
            out.push(Link {
                src: i..i + 1,
                tgt: n..n,
                score: 0.5,
            });
        }
        for j in n..tgt.len() {
            out.push(Link {
                src: src.len()..src.len(),
                tgt: j..j + 1,
                score: 0.5,
            });
        }
        out
    }
}

impl Aligner {
    /// Aligns keeping `fixed` links (STUB: ignores them).
    ///
    /// # Errors
    /// Never in the stub.
    pub fn align_fixed(
        &self,
        src: &[Sentence],
        tgt: &[Sentence],
        _fixed: &[Link],
    ) -> Result<Vec<Link>, Error> {
        Ok(self.align(src, tgt))
    }
}

/// Parses links in the `align` TSV format (STUB).
///
/// # Errors
/// Never in the stub.
pub fn parse_links(_text: &str, _path: &std::path::Path) -> Result<Vec<Link>, Error> {
    Ok(Vec::new())
}

/// HTML report (STUB).
pub mod report {
    use super::{Link, Sentence};
    use crate::lang::Lang;

    /// Report options.
    #[derive(Debug, Clone)]
    pub struct ReportOptions {
        /// Page title.
        pub title: String,
        /// Source language.
        pub src_lang: Lang,
        /// Target language.
        pub tgt_lang: Lang,
        /// Review threshold.
        pub threshold: f64,
    }

    /// Writes the page (STUB).
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_html(
        w: &mut dyn std::io::Write,
        opts: &ReportOptions,
        _src: &[Sentence],
        _tgt: &[Sentence],
        links: &[Link],
    ) -> std::io::Result<()> {
        writeln!(
            w,
            "<!doctype html><title>{}</title><p>{} links",
            opts.title,
            links.len()
        )
    }
}
