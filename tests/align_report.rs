//! The HTML review report, rendered by a real browser: headless Chromium's `--dump-dom` must
//! show one row per link, the Arabic column right to left, escaped text and the summary.
//! Skipped (with a note) when Chromium is not installed.

use std::path::Path;
use std::process::Command;

use dragoman::align::report::{write_html, ReportOptions};
use dragoman::align::{Aligner, Params};
use dragoman::pipeline::Segmented;
use dragoman::{Document, Lang};

/// A presegmented fixture: one sentence a line, a blank line between paragraphs.
fn load(name: &str) -> Segmented {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/align")
        .join(name);
    Segmented::presegmented(Document::from_path(&path, true).unwrap())
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn report_renders_in_chromium_with_rows_and_rtl_column() {
    let (ar, en) = (load("mini.ar"), load("mini.en"));
    let (src, tgt) = (ar.sentences(), en.sentences());
    let (sl, tl) = (Lang::parse("ar").unwrap(), Lang::parse("en").unwrap());
    let params = Params {
        src_lang: Some(sl.clone()),
        tgt_lang: Some(tl.clone()),
        ..Params::default()
    };
    let links = Aligner::new(params).align(&src, &tgt);
    let opts = ReportOptions::new("mini <ar-en>", sl, tl);
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let mut buf = Vec::new();
    write_html(&mut buf, &opts, &src, &tgt, &links).unwrap();
    std::fs::write(&html, &buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert!(
        !text.contains("<script") && !text.contains("http"),
        "not self-contained"
    );

    let Some(bin) = chromium() else {
        // CI installs chromium and sets this, so the check cannot be skipped there.
        assert!(
            std::env::var_os("DRAGOMAN_REQUIRE_CHROMIUM").is_none(),
            "DRAGOMAN_REQUIRE_CHROMIUM is set but chromium is not installed"
        );
        eprintln!("note: chromium not installed; skipping the browser check");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8(out.stdout).unwrap();
    let rows = dom.matches("<tr id=\"l").count();
    assert_eq!(rows, links.len(), "one row per link:\n{dom}");
    assert!(
        dom.contains("lang=\"ar\" dir=\"rtl\""),
        "rtl column missing"
    );
    assert!(dom.contains("lang=\"en\" dir=\"ltr\""));
    // Escaped markup in the input stays text (the parser saw no <b> element from it).
    assert!(dom.contains("&lt;b&gt;"), "input markup not escaped");
    assert!(!dom.contains("<b>\"السخرية"));
    assert!(dom.contains("id=\"summary\""));
    assert!(
        dom.contains("(no counterpart)"),
        "the added sentence is shown unlinked"
    );
    assert!(
        dom.contains("class=\"link") && dom.contains(" para\""),
        "paragraph break row"
    );
}
