//! Job files: a new document to translate, segmented as `build` segments `source/`.
//!
//! A job file is UTF-8 text with one paragraph a line (blank lines ignored), like a project's
//! `source/NAME.txt`. Each paragraph is cut with the SRX rules of its language. Everything
//! around the segments is kept as read (a BOM, blank lines, line terminators, the white space
//! before, between and after segments), so [`JobFile::rebuild`] with no translation returns
//! the file byte for byte, and with translations it returns the target document in the
//! source's paragraph structure.

use std::path::Path;

use super::Error;
use crate::doc::Document;
use crate::error::Position;
use crate::lang::Lang;
use crate::segment::Segmenter;

/// A segmented job file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFile {
    /// Where it was read from (`-` for standard input).
    pub path: std::path::PathBuf,
    /// The file name (`NAME.txt`): what reports and packages call it.
    pub name: String,
    /// Its language (normalised BCP 47).
    pub lang: String,
    /// The paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
    /// The text before the first paragraph (a BOM, blank lines), for a lossless rebuild.
    pub head: String,
}

/// One paragraph (one input line) and the white space around its segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// The segments, in order.
    pub segments: Vec<JobSegment>,
    /// `segments.len() + 1` separators: `gaps[0]` before the first segment, `gaps[i]` between
    /// segments `i - 1` and `i`, the last one after the last segment (white space only).
    pub gaps: Vec<String>,
    /// What follows the paragraph up to the next one: its line terminator and any blank lines
    /// (empty for a last line with no terminator).
    pub end: String,
}

/// One segment of a job file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSegment {
    /// Stable id, unique in the file: `p3.s2` is the second segment of the third paragraph
    /// (both 1-based). Packages use it as the unit id, so it must not depend on anything but
    /// the source text.
    pub id: String,
    /// The text, trimmed of surrounding white space (as [`Segmenter::split`] returns it).
    pub text: String,
}

/// Reads `path` (`-`: standard input), checks that it is written in `lang`'s script and
/// segments it with `segmenter`.
///
/// # Errors
/// [`Error::File`] for I/O and UTF-8 errors (with line and column); [`Error::Input`] for an
/// empty file or a file in the wrong script (naming the first paragraph that is not).
pub fn load_file(path: &Path, lang: &Lang, segmenter: &Segmenter) -> Result<JobFile, Error> {
    let doc = Document::from_path(path, false)?;
    from_document(doc, lang, segmenter)
}

/// Like [`load_file`] on text already in memory (`path` names it in messages).
///
/// # Errors
/// As [`load_file`], except I/O.
///
/// ```
/// use dragoman::{Lang, segment::Segmenter, job};
/// let en = Lang::parse("en").unwrap();
/// let text = "Title\n\nOne. Two.\n";
/// let f = job::load_text(text, "a.txt", &en, &Segmenter::for_lang(&en)).unwrap();
/// let ids: Vec<&str> = f.segments().map(|s| s.id.as_str()).collect();
/// assert_eq!(ids, ["p1.s1", "p2.s1", "p2.s2"]);
/// assert_eq!(f.rebuild(|_| None), text);
/// assert_eq!(f.rebuild(|s| Some(s.text.to_uppercase())), "TITLE\n\nONE. TWO.\n");
/// ```
pub fn load_text(
    text: &str,
    path: impl AsRef<Path>,
    lang: &Lang,
    segmenter: &Segmenter,
) -> Result<JobFile, Error> {
    let doc = Document::from_bytes(text.as_bytes().to_vec(), path.as_ref(), false)?;
    from_document(doc, lang, segmenter)
}

fn from_document(doc: Document, lang: &Lang, segmenter: &Segmenter) -> Result<JobFile, Error> {
    let name = doc
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| crate::error::display_path(&doc.path));
    if doc.lines.is_empty() {
        return Err(Error::input(
            &doc.path,
            None,
            "the job file has no text (one paragraph a line is expected)",
        ));
    }
    check_script(&doc, lang)?;
    let text = &doc.text;
    let mut paragraphs = Vec::with_capacity(doc.lines.len());
    for (i, r) in doc.lines.iter().enumerate() {
        let line = &text[r.clone()];
        let end = match doc.lines.get(i + 1) {
            Some(next) => &text[r.end..next.start],
            None => &text[r.end..],
        };
        let ranges = segmenter.split(line);
        let mut segments = Vec::with_capacity(ranges.len());
        let mut gaps = Vec::with_capacity(ranges.len() + 1);
        let mut at = 0;
        for (k, s) in ranges.iter().enumerate() {
            gaps.push(line[at..s.start].to_string());
            segments.push(JobSegment {
                id: format!("p{}.s{}", i + 1, k + 1),
                text: line[s.clone()].to_string(),
            });
            at = s.end;
        }
        gaps.push(line[at..].to_string());
        paragraphs.push(Paragraph {
            segments,
            gaps,
            end: end.to_string(),
        });
    }
    Ok(JobFile {
        head: text[..doc.lines[0].start].to_string(),
        path: doc.path,
        name,
        lang: lang.as_str().to_string(),
        paragraphs,
    })
}

/// Refuses a file whose letters are mostly not in `lang`'s script (an English file given as
/// an Arabic job, files swapped), naming the first paragraph that is not: the whole-file rule
/// of [`crate::pipeline::check_language`] would let a short file through.
fn check_script(doc: &Document, lang: &Lang) -> Result<(), Error> {
    if crate::tm::fuzzy::in_script_of(&doc.text, lang.as_str()) {
        return Ok(());
    }
    let first = doc
        .lines
        .iter()
        .find(|r| !crate::tm::fuzzy::in_script_of(&doc.text[(*r).clone()], lang.as_str()))
        .or(doc.lines.first());
    let position = first.map(|r| Position::from_byte(doc.text.as_bytes(), r.start));
    let script = if crate::tm::fuzzy::in_script_of("قال", lang.as_str()) {
        "Arabic"
    } else {
        "Latin or another non-Arabic"
    };
    Err(Error::input(
        &doc.path,
        position,
        format!(
            "this does not look like {lang}: {lang} is written in {script} script, but most \
             letters here are not (wrong --source-lang, or the wrong file?)"
        ),
    ))
}

impl JobFile {
    /// Every segment, in document order.
    pub fn segments(&self) -> impl Iterator<Item = &JobSegment> + '_ {
        self.paragraphs.iter().flat_map(|p| p.segments.iter())
    }

    /// Number of segments.
    pub fn segment_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.segments.len()).sum()
    }

    /// The document rebuilt: each segment replaced by `translations(segment)`, or kept as it
    /// is when that gives `None`, with the source's paragraphs, line ends and white space.
    /// A translation's own line breaks are turned into spaces, so that the paragraph
    /// structure (one paragraph a line) survives whatever a translator typed.
    pub fn rebuild(&self, translations: impl Fn(&JobSegment) -> Option<String>) -> String {
        let mut out = self.head.clone();
        for p in &self.paragraphs {
            for (k, s) in p.segments.iter().enumerate() {
                out.push_str(&p.gaps[k]);
                match translations(s) {
                    Some(t) if t.contains(['\n', '\r']) => {
                        out.push_str(&t.replace("\r\n", " ").replace(['\n', '\r'], " "))
                    }
                    Some(t) => out.push_str(&t),
                    None => out.push_str(&s.text),
                }
            }
            out.push_str(p.gaps.last().map_or("", String::as_str));
            out.push_str(&p.end);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, lang: &str) -> Result<JobFile, Error> {
        let l = Lang::parse(lang).unwrap();
        load_text(text, "job.txt", &l, &Segmenter::for_lang(&l))
    }

    #[test]
    fn rebuilds_byte_for_byte() {
        for text in [
            "\u{FEFF}\n\nقال الوزير. وأضاف أن الوضع مستقر.  \r\n\r\n\n  عنوان\n",
            "وصل د. محمد. ثم غادر؟ نعم!",
            "أ.\n\n\nب\n\n",
        ] {
            let f = load(text, "ar").unwrap();
            assert_eq!(f.rebuild(|_| None), text, "{text:?}");
        }
    }

    #[test]
    fn ids_count_paragraphs_and_segments() {
        let f = load("وصل د. محمد. ثم غادر؟\n\nعنوان\n", "ar").unwrap();
        let got: Vec<(&str, &str)> = f
            .segments()
            .map(|s| (s.id.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("p1.s1", "وصل د. محمد."),
                ("p1.s2", "ثم غادر؟"),
                ("p2.s1", "عنوان")
            ]
        );
        assert_eq!(f.segment_count(), 3);
        assert_eq!(f.name, "job.txt");
        assert_eq!(f.paragraphs[0].gaps, ["", " ", ""]);
    }

    #[test]
    fn translations_keep_the_structure() {
        let f = load("  One. Two.\r\n\r\nThree.", "en").unwrap();
        let t = f.rebuild(|s| match s.id.as_str() {
            "p1.s1" => Some("Un.".into()),
            "p1.s2" => Some("Deux\n(bis).".into()),
            _ => None,
        });
        assert_eq!(t, "  Un. Deux (bis).\r\n\r\nThree.");
    }

    #[test]
    fn wrong_script_names_the_file_and_paragraph() {
        let e = load(
            "عنوان\nThe minister said that the talks would resume.\n",
            "ar",
        );
        // Mostly Latin letters: refused, pointing at line 2.
        let e = e.unwrap_err().to_string();
        assert!(
            e.starts_with("job.txt:2:1: this does not look like ar"),
            "{e}"
        );
        let e = load("قال الوزير إن المحادثات ستستأنف.\n", "en").unwrap_err();
        assert!(e.to_string().starts_with("job.txt:1:1:"), "{e}");
    }

    #[test]
    fn empty_file_is_an_error() {
        let e = load("\n  \n", "ar").unwrap_err().to_string();
        assert!(e.contains("job.txt: the job file has no text"), "{e}");
    }
}
