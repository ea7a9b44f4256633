//! `dragoman prepare FILE... --tm TM... --target-lang en -o JOB/`: pre-translated packages.

use std::path::PathBuf;

use anyhow::Context;
use dragoman::job::prepare::{self, PrepareOptions, XliffVersion};
use dragoman::job::{self, MatchOptions, TmSpec};
use dragoman::segment::Segmenter;
use dragoman::Lang;

/// Arguments of `dragoman prepare`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Writes JOB/: NAME.xlf (the package), review/NAME.csv and .html, \
source/NAME.txt, job.json (what `dragoman finish` needs) and omegat/ (a ready OmegaT \
project). An existing non-empty JOB/ is kept unless --force. Exit codes: 0 ok, 2 error.")]
pub struct Args {
    /// The job's documents: UTF-8 text, one paragraph a line.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Translation memories: a store (SQLite file or postgres:// URL) or TMX, CSV/TSV, XLIFF
    /// or Moses files.
    #[arg(long = "tm", required = true, num_args = 1.., value_name = "TM")]
    pub tm: Vec<String>,
    /// Language of the documents.
    #[arg(short = 's', long = "source-lang", default_value = "ar")]
    pub source_lang: String,
    /// Language to translate into.
    #[arg(short = 't', long = "target-lang", required = true)]
    pub target_lang: String,
    /// The job directory to write.
    #[arg(short = 'o', long = "output", value_name = "JOB", required = true)]
    pub output: PathBuf,
    /// XLIFF version of the package: 1 (1.2, the default) or 2 (2.1).
    #[arg(long = "xliff", default_value = "1", value_parser = ["1", "1.2", "2", "2.1"])]
    pub xliff: String,
    /// Lowest score of a fuzzy match offered in the package.
    #[arg(long = "fuzzy-min", default_value_t = 75, value_parser = clap::value_parser!(u8).range(1..=99))]
    pub fuzzy_min: u8,
    /// Suggestions per segment.
    #[arg(long = "max-suggestions", default_value_t = 3)]
    pub max_suggestions: usize,
    /// Replace a job directory that is not empty.
    #[arg(long)]
    pub force: bool,
    /// No summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `dragoman prepare`.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let lang = Lang::parse(&a.source_lang).context("--source-lang")?;
    let target = Lang::parse(&a.target_lang).context("--target-lang")?;
    let opts = PrepareOptions {
        fuzzy_min: a.fuzzy_min,
        xliff: if a.xliff.starts_with('2') {
            XliffVersion::V21
        } else {
            XliffVersion::V12
        },
        force: a.force,
    };
    // Refuse before the (long) matching when the job directory would not be written anyway.
    if !a.force
        && a.output.is_dir()
        && std::fs::read_dir(&a.output).map_or(false, |mut d| d.next().is_some())
    {
        anyhow::bail!(
            "{}: the job directory exists and is not empty: nothing written (--force replaces it)",
            a.output.display()
        );
    }
    let segmenter = Segmenter::for_lang(&lang);
    let files = a
        .files
        .iter()
        .map(|p| job::load_file(p, &lang, &segmenter))
        .collect::<Result<Vec<_>, _>>()?;
    let specs: Vec<TmSpec> = a.tm.iter().map(TmSpec::new).collect();
    let tm = job::JobTm::open(&specs, lang.as_str(), target.as_str())?;
    let mopts = MatchOptions {
        max_suggestions: a.max_suggestions.max(1),
        min_suggestion: Some(a.fuzzy_min),
        ..Default::default()
    };
    let matches = job::match_job(&files, &tm, target.as_str(), &mopts)?;
    let packages = prepare::packages(&files, &matches, target.as_str(), &opts)?;
    let written = prepare::write_job(&a.output, &files, &packages, &[], &opts)?;
    if !a.quiet {
        for p in &packages {
            let (mut exact, mut context, mut fuzzy, mut rest) = (0, 0, 0, 0);
            for u in p.units() {
                match (&u.target, u.suggestions.is_empty()) {
                    (Some((_, job::package::Fill::Context)), _) => context += 1,
                    (Some((_, job::package::Fill::Exact)), _) => exact += 1,
                    (None, false) => fuzzy += 1,
                    (None, true) => rest += 1,
                }
            }
            eprintln!(
                "{}: {} segments: {context} context and {exact} exact matches pre-translated, {fuzzy} with fuzzy matches (>= {}%), {rest} to translate",
                p.name,
                p.units().count(),
                a.fuzzy_min
            );
        }
        eprintln!(
            "wrote {} ({} files: {}, review/, source/, omegat/, job.json)",
            a.output.display(),
            written.len(),
            packages
                .iter()
                .map(|p| prepare::xliff_name(&p.name))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(0)
}
