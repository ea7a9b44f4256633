//! The embedded backend: one SQLite file in WAL mode (readers go on while one writer imports).
//!
//! A dragoman store is recognised by its `application_id` ([`APPLICATION_ID`], "DRGM") and the
//! `meta` table's `format`; its schema version is `user_version`. Any other file, database or
//! not, is refused before anything is written to it.

use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension};

use super::{
    Backend, ContextRow, Counts, Error, ImportLog, Mode, NewRow, Row, FORMAT_NAME, SCHEMA_VERSION,
};

/// `PRAGMA application_id` of dragoman stores: "DRGM" in ASCII.
pub const APPLICATION_ID: i32 = 0x4452_474d;

const SCHEMA: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE units(
  id INTEGER PRIMARY KEY,
  src_lang TEXT NOT NULL,
  src_hash INTEGER NOT NULL,
  hash INTEGER NOT NULL,
  usage INTEGER NOT NULL DEFAULT 1,
  date TEXT,
  langs TEXT NOT NULL,
  source TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX units_by_source ON units(src_hash);
CREATE TABLE imports(
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  at TEXT NOT NULL,
  read INTEGER NOT NULL,
  new INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  conflicts INTEGER NOT NULL
);
";

/// What version 2 added: one row per distinct (unit, previous, next) occurrence context.
const CONTEXTS: &str = "
CREATE TABLE IF NOT EXISTS contexts(
  unit INTEGER NOT NULL,
  prev INTEGER NOT NULL,
  next INTEGER NOT NULL,
  PRIMARY KEY(unit, prev, next)
) WITHOUT ROWID;
";

/// A store in an SQLite file.
pub struct Sqlite {
    conn: Connection,
    name: String,
    wait: Duration,
    path: std::path::PathBuf,
    version: i64,
}

impl Sqlite {
    /// Opens (or, with [`Mode::Create`], creates) the store at `path`.
    ///
    /// # Errors
    /// [`Error::NotAStore`] for any other file, [`Error::NewerSchema`], [`Error::Missing`],
    /// [`Error::ReadOnly`] for a file without write permission opened to write.
    pub fn open(path: &Path, mode: Mode, wait: Duration) -> Result<Sqlite, Error> {
        let name = crate::error::display_path(path);
        let meta = std::fs::metadata(path).ok();
        if let Some(m) = &meta {
            if m.is_dir() {
                return Err(Error::NotAStore {
                    store: name,
                    why: "a directory".into(),
                });
            }
            // Checked by hand, because root may write a file whatever its permissions, and a
            // user who made the file read-only meant it.
            if mode != Mode::Read && m.permissions().readonly() {
                return Err(Error::ReadOnly {
                    store: name,
                    why: "the file has no write permission".into(),
                });
            }
        }
        let exists = meta.is_some();
        if !exists && mode != Mode::Create {
            return Err(Error::Missing { store: name });
        }
        let flags = match mode {
            Mode::Read => OpenFlags::SQLITE_OPEN_READ_ONLY,
            Mode::Write => OpenFlags::SQLITE_OPEN_READ_WRITE,
            Mode::Create => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| db_err(&name, wait, e))?;
        let mut s = Sqlite {
            conn,
            name,
            wait,
            path: path.to_path_buf(),
            version: SCHEMA_VERSION,
        };
        s.conn
            .busy_timeout(wait)
            .map_err(|e| db_err(&s.name, wait, e))?;
        s.check_or_init(mode)?;
        Ok(s)
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        db_err(&self.name, self.wait, e)
    }

    /// Recognises a dragoman store, or turns an empty database into one. Reads before it
    /// writes, so another application's file is never changed.
    fn check_or_init(&mut self, mode: Mode) -> Result<(), Error> {
        let not_a_store = |why: &str| Error::NotAStore {
            store: self.name.clone(),
            why: why.into(),
        };
        let app: i32 = match self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
        {
            Ok(v) => v,
            Err(e) if code(&e) == Some(ErrorCode::NotADatabase) => {
                return Err(not_a_store("not an SQLite database"))
            }
            Err(e) => return Err(self.err(e)),
        };
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if app != APPLICATION_ID {
            if app != 0 || tables > 0 {
                return Err(not_a_store("an SQLite database of another application"));
            }
            if mode == Mode::Read {
                return Err(Error::Missing {
                    store: self.name.clone(),
                });
            }
            return self.init();
        }
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                store: self.name.clone(),
                found: version,
            });
        }
        let format: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
                r.get(0)
            })
            .optional()
            .unwrap_or(None);
        if version < 1 || format.as_deref() != Some(FORMAT_NAME) {
            return Err(not_a_store("its dragoman tables are missing"));
        }
        self.version = version;
        if mode != Mode::Read {
            self.tune()?;
        }
        Ok(())
    }

    /// Creates the schema in one transaction, the application id last but in the same
    /// transaction, so a half-made store cannot exist.
    fn init(&mut self) -> Result<(), Error> {
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| self.err(e))?;
        let sql = format!(
            "BEGIN IMMEDIATE;{SCHEMA}{CONTEXTS}\
             INSERT INTO meta VALUES ('format', '{FORMAT_NAME}'), ('schema', '{SCHEMA_VERSION}'),\
             ('created', '{}'), ('created_by', 'dragoman {}');\
             PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};\
             COMMIT;",
            super::now(),
            env!("CARGO_PKG_VERSION")
        );
        if let Err(e) = self.conn.execute_batch(&sql) {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(self.err(e));
        }
        self.tune()
    }

    /// Settings for a writer: WAL (persistent), `synchronous=NORMAL` (in WAL mode a commit
    /// survives a killed process; only a power cut may lose the last commits, never
    /// consistency), a 64 MiB page cache.
    fn tune(&mut self) -> Result<(), Error> {
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
            )
            .map_err(|e| self.err(e))
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            id: r.get(0)?,
            src_lang: r.get(1)?,
            hash: r.get(2)?,
            usage: r.get(3)?,
            date: r.get(4)?,
            langs: r.get(5)?,
            source: r.get(6)?,
            data: r.get(7)?,
        })
    }
}

const ROW_COLUMNS: &str = "id, src_lang, hash, usage, date, langs, source, data";

fn code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

fn db_err(name: &str, wait: Duration, e: rusqlite::Error) -> Error {
    match code(&e) {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Locked {
            store: name.to_string(),
            waited_ms: wait.as_millis(),
        },
        Some(ErrorCode::ReadOnly) => Error::ReadOnly {
            store: name.to_string(),
            why: e.to_string(),
        },
        Some(ErrorCode::NotADatabase) => Error::NotAStore {
            store: name.to_string(),
            why: "not an SQLite database".into(),
        },
        Some(ErrorCode::CannotOpen) => Error::Db {
            store: name.to_string(),
            message: format!("cannot open the file ({e})"),
        },
        _ => Error::Db {
            store: name.to_string(),
            message: e.to_string(),
        },
    }
}

impl Backend for Sqlite {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn begin(&mut self) -> Result<(), Error> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    fn commit(&mut self) -> Result<(), Error> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    fn by_sources(&mut self, src_hashes: &[i64]) -> Result<Vec<Row>, Error> {
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM units WHERE src_hash = ?1"
            ))
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        let mut out = Vec::new();
        for h in src_hashes {
            let rows = st
                .query_map([h], Sqlite::row)
                .map_err(|e| db_err(&self.name, self.wait, e))?;
            for r in rows {
                out.push(r.map_err(|e| db_err(&self.name, self.wait, e))?);
            }
        }
        Ok(out)
    }

    fn insert(&mut self, rows: &[NewRow]) -> Result<(), Error> {
        let mut st = self
            .conn
            .prepare_cached(
                "INSERT INTO units(src_lang, src_hash, hash, usage, date, langs, source, data) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        for r in rows {
            st.execute(params![
                r.src_lang, r.src_hash, r.hash, r.usage, r.date, r.langs, r.source, r.data
            ])
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        }
        Ok(())
    }

    fn add_usage(&mut self, bumps: &[(i64, i64)]) -> Result<(), Error> {
        let mut st = self
            .conn
            .prepare_cached("UPDATE units SET usage = usage + ?2 WHERE id = ?1")
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        for (id, n) in bumps {
            st.execute([id, n])
                .map_err(|e| db_err(&self.name, self.wait, e))?;
        }
        Ok(())
    }

    fn page(&mut self, after: i64, limit: u32) -> Result<Vec<Row>, Error> {
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM units WHERE id > ?1 ORDER BY id LIMIT ?2"
            ))
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        let rows = st
            .query_map(params![after, limit], Sqlite::row)
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        rows.collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(|e| db_err(&self.name, self.wait, e))
    }

    fn delete(&mut self, ids: &[i64]) -> Result<u64, Error> {
        let mut st = self
            .conn
            .prepare_cached("DELETE FROM units WHERE id = ?1")
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        let mut n = 0;
        for id in ids {
            n += st
                .execute([id])
                .map_err(|e| db_err(&self.name, self.wait, e))? as u64;
        }
        Ok(n)
    }

    fn log_import(&mut self, l: &ImportLog) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT INTO imports(file, at, read, new, duplicates, conflicts) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    l.file,
                    l.at,
                    l.read as i64,
                    l.new as i64,
                    l.duplicates as i64,
                    l.conflicts as i64
                ],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn counts(&mut self) -> Result<Counts, Error> {
        let e = |e| db_err(&self.name, self.wait, e);
        let (units, uses): (i64, i64) = self
            .conn
            .query_row(
                "SELECT count(*), coalesce(sum(usage), 0) FROM units",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(e)?;
        let pairs = |sql: &str| -> Result<Vec<(String, u64)>, Error> {
            let mut st = self.conn.prepare(sql).map_err(e)?;
            let rows = st
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
                })
                .map_err(e)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(e)
        };
        let by_src_lang = pairs("SELECT src_lang, count(*) FROM units GROUP BY src_lang")?;
        let by_langs = pairs("SELECT langs, count(*) FROM units GROUP BY langs")?;
        let mut st = self
            .conn
            .prepare("SELECT src_hash FROM units GROUP BY src_hash HAVING count(*) > 1")
            .map_err(e)?;
        let shared_sources = st
            .query_map([], |r| r.get(0))
            .map_err(e)?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(e)?;
        let imports: i64 = self
            .conn
            .query_row("SELECT count(*) FROM imports", [], |r| r.get(0))
            .map_err(e)?;
        let bytes = std::fs::metadata(&self.path).ok().map(|m| {
            let wal = std::fs::metadata(wal_path(&self.path)).map_or(0, |w| w.len());
            m.len() + wal
        });
        Ok(Counts {
            units: units as u64,
            uses: uses as u64,
            by_src_lang,
            by_langs,
            shared_sources,
            imports: imports as u64,
            bytes,
        })
    }

    fn check(&mut self) -> Result<(), Error> {
        let mut st = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        let msgs = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| db_err(&self.name, self.wait, e))?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        if msgs == ["ok"] {
            Ok(())
        } else {
            Err(Error::Db {
                store: self.name.clone(),
                message: format!("integrity check failed: {}", msgs.join("; ")),
            })
        }
    }

    fn schema_version(&self) -> i64 {
        self.version
    }

    fn upgrade(&mut self) -> Result<(), Error> {
        let sql = format!(
            "{CONTEXTS} UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema'; \
             PRAGMA user_version = {SCHEMA_VERSION};"
        );
        self.conn.execute_batch(&sql).map_err(|e| self.err(e))?;
        self.version = SCHEMA_VERSION;
        Ok(())
    }

    fn add_contexts(&mut self, rows: &[ContextRow]) -> Result<(), Error> {
        let mut st = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO contexts(unit, prev, next) VALUES (?1, ?2, ?3)")
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        for r in rows {
            st.execute([r.unit, r.prev, r.next])
                .map_err(|e| db_err(&self.name, self.wait, e))?;
        }
        Ok(())
    }

    fn contexts(&mut self, f: &mut dyn FnMut(ContextRow)) -> Result<(), Error> {
        let e = |e| db_err(&self.name, self.wait, e);
        let mut st = self
            .conn
            .prepare("SELECT unit, prev, next FROM contexts ORDER BY unit, prev, next")
            .map_err(e)?;
        let mut rows = st.query([]).map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            f(ContextRow {
                unit: r.get(0).map_err(e)?,
                prev: r.get(1).map_err(e)?,
                next: r.get(2).map_err(e)?,
            });
        }
        Ok(())
    }

    fn last_ids(&mut self, n: usize) -> Result<Vec<i64>, Error> {
        let e = |e| db_err(&self.name, self.wait, e);
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM units ORDER BY id DESC LIMIT ?1")
            .map_err(e)?;
        let mut ids = st
            .query_map([n as i64], |r| r.get(0))
            .map_err(e)?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(e)?;
        ids.reverse();
        Ok(ids)
    }

    fn by_ids(&mut self, ids: &[i64]) -> Result<Vec<Row>, Error> {
        let e = |e| db_err(&self.name, self.wait, e);
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM units WHERE id = ?1"))
            .map_err(e)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(r) = st.query_row([id], Sqlite::row).optional().map_err(e)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn has_concordance(&mut self) -> Result<bool, Error> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'concordance'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    fn set_concordance(&mut self, on: bool) -> Result<(), Error> {
        // Contentless (the texts are in `units`), no positions (a candidate is checked on its
        // text), rows deletable; `ascii`: the terms are split at spaces only (they hold no
        // other ASCII but letters and digits).
        let sql = if on {
            "CREATE VIRTUAL TABLE IF NOT EXISTS concordance USING fts5(terms, content='', \
             contentless_delete=1, detail=none, tokenize='ascii')"
        } else {
            "DROP TABLE IF EXISTS concordance"
        };
        self.conn.execute_batch(sql).map_err(|e| self.err(e))
    }

    fn concordance_add(&mut self, rows: &[(i64, Vec<String>)]) -> Result<(), Error> {
        let mut st = self
            .conn
            .prepare_cached("INSERT INTO concordance(rowid, terms) VALUES (?1, ?2)")
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        for (id, terms) in rows {
            st.execute(params![id, terms.join(" ")])
                .map_err(|e| db_err(&self.name, self.wait, e))?;
        }
        Ok(())
    }

    fn concordance_remove(&mut self, ids: &[i64]) -> Result<(), Error> {
        let mut st = self
            .conn
            .prepare_cached("DELETE FROM concordance WHERE rowid = ?1")
            .map_err(|e| db_err(&self.name, self.wait, e))?;
        for id in ids {
            st.execute([id])
                .map_err(|e| db_err(&self.name, self.wait, e))?;
        }
        Ok(())
    }

    fn concordance_find(
        &mut self,
        groups: &[Vec<String>],
        after: i64,
        limit: usize,
    ) -> Result<Vec<i64>, Error> {
        // Terms are quoted strings: FTS5 syntax inside them is only `"`, which terms never
        // hold (an ASCII character but a letter or digit is never in a term).
        let q = groups
            .iter()
            .map(|g| {
                let alts: Vec<String> = g.iter().map(|t| format!("\"{t}\"")).collect();
                format!("({})", alts.join(" OR "))
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        let e = |e| db_err(&self.name, self.wait, e);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT rowid FROM concordance WHERE concordance MATCH ?1 AND rowid > ?2 \
                 ORDER BY rowid LIMIT ?3",
            )
            .map_err(e)?;
        let ids = st
            .query_map(params![q, after, limit as i64], |r| r.get(0))
            .map_err(e)?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(e)?;
        Ok(ids)
    }

    fn prune_contexts(&mut self) -> Result<u64, Error> {
        self.conn
            .execute(
                "DELETE FROM contexts WHERE unit NOT IN (SELECT hash FROM units)",
                [],
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }
}

/// The WAL file beside the store (`tm.db` -> `tm.db-wal`).
fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-wal");
    s.into()
}
