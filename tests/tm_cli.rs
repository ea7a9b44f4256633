//! `dragoman convert`, `merge` and `stats` end to end: stdin/stdout, exit codes, messages.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dragoman"))
}

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tm/golden-ar-en.tmx")
}

#[test]
fn convert_through_pipes() {
    let mut child = bin()
        .args(["convert", "--from", "tmx", "--to", "tsv", "-q", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read(sample()).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ar\ten\r\n"), "{text}");
    assert_eq!(text.lines().count(), 1 + 4 + 2); // header, 4 units, 2 embedded newlines
}

#[test]
fn convert_errors_exit_2_and_name_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.csv");
    let hostile =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tm/hostile/billion-laughs.tmx");
    let o = bin()
        .arg("convert")
        .arg(&hostile)
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("billion-laughs.tmx:2:1:"), "{err}");
    assert!(!out.exists(), "no output on error");
    // No format from the name.
    let o = bin().args(["convert", "a.docx", "b.csv"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--from"));
}

#[test]
fn merge_exit_1_on_conflict_and_stats_json() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, "ar,en\r\nسلام,peace\r\nكلمة,word\r\n").unwrap();
    std::fs::write(&b, "ar,en\r\nسلام,peace\r\nكلمة,term\r\n").unwrap();
    let m = dir.path().join("m.tmx");
    let o = bin()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&m)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("conflict:") && err.contains("\"term\""),
        "{err}"
    );
    assert!(err.contains("1 duplicates removed, 1 conflicts"), "{err}");
    let o = bin().arg("stats").arg("--json").arg(&m).output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["units"], 3);
    assert_eq!(v["conflicting"], 1);
    // Same content twice: no conflict, exit 0.
    let o = bin()
        .arg("merge")
        .arg(&a)
        .arg(&a)
        .arg("-o")
        .arg(&m)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
}

// Regression tests from the QA pass on the tm commands (one per finding).

fn tmx(srclang: &str, datatype: &str, units: &[&[(&str, &str)]]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header \
         creationtool=\"t\" creationtoolversion=\"1\" segtype=\"paragraph\" o-tmf=\"Trados\" \
         adminlang=\"en\" datatype=\"{datatype}\" srclang=\"{srclang}\"/>\n<body>\n"
    );
    for u in units {
        s.push_str("<tu>");
        for (l, t) in *u {
            s.push_str(&format!("<tuv xml:lang=\"{l}\"><seg>{t}</seg></tuv>"));
        }
        s.push_str("</tu>\n");
    }
    s.push_str("</body>\n</tmx>\n");
    s
}

fn ar_en_and_ar_fr(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let a = dir.join("a.ar-en.tmx");
    let b = dir.join("b.ar-fr.tmx");
    std::fs::write(
        &a,
        tmx(
            "ar",
            "plaintext",
            &[
                &[("ar", "سلام"), ("en", "peace")],
                &[("ar", "حرب"), ("en", "war")],
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        &b,
        tmx(
            "ar",
            "plaintext",
            &[
                &[("ar", "سلام"), ("fr", "paix")],
                &[("ar", "كلمة"), ("fr", "mot")],
            ],
        ),
    )
    .unwrap();
    (a, b)
}

/// QA 1: merging ar-en and ar-fr memories joins units on the source and defaults to the union
/// of the languages. The TMX keeps every unit with the languages it has (lossless, with a
/// warning for OmegaT); `--complete` takes only complete units (OmegaT misreads a `<tu>` that
/// lacks a language) and says how many it left out; CSV keeps every unit.
#[test]
fn merge_joins_on_source_into_multilingual_units() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = ar_en_and_ar_fr(dir.path());
    let m = dir.path().join("m.tmx");
    let merge = |extra: &[&str], out: &Path| {
        let o = bin()
            .arg("merge")
            .args([&a, &b])
            .args(extra)
            .arg("-o")
            .arg(out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(o.status.code(), Some(0), "{err}");
        err
    };
    let joined = "<tuv xml:lang=\"ar\"><seg>سلام</seg></tuv>\n      <tuv xml:lang=\"en\"><seg>peace</seg></tuv>\n      <tuv xml:lang=\"fr\"><seg>paix</seg></tuv>";

    // --complete: only the complete unit, and the count of the others.
    let err = merge(&["--complete"], &m);
    assert!(err.contains("1 written (ar,en,fr), 1 joined"), "{err}");
    assert!(
        err.contains("warning: 2 units without text in every one of ar,en,fr were left out"),
        "{err}"
    );
    assert!(err.contains("--complete"), "{err}");
    let x = std::fs::read_to_string(&m).unwrap();
    assert!(x.contains("srclang=\"ar\""), "{x}");
    assert!(x.contains(joined), "{x}");
    assert!(
        !x.contains("<seg>war</seg>") && !x.contains("<seg>mot</seg>"),
        "{x}"
    );

    // By default (and with the old --keep-partial): every unit with the source and a target,
    // with the OmegaT warning.
    for extra in [&[][..], &["--keep-partial"]] {
        let err = merge(extra, &m);
        assert!(err.contains("3 written (ar,en,fr), 1 joined"), "{err}");
        assert!(
            err.contains("warning: 2 TMX units lack some of ar,en,fr (valid TMX, kept): OmegaT"),
            "{err}"
        );
        let x = std::fs::read_to_string(&m).unwrap();
        assert!(x.contains(joined), "{x}");
        assert!(
            x.contains("<seg>war</seg>") && x.contains("<seg>mot</seg>"),
            "{x}"
        );
    }

    // CSV keeps every unit, each with the languages it has.
    let c = dir.path().join("m.csv");
    let err = merge(&[], &c);
    assert!(err.contains("3 written (ar,en,fr)"), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let x = std::fs::read_to_string(&c).unwrap();
    assert_eq!(
        x,
        "\u{feff}ar,en,fr\r\nسلام,peace,paix\r\nحرب,war,\r\nكلمة,,mot\r\n"
    );

    // With --langs, every unit too; with --complete, only the complete one.
    let err = merge(&["--langs", "ar,en,fr"], &m);
    assert!(err.contains("3 written (ar,en,fr)"), "{err}");
    let err = merge(&["--langs", "ar,en,fr", "--complete"], &m);
    assert!(err.contains("1 written (ar,en,fr)"), "{err}");
}

/// QA 1: 0 units written from non-empty input is an error naming the missing languages, and
/// the output is not written.
#[test]
fn merge_writing_nothing_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = ar_en_and_ar_fr(dir.path());
    let m = dir.path().join("m.tmx");
    let o = bin()
        .arg("merge")
        .arg(&a)
        .args(["--langs", "ar,en,fr", "--complete", "-o"])
        .arg(&m)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("none written") && err.contains("2 lack fr"),
        "{err}"
    );
    assert!(!m.exists());
}

/// QA 2: a header srclang used by no <tuv> no longer gives a header-only CSV: the languages
/// present are written, with a warning.
#[test]
fn convert_with_unused_srclang_writes_the_languages_present() {
    let dir = tempfile::tempdir().unwrap();
    let i = dir.path().join("de.tmx");
    std::fs::write(
        &i,
        tmx("de", "plaintext", &[&[("en", "peace"), ("fr", "paix")]]),
    )
    .unwrap();
    let out = dir.path().join("de.csv");
    let o = bin().arg("convert").arg(&i).arg(&out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning:") && err.contains("srclang de"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "\u{feff}en,fr\r\npeace,paix\r\n"
    );
    // Asking for the absent language is an error, not an empty file.
    let o = bin()
        .arg("convert")
        .arg(&i)
        .arg(&out)
        .args(["--langs", "de,en"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("none written") && err.contains("first units are in en,fr"),
        "{err}"
    );
}

/// QA 3: `stats --json x | head -1`: a closed stdout ends quietly with exit 0.
#[test]
fn stats_into_a_closed_pipe_is_quiet() {
    for args in [
        "stats --json \"$1\"",
        "stats \"$1\"",
        "convert -q --to csv \"$1\" -",
        "merge -q --to tmx \"$1\" -o -",
    ] {
        let script = format!("(sleep 0.3; \"$0\" {args}; echo \"rc=$?\" >&2) | true");
        let o = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .arg(env!("CARGO_BIN_EXE_dragoman"))
            .arg(sample())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("rc=0") && !err.contains("error"),
            "{args}: {err}"
        );
    }
}

/// QA 4 and 5: no BOM on stdout; TSV cells are not quoted for neutralisation.
#[test]
fn csv_bom_only_in_files_and_tsv_unquoted() {
    let dir = tempfile::tempdir().unwrap();
    let i = dir.path().join("f.tmx");
    std::fs::write(
        &i,
        tmx(
            "ar",
            "plaintext",
            &[&[("ar", "=SUM(A1:A2)"), ("en", "a\tb")]],
        ),
    )
    .unwrap();
    let o = bin()
        .arg("convert")
        .arg(&i)
        .args(["-", "--to", "csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "ar,en\r\n\"'=SUM(A1:A2)\",a\tb\r\n"
    );
    let f = dir.path().join("f.csv");
    bin()
        .arg("convert")
        .arg(&i)
        .arg(&f)
        .arg("-q")
        .output()
        .unwrap();
    assert!(std::fs::read_to_string(&f).unwrap().starts_with('\u{feff}'));
    let t = dir.path().join("f.tsv");
    bin()
        .arg("convert")
        .arg(&i)
        .arg(&t)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&t).unwrap(),
        "ar\ten\r\n'=SUM(A1:A2)\t\"a\tb\"\r\n"
    );
    // And it reads back.
    let back = dir.path().join("back.csv");
    let o = bin()
        .arg("convert")
        .arg(&t)
        .arg(&back)
        .arg("-q")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        "\u{feff}ar,en\r\n\"'=SUM(A1:A2)\",a\tb\r\n"
    );
}

/// QA 6: TMX -> TMX keeps the header's datatype, segtype and o-tmf.
#[test]
fn tmx_to_tmx_keeps_header_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let i = dir.path().join("h.tmx");
    std::fs::write(&i, tmx("ar", "html", &[&[("ar", "س"), ("en", "s")]])).unwrap();
    let out = dir.path().join("o.tmx");
    let o = bin().arg("convert").arg(&i).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let x = std::fs::read_to_string(&out).unwrap();
    assert!(x.contains("datatype=\"html\""), "{x}");
    assert!(
        x.contains("segtype=\"paragraph\"") && x.contains("o-tmf=\"Trados\""),
        "{x}"
    );
}

/// QA 7: messages about an output `-` name stdout.
#[test]
fn output_dash_is_named_stdout() {
    let o = bin()
        .arg("merge")
        .arg(sample())
        .args(["-o", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("<stdout>: cannot tell the output format"),
        "{err}"
    );
    assert!(!err.contains("<stdin>"), "{err}");
}

/// QA 8: a multilingual TMX whose first unit lacks a language still converts every language
/// of the first units.
#[test]
fn multilingual_tmx_languages_come_from_all_first_units() {
    let dir = tempfile::tempdir().unwrap();
    let i = dir.path().join("m.tmx");
    std::fs::write(
        &i,
        tmx(
            "ar",
            "plaintext",
            &[
                &[("ar", "سلام"), ("en", "peace")],
                &[("ar", "كلمة"), ("fr", "mot"), ("en", "word")],
            ],
        ),
    )
    .unwrap();
    let o = bin()
        .arg("convert")
        .arg(&i)
        .args(["-", "--to", "tsv", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "ar\ten\tfr\r\nسلام\tpeace\t\r\nكلمة\tword\tmot\r\n"
    );
    // TMX output keeps both units; --complete takes the complete one and says so.
    let out = dir.path().join("o.tmx");
    let o = bin().arg("convert").arg(&i).arg(&out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2 units read, 2 written (ar,en,fr)"), "{err}");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("<seg>peace</seg>"));
    let o = bin()
        .arg("convert")
        .arg(&i)
        .arg(&out)
        .arg("--complete")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2 units read, 1 written (ar,en,fr)"), "{err}");
    assert!(
        err.contains("1 unit without text in every one of ar,en,fr was left out"),
        "{err}"
    );
    assert!(!std::fs::read_to_string(&out)
        .unwrap()
        .contains("<seg>peace</seg>"));
}

/// QA 8: a language that first appears after the first chunk (~1 MiB) is not written to CSV
/// (its columns are fixed by then) without --langs, and the user is told; a TMX keeps it.
#[test]
fn late_language_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let i = dir.path().join("late.tmx");
    let pad = "ن".repeat(60);
    let mut units: Vec<Vec<(&str, &str)>> = Vec::new();
    for _ in 0..12_000 {
        units.push(vec![("ar", pad.as_str()), ("en", "text")]);
    }
    units.push(vec![("ar", "كلمة"), ("en", "word"), ("de", "Wort")]);
    let refs: Vec<&[(&str, &str)]> = units.iter().map(Vec::as_slice).collect();
    std::fs::write(&i, tmx("ar", "plaintext", &refs)).unwrap();
    assert!(std::fs::metadata(&i).unwrap().len() > 2 << 20);
    let out = dir.path().join("late.csv");
    let o = bin().arg("convert").arg(&i).arg(&out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning:") && err.contains("de first appear(s) after the first units"),
        "{err}"
    );
    // TMX (the full parser's path): written, and counted among the languages.
    let t = dir.path().join("late-out.tmx");
    let o = bin().arg("convert").arg(&i).arg(&t).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && err.contains("(ar,en,de)"), "{err}");
    assert!(std::fs::read_to_string(&t)
        .unwrap()
        .contains("<tuv xml:lang=\"de\"><seg>Wort</seg></tuv>"));
    // Named, it is written.
    let o = bin()
        .arg("convert")
        .arg(&i)
        .arg(&out)
        .args(["--langs", "ar,en,de"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && !err.contains("warning"), "{err}");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .ends_with("كلمة,word,Wort\r\n"));
}

/// QA 7: write errors name the output file, not `<output>`.
#[test]
fn write_errors_name_the_output() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let o = bin()
        .arg("convert")
        .arg(sample())
        .args(["/dev/full", "--to", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/full: ") && !err.contains("<output>"),
        "{err}"
    );
}

/// A merge larger than `--memory` goes through sorted temporary files and gives exactly the
/// output, counts and conflict reports of the same merge in memory: joins (ar-en + ar-fr),
/// duplicates, conflicts, in input order.
#[test]
fn merge_past_its_memory_gives_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let pad = "ن".repeat(40);
    let (mut en, mut fr) = (Vec::new(), Vec::new());
    for i in 0..6000 {
        let ar = format!("{pad} جملة {}", i % 1500); // repeated sources: duplicates/conflicts
        en.push((ar.clone(), format!("sentence {} {}", i % 1500, i % 7 == 0)));
        if i % 3 != 0 {
            fr.push((ar, format!("phrase {}", i % 1500)));
        }
    }
    let write = |name: &str, lang: &str, rows: &[(String, String)]| {
        let mut c = format!("ar,{lang}\r\n");
        for (a, t) in rows {
            c.push_str(&format!("{a},{t}\r\n"));
        }
        let p = dir.path().join(name);
        std::fs::write(&p, c).unwrap();
        p
    };
    let a = write("a.csv", "en", &en);
    let b = write("b.csv", "fr", &fr);
    let run = |memory: &str, out: &str| {
        let o = bin()
            .arg("merge")
            .args([&a, &b])
            .args(["--memory", memory, "-o"])
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (code_mem, err_mem) = run("256", "mem.tmx");
    let (code_disk, err_disk) = run("1", "disk.tmx");
    assert_eq!(code_mem, Some(1), "{err_mem}"); // conflicts
    assert!(!err_mem.contains("temporary files"), "{err_mem}");
    assert!(
        err_disk.contains("joined through sorted temporary files"),
        "{err_disk}"
    );
    let summary = |e: &str| {
        e.lines()
            .filter(|l| !l.starts_with('('))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(summary(&err_mem), summary(&err_disk));
    assert!(err_mem.contains("joined on their source") && err_mem.contains("conflict:"));
    assert_eq!(code_mem, code_disk);
    let mem = std::fs::read(dir.path().join("mem.tmx")).unwrap();
    assert_eq!(mem, std::fs::read(dir.path().join("disk.tmx")).unwrap());
    let units = mem.windows(5).filter(|w| w == b"</tu>").count();
    assert!(units >= 1000, "{units}");
}
