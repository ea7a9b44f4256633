//! `finish`: a translated package back into a target document and the TM.
//!
//! The translated XLIFF may come from dragoman's package (`JOB/NAME.xlf`, edited in any CAT
//! tool that keeps unit ids: Trados, memoQ, Phrase, translate-toolkit...), from the OmegaT
//! project (`JOB/omegat/target/NAME.xlf`), XLIFF 1.2 or 2.x. It is read with the project's one
//! XLIFF reader (`tm::xliff`), so suggestions (`<alt-trans>`, `mtc:match`) are never taken as
//! translations. A unit counts as translated when it has a non-empty target that is not a
//! copy of its source (OmegaT writes the source back into the target of what it did not
//! translate).
//!
//! Checks before anything is written: every unit id must be a segment of the job, with the
//! job's source text, and every segment of the job must be there; otherwise the error names
//! the XLIFF, the line and column of the unit, and what is wrong. Then the target document is
//! rebuilt from the job's copy of the source (`JobFile::rebuild`: same paragraphs, line ends
//! and spacing; an untranslated segment stays in the source language) and written atomically,
//! and the translated units are added to the store with the translator, the date, the
//! document and the neighbouring segments (`x-context-pre`/`-post`), so analysing the same
//! document again gives context matches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::prepare::{Manifest, MANIFEST};
use super::{Error, JobFile};
use crate::segment::Segmenter;
use crate::tm::xliff::{ReadOptions, Reader};
use crate::tm::{Entry, Prop, Unit, Variant};
use crate::Lang;

/// Options of [`finish`].
#[derive(Debug, Clone, Default)]
pub struct FinishOptions {
    /// The translator's name, stored as `creationid` and `x-translator`.
    pub translator: Option<String>,
    /// The date of the stored units, `YYYYMMDDThhmmssZ`.
    pub date: Option<String>,
    /// Where to write the target document (one XLIFF only); default
    /// `JOB/translations/LANG/NAME.txt`.
    pub output: Option<PathBuf>,
}

/// A segment whose translation differs from the pre-translation the package had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changed {
    /// Segment id.
    pub id: String,
    /// What the package had.
    pub prefilled: String,
    /// What came back (empty: removed).
    pub now: String,
}

/// What [`finish`] did with one XLIFF.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileReport {
    /// The job file's name.
    pub name: String,
    /// The XLIFF read.
    pub xliff: PathBuf,
    /// The target document written.
    pub output: PathBuf,
    /// Segments in the job file.
    pub segments: usize,
    /// Segments with a translation.
    pub translated: usize,
    /// Ids of the segments still untranslated.
    pub untranslated: Vec<String>,
    /// Pre-filled translations the translator changed.
    pub changed: Vec<Changed>,
    /// The translated units, ready for the store.
    #[serde(skip)]
    pub units: Vec<Entry>,
}

/// Where the job directory and its manifest are for `path`: a job directory, or an XLIFF in
/// one (`JOB/NAME.xlf`) or below it (`JOB/omegat/target/NAME.xlf`).
///
/// # Errors
/// No `job.json` in the directory or above the file (three levels).
pub fn locate(path: &Path) -> Result<(PathBuf, Manifest), Error> {
    if path.is_dir() {
        return Ok((path.to_path_buf(), Manifest::read(path)?));
    }
    let mut dir = path.parent();
    for _ in 0..4 {
        let Some(d) = dir else { break };
        let d = if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        };
        if d.join(MANIFEST).is_file() {
            return Ok((d.to_path_buf(), Manifest::read(d)?));
        }
        dir = d.parent();
    }
    Err(Error::input(
        path,
        None,
        format!(
            "no {MANIFEST} in its directory or above: give the job directory that `dragoman \
             prepare` wrote, or an XLIFF inside it"
        ),
    ))
}

/// The position of `id="ID"` in `bytes` (for messages about a unit).
fn unit_position(bytes: &[u8], id: &str) -> Option<crate::Position> {
    let mut want = String::from("id=\"");
    crate::tm::xml::escape_attr(&mut want, id);
    want.push('"');
    let at = memchr::memmem::find_iter(bytes, want.as_bytes())
        .find(|&i| i == 0 || bytes[i - 1].is_ascii_whitespace())?;
    Some(crate::Position::from_byte(bytes, at))
}

/// Reads the translated XLIFF `xliff` of `job` and checks it against the job.
///
/// # Errors
/// Malformed XML (with line and column), a language pair other than the job's, unit ids or
/// sources that are not the job's, missing segments.
pub fn read_translations(
    xliff: &Path,
    job: &JobFile,
    manifest: &Manifest,
) -> Result<HashMap<String, String>, Error> {
    let bytes = crate::io::read_input(xliff)?;
    let r = Reader::with_options(
        bytes.as_slice(),
        xliff,
        ReadOptions {
            target_lang: Some(manifest.target_lang.clone()),
            ..Default::default()
        },
    )?;
    let norm = |l: &str| Lang::parse(l).map(|l| l.as_str().to_string()).ok();
    if let Some(src) = r.langs().first() {
        if norm(src) != norm(&manifest.source_lang) {
            return Err(Error::input(
                xliff,
                None,
                format!(
                    "its source language is {src}, the job's is {}: not this job's package",
                    manifest.source_lang
                ),
            ));
        }
    }
    if let Some(tgt) = r.langs().get(1) {
        if norm(tgt) != norm(&manifest.target_lang) {
            return Err(Error::input(
                xliff,
                None,
                format!(
                    "its target language is {tgt}, the job's is {}: not this job's package",
                    manifest.target_lang
                ),
            ));
        }
    }
    let source: HashMap<&str, &str> = job
        .segments()
        .map(|s| (s.id.as_str(), s.text.as_str()))
        .collect();
    let mut out = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for u in r {
        let u = u?;
        let Some(id) = u.id.clone() else {
            return Err(Error::input(
                xliff,
                None,
                "a unit without an id: finish matches units to the job by id",
            ));
        };
        let at = || unit_position(&bytes, &id);
        let Some(want) = source.get(id.as_str()) else {
            return Err(Error::input(
                xliff,
                at(),
                format!(
                    "unit {id:?} is not a segment of the job's {}: the ids do not match the job \
                     (another job's file, or units renamed)",
                    job.name
                ),
            ));
        };
        let have = u.text(&manifest.source_lang).unwrap_or("");
        if have.trim() != want.trim() {
            return Err(Error::input(
                xliff,
                at(),
                format!(
                    "unit {id:?}: its source is not the job's segment (the package was edited \
                     or belongs to another version of {})",
                    job.name
                ),
            ));
        }
        if !seen.insert(id.clone()) {
            return Err(Error::input(
                xliff,
                at(),
                format!("unit {id:?} appears twice"),
            ));
        }
        if let Some(t) = u.text(&manifest.target_lang) {
            let t = t.trim();
            if !t.is_empty() && t != have.trim() {
                out.insert(id, t.to_string());
            }
        }
    }
    let missing: Vec<&str> = job
        .segments()
        .map(|s| s.id.as_str())
        .filter(|id| !seen.contains(*id))
        .collect();
    if let Some(first) = missing.first() {
        return Err(Error::input(
            xliff,
            None,
            format!(
                "{} segment(s) of the job missing from it (first: {first}): the ids do not \
                 match the job",
                missing.len()
            ),
        ));
    }
    Ok(out)
}

/// The translated units of `job` for the store: source and translation, the document name,
/// the neighbouring source segments, translator and date.
pub fn units_for_store(
    job: &JobFile,
    manifest: &Manifest,
    translations: &HashMap<String, String>,
    opts: &FinishOptions,
) -> Vec<Entry> {
    let segs: Vec<_> = job.segments().collect();
    let mut out = Vec::new();
    for (k, s) in segs.iter().enumerate() {
        let Some(t) = translations.get(&s.id) else {
            continue;
        };
        let mut props = vec![
            Prop::new("x-document", &job.name),
            Prop::new(
                "x-context-pre",
                if k > 0 { segs[k - 1].text.as_str() } else { "" },
            ),
            Prop::new(
                "x-context-post",
                segs.get(k + 1).map_or("", |n| n.text.as_str()),
            ),
        ];
        if let Some(who) = &opts.translator {
            props.push(Prop::new("x-translator", who));
        }
        let mut attrs = Vec::new();
        if let Some(who) = &opts.translator {
            attrs.push(("creationid".to_string(), who.clone()));
        }
        out.push(Entry::from(Unit {
            id: Some(format!("{}:{}", job.name, s.id)),
            created: opts.date.clone(),
            props,
            notes: Vec::new(),
            variants: vec![
                Variant::new(&manifest.source_lang, s.text.trim()),
                Variant::new(&manifest.target_lang, t.as_str()),
            ],
            attrs,
        }));
    }
    out
}

/// A finished job, read and checked, not written yet.
#[derive(Debug)]
pub struct Finished {
    /// The job directory.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// One report per XLIFF read (with the units for the store).
    pub reports: Vec<FileReport>,
    /// The target documents: path and text.
    docs: Vec<(PathBuf, String)>,
}

impl Finished {
    /// Writes every target document, atomically (`translations/LANG/` is created when the
    /// default place is used).
    ///
    /// # Errors
    /// I/O errors, naming the file.
    pub fn write_documents(&self, opts: &FinishOptions) -> Result<(), Error> {
        for (output, text) in &self.docs {
            if let Some(d) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
                if opts.output.is_none() {
                    std::fs::create_dir_all(d).map_err(|e| crate::Error::io(d, e))?;
                }
            }
            crate::io::write_output(output, |w| {
                w.write_all(text.as_bytes())
                    .map_err(|e| crate::Error::io(output, e))
            })?;
        }
        Ok(())
    }

    /// Every translated unit, for the store.
    pub fn units(&self) -> Vec<Entry> {
        self.reports.iter().flat_map(|r| r.units.clone()).collect()
    }
}

/// Reads and checks the translated XLIFF(s) at `path`: a job directory (every package XLIFF
/// of the manifest) or one XLIFF in or below it. Nothing is written: see
/// [`Finished::write_documents`], and [`Finished::units`] for the store.
///
/// # Errors
/// See [`locate`] and [`read_translations`]; an XLIFF that names no file of the job; `-o`
/// with several files.
pub fn finish(path: &Path, opts: &FinishOptions) -> Result<Finished, Error> {
    let (dir, manifest) = locate(path)?;
    let lang = Lang::parse(&manifest.source_lang)?;
    let segmenter = match &manifest.srx {
        Some(srx) => Segmenter::from_srx_path(&dir.join(srx), &lang).map_err(crate::Error::from)?,
        None => Segmenter::for_lang(&lang),
    };
    let targets: Vec<(usize, PathBuf)> = if path.is_dir() {
        manifest
            .files
            .iter()
            .enumerate()
            .map(|(k, f)| (k, dir.join(&f.xliff)))
            .collect()
    } else {
        let stem = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let k = manifest
            .files
            .iter()
            .position(|f| f.xliff == stem)
            .or((manifest.files.len() == 1).then_some(0))
            .ok_or_else(|| {
                Error::input(
                    path,
                    None,
                    format!(
                        "no file of the job is called {stem:?} (the job has {})",
                        manifest
                            .files
                            .iter()
                            .map(|f| f.xliff.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        vec![(k, path.to_path_buf())]
    };
    if opts.output.is_some() && targets.len() > 1 {
        return Err(Error::input(
            path,
            None,
            "-o names one output, and the job has several files: leave it out to write \
             translations/LANG/NAME.txt",
        ));
    }
    let mut reports = Vec::new();
    let mut docs = Vec::new();
    for (k, xliff) in targets {
        let mf = &manifest.files[k];
        let job = super::load_file(&dir.join(&mf.source), &lang, &segmenter)?;
        let tr = read_translations(&xliff, &job, &manifest)?;
        let changed = mf
            .prefilled
            .iter()
            .filter(|(id, pre)| tr.get(*id).map(String::as_str) != Some(pre.trim()))
            .map(|(id, pre)| Changed {
                id: id.clone(),
                prefilled: pre.clone(),
                now: tr.get(id).cloned().unwrap_or_default(),
            })
            .collect();
        let output = opts.output.clone().unwrap_or_else(|| {
            dir.join("translations")
                .join(&manifest.target_lang)
                .join(&job.name)
        });
        docs.push((output.clone(), job.rebuild(|s| tr.get(&s.id).cloned())));
        reports.push(FileReport {
            name: job.name.clone(),
            xliff,
            output,
            segments: job.segment_count(),
            translated: tr.len(),
            untranslated: job
                .segments()
                .filter(|s| !tr.contains_key(&s.id))
                .map(|s| s.id.clone())
                .collect(),
            changed,
            units: units_for_store(&job, &manifest, &tr, opts),
        });
    }
    Ok(Finished {
        dir,
        manifest,
        reports,
        docs,
    })
}

/// A [`crate::tm::ReadUnits`] over units in memory: what the store imports from `finish`.
pub struct EntryReader {
    entries: std::vec::IntoIter<Entry>,
    langs: Vec<String>,
}

impl EntryReader {
    /// Reads `entries`, whose languages are `langs` (source first).
    pub fn new(entries: Vec<Entry>, langs: Vec<String>) -> EntryReader {
        EntryReader {
            entries: entries.into_iter(),
            langs,
        }
    }
}

impl crate::tm::ReadUnits for EntryReader {
    fn read_unit(&mut self) -> Result<Option<Unit>, crate::tm::Error> {
        Ok(self.entries.next().map(|e| e.unit))
    }
    fn read_entry(&mut self) -> Result<Option<Entry>, crate::tm::Error> {
        Ok(self.entries.next())
    }
    fn langs(&self) -> Vec<String> {
        self.langs.clone()
    }
}
