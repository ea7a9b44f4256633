//! `dragoman tm import|export|stats|remove` end to end, against both backends: every behaviour
//! is one generic function, run on a fresh SQLite file and on a fresh PostgreSQL database
//! (when `DRAGOMAN_TEST_PG` holds a URL of a server where we may create databases, as
//! `.ci/run` sets it; otherwise the PostgreSQL variant says it was skipped).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use dragoman::tm::store::{Mode, Store};
use dragoman::tm::{self, Entry, Format};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dragoman"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

/// A store to test against, and a directory for input and output files.
struct Fixture {
    dir: tempfile::TempDir,
    store: String,
    /// PostgreSQL: the server URL (to drop the database) and the database.
    pg: Option<(String, String)>,
}

impl Fixture {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        fs::write(&p, text).unwrap();
        p
    }

    fn tm(&self, args: &[&str]) -> Output {
        let mut c = bin();
        c.arg("tm").arg(args[0]).arg(&self.store).args(&args[1..]);
        c.output().unwrap()
    }

    /// Runs a `tm` command that must succeed with `code` (0, or 1 for conflicts).
    fn ok(&self, code: i32, args: &[&str]) -> String {
        let out = self.tm(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "tm {args:?}: {err}");
        format!("{}{err}", String::from_utf8_lossy(&out.stdout))
    }

    /// Runs a `tm` command that must fail with exit 2; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.tm(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "tm {args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        err
    }

    fn stats(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(0, &["stats", "--json"])).unwrap()
    }

    fn open(&self, mode: Mode) -> Store {
        Store::open(&self.store, mode, std::time::Duration::from_secs(5)).unwrap()
    }

    /// A direct connection to the test database (PostgreSQL variant only).
    fn pg_client(&self) -> postgres::Client {
        postgres::Client::connect(&self.store, postgres::NoTls).unwrap()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some((server, db)) = &self.pg {
            if let Ok(mut c) = postgres::Client::connect(server, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
            }
        }
    }
}

fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("tm.db").display().to_string();
    Fixture {
        dir,
        store,
        pg: None,
    }
}

static DB: AtomicU32 = AtomicU32::new(0);

/// A fresh database on the `DRAGOMAN_TEST_PG` server, or `None` (test skipped).
fn postgres() -> Option<Fixture> {
    let Ok(server) = std::env::var("DRAGOMAN_TEST_PG") else {
        eprintln!(
            "skipped: set DRAGOMAN_TEST_PG=postgres://USER@HOST:PORT/DB to run against PostgreSQL"
        );
        return None;
    };
    let db = format!(
        "dragoman_t{}_{}",
        std::process::id(),
        DB.fetch_add(1, Ordering::Relaxed)
    );
    let mut c = postgres::Client::connect(&server, postgres::NoTls)
        .unwrap_or_else(|e| panic!("DRAGOMAN_TEST_PG={server}: {e}"));
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let base = server.split('?').next().unwrap();
    let store = match base.rsplit_once('/') {
        Some((head, _)) if head.contains("://") && head.len() > head.find("://").unwrap() + 3 => {
            format!("{head}/{db}")
        }
        _ => format!("{base}/{db}"),
    };
    Some(Fixture {
        dir: tempfile::tempdir().unwrap(),
        store,
        pg: Some((server, db)),
    })
}

/// One `#[test]` per backend for each generic behaviour.
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite_backend {
            $(#[test] fn $name() { super::$name(&super::sqlite()); })*
        }
        mod postgres_backend {
            $(#[test] fn $name() {
                if let Some(f) = super::postgres() { super::$name(&f); }
            })*
        }
    };
}

both!(
    import_keeps_everything_and_export_gives_it_back,
    duplicates_are_counted_once_with_a_usage_count,
    units_differing_only_in_codes_are_not_duplicates,
    conflicting_translations_are_all_kept_and_reported,
    every_input_format_imports,
    remove_by_prop_and_by_date,
    export_writes_any_format_and_chosen_languages,
    exact_lookup_and_pair_stream,
    not_a_dragoman_store_is_refused_untouched,
    newer_schema_is_refused,
    locked_store_is_an_error_and_loses_nothing,
    read_only_store_is_an_error,
    killed_import_leaves_the_last_commit_and_readers_go_on,
    bad_input_keeps_committed_batches_and_says_so,
    lookup_and_concordance_read_a_store,
    contexts_keep_every_place_a_repeated_unit_stood,
    version_1_store_is_read_and_upgraded_when_written,
    concordance_index_finds_what_loading_the_store_finds,
);

/// `tm lookup` and `tm concordance` take a store as well as a file: the same matches.
fn lookup_and_concordance_read_a_store(f: &Fixture) {
    let tsv = f.write(
        "a.tsv",
        "en\tfr\nThe budget reached 5,000 dinars.\tLe budget a atteint 5 000 dinars.\nThe cat sleeps.\tLe chat dort.\n",
    );
    f.ok(0, &["import", tsv.to_str().unwrap()]);
    let out = f.ok(
        0,
        &[
            "lookup",
            "-s",
            "en",
            "-t",
            "fr",
            "--format",
            "jsonl",
            "The budget reached 6,500 dinars.",
        ],
    );
    assert!(
        out.contains("\"score\":99") || out.contains("\"percent\":99"),
        "{out}"
    );
    assert!(out.contains("6 500"), "{out}");
    let out = f.ok(0, &["concordance", "-s", "en", "-t", "fr", "cat sleeps"]);
    assert!(out.contains("Le chat dort."), "{out}");
    assert!(!out.contains("budget"), "{out}");
    let err = f.fails(&["lookup", "The cat"]);
    assert!(
        err.contains("give --source-lang and --target-lang"),
        "{err}"
    );
}

/// Every construct a TMX unit carries that the store must keep: ids, dates, tu/tuv
/// attributes, props and notes with and without xml:lang, inline codes of every kind, three
/// languages, a unit with a different language set.
const RICH: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
<header srclang="en-US" adminlang="en" creationtool="t" creationtoolversion="1" segtype="sentence" datatype="plaintext" o-tmf="t"/>
<body>
<tu tuid="u1" creationdate="20200105T101010Z" changedate="20210101T000000Z" changeid="ann" creationid="bob" usagecount="4" lastusagedate="20210102T000000Z" datatype="html" segtype="sentence" o-encoding="utf-8">
  <note>unit note</note>
  <note xml:lang="fr">note en français</note>
  <prop type="x-client">ACME</prop>
  <prop type="x-domain" xml:lang="en"> </prop>
  <tuv xml:lang="en-US" creationid="bob" changedate="20210101T000000Z">
    <prop type="x-tuv">p</prop>
    <note>tuv note</note>
    <seg>Press <bpt i="1" x="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept><ph x="2">&lt;br/&gt;</ph> now <it pos="begin">&lt;i&gt;</it>%s<hi type="x">hi</hi><ut>&lt;u/&gt;</ut></seg>
  </tuv>
  <tuv xml:lang="fr-FR"><seg>Appuyez sur <bpt i="1" x="1">&lt;b&gt;</bpt>Enregistrer<ept i="1">&lt;/b&gt;</ept><ph x="2">&lt;br/&gt;</ph> maintenant <it pos="begin">&lt;i&gt;</it>%s</seg></tuv>
  <tuv xml:lang="de-DE"><seg>Drücken Sie <bpt i="1" x="1">&lt;b&gt;</bpt>Speichern<ept i="1">&lt;/b&gt;</ept></seg></tuv>
</tu>
<tu tuid="u2" creationdate="20230101T000000Z">
  <tuv xml:lang="en-US"><seg>A &amp; B &lt; C "quoted" 'single'</seg></tuv>
  <tuv xml:lang="fr-FR"><seg>A &amp; B &lt; C « guillemets »</seg></tuv>
</tu>
<tu tuid="u3">
  <tuv xml:lang="en-US"><seg>Only German here</seg></tuv>
  <tuv xml:lang="de-DE"><seg>Nur Deutsch hier</seg></tuv>
</tu>
</body>
</tmx>
"#;

fn read_entries(path: &Path) -> Vec<Entry> {
    let f = Format::from_path(path).unwrap();
    let input = std::io::BufReader::new(fs::File::open(path).unwrap());
    let mut r = tm::open_reader(f, Box::new(input), path, &[]).unwrap();
    let mut out = Vec::new();
    while let Some(mut e) = r.read_entry().unwrap() {
        if e.extras.iter().all(tm::VariantExtra::is_empty) {
            e.extras.clear();
        }
        out.push(e);
    }
    out
}

fn import_keeps_everything_and_export_gives_it_back(f: &Fixture) {
    let tmx = f.write("rich.tmx", RICH);
    f.ok(0, &["import", tmx.to_str().unwrap()]);
    let out = f.path("out.tmx");
    f.ok(
        0,
        &[
            "export",
            out.to_str().unwrap(),
            "--langs",
            "en-US,fr-FR,de-DE",
            "--keep-partial",
        ],
    );
    let want = read_entries(&tmx);
    let got = read_entries(&out);
    assert_eq!(got, want, "{}", fs::read_to_string(&out).unwrap());
    // And the file a second export writes is byte-identical (deterministic order).
    let again = f.path("again.tmx");
    f.ok(
        0,
        &[
            "export",
            again.to_str().unwrap(),
            "--langs",
            "en-US,fr-FR,de-DE",
            "--keep-partial",
        ],
    );
    assert_eq!(fs::read(&out).unwrap(), fs::read(&again).unwrap());
}

fn duplicates_are_counted_once_with_a_usage_count(f: &Fixture) {
    let tmx = f.write("rich.tmx", RICH);
    let t = tmx.to_str().unwrap();
    let first = f.ok(0, &["import", t]);
    assert!(
        first.contains("3 units read, 3 new, 0 duplicates"),
        "{first}"
    );
    // Repeats inside one batch count too.
    let rep = f.write("rep.tsv", "en\tfr\nHello\tBonjour\nHello\tBonjour\n");
    let out = f.ok(0, &["import", rep.to_str().unwrap()]);
    assert!(out.contains("2 units read, 1 new, 1 duplicates"), "{out}");
    let second = f.ok(0, &["import", t, t]);
    assert!(
        second.contains("3 units read, 0 new, 3 duplicates"),
        "{second}"
    );
    let s = f.stats();
    assert_eq!(s["units"], 4);
    assert_eq!(s["uses"], 11);
    assert_eq!(s["duplicates"], 7);
    assert_eq!(s["conflicts"], 0);
    assert_eq!(s["imports"], 4);
}

/// Issue 9 defect 8 in the store: codes are part of a unit's identity.
fn units_differing_only_in_codes_are_not_duplicates(f: &Fixture) {
    let tmx = f.write(
        "codes.tmx",
        r#"<tmx version="1.4"><header srclang="en" adminlang="en" creationtool="t" creationtoolversion="1" segtype="sentence" datatype="plaintext" o-tmf="t"/><body>
<tu><tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>big<ept i="1">&lt;/b&gt;</ept> cat</seg></tuv><tuv xml:lang="fr"><seg>Le <bpt i="1">&lt;b&gt;</bpt>gros<ept i="1">&lt;/b&gt;</ept> chat</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>The big cat</seg></tuv><tuv xml:lang="fr"><seg>Le gros chat</seg></tuv></tu>
</body></tmx>"#,
    );
    let out = f.ok(0, &["import", tmx.to_str().unwrap()]);
    assert!(out.contains("2 new, 0 duplicates, 0 conflicts"), "{out}");
    assert_eq!(f.stats()["units"], 2);
}

fn conflicting_translations_are_all_kept_and_reported(f: &Fixture) {
    let a = f.write("a.tsv", "en\tfr\nThe cat\tLe chat\nThe dog\tLe chien\n");
    let b = f.write("b.tsv", "en\tfr\nThe cat\tLa chatte\nThe dog\tLe chien\n");
    f.ok(0, &["import", a.to_str().unwrap()]);
    let out = f.ok(1, &["import", b.to_str().unwrap()]);
    assert!(out.contains("1 new, 1 duplicates, 1 conflicts"), "{out}");
    assert!(
        out.contains(r#"en "The cat" -> fr: stored "Le chat", also "La chatte""#),
        "{out}"
    );
    // Conflicts inside one file (one batch) are found too.
    let c = f.write("c.tsv", "en\tfr\nThe bird\tL'oiseau\nThe bird\tLe piaf\n");
    let out = f.ok(1, &["import", c.to_str().unwrap()]);
    assert!(out.contains("2 new, 0 duplicates, 1 conflicts"), "{out}");
    let s = f.stats();
    assert_eq!(s["conflicts"], 2);
    assert_eq!(s["examples"][0]["other"], "La chatte");
    let text = f.ok(0, &["stats"]);
    assert!(text.contains("conflicting  2"), "{text}");
    let csv = f.path("all.tsv");
    f.ok(0, &["export", csv.to_str().unwrap()]);
    assert_eq!(
        fs::read_to_string(&csv).unwrap(),
        "en\tfr\r\nThe cat\tLe chat\r\nThe dog\tLe chien\r\nThe cat\tLa chatte\r\n\
         The bird\tL'oiseau\r\nThe bird\tLe piaf\r\n"
    );
}

fn every_input_format_imports(f: &Fixture) {
    let csv = f.write("a.csv", "en,fr\nOne,Un\n\"Two, three\",\"Deux, trois\"\n");
    let tsv = f.write("a.tsv", "en\tde\nOne\tEins\n");
    let xlf = f.write(
        "a.xlf",
        r#"<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" target-language="es" datatype="plaintext" original="x"><body>
<trans-unit id="1"><source>Hello</source><target>Hola</target></trans-unit>
<trans-unit id="2"><source>Untranslated</source></trans-unit>
</body></file></xliff>"#,
    );
    let en = f.write("c.en", "Good morning\nGood night\n");
    f.write("c.it", "Buongiorno\nBuonanotte\n");
    let out = f.ok(
        0,
        &[
            "import",
            csv.to_str().unwrap(),
            tsv.to_str().unwrap(),
            xlf.to_str().unwrap(),
            en.to_str().unwrap(),
            "--langs",
            "en,it",
        ],
    );
    assert!(out.contains("total: 7 units read, 6 new"), "{out}");
    assert!(
        out.contains("1 left out (no source text or no translation)"),
        "{out}"
    );
    let s = f.stats();
    assert_eq!(s["units"], 6);
    let langs: Vec<String> = s["langs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(langs, ["en", "fr", "it", "de", "es"]);
}

fn remove_by_prop_and_by_date(f: &Fixture) {
    let tmx = f.write("rich.tmx", RICH);
    f.ok(0, &["import", tmx.to_str().unwrap()]);
    let dry = f.ok(0, &["remove", "--where-prop", "x-client=ACME", "--dry-run"]);
    assert!(dry.contains("1 units would be removed, 2 kept"), "{dry}");
    assert_eq!(f.stats()["units"], 3);
    // u1 was changed in 2021, u2 created in 2023, u3 has no date.
    let out = f.ok(0, &["remove", "--older-than", "2022-06-01"]);
    assert!(
        out.contains("1 units removed, 2 kept (1 without a date, kept)"),
        "{out}"
    );
    assert_eq!(f.stats()["units"], 2);
    let out = f.ok(0, &["remove", "--where-prop", "x-client=ACME"]);
    assert!(out.contains("0 units removed"), "{out}");
    let err = f.fails(&["remove", "--older-than", "last week"]);
    assert!(err.contains("is not a date"), "{err}");
    let err = f.fails(&["remove"]);
    assert!(
        err.contains("--where-prop TYPE=VALUE or --older-than DATE"),
        "{err}"
    );
    assert_eq!(f.stats()["units"], 2);
}

fn export_writes_any_format_and_chosen_languages(f: &Fixture) {
    let empty = f.path("none.csv");
    let tsv = f.write("a.tsv", "en\tfr\tde\nOne\tUn\tEins\nTwo\tDeux\t\n");
    f.ok(0, &["import", tsv.to_str().unwrap()]);
    let csv = f.path("o.csv");
    f.ok(0, &["export", csv.to_str().unwrap(), "--langs", "fr,en"]);
    assert_eq!(
        fs::read_to_string(&csv).unwrap(),
        "\u{feff}fr,en\r\nUn,One\r\nDeux,Two\r\n"
    );
    let xlf = f.path("o.xlf");
    f.ok(0, &["export", xlf.to_str().unwrap(), "--langs", "en,de"]);
    let x = fs::read_to_string(&xlf).unwrap();
    assert!(x.contains("Eins") && !x.contains("Deux"), "{x}");
    let moses = f.path("corpus.en");
    f.ok(0, &["export", moses.to_str().unwrap(), "--langs", "en,fr"]);
    assert_eq!(
        fs::read_to_string(f.path("corpus.fr")).unwrap(),
        "Un\nDeux\n"
    );
    let out = bin()
        .args([
            "tm", "export", &f.store, "-", "--to", "tsv", "--langs", "en,de",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "en\tde\r\nOne\tEins\r\nTwo\t\r\n"
    );
    let err = f.fails(&["export", empty.to_str().unwrap(), "--langs", "ja,en"]);
    assert!(err.contains("none written"), "{err}");
    assert!(!empty.exists());
}

fn exact_lookup_and_pair_stream(f: &Fixture) {
    let tsv = f.write(
        "a.tsv",
        "en\tfr\tde\nThe cat\tLe chat\tDie Katze\nThe dog\tLe chien\t\nThe cat\tLa chatte\t\n",
    );
    f.ok(1, &["import", tsv.to_str().unwrap()]);
    let mut st = f.open(Mode::Read);
    let hits = st.get_exact("EN", "fr", "The cat").unwrap();
    let fr: Vec<&str> = hits
        .iter()
        .map(|h| h.entry.unit.text("fr").unwrap())
        .collect();
    assert_eq!(fr, ["Le chat", "La chatte"]);
    assert_eq!(st.get_exact("en", "de", "The cat").unwrap().len(), 1);
    assert!(st.get_exact("en", "fr", "the cat").unwrap().is_empty());
    let mut de = Vec::new();
    st.for_each_unit("en", "de", |s| {
        de.push(s.entry.unit.text("de").unwrap().to_string());
        Ok(())
    })
    .unwrap();
    assert_eq!(de, ["Die Katze"]);
    let mut n = 0;
    st.for_each_unit("en", "fr", |_| {
        n += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(n, 3);
    // Decoded on every core, over several pages: the same units in the same order.
    let many: String = (0..4500)
        .map(|i| format!("Unit {i}\tUnité {i}\n"))
        .collect();
    let tsv = f.write("many.tsv", &format!("en\tfr\n{many}"));
    f.ok(0, &["import", tsv.to_str().unwrap()]);
    let mut st = f.open(Mode::Read);
    let mut serial = Vec::new();
    st.for_each_unit("en", "fr", |s| {
        serial.push((s.id, s.entry.unit.text("fr").unwrap().to_string()));
        Ok(())
    })
    .unwrap();
    let mut parallel = Vec::new();
    let convert =
        |s: dragoman::tm::store::Stored| (s.id, s.entry.unit.text("fr").unwrap().to_string());
    st.for_each_unit_converted("en", "fr", &convert, |x| {
        parallel.push(x);
        Ok(())
    })
    .unwrap();
    assert_eq!(serial.len(), 4503);
    assert_eq!(serial, parallel);
}

fn not_a_dragoman_store_is_refused_untouched(f: &Fixture) {
    let tsv = f.write("a.tsv", "en\tfr\nOne\tUn\n");
    match &f.pg {
        None => {
            // A text file, another application's SQLite database, a directory.
            let text = "just some notes\n".repeat(100);
            fs::write(&f.store, &text).unwrap();
            let err = f.fails(&["import", tsv.to_str().unwrap()]);
            assert!(
                err.contains("not a dragoman store (not an SQLite database)"),
                "{err}"
            );
            assert_eq!(fs::read_to_string(&f.store).unwrap(), text);
            fs::remove_file(&f.store).unwrap();
            let c = rusqlite::Connection::open(&f.store).unwrap();
            c.execute_batch("CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('x');")
                .unwrap();
            drop(c);
            let before = fs::read(&f.store).unwrap();
            let err = f.fails(&["import", tsv.to_str().unwrap()]);
            assert!(
                err.contains("an SQLite database of another application"),
                "{err}"
            );
            let err = f.fails(&["stats"]);
            assert!(err.contains("not a dragoman store"), "{err}");
            assert_eq!(fs::read(&f.store).unwrap(), before);
            let dir = f.path("adir");
            fs::create_dir(&dir).unwrap();
            let out = bin()
                .args(["tm", "stats", dir.to_str().unwrap()])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2));
        }
        Some(_) => {
            let mut c = f.pg_client();
            c.batch_execute(
                "CREATE TABLE dragoman_units(x int); INSERT INTO dragoman_units VALUES (7)",
            )
            .unwrap();
            let err = f.fails(&["import", tsv.to_str().unwrap()]);
            assert!(err.contains("not a dragoman store"), "{err}");
            let n: i64 = c
                .query_one("SELECT count(*) FROM dragoman_units", &[])
                .unwrap()
                .get(0);
            assert_eq!(n, 1);
            c.batch_execute(
                "DROP TABLE dragoman_units; CREATE TABLE dragoman_meta(key text, value text); \
                 INSERT INTO dragoman_meta VALUES ('format', 'someone-else')",
            )
            .unwrap();
            let err = f.fails(&["import", tsv.to_str().unwrap()]);
            assert!(err.contains("not a dragoman store"), "{err}");
        }
    }
    // A store that does not exist is not created by the read commands.
    let missing = f.path("missing.db");
    let out = bin()
        .args(["tm", "stats", missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such store"));
    assert!(!missing.exists());
}

fn newer_schema_is_refused(f: &Fixture) {
    let tsv = f.write("a.tsv", "en\tfr\nOne\tUn\n");
    f.ok(0, &["import", tsv.to_str().unwrap()]);
    match &f.pg {
        None => {
            let c = rusqlite::Connection::open(&f.store).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        Some(_) => {
            f.pg_client()
                .batch_execute("UPDATE dragoman_meta SET value = '99' WHERE key = 'schema'")
                .unwrap();
        }
    }
    for cmd in [&["stats"][..], &["import", tsv.to_str().unwrap()]] {
        let err = f.fails(cmd);
        assert!(
            err.contains("store schema version 99 is newer than this dragoman's (2)"),
            "{err}"
        );
    }
}

fn locked_store_is_an_error_and_loses_nothing(f: &Fixture) {
    let a = f.write("a.tsv", "en\tfr\nOne\tUn\n");
    let b = f.write("b.tsv", "en\tfr\nTwo\tDeux\n");
    f.ok(0, &["import", a.to_str().unwrap()]);
    // Another writer holds the lock.
    let guard: Box<dyn std::any::Any> = match &f.pg {
        None => {
            let c = rusqlite::Connection::open(&f.store).unwrap();
            c.execute_batch("BEGIN EXCLUSIVE").unwrap();
            Box::new(c)
        }
        Some(_) => {
            let mut c = f.pg_client();
            c.batch_execute("SELECT pg_advisory_lock(1146242893)")
                .unwrap();
            Box::new(c)
        }
    };
    let err = f.fails(&["import", b.to_str().unwrap(), "--wait", "0.3"]);
    assert!(
        err.contains("the store is locked by another process"),
        "{err}"
    );
    drop(guard);
    let s = f.stats();
    assert_eq!(s["units"], 1);
    f.ok(0, &["import", b.to_str().unwrap()]);
    assert_eq!(f.stats()["units"], 2);
}

fn read_only_store_is_an_error(f: &Fixture) {
    let a = f.write("a.tsv", "en\tfr\nOne\tUn\n");
    let b = f.write("b.tsv", "en\tfr\nTwo\tDeux\n");
    f.ok(0, &["import", a.to_str().unwrap()]);
    match &f.pg {
        None => {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&f.store, fs::Permissions::from_mode(0o444)).unwrap();
            let err = f.fails(&["import", b.to_str().unwrap()]);
            assert!(err.contains("the store is read-only"), "{err}");
            let err = f.fails(&["remove", "--older-than", "2030-01-01"]);
            assert!(err.contains("the store is read-only"), "{err}");
            assert_eq!(f.stats()["units"], 1);
            fs::set_permissions(&f.store, fs::Permissions::from_mode(0o644)).unwrap();
        }
        Some((_, db)) => {
            let role = format!("{db}_ro");
            let mut c = f.pg_client();
            c.batch_execute(&format!(
                "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN; \
                 GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"
            ))
            .unwrap();
            let url = f.store.replacen("://", &format!("://{role}:x@"), 1);
            let url = match url.split_once('@') {
                // postgres://role:x@user@host/db -> postgres://role:x@host/db
                Some((who, rest)) if rest.contains('@') => {
                    format!("{who}@{}", rest.split_once('@').unwrap().1)
                }
                _ => url,
            };
            let out = bin()
                .args(["tm", "import", &url, b.to_str().unwrap()])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{err}");
            assert!(err.contains("the store is read-only"), "{err}");
            assert!(!err.contains(":x@"), "password in a message: {err}");
            assert_eq!(f.stats()["units"], 1);
            c.batch_execute(&format!(
                "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}; DROP ROLE {role}"
            ))
            .unwrap();
        }
    }
}

/// Distinct units, enough for the import to take a while in a debug build.
fn big_tsv(f: &Fixture, n: usize) -> PathBuf {
    let mut s = String::from("en\tfr\n");
    for i in 0..n {
        s.push_str(&format!(
            "Sentence number {i} of the big file\tPhrase numéro {i} du gros fichier\n"
        ));
    }
    f.write("big.tsv", &s)
}

fn killed_import_leaves_the_last_commit_and_readers_go_on(f: &Fixture) {
    const N: usize = 300_000;
    const BATCH: usize = 1000;
    let big = big_tsv(f, N);
    let mut child = bin()
        .args(["tm", "import", &f.store, big.to_str().unwrap(), "-q"])
        .args(["--batch", &BATCH.to_string()])
        .spawn()
        .unwrap();
    // Readers go on while the import writes: poll until some batches are in, then kill.
    let start = std::time::Instant::now();
    let mut seen = 0;
    while seen < 3 * BATCH as u64 {
        assert!(start.elapsed().as_secs() < 60, "import made no progress");
        std::thread::sleep(std::time::Duration::from_millis(20));
        if let Ok(mut st) = Store::open(&f.store, Mode::Read, std::time::Duration::from_secs(5)) {
            seen = st.stats(0).unwrap().units;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut st = f.open(Mode::Read);
    st.check().unwrap();
    let units = st.stats(0).unwrap().units;
    assert!(units >= seen, "{units} < {seen}");
    assert!(
        units < N as u64,
        "the import finished before the kill: make the file bigger"
    );
    assert_eq!(
        units % BATCH as u64,
        0,
        "{units} units: not a batch boundary"
    );
    drop(st);
    // The store goes on: the same import again counts what is in as duplicates.
    let out = f.ok(0, &["stats", "--check"]);
    assert!(out.contains("integrity    ok"), "{out}");
}

fn bad_input_keeps_committed_batches_and_says_so(f: &Fixture) {
    let mut s = String::from(
        r#"<tmx version="1.4"><header srclang="en" adminlang="en" creationtool="t" creationtoolversion="1" segtype="sentence" datatype="plaintext" o-tmf="t"/><body>"#,
    );
    for i in 0..5 {
        s.push_str(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>S{i}</seg></tuv><tuv xml:lang=\"fr\"><seg>F{i}</seg></tuv></tu>\n"
        ));
    }
    s.push_str("<tu><tuv xml:lang=\"en\"><seg>broken</tuv></tu></body></tmx>");
    let bad = f.write("bad.tmx", &s);
    let err = f.fails(&["import", bad.to_str().unwrap(), "--batch", "2"]);
    assert!(err.contains("bad.tmx:"), "{err}");
    let units = f.stats()["units"].as_u64().unwrap();
    assert_eq!(units % 2, 0, "{units}");
    assert!(units <= 4, "{units}");
}

#[test]
fn unreachable_postgres_is_a_clear_error() {
    // Port 9 (discard) on the loopback: nothing listens there.
    let out = bin()
        .args(["tm", "stats", "postgres://tm:secret@127.0.0.1:9/tm"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("postgres://tm@127.0.0.1:9/tm: cannot connect to the PostgreSQL server"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
}

#[test]
fn store_options_are_checked() {
    let f = sqlite();
    let err = f.fails(&["import"]);
    assert!(err.contains("no file to import"), "{err}");
    let out = bin()
        .args(["tm", "remove", &f.store, "--where-prop", "novalue"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not TYPE=VALUE"));
    // --store instead of the first argument.
    let tsv = f.write("a.tsv", "en\tfr\nOne\tUn\n");
    let out = bin()
        .args(["tm", "import", "--store", &f.store, tsv.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(f.stats()["units"], 1);
    // Standard input, with --from.
    let mut child = bin()
        .args(["tm", "import", &f.store, "-", "--from", "tsv"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        b"en\tfr\nOne\tUn\nThree\tTrois\n",
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("<stdin>: 2 units read, 1 new, 1 duplicates"),
        "{err}"
    );
    assert_eq!(f.stats()["units"], 2);
}

/// Two documents, d1 = A X B and d2 = C X, X the same unit both times (one row, usage 2).
const TWO_DOCS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" adminlang="en" creationtool="t" creationtoolversion="1" segtype="sentence" datatype="plaintext" o-tmf="t"/><body>
<tu><prop type="x-document">d1</prop><tuv xml:lang="en"><seg>Alpha.</seg></tuv><tuv xml:lang="fr"><seg>Alpha.</seg></tuv></tu>
<tu><prop type="x-document">d1</prop><tuv xml:lang="en"><seg>Same.</seg></tuv><tuv xml:lang="fr"><seg>Pareil.</seg></tuv></tu>
<tu><prop type="x-document">d1</prop><tuv xml:lang="en"><seg>Beta.</seg></tuv><tuv xml:lang="fr"><seg>Bêta.</seg></tuv></tu>
<tu><prop type="x-document">d2</prop><tuv xml:lang="en"><seg>Gamma.</seg></tuv><tuv xml:lang="fr"><seg>Gamma.</seg></tuv></tu>
<tu><prop type="x-document">d2</prop><tuv xml:lang="en"><seg>Same.</seg></tuv><tuv xml:lang="fr"><seg>Pareil.</seg></tuv></tu>
</body></tmx>
"#;

/// `(unit source, previous source, next source)` of every stored context, sorted; `^` and
/// `$` for a document's start and end.
fn contexts_by_text(f: &Fixture) -> Vec<(String, String, String)> {
    use dragoman::tm::context::{text_hash, END, START};
    let mut st = f.open(Mode::Read);
    let mut by_hash = std::collections::HashMap::new();
    let mut names = std::collections::HashMap::new();
    names.insert(START as i64, "^".to_string());
    names.insert(END as i64, "$".to_string());
    // Neighbours by name, whether or not their units are still stored.
    for t in ["Alpha.", "Same.", "Beta.", "Gamma.", "Loose."] {
        names.insert(text_hash(t) as i64, t.to_string());
    }
    st.scan(
        |_| true,
        |s| {
            by_hash.insert(s.hash, s.entry.unit.variants[0].text.clone());
            Ok(())
        },
    )
    .unwrap();
    let rows = st
        .contexts()
        .unwrap()
        .expect("a version-2 store has contexts");
    let name = |h: &i64| names.get(h).cloned().unwrap_or_else(|| format!("?{h}"));
    let mut out: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                name(&by_hash.get(&r.unit).map_or(0, |s| text_hash(s) as i64)),
                name(&r.prev),
                name(&r.next),
            )
        })
        .collect();
    out.sort();
    out
}

fn ctx(u: &str, p: &str, n: &str) -> (String, String, String) {
    (u.into(), p.into(), n.into())
}

/// A repeated unit is one row, but each place it stood is a context; removing a unit removes
/// its contexts, and re-importing a file adds no context twice.
fn contexts_keep_every_place_a_repeated_unit_stood(f: &Fixture) {
    let tmx = f.write("two.tmx", TWO_DOCS);
    let out = f.ok(0, &["import", tmx.to_str().unwrap()]);
    assert!(out.contains("1 duplicate"), "{out}");
    let all = vec![
        ctx("Alpha.", "^", "Same."),
        ctx("Beta.", "Same.", "$"),
        ctx("Gamma.", "^", "Same."),
        ctx("Same.", "Alpha.", "Beta."),
        ctx("Same.", "Gamma.", "$"),
    ];
    assert_eq!(contexts_by_text(f), all);
    f.ok(0, &["import", tmx.to_str().unwrap()]);
    assert_eq!(contexts_by_text(f), all, "a second import adds no row");
    // Gamma's row carries x-document=d2; Same's row the first place's props (d1). Gamma's
    // context goes with it; Same still stood after Gamma's text in d2.
    let out = f.ok(0, &["remove", "--where-prop", "x-document=d2"]);
    assert!(out.contains("1 units removed"), "{out}");
    let mut left = all.clone();
    left.retain(|c| c.0 != "Gamma.");
    assert_eq!(left.len(), 4);
    assert_eq!(contexts_by_text(f), left);
}

/// A store written by the first schema (no contexts table) is still read, its contexts taken
/// from its rows' `x-document` order; the first write upgrades it, filling the table from
/// that order, in one transaction.
fn version_1_store_is_read_and_upgraded_when_written(f: &Fixture) {
    let tmx = f.write("two.tmx", TWO_DOCS);
    f.ok(0, &["import", tmx.to_str().unwrap()]);
    match &f.pg {
        None => {
            let c = rusqlite::Connection::open(&f.store).unwrap();
            c.execute_batch(
                "DROP TABLE contexts; PRAGMA user_version = 1; \
                 UPDATE meta SET value = '1' WHERE key = 'schema';",
            )
            .unwrap();
        }
        Some(_) => {
            f.pg_client()
                .batch_execute(
                    "DROP TABLE dragoman_contexts; \
                     UPDATE dragoman_meta SET value = '1' WHERE key = 'schema'",
                )
                .unwrap();
        }
    }
    assert_eq!(f.open(Mode::Read).contexts().unwrap(), None);
    assert_eq!(f.stats()["units"], 4, "read as it is");
    let tsv = f.write("a.tsv", "en\tfr\nLoose.\tLibre.\n");
    f.ok(0, &["import", tsv.to_str().unwrap()]);
    // What a version-1 store knew: each row's first place; d2 lost its repeated unit.
    assert_eq!(
        contexts_by_text(f),
        [
            ctx("Alpha.", "^", "Same."),
            ctx("Beta.", "Same.", "$"),
            ctx("Gamma.", "^", "$"),
            ctx("Same.", "Alpha.", "Beta."),
        ]
    );
    assert_eq!(f.stats()["units"], 5);
}

/// Concordance lines (JSON) without their `unit` field, which is a position when the store is
/// loaded and a row id when its index answers.
fn concordance_lines(f: &Fixture, args: &[&str]) -> Vec<serde_json::Value> {
    let mut a = vec!["concordance", "-s", "ar", "-t", "en", "--format", "jsonl"];
    a.extend_from_slice(args);
    f.ok(0, &a)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("unit");
            v
        })
        .collect()
}

/// `tm index` makes concordance answer from the store's index, with the same hits as loading
/// the store; imports add to the index, `remove` takes units out, `--drop` goes back.
fn concordance_index_finds_what_loading_the_store_finds(f: &Fixture) {
    let tsv = f.write(
        "a.tsv",
        "ar\ten\n\
         أعلن مجلس الأمن وقف إطلاق النار.\tThe Security Council announced a ceasefire.\n\
         ودعا إلى الوقف الفوري لإطلاق النار.\tHe called for an immediate ceasefire.\n\
         وطالب بوقف إطلاق النار فورا.\tHe demanded a ceasefire at once.\n\
         بلغ الدعم ٦٬٥٠٠ دينار.\tThe aid reached 6,500 dinars.\n\
         بلغ الدعم 7500 دينار.\tThe aid reached 7,500 dinars.\n\
         الأمن أولا.\tSecurity first.\n",
    );
    f.ok(0, &["import", tsv.to_str().unwrap()]);
    let queries: &[&[&str]] = &[
        &["وقف إطلاق"],
        &["الأمن"],
        &["6500"],
        &["--in", "target", "ceasefire"],
        &["--in", "target", "security council"],
        &["--max", "1", "إطلاق"],
        &["غائب"],
    ];
    let loaded: Vec<_> = queries.iter().map(|q| concordance_lines(f, q)).collect();
    // The loaded answers are the expected ones (so that equal answers mean right answers).
    let counts: Vec<usize> = loaded.iter().map(Vec::len).collect();
    assert_eq!(counts, [2, 2, 1, 3, 1, 1, 0], "{loaded:#?}");
    let out = f.ok(0, &["index"]);
    assert!(out.contains("concordance index of 6 units"), "{out}");
    let indexed: Vec<_> = queries.iter().map(|q| concordance_lines(f, q)).collect();
    assert_eq!(indexed, loaded);
    let note = f.ok(0, &["concordance", "-s", "ar", "-t", "en", "الأمن"]);
    assert!(!note.contains("loading the store"), "{note}");
    // A later import is indexed; a removed unit is gone from the index.
    let more = f.write("b.tsv", "ar\ten\nوالأمن مستتب.\tSecurity holds.\n");
    f.ok(0, &["import", more.to_str().unwrap()]);
    assert_eq!(concordance_lines(f, &["الأمن"]).len(), 3);
    let old = f.write("old.tmx", r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="ar" adminlang="en" creationtool="t" creationtoolversion="1" segtype="sentence" datatype="plaintext" o-tmf="t"/><body>
<tu><prop type="x-client">old</prop><tuv xml:lang="ar"><seg>الأمن قبل كل شيء.</seg></tuv><tuv xml:lang="en"><seg>Security before all.</seg></tuv></tu>
</body></tmx>"#);
    f.ok(0, &["import", old.to_str().unwrap()]);
    assert_eq!(concordance_lines(f, &["الأمن"]).len(), 4);
    f.ok(0, &["remove", "--where-prop", "x-client=old"]);
    let left = concordance_lines(f, &["الأمن"]);
    assert_eq!(left.len(), 3, "{left:#?}");
    // Hits over several pages of the index, all of them and the first ones.
    let many: String = (0..4500)
        .map(|i| format!("الأمن رقم {i}.\tSecurity number {i}.\n"))
        .collect();
    let many = f.write("many.tsv", &format!("ar\ten\n{many}"));
    f.ok(0, &["import", many.to_str().unwrap()]);
    let all = concordance_lines(f, &["الأمن"]);
    assert_eq!(all.len(), 4503);
    assert_eq!(all[4502]["source"], "الأمن رقم 4499.");
    assert_eq!(
        concordance_lines(f, &["--max", "3000", "الأمن"])[..],
        all[..3000]
    );
    let after: Vec<_> = all;
    f.ok(0, &["index", "--drop"]);
    let note = f.ok(0, &["concordance", "-s", "ar", "-t", "en", "الأمن"]);
    assert!(note.contains("loading the store"), "{note}");
    assert_eq!(concordance_lines(f, &["الأمن"]), after);
}
