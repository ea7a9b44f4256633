//! The work behind `dragoman convert`, `merge` and `stats`, as library functions (the CLI files
//! only parse flags and print).
//!
//! Everything streams: units go from a reader to a writer one at a time (TMX input is parsed
//! in chunks on every core when the output is CSV/TSV/TMX), so memory does not grow with the
//! file. `merge` and `stats` keep 64-bit hashes per distinct unit (about 40 bytes each) to
//! find duplicates and conflicts. Outputs are written atomically (`crate::io::write_output`):
//! a failed run leaves no half-written file.

use super::spill::Sorter;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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
    /// TMX: also write units that have the source and some but not all targets (default:
    /// only complete units, which CAT tools read correctly).
    pub keep_partial: bool,
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
    /// TMX units written without every language (they have the source and a target).
    pub partial: u64,
    /// What the caller should tell the user (e.g. a header `srclang` no unit uses).
    pub warnings: Vec<String>,
    /// TMX input: units with a source language of their own (`<tu srclang>`) other than the
    /// output's source; they are written as usual when they have text in it.
    pub own_srclang: u64,
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

/// A reader of `path` in format `f` (Moses: the file of each of `langs` beside it).
fn open_units(path: &Path, f: Format, langs: &[String]) -> Result<Box<dyn ReadUnits>, Error> {
    if f == Format::Moses {
        Ok(Box::new(moses::Reader::open(path, langs)?))
    } else {
        open_reader(f, open_input(path)?, path, &[])
    }
}

fn format_of(path: &Path, given: Option<Format>, what: &str) -> Result<Format, Error> {
    given.or_else(|| Format::from_path(path)).ok_or_else(|| {
        let name = if what == "input" {
            path_name(path)
        } else {
            out_name(path)
        };
        Error::invalid(
            &name,
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

/// [`crate::io::write_output`], with the writers' errors about `<output>` (they do not know
/// their file) naming the output file, or `<stdout>`.
fn write_named<F>(output: &Path, write: F) -> Result<(), crate::Error>
where
    F: FnOnce(&mut dyn Write) -> Result<(), crate::Error>,
{
    crate::io::write_output(output, write).map_err(|e| match e {
        crate::Error::Tm(Error::Io { path, cause }) if path == super::OUTPUT => {
            Error::io(&out_name(output), cause).into()
        }
        crate::Error::Tm(Error::Invalid { path, message }) if path == super::OUTPUT => {
            Error::invalid(&out_name(output), message).into()
        }
        e => e,
    })
}

/// How an output path is named in messages (`<stdout>` for `-`).
fn out_name(path: &Path) -> String {
    path_name(crate::io::output_name(path))
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

/// Which languages a unit must have to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// The source (CSV, TSV, XLIFF).
    Source,
    /// The source and at least one target (TMX when no languages were asked for).
    SourceAndTarget,
    /// Every language (Moses; TMX with `--langs`).
    All,
}

/// Keeps the variants in `langs` (in that order). `None` when the unit lacks what `need`
/// asks (the source is always needed).
pub(crate) fn project(e: Entry, langs: &[String], need: Need) -> Option<Entry> {
    let Entry { unit, extras } = e;
    let Unit {
        id,
        created,
        props,
        notes,
        variants,
        attrs,
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
    let missing = match need {
        Need::Source => false,
        Need::SourceAndTarget => slots[1..].iter().all(Option::is_none),
        Need::All => slots.iter().any(Option::is_none),
    };
    if slots[0].is_none() || missing {
        return None;
    }
    let mut out = Entry {
        unit: Unit {
            id,
            created,
            props,
            notes,
            variants: Vec::with_capacity(langs.len()),
            attrs,
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
    // A <tu srclang> naming a language the output no longer has would mislead the reader.
    if let Some(src) = super::attr_value(&out.unit.attrs, "srclang") {
        if src != "*all*" && out.unit.variant(src).is_none() {
            out.unit.attrs.retain(|(n, _)| n != "srclang");
        }
    }
    Some(out)
}

/// What a unit needs to be written in `f`. Moses files are line-aligned, so every language.
/// A TMX `<tu>` that lacks a language is valid TMX but read wrongly by CAT tools (OmegaT fills
/// the missing language with another one's text; shared/bench/cat CONVENTIONS.md, "every
/// `<tu>` complete in a multilingual file"), so TMX takes complete units unless the user
/// asks to `keep_partial` them (and gets [`partial_warning`]).
fn need_for(f: Format, keep_partial: bool) -> Need {
    match f {
        Format::Moses => Need::All,
        Format::Tmx if keep_partial => Need::SourceAndTarget,
        Format::Tmx => Need::All,
        _ => Need::Source,
    }
}

/// The warnings about units and languages in a TMX output: units written without every
/// language (`partial`, with `--keep-partial`), or left out for lacking one (`skipped`).
fn completeness_warnings(
    to: Format,
    partial: u64,
    skipped: u64,
    langs: &[String],
    warnings: &mut Vec<String>,
) {
    partial_warning(partial, langs, warnings);
    left_out_warning(to, skipped, langs, warnings);
}

/// Says how many TMX units were left out for lacking a language, and how to keep them.
fn left_out_warning(to: Format, skipped: u64, langs: &[String], warnings: &mut Vec<String>) {
    if to == Format::Tmx && skipped > 0 && langs.len() > 2 {
        let (units, were) = if skipped == 1 {
            ("unit", "was")
        } else {
            ("units", "were")
        };
        warnings.push(format!(
            "{skipped} {units} without text in every one of {} {were} left out of the TMX (CAT \
             tools misread a <tu> that lacks a language): --keep-partial writes them anyway; \
             or write one pair at a time (--langs {},{}), or CSV, which keeps every unit",
            langs.join(","),
            langs[0],
            langs[1]
        ));
    }
}

/// Warns about TMX units written without every language: the TMX standard allows them, but
/// OmegaT fills the missing language with another one's text (shared/bench/cat CONVENTIONS.md,
/// `bad-missing-target.tmx`).
fn partial_warning(partial: u64, langs: &[String], warnings: &mut Vec<String>) {
    if partial > 0 {
        warnings.push(format!(
            "{partial} TMX units lack some of {}: OmegaT fills a missing language with another \
             language's text; for OmegaT write one pair at a time (--langs {},{}) or CSV",
            langs.join(","),
            langs[0],
            langs.get(1).map_or("en", String::as_str)
        ));
    }
}

/// The languages the input's first units have, for [`nothing_written`].
fn found_langs(r: &dyn ReadUnits) -> String {
    let l = r.langs();
    if l.is_empty() {
        String::new()
    } else {
        format!(" (the input's first units are in {})", l.join(","))
    }
}

/// The error for an output that would hold no unit although the input has some: an empty
/// file written with success hides the mistake (languages that do not match the input).
fn nothing_written(output: &Path, read: u64, langs: &[String], need: Need, why: &str) -> Error {
    let what = match need {
        Need::Source => format!("{} (source) text", langs[0]),
        Need::SourceAndTarget => format!(
            "{} (source) text and a translation into {}",
            langs[0],
            langs[1..].join(" or ")
        ),
        Need::All => format!("text in every one of {}", langs.join(",")),
    };
    Error::invalid(
        &out_name(output),
        format!(
            "{read} units read, none written: no unit has {what}{why}; \
             choose the languages with --langs (source first)"
        ),
    )
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
/// Unknown formats, syntax errors in the input (file, line, column), invalid languages, I/O;
/// an input with units of which none can be written in the chosen languages (rather than an
/// empty output). On error the output file is left as it was.
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
        let r = open_units(input, from, &opts.langs)?;
        convert_serial(r, &path_name(input), output, to, opts, &pb)?
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

/// A streaming writer for the serial paths: like [`create_writer`], except that CSV to
/// standard output has no BOM and TMX takes units without every target unless `need` is
/// [`Need::All`].
fn make_writer<'a>(
    to: Format,
    out: &'a mut dyn Write,
    wo: &WriteOptions,
    output: &Path,
    need: Need,
) -> Result<Box<dyn WriteUnits + 'a>, Error> {
    Ok(match to {
        Format::Csv | Format::Tsv => Box::new(csv::Writer::with_dialect(
            out,
            &wo.langs,
            wo.csv.clone(),
            dialect_of(to, output),
        )?),
        Format::Tmx => {
            let h = output_header(&wo.langs[0], wo.tmx_header.as_ref());
            let mut w = tmx::Writer::new(out, &h)?;
            w.set_langs(&wo.langs)?;
            w.allow_partial(need != Need::All);
            Box::new(w)
        }
        _ => create_writer(to, out, wo)?,
    })
}

fn check_langs(langs: &[String], to: Format, output: &Path) -> Result<(), Error> {
    let min = if matches!(to, Format::Csv | Format::Tsv) {
        1
    } else {
        2
    };
    if langs.len() < min {
        return Err(Error::invalid(
            &out_name(output),
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
    r_name: &str,
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
    let need = need_for(to, opts.keep_partial);
    let why = found_langs(&*r);
    let own = OwnSource::default();
    let mut pump = |w: &mut dyn WriteUnits, rep: &mut ConvertReport| -> Result<(), Error> {
        while let Some(e) = r.read_entry()? {
            rep.read += 1;
            own.note(std::slice::from_ref(&e), &langs);
            match project(e, &langs, need) {
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
        if rep.read > 0 && rep.written == 0 {
            return Err(nothing_written(output, rep.read, &langs, need, &why));
        }
        Ok(())
    };
    if to == Format::Moses {
        let stem = match moses::split_path(output) {
            Some((stem, _)) => stem,
            None => output.to_path_buf(),
        };
        let mut w = Box::new(moses::Writer::create(&stem, &langs)?);
        w.set_codes(opts.csv.codes);
        pump(&mut *w, &mut rep)?;
        w.finish()?;
    } else {
        let wo = write_opts(&langs, opts);
        write_named(output, |out| {
            let mut w = make_writer(to, out, &wo, output, need)?;
            pump(&mut *w, &mut rep)?;
            w.finish_boxed()?;
            Ok(())
        })?;
    }
    rep.warnings.extend(own.warning(r_name, &langs));
    rep.own_srclang = own.units.load(Ordering::Relaxed);
    Ok(rep)
}

/// An encoded chunk: bytes, units read, written, skipped.
type Encoded = (Vec<u8>, u64, u64, u64);

/// Buffers handed back for reuse between the reader, the workers and the writer: a fresh
/// 1 MiB buffer per chunk costs page faults (8% of TMX -> CSV time), a reused one nothing.
#[derive(Default)]
struct Pool(std::sync::Mutex<Vec<Vec<u8>>>);

impl Pool {
    fn get(&self) -> Vec<u8> {
        let mut v = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        v.clear();
        v
    }

    fn put(&self, v: Vec<u8>) {
        let mut p = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Bounded: a few jobs are in flight at once (see `pipeline`).
        if p.len() < 16 && v.capacity() > 0 {
            p.push(v);
        }
    }
}

/// Encodes entries into `to`'s bytes (no header or footer): (written, skipped).
fn encode_entries(
    entries: Vec<Entry>,
    to: Format,
    langs: &[String],
    need: Need,
    csv_opts: &csv::Options,
    out: &mut Vec<u8>,
    partial: &AtomicU64,
) -> Result<(u64, u64), Error> {
    let (mut written, mut skipped) = (0, 0);
    if to == Format::Tmx {
        let mut w = tmx::Writer::fragment(out, langs)?;
        w.allow_partial(need != Need::All);
        for e in entries {
            match project(e, langs, need) {
                Some(p) => {
                    w.write_entry(&p)?;
                    written += 1;
                    if p.unit.variants.len() < langs.len() {
                        partial.fetch_add(1, Ordering::Relaxed);
                    }
                }
                None => skipped += 1,
            }
        }
    } else {
        let mut w =
            csv::Writer::fragment(out, langs, csv_opts.clone(), dialect_of(to, "".as_ref()))?;
        for e in entries {
            match project(e, langs, need) {
                Some(p) => {
                    w.write_entry(&p)?;
                    written += 1
                }
                None => skipped += 1,
            }
        }
    }
    Ok((written, skipped))
}

/// The CSV/TSV dialect for `output`: CSV files start with a BOM (Excel needs it to read
/// UTF-8), CSV on standard output does not (a BOM in a pipe is a stray character for `grep`,
/// `cut` or a program reading the header); TSV never has one.
fn dialect_of(to: Format, output: &Path) -> csv::Dialect {
    if to == Format::Tsv {
        csv::Dialect::TSV
    } else {
        csv::Dialect {
            bom: output.as_os_str() != "-",
            ..csv::Dialect::CSV
        }
    }
}

/// Opens the output's header for the parallel paths (TMX, CSV, TSV). A TMX input's header
/// attributes that still hold for the output (`datatype`, `segtype`, `o-tmf`, `adminlang`,
/// `creationdate`, props and notes) are kept; `srclang` is the first output language and
/// `creationtool` is dragoman.
fn open_sink<'o>(
    out: &'o mut dyn Write,
    to: Format,
    langs: &[String],
    csv_opts: &csv::Options,
    header: Option<&tmx::Header>,
    output: &Path,
) -> Result<Sink<'o>, Error> {
    Ok(match to {
        Format::Tmx => {
            let h = output_header(&langs[0], header);
            let mut w = tmx::Writer::new(out, &h)?;
            w.set_langs(langs)?;
            Sink::Tmx(w)
        }
        _ => Sink::Raw(
            csv::Writer::with_dialect(out, langs, csv_opts.clone(), dialect_of(to, output))?
                .finish()?,
        ),
    })
}

/// The header of a TMX output: dragoman's, with what still holds of the input's (`header`,
/// when the input is a TMX): `datatype`, `segtype`, `o-tmf`, `adminlang`, `creationdate`,
/// props, notes, `<ude>`s and the other attributes (`creationid`, `changedate`, `changeid`,
/// `o-encoding`); `srclang` is the first output language and `creationtool` is dragoman.
fn output_header(srclang: &str, header: Option<&tmx::Header>) -> tmx::Header {
    let mut h = tmx::Header::new(srclang);
    if let Some(src) = header {
        h.creation_date = src.creation_date.clone();
        h.adminlang = norm_lang(&src.adminlang).unwrap_or_else(|| "en".into());
        for (mine, theirs) in [
            (&mut h.datatype, &src.datatype),
            (&mut h.segtype, &src.segtype),
            (&mut h.o_tmf, &src.o_tmf),
        ] {
            if !theirs.trim().is_empty() {
                mine.clone_from(theirs);
            }
        }
        h.props = src.props.clone();
        h.notes = src.notes.clone();
        // A converter that rewrites a client's TM keeps its user-defined encodings and the
        // other header attributes.
        h.udes = src.udes.clone();
        h.attrs = src.attrs.clone();
    }
    h
}

/// A bounded, ordered pipeline: the calling thread `produce`s jobs and `consume`s results in
/// job order; one worker per core runs `work`. At most two jobs per core exist at once, so
/// memory stays at a few jobs whatever the input size. Stops at the first error.
fn pipeline<J: Send, R: Send>(
    mut produce: impl FnMut() -> Result<Option<J>, Error>,
    work: &(dyn Fn(J) -> Result<R, Error> + Sync),
    mut consume: impl FnMut(R) -> Result<(), Error>,
) -> Result<(), Error> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let in_flight_max = workers * 2;
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(u64, J)>(in_flight_max);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (res_tx, res_rx) = std::sync::mpsc::channel::<(u64, Result<R, Error>)>();
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
        let mut pending: std::collections::BTreeMap<u64, R> = Default::default();
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
    if r.srclang_unused() && opts.langs.is_empty() {
        rep.warnings.push(format!(
            "{path}: the header's srclang {} is used by no <tuv> of the first units: \
             writing {} ({} as the source); choose with --langs",
            r.header().srclang,
            langs.join(","),
            langs[0]
        ));
    }
    let need = need_for(to, opts.keep_partial);
    let why = found_langs(&r);
    let partial = AtomicU64::new(0);
    let unlisted = std::sync::Mutex::new(Vec::<String>::new());
    let header = r.header().clone();
    let own = OwnSource::default();
    let delim = dialect_of(to, output).delimiter;
    write_named(output, |out| {
        let mut sink = open_sink(out, to, &langs, &opts.csv, Some(&header), output)?;
        // The units the reader parsed while opening.
        let first = r.take_queued();
        own.note(&first, &langs);
        let mut buf = Vec::new();
        rep.read += first.len() as u64;
        let (w, s) = encode_entries(first, to, &langs, need, &opts.csv, &mut buf, &partial)?;
        rep.written += w;
        rep.skipped += s;
        sink.write(&buf)?;
        let (chunks, outs) = (Pool::default(), Pool::default());
        let work = |c: tmx::Chunk| -> Result<Encoded, Error> {
            let mut out = outs.get();
            let res = if to != Format::Tmx {
                encode_rows(&c, &path, &langs, delim, &opts.csv, &unlisted, &own, out)
            } else {
                let mut entries = Vec::new();
                tmx::parse_body_chunk(&c, &path, &mut entries)?;
                note_unlisted(&entries, &langs, &unlisted);
                own.note(&entries, &langs);
                let n = entries.len() as u64;
                let (w, s) =
                    encode_entries(entries, to, &langs, need, &opts.csv, &mut out, &partial)?;
                Ok((out, n, w, s))
            };
            chunks.put(c.bytes);
            res
        };
        encode_into(
            sink,
            &mut rep,
            &outs,
            || {
                r.recycle(chunks.get());
                let c = r.next_chunk()?;
                pb.set_position(r.bytes_read());
                Ok(c)
            },
            &work,
            &Expect {
                output,
                langs: &langs,
                need,
                why: &why,
            },
        )
    })?;
    rep.partial = partial.into_inner();
    completeness_warnings(to, rep.partial, rep.skipped, &langs, &mut rep.warnings);
    rep.warnings.extend(own.warning(&path, &langs));
    rep.own_srclang = own.units.load(Ordering::Relaxed);
    let unlisted = unlisted
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !unlisted.is_empty() && opts.langs.is_empty() {
        rep.warnings.push(format!(
            "{path}: {} first appear(s) after the first chunk and {} not written; \
             name every language with --langs (e.g. --langs {},{})",
            unlisted.join(","),
            if unlisted.len() == 1 { "is" } else { "are" },
            langs.join(","),
            unlisted.join(",")
        ));
    }
    Ok(rep)
}

/// What an output must receive, for the error when it would get nothing.
struct Expect<'a> {
    output: &'a Path,
    langs: &'a [String],
    need: Need,
    why: &'a str,
}

/// Runs [`pipeline`] into `sink`, counting units into `rep`, and finishes the output only if
/// a non-empty input gave it at least one unit.
fn encode_into<J: Send>(
    mut sink: Sink<'_>,
    rep: &mut ConvertReport,
    outs: &Pool,
    produce: impl FnMut() -> Result<Option<J>, Error>,
    work: &(dyn Fn(J) -> Result<Encoded, Error> + Sync),
    expect: &Expect,
) -> Result<(), crate::Error> {
    pipeline(produce, work, |(bytes, n, w, s)| {
        rep.read += n;
        rep.written += w;
        rep.skipped += s;
        sink.write(&bytes)?;
        outs.put(bytes);
        Ok(())
    })?;
    if rep.read > 0 && rep.written == 0 {
        let e = nothing_written(
            expect.output,
            rep.read,
            expect.langs,
            expect.need,
            expect.why,
        );
        return Err(e.into());
    }
    sink.finish()?;
    Ok(())
}

/// Units per job when a serial reader (CSV, XLIFF, Moses) feeds the parallel workers.
const BATCH_UNITS: usize = 4096;

/// The next [`BATCH_UNITS`] units of `r` (fewer at the end), `None` after the last.
fn read_batch(r: &mut dyn ReadUnits) -> Result<Option<Vec<Entry>>, Error> {
    let mut batch = Vec::with_capacity(BATCH_UNITS);
    while batch.len() < BATCH_UNITS {
        match r.read_entry()? {
            Some(e) => batch.push(e),
            None => break,
        }
    }
    Ok((!batch.is_empty()).then_some(batch))
}

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
    let need = need_for(to, opts.keep_partial);
    let why = found_langs(r);
    let partial = AtomicU64::new(0);
    write_named(output, |out| {
        let sink = open_sink(out, to, &langs, &opts.csv, None, output)?;
        let outs = Pool::default();
        let work = |batch: Vec<Entry>| -> Result<Encoded, Error> {
            let n = batch.len() as u64;
            let mut out = outs.get();
            let (w, s) = encode_entries(batch, to, &langs, need, &opts.csv, &mut out, &partial)?;
            Ok((out, n, w, s))
        };
        encode_into(
            sink,
            rep,
            &outs,
            || {
                let batch = read_batch(r)?;
                pb.set_position(r.bytes_read());
                Ok(batch)
            },
            &work,
            &Expect {
                output,
                langs: &langs,
                need,
                why: &why,
            },
        )
    })?;
    rep.partial = partial.into_inner();
    completeness_warnings(to, rep.partial, rep.skipped, &langs, &mut rep.warnings);
    Ok(())
}

/// Adds to `unlisted` the languages of `entries` that are not in `langs` (each once): what a
/// conversion leaves out without being asked to.
fn note_unlisted(entries: &[Entry], langs: &[String], unlisted: &std::sync::Mutex<Vec<String>>) {
    let mut unl: Vec<&str> = Vec::new();
    for e in entries {
        for v in &e.unit.variants {
            if !langs.contains(&v.lang) && !unl.contains(&v.lang.as_str()) {
                unl.push(&v.lang);
            }
        }
    }
    add_unlisted(unlisted, &unl);
}

/// Adds the languages `found` in one chunk to those every worker shares, each once.
fn add_unlisted<S: AsRef<str>>(unlisted: &std::sync::Mutex<Vec<String>>, found: &[S]) {
    if found.is_empty() {
        return;
    }
    let mut all = unlisted
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for l in found {
        if !all.iter().any(|a| a == l.as_ref()) {
            all.push(l.as_ref().to_string());
        }
    }
}

/// Units with a `<tu srclang>` of their own that is not the output's source: how many, and
/// how many of those lack the output's source text (left out, and said so).
#[derive(Default)]
struct OwnSource {
    units: AtomicU64,
    without_source: AtomicU64,
    /// Units with two variants of text in one output language (the first is written).
    duplicate_lang: AtomicU64,
}

impl OwnSource {
    fn add(&self, units: u64, without_source: u64) {
        self.units.fetch_add(units, Ordering::Relaxed);
        self.without_source
            .fetch_add(without_source, Ordering::Relaxed);
    }

    /// Counts the entries whose own `srclang` is not `langs[0]`, and those with two variants
    /// of text in one of `langs`.
    fn note(&self, entries: &[Entry], langs: &[String]) {
        let (mut n, mut lacking, mut dup) = (0, 0, 0);
        for e in entries {
            if two_texts_in_one_lang(&e.unit, langs) {
                dup += 1;
            }
            let Some(src) = super::attr_value(&e.unit.attrs, "srclang") else {
                continue;
            };
            if src == "*all*" || norm_lang(src).as_deref() == Some(langs[0].as_str()) {
                continue;
            }
            n += 1;
            if e.unit.text(&langs[0]).is_none_or_blank() {
                lacking += 1;
            }
        }
        self.add(n, lacking);
        self.duplicate_lang.fetch_add(dup, Ordering::Relaxed);
    }

    /// The warnings for the report: units that lacked the output's source, units with two
    /// variants in one language.
    fn warning(&self, path: &str, langs: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let dup = self.duplicate_lang.load(Ordering::Relaxed);
        if dup > 0 {
            out.push(format!(
                "{path}: {dup} units have two <tuv>s with different text in one language; only \
                 the first of each language was written"
            ));
        }
        let n = self.units.load(Ordering::Relaxed);
        let lacking = self.without_source.load(Ordering::Relaxed);
        out.extend((lacking > 0).then(|| {
            format!(
                "{path}: {n} units name their own source language (<tu srclang>, not {src}); \
                 {lacking} of them have no {src} text and were left out: write them with \
                 --langs naming their source first",
                src = langs[0]
            )
        }));
        out
    }
}

/// True when `u` has two variants with different (non-blank) text in one of `langs`.
fn two_texts_in_one_lang(u: &Unit, langs: &[String]) -> bool {
    let vs = &u.variants;
    vs.len() >= 2
        && langs.iter().any(|l| {
            let mut t = vs
                .iter()
                .filter(|v| v.lang == *l && !v.text.trim().is_empty());
            t.next().is_some_and(|a| t.any(|b| b.text != a.text))
        })
}

trait Blank {
    fn is_none_or_blank(&self) -> bool;
}

impl Blank for Option<&str> {
    fn is_none_or_blank(&self) -> bool {
        !matches!(self, Some(t) if !t.trim().is_empty())
    }
}

/// CSV/TSV rows of a chunk straight from the parser's text slots (no `Unit`s): same bytes as
/// `project` + `csv::Writer::write_entry` (inline codes rendered by `codes`).
#[allow(clippy::too_many_arguments)]
fn encode_rows(
    c: &tmx::Chunk,
    path: &str,
    langs: &[String],
    delim: u8,
    csv_opts: &csv::Options,
    unlisted: &std::sync::Mutex<Vec<String>>,
    own: &OwnSource,
    mut out: Vec<u8>,
) -> Result<Encoded, Error> {
    let raw = csv_opts.raw_formulas;
    let mut report = tmx::RowsReport::default();
    out.reserve(c.bytes.len() / 2);
    let mut line = String::new();
    let (mut n, mut written, mut skipped) = (0u64, 0u64, 0u64);
    tmx::parse_body_chunk_rows_report(
        c,
        path,
        langs,
        csv_opts.codes,
        &mut |texts| {
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
        },
        &mut report,
    )?;
    add_unlisted(unlisted, &report.unlisted);
    own.add(report.own_srclang, report.own_srclang_without_source);
    own.duplicate_lang
        .fetch_add(report.duplicate_lang, Ordering::Relaxed);
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
    /// Languages to keep, source first (default: every input's, the first input's source
    /// first). TMX and Moses output only take units complete in all of them.
    pub langs: Vec<String>,
    /// CSV options.
    pub csv: csv::Options,
    /// TMX: also write units that have the source and some but not all targets.
    pub keep_partial: bool,
    /// Bytes of merged units held in memory before the merge goes through sorted files on
    /// disk (default [`MERGE_MEMORY`]).
    pub memory: Option<usize>,
}

/// Where a unit came from: input file index and 1-based unit number in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Units joined into an earlier one with the same source (adding their languages).
    pub joined: u64,
    /// Units left out for lack of the source (or, for TMX output, a target).
    pub skipped: u64,
    /// Number of conflicts found.
    pub conflict_count: u64,
    /// The first conflicts (at most [`MAX_CONFLICTS`] are kept for the report).
    pub conflicts: Vec<Conflict>,
    /// The languages written, source first.
    pub langs: Vec<String>,
    /// TMX units written without every language (they have the source and a target).
    pub partial: u64,
    /// What the caller should tell the user (e.g. inputs with another source language).
    pub warnings: Vec<String>,
    /// True when the units did not fit in [`MergeOptions::memory`] and were sorted through
    /// temporary files.
    pub spilled: bool,
}

/// How many conflicts [`merge`] keeps in detail.
pub const MAX_CONFLICTS: usize = 1000;

fn hash_str(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.trim().hash(&mut h);
    h.finish()
}

/// Merges `inputs` into `output`, joining units on their source text.
///
/// Units of memories that share a source language are joined when their source texts are
/// identical (after trimming) and their translations agree: `ar-en` + `ar-fr` give `ar-en-fr`
/// units. Identical units are written once. A unit whose translation into some language
/// differs from the one already joined is written separately and reported as a conflict.
/// The languages are those asked for, else the union of every input's languages, with the
/// first input's source first. CSV and TSV keep every unit with the languages it has; TMX and
/// Moses take the units complete in every language (TMX: unless `opts.keep_partial`), and
/// the report says how many were left out.
///
/// Joining needs every unit of a source together: up to [`MergeOptions::memory`] bytes of
/// merged units are held in memory; past that the units are sorted by source through
/// temporary files and joined group by group (with the same result), so memory stays flat
/// whatever the size of the inputs.
///
/// # Errors
/// As [`convert`]; inputs with units of which none can be written (the message says which
/// languages the units lack).
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
        readers.push(open_units(p, f, &opts.langs)?);
    }
    // The header of the first TMX input, for a TMX output (its props, notes, <ude>s...).
    let header = readers.iter().find_map(|r| r.tmx_header().cloned());
    let mut langs = pick_langs(&opts.langs, &*readers[0])?;
    let mut rep = MergeReport::default();
    if opts.langs.is_empty() {
        for (r, p) in readers.iter().zip(inputs).skip(1) {
            let theirs = pick_langs(&[], &**r)?;
            if let (Some(a), Some(b)) = (langs.first(), theirs.first()) {
                if a != b {
                    rep.warnings.push(format!(
                        "{}: source language {b}, not {a} like {}: only its units with {a} text \
                         are merged",
                        path_name(p),
                        path_name(&inputs[0])
                    ));
                }
            }
            for l in theirs {
                if !langs.contains(&l) {
                    langs.push(l);
                }
            }
        }
    }
    check_langs(&langs, to, output)?;
    rep.langs.clone_from(&langs);
    let need = need_for(to, opts.keep_partial);

    // Read and join: in memory while the merged units fit in the budget, then through sorted
    // runs on disk (see `join_spilled`).
    let budget = opts.memory.unwrap_or(MERGE_MEMORY);
    let mut joiner = Joiner::new(&langs);
    let mut conflicts = Conflicts::default();
    let mut spill: Option<Sorter<Record>> = None;
    let mut seq = 0u64;
    for (fi, r) in readers.iter_mut().enumerate() {
        let mut n = 0u64;
        while let Some(e) = r.read_entry()? {
            n += 1;
            rep.read += 1;
            let Some(p) = project(e, &langs, Need::Source) else {
                rep.skipped += 1;
                continue;
            };
            seq += 1;
            let here = Location { file: fi, unit: n };
            match spill.as_mut() {
                Some(s) => {
                    let (key, size) = ((source_hash(&p), seq), entry_bytes(&p));
                    s.push(key, (p, here, false), size)?;
                }
                None => {
                    joiner.add(p, here, seq, &mut rep, &mut conflicts);
                    if joiner.bytes > budget {
                        // Over budget: what is joined so far goes to disk as placed units.
                        let mut s = Sorter::new(budget);
                        for (e, loc, first) in joiner.merged.drain(..) {
                            let (key, size) = ((source_hash(&e), first), entry_bytes(&e));
                            s.push(key, (e, loc, true), size)?;
                        }
                        joiner = Joiner::new(&langs);
                        spill = Some(s);
                    }
                }
            }
        }
    }
    let mut merged: Box<dyn Iterator<Item = Result<Entry, Error>>> = match spill {
        None => Box::new(joiner.merged.into_iter().map(|(e, _, _)| Ok(e))),
        Some(s) => {
            rep.spilled = true;
            join_spilled(s, &langs, budget, &mut rep, &mut conflicts)?
        }
    };
    conflicts.into_report(&mut rep);

    // Write.
    let mut missing = vec![0u64; langs.len()];
    let mut pump = |w: &mut dyn WriteUnits, rep: &mut MergeReport| -> Result<(), Error> {
        for e in merged.by_ref() {
            let e = e?;
            for (k, l) in langs.iter().enumerate() {
                if e.unit.variant(l).is_none() {
                    missing[k] += 1;
                }
            }
            match project(e, &langs, need) {
                Some(p) => {
                    w.write_entry(&p)?;
                    rep.written += 1;
                    if to == Format::Tmx && p.unit.variants.len() < langs.len() {
                        rep.partial += 1;
                    }
                }
                None => rep.skipped += 1,
            }
        }
        if rep.read > 0 && rep.written == 0 {
            let lacking: Vec<String> = langs
                .iter()
                .zip(&missing)
                .filter(|(_, &m)| m > 0)
                .map(|(l, m)| format!("{m} lack {l}"))
                .collect();
            let why = if lacking.is_empty() {
                String::new()
            } else {
                format!(" (of the merged units, {})", lacking.join(", "))
            };
            return Err(nothing_written(output, rep.read, &langs, need, &why));
        }
        Ok(())
    };
    if to == Format::Moses {
        let stem = moses::split_path(output).map_or_else(|| output.to_path_buf(), |(s, _)| s);
        let mut w = Box::new(moses::Writer::create(&stem, &langs)?);
        w.set_codes(opts.csv.codes);
        pump(&mut *w, &mut rep)?;
        w.finish()?;
        return Ok(rep);
    }
    let wo = WriteOptions {
        langs: langs.clone(),
        csv: opts.csv.clone(),
        tmx_header: header,
        ..Default::default()
    };
    write_named(output, |out| {
        let mut w = make_writer(to, out, &wo, output, need)?;
        pump(&mut *w, &mut rep)?;
        w.finish_boxed()?;
        Ok(())
    })?;
    completeness_warnings(to, rep.partial, rep.skipped, &langs, &mut rep.warnings);
    Ok(rep)
}

/// What [`merge`] holds in memory before it sorts through files on disk (see
/// [`MergeOptions::memory`]).
pub const MERGE_MEMORY: usize = 128 << 20;

/// A unit on its way through the on-disk runs of a large merge: where it came from, and
/// whether it was already joined in memory (then it is an earlier unit, not compared again).
type Record = (Entry, Location, bool);

/// About how many bytes `e` takes in memory, allocator overhead and the slots of the vectors
/// and index that hold it included (calibrated on a 100k-unit merge: the estimate over the
/// growth of peak RSS was 0.61 with the bare string lengths).
fn entry_bytes(e: &Entry) -> usize {
    // A heap string costs its length plus about 32 bytes (header, rounding, its 24-byte slot).
    let s = |t: &str| t.len() + 32;
    320 + e.unit.id.as_deref().map_or(0, s)
        + e.unit.created.as_deref().map_or(0, s)
        + e.unit
            .variants
            .iter()
            .map(|v| s(&v.text) + s(&v.lang))
            .sum::<usize>()
        + e.unit
            .props
            .iter()
            .map(|p| s(&p.kind) + s(&p.value))
            .sum::<usize>()
        + e.unit.notes.iter().map(|n| s(&n.text)).sum::<usize>()
        + e.extras
            .iter()
            .map(|x| 96 + x.markup.as_deref().map_or(0, s))
            .sum::<usize>()
}

fn source_hash(e: &Entry) -> u64 {
    hash_str(&e.unit.variants[0].text)
}

/// The conflicts [`merge`] reports: the first [`MAX_CONFLICTS`] in input order, however they
/// were found (in input order in memory; grouped by source through the runs on disk).
#[derive(Default)]
struct Conflicts {
    count: u64,
    kept: Vec<(u64, Conflict)>,
}

impl Conflicts {
    fn push(&mut self, seq: u64, c: Conflict) {
        self.count += 1;
        self.kept.push((seq, c));
        if self.kept.len() >= 2 * MAX_CONFLICTS {
            self.kept.sort_by_key(|(s, _)| *s);
            self.kept.truncate(MAX_CONFLICTS);
        }
    }

    fn into_report(mut self, rep: &mut MergeReport) {
        self.kept.sort_by_key(|(s, _)| *s);
        self.kept.truncate(MAX_CONFLICTS);
        rep.conflict_count = self.count;
        rep.conflicts = self.kept.into_iter().map(|(_, c)| c).collect();
    }
}

/// Joins units on their source: the merged units so far (with where their first unit came
/// from and its number in the input), indexed by a hash of the trimmed source (the text
/// itself is in `merged` already: the index costs a few words per unit, not a second copy).
struct Joiner<'l> {
    langs: &'l [String],
    merged: Vec<(Entry, Location, u64)>,
    by_source: HashMap<u64, Vec<usize>>,
    /// About how many bytes `merged` holds.
    bytes: usize,
}

impl<'l> Joiner<'l> {
    fn new(langs: &'l [String]) -> Self {
        Joiner {
            langs,
            merged: Vec::new(),
            by_source: HashMap::new(),
            bytes: 0,
        }
    }

    /// Unit number `seq` of the input: joined into an earlier unit with the same source and
    /// agreeing translations, dropped as a duplicate, or kept (and a conflict reported when
    /// an earlier unit translates the source otherwise).
    fn add(
        &mut self,
        p: Entry,
        here: Location,
        seq: u64,
        rep: &mut MergeReport,
        conflicts: &mut Conflicts,
    ) {
        let src = p.unit.variants[0].text.trim();
        let candidates = self.by_source.entry(hash_str(src)).or_default();
        let mut differs: Option<(usize, Vec<String>)> = None;
        for &k in candidates.iter() {
            let into = &mut self.merged[k].0;
            if into.unit.variants[0].text.trim() != src {
                continue; // another source with the same hash
            }
            let diff = differing_langs(into, &p);
            if diff.is_empty() {
                let before = entry_bytes(into);
                if join_into(into, p, self.langs) {
                    rep.joined += 1;
                    self.bytes += entry_bytes(into).saturating_sub(before);
                } else {
                    rep.duplicates += 1;
                }
                return;
            }
            if differs.is_none() {
                differs = Some((k, diff));
            }
        }
        if let Some((k, diff)) = differs {
            for lang in diff {
                conflicts.push(
                    seq,
                    Conflict {
                        source: src.to_string(),
                        text: p.unit.text(&lang).unwrap_or("").trim().to_string(),
                        lang,
                        at: here,
                        first: self.merged[k].1,
                    },
                );
            }
        }
        candidates.push(self.merged.len());
        self.bytes += entry_bytes(&p) + 48;
        self.merged.push((p, here, seq));
    }

    /// A unit already joined (in memory, before the spill): kept as it is, and compared
    /// with the later units of its source.
    fn place(&mut self, e: Entry, at: Location, first: u64) {
        let h = source_hash(&e);
        self.by_source.entry(h).or_default().push(self.merged.len());
        self.merged.push((e, at, first));
    }
}

/// Joins the units of a large merge through files on disk: the units, sorted by (source
/// hash, input order), come back grouped by source and are joined group by group exactly as
/// in memory; the merged units, sorted again by the input order of their first unit, come
/// back in the order an in-memory merge writes them. Memory stays near `budget`.
fn join_spilled<'l>(
    units: Sorter<Record>,
    langs: &'l [String],
    budget: usize,
    rep: &mut MergeReport,
    conflicts: &mut Conflicts,
) -> Result<Box<dyn Iterator<Item = Result<Entry, Error>>>, Error> {
    let mut sorted = units.into_sorted()?;
    let mut out: Sorter<Entry> = Sorter::new(budget);
    let mut group = Joiner::new(langs);
    let mut current = None;
    let flush = |group: &mut Joiner<'l>, out: &mut Sorter<Entry>| -> Result<(), Error> {
        for (e, _, first) in group.merged.drain(..) {
            let size = entry_bytes(&e);
            out.push((first, 0), e, size)?;
        }
        group.by_source.clear();
        Ok(())
    };
    while let Some(((h, seq), (e, at, placed))) = sorted.next_item()? {
        if current != Some(h) {
            flush(&mut group, &mut out)?;
            current = Some(h);
        }
        if placed {
            group.place(e, at, seq);
        } else {
            group.add(e, at, seq, rep, conflicts);
        }
    }
    flush(&mut group, &mut out)?;
    let mut sorted = out.into_sorted()?;
    Ok(Box::new(std::iter::from_fn(move || {
        sorted.next_item().transpose().map(|r| r.map(|(_, e)| e))
    })))
}

/// The languages in which both units have text and the texts differ (trimmed).
fn differing_langs(a: &Entry, b: &Entry) -> Vec<String> {
    b.unit
        .variants
        .iter()
        .skip(1)
        .filter(|v| {
            a.unit
                .variant(&v.lang)
                .is_some_and(|x| x.text.trim() != v.text.trim())
        })
        .map(|v| v.lang.clone())
        .collect()
}

/// Adds to `into` the variants of `from` in languages it lacks (keeping `langs` order, with
/// their extras); notes and props of `from` that `into` lacks are added too. True when a
/// language was added.
fn join_into(into: &mut Entry, from: Entry, langs: &[String]) -> bool {
    let mut extras_from = from.extras.into_iter();
    let mut added = false;
    for v in from.unit.variants {
        let ex = extras_from.next().unwrap_or_default();
        if into.unit.variant(&v.lang).is_some() {
            continue;
        }
        if into.extras.len() < into.unit.variants.len() {
            into.extras
                .resize_with(into.unit.variants.len(), Default::default);
        }
        let rank = |l: &str| langs.iter().position(|x| x == l).unwrap_or(usize::MAX);
        let at = into
            .unit
            .variants
            .iter()
            .position(|x| rank(&x.lang) > rank(&v.lang))
            .unwrap_or(into.unit.variants.len());
        into.unit.variants.insert(at, v);
        into.extras.insert(at, ex);
        added = true;
    }
    if added {
        for n in from.unit.notes {
            if !into.unit.notes.contains(&n) {
                into.unit.notes.push(n);
            }
        }
        for p in from.unit.props {
            if !into.unit.props.contains(&p) {
                into.unit.props.push(p);
            }
        }
        if into.extras.iter().all(VariantExtra::is_empty) {
            into.extras.clear();
        }
    }
    added
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

/// What [`stats`] counts in one batch of units (on a worker): the counts that add up, and per
/// unit the hashes the duplicate and conflict checks need, in order.
#[derive(Default)]
struct StatsPart {
    langs: Vec<LangStats>,
    incomplete: u64,
    /// Per unit: hash of its texts in every language, hash of its source text (if any).
    keys: Vec<(u64, Option<u64>)>,
}

fn count_units(units: impl IntoIterator<Item = Unit>, src: Option<&str>) -> StatsPart {
    use unicode_segmentation::UnicodeSegmentation;
    let mut part = StatsPart::default();
    for u in units {
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
            let ls = lang_stats(&mut part.langs, &v.lang);
            ls.segments += 1;
            ls.words += t.unicode_words().count() as u64;
            ls.chars += t.chars().count() as u64;
            if src.map_or(src_text.is_none(), |s| s == v.lang) {
                src_text = Some(t);
            }
        }
        if nonempty < 2 {
            part.incomplete += 1;
        }
        part.keys.push((key.finish(), src_text.map(hash_str)));
    }
    part
}

/// The entry of `lang` in `langs`, added (last) if missing: languages stay in order of first
/// appearance.
fn lang_stats<'s>(langs: &'s mut Vec<LangStats>, lang: &str) -> &'s mut LangStats {
    let i = match langs.iter().position(|l| l.lang == lang) {
        Some(i) => i,
        None => {
            langs.push(LangStats {
                lang: lang.to_string(),
                ..Default::default()
            });
            langs.len() - 1
        }
    };
    &mut langs[i]
}

/// Counts units, languages, words and duplicates of a translation memory.
///
/// Streams, and counts on every core: TMX chunks (or batches of units from the other readers)
/// are parsed and counted by workers; only the duplicate and conflict checks, which need the
/// units in order, run on one thread (on hashes: 16 bytes per distinct unit).
///
/// # Errors
/// Unknown format, syntax errors with position, I/O errors.
pub fn stats(input: &Path, from: Option<Format>) -> Result<Stats, crate::Error> {
    let f = format_of(input, from, "input")?;
    let mut st = Stats::default();
    let mut seen: std::collections::HashSet<u64> = Default::default();
    let mut by_src: HashMap<u64, u64> = HashMap::new();
    let mut add = |part: StatsPart| -> Result<(), Error> {
        for l in part.langs {
            let ls = lang_stats(&mut st.langs, &l.lang);
            ls.segments += l.segments;
            ls.words += l.words;
            ls.chars += l.chars;
        }
        st.incomplete += part.incomplete;
        for (k, sh) in part.keys {
            st.units += 1;
            if !seen.insert(k) {
                st.duplicates += 1;
            } else if let Some(sh) = sh {
                match by_src.get(&sh) {
                    Some(&first) if first != k => st.conflicting += 1,
                    Some(_) => {}
                    None => {
                        by_src.insert(sh, k);
                    }
                }
            }
        }
        Ok(())
    };
    if f == Format::Tmx {
        let mut r = tmx::Reader::from_reader(open_input(input)?, input)?;
        let src = ReadUnits::srclang(&r);
        let src = src.as_deref();
        let path = path_name(input);
        add(count_units(
            r.take_queued().into_iter().map(|e| e.unit),
            src,
        ))?;
        let work = |c: tmx::Chunk| -> Result<StatsPart, Error> {
            let mut entries = Vec::new();
            tmx::parse_body_chunk_text(&c, &path, &mut entries)?;
            Ok(count_units(entries.into_iter().map(|e| e.unit), src))
        };
        pipeline(|| r.next_chunk(), &work, add)?;
    } else {
        let mut r = open_units(input, f, &[])?;
        let src = r.srclang();
        let src = src.as_deref();
        let work = |batch: Vec<Entry>| -> Result<StatsPart, Error> {
            Ok(count_units(batch.into_iter().map(|e| e.unit), src))
        };
        pipeline(|| read_batch(&mut *r), &work, add)?;
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
        let p = project(e.clone(), &langs, Need::Source).unwrap();
        let got: Vec<_> = p.unit.variants.iter().map(|v| v.lang.as_str()).collect();
        assert_eq!(got, ["ar", "en-US"]);
        assert!(project(e.clone(), &langs, Need::All).is_none());
        assert!(project(e.clone(), &langs, Need::SourceAndTarget).is_some());
        assert!(project(e, &["de".to_string()], Need::Source).is_none());
    }
}
