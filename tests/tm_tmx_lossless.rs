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
    let x = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"x\" source-language=\"en\" target-language=\"fr\" datatype=\"plaintext\"><body>\n<trans-unit id=\"1\"><source>two\nlines</source><target>deux\nlignes</target></trans-unit>\n</body></file></xliff>\n";
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
    assert!(err.contains("invalid UTF-8 (byte 0xE9)"), "{err}");
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
