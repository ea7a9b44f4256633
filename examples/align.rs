//! Aligns two presegmented files (one segment per line, blank line = paragraph break) and
//! prints links as `dragoman align` does. A stand-in until the CLI lands, and a tuning aid:
//! `DRAGOMAN_W="number word dict ..."` overrides weights (in the order of
//! `dragoman::align::WEIGHT_NAMES`), `DRAGOMAN_REALIGN=1` aligns twice (realign; off by default,
//! as in `Params::default`, so that the example aligns as `dragoman align` does), and
//! `DRAGOMAN_DICT=FILE` uses a dictionary in hunalign's format, `DRAGOMAN_TM=FILE` adds the
//! lexicon learned from a TM's units as `dragoman align --tm FILE` does (with its dictionary
//! weight, `TM_DICT_WEIGHT`, unless `DRAGOMAN_W` is given).
//!
//! usage: cargo run --example align -- SRC_LANG TGT_LANG SRC TGT
use dragoman::align::{Aligner, Params, Sentence, Weights};
use dragoman::{Document, Lang};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [sl, tl, sp, tp] = &args[..] else {
        return Err("usage: align SRC_LANG TGT_LANG SRC TGT".into());
    };
    let sd = Document::from_path(sp.as_ref(), true)?;
    let td = Document::from_path(tp.as_ref(), true)?;
    let sents = |d: &Document| -> Vec<(String, usize)> {
        (0..d.lines.len())
            .map(|i| (d.line(i).to_string(), d.line_para[i]))
            .collect()
    };
    let (ss, ts) = (sents(&sd), sents(&td));
    let src: Vec<Sentence> = ss
        .iter()
        .map(|(t, p)| Sentence { text: t, para: *p })
        .collect();
    let tgt: Vec<Sentence> = ts
        .iter()
        .map(|(t, p)| Sentence { text: t, para: *p })
        .collect();
    let mut weights = Weights::default();
    if let Ok(w) = std::env::var("DRAGOMAN_W") {
        let v: Vec<f64> = w.split_whitespace().map(|x| x.parse().unwrap()).collect();
        weights = Weights::from_values(&v);
    }
    let dictionary = match std::env::var_os("DRAGOMAN_DICT") {
        Some(p) => Some(dragoman::align::Dictionary::from_path(p.as_ref())?),
        None => None,
    };
    let (sl, tl) = (Lang::parse(sl)?, Lang::parse(tl)?);
    let lexicon = match std::env::var("DRAGOMAN_TM") {
        Ok(p) => dragoman::align::lexicon::from_tm(
            &[dragoman::job::TmSpec::new(p)],
            &sl,
            &tl,
            &dragoman::align::lexicon::LexiconParams::for_tm(),
        )?,
        Err(_) => Vec::new(),
    };
    let base = dragoman::pipeline::aligner_params(&sl, &tl, dictionary.as_ref(), &lexicon);
    if std::env::var_os("DRAGOMAN_W").is_none() {
        weights = base.weights;
    }
    let params = Params {
        dictionary: base.dictionary,
        src_lang: Some(sl),
        tgt_lang: Some(tl),
        progress: true,
        weights,
        realign: std::env::var_os("DRAGOMAN_REALIGN").is_some_and(|v| v == "1"),
        ..Params::default()
    };
    let t0 = std::time::Instant::now();
    let links = Aligner::new(params).align(&src, &tgt);
    if std::env::var_os("DRAGOMAN_TIME").is_some() {
        eprintln!(
            "aligned {} x {} in {:.2?}",
            src.len(),
            tgt.len(),
            t0.elapsed()
        );
    }
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for l in &links {
        writeln!(out, "{l}")?;
    }
    Ok(())
}
