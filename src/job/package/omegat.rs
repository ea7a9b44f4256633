//! A ready OmegaT project for a job (`JOB/omegat/`), shaped by what OmegaT 3.6 does (measured
//! with `../shared/bench/cat/`, see `docs/jobs.md`):
//!
//! - `source/NAME.xlf`: the job as XLIFF 1.2 with a copy of the source in every `<target>`
//!   (`state="needs-translation"`): OmegaT 3.6's XLIFF filter translates the *content of
//!   `<target>`* and skips a unit without one, so the package file itself (pre-filled
//!   targets) cannot be used there. Unit ids are the job segment ids, so the file OmegaT writes
//!   into `target/` is what `dragoman finish` reads back;
//! - `tm/auto/NAME.exact.tmx`: the exact and context matches (job segment -> pre-filled
//!   translation): OmegaT inserts 100% matches from `tm/auto` as translations when the project
//!   loads;
//! - `tm/NAME.fuzzy.tmx`: the fuzzy suggestions (TM source -> TM target), which OmegaT shows
//!   in its Fuzzy Matches pane with its own score;
//! - `omegat.project` with `sentence_seg=false`: one `<trans-unit>` is one OmegaT segment, so
//!   OmegaT's segments are dragoman's exactly, whatever its rules;
//! - `omegat/segmentation.conf`: dragoman's own SRX rules (Arabic first) in the
//!   `java.beans.XMLEncoder` form OmegaT 3.6 reads for project-specific rules, for a translator
//!   who turns sentence segmentation on (OmegaT's default rules have no Arabic entry and do
//!   not break after `؟`).

use std::path::PathBuf;

use super::xliff12::{self, Targets};
use super::Package;
use crate::segment::srx::Srx;
use crate::tm::{tmx, Entry, Unit, Variant, VariantExtra};

/// The files of the project: path relative to the project directory, and content. The
/// directories OmegaT requires (`target/`, `glossary/`, `dictionary/`) are listed as paths
/// ending in `/` with no content.
pub fn files(packages: &[Package]) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let first = packages.first().ok_or("no job file")?;
    let mut out: Vec<(PathBuf, Vec<u8>)> = vec![(
        "omegat.project".into(),
        project_file(&first.source_lang, &first.target_lang).into_bytes(),
    )];
    for d in [
        "source/",
        "target/",
        "tm/",
        "tm/auto/",
        "glossary/",
        "dictionary/",
        "omegat/",
    ] {
        out.push((d.into(), Vec::new()));
    }
    for p in packages {
        let stem = stem(&p.name);
        out.push((
            format!("source/{stem}.xlf").into(),
            xliff12::write_with(p, Targets::SourceCopies)?.into_bytes(),
        ));
        let exact: Vec<Unit> = p
            .units()
            .filter_map(|u| {
                u.target.as_ref().map(|(t, _)| {
                    unit(
                        &format!("{}:{}", p.name, u.id),
                        p,
                        u.source.trim(),
                        t.trim(),
                    )
                })
            })
            .collect();
        if !exact.is_empty() {
            out.push((
                format!("tm/auto/{stem}.exact.tmx").into(),
                tmx_bytes(
                    &p.source_lang,
                    &p.target_lang,
                    &exact.into_iter().map(Entry::from).collect::<Vec<_>>(),
                )?,
            ));
        }
        // The TM's units as they are, inline codes of the target included.
        let mut fuzzy: Vec<Entry> = Vec::new();
        for u in p.units().filter(|u| u.target.is_none()) {
            for g in &u.suggestions {
                if fuzzy.iter().any(|f| {
                    f.unit.variants[0].text == g.source.trim()
                        && f.unit.variants[1].text == g.target.trim()
                }) {
                    continue;
                }
                let extras = match &g.markup {
                    Some(m) => vec![
                        VariantExtra::default(),
                        VariantExtra {
                            markup: Some(m.clone()),
                            ..Default::default()
                        },
                    ],
                    None => Vec::new(),
                };
                fuzzy.push(Entry {
                    unit: unit(&g.origin, p, g.source.trim(), g.target.trim()),
                    extras,
                });
            }
        }
        if !fuzzy.is_empty() {
            out.push((
                format!("tm/{stem}.fuzzy.tmx").into(),
                tmx_bytes(&p.source_lang, &p.target_lang, &fuzzy)?,
            ));
        }
    }
    out.push((
        "omegat/segmentation.conf".into(),
        segmentation_conf(crate::segment::builtin_srx())?.into_bytes(),
    ));
    Ok(out)
}

/// The file name without its extension (`report.txt` -> `report`).
pub fn stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

fn unit(id: &str, p: &Package, source: &str, target: &str) -> Unit {
    Unit {
        id: Some(id.to_string()),
        variants: vec![
            Variant::new(&p.source_lang, source),
            Variant::new(&p.target_lang, target),
        ],
        ..Default::default()
    }
}

fn tmx_bytes(src: &str, tgt: &str, units: &[Entry]) -> Result<Vec<u8>, String> {
    let mut w = tmx::Writer::new(Vec::new(), &tmx::Header::new(src)).map_err(|e| e.to_string())?;
    w.set_langs(&[src.to_string(), tgt.to_string()])
        .map_err(|e| e.to_string())?;
    for u in units {
        w.write_entry(u).map_err(|e| e.to_string())?;
    }
    w.finish().map_err(|e| e.to_string())
}

/// OmegaT's tokenizer class for a language (the Lucene ones OmegaT 3.6 ships).
fn tokenizer(lang: &str) -> String {
    let name = match lang.split('-').next().unwrap_or("") {
        "ar" => "LuceneArabicTokenizer",
        "en" => "LuceneEnglishTokenizer",
        "fr" => "LuceneFrenchTokenizer",
        "de" => "LuceneGermanTokenizer",
        "es" => "LuceneSpanishTokenizer",
        _ => "LuceneStandardTokenizer",
    };
    format!("org.omegat.tokenizer.{name}")
}

/// `omegat.project`: default folders, the pair, no sentence segmentation.
pub fn project_file(src: &str, tgt: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{src}</source_lang>
        <target_lang>{tgt}</target_lang>
        <source_tok>{}</source_tok>
        <target_tok>{}</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"#,
        tokenizer(src),
        tokenizer(tgt)
    )
}

/// SRX rules as the `java.beans.XMLEncoder` dump of `org.omegat.core.segmentation.SRX` that
/// OmegaT 3.6 reads from `omegat/segmentation.conf` (one `MapRule` per language map, in the
/// SRX's order; patterns made case-insensitive, as OmegaT's own `AR.*` are upper case).
pub fn segmentation_conf(srx_xml: &str) -> Result<String, String> {
    let srx =
        Srx::parse(srx_xml, std::path::Path::new("builtin.srx")).map_err(|e| e.to_string())?;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<java version=\"17\" class=\"java.beans.XMLDecoder\">\n <object class=\"org.omegat.core.segmentation.SRX\">\n  <void property=\"cascade\">\n   <boolean>false</boolean>\n  </void>\n  <void property=\"mappingRules\">\n",
    );
    let esc = |t: &str| {
        let mut o = String::new();
        crate::tm::xml::escape_text(&mut o, t);
        o
    };
    for m in &srx.maps {
        let Some(lr) = srx.language_rules.iter().find(|l| l.name == m.rule_name) else {
            continue;
        };
        s.push_str(&format!(
            "   <void method=\"add\">\n    <object class=\"org.omegat.core.segmentation.MapRule\">\n     <void property=\"language\">\n      <string>{}</string>\n     </void>\n     <void property=\"pattern\">\n      <string>(?i){}</string>\n     </void>\n     <void property=\"rules\">\n      <object class=\"java.util.ArrayList\">\n",
            esc(&lr.name),
            esc(&m.pattern)
        ));
        for r in &lr.rules {
            s.push_str(&format!(
                "       <void method=\"add\">\n        <object class=\"org.omegat.core.segmentation.Rule\">\n         <void property=\"afterbreak\">\n          <string>{}</string>\n         </void>\n         <void property=\"beforebreak\">\n          <string>{}</string>\n         </void>\n         <void property=\"breakRule\">\n          <boolean>{}</boolean>\n         </void>\n        </object>\n       </void>\n",
                esc(&r.after),
                esc(&r.before),
                r.brk
            ));
        }
        s.push_str("      </object>\n     </void>\n    </object>\n   </void>\n");
    }
    s.push_str("  </void>\n </object>\n</java>\n");
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    #[test]
    fn exact_matches_go_to_tm_auto_fuzzy_ones_to_tm() {
        let f = files(&[sample::package()]).unwrap();
        let get = |p: &str| {
            f.iter()
                .find(|(q, _)| q.to_str() == Some(p))
                .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
                .unwrap_or_else(|| panic!("{p} missing"))
        };
        let auto = get("tm/auto/report.exact.tmx");
        assert!(
            auto.contains("The two sides announced a ceasefire."),
            "{auto}"
        );
        assert!(
            auto.contains("The minister said the &lt;deal&gt;"),
            "{auto}"
        );
        assert!(!auto.contains("5,000"));
        let fuzzy = get("tm/report.fuzzy.tmx");
        assert!(
            fuzzy.contains("بلغ العجز ٥٬٠٠٠ دينار هذا العام."),
            "{fuzzy}"
        );
        let x = get("source/report.xlf");
        assert!(
            x.contains(
                "<target xml:lang=\"en\" state=\"needs-translation\">جملة جديدة تماما.</target>"
            ),
            "{x}"
        );
        assert!(get("omegat.project").contains("<sentence_seg>false</sentence_seg>"));
    }

    #[test]
    fn segmentation_conf_has_the_arabic_rules_first() {
        let c = segmentation_conf(crate::segment::builtin_srx()).unwrap();
        let ar = c.find("<string>Arabic</string>").unwrap();
        let en = c.find("<string>English</string>").unwrap();
        assert!(ar < en);
        assert!(c.contains("(?i)ar.*"));
        // the Arabic question mark is a break in dragoman's rules: it is in the export
        assert!(
            c[ar..en].contains('؟') || c[ar..en].contains("u061F"),
            "{}",
            &c[ar..en]
        );
    }
}
