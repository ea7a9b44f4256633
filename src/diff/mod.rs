//! What changed between two versions of a translation: per unit unchanged / edited / added /
//! removed, the word diff, edit distances, post-edit distance and effort band
//! ([`metrics`]), changed props, notes and attributes, and summaries in total, per language,
//! per translator and per date.
//!
//! Units are matched by key: the unit id (TMX `tuid`, XLIFF unit id) when both files give ids,
//! else the source text (CSV, or TMX without `tuid`s). Matching streams: the two files are read
//! in step and units with equal keys paired at once (a merge join, the common case of a revised
//! export in the same order); a unit whose key differs waits in a table until its partner
//! comes, so insertions, deletions and local moves cost nothing more, and only units out of
//! order are held in memory. Units still waiting at the end were removed (old side) or added
//! (new side); they are reported after the matched ones. Repeated keys pair in file order.
//! Past [`SPILL_AFTER`] waiting units (two files in unrelated orders), the waiting units and
//! all that follow go through an external sort on disk keyed by a hash of their key (`Spill`),
//! so memory stays flat; those units are then reported in hash order.
//!
//! Files of two different formats (a TMX against its CSV export) are compared on their texts
//! only, since props, notes, attributes and inline codes are what one of them cannot carry.
//!
//! TMX inputs are read in chunks, handled on every core, and the pairs of each batch are
//! diffed in parallel; reports come out in file order, whatever the number of threads. When
//! units are matched by id, the plain chunks of both versions (only `<tu>`s and whitespace,
//! valid UTF-8 with no character XML forbids) are not parsed but cut into `<tu>` byte ranges
//! with their `tuid`. A pair byte for byte the same (most of a revision) is not parsed at all:
//! a lean counter ([`tm::tmx`]'s `TuCounts`, held to the parser by a property test) gives the
//! characters, languages, translator and date its tallies need, and where it gives up (CDATA,
//! a reference in a value...) the unit is parsed once. Any other unit is parsed on its own,
//! with its errors at their line and column in the file.
//!
//! Either version may also be a TM store (`tm::store`: an SQLite file or a `postgres://` URL),
//! read in import order on a thread of its own: a store against its TMX export, or against
//! the next revision of it.
//!
//! Two versions of a plain-text translation are matched through their source, or to each
//! other, in [`align`].

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::tm::{self, attr_value, Entry, Format, ReadUnits};

pub mod align;
pub mod html;
pub mod metrics;
pub mod report;

pub use metrics::{Band, Change, Span};

/// How units of the two versions are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyMode {
    /// By id when the first unit of both files has one, else by source text.
    #[default]
    Auto,
    /// By id (units without one: by source text).
    Id,
    /// By source text.
    Source,
}

/// Options of a diff.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How to match units.
    pub key: KeyMode,
    /// The source language (default: the old file's declared source, else its first
    /// language).
    pub src_lang: Option<String>,
    /// Also hand unchanged units to the sink (they are always counted).
    pub keep_unchanged: bool,
    /// Input format of both files (default: from their extensions).
    pub from: Option<Format>,
    /// Units waiting for their partner (files in different orders) past which matching goes
    /// to disk (0: the default, [`SPILL_AFTER`]).
    pub spill_after: usize,
}

/// Units held waiting for their partner before the matching of two files in different orders
/// spills to disk: about 100 MB of parsed units.
pub const SPILL_AFTER: usize = 200_000;

/// What happened to a unit or to one language of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Same text (and, for a unit, same props, notes and attributes).
    Unchanged,
    /// Changed.
    Edited,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

impl Status {
    /// `unchanged`, `edited`, `added`, `removed`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Edited => "edited",
            Status::Added => "added",
            Status::Removed => "removed",
        }
    }
}

/// One language of a unit, compared.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VariantDiff {
    /// Language tag.
    pub lang: String,
    /// True for the source language.
    pub source: bool,
    /// What happened.
    pub status: Status,
    /// Old text (absent when added).
    pub old: Option<String>,
    /// New text (absent when removed).
    pub new: Option<String>,
    /// Word diff (empty when unchanged).
    pub spans: Vec<Span>,
    /// Word edit distance.
    pub word_edits: usize,
    /// Character edit distance.
    pub char_edits: usize,
    /// Word tokens of the old and the new text.
    pub words: (usize, usize),
    /// Characters of the old and the new text.
    pub chars: (usize, usize),
    /// Post-edit distance in percent (characters; see [`metrics`]).
    pub ped: f64,
    /// Word post-edit distance in percent.
    pub word_ped: f64,
    /// Effort band of `ped`.
    pub band: Band,
    /// True when only the inline codes changed (same plain text, other markup).
    pub codes_changed: bool,
}

/// A changed prop, note or attribute.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MetaChange {
    /// What: `prop x-domain`, `note`, `attr changedate`, `created`.
    pub field: String,
    /// Old value(s), several joined with a line feed.
    pub old: Option<String>,
    /// New value(s).
    pub new: Option<String>,
}

/// One unit, compared.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnitDiff {
    /// Unit id (new version's, else old's).
    pub id: Option<String>,
    /// Source text (new version's, else old's).
    pub source: Option<String>,
    /// What happened.
    pub status: Status,
    /// The languages, source first.
    pub variants: Vec<VariantDiff>,
    /// Changed props, notes and attributes.
    pub meta: Vec<MetaChange>,
    /// Who wrote the old version (whose work was revised): `x-translator` prop, else
    /// `changeid`, else `creationid`; the new version's for an added unit.
    pub translator: Option<String>,
    /// Who made the new version, when it names someone else (a reviewer's `changeid`).
    pub reviser: Option<String>,
    /// When the new version was made (`changedate`, else creation date), `YYYY-MM-DD`.
    pub date: Option<String>,
}

impl UnitDiff {
    /// The highest post-edit distance of its target languages (0 when none was compared).
    pub fn ped(&self) -> f64 {
        self.variants
            .iter()
            .filter(|v| !v.source)
            .map(|v| v.ped)
            .fold(0.0, f64::max)
    }

    /// The band of [`UnitDiff::ped`].
    pub fn band(&self) -> Band {
        Band::of(self.ped())
    }

    /// True when only props, notes or attributes changed.
    pub fn meta_only(&self) -> bool {
        self.status == Status::Edited && self.variants.iter().all(|v| v.status == Status::Unchanged)
    }
}

/// Counts over units.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Tally {
    /// Units compared (all statuses).
    pub units: u64,
    /// Unchanged units.
    pub unchanged: u64,
    /// Edited units (text or metadata).
    pub edited: u64,
    /// Edited units whose text is the same (props, notes, attributes only).
    pub meta_only: u64,
    /// Added units.
    pub added: u64,
    /// Removed units.
    pub removed: u64,
    /// Target texts present in both versions (each language of each unit).
    pub segments: u64,
    /// Of those, edited.
    pub segments_edited: u64,
    /// Word tokens of the old target texts edited (unchanged texts are not tokenised: the
    /// cost of a large diff would be mostly that).
    pub words: u64,
    /// Word edits in them.
    pub word_edits: u64,
    /// Character edits in them.
    pub char_edits: u64,
    /// Sum over compared texts of the longer version's characters (PED's denominator).
    pub chars: u64,
    /// Compared target texts per effort band (see [`Band::ALL`]).
    pub bands: [u64; 7],
}

impl Tally {
    /// Post-edit distance over everything counted: character edits / characters, percent
    /// (long segments weigh more, as they take longer to edit).
    pub fn ped(&self) -> f64 {
        metrics::percent(self.char_edits as usize, self.chars as usize)
    }

    fn add_unit(&mut self, d: &UnitStats) {
        self.units += 1;
        match d.status {
            Status::Unchanged => self.unchanged += 1,
            Status::Edited => {
                self.edited += 1;
                if d.meta_only {
                    self.meta_only += 1;
                }
            }
            Status::Added => self.added += 1,
            Status::Removed => self.removed += 1,
        }
        for v in &d.segments {
            self.add_segment(v);
        }
    }

    fn add_segment(&mut self, v: &SegStats) {
        self.segments += 1;
        if v.edited {
            self.segments_edited += 1;
        }
        self.words += v.words as u64;
        self.word_edits += v.word_edits as u64;
        self.char_edits += v.char_edits as u64;
        self.chars += v.chars as u64;
        self.bands[v.band.index()] += 1;
    }

    /// Adds another tally.
    pub fn merge(&mut self, o: &Tally) {
        self.units += o.units;
        self.unchanged += o.unchanged;
        self.edited += o.edited;
        self.meta_only += o.meta_only;
        self.added += o.added;
        self.removed += o.removed;
        self.segments += o.segments;
        self.segments_edited += o.segments_edited;
        self.words += o.words;
        self.word_edits += o.word_edits;
        self.char_edits += o.char_edits;
        self.chars += o.chars;
        for i in 0..7 {
            self.bands[i] += o.bands[i];
        }
    }

    /// True when anything differs.
    pub fn differs(&self) -> bool {
        self.units != self.unchanged
    }
}

/// Totals of a diff: overall, per target language, per translator and per date.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Everything.
    pub total: Tally,
    /// Per target language (units counted in every language they have).
    pub by_lang: BTreeMap<String, Tally>,
    /// Per translator of the old version (whose work was revised); only when units carry one.
    pub by_translator: BTreeMap<String, Tally>,
    /// Per date (`YYYY-MM-DD`) of the new version (when it was revised); only when units carry
    /// one.
    pub by_date: BTreeMap<String, Tally>,
}

impl Summary {
    fn add(&mut self, s: &UnitStats) {
        self.total.add_unit(s);
        for v in &s.segments {
            let t = match self.by_lang.get_mut(&v.lang) {
                Some(t) => t,
                None => self.by_lang.entry(v.lang.clone()).or_default(),
            };
            t.units += 1;
            if v.edited {
                t.edited += 1;
            } else {
                t.unchanged += 1;
            }
            t.add_segment(v);
        }
        if let Some(t) = &s.translator {
            self.by_translator.entry(t.clone()).or_default().add_unit(s);
        }
        if let Some(d) = &s.date {
            self.by_date.entry(d.clone()).or_default().add_unit(s);
        }
    }

    /// Adds another summary (one file's into the total of several).
    pub fn merge(&mut self, o: &Summary) {
        self.total.merge(&o.total);
        for (maps, other) in [
            (&mut self.by_lang, &o.by_lang),
            (&mut self.by_translator, &o.by_translator),
            (&mut self.by_date, &o.by_date),
        ] {
            for (k, v) in other {
                maps.entry(k.clone()).or_default().merge(v);
            }
        }
    }
}

/// What a unit adds to the tallies (computed on the workers, added in order).
#[derive(Debug, Clone)]
struct UnitStats {
    status: Status,
    meta_only: bool,
    segments: Vec<SegStats>,
    translator: Option<String>,
    date: Option<String>,
}

#[derive(Debug, Clone)]
struct SegStats {
    lang: String,
    edited: bool,
    words: usize,
    word_edits: usize,
    char_edits: usize,
    chars: usize,
    band: Band,
}

/// Compares two versions of a unit (either may be absent: added or removed). `src_lang` names
/// the source language; it is compared too, but left out of effort figures.
pub fn diff_entries(old: Option<&Entry>, new: Option<&Entry>, src_lang: &str) -> UnitDiff {
    diff_full(old, new, src_lang, true, false).0
}

/// `text_only`: compare texts only, not props, notes, attributes or inline codes (two formats
/// that do not carry the same things, e.g. a TMX against a CSV export of it).
fn diff_full(
    old: Option<&Entry>,
    new: Option<&Entry>,
    src_lang: &str,
    keep: bool,
    text_only: bool,
) -> (UnitDiff, UnitStats) {
    let who = |u: &tm::Unit| {
        u.prop("x-translator")
            .or_else(|| attr_value(&u.attrs, "changeid"))
            .or_else(|| attr_value(&u.attrs, "creationid"))
            .map(str::to_string)
    };
    let day_of = |u: &tm::Unit| {
        attr_value(&u.attrs, "changedate")
            .or(u.created.as_deref())
            .and_then(day)
    };
    // Fast path, most units of a revision: the same unit twice. Only the characters are
    // counted (PED's denominator); nothing is diffed or copied.
    if let (false, Some(o), Some(n)) = (keep, old, new) {
        if std::ptr::eq(o, n)
            || o.unit == n.unit
                && o.extras
                    .iter()
                    .map(|x| &x.markup)
                    .eq(n.extras.iter().map(|x| &x.markup))
        {
            let segments = n
                .unit
                .variants
                .iter()
                .filter(|v| !v.text.is_empty() && !same_lang(&v.lang, src_lang))
                .map(|v| SegStats {
                    lang: v.lang.clone(),
                    edited: false,
                    words: 0,
                    word_edits: 0,
                    char_edits: 0,
                    chars: v.text.chars().count(),
                    band: Band::None,
                })
                .collect();
            let stats = UnitStats {
                status: Status::Unchanged,
                meta_only: false,
                segments,
                translator: who(&o.unit),
                date: day_of(&n.unit),
            };
            return (unreported(), stats);
        }
    }
    let mut langs: Vec<&str> = Vec::new();
    for e in new.iter().chain(old.iter()) {
        for v in &e.unit.variants {
            if !v.text.is_empty() && !langs.iter().any(|l| same_lang(l, &v.lang)) {
                langs.push(&v.lang);
            }
        }
    }
    // Source first.
    if let Some(i) = langs.iter().position(|l| same_lang(l, src_lang)) {
        let l = langs.remove(i);
        langs.insert(0, l);
    }
    let mut variants = Vec::with_capacity(langs.len());
    let mut segments = Vec::new();
    for lang in langs {
        let is_src = same_lang(lang, src_lang);
        let (o, om) = side(old, lang);
        let (n, nm) = side(new, lang);
        let v = diff_variant(lang, is_src, o, n, om != nm && !text_only);
        if !is_src && v.old.is_some() && v.new.is_some() {
            segments.push(SegStats {
                lang: lang.to_string(),
                edited: v.status != Status::Unchanged,
                words: if v.status == Status::Unchanged {
                    0
                } else {
                    v.words.0
                },
                word_edits: v.word_edits,
                char_edits: v.char_edits,
                chars: v.chars.0.max(v.chars.1),
                band: v.band,
            });
        }
        variants.push(v);
    }
    let meta = match (old, new) {
        (Some(o), Some(n)) if !text_only => meta_changes(o, n),
        _ => Vec::new(),
    };
    let status = match (old, new) {
        (None, _) => Status::Added,
        (_, None) => Status::Removed,
        _ if meta.is_empty() && variants.iter().all(|v| v.status == Status::Unchanged) => {
            Status::Unchanged
        }
        _ => Status::Edited,
    };
    let shown = new.or(old).map(|e| &e.unit);
    let translator = old.or(new).and_then(|e| who(&e.unit));
    let reviser = new
        .and_then(|e| who(&e.unit))
        .filter(|r| Some(r) != translator.as_ref());
    let date = shown.and_then(day_of);
    let d = UnitDiff {
        id: shown.and_then(|u| u.id.clone()),
        source: shown.and_then(|u| u.text(src_lang)).map(str::to_string),
        status,
        variants,
        meta,
        translator: translator.clone(),
        reviser,
        date: date.clone(),
    };
    let stats = UnitStats {
        status,
        meta_only: d.meta_only(),
        segments,
        translator,
        date,
    };
    (d, stats)
}

/// An unchanged unit that is only counted, not reported: no copy of its id either.
fn unreported() -> UnitDiff {
    UnitDiff {
        id: None,
        source: None,
        status: Status::Unchanged,
        variants: Vec::new(),
        meta: Vec::new(),
        translator: None,
        reviser: None,
        date: None,
    }
}

/// What an unchanged unit adds to the tallies, from its counts alone (the unit is not parsed):
/// the same figures as [`diff_full`]'s fast path gives for the parsed unit.
fn counted_stats(c: tm::tmx::TuCounts<'_>, src_lang: &str) -> UnitStats {
    let segments = c
        .variants
        .into_iter()
        .filter(|(l, n)| *n > 0 && !same_lang(l, src_lang))
        .map(|(lang, chars)| SegStats {
            lang,
            edited: false,
            words: 0,
            word_edits: 0,
            char_edits: 0,
            chars,
            band: Band::None,
        })
        .collect();
    let date = match c.changedate {
        Some(d) => day(d),
        None => c
            .creationdate
            .and_then(tm::tmx::tmx_date)
            .and_then(|d| day(&d)),
    };
    UnitStats {
        status: Status::Unchanged,
        meta_only: false,
        segments,
        translator: c
            .translator
            .or(c.changeid)
            .or(c.creationid)
            .map(str::to_string),
        date,
    }
}

/// `YYYY-MM-DD` of a TMX date (`YYYYMMDDThhmmssZ`).
fn day(d: &str) -> Option<String> {
    let b = d.as_bytes();
    (b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit))
        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]))
}

fn same_lang(a: &str, b: &str) -> bool {
    a == b
        || a.eq_ignore_ascii_case(b)
        || a.replace('_', "-")
            .eq_ignore_ascii_case(&b.replace('_', "-"))
}

/// The text of `lang` in a version and its markup, if any; empty text counts as absent.
fn side<'e>(e: Option<&'e Entry>, lang: &str) -> (Option<&'e str>, Option<&'e str>) {
    let Some(e) = e else { return (None, None) };
    let Some(i) = e
        .unit
        .variants
        .iter()
        .position(|v| same_lang(&v.lang, lang))
    else {
        return (None, None);
    };
    let text = Some(e.unit.variants[i].text.as_str()).filter(|t| !t.is_empty());
    let markup = e.extras.get(i).and_then(|x| x.markup.as_deref());
    (text, markup)
}

fn diff_variant(
    lang: &str,
    source: bool,
    old: Option<&str>,
    new: Option<&str>,
    markup_differs: bool,
) -> VariantDiff {
    let mut v = VariantDiff {
        lang: lang.to_string(),
        source,
        status: Status::Unchanged,
        old: old.map(str::to_string),
        new: new.map(str::to_string),
        spans: Vec::new(),
        word_edits: 0,
        char_edits: 0,
        words: (0, 0),
        chars: (0, 0),
        ped: 0.0,
        word_ped: 0.0,
        band: Band::None,
        codes_changed: false,
    };
    let (o, n) = (old.unwrap_or(""), new.unwrap_or(""));
    v.status = match (old, new) {
        (None, Some(_)) => Status::Added,
        (Some(_), None) => Status::Removed,
        _ if o == n && !markup_differs => Status::Unchanged,
        _ => Status::Edited,
    };
    v.codes_changed = o == n && markup_differs;
    if v.status == Status::Unchanged {
        // Counted, but no need to diff.
        let (w, c) = (metrics::word_count(o), o.chars().count());
        v.words = (w, w);
        v.chars = (c, c);
        return v;
    }
    let c = metrics::compare(o, n);
    v.words = c.words;
    v.chars = (o.chars().count(), n.chars().count());
    v.spans = c.spans;
    v.word_edits = c.word_edits;
    v.char_edits = metrics::char_distance(o, n);
    v.ped = metrics::percent(v.char_edits, v.chars.0.max(v.chars.1));
    v.word_ped = metrics::percent(v.word_edits, v.words.0.max(v.words.1));
    v.band = Band::of(v.ped);
    v
}

/// Props (by type), notes, attributes and creation date that differ.
fn meta_changes(o: &Entry, n: &Entry) -> Vec<MetaChange> {
    let (o, n) = (&o.unit, &n.unit);
    let mut out = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for p in o.props.iter().chain(&n.props) {
        if !kinds.contains(&p.kind.as_str()) {
            kinds.push(&p.kind);
        }
    }
    for k in kinds {
        let vals = |u: &tm::Unit| -> Option<String> {
            let v: Vec<&str> = u
                .props
                .iter()
                .filter(|p| p.kind == k)
                .map(|p| p.value.as_str())
                .collect();
            (!v.is_empty()).then(|| v.join("\n"))
        };
        let (a, b) = (vals(o), vals(n));
        if a != b {
            out.push(MetaChange {
                field: format!("prop {k}"),
                old: a,
                new: b,
            });
        }
    }
    let notes = |u: &tm::Unit| -> Option<String> {
        let v: Vec<&str> = u.notes.iter().map(|x| x.text.as_str()).collect();
        (!v.is_empty()).then(|| v.join("\n"))
    };
    if notes(o) != notes(n) {
        out.push(MetaChange {
            field: "note".into(),
            old: notes(o),
            new: notes(n),
        });
    }
    let mut names: Vec<&str> = Vec::new();
    for (k, _) in o.attrs.iter().chain(&n.attrs) {
        if !names.contains(&k.as_str()) {
            names.push(k);
        }
    }
    for k in names {
        let (a, b) = (attr_value(&o.attrs, k), attr_value(&n.attrs, k));
        if a != b {
            out.push(MetaChange {
                field: format!("attr {k}"),
                old: a.map(str::to_string),
                new: b.map(str::to_string),
            });
        }
    }
    if o.created != n.created {
        out.push(MetaChange {
            field: "created".into(),
            old: o.created.clone(),
            new: n.created.clone(),
        });
    }
    out
}

/// Streams entries in batches. TMX hands out raw chunks, which the caller parses on every
/// core together with the other file's (the readers themselves stay on one thread).
trait Batches {
    fn fetch(&mut self) -> Result<Fetched, tm::Error>;
    /// The file's name in messages.
    fn path(&self) -> &str;
}

/// A batch: entries already parsed, chunks still to parse, and whether the file is done.
#[derive(Default)]
struct Fetched {
    entries: Vec<Entry>,
    chunks: Vec<ReadChunk>,
    end: bool,
}

/// A chunk as its reader thread hands it over: already scanned for `<tu>` ranges, and whether
/// its bytes are valid text (what parsing would check first), so units matched by id can be
/// cut out of it without parsing.
struct ReadChunk {
    chunk: tm::tmx::Chunk,
    cut: Option<Vec<Range<usize>>>,
    valid: bool,
    /// Where the bytes go back once every unit cut from them is dropped.
    back: std::sync::mpsc::Sender<Vec<u8>>,
}

/// What a TMX reader thread sends: the units its prolog read parsed (with the languages), then
/// chunks.
enum TmxMsg {
    Opened {
        langs: Vec<String>,
        queued: Vec<Entry>,
    },
    Chunk(ReadChunk),
}

/// A TMX version read on a thread of its own: the reading, the end-of-unit search and the scans
/// of each chunk overlap the diffing of the previous ones instead of stalling every core between
/// batches. A bounded channel keeps at most a few chunks read ahead (memory stays flat), and
/// their buffers come back to the reader when their units are dropped.
struct TmxBatches {
    rx: std::sync::mpsc::Receiver<Result<TmxMsg, tm::Error>>,
    thread: Option<std::thread::JoinHandle<()>>,
    queued: Vec<Entry>,
    path: String,
    done: bool,
}

/// Chunks read per batch and file: a few MiB, enough to keep both cores busy.
const CHUNKS_PER_BATCH: usize = 4;
/// Units per batch for the formats read serially.
const UNITS_PER_BATCH: usize = 4096;
/// Bytes asked of the file per read.
const READ_SIZE: usize = 1 << 20;

impl TmxBatches {
    /// Starts the reader thread on `path` and waits for its prolog: errors in it come out here,
    /// before anything is diffed.
    fn spawn(path: &Path, name: String) -> Result<(TmxBatches, Vec<String>), crate::Error> {
        let file = std::fs::File::open(path).map_err(|e| crate::Error::io(path, e))?;
        let (tx, rx) = std::sync::mpsc::sync_channel(CHUNKS_PER_BATCH);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let owned = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("diff-read".into())
            .spawn(move || {
                let input = std::io::BufReader::with_capacity(READ_SIZE, file);
                let mut r = match tm::tmx::Reader::from_reader(input, &owned) {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                let opened = TmxMsg::Opened {
                    langs: r.langs().to_vec(),
                    queued: r.take_queued(),
                };
                if tx.send(Ok(opened)).is_err() {
                    return;
                }
                loop {
                    while let Ok(buf) = back_rx.try_recv() {
                        r.recycle(buf);
                    }
                    let msg = match r.next_chunk() {
                        Ok(Some(chunk)) => {
                            let cut = cut_units(&chunk);
                            let valid = cut.is_some()
                                && tm::tmx::from_utf8(&chunk.bytes).is_ok()
                                && tm::tmx::find_illegal(&chunk.bytes).is_none();
                            let last = chunk.last;
                            let c = ReadChunk {
                                chunk,
                                cut,
                                valid,
                                back: back_tx.clone(),
                            };
                            if tx.send(Ok(TmxMsg::Chunk(c))).is_err() || last {
                                return;
                            }
                            continue;
                        }
                        Ok(None) => return,
                        Err(e) => Err(e),
                    };
                    let _ = tx.send(msg);
                    return;
                }
            })
            .map_err(|e| crate::Error::io(path, e))?;
        let mut b = TmxBatches {
            rx,
            thread: Some(thread),
            queued: Vec::new(),
            path: name,
            done: false,
        };
        match b.recv()? {
            Some(TmxMsg::Opened { langs, queued }) => {
                b.queued = queued;
                Ok((b, langs))
            }
            _ => Err(b.vanished().into()),
        }
    }

    /// The next message; `None` once the thread has sent everything. A thread that ended
    /// without a word (a panic) is an error naming the file.
    fn recv(&mut self) -> Result<Option<TmxMsg>, tm::Error> {
        match self.rx.recv() {
            Ok(m) => m.map(Some),
            Err(_) => match self.thread.take().map(|t| t.join()) {
                Some(Err(_)) => Err(self.vanished()),
                _ => Ok(None),
            },
        }
    }

    fn vanished(&self) -> tm::Error {
        tm::Error::Invalid {
            path: self.path.clone(),
            message: "the thread reading this file stopped unexpectedly".into(),
        }
    }
}

impl Batches for TmxBatches {
    fn fetch(&mut self) -> Result<Fetched, tm::Error> {
        let mut f = Fetched {
            entries: std::mem::take(&mut self.queued),
            ..Default::default()
        };
        while !self.done && f.chunks.len() < CHUNKS_PER_BATCH {
            match self.recv()? {
                Some(TmxMsg::Chunk(c)) => {
                    self.done = c.chunk.last;
                    f.chunks.push(c);
                }
                Some(TmxMsg::Opened { .. }) => return Err(self.vanished()),
                None => self.done = true,
            }
        }
        f.end = self.done && f.entries.is_empty() && f.chunks.is_empty();
        Ok(f)
    }

    fn path(&self) -> &str {
        &self.path
    }
}

struct SerialBatches<'a> {
    r: Box<dyn ReadUnits + 'a>,
    path: String,
}

impl Batches for SerialBatches<'_> {
    fn fetch(&mut self) -> Result<Fetched, tm::Error> {
        let mut f = Fetched::default();
        while f.entries.len() < UNITS_PER_BATCH {
            match self.r.read_entry()? {
                Some(e) => f.entries.push(e),
                None => break,
            }
        }
        f.end = f.entries.is_empty();
        Ok(f)
    }

    fn path(&self) -> &str {
        &self.path
    }
}

/// A chunk's bytes, shared by the raw units cut from it; given back to the reader thread
/// when the last of them is dropped.
struct ChunkBytes {
    bytes: Vec<u8>,
    base: tm::tmx::Base,
    back: Option<std::sync::mpsc::Sender<Vec<u8>>>,
}

impl Drop for ChunkBytes {
    fn drop(&mut self) {
        if let Some(back) = self.back.take() {
            let _ = back.send(std::mem::take(&mut self.bytes));
        }
    }
}

/// The bytes of one `<tu>` element in its chunk.
struct RawTu {
    chunk: Arc<ChunkBytes>,
    range: Range<usize>,
}

impl RawTu {
    fn bytes(&self) -> &[u8] {
        &self.chunk.bytes[self.range.clone()]
    }

    /// Parses this one `<tu>` (positions in messages are the file's).
    fn parse(&self, path: &str) -> Result<Entry, tm::Error> {
        let c = &self.chunk;
        let mut chunk = tm::tmx::Chunk {
            bytes: self.bytes().to_vec(),
            base: c.base,
            last: false,
        };
        let mut v = Vec::new();
        if tm::tmx::parse_body_chunk(&chunk, path, &mut v).is_err() {
            // Only now find where the unit starts (a scan of the chunk), for the message.
            chunk.base = tm::tmx::Base::from(c.base.position(&c.bytes, self.range.start));
            v.clear();
            tm::tmx::parse_body_chunk(&chunk, path, &mut v)?;
        }
        v.pop().ok_or_else(|| tm::Error::Invalid {
            path: path.to_string(),
            message: "a <tu> vanished on a second reading".into(),
        })
    }
}

/// A unit of a TMX version: parsed, or (new side, when the old side has ids) only cut out with
/// its `tuid`, and parsed later if it is not byte-identical to its old version. Most units of
/// a revision are identical, so this spares parsing half the input.
#[derive(Default)]
struct Item {
    e: Entry,
    raw: Option<RawTu>,
    parsed: bool,
}

/// What the matcher needs of a unit.
trait AsEntry: Default {
    fn entry(&self) -> &Entry;
}

impl AsEntry for Entry {
    fn entry(&self) -> &Entry {
        self
    }
}

impl Item {
    /// The bytes of a unit that was only cut out.
    fn raw(&self) -> &RawTu {
        self.raw.as_ref().expect("an unparsed unit has its bytes")
    }
}

impl AsEntry for Item {
    fn entry(&self) -> &Entry {
        &self.e
    }
}

/// The `<tu>` elements of a chunk as byte ranges, when the chunk is plain: only `<tu>`s and
/// whitespace (no comment, CDATA, processing instruction or other text), not the last chunk.
/// `None` otherwise: such a chunk is parsed whole.
fn cut_units(c: &tm::tmx::Chunk) -> Option<Vec<Range<usize>>> {
    let b = &c.bytes;
    if c.last
        || memchr::memmem::find(b, b"<!").is_some()
        || memchr::memmem::find(b, b"<?").is_some()
    {
        return None;
    }
    let end_tag = memchr::memmem::Finder::new(b"</tu>");
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|x| x + i) else {
            break;
        };
        if !b[i..lt].iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        if !(b[lt..].starts_with(b"<tu")
            && b.get(lt + 3)
                .is_some_and(|&x| x == b'>' || x.is_ascii_whitespace()))
        {
            return None;
        }
        let end = end_tag.find(&b[lt..])? + lt + 5;
        out.push(lt..end);
        i = end;
    }
    if !b[i.min(b.len())..].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    Some(out)
}

/// The `tuid` of a raw `<tu>`, when it can be read without unescaping.
fn raw_tuid(b: &[u8]) -> Option<String> {
    let tag_end = memchr::memchr(b'>', b)?;
    let tag = &b[..tag_end];
    let mut i = 3;
    while i < tag.len() {
        let at = memchr::memmem::find(&tag[i..], b"tuid=")? + i;
        let boundary = tag[at - 1].is_ascii_whitespace();
        let q = *tag.get(at + 5)?;
        if boundary && (q == b'"' || q == b'\'') {
            let v = &tag[at + 6..];
            let close = memchr::memchr(q, v)?;
            let v = &v[..close];
            if v.iter()
                .any(|&x| x == b'&' || x == b'<' || x.is_ascii_whitespace() && x != b' ')
            {
                return None;
            }
            return String::from_utf8(v.to_vec()).ok();
        }
        i = at + 5;
    }
    None
}

/// Parses the chunks of both batches on every core and returns their units, in order. Plain
/// chunks (of both sides) are only cut into raw units when `raw` (units matched by id).
fn parse_fetched(
    fa: &mut Fetched,
    fb: &mut Fetched,
    pa: &str,
    pb: &str,
    raw: bool,
) -> Result<(Vec<Item>, Vec<Item>), tm::Error> {
    let parsed = |e: Entry| Item {
        e,
        raw: None,
        parsed: true,
    };
    let mut ia: Vec<Item> = fa.entries.drain(..).map(parsed).collect();
    let mut ib: Vec<Item> = fb.entries.drain(..).map(parsed).collect();
    // (old side?, chunk); each is cut (or parsed) on a worker.
    let jobs: Vec<(bool, ReadChunk)> = fa
        .chunks
        .drain(..)
        .map(|c| (true, c))
        .chain(fb.chunks.drain(..).map(|c| (false, c)))
        .collect();
    let results: Vec<(bool, Result<Vec<Item>, tm::Error>)> = jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|(side, c)| {
            let path = if side { pa } else { pb };
            // Only cut when its bytes are valid text: what parsing would check first.
            let raw_only = raw && c.valid;
            (side, chunk_items(c, raw_only, path))
        })
        .collect();
    for (side, r) in results {
        let v = r?;
        if side {
            ia.extend(v);
        } else {
            ib.extend(v);
        }
    }
    Ok((ia, ib))
}

fn chunk_items(c: ReadChunk, raw_only: bool, path: &str) -> Result<Vec<Item>, tm::Error> {
    let ReadChunk {
        chunk, cut, back, ..
    } = c;
    let mut v = Vec::new();
    if !raw_only {
        tm::tmx::parse_body_chunk(&chunk, path, &mut v)?;
    }
    let cb = Arc::new(ChunkBytes {
        bytes: chunk.bytes,
        base: chunk.base,
        back: Some(back),
    });
    if raw_only {
        let ranges = cut.unwrap_or_default();
        let mut items = Vec::with_capacity(ranges.len());
        for r in ranges {
            let raw = RawTu {
                chunk: Arc::clone(&cb),
                range: r,
            };
            items.push(match raw_tuid(raw.bytes()) {
                Some(id) => Item {
                    e: Entry::from(tm::Unit {
                        id: Some(id),
                        ..Default::default()
                    }),
                    raw: Some(raw),
                    parsed: false,
                },
                None => Item {
                    e: raw.parse(path)?,
                    raw: None,
                    parsed: true,
                },
            });
        }
        return Ok(items);
    }
    Ok(match cut.filter(|r| r.len() == v.len()) {
        Some(ranges) => v
            .into_iter()
            .zip(ranges)
            .map(|(e, r)| Item {
                e,
                raw: Some(RawTu {
                    chunk: Arc::clone(&cb),
                    range: r,
                }),
                parsed: true,
            })
            .collect(),
        None => v
            .into_iter()
            .map(|e| Item {
                e,
                raw: None,
                parsed: true,
            })
            .collect(),
    })
}

/// An opened version: its batches and declared languages.
struct Opened<'a> {
    batches: Box<dyn Batches + 'a>,
    srclang: Option<String>,
    format: Format,
}

/// A TM store (SQLite file or `postgres://` URL), read in import order on a thread of its own
/// that hands over batches: the store streams like a file, and its reading overlaps the diff.
struct StoreBatches {
    rx: std::sync::mpsc::Receiver<Result<Vec<Entry>, tm::Error>>,
    path: String,
    done: bool,
}

impl Batches for StoreBatches {
    fn fetch(&mut self) -> Result<Fetched, tm::Error> {
        let mut f = Fetched::default();
        match (self.done, self.rx.recv()) {
            (false, Ok(batch)) => f.entries = batch?,
            _ => {
                self.done = true;
                f.end = true;
            }
        }
        Ok(f)
    }

    fn path(&self) -> &str {
        &self.path
    }
}

/// True when `path` names a TM store: a `postgres://` URL or an SQLite file.
pub fn is_store(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    tm::store::is_postgres_url(&path.to_string_lossy())
        || std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && &head == b"SQLite format 3\0"
}

fn open_store(location: String) -> Result<Opened<'static>, crate::Error> {
    let as_tm = |e: tm::store::Error| tm::Error::Invalid {
        path: location.clone(),
        message: e.to_string(),
    };
    let mut store = tm::store::Store::open(
        &location,
        tm::store::Mode::Read,
        std::time::Duration::from_secs(5),
    )
    .map_err(as_tm)?;
    let srclang = store.langs().map_err(as_tm)?.into_iter().next();
    drop(store);
    let (tx, rx) = std::sync::mpsc::sync_channel(2);
    let loc = location.clone();
    std::thread::spawn(move || {
        let as_tm = |e: tm::store::Error| tm::Error::Invalid {
            path: loc.clone(),
            message: e.to_string(),
        };
        let run = || -> Result<(), tm::store::Error> {
            let mut store = tm::store::Store::open(
                &loc,
                tm::store::Mode::Read,
                std::time::Duration::from_secs(5),
            )?;
            let mut batch = Vec::with_capacity(UNITS_PER_BATCH);
            let stopped = || tm::store::Error::Usage("the diff stopped reading".into());
            store.scan(
                |_| true,
                |s| {
                    batch.push(s.entry);
                    if batch.len() == UNITS_PER_BATCH {
                        tx.send(Ok(std::mem::take(&mut batch)))
                            .map_err(|_| stopped())?;
                    }
                    Ok(())
                },
            )?;
            if !batch.is_empty() {
                tx.send(Ok(batch)).map_err(|_| stopped())?;
            }
            Ok(())
        };
        if let Err(e) = run() {
            let _ = tx.send(Err(as_tm(e)));
        }
    });
    Ok(Opened {
        batches: Box::new(StoreBatches {
            rx,
            path: location,
            done: false,
        }),
        srclang,
        // A store keeps units whole (props, notes, codes): compared as a TMX is.
        format: Format::Tmx,
    })
}

fn open(path: &Path, from: Option<Format>) -> Result<Opened<'static>, crate::Error> {
    let name = crate::error::display_path(path);
    if from.is_none() && is_store(path) {
        return open_store(path.to_string_lossy().into_owned());
    }
    let format = from
        .or_else(|| Format::from_path(path))
        .ok_or_else(|| tm::Error::Invalid {
            path: name.clone(),
            message: "cannot tell the format from the name: use --from (tmx, csv, tsv, xliff)"
                .into(),
        })?;
    Ok(match format {
        Format::Tmx => {
            let (batches, langs) = TmxBatches::spawn(path, name)?;
            Opened {
                batches: Box::new(batches),
                srclang: langs.first().cloned(),
                format,
            }
        }
        Format::Csv | Format::Tsv | Format::Xliff => {
            let file = std::fs::File::open(path).map_err(|e| crate::Error::io(path, e))?;
            let input = std::io::BufReader::with_capacity(1 << 16, file);
            let r: Box<dyn ReadUnits> = match format {
                Format::Csv => Box::new(tm::csv::Reader::from_reader(input, path, b',')?),
                Format::Tsv => Box::new(tm::csv::Reader::from_reader(input, path, b'\t')?),
                _ => Box::new(tm::xliff::Reader::from_reader(input, path)?),
            };
            let srclang = r.srclang();
            Opened {
                batches: Box::new(SerialBatches { r, path: name }),
                srclang,
                format,
            }
        }
        Format::Moses => {
            return Err(tm::Error::Invalid {
                path: name,
                message: "diff reads TMX, CSV, TSV and XLIFF; for plain-text translations give \
                          the source with --source"
                    .into(),
            }
            .into())
        }
    })
}

/// Pairs of the two versions to diff, in report order.
type Pair = (Option<Entry>, Option<Entry>);

/// Diffs two translation memories (TMX, CSV/TSV, XLIFF, or a TM store: an SQLite file or a
/// `postgres://` URL, e.g. a store against its TMX export), streaming; `sink` gets every unit
/// that is not unchanged (all of them with [`Options::keep_unchanged`]) in order: matched
/// units in the new file's order, then removed, then added ones.
///
/// # Errors
/// Unreadable files or syntax errors (file:line:column); whatever `sink` returns.
pub fn diff_files(
    old: &Path,
    new: &Path,
    opts: &Options,
    sink: &mut dyn FnMut(&UnitDiff) -> Result<(), crate::Error>,
) -> Result<Summary, crate::Error> {
    let mut a = open(old, opts.from)?;
    let mut b = open(new, opts.from)?;
    let src = opts
        .src_lang
        .clone()
        .or_else(|| a.srclang.clone())
        .or_else(|| b.srclang.clone())
        .unwrap_or_default();
    // Two formats carry different things (a CSV has no props, attributes or inline codes):
    // then only the texts are compared.
    let text_only = a.format != b.format;
    let mut j: Joiner<Item> = Joiner::new(opts.key, src.clone());
    let mut summary = Summary::default();
    let mut pairs: Vec<(Option<Item>, Option<Item>)> = Vec::new();
    let (mut qa, mut qb) = (VecDeque::new(), VecDeque::new());
    let (mut done_a, mut done_b) = (false, false);
    let mut spill: Option<Spill> = None;
    loop {
        // Refill the empty side(s); the chunks of both are parsed together on every core.
        let mut fa = Fetched::default();
        let mut fb = Fetched::default();
        if qa.is_empty() && !done_a {
            fa = a.batches.fetch()?;
            done_a = fa.end;
        }
        if qb.is_empty() && !done_b {
            fb = b.batches.fetch()?;
            done_b = fb.end;
        }
        // Cut units instead of parsing them only where they are matched by id (the matcher decides
        // on the first units of both files, which the readers have already parsed).
        let by_id = match j.decided {
            Some(d) => d,
            None => fa
                .entries
                .first()
                .zip(fb.entries.first())
                .is_some_and(|(x, y)| x.unit.id.is_some() && y.unit.id.is_some()),
        };
        let raw = opts.key != KeyMode::Source && by_id;
        let (ia, ib) = parse_fetched(&mut fa, &mut fb, a.batches.path(), b.batches.path(), raw)?;
        qa.extend(ia);
        qb.extend(ib);
        if qa.is_empty() && qb.is_empty() && done_a && done_b {
            break;
        }
        if let Some(sp) = spill.as_mut() {
            for x in qa.drain(..) {
                sp.push(&j, true, x, a.batches.path())?;
            }
            for x in qb.drain(..) {
                sp.push(&j, false, x, b.batches.path())?;
            }
            continue;
        }
        j.step(&mut qa, &mut qb, done_a, done_b, &mut pairs);
        let limit = if opts.spill_after == 0 {
            SPILL_AFTER
        } else {
            opts.spill_after
        };
        if j.waiting() > limit {
            // Two files in different orders: what waits, and all that follows, is matched
            // through a sort on disk instead.
            let mut sp = Spill::new();
            for (side, x) in j.drain_waiting() {
                sp.push(
                    &j,
                    side,
                    x,
                    if side {
                        a.batches.path()
                    } else {
                        b.batches.path()
                    },
                )?;
            }
            spill = Some(sp);
        }
        if pairs.len() >= 8192 {
            flush_items(
                &mut pairs,
                &src,
                opts,
                text_only,
                a.batches.path(),
                b.batches.path(),
                &mut summary,
                sink,
            )?;
        }
    }
    match spill {
        Some(sp) => {
            let mut sorted = sp.sorter.into_sorted()?;
            let mut group: Vec<SpillItem> = Vec::new();
            let mut at = None;
            loop {
                let next = sorted.next_item()?;
                let hash = next.as_ref().map(|((h, _), _)| *h);
                if hash != at || next.is_none() {
                    pairs.extend(pair_group(std::mem::take(&mut group)));
                    if pairs.len() >= 8192 || next.is_none() {
                        flush_items(
                            &mut pairs,
                            &src,
                            opts,
                            text_only,
                            a.batches.path(),
                            b.batches.path(),
                            &mut summary,
                            sink,
                        )?;
                    }
                }
                let Some((_, x)) = next else { break };
                at = hash;
                group.push(x);
            }
        }
        None => pairs.extend(j.finish()),
    }
    flush_items(
        &mut pairs,
        &src,
        opts,
        text_only,
        a.batches.path(),
        b.batches.path(),
        &mut summary,
        sink,
    )?;
    Ok(summary)
}

/// [`flush`] for TMX items: a new unit only cut out is compared by its bytes with its old
/// version, and parsed only when they differ.
#[allow(clippy::too_many_arguments)]
fn flush_items(
    pairs: &mut Vec<(Option<Item>, Option<Item>)>,
    src: &str,
    opts: &Options,
    text_only: bool,
    old_path: &str,
    new_path: &str,
    summary: &mut Summary,
    sink: &mut dyn FnMut(&UnitDiff) -> Result<(), crate::Error>,
) -> Result<(), crate::Error> {
    let done: Vec<Result<(UnitDiff, UnitStats), tm::Error>> = pairs
        .par_iter()
        .with_min_len(256)
        .map(|(o, n)| {
            let (o, n) = (o.as_ref(), n.as_ref());
            // Most units of a revision: both only cut out, byte for byte the same. Counted
            // without parsing when the counter can; else the old one is parsed, once.
            if let (false, Some(o), Some(n)) = (opts.keep_unchanged, o, n) {
                if let (Some(or), Some(nr)) = (&o.raw, &n.raw) {
                    if !o.parsed && or.bytes() == nr.bytes() {
                        let mut c = tm::tmx::TuCounts::default();
                        if tm::tmx::count_tu(or.bytes(), &mut c) {
                            return Ok((unreported(), counted_stats(c, src)));
                        }
                        let e = or.parse(old_path)?;
                        return Ok(diff_full(Some(&e), Some(&e), src, false, text_only));
                    }
                }
            }
            let (po, pn);
            let oe = match o {
                None => None,
                Some(o) if o.parsed => Some(&o.e),
                Some(o) => {
                    po = o.raw().parse(old_path)?;
                    Some(&po)
                }
            };
            let ne = match n {
                None => None,
                Some(n) if n.parsed => Some(&n.e),
                Some(n) => match o.and_then(|o| o.raw.as_ref()) {
                    // Byte-identical to a parsed old unit: the same unit.
                    Some(or) if or.bytes() == n.raw().bytes() => oe,
                    _ => {
                        pn = n.raw().parse(new_path)?;
                        Some(&pn)
                    }
                },
            };
            Ok(diff_full(oe, ne, src, opts.keep_unchanged, text_only))
        })
        .collect();
    pairs.clear();
    for r in done {
        let (d, s) = r?;
        summary.add(&s);
        if opts.keep_unchanged || d.status != Status::Unchanged {
            sink(&d)?;
        }
    }
    Ok(())
}

/// Diffs pairs in memory (the plain-text path), in order.
///
/// # Errors
/// Whatever `sink` returns.
pub fn diff_pairs(
    pairs: Vec<Pair>,
    src_lang: &str,
    opts: &Options,
    sink: &mut dyn FnMut(&UnitDiff) -> Result<(), crate::Error>,
) -> Result<Summary, crate::Error> {
    let mut summary = Summary::default();
    let mut pairs = pairs;
    flush(&mut pairs, src_lang, opts, &mut summary, sink)?;
    Ok(summary)
}

fn flush(
    pairs: &mut Vec<Pair>,
    src: &str,
    opts: &Options,
    summary: &mut Summary,
    sink: &mut dyn FnMut(&UnitDiff) -> Result<(), crate::Error>,
) -> Result<(), crate::Error> {
    let done: Vec<(UnitDiff, UnitStats)> = pairs
        .par_iter()
        .with_min_len(256)
        .map(|(o, n)| diff_full(o.as_ref(), n.as_ref(), src, opts.keep_unchanged, false))
        .collect();
    pairs.clear();
    for (d, s) in done {
        summary.add(&s);
        if opts.keep_unchanged || d.status != Status::Unchanged {
            sink(&d)?;
        }
    }
    Ok(())
}

/// A unit on its way through the sort: old side?, its key, the unit.
type SpillItem = (bool, String, Entry);

/// Matching of files in different orders, past [`SPILL_AFTER`] waiting units: every unit left
/// goes, parsed, into an external sort (`tm::spill`) keyed by a hash of its matching key; read
/// back, units of equal keys come together and pair. Memory stays about the sort's budget;
/// these units are reported in hash order, not file order.
struct Spill {
    sorter: tm::spill::Sorter<SpillItem>,
}

/// Memory the sort holds before writing a run.
const SPILL_BUDGET: usize = 64 << 20;

impl Spill {
    fn new() -> Spill {
        Spill {
            sorter: tm::spill::Sorter::new(SPILL_BUDGET),
        }
    }

    fn push(&mut self, j: &Joiner<Item>, old: bool, x: Item, path: &str) -> Result<(), tm::Error> {
        use std::hash::{Hash, Hasher};
        let e = if x.parsed { x.e } else { x.raw().parse(path)? };
        let key = j.key(&e);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        let size = key.len()
            + e.unit
                .variants
                .iter()
                .map(|v| v.text.len() + 64)
                .sum::<usize>()
            + 256;
        self.sorter
            .push((h.finish(), u64::from(!old)), (old, key, e), size)
    }
}

/// Pairs the units of one hash: equal keys in file order, the rest removed or added.
fn pair_group(group: Vec<SpillItem>) -> Vec<(Option<Item>, Option<Item>)> {
    let item = |e: Entry| Item {
        e,
        raw: None,
        parsed: true,
    };
    let (olds, news): (Vec<SpillItem>, Vec<SpillItem>) = group.into_iter().partition(|x| x.0);
    let mut news: Vec<Option<SpillItem>> = news.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for (_, k, e) in olds {
        let partner = news
            .iter_mut()
            .find(|n| n.as_ref().is_some_and(|n| n.1 == k))
            .and_then(Option::take);
        out.push((Some(item(e)), partner.map(|n| item(n.2))));
    }
    out.extend(news.into_iter().flatten().map(|n| (None, Some(item(n.2)))));
    out
}

/// The streaming matcher: pairs equal keys at the heads of both queues, parks the others.
struct Joiner<T> {
    src: String,
    decided: Option<bool>,
    seq: u64,
    old_wait: HashMap<String, VecDeque<(u64, T)>>,
    new_wait: HashMap<String, VecDeque<(u64, T)>>,
    /// Units in the two tables.
    waiting: usize,
}

impl<T: AsEntry> Joiner<T> {
    fn new(mode: KeyMode, src: String) -> Joiner<T> {
        Joiner {
            src,
            decided: match mode {
                KeyMode::Auto => None,
                KeyMode::Id => Some(true),
                KeyMode::Source => Some(false),
            },
            seq: 0,
            old_wait: HashMap::new(),
            new_wait: HashMap::new(),
            waiting: 0,
        }
    }

    /// The key of a unit: `i` + id, or `s` + source text.
    fn key(&self, e: &Entry) -> String {
        let by_id = self.decided.unwrap_or(false);
        match (&e.unit.id, by_id) {
            (Some(id), true) => format!("i{id}"),
            _ => format!("s{}", e.unit.text(&self.src).unwrap_or("")),
        }
    }

    fn step(
        &mut self,
        qa: &mut VecDeque<T>,
        qb: &mut VecDeque<T>,
        done_a: bool,
        done_b: bool,
        out: &mut Vec<(Option<T>, Option<T>)>,
    ) {
        if self.decided.is_none() {
            match (qa.front(), qb.front()) {
                (Some(a), Some(b)) => {
                    let (a, b) = (a.entry(), b.entry());
                    self.decided = Some(a.unit.id.is_some() && b.unit.id.is_some());
                }
                (None, _) if done_a => self.decided = Some(false),
                (_, None) if done_b => self.decided = Some(false),
                _ => return,
            }
        }
        loop {
            match (qa.front(), qb.front()) {
                (Some(_), Some(_)) => {
                    let a = qa.pop_front().unwrap_or_default();
                    let b = qb.pop_front().unwrap_or_default();
                    // Fast path, while nothing waits: same id or same source, no key built.
                    let idle = self.old_wait.is_empty() && self.new_wait.is_empty();
                    if idle && self.same(a.entry(), b.entry()) {
                        out.push((Some(a), Some(b)));
                        continue;
                    }
                    self.take_old(a, out);
                    self.take_new(b, out);
                }
                (Some(_), None) if done_b => {
                    let a = qa.pop_front().unwrap_or_default();
                    self.take_old(a, out);
                }
                (None, Some(_)) if done_a => {
                    let b = qb.pop_front().unwrap_or_default();
                    self.take_new(b, out);
                }
                _ => return,
            }
        }
    }

    fn same(&self, a: &Entry, b: &Entry) -> bool {
        let by_id = self.decided.unwrap_or(false);
        match (&a.unit.id, &b.unit.id, by_id) {
            (Some(x), Some(y), true) => x == y,
            (None, None, _) | (_, _, false) => {
                a.unit.text(&self.src).unwrap_or("") == b.unit.text(&self.src).unwrap_or("")
            }
            _ => false,
        }
    }

    fn take_old(&mut self, a: T, out: &mut Vec<(Option<T>, Option<T>)>) {
        self.take(a, true, out);
    }

    fn take_new(&mut self, b: T, out: &mut Vec<(Option<T>, Option<T>)>) {
        self.take(b, false, out);
    }

    /// Pair a unit with the first one waiting on the other side under the same key, or make
    /// it wait on its own side: the same step for old and new units.
    fn take(&mut self, u: T, is_old: bool, out: &mut Vec<(Option<T>, Option<T>)>) {
        let k = self.key(u.entry());
        let (mine, theirs) = if is_old {
            (&mut self.old_wait, &mut self.new_wait)
        } else {
            (&mut self.new_wait, &mut self.old_wait)
        };
        if let Some(q) = theirs.get_mut(&k) {
            if let Some((_, other)) = q.pop_front() {
                if q.is_empty() {
                    theirs.remove(&k);
                }
                self.waiting -= 1;
                out.push(if is_old {
                    (Some(u), Some(other))
                } else {
                    (Some(other), Some(u))
                });
                return;
            }
        }
        self.seq += 1;
        self.waiting += 1;
        mine.entry(k).or_default().push_back((self.seq, u));
    }

    /// Units waiting for their partner.
    fn waiting(&self) -> usize {
        self.waiting
    }

    /// Takes what waits, old side (`true`) and new, in file order.
    fn drain_waiting(&mut self) -> Vec<(bool, T)> {
        self.waiting = 0;
        let old = self
            .old_wait
            .drain()
            .flat_map(|(_, q)| q)
            .map(|(i, x)| (i, true, x));
        let new = self
            .new_wait
            .drain()
            .flat_map(|(_, q)| q)
            .map(|(i, x)| (i, false, x));
        let mut all: Vec<(u64, bool, T)> = old.chain(new).collect();
        all.sort_by_key(|x| x.0);
        all.into_iter().map(|(_, side, x)| (side, x)).collect()
    }

    /// What is still waiting: removed units, then added ones, each in file order.
    fn finish(&mut self) -> Vec<(Option<T>, Option<T>)> {
        let mut old: Vec<(u64, T)> = self.old_wait.drain().flat_map(|(_, q)| q).collect();
        let mut new: Vec<(u64, T)> = self.new_wait.drain().flat_map(|(_, q)| q).collect();
        old.sort_by_key(|x| x.0);
        new.sort_by_key(|x| x.0);
        old.into_iter()
            .map(|(_, e)| (Some(e), None))
            .chain(new.into_iter().map(|(_, e)| (None, Some(e))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::{Unit, Variant};

    fn entry(id: Option<&str>, ar: &str, en: &str) -> Entry {
        Entry::from(Unit {
            id: id.map(str::to_string),
            variants: vec![Variant::new("ar", ar), Variant::new("en", en)],
            ..Default::default()
        })
    }

    #[test]
    fn a_unit_diff_has_status_distances_and_band() {
        let o = entry(Some("1"), "قطة", "The cat sat.");
        let n = entry(Some("1"), "قطة", "The dog sat down.");
        let d = diff_entries(Some(&o), Some(&n), "ar");
        assert_eq!(d.status, Status::Edited);
        assert_eq!(d.variants[0].status, Status::Unchanged);
        let en = &d.variants[1];
        assert_eq!((en.word_edits, en.char_edits), (2, 8));
        assert_eq!(en.words, (4, 5));
        assert_eq!(en.band, Band::B31to50);
        assert_eq!(d.band(), Band::B31to50);
        let same = diff_entries(Some(&o), Some(&o), "ar");
        assert_eq!(same.status, Status::Unchanged);
        assert_eq!(diff_entries(None, Some(&n), "ar").status, Status::Added);
        assert_eq!(diff_entries(Some(&o), None, "ar").status, Status::Removed);
    }

    #[test]
    fn metadata_changes_are_listed() {
        let mut o = entry(Some("1"), "س", "x");
        let mut n = o.clone();
        o.unit.attrs.push(("changeid".into(), "ann".into()));
        n.unit.attrs.push(("changeid".into(), "bob".into()));
        n.unit.props.push(tm::Prop::new("x-domain", "law"));
        let d = diff_entries(Some(&o), Some(&n), "ar");
        assert_eq!(d.status, Status::Edited);
        assert!(d.meta_only());
        let fields: Vec<&str> = d.meta.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["prop x-domain", "attr changeid"]);
        assert_eq!(d.translator.as_deref(), Some("ann"));
        assert_eq!(d.reviser.as_deref(), Some("bob"));
    }

    fn join(
        old: Vec<Entry>,
        new: Vec<Entry>,
        mode: KeyMode,
    ) -> Vec<(Option<String>, Option<String>)> {
        let mut j: Joiner<Entry> = Joiner::new(mode, "ar".into());
        let mut out = Vec::new();
        let (mut qa, mut qb): (VecDeque<_>, VecDeque<_>) = (old.into(), new.into());
        j.step(&mut qa, &mut qb, true, true, &mut out);
        out.extend(j.finish());
        out.into_iter()
            .map(|(a, b)| {
                (
                    a.map(|e| e.unit.text("en").unwrap().to_string()),
                    b.map(|e| e.unit.text("en").unwrap().to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn the_join_pairs_by_id_through_insertions_deletions_and_moves() {
        let old = vec![
            entry(Some("1"), "a", "o1"),
            entry(Some("2"), "b", "o2"),
            entry(Some("3"), "c", "o3"),
            entry(Some("4"), "d", "o4"),
        ];
        let new = vec![
            entry(Some("1"), "a", "n1"),
            entry(Some("9"), "z", "n9"),
            entry(Some("4"), "d", "n4"),
            entry(Some("2"), "b", "n2"),
        ];
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            join(old, new, KeyMode::Auto),
            vec![
                (s("o1"), s("n1")),
                (s("o4"), s("n4")),
                (s("o2"), s("n2")),
                (s("o3"), None),
                (None, s("n9")),
            ]
        );
    }

    #[test]
    fn without_ids_the_join_uses_the_source_and_pairs_repeats_in_order() {
        let old = vec![
            entry(None, "a", "o1"),
            entry(None, "a", "o2"),
            entry(None, "b", "o3"),
        ];
        let new = vec![
            entry(None, "b", "n3"),
            entry(None, "a", "n1"),
            entry(None, "a", "n2"),
        ];
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            join(old, new, KeyMode::Auto),
            vec![(s("o1"), s("n1")), (s("o3"), s("n3")), (s("o2"), s("n2"))]
        );
    }
}
