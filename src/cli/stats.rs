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
    /// The languages of the columns of a CSV/TSV without a header row (with --no-header).
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    #[command(flatten)]
    pub read: super::convert::ReadArgs,
    #[command(flatten)]
    pub xliff: super::convert::XliffReadArgs,
}

/// Runs the command: 0 on success.
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let opts = tm::StatsOptions {
        from: args.from,
        csv_read: args.read.csv(&args.langs)?,
        xliff_read: args.xliff.options(),
    };
    let s = tm::stats_with(&args.input, &opts)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let mut out = std::io::stdout().lock();
    print(&mut out, &s, args.json)?;
    out.flush()?;
    Ok(0)
}

/// Writes the statistics. Every error is an `io::Error` with its kind kept, so that a closed
/// standard output (`| head -1`) is recognised as a broken pipe and ends quietly.
fn print(out: &mut dyn Write, s: &tm::Stats, json: bool) -> std::io::Result<()> {
    if json {
        // `io::Error::from` keeps the kind of an I/O failure (BrokenPipe); `other` would not.
        serde_json::to_writer_pretty(&mut *out, s).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader has gone (`dragoman stats --json x.tmx | head -1`).
    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// QA: `stats --json | head -1` printed "Broken pipe" and exited 2, because the JSON
    /// error lost the I/O error's kind.
    #[test]
    fn closed_stdout_is_a_broken_pipe_in_both_forms() {
        for json in [true, false] {
            let e = print(&mut Closed, &tm::Stats::default(), json).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "json={json}");
        }
    }
}
