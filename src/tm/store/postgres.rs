//! The shared backend: a PostgreSQL database (`postgres://user@host/db`), for a team that keeps
//! one TM on the server it already runs. The tables are prefixed `dragoman_`, so the database
//! may hold other applications' tables too.
//!
//! Writers serialise on a transaction-level advisory lock, so two imports from two machines
//! do not count the same unit twice; readers are never blocked. New rows go in with binary
//! `COPY`, the fastest way in.

use std::time::Duration;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use postgres::{Client, NoTls};

use super::{
    Backend, ContextRow, Counts, Error, ImportLog, Mode, NewRow, Row, FORMAT_NAME, SCHEMA_VERSION,
};

/// The advisory lock key writers take ("DRGM" again).
const LOCK_KEY: i64 = 0x4452_474d;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS dragoman_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dragoman_units(
  id BIGSERIAL PRIMARY KEY,
  src_lang TEXT NOT NULL,
  src_hash BIGINT NOT NULL,
  hash BIGINT NOT NULL,
  usage BIGINT NOT NULL DEFAULT 1,
  date TEXT,
  langs TEXT NOT NULL,
  source TEXT NOT NULL,
  data BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS dragoman_units_by_source ON dragoman_units(src_hash);
CREATE TABLE IF NOT EXISTS dragoman_imports(
  id BIGSERIAL PRIMARY KEY,
  file TEXT NOT NULL,
  at TEXT NOT NULL,
  read BIGINT NOT NULL,
  new BIGINT NOT NULL,
  duplicates BIGINT NOT NULL,
  conflicts BIGINT NOT NULL
);
";

/// What version 2 added: one row per distinct (unit, previous, next) occurrence context.
const CONTEXTS: &str = "
CREATE TABLE IF NOT EXISTS dragoman_contexts(
  unit BIGINT NOT NULL,
  prev BIGINT NOT NULL,
  next BIGINT NOT NULL,
  PRIMARY KEY(unit, prev, next)
);
";

const ROW_COLUMNS: &str = "id, src_lang, hash, usage, date, langs, source, data";

/// A store in a PostgreSQL database.
pub struct Postgres {
    client: Client,
    name: String,
    wait: Duration,
    in_tx: bool,
    version: i64,
}

/// `url` with its password left out, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((a, h)) => (a, h),
        None => return url.to_string(),
    };
    let user = auth.split(':').next().unwrap_or("");
    format!("{scheme}://{user}@{host}")
}

impl Postgres {
    /// Connects to `url` and checks (or, with [`Mode::Create`], creates) the store's tables.
    ///
    /// # Errors
    /// [`Error::Unreachable`], [`Error::NotAStore`], [`Error::NewerSchema`], [`Error::Missing`].
    pub fn open(url: &str, mode: Mode, wait: Duration) -> Result<Postgres, Error> {
        let name = redact(url);
        let mut cfg: postgres::Config = url.parse().map_err(|e| {
            Error::Usage(format!(
                "{name}: not a PostgreSQL URL ({e}); write postgres://USER@HOST:PORT/DATABASE"
            ))
        })?;
        // As libpq does (the Rust client does not): the password and user from the
        // environment when the URL has none, so that no password need be on a command line.
        if cfg.get_password().is_none() {
            if let Ok(pw) = std::env::var("PGPASSWORD") {
                cfg.password(pw);
            }
        }
        if cfg.get_user().is_none() {
            if let Ok(u) = std::env::var("PGUSER").or_else(|_| std::env::var("USER")) {
                cfg.user(&u);
            }
        }
        if cfg.get_connect_timeout().is_none() {
            cfg.connect_timeout(Duration::from_secs(10));
        }
        let client = cfg.connect(NoTls).map_err(|e| Error::Unreachable {
            store: name.clone(),
            why: pg_message(&e),
        })?;
        let mut s = Postgres {
            client,
            name,
            wait,
            in_tx: false,
            version: SCHEMA_VERSION,
        };
        s.check_or_init(mode)?;
        Ok(s)
    }

    fn err(&self, e: postgres::Error) -> Error {
        pg_err(&self.name, self.wait, &e)
    }

    fn check_or_init(&mut self, mode: Mode) -> Result<(), Error> {
        let row = self
            .client
            .query_one(
                "SELECT to_regclass('dragoman_meta') IS NOT NULL, \
                 to_regclass('dragoman_units') IS NOT NULL",
                &[],
            )
            .map_err(|e| self.err(e))?;
        let (has_meta, has_units): (bool, bool) = (row.get(0), row.get(1));
        if !has_meta {
            if has_units {
                return Err(Error::NotAStore {
                    store: self.name.clone(),
                    why: "a dragoman_units table without dragoman_meta".into(),
                });
            }
            if mode != Mode::Create {
                return Err(Error::Missing {
                    store: self.name.clone(),
                });
            }
            return self.init();
        }
        let rows = self
            .client
            .query(
                "SELECT key, value FROM dragoman_meta WHERE key IN ('format', 'schema')",
                &[],
            )
            .map_err(|e| self.err(e))?;
        let get = |k: &str| {
            rows.iter()
                .find(|r| r.get::<_, &str>(0) == k)
                .map(|r| r.get::<_, String>(1))
        };
        if get("format").as_deref() != Some(FORMAT_NAME) {
            return Err(Error::NotAStore {
                store: self.name.clone(),
                why: "dragoman_meta does not name a dragoman store".into(),
            });
        }
        let version: i64 = get("schema").and_then(|v| v.parse().ok()).unwrap_or(0);
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                store: self.name.clone(),
                found: version,
            });
        }
        if version < 1 {
            return Err(Error::NotAStore {
                store: self.name.clone(),
                why: "no schema version in dragoman_meta".into(),
            });
        }
        self.version = version;
        Ok(())
    }

    fn init(&mut self) -> Result<(), Error> {
        self.begin()?;
        let sql = format!(
            "{SCHEMA}{CONTEXTS} INSERT INTO dragoman_meta VALUES ('format', '{FORMAT_NAME}'), \
             ('schema', '{SCHEMA_VERSION}'), ('created', '{}'), ('created_by', 'dragoman {}') \
             ON CONFLICT (key) DO NOTHING;",
            super::now(),
            env!("CARGO_PKG_VERSION")
        );
        let done = self
            .client
            .batch_execute(&sql)
            .map_err(|e| self.err(e))
            .and_then(|()| self.commit());
        if done.is_err() {
            self.rollback();
        }
        done
    }

    /// The rows whose `column` (a column name, never user input) is one of `values`.
    fn rows_where(&mut self, column: &str, values: &[i64]) -> Result<Vec<Row>, Error> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .client
            .query(
                &format!("SELECT {ROW_COLUMNS} FROM dragoman_units WHERE {column} = ANY($1)"),
                &[&values],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(Postgres::row).collect())
    }

    fn row(r: &postgres::Row) -> Row {
        Row {
            id: r.get(0),
            src_lang: r.get(1),
            hash: r.get(2),
            usage: r.get(3),
            date: r.get(4),
            langs: r.get(5),
            source: r.get(6),
            data: r.get(7),
        }
    }
}

/// The server's message (`DbError`) when there is one, else the client's.
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => d.message().to_string(),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(c) = src {
                let t = c.to_string();
                if !s.contains(&t) {
                    s = format!("{s}: {t}");
                }
                src = c.source();
            }
            s
        }
    }
}

fn pg_err(name: &str, wait: Duration, e: &postgres::Error) -> Error {
    use postgres::error::SqlState;
    let store = name.to_string();
    match e.code() {
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => Error::Locked {
            store,
            waited_ms: wait.as_millis(),
        },
        Some(c)
            if *c == SqlState::READ_ONLY_SQL_TRANSACTION
                || *c == SqlState::INSUFFICIENT_PRIVILEGE =>
        {
            Error::ReadOnly {
                store,
                why: pg_message(e),
            }
        }
        _ if e.is_closed() => Error::Unreachable {
            store,
            why: pg_message(e),
        },
        _ => Error::Db {
            store,
            message: pg_message(e),
        },
    }
}

impl Backend for Postgres {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn begin(&mut self) -> Result<(), Error> {
        let ms = self.wait.as_millis().max(1);
        self.client
            .batch_execute(&format!(
                "BEGIN; SET LOCAL lock_timeout = {ms}; SELECT pg_advisory_xact_lock({LOCK_KEY});"
            ))
            .map_err(|e| {
                let _ = self.client.batch_execute("ROLLBACK");
                pg_err(&self.name, self.wait, &e)
            })?;
        self.in_tx = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Error> {
        self.in_tx = false;
        self.client.batch_execute("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&mut self) {
        if std::mem::take(&mut self.in_tx) {
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }

    fn by_sources(&mut self, src_hashes: &[i64]) -> Result<Vec<Row>, Error> {
        self.rows_where("src_hash", src_hashes)
    }

    fn insert(&mut self, rows: &[NewRow]) -> Result<(), Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let name = self.name.clone();
        let wait = self.wait;
        let e = |e: postgres::Error| pg_err(&name, wait, &e);
        let w = self
            .client
            .copy_in(
                "COPY dragoman_units(src_lang, src_hash, hash, usage, date, langs, source, data) \
                 FROM STDIN BINARY",
            )
            .map_err(e)?;
        let mut w = BinaryCopyInWriter::new(
            w,
            &[
                Type::TEXT,
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::BYTEA,
            ],
        );
        for r in rows {
            w.write(&[
                &r.src_lang,
                &r.src_hash,
                &r.hash,
                &r.usage,
                &r.date,
                &r.langs,
                &r.source,
                &r.data,
            ])
            .map_err(e)?;
        }
        w.finish().map_err(e)?;
        Ok(())
    }

    fn add_usage(&mut self, bumps: &[(i64, i64)]) -> Result<(), Error> {
        if bumps.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = bumps.iter().map(|b| b.0).collect();
        let ns: Vec<i64> = bumps.iter().map(|b| b.1).collect();
        self.client
            .execute(
                "UPDATE dragoman_units u SET usage = u.usage + b.n \
                 FROM unnest($1::bigint[], $2::bigint[]) AS b(id, n) WHERE u.id = b.id",
                &[&ids, &ns],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn page(&mut self, after: i64, limit: u32) -> Result<Vec<Row>, Error> {
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {ROW_COLUMNS} FROM dragoman_units WHERE id > $1 ORDER BY id LIMIT $2"
                ),
                &[&after, &i64::from(limit)],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(Postgres::row).collect())
    }

    fn delete(&mut self, ids: &[i64]) -> Result<u64, Error> {
        self.client
            .execute("DELETE FROM dragoman_units WHERE id = ANY($1)", &[&ids])
            .map_err(|e| self.err(e))
    }

    fn log_import(&mut self, l: &ImportLog) -> Result<(), Error> {
        let n = |v: u64| v as i64;
        self.client
            .execute(
                "INSERT INTO dragoman_imports(file, at, read, new, duplicates, conflicts) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &l.file,
                    &l.at,
                    &n(l.read),
                    &n(l.new),
                    &n(l.duplicates),
                    &n(l.conflicts),
                ],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn counts(&mut self) -> Result<Counts, Error> {
        let name = self.name.clone();
        let wait = self.wait;
        let e = |e: postgres::Error| pg_err(&name, wait, &e);
        let c = &mut self.client;
        let r = c
            .query_one(
                "SELECT count(*), coalesce(sum(usage), 0)::bigint, \
                 (SELECT count(*) FROM dragoman_imports), \
                 pg_total_relation_size('dragoman_units') + \
                 pg_total_relation_size('dragoman_imports') + \
                 coalesce(pg_total_relation_size(to_regclass('dragoman_contexts')), 0) + \
                 coalesce(pg_total_relation_size(to_regclass('dragoman_concordance')), 0) \
                 FROM dragoman_units",
                &[],
            )
            .map_err(e)?;
        let (units, uses, imports, bytes): (i64, i64, i64, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let mut pairs = |sql: &str| -> Result<Vec<(String, u64)>, Error> {
            Ok(c.query(sql, &[])
                .map_err(e)?
                .iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
                .collect())
        };
        let by_src_lang = pairs("SELECT src_lang, count(*) FROM dragoman_units GROUP BY src_lang")?;
        let by_langs = pairs("SELECT langs, count(*) FROM dragoman_units GROUP BY langs")?;
        let shared_sources = c
            .query(
                "SELECT src_hash FROM dragoman_units GROUP BY src_hash HAVING count(*) > 1",
                &[],
            )
            .map_err(e)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        Ok(Counts {
            units: units as u64,
            uses: uses as u64,
            by_src_lang,
            by_langs,
            shared_sources,
            imports: imports as u64,
            bytes: Some(bytes as u64),
        })
    }

    fn check(&mut self) -> Result<(), Error> {
        self.client
            .query_one("SELECT count(*) FROM dragoman_units", &[])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn schema_version(&self) -> i64 {
        self.version
    }

    fn upgrade(&mut self) -> Result<(), Error> {
        let sql = format!(
            "{CONTEXTS} UPDATE dragoman_meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema';"
        );
        self.client.batch_execute(&sql).map_err(|e| self.err(e))?;
        self.version = SCHEMA_VERSION;
        Ok(())
    }

    fn add_contexts(&mut self, rows: &[ContextRow]) -> Result<(), Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let col = |f: fn(&ContextRow) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
        let (units, prevs, nexts) = (col(|r| r.unit), col(|r| r.prev), col(|r| r.next));
        self.client
            .execute(
                "INSERT INTO dragoman_contexts(unit, prev, next) \
                 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) \
                 ON CONFLICT DO NOTHING",
                &[&units, &prevs, &nexts],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn contexts(&mut self, f: &mut dyn FnMut(ContextRow)) -> Result<(), Error> {
        use postgres::fallible_iterator::FallibleIterator;
        let name = self.name.clone();
        let wait = self.wait;
        let e = |e: postgres::Error| pg_err(&name, wait, &e);
        // Streamed: a large TM has a million rows, which `query` would hold all at once.
        let mut rows = self
            .client
            .query_raw(
                "SELECT unit, prev, next FROM dragoman_contexts ORDER BY unit, prev, next",
                std::iter::empty::<i64>(),
            )
            .map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            f(ContextRow {
                unit: r.get(0),
                prev: r.get(1),
                next: r.get(2),
            });
        }
        Ok(())
    }

    fn last_ids(&mut self, n: usize) -> Result<Vec<i64>, Error> {
        let rows = self
            .client
            .query(
                "SELECT id FROM dragoman_units ORDER BY id DESC LIMIT $1",
                &[&(n as i64)],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().rev().map(|r| r.get(0)).collect())
    }

    fn by_ids(&mut self, ids: &[i64]) -> Result<Vec<Row>, Error> {
        self.rows_where("id", ids)
    }

    fn has_concordance(&mut self) -> Result<bool, Error> {
        self.client
            .query_one(
                "SELECT to_regclass('dragoman_concordance') IS NOT NULL",
                &[],
            )
            .map(|r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn set_concordance(&mut self, on: bool) -> Result<(), Error> {
        // Each unit's terms as an array with a GIN index: `terms && ARRAY[...]` (holds one of)
        // is what the index answers, one condition per phrase word.
        let sql = if on {
            "CREATE TABLE IF NOT EXISTS dragoman_concordance(\
               unit BIGINT PRIMARY KEY, terms TEXT[] NOT NULL); \
             CREATE INDEX IF NOT EXISTS dragoman_concordance_terms \
               ON dragoman_concordance USING gin(terms);"
        } else {
            "DROP TABLE IF EXISTS dragoman_concordance"
        };
        self.client.batch_execute(sql).map_err(|e| self.err(e))
    }

    fn concordance_add(&mut self, rows: &[(i64, Vec<String>)]) -> Result<(), Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let name = self.name.clone();
        let wait = self.wait;
        let e = |e: postgres::Error| pg_err(&name, wait, &e);
        let w = self
            .client
            .copy_in("COPY dragoman_concordance(unit, terms) FROM STDIN BINARY")
            .map_err(e)?;
        let mut w = BinaryCopyInWriter::new(w, &[Type::INT8, Type::TEXT_ARRAY]);
        for (id, terms) in rows {
            w.write(&[id, terms]).map_err(e)?;
        }
        w.finish().map_err(e)?;
        Ok(())
    }

    fn concordance_remove(&mut self, ids: &[i64]) -> Result<(), Error> {
        self.client
            .execute(
                "DELETE FROM dragoman_concordance WHERE unit = ANY($1)",
                &[&ids],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn concordance_find(
        &mut self,
        groups: &[Vec<String>],
        after: i64,
        limit: usize,
    ) -> Result<Vec<i64>, Error> {
        let cond: Vec<String> = (1..=groups.len())
            .map(|i| format!("terms && ${i}::text[]"))
            .collect();
        let n = groups.len();
        let sql = format!(
            "SELECT unit FROM dragoman_concordance WHERE {} AND unit > ${} ORDER BY unit LIMIT ${}",
            cond.join(" AND "),
            n + 1,
            n + 2
        );
        let limit = limit as i64;
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = groups
            .iter()
            .map(|g| g as &(dyn postgres::types::ToSql + Sync))
            .collect();
        params.push(&after);
        params.push(&limit);
        let rows = self.client.query(&sql, &params).map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn prune_contexts(&mut self) -> Result<u64, Error> {
        self.client
            .execute(
                "DELETE FROM dragoman_contexts c WHERE NOT EXISTS \
                 (SELECT 1 FROM dragoman_units u WHERE u.hash = c.unit)",
                &[],
            )
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_never_show_the_password() {
        assert_eq!(
            redact("postgres://tm:s3cret@db.example:5432/tm"),
            "postgres://tm@db.example:5432/tm"
        );
        assert_eq!(redact("postgres://db/tm"), "postgres://db/tm");
    }
}
