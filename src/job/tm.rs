//! The translation memory of a job: one or more stores or TM files, opened into one fuzzy
//! [`Index`] with what matching needs beside it (where each unit came from, its document
//! context, its props and its target's inline codes).
//!
//! This module is the one place that knows where units come from: `tm lookup`, `tm
//! concordance` and the job commands all open TMs through [`load_index`] / [`JobTm::open`].
//!
//! # Context
//! A context match (101%) needs the TM unit's neighbours, taken as [`crate::tm::context`]
//! says: its `x-context-pre` / `x-context-post` props, else its place in its `x-document`. A
//! unit with neither has no context and can only be a 100% match. A store keeps a repeated
//! unit once, and beside it every place it was imported at (its `contexts` table): such a unit
//! has several contexts, and a segment matching any of them is a context match, as the same
//! units loaded from the TMX files would give.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Error;
pub(crate) use crate::tm::context::{text_hash, END, NO_CONTEXT, START};
use crate::tm::fuzzy::index::FxMap;
use crate::tm::fuzzy::{Index, IndexBuilder};
use crate::tm::{self, Entry, Format, Prop};

/// Where a TM is: a store (an SQLite file made by `tm import`, or a `postgres://` URL) or a
/// TMX, CSV/TSV, XLIFF or Moses file loaded on the fly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmSpec {
    /// The path or URL.
    pub location: String,
    /// The file format, when the extension does not tell it.
    pub format: Option<Format>,
}

impl TmSpec {
    /// A TM at `location`, format from its extension (or its content, for a store).
    pub fn new(location: impl Into<String>) -> TmSpec {
        TmSpec {
            location: location.into(),
            format: None,
        }
    }

    /// True for a store: a `postgres://` URL, or a file that starts with SQLite's header
    /// (whatever its name: `tm.db` would otherwise pass for a Moses file in the `db`
    /// language).
    pub fn is_store(&self) -> bool {
        if self.format.is_some() {
            return false;
        }
        if tm::store::is_postgres_url(&self.location) {
            return true;
        }
        use std::io::Read;
        let mut head = [0u8; 16];
        std::fs::File::open(&self.location)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && &head == b"SQLite format 3\0"
    }

    fn path(&self) -> PathBuf {
        PathBuf::from(&self.location)
    }
}

/// Languages of a TM, resolved from what the caller gave and what the file declares.
fn same_lang(a: &str, b: &str) -> bool {
    crate::Lang::parse(&a.replace('_', "-")).ok() == crate::Lang::parse(&b.replace('_', "-")).ok()
}

/// What [`scan`] calls once the TM is open: with its source and target languages and, for a
/// store, the store.
type OnOpen<'a> = dyn FnMut(&str, &str, Option<&mut tm::store::Store>) -> Result<(), Error> + 'a;

/// Reads every unit of `spec` and hands it to `f`, after telling `langs` the source and
/// target languages (given ones, else the file's source language and its first other
/// language), and for a store the store itself (to read what it keeps beside the units).
/// `convert` gets each unit with, for a store, its identity hash.
///
/// # Errors
/// Unreadable or malformed files (with position); a store without both languages given;
/// languages that cannot be told.
fn scan<T: Send>(
    spec: &TmSpec,
    src: Option<&str>,
    tgt: Option<&str>,
    progress: &(dyn Fn(u64) + Sync),
    langs: &mut OnOpen<'_>,
    convert: &(dyn Fn(Entry, Option<i64>) -> T + Sync),
    f: &mut dyn FnMut(T),
) -> Result<(), Error> {
    let path = spec.path();
    for l in [src, tgt].into_iter().flatten() {
        crate::Lang::parse(l)?;
    }
    if spec.is_store() {
        let (Some(src), Some(tgt)) = (src, tgt) else {
            return Err(Error::input(
                &path,
                None,
                "a store holds several language pairs: give --source-lang and --target-lang",
            ));
        };
        let mut st =
            tm::store::Store::open(&spec.location, tm::store::Mode::Read, tm::store::READ_WAIT)?;
        langs(src, tgt, Some(&mut st))?;
        let mut n = 0u64;
        // Rows are decoded and converted on every core, as TMX chunks are parsed.
        st.for_each_unit_converted(src, tgt, &|u| convert(u.entry, Some(u.hash)), |x| {
            n += 1;
            if n % 16384 == 0 {
                progress(n);
            }
            f(x);
            Ok(())
        })?;
        return Ok(());
    }
    let format = spec
        .format
        .or_else(|| Format::from_path(&path))
        .ok_or_else(|| {
            Error::input(
            &path,
            None,
            "cannot tell the TM format from the name (use a .tmx, .csv, .tsv, .xlf or Moses name)",
        )
        })?;
    let given: Vec<String> = [src, tgt].into_iter().flatten().map(String::from).collect();
    if format == Format::Tmx {
        let mut r = tm::tmx::Reader::from_reader(open_input(&path)?, &path)?;
        let mut early = Vec::new();
        let (s, t) = resolve_langs(&mut r, &path, src, tgt, &mut early)?;
        langs(&s, &t, None)?;
        early
            .into_iter()
            .chain(r.take_queued())
            .for_each(|e| f(convert(e, None)));
        // The body's chunks are parsed on every core, in order, and each unit converted
        // there too (`convert` keeps what the caller needs, so the many small allocations of
        // a parsed unit are made and freed on one thread): parsing is most of the time of
        // opening a large TM.
        let name = tm::path_name(&path);
        let work = |c: tm::tmx::Chunk| -> Result<Vec<T>, tm::Error> {
            let mut entries = Vec::new();
            tm::tmx::parse_body_chunk(&c, &name, &mut entries)?;
            Ok(entries.into_iter().map(|e| convert(e, None)).collect())
        };
        tm::ops::pipeline(
            || {
                let c = r.next_chunk()?;
                if let Some(c) = &c {
                    progress(c.base.byte + c.bytes.len() as u64);
                }
                Ok(c)
            },
            &work,
            |entries| {
                entries.into_iter().for_each(&mut *f);
                Ok(())
            },
        )?;
        return Ok(());
    }
    let mut r = if format == Format::Moses {
        tm::open_reader(format, Box::new(std::io::empty()), &path, &given)?
    } else {
        tm::open_reader(format, open_input(&path)?, &path, &[])?
    };
    let mut early = Vec::new();
    let (s, t) = resolve_langs(&mut *r, &path, src, tgt, &mut early)?;
    langs(&s, &t, None)?;
    early.into_iter().for_each(|e| f(convert(e, None)));
    let mut n = 0u64;
    while let Some(e) = r.read_entry()? {
        n += 1;
        if n % 16384 == 0 {
            progress(r.bytes_read());
        }
        f(convert(e, None));
    }
    Ok(())
}

/// The source and target languages of a TM file: the given ones, else its declared source
/// and first other language. When the header tells no other language (a TMX with
/// `srclang="*all*"`), the first unit is read to find it and left in `early`.
fn resolve_langs<R: tm::ReadUnits + ?Sized>(
    r: &mut R,
    path: &Path,
    src: Option<&str>,
    tgt: Option<&str>,
    early: &mut Vec<Entry>,
) -> Result<(String, String), Error> {
    let src = match src {
        Some(l) => l.to_string(),
        None => r.srclang().ok_or_else(|| {
            Error::input(path, None, "no source language declared: use --source-lang")
        })?,
    };
    if let Some(t) = tgt {
        return Ok((src, t.to_string()));
    }
    let mut file_langs = r.langs();
    if !file_langs.iter().any(|l| !same_lang(l, &src)) {
        if let Some(e) = r.read_entry()? {
            for v in &e.unit.variants {
                if !file_langs.contains(&v.lang) {
                    file_langs.push(v.lang.clone());
                }
            }
            early.push(e);
        }
    }
    let tgt = file_langs
        .iter()
        .find(|l| !same_lang(l, &src))
        .cloned()
        .ok_or_else(|| {
            Error::input(
                path,
                None,
                format!("no language but {src}: use --target-lang"),
            )
        })?;
    Ok((src, tgt))
}

fn open_input(path: &Path) -> Result<Box<dyn BufRead>, Error> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::BufReader::new(std::io::stdin())));
    }
    let f = std::fs::File::open(path).map_err(|e| crate::Error::io(path, e))?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, f)))
}

/// Loads `spec` into a fuzzy index for `src` -> `tgt` (each defaults to what the file declares:
/// its source language, its first other language). What `tm lookup` and `tm concordance`
/// search.
///
/// # Errors
/// Unreadable or malformed files; a TM with no unit in both languages (naming the languages
/// it has).
pub fn load_index(spec: &TmSpec, src: Option<&str>, tgt: Option<&str>) -> Result<Index, Error> {
    load(spec, src, tgt, false).map(|(index, _)| index)
}

/// Like [`load_index`], with the inline codes of the units whose source and target both have
/// some: what [`crate::tm::fuzzy::transfer_codes`] needs and the index does not keep.
///
/// # Errors
/// As [`load_index`].
pub fn load_index_with_codes(
    spec: &TmSpec,
    src: Option<&str>,
    tgt: Option<&str>,
) -> Result<(Index, CodeMap), Error> {
    load(spec, src, tgt, true)
}

fn load(
    spec: &TmSpec,
    src: Option<&str>,
    tgt: Option<&str>,
    with_codes: bool,
) -> Result<(Index, CodeMap), Error> {
    let mut codes = CodeMap::default();
    let builder: std::cell::RefCell<Option<IndexBuilder>> = Default::default();
    let mut langs_seen: Vec<String> = Vec::new();
    scan(
        spec,
        src,
        tgt,
        &|_| {},
        &mut |s, t, _| {
            *builder.borrow_mut() = Some(IndexBuilder::new(s, t));
            Ok(())
        },
        &|e, _| e,
        &mut |e| {
            note_langs(&mut langs_seen, &e);
            if let Some(b) = builder.borrow_mut().as_mut() {
                let n = b.len();
                if b.push(&e) && with_codes {
                    codes.note(n, &e, b.source_lang(), b.target_lang());
                }
            }
        },
    )?;
    let b = builder
        .into_inner()
        .ok_or_else(|| Error::input(spec.path(), None, "no languages"))?;
    if b.is_empty() {
        return Err(no_pair(spec, b.source_lang(), b.target_lang(), &langs_seen));
    }
    Ok((b.build(), codes))
}

/// The (source, target) texts of every unit of `spec` that has both `src` and `tgt`: what
/// `align --tm` learns its lexicon from. Units are read as `prepare` reads them (TMX, CSV/TSV,
/// XLIFF, Moses or a store); texts are the plain ones (inline codes left out), one unit a
/// pair, units with an empty side skipped.
///
/// # Errors
/// Unreadable or malformed files (with position), a store that cannot be opened, and a TM
/// with no unit in both languages (naming it and the languages it has).
pub fn read_pairs(spec: &TmSpec, src: &str, tgt: &str) -> Result<Vec<(String, String)>, Error> {
    read_pairs_or_langs(spec, src, tgt)?.map_err(|langs| no_pair(spec, src, tgt, &langs))
}

/// A TM's (source, target) pairs, or the languages it has when no unit has the pair.
pub(crate) type PairsOrLangs = Result<Vec<(String, String)>, Vec<String>>;

/// [`read_pairs`], with `Err(languages of the TM)` rather than an error when no unit has the
/// pair (a project's build skips such a TM for that pair).
pub(crate) fn read_pairs_or_langs(
    spec: &TmSpec,
    src: &str,
    tgt: &str,
) -> Result<PairsOrLangs, Error> {
    let mut langs_seen: Vec<String> = Vec::new();
    let mut pairs = Vec::new();
    let mut units = 0usize;
    let convert = |e: Entry, _: Option<i64>| -> Result<(String, String), Vec<String>> {
        let u = e.unit;
        match (u.variant(src), u.variant(tgt)) {
            (Some(s), Some(t)) => Ok((s.text.clone(), t.text.clone())),
            _ => Err(u.variants.into_iter().map(|v| v.lang).collect()),
        }
    };
    scan(
        spec,
        Some(src),
        Some(tgt),
        &|_| {},
        &mut |_, _, _| Ok(()),
        &convert,
        &mut |r| match r {
            Ok((s, t)) => {
                units += 1;
                if !s.trim().is_empty() && !t.trim().is_empty() {
                    pairs.push((s, t));
                }
            }
            Err(langs) => {
                for x in langs {
                    if langs_seen.len() < 16 && !langs_seen.contains(&x) {
                        langs_seen.push(x);
                    }
                }
            }
        },
    )?;
    Ok(if units == 0 {
        Err(langs_seen)
    } else {
        Ok(pairs)
    })
}

/// The inline-code markup (TMX form) of the source and the target of the units that have
/// codes on both sides, by unit number: kept beside an [`Index`], which matches on plain text.
#[derive(Debug, Default, Clone)]
pub struct CodeMap {
    map: FxMap<u32, (Box<str>, Box<str>)>,
}

impl CodeMap {
    /// Records unit `n`'s markup when both `src` and `tgt` variants of `e` have some.
    fn note(&mut self, n: usize, e: &Entry, src: &str, tgt: &str) {
        let u = &e.unit;
        let markup = |lang: &str| {
            let v = u.variant(lang)?;
            let i = u.variants.iter().position(|x| std::ptr::eq(x, v))?;
            e.extras.get(i).and_then(|x| x.markup.as_deref())
        };
        if let (Some(s), Some(t)) = (markup(src), markup(tgt)) {
            self.map.insert(n as u32, (s.into(), t.into()));
        }
    }

    /// The (source, target) markup of unit `n`, when both have codes.
    pub fn get(&self, n: usize) -> Option<(&str, &str)> {
        self.map.get(&(n as u32)).map(|(s, t)| (&**s, &**t))
    }

    /// Units with codes on both sides.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no unit has codes on both sides.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Remembers the languages of the first units, for a message about missing ones.
fn note_langs(seen: &mut Vec<String>, e: &Entry) {
    if seen.len() < 16 {
        for v in &e.unit.variants {
            if !seen.contains(&v.lang) {
                seen.push(v.lang.clone());
            }
        }
    }
}

fn no_pair(spec: &TmSpec, s: &str, t: &str, langs: &[String]) -> Error {
    Error::input(
        spec.path(),
        None,
        format!(
            "no unit has both {s} and {t} (languages of the TM: {})",
            if langs.is_empty() {
                "none".to_string()
            } else {
                langs.join(", ")
            }
        ),
    )
}

/// A job's translation memory: the fuzzy index of every TM given, for one language pair, and
/// per unit its origin, context, props and target codes.
#[derive(Debug)]
pub struct JobTm {
    index: Index,
    /// Display names of the TMs, in the order given.
    origins: Vec<String>,
    /// First unit of each TM in the index (`origins.len()` entries).
    origin_start: Vec<usize>,
    /// (previous, next) neighbour hash of each unit.
    context: Vec<(u64, u64)>,
    /// The other contexts of units that have several (a store's repeated units), sorted by
    /// unit.
    more_context: Vec<(u32, u64, u64)>,
    /// (hash of the exact source, unit), sorted: the units with a given source.
    by_source: Vec<(u64, u32)>,
    /// Inline-code markup of the target of units that have some.
    target_markup: FxMap<u32, Box<str>>,
    /// Inline-code markup of the source of units whose source and target both have codes
    /// (for [`crate::tm::fuzzy::transfer_codes`]).
    source_markup: FxMap<u32, Box<str>>,
    /// Unit props (but `x-document` and the context props), encoded back to back.
    props: String,
    props_off: Vec<u32>,
    /// Wall time of each phase of opening, for benchmarks.
    timings: Vec<(&'static str, std::time::Duration)>,
}

/// Separators of the props arena (control characters no TM text may hold: XML forbids them).
const KIND_END: char = '\u{1}';
const PROP_END: char = '\u{2}';

/// What [`JobTm`] keeps of a parsed unit, extracted on the parsing thread.
struct Lite {
    /// `None` when the unit lacks the source or the target language.
    unit: Option<LiteUnit>,
    /// The languages of a unit left out (for the message when none is kept).
    langs: Vec<String>,
}

struct LiteUnit {
    src: String,
    src_markup: Option<String>,
    tgt: String,
    tgt_markup: Option<String>,
    id: Option<String>,
    doc: Option<String>,
    pre: Option<String>,
    post: Option<String>,
    /// The other props, encoded as in [`JobTm::props`].
    props: String,
    /// A store unit's identity hash (what its contexts are keyed by).
    store_hash: Option<i64>,
}

/// What a [`JobTm`] keeps of each unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Everything a package needs: target texts, their inline codes, props.
    #[default]
    All,
    /// What an analysis needs: sources, ids and contexts. Targets are left empty and props
    /// and target codes out, which saves the copies and about a fifth of the memory.
    Analysis,
}

impl Lite {
    fn new(e: Entry, src: &str, tgt: &str, keep: Keep) -> Lite {
        let Entry {
            unit: u,
            mut extras,
        } = e;
        let find = |lang: &str| {
            let v = u.variant(lang)?;
            u.variants.iter().position(|x| std::ptr::eq(x, v))
        };
        let (Some(si), Some(ti)) = (find(src), find(tgt)) else {
            return Lite {
                unit: None,
                langs: u.variants.into_iter().map(|v| v.lang).collect(),
            };
        };
        let all = keep == Keep::All;
        let mut markup = |i: usize| extras.get_mut(i).and_then(|x| x.markup.take());
        let (src_markup, tgt_markup) = (markup(si), markup(ti).filter(|_| all));
        let mut variants = u.variants;
        let tgt_text = if all {
            std::mem::take(&mut variants[ti].text)
        } else {
            String::new()
        };
        let src_text = std::mem::take(&mut variants[si].text);
        let (mut doc, mut pre, mut post) = (None, None, None);
        let mut props = String::new();
        for p in u.props {
            match p.kind.as_str() {
                "x-document" => doc = Some(p.value),
                "x-context-pre" => pre = Some(p.value),
                "x-context-post" => post = Some(p.value),
                _ if !all => {}
                _ => {
                    props.push_str(&p.kind);
                    props.push(KIND_END);
                    props.push_str(&p.value);
                    props.push(PROP_END);
                }
            }
        }
        Lite {
            unit: Some(LiteUnit {
                src: src_text,
                src_markup,
                tgt: tgt_text,
                tgt_markup,
                id: u.id,
                doc,
                pre,
                post,
                props,
                store_hash: None,
            }),
            langs: Vec::new(),
        }
    }
}

impl JobTm {
    /// Opens every TM of `specs` for `src` -> `tgt`.
    ///
    /// # Errors
    /// Unreadable or malformed files (with position), a store that cannot be opened, a TM with
    /// no unit in both languages (naming it and the languages it has).
    pub fn open(specs: &[TmSpec], src: &str, tgt: &str) -> Result<JobTm, Error> {
        JobTm::open_with_progress(specs, src, tgt, &|_| {})
    }

    /// Like [`JobTm::open`], calling `progress` now and then with the bytes (or, for a store,
    /// units) read so far of the current TM.
    ///
    /// # Errors
    /// As [`JobTm::open`].
    pub fn open_with_progress(
        specs: &[TmSpec],
        src: &str,
        tgt: &str,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<JobTm, Error> {
        JobTm::open_keeping(specs, src, tgt, Keep::All, progress)
    }

    /// Like [`JobTm::open_with_progress`], keeping only what `keep` says.
    ///
    /// # Errors
    /// As [`JobTm::open`].
    pub fn open_keeping(
        specs: &[TmSpec],
        src: &str,
        tgt: &str,
        keep: Keep,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<JobTm, Error> {
        let mut b = IndexBuilder::new(src, tgt);
        let mut origins = Vec::new();
        let mut origin_start = Vec::new();
        let mut docs: Vec<Option<u32>> = Vec::new();
        let mut explicit: FxMap<u32, (u64, u64)> = FxMap::default();
        let mut more_context: Vec<(u32, u64, u64)> = Vec::new();
        let mut doc_ids: FxMap<String, u32> = FxMap::default();
        let mut target_markup: FxMap<u32, Box<str>> = FxMap::default();
        let mut source_markup: FxMap<u32, Box<str>> = FxMap::default();
        let mut props = String::new();
        let mut props_off = vec![0u32];
        let clock = std::time::Instant::now();
        for spec in specs {
            origins.push(crate::error::display_path(&spec.path()));
            origin_start.push(b.len());
            let before = b.len();
            let mut langs_seen: Vec<String> = Vec::new();
            // Documents are numbered per TM: the same name in two TMs is two documents.
            doc_ids.clear();
            let convert = |e: Entry, h: Option<i64>| {
                let mut l = Lite::new(e, src, tgt, keep);
                if let Some(u) = &mut l.unit {
                    u.store_hash = h;
                }
                l
            };
            let mut store_contexts = None;
            let mut store_units: Vec<(u32, i64)> = Vec::new();
            scan(
                spec,
                Some(src),
                Some(tgt),
                progress,
                &mut |_, _, store| {
                    if let Some(st) = store {
                        store_contexts = st.contexts()?;
                    }
                    Ok(())
                },
                &convert,
                &mut |l| {
                    let Some(u) = l.unit else {
                        for x in l.langs {
                            if langs_seen.len() < 16 && !langs_seen.contains(&x) {
                                langs_seen.push(x);
                            }
                        }
                        b.skip();
                        return;
                    };
                    let n = b.len() as u32;
                    if !b.push_parts(&u.src, u.src_markup.as_deref(), &u.tgt, u.id.as_deref()) {
                        return;
                    }
                    let doc = u.doc.map(|d| {
                        let next = (doc_ids.len() as u32) | ((origins.len() as u32) << 24);
                        *doc_ids.entry(d).or_insert(next)
                    });
                    props.push_str(&u.props);
                    props_off.push(props.len() as u32);
                    if let Some(c) =
                        crate::tm::context::explicit(u.pre.as_deref(), u.post.as_deref())
                    {
                        explicit.insert(n, c);
                    }
                    if let Some(h) = u.store_hash {
                        store_units.push((n, h));
                    }
                    docs.push(doc);
                    if let Some(m) = u.tgt_markup {
                        target_markup.insert(n, m.into());
                        if let Some(sm) = u.src_markup {
                            source_markup.insert(n, sm.into());
                        }
                    }
                },
            )?;
            // A store that records contexts gives each unit every place it was imported at;
            // its rows' own props only tell the first.
            if let Some(rows) = store_contexts {
                for (n, h) in store_units {
                    let at = rows.partition_point(|r| r.unit < h);
                    let mut mine = rows[at..].iter().take_while(|r| r.unit == h);
                    docs[n as usize] = None;
                    match mine.next() {
                        Some(first) => explicit.insert(n, first.pair()),
                        None => explicit.remove(&n),
                    };
                    more_context.extend(mine.map(|r| (n, r.pair().0, r.pair().1)));
                }
            }
            if b.len() == before {
                return Err(no_pair(spec, src, tgt, &langs_seen));
            }
        }
        let mut timings = vec![("read", clock.elapsed())];
        let clock = std::time::Instant::now();
        let index = b.build();
        timings.push(("index", clock.elapsed()));
        let clock = std::time::Instant::now();
        let n = index.len();
        let hashes: Vec<u64> = (0..n)
            .into_par_iter()
            .map(|i| text_hash(index.source(i)))
            .collect();
        let mut context = vec![(NO_CONTEXT, NO_CONTEXT); n];
        let mut last: FxMap<u32, usize> = FxMap::default();
        for (i, d) in docs.iter().enumerate() {
            let Some(d) = d else { continue };
            match last.insert(*d, i) {
                Some(p) => {
                    context[i].0 = hashes[p];
                    context[p].1 = hashes[i];
                }
                None => context[i].0 = START,
            }
            context[i].1 = END;
        }
        for (i, c) in explicit {
            context[i as usize] = c;
        }
        let mut by_source: Vec<(u64, u32)> = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
        by_source.par_sort_unstable();
        if (props.len() as u64) > u64::from(u32::MAX) {
            // Offsets are u32: drop the props of a TM that big rather than misplace them.
            props.clear();
            props_off = vec![0; n + 1];
        }
        timings.push(("context", clock.elapsed()));
        Ok(JobTm {
            index,
            origins,
            origin_start,
            context,
            more_context,
            by_source,
            target_markup,
            source_markup,
            props,
            props_off,
            timings,
        })
    }

    /// How long each phase of opening took: reading the TMs (parsing, decoding), building the
    /// index, the context tables. What `analyze --timings` and the benchmark print.
    pub fn timings(&self) -> &[(&'static str, std::time::Duration)] {
        &self.timings
    }

    /// The fuzzy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when there is no unit.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The TM that unit `i` came from (as the user named it).
    pub fn origin(&self, i: usize) -> &str {
        let k = self.origin_start.partition_point(|&s| s <= i);
        &self.origins[k.saturating_sub(1)]
    }

    /// Names of the TMs, in the order given.
    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// `(previous, next)` context hashes of unit `i` ([`NO_CONTEXT`] when unknown): its
    /// first, when it has several.
    #[cfg(test)]
    pub(crate) fn context(&self, i: usize) -> (u64, u64) {
        self.context[i]
    }

    /// True when unit `i` stood between `prev` and `next` (hashes) in one of its documents.
    pub(crate) fn in_context(&self, i: usize, prev: u64, next: u64) -> bool {
        // The job's segments always have neighbours (or edges), never NO_CONTEXT.
        if self.context[i] == (prev, next) {
            return true;
        }
        let n = i as u32;
        let at = self.more_context.partition_point(|&(u, _, _)| u < n);
        self.more_context[at..]
            .iter()
            .take_while(|&&(u, _, _)| u == n)
            .any(|&(_, p, x)| (p, x) == (prev, next))
    }

    /// The units whose source is exactly `text` (trimmed), in TM order.
    pub fn units_with_source<'a>(&'a self, text: &'a str) -> impl Iterator<Item = usize> + 'a {
        let h = text_hash(text);
        let at = self.by_source.partition_point(|&(x, _)| x < h);
        self.by_source[at..]
            .iter()
            .take_while(move |&&(x, _)| x == h)
            .map(|&(_, u)| u as usize)
            .filter(move |&u| self.index.source(u).trim() == text.trim())
    }

    /// The props of unit `i` (all but `x-document`, `x-context-pre` and `x-context-post`).
    pub fn props(&self, i: usize) -> Vec<Prop> {
        let (a, b) = (self.props_off[i] as usize, self.props_off[i + 1] as usize);
        self.props[a..b]
            .split_terminator(PROP_END)
            .filter_map(|p| p.split_once(KIND_END))
            .map(|(k, v)| Prop::new(k, v))
            .collect()
    }

    /// The target's inline codes in TMX form, when unit `i`'s target has any.
    pub fn target_markup(&self, i: usize) -> Option<&str> {
        self.target_markup.get(&(i as u32)).map(|s| &**s)
    }

    /// The source's inline codes in TMX form, when unit `i`'s source and target both have
    /// some.
    pub fn source_markup(&self, i: usize) -> Option<&str> {
        self.source_markup.get(&(i as u32)).map(|s| &**s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> TmSpec {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        TmSpec::new(p.to_string_lossy())
    }

    const TMX: &str = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="ar" adminlang="en"
  creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" datatype="plaintext"/><body>
<tu tuid="a"><prop type="x-document">d1</prop><prop type="x-domain">news</prop><tuv xml:lang="ar"><seg>أ</seg></tuv><tuv xml:lang="en"><seg>A</seg></tuv></tu>
<tu tuid="b"><prop type="x-document">d1</prop><tuv xml:lang="ar"><seg>ب</seg></tuv><tuv xml:lang="en"><seg>B <ph x="1">&lt;b/&gt;</ph></seg></tuv></tu>
<tu tuid="c"><prop type="x-document">d2</prop><tuv xml:lang="ar"><seg>ب</seg></tuv><tuv xml:lang="en"><seg>B2</seg></tuv></tu>
<tu tuid="d"><prop type="x-context-pre">س</prop><prop type="x-context-post"></prop><tuv xml:lang="ar"><seg>ج</seg></tuv><tuv xml:lang="en"><seg>C</seg></tuv></tu>
<tu tuid="e"><tuv xml:lang="ar"><seg>د</seg></tuv><tuv xml:lang="fr"><seg>D</seg></tuv></tu>
</body></tmx>"#;

    #[test]
    fn context_from_documents_and_memoq_props() {
        let dir = tempfile::tempdir().unwrap();
        let spec = write(dir.path(), "t.tmx", TMX);
        let tm = JobTm::open(&[spec], "ar", "en").unwrap();
        assert_eq!(tm.len(), 4, "the ar-fr unit is left out");
        assert_eq!(tm.context(0), (START, text_hash("ب")));
        assert_eq!(tm.context(1), (text_hash("أ"), END));
        assert_eq!(tm.context(2), (START, END), "another document");
        assert_eq!(tm.context(3), (text_hash("س"), END));
        assert_eq!(tm.units_with_source("ب").collect::<Vec<_>>(), [1, 2]);
        assert_eq!(tm.props(0), [Prop::new("x-domain", "news")]);
        assert!(tm.props(1).is_empty());
        assert!(tm.target_markup(1).unwrap().contains("<ph"));
        assert_eq!(tm.target_markup(0), None);
        assert!(tm.origin(3).ends_with("t.tmx"));
    }

    #[test]
    fn tm_without_the_target_language_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let spec = write(dir.path(), "t.tmx", TMX);
        let e = JobTm::open(&[spec], "ar", "de").unwrap_err().to_string();
        assert!(
            e.ends_with("t.tmx: no unit has both ar and de (languages of the TM: ar, en, fr)"),
            "{e}"
        );
    }

    #[test]
    fn several_tms_keep_their_origin() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a.csv", "ar,en\nأ,A\n");
        let b = write(dir.path(), "b.csv", "ar,en\nب,B\nج,C\n");
        let tm = JobTm::open(&[a, b], "ar", "en").unwrap();
        assert!(tm.origin(0).ends_with("a.csv"));
        assert!(tm.origin(2).ends_with("b.csv"));
        assert_eq!(tm.context(1), (NO_CONTEXT, NO_CONTEXT));
    }

    #[test]
    fn load_index_defaults_languages_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let spec = write(dir.path(), "t.tmx", TMX);
        let i = load_index(&spec, None, None).unwrap();
        assert_eq!((i.source_lang(), i.target_lang(), i.len()), ("ar", "en", 4));
        let e = load_index(&TmSpec::new("/nonexistent/x.tmx"), None, None).unwrap_err();
        assert!(e.to_string().starts_with("/nonexistent/x.tmx"), "{e}");
    }
}
