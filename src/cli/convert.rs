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
line ends are read as XML 1.0 says (CRLF and CR as LF). XLIFF inline codes become TMX inline \
elements and back (<g> and <pc> as empty <bpt>/<ept>); white space follows xml:space (default: \
runs collapsed, ends trimmed; preserve: kept), the same for every output. An input with units of which none can be written in the \
chosen languages is an error (exit 2), not an empty output. \
TMX output is lossless by default: units may have different language sets, as TMX allows; \
--complete keeps only units in every language (for OmegaT) and says how many it left out.\n\
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
    /// unit uses it, then every language of the first units, about 1 MiB of a TMX). Without
    /// it a TMX output keeps every unit with the source and a target, each with all the
    /// languages it has (also those first met later in the file); CSV/TSV columns are the
    /// languages of the first units. Given, only these languages are written: a TMX unit needs
    /// the source and one of the others (all of them with --complete); Moses output takes the
    /// units that have all of them; units left out are counted.
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    #[command(flatten)]
    pub write: WriteArgs,
    #[command(flatten)]
    pub read: ReadArgs,
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
    /// TMX output: write only the units that have every language (what OmegaT needs: it
    /// fills a language missing from a `<tu>` with another language's text). By default every
    /// unit with the source and at least one target is written, with the languages it has.
    #[arg(long)]
    pub complete: bool,
    /// The default since `--complete` exists (every unit with the source and a target); kept
    /// so that older scripts still run.
    #[arg(long, hide = true, conflicts_with = "complete")]
    pub keep_partial: bool,
    /// CSV/TSV output: metadata columns after the languages, among tuid, note, created and
    /// prop:TYPE (e.g. `--columns tuid,note,prop:x-document`), which the CSV reader reads
    /// back, so TMX -> CSV -> TMX keeps ids, notes, dates and props. Several notes (or props
    /// of one type) share a cell, separated by a line holding only `---`.
    #[arg(long, value_delimiter = ',', value_name = "COLUMN,...")]
    pub columns: Vec<String>,
    /// CSV, TSV and Moses output: how inline codes become text. `native` (default) keeps the
    /// codes' native text where they stand (`%s`, `<br/>`, `<b>`...) and `<sub>` text inside
    /// it; `strip` drops code content but keeps `<sub>` text. In both, `<hi>` content is text
    /// and two words are never glued: a placeholder or a break code that leaves no text
    /// between two non-space characters becomes a space.
    #[arg(long, value_name = "native|strip", default_value = "native", value_parser = parse_codes)]
    pub codes: tm::codes::Codes,
}

/// How CSV/TSV inputs name their columns when their header row is not a row of language tags
/// (Okapi's and OmegaT's tables): the same in `convert`, `merge` and `stats`.
#[derive(clap::Args, Debug)]
pub struct ReadArgs {
    /// CSV/TSV input without a header row: the first row is data, and the columns are the
    /// languages given with --langs, in order (`--langs en,fr --no-header`), or the column
    /// numbers of --header-map (`--no-header --header-map 1=en,2=fr,3=note`).
    #[arg(long)]
    pub no_header: bool,
    /// CSV/TSV input whose header cells are not language tags: what each cell stands for, a
    /// language tag, tuid or note (`--header-map Source=en,Target=fr,Comment=note`; cells
    /// match ignoring case). Cells not listed are read as usual.
    #[arg(long, value_delimiter = ',', value_name = "CELL=LANG,...")]
    pub header_map: Vec<String>,
}

impl ReadArgs {
    /// The CSV reading options these flags ask for, the columns of `--no-header` being
    /// `langs` (those of --langs).
    pub fn csv(&self, langs: &[String]) -> anyhow::Result<tm::csv::ReadOptions> {
        let mut map = Vec::new();
        for m in &self.header_map {
            let Some((k, v)) = m.split_once('=') else {
                anyhow::bail!(
                    "--header-map {m}: expected CELL=LANG (e.g. --header-map Source=en,Target=fr)"
                );
            };
            map.push((k.trim().to_string(), v.trim().to_string()));
        }
        if self.no_header && langs.is_empty() && map.is_empty() {
            anyhow::bail!(
                "--no-header: name the columns' languages with --langs (e.g. --langs en,fr), \
                 or with --header-map 1=en,2=fr"
            );
        }
        Ok(tm::csv::ReadOptions {
            no_header: self.no_header,
            columns: if self.no_header && map.is_empty() {
                langs.to_vec()
            } else {
                Vec::new()
            },
            header_map: map,
        })
    }
}

/// Parses a `--codes` value.
pub fn parse_codes(s: &str) -> Result<tm::codes::Codes, String> {
    tm::codes::Codes::from_name(s)
}

impl WriteArgs {
    /// The CSV writing options these flags ask for.
    pub fn csv(&self) -> anyhow::Result<tm::csv::Options> {
        let columns = self
            .columns
            .iter()
            .map(|c| tm::csv::Column::parse(c))
            .collect::<Result<_, _>>()?;
        Ok(tm::csv::Options {
            raw_formulas: self.csv_raw,
            columns,
            codes: self.codes,
        })
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

/// Prints a conversion's warnings and, unless `quiet`, its summary line (`read` names the
/// units read: "units read", "units in the store").
pub fn print_report(r: &tm::ConvertReport, read: &str, quiet: bool) {
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if !quiet {
        eprintln!(
            "{} {read}, {} written ({}){}",
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
        csv: args.write.csv()?,
        progress: !args.quiet,
        complete: args.write.complete,
        csv_read: args.read.csv(&args.langs)?,
        xliff_read: args.xliff.options(),
        ..Default::default()
    };
    let r = tm::convert(&args.input, &args.output, &opts)
        .with_context(|| format!("converting {}", args.input.display()))?;
    print_report(&r, "units read", args.quiet);
    if !args.quiet && r.own_srclang > 0 {
        eprintln!(
            "{} units name a source language of their own (<tu srclang>)",
            r.own_srclang
        );
    }
    Ok(0)
}
