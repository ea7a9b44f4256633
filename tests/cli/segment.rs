//! `dragoman segment`: output contracts and sensible results on text the rules never saw.

use crate::util::*;

#[derive(serde::Deserialize)]
struct Rec {
    para: usize,
    index: usize,
    start: usize,
    end: usize,
    text: String,
}

fn jsonl(input: &str, lang: &str) -> Vec<Rec> {
    let mut cmd = dragoman();
    cmd.args(["segment", "--format", "jsonl", "--lang", lang, "-"]);
    let out = run_with_stdin(cmd, input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Offsets and the gaps between them rebuild the input exactly; gaps are only white space.
fn assert_lossless(input: &str, recs: &[Rec]) {
    let mut rebuilt = String::new();
    let mut pos = 0;
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r.index, i);
        assert!(r.start >= pos && r.end > r.start, "bad offsets at {i}");
        let gap = &input[pos..r.start];
        assert!(
            gap.chars().all(|c| c.is_whitespace() || c == '\u{FEFF}'),
            "non-space gap {gap:?}"
        );
        assert_eq!(&input[r.start..r.end], r.text);
        rebuilt.push_str(gap);
        rebuilt.push_str(&r.text);
        pos = r.end;
    }
    rebuilt.push_str(&input[pos..]);
    assert_eq!(rebuilt, input);
}

#[test]
fn article_segments_match_the_hand_checked_gold() {
    for lang in ["ar", "en", "fr"] {
        let input = if lang == "ar" {
            root().join("source").join(ARTICLE)
        } else {
            root().join("translations").join(lang).join(ARTICLE)
        };
        let gold = root().join(format!(
            "tests/data/article/{}.{lang}.segments",
            ARTICLE.trim_end_matches(".txt")
        ));
        let mut cmd = dragoman();
        cmd.args(["segment", "--lang", lang]).arg(&input);
        let got = ok(cmd);
        let want = std::fs::read_to_string(&gold).unwrap();
        assert_eq!(
            got.trim_end(),
            want.trim_end(),
            "{lang}: segmentation differs from gold"
        );
    }
}

#[test]
fn jsonl_offsets_rebuild_the_input() {
    let input = std::fs::read_to_string(root().join("source").join(ARTICLE)).unwrap();
    let recs = jsonl(&input, "ar");
    assert_lossless(&input, &recs);
    // One paragraph per non-blank line.
    let paras = input.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(recs.last().unwrap().para + 1, paras);
}

#[test]
fn text_output_has_blank_line_between_paragraphs() {
    let mut cmd = dragoman();
    cmd.args(["segment", "--lang", "en"]);
    let out = run_with_stdin(cmd, b"First one. Second one.\n\nNext paragraph.\r\n");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "First one.\nSecond one.\n\nNext paragraph.\n"
    );
}

#[test]
fn unseen_arabic_news_text() {
    // Written for this test: abbreviations, decimals, thousands, quotes, headline, dateline.
    let input = "الرئيس يلتقي وفدا اقتصاديا\n\
القاهرة - قال د. أحمد سمير إن النمو بلغ 6.5 في المئة هذا العام. وأضاف أن الصادرات تجاوزت 6,500 مليون دولار.\n\
وقال المتحدث: “لن نتراجع عن هذه الخطوة.” ثم غادر القاعة؟ لا، بقي حتى نهاية الجلسة!\n";
    let recs = jsonl(input, "ar");
    assert_lossless(input, &recs);
    let texts: Vec<&str> = recs.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "الرئيس يلتقي وفدا اقتصاديا",
            "القاهرة - قال د. أحمد سمير إن النمو بلغ 6.5 في المئة هذا العام.",
            "وأضاف أن الصادرات تجاوزت 6,500 مليون دولار.",
            "وقال المتحدث: “لن نتراجع عن هذه الخطوة.”",
            "ثم غادر القاعة؟",
            "لا، بقي حتى نهاية الجلسة!",
        ]
    );
}

#[test]
fn unseen_english_and_french_text() {
    let en = "Dr. Jones met U.S. officials at 9 a.m. on Monday. Talks went well.\n";
    let texts: Vec<String> = jsonl(en, "en").into_iter().map(|r| r.text).collect();
    assert_eq!(
        texts,
        vec![
            "Dr. Jones met U.S. officials at 9 a.m. on Monday.",
            "Talks went well."
        ]
    );
    let fr = "M. Dupont et Mme Martin sont arrivés. « C'est fini. » Ils sont repartis.\n";
    let texts: Vec<String> = jsonl(fr, "fr").into_iter().map(|r| r.text).collect();
    assert_eq!(
        texts,
        vec![
            "M. Dupont et Mme Martin sont arrivés.",
            "« C'est fini. »",
            "Ils sont repartis."
        ]
    );
}

#[test]
fn bom_and_crlf_are_not_content() {
    let input = "\u{FEFF}One. Two.\r\n";
    let recs = jsonl(input, "en");
    assert_lossless(input, &recs);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].start, 3);
    assert_eq!(recs[1].para, 0);
}

#[test]
fn exported_srx_is_well_formed_xml_and_loads_back() {
    let mut cmd = dragoman();
    cmd.args(["segment", "--export-srx"]);
    let srx = ok(cmd);
    // Strict checks other tools apply (a `--` inside a comment is an XML error).
    let mut r = quick_xml::Reader::from_str(&srx);
    r.config_mut().check_comments = true;
    r.config_mut().check_end_names = true;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "exported SRX is not well-formed at {}: {e}",
                r.error_position()
            ),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.srx");
    std::fs::write(&path, &srx).unwrap();
    let input = root().join("source").join(ARTICLE);
    let mut with_builtin = dragoman();
    with_builtin.args(["segment", "--lang", "ar"]).arg(&input);
    let mut with_export = dragoman();
    with_export
        .args(["segment", "--lang", "ar", "--srx"])
        .arg(&path)
        .arg(&input);
    assert_eq!(ok(with_builtin), ok(with_export));
}
