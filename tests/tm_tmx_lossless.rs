//! Issue 9, the TMX reader's part: end-of-line normalisation (defect 5), declared encodings
//! (9), plain-text outputs keeping inline codes (4), `<tu srclang>` (7) and TMX -> TMX metadata
//! (10), driven through the CLI on small files written here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dragoman"));
    c.env_remove("SOURCE_DATE_EPOCH")
        .env("SOURCE_DATE_EPOCH", "0");
    c
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut c = bin();
    for a in args {
        c.arg(a);
    }
    c.output().expect("run dragoman")
}

/// Runs and asserts success: (stdout, stderr).
fn ok(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (String, String) {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{:?}: {err}", o.status.code());
    (String::from_utf8(o.stdout).expect("UTF-8 stdout"), err)
}

/// Runs and asserts exit 2: stderr.
fn fails(args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read(p: &Path) -> String {
    String::from_utf8(std::fs::read(p).unwrap()).unwrap()
}

const HEADER: &str = r#"<header srclang="en" adminlang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" datatype="plaintext"/>"#;

/// A TMX of `units` (raw `<tu>` XML) with the usual header.
fn tmx(units: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n{HEADER}\n<body>\n{units}\n</body>\n</tmx>\n")
}

fn tu(en: &str, fr: &str) -> String {
    format!("<tu>\n  <tuv xml:lang=\"en\"><seg>{en}</seg></tuv>\n  <tuv xml:lang=\"fr\"><seg>{fr}</seg></tuv>\n</tu>")
}

// ---------------------------------------------------------------------------------------
// Defect 5: XML end-of-line normalisation.

fn crlf(s: &str) -> String {
    s.replace('\n', "\r\n")
}

#[test]
fn d5_crlf_tmx_gives_the_units_of_its_lf_copy() {
    let dir = tempfile::tempdir().unwrap();
    let lf = tmx(&[tu("two\nlines", "deux\nlignes"), tu("one", "un&#13;")].join("\n"));
    let a = write(dir.path(), "lf.tmx", &lf);
    let b = write(dir.path(), "crlf.tmx", crlf(&lf));
    // A lone CR too (old Mac files).
    let c = write(dir.path(), "cr.tmx", lf.replace('\n', "\r"));
    let want = {
        let out = dir.path().join("lf.tsv");
        ok(&[&"convert", &a, &out, &"-q"]);
        read(&out)
    };
    assert!(want.contains("\"two\nlines\""), "{want:?}");
    // `&#13;` is a character reference, not a line end: it stays a CR.
    assert!(want.contains("un\r"), "{want:?}");
    for input in [&b, &c] {
        let out = dir.path().join("out.tsv");
        ok(&[&"convert", input, &out, &"-q"]);
        assert_eq!(read(&out), want, "{}", input.display());
        // TMX -> TMX too (the full parser).
        let t1 = dir.path().join("1.tmx");
        let t2 = dir.path().join("2.tmx");
        ok(&[&"convert", &a, &t1, &"-q"]);
        ok(&[&"convert", input, &t2, &"-q"]);
        assert_eq!(read(&t1), read(&t2));
    }
}

#[test]
fn d5_merge_of_crlf_and_lf_copies_dedupes_and_stats_counts_no_cr() {
    let dir = tempfile::tempdir().unwrap();
    let lf = tmx(&tu("A line\nand another", "Une ligne\net une autre"));
    let a = write(dir.path(), "a.tmx", &lf);
    let b = write(dir.path(), "b.tmx", crlf(&lf));
    let out = dir.path().join("m.tmx");
    let (_, err) = ok(&[&"merge", &a, &b, &"-o", &out]);
    assert!(err.contains("1 duplicates removed, 0 conflicts"), "{err}");
    assert_eq!(read(&out).matches("</tu>").count(), 1, "{}", read(&out));
    assert!(!read(&out).contains("&#13;"));
    let (json, _) = ok(&[&"stats", &"--json", &b]);
    // "A line\nand another" is 18 characters; with the CR it would be 19.
    assert!(json.contains("\"chars\": 18"), "{json}");
    assert!(json.contains("\"duplicates\": 0"), "{json}");
}

#[test]
fn d5_csv_cell_after_a_crlf_line_end_gets_no_formula_guard() {
    let dir = tempfile::tempdir().unwrap();
    // The French segment starts with a line end: CRLF in the file. Read as CR, it would start
    // the cell with a formula trigger (CR) and get a `'`.
    let lf = tmx(&tu("Total", "\nTotal"));
    let b = write(dir.path(), "b.tmx", crlf(&lf));
    let out = dir.path().join("b.csv");
    ok(&[&"convert", &b, &out, &"-q"]);
    let csv = read(&out);
    assert!(csv.contains("Total,\"\nTotal\""), "{csv:?}");
    assert!(!csv.contains('\''), "{csv:?}");
}

#[test]
fn d5_crlf_xliff_reads_as_its_lf_copy() {
    let dir = tempfile::tempdir().unwrap();
    let x = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"x\" source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><body>\n<trans-unit id=\"1\" xml:space=\"preserve\"><source>two\nlines</source><target>deux\nlignes</target></trans-unit>\n</body></file></xliff>\n";
    let a = write(dir.path(), "a.xlf", x);
    let b = write(dir.path(), "b.xlf", crlf(x));
    let (oa, ob) = (dir.path().join("a.tsv"), dir.path().join("b.tsv"));
    ok(&[&"convert", &a, &oa, &"-q"]);
    ok(&[&"convert", &b, &ob, &"-q"]);
    assert_eq!(read(&oa), read(&ob));
    assert!(read(&oa).contains("\"two\nlines\""), "{}", read(&oa));
}

#[test]
fn d5_errors_after_crlf_lines_keep_their_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = tmx(&format!(
        "{}\n<tu><tuv xml:lang=\"en\"><seg>a &bogus; b</seg></tuv></tu>",
        tu("a", "b")
    ));
    let line = bad.lines().position(|l| l.contains("&bogus;")).unwrap() + 1;
    let col = bad.lines().nth(line - 1).unwrap().find("&bogus;").unwrap() + 1;
    let f = write(dir.path(), "bad.tmx", crlf(&bad));
    let err = fails(&[&"convert", &f, &dir.path().join("x.csv")]);
    assert!(
        err.contains(&format!("bad.tmx:{line}:{col}:")),
        "{line}:{col} {err}"
    );
}

// ---------------------------------------------------------------------------------------
// Defect 9: declared encodings.

/// A windows-1252 TMX: `é` is byte 0xE9, `è` 0xE8, `€` 0x80.
fn cp1252_tmx(decl: &str) -> Vec<u8> {
    let mut b = format!("<?xml version=\"1.0\" encoding=\"{decl}\"?>\n<tmx version=\"1.4\">\n{HEADER}\n<body>\n<tu><tuv xml:lang=\"en\"><seg>Coffee</seg></tuv><tuv xml:lang=\"fr\"><seg>caf").into_bytes();
    b.push(0xE9);
    b.extend_from_slice(b" tr");
    b.push(0xE8);
    b.extend_from_slice(b"s cher: 5 ");
    b.push(0x80);
    b.extend_from_slice(b"</seg></tuv></tu>\n</body>\n</tmx>\n");
    b
}

#[test]
fn d9_windows_1252_and_iso_8859_tmx_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    for (decl, euro) in [
        ("windows-1252", "€"),
        ("ISO-8859-1", "€"),
        ("iso-8859-15", "\u{80}"),
    ] {
        let mut bytes = cp1252_tmx(decl);
        if decl == "iso-8859-15" {
            // In ISO-8859-15, 0x80 is a C1 control: keep to characters it has (0xA4 is €).
            let i = bytes.iter().position(|&b| b == 0x80).unwrap();
            bytes[i] = 0xA4;
        }
        let f = write(dir.path(), "w.tmx", &bytes);
        let out = dir.path().join("w.tsv");
        ok(&[&"convert", &f, &out, &"-q"]);
        let want = if decl == "iso-8859-15" { "€" } else { euro };
        assert_eq!(
            read(&out),
            format!("en\tfr\r\nCoffee\tcafé très cher: 5 {want}\r\n"),
            "{decl}"
        );
        // TMX -> TMX writes UTF-8 and says so.
        let t = dir.path().join("w2.tmx");
        ok(&[&"convert", &f, &t, &"-q"]);
        let t = read(&t);
        assert!(t.contains("café très cher"), "{t}");
        assert!(
            t.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{t}"
        );
    }
}

#[test]
fn d9_declared_encoding_in_xliff_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut x = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<xliff version=\"1.2\"><file original=\"x\" source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><body><trans-unit id=\"1\"><source>Coffee</source><target>caf".to_vec();
    x.push(0xE9);
    x.extend_from_slice(b"</target></trans-unit></body></file></xliff>\n");
    let f = write(dir.path(), "x.xlf", x);
    let out = dir.path().join("x.tsv");
    ok(&[&"convert", &f, &out, &"-q"]);
    assert_eq!(read(&out), "en\tfr\r\nCoffee\tcafé\r\n");
}

#[test]
fn d9_shift_jis_tmx_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = format!("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<tmx version=\"1.4\">\n{}\n<body><tu><tuv xml:lang=\"en\"><seg>Japan</seg></tuv><tuv xml:lang=\"ja\"><seg>", HEADER).into_bytes();
    b.extend_from_slice(b"\x93\xfa\x96\x7b"); // 日本
    b.extend_from_slice(b"</seg></tuv></tu></body></tmx>");
    let f = write(dir.path(), "j.tmx", b);
    let out = dir.path().join("j.csv");
    ok(&[&"convert", &f, &out, &"-q"]);
    assert!(read(&out).contains("Japan,日本"), "{}", read(&out));
}

#[test]
fn d9_unknown_encoding_is_named_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "u.tmx",
        tmx(&tu("a", "b")).replace("encoding=\"UTF-8\"", "encoding=\"x-foo\""),
    );
    let err = fails(&[&"convert", &f, &dir.path().join("u.csv")]);
    assert!(
        err.contains("u.tmx:1:31: encoding \"x-foo\" is not supported"),
        "{err}"
    );
}

#[test]
fn d9_bytes_invalid_in_the_declared_encoding_are_an_error_with_position() {
    let dir = tempfile::tempdir().unwrap();
    // 0xA5 has no character in ISO-8859-3.
    let mut bytes = cp1252_tmx("ISO-8859-3");
    let i = bytes.iter().position(|&b| b == 0x80).unwrap();
    bytes[i] = 0xA5;
    let line = 5;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let l = text.lines().nth(line - 1).unwrap();
    // (é and è are one U+FFFD each in the lossy form, one character each in ISO-8859-3.)
    let col = l[..l.find("cher: 5 ").unwrap()].chars().count() + "cher: 5 ".len() + 1;
    let f = write(dir.path(), "bad.tmx", &bytes);
    let err = fails(&[&"convert", &f, &dir.path().join("x.csv")]);
    assert!(
        err.contains(&format!(
            "bad.tmx:{line}:{col}: byte 0xA5 not valid ISO-8859-3"
        )),
        "{err}"
    );
    // Undeclared, the same bytes are invalid UTF-8, said with the place too.
    let f = write(dir.path(), "undeclared.tmx", cp1252_tmx("UTF-8"));
    let err = fails(&[&"convert", &f, &dir.path().join("x.csv")]);
    assert!(
        err.contains("invalid UTF-8 (byte 0xE9): a file in another encoding must name it"),
        "{err}"
    );
}

#[test]
fn d9_utf16_without_bom_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = tmx(&tu("Peace", "Paix ☮")).replace("UTF-8", "UTF-16");
    for be in [false, true] {
        let mut bytes = Vec::new();
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        let f = write(dir.path(), "u16.tmx", &bytes);
        let out = dir.path().join("u16.tsv");
        ok(&[&"convert", &f, &out, &"-q"]);
        assert_eq!(
            read(&out),
            "en\tfr\r\nPeace\tPaix ☮\r\n",
            "big endian: {be}"
        );
    }
    // An unpaired surrogate is an error placed after the text before it.
    let mut bytes = Vec::new();
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let at = text.find("Paix").unwrap() * 2;
    bytes.splice(at..at, [0x00, 0xD8]);
    let f = write(dir.path(), "bad16.tmx", &bytes);
    let err = fails(&[&"convert", &f, &dir.path().join("x.csv")]);
    let line = text[..text.find("Paix").unwrap()].matches('\n').count() + 1;
    assert!(err.contains(&format!("bad16.tmx:{line}:")), "{err}");
    assert!(err.contains("unpaired surrogate 0xD800"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Defect 10: TMX -> TMX keeps metadata.

/// Every attribute the TMX 1.4b DTD allows on `<header>`, `<tu>` and `<tuv>`, `<ude>`s with
/// `<map>`s, notes and props with xml:lang, a header prop of one space.
const META: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
<header creationtool="Tool" creationtoolversion="9.1" segtype="sentence" o-tmf="ToolTM" adminlang="en-US" srclang="en-US" datatype="html" o-encoding="iso-8859-1" creationdate="20020101T163812Z" creationid="alice" changedate="20030202T101010Z" changeid="bob">
  <note xml:lang="fr-FR">Note d'en-tête</note>
  <prop type="x-space"> </prop>
  <prop type="x-client" xml:lang="en-US">ACME</prop>
  <ude name="MacRoman" base="Macintosh">
    <map unicode="#xF8FF" code="#xF0" ent="Apple_logo" subst="[Apple]"/>
  </ude>
  <ude name="Custom"><map code="#x01" subst="?"/></ude>
</header>
<body>
<tu tuid="t1" o-encoding="iso-8859-1" datatype="html" usagecount="7" lastusagedate="20040303T030303Z" creationtool="Tool" creationtoolversion="9.1" creationdate="20010101T010101Z" creationid="carol" changedate="20050505T050505Z" segtype="phrase" changeid="dave" o-tmf="ToolTM" srclang="en-US">
  <note xml:lang="en-US">unit note</note>
  <prop type="x-domain" xml:lang="en-US">legal</prop>
  <tuv xml:lang="en-US" o-encoding="iso-8859-1" datatype="html" usagecount="3" lastusagedate="20060606T060606Z" creationtool="Tool" creationtoolversion="9.1" creationdate="20070707T070707Z" creationid="erin" changedate="20080808T080808Z" o-tmf="ToolTM" changeid="frank">
    <note xml:lang="en-US">variant note</note>
    <prop type="x-origin">MT</prop>
    <seg>The <bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>big<ept i="1">&lt;/b&gt;</ept> cat<ph x="2" type="lb">&lt;br/&gt;</ph></seg>
  </tuv>
  <tuv xml:lang="fr-FR" changeid="gina" usagecount="4">
    <seg>Le <bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>gros<ept i="1">&lt;/b&gt;</ept> chat<ph x="2" type="lb">&lt;br/&gt;</ph></seg>
  </tuv>
</tu>
</body>
</tmx>
"##;

/// The attribute strings of META that every TMX -> TMX output must hold.
fn meta_expected() -> Vec<String> {
    let mut want = Vec::new();
    for (el, skip) in [
        (
            "header",
            &["creationtool", "creationtoolversion", "o-tmf"][..],
        ),
        ("tu", &[]),
        ("tuv", &[]),
    ] {
        for line in META
            .lines()
            .filter(|l| l.trim_start().starts_with(&format!("<{el} ")))
        {
            for a in line.split_whitespace().skip(1) {
                let a = a.trim_end_matches('>');
                let name = a.split('=').next().unwrap();
                if !skip.contains(&name) && a.contains('=') {
                    want.push(a.to_string());
                }
            }
        }
    }
    for s in [
        r#"<note xml:lang="fr-FR">Note d'en-tête</note>"#,
        r#"<prop type="x-space"> </prop>"#,
        r#"<prop type="x-client" xml:lang="en-US">ACME</prop>"#,
        r#"<ude name="MacRoman" base="Macintosh">"#,
        r##"<map unicode="#xF8FF" code="#xF0" ent="Apple_logo" subst="[Apple]"/>"##,
        r##"<ude name="Custom"><map code="#x01" subst="?"/></ude>"##,
        r#"<note xml:lang="en-US">unit note</note>"#,
        r#"<prop type="x-domain" xml:lang="en-US">legal</prop>"#,
        r#"<note xml:lang="en-US">variant note</note>"#,
        r#"<prop type="x-origin">MT</prop>"#,
        r#"<bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>big<ept i="1">&lt;/b&gt;</ept> cat<ph x="2" type="lb">&lt;br/&gt;</ph>"#,
    ] {
        want.push(s.to_string());
    }
    want
}

fn assert_meta_kept(out: &str, what: &str, header_too: bool) {
    let body = &META[META.find("<body>").unwrap()..];
    for w in meta_expected() {
        // merge writes a header of its own: only what the units carry must be kept there.
        if !header_too && !body.contains(&w) {
            continue;
        }
        assert!(out.contains(&w), "{what}: {w} lost in\n{out}");
    }
}

#[test]
fn d10_tmx_to_tmx_keeps_every_dtd_attribute_ude_and_lang_of_notes() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "meta.tmx", META);
    for args in [&[][..], &["--langs", "en-US,fr-FR"][..]] {
        let out = dir.path().join("out.tmx");
        let mut a: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"convert", &f, &out, &"-q"];
        for x in args {
            a.push(x);
        }
        ok(&a);
        let text = read(&out);
        assert_meta_kept(&text, &format!("convert {args:?}"), true);
        // And the output reads back to the same units (idempotent).
        let again = dir.path().join("again.tmx");
        ok(&[&"convert", &out, &again, &"-q"]);
        assert_eq!(read(&again), text);
    }
}

#[test]
fn d10_merge_keeps_header_unit_and_variant_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "meta.tmx", META);
    let out = dir.path().join("m.tmx");
    ok(&[&"merge", &f, &"-o", &out]);
    // The first TMX input's header too.
    assert_meta_kept(&read(&out), "merge", true);
}

// ---------------------------------------------------------------------------------------
// Defect 4: plain-text outputs keep the content of inline codes.

fn codes_tmx() -> String {
    tmx(&[
        tu(
            "A translation <ph x=\"1\">%s</ph>",
            "Une traduction <ph x=\"1\">%s</ph>",
        ),
        tu(
            "line<ph x=\"2\">&lt;br/&gt;</ph>break and <bpt i=\"1\">&lt;b&gt;</bpt>bold<ept i=\"1\">&lt;/b&gt;</ept>",
            "saut<ph x=\"2\">&lt;br/&gt;</ph>de ligne et <bpt i=\"1\">&lt;b&gt;</bpt>gras<ept i=\"1\">&lt;/b&gt;</ept>",
        ),
        tu(
            "See <ph x=\"3\">&lt;img alt=\"<sub>a cat</sub>\"/&gt;</ph>here, <hi type=\"em\">now</hi>",
            "Voir <ph x=\"3\">&lt;img alt=\"<sub>un chat</sub>\"/&gt;</ph>ici, <hi type=\"em\">maintenant</hi>",
        ),
        tu("one<ph x=\"4\"/>two", "un<ph x=\"4\"/>deux"),
    ]
    .join("\n"))
}

#[test]
fn d4_tmx_to_csv_tsv_moses_keeps_native_code_text_and_sub() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "codes.tmx", codes_tmx());
    let want = [
        ("A translation %s", "Une traduction %s"),
        (
            "line<br/>break and <b>bold</b>",
            "saut<br/>de ligne et <b>gras</b>",
        ),
        (
            "See <img alt=\"a cat\"/>here, now",
            "Voir <img alt=\"un chat\"/>ici, maintenant",
        ),
        ("one two", "un deux"),
    ];
    let out = dir.path().join("c.tsv");
    ok(&[&"convert", &f, &out, &"-q"]);
    let tsv = read(&out);
    for (en, fr) in want {
        let row = format!("{en}\t{fr}");
        let row = if row.contains('"') {
            format!("{}\t{}", quote(en), quote(fr))
        } else {
            row
        };
        assert!(tsv.contains(&row), "{row:?} not in {tsv:?}");
    }
    // The serial path (standard input) and Moses give the same texts.
    let stem = dir.path().join("corpus");
    ok(&[
        &"convert",
        &f,
        &dir.path().join("corpus.en-US"),
        &"-q",
        &"--to",
        &"moses",
        &"--langs",
        &"en,fr",
    ]);
    let _ = stem;
    let en = read(&dir.path().join("corpus.en"));
    let fr = read(&dir.path().join("corpus.fr"));
    assert_eq!(
        en.lines().collect::<Vec<_>>(),
        want.iter().map(|w| w.0).collect::<Vec<_>>()
    );
    assert_eq!(
        fr.lines().collect::<Vec<_>>(),
        want.iter().map(|w| w.1).collect::<Vec<_>>()
    );
}

fn quote(s: &str) -> String {
    if s.contains('"') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[test]
fn d4_codes_strip_drops_code_text_but_never_glues_words() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "codes.tmx", codes_tmx());
    let out = dir.path().join("c.csv");
    ok(&[&"convert", &f, &out, &"-q", &"--codes", &"strip"]);
    let csv = read(&out);
    for row in [
        "A translation ,Une traduction \r\n",
        "line break and bold,saut de ligne et gras\r\n",
        "\"See a cat here, now\",\"Voir un chat ici, maintenant\"\r\n",
        "one two,un deux\r\n",
    ] {
        assert!(csv.contains(row), "{row:?} not in {csv:?}");
    }
    let err = fails(&[&"convert", &f, &out, &"--codes", &"bare"]);
    assert!(err.contains("native or strip"), "{err}");
}

#[test]
fn d4_scanner_and_parser_render_codes_alike() {
    // The same unit read by the lean scanner (common shape) and by the parser (a comment in
    // the unit makes the scanner hand it over) gives the same row.
    let dir = tempfile::tempdir().unwrap();
    let unit = tu(
        "Save <ph x=\"1\">%d</ph> files<ph x=\"2\">&lt;br/&gt;</ph>now",
        "Enregistrer <ph x=\"1\">%d</ph> fichiers",
    );
    let f = write(
        dir.path(),
        "a.tmx",
        tmx(&format!(
            "{unit}\n{}",
            unit.replace("<tu>", "<tu><!-- c -->")
        )),
    );
    let out = dir.path().join("a.tsv");
    ok(&[&"convert", &f, &out, &"-q"]);
    let tsv = read(&out);
    let row = "Save %d files<br/>now\tEnregistrer %d fichiers\r\n";
    assert_eq!(tsv.matches(row).count(), 2, "{tsv:?}");
}

// ---------------------------------------------------------------------------------------
// Defect 7: <tu srclang>.

/// Like the Compliance Kit's ImportTest1J/1K: the header says EN-US, some units say FR-CA.
fn own_srclang_tmx(header_src: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<tmx version="1.4"><header srclang="{header_src}" adminlang="EN-US" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" datatype="plaintext"/>
<body>
<tu tuid="1"><tuv xml:lang="EN-US"><seg>Hello</seg></tuv><tuv xml:lang="FR-CA"><seg>Bonjour</seg></tuv></tu>
<tu tuid="2" srclang="FR-CA"><tuv xml:lang="EN-US"><seg>Goodbye</seg></tuv><tuv xml:lang="FR-CA"><seg>Au revoir</seg></tuv></tu>
<tu tuid="3" srclang="FR-CA"><tuv xml:lang="FR-CA"><seg>Merci</seg></tuv><tuv xml:lang="EN-US"><seg>Thanks</seg></tuv></tu>
</body></tmx>
"#
    )
}

#[test]
fn d7_units_with_their_own_srclang_are_kept_in_tmx_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    for header_src in ["EN-US", "*all*"] {
        let f = write(dir.path(), "s.tmx", own_srclang_tmx(header_src));
        let out = dir.path().join("s.csv");
        let (_, err) = ok(&[&"convert", &f, &out, &"--langs", &"en-US,fr-CA"]);
        assert!(
            err.contains("2 units name a source language of their own (<tu srclang>)"),
            "{err}"
        );
        assert_eq!(
            read(&out),
            "\u{feff}en-US,fr-CA\r\nHello,Bonjour\r\nGoodbye,Au revoir\r\nThanks,Merci\r\n",
            "{header_src}"
        );
        let out = dir.path().join("s.tmx.out.tmx");
        ok(&[&"convert", &f, &out, &"-q", &"--langs", &"en-US,fr-CA"]);
        let t = read(&out);
        assert_eq!(t.matches("</tu>").count(), 3, "{t}");
        // The unit's own source language is written back.
        assert_eq!(t.matches("srclang=\"FR-CA\"").count(), 2, "{t}");
    }
}

#[test]
fn d7_a_unit_lacking_the_output_source_is_counted_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "s.tmx",
        own_srclang_tmx("EN-US").replace(
            "</body>",
            "<tu tuid=\"4\" srclang=\"FR-CA\"><tuv xml:lang=\"FR-CA\"><seg>Oui</seg></tuv><tuv xml:lang=\"ES\"><seg>Sí</seg></tuv></tu>\n</body>",
        ),
    );
    for (out, langs) in [
        ("s.csv", "en-US,fr-CA,es"),
        ("s2.tmx", "en-US,fr-CA"),
        ("s3.xlf", "en-US,fr-CA"),
    ] {
        let out = dir.path().join(out);
        let (_, err) = ok(&[&"convert", &f, &out, &"--langs", &langs]);
        assert!(
            err.contains("3 units name their own source language (<tu srclang>, not en-US); 1 of them have no en-US text"),
            "{err}"
        );
    }
}

#[test]
fn d7_the_library_puts_a_units_own_source_first() {
    let tmx = own_srclang_tmx("EN-US");
    let mut r = dragoman::tm::tmx::Reader::from_reader(tmx.as_bytes(), "s.tmx".as_ref()).unwrap();
    let mut firsts = Vec::new();
    while let Some(e) = r.read_entry().unwrap() {
        firsts.push(e.unit.variants[0].lang.clone());
        if e.unit.id.as_deref() != Some("1") {
            assert_eq!(
                dragoman::tm::attr_value(&e.unit.attrs, "srclang"),
                Some("FR-CA")
            );
        }
    }
    assert_eq!(firsts, ["en-US", "fr-CA", "fr-CA"]);
}

#[test]
fn d7_a_units_srclang_is_dropped_with_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "s.tmx",
        own_srclang_tmx("EN-US").replace(
            "<tu tuid=\"1\">",
            "<tu tuid=\"0\" srclang=\"DE\"><tuv xml:lang=\"DE\"><seg>Hallo</seg></tuv><tuv xml:lang=\"EN-US\"><seg>Hi</seg></tuv><tuv xml:lang=\"FR-CA\"><seg>Salut</seg></tuv></tu>\n<tu tuid=\"1\">",
        ),
    );
    let out = dir.path().join("o.tmx");
    ok(&[&"convert", &f, &out, &"-q", &"--langs", &"en-US,fr-CA"]);
    let t = read(&out);
    assert!(t.contains("Salut") && !t.contains("srclang=\"DE\""), "{t}");
}

// ---------------------------------------------------------------------------------------
// The same class of fault elsewhere in the TMX reader.

#[test]
fn d10_empty_props_and_notes_and_tmx11_lang_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let t = r#"<?xml version="1.0"?>
<tmx version="1.1"><header srclang="EN" adminlang="EN" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" datatype="plaintext"><prop type="x-empty"/><note lang="FR">n</note></header>
<body>
<tu><prop type="x-flag"/><note lang="DE">Hinweis</note><tuv lang="EN"><prop type="x-v"/><seg>Yes</seg></tuv><tuv lang="FR"><seg>Oui</seg></tuv></tu>
</body></tmx>
"#;
    let f = write(dir.path(), "old.tmx", t);
    let out = dir.path().join("o.tmx");
    ok(&[&"convert", &f, &out, &"-q"]);
    let o = read(&out);
    for w in [
        "<prop type=\"x-empty\"></prop>",
        "<note xml:lang=\"FR\">n</note>",
        "<prop type=\"x-flag\"></prop>",
        "<note xml:lang=\"DE\">Hinweis</note>",
        "<prop type=\"x-v\"></prop>",
        "<tuv xml:lang=\"en\">",
        "<tuv xml:lang=\"fr\">",
    ] {
        assert!(o.contains(w), "{w} lost in {o}");
    }
}

#[test]
fn d4_merge_and_serial_paths_render_codes_too() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "codes.tmx", codes_tmx());
    // merge reads entries with the full parser; the CSV writer renders their markup.
    let out = dir.path().join("m.csv");
    ok(&[&"merge", &f, &"-o", &out]);
    let csv = read(&out);
    assert!(
        csv.contains("A translation %s,Une traduction %s\r\n"),
        "{csv:?}"
    );
    ok(&[&"merge", &f, &"-o", &out, &"--codes", &"strip"]);
    let csv = read(&out);
    assert!(
        csv.contains("line break and bold,saut de ligne et gras\r\n"),
        "{csv:?}"
    );
    // Library: the renderer behind --codes, and a unit rendered from its entry.
    let text = codes_tmx();
    let mut r = dragoman::tm::tmx::Reader::from_reader(text.as_bytes(), "c.tmx".as_ref()).unwrap();
    let e = r.read_entry().unwrap().unwrap();
    assert_eq!(e.unit.text("en"), Some("A translation "));
    let u = dragoman::tm::codes::plain_unit(&e, dragoman::tm::codes::Codes::Native);
    assert_eq!(u.text("en"), Some("A translation %s"));
}

#[test]
fn two_variants_in_one_language_are_reported_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "dup.tmx",
        tmx("<tu><tuv xml:lang=\"en\"><seg>Hi</seg></tuv><tuv xml:lang=\"fr\"><seg>Salut</seg></tuv><tuv xml:lang=\"fr\"><seg>Bonjour</seg></tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>Yes</seg></tuv><tuv xml:lang=\"fr\"><seg>Oui</seg></tuv></tu>"),
    );
    for out in ["d.csv", "d.tmx"] {
        let (_, err) = ok(&[&"convert", &f, &dir.path().join(out)]);
        assert!(
            err.contains("1 units have two <tuv>s with different text in one language"),
            "{out}: {err}"
        );
    }
}
