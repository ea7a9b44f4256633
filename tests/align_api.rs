//! The aligner through its public API, on a small hand-written fixture: links, the TSV round
//! trip through `parse_links`, and corrections kept by `align_fixed`.

use std::path::Path;

use dragoman::align::{parse_links, Aligner, Link, Params};
use dragoman::pipeline::Segmented;
use dragoman::{Document, Lang};

/// A presegmented fixture: one sentence a line, a blank line between paragraphs.
fn load(name: &str) -> Segmented {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/align")
        .join(name);
    Segmented::presegmented(Document::from_path(&path, true).unwrap())
}

fn aligner() -> Aligner {
    Aligner::new(Params {
        src_lang: Some(Lang::parse("ar").unwrap()),
        tgt_lang: Some(Lang::parse("en").unwrap()),
        ..Params::default()
    })
}

fn tsv(links: &[Link]) -> String {
    links.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn aligns_the_fixture_as_expected() {
    let (ar, en) = (load("mini.ar"), load("mini.en"));
    let links = aligner().align(&ar.sentences(), &en.sentences());
    let ids: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = links
        .iter()
        .map(|l| (l.src.clone(), l.tgt.clone()))
        .collect();
    assert_eq!(
        ids[..4],
        [(0..1, 0..1), (1..3, 1..2), (3..4, 2..3), (4..5, 3..4)]
    );
    assert_eq!(links[4].kind(), (0, 1));
    assert!(links.iter().all(|l| (0.0..=1.0).contains(&l.score)));
}

#[test]
fn printed_links_read_back_and_corrections_are_kept() {
    let (ar, en) = (load("mini.ar"), load("mini.en"));
    let (src, tgt) = (ar.sentences(), en.sentences());
    let a = aligner();
    let links = a.align(&src, &tgt);
    let back = parse_links(&tsv(&links), Path::new("x.tsv")).unwrap();
    for (l, b) in links.iter().zip(&back) {
        assert_eq!(l.kind(), b.kind());
        if !l.src.is_empty() {
            assert_eq!(l.src, b.src);
        }
        assert!((l.score - b.score).abs() < 1e-4);
    }
    // A person says: source 1 alone is target 1, and source 2 has no counterpart.
    let fixed = parse_links("# corrected\n1\t1\n2\t\n", Path::new("fix.tsv")).unwrap();
    let out = a.align_fixed(&src, &tgt, &fixed).unwrap();
    assert!(out
        .iter()
        .any(|l| l.src == (1..2) && l.tgt == (1..2) && l.score == 1.0));
    assert!(out.iter().any(|l| l.src == (2..3) && l.tgt.is_empty()));
    // Coverage: every sentence once, in order.
    let s: Vec<usize> = out.iter().flat_map(|l| l.src.clone()).collect();
    let t: Vec<usize> = out.iter().flat_map(|l| l.tgt.clone()).collect();
    assert_eq!(s, (0..src.len()).collect::<Vec<_>>());
    assert_eq!(t, (0..tgt.len()).collect::<Vec<_>>());
}

#[test]
fn bad_corrections_are_refused_with_a_reason() {
    let (ar, en) = (load("mini.ar"), load("mini.en"));
    let (src, tgt) = (ar.sentences(), en.sentences());
    let fixed = parse_links("3\t3\n1\t1\n", Path::new("fix.tsv")).unwrap();
    let e = aligner()
        .align_fixed(&src, &tgt, &fixed)
        .unwrap_err()
        .to_string();
    assert!(e.contains("in order"), "{e}");
    let e = parse_links("1,3\t1\n", Path::new("fix.tsv"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "fix.tsv:1: source ids: ids must be consecutive and increasing, found 3 after 1"
    );
}
