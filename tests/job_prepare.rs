//! `dragoman prepare` end to end on a small job of our own (`tests/data/jobs/`): the package
//! layout, what each segment carries, schema validity, and the refusals (exit 2, nothing
//! written).

#[allow(dead_code)]
#[path = "cli/util.rs"]
mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)]
#[path = "job_util/mod.rs"]
mod job_util;

use job_util::{data, prepare, prepare_cmd, prepare_cmd_with, read};
use util::{fails, ok, root};

/// The `<trans-unit>` of `id` in an XLIFF 1.2 text.
fn unit<'a>(x: &'a str, id: &str) -> &'a str {
    let start = x
        .find(&format!("<trans-unit id=\"{id}\""))
        .unwrap_or_else(|| panic!("no unit {id}"));
    let end = start + x[start..].find("</trans-unit>").unwrap();
    &x[start..end]
}

#[test]
fn the_package_has_every_part_and_each_segment_what_the_tm_gives() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    for f in [
        "job.json",
        "followup.xlf",
        "source/followup.txt",
        "review/followup.csv",
        "review/followup.html",
        "analysis.txt",
        "analysis.html",
        "omegat/omegat.project",
        "omegat/source/followup.xlf",
        "omegat/tm/auto/followup.exact.tmx",
        "omegat/tm/followup.fuzzy.tmx",
        "omegat/omegat/segmentation.conf",
    ] {
        assert!(job.join(f).is_file(), "{f} missing");
    }
    for d in ["omegat/target", "omegat/glossary", "omegat/dictionary"] {
        assert!(job.join(d).is_dir(), "{d} missing");
    }
    // the job's copy of the source is the file, byte for byte
    assert_eq!(
        std::fs::read(job.join("source/followup.txt")).unwrap(),
        std::fs::read(data("followup.txt")).unwrap()
    );
    let x = read(&job.join("followup.xlf"));
    // context match (same neighbours as in old.txt), exact matches, a fuzzy one, a new one
    assert!(unit(&x, "p1.s1").contains("state=\"translated\" state-qualifier=\"leveraged-tm\">The two sides announced a ceasefire on Tuesday evening.</target>"));
    assert!(unit(&x, "p1.s2").contains(
        "state-qualifier=\"exact-match\">Eight soldiers were killed in the clashes.</target>"
    ));
    assert!(unit(&x, "p3.s2").contains("state-qualifier=\"exact-match\">The European Union"));
    let fuzzy = unit(&x, "p2.s1");
    assert!(!fuzzy.contains("<target xml:lang=\"en\" state="), "{fuzzy}");
    assert!(
        fuzzy.contains("origin=\"") && fuzzy.contains("#old:4\""),
        "{fuzzy}"
    );
    let q: u32 = fuzzy
        .split("match-quality=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!((75..100).contains(&q), "{q}");
    // the TM target's inline codes travel with the suggestion
    assert!(fuzzy.contains("<bpt id=\"1\""), "{fuzzy}");
    assert!(!unit(&x, "p3.s1").contains("<target"));
    assert!(!unit(&x, "p3.s1").contains("<alt-trans"));
    // paragraphs are groups
    assert_eq!(x.matches("<group id=\"p").count(), 3);
    // the manifest keeps the pre-translation finish compares with
    let m: serde_json::Value = serde_json::from_str(&read(&job.join("job.json"))).unwrap();
    let pre = &m["files"][0]["prefilled"];
    assert_eq!(
        pre["p1.s2"].as_str(),
        Some("Eight soldiers were killed in the clashes.")
    );
    assert!(pre.get("p2.s1").is_none());
    // the review file: one row per segment, Arabic right to left in the page
    let csv = read(&job.join("review/followup.csv"));
    assert_eq!(csv.lines().count(), 1 + 5);
    let html = read(&job.join("review/followup.html"));
    assert!(html.contains("<td dir=\"rtl\">هذه جملة جديدة تماما لا يعرفها أحد.</td>"));
    // the analysis report of the same job
    let a = read(&job.join("analysis.txt"));
    assert!(a.contains("followup.txt"), "{a}");
}

#[test]
fn the_omegat_project_gets_exact_matches_in_tm_auto_and_fuzzy_ones_in_tm() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let auto = read(&job.join("omegat/tm/auto/followup.exact.tmx"));
    assert_eq!(auto.matches("<tu ").count(), 3, "{auto}");
    assert!(!auto.contains("موسكو"));
    let fuzzy = read(&job.join("omegat/tm/followup.fuzzy.tmx"));
    assert!(fuzzy.contains("في موسكو.</seg>"), "{fuzzy}");
    // OmegaT 3.6 translates the content of <target>: every unit has its source there
    let src = read(&job.join("omegat/source/followup.xlf"));
    assert_eq!(src.matches("state=\"needs-translation\"").count(), 5);
    let project = read(&job.join("omegat/omegat.project"));
    assert!(project.contains("<source_lang>ar</source_lang>"));
    assert!(project.contains("<target_lang>en</target_lang>"));
}

/// xmllint with the schemas of `../shared/formats`, or `None` when either is missing.
fn xmllint() -> Option<(Command, PathBuf)> {
    let formats = root().join("../shared/formats");
    if !formats.join("xliff_core_2.1.xsd").is_file()
        || Command::new("xmllint").arg("--version").output().is_err()
    {
        return None;
    }
    let mut c = Command::new("xmllint");
    c.env("XML_CATALOG_FILES", formats.join("catalog.xml"))
        .args(["--catalogs", "--nonet", "--noout", "--schema"]);
    Some((c, formats))
}

fn validate(file: &Path, xsd: &str) -> bool {
    let Some((mut c, formats)) = xmllint() else {
        return false;
    };
    let out = c.arg(formats.join(xsd)).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{} against {xsd}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

#[test]
fn packages_validate_against_the_xliff_schemas() {
    if xmllint().is_none() {
        eprintln!("skipped: xmllint or ../shared/formats missing");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    for xsd in [
        "xliff-core-1.2-transitional.xsd",
        "xliff-core-1.2-strict.xsd",
    ] {
        assert!(validate(&job.join("followup.xlf"), xsd));
        assert!(validate(&job.join("omegat/source/followup.xlf"), xsd));
    }
    let dir2 = tempfile::tempdir().unwrap();
    let job2 = prepare(dir2.path(), &["--xliff", "2"]);
    let x = read(&job2.join("followup.xlf"));
    assert!(x.contains("version=\"2.1\""), "{x}");
    assert!(x.contains("<unit id=\"p2.s1\">"), "{x}");
    assert!(validate(&job2.join("followup.xlf"), "xliff_core_2.1.xsd"));
}

#[test]
fn xliff2_suggestions_keep_the_tm_codes_and_validate() {
    // A TM translation with a paired code and a placeholder, offered as a fuzzy match: the
    // XLIFF 2.1 package writes them as <sc>/<ec>/<ph> with their native text in the match's
    // <originalData>, as the 1.2 package writes them in <alt-trans>.
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("JOB");
    ok(prepare_cmd_with(
        &data("codes.txt"),
        &data("tm.codes.ar-en.tmx"),
        &["-s", "ar", "-t", "en", "--xliff", "2"],
        &job,
    ));
    let x = read(&job.join("codes.xlf"));
    assert!(
        x.contains("<originalData><data id=\"d1\">&lt;b&gt;</data><data id=\"d2\">&lt;/b&gt;</data><data id=\"d3\">&lt;br/&gt;</data></originalData>"),
        "{x}"
    );
    assert!(
        x.contains("the <sc id=\"c1\" dataRef=\"d1\"/>deal<ec startRef=\"c1\" dataRef=\"d2\"/> holds so far<ph id=\"c3\" dataRef=\"d3\"/> in the city</target>"),
        "{x}"
    );
    if xmllint().is_some() {
        assert!(validate(&job.join("codes.xlf"), "xliff_core_2.1.xsd"));
    }
}

#[test]
fn the_omegat_harness_opens_the_project() {
    // Real OmegaT (slow): with DRAGOMAN_CAT_OMEGAT=1, as tests/tm_cat.rs; .ci/run runs the
    // script too.
    if std::env::var_os("DRAGOMAN_CAT_OMEGAT").is_none() {
        eprintln!("skipped: set DRAGOMAN_CAT_OMEGAT=1 to run OmegaT");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let out = Command::new(root().join("scripts/omegat-job-check.sh"))
        .arg(&job)
        .arg(env!("CARGO_BIN_EXE_dragoman"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("[PASS] fuzzy followup.txt: 1/1"), "{text}");
    assert!(text.contains("[PASS] exact followup.txt: 3/3"), "{text}");
}

#[test]
fn an_existing_job_directory_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("JOB");
    std::fs::create_dir(&job).unwrap();
    std::fs::write(job.join("notes.txt"), "mine").unwrap();
    let err = fails(prepare_cmd(&data("followup.txt"), &["-t", "en"], &job));
    assert!(err.contains("JOB") && err.contains("--force"), "{err}");
    assert_eq!(read(&job.join("notes.txt")), "mine");
    assert!(!job.join("job.json").exists());
    prepare(dir.path(), &["--force"]);
    assert!(job.join("job.json").is_file());
    assert!(!job.join("notes.txt").exists());
}

#[test]
fn a_tm_without_the_target_language_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("JOB");
    let err = fails(prepare_cmd(&data("followup.txt"), &["-t", "fr"], &job));
    assert!(err.contains("tm.ar-en.tmx"), "{err}");
    assert!(!job.exists());
}

#[test]
fn a_job_file_in_the_wrong_language_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("en.txt");
    std::fs::write(&en, "This is English. It is not Arabic at all.\n").unwrap();
    let job = dir.path().join("JOB");
    let err = fails(prepare_cmd(&en, &["-s", "ar", "-t", "en"], &job));
    assert!(err.contains("en.txt:1:"), "{err}");
    assert!(!job.exists());
}

/// Headless Chromium, `None` when it is not installed (an error when
/// `DRAGOMAN_REQUIRE_CHROMIUM` is set, as in CI).
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    assert!(
        found.is_some() || std::env::var_os("DRAGOMAN_REQUIRE_CHROMIUM").is_none(),
        "DRAGOMAN_REQUIRE_CHROMIUM is set but chromium is not installed"
    );
    found
}

#[test]
fn the_review_page_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let page = read(&job.join("review/followup.html"));
    assert!(!page.contains("http://") && !page.contains("https://"));
    let Some(chromium) = chromium() else {
        eprintln!("skipped: chromium not installed");
        return;
    };
    // What the browser computed, written into the DOM by a probe appended to a copy of the
    // page: the direction of each source and target cell, and the rows a band filter keeps.
    let probe = r#"<script>
const rows=[...document.querySelectorAll('tbody tr')];
const dir=(n)=>rows.map(r=>getComputedStyle(r.cells[n]).direction).join(',');
document.body.dataset.src=dir(2);document.body.dataset.tgt=dir(3);
filt(rows[rows.length-1].dataset.band);
document.body.dataset.shown=rows.filter(r=>!r.hidden).length;
filt('');</script></body>"#;
    let probed = dir.path().join("probed.html");
    std::fs::write(&probed, page.replace("</body>", probe)).unwrap();
    let url = |p: &Path| format!("file://{}", p.display());
    let o = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(url(&probed))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&o.stdout);
    // One row per segment, in the order and with the bands of the review CSV.
    let csv = read(&job.join("review/followup.csv"));
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(dom.matches("<tr data-band=").count(), rows.len(), "{dom}");
    let mut at = 0;
    for row in &rows {
        let cell = format!("<td>{}</td><td class=\"band ", &row[0]);
        let found = dom[at..]
            .find(&cell)
            .unwrap_or_else(|| panic!("no row {} after byte {at}: {dom}", &row[0]));
        at += found + cell.len();
        let band_cell = &dom[at..at + dom[at..].find("</td>").unwrap()];
        assert!(band_cell.ends_with(&format!(">{}", &row[1])), "{band_cell}");
    }
    let bands: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    for b in ["101%", "100%", "no match"] {
        assert!(bands.contains(&b), "{bands:?}");
    }
    assert!(bands.iter().any(|b| b.ends_with('%') && b.contains('-')));
    // Arabic source cells are laid out right to left, English targets left to right.
    let rtl = vec!["rtl"; rows.len()].join(",");
    let ltr = vec!["ltr"; rows.len()].join(",");
    assert!(dom.contains(&format!("data-src=\"{rtl}\"")), "{dom}");
    assert!(dom.contains(&format!("data-tgt=\"{ltr}\"")), "{dom}");
    // The band filter keeps the rows of one band.
    let last = bands[bands.len() - 1];
    let shown = bands.iter().filter(|&&b| b == last).count();
    assert!(dom.contains(&format!("data-shown=\"{shown}\"")), "{dom}");
    // And it draws: a screenshot of the page itself.
    let shot = dir.path().join("review.png");
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg("--window-size=1200,700")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url(&job.join("review/followup.html")))
        .output()
        .unwrap();
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 5000,
        "{}",
        png.len()
    );
}
