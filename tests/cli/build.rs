//! `dragoman build`: golden files, reproducibility, read-back of TMX and CSV.

use std::fs;
use std::path::Path;

use crate::util::*;

fn build(dir: &Path) -> String {
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(dir);
    ok(cmd)
}

#[test]
fn build_reproduces_committed_tmx_byte_for_byte() {
    let p = project();
    build(p.path());
    let committed = root().join("tmx");
    let mut names: Vec<String> = fs::read_dir(&committed)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut built: Vec<String> = fs::read_dir(p.path().join("tmx"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    built.sort();
    assert_eq!(names, built, "tmx/ holds other files than build writes");
    for n in &names {
        let want = fs::read(committed.join(n)).unwrap();
        let got = fs::read(p.path().join("tmx").join(n)).unwrap();
        assert!(
            want == got,
            "tmx/{n} differs from a fresh build: run `cargo run --release -- build` and commit"
        );
    }
}

#[test]
fn source_date_epoch_is_honoured_and_output_is_stable() {
    let p = project();
    let mut cmd = dragoman();
    cmd.env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["build", "-q", "--project"])
        .arg(p.path());
    ok(cmd);
    let tmx_path = p.path().join(format!(
        "tmx/{}.ar-en.tmx",
        ARTICLE.trim_end_matches(".txt")
    ));
    let first = fs::read_to_string(&tmx_path).unwrap();
    assert!(first.contains("creationdate=\"20231114T221320Z\""));
    let mut cmd = dragoman();
    cmd.env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["build", "-q", "--project"])
        .arg(p.path());
    ok(cmd);
    assert_eq!(first, fs::read_to_string(&tmx_path).unwrap());
}

/// Reads (source, target) pairs back from a TMX with quick-xml.
fn tmx_pairs(path: &Path, src: &str, tgt: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let text = fs::read_to_string(path).unwrap();
    let mut r = quick_xml::Reader::from_str(&text);
    let (mut pairs, mut lang, mut cur, mut in_seg) = (Vec::new(), String::new(), Vec::new(), false);
    let mut seg = String::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"tuv" => {
                let a = e.try_get_attribute("xml:lang").unwrap().unwrap();
                lang = a.unescape_value().unwrap().into_owned();
            }
            Event::Start(e) if e.name().as_ref() == b"seg" => {
                in_seg = true;
                seg.clear();
            }
            Event::Text(t) if in_seg => seg.push_str(&t.unescape().unwrap()),
            Event::End(e) if e.name().as_ref() == b"seg" => {
                in_seg = false;
                cur.push((lang.clone(), seg.clone()));
            }
            Event::End(e) if e.name().as_ref() == b"tu" => {
                let get = |l: &str| cur.iter().find(|(x, _)| x == l).unwrap().1.clone();
                pairs.push((get(src), get(tgt)));
                cur.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    pairs
}

#[test]
fn tmx_and_csv_read_back_to_the_aligned_pairs() {
    let p = project();
    build(p.path());
    let stem = ARTICLE.trim_end_matches(".txt");
    for lang in ["en", "fr"] {
        let mut cmd = dragoman();
        cmd.args(["align", "--with-text", "-s", "ar", "-t", lang])
            .arg(p.path().join("source").join(ARTICLE))
            .arg(p.path().join("translations").join(lang).join(ARTICLE));
        let expected: Vec<(String, String)> = ok(cmd)
            .lines()
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|c| !c[0].is_empty() && !c[1].is_empty())
            .map(|c| (c[3].to_string(), c[4].to_string()))
            .collect();
        assert!(expected.len() > 20);
        let tmx = p.path().join(format!("tmx/{stem}.ar-{lang}.tmx"));
        assert_eq!(tmx_pairs(&tmx, "ar", lang), expected, "TMX ar-{lang}");
        let csv = p.path().join(format!("tmx/{stem}.ar-{lang}.csv"));
        let mut rd = csv::Reader::from_path(&csv).unwrap();
        assert_eq!(rd.headers().unwrap(), vec!["ar", lang]);
        let rows: Vec<(String, String)> = rd
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_string(), r[1].to_string())
            })
            .collect();
        assert_eq!(rows, expected, "CSV ar-{lang}");
    }
}

#[test]
fn multilingual_tmx_has_all_three_languages_in_every_unit() {
    let p = project();
    build(p.path());
    let stem = ARTICLE.trim_end_matches(".txt");
    let path = p.path().join(format!("tmx/{stem}.tmx"));
    let en = tmx_pairs(&path, "ar", "en");
    let fr = tmx_pairs(&path, "ar", "fr");
    assert_eq!(en.len(), fr.len());
    assert!(en.len() >= 20, "only {} units", en.len());
    for ((ar1, _), (ar2, _)) in en.iter().zip(&fr) {
        assert_eq!(ar1, ar2);
    }
}

#[test]
fn summary_lists_link_types_and_colour_obeys_no_color() {
    let p = project();
    let mut cmd = dragoman();
    cmd.env("NO_COLOR", "1")
        .args(["--color", "always", "build", "--project"])
        .arg(p.path());
    let out = ok(cmd);
    assert!(out.contains("ar-en: 28 -> 32 segments"), "{out}");
    assert!(out.contains("1-2: "), "{out}");
    assert!(!out.contains('\x1b'), "colour despite NO_COLOR");
    let mut cmd = dragoman();
    cmd.args(["--color", "always", "build", "--project"])
        .arg(p.path());
    assert!(ok(cmd).contains('\x1b'));
}

#[test]
fn report_is_written_on_request() {
    let p = project();
    let mut cmd = dragoman();
    cmd.args(["build", "-q", "--report", "--project"])
        .arg(p.path());
    ok(cmd);
    let stem = ARTICLE.trim_end_matches(".txt");
    let html = fs::read_to_string(p.path().join(format!("reports/{stem}.ar-en.html"))).unwrap();
    assert!(html.contains("<html") || html.contains("<!doctype") || html.contains("<!DOCTYPE"));
    assert!(html.contains("باكو"));
}

#[test]
fn corrections_file_is_honoured_and_reported() {
    let p = project();
    let stem = ARTICLE.trim_end_matches(".txt");
    fs::create_dir_all(p.path().join("corrections")).unwrap();
    // A person decides the headline and the first sentence form one unit with English 0-2.
    fs::write(
        p.path().join(format!("corrections/{stem}.ar-en.tsv")),
        "# fixed by hand\n0,1\t0,1,2\n",
    )
    .unwrap();
    let out = build(p.path());
    assert!(out.contains("1 corrected by hand"), "{out}");
    let csv = fs::read_to_string(p.path().join(format!("tmx/{stem}.ar-en.csv"))).unwrap();
    let second_line = csv.lines().nth(1).unwrap();
    assert!(
        second_line.starts_with("وساطة روسية") && second_line.contains("BAKU"),
        "{second_line}"
    );
    // French is untouched by an English correction.
    let fr = fs::read(p.path().join(format!("tmx/{stem}.ar-fr.csv"))).unwrap();
    assert_eq!(
        fr,
        fs::read(root().join(format!("tmx/{stem}.ar-fr.csv"))).unwrap()
    );
}

#[test]
fn bad_corrections_file_is_an_error_with_its_line() {
    let p = project();
    let stem = ARTICLE.trim_end_matches(".txt");
    fs::create_dir_all(p.path().join("corrections")).unwrap();
    let path = p.path().join(format!("corrections/{stem}.ar-en.tsv"));
    fs::write(&path, "0\t0\nx\t1\n").unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    let err = fails(cmd);
    assert!(err.contains(&format!("{stem}.ar-en.tsv:2")), "{err}");
}

#[test]
fn stale_outputs_and_unused_corrections_are_reported_not_deleted() {
    let p = project();
    build(p.path());
    let stem = ARTICLE.trim_end_matches(".txt");
    fs::remove_dir_all(p.path().join("translations/fr")).unwrap();
    fs::create_dir_all(p.path().join("corrections")).unwrap();
    fs::write(p.path().join("corrections/typo.ar-en.tsv"), "0\t0\n").unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "-q", "--project"]).arg(p.path());
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{stem}.ar-fr.tmx was not written by this build")),
        "{err}"
    );
    assert!(err.contains("typo.ar-en.tsv matches no document"), "{err}");
    assert!(p.path().join(format!("tmx/{stem}.ar-fr.tmx")).exists());
}

#[test]
fn threshold_outside_unit_interval_is_refused() {
    let p = project();
    let mut cmd = dragoman();
    cmd.args(["build", "--threshold", "1.5", "--project"])
        .arg(p.path());
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("outside [0, 1]"));
}

#[test]
fn input_errors_leave_every_output_untouched() {
    let p = project();
    build(p.path());
    let stem = ARTICLE.trim_end_matches(".txt");
    let en = p.path().join(format!("tmx/{stem}.ar-en.tmx"));
    let before = fs::read(&en).unwrap();
    // English (written first) changes, French (read last) is broken: nothing may be written.
    let t = p.path().join("translations/en").join(ARTICLE);
    let text = fs::read_to_string(&t).unwrap().replace("BAKU", "BAKOU");
    fs::write(&t, text).unwrap();
    fs::write(p.path().join("translations/fr").join(ARTICLE), b"\xFF").unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    fails(cmd);
    assert_eq!(
        fs::read(&en).unwrap(),
        before,
        "ar-en rewritten before the error"
    );
}
