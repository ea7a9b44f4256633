//! `dragoman merge`: several translation memories joined on their source text.

use super::ops::*;
use super::spill::Sorter;
use super::{
    csv, moses, path_name, Entry, Error, Format, ReadUnits, VariantExtra, WriteOptions, WriteUnits,
};
use std::collections::HashMap;

use std::path::{Path, PathBuf};

/// Options of [`merge`].
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// Input format for every input (default: from each extension).
    pub from: Option<Format>,
    /// Output format (default: from the extension).
    pub to: Option<Format>,
    /// Languages to keep, source first (default: every input's, the first input's source
    /// first). Given, a TMX unit keeps only these; Moses output takes units complete in all.
    pub langs: Vec<String>,
    /// CSV options.
    pub csv: csv::Options,
    /// How CSV/TSV inputs name their columns, when their header row does not (or they have
    /// none).
    pub csv_read: csv::ReadOptions,
    /// XLIFF reading options (as in [`super::ConvertOptions::xliff_read`]).
    pub xliff_read: super::xliff::ReadOptions,
    /// TMX: write only the units that have every language (for OmegaT); default: every unit
    /// with the source and a target, with the languages it has.
    pub complete: bool,
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

/// Merges `inputs` into `output`, joining units on their source text.
///
/// Units of memories that share a source language are joined when their source texts are
/// identical (after trimming) and their translations agree: `ar-en` + `ar-fr` give `ar-en-fr`
/// units. Identical units are written once. A unit whose translation into some language
/// differs from the one already joined is written separately and reported as a conflict.
/// The languages are those asked for, else the union of every input's languages, with the
/// first input's source first. CSV, TSV and TMX keep every unit with the languages it has (TMX:
/// with the source and a target; only complete units with `opts.complete`); Moses takes the
/// units complete in every language, and
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
    check_csv_options(Some(to), &opts.csv, None, &opts.csv_read)?;
    let mut readers: Vec<Box<dyn ReadUnits>> = Vec::new();
    for p in inputs {
        let f = format_of(p, opts.from, "input")?;
        readers.push(open_units(
            p,
            f,
            &opts.langs,
            &opts.csv_read,
            &opts.xliff_read,
        )?);
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
    let need = need_for(to, opts.complete);
    let others = others_kept(to, &opts.langs, need);

    // Read and join: in memory while the merged units fit in the budget, then through sorted
    // runs on disk (see `join_spilled`).
    let budget = opts.memory.unwrap_or(MERGE_MEMORY);
    let mut joiner = Joiner::new(&langs);
    let mut conflicts = Conflicts::default();
    let mut spill: Option<Sorter<Record>> = None;
    let mut seq = 0u64;
    // Languages the inputs declared none of (first met after their first units) that this
    // output cannot take: named in a warning, never dropped silently.
    let mut unlisted: Vec<String> = Vec::new();
    for (fi, r) in readers.iter_mut().enumerate() {
        let mut n = 0u64;
        while let Some(e) = r.read_entry()? {
            n += 1;
            rep.read += 1;
            if !others && opts.langs.is_empty() {
                for v in &e.unit.variants {
                    if !langs.contains(&v.lang) && !unlisted.contains(&v.lang) {
                        let n = super::norm_lang(&v.lang);
                        if !n.as_ref().is_some_and(|n| langs.contains(n)) {
                            unlisted.push(v.lang.clone());
                        }
                    }
                }
            }
            let Some(p) = project(e, &langs, Need::Source, others, to == Format::Tmx) else {
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
    for r in &readers {
        rep.warnings.extend(r.warnings());
    }
    let mut merged: Box<dyn Iterator<Item = Result<Entry, Error>>> = match spill {
        None => Box::new(joiner.merged.into_iter().map(|(e, _, _)| Ok(e))),
        Some(s) => {
            rep.spilled = true;
            join_spilled(s, &langs, budget, &mut rep, &mut conflicts)?
        }
    };
    conflicts.into_report(&mut rep);

    if !unlisted.is_empty() {
        rep.warnings.push(format!(
            "{} first appear(s) after the first units of the inputs and {} not written; \
             name every language with --langs (e.g. --langs {},{})",
            unlisted.join(","),
            if unlisted.len() == 1 { "is" } else { "are" },
            langs.join(","),
            unlisted.join(",")
        ));
    }

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
            match project(e, &langs, need, others, to == Format::Tmx) {
                Some(p) => {
                    w.write_entry(&p)?;
                    rep.written += 1;
                    if to == Format::Tmx && lacks_some(&p, &langs) {
                        rep.partial += 1;
                    }
                    for v in &p.unit.variants {
                        if !rep.langs.contains(&v.lang) {
                            rep.langs.push(v.lang.clone());
                        }
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
    completeness_warnings(
        to,
        need,
        rep.partial,
        rep.skipped,
        &langs,
        &mut rep.warnings,
    );
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
        + e.unit.attrs.iter().map(|(n, v)| s(n) + s(v)).sum::<usize>()
        + e.extras
            .iter()
            .map(|x| {
                96 + x.markup.as_deref().map_or(0, s)
                    + x.props
                        .iter()
                        .map(|p| s(&p.kind) + s(&p.value))
                        .sum::<usize>()
                    + x.notes.iter().map(|n| s(&n.text)).sum::<usize>()
                    + x.attrs.iter().map(|(n, v)| s(n) + s(v)).sum::<usize>()
            })
            .sum::<usize>()
}

/// The hash the units of one source share (text and codes, see [`codes`]).
fn source_hash(e: &Entry) -> u64 {
    hash_variant(&e.unit.variants[0].text, codes(e, 0))
}

/// The index of the variant in `lang` (languages are normalised by `project`).
fn index_of(e: &Entry, lang: &str) -> Option<usize> {
    e.unit.variants.iter().position(|v| v.lang == lang)
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
        let src_codes = codes(&p, 0);
        let candidates = self.by_source.entry(source_hash(&p)).or_default();
        let mut differs: Option<(usize, Vec<String>)> = None;
        for &k in candidates.iter() {
            let into = &mut self.merged[k].0;
            if into.unit.variants[0].text.trim() != src || codes(into, 0) != src_codes {
                continue; // another source with the same hash
            }
            let diff = differing_langs(into, &p);
            if diff.is_empty() {
                let before = entry_bytes(into);
                if join_into(into, p, self.langs) {
                    rep.joined += 1;
                } else {
                    rep.duplicates += 1;
                }
                self.bytes += entry_bytes(into).saturating_sub(before);
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
                        text: conflict_text(&p, &self.merged[k].0, &lang),
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

/// The languages in which both units have text and the texts (trimmed) or their inline codes
/// differ.
fn differing_langs(a: &Entry, b: &Entry) -> Vec<String> {
    b.unit
        .variants
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(j, v)| {
            index_of(a, &v.lang).is_some_and(|i| {
                a.unit.variants[i].text.trim() != v.text.trim() || codes(a, i) != codes(b, *j)
            })
        })
        .map(|(_, v)| v.lang.clone())
        .collect()
}

/// The translation of `p` into `lang` as a conflict shows it: the text, or, when it is the
/// same text as `first`'s with other inline codes, the TMX markup that shows the codes.
fn conflict_text(p: &Entry, first: &Entry, lang: &str) -> String {
    let Some(j) = index_of(p, lang) else {
        return String::new();
    };
    let text = p.unit.variants[j].text.trim();
    let same_text =
        index_of(first, lang).is_some_and(|i| first.unit.variants[i].text.trim() == text);
    match codes(p, j) {
        Some(m) if same_text => m.to_string(),
        None if same_text => format!("{text} (without the inline codes)"),
        _ => text.to_string(),
    }
}

/// Keeps the newest change of a unit met twice: `from`'s `changedate` (with its `changeid`)
/// when it is later than `into`'s (TMX dates compare as strings), so that a merge of an old
/// and an updated memory says when the unit last changed.
fn take_newer_change(into: &mut super::Attrs, from: &[(String, String)]) {
    let Some(theirs) = super::attr_value(from, "changedate") else {
        return;
    };
    if super::attr_value(into, "changedate").is_some_and(|mine| mine >= theirs) {
        return;
    }
    for name in ["changedate", "changeid"] {
        into.retain(|(n, _)| n != name);
        if let Some(v) = super::attr_value(from, name) {
            into.push((name.to_string(), v.to_string()));
        }
    }
}

/// Adds to `into` the variants of `from` in languages it lacks (keeping `langs` order, with
/// their extras); notes and props of `from` (of the unit and of the variants both have) that
/// `into` lacks are added too, and the newest change is kept. True when a language was added.
fn join_into(into: &mut Entry, from: Entry, langs: &[String]) -> bool {
    take_newer_change(&mut into.unit.attrs, &from.unit.attrs);
    let mut extras_from = from.extras.into_iter();
    let mut added = false;
    for v in from.unit.variants {
        let ex = extras_from.next().unwrap_or_default();
        if let Some(i) = index_of(into, &v.lang) {
            // The same translation: its `<tuv>` notes and props join the kept one's.
            if !ex.notes.is_empty() || !ex.props.is_empty() {
                if into.extras.len() < into.unit.variants.len() {
                    into.extras
                        .resize_with(into.unit.variants.len(), Default::default);
                }
                add_missing(&mut into.extras[i].notes, ex.notes);
                add_missing(&mut into.extras[i].props, ex.props);
            }
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
    // Notes and props of a duplicate too: a unit dropped as a duplicate loses nothing.
    add_missing(&mut into.unit.notes, from.unit.notes);
    add_missing(&mut into.unit.props, from.unit.props);
    if into.extras.iter().all(VariantExtra::is_empty) {
        into.extras.clear();
    }
    added
}

/// Appends the items of `from` that `into` lacks, in their order.
fn add_missing<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}
