//! `prepare`: a job's files and their TM matches written as a package directory for the
//! translator.
//!
//! Layout of `JOB/` (every file written atomically; the whole directory is built beside its
//! destination and renamed into place, so a failed run leaves nothing, and an existing
//! non-empty `JOB/` is replaced only when the caller says so):
//!
//! ```text
//! job.json                 manifest: languages, files, the pre-translation (what finish compares with)
//! source/NAME.txt          the job file as read (finish rebuilds the target document from it)
//! NAME.xlf                 the package: XLIFF 1.2 (default) or 2.1
//! review/NAME.csv, .html   bilingual review file
//! analysis.*               the analysis report, when the caller gives it
//! omegat/                  a ready OmegaT project (see package::omegat)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::package::{self, Fill, Package};
use super::{Band, Error, JobFile, SegmentMatch};

/// The name of the manifest in a job directory.
pub const MANIFEST: &str = "job.json";

/// Which XLIFF the package is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum XliffVersion {
    /// XLIFF 1.2 (what OmegaT 3.6, Trados and memoQ all read).
    #[default]
    #[serde(rename = "1.2")]
    V12,
    /// XLIFF 2.1.
    #[serde(rename = "2.1")]
    V21,
}

/// Options of [`packages`] and [`write_job`].
#[derive(Debug, Clone)]
pub struct PrepareOptions {
    /// Lowest percentage of a fuzzy suggestion put in the package (default 75).
    pub fuzzy_min: u8,
    /// The package's XLIFF version.
    pub xliff: XliffVersion,
    /// Replace a non-empty job directory.
    pub force: bool,
    /// The SRX rules the files were segmented with, when not the built-in ones: copied into
    /// the job as `segmentation.srx` for `finish`.
    pub srx: Option<PathBuf>,
}

impl Default for PrepareOptions {
    fn default() -> PrepareOptions {
        PrepareOptions {
            fuzzy_min: 75,
            xliff: XliffVersion::V12,
            force: false,
            srx: None,
        }
    }
}

/// One job file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ManifestFile {
    /// The job file's name (`report.txt`).
    pub name: String,
    /// Its copy in the job directory (relative: `source/report.txt`).
    pub source: String,
    /// The package XLIFF (relative: `report.xlf`).
    pub xliff: String,
    /// Pre-filled translations (exact and context matches) by segment id.
    pub prefilled: BTreeMap<String, String>,
}

/// `job.json`: what `finish` needs to bring a translated package back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// Format version of this file.
    pub version: u32,
    /// Source language (BCP 47).
    pub source_lang: String,
    /// Target language (BCP 47).
    pub target_lang: String,
    /// The package's XLIFF version.
    pub xliff: XliffVersion,
    /// The job's files, in the order given.
    pub files: Vec<ManifestFile>,
    /// The SRX rules of the job (relative: `segmentation.srx`), when not the built-in ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srx: Option<String>,
}

impl Manifest {
    /// Reads `DIR/job.json`.
    ///
    /// # Errors
    /// A missing or malformed manifest, naming it (with line and column for JSON errors).
    pub fn read(dir: &Path) -> Result<Manifest, Error> {
        let path = dir.join(MANIFEST);
        let bytes = crate::io::read_input(&path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(
                &path,
                Some(crate::Position {
                    line: e.line() as u64,
                    column: e.column() as u64,
                    byte: 0,
                }),
                format!("not a dragoman job manifest: {e}"),
            )
        })
    }
}

/// The band label of a segment in packages and review files: the TM band, or `repetition`
/// for a repetition inside the job that has no better than a fuzzy match.
fn band_label(m: &SegmentMatch) -> String {
    if m.is_repetition() {
        "repetition".into()
    } else {
        m.band.label()
    }
}

/// The packages of `files` from their matches (`matches[file][segment]`, as
/// [`super::match_job`] gives them): exact and context matches pre-filled, suggestions at or
/// above `opts.fuzzy_min` offered.
///
/// # Errors
/// `matches` not shaped like `files` (an internal error, reported rather than panicking).
pub fn packages(
    files: &[JobFile],
    matches: &[Vec<SegmentMatch>],
    target_lang: &str,
    opts: &PrepareOptions,
) -> Result<Vec<Package>, Error> {
    if files.len() != matches.len() {
        return Err(Error::input(
            "<prepare>",
            None,
            "matches do not cover every job file",
        ));
    }
    let mut out = Vec::with_capacity(files.len());
    for (f, ms) in files.iter().zip(matches) {
        if f.segment_count() != ms.len() {
            return Err(Error::input(
                &f.path,
                None,
                "matches do not cover every segment",
            ));
        }
        let mut ms = ms.iter();
        let mut paragraphs = Vec::with_capacity(f.paragraphs.len());
        for p in &f.paragraphs {
            let mut units = Vec::with_capacity(p.segments.len());
            for s in &p.segments {
                let m = ms.next().expect("counted above");
                let fill = match m.band {
                    Band::Context => Some(Fill::Context),
                    Band::Exact => Some(Fill::Exact),
                    _ => None,
                };
                let target = fill
                    .zip(m.suggestions.first())
                    .map(|(fill, g)| (g.target.clone(), fill));
                let suggestions = m
                    .suggestions
                    .iter()
                    .filter(|g| g.score >= opts.fuzzy_min)
                    .map(|g| package::Suggestion {
                        score: g.score,
                        source: g.source.clone(),
                        target: g.target.clone(),
                        markup: g.markup.clone(),
                        origin: g.origin.clone(),
                    })
                    .collect();
                units.push(package::Unit {
                    id: s.id.clone(),
                    source: s.text.clone(),
                    target,
                    suggestions,
                    band: band_label(m),
                });
            }
            paragraphs.push(units);
        }
        out.push(Package {
            name: f.name.clone(),
            source_lang: f.lang.clone(),
            target_lang: crate::Lang::parse(target_lang)?.as_str().to_string(),
            paragraphs,
        });
    }
    Ok(out)
}

/// The package XLIFF's name for a job file (`report.txt` -> `report.xlf`).
pub fn xliff_name(file_name: &str) -> String {
    format!("{}.xlf", package::omegat::stem(file_name))
}

/// Refuses a job directory that exists and is not empty (unless `force`), or that is not a
/// directory: what [`write_job`] checks, for callers that check before a long matching.
///
/// # Errors
/// As said, naming `dir`.
pub fn check_dir(dir: &Path, force: bool) -> Result<(), Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(dir, None, "exists and is not a directory"));
    }
    let not_empty = dir.is_dir()
        && std::fs::read_dir(dir)
            .map_err(|e| crate::Error::io(dir, e))?
            .next()
            .is_some();
    if not_empty && !force {
        return Err(Error::input(
            dir,
            None,
            "the job directory exists and is not empty: nothing written (--force replaces it)",
        ));
    }
    Ok(())
}

/// Writes the job directory `dir` and returns the files written (relative to `dir`).
/// `extra` are further files to put in it (the analysis report), relative path and content.
///
/// # Errors
/// A non-empty `dir` without [`PrepareOptions::force`]; two job files with the same name; a
/// package that cannot be written; I/O errors (nothing is left behind).
pub fn write_job(
    dir: &Path,
    files: &[JobFile],
    packages: &[Package],
    extra: &[(PathBuf, Vec<u8>)],
    opts: &PrepareOptions,
) -> Result<Vec<PathBuf>, Error> {
    check_dir(dir, opts.force)?;
    let mut seen = std::collections::HashSet::new();
    for f in files {
        if !seen.insert(package::omegat::stem(&f.name).to_string()) {
            return Err(Error::input(
                &f.path,
                None,
                "two job files with the same name: a package holds one file of a name",
            ));
        }
    }
    let mut out: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut manifest = Manifest {
        version: 1,
        source_lang: packages
            .first()
            .map(|p| p.source_lang.clone())
            .unwrap_or_default(),
        target_lang: packages
            .first()
            .map(|p| p.target_lang.clone())
            .unwrap_or_default(),
        xliff: opts.xliff,
        files: Vec::new(),
        srx: None,
    };
    if let Some(srx) = &opts.srx {
        out.push(("segmentation.srx".into(), crate::io::read_input(srx)?));
        manifest.srx = Some("segmentation.srx".into());
    }
    for (f, p) in files.iter().zip(packages) {
        let xliff = xliff_name(&f.name);
        let body = match opts.xliff {
            XliffVersion::V12 => package::xliff12::write(p),
            XliffVersion::V21 => package::xliff2::write(p),
        }
        .map_err(|why| Error::input(&f.path, None, why))?;
        let stem = package::omegat::stem(&f.name);
        out.push((xliff.clone().into(), body.into_bytes()));
        out.push((
            format!("source/{}", f.name).into(),
            f.rebuild(|_| None).into_bytes(),
        ));
        out.push((
            format!("review/{stem}.csv").into(),
            package::review::csv(p).into_bytes(),
        ));
        out.push((
            format!("review/{stem}.html").into(),
            package::review::html(p).into_bytes(),
        ));
        manifest.files.push(ManifestFile {
            name: f.name.clone(),
            source: format!("source/{}", f.name),
            xliff,
            prefilled: p
                .units()
                .filter_map(|u| u.target.as_ref().map(|t| (u.id.clone(), t.0.clone())))
                .collect(),
        });
    }
    for (path, bytes) in
        package::omegat::files(packages).map_err(|why| Error::input(dir, None, why))?
    {
        out.push((Path::new("omegat").join(path), bytes));
    }
    out.extend(extra.iter().cloned());
    let mut json = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
    json.push('\n');
    out.push((MANIFEST.into(), json.into_bytes()));
    write_tree(dir, &out)?;
    Ok(out
        .into_iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(p, _)| p)
        .collect())
}

/// Writes `files` (paths ending in `/` with no content are directories) into a temporary
/// directory beside `dir`, then renames it to `dir` (replacing a previous one).
fn write_tree(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| Error::File(crate::Error::io(p, e))
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".dragoman-job-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    for (rel, bytes) in files {
        let path = tmp.path().join(rel);
        if rel.to_string_lossy().ends_with('/') {
            std::fs::create_dir_all(&path).map_err(io(&path))?;
            continue;
        }
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(io(d))?;
        }
        std::fs::write(&path, bytes).map_err(io(&dir.join(rel)))?;
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io(dir))?;
    }
    // A temporary directory is private (0700); a job directory is shared like any other.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(io(dir))?;
    }
    let tmp = tmp.keep();
    std::fs::rename(&tmp, dir).map_err(|e| {
        let _ = std::fs::remove_dir_all(&tmp);
        Error::File(crate::Error::io(dir, e))
    })
}
