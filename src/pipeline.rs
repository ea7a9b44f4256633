//! The build job: a project directory in, translation memories out.
//!
//! This is the only module that knows every stage. A project is laid out as
//!
//! ```text
//! dragoman.toml                optional: source language, creation date, review threshold
//! source/NAME.txt              the source documents, one paragraph a line
//! translations/LANG/NAME.txt   their translations, same file name, LANG a BCP 47 tag
//! corrections/NAME.SRC-TGT.tsv optional: links a person fixed (the `align` TSV format)
//! tmx/                         output: NAME.SRC-TGT.tmx and .csv per pair, NAME.tmx for all
//! ```
//!
//! Each document is segmented once per language, aligned with its source, turned into
//! [`Unit`]s and written atomically. Output is reproducible: the same inputs give byte-identical
//! files, dated from `SOURCE_DATE_EPOCH`, the project file, or (only when neither is set) now.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use crate::align::format_ids;
use crate::align::{self, Aligner, Link, Params, Sentence};
use crate::doc::Document;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::segment::Segmenter;
use crate::tm::{self, Prop, Unit, Variant};

/// The optional project file, `dragoman.toml`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// Language of `source/` (default `ar`).
    pub source_lang: Option<String>,
    /// Creation date written into TMX files, `YYYYMMDDThhmmssZ` (overridden by
    /// `SOURCE_DATE_EPOCH`).
    pub creation_date: Option<String>,
    /// Links scoring below this are listed for review (default: the aligner's threshold).
    pub review_threshold: Option<f64>,
    /// `[analysis]`: bands and weighting grid of `dragoman analyze`.
    pub analysis: Option<crate::job::AnalysisConfig>,
}

/// Knobs of a build, usually from the CLI; `None` means "from the project file or default".
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides the project's source language.
    pub source_lang: Option<Lang>,
    /// Overrides the creation date (`YYYYMMDDThhmmssZ`).
    pub creation_date: Option<String>,
    /// Overrides the review threshold.
    pub review_threshold: Option<f64>,
    /// Also write an HTML alignment report per pair into this directory.
    pub report_dir: Option<PathBuf>,
    /// Write CSV formula-like cells raw instead of neutralised.
    pub raw_formulas: bool,
    /// A bilingual dictionary (hunalign's format) for the aligner, every pair.
    pub dictionary: Option<PathBuf>,
    /// Translation memories whose units teach the aligner a lexicon (see
    /// [`align::lexicon::from_tm`]), per language pair: a TM is used for the pairs it has
    /// units of, and one with no unit of any pair of the project is an error.
    pub tm: Vec<crate::job::TmSpec>,
}

/// A source document and its translations, as found on disk.
#[derive(Debug, Clone)]
pub struct DocumentSet {
    /// File name shared by the source and its translations, e.g. `article.txt`.
    pub name: String,
    /// `source/NAME`.
    pub source: PathBuf,
    /// `(language, translations/LANG/NAME)`, sorted by language.
    pub translations: Vec<(Lang, PathBuf)>,
}

/// What happened to one language pair of one document.
#[derive(Debug, Clone)]
pub struct PairReport {
    /// Document file name.
    pub name: String,
    /// Target language.
    pub tgt_lang: Lang,
    /// Number of source segments.
    pub src_segments: usize,
    /// Number of target segments.
    pub tgt_segments: usize,
    /// Link counts by `(source count, target count)`.
    pub kinds: BTreeMap<(usize, usize), usize>,
    /// Links that came from the corrections file.
    pub corrected: usize,
    /// Links below the review threshold.
    pub review: Vec<Review>,
    /// Translation units written.
    pub units: usize,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

/// A link that a person should check.
#[derive(Debug, Clone)]
pub struct Review {
    /// Source segment ids.
    pub src: Range<usize>,
    /// Target segment ids.
    pub tgt: Range<usize>,
    /// The aligner's confidence.
    pub score: f64,
    /// Source text (segments joined with a space).
    pub src_text: String,
    /// Target text.
    pub tgt_text: String,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Source language.
    pub src_lang: Lang,
    /// Review threshold used.
    pub threshold: f64,
    /// One entry per document and target language.
    pub pairs: Vec<PairReport>,
    /// Multilingual TMX files written, with their unit counts.
    pub multilingual: Vec<(PathBuf, usize)>,
    /// Source documents that have no translation (nothing was written for them).
    pub untranslated: Vec<String>,
    /// TMX and CSV files in `tmx/` that this build did not write (left from documents or
    /// languages that are gone): listed, never deleted.
    pub stale: Vec<PathBuf>,
    /// Files in `corrections/` that match no document and language pair (a typo?).
    pub unused_corrections: Vec<PathBuf>,
}

/// A segmented document: its text and sentence ranges with paragraph ids.
#[derive(Debug, Clone)]
pub struct Segmented {
    /// The document.
    pub doc: Document,
    /// `(byte span, paragraph)` per segment.
    pub segments: Vec<(Range<usize>, usize)>,
}

impl Segmented {
    /// Reads and segments `path` with the built-in rules of `lang`.
    ///
    /// # Errors
    /// I/O and UTF-8 errors naming the file.
    pub fn from_path(path: &Path, lang: &Lang) -> Result<Self> {
        let doc = Document::from_path(path, false)?;
        Ok(Segmented::new(doc, &Segmenter::for_lang(lang)))
    }

    /// Segments a running-text document.
    pub fn new(doc: Document, segmenter: &Segmenter) -> Self {
        let segments = segmenter
            .segment(&doc)
            .into_iter()
            .map(|s| (s.span, s.para))
            .collect();
        Segmented { doc, segments }
    }

    /// A presegmented document: each line is a segment.
    pub fn presegmented(doc: Document) -> Self {
        let segments = doc
            .lines
            .iter()
            .cloned()
            .zip(doc.line_para.iter().copied())
            .collect();
        Segmented { doc, segments }
    }

    /// The text of segment `i`.
    pub fn text(&self, i: usize) -> &str {
        &self.doc.text[self.segments[i].0.clone()]
    }

    /// The segments as the aligner sees them.
    pub fn sentences(&self) -> Vec<Sentence<'_>> {
        self.segments
            .iter()
            .map(|(r, p)| Sentence {
                text: &self.doc.text[r.clone()],
                para: *p,
            })
            .collect()
    }

    /// Texts of a range of segments joined with a space, as one TM segment.
    pub fn join(&self, r: &Range<usize>) -> String {
        r.clone()
            .map(|i| self.text(i))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Checks that a document is written in the script its language uses, so that swapped files or
/// a wrong `--target-lang` are caught before they become a TM of nonsense.
///
/// Only languages whose script is known here are checked (Arabic-script and Latin-script
/// languages); short texts (under 20 letters) pass.
///
/// # Errors
/// [`Error::Input`] naming the file and the first paragraph in the wrong script.
pub fn check_language(doc: &Document, lang: &Lang) -> Result<()> {
    let arabic_script = matches!(
        lang.primary(),
        "ar" | "fa" | "ur" | "ps" | "ckb" | "sd" | "ug"
    );
    let latin_script = matches!(
        lang.primary(),
        "en" | "fr"
            | "de"
            | "es"
            | "it"
            | "pt"
            | "nl"
            | "tr"
            | "id"
            | "ms"
            | "pl"
            | "ro"
            | "sv"
            | "da"
            | "no"
            | "nb"
            | "fi"
            | "cs"
            | "hu"
            | "az"
            | "sq"
            | "hr"
            | "sl"
            | "sk"
            | "vi"
    );
    if !arabic_script && !latin_script {
        return Ok(());
    }
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in doc.text.chars().filter(|c| c.is_alphabetic()) {
        match c as u32 {
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => arabic += 1,
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => latin += 1,
            _ => {}
        }
    }
    let (expected, other, script) = if arabic_script {
        (arabic, latin, "Arabic")
    } else {
        (latin, arabic, "Latin")
    };
    if expected + other < 20 || expected >= other {
        return Ok(());
    }
    let line = doc
        .lines
        .first()
        .map(|r| crate::Position::from_byte(doc.text.as_bytes(), r.start));
    Err(Error::input(
        &doc.path,
        line,
        format!(
            "this does not look like {lang}: {lang} is written in {script} script, but most \
             letters here are not (wrong language given, or files swapped?)"
        ),
    ))
}

/// Reads `dragoman.toml` if present.
///
/// # Errors
/// Syntax errors with the file's position.
pub fn read_project_file(root: &Path) -> Result<ProjectFile> {
    let path = root.join("dragoman.toml");
    if !path.exists() {
        return Ok(ProjectFile::default());
    }
    let bytes = crate::io::read_input(&path)?;
    let text = crate::doc::decode_utf8(bytes, &path)?;
    toml::from_str(&text).map_err(|e| {
        let pos = e
            .span()
            .map(|s| crate::Position::from_byte(text.as_bytes(), s.start));
        Error::input(&path, pos, e.message().to_string())
    })
}

/// Finds the documents of a project: every `source/*.txt` and its translations.
///
/// # Errors
/// A missing `source/`, a translation directory that is not a language tag, or a translation
/// with no source of the same name (so that a typo never silently drops a translation).
pub fn discover(root: &Path) -> Result<Vec<DocumentSet>> {
    let source_dir = root.join("source");
    if !source_dir.is_dir() {
        return Err(Error::Project(format!(
            "{}: no source/ directory (a project holds source/NAME.txt and translations/LANG/NAME.txt)",
            root.display()
        )));
    }
    let mut sets: BTreeMap<String, DocumentSet> = BTreeMap::new();
    for path in text_files(&source_dir)? {
        let name = file_name(&path);
        sets.insert(
            name.clone(),
            DocumentSet {
                name,
                source: path,
                translations: Vec::new(),
            },
        );
    }
    let tdir = root.join("translations");
    if tdir.is_dir() {
        let mut langs = Vec::new();
        for entry in fs::read_dir(&tdir).map_err(|e| Error::io(&tdir, e))? {
            let entry = entry.map_err(|e| Error::io(&tdir, e))?;
            if entry.path().is_dir() {
                langs.push(entry.path());
            }
        }
        langs.sort();
        for dir in langs {
            let tag = file_name(&dir);
            let lang = Lang::parse(&tag).map_err(|e| {
                Error::Project(format!(
                    "{}: directory name is not a language: {e}",
                    dir.display()
                ))
            })?;
            for path in text_files(&dir)? {
                let name = file_name(&path);
                match sets.get_mut(&name) {
                    Some(set) => set.translations.push((lang.clone(), path)),
                    None => {
                        return Err(Error::Project(format!(
                            "{}: no matching source/{name} (translations must have the source's file name)",
                            path.display()
                        )))
                    }
                }
            }
        }
    }
    Ok(sets.into_values().collect())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn text_files(dir: &Path) -> Result<Vec<PathBuf>> {
    files_with_ext(dir, &["txt"])
}

/// The TMX date for this build: `SOURCE_DATE_EPOCH`, else the option, else the project file,
/// else the current time (the only non-reproducible case, so projects should set one).
///
/// # Errors
/// A `SOURCE_DATE_EPOCH` or date that is not valid.
pub fn creation_date(opt: Option<&str>, project: Option<&str>) -> Result<String> {
    // Empty means unset, as in the reproducible-builds specification's reference tools.
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        let secs: i64 = epoch
            .trim()
            .parse()
            .ok()
            .filter(|s| *s >= 0)
            .ok_or_else(|| {
                Error::Project(format!(
                    "SOURCE_DATE_EPOCH={} is not a non-negative number of seconds",
                    crate::error::quoted(&epoch)
                ))
            })?;
        return format_epoch(secs);
    }
    if let Some(d) = opt.or(project) {
        return check_tmx_date(d);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    format_epoch(now)
}

/// Formats seconds since the epoch as a TMX date, `YYYYMMDDThhmmssZ` (UTC).
///
/// # Errors
/// A value out of the representable range.
pub fn format_epoch(secs: i64) -> Result<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|e| Error::Project(format!("date {secs}: {e}")))?;
    let f = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    t.format(&f)
        .map_err(|e| Error::Project(format!("date {secs}: {e}")))
}

fn check_tmx_date(d: &str) -> Result<String> {
    let f = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    match time::PrimitiveDateTime::parse(d, &f) {
        Ok(_) => Ok(d.to_string()),
        Err(e) => Err(Error::Project(format!(
            "creation date {} is not a TMX date (YYYYMMDDThhmmssZ, UTC): {e}",
            crate::error::quoted(d)
        ))),
    }
}

/// Runs the whole job on a project directory.
///
/// # Errors
/// Any input error, named by file; outputs written before the error stay complete (each file is
/// written atomically).
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport> {
    if !root.is_dir() {
        return Err(Error::Project(format!(
            "{}: project directory not found",
            root.display()
        )));
    }
    let project = read_project_file(root)?;
    let src_lang = match (&opts.source_lang, &project.source_lang) {
        (Some(l), _) => l.clone(),
        (None, Some(s)) => Lang::parse(s)?,
        (None, None) => Lang::parse("ar")?,
    };
    let threshold = opts
        .review_threshold
        .or(project.review_threshold)
        .unwrap_or(align::REVIEW_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(Error::Project(format!(
            "review threshold {threshold} is outside [0, 1] (scores are in [0, 1])"
        )));
    }
    let date = creation_date(
        opts.creation_date.as_deref(),
        project.creation_date.as_deref(),
    )?;
    let sets = discover(root)?;

    // Phase 1: read, segment and align everything, so that bad input stops the build before
    // any output is touched.
    let corrections_dir = root.join("corrections");
    let dictionary = match &opts.dictionary {
        Some(p) => Some(align::Dictionary::from_path(p)?),
        None => None,
    };
    // One aligner per target language, made when the language is first met (the TMs are
    // read for it then); which TMs had units of some pair.
    let mut aligners: BTreeMap<Lang, Aligner> = BTreeMap::new();
    let mut tm_used = vec![false; opts.tm.len()];
    let mut tm_langs: Vec<Vec<String>> = vec![Vec::new(); opts.tm.len()];
    let mut used_corrections = Vec::new();
    let mut docs = Vec::new();
    let mut untranslated = Vec::new();
    for set in &sets {
        if set.translations.is_empty() {
            untranslated.push(set.name.clone());
            continue;
        }
        let source = Segmented::from_path(&set.source, &src_lang)?;
        check_language(&source.doc, &src_lang)?;
        let stem = set.name.trim_end_matches(".txt").to_string();
        let mut pairs = Vec::new();
        for (lang, path) in &set.translations {
            if lang == &src_lang {
                return Err(Error::Project(format!(
                    "{}: translation language {lang} is the source language",
                    path.display()
                )));
            }
            let target = Segmented::from_path(path, lang)?;
            check_language(&target.doc, lang)?;
            if target.segments.is_empty() != source.segments.is_empty() {
                return Err(Error::Project(format!(
                    "{}: {} text while {} has {} segments (an unsaved or truncated file?)",
                    path.display(),
                    if target.segments.is_empty() {
                        "no"
                    } else {
                        "has"
                    },
                    set.source.display(),
                    source.segments.len()
                )));
            }
            let corrections = corrections_dir.join(format!("{stem}.{src_lang}-{lang}.tsv"));
            let corrections = corrections.exists().then_some(corrections);
            used_corrections.extend(corrections.clone());
            if !aligners.contains_key(lang) {
                let mut units = Vec::new();
                for (k, spec) in opts.tm.iter().enumerate() {
                    match crate::job::tm::read_pairs_or_langs(
                        spec,
                        src_lang.as_str(),
                        lang.as_str(),
                    )
                    .map_err(job_error)?
                    {
                        Ok(mut p) => {
                            tm_used[k] = true;
                            units.append(&mut p);
                        }
                        Err(langs) => tm_langs[k] = langs,
                    }
                }
                let lexicon = align::lexicon::learn(
                    units.iter().map(|(s, t)| (s.as_str(), t.as_str())),
                    &align::lexicon::LexiconParams::for_tm(),
                );
                let params = aligner_params(&src_lang, lang, dictionary.as_ref(), &lexicon);
                aligners.insert(lang.clone(), Aligner::new(params));
            }
            let links = align_pair(&aligners[lang], &source, &target, corrections.as_deref())?;
            pairs.push((lang.clone(), target, links.0, links.1));
        }
        docs.push((set, stem, source, pairs));
    }
    if let Some(k) = tm_used.iter().position(|u| !u) {
        if !aligners.is_empty() {
            let tgts: Vec<&str> = aligners.keys().map(Lang::as_str).collect();
            return Err(Error::input(
                &opts.tm[k].location,
                None,
                format!(
                    "no unit has both {src_lang} and {} (languages of the TM: {})",
                    tgts.join(" or "),
                    if tm_langs[k].is_empty() {
                        "none".to_string()
                    } else {
                        tm_langs[k].join(", ")
                    }
                ),
            ));
        }
    }

    // Phase 2: write.
    let out_dir = root.join("tmx");
    create_dir(&out_dir)?;
    if let Some(dir) = &opts.report_dir {
        create_dir(dir)?;
    }
    let mut report = BuildReport {
        src_lang: src_lang.clone(),
        threshold,
        pairs: Vec::new(),
        multilingual: Vec::new(),
        untranslated,
        stale: Vec::new(),
        unused_corrections: Vec::new(),
    };
    let mut written = Vec::new();
    for (set, stem, source, pairs) in &docs {
        for (lang, target, links, corrected) in pairs {
            let pair = AlignedPair {
                doc_name: &set.name,
                src_lang: &src_lang,
                tgt_lang: lang,
                source,
                target,
                links,
            };
            let mut summary = write_pair(&pair, &out_dir, &date, threshold, opts)?;
            summary.corrected = *corrected;
            if let Some(dir) = &opts.report_dir {
                let path = dir.join(format!("{stem}.{src_lang}-{lang}.html"));
                pair.write_report(&path, &set.name, threshold)?;
                summary.outputs.push(path);
            }
            written.extend(summary.outputs.iter().cloned());
            report.pairs.push(summary);
        }
        if pairs.len() > 1 {
            let path = out_dir.join(format!("{stem}.tmx"));
            let aligned: Vec<(&Lang, &Segmented, &[Link])> = pairs
                .iter()
                .map(|(l, t, links, _)| (l, t, links.as_slice()))
                .collect();
            let units = multilingual_units(&set.name, &src_lang, source, &aligned, &date);
            write_tmx(&path, &src_lang, &date, &units)?;
            written.push(path.clone());
            report.multilingual.push((path, units.len()));
        }
    }
    report.stale = files_with_ext(&out_dir, &["tmx", "csv"])?
        .into_iter()
        .filter(|p| !written.contains(p))
        .collect();
    if corrections_dir.is_dir() {
        report.unused_corrections = files_with_ext(&corrections_dir, &["tsv"])?
            .into_iter()
            .filter(|p| !used_corrections.contains(p))
            .collect();
    }
    Ok(report)
}

/// The aligner's parameters for `src` -> `tgt`, as `align` and `build` use them: the user's
/// dictionary with a `lexicon` learned from a TM added (entries of
/// [`align::lexicon::from_tm`]), the dictionary weight for a TM lexicon when there is one
/// ([`align::TM_DICT_WEIGHT`]).
pub fn aligner_params(
    src: &Lang,
    tgt: &Lang,
    dictionary: Option<&align::Dictionary>,
    lexicon: &[(String, String)],
) -> Params {
    let mut weights = align::Weights::default();
    let dictionary = match (dictionary, lexicon.is_empty()) {
        (d, true) => d.cloned(),
        (d, false) => {
            weights.dict = align::TM_DICT_WEIGHT;
            Some(d.cloned().unwrap_or_default().with_entries(lexicon))
        }
    };
    Params {
        src_lang: Some(src.clone()),
        tgt_lang: Some(tgt.clone()),
        dictionary,
        weights,
        ..Params::default()
    }
}

/// A job-module error (a TM that cannot be read) as a crate error.
pub(crate) fn job_error(e: crate::job::Error) -> Error {
    match e {
        crate::job::Error::File(e) => e,
        crate::job::Error::Tm(e) => Error::Tm(e),
        e => Error::Project(e.to_string()),
    }
}

/// Aligns two segmented documents, keeping the links of a corrections file (the `align` TSV,
/// edited) when one is given; returns the links and how many were fixed by hand.
///
/// # Errors
/// An unreadable or invalid corrections file, or fixed links that cannot be kept (out of
/// order, overlapping, beyond the documents): the message names the file and the line.
pub fn align_pair(
    aligner: &Aligner,
    source: &Segmented,
    target: &Segmented,
    corrections: Option<&Path>,
) -> Result<(Vec<Link>, usize)> {
    let Some(path) = corrections else {
        return Ok((aligner.align(&source.sentences(), &target.sentences()), 0));
    };
    let text = crate::doc::decode_utf8(crate::io::read_input(path)?, path)?;
    let fixed = align::parse_links(&text, path)?;
    let links = aligner
        .align_fixed(&source.sentences(), &target.sentences(), &fixed)
        .map_err(|e| {
            let line = match &e {
                align::Error::Fixed { index, .. } => link_line(&text, *index),
                _ => None,
            };
            Error::input(path, line, e.to_string())
        })?;
    Ok((links, fixed.len()))
}

/// Position of the `index`-th link in a links file (comments and blank lines skipped).
fn link_line(text: &str, index: usize) -> Option<crate::Position> {
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            if seen == index {
                return Some(crate::Position::from_byte(text.as_bytes(), offset));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

fn create_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Project(format!(
            "{}: exists and is not a directory",
            dir.display()
        )));
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

fn files_with_ext(dir: &Path, exts: &[&str]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_file()
            && path
                .extension()
                .is_some_and(|e| exts.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// One aligned language pair of a document: what its outputs are made from.
#[derive(Debug, Clone, Copy)]
pub struct AlignedPair<'a> {
    /// Document file name (`x-document` prop, unit ids).
    pub doc_name: &'a str,
    /// Source language.
    pub src_lang: &'a Lang,
    /// Target language.
    pub tgt_lang: &'a Lang,
    /// Segmented source.
    pub source: &'a Segmented,
    /// Segmented target.
    pub target: &'a Segmented,
    /// The links between them.
    pub links: &'a [Link],
}

impl AlignedPair<'_> {
    /// Translation units, one per link that has both sides; an n-m link's segments are joined
    /// with a space.
    pub fn units(&self, date: &str) -> Vec<Unit> {
        let stem = self.doc_name.trim_end_matches(".txt");
        self.links
            .iter()
            .filter(|l| !l.src.is_empty() && !l.tgt.is_empty())
            .map(|l| Unit {
                id: Some(format!("{stem}:{}", format_ids(&l.src))),
                created: Some(date.to_string()),
                props: vec![
                    prop("x-document", self.doc_name),
                    prop("x-link", &format!("{}-{}", l.src.len(), l.tgt.len())),
                    prop("x-score", &format!("{:.3}", l.score)),
                ],
                notes: Vec::new(),
                variants: vec![
                    variant(self.src_lang, self.source.join(&l.src)),
                    variant(self.tgt_lang, self.target.join(&l.tgt)),
                ],
                attrs: Vec::new(),
            })
            .collect()
    }

    /// Links scoring below `threshold`, with their texts.
    pub fn review(&self, threshold: f64) -> Vec<Review> {
        self.links
            .iter()
            .filter(|l| l.score < threshold)
            .map(|l| Review {
                src: l.src.clone(),
                tgt: l.tgt.clone(),
                score: l.score,
                src_text: self.source.join(&l.src),
                tgt_text: self.target.join(&l.tgt),
            })
            .collect()
    }

    /// Writes the HTML review page, atomically.
    ///
    /// # Errors
    /// I/O errors naming the file.
    pub fn write_report(&self, path: &Path, title: &str, threshold: f64) -> Result<()> {
        let opts = align::report::ReportOptions {
            title: title.to_string(),
            src_lang: self.src_lang.clone(),
            tgt_lang: self.tgt_lang.clone(),
            threshold,
        };
        let (s, t) = (self.source.sentences(), self.target.sentences());
        crate::io::write_output(path, |w| {
            align::report::write_html(w, &opts, &s, &t, self.links).map_err(|e| Error::io(path, e))
        })
    }
}

/// Units holding the source and every target language, one per group of source segments that
/// all languages align as a whole (the coarsest common grouping of the pairs' links). Groups
/// where some language has no text are left out: CAT tools drop incomplete units anyway.
pub fn multilingual_units(
    doc_name: &str,
    src_lang: &Lang,
    source: &Segmented,
    aligned: &[(&Lang, &Segmented, &[Link])],
    date: &str,
) -> Vec<Unit> {
    let n = source.segments.len();
    // cut[i]: true when every language has a link boundary before source segment i.
    let mut cut = vec![true; n + 1];
    for &(_, _, links) in aligned {
        let mut starts = vec![false; n + 1];
        starts[n] = true;
        for l in links {
            if !l.src.is_empty() {
                starts[l.src.start] = true;
            }
        }
        for i in 0..=n {
            cut[i] &= starts[i];
        }
    }
    let stem = doc_name.trim_end_matches(".txt");
    let mut units = Vec::new();
    let mut start = 0;
    for (end, _) in cut.iter().enumerate().skip(1).filter(|(_, &c)| c) {
        let group = start..end;
        start = end;
        let mut variants = vec![variant(src_lang, source.join(&group))];
        let mut scores = Vec::new();
        for (lang, target, links) in aligned {
            let mut tgt: Option<Range<usize>> = None;
            for l in links.iter().filter(|l| {
                !l.src.is_empty() && l.src.start >= group.start && l.src.end <= group.end
            }) {
                if !l.tgt.is_empty() {
                    tgt = Some(match tgt {
                        None => l.tgt.clone(),
                        Some(t) => t.start..l.tgt.end,
                    });
                }
                scores.push(l.score);
            }
            match tgt {
                Some(t) => variants.push(variant(lang, target.join(&t))),
                None => break,
            }
        }
        if variants.len() != aligned.len() + 1 {
            continue;
        }
        let min = scores.iter().copied().fold(1.0f64, f64::min);
        units.push(Unit {
            id: Some(format!("{stem}:{}", format_ids(&group))),
            created: Some(date.to_string()),
            props: vec![
                prop("x-document", doc_name),
                prop("x-score", &format!("{min:.3}")),
            ],
            notes: Vec::new(),
            variants,
            attrs: Vec::new(),
        });
    }
    units
}

fn prop(kind: &str, value: &str) -> Prop {
    Prop::new(kind, value)
}

fn variant(lang: &Lang, text: String) -> Variant {
    Variant {
        lang: lang.to_string(),
        text,
    }
}

/// Writes `tmx/STEM.SRC-TGT.tmx` and `.csv` for one pair and sums it up.
fn write_pair(
    pair: &AlignedPair,
    out_dir: &Path,
    date: &str,
    threshold: f64,
    opts: &BuildOptions,
) -> Result<PairReport> {
    let (src_lang, tgt_lang) = (pair.src_lang, pair.tgt_lang);
    let stem = pair.doc_name.trim_end_matches(".txt");
    let units = pair.units(date);
    let tmx = out_dir.join(format!("{stem}.{src_lang}-{tgt_lang}.tmx"));
    let csv = out_dir.join(format!("{stem}.{src_lang}-{tgt_lang}.csv"));
    write_tmx(&tmx, src_lang, date, &units)?;
    let langs = [src_lang.to_string(), tgt_lang.to_string()];
    let csv_opts = tm::csv::Options {
        raw_formulas: opts.raw_formulas,
        ..Default::default()
    };
    crate::io::write_output(&csv, |w| {
        let mut wr = tm::csv::Writer::new(w, &langs, csv_opts)?;
        for u in &units {
            wr.write_unit(u)?;
        }
        wr.finish()?;
        Ok(())
    })?;
    let mut kinds = BTreeMap::new();
    for l in pair.links {
        *kinds.entry(l.kind()).or_insert(0) += 1;
    }
    Ok(PairReport {
        name: pair.doc_name.to_string(),
        tgt_lang: tgt_lang.clone(),
        src_segments: pair.source.segments.len(),
        tgt_segments: pair.target.segments.len(),
        kinds,
        corrected: 0,
        review: pair.review(threshold),
        units: units.len(),
        outputs: vec![tmx, csv],
    })
}

/// Writes units as a TMX 1.4b file, atomically.
///
/// # Errors
/// I/O errors naming the file.
pub fn write_tmx(path: &Path, src_lang: &Lang, date: &str, units: &[Unit]) -> Result<()> {
    let mut header = tm::tmx::Header::new(src_lang.as_str());
    header.creation_date = Some(date.to_string());
    crate::io::write_output(path, |w| {
        let mut wr = tm::tmx::Writer::new(w, &header)?;
        for u in units {
            wr.write_unit(u)?;
        }
        wr.finish()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formats_as_tmx_date() {
        assert_eq!(format_epoch(0).unwrap(), "19700101T000000Z");
        assert_eq!(format_epoch(1_637_107_200).unwrap(), "20211117T000000Z");
    }

    #[test]
    fn tmx_dates_are_checked() {
        assert!(check_tmx_date("20211117T000000Z").is_ok());
        for bad in [
            "2021-11-17",
            "20211117T000000",
            "2021111xT000000Z",
            "20241301T000000Z",
            "20240231T120000Z",
            "20240101T256199Z",
            "99999999T999999Z",
        ] {
            assert!(check_tmx_date(bad).is_err(), "{bad}");
        }
    }

    fn seg(text: &str) -> Segmented {
        let doc = Document::from_bytes(text.replace(' ', "\n").into(), "x", true).unwrap();
        Segmented::presegmented(doc)
    }

    fn link(s: Range<usize>, t: Range<usize>) -> Link {
        Link {
            src: s,
            tgt: t,
            score: 0.9,
        }
    }

    #[test]
    fn multilingual_groups_are_the_common_refinement() {
        let ar = seg("a0 a1 a2 a3");
        let en = seg("e0 e1 e2");
        let fr = seg("f0 f1 f2 f3");
        let en_links = [link(0..1, 0..1), link(1..3, 1..2), link(3..4, 2..3)];
        let fr_links = [
            link(0..1, 0..1),
            link(1..2, 1..2),
            link(2..3, 2..3),
            link(3..4, 3..3),
            link(4..4, 3..4),
        ];
        let l = |s| Lang::parse(s).unwrap();
        let units = multilingual_units(
            "d.txt",
            &l("ar"),
            &ar,
            &[
                (&l("en"), &en, &en_links[..]),
                (&l("fr"), &fr, &fr_links[..]),
            ],
            "19700101T000000Z",
        );
        let texts: Vec<Vec<&str>> = units
            .iter()
            .map(|u| u.variants.iter().map(|v| v.text.as_str()).collect())
            .collect();
        // a3 has no French: left out; a1 a2 grouped because English merged them.
        assert_eq!(
            texts,
            vec![vec!["a0", "e0", "f0"], vec!["a1 a2", "e1", "f1 f2"]]
        );
    }
}
