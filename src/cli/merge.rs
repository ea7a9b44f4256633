//! `dragoman merge A B ... -o OUT`: one memory from several, duplicates removed, conflicts
//! reported (and kept).

use std::path::PathBuf;

use anyhow::Context;
use dragoman::tm::{self, Format, MergeOptions};

/// Arguments of `dragoman merge`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Units with the same source text are joined: ar-en + ar-fr memories give \
ar-en-fr units. CSV, TSV and TMX keep every unit (a TMX unit needs the source and a \
target), each with the languages it has; Moses takes the units complete in every language. \
OmegaT misreads a <tu> that lacks a language (it fills it with another language's text): \
--complete writes only the complete units into the TMX and counts the others. \
Up to --memory MB of merged units are held in memory, then the merge goes through sorted \
temporary files (same output).\n\
Exit codes: 0 merged, no conflict; 1 merged, and some source has \
different translations (all are kept in the output and listed on stderr); 2 error, \
including inputs of which no unit can be written."
)]
pub struct Args {
    /// Input files (TMX, CSV, TSV, XLIFF, Moses), `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output file (`-` for standard output).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Input format for all inputs (default: from each extension).
    #[arg(long, value_parser = super::convert::parse_format)]
    pub from: Option<Format>,
    /// Output format (default: from the extension).
    #[arg(long, value_parser = super::convert::parse_format)]
    pub to: Option<Format>,
    /// Languages to keep, source first (default: every input's, the first input's source
    /// first). Given, only these are written (Moses: units complete in all of them).
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    #[command(flatten)]
    pub write: super::convert::WriteArgs,
    #[command(flatten)]
    pub xliff: super::convert::XliffReadArgs,
    #[command(flatten)]
    pub read: super::convert::ReadArgs,
    /// Megabytes of merged units held in memory; past that, the merge sorts the units by
    /// source through temporary files (in $TMPDIR) with the same result, so memory stays
    /// flat whatever the size of the inputs.
    #[arg(long, value_name = "MB", default_value_t = 128, value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    pub memory: u64,
    /// Only the summary line, not each conflict.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command: 0, or 1 when conflicts were found.
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let opts = MergeOptions {
        from: args.from,
        to: args.to,
        langs: args.langs.clone(),
        csv: args.write.csv()?,
        complete: args.write.complete,
        csv_read: args.read.csv(&args.langs)?,
        xliff_read: args.xliff.options(),
        memory: Some((args.memory as usize) << 20),
    };
    let r = tm::merge(&args.inputs, &args.output, &opts).context("merging")?;
    if !args.quiet {
        for c in &r.conflicts {
            eprintln!(
                "conflict: {} unit {} translates {} into {} as {}, unlike {} unit {}",
                args.inputs[c.at.file].display(),
                c.at.unit,
                dragoman::error::quoted(&c.source),
                c.lang,
                dragoman::error::quoted(&c.text),
                args.inputs[c.first.file].display(),
                c.first.unit
            );
        }
        if r.conflict_count > r.conflicts.len() as u64 {
            eprintln!(
                "... and {} more conflicts",
                r.conflict_count - r.conflicts.len() as u64
            );
        }
    }
    eprintln!(
        "{} units read, {} written ({}), {} joined on their source, {} duplicates removed, \
         {} conflicts{}",
        r.read,
        r.written,
        r.langs.join(","),
        r.joined,
        r.duplicates,
        r.conflict_count,
        if r.skipped > 0 {
            format!(
                ", {} left out: no source text, or missing a language",
                r.skipped
            )
        } else {
            String::new()
        }
    );
    if r.spilled && !args.quiet {
        eprintln!(
            "(more than {} MB of units: joined through sorted temporary files; --memory sets \
             the limit)",
            args.memory
        );
    }
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    Ok(if r.conflict_count > 0 { 1 } else { 0 })
}
