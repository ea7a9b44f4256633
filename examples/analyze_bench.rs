//! Job analysis benchmark (run by `scripts/analyze-bench.sh`).
//!
//! usage: analyze_bench TM JOB [--brute N] [--src ar] [--tgt en]
//!
//! Opens TM (a store or a TM file) as `dragoman analyze` does, segments JOB, matches every
//! segment on every core (the best match only, as the analysis needs), then runs the baseline
//! on N segments spread over the job: brute force, the same score against every unit of the
//! TM (`Index::brute_force`), timed and extrapolated to every distinct segment; the bands of
//! the two must agree. One `key value` line per figure, for the script to collect.

use std::path::Path;
use std::time::Instant;

use dragoman::job::{self, Bands, JobTm, Keep, MatchOptions, TmSpec};
use dragoman::segment::Segmenter;
use dragoman::tm::fuzzy::LookupOptions;
use dragoman::Lang;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: &str| -> String {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
            .unwrap_or_else(|| default.to_string())
    };
    let (src, tgt) = (flag("--src", "ar"), flag("--tgt", "en"));
    let brute_n: usize = flag("--brute", "50").parse().expect("--brute N");
    let t = Instant::now();
    let tm = JobTm::open_keeping(
        &[TmSpec::new(args[0].as_str())],
        &src,
        &tgt,
        Keep::Analysis,
        &|_| {},
    )
    .expect("open TM");
    println!("open_s {:.2}", t.elapsed().as_secs_f64());
    for (phase, d) in tm.timings() {
        println!("open_{phase}_s {:.2}", d.as_secs_f64());
    }
    println!("units {}", tm.len());
    let lang = Lang::parse(&src).expect("--src");
    let t = Instant::now();
    let file =
        job::load_file(Path::new(&args[1]), &lang, &Segmenter::for_lang(&lang)).expect("job file");
    println!("segment_s {:.3}", t.elapsed().as_secs_f64());
    let files = [file];
    let bands = Bands::default();
    let opts = MatchOptions {
        bands: bands.clone(),
        max_suggestions: 1,
        min_suggestion: None,
        band_resolution: true,
    };
    let t = Instant::now();
    let m = job::match_job(&files, &tm, &tgt, &opts).expect("match");
    let match_s = t.elapsed().as_secs_f64();
    let segs: Vec<&str> = files[0].segments().map(|s| s.text.as_str()).collect();
    let mut distinct: Vec<&str> = segs.clone();
    distinct.sort_unstable();
    distinct.dedup();
    println!("segments {}", segs.len());
    println!("distinct {}", distinct.len());
    println!("match_s {match_s:.2}");
    println!("match_per_s {:.0}", distinct.len() as f64 / match_s);
    // The baseline on a sample spread over the job.
    let step = (segs.len() / brute_n.max(1)).max(1);
    let sample: Vec<usize> = (0..segs.len()).step_by(step).take(brute_n).collect();
    let index = tm.index();
    let lo = LookupOptions {
        min: bands.min(),
        max: 1,
    };
    let t = Instant::now();
    let mut agree = 0;
    for &i in &sample {
        let best = index.brute_force(segs[i], lo);
        let band = best
            .first()
            .map_or(job::Band::NoMatch, |h| bands.band_of(h.score.percent));
        let got = match m[0][i].band {
            job::Band::Context => job::Band::Exact,
            b => b,
        };
        if band == got {
            agree += 1;
        }
    }
    let brute_s = t.elapsed().as_secs_f64();
    let per = brute_s / sample.len().max(1) as f64;
    println!("brute_sample {}", sample.len());
    println!("brute_agree {agree}");
    println!("brute_per_segment_s {per:.4}");
    println!("brute_extrapolated_s {:.0}", per * distinct.len() as f64);
    println!("ratio {:.0}", per * distinct.len() as f64 / match_s);
}
