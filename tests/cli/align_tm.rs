//! `dragoman align --tm` / `--dict` and `build --tm`: a lexicon from the user's TM decides a
//! link that lengths get wrong; clear errors for a TM without the pair and a missing file.
//!
//! `tests/data/align_tm/`: three Arabic sentences, two English ones; the second English
//! sentence translates the last two Arabic ones (truth `0 -> 0`, `1,2 -> 1`), but the first
//! English sentence is long enough that lengths alone merge the first two Arabic sentences
//! instead (`0,1 -> 0`, `2 -> 1`). `tm.tmx` holds short unrelated units that pair the words
//! of the second and third Arabic sentences (bus, plane, trains, snow) with their English.

use crate::util::*;

fn data(name: &str) -> std::path::PathBuf {
    root().join("tests/data/align_tm").join(name)
}

fn links(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| l.split('\t').take(2).collect::<Vec<_>>().join(" -> "))
        .collect()
}

fn align(extra: &[&str]) -> Vec<String> {
    let mut cmd = dragoman();
    cmd.args(["align", "--presegmented"])
        .args(extra)
        .arg(data("src.ar"))
        .arg(data("tgt.en"));
    links(&ok(cmd))
}

#[test]
fn the_tm_lexicon_fixes_the_link_that_lengths_get_wrong() {
    // Without the TM the lengths win (this is what makes the test able to fail).
    assert_eq!(align(&[]), ["0,1 -> 0", "2 -> 1"]);
    let tm = data("tm.tmx");
    assert_eq!(
        align(&["--tm", tm.to_str().unwrap()]),
        ["0 -> 0", "1,2 -> 1"]
    );
}

#[test]
fn a_dictionary_file_with_the_same_words_does_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let dict = dir.path().join("d.dic");
    std::fs::write(
        &dict,
        "bus @ حافلة\nplane @ طائرة\ntrains @ قطارات\nsnow @ ثلوج\nlate @ متأخرة\n",
    )
    .unwrap();
    // The dictionary weight without a TM is `Weights::default().dict`.
    assert_eq!(
        align(&["--dict", dict.to_str().unwrap()]),
        ["0 -> 0", "1,2 -> 1"]
    );
}

#[test]
fn a_tm_without_the_language_pair_is_a_clear_error() {
    let mut cmd = dragoman();
    cmd.args(["align", "--presegmented", "--target-lang", "fr", "--tm"])
        .arg(data("tm.tmx"))
        .arg(data("src.ar"))
        .arg(data("tgt.en"));
    let err = fails(cmd);
    assert!(err.contains("tm.tmx"), "{err}");
    assert!(err.contains("no unit has both ar and fr"), "{err}");
    assert!(err.contains("languages of the TM: ar, en"), "{err}");
}

#[test]
fn a_missing_tm_or_dictionary_is_a_clear_error() {
    for opt in ["--tm", "--dict"] {
        let mut cmd = dragoman();
        cmd.args(["align", "--presegmented", opt, "no/such/file.tmx"])
            .arg(data("src.ar"))
            .arg(data("tgt.en"));
        let err = fails(cmd);
        assert!(err.contains("no/such/file.tmx"), "{opt}: {err}");
    }
}

#[test]
fn build_uses_the_tm_for_the_pairs_it_has_and_rejects_one_with_none() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("source")).unwrap();
    std::fs::create_dir_all(p.join("translations/en")).unwrap();
    // One paragraph a line: the segmenter splits each into its sentences.
    let src = std::fs::read_to_string(data("src.ar"))
        .unwrap()
        .replace('\n', " ");
    let tgt = std::fs::read_to_string(data("tgt.en"))
        .unwrap()
        .replace('\n', " ");
    std::fs::write(p.join("source/doc.txt"), format!("{}\n", src.trim())).unwrap();
    std::fs::write(
        p.join("translations/en/doc.txt"),
        format!("{}\n", tgt.trim()),
    )
    .unwrap();
    let mut cmd = dragoman();
    cmd.args([
        "build",
        "--quiet",
        "--date",
        "20260101T000000Z",
        "--project",
    ])
    .arg(p)
    .arg("--tm")
    .arg(data("tm.tmx"));
    ok(cmd);
    let csv = std::fs::read_to_string(p.join("tmx/doc.ar-en.csv")).unwrap();
    assert!(
        csv.contains("وتحدث الحاضرون عن الحافلة والطائرة. وصلت القطارات"),
        "the last two Arabic sentences should be one unit: {csv}"
    );
    // A TM of another pair only.
    let other = p.join("de.tmx");
    std::fs::write(
        &other,
        std::fs::read_to_string(data("tm.tmx"))
            .unwrap()
            .replace("xml:lang=\"en\"", "xml:lang=\"de\""),
    )
    .unwrap();
    let mut cmd = dragoman();
    cmd.args(["build", "--quiet", "--project"])
        .arg(p)
        .arg("--tm")
        .arg(&other);
    let err = fails(cmd);
    assert!(err.contains("de.tmx"), "{err}");
    assert!(err.contains("no unit has both ar and en"), "{err}");
}
