//! Language tags: BCP 47 as TMX 1.4b, XLIFF and CAT tools expect them.
//!
//! Tags are checked and normalised once, at the edge (CLI flags, directory names, file headers),
//! so that the rest of the crate can trust them. `ar_SA` (a POSIX locale, not a tag) is refused
//! with a hint: OmegaT and other tools silently drop units whose language they cannot match.

use std::fmt;
use std::str::FromStr;

/// A validated, normalised BCP 47 language tag such as `ar`, `en-GB` or `zh-Hant-TW`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(String);

/// A string that is not a usable language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid language tag {}: {why}", crate::error::quoted(tag))]
pub struct LangError {
    /// The rejected text.
    pub tag: String,
    /// Why, for a person.
    pub why: String,
}

impl Lang {
    /// Parses and normalises a tag (`EN-gb` becomes `en-GB`).
    ///
    /// ```
    /// use dragoman::Lang;
    /// assert_eq!(Lang::parse("EN-gb").unwrap().as_str(), "en-GB");
    /// assert!(Lang::parse("ar_SA").is_err());
    /// ```
    pub fn parse(tag: &str) -> Result<Lang, LangError> {
        let err = |why: &str| LangError {
            tag: tag.to_string(),
            why: why.to_string(),
        };
        if tag.contains('_') {
            return Err(err(&format!(
                "use a hyphen, as BCP 47 does ({})",
                tag.replace('_', "-")
            )));
        }
        let mut out = Vec::new();
        for (i, sub) in tag.split('-').enumerate() {
            if sub.is_empty() || sub.len() > 8 || !sub.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(err(
                    "subtags are 1 to 8 ASCII letters or digits, split by '-'",
                ));
            }
            let norm = if i == 0 {
                if !(2..=3).contains(&sub.len()) || !sub.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(err("the language subtag is 2 or 3 letters (ISO 639)"));
                }
                sub.to_ascii_lowercase()
            } else if sub.len() == 2 && sub.bytes().all(|b| b.is_ascii_alphabetic()) {
                sub.to_ascii_uppercase() // region
            } else if sub.len() == 4 && sub.bytes().all(|b| b.is_ascii_alphabetic()) {
                let mut s = sub.to_ascii_lowercase(); // script: Title case
                s[..1].make_ascii_uppercase();
                s
            } else {
                sub.to_ascii_lowercase()
            };
            out.push(norm);
        }
        Ok(Lang(out.join("-")))
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`ar` for `ar-EG`), which selects built-in rules.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// True for scripts written right to left (Arabic, Hebrew, Persian, Urdu, ...), so that
    /// reports can set `dir="rtl"`.
    pub fn is_rtl(&self) -> bool {
        matches!(
            self.primary(),
            "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb"
        )
    }
}

impl FromStr for Lang {
    type Err = LangError;
    fn from_str(s: &str) -> Result<Lang, LangError> {
        Lang::parse(s)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Lang {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case() {
        assert_eq!(Lang::parse("fr-ca").unwrap().as_str(), "fr-CA");
        assert_eq!(Lang::parse("zh-hant-tw").unwrap().as_str(), "zh-Hant-TW");
        assert_eq!(Lang::parse("AR").unwrap().primary(), "ar");
    }

    #[test]
    fn rejects_bad_tags() {
        for bad in [
            "",
            "a",
            "ar_SA",
            "english",
            "en--GB",
            "e1",
            "en-toolongsubtag",
        ] {
            assert!(Lang::parse(bad).is_err(), "{bad:?} accepted");
        }
        let e = Lang::parse("ar_SA").unwrap_err();
        assert!(e.to_string().contains("ar-SA"), "{e}");
    }

    #[test]
    fn direction() {
        assert!(Lang::parse("ar").unwrap().is_rtl());
        assert!(!Lang::parse("fr").unwrap().is_rtl());
    }
}
