//! `dragoman segment`: one segment per line, or JSON lines with byte offsets.
//!
//! Streams: the input is read a line (one paragraph) at a time, so memory does not grow with
//! input size.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use dragoman::segment::{self, Segmenter};
use dragoman::{Lang, Position};

/// Arguments of `dragoman segment`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Input file, one paragraph a line; `-` for standard input.
    #[arg(default_value = "-")]
    pub input: PathBuf,
    /// Language of the text (BCP 47). Default: `ar` if the first paragraph is in Arabic script,
    /// otherwise `en`.
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Output format: `text` (one segment per line, blank line between paragraphs) or `jsonl`
    /// (one object per segment: para, index, start, end (byte offsets in the input), text).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Use the rules of this SRX 2.0 file instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    pub srx: Option<PathBuf>,
    /// Print the built-in rules as an SRX 2.0 file (a start for your own) and exit.
    #[arg(long)]
    pub export_srx: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, default_value = "-")]
    pub output: PathBuf,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One segment per line.
    Text,
    /// One JSON object per line.
    Jsonl,
}

#[derive(serde::Serialize)]
struct JsonSegment<'a> {
    para: usize,
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<u8> {
    if args.export_srx {
        dragoman::io::write_output(&args.output, |w| {
            w.write_all(segment::builtin_srx().as_bytes())
                .map_err(|e| dragoman::Error::io(dragoman::io::output_name(&args.output), e))
        })?;
        return Ok(0);
    }
    let srx = match &args.srx {
        Some(p) => {
            let bytes = dragoman::io::read_input(p)?;
            Some((p.clone(), dragoman::doc::decode_utf8(bytes, p)?))
        }
        None => None,
    };
    let reader: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f =
            std::fs::File::open(&args.input).map_err(|e| dragoman::Error::io(&args.input, e))?;
        Box::new(BufReader::with_capacity(1 << 16, f))
    };
    dragoman::io::write_output(&args.output, |w| {
        stream(reader, &args.input, args, srx.as_ref(), w)
    })?;
    Ok(0)
}

fn make_segmenter(
    args: &Args,
    srx: Option<&(PathBuf, String)>,
    first: &str,
) -> dragoman::Result<Segmenter> {
    let lang = match &args.lang {
        Some(l) => l.clone(),
        None => guess_lang(first),
    };
    Ok(match srx {
        Some((path, xml)) => Segmenter::from_srx(xml, path, &lang)?,
        None => Segmenter::for_lang(&lang),
    })
}

/// Arabic script in most of the letters means Arabic; anything else is read as English.
fn guess_lang(text: &str) -> Lang {
    let arabic = text
        .chars()
        .filter(|c| {
            matches!(*c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
        })
        .count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let tag = if arabic * 2 > letters { "ar" } else { "en" };
    Lang::parse(tag).expect("built-in tag")
}

/// Letters read before guessing the language: enough to see past a Latin-script headline or
/// dateline (`COP28`, `BEIRUT (AFP) -`) at the top of an Arabic article.
const GUESS_LETTERS: usize = 400;

/// Writes paragraphs' segments in the chosen format, numbering them.
struct Emitter<'a> {
    w: &'a mut dyn Write,
    format: Format,
    out: PathBuf,
    para: usize,
    index: usize,
}

impl Emitter<'_> {
    /// `content` is one paragraph; `offset` its byte offset in the input.
    fn paragraph(&mut self, seg: &Segmenter, content: &str, offset: usize) -> dragoman::Result<()> {
        let out = self.out.clone();
        let err = |e| dragoman::Error::io(&out, e);
        if self.para > 0 && self.format == Format::Text {
            self.w.write_all(b"\n").map_err(err)?;
        }
        for r in seg.split(content) {
            let text = &content[r.clone()];
            match self.format {
                Format::Text => {
                    self.w.write_all(text.as_bytes()).map_err(err)?;
                    self.w.write_all(b"\n").map_err(err)?;
                }
                Format::Jsonl => {
                    let start = offset + r.start;
                    let rec = JsonSegment {
                        para: self.para,
                        index: self.index,
                        start,
                        end: start + text.len(),
                        text,
                    };
                    // serde_json keeps the I/O error's kind, so a closed pipe is still one.
                    serde_json::to_writer(&mut *self.w, &rec)
                        .map_err(|e| err(std::io::Error::from(e)))?;
                    self.w.write_all(b"\n").map_err(err)?;
                }
            }
            self.index += 1;
        }
        self.para += 1;
        Ok(())
    }
}

fn stream(
    mut reader: Box<dyn BufRead>,
    path: &Path,
    args: &Args,
    srx: Option<&(PathBuf, String)>,
    w: &mut dyn Write,
) -> dragoman::Result<()> {
    let io_err = |e| dragoman::Error::io(path, e);
    let mut emit = Emitter {
        w,
        format: args.format,
        out: dragoman::io::output_name(&args.output).to_path_buf(),
        para: 0,
        index: 0,
    };
    let mut segmenter: Option<Segmenter> = None;
    // Paragraphs held back until the language is known (only without --lang).
    let mut pending: Vec<(String, usize)> = Vec::new();
    let mut pending_letters = 0usize;
    let mut buf = Vec::with_capacity(1 << 12);
    let (mut offset, mut line_no) = (0usize, 0u64);
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(io_err)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line = std::str::from_utf8(&buf).map_err(|e| {
            let mut pos = Position::from_byte(&buf, e.valid_up_to());
            pos.line = line_no;
            pos.byte += offset as u64;
            dragoman::Error::Utf8 {
                path: path.to_path_buf(),
                position: pos,
                byte: buf[e.valid_up_to()],
            }
        })?;
        let body = line.trim_end_matches(['\n', '\r']);
        let skip = if offset == 0 && body.starts_with('\u{FEFF}') {
            3
        } else {
            0
        };
        let content = &body[skip..];
        if !content.trim().is_empty() {
            match &segmenter {
                Some(seg) => emit.paragraph(seg, content, offset + skip)?,
                None if args.lang.is_some() => {
                    let seg = segmenter.insert(make_segmenter(args, srx, content)?);
                    emit.paragraph(seg, content, offset + skip)?;
                }
                None => {
                    pending_letters += content.chars().filter(|c| c.is_alphabetic()).count();
                    pending.push((content.to_string(), offset + skip));
                    if pending_letters >= GUESS_LETTERS {
                        let seg = segmenter.insert(decide(args, srx, &pending)?);
                        for (text, at) in pending.drain(..) {
                            emit.paragraph(seg, &text, at)?;
                        }
                    }
                }
            }
        }
        offset += n;
    }
    if !pending.is_empty() {
        let seg = decide(args, srx, &pending)?;
        for (text, at) in &pending {
            emit.paragraph(&seg, text, *at)?;
        }
    }
    Ok(())
}

/// Chooses the rules from the paragraphs read so far.
fn decide(
    args: &Args,
    srx: Option<&(PathBuf, String)>,
    pending: &[(String, usize)],
) -> dragoman::Result<Segmenter> {
    let sample: String = pending.iter().map(|(t, _)| t.as_str()).collect();
    make_segmenter(args, srx, &sample)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_arabic_from_script() {
        assert_eq!(guess_lang("قال الرئيس إن AFP").as_str(), "ar");
        assert_eq!(guess_lang("The president said").as_str(), "en");
        // A Latin headline does not outweigh the Arabic article under it.
        assert_eq!(
            guess_lang("COP28 قال الرئيس إن القمة ستعقد في دبي").as_str(),
            "ar"
        );
    }
}
