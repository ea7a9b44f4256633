//! Bilingual dictionaries in hunalign's format: one entry a line, `target phrase @ source
//! phrase`.
//!
//! An entry links a source word to a target word; when a source sentence holds the one and a
//! target sentence the other, the pair shares an anchor key. Words are compared lower-cased,
//! split on anything that is not a letter or digit. Multi-word phrases count as matched when
//! all their words occur in the sentence.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::anchors::{dict_key, DictSide};
use super::Error;

/// A bilingual dictionary (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Source word -> entries (entry id, all words of the phrase).
    src: HashMap<String, Vec<(u32, Vec<String>)>>,
    /// Target word -> entries.
    tgt: HashMap<String, Vec<(u32, Vec<String>)>>,
    entries: usize,
}

impl Inner {
    fn insert(&mut self, sw: Vec<String>, tw: Vec<String>) {
        let id = self.entries as u32;
        self.entries += 1;
        // Index the first word also without its clitics (an article in the entry).
        for v in variants(&sw[0]) {
            let e = self.src.entry(v.to_string()).or_default();
            if e.last().map(|x| x.0) != Some(id) {
                e.push((id, sw.clone()));
            }
        }
        for v in variants(&tw[0]) {
            let e = self.tgt.entry(v.to_string()).or_default();
            if e.last().map(|x| x.0) != Some(id) {
                e.push((id, tw.clone()));
            }
        }
    }
}

/// Lower-cases and, for Arabic, drops short vowels, shadda and tatweel and folds letter
/// variants (أ إ آ ٱ -> ا, ى -> ي, ة -> ه), as dictionaries and texts disagree on them.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{64B}'..='\u{652}' | '\u{670}' | '\u{640}' => {}
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' => out.push('ي'),
            'ة' => out.push('ه'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

pub(crate) fn tokens(text: &str) -> impl Iterator<Item = String> {
    normalise(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// An Arabic word and the same without the clitics written onto it (و ف, then ال بال كال لل
/// or ب ل ك), so that `وبالمدينة` finds `مدينة`. Other words are returned as they are.
pub(crate) fn variants(word: &str) -> Vec<&str> {
    let mut out = vec![word];
    if !word.starts_with(|c: char| ('\u{600}'..='\u{6FF}').contains(&c)) {
        return out;
    }
    let base = word.strip_prefix(['و', 'ف']).unwrap_or(word);
    if base.len() < word.len() && base.chars().count() >= 2 {
        out.push(base);
    }
    for p in ["ال", "بال", "كال", "لل", "ب", "ل", "ك"] {
        if let Some(r) = base.strip_prefix(p) {
            if r.chars().count() >= 2 {
                out.push(r);
            }
            break;
        }
    }
    out
}

impl Dictionary {
    /// Parses hunalign's format. Blank lines are skipped.
    ///
    /// # Errors
    /// [`Error::Dictionary`] naming `path` and the line when a line has no ` @ ` or an empty
    /// side.
    ///
    /// ```
    /// use dragoman::align::Dictionary;
    /// let d = Dictionary::parse("house @ بيت\n", "d.txt".as_ref()).unwrap();
    /// assert_eq!(d.len(), 1);
    /// ```
    pub fn parse(text: &str, path: &Path) -> Result<Dictionary, Error> {
        let mut inner = Inner::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let err = |message: &str| Error::Dictionary {
                path: crate::error::display_path(path),
                line: n + 1,
                message: message.to_string(),
            };
            let (t, s) = line
                .split_once(" @ ")
                .ok_or_else(|| err("expected `target phrase @ source phrase`"))?;
            let tw: Vec<String> = tokens(t).collect();
            let sw: Vec<String> = tokens(s).collect();
            if tw.is_empty() || sw.is_empty() {
                return Err(err("an entry needs a word on both sides of ` @ `"));
            }
            inner.insert(sw, tw);
        }
        Ok(Dictionary {
            inner: Arc::new(inner),
        })
    }

    /// This dictionary with `entries` (source words, target words) added: how a lexicon
    /// learned from a TM or from the document pair itself joins the user's dictionary.
    /// Words are normalised as [`Dictionary::parse`] does; entries with an empty side are
    /// skipped.
    pub fn with_entries(&self, entries: &[(String, String)]) -> Dictionary {
        let mut inner = Inner {
            src: self.inner.src.clone(),
            tgt: self.inner.tgt.clone(),
            entries: self.inner.entries,
        };
        for (s, t) in entries {
            let sw: Vec<String> = tokens(s).collect();
            let tw: Vec<String> = tokens(t).collect();
            if !sw.is_empty() && !tw.is_empty() {
                inner.insert(sw, tw);
            }
        }
        Dictionary {
            inner: Arc::new(inner),
        }
    }

    /// Reads a dictionary file.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read or is not UTF-8; see [`Dictionary::parse`].
    pub fn from_path(path: &Path) -> Result<Dictionary, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: crate::error::display_path(path),
            source: e,
        })?;
        Dictionary::parse(&text, path)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.inner.entries
    }

    /// True when the dictionary has no entries.
    pub fn is_empty(&self) -> bool {
        self.inner.entries == 0
    }

    /// Pushes the key of every entry whose `side` phrase occurs in `text`.
    pub(crate) fn keys(&self, text: &str, side: DictSide, _buf: &mut String, out: &mut Vec<u32>) {
        let map = match side {
            DictSide::Source => &self.inner.src,
            DictSide::Target => &self.inner.tgt,
        };
        if map.is_empty() {
            return;
        }
        let words: Vec<String> = tokens(text).collect();
        let forms: std::collections::HashSet<&str> =
            words.iter().flat_map(|w| variants(w)).collect();
        let mut ids = Vec::new();
        for w in &forms {
            if let Some(entries) = map.get(*w) {
                for (id, phrase) in entries {
                    if phrase.len() == 1 || phrase[1..].iter().all(|p| forms.contains(p.as_str())) {
                        ids.push(*id);
                    }
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        out.extend(ids.into_iter().map(dict_key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_match_across_sides() {
        let d = Dictionary::parse("house @ بيت\n\nwhite house @ البيت الأبيض\n", Path::new("d"))
            .unwrap();
        assert_eq!(d.len(), 2);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut s = String::new();
        d.keys("في بَيْت كبير", DictSide::Source, &mut s, &mut a);
        d.keys("A big House.", DictSide::Target, &mut s, &mut b);
        assert_eq!(a, b);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn clitics_and_spelling_variants_match() {
        let d = Dictionary::parse("city @ المدينة\n", Path::new("d")).unwrap();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut s = String::new();
        d.keys("وبالمدينة", DictSide::Source, &mut s, &mut a);
        d.keys("the City", DictSide::Target, &mut s, &mut b);
        assert_eq!(a.len(), 1);
        assert_eq!(a, b);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let e = Dictionary::parse("a @ b\nno separator\n", Path::new("d.dic")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.dic:2: expected `target phrase @ source phrase`"
        );
    }
}
