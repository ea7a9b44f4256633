//! Reports of a diff: a unified-diff-like text (coloured on a terminal), JSON and CSV for
//! scripts; the HTML report is in [`super::html`]. All stream: one unit at a time.
//!
//! Bidi safety: every text that holds a right-to-left letter is written between FIRST STRONG
//! ISOLATE and POP DIRECTIONAL ISOLATE (U+2068, U+2069), in logical order, so an Arabic
//! segment neither reorders the markers and numbers around it nor is reordered by them.

use std::io::{self, Write};

use super::metrics::{has_rtl, Band, Change, Span};
use super::{Status, Summary, Tally, UnitDiff, VariantDiff};

/// Receives the units of one or more file pairs and writes a report.
pub trait Reporter {
    /// A file pair starts.
    fn begin(&mut self, old: &str, new: &str) -> io::Result<()>;
    /// One unit (in order).
    fn unit(&mut self, d: &UnitDiff) -> io::Result<()>;
    /// The file pair ends.
    fn end(&mut self, s: &Summary) -> io::Result<()>;
    /// Everything ends; `files` pairs were reported.
    fn finish(&mut self, total: &Summary, files: usize) -> io::Result<()>;
}

/// `s` between FSI and PDI when it has a right-to-left letter.
pub fn isolate(s: &str) -> String {
    if has_rtl(s) {
        format!("\u{2068}{s}\u{2069}")
    } else {
        s.to_string()
    }
}

/// The unified-diff-like text report.
pub struct Text<W: Write> {
    w: W,
    color: bool,
    /// Print only the summaries.
    pub quiet: bool,
}

impl<W: Write> Text<W> {
    /// A text report, coloured when `color`.
    pub fn new(w: W, color: bool) -> Self {
        Text {
            w,
            color,
            quiet: false,
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// The word diff: `[-old-]{+new+}` in plain text, red struck-out / green underlined in
    /// colour.
    fn spans(&self, spans: &[Span]) -> String {
        let mut s = String::new();
        for sp in spans {
            match (sp.change, self.color) {
                (Change::Equal, _) => s.push_str(&sp.text),
                (Change::Delete, false) => s.push_str(&format!("[-{}-]", sp.text)),
                (Change::Insert, false) => s.push_str(&format!("{{+{}+}}", sp.text)),
                (Change::Delete, true) => s.push_str(&self.paint("31;9", &sp.text)),
                (Change::Insert, true) => s.push_str(&self.paint("32;4", &sp.text)),
            }
        }
        isolate(&s)
    }

    fn variant(&mut self, v: &VariantDiff) -> io::Result<()> {
        let lang = format!("{:<5}", v.lang);
        match v.status {
            Status::Unchanged => {
                if v.source {
                    let t = isolate(v.new.as_deref().unwrap_or(""));
                    writeln!(self.w, "  {lang} {t}")?;
                }
            }
            Status::Added => {
                let t = self.paint(
                    "32",
                    &format!("+ {lang} {}", isolate(v.new.as_deref().unwrap_or(""))),
                );
                writeln!(self.w, "{t}")?;
            }
            Status::Removed => {
                let t = self.paint(
                    "31",
                    &format!("- {lang} {}", isolate(v.old.as_deref().unwrap_or(""))),
                );
                writeln!(self.w, "{t}")?;
            }
            Status::Edited => {
                let o = self.paint(
                    "31",
                    &format!("- {lang} {}", isolate(v.old.as_deref().unwrap_or(""))),
                );
                let n = self.paint(
                    "32",
                    &format!("+ {lang} {}", isolate(v.new.as_deref().unwrap_or(""))),
                );
                writeln!(self.w, "{o}\n{n}")?;
                if v.codes_changed {
                    writeln!(self.w, "~ {lang} (inline codes changed)")?;
                } else {
                    let d = self.spans(&v.spans);
                    writeln!(self.w, "~ {lang} {d}")?;
                }
                writeln!(
                    self.w,
                    "  {lang} {} word{}, {} char{}, PED {:.1}% [{}]",
                    v.word_edits,
                    plural(v.word_edits),
                    v.char_edits,
                    plural(v.char_edits),
                    v.ped,
                    v.band.label()
                )?;
            }
        }
        Ok(())
    }

    fn tally(&mut self, label: &str, t: &Tally) -> io::Result<()> {
        writeln!(
            self.w,
            "{label}{} units: {} unchanged, {} edited{}, {} added, {} removed",
            t.units,
            t.unchanged,
            t.edited,
            if t.meta_only > 0 {
                format!(" ({} metadata only)", t.meta_only)
            } else {
                String::new()
            },
            t.added,
            t.removed
        )?;
        writeln!(
            self.w,
            "  {} of {} target segments edited: {} word edits (of {} words), {} character edits; PED {:.2}%",
            t.segments_edited,
            t.segments,
            t.word_edits,
            t.words,
            t.char_edits,
            t.ped()
        )?;
        let bands: Vec<String> = Band::ALL
            .iter()
            .map(|b| format!("{}: {}", b.label(), t.bands[b.index()]))
            .collect();
        writeln!(self.w, "  bands (% PED): {}", bands.join(", "))
    }

    fn breakdown(
        &mut self,
        title: &str,
        rows: &std::collections::BTreeMap<String, Tally>,
        edited_only: bool,
    ) -> io::Result<()> {
        let rows: Vec<_> = rows
            .iter()
            .filter(|(_, t)| !edited_only || t.differs())
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        writeln!(self.w, "  {title}:")?;
        for (k, t) in rows {
            writeln!(
                self.w,
                "    {}: {} units, {} edited, {} word edits, PED {:.2}%",
                isolate(k),
                t.units,
                t.edited + t.added + t.removed,
                t.word_edits,
                t.ped()
            )?;
        }
        Ok(())
    }

    fn summary(&mut self, label: &str, s: &Summary) -> io::Result<()> {
        let head = self.paint("1", label);
        self.tally(&head, &s.total)?;
        if s.by_lang.len() > 1 {
            self.breakdown("by language", &s.by_lang, false)?;
        }
        self.breakdown("by translator", &s.by_translator, false)?;
        self.breakdown("by date revised", &s.by_date, true)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl<W: Write> Reporter for Text<W> {
    fn begin(&mut self, old: &str, new: &str) -> io::Result<()> {
        if !self.quiet {
            let h = self.paint("1", &format!("--- {old}\n+++ {new}"));
            writeln!(self.w, "{h}")?;
        }
        Ok(())
    }

    fn unit(&mut self, d: &UnitDiff) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut head = format!("@@ {} {}", d.id.as_deref().unwrap_or("-"), d.status.label());
        if d.status == Status::Edited && !d.meta_only() {
            head.push_str(&format!(" PED {:.1}% [{}]", d.ped(), d.band().label()));
        }
        if let Some(t) = &d.translator {
            head.push_str(&format!(" by {}", isolate(t)));
        }
        if let Some(r) = &d.reviser {
            head.push_str(&format!(", revised by {}", isolate(r)));
        }
        if let Some(t) = &d.date {
            head.push_str(&format!(" on {t}"));
        }
        head.push_str(" @@");
        let head = self.paint("36", &head);
        writeln!(self.w, "{head}")?;
        for v in &d.variants {
            self.variant(v)?;
        }
        for m in &d.meta {
            writeln!(
                self.w,
                "! {}: {} -> {}",
                m.field,
                isolate(m.old.as_deref().unwrap_or("(none)")),
                isolate(m.new.as_deref().unwrap_or("(none)"))
            )?;
        }
        Ok(())
    }

    fn end(&mut self, s: &Summary) -> io::Result<()> {
        self.summary("", s)
    }

    fn finish(&mut self, total: &Summary, files: usize) -> io::Result<()> {
        if files > 1 {
            self.summary(&format!("Total, {files} files: "), total)?;
        }
        self.w.flush()
    }
}

/// One JSON document: `{"files": [{"old", "new", "units": [...], "summary"}], "total"}`.
pub struct Json<W: Write> {
    w: W,
    first_file: bool,
    first_unit: bool,
}

impl<W: Write> Json<W> {
    /// A JSON report.
    pub fn new(w: W) -> Self {
        Json {
            w,
            first_file: true,
            first_unit: true,
        }
    }
}

fn json_err(e: serde_json::Error) -> io::Error {
    io::Error::other(e)
}

impl<W: Write> Reporter for Json<W> {
    fn begin(&mut self, old: &str, new: &str) -> io::Result<()> {
        let sep = if self.first_file { "{\"files\":[" } else { "," };
        self.first_file = false;
        self.first_unit = true;
        write!(
            self.w,
            "{sep}\n{{\"old\":{},\"new\":{},\"units\":[",
            serde_json::to_string(old).map_err(json_err)?,
            serde_json::to_string(new).map_err(json_err)?
        )
    }

    fn unit(&mut self, d: &UnitDiff) -> io::Result<()> {
        if !self.first_unit {
            self.w.write_all(b",")?;
        }
        self.first_unit = false;
        self.w.write_all(b"\n")?;
        serde_json::to_writer(&mut self.w, d).map_err(json_err)
    }

    fn end(&mut self, s: &Summary) -> io::Result<()> {
        self.w.write_all(b"\n],\"summary\":")?;
        serde_json::to_writer(&mut self.w, &SummaryOut::from(s)).map_err(json_err)?;
        self.w.write_all(b"}")
    }

    fn finish(&mut self, total: &Summary, _files: usize) -> io::Result<()> {
        if self.first_file {
            self.w.write_all(b"{\"files\":[")?;
        }
        self.w.write_all(b"\n],\"total\":")?;
        serde_json::to_writer(&mut self.w, &SummaryOut::from(total)).map_err(json_err)?;
        self.w.write_all(b"}\n")?;
        self.w.flush()
    }
}

/// A summary as written to JSON: the tallies with their PED and named bands.
#[derive(serde::Serialize)]
struct SummaryOut<'a> {
    total: TallyOut<'a>,
    by_lang: std::collections::BTreeMap<&'a str, TallyOut<'a>>,
    by_translator: std::collections::BTreeMap<&'a str, TallyOut<'a>>,
    by_date: std::collections::BTreeMap<&'a str, TallyOut<'a>>,
}

#[derive(serde::Serialize)]
struct TallyOut<'a> {
    #[serde(flatten)]
    t: &'a Tally,
    ped: f64,
    band_counts: std::collections::BTreeMap<&'static str, u64>,
}

impl<'a> From<&'a Tally> for TallyOut<'a> {
    fn from(t: &'a Tally) -> Self {
        TallyOut {
            t,
            ped: (t.ped() * 100.0).round() / 100.0,
            band_counts: Band::ALL
                .iter()
                .map(|b| (b.label(), t.bands[b.index()]))
                .collect(),
        }
    }
}

impl<'a> From<&'a Summary> for SummaryOut<'a> {
    fn from(s: &'a Summary) -> Self {
        let m = |x: &'a std::collections::BTreeMap<String, Tally>| {
            x.iter()
                .map(|(k, v)| (k.as_str(), TallyOut::from(v)))
                .collect()
        };
        SummaryOut {
            total: TallyOut::from(&s.total),
            by_lang: m(&s.by_lang),
            by_translator: m(&s.by_translator),
            by_date: m(&s.by_date),
        }
    }
}

/// CSV, one row per changed language of a unit (and one per unit whose metadata only
/// changed): `file,id,lang,status,band,ped,word_ped,word_edits,char_edits,old_words,
/// new_words,translator,reviser,date,old,new,diff`; `diff` is the `[-old-]{+new+}` word diff
/// or, for metadata, `field: old -> new` lines.
pub struct Csv<W: Write> {
    w: csv::Writer<W>,
    file: String,
    /// Also write unchanged languages.
    pub all: bool,
}

impl<W: Write> Csv<W> {
    /// A CSV report.
    pub fn new(w: W) -> io::Result<Self> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "file",
            "id",
            "lang",
            "status",
            "band",
            "ped",
            "word_ped",
            "word_edits",
            "char_edits",
            "old_words",
            "new_words",
            "translator",
            "reviser",
            "date",
            "old",
            "new",
            "diff",
        ])?;
        Ok(Csv {
            w,
            file: String::new(),
            all: false,
        })
    }
}

impl<W: Write> Reporter for Csv<W> {
    fn begin(&mut self, _old: &str, new: &str) -> io::Result<()> {
        self.file = new.to_string();
        Ok(())
    }

    fn unit(&mut self, d: &UnitDiff) -> io::Result<()> {
        let id = d.id.clone().unwrap_or_default();
        let who = d.translator.clone().unwrap_or_default();
        let rev = d.reviser.clone().unwrap_or_default();
        let date = d.date.clone().unwrap_or_default();
        for v in &d.variants {
            if v.status == Status::Unchanged && !self.all {
                continue;
            }
            self.w.write_record([
                self.file.as_str(),
                &id,
                &v.lang,
                v.status.label(),
                v.band.label(),
                &format!("{:.2}", v.ped),
                &format!("{:.2}", v.word_ped),
                &v.word_edits.to_string(),
                &v.char_edits.to_string(),
                &v.words.0.to_string(),
                &v.words.1.to_string(),
                &who,
                &rev,
                &date,
                v.old.as_deref().unwrap_or(""),
                v.new.as_deref().unwrap_or(""),
                &super::metrics::render_plain(&v.spans),
            ])?;
        }
        if d.meta_only() {
            let lines: Vec<String> = d
                .meta
                .iter()
                .map(|m| {
                    format!(
                        "{}: {} -> {}",
                        m.field,
                        m.old.as_deref().unwrap_or("(none)"),
                        m.new.as_deref().unwrap_or("(none)")
                    )
                })
                .collect();
            let blank = String::new();
            self.w.write_record([
                self.file.as_str(),
                &id,
                &blank,
                "edited",
                "0",
                "0.00",
                "0.00",
                "0",
                "0",
                "",
                "",
                &who,
                &rev,
                &date,
                "",
                "",
                &lines.join("\n"),
            ])?;
        }
        Ok(())
    }

    fn end(&mut self, _s: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _total: &Summary, _files: usize) -> io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::{Entry, Unit, Variant};

    fn pair() -> UnitDiff {
        let e = |en: &str| {
            Entry::from(Unit {
                id: Some("7".into()),
                variants: vec![Variant::new("ar", "في المدينة"), Variant::new("en", en)],
                ..Default::default()
            })
        };
        super::super::diff_entries(Some(&e("in the town")), Some(&e("in the city")), "ar")
    }

    #[test]
    fn text_is_unified_like_with_isolated_arabic() {
        let mut out = Vec::new();
        let mut r = Text::new(&mut out, false);
        r.begin("a.tmx", "b.tmx").unwrap();
        r.unit(&pair()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.starts_with("--- a.tmx\n+++ b.tmx\n@@ 7 edited PED 36.4% [31-50] @@\n"),
            "{s}"
        );
        assert!(s.contains("  ar    \u{2068}في المدينة\u{2069}\n"), "{s}");
        assert!(
            s.contains(
                "- en    in the town\n+ en    in the city\n~ en    in the [-town-]{+city+}\n"
            ),
            "{s}"
        );
        assert!(
            s.contains("  en    1 word, 4 chars, PED 36.4% [31-50]\n"),
            "{s}"
        );
        assert!(!s.contains('\x1b'));
    }

    #[test]
    fn colour_marks_changes_without_brackets() {
        let mut out = Vec::new();
        let mut r = Text::new(&mut out, true);
        r.unit(&pair()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains("in the \x1b[31;9mtown\x1b[0m\x1b[32;4mcity\x1b[0m"),
            "{s:?}"
        );
    }

    #[test]
    fn json_is_one_document() {
        let mut out = Vec::new();
        let mut r = Json::new(&mut out);
        r.begin("a", "b").unwrap();
        r.unit(&pair()).unwrap();
        r.end(&Summary::default()).unwrap();
        r.finish(&Summary::default(), 1).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["files"][0]["units"][0]["variants"][1]["band"], "31-50");
        assert_eq!(v["total"]["total"]["band_counts"]["0"], 0);
    }
}
