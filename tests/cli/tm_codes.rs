//! Inline-code transfer through `dragoman tm lookup`: a query that differs from a TM source
//! only in its codes gets the TM translation with the query's codes (issue 10, item 3).

use crate::util::{dragoman, fails, ok};

/// An English -> French TMX with a placeholder unit and a paired-code unit.
const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" adminlang="en" creationtool="t" creationtoolversion="1"
 segtype="sentence" o-tmf="t" datatype="html"/><body>
<tu tuid="ph"><tuv xml:lang="en"><seg>Click <ph x="1">&lt;img src="save.png"/&gt;</ph> to save the file.</seg></tuv>
<tuv xml:lang="fr"><seg>Cliquez sur <ph x="1">&lt;img src="save.png"/&gt;</ph> pour enregistrer le fichier.</seg></tuv></tu>
<tu tuid="pair"><tuv xml:lang="en"><seg>Read <bpt i="1" x="1">&lt;a href="old.html"&gt;</bpt>the user guide<ept i="1">&lt;/a&gt;</ept> first.</seg></tuv>
<tuv xml:lang="fr"><seg>Lisez d'abord <bpt i="1" x="1">&lt;a href="old.html"&gt;</bpt>le guide de l'utilisateur<ept i="1">&lt;/a&gt;</ept>.</seg></tuv></tu>
</body></tmx>
"#;

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("codes.tmx");
    std::fs::write(&p, TMX).unwrap();
    let s = p.display().to_string();
    (dir, s)
}

fn lookup(tm: &str, extra: &[&str], query: &str) -> String {
    let mut c = dragoman();
    c.args(["tm", "lookup", tm, "-s", "en", "-t", "fr"])
        .args(extra)
        .arg(query);
    ok(c)
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s.lines().next().expect("a line")).expect("JSON")
}

/// The best match of a TMX-form query, from `--format jsonl`.
fn tmx_match(tm: &str, q: &str) -> serde_json::Value {
    let v = json(&lookup(
        tm,
        &["--query-format", "tmx", "--format", "jsonl"],
        q,
    ));
    v["matches"][0].clone()
}

#[test]
fn a_tmx_query_with_another_placeholder_gets_it_in_the_translation() {
    let (_d, tm) = setup();
    let q = r#"Click <ph x="4">&lt;img src="open.png"/&gt;</ph> to save the file."#;
    let out = lookup(&tm, &["--query-format", "tmx"], q);
    // The codes differ: 99%, not 100.
    assert!(out.starts_with(" 99%  ph\n"), "{out}");
    assert!(
        out.contains(r#"  adjusted  Cliquez sur <ph x="4">&lt;img src="open.png"/&gt;</ph> pour enregistrer le fichier."#),
        "{out}"
    );
    let m = &tmx_match(&tm, q);
    assert_eq!(m["percent"], 99);
    assert_eq!(m["score"]["penalties"]["codes"], 1);
    assert_eq!(m["suggestion"]["adjusted"], true);
    assert_eq!(m["suggestion"]["text"], m["target"]);
    assert!(m["suggestion"]["markup"]
        .as_str()
        .unwrap()
        .contains("open.png"));
    assert_eq!(
        m["suggestion"]["codes"][0]["to"],
        r#"<ph x="4">&lt;img src="open.png"/&gt;</ph>"#
    );
    // The same codes: 100%, nothing adjusted.
    let same = r#"Click <ph x="1">&lt;img src="save.png"/&gt;</ph> to save the file."#;
    let m = tmx_match(&tm, same);
    assert_eq!(m["percent"], 100);
    assert!(m.get("suggestion").is_none());
}

#[test]
fn an_xliff_query_with_g_maps_onto_the_targets_pair() {
    let (_d, tm) = setup();
    let q = r#"Read <g id="9">the user guide</g> first."#;
    let v = json(&lookup(
        &tm,
        &["--query-format", "xliff", "--format", "jsonl"],
        q,
    ));
    let m = &v["matches"][0];
    assert_eq!(m["id"], "pair");
    assert_eq!(m["percent"], 99, "{m}");
    let markup = m["suggestion"]["markup"].as_str().unwrap();
    assert!(markup.starts_with("Lisez d'abord <bpt "), "{markup}");
    assert!(
        markup.contains(r#"x="9""#) && !markup.contains("old.html"),
        "{markup}"
    );
    assert!(
        markup.ends_with("le guide de l'utilisateur<ept i=\"1\"/>."),
        "{markup}"
    );
}

#[test]
fn typed_codes_in_a_plain_query_are_put_into_a_plain_translation() {
    let (_d, tm) = setup();
    let out = lookup(
        &tm,
        &[],
        r#"Read <a href="new.html">the user guide</a> first."#,
    );
    assert!(out.starts_with(" 99%  pair\n"), "{out}");
    assert!(
        out.contains(
            r#"  adjusted  Lisez d'abord <a href="new.html">le guide de l'utilisateur</a>."#
        ),
        "{out}"
    );
}

#[test]
fn another_code_count_keeps_the_penalty_and_adjusts_nothing() {
    let (_d, tm) = setup();
    let q = r#"Click <ph x="1">&lt;img/&gt;</ph><ph x="2">&lt;br/&gt;</ph> to save the file."#;
    let m = &tmx_match(&tm, q);
    assert_eq!(m["percent"], 99);
    assert_eq!(m["score"]["penalties"]["codes"], 1);
    assert!(m.get("suggestion").is_none(), "{m}");
}

#[test]
fn a_malformed_tmx_query_is_an_error() {
    let (_d, tm) = setup();
    let mut c = dragoman();
    c.args([
        "tm",
        "lookup",
        &tm,
        "-s",
        "en",
        "-t",
        "fr",
        "--query-format",
        "tmx",
    ])
    .arg("Click <ph x=\"1\">unclosed to save");
    let err = fails(c);
    assert!(err.contains("the query"), "{err}");
}
