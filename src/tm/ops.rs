//! The work behind `dragoman convert`, `merge` and `stats`, as library functions (the CLI files
//! only parse flags and print).
//!
//! Everything streams: units go from a reader to a writer one at a time (TMX input is parsed
//! in chunks on every core when the output is CSV/TSV/TMX), so memory does not grow with the
//! file. `merge` and `stats` keep 64-bit hashes per distinct unit (about 40 bytes each) to
//! find duplicates and conflicts. Outputs are written atomically (`crate::io::write_output`):
//! a failed run leaves no half-written file.
//!
//! The work itself is in `convert.rs`, `merge.rs` and `stats.rs`; this module holds what they
//! share (opening inputs, choosing and projecting languages, the parallel pipeline, the
//! messages about units left out) and re-exports their public items.

use std::collections::hash_map::DefaultHasher;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use super::{
    create_writer, csv, moses, norm_lang, open_reader, path_name, tmx, Entry, Error, Format,
    ReadUnits, Unit, VariantExtra, WriteOptions, WriteUnits,
};

pub use super::convert::{convert, convert_reader, ConvertOptions, ConvertReport};
pub use super::merge::{
    merge, Conflict, Location, MergeOptions, MergeReport, MAX_CONFLICTS, MERGE_MEMORY,
};
pub use super::stats::{stats, stats_with, LangStats, Stats, StatsOptions};

/// Opens `path` (or standard input for `-`) as a buffered reader.
pub(super) fn open_input(path: &Path) -> Result<Box<dyn BufRead>, Error> {
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

/// A reader of `path` in format `f` (Moses: the file of each of `langs` beside it; CSV/TSV:
/// columns named by `csv` when the header row does not name them; XLIFF: with `xo`, its
/// target language defaulting to the second of `langs`).
pub(crate) fn open_units(
    path: &Path,
    f: Format,
    langs: &[String],
    csv: &csv::ReadOptions,
    xo: &super::xliff::ReadOptions,
) -> Result<Box<dyn ReadUnits>, Error> {
    match f {
        Format::Moses => Ok(Box::new(moses::Reader::open(path, langs)?)),
        Format::Xliff => {
            let mut xo = xo.clone();
            if xo.target_lang.is_none() {
                xo.target_lang = langs.get(1).cloned();
            }
            Ok(Box::new(super::xliff::Reader::with_options(
                open_input(path)?,
                path,
                xo,
            )?))
        }
        Format::Csv | Format::Tsv if !csv.is_default() => {
            let delim = if f == Format::Csv { b',' } else { b'\t' };
            Ok(Box::new(csv::Reader::with_options(
                open_input(path)?,
                path,
                delim,
                csv,
            )?))
        }
        _ => open_reader(f, open_input(path)?, path, &[]),
    }
}

pub(crate) fn format_of(path: &Path, given: Option<Format>, what: &str) -> Result<Format, Error> {
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

pub(super) fn normalise_langs(langs: &[String]) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    for l in langs {
        let n = norm_lang(l).ok_or_else(|| {
            Error::invalid(
                "--langs",
                format!("{} is not a BCP 47 language tag", crate::error::quoted(l)),
            )
        })?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// [`crate::io::write_output`], with the writers' errors about `<output>` (they do not know
/// their file) naming the output file, or `<stdout>`.
pub(super) fn write_named<F>(output: &Path, write: F) -> Result<(), crate::Error>
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
pub(super) fn out_name(path: &Path) -> String {
    path_name(crate::io::output_name(path))
}

/// The languages to write: those asked for, or the reader's with its source first.
pub(super) fn pick_langs(asked: &[String], r: &dyn ReadUnits) -> Result<Vec<String>, Error> {
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
    /// The source and at least one target (TMX by default).
    SourceAndTarget,
    /// Every language (Moses; TMX with `--complete`).
    All,
}

/// Keeps the variants in `langs` (in that order), and with `others` the unit's variants in
/// other languages too, after them (a TMX written without `--langs` keeps every language a
/// unit has, even one first met late in the file). `None` when the unit lacks what `need`
/// asks (the source is always needed; with `others`, any other language counts as a target).
/// With `codes`, a variant whose segment holds only inline codes (a lone placeholder, no
/// text) is kept: a TMX writes it as it was; plain-text outputs leave it out.
pub(crate) fn project(
    e: Entry,
    langs: &[String],
    need: Need,
    others: bool,
    codes: bool,
) -> Option<Entry> {
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
    let mut rest: Vec<(super::Variant, VariantExtra)> = Vec::new();
    let mut extras = extras.into_iter();
    for v in variants {
        let ex = extras.next().unwrap_or_default();
        let only_codes = codes && ex.markup.as_deref().is_some_and(|m| !m.trim().is_empty());
        if v.text.trim().is_empty() && !only_codes {
            continue;
        }
        let n = norm_lang(&v.lang);
        let k = langs
            .iter()
            .position(|l| *l == v.lang)
            .or_else(|| langs.iter().position(|l| Some(l) == n.as_ref()));
        match k {
            Some(k) if slots[k].is_none() => slots[k] = Some((v, ex)),
            Some(_) => {}
            None if others => {
                let Some(n) = n else { continue };
                if !rest.iter().any(|(r, _)| r.lang == n) {
                    rest.push((super::Variant { lang: n, ..v }, ex));
                }
            }
            None => {}
        }
    }
    let missing = match need {
        Need::Source => false,
        Need::SourceAndTarget => slots[1..].iter().all(Option::is_none) && rest.is_empty(),
        Need::All => slots.iter().any(Option::is_none),
    };
    // With `others` (a lossless TMX), a unit with a `srclang` of its own (TMX 1.4b section
    // 3.3) needs that language, not the header's, and one more.
    let own_source = others
        && super::attr_value(&attrs, "srclang").is_some_and(|l| {
            let present = slots.iter().flatten().chain(rest.iter());
            let mut present = present.map(|(v, _)| v.lang.as_str()).collect::<Vec<_>>();
            present.dedup();
            present.len() >= 2
                && (l == "*all*"
                    || norm_lang(l).is_some_and(|n| {
                        present
                            .iter()
                            .any(|p| norm_lang(p).as_deref() == Some(n.as_str()))
                    }))
        });
    if !own_source && (slots[0].is_none() || missing) {
        return None;
    }
    let mut out = Entry {
        unit: Unit {
            id,
            created,
            props,
            notes,
            variants: Vec::with_capacity(langs.len() + rest.len()),
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
    for (v, ex) in rest {
        out.unit.variants.push(v);
        out.extras.push(ex);
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
/// A TMX takes every unit with the source and a target (lossless; TMX 1.4b allows units with
/// different language sets), unless `complete` asks for units in every language: OmegaT
/// fills a language missing from a `<tu>` with another one's text (shared/bench/cat
/// CONVENTIONS.md, "every `<tu>` complete in a multilingual file"), so a TMX for OmegaT is
/// written with `--complete` (and without it gets [`partial_warning`]).
pub(super) fn need_for(f: Format, complete: bool) -> Need {
    match f {
        Format::Moses => Need::All,
        Format::Tmx if complete => Need::All,
        Format::Tmx => Need::SourceAndTarget,
        _ => Need::Source,
    }
}

/// Whether units keep their languages outside the list (see [`project`]): for a TMX written
/// without `--langs` and without `--complete`, whose language set is open.
pub(super) fn others_kept(to: Format, asked: &[String], need: Need) -> bool {
    to == Format::Tmx && asked.is_empty() && need == Need::SourceAndTarget
}

/// The inline codes of variant `i` of `e`: its markup (TMX `<seg>` content, trimmed) when it
/// holds an inline element. Codes are part of a unit's identity: `The <bpt i="1"/>big<ept
/// i="1"/> cat` and `The big cat` are two units for `merge` and `stats`, never duplicates.
/// (Markup that only differs from the text by a comment or CDATA is not a code.)
pub(super) fn codes(e: &Entry, i: usize) -> Option<&str> {
    const INLINE: [&str; 7] = ["<bpt", "<ept", "<ph", "<it", "<hi", "<ut", "<sub"];
    let m = e.extras.get(i)?.markup.as_deref()?.trim();
    INLINE.iter().any(|t| m.contains(t)).then_some(m)
}

/// A hash of a variant's identity: its trimmed text and its [`codes`].
pub(super) fn hash_variant(text: &str, codes: Option<&str>) -> u64 {
    let mut h = DefaultHasher::new();
    (text.trim(), codes).hash(&mut h);
    h.finish()
}

/// Refuses CSV options that would be ignored: `--columns` for another output than CSV/TSV,
/// `--no-header`/`--header-map` for an input that is not CSV/TSV (`input` is `None` for
/// merge, whose inputs may mix formats).
pub(super) fn check_csv_options(
    to: Option<Format>,
    write: &csv::Options,
    input: Option<Format>,
    read: &csv::ReadOptions,
) -> Result<(), Error> {
    let csv = |f: Format| matches!(f, Format::Csv | Format::Tsv);
    if to.is_some_and(|f| !csv(f)) && !write.columns.is_empty() {
        return Err(Error::invalid(
            "--columns",
            "only for CSV/TSV output (TMX keeps ids, notes, dates and props anyway)",
        ));
    }
    if input.is_some_and(|f| !csv(f)) && !read.is_default() {
        return Err(Error::invalid(
            "--no-header/--header-map",
            "only for CSV/TSV input, whose columns they name",
        ));
    }
    Ok(())
}

/// True when the entry lacks one of `langs` (a partial TMX unit).
pub(super) fn lacks_some(e: &Entry, langs: &[String]) -> bool {
    langs
        .iter()
        .any(|l| !e.unit.variants.iter().any(|v| v.lang == *l))
}

/// The warnings about units and languages in a TMX output: units written without every
/// language (`partial`), or left out for lacking what `need` asks (`skipped`).
pub(super) fn completeness_warnings(
    to: Format,
    need: Need,
    partial: u64,
    skipped: u64,
    langs: &[String],
    warnings: &mut Vec<String>,
) {
    partial_warning(partial, langs, warnings);
    left_out_warning(to, need, skipped, langs, warnings);
}

/// Says how many TMX units were left out for lacking a language, and how to keep them.
pub(super) fn left_out_warning(
    to: Format,
    need: Need,
    skipped: u64,
    langs: &[String],
    warnings: &mut Vec<String>,
) {
    if to != Format::Tmx || skipped == 0 {
        return;
    }
    let (units, were) = if skipped == 1 {
        ("unit", "was")
    } else {
        ("units", "were")
    };
    if need == Need::All && langs.len() > 2 {
        warnings.push(format!(
            "{skipped} {units} without text in every one of {} {were} left out of the TMX              (--complete); without --complete every unit with the source and a target is              written, or write one pair at a time (--langs {},{}), or CSV, which keeps every unit",
            langs.join(","),
            langs[0],
            langs[1]
        ));
    } else if need == Need::SourceAndTarget {
        warnings.push(format!(
            "{skipped} {units} without {} (source) text or without a translation {were} left out              of the TMX (a TMX unit needs both); CSV keeps units that have only the source",
            langs[0]
        ));
    }
}

/// Warns about TMX units written without every language: the TMX standard allows them, but
/// OmegaT fills the missing language with another one's text (shared/bench/cat CONVENTIONS.md,
/// `bad-missing-target.tmx`).
pub(super) fn partial_warning(partial: u64, langs: &[String], warnings: &mut Vec<String>) {
    if partial > 0 {
        let units = if partial == 1 {
            "unit lacks"
        } else {
            "units lack"
        };
        warnings.push(format!(
            "{partial} TMX {units} some of {} (valid TMX, kept): OmegaT fills a missing              language with another language's text; for OmegaT use --complete, or write one              pair at a time (--langs {},{}) or CSV",
            langs.join(","),
            langs[0],
            langs.get(1).map_or("en", String::as_str)
        ));
    }
}

/// The languages the input's first units have, for [`nothing_written`].
pub(super) fn found_langs(r: &dyn ReadUnits) -> String {
    let l = r.langs();
    if l.is_empty() {
        String::new()
    } else {
        format!(" (the input's first units are in {})", l.join(","))
    }
}

/// The error for an output that would hold no unit although the input has some: an empty
/// file written with success hides the mistake (languages that do not match the input).
pub(super) fn nothing_written(
    output: &Path,
    read: u64,
    langs: &[String],
    need: Need,
    why: &str,
) -> Error {
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

/// A streaming writer for the serial paths: like [`create_writer`], except that CSV to
/// standard output has no BOM and TMX takes units without every target unless `need` is
/// [`Need::All`].
/// The header of a TMX output: dragoman's, with what still holds of the input's (`header`,
/// when the input is a TMX): `datatype`, `segtype`, `o-tmf`, `adminlang`, `creationdate`,
/// props, notes, `<ude>`s and the other attributes (`creationid`, `changedate`, `changeid`,
/// `o-encoding`); `srclang` is the first output language and `creationtool` is dragoman.
pub(super) fn output_header(srclang: &str, header: Option<&tmx::Header>) -> tmx::Header {
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

pub(super) fn make_writer<'a>(
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

pub(super) fn check_langs(langs: &[String], to: Format, output: &Path) -> Result<(), Error> {
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

/// The CSV/TSV dialect for `output`: CSV files start with a BOM (Excel needs it to read
/// UTF-8), CSV on standard output does not (a BOM in a pipe is a stray character for `grep`,
/// `cut` or a program reading the header); TSV never has one.
pub(super) fn dialect_of(to: Format, output: &Path) -> csv::Dialect {
    if to == Format::Tsv {
        csv::Dialect::TSV
    } else {
        csv::Dialect {
            bom: output.as_os_str() != "-",
            ..csv::Dialect::CSV
        }
    }
}

/// A bounded, ordered pipeline: the calling thread `produce`s jobs and `consume`s results in
/// job order; one worker per core runs `work`. At most two jobs per core exist at once, so
/// memory stays at a few jobs whatever the input size. Stops at the first error.
pub(crate) fn pipeline<J: Send, R: Send, E: Send>(
    mut produce: impl FnMut() -> Result<Option<J>, E>,
    work: &(dyn Fn(J) -> Result<R, E> + Sync),
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let in_flight_max = workers * 2;
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(u64, J)>(in_flight_max);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (res_tx, res_rx) = std::sync::mpsc::channel::<(u64, Result<R, E>)>();
    std::thread::scope(|scope| -> Result<(), E> {
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
        let result = (|| -> Result<(), E> {
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

/// Units per job when a serial reader (CSV, XLIFF, Moses) feeds the parallel workers.
pub(super) const BATCH_UNITS: usize = 4096;

/// The next [`BATCH_UNITS`] units of `r` (fewer at the end), `None` after the last.
pub(super) fn read_batch(r: &mut dyn ReadUnits) -> Result<Option<Vec<Entry>>, Error> {
    let mut batch = Vec::with_capacity(BATCH_UNITS);
    while batch.len() < BATCH_UNITS {
        match r.read_entry()? {
            Some(e) => batch.push(e),
            None => break,
        }
    }
    Ok((!batch.is_empty()).then_some(batch))
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
        let p = project(e.clone(), &langs, Need::Source, false, false).unwrap();
        let got: Vec<_> = p.unit.variants.iter().map(|v| v.lang.as_str()).collect();
        assert_eq!(got, ["ar", "en-US"]);
        assert!(project(e.clone(), &langs, Need::All, false, false).is_none());
        assert!(project(e.clone(), &langs, Need::SourceAndTarget, false, false).is_some());
        assert!(project(e.clone(), &["de".to_string()], Need::Source, false, false).is_none());
        // Languages outside the list: dropped, or kept after the listed ones.
        let two = vec!["en-US".to_string(), "de".to_string()];
        assert!(project(e.clone(), &two, Need::SourceAndTarget, false, false).is_none());
        let p = project(e, &two, Need::SourceAndTarget, true, false).unwrap();
        let got: Vec<_> = p.unit.variants.iter().map(|v| v.lang.as_str()).collect();
        assert_eq!(got, ["en-US", "ar"]);
    }
}
