//! The XLIFF 1.2 package: one `<file>` per job file, one `<group>` per paragraph, one
//! `<trans-unit>` per segment.
//!
//! - `id` is the job segment id: `finish` matches translations back on it, so any tool that
//!   keeps unit ids (all of them) can be used;
//! - exact and context matches are translated targets: `state="translated"` with
//!   `state-qualifier="exact-match"` (100%) or `"leveraged-tm"` (101%, a context match: the
//!   qualifier XLIFF 1.2 has for a match the TM vouches for beyond the text), so Trados, memoQ
//!   and translate-toolkit count them as done;
//! - every suggestion at or above the threshold is an `<alt-trans match-quality origin>` with
//!   the TM's source and target (inline codes mapped as `tm::xliff` does), the pre-filled one
//!   included so that its origin is kept;
//! - a segment with no exact match has no `<target>`: an empty target is what tools create
//!   for work still to do, and a missing one cannot be mistaken for a translation;
//! - `<group id="p3" restype="x-paragraph">`: paragraphs survive any tool that keeps groups;
//!   `finish` rebuilds the document from the job's own copy of the source in any case.
//!
//! It validates against the XLIFF 1.2 transitional and strict schemas (tested with xmllint when
//! it and `../shared/formats` are there).

use super::{xml_attr, xml_text, Fill, Package, Suggestion};

/// The state qualifier of a pre-filled target.
pub fn state_qualifier(fill: Fill) -> &'static str {
    match fill {
        Fill::Exact => "exact-match",
        Fill::Context => "leveraged-tm",
    }
}

/// What the `<target>`s hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// The package: pre-translations as translated targets, suggestions as `<alt-trans>`.
    Package,
    /// For OmegaT 3.6, which translates the content of `<target>`: a copy of the source in
    /// every target (`state="needs-translation"`), no suggestions (they go to TMX files).
    SourceCopies,
}

/// The XLIFF 1.2 package for `pkg`.
///
/// # Errors
/// A suggestion whose inline markup cannot be mapped (the message names the unit).
pub fn write(pkg: &Package) -> Result<String, String> {
    write_with(pkg, Targets::Package)
}

/// The XLIFF 1.2 document for `pkg` with `targets`.
///
/// # Errors
/// As [`write`].
pub fn write_with(pkg: &Package, targets: Targets) -> Result<String, String> {
    let mut s = String::with_capacity(4096);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n  <file original=\"");
    xml_attr(&mut s, &pkg.name);
    s.push_str("\" source-language=\"");
    xml_attr(&mut s, &pkg.source_lang);
    s.push_str("\" target-language=\"");
    xml_attr(&mut s, &pkg.target_lang);
    s.push_str("\" datatype=\"plaintext\" tool-id=\"dragoman\">\n    <header>\n");
    s.push_str(&format!(
        "      <tool tool-id=\"dragoman\" tool-name=\"dragoman\" tool-version=\"{}\"/>\n",
        env!("CARGO_PKG_VERSION")
    ));
    if targets == Targets::Package {
        s.push_str("      <note>Translation job: exact and context matches are translated targets (state-qualifier exact-match / leveraged-tm); fuzzy matches are alt-trans. Keep the trans-unit ids: dragoman finish matches on them.</note>\n");
    }
    s.push_str("    </header>\n    <body>\n");
    for (p, para) in pkg.paragraphs.iter().enumerate() {
        s.push_str(&format!(
            "      <group id=\"p{}\" restype=\"x-paragraph\">\n",
            p + 1
        ));
        for u in para {
            s.push_str("        <trans-unit id=\"");
            xml_attr(&mut s, &u.id);
            s.push_str("\" xml:space=\"preserve\">\n          <source xml:lang=\"");
            s.push_str(&pkg.source_lang);
            s.push_str("\">");
            xml_text(&mut s, u.source.trim());
            s.push_str("</source>\n");
            match (targets, &u.target) {
                (Targets::SourceCopies, _) => {
                    s.push_str("          <target xml:lang=\"");
                    s.push_str(&pkg.target_lang);
                    s.push_str("\" state=\"needs-translation\">");
                    xml_text(&mut s, u.source.trim());
                    s.push_str("</target>\n");
                }
                (Targets::Package, Some((text, fill))) => {
                    s.push_str("          <target xml:lang=\"");
                    s.push_str(&pkg.target_lang);
                    s.push_str("\" state=\"translated\" state-qualifier=\"");
                    s.push_str(state_qualifier(*fill));
                    s.push_str("\">");
                    xml_text(&mut s, text.trim());
                    s.push_str("</target>\n");
                }
                (Targets::Package, None) => {}
            }
            if targets == Targets::Package {
                for g in &u.suggestions {
                    alt_trans(&mut s, pkg, g).map_err(|why| format!("unit {}: {why}", u.id))?;
                }
            }
            s.push_str("        </trans-unit>\n");
        }
        s.push_str("      </group>\n");
    }
    s.push_str("    </body>\n  </file>\n</xliff>\n");
    Ok(s)
}

/// One `<alt-trans>`: the TM's source and target with its codes.
fn alt_trans(s: &mut String, pkg: &Package, g: &Suggestion) -> Result<(), String> {
    s.push_str(&format!(
        "          <alt-trans match-quality=\"{}\" origin=\"",
        g.score
    ));
    xml_attr(s, &g.origin);
    s.push_str("\" tool-id=\"dragoman\">\n            <source xml:lang=\"");
    s.push_str(&pkg.source_lang);
    s.push_str("\">");
    xml_text(s, g.source.trim());
    s.push_str("</source>\n            <target xml:lang=\"");
    s.push_str(&pkg.target_lang);
    s.push_str("\">");
    match &g.markup {
        Some(m) => {
            let mut x = String::new();
            crate::tm::xliff::inline::to_xliff12(m, &mut x)?;
            s.push_str(x.trim());
        }
        None => xml_text(s, g.target.trim()),
    }
    s.push_str("</target>\n          </alt-trans>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;
    use crate::tm::xliff::{AltTrans, ReadOptions, Reader};
    use std::path::Path;

    #[test]
    fn exact_and_context_are_translated_fuzzy_is_alt_trans() {
        let x = write(&sample::package()).unwrap();
        assert!(x.contains("<trans-unit id=\"p1.s1\""), "{x}");
        assert!(x.contains("state=\"translated\" state-qualifier=\"exact-match\">The two sides announced a ceasefire.</target>"), "{x}");
        assert!(x.contains("state-qualifier=\"leveraged-tm\">The minister said the &lt;deal&gt; holds &amp; lasts.</target>"), "{x}");
        assert!(
            x.contains("<alt-trans match-quality=\"88\" origin=\"store.db#42\""),
            "{x}"
        );
        // inline codes of the suggestion become XLIFF 1.2 inline elements
        assert!(x.contains("<bpt id=\"1\""), "{x}");
        assert_eq!(x.matches("<group id=").count(), 2);
        // the untranslated segment has no target
        let d = &x[x.find("id=\"p2.s2\"").unwrap()..];
        let d = &d[..d.find("</trans-unit>").unwrap()];
        assert!(!d.contains("<target"), "{d}");
    }

    #[test]
    fn dragoman_reads_back_the_prefilled_targets_only() {
        let x = write(&sample::package()).unwrap();
        let r = Reader::with_options(
            x.as_bytes(),
            Path::new("job.xlf"),
            ReadOptions {
                alt_trans: AltTrans::Ignore,
                target_lang: None,
            },
        )
        .unwrap();
        let units: Vec<_> = r.map(|u| u.unwrap()).collect();
        let ids: Vec<_> = units.iter().map(|u| u.id.clone().unwrap()).collect();
        assert_eq!(ids, ["p1.s1", "p1.s2", "p2.s1", "p2.s2"]);
        assert_eq!(
            units[1].text("en"),
            Some("The minister said the <deal> holds & lasts.")
        );
        assert_eq!(units[2].text("en"), None);
        assert_eq!(units[3].text("ar"), Some("جملة جديدة تماما."));
    }
}
