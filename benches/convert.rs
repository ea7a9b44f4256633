//! Conversion throughput: dragoman's TMX -> CSV and CSV -> TMX against a bare quick-xml + csv
//! streaming loop (the practical ceiling for the stack), in MB/s of wall time and per core
//! (CPU time from /proc/self/stat), on the same file in the same run.
//!
//!   cargo bench --bench convert -- /tmp/perf/tm-100000.tmx
//!
//! Without an argument it generates a small synthetic TMX (use `scripts/convert-bench.sh` for
//! the full benchmark with translate-toolkit, peak RSS and the 1M-unit file).

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use dragoman::tm::{self, ConvertOptions};

/// CPU seconds (user + system) used by this process so far.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the ')'.
    (ticks(11) + ticks(12)) / 100.0
}

struct Run {
    wall: f64,
    cpu: f64,
}

fn measure(f: impl FnOnce()) -> Run {
    let (c0, t0) = (cpu_seconds(), Instant::now());
    f();
    Run {
        wall: t0.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - c0,
    }
}

/// The bare loop: quick-xml events in, `<seg>` texts of each `<tu>` out through the csv crate.
/// Not inlined, so that `valgrind --tool=callgrind --toggle-collect=*bare_loop*` can count its
/// instructions alone (see scripts/convert-bench.sh, `CALLGRIND=1`).
#[inline(never)]
fn bare_loop(input: &Path, output: &Path) -> u64 {
    use quick_xml::events::Event;
    let f = BufReader::with_capacity(1 << 16, std::fs::File::open(input).unwrap());
    let mut r = quick_xml::Reader::from_reader(f);
    let mut w = csv::Writer::from_writer(BufWriter::new(std::fs::File::create(output).unwrap()));
    let (mut buf, mut row, mut in_seg, mut units) = (Vec::new(), Vec::<String>::new(), false, 0);
    let mut text = String::new();
    loop {
        match r.read_event_into(&mut buf).unwrap() {
            Event::Start(e) if e.name().as_ref() == b"seg" => {
                in_seg = true;
                text.clear();
            }
            Event::Text(t) if in_seg => text.push_str(&t.unescape().unwrap()),
            Event::End(e) if e.name().as_ref() == b"seg" => {
                in_seg = false;
                row.push(std::mem::take(&mut text));
            }
            Event::End(e) if e.name().as_ref() == b"tu" => {
                w.write_record(&row).unwrap();
                row.clear();
                units += 1;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    w.flush().unwrap();
    units
}

fn synthetic(dir: &Path, n: usize) -> PathBuf {
    let p = dir.join(format!("synthetic-{n}.tmx"));
    let mut w = tm::tmx::Writer::new(
        BufWriter::new(std::fs::File::create(&p).unwrap()),
        &tm::tmx::Header::new("ar"),
    )
    .unwrap();
    for i in 0..n {
        w.write_unit(&tm::Unit {
            id: Some(i.to_string()),
            created: Some("20261124T120000Z".into()),
            props: vec![tm::Prop::new("x-document", "doc-1.docx")],
            notes: vec![],
            variants: vec![
                tm::Variant::new(
                    "ar",
                    format!("قال الوزير إن تكلفة المشروع بلغت {i} مليون جنيه & أكثر."),
                ),
                tm::Variant::new(
                    "en",
                    format!("The minister said the project cost {i} million pounds & more."),
                ),
                tm::Variant::new(
                    "fr",
                    format!("Le ministre a dit que le projet a coûté {i} millions « de livres »."),
                ),
            ],
            ..Default::default()
        })
        .unwrap();
    }
    w.finish().unwrap().flush().unwrap();
    p
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let input = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| synthetic(dir.path(), 100_000));
    let mb = std::fs::metadata(&input).unwrap().len() as f64 / 1e6;
    // Warm the page cache.
    let mut f = BufReader::new(std::fs::File::open(&input).unwrap());
    while !f.fill_buf().unwrap().is_empty() {
        let n = f.buffer().len();
        f.consume(n);
    }
    let csv_out = dir.path().join("out.csv");
    let bare = measure(|| {
        bare_loop(&input, &dir.path().join("bare.csv"));
    });
    let opts = ConvertOptions::default();
    let ours = measure(|| {
        tm::convert(&input, &csv_out, &opts).unwrap();
    });
    let csv_mb = std::fs::metadata(&csv_out).unwrap().len() as f64 / 1e6;
    let back = measure(|| {
        tm::convert(&csv_out, &dir.path().join("back.tmx"), &opts).unwrap();
    });
    let line = |name: &str, mb: f64, r: &Run| {
        println!(
            "{name:<28} {mb:>8.1} MB  {:>7.3} s wall  {:>7.1} MB/s  {:>7.3} s cpu  {:>7.1} MB/s per core",
            r.wall,
            mb / r.wall,
            r.cpu,
            mb / r.cpu.max(1e-9)
        )
    };
    println!("input {}", input.display());
    line("bare quick-xml+csv loop", mb, &bare);
    line("dragoman tmx -> csv", mb, &ours);
    line("dragoman csv -> tmx", csv_mb, &back);
    println!(
        "dragoman/bare: {:.2}x wall, {:.2}x per core (>1 = dragoman faster)",
        bare.wall / ours.wall,
        bare.cpu / ours.cpu.max(1e-9)
    );
}
