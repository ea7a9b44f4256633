//! SRX 2.0 documents: reading the XML into a plain model, and choosing the rules for a language.
//!
//! SRX (Segmentation Rules eXchange, LISA/GALA) is the rule format that OmegaT, Okapi, Trados and
//! LanguageTool share. A document has *language rules* (named, ordered lists of `break="yes|no"`
//! rules, each a `beforebreak` and an `afterbreak` pattern) and *map rules* (language patterns
//! pointing at language rules). For a language, every matching map contributes its rules in order
//! when the header says `cascade="yes"`; only the first matching map does otherwise.
//!
//! This module only reads; compiling patterns (and translating Java regex syntax) is
//! [`super::rules`]' job. Positions (line:column) are kept so that errors name the rule.

use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::Error;
use crate::error::Position;

/// One `<rule>`: break or no-break between text matching `before` and text matching `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `break="yes"` (the default) or `"no"`.
    pub brk: bool,
    /// The `<beforebreak>` pattern (Java regex syntax); empty matches anything.
    pub before: String,
    /// The `<afterbreak>` pattern; empty matches anything.
    pub after: String,
    /// Where the `<rule>` element starts in the SRX file.
    pub position: Position,
}

/// A named `<languagerule>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageRule {
    /// `languagerulename`.
    pub name: String,
    /// Rules in document order: the first that matches at a position decides.
    pub rules: Vec<Rule>,
}

/// A `<languagemap>`: language codes matching `pattern` use the language rule `rule_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageMap {
    /// `languagepattern` (a regex over the language code).
    pub pattern: String,
    /// `languagerulename`.
    pub rule_name: String,
    /// Where the element starts.
    pub position: Position,
}

/// A whole SRX document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Srx {
    /// `cascade="yes"`: all matching maps apply, in order.
    pub cascade: bool,
    /// Every `<languagerule>`, in document order.
    pub language_rules: Vec<LanguageRule>,
    /// Every `<languagemap>`, in document order.
    pub maps: Vec<LanguageMap>,
}

/// Builds an [`Error::Srx`].
pub(crate) fn srx_error(
    path: &Path,
    position: Option<Position>,
    rule: Option<String>,
    message: impl Into<String>,
) -> Error {
    Error::Srx {
        path: crate::error::display_path(path),
        position,
        rule,
        message: message.into(),
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| e.to_string())?;
        if a.key.local_name().as_ref() == name.as_bytes() {
            let v = a.unescape_value().map_err(|e| e.to_string())?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Before,
    After,
}

impl Srx {
    /// Reads an SRX document.
    ///
    /// # Errors
    /// [`Error::Srx`] naming `path` and the line:column of malformed XML, a `<rule>` outside a
    /// `<languagerule>`, a map to an unknown language rule, or a missing `<srx>` root.
    pub fn parse(xml: &str, path: &Path) -> Result<Srx, Error> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().trim_text(false);
        let pos_at = |byte: u64| Position::from_byte(xml.as_bytes(), byte as usize);
        let mut srx = Srx::default();
        let mut seen_root = false;
        let mut current: Option<LanguageRule> = None;
        let mut rule: Option<Rule> = None;
        let mut field = Field::None;
        loop {
            let start = reader.buffer_position();
            let ev = reader.read_event().map_err(|e| {
                srx_error(
                    path,
                    Some(pos_at(reader.error_position())),
                    None,
                    format!("malformed XML: {e}"),
                )
            })?;
            let here = || pos_at(start);
            let bad = |m: String| srx_error(path, Some(pos_at(start)), None, m);
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(ev, Event::Empty(_));
                    let name = e.local_name();
                    match name.as_ref() {
                        b"srx" => seen_root = true,
                        b"header" => {
                            let c = attr(e, "cascade").map_err(bad)?;
                            srx.cascade = c.as_deref().map(str::trim) == Some("yes");
                        }
                        b"languagerule" => {
                            let name =
                                attr(e, "languagerulename").map_err(bad)?.ok_or_else(|| {
                                    bad("<languagerule> without languagerulename".into())
                                })?;
                            let lr = LanguageRule {
                                name,
                                rules: Vec::new(),
                            };
                            if empty {
                                srx.language_rules.push(lr);
                            } else {
                                current = Some(lr);
                            }
                        }
                        b"rule" => {
                            if current.is_none() {
                                return Err(bad("<rule> outside a <languagerule>".into()));
                            }
                            let brk = match attr(e, "break").map_err(bad)?.as_deref().map(str::trim)
                            {
                                None | Some("yes") => true,
                                Some("no") => false,
                                Some(other) => {
                                    return Err(bad(format!(
                                        "break=\"{other}\": expected \"yes\" or \"no\""
                                    )))
                                }
                            };
                            let r = Rule {
                                brk,
                                before: String::new(),
                                after: String::new(),
                                position: here(),
                            };
                            if empty {
                                if let Some(lr) = current.as_mut() {
                                    lr.rules.push(r);
                                }
                            } else {
                                rule = Some(r);
                            }
                        }
                        b"beforebreak" if rule.is_some() && !empty => field = Field::Before,
                        b"afterbreak" if rule.is_some() && !empty => field = Field::After,
                        b"languagemap" => {
                            let pattern = attr(e, "languagepattern").map_err(bad)?;
                            let rule_name = attr(e, "languagerulename").map_err(bad)?;
                            match (pattern, rule_name) {
                                (Some(pattern), Some(rule_name)) => srx.maps.push(LanguageMap {
                                    pattern,
                                    rule_name,
                                    position: here(),
                                }),
                                _ => {
                                    return Err(bad("<languagemap> needs languagepattern and \
                                                    languagerulename"
                                        .into()))
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(ref e) => match e.local_name().as_ref() {
                    b"beforebreak" | b"afterbreak" => field = Field::None,
                    b"rule" => {
                        if let (Some(r), Some(lr)) = (rule.take(), current.as_mut()) {
                            lr.rules.push(r);
                        }
                        field = Field::None;
                    }
                    b"languagerule" => {
                        if let Some(lr) = current.take() {
                            srx.language_rules.push(lr);
                        }
                    }
                    _ => {}
                },
                Event::Text(ref t) if field != Field::None => {
                    let s = t
                        .unescape()
                        .map_err(|e| bad(format!("bad text in pattern: {e}")))?;
                    push_field(&mut rule, field, &s);
                }
                Event::CData(ref t) if field != Field::None => {
                    let s = std::str::from_utf8(t).map_err(|e| bad(e.to_string()))?;
                    push_field(&mut rule, field, s);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !seen_root {
            return Err(srx_error(
                path,
                None,
                None,
                "not an SRX document (no <srx> element)",
            ));
        }
        for m in &srx.maps {
            if !srx.language_rules.iter().any(|lr| lr.name == m.rule_name) {
                return Err(srx_error(
                    path,
                    Some(m.position),
                    None,
                    format!(
                        "<languagemap> points at languagerulename=\"{}\", which no \
                         <languagerule> defines",
                        m.rule_name
                    ),
                ));
            }
        }
        Ok(srx)
    }

    /// The language rules that apply to `tag` (a BCP 47 tag such as `ar-EG`), in cascade order.
    ///
    /// Map patterns are matched against the whole tag, ignoring case and treating `-` and `_`
    /// alike, because SRX files in the wild use `AR.*`, `ar.*` and `ar_two`.
    ///
    /// # Errors
    /// [`Error::Srx`] when a language pattern is not a valid regex.
    pub fn rules_for(&self, tag: &str, path: &Path) -> Result<Vec<&LanguageRule>, Error> {
        let mut out = Vec::new();
        let candidates = [tag.to_string(), tag.replace('-', "_")];
        for m in &self.maps {
            let re = regex::Regex::new(&format!(
                "(?i)^(?:{})$",
                super::rules::java_to_rust(&m.pattern)
            ))
            .map_err(|e| {
                srx_error(
                    path,
                    Some(m.position),
                    None,
                    format!(
                        "languagepattern=\"{}\" is not a valid regex: {e}",
                        m.pattern
                    ),
                )
            })?;
            if candidates.iter().any(|c| re.is_match(c)) {
                if let Some(lr) = self.language_rules.iter().find(|lr| lr.name == m.rule_name) {
                    if !out.iter().any(|o: &&LanguageRule| o.name == lr.name) {
                        out.push(lr);
                    }
                }
                if !self.cascade {
                    break;
                }
            }
        }
        Ok(out)
    }
}

fn push_field(rule: &mut Option<Rule>, field: Field, s: &str) {
    if let Some(r) = rule.as_mut() {
        match field {
            Field::Before => r.before.push_str(s),
            Field::After => r.after.push_str(s),
            Field::None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="English">
        <rule break="no"><beforebreak>\bDr\.</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule><beforebreak>[.?!]+</beforebreak><afterbreak><![CDATA[\s]]></afterbreak></rule>
        <rule break="no"/>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="EN.*" languagerulename="English"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>"#;

    #[test]
    fn reads_rules_and_maps() {
        let s = Srx::parse(DOC, Path::new("x.srx")).unwrap();
        assert!(s.cascade);
        assert_eq!(s.language_rules.len(), 2);
        let en = &s.language_rules[0].rules[0];
        assert!(!en.brk);
        assert_eq!(en.before, r"\bDr\.");
        assert_eq!(en.position.line, 7);
        let d = &s.language_rules[1].rules;
        assert!(d[0].brk);
        assert_eq!(d[0].after, r"\s");
        assert_eq!(d[1].before, "");
        let names: Vec<_> = s
            .rules_for("en-GB", Path::new("x"))
            .unwrap()
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(names, ["English", "Default"]);
        let names: Vec<_> = s
            .rules_for("ar", Path::new("x"))
            .unwrap()
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(names, ["Default"]);
    }

    #[test]
    fn errors_name_file_and_position() {
        let e = Srx::parse("<srx><body>\n<rule/></body></srx>", Path::new("r.srx")).unwrap_err();
        assert_eq!(e.to_string(), "r.srx:2:1: <rule> outside a <languagerule>");
        let e = Srx::parse("<srx><body></srx>", Path::new("r.srx")).unwrap_err();
        assert!(e.to_string().starts_with("r.srx:1:"), "{e}");
        let e = Srx::parse("hello", Path::new("r.srx")).unwrap_err();
        assert!(e.to_string().contains("not an SRX"), "{e}");
        let e = Srx::parse(
            r#"<srx><maprules><languagemap languagepattern="x" languagerulename="Nope"/></maprules></srx>"#,
            Path::new("r.srx"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("Nope"), "{e}");
    }
}
