//! Links between source and target sentences, and the TSV they are printed and corrected in.
//!
//! The TSV is what `dragoman align` prints: `source_ids<TAB>target_ids<TAB>score`, optionally
//! followed by the two texts; ids are 0-based over the document's segments, comma-separated
//! and consecutive, empty for an empty side. A corrections file is the same TSV, edited by a
//! person: the score column may be dropped (a corrected link scores 1.0), lines starting with
//! `#` and blank lines are ignored.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use super::Error;

/// A link between consecutive source and target sentences (either side may be empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Source sentence indices.
    pub src: Range<usize>,
    /// Target sentence indices.
    pub tgt: Range<usize>,
    /// Confidence in [0, 1]: roughly the probability that the link is right.
    pub score: f64,
}

impl Link {
    /// `(source count, target count)`: (1, 1) for a 1-1 link, (2, 1) for a merge...
    ///
    /// ```
    /// use dragoman::align::Link;
    /// assert_eq!(Link { src: 3..5, tgt: 2..3, score: 1.0 }.kind(), (2, 1));
    /// ```
    pub fn kind(&self) -> (usize, usize) {
        (self.src.len(), self.tgt.len())
    }
}

/// Sentence ids as the links TSV writes them: `3,4`, or empty for an empty side.
pub fn format_ids(r: &Range<usize>) -> String {
    r.clone()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn ids(f: &mut fmt::Formatter<'_>, r: &Range<usize>) -> fmt::Result {
    f.write_str(&format_ids(r))
}

/// The TSV form without texts: `0,1<TAB>0<TAB>0.9731`.
impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ids(f, &self.src)?;
        f.write_str("\t")?;
        ids(f, &self.tgt)?;
        write!(f, "\t{:.4}", self.score)
    }
}

/// Reads links in the TSV that `dragoman align` prints (see the module docs).
///
/// Only the form of each line is checked here; whether links are in order and fit the
/// documents is checked by [`super::Aligner::align_fixed`], which knows the documents.
///
/// # Errors
/// [`Error::Corrections`] naming `path`, the 1-based line and what is wrong: a missing
/// tab, an id that is not a number, ids that are not consecutive, a link with two empty sides,
/// a score that is not a number in [0, 1].
///
/// ```
/// use dragoman::align::parse_links;
/// let links = parse_links("# fixed by hand\n0,1\t0\n2\t\t0.4\n", "c.tsv".as_ref()).unwrap();
/// assert_eq!(links[0].kind(), (2, 1));
/// assert_eq!(links[0].score, 1.0);
/// assert!(links[1].tgt.is_empty());
/// ```
pub fn parse_links(text: &str, path: &Path) -> Result<Vec<Link>, Error> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| Error::Corrections {
            path: crate::error::display_path(path),
            line: n + 1,
            message,
        };
        let mut cols = line.split('\t');
        let s = cols.next().unwrap_or("");
        let t = cols.next().ok_or_else(|| {
            err("expected `source ids<TAB>target ids[<TAB>score]`, found no tab".to_string())
        })?;
        let src = id_range(s).map_err(|m| err(format!("source ids: {m}")))?;
        let tgt = id_range(t).map_err(|m| err(format!("target ids: {m}")))?;
        if src.is_empty() && tgt.is_empty() {
            return Err(err(
                "a link needs at least one source or target id".to_string()
            ));
        }
        let score = match cols.next().map(str::trim) {
            None | Some("") => 1.0,
            Some(x) => match x.parse::<f64>() {
                Ok(v) if (0.0..=1.0).contains(&v) => v,
                _ => {
                    return Err(err(format!(
                        "score {} is not a number in [0, 1]",
                        crate::error::quoted(x)
                    )))
                }
            },
        };
        out.push(Link { src, tgt, score });
    }
    Ok(out)
}

/// `"3,4,5"` -> `3..6`; `""` -> an empty range (placed by the caller's context, here `0..0`).
fn id_range(s: &str) -> Result<Range<usize>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0..0);
    }
    let mut first = None;
    let mut last: Option<usize> = None;
    for part in s.split(',') {
        let part = part.trim();
        let v: usize = part
            .parse()
            .map_err(|_| format!("{} is not a sentence number", crate::error::quoted(part)))?;
        if let Some(l) = last {
            if v != l + 1 {
                return Err(format!(
                    "ids must be consecutive and increasing, found {v} after {l}"
                ));
            }
        }
        first.get_or_insert(v);
        last = Some(v);
    }
    Ok(first.unwrap_or(0)..last.map_or(0, |l| l + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Vec<Link>, Error> {
        parse_links(text, Path::new("fix.tsv"))
    }

    #[test]
    fn reads_what_align_prints_with_and_without_text() {
        let l = p("0\t0\t0.9500\tنص\ttext\n1,2\t1\t0.5\n\t2\t0.1\n").unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!((l[0].score, l[1].src.clone()), (0.95, 1..3));
        assert_eq!(l[2].kind(), (0, 1));
        assert_eq!(l[1].to_string(), "1,2\t1\t0.5000");
        assert_eq!(l[2].to_string(), "\t2\t0.1000");
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        let cases = [
            ("0\t0\n1 2\n", "fix.tsv:2: expected"),
            (
                "# c\n\n1,3\t2\n",
                "fix.tsv:3: source ids: ids must be consecutive",
            ),
            (
                "1\tx\n",
                "fix.tsv:1: target ids: \"x\" is not a sentence number",
            ),
            (
                "1\t1\tabc\n",
                "fix.tsv:1: score \"abc\" is not a number in [0, 1]",
            ),
            ("1\t1\t1.5\n", "fix.tsv:1: score"),
            ("\t\t0.5\n", "fix.tsv:1: a link needs"),
        ];
        for (text, want) in cases {
            let e = p(text).unwrap_err().to_string();
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
    }
}
