//! `dragoman convert IN OUT`: one translation-memory format to another, streaming.

use std::path::PathBuf;

use anyhow::Context;
use dragoman::tm::{self, ConvertOptions, Format};

/// Arguments of `dragoman convert`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Formats: tmx, csv, tsv, xliff (reads 1.x and 2.x, writes 1.2), moses (one file per language: \
corpus.ar + corpus.en; give corpus.ar as input, corpus or corpus.ar as output). \
Use - for standard input/output (then --from/--to are needed). CSV files start with a \
UTF-8 BOM (for Excel); CSV on standard output has none. TSV cells are quoted only when they \
hold a tab, a line break or a quote. Inline codes (TMX <ph>, <bpt>, XLIFF <x/>, <g>...) \
stay codes in TMX and XLIFF output; in CSV, TSV and Moses output their native text is kept \
(--codes strip drops it), and two words are never glued. TMX and XLIFF input may be UTF-8, \
UTF-16 or the encoding its XML declaration names (windows-1252, ISO-8859-x, Shift_JIS...); their \
line ends are read as XML 1.0 says (CRLF and CR as LF). An input with units of which none can be written in the \
chosen languages is an error (exit 2), not an empty output.\n\
Examples:\n  dragoman convert big.tmx big.csv\n  dragoman convert multi.tmx ar-fr.tmx --langs ar,fr\n  \
cat x.tmx | dragoman convert --from tmx - --to tsv -"
)]
pub struct Args {
    /// Input file (`-` for standard input).
    pub input: PathBuf,
    /// Output file (`-` for standard output); written atomically.
    pub output: PathBuf,
    /// Input format (default: from the extension).
    #[arg(long, value_parser = parse_format)]
    pub from: Option<Format>,
    /// Output format (default: from the extension).
    #[arg(long, value_parser = parse_format)]
    pub to: Option<Format>,
    /// Languages to keep, source first, e.g. `ar,en` (default: the header's srclang, if some
    /// unit uses it, then every language of the first units, about 1 MiB of a TMX; a language
    /// that first appears later needs --langs). Given, units missing one of them are left out
    /// of TMX and Moses output and counted; without it a TMX unit needs the source and a
    /// target.
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    #[command(flatten)]
    pub write: WriteArgs,
    /// No summary or progress bar on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How `convert` and `merge` write: the options that mean the same in both.
#[derive(clap::Args, Debug)]
pub struct WriteArgs {
    /// Write CSV cells that look like spreadsheet formulas as they are (default: neutralised
    /// with a leading `'`, as OWASP recommends).
    #[arg(long = "raw-formulas", alias = "csv-raw")]
    pub csv_raw: bool,
    /// TMX output: also write units that lack some of the languages (the source and at least
    /// one target). CAT tools misread such units; by default they are left out and counted.
    #[arg(long)]
    pub keep_partial: bool,
    /// CSV, TSV and Moses output: how inline codes become text. `native` (default) keeps the
    /// codes' native text where they stand (`%s`, `<br/>`, `<b>`...) and `<sub>` text inside
    /// it; `strip` drops code content but keeps `<sub>` text. In both, `<hi>` content is text
    /// and two words are never glued: a placeholder or a break code that leaves no text
    /// between two non-space characters becomes a space.
    #[arg(long, value_name = "native|strip", default_value = "native", value_parser = parse_codes)]
    pub codes: tm::codes::Codes,
}

/// Parses a `--codes` value.
pub fn parse_codes(s: &str) -> Result<tm::codes::Codes, String> {
    tm::codes::Codes::from_name(s)
}

impl WriteArgs {
    /// The CSV writing options these flags ask for.
    pub fn csv(&self) -> tm::csv::Options {
        tm::csv::Options {
            raw_formulas: self.csv_raw,
            codes: self.codes,
        }
    }
}

/// Parses a `--from`/`--to` value.
pub fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).map_err(|e| e.to_string())
}

/// Runs the command: 0 on success.
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let opts = ConvertOptions {
        from: args.from,
        to: args.to,
        langs: args.langs.clone(),
        csv: args.write.csv(),
        progress: !args.quiet,
        keep_partial: args.write.keep_partial,
        ..Default::default()
    };
    let r = tm::convert(&args.input, &args.output, &opts)
        .with_context(|| format!("converting {}", args.input.display()))?;
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if !args.quiet {
        eprintln!(
            "{} units read, {} written ({}){}",
            r.read,
            r.written,
            r.langs.join(","),
            if r.skipped > 0 {
                format!(", {} left out: no source or missing a language", r.skipped)
            } else {
                String::new()
            }
        );
        if r.own_srclang > 0 {
            eprintln!(
                "{} units name a source language of their own (<tu srclang>)",
                r.own_srclang
            );
        }
    }
    Ok(0)
}
