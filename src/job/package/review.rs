//! The bilingual review file: one row per segment with its band, the pre-filled translation
//! and the best suggestion, for a reviewer or a project manager who does not open a CAT tool.
//!
//! CSV (UTF-8, RFC 4180, header row; cells that a spreadsheet would run as formulas are
//! neutralised as `tm::csv` does) and a self-contained HTML page (no network resource;
//! `dir="rtl"` on right-to-left cells so Arabic is laid out by the browser, a band filter).

use super::{Fill, Package};
use crate::diff::html::esc;
use crate::Lang;

/// The CSV header.
pub const CSV_HEADER: [&str; 8] = [
    "id",
    "band",
    "source",
    "target",
    "match",
    "suggestion",
    "suggestion source",
    "origin",
];

/// The review CSV of `pkg`.
pub fn csv(pkg: &Package) -> String {
    let mut s = String::new();
    let row = |s: &mut String, cells: &[&str]| {
        for (k, c) in cells.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            crate::tm::csv::push_field(s, c, b',', false);
        }
        s.push_str("\r\n");
    };
    row(&mut s, &CSV_HEADER);
    for u in pkg.units() {
        let best = u.suggestions.first();
        let score = best.map(|g| format!("{}%", g.score)).unwrap_or_default();
        row(
            &mut s,
            &[
                &u.id,
                &u.band,
                &u.source,
                u.target.as_ref().map(|t| t.0.as_str()).unwrap_or(""),
                &score,
                best.map(|g| g.target.as_str()).unwrap_or(""),
                best.map(|g| g.source.as_str()).unwrap_or(""),
                best.map(|g| g.origin.as_str()).unwrap_or(""),
            ],
        );
    }
    s
}

const STYLE: &str = r#"
body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}
th{background:#f3f3f3;text-align:start} tr.para td{border-top:3px solid #888}
td.band{white-space:nowrap;font-weight:600} .exact{background:#e6f4ea} .context{background:#d2ecd9} .fuzzy{background:#fff6dd} .new{background:#fdecea}
.muted{color:#777;font-size:.9em} [dir=rtl]{text-align:right}
"#;

const SCRIPT: &str = r#"
function filt(v){for(const r of document.querySelectorAll('tbody tr')){r.hidden=v!==''&&r.dataset.band!==v;}}
"#;

/// The review HTML page of `pkg`.
pub fn html(pkg: &Package) -> String {
    let dir = |lang: &str| {
        if Lang::parse(lang).map(|l| l.is_rtl()).unwrap_or(false) {
            " dir=\"rtl\""
        } else {
            " dir=\"ltr\""
        }
    };
    let (sd, td) = (dir(&pkg.source_lang), dir(&pkg.target_lang));
    let mut bands: Vec<&str> = Vec::new();
    for u in pkg.units() {
        if !bands.contains(&u.band.as_str()) {
            bands.push(&u.band);
        }
    }
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    s.push_str(&esc(&format!("Review: {}", pkg.name)));
    s.push_str("</title>\n<style>");
    s.push_str(STYLE);
    s.push_str("</style>\n<script>");
    s.push_str(SCRIPT);
    s.push_str("</script>\n</head>\n<body>\n<h1>");
    s.push_str(&esc(&format!(
        "{} ({} → {})",
        pkg.name, pkg.source_lang, pkg.target_lang
    )));
    s.push_str(
        "</h1>\n<p>Band: <select onchange=\"filt(this.value)\"><option value=\"\">all</option>",
    );
    for b in &bands {
        s.push_str(&format!("<option>{}</option>", esc(b)));
    }
    s.push_str("</select></p>\n<table>\n<thead><tr><th>id</th><th>band</th>");
    s.push_str(&format!(
        "<th>source ({})</th><th>target ({})</th><th>best suggestion</th></tr></thead>\n<tbody>\n",
        esc(&pkg.source_lang),
        esc(&pkg.target_lang)
    ));
    for para in &pkg.paragraphs {
        for (k, u) in para.iter().enumerate() {
            let class = match (&u.target, u.suggestions.first()) {
                (Some((_, Fill::Context)), _) => "context",
                (Some((_, Fill::Exact)), _) => "exact",
                (None, Some(_)) => "fuzzy",
                (None, None) => "new",
            };
            s.push_str(&format!(
                "<tr data-band=\"{}\"{}><td>{}</td><td class=\"band {class}\">{}</td><td{sd}>{}</td><td{td}>{}</td>",
                esc(&u.band),
                if k == 0 { " class=\"para\"" } else { "" },
                esc(&u.id),
                esc(&u.band),
                esc(&u.source),
                u.target.as_ref().map(|t| esc(&t.0)).unwrap_or_default(),
            ));
            match u.suggestions.first().filter(|_| u.target.is_none()) {
                Some(g) => s.push_str(&format!(
                    "<td><div{td}>{}</div><div class=\"muted\"{sd}>{}</div><div class=\"muted\">{}% · {}</div></td></tr>\n",
                    esc(&g.target),
                    esc(&g.source),
                    g.score,
                    esc(&g.origin)
                )),
                None => s.push_str("<td></td></tr>\n"),
            }
        }
    }
    s.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    #[test]
    fn csv_has_a_row_per_segment_with_its_best_suggestion() {
        let c = csv(&sample::package());
        let mut r = ::csv::ReaderBuilder::new().from_reader(c.as_bytes());
        let rows: Vec<::csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(&rows[2][0], "p2.s1");
        assert_eq!(&rows[2][4], "88%");
        assert_eq!(&rows[2][5], "The deficit reached 5,000 dinars this year.");
        assert_eq!(&rows[3][3], "");
    }

    #[test]
    fn html_is_escaped_and_right_to_left_for_arabic() {
        let h = html(&sample::package());
        assert!(
            h.contains("<td dir=\"rtl\">وقال الوزير إن &lt;الاتفاق&gt; صامد &amp; مستمر.</td>"),
            "{h}"
        );
        assert!(h.contains("<td dir=\"ltr\">The minister said"), "{h}");
        assert!(!h.contains("<deal>"));
        assert_eq!(h.matches("class=\"para\"").count(), 2);
    }
}
