//! The self-contained HTML report: summary, effort-band filter, and one table row per changed
//! language of a unit, old and new side by side with `<del>`/`<ins>` marks. Arabic (any
//! right-to-left text) gets `dir="rtl"` cells, so the browser lays it out and marks it in
//! logical order. No network resource: styles and the filter script are inline.

use std::io::{self, Write};

use super::metrics::{has_rtl, Band, Change, Span};
use super::report::Reporter;
use super::{Status, Summary, Tally, UnitDiff, VariantDiff};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = r#"
body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:1.5em}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;word-wrap:break-word}
th{background:#f2f2f2;text-align:start}
td.n{width:4.5em;text-align:end;font-variant-numeric:tabular-nums}
col.id{width:7em} col.lang{width:3.5em} col.ped{width:6.5em}
td[dir=rtl]{text-align:right;font-size:1.08em}
del{background:#fdd;color:#900;text-decoration:line-through}
ins{background:#dfd;color:#060;text-decoration:none;border-bottom:2px solid #6b6}
tr.added td.new{background:#efe} tr.removed td.old{background:#fee}
.meta{color:#555;font-size:.9em}
.summary td,.summary th{width:auto}
#filter label{margin-inline-end:1em;white-space:nowrap}
.band{display:inline-block;padding:0 .4em;border-radius:.3em;background:#eee}
"#;

const SCRIPT: &str = r#"
function applyFilter(){
  var on={};
  document.querySelectorAll('#filter input').forEach(function(c){on[c.value]=c.checked;});
  var shown=0;
  document.querySelectorAll('tbody#units tr').forEach(function(r){
    var v=on[r.getAttribute('data-band')]!==false;
    r.style.display=v?'':'none'; if(v)shown++;
  });
  document.getElementById('shown').textContent=shown;
}
document.querySelectorAll('#filter input').forEach(function(c){c.addEventListener('change',applyFilter);});
applyFilter();
"#;

/// The HTML reporter (one page for every file pair).
pub struct Html<W: Write> {
    w: W,
    title: String,
    started: bool,
    rows: u64,
    /// Also list unchanged units.
    pub all: bool,
}

impl<W: Write> Html<W> {
    /// An HTML report titled `title`.
    pub fn new(w: W, title: &str) -> Self {
        Html {
            w,
            title: title.to_string(),
            started: false,
            rows: 0,
            all: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        write!(
            self.w,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n\
             <p id=\"filter\">Show effort bands (post-edit distance, % of characters): ",
            t = esc(&self.title)
        )?;
        for b in Band::ALL {
            write!(
                self.w,
                "<label><input type=\"checkbox\" value=\"{l}\" checked> {l}</label>",
                l = esc(b.label())
            )?;
        }
        writeln!(self.w, " — <span id=\"shown\"></span> rows shown</p>")
    }
}

/// The old (equal + deleted) or new (equal + inserted) side of a word diff, marked.
fn side(spans: &[Span], old: bool) -> String {
    let mut s = String::new();
    for sp in spans {
        match sp.change {
            Change::Equal => s.push_str(&esc(&sp.text)),
            Change::Delete if old => {
                s.push_str("<del>");
                s.push_str(&esc(&sp.text));
                s.push_str("</del>");
            }
            Change::Insert if !old => {
                s.push_str("<ins>");
                s.push_str(&esc(&sp.text));
                s.push_str("</ins>");
            }
            _ => {}
        }
    }
    s
}

fn dir(lang: &str, text: &str) -> &'static str {
    let p = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let rtl_lang = matches!(
        p.as_str(),
        "ar" | "fa" | "ur" | "ps" | "ckb" | "sd" | "ug" | "he" | "yi" | "dv" | "syr"
    );
    if rtl_lang || (lang.is_empty() && has_rtl(text)) {
        " dir=\"rtl\""
    } else {
        " dir=\"ltr\""
    }
}

fn tally_row(w: &mut dyn Write, label: &str, t: &Tally) -> io::Result<()> {
    write!(
        w,
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}%</td>",
        esc(label),
        t.units,
        t.unchanged,
        t.edited,
        t.added,
        t.removed,
        t.word_edits,
        t.ped()
    )?;
    for b in Band::ALL {
        write!(w, "<td>{}</td>", t.bands[b.index()])?;
    }
    writeln!(w, "</tr>")
}

impl<W: Write> Html<W> {
    fn row(&mut self, d: &UnitDiff, v: &VariantDiff) -> io::Result<()> {
        self.rows += 1;
        let band = if d.meta_only() { Band::None } else { v.band };
        let (old, new) = match v.status {
            Status::Edited if !v.codes_changed => (side(&v.spans, true), side(&v.spans, false)),
            _ => (
                esc(v.old.as_deref().unwrap_or("")),
                esc(v.new.as_deref().unwrap_or("")),
            ),
        };
        let src = d.source.as_deref().unwrap_or("");
        let meta: String = d
            .meta
            .iter()
            .map(|m| {
                format!(
                    "<div class=\"meta\">{}: {} → {}</div>",
                    esc(&m.field),
                    esc(m.old.as_deref().unwrap_or("(none)")),
                    esc(m.new.as_deref().unwrap_or("(none)"))
                )
            })
            .collect();
        let ped = if v.status == Status::Edited {
            format!(
                "{:.1}%<br><span class=\"band\">{}</span><br>{}w {}c",
                v.ped,
                esc(v.band.label()),
                v.word_edits,
                v.char_edits
            )
        } else {
            v.status.label().to_string()
        };
        let src_lang = d
            .variants
            .iter()
            .find(|x| x.source)
            .map_or("", |x| x.lang.as_str());
        writeln!(
            self.w,
            "<tr class=\"{st}\" data-band=\"{b}\" data-status=\"{st}\"><td>{id}{who}</td><td{sd} class=\"src\">{src}</td><td>{lang}</td><td{od} class=\"old\">{old}</td><td{od} class=\"new\">{new}{meta}</td><td class=\"ped\">{ped}</td></tr>",
            st = v.status.label(),
            b = esc(band.label()),
            id = esc(d.id.as_deref().unwrap_or("")),
            who = d
                .translator
                .as_deref()
                .map(|t| format!("<div class=\"meta\">{}</div>", esc(t)))
                .unwrap_or_default(),
            sd = dir(src_lang, src),
            src = esc(src),
            lang = esc(&v.lang),
            od = dir(&v.lang, v.new.as_deref().or(v.old.as_deref()).unwrap_or("")),
        )
    }
}

impl<W: Write> Reporter for Html<W> {
    fn begin(&mut self, old: &str, new: &str) -> io::Result<()> {
        self.start()?;
        writeln!(
            self.w,
            "<h2><del>{}</del> → <ins>{}</ins></h2>\n<table class=\"units\">\
             <colgroup><col class=\"id\"><col><col class=\"lang\"><col><col><col class=\"ped\"></colgroup>\n\
             <thead><tr><th>Unit</th><th>Source</th><th>Lang</th><th>Old</th><th>New</th><th>PED</th></tr></thead>\n<tbody id=\"units\">",
            esc(old),
            esc(new)
        )
    }

    fn unit(&mut self, d: &UnitDiff) -> io::Result<()> {
        let mut any = false;
        for v in d.variants.iter().filter(|v| !v.source) {
            if v.status != Status::Unchanged || self.all {
                self.row(d, v)?;
                any = true;
            }
        }
        if !any && d.status != Status::Unchanged {
            // Metadata only, or only the source changed: one row on the first language.
            if let Some(v) = d.variants.iter().find(|v| !v.source).or(d.variants.first()) {
                self.row(d, v)?;
            }
        }
        Ok(())
    }

    fn end(&mut self, s: &Summary) -> io::Result<()> {
        writeln!(self.w, "</tbody></table>")?;
        self.summary(s, "Summary")
    }

    fn finish(&mut self, total: &Summary, files: usize) -> io::Result<()> {
        self.start()?;
        if files > 1 {
            self.summary(total, &format!("Total, {files} files"))?;
        }
        writeln!(self.w, "<script>{SCRIPT}</script>\n</body>\n</html>")?;
        self.w.flush()
    }
}

impl<W: Write> Html<W> {
    fn summary(&mut self, s: &Summary, title: &str) -> io::Result<()> {
        write!(
            self.w,
            "<h2>{}</h2>\n<table class=\"summary\"><thead><tr><th></th><th>units</th><th>unchanged</th><th>edited</th><th>added</th><th>removed</th><th>word edits</th><th>PED</th>",
            esc(title)
        )?;
        for b in Band::ALL {
            write!(self.w, "<th>{}</th>", esc(b.label()))?;
        }
        writeln!(self.w, "</tr></thead><tbody>")?;
        tally_row(&mut self.w, "total", &s.total)?;
        for (k, t) in &s.by_lang {
            tally_row(&mut self.w, &format!("language {k}"), t)?;
        }
        for (k, t) in &s.by_translator {
            tally_row(&mut self.w, &format!("translator {k}"), t)?;
        }
        for (k, t) in s.by_date.iter().filter(|(_, t)| t.differs()) {
            tally_row(&mut self.w, &format!("revised {k}"), t)?;
        }
        writeln!(self.w, "</tbody></table>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::{Entry, Unit, Variant};

    #[test]
    fn rows_mark_changes_and_set_rtl() {
        let e = |ar: &str, en: &str| {
            Entry::from(Unit {
                id: Some("u<1>".into()),
                variants: vec![Variant::new("en", en), Variant::new("ar", ar)],
                ..Default::default()
            })
        };
        let d = super::super::diff_entries(
            Some(&e("في بالمدينة", "In town")),
            Some(&e("في للمدينة", "In town")),
            "en",
        );
        let mut out = Vec::new();
        let mut h = Html::new(&mut out, "t & t");
        h.begin("a", "b").unwrap();
        h.unit(&d).unwrap();
        h.end(&Summary::default()).unwrap();
        h.finish(&Summary::default(), 1).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("<title>t &amp; t</title>"));
        assert!(s.contains("u&lt;1&gt;"));
        assert!(
            s.contains("<td dir=\"rtl\" class=\"old\">في <del>با</del>لمدينة</td>"),
            "{s}"
        );
        assert!(
            s.contains("<td dir=\"rtl\" class=\"new\">في ل<ins>ل</ins>مدينة"),
            "{s}"
        );
        assert!(!s.contains("http"), "no network resources");
    }
}
