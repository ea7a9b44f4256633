//! The segmentation contract, for any input: segments are non-empty, ordered, on char
//! boundaries, trimmed; the gaps between them are white space only, so segments + gaps rebuild
//! the paragraph byte for byte.
use std::path::Path;

use dragoman::segment::Segmenter;
use dragoman::Lang;
use proptest::prelude::*;

fn check(seg: &Segmenter, text: &str) -> Result<(), TestCaseError> {
    let ranges = seg.split(text);
    let mut rebuilt = String::new();
    let mut prev = 0;
    for r in &ranges {
        prop_assert!(
            r.start >= prev && r.start < r.end && r.end <= text.len(),
            "{r:?}"
        );
        prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        let gap = &text[prev..r.start];
        prop_assert!(gap.trim().is_empty(), "gap {gap:?}");
        let s = &text[r.clone()];
        prop_assert_eq!(s, s.trim());
        rebuilt.push_str(gap);
        rebuilt.push_str(s);
        prev = r.end;
    }
    prop_assert!(text[prev..].trim().is_empty());
    rebuilt.push_str(&text[prev..]);
    prop_assert_eq!(rebuilt, text);
    prop_assert_eq!(ranges.is_empty(), text.trim().is_empty());
    Ok(())
}

fn lang(i: usize) -> Lang {
    Lang::parse(["ar", "en", "fr", "de"][i % 4]).unwrap()
}

/// Text made of the pieces that rules look at, so that the interesting paths run often.
fn pieces() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "د.",
        "م.",
        "أ.د.",
        "ق.م.",
        "هـ.",
        "دي آر.",
        "بي بي سي.",
        "في.",
        "قال",
        "تساءلت",
        "كما",
        "Dr.",
        "U.S.",
        "a.m.",
        "No.",
        "J.-C.",
        "M.",
        "etc.",
        "6.5",
        "٦٫٥",
        "2020",
        "٣",
        ".",
        "!",
        "?",
        "؟",
        "…",
        "...",
        "۔",
        "\"",
        "”",
        "»",
        "«",
        ")",
        "(",
        " ",
        "  ",
        "\u{a0}",
        "\t",
        "\u{200e}",
        "\u{200f}",
        "\u{61c}",
        "ـ",
        "،",
        "؛",
        ":",
        "كتب",
        "word",
        "The",
        "é",
        "\u{301}",
        "\u{202f}",
        "www.x.com",
        "a@b.co",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn lossless_on_arbitrary_text(text in any::<String>(), l in 0usize..4) {
        check(&Segmenter::for_lang(&lang(l)), &text)?;
    }

    #[test]
    fn lossless_on_rule_pieces(text in pieces(), l in 0usize..4) {
        check(&Segmenter::for_lang(&lang(l)), &text)?;
    }
}

#[test]
fn lossless_with_a_break_everywhere_rule() {
    // An SRX rule with empty before and after patterns breaks between every two characters.
    let xml = r#"<srx version="2.0"><header cascade="no"/><body><languagerules>
        <languagerule languagerulename="all"><rule break="yes"/></languagerule>
        </languagerules><maprules><languagemap languagepattern=".*" languagerulename="all"/>
        </maprules></body></srx>"#;
    let seg = Segmenter::from_srx(xml, Path::new("all.srx"), &lang(0)).unwrap();
    let text = "ab سلام  e\u{301}";
    check(&seg, text).unwrap();
    let parts: Vec<_> = seg.split(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(parts, ["a", "b", "س", "ل", "ا", "م", "e", "\u{301}"]);
}
