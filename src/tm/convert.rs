//! `dragoman convert`: one translation memory to another format, streaming (TMX input is
//! parsed in chunks on every core when the output is CSV/TSV/TMX).

use super::ops::*;
use super::{
    csv, moses, norm_lang, path_name, tmx, xliff, Entry, Error, Format, ReadUnits, WriteOptions,
    WriteUnits,
};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

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
    /// How CSV/TSV input names its columns, when its header row does not (or it has none).
    pub csv_read: csv::ReadOptions,
    /// XLIFF options.
    pub xliff: xliff::Options,
    /// XLIFF reading options (alt-trans, target language of a file that declares none; the
    /// target language defaults to the second of `langs`).
    pub xliff_read: xliff::ReadOptions,
    /// Show a progress bar on stderr (hidden anyway when stderr is not a terminal).
    pub progress: bool,
    /// TMX: write only the units that have every language (what OmegaT needs: it fills a
    /// language missing from a `<tu>` with another one's text). Default: every unit with the
    /// source and at least one target, each with the languages it has (lossless).
    pub complete: bool,
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

pub(crate) fn progress_bar(enabled: bool, input: &Path) -> indicatif::ProgressBar {
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
    check_csv_options(Some(to), &opts.csv, Some(from), &opts.csv_read)?;
    let pb = progress_bar(opts.progress, input);
    let report = if from == Format::Tmx && matches!(to, Format::Csv | Format::Tsv | Format::Tmx) {
        convert_tmx_parallel(input, output, to, opts, &pb)?
    } else {
        convert_serial(
            open_units(input, from, &opts.langs, &opts.csv_read, &opts.xliff_read)?,
            &path_name(input),
            output,
            to,
            opts,
            &pb,
        )?
    };
    pb.finish_and_clear();
    Ok(report)
}

/// Writes the units of any reader to `output` as [`convert`] would (format from `opts.to` or the
/// extension, languages from `opts.langs` or the reader's, atomic output): what `tm export`
/// uses to write a store's units through the normal writers.
///
/// # Errors
/// As [`convert`].
pub fn convert_reader(
    r: Box<dyn ReadUnits + '_>,
    output: &Path,
    opts: &ConvertOptions,
) -> Result<ConvertReport, crate::Error> {
    let to = format_of(output, opts.to, "output")?;
    convert_serial(
        r,
        "<store>",
        output,
        to,
        opts,
        &indicatif::ProgressBar::hidden(),
    )
}

fn write_opts(langs: &[String], opts: &ConvertOptions) -> WriteOptions {
    WriteOptions {
        langs: langs.to_vec(),
        csv: opts.csv.clone(),
        tmx_header: None,
        xliff: opts.xliff.clone(),
    }
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
        rep.warnings.extend(r.warnings());
        return Ok(rep);
    }
    let need = need_for(to, opts.complete);
    let why = found_langs(&*r);
    let own = OwnSource::default();
    let mut pump = |w: &mut dyn WriteUnits, rep: &mut ConvertReport| -> Result<(), Error> {
        while let Some(e) = r.read_entry()? {
            rep.read += 1;
            own.note(std::slice::from_ref(&e), &langs);
            match project(e, &langs, need, false, false) {
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
    rep.warnings.extend(r.warnings());
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

/// How the parallel paths encode units: the output's format and languages, and the counts
/// the workers share.
struct Enc<'a> {
    to: Format,
    langs: &'a [String],
    need: Need,
    /// Languages outside `langs` are kept (see [`project`]).
    others: bool,
    csv: &'a csv::Options,
    /// TMX units written without every one of `langs`.
    partial: AtomicU64,
    /// Languages met outside `langs`: written (with `others`) or left out.
    unlisted: std::sync::Mutex<Vec<String>>,
}

impl Enc<'_> {
    /// Encodes entries into `to`'s bytes (no header or footer): (written, skipped).
    fn entries(&self, entries: Vec<Entry>, out: &mut Vec<u8>) -> Result<(u64, u64), Error> {
        let (mut written, mut skipped) = (0, 0);
        let langs = self.langs;
        note_unlisted(&entries, langs, &self.unlisted);
        if self.to == Format::Tmx {
            let mut w = tmx::Writer::fragment(out, langs)?;
            w.allow_partial(self.need != Need::All);
            for e in entries {
                match project(e, langs, self.need, self.others, true) {
                    Some(p) => {
                        w.write_entry(&p)?;
                        written += 1;
                        if lacks_some(&p, langs) {
                            self.partial.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    None => skipped += 1,
                }
            }
        } else {
            let mut w = csv::Writer::fragment(
                out,
                langs,
                self.csv.clone(),
                dialect_of(self.to, "".as_ref()),
            )?;
            for e in entries {
                match project(e, langs, self.need, false, false) {
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

    /// After the last unit: the counts and warnings into `rep` (languages written beyond
    /// `langs` join `rep.langs`; those left out are named).
    fn report(self, rep: &mut ConvertReport, path: &str, asked: &[String]) {
        rep.partial = self.partial.into_inner();
        let unlisted = self
            .unlisted
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.others {
            rep.langs.extend(unlisted);
        } else if !unlisted.is_empty() && asked.is_empty() {
            rep.warnings.push(format!(
                "{path}: {} first appear(s) after the first units and {} not written; \
                 name every language with --langs (e.g. --langs {},{})",
                unlisted.join(","),
                if unlisted.len() == 1 { "is" } else { "are" },
                self.langs.join(","),
                unlisted.join(",")
            ));
        }
        completeness_warnings(
            self.to,
            self.need,
            rep.partial,
            rep.skipped,
            &rep.langs,
            &mut rep.warnings,
        );
    }
}

/// Opens the output's header for the parallel paths (TMX, CSV, TSV). A TMX input's header
/// attributes that still hold for the output (`datatype`, `segtype`, `o-tmf`, `adminlang`,
/// `creationdate`, `creationid`, `changedate`, `changeid`, `o-encoding`, props, notes and
/// `<ude>`s) are kept; `srclang` is the first output language and
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
    let need = need_for(to, opts.complete);
    let why = found_langs(&r);
    let enc = Enc {
        to,
        langs: &langs,
        need,
        others: others_kept(to, &opts.langs, need),
        csv: &opts.csv,
        partial: AtomicU64::new(0),
        unlisted: Default::default(),
    };
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
        let (w, s) = enc.entries(first, &mut buf)?;
        rep.written += w;
        rep.skipped += s;
        sink.write(&buf)?;
        let (chunks, outs) = (Pool::default(), Pool::default());
        let work = |c: tmx::Chunk| -> Result<Encoded, Error> {
            let mut out = outs.get();
            // The scanner's rows carry texts only: with metadata columns, full entries.
            let res = if to != Format::Tmx && opts.csv.columns.is_empty() {
                encode_rows(
                    &c,
                    &path,
                    &langs,
                    delim,
                    &opts.csv,
                    &enc.unlisted,
                    &own,
                    out,
                )
            } else {
                let mut entries = Vec::new();
                tmx::parse_body_chunk(&c, &path, &mut entries)?;
                own.note(&entries, &langs);
                let n = entries.len() as u64;
                let (w, s) = enc.entries(entries, &mut out)?;
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
    enc.report(&mut rep, &path, &opts.langs);
    rep.warnings.extend(own.warning(&path, &langs));
    rep.own_srclang = own.units.load(Ordering::Relaxed);
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
    let need = need_for(to, opts.complete);
    let why = found_langs(r);
    let enc = Enc {
        to,
        langs: &langs,
        need,
        others: others_kept(to, &opts.langs, need),
        csv: &opts.csv,
        partial: AtomicU64::new(0),
        unlisted: Default::default(),
    };
    write_named(output, |out| {
        let sink = open_sink(out, to, &langs, &opts.csv, None, output)?;
        let outs = Pool::default();
        let work = |batch: Vec<Entry>| -> Result<Encoded, Error> {
            let n = batch.len() as u64;
            let mut out = outs.get();
            let (w, s) = enc.entries(batch, &mut out)?;
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
    enc.report(rep, "the input", &opts.langs);
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
            if !matches!(e.unit.text(&langs[0]), Some(t) if !t.trim().is_empty()) {
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
fn two_texts_in_one_lang(u: &super::Unit, langs: &[String]) -> bool {
    let vs = &u.variants;
    vs.len() >= 2
        && langs.iter().any(|l| {
            let mut t = vs
                .iter()
                .filter(|v| v.lang == *l && !v.text.trim().is_empty());
            t.next().is_some_and(|a| t.any(|b| b.text != a.text))
        })
}

/// CSV/TSV rows of a chunk straight from the parser's text slots (no `Unit`s): same bytes as
/// `project` + `csv::Writer::write_entry` (inline codes rendered by `csv_opts.codes`).
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
