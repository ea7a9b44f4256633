//! `dragoman align`: one link per line, `source_ids<TAB>target_ids<TAB>score`.
//!
//! The output is a stable contract (evaluation scripts and corrections files rely on it): ids
//! are 0-based over each document's segments, comma-separated, empty for an empty side; the
//! score is in [0, 1] with three decimals; `--with-text` appends both texts (tabs in a text are
//! shown as spaces).

use std::path::PathBuf;

use anyhow::{bail, Result};
use dragoman::align::lexicon::{self, LexiconParams};
use dragoman::align::{Aligner, Dictionary, Params};
use dragoman::job::TmSpec;
use dragoman::pipeline::{self, Segmented};
use dragoman::{Document, Lang};

use super::out::ColorChoice;

/// Arguments of `dragoman align`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Source document (one paragraph a line, or one segment a line with --presegmented).
    pub source: PathBuf,
    /// Target document, the translation; `-` for standard input (one side only).
    pub target: PathBuf,
    /// Language of the source (BCP 47).
    #[arg(long, short = 's', default_value = "ar")]
    pub source_lang: Lang,
    /// Language of the target (BCP 47).
    #[arg(long, short = 't', default_value = "en")]
    pub target_lang: Lang,
    /// Inputs hold one segment per line, a blank line between paragraphs: align them as they are.
    #[arg(long)]
    pub presegmented: bool,
    /// Append the source and target texts to each link.
    #[arg(long)]
    pub with_text: bool,
    /// Keep these links (a TSV in this command's output format, e.g. a corrected copy of it)
    /// and align the rest automatically.
    #[arg(long, value_name = "TSV")]
    pub fixed: Option<PathBuf>,
    /// Translation memories whose units teach the aligner a translation lexicon for this
    /// language pair: a store (SQLite file or postgres:// URL) or TMX, CSV/TSV, XLIFF or Moses
    /// files. Repeat for several.
    #[arg(long = "tm", value_name = "TM")]
    pub tm: Vec<String>,
    /// A bilingual dictionary, one `target phrase @ source phrase` entry a line (hunalign's
    /// format).
    #[arg(long, value_name = "FILE")]
    pub dict: Option<PathBuf>,
    /// Also write a self-contained HTML review page.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, default_value = "-")]
    pub output: PathBuf,
}

/// Runs the command.
pub fn run(args: &Args, _color: ColorChoice) -> Result<u8> {
    if args.source.as_os_str() == "-" && args.target.as_os_str() == "-" {
        bail!("only one of SOURCE and TARGET can be standard input (-)");
    }
    let load = |path: &PathBuf, lang: &Lang| -> dragoman::Result<Segmented> {
        let doc = Document::from_path(path, args.presegmented)?;
        pipeline::check_language(&doc, lang)?;
        Ok(if args.presegmented {
            Segmented::presegmented(doc)
        } else {
            Segmented::new(doc, &dragoman::segment::Segmenter::for_lang(lang))
        })
    };
    let source = load(&args.source, &args.source_lang)?;
    let target = load(&args.target, &args.target_lang)?;
    for (side, path) in [(&source, &args.source), (&target, &args.target)] {
        if side.segments.is_empty() {
            eprintln!(
                "dragoman: warning: {} has no text: every sentence of the other side is unaligned",
                dragoman::error::display_path(path)
            );
        }
    }
    let dictionary = args
        .dict
        .as_deref()
        .map(Dictionary::from_path)
        .transpose()?;
    let specs: Vec<TmSpec> = args.tm.iter().map(TmSpec::new).collect();
    let lexicon = if specs.is_empty() {
        Vec::new()
    } else {
        lexicon::from_tm(
            &specs,
            &args.source_lang,
            &args.target_lang,
            &LexiconParams::for_tm(),
        )?
    };
    let aligner = Aligner::new(Params {
        progress: true,
        ..pipeline::aligner_params(
            &args.source_lang,
            &args.target_lang,
            dictionary.as_ref(),
            &lexicon,
        )
    });
    let (links, _) = pipeline::align_pair(&aligner, &source, &target, args.fixed.as_deref())?;
    dragoman::io::write_output(&args.output, |w| {
        let err = |e| dragoman::Error::io(dragoman::io::output_name(&args.output), e);
        for l in &links {
            write!(
                w,
                "{}\t{}\t{:.3}",
                pipeline::format_ids(&l.src),
                pipeline::format_ids(&l.tgt),
                l.score
            )
            .map_err(err)?;
            if args.with_text {
                write!(
                    w,
                    "\t{}\t{}",
                    source.join(&l.src).replace('\t', " "),
                    target.join(&l.tgt).replace('\t', " ")
                )
                .map_err(err)?;
            }
            w.write_all(b"\n").map_err(err)?;
        }
        Ok(())
    })?;
    if let Some(path) = &args.report {
        let title = format!("{} — {}", args.source.display(), args.target.display());
        let pair = pipeline::AlignedPair {
            doc_name: &title,
            src_lang: &args.source_lang,
            tgt_lang: &args.target_lang,
            source: &source,
            target: &target,
            links: &links,
        };
        pair.write_report(path, &title, dragoman::align::REVIEW_THRESHOLD)?;
    }
    Ok(0)
}
