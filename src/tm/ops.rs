//! The work behind `dragoman convert`, `merge` and `stats`, as library functions (the CLI files
//! only parse flags and print).
//!
//! Everything streams: units go from a reader to a writer one at a time (TMX input is parsed
//! in chunks on every core when the output is CSV/TSV/TMX), so memory does not grow with the
//! file. `merge` and `stats` keep 64-bit hashes per distinct unit (about 40 bytes each) to
//! find duplicates and conflicts. Outputs are written atomically (`crate::io::write_output`):
//! a failed run leaves no half-written file.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::{
    create_writer, csv, moses, norm_lang, open_reader, path_name, tmx, xliff, Entry, Error, Format,
    ReadUnits, Unit, VariantExtra, WriteOptions, WriteUnits,
};

/// Options of [`convert`].
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// Input format (default: from the extension).
    pub from: Option<Format>,
    /// Output format (default: from the extension).
    pub to: Option<Format>,
    /// Languages to keep, source first (default: all the input declares, source first).
    pub langs: Vec<String>,
    /// CSV options.
    pub csv: csv::Options,
    /// XLIFF options.
    pub xliff: xliff::Options,
    /// Show a progress bar on stderr (hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

/// What [`convert`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConvertReport {
    /// Units read.
    pub read: u64,
    /// Units written.
    pub written: u64,
    /// Units left out because they lack the source or (for TMX/Moses) a target language.
    pub skipped: u64,
    /// The languages written, source first.
    pub langs: Vec<String>,
}

/// Opens `path` (or standard input for `-`) as a buffered reader.
fn open_input(path: &Path) -> Result<Box<dyn BufRead>, Error> {
    if path.as_os_str() == "-" {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            std::io::stdin().lock(),
        )))
    } else {
        let f = File::open(path).map_err(|e| Error::io(&path_name(path), e))?;
        Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
    }
}

fn format_of(path: &Path, given: Option<Format>, what: &str) -> Result<Format, Error> {
    given.or_else(|| Format::from_path(path)).ok_or_else(|| {
        Error::invalid(
            &path_name(path),
            format!(
                "cannot tell the {what} format from the name: use --{}",
                if what == "input" { "from" } else { "to" }
            ),
        )
    })
}

fn normalise_langs(langs: &[String]) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    for l in langs {
        let n = norm_lang(l).ok_or_else(|| {
            Error::invalid("--langs", format!("{l:?} is not a BCP 47 language tag"))
        })?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// The languages to write: those asked for, or the reader's with its source first.
fn pick_langs(asked: &[String], r: &dyn ReadUnits) -> Result<Vec<String>, Error> {
    if !asked.is_empty() {
        return normalise_langs(asked);
    }
    let mut langs = r.langs();
    if let Some(src) = r.srclang() {
        langs.retain(|l| *l != src);
        langs.insert(0, src);
    }
    Ok(langs)
}

/// Keeps the variants in `langs` (in that order). `None` when the source is missing or empty,
/// or, with `need_all`, any language is.
pub(crate) fn project(e: Entry, langs: &[String], need_all: bool) -> Option<Entry> {
    let Entry { unit, extras } = e;
    let Unit {
        id,
        created,
        props,
        notes,
        variants,
    } = unit;
    let mut slots: Vec<Option<(super::Variant, VariantExtra)>> = Vec::new();
    slots.resize_with(langs.len(), || None);
    let mut extras = extras.into_iter();
    for v in variants {
        let ex = extras.next().unwrap_or_default();
        let k = langs.iter().position(|l| *l == v.lang).or_else(|| {
            let n = norm_lang(&v.lang)?;
            langs.iter().position(|l| *l == n)
        });
        if let Some(k) = k {
            if slots[k].is_none() && !v.text.trim().is_empty() {
                slots[k] = Some((v, ex));
            }
        }
    }
    if slots[0].is_none() || (need_all && slots.iter().any(Option::is_none)) {
        return None;
    }
    let mut out = Entry {
        unit: Unit {
            id,
            created,
            props,
            notes,
            variants: Vec::with_capacity(langs.len()),
        },
        extras: Vec::new(),
    };
    for (k, slot) in slots.into_iter().enumerate() {
        if let Some((mut v, ex)) = slot {
            v.lang.clone_from(&langs[k]);
            out.unit.variants.push(v);
            out.extras.push(ex);
        }
    }
    if out.extras.iter().all(VariantExtra::is_empty) {
        out.extras.clear();
    }
    Some(out)
}

/// Whether every language must be present for a unit to be written in `f`.
fn needs_all(f: Format) -> bool {
    matches!(f, Format::Tmx | Format::Moses)
}

fn progress_bar(enabled: bool, input: &Path) -> indicatif::ProgressBar {
    let len = if input.as_os_str() == "-" {
        None
    } else {
        std::fs::metadata(input).ok().map(|m| m.len())
    };
    if !enabled || len.is_none_or_zero() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::with_draw_target(
        len,
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("valid template"),
    );
    pb
}

trait ZeroLen {
    fn is_none_or_zero(&self) -> bool;
}
impl ZeroLen for Option<u64> {
    fn is_none_or_zero(&self) -> bool {
        !matches!(self, Some(n) if *n > 0)
    }
}

/// Converts `input` to `output` (`-` for standard input/output), format from the extensions
/// unless given.
///
/// ```no_run
/// use dragoman::tm::{convert, ConvertOptions};
/// let r = convert("big.tmx".as_ref(), "big.csv".as_ref(), &ConvertOptions::default()).unwrap();
/// eprintln!("{} units", r.written);
/// ```
///
/// # Errors
/// Unknown formats, syntax errors in the input (file, line, column), invalid languages, I/O.
/// On error the output is left as it was.
pub fn convert(
    input: &Path,
    output: &Path,
    opts: &ConvertOptions,
) -> Result<ConvertReport, crate::Error> {
    let from = format_of(input, opts.from, "input")?;
    let to = format_of(output, opts.to, "output")?;
    let pb = progress_bar(opts.progress, input);
    let report = if from == Format::Tmx && matches!(to, Format::Csv | Format::Tsv | Format::Tmx) {
        convert_tmx_parallel(input, output, to, opts, &pb)?
    } else {
        let r: Box<dyn ReadUnits> = if from == Format::Moses {
            Box::new(moses::Reader::open(input, &opts.langs)?)
        } else {
            open_reader(from, open_input(input)?, input, &[])?
        };
        convert_serial(r, output, to, opts, &pb)?
    };
    pb.finish_and_clear();
    Ok(report)
}

fn write_opts(langs: &[String], opts: &ConvertOptions) -> WriteOptions {
    WriteOptions {
        langs: langs.to_vec(),
        csv: opts.csv.clone(),
        tmx_header: None,
        xliff: opts.xliff.clone(),
    }
}

fn check_langs(langs: &[String], to: Format, output: &Path) -> Result<(), Error> {
    let min = if matches!(to, Format::Csv | Format::Tsv) {
        1
    } else {
        2
    };
    if langs.len() < min {
        return Err(Error::invalid(
            &path_name(output),
            format!(
                "{to} needs {min} languages, the input gives {}: name them with --langs",
                if langs.is_empty() {
                    "none".to_string()
                } else {
                    langs.join(",")
                }
            ),
        ));
    }
    Ok(())
}

fn convert_serial(
    mut r: Box<dyn ReadUnits + '_>,
    output: &Path,
    to: Format,
    opts: &ConvertOptions,
    pb: &indicatif::ProgressBar,
) -> Result<ConvertReport, crate::Error> {
    let langs = pick_langs(&opts.langs, &*r)?;
    check_langs(&langs, to, output)?;
    let mut rep = ConvertReport {
        langs: langs.clone(),
        ..Default::default()
    };
    if matches!(to, Format::Tmx | Format::Csv | Format::Tsv) {
        convert_batched(&mut *r, output, to, opts, pb, &mut rep)?;
        return Ok(rep);
    }
    let all = needs_all(to);
    let mut pump = |w: &mut dyn WriteUnits, rep: &mut ConvertReport| -> Result<(), Error> {
        while let Some(e) = r.read_entry()? {
            rep.read += 1;
            match project(e, &langs, all) {
                Some(p) => {
                    w.write_entry(&p)?;
                    rep.written += 1;
                }
                None => rep.skipped += 1,
            }
            if rep.read % 4096 == 0 {
                pb.set_position(r.bytes_read());
            }
        }
        Ok(())
    };
    if to == Format::Moses {
        let stem = match moses::split_path(output) {
            Some((stem, _)) => stem,
            None => output.to_path_buf(),
        };
        let mut w = Box::new(moses::Writer::create(&stem, &langs)?);
        pump(&mut *w, &mut rep)?;
        w.finish()?;
        return Ok(rep);
    }
    let wo = write_opts(&langs, opts);
    crate::io::write_output(output, |out| {
        let mut w = create_writer(to, out, &wo)?;
        pump(&mut *w, &mut rep)?;
        w.finish_boxed()?;
        Ok(())
    })?;
    Ok(rep)
}

/// An encoded chunk: bytes, units read, written, skipped.
type Encoded = (Vec<u8>, u64, u64, u64);

/// Encodes entries into `to`'s bytes (no header or footer): (written, skipped).
fn encode_entries(
    entries: Vec<Entry>,
    to: Format,
    langs: &[String],
    csv_opts: &csv::Options,
    out: &mut Vec<u8>,
) -> Result<(u64, u64), Error> {
    let all = needs_all(to);
    let (mut written, mut skipped) = (0, 0);
    if to == Format::Tmx {
        let mut w = tmx::Writer::fragment(out, langs)?;
        for e in entries {
            match project(e, langs, all) {
                Some(p) => {
                    w.write_entry(&p)?;
                    written += 1
                }
                None => skipped += 1,
            }
        }
    } else {
        let mut w = csv::Writer::fragment(out, langs, csv_opts.clone(), dialect_of(to))?;
        for e in entries {
            match project(e, langs, all) {
                Some(p) => {
                    w.write_unit(&p.unit)?;
                    written += 1
                }
                None => skipped += 1,
            }
        }
    }
    Ok((written, skipped))
}

fn dialect_of(to: Format) -> csv::Dialect {
    if to == Format::Tsv {
        csv::Dialect::TSV
    } else {
        csv::Dialect::CSV
    }
}

/// Opens the output's header for the parallel paths (TMX, CSV, TSV).
fn open_sink<'o>(
    out: &'o mut dyn Write,
    to: Format,
    langs: &[String],
    csv_opts: &csv::Options,
    header: Option<&tmx::Header>,
) -> Result<Sink<'o>, Error> {
    Ok(match to {
        Format::Tmx => {
            let mut h = tmx::Header::new(&langs[0]);
            if let Some(src) = header {
                h.creation_date = src.creation_date.clone();
                h.adminlang = norm_lang(&src.adminlang).unwrap_or_else(|| "en".into());
                h.props = src.props.clone();
                h.notes = src.notes.clone();
            }
            let mut w = tmx::Writer::new(out, &h)?;
            w.set_langs(langs)?;
            Sink::Tmx(w)
        }
        _ => Sink::Raw(
            csv::Writer::with_dialect(out, langs, csv_opts.clone(), dialect_of(to))?.finish()?,
        ),
    })
}

/// A bounded, ordered pipeline: the calling thread `produce`s jobs and `consume`s results in
/// job order; one worker per core runs `work`. At most two jobs per core exist at once, so
/// memory stays at a few jobs whatever the input size. Stops at the first error.
fn pipeline<J: Send>(
    mut produce: impl FnMut() -> Result<Option<J>, Error>,
    work: &(dyn Fn(J) -> Result<Encoded, Error> + Sync),
    mut consume: impl FnMut(Encoded) -> Result<(), Error>,
) -> Result<(), Error> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let in_flight_max = workers * 2;
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(u64, J)>(in_flight_max);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (res_tx, res_rx) = std::sync::mpsc::channel::<(u64, Result<Encoded, Error>)>();
    std::thread::scope(|scope| -> Result<(), Error> {
        for _ in 0..workers {
            let res_tx = res_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || loop {
                let job = job_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((i, j))) = job else { break };
                if res_tx.send((i, work(j))).is_err() {
                    break;
                }
            });
        }
        drop(res_tx);
        let mut job_tx = Some(job_tx);
        let mut pending: std::collections::BTreeMap<u64, Encoded> = Default::default();
        let (mut sent, mut next) = (0u64, 0u64);
        let result = (|| -> Result<(), Error> {
            loop {
                while job_tx.is_some() && sent - next < in_flight_max as u64 {
                    match produce()? {
                        Some(j) => {
                            if let Some(tx) = &job_tx {
                                let _ = tx.send((sent, j));
                            }
                            sent += 1;
                        }
                        None => job_tx = None,
                    }
                }
                if next == sent {
                    return Ok(());
                }
                let Ok((i, res)) = res_rx.recv() else {
                    return Ok(());
                };
                pending.insert(i, res?);
                while let Some(enc) = pending.remove(&next) {
                    consume(enc)?;
                    next += 1;
                }
            }
        })();
        // Stop the workers (on error too) before the scope joins them.
        drop(job_tx);
        result
    })
}

fn convert_tmx_parallel(
    input: &Path,
    output: &Path,
    to: Format,
    opts: &ConvertOptions,
    pb: &indicatif::ProgressBar,
) -> Result<ConvertReport, crate::Error> {
    let mut r = tmx::Reader::from_reader(open_input(input)?, input)?;
    let path = path_name(input);
    let langs = pick_langs(&opts.langs, &r)?;
    check_langs(&langs, to, output)?;
    let mut rep = ConvertReport {
        langs: langs.clone(),
        ..Default::default()
    };
    let header = r.header().clone();
    let raw = opts.csv.raw_formulas;
    let delim = dialect_of(to).delimiter;
    crate::io::write_output(output, |out| {
        let mut sink = open_sink(out, to, &langs, &opts.csv, Some(&header))?;
        // The units the reader parsed while opening.
        let first = r.take_queued();
        let mut buf = Vec::new();
        rep.read += first.len() as u64;
        let (w, s) = encode_entries(first, to, &langs, &opts.csv, &mut buf)?;
        rep.written += w;
        rep.skipped += s;
        sink.write(&buf)?;
        let work = |c: tmx::Chunk| -> Result<Encoded, Error> {
            if to != Format::Tmx {
                return encode_rows(&c, &path, &langs, delim, raw);
            }
            let mut entries = Vec::new();
            tmx::parse_body_chunk(&c, &path, &mut entries)?;
            let n = entries.len() as u64;
            let mut out = Vec::with_capacity(c.bytes.len());
            let (w, s) = encode_entries(entries, to, &langs, &opts.csv, &mut out)?;
            Ok((out, n, w, s))
        };
        pipeline(
            || {
                let c = r.next_chunk()?;
                pb.set_position(r.bytes_read());
                Ok(c)
            },
            &work,
            |(bytes, n, w, s)| {
                rep.read += n;
                rep.written += w;
                rep.skipped += s;
                sink.write(&bytes)
            },
        )?;
        sink.finish()?;
        Ok(())
    })?;
    Ok(rep)
}

/// Units per job when a serial reader (CSV, XLIFF, Moses) feeds the parallel writers.
const BATCH_UNITS: usize = 4096;

/// A serial reader feeding TMX/CSV/TSV encoding on every core.
fn convert_batched(
    r: &mut dyn ReadUnits,
    output: &Path,
    to: Format,
    opts: &ConvertOptions,
    pb: &indicatif::ProgressBar,
    rep: &mut ConvertReport,
) -> Result<(), crate::Error> {
    let langs = rep.langs.clone();
    crate::io::write_output(output, |out| {
        let mut sink = open_sink(out, to, &langs, &opts.csv, None)?;
        let work = |batch: Vec<Entry>| -> Result<Encoded, Error> {
            let n = batch.len() as u64;
            let mut out = Vec::new();
            let (w, s) = encode_entries(batch, to, &langs, &opts.csv, &mut out)?;
            Ok((out, n, w, s))
        };
        pipeline(
            || {
                let mut batch = Vec::with_capacity(BATCH_UNITS);
                while batch.len() < BATCH_UNITS {
                    match r.read_entry()? {
                        Some(e) => batch.push(e),
                        None => break,
                    }
                }
                pb.set_position(r.bytes_read());
                Ok((!batch.is_empty()).then_some(batch))
            },
            &work,
            |(bytes, n, w, s)| {
                rep.read += n;
                rep.written += w;
                rep.skipped += s;
                sink.write(&bytes)
            },
        )?;
        sink.finish()?;
        Ok(())
    })?;
    Ok(())
}

/// CSV/TSV rows of a chunk straight from the parser's text slots (no `Unit`s): same bytes as
/// `project` + `csv::Writer::write_unit`.
fn encode_rows(
    c: &tmx::Chunk,
    path: &str,
    langs: &[String],
    delim: u8,
    raw: bool,
) -> Result<Encoded, Error> {
    let mut out = Vec::with_capacity(c.bytes.len() / 2);
    let mut line = String::new();
    let (mut n, mut written, mut skipped) = (0u64, 0u64, 0u64);
    tmx::parse_body_chunk_rows(c, path, langs, &mut |texts| {
        n += 1;
        if texts[0].trim().is_empty() {
            skipped += 1;
            return Ok(());
        }
        line.clear();
        for (i, t) in texts.iter().enumerate() {
            if i > 0 {
                line.push(delim as char);
            }
            let t = if t.trim().is_empty() { "" } else { t.as_str() };
            csv::push_field(&mut line, t, delim, raw);
        }
        line.push_str("\r\n");
        out.extend_from_slice(line.as_bytes());
        written += 1;
        Ok(())
    })?;
    Ok((out, n, written, skipped))
}

/// Where encoded chunks go: a TMX writer (which closes the document) or a plain output.
enum Sink<'o> {
    Tmx(tmx::Writer<&'o mut dyn Write>),
    Raw(&'o mut dyn Write),
}

impl Sink<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match self {
            Sink::Tmx(w) => w.write_raw(bytes),
            Sink::Raw(w) => w.write_all(bytes).map_err(|e| Error::io(super::OUTPUT, e)),
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Sink::Tmx(w) => w.finish().map(|_| ()),
            Sink::Raw(w) => w.flush().map_err(|e| Error::io(super::OUTPUT, e)),
        }
    }
}

/// Options of [`merge`].
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// Input format for every input (default: from each extension).
    pub from: Option<Format>,
    /// Output format (default: from the extension).
    pub to: Option<Format>,
    /// Languages to keep, source first (default: the first input's).
    pub langs: Vec<String>,
    /// CSV options.
    pub csv: csv::Options,
}

/// Where a unit came from: input file index and 1-based unit number in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Index into the inputs.
    pub file: usize,
    /// 1-based unit number in that file.
    pub unit: u64,
}

/// One source translated differently in two places (both are kept in the output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The source text.
    pub source: String,
    /// The language whose translations differ.
    pub lang: String,
    /// The other translation, as found at `at`.
    pub text: String,
    /// Where the other translation is.
    pub at: Location,
    /// Where the source was first seen with another translation.
    pub first: Location,
}

/// What [`merge`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Units read from all inputs.
    pub read: u64,
    /// Units written.
    pub written: u64,
    /// Identical units left out (same text in every language).
    pub duplicates: u64,
    /// Units left out for lack of the source (or, for TMX output, a target).
    pub skipped: u64,
    /// Number of conflicts found.
    pub conflict_count: u64,
    /// The first conflicts (at most [`MAX_CONFLICTS`] are kept for the report).
    pub conflicts: Vec<Conflict>,
    /// The languages written, source first.
    pub langs: Vec<String>,
}

/// How many conflicts [`merge`] keeps in detail.
pub const MAX_CONFLICTS: usize = 1000;

fn hash_str(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.trim().hash(&mut h);
    h.finish()
}

struct Seen {
    targets: Vec<u64>,
    first: Location,
}

/// Merges `inputs` into `output`: identical units are written once, units with the same
/// source but different translations are all written and reported as conflicts.
///
/// # Errors
/// As [`convert`].
pub fn merge(
    inputs: &[PathBuf],
    output: &Path,
    opts: &MergeOptions,
) -> Result<MergeReport, crate::Error> {
    if inputs.is_empty() {
        return Err(Error::invalid("merge", "no input files").into());
    }
    let to = format_of(output, opts.to, "output")?;
    let mut readers: Vec<Box<dyn ReadUnits>> = Vec::new();
    for p in inputs {
        let f = format_of(p, opts.from, "input")?;
        readers.push(if f == Format::Moses {
            Box::new(moses::Reader::open(p, &opts.langs)?)
        } else {
            open_reader(f, open_input(p)?, p, &[])?
        });
    }
    let langs = pick_langs(&opts.langs, &*readers[0])?;
    check_langs(&langs, to, output)?;
    let mut rep = MergeReport {
        langs: langs.clone(),
        ..Default::default()
    };
    let all = needs_all(to);
    let mut units_seen: std::collections::HashSet<u64> = Default::default();
    let mut sources: HashMap<u64, Seen> = HashMap::new();
    let mut pump = |w: &mut dyn WriteUnits, rep: &mut MergeReport| -> Result<(), Error> {
        for (fi, r) in readers.iter_mut().enumerate() {
            let mut n = 0u64;
            while let Some(e) = r.read_entry()? {
                n += 1;
                rep.read += 1;
                let Some(p) = project(e, &langs, all) else {
                    rep.skipped += 1;
                    continue;
                };
                let targets: Vec<u64> = langs[1..]
                    .iter()
                    .map(|l| p.unit.text(l).map_or(0, hash_str))
                    .collect();
                let src = p.unit.variants[0].text.as_str();
                let src_h = hash_str(src);
                let mut key = DefaultHasher::new();
                (src_h, &targets).hash(&mut key);
                if !units_seen.insert(key.finish()) {
                    rep.duplicates += 1;
                    continue;
                }
                let here = Location { file: fi, unit: n };
                match sources.get_mut(&src_h) {
                    None => {
                        sources.insert(
                            src_h,
                            Seen {
                                targets,
                                first: here,
                            },
                        );
                    }
                    Some(seen) => {
                        for k in 0..targets.len() {
                            let (a, b) = (seen.targets[k], targets[k]);
                            if a != 0 && b != 0 && a != b {
                                rep.conflict_count += 1;
                                if rep.conflicts.len() < MAX_CONFLICTS {
                                    rep.conflicts.push(Conflict {
                                        source: src.trim().to_string(),
                                        lang: langs[k + 1].clone(),
                                        text: p.unit.text(&langs[k + 1]).unwrap_or("").to_string(),
                                        at: here,
                                        first: seen.first,
                                    });
                                }
                            } else if a == 0 && b != 0 {
                                seen.targets[k] = b;
                            }
                        }
                    }
                }
                w.write_entry(&p)?;
                rep.written += 1;
            }
        }
        Ok(())
    };
    if to == Format::Moses {
        let stem = moses::split_path(output).map_or_else(|| output.to_path_buf(), |(s, _)| s);
        let mut w = Box::new(moses::Writer::create(&stem, &langs)?);
        pump(&mut *w, &mut rep)?;
        w.finish()?;
        return Ok(rep);
    }
    let wo = WriteOptions {
        langs: langs.clone(),
        csv: opts.csv.clone(),
        ..Default::default()
    };
    crate::io::write_output(output, |out| {
        let mut w = create_writer(to, out, &wo)?;
        pump(&mut *w, &mut rep)?;
        w.finish_boxed()?;
        Ok(())
    })?;
    Ok(rep)
}

/// Counts for one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LangStats {
    /// The language.
    pub lang: String,
    /// Non-empty segments.
    pub segments: u64,
    /// Words (Unicode word boundaries, UAX #29).
    pub words: u64,
    /// Characters.
    pub chars: u64,
}

/// What [`stats`] counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Units.
    pub units: u64,
    /// Per language, in order of first appearance.
    pub langs: Vec<LangStats>,
    /// Units identical to an earlier one (same text in every language).
    pub duplicates: u64,
    /// Units whose source was seen before with a different translation.
    pub conflicting: u64,
    /// Units with fewer than two non-empty languages.
    pub incomplete: u64,
}

/// Counts units, languages, words and duplicates of a translation memory.
///
/// # Errors
/// Unknown format, syntax errors with position, I/O errors.
pub fn stats(input: &Path, from: Option<Format>) -> Result<Stats, crate::Error> {
    use unicode_segmentation::UnicodeSegmentation;
    let f = format_of(input, from, "input")?;
    let mut r: Box<dyn ReadUnits> = if f == Format::Moses {
        Box::new(moses::Reader::open(input, &[])?)
    } else {
        open_reader(f, open_input(input)?, input, &[])?
    };
    let src = r.srclang();
    let mut st = Stats::default();
    let mut seen: std::collections::HashSet<u64> = Default::default();
    let mut by_src: HashMap<u64, u64> = HashMap::new();
    while let Some(u) = r.read_unit()? {
        st.units += 1;
        let mut nonempty = 0;
        let mut key = DefaultHasher::new();
        let mut src_text = None;
        for v in &u.variants {
            let t = v.text.trim();
            if t.is_empty() {
                continue;
            }
            nonempty += 1;
            (&v.lang, t).hash(&mut key);
            let ls = match st.langs.iter_mut().position(|l| l.lang == v.lang) {
                Some(i) => &mut st.langs[i],
                None => {
                    st.langs.push(LangStats {
                        lang: v.lang.clone(),
                        ..Default::default()
                    });
                    st.langs.last_mut().expect("pushed")
                }
            };
            ls.segments += 1;
            ls.words += t.unicode_words().count() as u64;
            ls.chars += t.chars().count() as u64;
            if src.as_deref().map_or(src_text.is_none(), |s| *s == v.lang) {
                src_text = Some(t);
            }
        }
        if nonempty < 2 {
            st.incomplete += 1;
        }
        let k = key.finish();
        if !seen.insert(k) {
            st.duplicates += 1;
        } else if let Some(s) = src_text {
            let sh = hash_str(s);
            match by_src.get(&sh) {
                Some(&first) if first != k => st.conflicting += 1,
                Some(_) => {}
                None => {
                    by_src.insert(sh, k);
                }
            }
        }
    }
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::super::Variant;
    use super::*;

    #[test]
    fn project_orders_and_filters() {
        let e = Entry::from(Unit {
            variants: vec![
                Variant::new("en-us", "x"),
                Variant::new("ar", "س"),
                Variant::new("fr", " "),
            ],
            ..Default::default()
        });
        let langs = vec!["ar".to_string(), "en-US".to_string(), "fr".to_string()];
        let p = project(e.clone(), &langs, false).unwrap();
        let got: Vec<_> = p.unit.variants.iter().map(|v| v.lang.as_str()).collect();
        assert_eq!(got, ["ar", "en-US"]);
        assert!(project(e.clone(), &langs, true).is_none());
        assert!(project(e, &["de".to_string()], false).is_none());
    }
}
