//! A translation-memory store that lasts: units imported from any format `convert` reads, kept
//! whole (languages, text, inline codes, ids, dates, props, notes, attributes), exported
//! through the normal writers.
//!
//! The [`Store`] does the work (import with duplicate counting and conflict reports, export,
//! statistics, removal); a [`Backend`] only keeps rows. Two backends:
//! - [`sqlite::Sqlite`], the default: one file, WAL mode, so readers go on while one writer
//!   imports; nothing to install (SQLite is compiled in);
//! - [`postgres::Postgres`], for a team sharing one TM across machines (`postgres://...`).
//!
//! Model. One row per distinct unit: its source language, source text (a column of its own, for
//! exact lookup), a compact record of everything else (module `codec`), a usage count, and two stable
//! 64-bit hashes: the source's (language + plain text, indexed) and the unit's (every variant's
//! language, text and inline codes). A unit met again with the same texts and codes is a
//! duplicate: its usage count goes up, its first ids, props and notes stay. A unit with the
//! same source (text and codes) as a stored one but another translation into a language both
//! have is a conflict: both are kept, and import and `tm stats` report it.
//!
//! Document context. Because a repeated unit is one row, the rows' `x-document` order cannot
//! tell where its other occurrences stood; each import therefore records every occurrence's
//! neighbours (hashes of the previous and next source texts, see [`crate::tm::context`]) in a
//! `contexts` table keyed by the unit's hash, which a job's context (101%) matching reads.
//!
//! Kill safety: an import commits once per batch ([`ImportOptions::batch`] units read), so a
//! killed import leaves the store at its last commit; the backends' own journals (SQLite's WAL,
//! PostgreSQL's) keep the file or database consistent.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use super::context::{Chain, ContextRow};
use super::{norm_lang, Entry, Format, ReadUnits};

pub(crate) mod codec;
pub mod postgres;
pub mod sqlite;

/// The store schema this build writes. A store with a higher version was written by a newer
/// dragoman and is refused rather than misread; one with a lower version is upgraded when
/// opened to write (version 2 added the `contexts` table, filled from the stored units'
/// `x-document` order, which is all a version-1 store knew) and read as it is otherwise.
pub const SCHEMA_VERSION: i64 = 2;

/// What the `meta` table's `format` key holds in every dragoman store.
pub const FORMAT_NAME: &str = "dragoman-tm";

/// Units read per import transaction by default.
pub const DEFAULT_BATCH: usize = 10_000;
/// How long a command that only reads a store (lookup, concordance, analysis) waits for a
/// writer's lock before it says the store is locked.
pub const READ_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Errors of the store. Each names the store (a path, or a PostgreSQL URL without password).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file or database exists but is not a dragoman store; it was left untouched.
    #[error("{store}: not a dragoman store ({why}); nothing was changed")]
    NotAStore {
        /// The store.
        store: String,
        /// What was found instead.
        why: String,
    },
    /// The store was written by a newer dragoman.
    #[error(
        "{store}: store schema version {found} is newer than this dragoman's ({SCHEMA_VERSION}); \
         use a newer dragoman"
    )]
    NewerSchema {
        /// The store.
        store: String,
        /// Its schema version.
        found: i64,
    },
    /// There is no store at that place (commands other than `import` do not create one).
    #[error("{store}: no such store (tm import creates one)")]
    Missing {
        /// The store.
        store: String,
    },
    /// Another process holds the store's write lock for longer than the wait allowed.
    #[error("{store}: the store is locked by another process (waited {waited_ms} ms); try again when it is done, or give a longer --wait")]
    Locked {
        /// The store.
        store: String,
        /// How long we waited.
        waited_ms: u128,
    },
    /// The store cannot be written (file permissions, a read-only database or role).
    #[error("{store}: the store is read-only ({why}); nothing was changed")]
    ReadOnly {
        /// The store.
        store: String,
        /// Why.
        why: String,
    },
    /// The PostgreSQL server could not be reached.
    #[error("{store}: cannot connect to the PostgreSQL server: {why}")]
    Unreachable {
        /// The URL, password left out.
        store: String,
        /// The client's message.
        why: String,
    },
    /// A stored row that cannot be decoded.
    #[error("{store}: unit {id} is damaged (its record cannot be decoded)")]
    Corrupt {
        /// The store.
        store: String,
        /// The row id.
        id: i64,
    },
    /// Invalid options (a bad date, a bad `TYPE=VALUE`, no language).
    #[error("{0}")]
    Usage(String),
    /// Any other database error, with the backend's message.
    #[error("{store}: {message}")]
    Db {
        /// The store.
        store: String,
        /// The database's message.
        message: String,
    },
    /// Reading an input or writing an output failed.
    #[error(transparent)]
    File(#[from] crate::Error),
}

impl From<super::Error> for Error {
    fn from(e: super::Error) -> Error {
        Error::File(e.into())
    }
}

/// A stored row, as backends hand it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Row id: increasing in import order.
    pub id: i64,
    /// Source language (normalised BCP 47).
    pub src_lang: String,
    /// The unit's identity hash (texts and codes of every variant).
    pub hash: i64,
    /// Times the unit was imported.
    pub usage: i64,
    /// The latest of the unit's creation and change dates, `YYYYMMDDThhmmssZ`.
    pub date: Option<String>,
    /// The unit's languages, space-separated, with a space at both ends (` ar en fr `).
    pub langs: String,
    /// The source text (plain).
    pub source: String,
    /// The encoded record (see the private `codec` module).
    pub data: Vec<u8>,
}

/// A row to insert: [`Row`] without its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    /// See [`Row::src_lang`].
    pub src_lang: String,
    /// Hash of source language and plain source text (the index of exact lookup).
    pub src_hash: i64,
    /// See [`Row::hash`].
    pub hash: i64,
    /// See [`Row::usage`].
    pub usage: i64,
    /// See [`Row::date`].
    pub date: Option<String>,
    /// See [`Row::langs`].
    pub langs: String,
    /// See [`Row::source`].
    pub source: String,
    /// See [`Row::data`].
    pub data: Vec<u8>,
}

/// Counts a backend computes with its own queries, for [`Store::stats`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows.
    pub units: u64,
    /// Sum of usage counts.
    pub uses: u64,
    /// Rows per source language.
    pub by_src_lang: Vec<(String, u64)>,
    /// Rows per [`Row::langs`] value.
    pub by_langs: Vec<(String, u64)>,
    /// Source hashes held by more than one row (candidates for conflicts).
    pub shared_sources: Vec<i64>,
    /// Imports recorded.
    pub imports: u64,
    /// Bytes the store takes, when the backend knows.
    pub bytes: Option<u64>,
}

/// One import as recorded in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLog {
    /// The file imported.
    pub file: String,
    /// When (UTC, `YYYYMMDDThhmmssZ`).
    pub at: String,
    /// Units read, new, duplicates, conflicts.
    pub read: u64,
    /// New units.
    pub new: u64,
    /// Duplicates.
    pub duplicates: u64,
    /// Conflicts.
    pub conflicts: u64,
}

/// Where rows live. Implementations keep rows and run a few indexed queries; the logic
/// (dedupe, conflicts, encoding) is in [`Store`], so that both backends behave the same.
pub trait Backend {
    /// `sqlite` or `postgres`.
    fn kind(&self) -> &'static str;
    /// How the store is named in messages.
    fn name(&self) -> &str;
    /// Starts a write transaction, waiting for the write lock as long as the store allows.
    ///
    /// # Errors
    /// [`Error::Locked`] when another writer keeps it; [`Error::ReadOnly`].
    fn begin(&mut self) -> Result<(), Error>;
    /// Commits the transaction.
    ///
    /// # Errors
    /// Database errors.
    fn commit(&mut self) -> Result<(), Error>;
    /// Rolls the transaction back (no error when there is none).
    fn rollback(&mut self);
    /// The rows whose source hash is one of `src_hashes`.
    ///
    /// # Errors
    /// Database errors.
    fn by_sources(&mut self, src_hashes: &[i64]) -> Result<Vec<Row>, Error>;
    /// Inserts rows (in a transaction).
    ///
    /// # Errors
    /// Database errors.
    fn insert(&mut self, rows: &[NewRow]) -> Result<(), Error>;
    /// Adds `n` to the usage count of row `id`, for each pair (in a transaction).
    ///
    /// # Errors
    /// Database errors.
    fn add_usage(&mut self, bumps: &[(i64, i64)]) -> Result<(), Error>;
    /// Up to `limit` rows with ids above `after`, in id order.
    ///
    /// # Errors
    /// Database errors.
    fn page(&mut self, after: i64, limit: u32) -> Result<Vec<Row>, Error>;
    /// Deletes rows by id (in a transaction); returns how many went.
    ///
    /// # Errors
    /// Database errors.
    fn delete(&mut self, ids: &[i64]) -> Result<u64, Error>;
    /// Records an import (in a transaction).
    ///
    /// # Errors
    /// Database errors.
    fn log_import(&mut self, log: &ImportLog) -> Result<(), Error>;
    /// Counts for statistics.
    ///
    /// # Errors
    /// Database errors.
    fn counts(&mut self) -> Result<Counts, Error>;
    /// A full consistency check (SQLite's `integrity_check`); `Ok(())` when sound.
    ///
    /// # Errors
    /// The problems found, or database errors.
    fn check(&mut self) -> Result<(), Error>;
    /// The schema version of the store as it was opened.
    fn schema_version(&self) -> i64;
    /// Brings a store of an older schema to [`SCHEMA_VERSION`] (in a transaction): creates
    /// the tables it lacks and records the new version.
    ///
    /// # Errors
    /// Database errors.
    fn upgrade(&mut self) -> Result<(), Error>;
    /// Records occurrence contexts (in a transaction); a row already there is left as it is.
    ///
    /// # Errors
    /// Database errors.
    fn add_contexts(&mut self, rows: &[ContextRow]) -> Result<(), Error>;
    /// Calls `f` with every context row, in unit-hash order.
    ///
    /// # Errors
    /// Database errors.
    fn contexts(&mut self, f: &mut dyn FnMut(ContextRow)) -> Result<(), Error>;
    /// Deletes the contexts of units no longer stored (in a transaction); returns how many
    /// went.
    ///
    /// # Errors
    /// Database errors.
    fn prune_contexts(&mut self) -> Result<u64, Error>;
    /// The ids of the last `n` rows inserted, in insert order (in the transaction that
    /// inserted them: no other writer can have added rows since).
    ///
    /// # Errors
    /// Database errors.
    fn last_ids(&mut self, n: usize) -> Result<Vec<i64>, Error>;
    /// The rows with these ids (any order).
    ///
    /// # Errors
    /// Database errors.
    fn by_ids(&mut self, ids: &[i64]) -> Result<Vec<Row>, Error>;
    /// True when the store has a concordance index.
    ///
    /// # Errors
    /// Database errors.
    fn has_concordance(&mut self) -> Result<bool, Error>;
    /// Creates (`true`) or drops (`false`) the concordance index, empty (in a transaction).
    ///
    /// # Errors
    /// Database errors.
    fn set_concordance(&mut self, on: bool) -> Result<(), Error>;
    /// Adds units to the concordance index: (row id, their [`crate::tm::fuzzy::index_terms`])
    /// (in a transaction).
    ///
    /// # Errors
    /// Database errors.
    fn concordance_add(&mut self, rows: &[(i64, Vec<String>)]) -> Result<(), Error>;
    /// Removes units from the concordance index (in a transaction).
    ///
    /// # Errors
    /// Database errors.
    fn concordance_remove(&mut self, ids: &[i64]) -> Result<(), Error>;
    /// The ids, ascending, of the units that hold a term of every group: the first `limit`
    /// above `after` (a page, so that a search that wants the first hits stops early).
    /// `groups` and each group are non-empty ([`Store::concordance`] checks).
    ///
    /// # Errors
    /// Database errors.
    fn concordance_find(
        &mut self,
        groups: &[Vec<String>],
        after: i64,
        limit: usize,
    ) -> Result<Vec<i64>, Error>;
}

/// How a store is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read only: the store must exist.
    Read,
    /// Read and write: the store must exist.
    Write,
    /// Read and write, created when missing (`tm import`).
    Create,
}

/// True when `location` names a PostgreSQL database rather than a file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// Options of [`Store::import`].
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Input format (default: from the extension).
    pub from: Option<Format>,
    /// Languages of the input where the format needs them (Moses: the sibling files).
    pub langs: Vec<String>,
    /// Units read per transaction.
    pub batch: usize,
    /// Show a progress bar on stderr (hidden anyway when stderr is not a terminal).
    pub progress: bool,
    /// Conflict examples to keep in the report.
    pub max_examples: usize,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            from: None,
            langs: Vec::new(),
            batch: DEFAULT_BATCH,
            progress: false,
            max_examples: 20,
        }
    }
}

/// One conflict: the same source, two translations into `lang`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// Source language.
    pub src_lang: String,
    /// The source text.
    pub source: String,
    /// The target language where the translations differ.
    pub lang: String,
    /// The translation stored first.
    pub stored: String,
    /// The other translation.
    pub other: String,
}

/// What [`Store::import`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Units read.
    pub read: u64,
    /// Units stored as new rows.
    pub new: u64,
    /// Units already in the store (or earlier in the input): usage counted, not stored twice.
    pub duplicates: u64,
    /// New units whose source is stored with another translation (both kept).
    pub conflicts: u64,
    /// Units left out: no source text or no translation.
    pub skipped: u64,
    /// The first conflicts met.
    pub examples: Vec<Conflict>,
}

/// A stored unit with its usage count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Row id.
    pub id: i64,
    /// The unit's identity hash (what its contexts are keyed by).
    pub hash: i64,
    /// Times imported.
    pub usage: i64,
    /// The unit with its extras.
    pub entry: Entry,
}

/// A unit found by [`Store::concordance`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcordanceHit {
    /// Row id.
    pub id: i64,
    /// The unit's id (`tuid`), if it has one.
    pub tuid: Option<String>,
    /// Its text in the source language asked for.
    pub source: String,
    /// Its text in the target language asked for.
    pub target: String,
    /// Where the phrase is in the text searched (byte ranges).
    pub spans: Vec<std::ops::Range<usize>>,
}

/// Statistics of a store (`tm stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Distinct units.
    pub units: u64,
    /// Units imported in all, duplicates included.
    pub uses: u64,
    /// Imports that were counted as duplicates (`uses - units`).
    pub duplicates: u64,
    /// (source, target language) pairs with more than one translation.
    pub conflicts: u64,
    /// The first of them.
    pub examples: Vec<Conflict>,
    /// Units per source language, most first.
    pub source_langs: Vec<(String, u64)>,
    /// Segments per language, most first.
    pub langs: Vec<(String, u64)>,
    /// Imports recorded.
    pub imports: u64,
    /// Bytes on disk, when known.
    pub bytes: Option<u64>,
}

/// What [`Store::remove`] removes: units matching every condition given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoveFilter {
    /// A property `(type, value)` the unit or one of its variants has.
    pub prop: Option<(String, String)>,
    /// Units whose latest date (creation or change) is before this one, `YYYYMMDDThhmmssZ`;
    /// units without a date are kept.
    pub older_than: Option<String>,
}

/// What [`Store::remove`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RemoveReport {
    /// Units removed (or that would be, on a dry run).
    pub removed: u64,
    /// Units left.
    pub kept: u64,
    /// Units kept by `--older-than` because they have no date.
    pub undated: u64,
}

/// A translation-memory store on some [`Backend`].
pub struct Store {
    db: Box<dyn Backend>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({} {})", self.db.kind(), self.db.name())
    }
}

impl Store {
    /// Opens the store at `location`: a `postgres://` URL, else an SQLite file path.
    /// `wait` is how long a writer waits for another one's lock before giving up.
    ///
    /// # Errors
    /// [`Error::NotAStore`], [`Error::NewerSchema`], [`Error::Missing`], [`Error::ReadOnly`],
    /// [`Error::Unreachable`], [`Error::Locked`].
    pub fn open(location: &str, mode: Mode, wait: Duration) -> Result<Store, Error> {
        let db: Box<dyn Backend> = if is_postgres_url(location) {
            Box::new(postgres::Postgres::open(location, mode, wait)?)
        } else {
            Box::new(sqlite::Sqlite::open(Path::new(location), mode, wait)?)
        };
        let mut st = Store { db };
        if mode != Mode::Read && st.db.schema_version() < SCHEMA_VERSION {
            st.upgrade()?;
        }
        Ok(st)
    }

    /// Upgrades an older store in one transaction: a version-1 store gets its `contexts`
    /// table, filled from the `x-document` order of its rows (one context per unit: the
    /// other occurrences of its repeated units were not recorded).
    fn upgrade(&mut self) -> Result<(), Error> {
        let from = self.db.schema_version();
        self.transaction(|st| {
            st.db.upgrade()?;
            if from >= 2 {
                return Ok(());
            }
            let mut chain = Chain::default();
            let mut rows = Vec::new();
            st.scan(
                |_| true,
                |s| {
                    let u = &s.entry.unit;
                    chain.push(s.hash, &u.variants[0].text, &u.props, &mut rows);
                    Ok(())
                },
            )?;
            chain.finish(&mut rows);
            rows.chunks(10_000).try_for_each(|c| st.db.add_contexts(c))
        })
    }

    /// Every occurrence context of the store's units, sorted by unit hash; `None` for a
    /// version-1 store opened read-only (it has no `contexts` table: a reader then takes a
    /// unit's context from its props, as for a TM file).
    ///
    /// # Errors
    /// The store's errors.
    pub fn contexts(&mut self) -> Result<Option<Vec<ContextRow>>, Error> {
        if self.db.schema_version() < 2 {
            return Ok(None);
        }
        let mut out = Vec::new();
        self.db.contexts(&mut |r| out.push(r))?;
        out.sort_unstable();
        out.dedup();
        Ok(Some(out))
    }

    /// True when the store keeps a concordance index ([`Store::build_concordance`]).
    ///
    /// # Errors
    /// The store's errors.
    pub fn has_concordance(&mut self) -> Result<bool, Error> {
        self.db.has_concordance()
    }

    /// Builds (or rebuilds) the store's concordance index in one transaction, calling
    /// `progress` with the units done so far; imports then keep it up to date and `remove`
    /// takes removed units out. Returns the units indexed.
    ///
    /// Why it is not built by default: it adds about a sixth of the text's size to the store
    /// (the 1M-unit benchmark: see `docs/store.md`), and a store without it can still be
    /// searched by loading it (seconds per search at a million units instead of milliseconds).
    ///
    /// # Errors
    /// The store's errors ([`Error::Locked`], [`Error::ReadOnly`]...).
    pub fn build_concordance(&mut self, progress: &dyn Fn(u64)) -> Result<u64, Error> {
        use rayon::prelude::*;
        self.transaction(|st| {
            st.db.set_concordance(false)?;
            st.db.set_concordance(true)?;
            let name = st.db.name().to_string();
            let (mut n, mut after) = (0u64, i64::MIN);
            loop {
                let rows = st.db.page(after, 4 * PAGE)?;
                let Some(last) = rows.last() else { break };
                after = last.id;
                let terms = rows
                    .par_iter()
                    .map(|r| Ok((r.id, unit_terms(&decode_row(&name, r)?))))
                    .collect::<Result<Vec<_>, Error>>()?;
                st.db.concordance_add(&terms)?;
                n += terms.len() as u64;
                progress(n);
            }
            Ok(n)
        })
    }

    /// Drops the concordance index (searches then load the store).
    ///
    /// # Errors
    /// The store's errors.
    pub fn drop_concordance(&mut self) -> Result<(), Error> {
        self.transaction(|st| st.db.set_concordance(false))
    }

    /// The units with text in `src_lang` and `tgt_lang` whose `field` contains `phrase` (as
    /// [`crate::tm::fuzzy::Phrase`] matches it: normalised, Arabic clitics, numbers by value),
    /// in import order, at most `max`; `None` when the store has no concordance index. The
    /// index gives the units holding every phrase word; each is then checked on its text.
    ///
    /// # Errors
    /// The store's errors; an invalid language tag.
    pub fn concordance(
        &mut self,
        src_lang: &str,
        tgt_lang: &str,
        phrase: &str,
        field: crate::tm::fuzzy::Field,
        max: Option<usize>,
    ) -> Result<Option<Vec<ConcordanceHit>>, Error> {
        use crate::tm::fuzzy::{Field, Phrase};
        use rayon::prelude::*;
        if !self.db.has_concordance()? {
            return Ok(None);
        }
        let (s, t) = (lang_key(src_lang)?, lang_key(tgt_lang)?);
        let lang = if field == Field::Source { &s } else { &t };
        let Some(p) = Phrase::new(phrase, lang) else {
            return Ok(Some(Vec::new()));
        };
        let groups = p.index_terms(lang);
        if groups.is_empty() || groups.iter().any(Vec::is_empty) {
            return Ok(Some(Vec::new()));
        }
        let (sk, tk) = (format!(" {s} "), format!(" {t} "));
        let name = self.db.name().to_string();
        let max = max.unwrap_or(usize::MAX);
        let mut out = Vec::new();
        let mut after = i64::MIN;
        while out.len() < max {
            // Twice the hits still wanted (most candidates are hits), within a page.
            let want = (max - out.len()).saturating_mul(2).clamp(64, PAGE as usize);
            let chunk = self.db.concordance_find(&groups, after, want)?;
            let Some(&last) = chunk.last() else { break };
            after = last;
            let mut rows = self.db.by_ids(&chunk)?;
            rows.sort_unstable_by_key(|r| r.id);
            let hits = rows
                .par_iter()
                .filter(|r| r.langs.contains(&sk) && r.langs.contains(&tk))
                .map(|r| {
                    let u = decode_row(&name, r)?.unit;
                    let (Some(src), Some(tgt)) = (u.variant(&s), u.variant(&t)) else {
                        return Ok(None);
                    };
                    let text = if field == Field::Source { src } else { tgt };
                    let spans = p.find(&text.text, lang);
                    Ok((!spans.is_empty()).then(|| ConcordanceHit {
                        id: r.id,
                        tuid: u.id.clone(),
                        source: src.text.clone(),
                        target: tgt.text.clone(),
                        spans,
                    }))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            out.extend(hits.into_iter().flatten());
        }
        out.truncate(max);
        Ok(Some(out))
    }

    /// A store on a backend opened by the caller.
    pub fn with_backend(db: Box<dyn Backend>) -> Store {
        Store { db }
    }

    /// The backend.
    pub fn backend(&mut self) -> &mut dyn Backend {
        &mut *self.db
    }

    fn corrupt(&self, id: i64) -> Error {
        Error::Corrupt {
            store: self.db.name().to_string(),
            id,
        }
    }

    fn decode(&self, r: &Row) -> Result<Entry, Error> {
        decode_row(self.db.name(), r)
    }

    /// Runs `f` in one transaction: committed when it succeeds, rolled back when it or the
    /// commit fails.
    fn transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.db.begin()?;
        let done = f(self).and_then(|v| self.db.commit().map(|()| v));
        if done.is_err() {
            self.db.rollback();
        }
        done
    }

    /// Imports the units of `input` (any format `convert` reads), one transaction per
    /// `opts.batch` units read.
    ///
    /// # Errors
    /// The input's errors (file, line, column) and the store's. Batches committed before an
    /// input error stay in the store (re-importing the fixed file counts them as duplicates).
    pub fn import(&mut self, input: &Path, opts: &ImportOptions) -> Result<ImportReport, Error> {
        let from = super::ops::format_of(input, opts.from, "input")?;
        let pb = super::convert::progress_bar(opts.progress, input);
        let batch = opts.batch.max(1);
        // The input is parsed on a second thread while this one writes the store: both cores
        // work, and the bounded channel keeps at most three batches in memory.
        let r = std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Batch, Error>>(1);
            let bar = pb.clone();
            s.spawn(move || {
                let mut reader = match super::ops::open_units(
                    input,
                    from,
                    &opts.langs,
                    &Default::default(),
                    &Default::default(),
                ) {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = tx.send(Err(e.into()));
                        return;
                    }
                };
                loop {
                    let b = read_batch(&mut *reader, batch).map_err(Error::from);
                    bar.set_position(reader.bytes_read());
                    let last = !matches!(b, Ok((_, false)));
                    if tx.send(b).is_err() || last {
                        return;
                    }
                }
            });
            let next = || rx.recv().unwrap_or_else(|_| Ok((Vec::new(), true)));
            self.import_batches(next, &super::path_name(input), opts)
        });
        pb.finish_and_clear();
        r
    }

    /// Imports from any reader, on this thread; `name` is recorded in the store's import log.
    ///
    /// # Errors
    /// As [`Store::import`].
    pub fn import_reader(
        &mut self,
        mut reader: Box<dyn ReadUnits + '_>,
        name: &str,
        opts: &ImportOptions,
        pb: &indicatif::ProgressBar,
    ) -> Result<ImportReport, Error> {
        let batch = opts.batch.max(1);
        let next = || {
            let b = read_batch(&mut *reader, batch).map_err(Error::from);
            pb.set_position(reader.bytes_read());
            b
        };
        self.import_batches(next, name, opts)
    }

    /// The import loop: one transaction per batch `next` gives, until the last.
    fn import_batches(
        &mut self,
        mut next: impl FnMut() -> Result<Batch, Error>,
        name: &str,
        opts: &ImportOptions,
    ) -> Result<ImportReport, Error> {
        let mut rep = ImportReport::default();
        let mut chain = Chain::default();
        let concordance = self.db.has_concordance()?;
        loop {
            let (entries, end) = next()?;
            self.transaction(|st| {
                st.import_batch(entries, opts, &mut rep, &mut chain, end, concordance)?;
                if end {
                    st.db.log_import(&ImportLog {
                        file: name.to_string(),
                        at: now(),
                        read: rep.read,
                        new: rep.new,
                        duplicates: rep.duplicates,
                        conflicts: rep.conflicts,
                    })?;
                }
                Ok(())
            })?;
            if end {
                return Ok(rep);
            }
        }
    }

    /// Dedupes and stores one batch, the contexts of its occurrences that are known (all of
    /// them when the batch is the `last`) and, when the store has one, the new units'
    /// concordance terms, inside the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    fn import_batch(
        &mut self,
        batch: Vec<Entry>,
        opts: &ImportOptions,
        rep: &mut ImportReport,
        chain: &mut Chain,
        last: bool,
        concordance: bool,
    ) -> Result<(), Error> {
        struct Cand {
            /// `Some` for stored rows, `None` for rows of this batch not yet inserted.
            id: Option<i64>,
            pending: usize,
            hash: i64,
            entry: Entry,
        }
        rep.read += batch.len() as u64;
        let mut prepared = Vec::with_capacity(batch.len());
        for e in batch {
            match prepare(e) {
                Some(p) => prepared.push(p),
                None => rep.skipped += 1,
            }
        }
        let mut hashes: Vec<i64> = prepared.iter().map(|p| p.src_hash).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let mut cands: HashMap<i64, Vec<Cand>> = HashMap::new();
        for row in self.db.by_sources(&hashes)? {
            let entry = self.decode(&row)?;
            cands.entry(src_hash_of(&entry)).or_default().push(Cand {
                id: Some(row.id),
                pending: 0,
                hash: row.hash,
                entry,
            });
        }
        let mut new_rows: Vec<NewRow> = Vec::new();
        let mut bumps: HashMap<i64, i64> = HashMap::new();
        let mut data = Vec::new();
        let mut contexts = Vec::new();
        for p in prepared {
            let u = &p.entry.unit;
            chain.push(p.hash, &u.variants[0].text, &u.props, &mut contexts);
            let group = cands.entry(p.src_hash).or_default();
            if let Some(c) = group
                .iter()
                .find(|c| c.hash == p.hash && same_texts(&c.entry, &p.entry))
            {
                rep.duplicates += 1;
                match c.id {
                    Some(id) => *bumps.entry(id).or_default() += 1,
                    None => new_rows[c.pending].usage += 1,
                }
                continue;
            }
            let conflict = group.iter().find_map(|c| conflict(&c.entry, &p.entry));
            if let Some(c) = conflict {
                rep.conflicts += 1;
                if rep.examples.len() < opts.max_examples {
                    rep.examples.push(c);
                }
            }
            codec::encode(&p.entry, &mut data);
            let u = &p.entry.unit;
            let mut langs = String::from(" ");
            for v in &u.variants {
                langs.push_str(&v.lang);
                langs.push(' ');
            }
            new_rows.push(NewRow {
                src_lang: u.variants[0].lang.clone(),
                src_hash: p.src_hash,
                hash: p.hash,
                usage: 1,
                date: unit_date(&p.entry),
                langs,
                source: u.variants[0].text.clone(),
                data: data.clone(),
            });
            group.push(Cand {
                id: None,
                pending: new_rows.len() - 1,
                hash: p.hash,
                entry: p.entry,
            });
            rep.new += 1;
        }
        self.db.insert(&new_rows)?;
        if concordance && !new_rows.is_empty() {
            // The new units' terms (a duplicate adds none), in insert order, on every core.
            use rayon::prelude::*;
            let mut fresh: Vec<(usize, &Entry)> = cands
                .values()
                .flatten()
                .filter(|c| c.id.is_none())
                .map(|c| (c.pending, &c.entry))
                .collect();
            fresh.sort_unstable_by_key(|f| f.0);
            let terms: Vec<Vec<String>> = fresh.par_iter().map(|f| unit_terms(f.1)).collect();
            let ids = self.db.last_ids(new_rows.len())?;
            let rows: Vec<(i64, Vec<String>)> = ids.into_iter().zip(terms).collect();
            self.db.concordance_add(&rows)?;
        }
        let mut bumps: Vec<(i64, i64)> = bumps.into_iter().collect();
        bumps.sort_unstable();
        self.db.add_usage(&bumps)?;
        if last {
            chain.finish(&mut contexts);
        }
        contexts.sort_unstable();
        contexts.dedup();
        self.db.add_contexts(&contexts)
    }

    /// Calls `f` for every unit in id order (import order), `filter` first sees the row
    /// (`langs` and the source language are there without decoding), so that callers that
    /// want one language pair decode only its units.
    ///
    /// # Errors
    /// The store's errors, or `f`'s.
    pub fn scan(
        &mut self,
        mut filter: impl FnMut(&Row) -> bool,
        mut f: impl FnMut(Stored) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut after = i64::MIN;
        loop {
            let rows = self.db.page(after, PAGE)?;
            let Some(last) = rows.last() else {
                return Ok(());
            };
            after = last.id;
            for r in rows {
                if filter(&r) {
                    let entry = self.decode(&r)?;
                    f(Stored {
                        id: r.id,
                        hash: r.hash,
                        usage: r.usage,
                        entry,
                    })?;
                }
            }
        }
    }

    /// Calls `f` for every unit that has text in `src_lang` and `tgt_lang` (normalised tags), in
    /// import order: what an index for fuzzy lookup or concordance is built from.
    ///
    /// # Errors
    /// As [`Store::scan`].
    pub fn for_each_unit(
        &mut self,
        src_lang: &str,
        tgt_lang: &str,
        f: impl FnMut(Stored) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let (s, t) = (lang_key(src_lang)?, lang_key(tgt_lang)?);
        let (s, t) = (format!(" {s} "), format!(" {t} "));
        self.scan(|r| r.langs.contains(&s) && r.langs.contains(&t), f)
    }

    /// Like [`Store::for_each_unit`], with the rows decoded and passed through `convert` on
    /// every core while this thread reads the next pages; `f` gets the results in import
    /// order. Decoding is most of the time of reading a large store (a job's TM).
    ///
    /// # Errors
    /// As [`Store::scan`], and `f`'s.
    pub fn for_each_unit_converted<T: Send>(
        &mut self,
        src_lang: &str,
        tgt_lang: &str,
        convert: &(dyn Fn(Stored) -> T + Sync),
        mut f: impl FnMut(T) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let (s, t) = (lang_key(src_lang)?, lang_key(tgt_lang)?);
        let (s, t) = (format!(" {s} "), format!(" {t} "));
        let name = self.db.name().to_string();
        let db = &mut self.db;
        let mut after = Some(i64::MIN);
        let work = |rows: Vec<Row>| -> Result<Vec<T>, Error> {
            rows.into_iter()
                .filter(|r| r.langs.contains(&s) && r.langs.contains(&t))
                .map(|r| {
                    let entry = decode_row(&name, &r)?;
                    Ok(convert(Stored {
                        id: r.id,
                        hash: r.hash,
                        usage: r.usage,
                        entry,
                    }))
                })
                .collect()
        };
        super::ops::pipeline(
            || {
                let Some(a) = after else { return Ok(None) };
                let rows = db.page(a, PAGE)?;
                after = rows.last().map(|r| r.id);
                Ok(Some(rows).filter(|r| !r.is_empty()))
            },
            &work,
            |units| units.into_iter().try_for_each(&mut f),
        )
    }

    /// The units whose source in `src_lang` is exactly `source` (plain text) and that have a
    /// translation into `tgt_lang`.
    ///
    /// # Errors
    /// The store's errors; an invalid language tag.
    pub fn get_exact(
        &mut self,
        src_lang: &str,
        tgt_lang: &str,
        source: &str,
    ) -> Result<Vec<Stored>, Error> {
        let (s, t) = (lang_key(src_lang)?, lang_key(tgt_lang)?);
        let mut out = Vec::new();
        for r in self.db.by_sources(&[codec::source_hash(&s, source)])? {
            if r.src_lang != s || r.source != source {
                continue;
            }
            let entry = self.decode(&r)?;
            if entry.unit.variants.iter().skip(1).any(|v| v.lang == t) {
                out.push(Stored {
                    id: r.id,
                    hash: r.hash,
                    usage: r.usage,
                    entry,
                });
            }
        }
        out.sort_by_key(|s| s.id);
        Ok(out)
    }

    /// The store's languages, the most frequent source language first, then the others from
    /// the most to the least frequent: the default languages of an export.
    ///
    /// # Errors
    /// The store's errors.
    pub fn langs(&mut self) -> Result<Vec<String>, Error> {
        let c = self.db.counts()?;
        Ok(langs_of(&c))
    }

    /// A reader over every unit, for the normal writers (`convert_reader`): its `langs()` are
    /// `langs` or, when empty, [`Store::langs`].
    ///
    /// # Errors
    /// The store's errors.
    pub fn reader(&mut self, langs: &[String]) -> Result<StoreReader<'_>, Error> {
        let langs = if langs.is_empty() {
            self.langs()?
        } else {
            langs.to_vec()
        };
        Ok(StoreReader {
            store: self,
            langs,
            page: std::collections::VecDeque::new(),
            after: i64::MIN,
            done: false,
        })
    }

    /// Writes every unit to `output` in any format `convert` writes (atomic output).
    ///
    /// # Errors
    /// The store's errors and the writer's (e.g. no unit with the languages asked for).
    pub fn export(
        &mut self,
        output: &Path,
        opts: &super::ConvertOptions,
    ) -> Result<super::ConvertReport, Error> {
        let name = self.db.name().to_string();
        let reader = self.reader(&opts.langs)?;
        if reader.langs.is_empty() {
            return Err(Error::Usage(format!("{name}: the store is empty")));
        }
        super::ops::convert_reader(Box::new(reader), output, opts).map_err(Error::from)
    }

    /// Statistics: units, usage, conflicts, languages.
    ///
    /// # Errors
    /// The store's errors.
    pub fn stats(&mut self, max_examples: usize) -> Result<StoreStats, Error> {
        let c = self.db.counts()?;
        let mut st = StoreStats {
            backend: self.db.kind().to_string(),
            units: c.units,
            uses: c.uses,
            duplicates: c.uses.saturating_sub(c.units),
            source_langs: c.by_src_lang.clone(),
            imports: c.imports,
            bytes: c.bytes,
            ..Default::default()
        };
        let mut per_lang: HashMap<String, u64> = HashMap::new();
        for (langs, n) in &c.by_langs {
            for l in langs.split_whitespace() {
                *per_lang.entry(l.to_string()).or_default() += n;
            }
        }
        st.langs = per_lang.into_iter().collect();
        st.langs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        st.source_langs
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for chunk in c.shared_sources.chunks(1000) {
            let mut rows = self.db.by_sources(chunk)?;
            // In import order, so that the examples are the first conflicts met.
            rows.sort_unstable_by_key(|r| r.id);
            let mut groups: HashMap<i64, Vec<Entry>> = HashMap::new();
            let mut order = Vec::new();
            for r in &rows {
                let e = self.decode(r)?;
                let k = src_hash_of(&e);
                if !groups.contains_key(&k) {
                    order.push(k);
                }
                groups.entry(k).or_default().push(e);
            }
            for k in order {
                for c in group_conflicts(&groups[&k]) {
                    st.conflicts += 1;
                    if st.examples.len() < max_examples {
                        st.examples.push(c);
                    }
                }
            }
        }
        Ok(st)
    }

    /// Removes the units matching `filter` (all its conditions), in one transaction; with
    /// `dry_run`, only counts them.
    ///
    /// # Errors
    /// [`Error::Usage`] for an empty filter; the store's errors.
    pub fn remove(&mut self, filter: &RemoveFilter, dry_run: bool) -> Result<RemoveReport, Error> {
        if filter.prop.is_none() && filter.older_than.is_none() {
            return Err(Error::Usage(
                "tm remove needs --where-prop TYPE=VALUE or --older-than DATE".into(),
            ));
        }
        let mut ids = Vec::new();
        let mut rep = RemoveReport::default();
        let mut total = 0u64;
        let older = filter.older_than.clone();
        let by_date = |r: &Row, undated: &mut u64| match (&older, &r.date) {
            (None, _) => true,
            (Some(_), None) => {
                *undated += 1;
                false
            }
            (Some(o), Some(d)) => d < o,
        };
        let mut undated = 0;
        let mut candidates = Vec::new();
        self.scan(
            |r| {
                total += 1;
                let keep = by_date(r, &mut undated);
                if keep && filter.prop.is_none() {
                    candidates.push(r.id);
                    return false;
                }
                keep
            },
            |s| {
                if let Some((k, v)) = &filter.prop {
                    let has = |p: &super::Prop| p.kind == *k && p.value == *v;
                    if s.entry.unit.props.iter().any(has)
                        || s.entry.extras.iter().any(|x| x.props.iter().any(has))
                    {
                        ids.push(s.id);
                    }
                }
                Ok(())
            },
        )?;
        ids.extend(candidates);
        ids.sort_unstable();
        rep.undated = undated;
        rep.removed = ids.len() as u64;
        rep.kept = total - rep.removed;
        if dry_run || ids.is_empty() {
            return Ok(rep);
        }
        self.transaction(|st| {
            let conc = st.db.has_concordance()?;
            for c in ids.chunks(10_000) {
                st.db.delete(c)?;
                if conc {
                    st.db.concordance_remove(c)?;
                }
            }
            st.db.prune_contexts().map(drop)
        })?;
        Ok(rep)
    }

    /// A full consistency check of the store.
    ///
    /// # Errors
    /// What is wrong.
    pub fn check(&mut self) -> Result<(), Error> {
        self.db.check()?;
        let mut bad = None;
        self.scan(
            |_| true,
            |_| Ok(()), // decoding every row is the check
        )
        .or_else(|e| match e {
            Error::Corrupt { id, .. } => {
                bad = Some(id);
                Ok(())
            }
            e => Err(e),
        })?;
        match bad {
            Some(id) => Err(self.corrupt(id)),
            None => Ok(()),
        }
    }
}

/// A batch of entries read, and whether it is the last.
type Batch = (Vec<Entry>, bool);

/// Up to `n` entries of `r`; `true` when the input ended.
fn read_batch(r: &mut dyn ReadUnits, n: usize) -> Result<Batch, super::Error> {
    let mut v = Vec::with_capacity(n.min(DEFAULT_BATCH));
    while v.len() < n {
        match r.read_entry()? {
            Some(e) => v.push(e),
            None => return Ok((v, true)),
        }
    }
    Ok((v, false))
}

/// Rows per page when scanning.
const PAGE: u32 = 2000;

/// A normalised language tag, or a usage error.
fn lang_key(l: &str) -> Result<String, Error> {
    norm_lang(l).ok_or_else(|| Error::Usage(format!("\"{l}\" is not a BCP 47 language tag")))
}

/// The export languages from backend counts.
fn langs_of(c: &Counts) -> Vec<String> {
    let mut src = c.by_src_lang.clone();
    src.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut per: HashMap<&str, u64> = HashMap::new();
    for (langs, n) in &c.by_langs {
        for l in langs.split_whitespace() {
            *per.entry(l).or_default() += n;
        }
    }
    let mut rest: Vec<(&str, u64)> = per.into_iter().collect();
    rest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out: Vec<String> = src.first().map(|s| s.0.clone()).into_iter().collect();
    for (l, _) in rest {
        if !out.iter().any(|o| o == l) {
            out.push(l.to_string());
        }
    }
    out
}

/// A unit ready to store, with its hashes.
struct Prepared {
    entry: Entry,
    src_hash: i64,
    hash: i64,
}

/// Normalises an entry for storing: language tags normalised, empty variants and repeated
/// languages dropped (with their extras). `None` when no source or no translation is left.
fn prepare(e: Entry) -> Option<Prepared> {
    let Entry { mut unit, extras } = e;
    let mut extras = extras.into_iter();
    let mut vs = Vec::with_capacity(unit.variants.len());
    let mut xs = Vec::with_capacity(unit.variants.len());
    for mut v in std::mem::take(&mut unit.variants) {
        let x = extras.next().unwrap_or_default();
        if v.text.trim().is_empty() && x.markup.is_none() {
            continue;
        }
        if let Some(n) = norm_lang(&v.lang) {
            v.lang = n;
        }
        if vs.iter().any(|w: &super::Variant| w.lang == v.lang) {
            continue;
        }
        vs.push(v);
        xs.push(x);
    }
    if vs.len() < 2 || vs[0].text.trim().is_empty() {
        return None;
    }
    if xs.iter().all(super::VariantExtra::is_empty) {
        xs.clear();
    }
    unit.variants = vs;
    let entry = Entry { unit, extras: xs };
    Some(Prepared {
        src_hash: src_hash_of(&entry),
        hash: codec::unit_hash(&entry),
        entry,
    })
}

/// The entry of a stored row of store `store` (named in the error when its record is damaged).
fn decode_row(store: &str, r: &Row) -> Result<Entry, Error> {
    codec::decode(&r.data, &r.source).map_err(|_| Error::Corrupt {
        store: store.to_string(),
        id: r.id,
    })
}

/// The concordance terms of a unit: those of each of its texts, in its language.
fn unit_terms(e: &Entry) -> Vec<String> {
    let mut out = Vec::new();
    for v in &e.unit.variants {
        out.extend(crate::tm::fuzzy::index_terms(&v.text, &v.lang));
    }
    out
}

fn src_hash_of(e: &Entry) -> i64 {
    let v = &e.unit.variants[0];
    codec::source_hash(&v.lang, &v.text)
}

fn markup(e: &Entry, i: usize) -> Option<&str> {
    e.extras.get(i).and_then(|x| x.markup.as_deref())
}

/// True when both units have the same variants (language, text, codes), whatever the order
/// of the targets.
fn same_texts(a: &Entry, b: &Entry) -> bool {
    let (va, vb) = (&a.unit.variants, &b.unit.variants);
    va.len() == vb.len()
        && va[0] == vb[0]
        && markup(a, 0) == markup(b, 0)
        && va.iter().enumerate().skip(1).all(|(i, v)| {
            vb.iter()
                .position(|w| w.lang == v.lang)
                .is_some_and(|j| vb[j].text == v.text && markup(a, i) == markup(b, j))
        })
}

/// The first target language where `b` translates the same source (text and codes) as `a`
/// differently.
fn conflict(a: &Entry, b: &Entry) -> Option<Conflict> {
    let (va, vb) = (&a.unit.variants, &b.unit.variants);
    if va[0] != vb[0] || markup(a, 0) != markup(b, 0) {
        return None;
    }
    for (i, v) in va.iter().enumerate().skip(1) {
        if let Some(j) = vb.iter().position(|w| w.lang == v.lang) {
            if vb[j].text != v.text || markup(a, i) != markup(b, j) {
                return Some(Conflict {
                    src_lang: va[0].lang.clone(),
                    source: va[0].text.clone(),
                    lang: v.lang.clone(),
                    stored: v.text.clone(),
                    other: vb[j].text.clone(),
                });
            }
        }
    }
    None
}

/// The (source, target language) pairs of a group of units sharing a source hash that have
/// more than one translation.
fn group_conflicts(group: &[Entry]) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = Vec::new();
    for (k, a) in group.iter().enumerate() {
        for b in &group[k + 1..] {
            if let Some(c) = conflict(a, b) {
                let seen = out
                    .iter()
                    .any(|o| o.src_lang == c.src_lang && o.source == c.source && o.lang == c.lang);
                if !seen {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Normalises a date to TMX's `YYYYMMDDThhmmssZ`: accepts that form, `YYYYMMDD`, ISO 8601
/// (`2024-01-31`, `2024-01-31T10:00:00Z`, as XLIFF 2 writes). `None` otherwise.
pub fn norm_date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    let compact: String = s.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    let (day, time) = match compact.split_once('T') {
        Some((d, t)) => (d.to_string(), t.split('.').next().unwrap_or("").to_string()),
        None => (compact, "000000".to_string()),
    };
    let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(&day, 8) || !digits(&time, 6) {
        return None;
    }
    let (m, d) = (&day[4..6], &day[6..8]);
    if !("01"..="12").contains(&m) || !("01"..="31").contains(&d) || time.as_str() > "235960" {
        return None;
    }
    Some(format!("{day}T{time}Z"))
}

/// The latest of the unit's creation date and `changedate`, normalised.
fn unit_date(e: &Entry) -> Option<String> {
    let created = e.unit.created.as_deref().and_then(norm_date);
    let changed = super::attr_value(&e.unit.attrs, "changedate").and_then(norm_date);
    created.max(changed)
}

/// Now, UTC, `YYYYMMDDThhmmssZ`.
fn now() -> String {
    let f = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::now_utc()
        .format(&f)
        .unwrap_or_default()
}

/// A [`ReadUnits`] over a store's units, in import order (see [`Store::reader`]).
pub struct StoreReader<'s> {
    store: &'s mut Store,
    langs: Vec<String>,
    page: std::collections::VecDeque<Row>,
    after: i64,
    done: bool,
}

impl StoreReader<'_> {
    fn next_row(&mut self) -> Result<Option<Row>, Error> {
        if self.page.is_empty() && !self.done {
            let rows = self.store.db.page(self.after, PAGE)?;
            match rows.last() {
                Some(r) => self.after = r.id,
                None => self.done = true,
            }
            self.page.extend(rows);
        }
        Ok(self.page.pop_front())
    }
}

impl ReadUnits for StoreReader<'_> {
    fn read_unit(&mut self) -> Result<Option<super::Unit>, super::Error> {
        Ok(self.read_entry()?.map(|e| e.unit))
    }

    fn read_entry(&mut self) -> Result<Option<Entry>, super::Error> {
        let name = self.store.db.name().to_string();
        let as_tm = |e: Error| super::Error::Invalid {
            path: name.clone(),
            message: e.to_string(),
        };
        match self.next_row().map_err(as_tm)? {
            None => Ok(None),
            Some(r) => self.store.decode(&r).map(Some).map_err(as_tm),
        }
    }

    fn langs(&self) -> Vec<String> {
        self.langs.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::{Unit, Variant, VariantExtra};

    fn entry(src: &str, tgt: &str) -> Entry {
        Entry::from(Unit {
            variants: vec![Variant::new("en", src), Variant::new("fr", tgt)],
            ..Default::default()
        })
    }

    #[test]
    fn dates_normalise_from_the_forms_tools_write() {
        assert_eq!(
            norm_date("20240131T101500Z").as_deref(),
            Some("20240131T101500Z")
        );
        assert_eq!(norm_date("2024-01-31").as_deref(), Some("20240131T000000Z"));
        assert_eq!(
            norm_date("2024-01-31T10:15:00Z").as_deref(),
            Some("20240131T101500Z")
        );
        assert_eq!(norm_date("20240131").as_deref(), Some("20240131T000000Z"));
        for bad in ["", "yesterday", "2024-13-01", "2024-1-1", "20240131T25"] {
            assert_eq!(norm_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn prepare_drops_empty_variants_and_needs_a_translation() {
        assert!(prepare(entry("Hello", " ")).is_none());
        assert!(prepare(entry(" ", "Bonjour")).is_none());
        let mut e = entry("Hello", "Bonjour");
        e.unit.variants[1].lang = "FR_ca".into();
        let p = prepare(e).unwrap();
        assert_eq!(p.entry.unit.variants[1].lang, "fr-CA");
    }

    #[test]
    fn conflicts_need_the_same_source_codes() {
        let a = entry("The big cat", "Le gros chat");
        let b = entry("The big cat", "Le grand chat");
        assert_eq!(conflict(&a, &b).unwrap().lang, "fr");
        let mut coded = b.clone();
        coded.extras = vec![
            VariantExtra {
                markup: Some("The <ph x=\"1\"/>big cat".into()),
                ..Default::default()
            },
            VariantExtra::default(),
        ];
        assert!(conflict(&a, &coded).is_none());
        assert!(!same_texts(&b, &coded));
        assert_eq!(group_conflicts(&[a.clone(), b.clone(), b]).len(), 1);
    }
}
