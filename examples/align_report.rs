//! Writes the HTML review report of two presegmented files (a stand-in for `--report`).
//!
//! usage: cargo run --example align_report -- SRC_LANG TGT_LANG SRC TGT OUT.html
use dragoman::align::report::{write_html, ReportOptions};
use dragoman::align::{Aligner, Params, Sentence};
use dragoman::{Document, Lang};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [sl, tl, sp, tp, out] = &args[..] else {
        return Err("usage: align_report SRC_LANG TGT_LANG SRC TGT OUT.html".into());
    };
    let (sd, td) = (
        Document::from_path(sp.as_ref(), true)?,
        Document::from_path(tp.as_ref(), true)?,
    );
    let sents = |d: &'_ Document| -> Vec<(usize, usize)> {
        (0..d.lines.len()).map(|i| (i, d.line_para[i])).collect()
    };
    let src: Vec<Sentence> = sents(&sd)
        .into_iter()
        .map(|(i, p)| Sentence {
            text: sd.line(i),
            para: p,
        })
        .collect();
    let tgt: Vec<Sentence> = sents(&td)
        .into_iter()
        .map(|(i, p)| Sentence {
            text: td.line(i),
            para: p,
        })
        .collect();
    let (sl, tl) = (Lang::parse(sl)?, Lang::parse(tl)?);
    let params = Params {
        src_lang: Some(sl.clone()),
        tgt_lang: Some(tl.clone()),
        ..Params::default()
    };
    let links = Aligner::new(params).align(&src, &tgt);
    let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
    write_html(
        &mut f,
        &ReportOptions::new(sp.clone(), sl, tl),
        &src,
        &tgt,
        &links,
    )?;
    Ok(())
}
