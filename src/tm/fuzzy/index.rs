//! An in-memory index over translation units that returns the top-k matches by the exact
//! [`score`](super::score()) — the same result as scoring every unit (the proof is below; the
//! property test `index_equals_brute_force` checks it on random TMs).
//!
//! # How it finds candidates without losing any
//!
//! Each unit's source is reduced to its sequence of keys (words, and one key for every number;
//! see [`super::tokens`]). The index keeps an inverted list for every *occurrence key*
//! `(key, k)` — "the k-th occurrence of this key in the unit" — so that the number of lists a
//! unit shares with the query is exactly `C`, the size of the multiset intersection of their
//! keys.
//!
//! **Bound.** With `n` query keys, `m` unit keys and `L = max(n, m)`, the edit distance is
//! `D >= L - C`: every position of the longer sequence is matched, substituted or deleted,
//! and at most `C` are matched. So the percentage before penalties, `floor(100 (L - D) / L)`,
//! is at most `ub = floor(100 C / L)`, and penalties only lower it further.
//!
//! **Search.** The query's occurrence keys are probed rarest first. After probing `p` of the
//! `n` lists, a unit in none of them shares at most `n - p` keys, so its percentage is at most
//! `floor(100 (n - p) / n)`: once that is below the threshold `θ` (the `--min`, raised to the
//! k-th best exact score found so far) no unseen unit can enter the top k, and probing stops.
//! A seen unit with count `c` has `C <= min(c + n - p, n, m)`, which gives its `ub`; the
//! candidates are rescored exactly in decreasing `ub` order until `ub < θ`. Nothing is
//! approximate: every unit skipped has a proven upper bound below a score already found (or
//! below `--min`), so the result equals brute force, in every band — 50-74 included, where
//! filters tuned for a similarity cut-off (SimString, MinHash) lose recall. Speed comes from
//! `θ` rising fast: a few exact rescorings after the first (rarest) lists usually find a good
//! match, and from then on only `ceil(n (1 - θ/100))` lists need probing: 3 of 16 for a
//! 85 % match. At `--min 50` with no match at all, about half the lists are probed, the rarest
//! half.
//!
//! **Frequent keys.** A list held by at least 1/32 of the units also has a bitmap over the
//! units. When most of such a list is in the length window, a lookup adds it to its 1-byte
//! counts in one pass over the units (eight counters a 64-bit add) instead of one random
//! counter update a posting, and from then on adds every further list, so the counts are the
//! exact `C` of every unit whose length can reach the threshold; its checks then scan the
//! counts whole. This is what keeps a top-5 lookup at `--min 50` (the threshold staying at 50,
//! half the lists or more to count, the frequent ones included) cheap.
//!
//! Ties are broken by unit order (the first unit in the file wins), as brute force does.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::score::{base_percent, levenshtein_bounded, score, Prepared, Score};
use super::tokens::{matching_text, tokenize};
use crate::tm::{Entry, ReadUnits};

/// FxHash (rustc's): the interner hashes ~20 keys per unit, SipHash would dominate the build.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Options of a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupOptions {
    /// The lowest match percentage returned (1-100).
    pub min: u8,
    /// The number of matches returned, best first.
    pub max: usize,
}

impl Default for LookupOptions {
    fn default() -> LookupOptions {
        LookupOptions { min: 70, max: 5 }
    }
}

/// One match: the unit (its position in the index) and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Position of the unit in the index (0-based, in the order the units were added).
    pub unit: usize,
    /// The score of the query against the unit's source.
    pub score: Score,
}

/// One side (language) of the index: interned keys, each unit's key sequence and the inverted
/// lists of occurrence keys.
#[derive(Debug, Default)]
pub(crate) struct Side {
    /// Key text -> key id.
    pub(crate) vocab: FxMap<Box<str>, u32>,
    /// Occurrence keys beyond the first: `(key id, k >= 1)` -> list id. The first occurrence
    /// of key `w` is list `w`.
    occ: FxMap<(u32, u32), u32>,
    /// Start of each list in `postings` (one more entry than lists).
    post_off: Vec<u32>,
    postings: Vec<u32>,
    /// Start of each unit's keys in `seq`.
    seq_off: Vec<u32>,
    seq: Vec<u32>,
    /// Units with no key (punctuation only, empty).
    empty: Vec<u32>,
    /// Adjacent pairs of frequent keys, for concordance; built on request
    /// ([`Index::build_phrase_lists`]).
    pub(crate) pairs: std::sync::OnceLock<super::concordance::PairLists>,
    /// Lists held in at least 1/32 of the units (the source side only) -> start of their
    /// bitmap over the units in `bits` (see [`Side::build_bitmaps`]).
    dense: FxMap<u32, u32>,
    /// Bitmaps of the dense lists, `words()` words each, bit `u` for unit `u`.
    bits: Vec<u64>,
    /// Each unit's number of keys, 255 for 255 and more (built with the bitmaps), so that a
    /// scan of the counts checks lengths without a cache miss a unit.
    len8: Vec<u8>,
    /// A list with a bitmap is added from it when at least this many of its postings are in
    /// the lookup's length window (see [`Searcher::lookup`]).
    bulk_min: usize,
}

impl Side {
    /// Builds a side from the matching texts of units `0..n`.
    fn build<'a, F>(n: usize, text: F) -> Side
    where
        F: Fn(usize) -> std::borrow::Cow<'a, str> + Sync,
    {
        const CHUNK: usize = 16 * 1024;
        let mut side = Side {
            seq_off: Vec::with_capacity(n + 1),
            ..Side::default()
        };
        side.seq_off.push(0);
        // Pass 1: every core tokenises a chunk of units and interns its keys into the chunk's
        // own vocabulary; the chunks are then merged in order, so key ids are the order of
        // first occurrence, as interning unit by unit gives, while the serial merge hashes
        // each distinct key of a chunk once instead of every key.
        let chunks: Vec<usize> = (0..n).step_by(CHUNK).collect();
        let per_round = 4 * rayon::current_num_threads().max(1);
        for round in chunks.chunks(per_round) {
            let parts: Vec<LocalKeys> = round
                .par_iter()
                .map(|&start| LocalKeys::of(start..(start + CHUNK).min(n), &text))
                .collect();
            for part in parts {
                let global: Vec<u32> = part
                    .keys
                    .into_iter()
                    .map(|k| side.intern_owned(k))
                    .collect();
                let base = side.seq.len() as u32;
                side.seq
                    .extend(part.seq.iter().map(|&k| global[k as usize]));
                side.seq_off.extend(part.ends.iter().map(|&e| base + e));
            }
        }
        // Pass 2: occurrence keys, list sizes.
        let nkeys = side.vocab.len();
        let mut seen = vec![0u32; nkeys];
        let mut list_of = Vec::with_capacity(side.seq.len());
        let mut sizes: Vec<u32> = vec![0; nkeys];
        for u in 0..n {
            let keys = &side.seq[side.seq_off[u] as usize..side.seq_off[u + 1] as usize];
            for &k in keys {
                let occ = seen[k as usize];
                seen[k as usize] += 1;
                let list = if occ == 0 {
                    k
                } else {
                    let next = (nkeys + side.occ.len()) as u32;
                    *side.occ.entry((k, occ)).or_insert(next)
                };
                if list as usize >= sizes.len() {
                    sizes.push(0);
                }
                sizes[list as usize] += 1;
                list_of.push(list);
            }
            for &k in keys {
                seen[k as usize] = 0;
            }
            if keys.is_empty() {
                side.empty.push(u as u32);
            }
        }
        // Pass 3: fill the lists, units by increasing number of keys (then position), so a
        // lookup reads only the lengths that can reach its threshold.
        side.post_off = Vec::with_capacity(sizes.len() + 1);
        let mut acc = 0u32;
        side.post_off.push(0);
        for s in &sizes {
            acc += s;
            side.post_off.push(acc);
        }
        let mut fill: Vec<u32> = side.post_off[..sizes.len()].to_vec();
        side.postings = vec![0; acc as usize];
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&u| side.unit_keys(u as usize).len());
        for u in order {
            let (s, e) = (
                side.seq_off[u as usize] as usize,
                side.seq_off[u as usize + 1] as usize,
            );
            for &list in &list_of[s..e] {
                side.postings[fill[list as usize] as usize] = u;
                fill[list as usize] += 1;
            }
        }
        side.vocab.shrink_to_fit();
        side
    }

    fn intern_owned(&mut self, key: Box<str>) -> u32 {
        let next = self.vocab.len() as u32;
        *self.vocab.entry(key).or_insert(next)
    }

    /// Number of units.
    pub(crate) fn units(&self) -> usize {
        self.seq_off.len().saturating_sub(1)
    }

    pub(crate) fn unit_keys(&self, u: usize) -> &[u32] {
        &self.seq[self.seq_off[u] as usize..self.seq_off[u + 1] as usize]
    }

    fn unit_len(&self, u: u32) -> usize {
        (self.seq_off[u as usize + 1] - self.seq_off[u as usize]) as usize
    }

    /// The part of `list` (sorted by unit length) whose units have `lo..=hi` keys.
    fn window<'a>(&self, list: &'a [u32], lo: usize, hi: usize) -> &'a [u32] {
        let a = list.partition_point(|&u| self.unit_len(u) < lo);
        let b = a + list[a..].partition_point(|&u| self.unit_len(u) <= hi);
        &list[a..b]
    }

    /// The list of occurrence key `(key, occ)`, if any unit has it.
    fn list(&self, key: u32, occ: u32) -> Option<&[u32]> {
        self.list_id(key, occ).map(|id| self.list_by_id(id))
    }

    fn list_id(&self, key: u32, occ: u32) -> Option<u32> {
        if occ == 0 {
            Some(key)
        } else {
            self.occ.get(&(key, occ)).copied()
        }
    }

    fn list_by_id(&self, id: u32) -> &[u32] {
        let (s, e) = (
            self.post_off[id as usize] as usize,
            self.post_off[id as usize + 1] as usize,
        );
        &self.postings[s..e]
    }

    /// Words of one bitmap over the units.
    fn words(&self) -> usize {
        self.units().div_ceil(64)
    }

    /// The bitmap of list `id`, if it has one.
    fn bitmap(&self, id: u32) -> Option<&[u64]> {
        let w = self.words();
        self.dense
            .get(&id)
            .map(|&at| &self.bits[at as usize * w..(at as usize + 1) * w])
    }

    /// Gives every list of at least `min_len` postings (and 1) a bitmap over the units, so
    /// that a lookup can add a frequent key's list to its counts in one pass over the units
    /// (64 at a time) instead of one counter update per posting. A bitmap is `units / 8`
    /// bytes, at most the list's own 4 bytes a posting when `min_len >= units / 32`.
    pub(crate) fn build_bitmaps(&mut self, min_len: usize) {
        let w = self.words();
        self.dense = FxMap::default();
        let ids: Vec<u32> = (0..self.post_off.len().saturating_sub(1) as u32)
            .filter(|&id| self.list_by_id(id).len() >= min_len.max(1))
            .collect();
        let mut bits = vec![0u64; ids.len() * w];
        for (i, &id) in ids.iter().enumerate() {
            let b = &mut bits[i * w..(i + 1) * w];
            for &u in self.list_by_id(id) {
                b[u as usize / 64] |= 1 << (u % 64);
            }
            self.dense.insert(id, i as u32);
        }
        self.bits = bits;
        self.bulk_min = w / 2;
        self.len8 = (0..self.units() as u32)
            .map(|u| self.unit_len(u).min(255) as u8)
            .collect();
    }

    /// Units containing key `key` at least once (by number of keys, then position).
    pub(crate) fn units_with(&self, key: u32) -> &[u32] {
        self.list(key, 0).unwrap_or(&[])
    }

    fn bytes(&self) -> usize {
        let vocab: usize = self.vocab.keys().map(|k| k.len() + 16 + 8).sum();
        vocab
            + self.occ.len() * 16
            + 4 * (self.post_off.capacity()
                + self.postings.capacity()
                + self.seq_off.capacity()
                + self.seq.capacity()
                + self.empty.capacity())
            + self.dense.len() * 16
            + 8 * self.bits.capacity()
            + self.len8.capacity()
            + self
                .pairs
                .get()
                .map_or(0, super::concordance::PairLists::bytes)
    }
}

/// The keys of a run of units, interned into a vocabulary of their own (a part of
/// [`Side::build`]'s first pass).
struct LocalKeys {
    /// Key texts by local id, in order of first occurrence.
    keys: Vec<Box<str>>,
    /// Every unit's local key ids, back to back.
    seq: Vec<u32>,
    /// End of each unit's keys in `seq`.
    ends: Vec<u32>,
}

impl LocalKeys {
    fn of<'a, F>(units: std::ops::Range<usize>, text: &F) -> LocalKeys
    where
        F: Fn(usize) -> std::borrow::Cow<'a, str>,
    {
        let mut ids: FxMap<Box<str>, u32> = FxMap::default();
        let mut seq = Vec::with_capacity(units.len() * 16);
        let mut ends = Vec::with_capacity(units.len());
        for i in units {
            let t = tokenize(&text(i));
            for key in t.keys() {
                let id = match ids.get(key) {
                    Some(&id) => id,
                    None => {
                        let id = ids.len() as u32;
                        ids.insert(key.into(), id);
                        id
                    }
                };
                seq.push(id);
            }
            ends.push(seq.len() as u32);
        }
        let mut keys: Vec<Box<str>> = vec![Box::default(); ids.len()];
        for (k, id) in ids {
            keys[id as usize] = k;
        }
        LocalKeys { keys, seq, ends }
    }
}

/// Collects units for an [`Index`]: their source and target texts, ids and inline-code
/// markup. Only the two languages are kept, so a large multilingual TMX costs what its two
/// languages do.
#[derive(Debug)]
pub struct IndexBuilder {
    src_lang: String,
    tgt_lang: String,
    /// All texts, back to back: for unit `i`, source, target, id.
    arena: String,
    off: Vec<usize>,
    /// Matching texts of the units whose source has inline codes.
    codes: FxMap<u32, Box<str>>,
    skipped: usize,
}

impl IndexBuilder {
    /// A builder for units translated from `src_lang` into `tgt_lang` (BCP 47; matched as
    /// [`crate::tm::Unit::text`] does).
    pub fn new(src_lang: &str, tgt_lang: &str) -> IndexBuilder {
        IndexBuilder {
            src_lang: src_lang.to_string(),
            tgt_lang: tgt_lang.to_string(),
            arena: String::new(),
            off: vec![0],
            codes: FxMap::default(),
            skipped: 0,
        }
    }

    /// Adds a unit. Returns false (and keeps nothing) when it lacks either language.
    pub fn push(&mut self, e: &Entry) -> bool {
        let u = &e.unit;
        let find = |lang: &str| {
            let v = u.variant(lang)?;
            let i = u.variants.iter().position(|x| std::ptr::eq(x, v))?;
            Some((v, e.extras.get(i).and_then(|x| x.markup.as_deref())))
        };
        let (Some((src, markup)), Some((tgt, _))) = (find(&self.src_lang), find(&self.tgt_lang))
        else {
            self.skipped += 1;
            return false;
        };
        self.push_parts(&src.text, markup, &tgt.text, u.id.as_deref())
    }

    /// Adds a unit given by its parts: the source text and its inline-code markup (TMX
    /// form), the target text and the id. For callers that extract the two languages
    /// elsewhere (on other threads) and keep no [`Entry`]. Returns false (and keeps nothing)
    /// when the source is blank.
    pub fn push_parts(
        &mut self,
        source: &str,
        source_markup: Option<&str>,
        target: &str,
        id: Option<&str>,
    ) -> bool {
        if source.trim().is_empty() {
            self.skipped += 1;
            return false;
        }
        let n = self.len() as u32;
        if let std::borrow::Cow::Owned(m) = matching_text(source, source_markup) {
            self.codes.insert(n, m.into());
        }
        for t in [source, target, id.unwrap_or("")] {
            self.arena.push_str(t);
            self.off.push(self.arena.len());
        }
        true
    }

    /// Counts a unit left out by the caller (it lacked a language), for [`Index::skipped`].
    pub fn skip(&mut self) {
        self.skipped += 1;
    }

    /// Adds every unit of a reader.
    ///
    /// # Errors
    /// The reader's errors.
    pub fn read_all(&mut self, r: &mut dyn ReadUnits) -> Result<(), crate::tm::Error> {
        while let Some(e) = r.read_entry()? {
            self.push(&e);
        }
        Ok(())
    }

    /// Units added so far.
    pub fn len(&self) -> usize {
        (self.off.len() - 1) / 3
    }

    /// The source language.
    pub fn source_lang(&self) -> &str {
        &self.src_lang
    }

    /// The target language.
    pub fn target_lang(&self) -> &str {
        &self.tgt_lang
    }

    /// True when no unit was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Units left out because they lacked a language.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Builds the index (tokenising on every core).
    pub fn build(mut self) -> Index {
        self.arena.shrink_to_fit();
        self.off.shrink_to_fit();
        let mut index = Index {
            src_lang: self.src_lang,
            tgt_lang: self.tgt_lang,
            arena: self.arena,
            off: self.off,
            codes: self.codes,
            src: Side::default(),
            tgt: None,
            skipped: self.skipped,
        };
        let n = index.len();
        index.src = Side::build(n, |i| index.matching_source(i).into());
        index.src.build_bitmaps(n.div_ceil(32));
        index
    }
}

/// A fuzzy-match index over translation units (see the [module docs](self) for the search and
/// why it loses no match).
///
/// ```
/// use dragoman::tm::{Entry, Unit, Variant};
/// use dragoman::tm::fuzzy::{Index, LookupOptions};
/// let units = [("The budget rose by 5 percent.", "Le budget a augmenté de 5 %."),
///              ("The meeting ended.", "La réunion est terminée.")];
/// let entries = units.iter().map(|(en, fr)| Entry::from(Unit {
///     variants: vec![Variant::new("en", *en), Variant::new("fr", *fr)], ..Default::default() }));
/// let index = Index::from_entries(entries, "en", "fr");
/// let hits = index.lookup("The budget rose by 7 percent.", LookupOptions::default());
/// assert_eq!((hits[0].unit, hits[0].score.percent), (0, 99));
/// assert_eq!(index.target(0), "Le budget a augmenté de 5 %.");
/// ```
#[derive(Debug)]
pub struct Index {
    src_lang: String,
    tgt_lang: String,
    arena: String,
    off: Vec<usize>,
    codes: FxMap<u32, Box<str>>,
    pub(crate) src: Side,
    pub(crate) tgt: Option<Side>,
    skipped: usize,
}

impl Index {
    /// Builds an index from entries (e.g. a TMX loaded in memory).
    pub fn from_entries<I>(entries: I, src_lang: &str, tgt_lang: &str) -> Index
    where
        I: IntoIterator,
        I::Item: std::borrow::Borrow<Entry>,
    {
        let mut b = IndexBuilder::new(src_lang, tgt_lang);
        for e in entries {
            b.push(std::borrow::Borrow::borrow(&e));
        }
        b.build()
    }

    /// Builds an index from a streaming reader (any format).
    ///
    /// # Errors
    /// The reader's errors.
    pub fn from_reader(
        r: &mut dyn ReadUnits,
        src_lang: &str,
        tgt_lang: &str,
    ) -> Result<Index, crate::tm::Error> {
        let mut b = IndexBuilder::new(src_lang, tgt_lang);
        b.read_all(r)?;
        Ok(b.build())
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        (self.off.len() - 1) / 3
    }

    /// True when there is no unit.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Units left out when building because they lacked the source or target language.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The source language.
    pub fn source_lang(&self) -> &str {
        &self.src_lang
    }

    /// The target language.
    pub fn target_lang(&self) -> &str {
        &self.tgt_lang
    }

    fn field(&self, i: usize, f: usize) -> &str {
        &self.arena[self.off[3 * i + f]..self.off[3 * i + f + 1]]
    }

    /// The source text of unit `i` (exactly as read).
    pub fn source(&self, i: usize) -> &str {
        self.field(i, 0)
    }

    /// The target text of unit `i`.
    pub fn target(&self, i: usize) -> &str {
        self.field(i, 1)
    }

    /// The id (`tuid`) of unit `i`, if it has one.
    pub fn id(&self, i: usize) -> Option<&str> {
        Some(self.field(i, 2)).filter(|s| !s.is_empty())
    }

    /// The text unit `i`'s source is matched on: the source, with U+FFFC where its inline
    /// codes are ([`super::matching_text`]).
    pub fn matching_source(&self, i: usize) -> &str {
        match self.codes.get(&(i as u32)) {
            Some(s) => s,
            None => self.source(i),
        }
    }

    /// Builds the inverted lists of the target side too (for concordance searches in the
    /// target). Does nothing when they exist.
    pub fn build_target_side(&mut self) {
        if self.tgt.is_none() {
            let n = self.len();
            let side = Side::build(n, |i| self.target(i).into());
            self.tgt = Some(side);
        }
    }

    /// Approximate heap memory of the index, in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.arena.capacity()
            + 8 * self.off.capacity()
            + self.codes.values().map(|s| s.len() + 24).sum::<usize>()
            + self.src.bytes()
            + self.tgt.as_ref().map_or(0, Side::bytes)
    }

    /// The best matches of `query` (in the source language), best first.
    pub fn lookup(&self, query: &str, opts: LookupOptions) -> Vec<Hit> {
        self.searcher().lookup(query, opts)
    }

    /// The best matches of many queries, on every core.
    pub fn lookup_all<S: AsRef<str> + Sync>(
        &self,
        queries: &[S],
        opts: LookupOptions,
    ) -> Vec<Vec<Hit>> {
        queries
            .par_iter()
            .map_init(|| self.searcher(), |s, q| s.lookup(q.as_ref(), opts))
            .collect()
    }

    /// A searcher with its own scratch memory (one per thread), for many lookups.
    pub fn searcher(&self) -> Searcher<'_> {
        Searcher {
            index: self,
            counts: vec![0; self.len()],
            touched: Vec::new(),
            level: Default::default(),
            row: Vec::new(),
            qcount: Vec::new(),
            qslot: Vec::new(),
            peq: Vec::new(),
            stats: SearchStats::default(),
            floors: Vec::new(),
            dense: false,
            found: Vec::new(),
        }
    }

    /// The best matches by scoring every unit: what [`Index::lookup`] must return (for tests
    /// and benchmarks). Units are skipped only when their number of keys alone rules them out
    /// (`ub = floor(100 min(n, m) / max(n, m)) < min`), or when the edit distance on the stored
    /// keys already is below the threshold; the rest are scored with [`score`].
    pub fn brute_force(&self, query: &str, opts: LookupOptions) -> Vec<Hit> {
        let q = Prepared::new(query, &self.src_lang);
        let qids = self.query_ids(&q);
        let n = qids.len();
        let mut best = Vec::new();
        let mut row = Vec::new();
        for u in 0..self.len() {
            let keys = self.src.unit_keys(u);
            let l = n.max(keys.len());
            let theta = threshold(&best, opts);
            if base_percent(l - n.min(keys.len()), l) < theta {
                continue;
            }
            let max_d = l * (100 - theta as usize) / 100;
            if levenshtein_bounded(&qids, keys, max_d, &mut row).is_none() {
                continue;
            }
            let s = score(&q, &Prepared::new(self.matching_source(u), &self.src_lang));
            offer(&mut best, Hit { unit: u, score: s }, opts);
        }
        best
    }

    /// The query's keys as ids of this index (unknown keys get ids no unit has).
    fn query_ids(&self, q: &Prepared) -> Vec<u32> {
        q.tokens
            .keys()
            .enumerate()
            .map(|(i, k)| {
                self.src
                    .vocab
                    .get(k)
                    .copied()
                    .unwrap_or(u32::MAX - i as u32)
            })
            .collect()
    }
}

/// The numbers of keys `m` a unit may have to reach `theta` against `n` query keys:
/// `floor(100 min(n, m) / max(n, m)) >= theta`.
fn length_window(n: usize, theta: u8) -> (usize, usize) {
    let t = theta as usize;
    // m <= n: 100 m >= t n.
    let lo = (t * n).div_ceil(100);
    // m >= n: 100 n >= t m.
    let hi = (100 * n).checked_div(t).unwrap_or(usize::MAX);
    (lo, hi)
}

/// The score a unit needs to enter `best`.
fn threshold(best: &[Hit], opts: LookupOptions) -> u8 {
    if best.len() >= opts.max {
        best.last()
            .map_or(opts.min, |h| h.score.percent.max(opts.min))
    } else {
        opts.min
    }
}

/// Inserts `h` into `best` (sorted by percent descending, then unit) if it qualifies.
fn offer(best: &mut Vec<Hit>, h: Hit, opts: LookupOptions) {
    if h.score.percent < opts.min || opts.max == 0 {
        return;
    }
    let key = |x: &Hit| (std::cmp::Reverse(x.score.percent), x.unit);
    let at = best.partition_point(|x| key(x) < key(&h));
    if at < opts.max {
        best.insert(at, h);
        best.truncate(opts.max);
    }
}

/// Sets [`VERIFIED`] in the counts of the units whose length (`len8`) is outside `lo..=hi`.
fn mark_outside(counts: &mut [u8], len8: &[u8], lo: usize, hi: usize) {
    // A `len8` of 255 is 255 keys or more: outside only when `hi` is below 255.
    let (lo, hi) = (lo.min(255) as u8, hi.min(255) as u8);
    for (c, &m) in counts.iter_mut().zip(len8) {
        // Branch-free, so that it is vectorised.
        *c |= VERIFIED * u8::from((m < lo) | (m > hi));
    }
}

/// `counts[u] += 1` for every bit `u` of `bits`, eight counters at a time. No counter may be
/// 0xFF (the lookup's counts stay below it: a count below [`SATURATED`], plus [`VERIFIED`]),
/// so no carry crosses from one counter into the next.
fn add_bits(counts: &mut [u8], bits: &[u64]) {
    /// Byte `b` spread to eight bytes of 0 or 1, bit `i` to byte `i`.
    const fn spread() -> [u64; 256] {
        let mut t = [0u64; 256];
        let mut b = 0;
        while b < 256 {
            let mut i = 0;
            while i < 8 {
                if (b >> i) & 1 == 1 {
                    t[b] |= 1 << (8 * i);
                }
                i += 1;
            }
            b += 1;
        }
        t
    }
    static SPREAD: [u64; 256] = spread();
    let last = bits.get(counts.len() / 64).copied();
    let mut blocks = counts.chunks_exact_mut(64);
    for (block, &w) in (&mut blocks).zip(bits) {
        if w == 0 {
            continue;
        }
        for (j, c) in block.chunks_exact_mut(8).enumerate() {
            let add = SPREAD[((w >> (8 * j)) & 0xFF) as usize];
            let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            c.copy_from_slice(&(v + add).to_le_bytes());
        }
    }
    let tail = blocks.into_remainder();
    if let Some(w) = last {
        for (i, c) in tail.iter_mut().enumerate() {
            *c += ((w >> i) & 1) as u8;
        }
    }
}

/// Flag of a rescored candidate in [`Searcher`]'s counts (the low 7 bits count lists, and
/// saturate at [`SATURATED`], which then means "up to every query key").
const VERIFIED: u8 = 0x80;
const SATURATED: u8 = 0x7F;

/// Seen units are also kept by the number of lists they reached, 2 to `LEVELS + 1`
/// (`level[j]`: every unit whose count reached `j + 2`), so that a check for units in many
/// lists reads those, not every unit seen once (most of them, in a Zipf vocabulary).
const LEVELS: usize = 8;

/// The fewest lists a seen unit must be in to reach `theta` against `n` query keys when `rest`
/// lists are unprobed: `floor(100 (c + rest) / n) >= theta`.
fn need(n: usize, rest: usize, theta: u8) -> usize {
    (theta as usize * n).div_ceil(100).saturating_sub(rest)
}

/// Scratch memory for lookups on one thread (1 byte per unit, 2 per key of the vocabulary).
#[derive(Debug)]
pub struct Searcher<'a> {
    index: &'a Index,
    counts: Vec<u8>,
    touched: Vec<u32>,
    /// Seen units by the number of lists they reached (see [`LEVELS`]).
    level: [Vec<u32>; LEVELS],
    row: Vec<u32>,
    /// Per vocabulary key: how many times the query has it (set for one query, then reset).
    qcount: Vec<u8>,
    /// Per vocabulary key: its slot in `peq` plus one (0: not in the query).
    qslot: Vec<u8>,
    /// Myers' match masks of the query, one per distinct query key.
    peq: Vec<u64>,
    stats: SearchStats,
    /// Band floors, ascending (see [`Searcher::set_band_floors`]); empty: exact scores.
    floors: Vec<u8>,
    /// True once a list was added from its bitmap in this lookup: `touched` and `level`
    /// then miss units, and the counts are scanned whole.
    dense: bool,
    /// Scratch: units found by a scan of the counts.
    found: Vec<u32>,
}

/// What lookups cost so far (summed over a [`Searcher`]'s lookups): to tune and explain speed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchStats {
    /// Lookups.
    pub lookups: u64,
    /// Postings read from the inverted lists.
    pub postings: u64,
    /// Distinct units seen in the lists.
    pub candidates: u64,
    /// Candidates whose exact shared-key count was computed.
    pub overlaps: u64,
    /// Candidates whose key edit distance was computed.
    pub distances: u64,
    /// Candidates scored in full (tokenised again).
    pub scored: u64,
    /// Lists added to the counts from their bitmap (one pass over the units each) instead
    /// of their postings (not in `postings`).
    pub bitmaps: u64,
}

/// A query prepared against the index.
struct Query {
    prep: Prepared,
    ids: Vec<u32>,
}

impl Searcher<'_> {
    /// What the lookups of this searcher cost so far.
    pub fn stats(&self) -> SearchStats {
        self.stats
    }

    /// Searches at band resolution from now on: once the matches found fill the result, only
    /// units that reach the next band floor above the k-th score are looked for, not every
    /// better score. The best match returned is then in the band of the true best (the bound
    /// of the module docs still holds, for the band), but may not be the best score in that
    /// band. For analyses, which need the band only; `floors` are the lowest percentages of
    /// the bands (e.g. 50, 75, 85, 95, 100). An empty slice gives exact scores back.
    pub fn set_band_floors(&mut self, floors: &[u8]) {
        self.floors = floors.to_vec();
        self.floors.sort_unstable();
    }

    /// The score a unit needs to enter `best`: [`threshold`], raised to the next band floor
    /// when searching at band resolution.
    fn theta(&self, best: &[Hit], opts: LookupOptions) -> u8 {
        let t = threshold(best, opts);
        if self.floors.is_empty() || best.len() < opts.max {
            return t;
        }
        self.floors
            .iter()
            .copied()
            .find(|&f| f > t)
            .unwrap_or(100)
            .clamp(t, 100)
    }

    /// The best matches of `query`, best first: the same as [`Index::brute_force`].
    pub fn lookup(&mut self, query: &str, opts: LookupOptions) -> Vec<Hit> {
        let idx = self.index;
        self.stats.lookups += 1;
        let prep = Prepared::new(query, &idx.src_lang);
        let ids = idx.query_ids(&prep);
        let q = Query { prep, ids };
        let n = q.ids.len();
        let mut best = Vec::new();
        if n == 0 || opts.max == 0 {
            for &u in &idx.src.empty {
                let s = score(
                    &q.prep,
                    &Prepared::new(idx.matching_source(u as usize), &idx.src_lang),
                );
                offer(
                    &mut best,
                    Hit {
                        unit: u as usize,
                        score: s,
                    },
                    opts,
                );
            }
            return best;
        }
        self.set_query(&q.ids);
        // The query's occurrence-key lists, rarest first.
        let mut occ: FxMap<u32, u32> = FxMap::default();
        let side = &idx.src;
        let mut lists: Vec<(&[u32], Option<&[u64]>)> = q
            .ids
            .iter()
            .map(|&k| {
                let o = occ.entry(k).or_insert(0);
                *o += 1;
                match side.list_id(k, *o - 1) {
                    Some(id) if (k as usize) < side.vocab.len() => {
                        (side.list_by_id(id), side.bitmap(id))
                    }
                    _ => (&[][..], None),
                }
            })
            .collect();
        lists.sort_by_key(|l| l.0.len());
        // A list is added from its bitmap when that is cheaper than its postings: a posting
        // costs a counter update at a random place (~6 ns at 1M units), a bitmap one pass
        // over the units, 64 a word (~3 ns a word). Counts stay exact below `SATURATED`
        // only, so long queries read postings.
        let bulk_min = side.bulk_min;
        let bulk_ok = n < SATURATED as usize;
        self.dense = false;
        let mut p = 0;
        while p < n {
            // No unit outside the lists probed so far can reach the threshold.
            if base_percent(p, n) < self.theta(&best, opts) {
                break;
            }
            // Only units whose length alone allows the threshold (the window narrows as the
            // threshold rises, so a unit inside the final window was counted in every list).
            let (lo, hi) = length_window(n, self.theta(&best, opts));
            let (full, bits) = lists[p];
            let list = idx.src.window(full, lo, hi);
            match bits {
                Some(bits) if bulk_ok && list.len() >= bulk_min => {
                    // Every unit of the list, whatever its length: a unit outside the
                    // window cannot reach the threshold, whatever its count, so it is
                    // marked as rescored for the scans of the counts (the window only
                    // narrows).
                    if !self.dense {
                        mark_outside(&mut self.counts, &idx.src.len8, lo, hi);
                    }
                    add_bits(&mut self.counts, bits);
                    self.dense = true;
                    self.stats.bitmaps += 1;
                }
                _ => {
                    for &u in list {
                        let c = &mut self.counts[u as usize];
                        if *c == 0 {
                            self.touched.push(u);
                        }
                        if *c & SATURATED != SATURATED {
                            *c += 1;
                            let v = (*c & SATURATED) as usize;
                            if (2..2 + LEVELS).contains(&v) {
                                self.level[v - 2].push(u);
                            }
                        }
                    }
                    self.stats.postings += list.len() as u64;
                }
            }
            p += 1;
            // Early rescoring of the units in (nearly) all the lists so far, to raise the
            // threshold before the long lists.
            if matches!(p, 2 | 4 | 8) && p < n {
                let most = (p - p / 4).min(SATURATED as usize) as u8;
                self.verify(&q, n - p, most, 4 * opts.max.max(1), &mut best, opts);
            }
        }
        // Tightening: more short lists lower every seen unit's bound (`c + n - p`) without
        // adding candidates; worth it while a list is short beside the candidates it prunes.
        while p < n {
            let (lo, hi) = length_window(n, self.theta(&best, opts));
            let (full, bits) = lists[p];
            let list = idx.src.window(full, lo, hi);
            if self.dense {
                // The seen units are no longer listed: every further list is added, from its
                // bitmap when it has one, so that the final counts are exact.
                match bits {
                    Some(bits) if list.len() >= bulk_min => {
                        add_bits(&mut self.counts, bits);
                        self.stats.bitmaps += 1;
                    }
                    _ => {
                        for &u in list {
                            self.counts[u as usize] += 1;
                        }
                        self.stats.postings += list.len() as u64;
                    }
                }
                p += 1;
                continue;
            }
            // What the final check would scan now: every seen unit that can still reach
            // the threshold (their count plus the unprobed lists).
            let scan = self.scan_len(need(n, n - p, threshold(&best, opts)));
            // A posting is a sequential read and a counter in the cache, an exact overlap
            // (the fallback for what stays unpruned) a cache miss or two into the unit's
            // keys: tightening pays while a list is up to ~8x the units it may prune
            // (measured at 100k, top-5 `--min 50`: 2x read 25k postings and computed 4,076
            // overlaps a query, 8x reads 61k and computes 240, 2.7x the queries per second).
            if list.len() > 8 * scan {
                break;
            }
            self.stats.postings += list.len() as u64;
            for &u in list {
                let c = &mut self.counts[u as usize];
                if *c != 0 && *c & SATURATED != SATURATED {
                    *c += 1;
                    let v = (*c & SATURATED) as usize;
                    if (2..2 + LEVELS).contains(&v) {
                        self.level[v - 2].push(u);
                    }
                }
            }
            p += 1;
        }
        self.verify(&q, n - p, 0, usize::MAX, &mut best, opts);
        self.stats.candidates += self.touched.len() as u64;
        // A memset of the whole array beats scattered writes once many units were seen.
        if self.dense || self.touched.len() > self.counts.len() / 32 {
            self.counts.fill(0);
        } else {
            for &u in &self.touched {
                self.counts[u as usize] = 0;
            }
        }
        self.touched.clear();
        for l in &mut self.level {
            l.clear();
        }
        self.dense = false;
        self.clear_query(&q.ids);
        best
    }

    /// How many seen units a scan for units in at least `at_least` lists reads.
    fn scan_len(&self, at_least: usize) -> usize {
        if at_least <= 1 {
            self.touched.len()
        } else {
            self.level[at_least.min(LEVELS + 1) - 2].len()
        }
    }

    fn set_query(&mut self, ids: &[u32]) {
        let v = self.index.src.vocab.len();
        if self.qcount.len() < v {
            self.qcount.resize(v, 0);
            self.qslot.resize(v, 0);
        }
        self.peq.clear();
        for (i, &k) in ids.iter().enumerate() {
            if (k as usize) < v {
                let c = &mut self.qcount[k as usize];
                *c = c.saturating_add(1);
                if i < 64 {
                    if self.qslot[k as usize] == 0 {
                        self.peq.push(0);
                        self.qslot[k as usize] = self.peq.len() as u8;
                    }
                    self.peq[self.qslot[k as usize] as usize - 1] |= 1 << i;
                }
            }
        }
    }

    fn clear_query(&mut self, ids: &[u32]) {
        for &k in ids {
            if (k as usize) < self.qcount.len() {
                self.qcount[k as usize] = 0;
                self.qslot[k as usize] = 0;
            }
        }
    }

    /// `C`: the size of the multiset intersection of the query's keys and `keys`.
    fn overlap(&mut self, keys: &[u32]) -> usize {
        self.row.clear();
        for &k in keys {
            let q = &mut self.qcount[k as usize];
            if *q > 0 {
                *q -= 1;
                self.row.push(k);
            }
        }
        for &k in &self.row {
            self.qcount[k as usize] += 1;
        }
        self.row.len()
    }

    /// Edit distance between the query and `keys` if at most `max`.
    fn distance(&mut self, qids: &[u32], keys: &[u32], max: usize) -> Option<usize> {
        let n = qids.len();
        if n > 64 || self.peq.len() >= 255 {
            return levenshtein_bounded(qids, keys, max, &mut self.row);
        }
        // Myers (1999) / Hyyrö (2001): bit-parallel global edit distance, one word per
        // column.
        let high = 1u64 << (n - 1);
        let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        let (mut pv, mut mv, mut d) = (mask, 0u64, n);
        for &k in keys {
            let slot = self.qslot[k as usize];
            let eq = if slot == 0 {
                0
            } else {
                self.peq[slot as usize - 1]
            };
            let xv = eq | mv;
            let xh = (((eq & pv).wrapping_add(pv)) ^ pv) | eq;
            let mut ph = mv | !(xh | pv);
            let mut mh = pv & xh;
            if ph & high != 0 {
                d += 1;
            } else if mh & high != 0 {
                d -= 1;
            }
            ph = (ph << 1) | 1;
            mh <<= 1;
            pv = (mh | !(xv | ph)) & mask;
            mv = ph & xv & mask;
        }
        (d <= max).then_some(d)
    }

    /// Rescores exactly the unverified candidates seen in at least `most` lists whose upper
    /// bound reaches the threshold, in decreasing bound order, at most `limit` of them; `rest`
    /// lists are still unprobed.
    fn verify(
        &mut self,
        q: &Query,
        rest: usize,
        most: u8,
        limit: usize,
        best: &mut Vec<Hit>,
        opts: LookupOptions,
    ) {
        let idx = self.index;
        let n = q.ids.len();
        let theta = self.theta(best, opts);
        let mut cands: Vec<(u8, u32)> = Vec::new();
        // Only units seen in at least `need` lists can pass the first bound below: scan the
        // smallest set that holds them all.
        let at_least = need(n, rest, theta).max(usize::from(most));
        let from = if at_least <= 1 {
            None
        } else {
            Some(at_least.min(LEVELS + 1) - 2)
        };
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        if self.dense {
            // Lists were added from bitmaps, so `touched` and `level` miss units: scan the
            // counts, 64 at a time (a vectorised maximum), for those in `at_least` lists.
            // The fewest lists a unit of `m` keys must be in (`c + rest`) to reach the
            // threshold, by `m` (255: none, or `m` of 255 and more: its real length decides).
            let mut by_len = [u8::MAX; 256];
            for (m, b) in by_len.iter_mut().enumerate().take(255) {
                let l = n.max(m);
                let c = (theta as usize * l).div_ceil(100).max(1);
                if c <= n.min(m) && c < usize::from(u8::MAX) {
                    *b = c as u8;
                }
            }
            let t = at_least.clamp(1, usize::from(SATURATED)) as u8;
            let tw = u64::from(t) * 0x0101_0101_0101_0101;
            const HIGH: u64 = 0x8080_8080_8080_8080;
            let len8 = &idx.src.len8;
            for (i, block) in self.counts.chunks(64).enumerate() {
                // (As `i8`, the rescored units are below 0.)
                if block.iter().fold(0, |m, &c| m.max(c as i8)) < t as i8 {
                    continue;
                }
                for (j, w) in block.chunks(8).enumerate() {
                    let x = match <[u8; 8]>::try_from(w) {
                        Ok(x) => u64::from_le_bytes(x),
                        Err(_) => {
                            let mut x = [VERIFIED; 8];
                            x[..w.len()].copy_from_slice(w);
                            u64::from_le_bytes(x)
                        }
                    };
                    // The high bit of each byte that is below VERIFIED and at least `t`
                    // (no borrow crosses bytes: every byte is at least 0x80 before `- t`).
                    let mut hits = ((x | HIGH) - tw) & HIGH & !x;
                    while hits != 0 {
                        let b = hits.trailing_zeros() as usize / 8;
                        hits &= hits - 1;
                        let u = 64 * i + 8 * j + b;
                        let m = len8[u];
                        let c = (x >> (8 * b)) as u8 as usize;
                        if m == u8::MAX || c + rest >= usize::from(by_len[usize::from(m)]) {
                            found.push(u as u32);
                        }
                    }
                }
            }
        }
        let len = if self.dense {
            found.len()
        } else {
            from.map_or(self.touched.len(), |j| self.level[j].len())
        };
        // With every list counted (`rest` 0) and no count saturated, a count is the exact
        // `C` of every unit whose length can reach the threshold (it was in the window of
        // every list read), and the others fail the length bound whatever their count.
        let exact = rest == 0 && n < usize::from(SATURATED);
        let unit = |s: &Self, i: usize| {
            if s.dense {
                found[i]
            } else {
                from.map_or_else(|| s.touched[i], |j| s.level[j][i])
            }
        };
        for i in 0..len {
            let u = unit(self, i);
            let c = self.counts[u as usize];
            if c & VERIFIED != 0 || c < most {
                continue;
            }
            let c = if c == SATURATED { n } else { c as usize };
            // The bound from the lists without reading the unit (L >= n): C <= c + rest.
            if base_percent(n - (c + rest).min(n), n) < theta {
                continue;
            }
            let keys = idx.src.unit_keys(u as usize);
            let (m, l) = (keys.len(), n.max(keys.len()));
            // The bound from the lists: C <= c + rest.
            if base_percent(l - (c + rest).min(n).min(m), l) < theta {
                continue;
            }
            // The exact C.
            let shared = if exact {
                c
            } else {
                self.stats.overlaps += 1;
                self.overlap(keys)
            };
            let b = base_percent(l - shared, l);
            if b >= theta {
                cands.push((b, u));
            }
        }
        self.found = found;
        let key = |&(b, u): &(u8, u32)| (std::cmp::Reverse(b), u);
        if cands.len() > limit {
            cands.select_nth_unstable_by_key(limit, key);
            cands.truncate(limit);
        }
        cands.sort_unstable_by_key(key);
        for (b, u) in cands {
            let theta = self.theta(best, opts);
            if b < theta {
                break;
            }
            self.counts[u as usize] |= VERIFIED;
            let keys = idx.src.unit_keys(u as usize);
            let l = n.max(keys.len());
            let max_d = l * (100 - theta as usize) / 100;
            self.stats.distances += 1;
            if self.distance(&q.ids, keys, max_d).is_none() {
                continue;
            }
            self.stats.scored += 1;
            let s = score(
                &q.prep,
                &Prepared::new(idx.matching_source(u as usize), &idx.src_lang),
            );
            offer(
                best,
                Hit {
                    unit: u as usize,
                    score: s,
                },
                opts,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::levenshtein;
    use super::*;
    use crate::tm::{Unit, Variant, VariantExtra};

    fn entry(ar: &str, en: &str) -> Entry {
        Entry::from(Unit {
            variants: vec![Variant::new("ar", ar), Variant::new("en", en)],
            ..Default::default()
        })
    }

    fn tm() -> Index {
        let rows = [
            (
                "قال الوزير إن الميزانية ارتفعت بنسبة ٥ بالمئة",
                "The minister said the budget rose by 5 percent",
            ),
            (
                "قال الوزير إن الميزانية انخفضت",
                "The minister said the budget fell",
            ),
            (
                "وصل الرئيس إلى العاصمة",
                "The president arrived in the capital",
            ),
            (
                "قال الوزير إن الميزانية ارتفعت بنسبة ٥ بالمئة",
                "Duplicate source, other translation",
            ),
        ];
        Index::from_entries(rows.iter().map(|(a, e)| entry(a, e)), "ar", "en")
    }

    #[test]
    fn lookup_finds_the_best_and_agrees_with_brute_force() {
        let idx = tm();
        let opts = LookupOptions { min: 50, max: 5 };
        for q in [
            "قال الوزير إن الميزانية ارتفعت بنسبة ٧ بالمئة",
            "قال الوزير ان الميزانيه ارتفعت",
            "وصل الرئيس إلى المدينة",
            "لا شيء هنا",
        ] {
            assert_eq!(idx.lookup(q, opts), idx.brute_force(q, opts), "{q}");
        }
        let hits = idx.lookup("قال الوزير إن الميزانية ارتفعت بنسبة ٧ بالمئة", opts);
        assert_eq!(hits[0].unit, 0);
        assert_eq!(hits[0].score.percent, 99);
        assert_eq!(hits[1].unit, 3, "tie broken by unit order");
    }

    #[test]
    fn units_without_both_languages_are_skipped() {
        let mut b = IndexBuilder::new("ar", "fr");
        assert!(!b.push(&entry("س", "x")));
        assert_eq!(b.skipped(), 1);
        assert!(b.build().is_empty());
    }

    #[test]
    fn codes_come_from_markup() {
        let mut e = entry("اضغط موافق", "Press OK");
        e.extras = vec![VariantExtra {
            markup: Some("اضغط <ph x=\"1\">&lt;b/&gt;</ph>موافق".into()),
            ..Default::default()
        }];
        let idx = Index::from_entries([e], "ar", "en");
        assert_eq!(idx.matching_source(0), "اضغط \u{FFFC}موافق");
        assert_eq!(idx.source(0), "اضغط موافق");
        let h = idx.lookup("اضغط {1}موافق", LookupOptions::default());
        assert_eq!(h[0].score.percent, 99, "the codes differ in text");
    }

    /// Every unit scored with [`score`], no filter at all.
    fn naive(idx: &Index, query: &str, opts: LookupOptions) -> Vec<Hit> {
        let q = Prepared::new(query, "ar");
        let mut best = Vec::new();
        for u in 0..idx.len() {
            let s = score(&q, &Prepared::new(idx.matching_source(u), "ar"));
            offer(&mut best, Hit { unit: u, score: s }, opts);
        }
        best
    }

    const WORDS: &[&str] = &[
        "في",
        "من",
        "الوزير",
        "قال",
        "إن",
        "الميزانية",
        "ارتفعت",
        "٥",
        "12",
        "،",
        ".",
        "النار",
        "وقف",
        "اطلاق",
        "الرئيس",
        "دعا",
    ];

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(0..WORDS.len(), 0..14)
            .prop_map(|v| v.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" "))
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn index_equals_brute_force(
            tm in proptest::collection::vec(text(), 1..40),
            queries in proptest::collection::vec(text(), 1..6),
            min in 1u8..=100,
            max in 1usize..4,
            dense_min in 0usize..48,
            bulk_min in 0usize..6,
        ) {
            let mut idx = Index::from_entries(tm.iter().map(|t| entry(t, "x")), "ar", "en");
            // Bitmaps for the lists of at least `dense_min` postings (none past 40): lookups
            // that add lists from bitmaps, from postings, or both.
            idx.src.build_bitmaps(dense_min);
            idx.src.bulk_min = bulk_min;
            let opts = LookupOptions { min, max };
            for q in &queries {
                let want = naive(&idx, q, opts);
                prop_assert_eq!(&idx.lookup(q, opts), &want, "{}", q);
                prop_assert_eq!(&idx.brute_force(q, opts), &want, "{}", q);
            }
        }

        #[test]
        fn bit_parallel_distance_is_levenshtein(
            a in proptest::collection::vec(0u32..6, 1..70),
            b in proptest::collection::vec(0u32..6, 0..80),
        ) {
            let idx = tm();
            let mut s = idx.searcher();
            s.qcount.resize(8, 0);
            s.qslot.resize(8, 0);
            s.set_query(&a);
            let d = levenshtein(&a, &b);
            prop_assert_eq!(s.distance(&a, &b, 1000), Some(d));
            prop_assert_eq!(s.distance(&a, &b, d.saturating_sub(1)), if d == 0 { Some(0) } else { None });
        }
    }

    #[test]
    fn bitmaps_add_one_to_their_units() {
        for units in [1usize, 63, 64, 65, 200] {
            let mut counts: Vec<u8> = (0..units)
                .map(|u| (u % 7) as u8 | (0x80 * u8::from(u % 3 == 0)))
                .collect();
            let want: Vec<u8> = counts
                .iter()
                .enumerate()
                .map(|(u, &c)| c + u8::from(u % 5 == 1 || u == units - 1))
                .collect();
            let mut bits = vec![0u64; units.div_ceil(64)];
            for u in (0..units).filter(|u| u % 5 == 1 || *u == units - 1) {
                bits[u / 64] |= 1 << (u % 64);
            }
            add_bits(&mut counts, &bits);
            assert_eq!(counts, want, "{units} units");
        }
    }

    #[test]
    fn memory_is_reported() {
        assert!(tm().memory_bytes() > 0);
    }
}
