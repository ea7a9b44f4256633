//! Bad input: clear messages naming the file (and position), exit code 2, no panic, and no
//! output file touched.

use std::fs;

use crate::util::*;

#[test]
fn missing_file_is_named() {
    let mut cmd = dragoman();
    cmd.args(["segment", "no/such/file.txt"]);
    let err = fails(cmd);
    assert!(err.contains("no/such/file.txt"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.matches("os error").count(), 1, "cause repeated: {err}");
}

#[test]
fn invalid_utf8_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.txt");
    fs::write(&f, b"first line\nab\xC3(c\n").unwrap();
    let mut cmd = dragoman();
    cmd.arg("segment").arg(&f);
    let err = fails(cmd);
    assert!(
        err.contains(&format!("{}:2:3: invalid UTF-8", f.display())),
        "{err}"
    );
}

#[test]
fn invalid_utf8_in_a_project_names_the_translation() {
    let p = project();
    let t = p.path().join("translations/en").join(ARTICLE);
    let mut bytes = fs::read(&t).unwrap();
    bytes.extend_from_slice(b"\nbroken \xFF here\n");
    fs::write(&t, bytes).unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    let err = fails(cmd);
    assert!(
        err.contains("translations/en/") && err.contains("invalid UTF-8"),
        "{err}"
    );
    assert!(
        !p.path().join("tmx").exists(),
        "output written despite the error"
    );
}

#[test]
fn translation_without_source_is_an_error() {
    let p = project();
    fs::write(p.path().join("translations/fr/other.txt"), "Bonjour.\n").unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    let err = fails(cmd);
    assert!(
        err.contains("translations/fr/other.txt") && err.contains("source/other.txt"),
        "{err}"
    );
}

#[test]
fn language_directory_must_be_a_language_tag() {
    let p = project();
    fs::rename(
        p.path().join("translations/fr"),
        p.path().join("translations/fr_FR"),
    )
    .unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    let err = fails(cmd);
    assert!(err.contains("fr_FR") && err.contains("fr-FR"), "{err}");
}

#[test]
fn mismatched_language_is_caught() {
    let mut cmd = dragoman();
    cmd.args(["align", "-s", "ar", "-t", "en"])
        .arg(root().join("translations/en").join(ARTICLE))
        .arg(root().join("source").join(ARTICLE));
    let err = fails(cmd);
    assert!(err.contains("does not look like ar"), "{err}");
}

#[test]
fn missing_project_layout_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(dir.path());
    let err = fails(cmd);
    assert!(err.contains("no source/ directory"), "{err}");
}

#[test]
fn bad_project_file_has_a_position() {
    let p = project();
    fs::write(
        p.path().join("dragoman.toml"),
        "source_lang = \"ar\"\ncreation_date = 5\n",
    )
    .unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    let err = fails(cmd);
    assert!(err.contains("dragoman.toml:2:"), "{err}");
}

#[test]
fn failed_build_keeps_previous_outputs() {
    let p = project();
    let mut cmd = dragoman();
    cmd.args(["build", "-q", "--project"]).arg(p.path());
    ok(cmd);
    let stem = ARTICLE.trim_end_matches(".txt");
    let tmx = p.path().join(format!("tmx/{stem}.ar-en.tmx"));
    let before = fs::read(&tmx).unwrap();
    fs::write(p.path().join("translations/en").join(ARTICLE), b"\xFF").unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    fails(cmd);
    assert_eq!(fs::read(&tmx).unwrap(), before);
}

#[test]
fn both_inputs_on_stdin_is_refused() {
    let mut cmd = dragoman();
    cmd.args(["align", "-", "-"]);
    let err = fails(cmd);
    assert!(err.contains("standard input"), "{err}");
}

#[test]
fn output_into_a_missing_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("typo/out.txt");
    let mut cmd = dragoman();
    cmd.args(["segment", "--lang", "en", "-o"])
        .arg(&out)
        .arg(root().join("translations/en").join(ARTICLE));
    let err = fails(cmd);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!dir.path().join("typo").exists());
}

#[test]
fn bad_fixed_link_names_the_corrections_file_and_line() {
    let p = project();
    let stem = ARTICLE.trim_end_matches(".txt");
    fs::create_dir_all(p.path().join("corrections")).unwrap();
    fs::write(
        p.path().join(format!("corrections/{stem}.ar-en.tsv")),
        "# header\n0\t0\n99\t1\n",
    )
    .unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    let err = fails(cmd);
    assert!(err.contains(&format!("{stem}.ar-en.tsv:3:1")), "{err}");
}

#[test]
fn empty_translation_in_a_project_is_an_error() {
    let p = project();
    fs::write(p.path().join("translations/fr").join(ARTICLE), "\n").unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--project"]).arg(p.path());
    let err = fails(cmd);
    assert!(
        err.contains("translations/fr/") && err.contains("no text"),
        "{err}"
    );
}
