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
