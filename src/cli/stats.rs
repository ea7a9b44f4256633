//! `dragoman stats FILE`: units, languages, words, duplicates.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use dragoman::tm::{self, Format};

/// Arguments of `dragoman stats`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The translation memory (`-` for standard input, with --from).
    pub input: PathBuf,
    /// Input format (default: from the extension).
    #[arg(long, value_parser = super::convert::parse_format)]
    pub from: Option<Format>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command: 0 on success.
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let s = tm::stats(&args.input, args.from)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &s)?;
        writeln!(out)?;
        return Ok(0);
    }
    writeln!(out, "units        {}", s.units)?;
    writeln!(
        out,
        "duplicates   {} (identical in every language)",
        s.duplicates
    )?;
    writeln!(
        out,
        "conflicting  {} (same source, other translation)",
        s.conflicting
    )?;
    writeln!(
        out,
        "incomplete   {} (fewer than two languages)",
        s.incomplete
    )?;
    writeln!(
        out,
        "{:<12} {:>10} {:>12} {:>14}",
        "language", "segments", "words", "characters"
    )?;
    for l in &s.langs {
        writeln!(
            out,
            "{:<12} {:>10} {:>12} {:>14}",
            l.lang, l.segments, l.words, l.chars
        )?;
    }
    Ok(0)
}
