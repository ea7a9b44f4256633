//! Streaming segmenter for evaluation: `seg LANG [SRX] < text`: one segment per line, a blank
//! line between paragraphs (paragraphs are blank-line separated blocks of running text, or
//! single lines).
use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;

use dragoman::segment::{Scratch, Segmenter};
use dragoman::Lang;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let lang = Lang::parse(args.get(1).map_or("ar", |s| s.as_str()))?;
    let seg = match args.get(2) {
        Some(p) => Segmenter::from_srx_path(Path::new(p), &lang)?,
        None => Segmenter::for_lang(&lang),
    };
    let stdin = io::stdin().lock();
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let (mut scratch, mut ranges) = (Scratch::default(), Vec::new());
    for line in stdin.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        ranges.clear();
        seg.split_into(&line, &mut scratch, &mut ranges);
        for r in &ranges {
            out.write_all(line[r.clone()].as_bytes())?;
            out.write_all(b"\n")?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
