//! Fuzzy lookup and concordance benchmark on a TM file (run by `scripts/fuzzy-bench.sh`).
//!
//! usage: fuzzy_bench TM QUERIES [PHRASES] [--min 50] [--max 5] [--brute N] [--src ar --tgt en]
//!
//! Loads TM (any format), builds the index, runs every query of QUERIES (one a line) on every
//! core, then brute force (every unit scored) on the first N queries (default all) and prints
//! recall per band of the true best match, plus concordance latency for each phrase of
//! PHRASES. One `key value` line per figure, for the script to collect.

use std::path::Path;
use std::time::Instant;

use dragoman::tm::fuzzy::{Field, LookupOptions};
use dragoman::tm::{open_reader, Format};
use rayon::prelude::*;

/// User + system CPU time of this process so far (from /proc/self/stat, in clock ticks of
/// 1/100 s), 0 where it cannot be read.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: &str| -> String {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
            .unwrap_or_else(|| default.to_string())
    };
    let pos: Vec<&String> = {
        let mut v = Vec::new();
        let mut i = 0;
        while i < args.len() {
            if args[i].starts_with("--") {
                i += 2;
            } else {
                v.push(&args[i]);
                i += 1;
            }
        }
        v
    };
    let tm = Path::new(pos[0]);
    let queries: Vec<String> = std::fs::read_to_string(pos[1])
        .expect("queries")
        .lines()
        .map(str::to_string)
        .collect();
    let phrases: Vec<String> = pos
        .get(2)
        .map(|p| {
            std::fs::read_to_string(p)
                .expect("phrases")
                .lines()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let opts = LookupOptions {
        min: flag("--min", "50").parse().unwrap(),
        max: flag("--max", "5").parse().unwrap(),
    };
    let brute_n: usize = flag("--brute", &queries.len().to_string()).parse().unwrap();
    let (src, tgt) = (flag("--src", "ar"), flag("--tgt", "en"));

    let t = Instant::now();
    let f = Format::from_path(tm).expect("format");
    let input = Box::new(std::io::BufReader::with_capacity(
        1 << 16,
        std::fs::File::open(tm).expect("open"),
    ));
    let mut reader = open_reader(f, input, tm, &[]).expect("reader");
    let mut b = dragoman::tm::fuzzy::IndexBuilder::new(&src, &tgt);
    b.read_all(&mut *reader).expect("read");
    let read_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let index = b.build();
    let build_s = t.elapsed().as_secs_f64();
    println!("units {}", index.len());
    println!("load_s {read_s:.2}");
    println!("build_s {build_s:.2}");
    println!("index_mb {:.0}", index.memory_bytes() as f64 / 1e6);

    let threads = rayon::current_num_threads();
    let t = Instant::now();
    let cpu0 = cpu_s();
    let got = index.lookup_all(&queries, opts);
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_s() - cpu0;
    println!("threads {threads}");
    println!("queries {}", queries.len());
    println!("lookup_s {secs:.3}");
    println!("lookup_qps {:.0}", queries.len() as f64 / secs);
    // CPU time is steadier than wall time on a shared machine: queries per CPU second, times
    // the threads, is what the cores would do unshared.
    println!("lookup_cpu_s {cpu:.2}");
    println!(
        "lookup_qps_cpu {:.0}",
        queries.len() as f64 / cpu.max(0.01) * threads as f64
    );
    let mut s = index.searcher();
    for q in queries.iter().take(200) {
        s.lookup(q, opts);
    }
    let st = s.stats();
    let per = |x: u64| x as f64 / st.lookups as f64;
    println!(
        "per_query postings {:.0} bitmaps {:.1} candidates {:.0} overlaps {:.0} distances {:.0} scored {:.1}",
        per(st.postings),
        per(st.bitmaps),
        per(st.candidates),
        per(st.overlaps),
        per(st.distances),
        per(st.scored)
    );

    // Brute force on the first brute_n queries.
    let n = brute_n.min(queries.len());
    let t = Instant::now();
    let truth: Vec<_> = queries[..n]
        .par_iter()
        .map(|q| index.brute_force(q, opts))
        .collect();
    let bsecs = t.elapsed().as_secs_f64();
    println!("brute_queries {n}");
    println!("brute_qps {:.2}", n as f64 / bsecs);
    // Bands of the true best match; a query counts as recalled when the index's best match
    // has the same score (a tie with another unit is as good a match); "exact" also compares
    // the whole top-k list (units and scores).
    let mut band = [(0usize, 0usize, 0usize); 4]; // (queries, best recalled, top-k identical)
    let mut kk = [(0usize, 0usize); 4]; // top-k matches in band: (brute, also found by index)
    for (i, tr) in truth.iter().enumerate() {
        let b = match tr.first().map(|h| h.score.percent) {
            Some(100) => 0,
            Some(75..=99) => 1,
            Some(50..=74) => 2,
            _ => 3,
        };
        band[b].0 += 1;
        let same_best =
            got[i].first().map(|h| h.score.percent) == tr.first().map(|h| h.score.percent);
        band[b].1 += usize::from(same_best);
        band[b].2 += usize::from(got[i] == *tr);
        for h in tr {
            let hb = match h.score.percent {
                100 => 0,
                75..=99 => 1,
                50..=74 => 2,
                _ => 3,
            };
            kk[hb].0 += 1;
            kk[hb].1 += usize::from(
                got[i]
                    .iter()
                    .any(|g| g.unit == h.unit && g.score == h.score),
            );
        }
    }
    for (name, (q, r, e), (k, kf)) in [
        ("100", band[0], kk[0]),
        ("75_99", band[1], kk[1]),
        ("50_74", band[2], kk[2]),
        ("none", band[3], kk[3]),
    ] {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        println!(
            "band_{name} queries {q} best_recall {:.4} identical_topk {:.4} topk_matches {k} topk_recall {:.4}",
            ratio(r, q),
            ratio(e, q),
            ratio(kf, k)
        );
    }

    // Concordance latency, one phrase at a time.
    if !phrases.is_empty() {
        // The pair lists of frequent words, once per index (what a long-running searcher does).
        let t = Instant::now();
        index.build_phrase_lists(Field::Source);
        println!("phrase_lists_s {:.2}", t.elapsed().as_secs_f64());
        println!(
            "index_with_phrase_lists_mb {:.0}",
            index.memory_bytes() as f64 / 1e6
        );
        let mut ms: Vec<f64> = Vec::new();
        let mut hits = 0;
        for p in &phrases {
            let t = Instant::now();
            let h = index.concordance(p, Field::Source);
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            hits += h.len();
            if std::env::var_os("FUZZY_BENCH_SLOW").is_some() {
                eprintln!("{:.2} ms {} hits: {p}", ms[ms.len() - 1], h.len());
            }
        }
        ms.sort_by(f64::total_cmp);
        println!(
            "concordance phrases {} hits {} median_ms {:.2} p95_ms {:.2} max_ms {:.2}",
            ms.len(),
            hits,
            ms[ms.len() / 2],
            ms[ms.len() * 95 / 100],
            ms[ms.len() - 1]
        );
    }
}
