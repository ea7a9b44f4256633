//! `dragoman prepare FILE... --tm TM... --target-lang en -o JOB/`: pre-translated packages.

use std::path::PathBuf;

use anyhow::Context;
use dragoman::job::prepare::{self, PrepareOptions, XliffVersion};
use dragoman::job::{self, report, MatchOptions};

use super::analyze::bar;
use dragoman::Lang;

/// Arguments of `dragoman prepare`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Writes JOB/: NAME.xlf (the package), review/NAME.csv and .html, \
source/NAME.txt, job.json (what `dragoman finish` needs) and omegat/ (a ready OmegaT \
project). An existing non-empty JOB/ is kept unless --force. Exit codes: 0 ok, 2 error."
)]
pub struct Args {
    /// The job's documents: UTF-8 text, one paragraph a line.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Translation memories: a store (SQLite file or postgres:// URL) or TMX, CSV/TSV, XLIFF
    /// or Moses files.
    #[arg(long = "tm", required = true, num_args = 1.., value_name = "TM")]
    pub tm: Vec<String>,
    /// Language of the documents (default: dragoman.toml's source_lang, else ar when the
    /// first file is in Arabic script, else en).
    #[arg(short = 's', long = "source-lang")]
    pub source_lang: Option<String>,
    /// Segmentation rules (SRX 2.0) instead of the built-in ones (copied into the job, so
    /// that `finish` segments the same way).
    #[arg(long, value_name = "FILE")]
    pub srx: Option<PathBuf>,
    /// Fuzzy bands of the analysis report (as `analyze --bands`).
    #[arg(long, value_name = "MIN-MAX,...")]
    pub bands: Option<String>,
    /// Weighting grid of the analysis report (as `analyze --weights`).
    #[arg(long, value_name = "KEY=PERCENT,...")]
    pub weights: Option<String>,
    /// The project directory whose dragoman.toml is read.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
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
    /// Suggestions per segment (each more costs: the index's top-5 search is about four
    /// times slower than its top-1, see docs/fuzzy.md).
    #[arg(long = "max-suggestions", default_value_t = 1)]
    pub max_suggestions: usize,
    /// Replace a job directory that is not empty.
    #[arg(long)]
    pub force: bool,
    /// No summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Bands and weights: the options, else dragoman.toml's `[analysis]`, else the defaults (as
/// `analyze`).
fn bands_and_weights(
    a: &Args,
    config: &job::AnalysisConfig,
) -> anyhow::Result<(job::Bands, job::Weights)> {
    let bands = match (&a.bands, &config.bands) {
        (Some(s), _) => job::Bands::parse(s).map_err(|e| anyhow::anyhow!("--bands: {e}"))?,
        (None, Some(b)) => b
            .bands()
            .map_err(|e| anyhow::anyhow!("dragoman.toml [analysis] bands: {e}"))?,
        (None, None) => job::Bands::default(),
    };
    let weights = match (&a.weights, &config.weights) {
        (Some(s), _) => {
            job::Weights::parse(s, &bands).map_err(|e| anyhow::anyhow!("--weights: {e}"))?
        }
        (None, Some(m)) => job::Weights::new(m.clone(), &bands)
            .map_err(|e| anyhow::anyhow!("dragoman.toml [analysis.weights]: {e}"))?,
        (None, None) => job::Weights::default(),
    };
    Ok((bands, weights))
}

/// The analysis report in every format, as files of the job directory.
fn analysis_files(analysis: &job::Analysis) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut text = Vec::new();
    report::write_text(&mut text, analysis, false)?;
    out.push(("analysis.txt".into(), text));
    let mut csv = Vec::new();
    report::write_csv(&mut csv, analysis)?;
    out.push(("analysis.csv".into(), csv));
    let mut json = Vec::new();
    report::write_json(&mut json, analysis)?;
    out.push(("analysis.json".into(), json));
    let mut html = Vec::new();
    report::write_html(&mut html, analysis)?;
    out.push(("analysis.html".into(), html));
    Ok(out)
}

/// Runs `dragoman prepare`.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let project = dragoman::pipeline::read_project_file(&a.project)?;
    let (bands, weights) = bands_and_weights(a, &project.analysis.clone().unwrap_or_default())?;
    let lang = match (&a.source_lang, &project.source_lang) {
        (Some(l), _) => Lang::parse(l).context("--source-lang")?,
        (None, Some(l)) => Lang::parse(l).context("dragoman.toml source_lang")?,
        (None, None) => super::analyze::guess_lang(&a.files[0])?,
    };
    let target = Lang::parse(&a.target_lang).context("--target-lang")?;
    let opts = PrepareOptions {
        fuzzy_min: a.fuzzy_min,
        xliff: if a.xliff.starts_with('2') {
            XliffVersion::V21
        } else {
            XliffVersion::V12
        },
        force: a.force,
        srx: a.srx.clone(),
    };
    // Refuse before the (long) matching when the job directory would not be written anyway.
    if a.files.iter().any(|f| f.as_os_str() == "-") {
        anyhow::bail!(
            "prepare needs job files by name (their names name the packages): standard input (-) is not one"
        );
    }
    prepare::check_dir(&a.output, a.force)?;
    let (files, tm) = super::analyze::load_job(
        &a.files,
        a.srx.as_deref(),
        &lang,
        &a.tm,
        &target,
        job::Keep::All,
        false,
    )?;
    let mopts = MatchOptions {
        bands: bands.clone(),
        max_suggestions: a.max_suggestions.max(1),
        // Suggestions are searched for down to --fuzzy-min, exactly scored (the package shows
        // the score); the other segments get their band at band resolution.
        min_suggestion: Some(a.fuzzy_min),
        band_resolution: false,
    };
    let n: usize = files.iter().map(|f| f.segment_count()).sum();
    let pb = bar(n as u64, "segments");
    let matches =
        job::matching::match_job_with_progress(&files, &tm, target.as_str(), &mopts, &|k| {
            pb.set_position(k as u64)
        })?;
    pb.finish_and_clear();
    let packages = prepare::packages(&files, &matches, target.as_str(), &opts)?;
    let mut analysis = job::analyze(&files, &matches, &bands, &weights);
    analysis.target_lang = target.to_string();
    analysis.tms = tm.origins().to_vec();
    analysis.tm_units = tm.len();
    let extra = analysis_files(&analysis)?;
    let written = prepare::write_job(&a.output, &files, &packages, &extra, &opts)?;
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
            "wrote {} ({} files: {}, analysis.txt/.csv/.json/.html, review/, source/, omegat/, job.json)",
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
