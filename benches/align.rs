//! Alignment at scale: synthetic documents of 10k, 100k and 1M sentences a side, made by
//! repeating the NTREX Arabic-English dev articles read from the shared directory at run time
//! (skipped when absent), each size run in a child process so that its peak memory (VmHWM)
//! is its own. The `galechurch` peer (PyPI) runs on the same input when its virtual
//! environment exists, and the ratios are printed.
//!
//! usage: cargo bench --bench align [-- SIZES]   e.g. `-- 10000,100000`
//! Environment: `DRAGOMAN_SHARED` (the shared directory, default `../shared` beside the
//! repository root), `ALIGN_BENCH_DATA` (default `SHARED/data/ar-en-alignment/ntrex/dev/flat`),
//! `ALIGN_BENCH_PEER_PY` (default /tmp/alignpeers/bin/python), `ALIGN_BENCH_PEER_MAX`
//! (largest size the peer runs at, default 10000: it is quadratic-ish and slow).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use dragoman::align::{Aligner, Params, Sentence};
use dragoman::Lang;

/// The peer wrapper, inside the shared directory.
const PEER: &str = "bench/peers/galechurch_align.py";

/// The shared directory: `DRAGOMAN_SHARED`, else `../shared` beside the repository root.
fn shared_dir() -> PathBuf {
    std::env::var_os("DRAGOMAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The shared wrapper's code, with the block-size limit lifted: `galechurch` refuses a block
/// over 50M DP cells (10k x 10k is 100M) unless `max_block_size` is raised.
const PEER_CODE: &str = r#"
import sys, galechurch
read = lambda p: [l.strip() for l in open(p, encoding="utf-8") if l.strip()]
src, tgt = read(sys.argv[1]), read(sys.argv[2])
result = galechurch.align(src, tgt, max_block_size=10**13)
for b in result.beads:
    s = ",".join(str(i) for i in range(b.source_start, b.source_end))
    t = ",".join(str(i) for i in range(b.target_start, b.target_end))
    print(f"{s}\t{t}")
"#;

/// The dev articles, as (arabic lines, english lines) per document.
fn articles(dir: &Path) -> Option<Vec<(Vec<String>, Vec<String>)>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ar"))
        .collect();
    names.sort();
    let read = |p: &Path| -> Option<Vec<String>> {
        Some(
            std::fs::read_to_string(p)
                .ok()?
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
        )
    };
    let docs: Vec<_> = names
        .iter()
        .filter_map(|p| Some((read(p)?, read(&p.with_extension("en"))?)))
        .collect();
    (!docs.is_empty()).then_some(docs)
}

/// Indices (document, line) of the first `n` source sentences of the repeated collection,
/// and the target sentences of the same documents.
fn synthetic<'a>(
    docs: &'a [(Vec<String>, Vec<String>)],
    n: usize,
) -> (Vec<Sentence<'a>>, Vec<Sentence<'a>>) {
    let (mut src, mut tgt) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut para = 0;
    'outer: loop {
        for (a, e) in docs {
            if src.len() + a.len() > n {
                break 'outer;
            }
            src.extend(a.iter().map(|t| Sentence { text: t, para }));
            tgt.extend(e.iter().map(|t| Sentence { text: t, para }));
            para += 1;
        }
    }
    // Pad with the start of the next document so the source has exactly n sentences.
    let (a, e) = &docs[0];
    let k = (n - src.len()).min(a.len());
    src.extend(a[..k].iter().map(|t| Sentence { text: t, para }));
    tgt.extend(
        e[..k.min(e.len())]
            .iter()
            .map(|t| Sentence { text: t, para }),
    );
    (src, tgt)
}

/// CPU seconds (user + system) of this process so far, from /proc/self/stat: on a shared
/// machine wall time also counts other people's work.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            // Fields 14 and 15 of stat(5) are the 12th and 13th after the command name.
            let u: f64 = f.get(11)?.parse().ok()?;
            let k: f64 = f.get(12)?.parse().ok()?;
            Some((u + k) / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Child: aligns one size, prints `seconds peak_kb links`.
fn child(dir: &Path, n: usize) {
    let docs = articles(dir).expect("data checked by the parent");
    let (src, tgt) = synthetic(&docs, n);
    let params = Params {
        src_lang: Some(Lang::parse("ar").unwrap()),
        tgt_lang: Some(Lang::parse("en").unwrap()),
        progress: true,
        ..Params::default()
    };
    let (t, cpu0) = (Instant::now(), cpu_seconds());
    let links = Aligner::new(params).align(&src, &tgt);
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    println!(
        "{secs:.3} {} {} {} {cpu:.2}",
        peak_kb(),
        links.len(),
        tgt.len()
    );
}

/// Writes the synthetic documents as files for the peer.
fn write_files(dir: &Path, n: usize, out: &Path) -> (PathBuf, PathBuf) {
    let docs = articles(dir).unwrap();
    let (src, tgt) = synthetic(&docs, n);
    let (a, e) = (out.join(format!("{n}.ar")), out.join(format!("{n}.en")));
    let join = |s: &[Sentence]| {
        s.iter()
            .map(|s| format!("{}\n", s.text))
            .collect::<String>()
    };
    std::fs::write(&a, join(&src)).unwrap();
    std::fs::write(&e, join(&tgt)).unwrap();
    (a, e)
}

/// Runs the peer under `/usr/bin/time`, returns (seconds, peak KB).
fn peer(py: &Path, a: &Path, e: &Path) -> Option<(f64, u64)> {
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "PEAK %M"])
        .arg(py)
        .args(["-c", PEER_CODE])
        .arg(a)
        .arg(e)
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        eprintln!("peer failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let kb = err
        .lines()
        .find_map(|l| l.strip_prefix("PEAK ")?.trim().parse().ok())?;
    Some((secs, kb))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::env::var_os("ALIGN_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_dir().join("data/ar-en-alignment/ntrex/dev/flat"));
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        child(&dir, args[pos + 1].parse().unwrap());
        return;
    }
    if articles(&dir).is_none() {
        eprintln!("bench align: {} absent, skipped", dir.display());
        return;
    }
    let sizes: Vec<usize> = args
        .iter()
        .find(|a| a.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|s| s.split(',').map(|x| x.parse().unwrap()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let py = PathBuf::from(
        std::env::var("ALIGN_BENCH_PEER_PY")
            .unwrap_or_else(|_| "/tmp/alignpeers/bin/python".into()),
    );
    let peer_max: usize = std::env::var("ALIGN_BENCH_PEER_MAX")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let have_peer = py.exists() && shared_dir().join(PEER).exists();
    let tmp = tempfile::tempdir().unwrap();
    let me = std::env::current_exe().unwrap();
    println!("size(src)  tgt      dragoman_s  (cpu_s)  dragoman_MB  galechurch_s  galechurch_MB  time_ratio  mem_ratio");
    for n in sizes {
        let out = Command::new(&me)
            .args(["--child", &n.to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()
            .unwrap();
        let line = String::from_utf8_lossy(&out.stdout);
        let v: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if v.len() < 5 {
            eprintln!("size {n}: child failed: {line}");
            continue;
        }
        let (secs, mb, m, cpu) = (v[0], v[1] / 1024.0, v[3] as usize, v[4]);
        let peer_res = if have_peer && n <= peer_max {
            let (a, e) = write_files(&dir, n, tmp.path());
            peer(&py, &a, &e)
        } else {
            None
        };
        match peer_res {
            Some((ps, pkb)) => {
                let pmb = pkb as f64 / 1024.0;
                println!(
                    "{n:<10} {m:<8} {secs:<11.2} {cpu:<8.2} {mb:<12.1} {ps:<13.2} {pmb:<14.1} {:<11.1} {:.2}",
                    ps / secs,
                    pmb / mb
                );
            }
            None => println!(
                "{n:<10} {m:<8} {secs:<11.2} {cpu:<8.2} {mb:<12.1} -             -              -           -"
            ),
        }
    }
}
