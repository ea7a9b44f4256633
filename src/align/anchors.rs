//! Lexical anchors that survive translation across scripts, and the per-sentence features the
//! search reads.
//!
//! Each sentence becomes a small sorted set of 32-bit keys: numbers (Eastern Arabic ٠-٩ and
//! Persian ۰-۹ digits folded to ASCII, thousands separators dropped, decimal commas and `٫`
//! read as points), Latin tokens written inside non-Latin text (acronyms, names, URLs) matched
//! against the words of a Latin-script side, and bilingual-dictionary entries. Keys are hashes;
//! a 64-bit mask of them lets the search skip sentence pairs that share nothing in one
//! instruction. Punctuation that translators keep (`?`/`؟`, `!`, double quotes, parentheses)
//! is counted separately.

use super::dict::Dictionary;
use super::Sentence;

/// Kinds of keys, stored in the three low bits of a key.
const NUMBER: u32 = 0;
const WORD: u32 = 1;
pub(crate) const DICT: u32 = 2;
const NAME: u32 = 3;
/// A name of five consonants or more: a chance match is rare, so it weighs more.
const LONG_NAME: u32 = 4;
/// Number of key kinds (stored in the three low bits of a key).
pub(crate) const KINDS: usize = 5;

/// Number of punctuation classes counted per sentence.
pub(crate) const PUNCT: usize = 4;

/// What the search knows about each sentence of one side.
#[derive(Debug, Default)]
pub(crate) struct Side {
    /// Non-space characters of each sentence.
    pub len: Vec<f64>,
    /// `prefix[i]` = total length of sentences `0..i`.
    pub prefix: Vec<f64>,
    /// `boundary[i]` (for `i` in `0..=n`): a paragraph starts at `i` (or `i` is an end).
    pub boundary: Vec<bool>,
    /// Paragraph of each sentence.
    pub para: Vec<usize>,
    /// Keys of sentence `i`: `keys[key_start[i]..key_start[i + 1]]`, sorted, unique.
    pub keys: Vec<u32>,
    pub key_start: Vec<u32>,
    /// Bloom mask of each sentence's keys.
    pub mask: Vec<u64>,
    /// The keys of kinds that are rare on this side (see `probe_kind`), per sentence:
    /// `probe[probe_start[i]..probe_start[i + 1]]`. A pair is matched by looking these up in
    /// the other side's keys, which is much cheaper than intersecting all keys.
    pub probe: Vec<u32>,
    pub probe_start: Vec<u32>,
    /// Number keys of each sentence.
    pub nums: Vec<u8>,
    /// Dictionary keys of each sentence.
    pub dicts: Vec<u16>,
    /// Bloom mask of each sentence's probe keys.
    pub probe_mask: Vec<u64>,
    /// Which key kinds are probes on this side: numbers and dictionary entries always; Latin
    /// words on a non-Latin side (or when both are Latin); names on a Latin side facing a
    /// non-Latin one.
    pub probe_kind: [bool; KINDS],
    /// Punctuation counts: questions, exclamations, double quotes, parentheses.
    pub punct: Vec<[u8; PUNCT]>,
    /// Sentence ends inside each segment (`... done. The ...`): a segment that holds two
    /// sentences is evidence that the other side split them.
    pub inner: Vec<u8>,
    /// The sentence ends without a full stop, question or exclamation mark (a headline, a
    /// caption).
    pub open: Vec<bool>,
}

impl Side {
    /// Total length of sentences `a..b`.
    #[inline]
    pub fn len_of(&self, a: usize, b: usize) -> f64 {
        self.prefix[b] - self.prefix[a]
    }

    #[inline]
    pub fn keys_of(&self, i: usize) -> &[u32] {
        &self.keys[self.key_start[i] as usize..self.key_start[i + 1] as usize]
    }

    #[inline]
    pub fn probe_of(&self, i: usize) -> &[u32] {
        &self.probe[self.probe_start[i] as usize..self.probe_start[i + 1] as usize]
    }

    /// Number of paragraphs.
    pub fn paragraphs(&self) -> usize {
        let mut n = 0;
        for i in 0..self.para.len() {
            if i == 0 || self.para[i] != self.para[i - 1] {
                n += 1;
            }
        }
        n
    }
}

#[inline]
fn bit(k: u32) -> u64 {
    1u64 << ((k >> 3) % 64)
}

/// A letter or digit, testing the common scripts before Unicode's slow tables.
#[inline]
fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (!c.is_ascii() && (arabic_class(c).is_some() || c.is_alphanumeric()))
}

/// Which side of a dictionary a text is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DictSide {
    Source,
    Target,
}

/// True when most letters of the side are Latin, which decides how words become keys.
pub(crate) fn mostly_latin(sents: &[Sentence]) -> bool {
    let (mut latin, mut other) = (0usize, 0usize);
    // A sample is enough: the first 2000 sentences.
    for s in sents.iter().take(2000) {
        for ch in s.text.chars() {
            if ch.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&ch) {
                latin += 1;
            } else if ch.is_alphabetic() {
                other += 1;
            }
        }
    }
    latin >= other
}

/// Builds the features of one side. `latin` says whether this side is written in Latin script
/// and `other_latin` whether the other side is; together they decide which words are keys.
pub(crate) fn side_features(
    sents: &[Sentence],
    latin: bool,
    other_latin: bool,
    dict: Option<(&Dictionary, DictSide)>,
) -> Side {
    let n = sents.len();
    let mut side = Side {
        len: Vec::with_capacity(n),
        prefix: Vec::with_capacity(n + 1),
        boundary: Vec::with_capacity(n + 1),
        para: Vec::with_capacity(n),
        keys: Vec::new(),
        key_start: Vec::with_capacity(n + 1),
        mask: Vec::with_capacity(n),
        punct: Vec::with_capacity(n),
        inner: Vec::with_capacity(n),
        open: Vec::with_capacity(n),
        probe: Vec::new(),
        probe_start: Vec::with_capacity(n + 1),
        probe_mask: Vec::with_capacity(n),
        nums: Vec::with_capacity(n),
        dicts: Vec::with_capacity(n),
        probe_kind: [
            true,
            !latin || other_latin,
            true,
            latin && !other_latin,
            latin && !other_latin,
        ],
    };
    side.prefix.push(0.0);
    side.key_start.push(0);
    side.probe_start.push(0);
    let mut buf: Vec<u32> = Vec::new();
    let mut word = String::new();
    for (i, s) in sents.iter().enumerate() {
        let l = s.text.chars().filter(|c| !c.is_whitespace()).count() as f64;
        side.len.push(l);
        side.prefix.push(side.prefix[i] + l);
        side.boundary.push(i == 0 || sents[i - 1].para != s.para);
        side.para.push(s.para);

        buf.clear();
        numbers(s.text, &mut buf);
        words(s.text, latin, other_latin, &mut word, &mut buf);
        if latin != other_latin {
            names(s.text, latin, &mut word, &mut buf);
        }
        if let Some((d, which)) = dict {
            d.keys(s.text, which, &mut word, &mut buf);
        }
        buf.sort_unstable();
        buf.dedup();
        let (mut mask, mut pmask) = (0u64, 0u64);
        for &k in &buf {
            mask |= bit(k);
            if side.probe_kind[kind(k)] {
                pmask |= bit(k);
                side.probe.push(k);
            }
        }
        side.keys.extend_from_slice(&buf);
        side.key_start.push(side.keys.len() as u32);
        side.mask.push(mask);
        side.probe_start.push(side.probe.len() as u32);
        side.probe_mask.push(pmask);
        let nums = buf.iter().filter(|&&k| kind(k) == kind(NUMBER)).count();
        side.nums.push(nums.min(255) as u8);
        let dicts = buf.iter().filter(|&&k| kind(k) == kind(DICT)).count();
        side.dicts.push(dicts.min(65535) as u16);
        side.punct.push(punctuation(s.text));
        side.inner.push(inner_ends(s.text));
        side.open.push(is_open(s.text));
    }
    side.boundary.push(true);
    side
}

/// Counts sentence ends inside `text`: `.`, `!`, `?`, `؟`, `…` (after closing quotes) followed
/// by a space and a letter or an opening quote, where the word before the stop is not a likely
/// abbreviation (capitalised and short, or with an inner dot: `Mr.`, `U.S.`).
fn inner_ends(text: &str) -> u8 {
    const STOPS: [char; 5] = ['.', '!', '?', '؟', '…'];
    let body = text
        .trim_end()
        .trim_end_matches(|c: char| STOPS.contains(&c) || matches!(c, '"' | '”' | '’' | '»' | ')'));
    if !body.contains(STOPS) {
        return 0; // the common case, without allocating
    }
    let chars: Vec<char> = text.trim_end().chars().collect();
    let mut n = 0u8;
    for k in 0..chars.len() {
        if !matches!(chars[k], '.' | '!' | '?' | '؟' | '…') {
            continue;
        }
        let mut e = k + 1;
        while e < chars.len() && matches!(chars[e], '"' | '”' | '’' | '»' | ')') {
            e += 1;
        }
        if e + 1 >= chars.len() || !chars[e].is_whitespace() {
            continue;
        }
        let next = chars[e + 1];
        if !(next.is_alphabetic() || matches!(next, '"' | '“' | '«' | '(')) {
            continue;
        }
        if next.is_lowercase() {
            continue;
        }
        if chars[k] == '.' {
            // The word before the dot.
            let mut b = k;
            while b > 0 && !chars[b - 1].is_whitespace() {
                b -= 1;
            }
            let word = &chars[b..k];
            let abbrev = word.is_empty()
                || word.contains(&'.')
                || (word[0].is_uppercase() && word.len() <= 3)
                || (word.len() == 1 && word[0].is_alphabetic());
            if abbrev {
                continue;
            }
        }
        n = n.saturating_add(1);
    }
    n
}

/// True when `text` does not end with a sentence stop (closing quotes and brackets aside).
fn is_open(text: &str) -> bool {
    let t = text
        .trim_end()
        .trim_end_matches(['"', '”', '’', '»', ')', '\'', ']']);
    !t.ends_with(['.', '!', '?', '؟', '…', ':', ';', '؛'])
}

fn punctuation(text: &str) -> [u8; PUNCT] {
    let mut p = [0u8; PUNCT];
    for ch in text.chars() {
        let k = match ch {
            '?' | '؟' => 0,
            '!' => 1,
            '"' | '“' | '”' | '«' | '»' | '„' => 2,
            '(' | '[' => 3,
            _ => continue,
        };
        p[k] = p[k].saturating_add(1);
    }
    p
}

/// FNV-1a over the bytes, tagged with the key kind.
fn hash(kind: u32, bytes: impl Iterator<Item = u8>) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    (h & !7) | kind
}

/// The kind of a key (number, word, dictionary entry).
#[inline]
pub(crate) fn kind(key: u32) -> usize {
    (key & 7) as usize
}

/// Folds Arabic-Indic and Persian digits to ASCII.
fn digit(ch: char) -> Option<u8> {
    match ch {
        '0'..='9' => Some(ch as u8),
        '\u{660}'..='\u{669}' => Some(b'0' + (ch as u32 - 0x660) as u8),
        '\u{6F0}'..='\u{6F9}' => Some(b'0' + (ch as u32 - 0x6F0) as u8),
        _ => None,
    }
}

/// Pushes a key per number in `text`, normalised: `1,500` = `1500` = `١٬٥٠٠`, `2.5` = `2,5`
/// = `٢٫٥`.
fn numbers(text: &str, out: &mut Vec<u32>) {
    if !text.chars().any(|c| digit(c).is_some()) {
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut norm: Vec<u8> = Vec::new();
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        // A run of digit groups joined by single separators.
        let mut groups: Vec<(Vec<u8>, Option<char>)> = Vec::new(); // (digits, separator before)
        let mut sep: Option<char> = None;
        loop {
            let mut g = Vec::new();
            while i < chars.len() {
                match digit(chars[i]) {
                    Some(d) => g.push(d),
                    None => break,
                }
                i += 1;
            }
            groups.push((g, sep));
            if i + 1 < chars.len()
                && matches!(
                    chars[i],
                    ',' | '.' | '٫' | '٬' | '\u{A0}' | '\u{202F}' | '\''
                )
                && digit(chars[i + 1]).is_some()
            {
                sep = Some(chars[i]);
                i += 1;
            } else {
                break;
            }
        }
        norm.clear();
        let mut decimal = false;
        for (g, sep) in &groups {
            match sep {
                None => {}
                Some('٬' | '\u{A0}' | '\u{202F}' | '\'') => {}
                Some(',') if g.len() == 3 && !decimal => {}
                Some(_) if !decimal => {
                    decimal = true;
                    norm.push(b'.');
                }
                // A second decimal point: a date or a version; keep the groups apart.
                Some(_) => norm.push(b'/'),
            }
            norm.extend_from_slice(g);
        }
        if decimal {
            while norm.last() == Some(&b'0') {
                norm.pop();
            }
            if norm.last() == Some(&b'.') {
                norm.pop();
            }
        }
        // Leading zeros do not change a number ("05" in a date is 5).
        let start = norm
            .iter()
            .position(|&b| b != b'0')
            .unwrap_or(norm.len().saturating_sub(1));
        out.push(hash(NUMBER, norm[start..].iter().copied()));
    }
}

/// Pushes word keys. On a non-Latin side: every Latin-script token (acronyms, names, URLs).
/// On a Latin side facing a non-Latin one: every word, to be matched by those tokens. When both
/// sides are Latin: capitalised words that do not start the sentence (names).
fn words(text: &str, latin: bool, other_latin: bool, word: &mut String, out: &mut Vec<u32>) {
    if !latin && !text.bytes().any(|b| b.is_ascii_alphabetic()) {
        return; // no Latin token in this non-Latin sentence (the common case)
    }
    let mut first = true;
    for tok in text.split(|c: char| !alnum(c)) {
        if tok.is_empty() {
            continue;
        }
        let was_first = first;
        first = false;
        if !tok.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if !tok.chars().all(|c| c.is_ascii_alphanumeric()) || tok.len() < 2 {
            continue;
        }
        let keep = !latin
            || !other_latin
            || (!was_first && tok.starts_with(|c: char| c.is_ascii_uppercase()));
        if keep {
            word.clear();
            word.extend(tok.chars().map(|c| c.to_ascii_lowercase()));
            out.push(hash(WORD, word.bytes()));
        }
    }
}

/// The consonant class of a Latin letter, as Arabic transliterates it (`\0` = dropped:
/// vowels, `h`, `w`, `y`).
fn latin_class(c: char) -> char {
    match c {
        'b' | 'p' => 'b',
        't' => 't',
        'd' => 'd',
        's' | 'z' => 's',
        'k' | 'q' => 'k',
        'g' | 'j' => 'g',
        'f' | 'v' => 'f',
        'l' => 'l',
        'm' => 'm',
        'n' => 'n',
        'r' => 'r',
        'x' => 'x',
        _ => '\0',
    }
}

/// The consonant class of an Arabic letter (`\0` = dropped: long vowels, hamza, `ع`, `ه`,
/// `ح`), `None` for anything that is not an Arabic letter.
fn arabic_class(c: char) -> Option<char> {
    Some(match c {
        'ب' | 'پ' => 'b',
        'ت' | 'ط' => 't',
        'د' | 'ض' | 'ذ' => 'd',
        'ث' | 'س' | 'ص' | 'ش' | 'ز' | 'ظ' => 's',
        'ك' | 'ق' | 'خ' => 'k',
        'ج' | 'غ' | 'چ' => 'g',
        'ف' | 'ڤ' => 'f',
        'ل' => 'l',
        'م' => 'm',
        'ن' => 'n',
        'ر' => 'r',
        'ا' | 'أ' | 'إ' | 'آ' | 'ء' | 'ئ' | 'ؤ' | 'و' | 'ي' | 'ى' | 'ة' | 'ع' | 'ه' | 'ح' => {
            '\0'
        }
        '\u{64B}'..='\u{652}' | 'ـ' => '\0', // harakat, tatweel
        _ => return None,
    })
}

/// Pushes a key per proper-name-like word, as its consonant skeleton (`Microsoft` and
/// `ميكروسوفت` are both `mkrsft`, `Potomac` and `بوتوماك` both `btmk`). On a Latin side, words
/// with a capital letter; on an Arabic side, every word, also without a clinging `ب ل ك ف` or
/// the article. Skeletons shorter than three consonants are too common to mean anything.
fn names(text: &str, latin: bool, sk: &mut String, out: &mut Vec<u32>) {
    let split = |c: char| {
        if latin {
            !c.is_ascii_alphabetic() && (c.is_ascii() || !c.is_alphabetic())
        } else {
            arabic_class(c).is_none()
        }
    };
    for tok in text.split(split) {
        if tok.is_empty() {
            continue;
        }
        if latin {
            if !tok.starts_with(|c: char| c.is_ascii_uppercase()) || tok.len() < 4 {
                continue;
            }
            latin_skeleton(tok.chars().map(|c| c.to_ascii_lowercase()), sk);
            if sk.len() >= 3 {
                out.push(name_key(sk));
            }
            // `th` is ث (s) as often as ت (t): Papworth is بابوورث.
            if tok.contains("th") {
                let lower = tok.to_ascii_lowercase().replace("th", "s");
                latin_skeleton(lower.chars(), sk);
                if sk.len() >= 3 {
                    out.push(name_key(sk));
                }
            }
        } else {
            if tok.chars().any(|c| arabic_class(c).is_none()) {
                continue;
            }
            let mut push = |from: &str| {
                sk.clear();
                let mut prev = '\0';
                for c in from.chars() {
                    let k = arabic_class(c).unwrap_or('\0');
                    if k != '\0' && k != prev {
                        sk.push(k);
                    }
                    prev = k;
                }
                if sk.len() >= 3 {
                    out.push(name_key(sk));
                }
            };
            push(tok);
            let rest = tok.strip_prefix('و').unwrap_or(tok);
            if let Some(r) = rest.strip_prefix(['ب', 'ل', 'ك', 'ف']) {
                push(r);
            }
            if let Some(r) = rest.strip_prefix("ال") {
                push(r);
            }
        }
    }
}

/// The consonant skeleton of a lower-case Latin word.
fn latin_skeleton(chars: impl Iterator<Item = char>, sk: &mut String) {
    sk.clear();
    let mut prev = '\0';
    let mut it = chars.peekable();
    while let Some(c) = it.next() {
        let k = match c {
            // A soft c before e, i, y (Cecil); a hard one elsewhere (Microsoft).
            'c' if matches!(it.peek(), Some('e' | 'i' | 'y')) => 's',
            'c' => 'k',
            _ => latin_class(c),
        };
        if k == 'x' {
            sk.push_str("ks");
            prev = 's';
        } else if k != '\0' && k != prev {
            sk.push(k);
            prev = k;
        } else if k == '\0' {
            prev = '\0';
        }
    }
}

fn name_key(skeleton: &str) -> u32 {
    let kind = if skeleton.len() >= 5 { LONG_NAME } else { NAME };
    hash(kind, skeleton.bytes())
}

/// A dictionary entry as a key.
pub(crate) fn dict_key(entry: u32) -> u32 {
    hash(DICT, entry.to_le_bytes().into_iter())
}

/// Counts, by kind, the keys sentence `a` of `src` and sentence `b` of `tgt` share, looking up
/// each side's probe keys in the other's keys (each kind counted from one side only).
#[inline]
pub(crate) fn shared_pair(src: &Side, a: usize, tgt: &Side, b: usize, out: &mut [u32; KINDS]) {
    if (src.probe_mask[a] & tgt.mask[b]) | (tgt.probe_mask[b] & src.mask[a]) == 0 {
        return;
    }
    let (sk, tk) = (src.keys_of(a), tgt.keys_of(b));
    for &k in src.probe_of(a) {
        if tk.binary_search(&k).is_ok() {
            out[kind(k)] += 1;
        }
    }
    for &k in tgt.probe_of(b) {
        if !src.probe_kind[kind(k)] && sk.binary_search(&k).is_ok() {
            out[kind(k)] += 1;
        }
    }
}

/// The sentence pairs that share an anchor found in no other sentence of either side (a
/// number, Latin token or name that occurs once in each document), as `(source, target)`,
/// sorted, one entry per such anchor. A match that cannot be a coincidence with a neighbour
/// is what tells which of two neighbours has no counterpart. Dictionary entries are left out.
pub(crate) fn unique_pairs(src: &Side, tgt: &Side) -> Vec<(u32, u32)> {
    use std::collections::HashMap;
    fn once(side: &Side) -> HashMap<u32, u32> {
        let mut seen: HashMap<u32, u32> = HashMap::new();
        for i in 0..side.len.len() {
            for &k in side.keys_of(i) {
                if kind(k) as u32 == DICT {
                    continue;
                }
                seen.entry(k)
                    .and_modify(|s| *s = u32::MAX)
                    .or_insert(i as u32);
            }
        }
        seen
    }
    let (a, b) = (once(src), once(tgt));
    let mut out: Vec<(u32, u32)> = a
        .iter()
        .filter(|(_, &i)| i != u32::MAX)
        .filter_map(|(k, &i)| match b.get(k) {
            Some(&j) if j != u32::MAX => Some((i, j)),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out
}

/// Number of keys `a` and `b` (sorted) share, by kind.
#[cfg(test)]
fn shared(a: &[u32], b: &[u32], out: &mut [u32; KINDS]) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out[kind(a[i])] += 1;
                i += 1;
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(t: &str) -> Vec<u32> {
        let mut v = Vec::new();
        numbers(t, &mut v);
        v
    }

    #[test]
    fn numbers_fold_scripts_and_separators() {
        assert_eq!(nums("1,500 people"), nums("١٬٥٠٠ شخص"));
        assert_eq!(nums("1500"), nums("۱۵۰۰"));
        assert_eq!(nums("2.5 million"), nums("٢٫٥ مليون"));
        assert_eq!(nums("2,5 millions"), nums("2.50"));
        assert_eq!(nums("1\u{A0}500"), nums("1500"));
        assert_ne!(nums("2018"), nums("2019"));
        assert_eq!(nums("in 2018 and 45").len(), 2);
    }

    #[test]
    fn latin_tokens_in_arabic_match_english_words() {
        let ar = [Sentence {
            text: "اقتراح MWPs (أعضاء) في BBC.",
            para: 0,
        }];
        let en = [Sentence {
            text: "A suggestion to use MWPs at the bbc?",
            para: 0,
        }];
        let a = side_features(&ar, false, true, None);
        let e = side_features(&en, true, false, None);
        let mut out = [0; KINDS];
        shared(a.keys_of(0), e.keys_of(0), &mut out);
        assert_eq!(out[..3], [0, 2, 0]);
        assert_eq!(a.punct[0], [0, 0, 0, 1]);
        assert_eq!(e.punct[0], [1, 0, 0, 0]);
        assert_ne!(a.mask[0] & e.mask[0], 0);
    }

    #[test]
    fn names_match_by_consonant_skeleton() {
        let keys = |t: &str, latin| {
            let mut v = Vec::new();
            names(t, latin, &mut String::new(), &mut v);
            v
        };
        assert_eq!(keys("ميكروسوفت", false), keys("Microsoft", true));
        // Also read as ب + "وتوماك", in case the ب is a clinging preposition.
        assert!(keys("بوتوماك", false).contains(&keys("Potomac", true)[0]));
        assert!(keys("لميكروسوفت", false).contains(&keys("Microsoft", true)[0]));
        assert!(keys("Mr Go", true).is_empty());
        assert!(keys("Papworth", true).contains(&keys("بابوورث", false)[0]));
    }

    #[test]
    fn unique_pairs_are_anchors_found_once_in_each_document() {
        let s = |text| Sentence { text, para: 0 };
        let ar = [s("في 2018 زار بوتوماك."), s("في 2018 و 45."), s("لا شيء.")];
        let en = [
            s("In 2018 he visited Potomac."),
            s("Nothing."),
            s("In 2018, 45."),
        ];
        let a = side_features(&ar, false, true, None);
        let e = side_features(&en, true, false, None);
        // 2018 is in two sentences on each side; Potomac and 45 occur once on each.
        assert_eq!(unique_pairs(&a, &e), vec![(0, 0), (1, 2)]);
    }

    #[test]
    fn inner_sentence_ends() {
        assert_eq!(inner_ends("It rained. The match was off."), 1);
        assert_eq!(inner_ends("Mr. Smith met U.S. officials."), 0);
        assert_eq!(inner_ends("قال: \"نعم.\" ثم غادر. وصل"), 2);
        assert_eq!(inner_ends("Done. and so on"), 0);
    }

    #[test]
    fn lengths_count_non_space_characters() {
        let s = [
            Sentence {
                text: "ab c",
                para: 0,
            },
            Sentence { text: "d", para: 1 },
        ];
        let f = side_features(&s, true, true, None);
        assert_eq!(f.len, vec![3.0, 1.0]);
        assert_eq!(f.len_of(0, 2), 4.0);
        assert_eq!(f.boundary, vec![true, true, true]);
        assert_eq!(f.paragraphs(), 2);
    }
}
