//! The XLIFF 2.1 package (`prepare --xliff 2`): what memoQ, Trados and Phrase prefer now.
//!
//! One `<file>`, one `<group id="p3">` per paragraph, one `<unit id="p3.s2">` with one
//! `<segment>` per job segment. Exact and context matches are targets with
//! `state="translated"` and `subState="dragoman:exact-match"` / `"dragoman:context-match"`
//! (XLIFF 2 has no fixed qualifier list; `subState` takes a `prefix:value`); other segments
//! have no target (state `initial`). Suggestions at or above the threshold are Translation
//! Candidates module matches (`<mtc:match matchQuality origin ref>`); `matchQuality` is capped
//! at 100 as the module requires, a context match says so in `subType="dragoman:context"`.
//! A suggestion's inline codes are written as XLIFF 2 codes (`<sc>`/`<ec>`/`<ph>`/`<mrk>`,
//! `tm::xliff::inline::to_xliff2`) with their native text in the match's own
//! `<originalData>`, so that they survive as they do in the 1.2 `<alt-trans>`.
//! It validates against the XLIFF 2.1 core schema.

use super::{xml_attr, xml_text, Fill, Package};

/// The `subState` of a pre-filled target.
pub fn sub_state(fill: Fill) -> &'static str {
    match fill {
        Fill::Exact => "dragoman:exact-match",
        Fill::Context => "dragoman:context-match",
    }
}

/// True when `id` can be an XLIFF 2 `id` (an `NMTOKEN`: letters, digits, `.`, `-`, `_`, `:`).
fn is_nmtoken(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
}

/// The XLIFF 2.1 document for `pkg`.
///
/// # Errors
/// A segment id that is not an XML name token (the message names it).
pub fn write(pkg: &Package) -> Result<String, String> {
    let mut s = String::with_capacity(4096);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\" xmlns:dragoman=\"urn:dragoman:job\" version=\"2.1\" srcLang=\"");
    xml_attr(&mut s, &pkg.source_lang);
    s.push_str("\" trgLang=\"");
    xml_attr(&mut s, &pkg.target_lang);
    s.push_str("\">\n  <file id=\"f1\" canResegment=\"no\" original=\"");
    xml_attr(&mut s, &pkg.name);
    s.push_str("\">\n");
    for (p, para) in pkg.paragraphs.iter().enumerate() {
        s.push_str(&format!("    <group id=\"p{}\">\n", p + 1));
        for u in para {
            if !is_nmtoken(&u.id) {
                return Err(format!(
                    "segment id {:?} is not an XML name token (XLIFF 2 ids are)",
                    u.id
                ));
            }
            s.push_str(&format!("      <unit id=\"{}\">\n", u.id));
            if !u.suggestions.is_empty() {
                s.push_str("        <mtc:matches>\n");
                for (k, g) in u.suggestions.iter().enumerate() {
                    s.push_str(&format!(
                        "          <mtc:match id=\"m{}\" ref=\"#s1\" matchQuality=\"{}\"",
                        k + 1,
                        g.score.min(100)
                    ));
                    if g.score > 100 {
                        s.push_str(" subType=\"dragoman:context\"");
                    }
                    s.push_str(" origin=\"");
                    xml_attr(&mut s, &g.origin);
                    s.push_str("\">\n");
                    // The target's codes, with their native text in the match's own
                    // <originalData> (the module allows one per match).
                    let mut target = String::new();
                    let mut data = Vec::new();
                    match &g.markup {
                        Some(m) => crate::tm::xliff::inline::to_xliff2(m, &mut target, &mut data)
                            .map_err(|e| {
                            format!("the inline codes of a suggestion for {}: {e}", u.id)
                        })?,
                        None => xml_text(&mut target, g.target.trim()),
                    }
                    if !data.is_empty() {
                        s.push_str("            <originalData>");
                        for (id, native) in &data {
                            s.push_str(&format!("<data id=\"{id}\">"));
                            xml_text(&mut s, native);
                            s.push_str("</data>");
                        }
                        s.push_str("</originalData>\n");
                    }
                    s.push_str("            <source>");
                    xml_text(&mut s, g.source.trim());
                    s.push_str("</source>\n            <target>");
                    s.push_str(target.trim());
                    s.push_str("</target>\n          </mtc:match>\n");
                }
                s.push_str("        </mtc:matches>\n");
            }
            match &u.target {
                Some((text, fill)) => {
                    s.push_str("        <segment id=\"s1\" state=\"translated\" subState=\"");
                    s.push_str(sub_state(*fill));
                    s.push_str("\">\n          <source xml:space=\"preserve\">");
                    xml_text(&mut s, u.source.trim());
                    s.push_str("</source>\n          <target xml:space=\"preserve\">");
                    xml_text(&mut s, text.trim());
                    s.push_str("</target>\n        </segment>\n");
                }
                None => {
                    s.push_str(
                        "        <segment id=\"s1\">\n          <source xml:space=\"preserve\">",
                    );
                    xml_text(&mut s, u.source.trim());
                    s.push_str("</source>\n        </segment>\n");
                }
            }
            s.push_str("      </unit>\n");
        }
        s.push_str("    </group>\n");
    }
    s.push_str("  </file>\n</xliff>\n");
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;
    use crate::tm::xliff::Reader;
    use std::path::Path;

    #[test]
    fn units_carry_ids_states_and_matches() {
        let x = write(&sample::package()).unwrap();
        assert!(x.contains("<unit id=\"p2.s1\">"), "{x}");
        assert!(x.contains("subState=\"dragoman:context-match\""), "{x}");
        assert!(
            x.contains("matchQuality=\"88\" origin=\"store.db#42\""),
            "{x}"
        );
        assert_eq!(x.matches("<group id=").count(), 2);
        // the suggestion's inline codes survive, their native text in the match's data
        assert!(
            x.contains("<originalData><data id=\"d1\">&lt;b&gt;</data><data id=\"d2\">&lt;/b&gt;</data></originalData>"),
            "{x}"
        );
        assert!(
            x.contains("<sc id=\"c1\" dataRef=\"d1\"/>5,000<ec startRef=\"c1\" dataRef=\"d2\"/>"),
            "{x}"
        );
    }

    #[test]
    fn the_xliff_reader_takes_prefilled_targets_only() {
        let x = write(&sample::package()).unwrap();
        let units: Vec<_> = Reader::from_reader(x.as_bytes(), Path::new("job.xlf"))
            .unwrap()
            .map(|u| u.unwrap())
            .collect();
        assert_eq!(units.len(), 4);
        assert_eq!(
            units[0].text("en"),
            Some("The two sides announced a ceasefire.")
        );
        assert_eq!(units[2].text("en"), None);
    }

    #[test]
    fn ids_that_are_not_name_tokens_are_refused() {
        let mut p = sample::package();
        p.paragraphs[0][0].id = "p 1".into();
        assert!(write(&p).unwrap_err().contains("p 1"));
    }
}
