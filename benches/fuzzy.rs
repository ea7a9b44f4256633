//! Fuzzy matching in-process: the score of one pair, lookups on a synthetic 20k-unit Arabic TM
//! (top-1 and top-5 at --min 50), and a two-word concordance. Reads nothing from ../shared;
//! `scripts/fuzzy-bench.sh` runs the full benchmark (100k/1M units, recall, peers).
//!
//!   cargo bench --bench fuzzy

use criterion::{criterion_group, criterion_main, Criterion};
use dragoman::tm::fuzzy::{score_texts, Field, Index, LookupOptions};
use dragoman::tm::{Entry, Unit, Variant};

const WORDS: &[&str] = &[
    "في",
    "من",
    "إلى",
    "على",
    "قال",
    "الوزير",
    "الحكومة",
    "الاتفاق",
    "وقف",
    "إطلاق",
    "النار",
    "الرئيس",
    "المفاوضات",
    "الميزانية",
    "ارتفعت",
    "بنسبة",
    "بالمئة",
    "العام",
    "الماضي",
    "المقبل",
    "مجلس",
    "الأمن",
    "الدولي",
    "العاصمة",
    "الجيش",
    "الحدود",
    "وأكد",
    "وأضاف",
];

/// A deterministic pseudo-random generator (xorshift), so the TM is the same every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn sentence(r: &mut Rng) -> String {
    let len = 6 + r.next(14);
    let mut w: Vec<String> = Vec::with_capacity(len);
    for _ in 0..len {
        // Zipf-like: low indexes more often, plus rare invented words.
        if r.next(4) == 0 {
            w.push(format!("كلمة{}", r.next(5000)).replace(char::is_numeric, "ب"));
        } else {
            let i = r.next(WORDS.len()).min(r.next(WORDS.len()));
            w.push(WORDS[i].to_string());
        }
    }
    if r.next(3) == 0 {
        w.push((r.next(10_000)).to_string());
    }
    w.join(" ") + "."
}

fn bench(c: &mut Criterion) {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let tm: Vec<String> = (0..20_000).map(|_| sentence(&mut r)).collect();
    let entries = tm.iter().map(|s| {
        Entry::from(Unit {
            variants: vec![Variant::new("ar", s.as_str()), Variant::new("en", "x")],
            ..Default::default()
        })
    });
    let index = Index::from_entries(entries, "ar", "en");
    let queries: Vec<String> = (0..200)
        .map(|i| {
            let mut w: Vec<&str> = tm[i * 37].split(' ').collect();
            let at = r.next(w.len());
            w[at] = "تعديل";
            w.join(" ")
        })
        .collect();

    c.bench_function("score one pair", |b| {
        b.iter(|| score_texts(&queries[0], &tm[0], "ar"))
    });
    for (name, max) in [
        ("lookup 200 queries top-1", 1),
        ("lookup 200 queries top-5", 5),
    ] {
        let opts = LookupOptions { min: 50, max };
        c.bench_function(name, |b| b.iter(|| index.lookup_all(&queries, opts)));
    }
    c.bench_function("concordance two words", |b| {
        b.iter(|| index.concordance("وقف إطلاق", Field::Source))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
