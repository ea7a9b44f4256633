//! `dragoman build`: the main job on a project directory.

use std::path::PathBuf;

use anyhow::Result;
use dragoman::pipeline::{self, BuildOptions};
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
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Also write an HTML review page per pair into DIR.
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "reports")]
    pub report: Option<PathBuf>,
    /// Write CSV cells that look like spreadsheet formulas raw (default: neutralised with ').
    #[arg(long)]
    pub raw_formulas: bool,
    /// Exit with 1 when some links need review.
    #[arg(long)]
    pub strict: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command.
pub fn run(args: &Args, color: ColorChoice) -> Result<u8> {
    let report_dir = args.report.as_ref().map(|d| {
        if d.is_relative() {
            args.project.join(d)
        } else {
            d.clone()
        }
    });
    let opts = BuildOptions {
        source_lang: args.source_lang.clone(),
        creation_date: args.date.clone(),
        review_threshold: args.threshold,
        report_dir,
        raw_formulas: args.raw_formulas,
    };
    let report = pipeline::build(&args.project, &opts)?;
    let p = Paint::new(out::use_color(color));
    let to_review: usize = report.pairs.iter().map(|r| r.review.len()).sum();
    if !args.quiet {
        for r in &report.pairs {
            let kinds: Vec<String> = r
                .kinds
                .iter()
                .map(|((s, t), n)| format!("{s}-{t}: {n}"))
                .collect();
            println!(
                "{} {}-{}: {} -> {} segments, {} links ({}), {} units{}",
                p.bold(&r.name),
                report.src_lang,
                r.tgt_lang,
                r.src_segments,
                r.tgt_segments,
                r.kinds.values().sum::<usize>(),
                kinds.join(", "),
                r.units,
                if r.corrected > 0 {
                    format!(", {} corrected by hand", r.corrected)
                } else {
                    String::new()
                }
            );
            if r.review.is_empty() {
                println!(
                    "  {}",
                    p.good(&format!("no link below {:.2} to review", report.threshold))
                );
            } else {
                println!(
                    "  {}",
                    p.warn(&format!(
                        "{} link(s) below {:.2} to review:",
                        r.review.len(),
                        report.threshold
                    ))
                );
                for v in &r.review {
                    println!(
                        "    {:.3}  [{}] -> [{}]  {} | {}",
                        v.score,
                        pipeline::format_ids(&v.src),
                        pipeline::format_ids(&v.tgt),
                        out::shorten(&v.src_text, 50),
                        out::shorten(&v.tgt_text, 50)
                    );
                }
            }
            for o in &r.outputs {
                println!("  wrote {}", o.display());
            }
        }
        for (path, n) in &report.multilingual {
            println!("multilingual: wrote {} ({n} units)", path.display());
        }
        for name in &report.untranslated {
            println!(
                "{}",
                p.warn(&format!("source/{name}: no translation found, skipped"))
            );
        }
    }
    Ok(if args.strict && to_review > 0 { 1 } else { 0 })
}
