//! A self-contained HTML page to review an alignment: source and target side by side, one row
//! per link, low-confidence links highlighted.
//!
//! The page has inline CSS only (no scripts, no external resources) so it can be mailed,
//! archived or opened offline. Each side carries its `lang` and `dir` (Arabic is right to
//! left), every text is HTML-escaped, and a row that starts a new paragraph on either side has
//! a visible rule above it.

use std::io::{self, Write};

use super::{Link, Sentence, REVIEW_THRESHOLD};
use crate::lang::Lang;

/// What the report shows besides the alignment.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Page title (e.g. the document name).
    pub title: String,
    /// Source language (sets `lang` and `dir` of the source column).
    pub src_lang: Lang,
    /// Target language.
    pub tgt_lang: Lang,
    /// Links scoring below this are highlighted as needing review.
    pub threshold: f64,
}

impl ReportOptions {
    /// Options with the default review threshold.
    pub fn new(title: impl Into<String>, src_lang: Lang, tgt_lang: Lang) -> ReportOptions {
        ReportOptions {
            title: title.into(),
            src_lang,
            tgt_lang,
            threshold: REVIEW_THRESHOLD,
        }
    }
}

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

const CSS: &str = "\
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.3em}\
.summary{display:flex;gap:1.5em;flex-wrap:wrap;margin:0 0 1em;padding:.6em 1em;background:#f3f4f6;border-radius:6px}\
.summary b{font-size:1.1em}\
table{border-collapse:collapse;width:100%;table-layout:fixed}\
th,td{border-bottom:1px solid #ddd;padding:.35em .5em;vertical-align:top}\
th{background:#fafafa;text-align:start;position:sticky;top:0}\
col.meta{width:7em}\
td.meta{font-family:ui-monospace,monospace;font-size:.85em;color:#555;white-space:nowrap}\
td.meta .kind{display:inline-block;min-width:2.6em;font-weight:bold;color:#222}\
tr.review td{background:#fff4e0}\
tr.review td.meta{border-inline-start:4px solid #e08a00}\
tr.para td{border-top:3px double #888}\
td.empty{color:#999;font-style:italic}\
p.s{margin:0 0 .3em}\
span.id{color:#999;font-size:.75em;margin-inline-end:.4em}\
[dir=rtl]{font-size:1.1em}";

/// Writes the review page for `links` between `src` and `tgt`.
///
/// # Errors
/// Whatever `w` returns.
///
/// ```
/// use dragoman::align::{report::{write_html, ReportOptions}, Link, Sentence};
/// use dragoman::Lang;
/// let s = |text| Sentence { text, para: 0 };
/// let opts = ReportOptions::new("demo", Lang::parse("ar").unwrap(), Lang::parse("en").unwrap());
/// let mut out = Vec::new();
/// let links = [Link { src: 0..1, tgt: 0..1, score: 0.9 }];
/// write_html(&mut out, &opts, &[s("مرحبا")], &[s("Hello <you>")], &links).unwrap();
/// let html = String::from_utf8(out).unwrap();
/// assert!(html.contains("dir=\"rtl\"") && html.contains("Hello &lt;you&gt;"));
/// ```
pub fn write_html(
    w: &mut dyn Write,
    opts: &ReportOptions,
    src: &[Sentence],
    tgt: &[Sentence],
    links: &[Link],
) -> io::Result<()> {
    let review = links.iter().filter(|l| l.score < opts.threshold).count();
    let ones = links.iter().filter(|l| l.kind() == (1, 1)).count();
    let empty = links
        .iter()
        .filter(|l| l.src.is_empty() || l.tgt.is_empty())
        .count();
    let dir = |l: &Lang| if l.is_rtl() { "rtl" } else { "ltr" };
    writeln!(w, "<!DOCTYPE html>")?;
    writeln!(w, "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(
        w,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        w,
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>",
        esc(&opts.title)
    )?;
    writeln!(w, "<h1>{}</h1>", esc(&opts.title))?;
    writeln!(w, "<div class=\"summary\" id=\"summary\">")?;
    for (label, v) in [
        ("links", links.len().to_string()),
        (
            "need review",
            format!("{review} (score &lt; {:.2})", opts.threshold),
        ),
        ("1-1", ones.to_string()),
        ("merges/splits", (links.len() - ones - empty).to_string()),
        ("unlinked", empty.to_string()),
        (
            "sentences",
            format!(
                "{} {} / {} {}",
                src.len(),
                esc(opts.src_lang.as_str()),
                tgt.len(),
                esc(opts.tgt_lang.as_str())
            ),
        ),
    ] {
        writeln!(w, "<span>{label}: <b>{v}</b></span>")?;
    }
    writeln!(w, "</div>")?;
    writeln!(
        w,
        "<table>\n<colgroup><col class=\"meta\"><col><col></colgroup>\n<thead><tr><th>link</th>\
         <th lang=\"{sl}\" dir=\"{sd}\">{sl}</th><th lang=\"{tl}\" dir=\"{td}\">{tl}</th></tr></thead>\n<tbody>",
        sl = esc(opts.src_lang.as_str()),
        tl = esc(opts.tgt_lang.as_str()),
        sd = dir(&opts.src_lang),
        td = dir(&opts.tgt_lang),
    )?;
    let (mut last_sp, mut last_tp) = (None::<usize>, None::<usize>);
    for (k, l) in links.iter().enumerate() {
        let sp = l
            .src
            .clone()
            .next()
            .and_then(|i| src.get(i))
            .map(|s| s.para);
        let tp = l
            .tgt
            .clone()
            .next()
            .and_then(|i| tgt.get(i))
            .map(|s| s.para);
        let new_para = k > 0
            && ((sp.is_some() && last_sp.is_some() && sp != last_sp)
                || (tp.is_some() && last_tp.is_some() && tp != last_tp));
        if let Some(p) = l.src.clone().last().and_then(|i| src.get(i)) {
            last_sp = Some(p.para);
        }
        if let Some(p) = l.tgt.clone().last().and_then(|i| tgt.get(i)) {
            last_tp = Some(p.para);
        }
        let mut class = Vec::new();
        if l.score < opts.threshold {
            class.push("review");
        }
        if new_para {
            class.push("para");
        }
        let (a, b) = l.kind();
        write!(
            w,
            "<tr id=\"l{k}\" class=\"link {}\"><td class=\"meta\"><span class=\"kind\">{a}-{b}</span> {:.2}</td>",
            class.join(" "),
            l.score
        )?;
        for (side, range, lang) in [(src, &l.src, &opts.src_lang), (tgt, &l.tgt, &opts.tgt_lang)] {
            if range.is_empty() {
                write!(w, "<td class=\"empty\">(no counterpart)</td>")?;
                continue;
            }
            write!(
                w,
                "<td lang=\"{}\" dir=\"{}\">",
                esc(lang.as_str()),
                dir(lang)
            )?;
            for i in range.clone() {
                let text = side.get(i).map_or("", |s| s.text);
                write!(
                    w,
                    "<p class=\"s\"><span class=\"id\">{i}</span>{}</p>",
                    esc(text)
                )?;
            }
            write!(w, "</td>")?;
        }
        writeln!(w, "</tr>")?;
    }
    writeln!(w, "</tbody>\n</table>\n</body>\n</html>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_marks_review_and_paragraphs() {
        let src = [
            Sentence {
                text: "أ <b>",
                para: 0,
            },
            Sentence {
                text: "ب & ج",
                para: 1,
            },
        ];
        let tgt = [
            Sentence {
                text: "A \"q\"",
                para: 0,
            },
            Sentence { text: "B", para: 1 },
        ];
        let links = [
            Link {
                src: 0..1,
                tgt: 0..1,
                score: 0.9,
            },
            Link {
                src: 1..2,
                tgt: 1..2,
                score: 0.1,
            },
        ];
        let opts = ReportOptions::new(
            "t<1>",
            Lang::parse("ar").unwrap(),
            Lang::parse("en").unwrap(),
        );
        let mut out = Vec::new();
        write_html(&mut out, &opts, &src, &tgt, &links).unwrap();
        let h = String::from_utf8(out).unwrap();
        assert!(h.contains("<title>t&lt;1&gt;</title>"));
        assert!(
            h.contains("أ &lt;b&gt;") && h.contains("ب &amp; ج") && h.contains("A &quot;q&quot;")
        );
        assert!(h.contains("class=\"link review para\""));
        assert!(h.contains("need review: <b>1"));
        assert!(!h.contains("<script"));
    }
}
