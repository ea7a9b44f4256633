//! The files the writers produce, checked by the CAT harness (`../shared/bench/cat`): DTD/XSD,
//! conventions lint, translate-toolkit; OmegaT too when `DRAGOMAN_CAT_OMEGAT=1` (slower).
//! Skipped when the harness or its tools are not installed (`bench/cat/setup.sh`).

use std::path::{Path, PathBuf};
use std::process::Command;

use dragoman::tm::{self, ConvertOptions};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn harness_ready() -> bool {
    let venv = std::env::var("CAT_VENV").unwrap_or_else(|_| "/tmp/dragoman-cat-venv".into());
    shared().join("bench/cat/check_tmx.sh").exists()
        && Path::new(&venv).join("bin/python").exists()
        && Command::new("xmllint").arg("--version").output().is_ok()
}

fn check(script: &str, file: &Path) {
    let mut cmd = Command::new(shared().join("bench/cat").join(script));
    if script != "check_csv.sh" && std::env::var_os("DRAGOMAN_CAT_OMEGAT").is_none() {
        cmd.arg("--no-omegat");
    }
    let out = cmd.arg(file).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{script} {}:\n{text}", file.display());
    assert!(text.contains("RESULT: PASS"), "{text}");
}

#[test]
fn every_writer_passes_the_cat_harness() {
    if !harness_ready() {
        eprintln!("skipped: CAT harness not installed");
        return;
    }
    let sample = shared().join("bench/cat/samples/ok-ar-en-fr.tmx");
    let dir = tempfile::tempdir().unwrap();
    let opts = ConvertOptions::default();
    for (name, script) in [
        ("all.tmx", "check_tmx.sh"),
        ("all.csv", "check_csv.sh"),
        ("job.xlf", "check_xliff.sh"),
    ] {
        let out = dir.path().join(name);
        tm::convert(&sample, &out, &opts).unwrap();
        check(script, &out);
    }
    // Through CSV and back to TMX, and a language pair picked from the multilingual TMX.
    let csv = dir.path().join("all.csv");
    let back = dir.path().join("back.tmx");
    tm::convert(&csv, &back, &opts).unwrap();
    check("check_tmx.sh", &back);
    let pair = dir.path().join("ar-fr.tmx");
    let o = ConvertOptions {
        langs: vec!["ar".into(), "fr".into()],
        ..Default::default()
    };
    tm::convert(&sample, &pair, &o).unwrap();
    check("check_tmx.sh", &pair);
}
