//! `dragoman analyze FILE... --tm TM... --target-lang LANG`: how much of a job the TM covers,
//! per band, with weighted words for a quote. The work is in `dragoman::job`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use dragoman::job::{self, report, Bands, JobTm, Keep, MatchOptions, TmSpec, Weights};
use dragoman::segment::Segmenter;
use dragoman::Lang;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people (bold headers on a terminal).
    Text,
    /// CSV, one line per row of each file and of the total.
    Csv,
    /// One JSON document.
    Json,
}

/// Arguments of `dragoman analyze`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Rows: 101% (context match: same segment, same previous and next \
segments in the TM document), repetitions (inside the job, across files), 100%, fuzzy bands \
(--bands), no match. Weighted words = words x weight / 100 (--weights, or [analysis] in \
dragoman.toml). Counting rules: docs/jobs.md.\nExit codes: 0 ok, 2 error (bad input)."
)]
pub struct Args {
    /// The job files: UTF-8 text, one paragraph a line (`-`: standard input).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Translation memories: stores (`tm import`; SQLite file or postgres:// URL) or TMX,
    /// CSV/TSV, XLIFF or Moses files loaded on the fly.
    #[arg(long, required = true, num_args = 1.., value_name = "TM")]
    pub tm: Vec<String>,
    /// The target language of the job.
    #[arg(long, short = 't', value_name = "LANG")]
    pub target_lang: String,
    /// The language of the job files (default: dragoman.toml's source_lang, else ar when the
    /// first file is in Arabic script, else en).
    #[arg(long, short = 's', value_name = "LANG")]
    pub source_lang: Option<String>,
    /// Segmentation rules (SRX 2.0) instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    pub srx: Option<PathBuf>,
    /// Fuzzy bands, highest first or in any order (default 95-99,85-94,75-84,50-74).
    #[arg(long, value_name = "MIN-MAX,...")]
    pub bands: Option<String>,
    /// Weighting grid, percent of the full rate per row: context, repetition, exact, the
    /// bands (e.g. 95-99), no_match (default: context=0,repetition=10,exact=10,95-99=30,
    /// 85-94=60,75-84=80,50-74=100,no_match=100).
    #[arg(long, value_name = "KEY=PERCENT,...")]
    pub weights: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a self-contained HTML report (bars per band, every segment).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// The project directory whose dragoman.toml is read.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// Print the time of each phase (segmenting, reading the TM, building its index, matching)
    /// on standard error.
    #[arg(long)]
    pub timings: bool,
}

/// Refuses to write over an input (a job file or a TM file).
fn check_output(out: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
    if out.as_os_str() == "-" {
        return Ok(());
    }
    let Ok(o) = out.canonicalize() else {
        return Ok(());
    };
    for i in inputs {
        if i.canonicalize().is_ok_and(|c| c == o) {
            bail!(
                "{}: is an input of this command; refusing to overwrite it (choose another output)",
                out.display()
            );
        }
    }
    Ok(())
}

/// A progress bar on standard error, only on a terminal.
pub(crate) fn bar(len: u64, what: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    let template = format!("{what:<10} {{bar:40}} {{pos}}/{{len}} eta {{eta}}");
    pb.set_style(
        indicatif::ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb
}

pub fn run(a: &Args, color: bool) -> anyhow::Result<u8> {
    let project = dragoman::pipeline::read_project_file(&a.project)?;
    let config = project.analysis.clone().unwrap_or_default();
    let bands = match (&a.bands, &config.bands) {
        (Some(s), _) => Bands::parse(s).map_err(|e| anyhow::anyhow!("--bands: {e}"))?,
        (None, Some(b)) => b
            .bands()
            .map_err(|e| anyhow::anyhow!("dragoman.toml [analysis] bands: {e}"))?,
        (None, None) => Bands::default(),
    };
    let weights = match (&a.weights, &config.weights) {
        (Some(s), _) => Weights::parse(s, &bands).map_err(|e| anyhow::anyhow!("--weights: {e}"))?,
        (None, Some(m)) => Weights::new(m.clone(), &bands)
            .map_err(|e| anyhow::anyhow!("dragoman.toml [analysis.weights]: {e}"))?,
        (None, None) => Weights::default(),
    };
    let target = Lang::parse(&a.target_lang).context("--target-lang")?;
    let source = match (&a.source_lang, &project.source_lang) {
        (Some(l), _) => Lang::parse(l).context("--source-lang")?,
        (None, Some(l)) => Lang::parse(l).context("dragoman.toml source_lang")?,
        (None, None) => guess_lang(&a.files[0])?,
    };
    let mut inputs: Vec<&Path> = a.files.iter().map(PathBuf::as_path).collect();
    inputs.extend(a.tm.iter().map(Path::new));
    for out in [&a.output, &a.html].into_iter().flatten() {
        check_output(out, &inputs)?;
    }
    let (files, tm) = load_job(
        &a.files,
        a.srx.as_deref(),
        &source,
        &a.tm,
        &target,
        Keep::Analysis,
        a.timings,
    )?;
    let n: usize = files.iter().map(|f| f.segment_count()).sum();
    let pb = bar(n as u64, "segments");
    let clock = std::time::Instant::now();
    let opts = MatchOptions {
        bands: bands.clone(),
        max_suggestions: 1,
        min_suggestion: None,
        band_resolution: true,
    };
    let matches =
        job::matching::match_job_with_progress(&files, &tm, target.as_str(), &opts, &|k| {
            pb.set_position(k as u64)
        })?;
    pb.finish_and_clear();
    if a.timings {
        timing("match", clock);
    }
    let mut analysis = job::analyze(&files, &matches, &bands, &weights);
    analysis.target_lang = target.to_string();
    analysis.tms = tm.origins().to_vec();
    analysis.tm_units = tm.len();
    let out = a.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let color = color && a.output.is_none();
    dragoman::io::write_output(&out, |w| {
        let r = match a.format {
            Format::Text => report::write_text(w, &analysis, color),
            Format::Csv => report::write_csv(w, &analysis),
            Format::Json => report::write_json(w, &analysis),
        };
        r.map_err(|e| dragoman::Error::io(&out, e))
    })?;
    if let Some(h) = &a.html {
        dragoman::io::write_output(h, |w| {
            report::write_html(w, &analysis).map_err(|e| dragoman::Error::io(h, e))
        })?;
    }
    Ok(0)
}

/// `ar` when the first file's first paragraph is in Arabic script, else `en` (as `segment`).
pub(crate) fn guess_lang(path: &Path) -> anyhow::Result<Lang> {
    let doc = dragoman::Document::from_path(path, false)?;
    let first = doc.lines.first().map_or("", |r| &doc.text[r.clone()]);
    let arabic = first
        .chars()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    Ok(Lang::parse(if arabic { "ar" } else { "en" })?)
}

/// What `--timings` prints for a phase: its wall time since `since` and, on Linux, the CPU
/// time the process has used so far (the figure that holds on a shared machine).
pub(crate) fn timing(phase: &str, since: std::time::Instant) {
    let cpu = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name in parentheses: utime and stime are the 12th
            // and 13th, in clock ticks (100 a second on Linux).
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
            Some(format!(
                ", process CPU so far {:.2} s",
                ticks as f64 / 100.0
            ))
        })
        .unwrap_or_default();
    eprintln!(
        "timing: {phase} {:.2} s{cpu}",
        since.elapsed().as_secs_f64()
    );
}

/// Segment the job files and open their TM (keeping what `keep` says), with progress bars:
/// what `analyze` and `prepare` both do before matching. With `timings`, the time of each
/// phase goes to standard error.
pub(crate) fn load_job(
    paths: &[PathBuf],
    srx: Option<&Path>,
    source: &Lang,
    tms: &[String],
    target: &Lang,
    keep: Keep,
    timings: bool,
) -> anyhow::Result<(Vec<job::JobFile>, JobTm)> {
    let clock = std::time::Instant::now();
    let segmenter = match srx {
        Some(p) => Segmenter::from_srx_path(p, source)?,
        None => Segmenter::for_lang(source),
    };
    let files = paths
        .iter()
        .map(|p| job::load_file(p, source, &segmenter))
        .collect::<Result<Vec<_>, _>>()?;
    if timings {
        timing("segment", clock);
    }
    let clock = std::time::Instant::now();
    let specs: Vec<TmSpec> = tms.iter().map(TmSpec::new).collect();
    let size: u64 = tms
        .iter()
        .filter_map(|t| std::fs::metadata(t).ok())
        .map(|m| m.len())
        .sum();
    let pb = bar(size.max(1), "TM");
    let tm = JobTm::open_keeping(&specs, source.as_str(), target.as_str(), keep, &|n| {
        pb.set_position(n)
    })?;
    pb.finish_and_clear();
    if timings {
        for (phase, d) in tm.timings() {
            eprintln!("timing: TM {phase} {:.2} s", d.as_secs_f64());
        }
        timing("TM total", clock);
    }
    Ok((files, tm))
}
