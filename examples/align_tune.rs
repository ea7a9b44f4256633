//! Fits the aligner's global weights on a set of gold-aligned documents, or scores given
//! weights on them: the tuning half of `scripts/align-eval.sh`'s cross-validation.
//!
//! usage: align_tune [--score] [--weights "W..."] [--realign] [--dict TGT_LANG:FILE]...
//!                   [--tm-loo | --tm-from DIR:TGT_LANG...] [--dict-grid "W..."] DIR:TGT_LANG...
//!        align_tune --print-weights     (`Weights::default`, in the same format)
//!
//! Each DIR holds `NAME.ar`, `NAME.TGT_LANG` (presegmented) and `NAME.links` (gold), as in
//! `../shared/data`. Without `--score`, a coordinate search (each weight in turn tried at 0,
//! x0.5, x0.75, x1.33, x2 of its value, kept when the objective improves; `ROUNDS` rounds, default 2) starts
//! from `--weights` (default: the shipped ones) and prints the fitted weights, one line in the
//! order of `dragoman::align::WEIGHT_NAMES` (what `DRAGOMAN_W` of the `align` example reads).
//! The objective is the mean over the DIRs of strict F1 (links with two non-empty sides that
//! the gold has exactly) plus a tenth of the F1 of empty-side links (1-0 and 0-1), so that
//! omissions are not traded away. With `--score`, it prints those figures per DIR. Documents
//! are aligned in one pass, as `Params::default` (what `dragoman align` and `build` use) does;
//! `--realign` fits or scores the two-pass aligner instead.
//!
//! Lexical evidence (issue 13): `--dict TGT_LANG:FILE` aligns the documents of that target
//! language with a dictionary; `--tm-from DIR:TGT_LANG` with the lexicon learned (as
//! `dragoman align --tm` learns it) from the gold pairs of those documents, the user's TM
//! stand-in; `--tm-loo` with, for each document, the lexicon learned from the gold pairs of
//! the other documents given (never its own name: not its flat or para copy). `--dict-grid
//! "W..."` tries each value of the `dict` weight, the rest as given, and prints the weights
//! with the best one: the honest fit of a lexicon's weight on the tuning half.
use std::collections::HashSet;

use dragoman::align::lexicon::{self, LexiconParams};
use dragoman::align::{
    parse_links, Aligner, Dictionary, Link, Params, Sentence, Weights, WEIGHT_NAMES,
};
use dragoman::{Document, Lang};
use rayon::prelude::*;

struct Doc {
    /// File name without extension: the flat and para copies of a document share it.
    name: String,
    tgt_lang: Lang,
    /// The dictionary this document is aligned with (`--dict`, `--tm-loo`, `--tm-from`).
    dict: Option<Dictionary>,
    src: Vec<(String, usize)>,
    tgt: Vec<(String, usize)>,
    gold: Vec<Link>,
}

/// A link as comparable ids; an empty side is `None` (its position is not part of it).
type Key = (Option<(usize, usize)>, Option<(usize, usize)>);

fn key(l: &Link) -> Key {
    let r = |r: &std::ops::Range<usize>| (!r.is_empty()).then_some((r.start, r.end));
    (r(&l.src), r(&l.tgt))
}

#[derive(Default, Clone, Copy)]
struct Counts {
    /// strict: right, predicted, gold (two non-empty sides)
    s: [usize; 3],
    /// empty-side links: right, predicted, gold
    e: [usize; 3],
}

fn f1(c: [usize; 3]) -> (f64, f64, f64) {
    let p = if c[1] == 0 {
        1.0
    } else {
        c[0] as f64 / c[1] as f64
    };
    let r = if c[2] == 0 {
        1.0
    } else {
        c[0] as f64 / c[2] as f64
    };
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}

fn run(doc: &Doc, w: &Weights, realign: bool) -> Counts {
    let src: Vec<Sentence> = doc
        .src
        .iter()
        .map(|(t, p)| Sentence { text: t, para: *p })
        .collect();
    let tgt: Vec<Sentence> = doc
        .tgt
        .iter()
        .map(|(t, p)| Sentence { text: t, para: *p })
        .collect();
    let links = Aligner::new(Params {
        src_lang: Some(Lang::parse("ar").expect("ar")),
        tgt_lang: Some(doc.tgt_lang.clone()),
        weights: *w,
        dictionary: doc.dict.clone(),
        realign,
        lexicon: lexicon_params(),
        ..Params::default()
    })
    .align(&src, &tgt);
    let full = |k: &Key| k.0.is_some() && k.1.is_some();
    let gold: HashSet<Key> = doc.gold.iter().map(key).collect();
    let mut c = Counts::default();
    for l in links.iter().map(key) {
        let t = if full(&l) { &mut c.s } else { &mut c.e };
        t[1] += 1;
        t[0] += gold.contains(&l) as usize;
    }
    for g in &gold {
        if full(g) {
            c.s[2] += 1;
        } else {
            c.e[2] += 1;
        }
    }
    c
}

/// `LEX="min_count min_dice max_share"` overrides the realign lexicon's thresholds.
fn lexicon_params() -> LexiconParams {
    let mut p = LexiconParams::default();
    if let Ok(v) = std::env::var("LEX") {
        let v: Vec<f64> = v
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if v.len() == 3 {
            p.min_count = v[0] as u32;
            p.min_dice = v[1];
            p.max_share = v[2];
        }
    }
    p
}

fn load(dir: &str, tl: &str) -> Result<Vec<Doc>, Box<dyn std::error::Error>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "links"))
        .collect();
    names.sort();
    let lines = |p: &std::path::Path| -> Result<Vec<(String, usize)>, dragoman::Error> {
        let d = Document::from_path(p, true)?;
        Ok((0..d.lines.len())
            .map(|i| (d.line(i).to_string(), d.line_para[i]))
            .collect())
    };
    names
        .iter()
        .map(|gl| {
            let text = std::fs::read_to_string(gl)?;
            Ok(Doc {
                name: gl
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                dict: None,
                tgt_lang: Lang::parse(tl)?,
                src: lines(&gl.with_extension("ar"))?,
                tgt: lines(&gl.with_extension(tl))?,
                gold: parse_links(&text, gl)?,
            })
        })
        .collect()
}

fn objective(sets: &[Vec<Doc>], w: &Weights, realign: bool) -> f64 {
    let per: Vec<Counts> = sets.iter().map(|d| totals(d, w, realign)).collect();
    let mut e = [0usize; 3];
    let mut f = 0.0;
    for c in &per {
        f += f1(c.s).2;
        (0..3).for_each(|k| e[k] += c.e[k]);
    }
    f / sets.len() as f64 + 0.1 * f1(e).2
}

fn totals(docs: &[Doc], w: &Weights, realign: bool) -> Counts {
    docs.par_iter()
        .map(|d| run(d, w, realign))
        .reduce(Counts::default, |a, b| {
            let mut c = a;
            (0..3).for_each(|k| {
                c.s[k] += b.s[k];
                c.e[k] += b.e[k];
            });
            c
        })
}

/// The gold sentence pairs of `doc` (links with two sides; merged sentences joined by a
/// space): what a user's TM made of this document would hold.
fn gold_pairs(doc: &Doc) -> Vec<(String, String)> {
    let join = |side: &[(String, usize)], r: &std::ops::Range<usize>| {
        side[r.clone()]
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    doc.gold
        .iter()
        .filter(|l| !l.src.is_empty() && !l.tgt.is_empty())
        .map(|l| (join(&doc.src, &l.src), join(&doc.tgt, &l.tgt)))
        .collect()
}

/// The TM lexicon of `doc`: learned (`LexiconParams::for_tm`, or `TMLEX`) from the gold pairs
/// of the `pool` documents in the same language pair, never from a document of the same name
/// (its flat or para copy), each distinct pair once; added to `base`.
fn tm_dictionary(doc: &Doc, pool: &[&Doc], base: Option<&Dictionary>) -> Dictionary {
    let mut seen = HashSet::new();
    let mut pairs = Vec::new();
    for d in pool {
        if d.name == doc.name || d.tgt_lang != doc.tgt_lang {
            continue;
        }
        for p in gold_pairs(d) {
            if seen.insert(p.clone()) {
                pairs.push(p);
            }
        }
    }
    let lex = lexicon::learn(
        pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())),
        &tm_lexicon_params(),
    );
    base.cloned().unwrap_or_default().with_entries(&lex)
}

/// `TMLEX="min_count min_dice max_share"` overrides `LexiconParams::for_tm`.
fn tm_lexicon_params() -> LexiconParams {
    let mut p = LexiconParams::for_tm();
    if let Ok(v) = std::env::var("TMLEX") {
        let v: Vec<f64> = v
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if v.len() == 3 {
            p.min_count = v[0] as u32;
            p.min_dice = v[1];
            p.max_share = v[2];
        }
    }
    p
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |args: &mut Vec<String>, f: &str| {
        let had = args.iter().any(|a| a == f);
        args.retain(|a| a != f);
        had
    };
    let values = |w: &Weights| -> String {
        let v: Vec<String> = w.to_values().iter().map(|x| format!("{x:.3}")).collect();
        v.join(" ")
    };
    if flag(&mut args, "--print-weights") {
        println!("{}", values(&Weights::default()));
        return Ok(());
    }
    let score = flag(&mut args, "--score");
    let realign = flag(&mut args, "--realign") || Params::default().realign;
    let mut w = Weights::default();
    if let Some(i) = args.iter().position(|a| a == "--weights") {
        let v: Vec<f64> = args
            .get(i + 1)
            .ok_or("--weights needs a value")?
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()?;
        w = Weights::from_values(&v);
        args.drain(i..i + 2);
    }
    let value = |args: &mut Vec<String>, f: &str| -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        while let Some(i) = args.iter().position(|a| a == f) {
            out.push(args.get(i + 1).ok_or(format!("{f} needs a value"))?.clone());
            args.drain(i..i + 2);
        }
        Ok(out)
    };
    let dict_file = value(&mut args, "--dict")?;
    let tm_from = value(&mut args, "--tm-from")?;
    let grid = value(&mut args, "--dict-grid")?;
    let tm_loo = flag(&mut args, "--tm-loo");
    // --dict TGT_LANG:FILE: a dictionary for the documents of that target language.
    let mut bases: Vec<(Lang, Dictionary)> = Vec::new();
    for a in &dict_file {
        let (tl, p) = a.split_once(':').ok_or("--dict expects TGT_LANG:FILE")?;
        bases.push((Lang::parse(tl)?, Dictionary::from_path(p.as_ref())?));
    }
    let base_for = |l: &Lang| bases.iter().find(|(x, _)| x == l).map(|(_, d)| d);
    let mut names = Vec::new();
    let mut sets = Vec::new();
    for a in &args {
        let (dir, tl) = a.rsplit_once(':').ok_or("expected DIR:TGT_LANG")?;
        names.push(dir.to_string());
        sets.push(load(dir, tl)?);
    }
    if sets.is_empty() {
        return Err(
            "usage: align_tune [--score] [--weights W] [--realign] [--dict FILE] \
             [--tm-loo | --tm-from DIR:LANG...] [--dict-grid \"W...\"] DIR:LANG..."
                .into(),
        );
    }
    let mut pool = Vec::new();
    for a in &tm_from {
        let (dir, tl) = a.rsplit_once(':').ok_or("expected DIR:TGT_LANG")?;
        pool.extend(load(dir, tl)?);
    }
    let dicts: Vec<Vec<Option<Dictionary>>> = {
        let all: Vec<&Doc> = if tm_loo {
            sets.iter().flatten().collect()
        } else {
            pool.iter().collect()
        };
        let tm = tm_loo || !tm_from.is_empty();
        sets.iter()
            .map(|docs| {
                docs.par_iter()
                    .map(|d| {
                        if tm {
                            Some(tm_dictionary(d, &all, base_for(&d.tgt_lang)))
                        } else {
                            base_for(&d.tgt_lang).cloned()
                        }
                    })
                    .collect()
            })
            .collect()
    };
    for (docs, ds) in sets.iter_mut().zip(dicts) {
        for (d, x) in docs.iter_mut().zip(ds) {
            d.dict = x;
        }
    }
    if let Some(g) = grid.first() {
        // The dictionary weight alone, the others as given: the honest fit of the weight of
        // a lexicon on the tuning half (with --tm-loo, each document's lexicon from the others).
        let k = WEIGHT_NAMES
            .iter()
            .position(|n| *n == "dict")
            .expect("dict");
        let mut v = w.to_values();
        let mut best = (f64::MIN, v[k]);
        for t in g.split_whitespace().map(str::parse::<f64>) {
            let t = t?;
            v[k] = t;
            let o = objective(&sets, &Weights::from_values(&v), realign);
            eprintln!("dict = {t:.3} -> {o:.4}");
            if o > best.0 + 1e-4 {
                best = (o, t);
            }
        }
        v[k] = best.1;
        println!("{}", values(&Weights::from_values(&v)));
        return Ok(());
    }
    if score {
        for (n, d) in names.iter().zip(&sets) {
            let c = totals(d, &w, realign);
            let (sp, sr, sf) = f1(c.s);
            let (ep, er, ef) = f1(c.e);
            println!(
                "{n} documents={} strict_p={sp:.4} strict_r={sr:.4} strict_f1={sf:.4} \
                 empty_links={} empty_p={ep:.3} empty_r={er:.3} empty_f1={ef:.3}",
                d.len(),
                c.e[2]
            );
        }
        return Ok(());
    }
    let mut v = w.to_values();
    let mut best = objective(&sets, &w, realign);
    eprintln!("start objective {best:.4}");
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(2);
    for round in 0..rounds {
        for k in 0..v.len() {
            let x = v[k];
            let tries: Vec<f64> = if x == 0.0 {
                vec![0.5, 1.0, 2.0, 4.0]
            } else {
                vec![0.0, x * 0.5, x * 0.75, x * 1.33, x * 2.0]
            };
            for t in tries {
                let mut c = v;
                c[k] = t;
                let o = objective(&sets, &Weights::from_values(&c), realign);
                if o > best + 1e-4 {
                    best = o;
                    v = c;
                    eprintln!("round {round}: {} = {t:.3} -> {o:.4}", WEIGHT_NAMES[k]);
                }
            }
        }
    }
    println!("{}", values(&Weights::from_values(&v)));
    Ok(())
}
