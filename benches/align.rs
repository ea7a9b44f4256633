//! Alignment at scale: synthetic documents of 10k, 100k and 1M sentences a side, made by
//! repeating the NTREX Arabic-English dev articles read from the shared directory at run time
//! (skipped when absent), each size run in a child process so that its peak memory (VmHWM)
//! is its own. The `galechurch` peer (PyPI) runs on the same input when its virtual
//! environment exists, and the ratios are printed.
//!
//! Two shapes: `plain` (the articles as they are) and `uneven` (runs of 50 articles whose
//! English sentences are written twice, alternating with runs as they are: the length ratio
//! moves by a third either way of its mean, so the length-proportional diagonal strays by
//! hundreds of sentences from the true path, the corner that made the band widen to 384).
//! Each line gives the strict F1 of the links against the articles' gold links.
//!
//! usage: cargo bench --bench align [-- SIZES [SHAPES]]   e.g. `-- 10000,100000 plain,uneven`
//! Environment: `DRAGOMAN_SHARED` (the shared directory, default `../shared` beside the
//! repository root), `ALIGN_BENCH_DATA` (default `SHARED/data/ar-en-alignment/ntrex/dev/flat`),
//! `ALIGN_BENCH_PEER_PY` (default /tmp/alignpeers/bin/python), `ALIGN_BENCH_PEER_MAX`
//! (largest size the peer runs at, default 10000: it is quadratic-ish and slow).

use std::borrow::Cow;
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

/// One dev article: Arabic lines, English lines, gold links (source and target indices).
type Article = (Vec<String>, Vec<String>, Vec<Gold>);
type Gold = (Vec<usize>, Vec<usize>);

/// Articles a run of which is written with its English doubled, in the `uneven` shape.
const RUN: usize = 50;

fn parse_links(text: &str) -> Vec<Gold> {
    let side = |s: &str| -> Vec<usize> {
        s.split(',')
            .filter(|x| !x.trim().is_empty())
            .filter_map(|x| x.trim().parse().ok())
            .collect()
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.split_once('\t').unwrap_or((l, ""));
            (side(a), side(b))
        })
        .collect()
}

/// The dev articles (with their gold links: `.links` beside them).
fn articles(dir: &Path) -> Option<Vec<Article>> {
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
        .filter_map(|p| {
            let links = std::fs::read_to_string(p.with_extension("links")).ok()?;
            Some((
                read(p)?,
                read(&p.with_extension("en"))?,
                parse_links(&links),
            ))
        })
        .collect();
    (!docs.is_empty()).then_some(docs)
}

/// The synthetic document: sentence texts of both sides and the gold links.
struct Synthetic<'a> {
    src: Vec<(Cow<'a, str>, usize)>,
    tgt: Vec<(Cow<'a, str>, usize)>,
    gold: Vec<Gold>,
}

impl Synthetic<'_> {
    fn sentences<'b>(side: &'b [(Cow<'_, str>, usize)]) -> Vec<Sentence<'b>> {
        side.iter()
            .map(|(t, p)| Sentence { text: t, para: *p })
            .collect()
    }
}

/// Whole articles, repeated, up to `n` source sentences (each one paragraph), and their gold
/// links; `uneven`: every other run of [`RUN`] articles has its English written twice.
fn synthetic(docs: &[Article], n: usize, uneven: bool) -> Synthetic<'_> {
    let mut out = Synthetic {
        src: Vec::with_capacity(n),
        tgt: Vec::with_capacity(n),
        gold: Vec::new(),
    };
    let mut para = 0;
    'outer: loop {
        for (a, e, links) in docs {
            if out.src.len() + a.len() > n {
                break 'outer;
            }
            let (s0, t0) = (out.src.len(), out.tgt.len());
            let double = uneven && (para / RUN) % 2 == 1;
            out.src
                .extend(a.iter().map(|t| (Cow::Borrowed(t.as_str()), para)));
            out.tgt.extend(e.iter().map(|t| {
                let t = if double {
                    Cow::Owned(format!("{t} {t}"))
                } else {
                    Cow::Borrowed(t.as_str())
                };
                (t, para)
            }));
            out.gold.extend(links.iter().map(|(x, y)| {
                (
                    x.iter().map(|i| i + s0).collect(),
                    y.iter().map(|j| j + t0).collect(),
                )
            }));
            para += 1;
        }
    }
    out
}

/// Strict F1 of `links` against `gold` (a link counts when both its sides are exactly a gold
/// link's).
fn strict_f1(links: &[dragoman::align::Link], gold: &[Gold]) -> f64 {
    let g: std::collections::HashSet<&Gold> = gold.iter().collect();
    let ok = links
        .iter()
        .filter(|l| g.contains(&(l.src.clone().collect(), l.tgt.clone().collect())))
        .count() as f64;
    if links.is_empty() || gold.is_empty() {
        return 0.0;
    }
    let (p, r) = (ok / links.len() as f64, ok / gold.len() as f64);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
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

/// Child: aligns one size, prints `seconds peak_kb links targets cpu_s f1`.
fn child(dir: &Path, n: usize, uneven: bool) {
    let docs = articles(dir).expect("data checked by the parent");
    let syn = synthetic(&docs, n, uneven);
    let (src, tgt) = (
        Synthetic::sentences(&syn.src),
        Synthetic::sentences(&syn.tgt),
    );
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
        "{secs:.3} {} {} {} {cpu:.2} {:.4}",
        peak_kb(),
        links.len(),
        tgt.len(),
        strict_f1(&links, &syn.gold)
    );
}

/// Writes the synthetic documents as files for the peer.
fn write_files(dir: &Path, n: usize, uneven: bool, out: &Path) -> (PathBuf, PathBuf) {
    let docs = articles(dir).unwrap();
    let syn = synthetic(&docs, n, uneven);
    let (a, e) = (out.join(format!("{n}.ar")), out.join(format!("{n}.en")));
    let join = |s: &[(Cow<str>, usize)]| s.iter().map(|s| format!("{}\n", s.0)).collect::<String>();
    std::fs::write(&a, join(&syn.src)).unwrap();
    std::fs::write(&e, join(&syn.tgt)).unwrap();
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
        child(
            &dir,
            args[pos + 1].parse().unwrap(),
            args[pos + 2] == "uneven",
        );
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
    let shapes: Vec<&str> = args
        .iter()
        .find(|a| a.starts_with("plain") || a.starts_with("uneven"))
        .map(|s| s.split(',').collect())
        .unwrap_or_else(|| vec!["plain", "uneven"]);
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
    println!("shape   size(src)  tgt      strict_F1  dragoman_s  (cpu_s)  dragoman_MB  galechurch_s  galechurch_MB  time_ratio  mem_ratio");
    for (shape, n) in shapes
        .iter()
        .flat_map(|sh| sizes.iter().map(move |&n| (*sh, n)))
    {
        let out = Command::new(&me)
            .args(["--child", &n.to_string(), shape])
            .stderr(std::process::Stdio::inherit())
            .output()
            .unwrap();
        let line = String::from_utf8_lossy(&out.stdout);
        let v: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if v.len() < 6 {
            eprintln!("{shape} {n}: child failed: {line}");
            continue;
        }
        let (secs, mb, m, cpu, f1) = (v[0], v[1] / 1024.0, v[3] as usize, v[4], v[5]);
        let peer_res = if have_peer && n <= peer_max {
            let (a, e) = write_files(&dir, n, shape == "uneven", tmp.path());
            peer(&py, &a, &e)
        } else {
            None
        };
        match peer_res {
            Some((ps, pkb)) => {
                let pmb = pkb as f64 / 1024.0;
                println!(
                    "{shape:<7} {n:<10} {m:<8} {f1:<10.4} {secs:<11.2} {cpu:<8.2} {mb:<12.1} {ps:<13.2} {pmb:<14.1} {:<11.1} {:.2}",
                    ps / secs,
                    pmb / mb
                );
            }
            None => println!(
                "{shape:<7} {n:<10} {m:<8} {f1:<10.4} {secs:<11.2} {cpu:<8.2} {mb:<12.1} -             -              -           -"
            ),
        }
    }
}
