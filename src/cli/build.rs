//! `dragoman build`: the main job on a project directory.

use std::path::PathBuf;

use anyhow::Result;
use std::io::Write;

use dragoman::pipeline::{self, BuildOptions, BuildReport};
use dragoman::Lang;

use super::out::{self, ColorChoice, Paint};

/// Arguments of `dragoman build`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Project directory (holds source/, translations/LANG/, writes tmx/).
    #[arg(long, default_value = ".")]
    pub project: PathBuf,
    /// Source language (default: dragoman.toml's source_lang, else ar).
    #[arg(long)]
    pub source_lang: Option<Lang>,
    /// TMX creation date, YYYYMMDDThhmmssZ (SOURCE_DATE_EPOCH wins; default: dragoman.toml's
    /// creation_date, else now).
    #[arg(long)]
    pub date: Option<String>,
    /// List links scoring below this for review (default: dragoman.toml, else the aligner's).
    #[arg(long, value_parser = threshold)]
    pub threshold: Option<f64>,
    /// Also write an HTML review page per pair into DIR (default: the project's reports/).
    #[arg(long, value_name = "DIR")]
    pub report: Option<Option<PathBuf>>,
    /// Write CSV cells that look like spreadsheet formulas raw (default: neutralised with ').
    #[arg(long)]
    pub raw_formulas: bool,
    /// Translation memories whose units teach the aligner a translation lexicon: a store
    /// (SQLite file or postgres:// URL) or TMX, CSV/TSV, XLIFF or Moses files. Each is used for
    /// the language pairs it has units of.
    #[arg(long = "tm", num_args = 1.., value_name = "TM")]
    pub tm: Vec<String>,
    /// A bilingual dictionary for the aligner, one `target phrase @ source phrase` entry a
    /// line (hunalign's format).
    #[arg(long, value_name = "FILE")]
    pub dict: Option<PathBuf>,
    /// Exit with 1 when some links need review.
    #[arg(long)]
    pub strict: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command.
pub fn run(args: &Args, color: ColorChoice) -> Result<u8> {
    // --report DIR is relative to the working directory, like every other path argument; the
    // bare flag means the project's reports/.
    let report_dir = args.report.as_ref().map(|d| match d {
        Some(dir) => dir.clone(),
        None => args.project.join("reports"),
    });
    let opts = BuildOptions {
        source_lang: args.source_lang.clone(),
        creation_date: args.date.clone(),
        review_threshold: args.threshold,
        report_dir,
        raw_formulas: args.raw_formulas,
        dictionary: args.dict.clone(),
        tm: args.tm.iter().map(dragoman::job::TmSpec::new).collect(),
    };
    let report = pipeline::build(&args.project, &opts)?;
    let p = Paint::new(out::use_color(color));
    // Warnings go to stderr even with --quiet: they are about the user's files.
    for path in &report.stale {
        eprintln!(
            "dragoman: warning: {} was not written by this build (its document or language is gone?); remove it if it is stale",
            path.display()
        );
    }
    for path in &report.unused_corrections {
        eprintln!(
            "dragoman: warning: {} matches no document and language pair (expected corrections/NAME.SRC-TGT.tsv)",
            path.display()
        );
    }
    for name in &report.untranslated {
        eprintln!("dragoman: warning: source/{name}: no translation found, skipped");
    }
    if !args.quiet {
        let stdout = std::io::stdout();
        summary(&mut stdout.lock(), &report, &p)?;
    }
    let to_review: usize = report.pairs.iter().map(|r| r.review.len()).sum();
    Ok(if args.strict && to_review > 0 { 1 } else { 0 })
}

/// Prints the per-pair summary; errors (a closed pipe) propagate instead of panicking.
fn summary(w: &mut dyn Write, report: &BuildReport, p: &Paint) -> std::io::Result<()> {
    for r in &report.pairs {
        let kinds: Vec<String> = r
            .kinds
            .iter()
            .map(|((s, t), n)| format!("{s}-{t}: {n}"))
            .collect();
        let corrected = if r.corrected > 0 {
            format!(", {} corrected by hand", r.corrected)
        } else {
            String::new()
        };
        writeln!(
            w,
            "{} {}-{}: {} -> {} segments, {} links ({}), {} units{corrected}",
            p.bold(&r.name),
            report.src_lang,
            r.tgt_lang,
            r.src_segments,
            r.tgt_segments,
            r.kinds.values().sum::<usize>(),
            kinds.join(", "),
            r.units,
        )?;
        if r.review.is_empty() {
            let msg = format!("no link below {} to review", report.threshold);
            writeln!(w, "  {}", p.good(&msg))?;
        } else {
            let msg = format!(
                "{} link(s) below {} to review:",
                r.review.len(),
                report.threshold
            );
            writeln!(w, "  {}", p.warn(&msg))?;
            for v in &r.review {
                writeln!(
                    w,
                    "    {:.3}  [{}] -> [{}]  {} | {}",
                    v.score,
                    pipeline::format_ids(&v.src),
                    pipeline::format_ids(&v.tgt),
                    out::shorten(&v.src_text, 50),
                    out::shorten(&v.tgt_text, 50)
                )?;
            }
        }
        for o in &r.outputs {
            writeln!(w, "  wrote {}", o.display())?;
        }
    }
    for (path, n) in &report.multilingual {
        writeln!(w, "multilingual: wrote {} ({n} units)", path.display())?;
    }
    Ok(())
}

/// Parses a threshold in [0, 1].
fn threshold(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        Ok(v) => Err(format!("{v} is outside [0, 1] (scores are in [0, 1])")),
        Err(e) => Err(e.to_string()),
    }
}
