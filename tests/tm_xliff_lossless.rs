//! Issue 9, the XLIFF part: alt-trans is never the translation unless asked (d1), targets
//! kept when the file declares no target language (d2), inline codes mapped to TMX and back
//! (d3), `xml:space` followed the same way for every output (d11), and the same class of
//! fault elsewhere (notes, namespaces, several `<file>`s). Every file is written here, from the
//! XLIFF 1.2 and 2.0 specifications and from what OmegaT, Okapi and Trados write.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dragoman"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `dragoman convert IN OUT ARGS...`: the output.
fn convert(input: &Path, output: &Path, args: &[&str]) -> Output {
    bin()
        .arg("convert")
        .arg(input)
        .arg(output)
        .args(args)
        .output()
        .unwrap()
}

/// Converts and asserts success: stderr.
fn ok(input: &Path, output: &Path, args: &[&str]) -> String {
    let o = convert(input, output, args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{}: {err}", input.display());
    err
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// TSV rows, header first.
fn rows(p: &Path) -> Vec<Vec<String>> {
    read(p)
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The `<seg>` contents of a TMX, in order.
fn segs(tmx: &str) -> Vec<String> {
    tmx.split("<seg>")
        .skip(1)
        .map(|s| s[..s.find("</seg>").unwrap()].to_string())
        .collect()
}

fn xmllint_ok(args: &[&str], file: &Path) -> Option<bool> {
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/formats");
    if !formats.exists() || Command::new("xmllint").arg("--version").output().is_err() {
        return None;
    }
    let mut c = Command::new("xmllint");
    c.env("XML_CATALOG_FILES", formats.join("catalog.xml"));
    for a in args {
        c.arg(a.replace("{formats}", formats.to_str().unwrap()));
    }
    let o = c.arg(file).output().unwrap();
    if !o.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&o.stderr));
    }
    Some(o.status.success())
}

/// Valid against the XLIFF 1.2 transitional schema (when xmllint and the schemas are there).
fn assert_xliff12_valid(file: &Path) {
    let args = [
        "--catalogs",
        "--nonet",
        "--noout",
        "--schema",
        "{formats}/xliff-core-1.2-transitional.xsd",
    ];
    if let Some(v) = xmllint_ok(&args, file) {
        assert!(
            v,
            "{} is not valid XLIFF 1.2:\n{}",
            file.display(),
            read(file)
        );
    }
}

fn assert_tmx_valid(file: &Path) {
    let args = ["--nonet", "--noout", "--dtdvalid", "{formats}/tmx14.dtd"];
    if let Some(v) = xmllint_ok(&args, file) {
        assert!(v, "{} is not valid TMX:\n{}", file.display(), read(file));
    }
}

const ALT_TRANS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui.properties" source-language="en" target-language="de" datatype="javapropertyresourcebundle">
    <body>
      <trans-unit id="fuzzy">
        <source>Open the file</source>
        <alt-trans match-quality="55" origin="tm">
          <source>Open the folder</source>
          <target>Den Ordner öffnen</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="empty">
        <source>Close the file</source>
        <target state="needs-translation"></target>
        <alt-trans match-quality="55">
          <source>Close the window</source>
          <target>Das Fenster schließen</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="exact">
        <source>Save</source>
        <target state="needs-translation">Save</target>
        <alt-trans match-quality="100" origin="dragoman">
          <target>Speichern</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="same-source">
        <source>Print</source>
        <alt-trans match-quality="100%">
          <source>Print</source>
          <target>Drucken</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="rejected">
        <source>Quit</source>
        <alt-trans alttranstype="rejected">
          <target>Verlassen</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="own">
        <source>Help</source>
        <target state="translated">Hilfe</target>
        <alt-trans match-quality="100"><target>WRONG</target></alt-trans>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;

#[test]
fn d1_alt_trans_for_another_source_is_not_the_translation() {
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "ui.xlf", ALT_TRANS);
    let out = dir.path().join("ui.tsv");
    let err = ok(&x, &out, &[]);
    let got = rows(&out);
    assert_eq!(got[0], ["en", "de"]);
    let tr: Vec<(&str, &str)> = got[1..]
        .iter()
        .map(|r| (r[0].as_str(), r.get(1).map_or("", String::as_str)))
        .collect();
    assert_eq!(
        tr,
        [
            ("Open the file", ""),
            ("Close the file", ""),
            ("Save", ""),
            ("Print", ""),
            ("Quit", ""),
            ("Help", "Hilfe"),
        ]
    );
    assert!(err.contains("5 units without a translation"), "{err}");
    assert!(err.contains("--alt-trans exact"), "{err}");

    // Asked for: exact ones only (no source of their own or the unit's, quality 100).
    let err = ok(&x, &out, &["--alt-trans", "exact"]);
    let got = rows(&out);
    let tr: Vec<&str> = got[1..]
        .iter()
        .map(|r| r.get(1).map_or("", String::as_str))
        .collect();
    assert_eq!(tr, ["", "", "Speichern", "Drucken", "", "Hilfe"]);
    assert!(err.contains("3 units without a translation"), "{err}");
    assert!(
        err.contains("they are fuzzy, or for another source"),
        "{err}"
    );

    // To TMX: the units without a translation are not written as translated.
    let tmx = dir.path().join("ui.tmx");
    ok(&x, &tmx, &[]);
    let t = read(&tmx);
    assert!(!t.contains("Ordner") && !t.contains("Fenster"), "{t}");
}

#[test]
fn d1_segment_level_alt_trans_in_seg_source() {
    let x = r#"<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="p.html" source-language="en" target-language="fr" datatype="html">
    <body>
      <trans-unit id="p1">
        <source>One. Two.</source>
        <seg-source><mrk mtype="seg" mid="1">One.</mrk> <mrk mtype="seg" mid="2">Two.</mrk></seg-source>
        <target><mrk mtype="seg" mid="1">Un.</mrk></target>
        <alt-trans mid="2" match-quality="60">
          <source>Too.</source>
          <target>Aussi.</target>
        </alt-trans>
        <alt-trans mid="2" match-quality="100">
          <target>Deux.</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="p2">
        <source>Three. Four.</source>
        <seg-source><mrk mtype="seg" mid="a">Three.</mrk> <mrk mtype="seg" mid="b">Four.</mrk></seg-source>
        <alt-trans match-quality="100"><target>Trois. Quatre.</target></alt-trans>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "p.xlf", x);
    let out = dir.path().join("p.tmx");
    let err = ok(&x, &out, &["--keep-partial"]);
    let t = read(&out);
    assert!(t.contains(r#"<tu tuid="p1_1">"#), "{t}");
    assert_eq!(segs(&t), ["One.", "Un."]);
    assert!(!t.contains("Aussi") && !t.contains("Deux"), "{t}");
    // p1 (segment 2) and p2 (a whole-unit suggestion for two segments).
    assert!(err.contains("2 units without a translation"), "{err}");
    let csv = dir.path().join("p.tsv");
    ok(&x, &csv, &["--alt-trans", "exact"]);
    let r = rows(&csv);
    assert_eq!(r[1], ["One.", "Un."]);
    assert_eq!(r[2], ["Two.", "Deux."]);
    assert_eq!(r[3], ["Three.", ""]);
    assert_eq!(r[4], ["Four.", ""]);
}

const NO_TARGET_LANG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="m.txt" source-language="en" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>Hello</source><target>Bonjour</target></trans-unit>
      <trans-unit id="2"><source>Bye</source><target>Au revoir</target></trans-unit>
    </body>
  </file>
</xliff>
"#;

#[test]
fn d2_no_target_language_keeps_the_targets() {
    let dir = tempfile::tempdir().unwrap();
    // No language anywhere: an error that says which option to give, no output.
    let x = write(dir.path(), "messages.xlf", NO_TARGET_LANG);
    let out = dir.path().join("m.tsv");
    let o = convert(&x, &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--target-lang"), "{err}");
    assert!(err.contains("messages.xlf:5:"), "{err}");
    assert!(!out.exists());

    // --target-lang, or the second of --langs.
    for args in [&["--target-lang", "fr"][..], &["--langs", "en,fr"]] {
        ok(&x, &out, args);
        assert_eq!(
            rows(&out)[1..],
            [["Hello", "Bonjour"], ["Bye", "Au revoir"]]
        );
        assert_eq!(rows(&out)[0], ["en", "fr"]);
    }

    // The file name, with a warning.
    for name in ["messages.fr.xlf", "messages_fr.xlf", "job.en-fr.xlf"] {
        let x = write(dir.path(), name, NO_TARGET_LANG);
        let err = ok(&x, &out, &[]);
        assert_eq!(rows(&out)[0], ["en", "fr"], "{name}");
        assert_eq!(rows(&out)[1], ["Hello", "Bonjour"], "{name}");
        assert!(err.contains("from the file name"), "{name}: {err}");
    }

    // The target's own xml:lang.
    let x = write(
        dir.path(),
        "own.xlf",
        &NO_TARGET_LANG.replace("<target>", "<target xml:lang=\"fr-CA\">"),
    );
    let tmx = dir.path().join("own.tmx");
    ok(&x, &tmx, &[]);
    let t = read(&tmx);
    assert!(
        t.contains(r#"<tuv xml:lang="fr-CA"><seg>Bonjour</seg>"#),
        "{t}"
    );

    // XLIFF 2 without trgLang: the same.
    let x2 = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
  <file id="f"><unit id="u"><segment><source>Hello</source><target>Hallo</target></segment></unit></file>
</xliff>"#;
    let x = write(dir.path(), "two.xlf", x2);
    let o = convert(&x, &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("trgLang") && err.contains("--target-lang"),
        "{err}"
    );
    ok(&x, &out, &["--target-lang", "de"]);
    assert_eq!(rows(&out), [["en", "de"], ["Hello", "Hallo"]]);
    // stats and merge take the option too.
    let o = bin().arg("stats").arg(&x).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin()
        .args(["stats", "--json", "--target-lang", "de"])
        .arg(&x)
        .output()
        .unwrap();
    let j = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && j.contains("\"de\""), "{j}");
    let m = dir.path().join("m.tmx");
    let o = bin()
        .args(["merge", "-q", "--target-lang", "de"])
        .arg(&x)
        .arg("-o")
        .arg(&m)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(segs(&read(&m)), ["Hello", "Hallo"]);
}

const CODES_12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a.html" source-language="en" target-language="fr" datatype="html">
    <body>
      <trans-unit id="1">
        <source>Press <g id="1" ctype="bold">Save</g> now<ph id="2" ctype="lb">&lt;br/&gt;</ph>or <x id="3"/> quit <bpt id="4">&lt;a href="x"&gt;</bpt>here<ept id="4">&lt;/a&gt;</ept>.</source>
        <target>Appuyez sur <g id="1" ctype="bold">Enregistrer</g> maintenant<ph id="2" ctype="lb">&lt;br/&gt;</ph>ou <x id="3"/> quittez <bpt id="4">&lt;a href="x"&gt;</bpt>ici<ept id="4">&lt;/a&gt;</ept>.</target>
      </trans-unit>
      <trans-unit id="2">
        <source>The <mrk mtype="term">cat</mrk> has <ph id="1">%d</ph> lives <it id="2" pos="open">&lt;b&gt;</it>bold</source>
        <target>Le <mrk mtype="term">chat</mrk> a <ph id="1">%d</ph> vies <it id="2" pos="open">&lt;b&gt;</it>gras</target>
      </trans-unit>
      <trans-unit id="3">
        <source>Footnote<ph id="1">&lt;fn text="<sub>See page 2</sub>"/&gt;</ph> and <bx id="5"/>split<ex id="5"/> and <bx id="6" ctype="italic"/>open</source>
        <target>Note<ph id="1">&lt;fn text="<sub>Voir page 2</sub>"/&gt;</ph> et <bx id="5"/>coupé<ex id="5"/> et <bx id="6" ctype="italic"/>ouvert</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;

#[test]
fn d3_xliff_12_inline_codes_become_tmx_inline_elements() {
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "codes.xlf", CODES_12);
    let tmx = dir.path().join("codes.tmx");
    ok(&x, &tmx, &[]);
    assert_tmx_valid(&tmx);
    let s = segs(&read(&tmx));
    assert_eq!(
        s[0],
        r#"Press <bpt i="1" x="1" type="bold"/>Save<ept i="1"/> now<ph x="2" type="lb">&lt;br/&gt;</ph>or <ph x="3"/> quit <bpt i="2" x="4">&lt;a href="x"&gt;</bpt>here<ept i="2">&lt;/a&gt;</ept>."#
    );
    assert_eq!(
        s[1],
        r#"Appuyez sur <bpt i="1" x="1" type="bold"/>Enregistrer<ept i="1"/> maintenant<ph x="2" type="lb">&lt;br/&gt;</ph>ou <ph x="3"/> quittez <bpt i="2" x="4">&lt;a href="x"&gt;</bpt>ici<ept i="2">&lt;/a&gt;</ept>."#
    );
    assert_eq!(
        s[2],
        r#"The <hi type="term">cat</hi> has <ph x="1">%d</ph> lives <it pos="begin" x="2">&lt;b&gt;</it>bold"#
    );
    assert_eq!(
        s[4],
        r#"Footnote<ph x="1">&lt;fn text="<sub>See page 2</sub>"/&gt;</ph> and <bpt i="1" x="5"/>split<ept i="1"/> and <it pos="begin" x="6" type="italic"/>open"#
    );
    // Plain text (TSV) keeps the codes' native text by default (defect 4)...
    let tsv = dir.path().join("codes.tsv");
    ok(&x, &tsv, &[]);
    let r = rows(&tsv);
    // (a TSV cell holding a quote is quoted, its quotes doubled)
    assert_eq!(
        r[1][0],
        r#""Press Save now<br/>or  quit <a href=""x"">here</a>.""#
    );
    assert_eq!(r[2][0], "The cat has %d lives <b>bold");
    // ... and with --codes strip has no code content and no word glued to another.
    let tsv = dir.path().join("codes-strip.tsv");
    ok(&x, &tsv, &["--codes", "strip"]);
    let r = rows(&tsv);
    assert_eq!(r[1][0], "Press Save now or  quit here.");
    assert_eq!(r[2][0], "The cat has  lives bold");
}

#[test]
fn d3_xliff_tmx_xliff_round_trip_keeps_the_codes() {
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "codes.xlf", CODES_12);
    let tmx = dir.path().join("a.tmx");
    ok(&x, &tmx, &[]);
    let job = dir.path().join("job.xlf");
    ok(&tmx, &job, &[]);
    assert_xliff12_valid(&job);
    let j = read(&job);
    // The XLIFF 1.2 elements come back, in the source, its copy in the target, and the
    // translation in the alt-trans.
    let src1 = r#"Press <g id="1" ctype="bold">Save</g> now<ph id="2" ctype="lb">&lt;br/&gt;</ph>or <x id="3"/> quit <bpt id="4">&lt;a href="x"&gt;</bpt>here<ept id="4">&lt;/a&gt;</ept>."#;
    assert_eq!(j.matches(src1).count(), 2, "{j}");
    assert!(
        j.contains(r#"Appuyez sur <g id="1" ctype="bold">Enregistrer</g>"#),
        "{j}"
    );
    assert!(
        j.contains(r#"The <mrk mtype="term">cat</mrk> has <ph id="1">%d</ph> lives <it id="2" pos="open">&lt;b&gt;</it>bold"#),
        "{j}"
    );
    assert!(
        j.contains(r#"Footnote<ph id="1">&lt;fn text="<sub>See page 2</sub>"/&gt;</ph> and <g id="5">split</g> and <bx id="6" ctype="italic"/>open"#),
        "{j}"
    );
    // And back to TMX: the same segments.
    let back = dir.path().join("back.tmx");
    ok(&job, &back, &["--alt-trans", "exact"]);
    assert_eq!(segs(&read(&back)), segs(&read(&tmx)));
}

#[test]
fn d3_tmx_xliff_tmx_round_trip_keeps_the_codes() {
    let tmx = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" datatype="html" segtype="sentence" o-tmf="t" adminlang="en" srclang="en"/>
  <body>
    <tu tuid="a">
      <tuv xml:lang="en"><seg>Click <bpt i="1" x="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> to print <ph x="2" type="x-var">%s</ph> <hi type="x-tm">files</hi><it pos="end" x="3">&lt;/i&gt;</it></seg></tuv>
      <tuv xml:lang="fr"><seg>Cliquez sur <bpt i="1" x="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> pour imprimer <ph x="2" type="x-var">%s</ph> <hi type="x-tm">fichiers</hi><it pos="end" x="3">&lt;/i&gt;</it></seg></tuv>
    </tu>
    <tu tuid="b">
      <tuv xml:lang="en"><seg>A <ph>&lt;img/&gt;</ph> and <hi>bold</hi> <bpt i="7"/>x<ept i="7"/></seg></tuv>
      <tuv xml:lang="fr"><seg>Une <ph>&lt;img/&gt;</ph> et <hi>gras</hi> <bpt i="7"/>x<ept i="7"/></seg></tuv>
    </tu>
  </body>
</tmx>
"#;
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "in.tmx", tmx);
    let job = dir.path().join("job.xlf");
    ok(&t, &job, &[]);
    assert_xliff12_valid(&job);
    let j = read(&job);
    assert!(
        j.contains(r#"Click <bpt id="1">&lt;b&gt;</bpt>OK<ept id="1">&lt;/b&gt;</ept> to print <ph id="2" ctype="x-var">%s</ph> <mrk mtype="x-tm">files</mrk><it id="3" pos="close">&lt;/i&gt;</it>"#),
        "{j}"
    );
    let back = dir.path().join("back.tmx");
    ok(&job, &back, &["--alt-trans", "exact"]);
    assert_tmx_valid(&back);
    let b = segs(&read(&back));
    assert_eq!(b[..2], segs(tmx)[..2]);
    // Codes without ids get ones on the way (XLIFF requires them); the rest is kept.
    assert_eq!(
        b[2],
        r#"A <ph x="1">&lt;img/&gt;</ph> and <hi>bold</hi> <bpt i="1" x="7"/>x<ept i="1"/>"#
    );
}

#[test]
fn d3_xliff_2_inline_codes_become_tmx_inline_elements() {
    let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
  <file id="f1">
    <unit id="u1">
      <originalData>
        <data id="d1">&lt;b&gt;</data>
        <data id="d2">&lt;/b&gt;</data>
        <data id="d3">&lt;br/&gt;</data>
      </originalData>
      <segment state="translated">
        <source><pc id="1" dataRefStart="d1" dataRefEnd="d2">Bold</pc> text<ph id="2" dataRef="d3"/>next <sc id="3" dataRef="d1"/>open<ec startRef="3" dataRef="d2"/> <sc id="4" dataRef="d1"/>dangling <mrk id="m1" type="term">term</mrk><cp hex="00E9"/></source>
        <target><pc id="1" dataRefStart="d1" dataRefEnd="d2">Fett</pc> Text<ph id="2" dataRef="d3"/>weiter <sc id="3" dataRef="d1"/>offen<ec startRef="3" dataRef="d2"/> <sc id="4" dataRef="d1"/>hängend <mrk id="m1" type="term">Begriff</mrk><cp hex="00E9"/></target>
      </segment>
    </unit>
  </file>
</xliff>
"#;
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "two.xlf", x);
    let tmx = dir.path().join("two.tmx");
    ok(&x, &tmx, &[]);
    assert_tmx_valid(&tmx);
    let s = segs(&read(&tmx));
    assert_eq!(
        s[0],
        r#"<bpt i="1" x="1">&lt;b&gt;</bpt>Bold<ept i="1">&lt;/b&gt;</ept> text<ph x="2">&lt;br/&gt;</ph>next <bpt i="2" x="3">&lt;b&gt;</bpt>open<ept i="2">&lt;/b&gt;</ept> <it pos="begin" x="4">&lt;b&gt;</it>dangling <hi type="term" x="m1">term</hi>é"#
    );
    assert!(
        s[1].starts_with(r#"<bpt i="1" x="1">&lt;b&gt;</bpt>Fett<ept i="1">"#),
        "{}",
        s[1]
    );
    let job = dir.path().join("job.xlf");
    ok(&tmx, &job, &[]);
    assert_xliff12_valid(&job);
}

#[test]
fn d11_xml_space_gives_the_same_text_in_csv_and_tmx() {
    let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="fr">
  <file id="f">
    <unit id="pretty">
      <segment>
        <source>
          Hello,
          world
        </source>
        <target>
          Bonjour,
          le monde
        </target>
      </segment>
    </unit>
    <unit id="kept" xml:space="preserve">
      <segment>
        <source>Two  spaces	and a tab</source>
        <target>Deux  espaces	et une tabulation</target>
      </segment>
    </unit>
    <unit id="inner">
      <segment>
        <source xml:space="preserve">a  b</source>
        <target>c    d</target>
      </segment>
    </unit>
  </file>
</xliff>
"#;
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "ws.xlf", x);
    let tsv = dir.path().join("ws.tsv");
    let tmx = dir.path().join("ws.tmx");
    ok(&x, &tsv, &[]);
    ok(&x, &tmx, &[]);
    let r = rows(&tsv);
    // Tabs in TSV cells are quoted: compare on the TMX side's text.
    let s = segs(&read(&tmx));
    assert_eq!(s[0], "Hello, world");
    assert_eq!(s[1], "Bonjour, le monde");
    assert_eq!(r[1], ["Hello, world", "Bonjour, le monde"]);
    assert_eq!(s[2], "Two  spaces\tand a tab");
    assert_eq!(s[4], "a  b");
    assert_eq!(s[5], "c d");
    assert_eq!(r[3], ["a  b", "c d"]);
}

#[test]
fn d3_xliff_notes_languages_and_namespaces_are_kept() {
    let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<xlf:xliff version="1.2" xmlns:xlf="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0">
  <xlf:file original="a" source-language="en-US" target-language="fr-FR" datatype="plaintext">
    <xlf:header><sdl:seg-defs><sdl:source>NOT A UNIT</sdl:source></sdl:seg-defs></xlf:header>
    <xlf:body>
      <xlf:group id="g1">
        <xlf:group id="g2">
          <xlf:trans-unit id="1" sdl:x="y">
            <xlf:source>Yes</xlf:source>
            <xlf:target>Oui</xlf:target>
            <xlf:note xml:lang="fr">Réponse</xlf:note>
            <xlf:note annotates="source">About the source</xlf:note>
            <sdl:ext><xlf:target>WRONG</xlf:target></sdl:ext>
          </xlf:trans-unit>
        </xlf:group>
      </xlf:group>
    </xlf:body>
  </xlf:file>
  <xlf:file original="b" source-language="en-US" target-language="de-DE" datatype="plaintext">
    <xlf:body>
      <xlf:trans-unit id="2"><xlf:source>No</xlf:source><xlf:target>Nein</xlf:target></xlf:trans-unit>
    </xlf:body>
  </xlf:file>
</xlf:xliff>
"#;
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "ns.xlf", x);
    let tmx = dir.path().join("ns.tmx");
    ok(&x, &tmx, &["--keep-partial"]);
    assert_tmx_valid(&tmx);
    let t = read(&tmx);
    assert!(!t.contains("WRONG") && !t.contains("NOT A UNIT"), "{t}");
    assert!(t.contains(r#"<note xml:lang="fr">Réponse</note>"#), "{t}");
    assert!(t.contains("About the source"), "{t}");
    assert_eq!(segs(&t)[..2], ["Yes", "Oui"]);
    // The second <file> is in another pair: its German is not taken as French.
    let tsv = dir.path().join("ns.tsv");
    ok(&x, &tsv, &[]);
    let r = rows(&tsv);
    assert_eq!(r[0], ["en-US", "fr-FR", "de-DE"]);
    assert_eq!(r[1], ["Yes", "Oui", ""]);
    assert_eq!(r[2], ["No", "", "Nein"]);
}

#[test]
fn xliff_state_approved_and_translate_no_are_kept_as_props() {
    let x = r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a" source-language="en" target-language="fr" datatype="plaintext"><body>
<trans-unit id="1" approved="yes"><source>A</source><target state="final">B</target></trans-unit>
<trans-unit id="2" translate="no"><source>ACME</source><target>ACME</target></trans-unit>
<trans-unit id="3"><source>C</source><target state="needs-translation">C</target></trans-unit>
</body></file></xliff>
"#;
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "st.xlf", x);
    let tmx = dir.path().join("st.tmx");
    ok(&x, &tmx, &[]);
    let t = read(&tmx);
    assert!(
        t.contains(
            "<prop type=\"x-state\">final</prop>\n      <prop type=\"x-approved\">yes</prop>"
        ),
        "{t}"
    );
    assert!(t.contains("<prop type=\"x-translate\">no</prop>"), "{t}");
    // A source copy marked needs-translation is not a translation (nor its state a prop).
    assert!(
        !t.contains("needs-translation") && !t.contains("tuid=\"3\""),
        "{t}"
    );
}
