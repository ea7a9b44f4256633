//! `dragoman diff` end to end: inputs (TMX, XLIFF, CSV, plain text with and without the
//! source), reports (text, JSON, CSV, HTML in headless Chromium), colour, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dragoman"));
    c.env_remove("NO_COLOR");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const ARTICLE: &str = "russian-mediation-armenia-azerbaijan.txt";

fn run(args: &[&str], files: &[&Path]) -> Output {
    let mut c = bin();
    c.arg("diff").args(args);
    for f in files {
        c.arg(f);
    }
    c.output().expect("run dragoman")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A TMX with `(tuid, ar, en, changeid)` units.
fn tmx(dir: &Path, name: &str, units: &[(Option<&str>, &str, &str, &str)]) -> PathBuf {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\" \
         adminlang=\"en\" creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" \
         o-tmf=\"t\" datatype=\"plaintext\"/><body>\n",
    );
    for (id, ar, en, who) in units {
        let id = id.map(|i| format!(" tuid=\"{i}\"")).unwrap_or_default();
        s.push_str(&format!(
            "<tu{id} changeid=\"{who}\" changedate=\"20260101T000000Z\"><tuv xml:lang=\"ar\"><seg>{ar}</seg></tuv>\
             <tuv xml:lang=\"en\"><seg>{en}</seg></tuv></tu>\n"
        ));
    }
    s.push_str("</body></tmx>\n");
    let p = dir.join(name);
    std::fs::write(&p, s).unwrap();
    p
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// `(id, status)` of the units of the first file of a JSON report.
fn statuses(v: &serde_json::Value) -> Vec<(String, String)> {
    v["files"][0]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["id"].as_str().unwrap_or("").to_string(),
                u["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn d12_identical_versions_exit_0_and_report_nothing() {
    let d = tempfile::tempdir().unwrap();
    let a = tmx(d.path(), "a.tmx", &[(Some("1"), "سلام", "Peace", "ann")]);
    let o = run(&[], &[&a, &a]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let s = stdout(&o);
    assert!(s.contains("1 units: 1 unchanged, 0 edited"), "{s}");
    assert!(!s.contains("@@"), "{s}");
}

#[test]
fn d12_tmx_units_are_matched_by_tuid_through_moves_insertions_and_deletions() {
    let d = tempfile::tempdir().unwrap();
    let a = tmx(
        d.path(),
        "a.tmx",
        &[
            (Some("1"), "واحد", "One cat.", "ann"),
            (Some("2"), "اثنان", "Two dogs.", "ann"),
            (Some("3"), "ثلاثة", "Three birds.", "ann"),
            (Some("4"), "أربعة", "Four fish.", "ann"),
        ],
    );
    let b = tmx(
        d.path(),
        "b.tmx",
        &[
            (Some("1"), "واحد", "One cat.", "ann"),
            (Some("4"), "أربعة", "Four fish.", "ann"),
            (Some("2"), "اثنان", "Two big dogs.", "rev"),
            (Some("9"), "تسعة", "Nine.", "rev"),
        ],
    );
    let o = run(&["--format", "json"], &[&a, &b]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        statuses(&v),
        vec![s("2", "edited"), s("3", "removed"), s("9", "added")]
    );
    let u = &v["files"][0]["units"][0];
    assert_eq!(u["variants"][1]["lang"], "en");
    assert_eq!(u["variants"][1]["word_edits"], 1);
    // "Two dogs." -> "Two big dogs.": 4 characters inserted of 13: 30.8 % -> 31-50.
    assert_eq!(u["variants"][1]["char_edits"], 4);
    assert_eq!(u["variants"][1]["band"], "31-50");
    assert_eq!(u["translator"], "ann");
    assert_eq!(u["reviser"], "rev");
    let t = &v["total"]["total"];
    assert_eq!(t["unchanged"], 2);
    assert_eq!(v["total"]["by_translator"]["ann"]["edited"], 1);
    // Units 1 and 4 unchanged, 2 edited, 3 removed: all ann's;
    // the added 9 is its writer's. All were dated 2026-01-01.
    assert_eq!(v["total"]["by_translator"]["ann"]["units"], 4);
    assert_eq!(v["total"]["by_translator"]["rev"]["added"], 1);
    assert_eq!(v["total"]["by_date"]["2026-01-01"]["units"], 5);
    assert_eq!(v["total"]["by_date"]["2026-01-01"]["unchanged"], 2);
}

#[test]
fn d12_without_tuids_units_are_matched_by_source_text() {
    let d = tempfile::tempdir().unwrap();
    let a = tmx(
        d.path(),
        "a.tmx",
        &[(None, "واحد", "One.", "x"), (None, "اثنان", "Two.", "x")],
    );
    let b = tmx(
        d.path(),
        "b.tmx",
        &[(None, "اثنان", "Two!", "x"), (None, "واحد", "One.", "x")],
    );
    let v = json(&run(&["--format", "json"], &[&a, &b]));
    let units = v["files"][0]["units"].as_array().unwrap();
    assert_eq!(units.len(), 1, "{v}");
    assert_eq!(units[0]["source"], "اثنان");
    assert_eq!(units[0]["status"], "edited");
}

#[test]
fn d12_xliff_units_are_matched_by_id() {
    let d = tempfile::tempdir().unwrap();
    let x = |name: &str, t1: &str, t2: &str| {
        let p = d.path().join(name);
        std::fs::write(
            &p,
            format!(
                "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\
                 <file original=\"x\" source-language=\"ar\" target-language=\"en\" datatype=\"plaintext\"><body>\
                 <trans-unit id=\"a\"><source>مرحبا</source><target>{t1}</target></trans-unit>\
                 <trans-unit id=\"b\"><source>شكرا</source><target>{t2}</target></trans-unit>\
                 </body></file></xliff>\n"
            ),
        )
        .unwrap();
        p
    };
    let a = x("a.xlf", "Hello", "Thanks");
    let b = x("b.xlf", "Hello", "Thank you");
    let o = run(&["--format", "json"], &[&a, &b]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(statuses(&v), vec![("b".to_string(), "edited".to_string())]);
}

#[test]
fn d12_csv_report_has_one_row_per_changed_language() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.csv");
    let b = d.path().join("b.csv");
    std::fs::write(&a, "ar,en\r\nواحد,One\r\nاثنان,Two\r\n").unwrap();
    std::fs::write(&b, "ar,en\r\nواحد,One\r\nاثنان,Second\r\nثلاثة,Three\r\n").unwrap();
    let o = run(&["--format", "csv"], &[&a, &b]);
    assert_eq!(o.status.code(), Some(1));
    let s = stdout(&o);
    let mut r = csv::Reader::from_reader(s.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1 + 2, "{s}"); // 'Two' edited; 'Three' added: ar and en rows
    assert_eq!(&rows[0][2], "en");
    assert_eq!(&rows[0][3], "edited");
    assert_eq!(&rows[0][16], "[-Two-]{+Second+}");
    assert_eq!(&rows[1][3], "added");
}

#[test]
fn d12_plain_text_through_the_source_keeps_split_and_merged_sentences_in_one_unit() {
    let src = root().join("source").join(ARTICLE);
    let old = root().join("translations/en").join(ARTICLE);
    let new = root()
        .join("translations/en/revisions")
        .join(ARTICLE.replace(".txt", ".r2.txt"));
    let o = run(&["--format", "json", "--source"], &[&src, &old, &new]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    let ids: Vec<String> = statuses(&v).into_iter().map(|(i, _)| i).collect();
    let stem = ARTICLE.trim_end_matches(".txt");
    assert_eq!(ids, [2, 4, 5, 12, 26].map(|i| format!("{stem}:{i}")), "{v}");
    // Unit 2: one old sentence against the two the reviewer split it into.
    let u = &v["files"][0]["units"][0];
    assert!(u["variants"][1]["new"]
        .as_str()
        .unwrap()
        .contains("holding. The deadly"));
    assert_eq!(v["total"]["total"]["unchanged"], 21);
    assert_eq!(v["total"]["total"]["edited"], 5);
    // The same file against itself: no difference.
    let o = run(&["--source"], &[&src, &old, &old]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn d12_plain_text_without_source_aligns_the_versions_to_each_other() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.txt");
    let b = d.path().join("b.txt");
    std::fs::write(
        &a,
        "The meeting was long and it ended late at night. Everyone went home.\nNothing else happened.\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "The meeting was long. It ended late at night. Everyone went home.\nNothing else happened.\n",
    )
    .unwrap();
    let o = run(&["--format", "json", "--lang", "en"], &[&a, &b]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let units = v["files"][0]["units"].as_array().unwrap();
    assert_eq!(units.len(), 1, "{v}");
    assert_eq!(units[0]["id"], "b:0>0,1");
    assert_eq!(v["total"]["total"]["unchanged"], 2);
}

#[test]
fn d12_colour_only_when_asked_and_never_with_no_color() {
    let d = tempfile::tempdir().unwrap();
    let a = tmx(d.path(), "a.tmx", &[(Some("1"), "سلام", "Peace", "x")]);
    let b = tmx(d.path(), "b.tmx", &[(Some("1"), "سلام", "Quiet", "x")]);
    // Piped: no colour.
    assert!(!stdout(&run(&[], &[&a, &b])).contains('\x1b'));
    assert!(stdout(&run(&["--color", "always"], &[&a, &b])).contains("\x1b[31;9mPeace"));
    let o = bin()
        .env("NO_COLOR", "1")
        .args(["--color", "always", "diff"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
    assert!(!stdout(&run(&["--color", "never"], &[&a, &b])).contains('\x1b'));
}

#[test]
fn d12_arabic_is_isolated_in_logical_order_with_a_character_diff_in_words() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.csv");
    let b = d.path().join("b.csv");
    std::fs::write(&a, "en,ar\r\nIn the city,في بالمدينة\r\n").unwrap();
    std::fs::write(&b, "en,ar\r\nIn the city,في للمدينة\r\n").unwrap();
    let s = stdout(&run(&[], &[&a, &b]));
    assert!(s.contains("- ar    \u{2068}في بالمدينة\u{2069}\n"), "{s}");
    assert!(
        s.contains("~ ar    \u{2068}في [-با-]ل{+ل+}مدينة\u{2069}\n"),
        "{s}"
    );
    assert!(s.contains("1 word, 2 chars"), "{s}");
}

#[test]
fn d12_bad_input_exits_2_naming_file_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let a = tmx(d.path(), "a.tmx", &[(Some("1"), "سلام", "Peace", "x")]);
    let bad = d.path().join("bad.tmx");
    std::fs::write(
        &bad,
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\"/><body>\n<tu><tuv xml:lang=\"ar\"><seg>x</sag></tuv></tu></body></tmx>\n",
    )
    .unwrap();
    let o = run(&[], &[&a, &bad]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("bad.tmx:3:"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    let o = run(&[], &[&a, &d.path().join("missing.tmx")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.tmx"));
}

#[test]
fn d12_html_report_in_headless_chromium() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.csv");
    let b = d.path().join("b.csv");
    std::fs::write(
        &a,
        "en,ar\r\nIn the city,في بالمدينة\r\nGood,جيد\r\nStays,باق\r\nOld line,سطر قديم جدا جدا\r\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "en,ar\r\nIn the city,في للمدينة\r\nGood,جيد جدا\r\nStays,باق\r\nOld line,شيء آخر تماما\r\n",
    )
    .unwrap();
    let html = d.path().join("r.html");
    let o = run(&["--format", "html", "-o"], &[&html, &a, &b]);
    assert_eq!(o.status.code(), Some(1));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("http://") && !page.contains("https://"));
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(chromium) = chromium else {
        assert!(
            std::env::var_os("DRAGOMAN_REQUIRE_CHROMIUM").is_none(),
            "DRAGOMAN_REQUIRE_CHROMIUM is set but chromium is not installed"
        );
        println!("skipped: chromium not installed");
        return;
    };
    let o = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&o.stdout);
    // Three changed units, one row each; the filter script ran (it fills #shown).
    assert_eq!(dom.matches("<tr class=\"edited\"").count(), 3, "{dom}");
    assert!(dom.contains("<span id=\"shown\">3</span>"), "{dom}");
    assert!(
        dom.contains("<td dir=\"rtl\" class=\"old\">في <del>با</del>لمدينة</td>"),
        "{dom}"
    );
    assert!(dom.contains("<ins>"), "{dom}");
    assert!(
        dom.contains("data-band=\"&gt;50\"") || dom.contains("data-band=\">50\""),
        "{dom}"
    );
    // And it renders: a screenshot of the page, a PNG of the window's size.
    let shot = d.path().join("r.png");
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1000,700")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let png = std::fs::read(&shot)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    assert_eq!((be(16), be(20)), (1000, 700));
    // Not a blank page: a page of one colour compresses to a few hundred bytes.
    assert!(png.len() > 5000, "{} bytes", png.len());
}

#[test]
fn d12_the_readme_shows_what_diff_prints_on_the_bundled_revision() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("$ dragoman diff --source")
        .expect("README diff example");
    let block = &readme[start..];
    let block = &block[..block.find("```").unwrap()];
    let shown: Vec<&str> = block.lines().skip(1).collect();
    let mut c = bin();
    c.current_dir(root()).args([
        "diff",
        "--source",
        &format!("source/{ARTICLE}"),
        &format!("translations/en/{ARTICLE}"),
        &format!(
            "translations/en/revisions/{}",
            ARTICLE.replace(".txt", ".r2.txt")
        ),
    ]);
    let out = String::from_utf8(c.output().unwrap().stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    // The README shows the first unit and the summary, the middle elided with '…'.
    let cut = shown.iter().position(|l| l.starts_with('…')).unwrap();
    assert_eq!(&shown[..cut], &lines[..cut]);
    let tail = shown.len() - cut - 1;
    assert_eq!(&shown[cut + 1..], &lines[lines.len() - tail..]);
}

/// A TMX of `n` units over several chunks (the reader cuts about 1 MiB), one unit a line, with
/// `edit` applied to the English text of each unit.
fn big_tmx(path: &Path, n: usize, edit: &dyn Fn(usize, String) -> Option<String>) {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\" \
         adminlang=\"en\" creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" \
         o-tmf=\"t\" datatype=\"plaintext\"/><body>\n",
    );
    let pad = "x".repeat(300);
    for i in 0..n {
        let en = format!("Sentence number {i} says {pad}.");
        let Some(en) = edit(i, en) else { continue };
        s.push_str(&format!(
            "<tu tuid=\"{i}\" changeid=\"ann\"><tuv xml:lang=\"ar\"><seg>جملة {i}</seg></tuv><tuv xml:lang=\"en\"><seg>{en}</seg></tuv></tu>\n"
        ));
    }
    s.push_str("</body></tmx>\n");
    std::fs::write(path, s).unwrap();
}

#[test]
fn d12_large_revisions_find_every_edit_and_errors_keep_their_line() {
    let d = tempfile::tempdir().unwrap();
    let (a, b, bad) = (
        d.path().join("a.tmx"),
        d.path().join("b.tmx"),
        d.path().join("bad.tmx"),
    );
    let n = 9000; // about 4 MB: several chunks on each side
    big_tmx(&a, n, &|_, en| Some(en));
    big_tmx(&b, n, &|i, en| match i {
        3000 | 7000 => Some(en.replace("says", "tells")),
        5000 => None,
        _ => Some(en),
    });
    let o = run(&["--format", "csv"], &[&a, &b]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = stdout(&o);
    let rows: Vec<String> = csv::Reader::from_reader(s.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!("{} {} {}", &r[1], &r[2], &r[3])
        })
        .collect();
    assert_eq!(
        rows,
        [
            "3000 en edited",
            "7000 en edited",
            "5000 ar removed",
            "5000 en removed"
        ],
        "{s}"
    );
    // A broken tag in an edited unit deep in the file: reported at its own line (unit i is on
    // line i + 3).
    big_tmx(&bad, n, &|i, en| match i {
        6000 => Some(format!("{en}<b>oops</i>")),
        _ => Some(en),
    });
    let o = run(&[], &[&a, &bad]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("bad.tmx:6003:"), "{e}");
}

#[test]
fn d12_a_version_can_be_a_git_revision() {
    let rev = format!(
        "HEAD:translations/en/revisions/{}",
        ARTICLE.replace(".txt", ".r2.txt")
    );
    let have_git = Command::new("git")
        .current_dir(root())
        .args(["cat-file", "-e", &rev])
        .status()
        .is_ok_and(|s| s.success());
    if !have_git {
        println!("skipped: not in a git checkout with the revision committed");
        return;
    }
    let mut c = bin();
    c.current_dir(root()).args([
        "diff",
        "--format",
        "json",
        "--source",
        &format!("source/{ARTICLE}"),
        &format!("translations/en/{ARTICLE}"),
        &rev,
    ]);
    let o = c.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["total"]["total"]["edited"], 5);
    let mut c = bin();
    c.current_dir(root())
        .args(["diff", "HEAD:no/such.tmx", "HEAD:no/such.tmx"]);
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("HEAD:no/such.tmx"));
}

#[test]
fn d12_a_tmx_against_its_csv_export_compares_texts_only() {
    let d = tempfile::tempdir().unwrap();
    let a = tmx(
        d.path(),
        "a.tmx",
        &[
            (Some("1"), "واحد", "One.", "ann"),
            (Some("2"), "اثنان", "Two.", "ann"),
        ],
    );
    let b = d.path().join("b.csv");
    std::fs::write(&b, "ar,en\r\nواحد,One.\r\nاثنان,Two.\r\n").unwrap();
    // The CSV has no ids, props or attributes: that is no difference.
    let o = run(&[], &[&a, &b]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    std::fs::write(&b, "ar,en\r\nواحد,One.\r\nاثنان,Two!\r\n").unwrap();
    let v = json(&run(&["--format", "json"], &[&a, &b]));
    assert_eq!(v["total"]["total"]["edited"], 1);
    assert_eq!(v["total"]["total"]["meta_only"], 0);
}

/// A store filled from `a`, diffed against `a` (its own content) and against a revision `b`.
fn store_against_tmx(store: &str, dir: &Path) {
    let a = tmx(
        dir,
        "a.tmx",
        &[
            (Some("1"), "قطة", "The cat sat.", "ann"),
            (Some("2"), "كلب", "A dog.", "ann"),
            (Some("3"), "بيت", "A house.", "bob"),
        ],
    );
    let b = tmx(
        dir,
        "b.tmx",
        &[
            (Some("1"), "قطة", "The cat sat.", "ann"),
            (Some("2"), "كلب", "A big dog.", "ann"),
        ],
    );
    let o = bin()
        .args(["tm", "import", store])
        .arg(&a)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let st = Path::new(store);
    let o = run(&["--format", "json"], &[st, &a]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&["--format", "json"], &[st, &b]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(
        statuses(&v),
        [
            ("2".into(), "edited".into()),
            ("3".into(), "removed".into())
        ]
    );
}

#[test]
fn d12_a_store_against_a_tmx() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("tm.db");
    store_against_tmx(&store.to_string_lossy(), d.path());
    // A store that is missing is an error naming it.
    let o = run(&[], &[&d.path().join("none.db"), &d.path().join("a.tmx")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("none.db"));
}

/// The same on PostgreSQL, in a fresh database of the `DRAGOMAN_TEST_PG` server (as
/// `tests/tm_store.rs` does); skipped when it is not set.
#[test]
fn d12_a_postgres_store_against_a_tmx() {
    let Ok(server) = std::env::var("DRAGOMAN_TEST_PG") else {
        eprintln!("skipped: set DRAGOMAN_TEST_PG=postgres://USER@HOST:PORT/DB");
        return;
    };
    let db = format!("dragoman_diff{}", std::process::id());
    let mut c = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let base = server.split('?').next().unwrap();
    let (head, _) = base.rsplit_once('/').unwrap();
    let d = tempfile::tempdir().unwrap();
    store_against_tmx(&format!("{head}/{db}"), d.path());
    c.batch_execute(&format!("DROP DATABASE {db}")).unwrap();
}

/// Two versions in unrelated orders, matched through the sort on disk (spilling after 10
/// waiting units) and in memory: the same units found edited, removed and added.
#[test]
fn d12_a_shuffled_revision_is_matched_through_a_spill_to_disk() {
    let d = tempfile::tempdir().unwrap();
    let n = 300usize;
    let old: Vec<(String, String)> = (0..n)
        .map(|i| (format!("{i}"), format!("Sentence number {i} of the text.")))
        .collect();
    // Shuffled by a fixed permutation; every 7th edited, unit 5 removed, unit 900 added.
    let mut new: Vec<(String, String)> = (0..n)
        .map(|k| (k * 173) % n)
        .filter(|&i| i != 5)
        .map(|i| {
            let en = if i % 7 == 0 {
                format!("Sentence {i} of the revised text.")
            } else {
                old[i].1.clone()
            };
            (format!("{i}"), en)
        })
        .collect();
    new.push(("900".into(), "Added.".into()));
    let file = |name: &str, v: &[(String, String)]| {
        let units: Vec<(Option<&str>, &str, &str, &str)> = v
            .iter()
            .map(|(id, en)| (Some(id.as_str()), "جملة", en.as_str(), "ann"))
            .collect();
        tmx(d.path(), name, &units)
    };
    let (a, b) = (file("a.tmx", &old), file("b.tmx", &new));
    let found = |args: &[&str]| {
        let o = run(&[&["--format", "json"], args].concat(), &[&a, &b]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut s = statuses(&json(&o));
        s.sort();
        s
    };
    let mut want: Vec<(String, String)> = (0..n)
        .filter(|i| i % 7 == 0)
        .map(|i| (i.to_string(), "edited".to_string()))
        .collect();
    want.push(("5".into(), "removed".into()));
    want.push(("900".into(), "added".into()));
    want.sort();
    assert_eq!(found(&["--spill-after", "10"]), want);
    assert_eq!(found(&[]), want);
}
