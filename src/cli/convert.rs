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
hold a tab, a line break or a quote. XLIFF inline codes become TMX inline elements and back \
(<g> and <pc> as empty <bpt>/<ept>); white space follows xml:space (default: runs collapsed, \
ends trimmed; preserve: kept), the same for every output. An input with units of which none can be written in the \
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
    #[command(flatten)]
    pub xliff: XliffReadArgs,
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
}

impl WriteArgs {
    /// The CSV writing options these flags ask for.
    pub fn csv(&self) -> tm::csv::Options {
        tm::csv::Options {
            raw_formulas: self.csv_raw,
        }
    }
}

/// How XLIFF inputs are read: the options that mean the same in `convert` and `merge`.
#[derive(clap::Args, Debug)]
pub struct XliffReadArgs {
    /// XLIFF 1.x input: `<alt-trans>` elements are suggestions, never the translation
    /// (`ignore`, the default: units that had one and no translation are counted in a
    /// warning). `exact` takes an exact one as the translation of a unit that has none: no
    /// <source> of its own or the unit's (text and codes), match-quality absent or 100. Give
    /// `exact` to read back a dragoman job, which carries the translations this way.
    #[arg(long, value_name = "ignore|exact", default_value = "ignore", value_parser = parse_alt_trans)]
    pub alt_trans: tm::xliff::AltTrans,
    /// XLIFF input whose <file> has no target-language (2.x: no trgLang) and whose <target>s
    /// no xml:lang: the language of its targets (default: the second of --langs, else the
    /// file name: job.ar-en.xlf, job.fr.xlf, job_fr.xlf; else an error).
    #[arg(long, value_name = "LANG")]
    pub target_lang: Option<String>,
}

impl XliffReadArgs {
    /// The XLIFF reading options these flags ask for.
    pub fn options(&self) -> tm::xliff::ReadOptions {
        tm::xliff::ReadOptions {
            alt_trans: self.alt_trans,
            target_lang: self.target_lang.clone(),
        }
    }
}

fn parse_alt_trans(s: &str) -> Result<tm::xliff::AltTrans, String> {
    match s {
        "ignore" => Ok(tm::xliff::AltTrans::Ignore),
        "exact" => Ok(tm::xliff::AltTrans::Exact),
        _ => Err(format!("{s:?}: use ignore or exact")),
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
        xliff_read: args.xliff.options(),
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
    }
    Ok(0)
}
