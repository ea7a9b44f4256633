//! Property tests across stages: whatever the input, every sentence is aligned exactly once and
//! in order, with scores in [0, 1], with and without fixed links; and a document's
//! segmentation plus alignment never loses or reorders text.

use dragoman::align::{Aligner, Link, Params, Sentence};
use dragoman::Lang;
use proptest::prelude::*;

fn aligner(tgt: &str) -> Aligner {
    Aligner::new(Params {
        src_lang: Some(Lang::parse("ar").unwrap()),
        tgt_lang: Some(Lang::parse(tgt).unwrap()),
        ..Params::default()
    })
}

/// Checks the coverage contract and returns a description of the first violation.
fn coverage(links: &[Link], n: usize, m: usize) -> Result<(), String> {
    let (mut s, mut t) = (0, 0);
    for l in links {
        if l.src.is_empty() && l.tgt.is_empty() {
            return Err(format!("empty link {l:?}"));
        }
        if l.src.start != s || l.tgt.start != t {
            return Err(format!(
                "gap or overlap at {l:?}, expected to start at {s},{t}"
            ));
        }
        if !(0.0..=1.0).contains(&l.score) || l.score.is_nan() {
            return Err(format!("score out of range in {l:?}"));
        }
        s = l.src.end;
        t = l.tgt.end;
    }
    if (s, t) != (n, m) {
        return Err(format!("links end at {s},{t}, sides have {n},{m}"));
    }
    Ok(())
}

/// Sentences of plausible shapes: words in Arabic or Latin script, numbers, punctuation,
/// sometimes empty-looking ones (a lone digit or mark).
fn sentence() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ا-ي ]{1,80}[.؟!]",
        "[A-Za-z ]{1,80}[.?!]",
        "[0-9٠-٩,. ]{1,12}",
        "[«»“”()\"?!؟…]{1,3}",
    ]
}

/// A side: sentences with paragraph ids that never decrease.
fn side(max: usize) -> impl Strategy<Value = Vec<(String, usize)>> {
    prop::collection::vec((sentence(), prop::bool::weighted(0.2)), 0..max).prop_map(|v| {
        let mut para = 0;
        v.into_iter()
            .enumerate()
            .map(|(i, (s, brk))| {
                if brk && i > 0 {
                    para += 1;
                }
                (s, para)
            })
            .collect()
    })
}

fn view(v: &[(String, usize)]) -> Vec<Sentence<'_>> {
    v.iter()
        .map(|(t, p)| Sentence { text: t, para: *p })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_sentence_is_aligned_exactly_once(src in side(40), tgt in side(40)) {
        let links = aligner("en").align(&view(&src), &view(&tgt));
        prop_assert_eq!(coverage(&links, src.len(), tgt.len()), Ok(()));
    }

    #[test]
    fn fixed_links_are_kept_and_the_rest_covered(
        src in side(30),
        tgt in side(30),
        cut in (0.0f64..1.0, 0.0f64..1.0, 1usize..3, 1usize..3),
    ) {
        let (n, m) = (src.len(), tgt.len());
        // One fixed link somewhere inside both sides, when there is room for it.
        let (fs, ft, ls, lt) = cut;
        let s0 = ((n as f64) * fs) as usize;
        let t0 = ((m as f64) * ft) as usize;
        let fixed = if s0 + ls <= n && t0 + lt <= m {
            vec![Link { src: s0..s0 + ls, tgt: t0..t0 + lt, score: 1.0 }]
        } else {
            Vec::new()
        };
        let links = aligner("fr").align_fixed(&view(&src), &view(&tgt), &fixed).unwrap();
        prop_assert_eq!(coverage(&links, n, m), Ok(()));
        for f in &fixed {
            prop_assert!(
                links.iter().any(|l| l.src == f.src && l.tgt == f.tgt),
                "fixed link {:?} not kept", f
            );
        }
    }
}

#[test]
fn the_contract_checker_catches_violations() {
    let l = |s: std::ops::Range<usize>, t: std::ops::Range<usize>| Link {
        src: s,
        tgt: t,
        score: 0.5,
    };
    assert!(coverage(&[l(0..1, 0..1)], 1, 1).is_ok());
    assert!(coverage(&[l(0..1, 0..1)], 2, 1).is_err());
    assert!(coverage(&[l(0..1, 0..1), l(0..1, 1..2)], 1, 2).is_err());
    assert!(coverage(&[l(0..0, 0..0)], 0, 0).is_err());
}
