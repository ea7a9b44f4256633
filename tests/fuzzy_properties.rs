//! Properties of `tm::fuzzy`: identical texts score 100, the score is symmetric, normalisation
//! maps every token back into the untouched original, the index equals brute force.

use dragoman::tm::fuzzy::{normalize, score_texts, tokenize, Index, LookupOptions};
use dragoman::tm::{Entry, Unit, Variant};
use proptest::prelude::*;

/// Text mixing Arabic (with harakat, tatweel, hamza forms), Latin, digits of three systems,
/// separators, punctuation, codes and odd white space.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("قال"),
            Just("الوزيرُ"),
            Just("إنّ"),
            Just("ـ"),
            Just("مدرسة"),
            Just("على"),
            Just("The"),
            Just("BUDGET"),
            Just("ＡＢ"),
            Just("é"),
            Just("٦٬٥٠٠"),
            Just("6,500"),
            Just("۱۲"),
            Just("3.5"),
            Just("،"),
            Just("."),
            Just("{1}"),
            Just("<b>"),
            Just("\u{200f}"),
            Just(" "),
            Just("\u{a0}"),
            Just("\t"),
            Just("İ"),
            Just("x"),
        ],
        0..16,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn identical_is_100(a in text()) {
        prop_assert_eq!(score_texts(&a, &a, "ar").percent, 100);
    }

    #[test]
    fn score_is_symmetric(a in text(), b in text()) {
        prop_assert_eq!(score_texts(&a, &b, "ar"), score_texts(&b, &a, "ar"));
    }

    #[test]
    fn normalisation_points_into_the_unchanged_original(a in text()) {
        let copy = a.clone();
        let n = normalize(&a);
        prop_assert_eq!(&a, &copy);
        // Everything from the first character kept to the end (leading marks are dropped).
        prop_assert_eq!(n.original(0..n.text.len()).end, a.len());
        let t = tokenize(&a);
        let mut last = 0;
        for tok in &t.tokens {
            let r = t.norm.original(tok.span.clone());
            let tight = t.norm.original_tight(tok.span.clone(), &a);
            prop_assert!(a.is_char_boundary(r.start) && a.is_char_boundary(r.end));
            prop_assert!(a.is_char_boundary(tight.end) && tight.end <= r.end);
            prop_assert!(r.start >= last, "tokens in order");
            last = r.start;
            // The original piece normalises back to the token.
            let back = normalize(&a[tight]).text;
            prop_assert_eq!(back.trim(), t.text(tok));
        }
    }

    #[test]
    fn index_top1_equals_brute_force(tm in proptest::collection::vec(text(), 1..30), q in text()) {
        let entries = tm.iter().map(|s| Entry::from(Unit {
            variants: vec![Variant::new("ar", s.as_str()), Variant::new("en", "x")],
            ..Default::default()
        }));
        let idx = Index::from_entries(entries, "ar", "en");
        let opts = LookupOptions { min: 1, max: 1 };
        let got = idx.lookup(&q, opts);
        let want = idx.brute_force(&q, opts);
        prop_assert_eq!(got, want);
    }
}
