//! Throughput of sentence segmentation on at least 50 MB of Arabic news text, side by side with
//! the in-process peer (unicode-segmentation's UAX #29 `unicode_sentences`).
//!
//! The text is the NTREX Arabic dev articles from the shared data folder (`../shared` or
//! `/work/shared`), repeated at run time; nothing is copied into the repository. Without the
//! shared folder the bench prints a note and exits successfully.
//!
//! Run: `cargo bench --bench segment` (env `SEG_BENCH_MB` changes the size, default 50;
//! `SEG_BENCH_SRX=FILE` measures a user's SRX rules instead of the built-in ones).
//! ICU and sentencex run out of process: `scripts/segment-bench.sh`.
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use dragoman::segment::{Scratch, Segmenter};
use dragoman::Lang;
use unicode_segmentation::UnicodeSegmentation;

fn main() {
    let Some(base) = ["../shared", "/work/shared"]
        .iter()
        .map(|d| Path::new(d).join("data/ar-segmentation/ntrex/dev.txt"))
        .find(|p| p.exists())
    else {
        eprintln!("bench segment: shared data not found (../shared or /work/shared); skipped");
        return;
    };
    let unit = std::fs::read_to_string(&base).expect("read ntrex dev.txt");
    let mb: usize = std::env::var("SEG_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let mut text = String::with_capacity(mb << 20);
    while text.len() < mb * 1_000_000 {
        text.push_str(&unit);
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let size = text.len() as f64 / 1e6;
    println!(
        "bench segment: {size:.1} MB of Arabic news text ({} paragraphs), best of 3 runs, one thread",
        lines.len()
    );

    let ar = Lang::parse("ar").unwrap();
    let seg = match std::env::var_os("SEG_BENCH_SRX") {
        Some(p) => Segmenter::from_srx_path(Path::new(&p), &ar).expect("SEG_BENCH_SRX rules"),
        None => Segmenter::for_lang(&ar),
    };
    let ours = best_of(3, || {
        let (mut scratch, mut out, mut n) = (Scratch::default(), Vec::new(), 0usize);
        for l in &lines {
            out.clear();
            seg.split_into(l, &mut scratch, &mut out);
            n += out.len();
        }
        n
    });
    let useg = best_of(3, || {
        lines
            .iter()
            .map(|l| l.unicode_sentences().count())
            .sum::<usize>()
    });
    let mbs = |(secs, _): (f64, usize)| size / secs;
    println!(
        "dragoman segment (ar, full rules)  {:8.1} MB/s  {:>8} segments",
        mbs(ours),
        ours.1
    );
    println!(
        "unicode-segmentation (UAX #29)     {:8.1} MB/s  {:>8} segments  (dragoman is {:.2}x)",
        mbs(useg),
        useg.1,
        mbs(ours) / mbs(useg)
    );
}

fn best_of(n: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..n {
        let t = Instant::now();
        count = black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, count)
}
