//! `dragoman diff OLD NEW`: what changed between two versions of a translation.
//!
//! Exit codes as diff(1): 0 no difference, 1 differences, 2 error.

use std::path::{Path, PathBuf};

use anyhow::Context;
use dragoman::diff::{self, html::Html, report, KeyMode, Summary, UnitDiff};
use dragoman::tm::Format;
use dragoman::Lang;

use super::out::{use_color, ColorChoice};

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Unified-diff-like text, coloured on a terminal.
    Text,
    /// One JSON document.
    Json,
    /// CSV, one row per changed language of a unit.
    Csv,
    /// A self-contained HTML page, side by side.
    Html,
}

/// How units are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Key {
    /// By id when both files have ids, else by source text.
    Auto,
    /// By unit id (TMX tuid, XLIFF id).
    Id,
    /// By source text.
    Source,
}

/// Arguments of `dragoman diff`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Exit codes: 0 no difference, 1 differences, 2 error.\n\
Inputs: two TMX, CSV/TSV or XLIFF files (units matched by id, else by source text), or a TM store \
(SQLite file or postgres:// URL) against one of them, e.g. its TMX export; two plain-text \
translations (.txt) with --source SRC (aligned to the source, so split and merged sentences still \
match) or without (aligned to each other); or two directories of such files, paired by name. \
Any of them may be REV:PATH, read with git show (e.g. HEAD~1:translations/en/x.txt).")]
pub struct Args {
    /// The old version: a file, a directory, or REV:PATH (the file at a git revision).
    pub old: PathBuf,
    /// The new version (the same kinds).
    pub new: PathBuf,
    /// Plain-text inputs: the source document (or directory) both versions translate.
    #[arg(long, value_name = "SRC")]
    pub source: Option<PathBuf>,
    /// Language of --source (default: the project's dragoman.toml beside it, else ar).
    #[arg(long, value_name = "LANG")]
    pub source_lang: Option<String>,
    /// Language of plain-text versions (default: their directory's name when it is a language
    /// tag, as in translations/en/, else en).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Format of TM inputs (default: from the extension).
    #[arg(long, value_parser = super::convert::parse_format)]
    pub from: Option<Format>,
    /// How to match TM units.
    #[arg(long, value_enum, default_value_t = Key::Auto)]
    pub key: Key,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write the report here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also list unchanged units.
    #[arg(long)]
    pub all: bool,
    /// Text report: the summaries only.
    #[arg(short, long)]
    pub quiet: bool,
    /// Units waiting for their partner past which matching spills to disk (tests; default
    /// 200000).
    #[arg(long, hide = true, default_value_t = 0)]
    pub spill_after: usize,
}

/// Runs the command: 0 same, 1 differences.
pub fn run(args: &Args, color: ColorChoice) -> anyhow::Result<u8> {
    let tmp = tempfile::tempdir()?;
    let old = from_git(&args.old, tmp.path())?;
    let new = from_git(&args.new, tmp.path())?;
    let source = match &args.source {
        Some(s) => Some(from_git(s, tmp.path())?),
        None => None,
    };
    let jobs = jobs(&old, &new, source.as_deref())?;
    let to_stdout = args.output.as_ref().map_or(true, |p| p.as_os_str() == "-");
    let color = to_stdout && args.format == ReportFormat::Text && use_color(color);
    let out = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let mut differs = false;
    dragoman::io::write_output(&out, |w| {
        let title = format!(
            "dragoman diff: {} → {}",
            args.old.display(),
            args.new.display()
        );
        let mut r: Box<dyn report::Reporter + '_> = match args.format {
            ReportFormat::Text => {
                let mut t = report::Text::new(&mut *w, color);
                t.quiet = args.quiet;
                Box::new(t)
            }
            ReportFormat::Json => Box::new(report::Json::new(&mut *w)),
            ReportFormat::Csv => {
                let mut c = report::Csv::new(&mut *w).map_err(|e| io_err(&out, e))?;
                c.all = args.all;
                Box::new(c)
            }
            ReportFormat::Html => {
                let mut h = Html::new(&mut *w, &title);
                h.all = args.all;
                Box::new(h)
            }
        };
        let mut total = Summary::default();
        for job in &jobs {
            let s = run_job(args, job, &mut *r, &out)?;
            total.merge(&s);
        }
        r.finish(&total, jobs.len()).map_err(|e| io_err(&out, e))?;
        differs = total.total.differs();
        Ok(())
    })?;
    Ok(u8::from(differs))
}

fn io_err(out: &Path, e: std::io::Error) -> dragoman::Error {
    dragoman::Error::io(out, e)
}

/// One pair of files to compare (with their source for plain text).
struct Job {
    old: PathBuf,
    new: PathBuf,
    source: Option<PathBuf>,
    text: bool,
}

fn is_text(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// `REV:PATH` (a git revision of a file, as `git show` takes it) when no file has that name:
/// the file at that revision, written under `tmp/REV/PATH` so that its name, extension and
/// language directory stay what they were.
fn from_git(p: &Path, tmp: &Path) -> anyhow::Result<PathBuf> {
    let s = p.to_string_lossy();
    if dragoman::tm::store::is_postgres_url(&s) {
        return Ok(p.to_path_buf());
    }
    let Some((rev, path)) = s.split_once(':') else {
        return Ok(p.to_path_buf());
    };
    if p.exists() || rev.is_empty() || path.is_empty() {
        return Ok(p.to_path_buf());
    }
    let out = std::process::Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .with_context(|| format!("{s}: running git show"))?;
    if !out.status.success() {
        anyhow::bail!(
            "{s}: no such file, nor a git revision of one ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let safe: String = rev
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.~^".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let dest = tmp.join(safe).join(path.trim_start_matches('/'));
    if let Some(d) = dest.parent() {
        std::fs::create_dir_all(d).with_context(|| d.display().to_string())?;
    }
    std::fs::write(&dest, out.stdout).with_context(|| dest.display().to_string())?;
    Ok(dest)
}

fn jobs(o: &Path, n: &Path, source: Option<&Path>) -> anyhow::Result<Vec<Job>> {
    let (o, n) = (&o.to_path_buf(), &n.to_path_buf());
    let source = source.map(Path::to_path_buf);
    for p in [o, n].into_iter().chain(source.as_ref()) {
        if !p.exists() && !diff::is_store(p) {
            anyhow::bail!("{}: No such file or directory", p.display());
        }
    }
    if o.is_dir() != n.is_dir() {
        anyhow::bail!(
            "{} and {}: compare two files or two directories",
            o.display(),
            n.display()
        );
    }
    if !o.is_dir() {
        if let Some(s) = &source {
            if s.is_dir() {
                anyhow::bail!("{}: give the source file, not a directory", s.display());
            }
        }
        let text = source.is_some() || is_text(o) || is_text(n);
        return Ok(vec![Job {
            old: o.clone(),
            new: n.clone(),
            source: source.clone(),
            text,
        }]);
    }
    let mut names = Vec::new();
    for d in [o, n] {
        for e in std::fs::read_dir(d).with_context(|| d.display().to_string())? {
            let p = e.with_context(|| d.display().to_string())?.path();
            if p.is_file() && (is_text(&p) || Format::from_path(&p).is_some()) {
                if let Some(name) = p.file_name() {
                    if !names.contains(&name.to_owned()) {
                        names.push(name.to_owned());
                    }
                }
            }
        }
    }
    names.sort();
    let mut jobs = Vec::new();
    for name in names {
        let (po, pn) = (o.join(&name), n.join(&name));
        let source = match &source {
            Some(s) if s.is_dir() => Some(s.join(&name)),
            Some(s) => Some(s.clone()),
            None => None,
        };
        let text = source.is_some() || is_text(&po);
        jobs.push(Job {
            old: po,
            new: pn,
            source,
            text,
        });
    }
    Ok(jobs)
}

fn lang_of_dir(p: &Path) -> Option<Lang> {
    let dir = p.parent()?.file_name()?.to_str()?;
    Lang::parse(dir).ok()
}

/// The source language: the option, the `dragoman.toml` of the project the source is in
/// (`PROJECT/source/X.txt`), else `ar`.
fn source_lang(args: &Args, src: &Path) -> anyhow::Result<Lang> {
    if let Some(l) = &args.source_lang {
        return Ok(Lang::parse(l)?);
    }
    let dir = src.parent().map(Path::to_path_buf).unwrap_or_default();
    for root in [dir.parent().map(Path::to_path_buf).unwrap_or_default(), dir] {
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        if root.join("dragoman.toml").is_file() {
            if let Some(l) = dragoman::pipeline::read_project_file(&root)?.source_lang {
                return Ok(Lang::parse(&l)?);
            }
        }
    }
    Ok(Lang::parse("ar")?)
}

fn run_job(
    args: &Args,
    job: &Job,
    r: &mut dyn report::Reporter,
    out: &Path,
) -> dragoman::Result<Summary> {
    let (old_name, new_name) = (job.old.display().to_string(), job.new.display().to_string());
    let missing = |p: &Path| {
        dragoman::Error::io(
            p,
            std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory"),
        )
    };
    r.begin(&old_name, &new_name).map_err(|e| io_err(out, e))?;
    let mut sink = |d: &UnitDiff| -> dragoman::Result<()> { r.unit(d).map_err(|e| io_err(out, e)) };
    let opts = diff::Options {
        key: match args.key {
            Key::Auto => KeyMode::Auto,
            Key::Id => KeyMode::Id,
            Key::Source => KeyMode::Source,
        },
        src_lang: None,
        keep_unchanged: args.all,
        from: args.from,
        spill_after: args.spill_after,
    };
    let here = |p: &Path| p.exists() || diff::is_store(p);
    let summary = if !here(&job.old) || !here(&job.new) {
        // A file only on one side of two directories: every unit added or removed is more
        // than a script can use; say which.
        return Err(missing(if here(&job.old) { &job.new } else { &job.old }));
    } else if job.text {
        let lang = match &args.lang {
            Some(l) => Lang::parse(l)?,
            None => lang_of_dir(&job.old)
                .or_else(|| lang_of_dir(&job.new))
                .unwrap_or(Lang::parse("en")?),
        };
        let (pairs, src) = match &job.source {
            Some(src) => {
                if !src.exists() {
                    return Err(missing(src));
                }
                let sl =
                    source_lang(args, src).map_err(|e| dragoman::Error::Project(e.to_string()))?;
                (
                    diff::align::through_source(src, &job.old, &job.new, &sl, &lang)?,
                    sl.to_string(),
                )
            }
            None => (
                diff::align::monolingual(&job.old, &job.new, &lang)?,
                String::new(),
            ),
        };
        diff::diff_pairs(pairs, &src, &opts, &mut sink)?
    } else {
        diff::diff_files(&job.old, &job.new, &opts, &mut sink)?
    };
    r.end(&summary).map_err(|e| io_err(out, e))?;
    Ok(summary)
}
