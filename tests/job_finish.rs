//! `dragoman finish` end to end: a package prepared from `tests/data/jobs/`, "translated" by
//! filling its targets here, brought back into a target document and a store; then analysed
//! again. And the refusals: ids that are not the job's, a package edited into invalid XML.

#[allow(dead_code)]
#[path = "cli/util.rs"]
mod util;

#[allow(dead_code)]
#[path = "job_util/mod.rs"]
mod job_util;

use std::path::Path;

use job_util::{data, prepare, read};
use util::{dragoman, fails, ok};

/// The translator's work on an XLIFF 1.2 package: a target for every unit without one
/// (`EN <id>`), and `changes` (id, new text) applied to pre-filled ones.
fn translate12(x: &str, changes: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = x;
    while let Some(i) = rest.find("<trans-unit id=\"") {
        let end = i + rest[i..].find("</trans-unit>").unwrap();
        let u = &rest[i..end];
        let id = &u[16..u[16..].find('"').unwrap() + 16];
        let mut u = u.to_string();
        let head = u.split("<alt-trans").next().unwrap().to_string();
        if !head.contains("<target") {
            let at = u.find("</source>").unwrap() + "</source>".len();
            u.insert_str(
                at,
                &format!("\n<target xml:lang=\"en\" state=\"translated\">EN {id}</target>"),
            );
        }
        for (cid, text) in changes {
            if *cid == id {
                let s = u.find("<target").unwrap();
                let s = s + u[s..].find('>').unwrap() + 1;
                let e = s + u[s..].find("</target>").unwrap();
                u.replace_range(s..e, text);
            }
        }
        out.push_str(&rest[..i]);
        out.push_str(&u);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn finish(args: &[&str], path: &Path) -> String {
    let mut c = dragoman();
    c.arg("finish").arg(path).args(args);
    ok(c)
}

#[test]
fn round_trip_gives_the_document_the_store_and_full_matches_on_reanalysis() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let xlf = job.join("followup.xlf");
    let edited = translate12(
        &read(&xlf),
        &[("p1.s2", "Eight soldiers died in the clashes.")],
    );
    std::fs::write(&xlf, edited).unwrap();
    let store = dir.path().join("team.db");
    let out = finish(
        &[
            "--tm",
            store.to_str().unwrap(),
            "--translator",
            "Rana K.",
            "--date",
            "20261203T120000Z",
        ],
        &job,
    );
    assert!(out.contains("5 of 5 segments translated"), "{out}");
    assert!(out.contains("1 pre-translation(s) changed"), "{out}");
    assert!(out.contains("p1.s2"), "{out}");
    assert!(out.contains("5 new"), "{out}");
    // the target document: the source's paragraphs (one a line, blank lines between) and
    // spacing (two spaces before p3.s2 in the source), every segment translated
    let doc = read(&job.join("translations/en/followup.txt"));
    assert_eq!(
        doc,
        "The two sides announced a ceasefire on Tuesday evening. Eight soldiers died in the clashes.\n\
         \n\
         EN p2.s1\n\
         \n\
         EN p3.s1  The European Union called for the ceasefire to be respected.\n"
    );
    // the store has the translator and the date
    let mut c = dragoman();
    c.args(["tm", "export"])
        .arg(&store)
        .arg(dir.path().join("out.tmx"));
    ok(c);
    let tmx = read(&dir.path().join("out.tmx"));
    assert!(
        tmx.contains("<prop type=\"x-translator\">Rana K.</prop>"),
        "{tmx}"
    );
    assert!(tmx.contains("20261203T120000Z"), "{tmx}");
    assert!(tmx.contains("Eight soldiers died in the clashes."), "{tmx}");
    // analysing the same document again against the store: every segment at 100% or 101%
    let mut c = dragoman();
    c.arg("analyze")
        .arg(job.join("source/followup.txt"))
        .arg("--tm")
        .arg(&store)
        .args(["-t", "en", "--format", "json"]);
    let a: serde_json::Value = serde_json::from_str(&ok(c)).unwrap();
    let rows = a["total"]["rows"].as_array().unwrap();
    let count = |key: &str| {
        rows.iter()
            .filter(|r| r["key"] == key)
            .map(|r| r["segments"].as_u64().unwrap())
            .sum::<u64>()
    };
    let all: u64 = rows.iter().map(|r| r["segments"].as_u64().unwrap()).sum();
    assert_eq!(all, 5);
    assert_eq!(count("context") + count("exact"), 5, "{rows:?}");
}

#[test]
fn untranslated_segments_are_reported_and_stay_in_the_source_language() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let out_doc = dir.path().join("followup.en.txt");
    let out = finish(
        &["-o", out_doc.to_str().unwrap()],
        &job.join("followup.xlf"),
    );
    assert!(out.contains("3 of 5 segments translated"), "{out}");
    assert!(out.contains("2 still untranslated"), "{out}");
    assert!(out.contains("p2.s1, p3.s1"), "{out}");
    assert!(out.contains("no pre-translation changed"), "{out}");
    let doc = read(&out_doc);
    assert!(doc.starts_with("The two sides announced"), "{doc}");
    assert!(doc.contains("\n\nوقال الوزير إن المحادثات"), "{doc}");
    assert!(!job.join("translations").exists());
}

#[test]
fn xliff_2_packages_come_back_too() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &["--xliff", "2"]);
    let xlf = job.join("followup.xlf");
    let mut x = read(&xlf);
    for id in ["p2.s1", "p3.s1"] {
        let u = x.find(&format!("<unit id=\"{id}\">")).unwrap();
        let seg = u + x[u..].find("<segment").unwrap();
        let at = seg + x[seg..].find("</source>").unwrap() + "</source>".len();
        x.insert_str(at, &format!("<target>EN {id}</target>"));
    }
    std::fs::write(&xlf, x).unwrap();
    let out = finish(&["--format", "json"], &job);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files"][0]["translated"], 5, "{out}");
    assert_eq!(v["files"][0]["untranslated"].as_array().unwrap().len(), 0);
    let doc = read(&job.join("translations/en/followup.txt"));
    assert!(
        doc.contains("\n\nEN p2.s1\n\nEN p3.s1  The European Union"),
        "{doc}"
    );
}

#[test]
fn ids_that_do_not_match_the_job_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let xlf = job.join("followup.xlf");
    let x = translate12(&read(&xlf), &[]).replace("id=\"p2.s1\"", "id=\"p9.s1\"");
    std::fs::write(&xlf, &x).unwrap();
    let store = dir.path().join("team.db");
    let mut c = dragoman();
    c.arg("finish").arg(&job).arg("--tm").arg(&store);
    let err = fails(c);
    let line = x[..x.find("id=\"p9.s1\"").unwrap()].matches('\n').count() + 1;
    assert!(
        err.contains(&format!("followup.xlf:{line}:")),
        "{err} (line {line})"
    );
    assert!(
        err.contains("p9.s1") && err.contains("do not match the job"),
        "{err}"
    );
    assert!(!job.join("translations").exists());
    assert!(!store.exists());
}

#[test]
fn a_missing_segment_or_an_edited_source_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let xlf = job.join("followup.xlf");
    let x = read(&xlf);
    let s = x.find("<trans-unit id=\"p3.s1\"").unwrap();
    let e = s + x[s..].find("</trans-unit>").unwrap() + "</trans-unit>".len();
    let mut dropped = x.clone();
    dropped.replace_range(s..e, "");
    std::fs::write(&xlf, &dropped).unwrap();
    let mut c = dragoman();
    c.arg("finish").arg(&job);
    let err = fails(c);
    assert!(err.contains("missing") && err.contains("p3.s1"), "{err}");
    std::fs::write(&xlf, x.replace("هذه جملة جديدة", "هذه جملة مختلفة")).unwrap();
    let mut c = dragoman();
    c.arg("finish").arg(&job);
    let err = fails(c);
    assert!(err.contains("p3.s1") && err.contains("source"), "{err}");
    assert!(!job.join("translations").exists());
}

#[test]
fn a_package_edited_into_invalid_xml_is_refused_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let xlf = job.join("followup.xlf");
    let x = read(&xlf);
    // a translator's editor dropped a closing tag
    let bad = x.replacen(
        "</source>\n          <alt-trans match-quality=\"88\"",
        "\n          <alt-trans match-quality=\"88\"",
        1,
    );
    assert_ne!(bad, x);
    std::fs::write(&xlf, &bad).unwrap();
    let out_doc = dir.path().join("out.txt");
    std::fs::write(&out_doc, "keep me").unwrap();
    let mut c = dragoman();
    c.arg("finish").arg(&xlf).arg("-o").arg(&out_doc);
    let err = fails(c);
    assert!(err.contains("followup.xlf:"), "{err}");
    let pos = err.split("followup.xlf:").nth(1).unwrap();
    let line: usize = pos.split(':').next().unwrap().parse().unwrap_or(0);
    assert!(line > 1, "{err}");
    assert_eq!(read(&out_doc), "keep me");
}

#[test]
fn a_file_outside_a_job_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("lonely.xlf");
    std::fs::copy(data("tm.ar-en.tmx"), &x).unwrap();
    let mut c = dragoman();
    c.arg("finish").arg(&x);
    let err = fails(c);
    assert!(
        err.contains("lonely.xlf") && err.contains("job.json"),
        "{err}"
    );
}

#[test]
fn what_omegat_writes_back_is_read_from_its_target_folder() {
    // OmegaT 3.6 writes omegat/target/NAME.xlf: the translation in <target>, the state left
    // as it was (needs-translation), and the source copy where nothing was translated.
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let x = read(&job.join("omegat/source/followup.xlf"));
    let from = "state=\"needs-translation\">وقال الوزير إن المحادثات ستستأنف الأسبوع المقبل في باريس.</target>";
    assert!(x.contains(from), "{x}");
    let x = x.replace(
        from,
        "state=\"needs-translation\">The minister said the talks would resume next week in Paris.</target>",
    );
    let target = job.join("omegat/target/followup.xlf");
    std::fs::write(&target, x).unwrap();
    let out = finish(&["--format", "json"], &target);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["translated"], 1, "{out}");
    // the pre-translations are not in OmegaT's file (they were in tm/auto): reported changed
    assert_eq!(f["changed"].as_array().unwrap().len(), 3, "{out}");
    let doc = read(&job.join("translations/en/followup.txt"));
    assert!(
        doc.contains("\n\nThe minister said the talks would resume next week in Paris.\n\n"),
        "{doc}"
    );
}

#[test]
fn a_package_for_another_target_language_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let job = prepare(dir.path(), &[]);
    let xlf = job.join("followup.xlf");
    let x = read(&xlf)
        .replace("target-language=\"en\"", "target-language=\"fr\"")
        .replace("xml:lang=\"en\"", "xml:lang=\"fr\"");
    std::fs::write(&xlf, x).unwrap();
    let mut c = dragoman();
    c.arg("finish").arg(&job);
    let err = fails(c);
    assert!(err.contains("followup.xlf") && err.contains("fr"), "{err}");
    assert!(!job.join("translations").exists());
}
