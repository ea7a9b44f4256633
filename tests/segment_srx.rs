//! SRX files from other tools: Java regex syntax that works, syntax that is refused with a
//! message naming the rule, the exported built-in rules, unreadable files.
use std::path::Path;

use dragoman::segment::{builtin_srx, Segmenter};
use dragoman::Lang;

fn srx(rules: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="yes"/>
<body><languagerules><languagerule languagerulename="L">
{rules}
</languagerule></languagerules>
<maprules><languagemap languagepattern="(EN|en).*" languagerulename="L"/></maprules></body></srx>"#
    )
}

fn split(seg: &Segmenter, text: &str) -> Vec<String> {
    seg.split(text)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

#[test]
fn java_constructs_work() {
    let xml = srx(r#"
<rule break="no"><beforebreak>(?&lt;=\s)\p{javaUpperCase}\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="no"><beforebreak>\Qe.g.\E</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="no"><beforebreak>\b\p{Alpha}++\.</beforebreak><afterbreak>\s\p{Lower}</afterbreak></rule>
<rule break="yes"><beforebreak>[\.\?!]+</beforebreak><afterbreak>\s+(?=\p{Lu})</afterbreak></rule>"#);
    let seg =
        Segmenter::from_srx(&xml, Path::new("java.srx"), &Lang::parse("en-US").unwrap()).unwrap();
    assert_eq!(
        split(&seg, "Ask J. Smith, e.g. Bob. Then stop. the end. Fine!"),
        ["Ask J. Smith, e.g. Bob.", "Then stop. the end.", "Fine!"]
    );
}

#[test]
fn unsupported_syntax_is_refused_naming_the_rule() {
    let xml = srx(
        r#"<rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="no"><beforebreak>\p{InNoSuchBlock}</beforebreak><afterbreak></afterbreak></rule>"#,
    );
    let e = Segmenter::from_srx(&xml, Path::new("bad.srx"), &Lang::parse("en").unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(
            "bad.srx:6:1: rule 2 of languagerule \"L\" (break=\"no\"): beforebreak pattern"
        ),
        "{e}"
    );
    assert!(e.contains("InNoSuchBlock"), "{e}");
}

#[test]
fn no_map_for_the_language_is_an_error() {
    let xml = srx(r#"<rule><beforebreak>\.</beforebreak><afterbreak>\s</afterbreak></rule>"#);
    let e = Segmenter::from_srx(&xml, Path::new("x.srx"), &Lang::parse("ar").unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no <languagemap> matches"), "{e}");
}

#[test]
fn exported_rules_segment_like_the_built_in_ones() {
    let text = "قال د. أحمد إن النمو بلغ ٦٫٥٪. \"هل هذا كاف؟\" تساءل. وأضاف: لا. Dr. Smith said so.";
    for l in ["ar", "en", "fr", "de"] {
        let lang = Lang::parse(l).unwrap();
        let exported =
            Segmenter::from_srx(builtin_srx(), Path::new("dragoman.srx"), &lang).unwrap();
        assert_eq!(
            split(&exported, text),
            split(&Segmenter::for_lang(&lang), text),
            "{l}"
        );
    }
    assert!(builtin_srx().contains(r#"<srx xmlns="http://www.lisa.org/srx20" version="2.0">"#));
}

#[test]
fn unreadable_and_non_utf8_files_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.srx");
    std::fs::write(&p, b"<srx>\n<!-- caf\xe9 --></srx>").unwrap();
    let e = Segmenter::from_srx_path(&p, &Lang::parse("en").unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        e.ends_with("latin1.srx:2:9: SRX file is not valid UTF-8"),
        "{e}"
    );
    let e = Segmenter::from_srx_path(&dir.path().join("missing.srx"), &Lang::parse("en").unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.srx: cannot read SRX file"), "{e}");
}

#[test]
fn malformed_xml_names_line_and_column() {
    let e = Segmenter::from_srx(
        "<srx>\n<body>\n</srx>",
        Path::new("m.srx"),
        &Lang::parse("en").unwrap(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("m.srx:3:"), "{e}");
}
