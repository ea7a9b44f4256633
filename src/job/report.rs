//! Writers of an [`Analysis`]: a terminal table, CSV, JSON and a self-contained HTML page.
//!
//! The HTML page needs no network: styles are inline, the bars per band are plain `<div>`s
//! sized in CSS, and every segment text is in a cell with its language and direction
//! (`dir="rtl"` for Arabic), so a browser lays it out in logical order.

use std::io::{self, Write};

use super::analyze::{Analysis, Report, Row};
use crate::diff::html::esc;

/// The terminal table: one block per file, then the job total when there are several files.
/// Bold headers and a coloured total when `color`.
///
/// # Errors
/// Write errors.
pub fn write_text(out: &mut dyn Write, a: &Analysis, color: bool) -> io::Result<()> {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    writeln!(
        out,
        "{} -> {}, TM: {} ({} units)",
        a.source_lang,
        a.target_lang,
        a.tms.join(", "),
        a.tm_units
    )?;
    let mut blocks: Vec<&Report> = a.files.iter().collect();
    if a.files.len() > 1 {
        blocks.push(&a.total);
    }
    for r in blocks {
        writeln!(out)?;
        writeln!(out, "{}", bold(&r.name))?;
        writeln!(
            out,
            "{}",
            bold(&format!(
                "  {:<12} {:>8} {:>8} {:>10} {:>7} {:>10}",
                "match", "segments", "words", "characters", "weight", "weighted"
            ))
        )?;
        for row in r.rows.iter().chain(std::iter::once(&r.total)) {
            let line = format!(
                "  {:<12} {:>8} {:>8} {:>10} {:>7} {:>10.1}",
                row.label,
                row.segments,
                row.words,
                row.characters,
                row.weight.map_or_else(String::new, |w| format!("{w}%")),
                row.weighted_words
            );
            if row.key == "total" {
                writeln!(out, "{}", bold(&line))?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// CSV (RFC 4180, header row): `file,match,label,segments,words,characters,weight,weighted_words`,
/// one line per row of each file, then the rows of `total`. Cells that a spreadsheet would
/// take for a formula (a file name starting with `=`, `+`, `-`, `@`) are prefixed with `'`, as
/// OWASP recommends.
///
/// # Errors
/// Write errors.
pub fn write_csv(out: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let e = |e: csv::Error| io::Error::other(e.to_string());
    w.write_record([
        "file",
        "match",
        "label",
        "segments",
        "words",
        "characters",
        "weight",
        "weighted_words",
    ])
    .map_err(e)?;
    for r in a.files.iter().chain(std::iter::once(&a.total)) {
        let name = if r.name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{}", r.name)
        } else {
            r.name.clone()
        };
        for row in r.rows.iter().chain(std::iter::once(&r.total)) {
            w.write_record([
                name.clone(),
                row.key.clone(),
                row.label.clone(),
                row.segments.to_string(),
                row.words.to_string(),
                row.characters.to_string(),
                row.weight.map_or_else(String::new, |x| x.to_string()),
                format!("{:.2}", row.weighted_words),
            ])
            .map_err(e)?;
        }
    }
    w.flush()
}

/// JSON: one object (languages, TMs, `files` and `total`, each with its `rows` and `total`).
///
/// # Errors
/// Write errors.
pub fn write_json(out: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, a).map_err(io::Error::other)?;
    writeln!(out)
}

const STYLE: &str = r#"
body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:1.8em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}
th{background:#f2f2f2;text-align:start}
td.n{text-align:end;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#fafafa}
td.bar{width:16em} .bar div{height:.9em;border-radius:.2em}
td[dir=rtl]{text-align:right;font-size:1.08em}
.meta{color:#555;font-size:.9em}
table.segments{width:100%} table.segments td.text{width:70%}
"#;

/// A colour per row key, from green (free) to red (new).
fn colour(key: &str) -> &'static str {
    match key {
        "context" => "#1b7f3b",
        "repetition" => "#4c9f70",
        "exact" => "#63b35a",
        "no_match" => "#c0392b",
        k => match k.split('-').next().and_then(|x| x.parse::<u8>().ok()) {
            Some(95..) => "#a6c64c",
            Some(85..) => "#d9c23f",
            Some(75..) => "#e8a33c",
            _ => "#e2703a",
        },
    }
}

fn table(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(
        out,
        "<table class=\"bands\"><thead><tr><th>match</th><th>segments</th><th>words</th>\
         <th>characters</th><th>weight</th><th>weighted words</th><th>share of words</th></tr></thead><tbody>"
    )?;
    let all = r.total.words.max(1) as f64;
    for row in &r.rows {
        let pct = 100.0 * row.words as f64 / all;
        writeln!(
            out,
            "<tr data-key=\"{}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td>\
             <td class=\"bar\"><div style=\"width:{pct:.1}%;background:{}\" title=\"{pct:.1}%\"></div></td></tr>",
            esc(&row.key),
            esc(&row.label),
            row.segments,
            row.words,
            row.characters,
            row.weight.map_or_else(String::new, |w| format!("{w}%")),
            row.weighted_words,
            colour(&row.key),
        )?;
    }
    let t: &Row = &r.total;
    writeln!(
        out,
        "<tr class=\"total\"><td>total</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td></td><td class=\"n\">{:.1}</td><td></td></tr></tbody></table>",
        t.segments, t.words, t.characters, t.weighted_words
    )
}

/// The self-contained HTML report: the job total, then per file its table and every segment
/// with its row and best match.
///
/// # Errors
/// Write errors.
pub fn write_html(out: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    let rtl = crate::Lang::parse(&a.source_lang).is_ok_and(|l| l.is_rtl());
    let dir = if rtl { "rtl" } else { "ltr" };
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>dragoman analysis</title><style>{STYLE}</style></head><body>"
    )?;
    writeln!(
        out,
        "<h1>Analysis: {} &rarr; {}</h1><p class=\"meta\">TM: {} ({} units); {} file(s)</p>",
        esc(&a.source_lang),
        esc(&a.target_lang),
        esc(&a.tms.join(", ")),
        a.tm_units,
        a.files.len()
    )?;
    writeln!(out, "<h2>Total</h2>")?;
    table(out, &a.total)?;
    for (r, segs) in a.files.iter().zip(&a.segments) {
        writeln!(out, "<h2>{}</h2>", esc(&r.name))?;
        table(out, r)?;
        writeln!(
            out,
            "<table class=\"segments\"><thead><tr><th>id</th><th>match</th><th>best</th>\
             <th>words</th><th>text</th></tr></thead><tbody>"
        )?;
        for s in segs {
            let label = r
                .rows
                .iter()
                .find(|x| x.key == s.key)
                .map_or(s.key.as_str(), |x| x.label.as_str());
            let label = match &s.repetition_of {
                Some(of) if s.key == "repetition" => format!("repetition of {of}"),
                _ => label.to_string(),
            };
            writeln!(
                out,
                "<tr data-key=\"{}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"text\" lang=\"{}\" dir=\"{dir}\">{}</td></tr>",
                esc(&s.key),
                esc(&s.id),
                esc(&label),
                s.best.map_or_else(String::new, |b| format!("{b}%")),
                s.words,
                esc(&a.source_lang),
                esc(&s.text)
            )?;
        }
        writeln!(out, "</tbody></table>")?;
    }
    writeln!(out, "</body></html>")
}
