//! `dragoman align`: the article's hand-checked gold, the TSV contract, corrections.

use crate::util::*;

fn gold(pair: &str) -> Vec<(Vec<usize>, Vec<usize>)> {
    let path = root().join(format!(
        "tests/data/article/{}.{pair}.links",
        ARTICLE.trim_end_matches(".txt")
    ));
    parse_links(
        &std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| format!("{l}\t1\n"))
            .collect::<String>(),
    )
    .into_iter()
    .map(|(s, t, _)| (s, t))
    .collect()
}

fn align_article(lang: &str) -> String {
    let mut cmd = dragoman();
    cmd.args(["align", "--source-lang", "ar", "--target-lang", lang])
        .arg(root().join("source").join(ARTICLE))
        .arg(root().join("translations").join(lang).join(ARTICLE));
    ok(cmd)
}

#[test]
fn article_alignment_matches_gold() {
    for lang in ["en", "fr"] {
        let got: Vec<(Vec<usize>, Vec<usize>)> = parse_links(&align_article(lang))
            .into_iter()
            .map(|(s, t, _)| (s, t))
            .collect();
        assert_eq!(got, gold(&format!("ar-{lang}")), "ar-{lang}");
    }
}

#[test]
fn every_segment_is_in_exactly_one_link() {
    for lang in ["en", "fr"] {
        let links = parse_links(&align_article(lang));
        let seg = |p: std::path::PathBuf| {
            let mut cmd = dragoman();
            cmd.args(["segment", "--format", "jsonl"]).arg(p);
            ok(cmd).lines().count()
        };
        let n_src = seg(root().join("source").join(ARTICLE));
        let n_tgt = seg(root().join("translations").join(lang).join(ARTICLE));
        assert_covers(&links, n_src, n_tgt);
    }
}

#[test]
fn presegmented_with_text_and_empty_sides() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a.ar");
    let tgt = dir.path().join("a.en");
    std::fs::write(
        &src,
        "قال الوزير إن 25 شخصا أصيبوا.\nوأضاف أن الوضع مستقر.\n\nوتابع: هل انتهى الأمر؟\n",
    )
    .unwrap();
    std::fs::write(
        &tgt,
        "The minister said 25 people were injured.\nHe added that the situation was stable.\n\nHe went on: is it over?\n",
    )
    .unwrap();
    let mut cmd = dragoman();
    cmd.args(["align", "--presegmented", "--with-text"])
        .arg(&src)
        .arg(&tgt);
    let out = ok(cmd);
    let links = parse_links(&out);
    assert_covers(&links, 3, 3);
    assert_eq!(links.len(), 3);
    let first: Vec<&str> = out.lines().next().unwrap().split('\t').collect();
    assert_eq!(first.len(), 5);
    assert_eq!(first[3], "قال الوزير إن 25 شخصا أصيبوا.");
    assert_eq!(first[4], "The minister said 25 people were injured.");
}

#[test]
fn fixed_links_are_kept() {
    let out = align_article("en");
    // Force a (wrong but deliberate) 2-1 at the start and check it is honoured.
    let dir = tempfile::tempdir().unwrap();
    let fix = dir.path().join("fix.tsv");
    std::fs::write(&fix, "# corrected by hand\n0,1\t0\n").unwrap();
    let mut cmd = dragoman();
    cmd.args(["align", "-s", "ar", "-t", "en", "--fixed"])
        .arg(&fix)
        .arg(root().join("source").join(ARTICLE))
        .arg(root().join("translations/en").join(ARTICLE));
    let fixed = parse_links(&ok(cmd));
    assert_eq!(
        (fixed[0].0.clone(), fixed[0].1.clone()),
        (vec![0, 1], vec![0])
    );
    assert_eq!(fixed[0].2, 1.0);
    let auto = parse_links(&out);
    let n_src = auto.iter().flat_map(|l| l.0.clone()).count();
    let n_tgt = auto.iter().flat_map(|l| l.1.clone()).count();
    assert_covers(&fixed, n_src, n_tgt);
    // The tail of the document is unaffected.
    assert_eq!(
        fixed.last().map(|l| (&l.0, &l.1)),
        auto.last().map(|l| (&l.0, &l.1))
    );
}

#[test]
fn bad_fixed_link_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let fix = dir.path().join("fix.tsv");
    std::fs::write(&fix, "# corrected\n\n0\t0\n999\t1\n").unwrap();
    let mut cmd = dragoman();
    cmd.args(["align", "-s", "ar", "-t", "en", "--fixed"])
        .arg(&fix)
        .arg(root().join("source").join(ARTICLE))
        .arg(root().join("translations/en").join(ARTICLE));
    let err = fails(cmd);
    assert!(err.contains(&format!("{}:4:1", fix.display())), "{err}");
}
