//! The TMX and CSV writers as the build uses them: golden files, DTD validation with xmllint,
//! and refusal of units CAT tools would mis-import.

use std::path::{Path, PathBuf};
use std::process::Command;

use dragoman::tm::{csv, tmx, Prop, Unit, Variant};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tm")
        .join(name)
}

/// `shared/` next to the repository (see scripts/cat-check.sh).
fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Units shaped like the pipeline's: props x-document and x-score, hostile text.
fn units() -> Vec<Unit> {
    let rows = [
        (
            "1",
            "ذهب الولد إلى المدرسة.",
            "The boy went to school.",
            "0.93",
        ),
        (
            "2",
            "قال: «أهلاً & سهلاً» <مرحبا>",
            "He said: \"welcome\" & <hello>",
            "0.71",
        ),
        (
            "3",
            "  نسبة -5% \u{B}فقط  ",
            "=SUM(A1) -5%\u{1} only ",
            "0.50",
        ),
        ("4", "سطر\nجديد", "new\r\nline\ttab ]]> done", "1.00"),
    ];
    rows.iter()
        .map(|(id, ar, en, score)| Unit {
            id: Some((*id).into()),
            created: Some("20261124T120000Z".into()),
            props: vec![
                Prop::new("x-document", "article \"one\""),
                Prop::new("x-score", *score),
            ],
            variants: vec![Variant::new("ar", *ar), Variant::new("en", *en)],
            ..Default::default()
        })
        .collect()
}

fn write_tmx(units: &[Unit]) -> Vec<u8> {
    let mut h = tmx::Header::new("ar");
    h.creation_date = Some("20261124T120000Z".into());
    let mut w = tmx::Writer::new(Vec::new(), &h).unwrap();
    for u in units {
        w.write_unit(u).unwrap();
    }
    w.finish().unwrap()
}

fn write_csv(units: &[Unit]) -> Vec<u8> {
    let langs = ["ar".to_string(), "en".to_string()];
    let mut w = csv::Writer::new(Vec::new(), &langs, csv::Options::default()).unwrap();
    for u in units {
        w.write_unit(u).unwrap();
    }
    w.finish().unwrap()
}

/// Compares with a golden file; `DRAGOMAN_BLESS=1` rewrites it.
fn golden(name: &str, got: &[u8]) {
    let p = data(name);
    if std::env::var_os("DRAGOMAN_BLESS").is_some() {
        std::fs::write(&p, got).unwrap();
    }
    let want = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert!(
        want == got,
        "{name} differs from its golden file:\n{}",
        String::from_utf8_lossy(got)
    );
}

#[test]
fn tmx_golden_and_deterministic() {
    let a = write_tmx(&units());
    assert_eq!(a, write_tmx(&units()));
    golden("golden-ar-en.tmx", &a);
}

#[test]
fn csv_golden() {
    golden("golden-ar-en.csv", &write_csv(&units()));
}

#[test]
fn tmx_validates_against_dtd() {
    let dtd = shared().join("formats/tmx14.dtd");
    if !dtd.exists() || Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("skipped: xmllint or {} missing", dtd.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.tmx");
    std::fs::write(&f, write_tmx(&units())).unwrap();
    let out = Command::new("xmllint")
        .args(["--nonet", "--noout", "--dtdvalid"])
        .arg(&dtd)
        .arg(&f)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn tmx_never_writes_padded_or_illegal_text() {
    let x = String::from_utf8(write_tmx(&units())).unwrap();
    assert!(!x.contains("<seg> ") && !x.contains(" </seg>"), "{x}");
    assert!(!x
        .chars()
        .any(|c| (c as u32) < 0x20 && !"\t\n\r".contains(c) && c != '\n'));
}
