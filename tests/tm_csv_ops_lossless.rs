//! Issue 9, the CSV / TMX writer / operations part: regression tests named for the defect
//! they cover, each on a small file written here (from the TMX 1.4b specification and from
//! what real tools write).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dragoman"))
}

/// Runs; returns (exit code, stdout, stderr).
fn run(mut cmd: Command) -> (i32, String, String) {
    let o: Output = cmd.output().expect("run dragoman");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "panic: {err}");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        err,
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn convert(args: &[&str], input: &Path, output: &Path) -> (i32, String, String) {
    let mut c = bin();
    c.arg("convert").arg(input).arg(output).args(args);
    run(c)
}

/// A TMX 1.4b document with `srclang` and the given `<tu>` elements.
fn tmx(srclang: &str, tus: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n\
         <tmx version=\"1.4\">\n<header creationtool=\"t\" creationtoolversion=\"1\" \
         datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"{srclang}\" \
         o-tmf=\"t\"/>\n<body>\n{tus}</body>\n</tmx>\n"
    )
}

fn tu(vars: &[(&str, &str)]) -> String {
    let mut s = String::from("<tu>");
    for (l, t) in vars {
        s.push_str(&format!("<tuv xml:lang=\"{l}\"><seg>{t}</seg></tuv>"));
    }
    s.push_str("</tu>\n");
    s
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// Defect 6: a TM whose units carry different language sets (de, en, de-DE) used to lose most
/// of them (exit 2, nothing written). Every unit with the source and a target is now written
/// with the languages it has.
#[test]
fn d6_tmx_to_tmx_keeps_units_with_different_language_sets() {
    let dir = tempfile::tempdir().unwrap();
    let tus = [
        tu(&[("en", "one"), ("de", "eins")]),
        tu(&[("en", "two"), ("de-DE", "zwei")]),
        tu(&[("en", "three"), ("de", "drei"), ("de-DE", "drei")]),
        tu(&[("en", "four"), ("de-DE", "vier")]),
    ]
    .concat();
    let i = write(dir.path(), "mixed.tmx", &tmx("en", &tus));
    let o = dir.path().join("out.tmx");
    let (code, _, err) = convert(&[], &i, &o);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("4 units read, 4 written (en,de,de-DE)"),
        "{err}"
    );
    let x = std::fs::read_to_string(&o).unwrap();
    assert_eq!(count(&x, "<tu>"), 4, "{x}");
    for seg in ["eins", "zwei", "drei", "vier"] {
        assert!(x.contains(&format!("<seg>{seg}</seg>")), "{seg}: {x}");
    }
    assert!(x.contains("srclang=\"en\""), "{x}");
    assert_eq!(count(&x, "xml:lang=\"de-DE\""), 3, "{x}");
    // The output reads back with the same units.
    let back = dir.path().join("back.tmx");
    let (code, _, err) = convert(&[], &o, &back);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&back).unwrap(), x);
}

/// Defect 6: the shape of the TMX 1.4 specification's own example (two units, the second with
/// a language the first lacks, and props, notes, attributes) keeps 2 of 2.
#[test]
fn d6_specification_example_keeps_both_units() {
    let dir = tempfile::tempdir().unwrap();
    let tus = "<tu tuid=\"0001\" datatype=\"Text\" usagecount=\"2\" lastusagedate=\"19970314T023401Z\">\n\
  <note>A note on the unit.</note>\n  <prop type=\"x-Domain\">Computing</prop>\n\
  <tuv xml:lang=\"EN\" creationdate=\"19970212T153400Z\" creationid=\"BobW\"><seg>data</seg></tuv>\n\
  <tuv xml:lang=\"FR-CA\" changeid=\"ManonD\"><prop type=\"Origin\">MT</prop><seg>donn&#xE9;es</seg></tuv>\n\
</tu>\n\
<tu tuid=\"0002\">\n  <prop type=\"x-Domain\">Cooking</prop>\n\
  <tuv xml:lang=\"EN\"><seg>menu</seg></tuv>\n  <tuv xml:lang=\"FR-CA\"><seg>menu</seg></tuv>\n\
  <tuv xml:lang=\"FR-FR\"><seg>menu</seg></tuv>\n</tu>\n";
    let i = write(dir.path(), "spec.tmx", &tmx("EN", tus));
    let o = dir.path().join("out.tmx");
    let (code, _, err) = convert(&[], &i, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 units read, 2 written"), "{err}");
    let x = std::fs::read_to_string(&o).unwrap();
    assert!(
        x.contains("tuid=\"0001\"") && x.contains("tuid=\"0002\""),
        "{x}"
    );
    assert!(x.contains("<seg>données</seg>"), "{x}");
    assert!(x.contains("xml:lang=\"fr-FR\""), "{x}");
    assert!(x.contains("usagecount=\"2\""), "{x}");
    assert!(x.contains("<note>A note on the unit.</note>"), "{x}");
}

/// Defect 6: `--complete` keeps only the units in every language (what OmegaT needs) and
/// says how many it left out; TMX output from CSV follows the same rule.
#[test]
fn d6_complete_keeps_only_complete_units_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let tus = [
        tu(&[("en", "one"), ("de", "eins"), ("fr", "un")]),
        tu(&[("en", "two"), ("de", "zwei")]),
        tu(&[("en", "three"), ("fr", "trois")]),
    ]
    .concat();
    let i = write(dir.path(), "m.tmx", &tmx("en", &tus));
    let o = dir.path().join("out.tmx");
    let (code, _, err) = convert(&["--complete"], &i, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 units read, 1 written (en,de,fr)"), "{err}");
    assert!(
        err.contains("2 units without text in every one of en,de,fr were left out"),
        "{err}"
    );
    let x = std::fs::read_to_string(&o).unwrap();
    assert_eq!(count(&x, "<tu>"), 1, "{x}");
    // Without it: all three, and a warning for OmegaT users that names --complete.
    let (code, _, err) = convert(&[], &i, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 written"), "{err}");
    assert!(err.contains("--complete"), "{err}");
    // CSV -> TMX: the same.
    let c = write(
        dir.path(),
        "m.csv",
        "en,de,fr\r\none,eins,un\r\ntwo,zwei,\r\nthree,,trois\r\n",
    );
    let (code, _, err) = convert(&[], &c, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 written"), "{err}");
    let (code, _, err) = convert(&["--complete"], &c, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 written"), "{err}");
}

/// Defect 6: `convert --help` says what the default keeps and what --complete does.
#[test]
fn d6_help_describes_the_lossless_default() {
    let mut c = bin();
    c.args(["convert", "--help"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains("--complete"), "{out}");
    assert!(out.contains("lossless"), "{out}");
    assert!(!out.contains("--keep-partial"), "{out}");
}

/// Defect 13: Okapi's table (a `Source,Target` header) could not be read even with --langs.
/// It reads with --header-map, in convert, merge and stats; a `Note`/`Comment` column mapped
/// to `note` becomes the unit's note.
#[test]
fn d13_source_target_header_reads_with_header_map() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(
        dir.path(),
        "okapi.csv",
        "Source,Target,Comment\r\nHello,Bonjour,greeting\r\n\"Two, words\",Deux mots,\r\n",
    );
    let o = dir.path().join("out.tmx");
    let (code, _, err) = convert(
        &["--header-map", "source=en,TARGET=fr,Comment=note"],
        &c,
        &o,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 units read, 2 written (en,fr)"), "{err}");
    let x = std::fs::read_to_string(&o).unwrap();
    assert!(
        x.contains("<tuv xml:lang=\"fr\"><seg>Deux mots</seg></tuv>"),
        "{x}"
    );
    assert!(x.contains("<note>greeting</note>"), "{x}");
    // merge and stats take the same option.
    let m = dir.path().join("m.tsv");
    let mut cmd = bin();
    cmd.arg("merge")
        .arg(&c)
        .arg(&c)
        .args(["--header-map", "Source=en,Target=fr,Comment=note", "-o"])
        .arg(&m);
    let (code, _, err) = run(cmd);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&m).unwrap(),
        "en\tfr\r\nHello\tBonjour\r\nTwo, words\tDeux mots\r\n"
    );
    let mut cmd = bin();
    cmd.arg("stats")
        .arg(&c)
        .args(["--header-map", "Source=en,Target=fr,Comment=note", "--json"]);
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"units\": 2"), "{out}");
}

/// Defect 13: OmegaT's tables have no header row at all: `--langs en,fr --no-header` reads
/// the first row as data; `--no-header --header-map 1=en,2=fr,3=note` names a third column.
#[test]
fn d13_headerless_tsv_reads_with_langs_and_no_header() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "glossary.tsv",
        "Hello\tBonjour\nBye\tAu revoir\n",
    );
    let (code, out, err) = convert(
        &["--langs", "en,fr", "--no-header", "--to", "csv"],
        &t,
        Path::new("-"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "en,fr\r\nHello,Bonjour\r\nBye,Au revoir\r\n");
    // Three columns: the third must be named, never dropped.
    let t3 = write(
        dir.path(),
        "omegat.tsv",
        "Hello\tBonjour\tgreeting\nBye\tAu revoir\t\n",
    );
    let (code, _, err) = convert(
        &["--langs", "en,fr", "--no-header", "--to", "csv"],
        &t3,
        Path::new("-"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("omegat.tsv:1:1: row has 3 fields"), "{err}");
    assert!(err.contains("--header-map 1=en,2=fr,3=note"), "{err}");
    let o = dir.path().join("o.tmx");
    let (code, _, err) = convert(
        &["--no-header", "--header-map", "1=en,2=fr,3=note"],
        &t3,
        &o,
    );
    assert_eq!(code, 0, "{err}");
    let x = std::fs::read_to_string(&o).unwrap();
    assert!(
        x.contains("<note>greeting</note>") && x.contains("<seg>Au revoir</seg>"),
        "{x}"
    );
    // Ragged rows keep their line numbers without a header row (CRLF too).
    let bad = write(dir.path(), "bad.csv", "a,b\r\nc,d\r\ne\r\n");
    let (code, _, err) = convert(&["--langs", "en,fr", "--no-header"], &bad, &o);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.csv:3:1: row has 1 fields"), "{err}");
}

/// Defect 13: without those options such a table is still refused, with a message that
/// names both; --no-header without languages says what to add.
#[test]
fn d13_table_without_language_header_is_refused_naming_both_options() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(
        dir.path(),
        "okapi.csv",
        "Source,Target\r\nHello,Bonjour\r\n",
    );
    let o = dir.path().join("out.tmx");
    let (code, _, err) = convert(&["--langs", "en,fr"], &c, &o);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("okapi.csv:1:1: header cell \"Source\""),
        "{err}"
    );
    assert!(
        err.contains("--header-map") && err.contains("--no-header"),
        "{err}"
    );
    assert!(!o.exists());
    let (code, _, err) = convert(&["--no-header"], &c, &o);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--langs"), "{err}");
    let (code, _, err) = convert(&["--header-map", "Source=en,Target=notalang!"], &c, &o);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Target=notalang!"), "{err}");
}

/// A TMX with ids, dates, several notes (one on two lines), props and a formula-like text.
fn tmx_with_metadata() -> String {
    tmx(
        "en",
        "<tu tuid=\"a1\" creationdate=\"20200101T000000Z\"><note>first</note><note>second\nline</note>\
         <prop type=\"x-document\">doc.txt</prop><prop type=\"x-other\">o</prop>\
         <tuv xml:lang=\"en\"><seg>Hello</seg></tuv><tuv xml:lang=\"fr\"><seg>Bonjour</seg></tuv></tu>\n\
         <tu tuid=\"a2\"><tuv xml:lang=\"en\"><seg>=Bye</seg></tuv><tuv xml:lang=\"fr\"><seg>Salut</seg></tuv></tu>\n\
         <tu><tuv xml:lang=\"en\"><seg>No id</seg></tuv><tuv xml:lang=\"fr\"><seg>Sans id</seg></tuv></tu>\n",
    )
}

/// Defect 14: TMX -> CSV wrote no tuid/note columns, although the CSV reader accepts them.
/// `--columns tuid,note` writes them (after the languages), and TMX -> CSV -> TMX keeps ids
/// and notes; several notes share a cell, separated by a line `---`, and are split back.
#[test]
fn d14_columns_keep_ids_and_notes_through_csv() {
    let dir = tempfile::tempdir().unwrap();
    let i = write(dir.path(), "m.tmx", &tmx_with_metadata());
    let c = dir.path().join("m.csv");
    let (code, _, err) = convert(&["--columns", "tuid,note"], &i, &c);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&c).unwrap();
    assert_eq!(
        csv,
        "\u{feff}en,fr,tuid,note\r\nHello,Bonjour,a1,\"first\n---\nsecond\nline\"\r\n\
         \"'=Bye\",Salut,a2,\r\nNo id,Sans id,,\r\n"
    );
    let back = dir.path().join("back.tmx");
    let (code, _, err) = convert(&[], &c, &back);
    assert_eq!(code, 0, "{err}");
    let x = std::fs::read_to_string(&back).unwrap();
    assert!(
        x.contains("<tu tuid=\"a1\">") && x.contains("<tu tuid=\"a2\">"),
        "{x}"
    );
    assert!(
        x.contains("<note>first</note>\n      <note>second\nline</note>"),
        "{x}"
    );
    assert!(x.contains("<seg>=Bye</seg>"), "{x}");
    // Without --columns: the languages only (the fast path, unchanged).
    let (code, _, err) = convert(&[], &i, &c);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&c)
        .unwrap()
        .starts_with("\u{feff}en,fr\r\nHello,Bonjour\r\n"));
}

/// Defect 14: `created` and `prop:TYPE` columns too, to TSV, through merge as well; a bad
/// column name is refused with the names that exist.
#[test]
fn d14_columns_created_and_props_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let i = write(dir.path(), "m.tmx", &tmx_with_metadata());
    let t = dir.path().join("m.tsv");
    let (code, _, err) = convert(&["--columns", "tuid,created,prop:x-document"], &i, &t);
    assert_eq!(code, 0, "{err}");
    let tsv = std::fs::read_to_string(&t).unwrap();
    assert!(
        tsv.starts_with("en\tfr\ttuid\tcreated\tprop:x-document\r\nHello\tBonjour\ta1\t20200101T000000Z\tdoc.txt\r\n"),
        "{tsv}"
    );
    let back = dir.path().join("back.tmx");
    let (code, _, err) = convert(&[], &t, &back);
    assert_eq!(code, 0, "{err}");
    let x = std::fs::read_to_string(&back).unwrap();
    assert!(
        x.contains("<tu tuid=\"a1\" creationdate=\"20200101T000000Z\">"),
        "{x}"
    );
    assert!(
        x.contains("<prop type=\"x-document\">doc.txt</prop>"),
        "{x}"
    );
    // merge writes them too.
    let m = dir.path().join("merged.csv");
    let mut cmd = bin();
    cmd.arg("merge")
        .arg(&i)
        .args(["--columns", "tuid", "-o"])
        .arg(&m);
    let (code, _, err) = run(cmd);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&m)
        .unwrap()
        .contains("Hello,Bonjour,a1\r\n"));
    let (code, _, err) = convert(&["--columns", "tuid,comment"], &i, &t);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("comment: expected tuid, note, created or prop:TYPE"),
        "{err}"
    );
}

/// `The <b>big</b> cat` as TMX paired codes, and in French.
const BIG_EN: &str = "The <bpt i=\"1\">&lt;b&gt;</bpt>big<ept i=\"1\">&lt;/b&gt;</ept> cat";
const BIG_FR: &str = "Le <bpt i=\"1\">&lt;b&gt;</bpt>gros<ept i=\"1\">&lt;/b&gt;</ept> chat";

fn merge_cmd(inputs: &[&Path], out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut c = bin();
    c.arg("merge").args(inputs).args(extra).arg("-o").arg(out);
    run(c)
}

/// Defect 8: units that differ only in inline codes were duplicates for merge (one dropped).
/// Codes are part of a unit's identity: both are kept, and a translation that differs only in
/// its codes is a conflict that shows them.
#[test]
fn d8_units_differing_only_in_codes_are_not_duplicates_in_merge() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.tmx",
        &tmx("en", &tu(&[("en", BIG_EN), ("fr", BIG_FR)])),
    );
    let b = write(
        dir.path(),
        "b.tmx",
        &tmx("en", &tu(&[("en", "The big cat"), ("fr", "Le gros chat")])),
    );
    let o = dir.path().join("m.tmx");
    let (code, _, err) = merge_cmd(&[&a, &b], &o, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 written") && err.contains("0 duplicates"),
        "{err}"
    );
    let x = std::fs::read_to_string(&o).unwrap();
    assert!(x.contains(&format!("<seg>{BIG_EN}</seg>")), "{x}");
    assert!(x.contains("<seg>The big cat</seg>"), "{x}");
    // Same source with codes, translation without them: a conflict, both kept.
    let c = write(
        dir.path(),
        "c.tmx",
        &tmx("en", &tu(&[("en", BIG_EN), ("fr", "Le gros chat")])),
    );
    let (code, _, err) = merge_cmd(&[&a, &c], &o, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("2 written") && err.contains("1 conflicts"),
        "{err}"
    );
    assert!(err.contains("without the inline codes"), "{err}");
    // The very same unit twice is still one.
    let (code, _, err) = merge_cmd(&[&a, &a], &o, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 written") && err.contains("1 duplicates"),
        "{err}"
    );
}

/// Defect 8: stats counted such units as duplicates (or the same source).
#[test]
fn d8_stats_counts_units_differing_only_in_codes_as_different() {
    let dir = tempfile::tempdir().unwrap();
    let tus = [
        tu(&[("en", BIG_EN), ("fr", BIG_FR)]),
        tu(&[("en", "The big cat"), ("fr", "Le gros chat")]),
        tu(&[("en", BIG_EN), ("fr", "Le gros chat")]),
        tu(&[("en", BIG_EN), ("fr", BIG_FR)]),
    ]
    .concat();
    let i = write(dir.path(), "s.tmx", &tmx("en", &tus));
    let mut c = bin();
    c.arg("stats").arg(&i).arg("--json");
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["units"], 4, "{out}");
    assert_eq!(v["duplicates"], 1, "{out}");
    assert_eq!(v["conflicting"], 1, "{out}");
}

/// Defect 8, through the runs on disk: a merge past its memory keeps the codes (and the other
/// extras) of the units it serialises, and gives what the in-memory merge gives.
#[test]
fn d8_merge_through_disk_keeps_codes_and_gives_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let pad = "x".repeat(200);
    let mut a = String::new();
    let mut b = String::new();
    for i in 0..3000 {
        a.push_str(&format!(
            "<tu tuid=\"a{i}\" changedate=\"20200101T000000Z\"><note>n{i}</note>\
             <tuv xml:lang=\"en\"><seg>{pad} {i} <ph x=\"1\">&lt;br/&gt;</ph>end</seg></tuv>\
             <tuv xml:lang=\"fr\"><prop type=\"x-p\">v</prop><seg>fr {i} <ph x=\"1\">&lt;br/&gt;</ph>fin</seg></tuv></tu>\n"
        ));
        b.push_str(&tu(&[
            ("en", &format!("{pad} {i} end")),
            ("de", &format!("de {i}")),
        ]));
    }
    let a = write(dir.path(), "a.tmx", &tmx("en", &a));
    let b = write(dir.path(), "b.tmx", &tmx("en", &b));
    let mem = dir.path().join("mem.tmx");
    let disk = dir.path().join("disk.tmx");
    let (code, _, err) = merge_cmd(&[&a, &b], &mem, &["--memory", "256"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("6000 written") && err.contains("0 duplicates"),
        "{err}"
    );
    let (code, _, err) = merge_cmd(&[&a, &b], &disk, &["--memory", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("temporary files"), "{err}");
    let (m, d) = (
        std::fs::read_to_string(&mem).unwrap(),
        std::fs::read_to_string(&disk).unwrap(),
    );
    assert!(m == d, "the merges differ");
    assert!(
        d.contains("<ph x=\"1\">&lt;br/&gt;</ph>fin</seg>"),
        "codes lost"
    );
    assert!(
        d.contains("<prop type=\"x-p\">v</prop>") && d.contains("changedate=\"20200101T000000Z\"")
    );
    assert_eq!(count(&d, "<note>n2999</note>"), 1);
}

/// Defect 12: a user message showed Rust debug text (`matches the language Lang("fr")`): the
/// SRX language-map error of `dragoman segment --srx`. Language tags are shown as `fr`.
#[test]
fn d12_messages_show_language_tags_not_debug_text() {
    let dir = tempfile::tempdir().unwrap();
    let srx = write(
        dir.path(),
        "en-only.srx",
        "<?xml version=\"1.0\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n\
         <header segmentsubflows=\"yes\" cascade=\"yes\"/>\n<body><languagerules>\
         <languagerule languagerulename=\"L\"><rule><beforebreak>\\.</beforebreak>\
         <afterbreak>\\s</afterbreak></rule></languagerule></languagerules>\
         <maprules><languagemap languagepattern=\"en.*\" languagerulename=\"L\"/></maprules>\
         </body></srx>\n",
    );
    let text = write(dir.path(), "t.txt", "Bonjour. Au revoir.\n");
    let mut c = bin();
    c.arg("segment")
        .arg(&text)
        .args(["--lang", "fr", "--srx"])
        .arg(&srx);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("matches the language fr;"), "{err}");
    assert!(!err.contains("Lang("), "{err}");
}

/// Defect 12, the others of its kind: values are quoted as written (a pattern's or a path's
/// backslashes are not doubled), in errors and in merge conflicts.
#[test]
fn d12_values_are_quoted_as_written() {
    let dir = tempfile::tempdir().unwrap();
    // A bad SRX pattern: shown with its single backslash.
    let srx = write(
        dir.path(),
        "bad.srx",
        "<?xml version=\"1.0\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n\
         <header segmentsubflows=\"yes\" cascade=\"yes\"/>\n<body><languagerules>\
         <languagerule languagerulename=\"L\"><rule><beforebreak>\\d(</beforebreak>\
         <afterbreak>\\s</afterbreak></rule></languagerule></languagerules>\
         <maprules><languagemap languagepattern=\".*\" languagerulename=\"L\"/></maprules>\
         </body></srx>\n",
    );
    let text = write(dir.path(), "t.txt", "a. b.\n");
    let mut c = bin();
    c.arg("segment")
        .arg(&text)
        .args(["--lang", "en", "--srx"])
        .arg(&srx);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pattern \"\\d(\""), "{err}");
    // A bad --langs value: quoted, its tab shown as an escape.
    let i = write(dir.path(), "x.csv", "en,fr\r\na,b\r\n");
    let (code, _, err) = convert(&["--langs", "en,fr_\tx"], &i, &dir.path().join("o.tmx"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("\"fr_\\tx\" is not a BCP 47 language tag"),
        "{err}"
    );
    // A merge conflict shows both texts as written.
    let a = write(dir.path(), "a.csv", "en,fr\r\nsay \\d,dis\r\n");
    let b = write(dir.path(), "b.csv", "en,fr\r\nsay \\d,dis \\d\r\n");
    let (code, _, err) = merge_cmd(&[&a, &b], &dir.path().join("m.csv"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("translates \"say \\d\" into fr as \"dis \\d\""),
        "{err}"
    );
}

/// Same class as defect 6: a segment that holds only an inline code (a lone placeholder) has
/// no plain text; TMX -> TMX dropped the variant (and so the unit) as empty.
#[test]
fn d6_codes_only_segment_is_kept_tmx_to_tmx() {
    let dir = tempfile::tempdir().unwrap();
    let ph = "<ph x=\"1\">&lt;br/&gt;</ph>";
    let tus = [
        tu(&[("en", ph), ("fr", ph)]),
        tu(&[("en", "Text"), ("fr", "Texte")]),
    ]
    .concat();
    let i = write(dir.path(), "ph.tmx", &tmx("en", &tus));
    let o = dir.path().join("out.tmx");
    let (code, _, err) = convert(&[], &i, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 units read, 2 written"), "{err}");
    let x = std::fs::read_to_string(&o).unwrap();
    assert_eq!(count(&x, &format!("<seg>{ph}</seg>")), 2, "{x}");
}

/// Same class as defect 13: a CSV starting with a BOM whose first column is `tuid`, cells
/// with line breaks, and a header naming one language twice (refused, not merged silently).
#[test]
fn d13_bom_tuid_header_line_breaks_and_duplicate_columns() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(
        dir.path(),
        "bom.csv",
        "\u{feff}tuid,en,fr\r\n7,\"two\r\nlines\",\"deux\nlignes\"\r\n8,b,c\r\n",
    );
    let o = dir.path().join("o.tmx");
    let (code, _, err) = convert(&[], &c, &o);
    assert_eq!(code, 0, "{err}");
    let x = std::fs::read_to_string(&o).unwrap();
    assert!(
        x.contains("<tu tuid=\"7\">") && x.contains("<tu tuid=\"8\">"),
        "{x}"
    );
    assert!(x.contains("<seg>deux\nlignes</seg>"), "{x}");
    // Back to CSV with the id: the line breaks stay inside quoted cells.
    let back = dir.path().join("back.csv");
    let (code, _, err) = convert(&["--columns", "tuid"], &o, &back);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&back).unwrap();
    assert!(csv.contains("\"deux\nlignes\",7\r\n"), "{csv}");
    let dup = write(dir.path(), "dup.csv", "en,fr,FR\r\na,b,c\r\n");
    let (code, _, err) = convert(&[], &dup, &o);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("dup.csv:1:7: language fr appears twice"),
        "{err}"
    );
}

/// Same class as defect 8: a unit met twice keeps its newest `changedate` (and `changeid`).
#[test]
fn d8_merge_keeps_the_newest_changedate() {
    let dir = tempfile::tempdir().unwrap();
    let unit = |date: &str, who: &str| {
        tmx(
            "en",
            &format!(
                "<tu tuid=\"1\" changedate=\"{date}\" changeid=\"{who}\"><tuv xml:lang=\"en\"><seg>a</seg></tuv>\
                 <tuv xml:lang=\"fr\"><seg>b</seg></tuv></tu>\n"
            ),
        )
    };
    let old = write(dir.path(), "old.tmx", &unit("20200101T000000Z", "ann"));
    let new = write(dir.path(), "new.tmx", &unit("20240101T000000Z", "bob"));
    let o = dir.path().join("m.tmx");
    for inputs in [[&old, &new], [&new, &old]] {
        let (code, _, err) = merge_cmd(&[inputs[0], inputs[1]], &o, &[]);
        assert_eq!(code, 0, "{err}");
        let x = std::fs::read_to_string(&o).unwrap();
        assert!(
            x.contains("changedate=\"20240101T000000Z\"") && x.contains("changeid=\"bob\""),
            "{x}"
        );
        assert!(!x.contains("ann"), "{x}");
    }
}

/// Same class as defect 6 (and 7, on the writer's side): a unit with a `srclang` of its own
/// (TMX 1.4b section 3.3, the Compliance Kit's ImportTest1J/1K shape) that lacks the header's
/// source language is kept TMX -> TMX, with its srclang; `--complete` still leaves it out.
#[test]
fn d6_unit_with_its_own_srclang_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let tus = format!(
        "{}<tu srclang=\"fr\"><tuv xml:lang=\"fr\"><seg>Bonjour</seg></tuv>\
         <tuv xml:lang=\"de\"><seg>Hallo</seg></tuv></tu>\n{}",
        tu(&[("en", "one"), ("fr", "un"), ("de", "eins")]),
        tu(&[("en", "two"), ("de", "zwei")])
    );
    let i = write(dir.path(), "own.tmx", &tmx("en", &tus));
    let o = dir.path().join("out.tmx");
    let (code, _, err) = convert(&[], &i, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 units read, 3 written"), "{err}");
    let x = std::fs::read_to_string(&o).unwrap();
    assert!(x.contains("<tu srclang=\"fr\">"), "{x}");
    assert!(x.contains("<seg>Hallo</seg>"), "{x}");
    let (code, _, err) = convert(&["--complete"], &i, &o);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 units read, 1 written"), "{err}");
}

/// Same class as defect 8: a unit dropped as a duplicate of an earlier one lost its notes and
/// props (unit and `<tuv>` level); they now join the kept unit's.
#[test]
fn d8_duplicate_units_give_their_notes_and_props_to_the_kept_one() {
    let dir = tempfile::tempdir().unwrap();
    let one = |note: &str, prop: &str| {
        tmx(
            "en",
            &format!(
                "<tu><note>{note}</note><tuv xml:lang=\"en\"><seg>a</seg></tuv>\
                 <tuv xml:lang=\"fr\"><prop type=\"x-origin\">{prop}</prop><seg>b</seg></tuv></tu>\n"
            ),
        )
    };
    let a = write(dir.path(), "a.tmx", &one("from a", "MT"));
    let b = write(dir.path(), "b.tmx", &one("from b", "human"));
    let o = dir.path().join("m.tmx");
    let (code, _, err) = merge_cmd(&[&a, &b], &o, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 written") && err.contains("1 duplicates"),
        "{err}"
    );
    let x = std::fs::read_to_string(&o).unwrap();
    for want in [
        "<note>from a</note>",
        "<note>from b</note>",
        ">MT</prop>",
        ">human</prop>",
    ] {
        assert!(x.contains(want), "{want}: {x}");
    }
}

/// Same class as defect 6: merging into CSV, a language first met after the first units
/// (about 1 MiB of a TMX) has no column: the user is told, rather than losing it silently.
#[test]
fn d6_merge_names_a_late_language_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let pad = "p".repeat(120);
    let mut tus = String::new();
    for i in 0..7000 {
        tus.push_str(&tu(&[("en", &format!("{pad} {i}")), ("fr", "f")]));
    }
    tus.push_str(&tu(&[("en", "late"), ("de", "spät")]));
    let i = write(dir.path(), "late.tmx", &tmx("en", &tus));
    assert!(std::fs::metadata(&i).unwrap().len() > 1 << 20);
    let o = dir.path().join("m.csv");
    let (code, _, err) = merge_cmd(&[&i], &o, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: de first appear(s) after the first units"),
        "{err}"
    );
    // A TMX keeps it.
    let t = dir.path().join("m.tmx");
    let (code, _, err) = merge_cmd(&[&i], &t, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("(en,fr,de)"), "{err}");
    assert!(std::fs::read_to_string(&t)
        .unwrap()
        .contains("<seg>spät</seg>"));
}

/// CSV options that would be ignored are refused, not silently dropped.
#[test]
fn d14_csv_options_for_other_formats_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let i = write(dir.path(), "m.tmx", &tmx_with_metadata());
    let (code, _, err) = convert(&["--columns", "tuid"], &i, &dir.path().join("o.tmx"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--columns: only for CSV/TSV output"), "{err}");
    let (code, _, err) = convert(
        &["--no-header", "--langs", "en,fr"],
        &i,
        &dir.path().join("o.csv"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("only for CSV/TSV input"), "{err}");
}
