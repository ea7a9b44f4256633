//! Translation lexicons learned from sentence pairs: the lexical evidence that tells which of
//! two neighbours a dropped sentence is, where lengths alone cannot.
//!
//! The learner counts, over aligned sentence pairs, how often a source word and a target word
//! occur in the same pair, and keeps the pairs whose Dice coefficient
//! `2 c(s, t) / (c(s) + c(t))` is high and whose joint count is at least `min_count` (a word
//! seen once says nothing). Words in more than `max_share` of the pairs (function words,
//! the document's topic words) are left out: they are in every neighbour, so they cannot tell
//! neighbours apart. Arabic words are counted without their clitics (`وبالمدينة` as `مدينة`),
//! numbers are left to the number anchors. Two sources of pairs:
//! - the document pair itself: the confident 1-1 links of a first pass (hunalign's
//!   "realign"), see [`super::Params::realign`];
//! - the user's translation memory (`align --tm`), see [`super::Params::dictionary`].
//!
//! The result is a list of one-word entries for [`super::Dictionary::with_entries`].

use std::collections::HashMap;

use super::dict::{tokens, variants};

/// What the learner keeps.
#[derive(Debug, Clone, Copy)]
pub struct LexiconParams {
    /// Least number of pairs a word pair must share.
    pub min_count: u32,
    /// Least Dice coefficient.
    pub min_dice: f64,
    /// Words in more than this share of the pairs are ignored (only with 10 pairs or more).
    pub max_share: f64,
    /// Pairs read at most (a TM's first units); bounds time and memory.
    pub max_pairs: usize,
}

impl Default for LexiconParams {
    fn default() -> LexiconParams {
        LexiconParams {
            min_count: 2,
            min_dice: 0.6,
            max_share: 0.25,
            max_pairs: 200_000,
        }
    }
}

/// The forms of `text` the lexicon counts: each word once, Arabic words without clitics,
/// no numbers, nothing shorter than three letters.
fn forms(text: &str, ids: &mut HashMap<String, u32>, out: &mut Vec<u32>) {
    out.clear();
    for w in tokens(text) {
        if w.chars().any(|c| c.is_numeric()) {
            continue;
        }
        let v = variants(&w);
        let stem = v[v.len() - 1];
        if stem.chars().count() < 3 {
            continue;
        }
        let next = ids.len() as u32;
        out.push(*ids.entry(stem.to_string()).or_insert(next));
    }
    out.sort_unstable();
    out.dedup();
}

impl LexiconParams {
    /// The thresholds for a translation memory (`align --tm`), whose pairs are all trusted
    /// translations, not a first pass's guesses: see [`from_tm`].
    pub fn for_tm() -> LexiconParams {
        LexiconParams {
            min_count: TM_MIN_COUNT,
            min_dice: TM_MIN_DICE,
            max_share: TM_MAX_SHARE,
            max_pairs: 200_000,
        }
    }
}

/// [`LexiconParams::for_tm`]'s least joint count: a pair of words seen together in one unit
/// only is every word of that unit with every other, so one is never enough, even in a TM.
pub const TM_MIN_COUNT: u32 = 2;
/// [`LexiconParams::for_tm`]'s least Dice coefficient.
pub const TM_MIN_DICE: f64 = 0.6;
/// [`LexiconParams::for_tm`]'s cap on a word's share of the units.
pub const TM_MAX_SHARE: f64 = 0.25;

/// Learns a lexicon from the units of the translation memories `specs` (TMX, CSV/TSV, XLIFF,
/// Moses files or stores, read as `prepare` reads them) that have both `src` and `tgt`: what
/// `dragoman align --tm` and `build --tm` add to the dictionary. Units are taken as sentence
/// pairs (a TM's units are segments already), at most `p.max_pairs` of them in all.
///
/// # Errors
/// Unreadable or malformed TMs, a store that cannot be opened, and a TM with no unit of the
/// pair (the message names the file and the languages it has).
pub fn from_tm(
    specs: &[crate::job::TmSpec],
    src: &crate::Lang,
    tgt: &crate::Lang,
    p: &LexiconParams,
) -> Result<Vec<(String, String)>, crate::job::Error> {
    let mut pairs = Vec::new();
    for spec in specs {
        let mut more = crate::job::tm::read_pairs(spec, src.as_str(), tgt.as_str())?;
        more.truncate(p.max_pairs.saturating_sub(pairs.len()));
        pairs.append(&mut more);
    }
    Ok(learn(
        pairs.iter().map(|(s, t)| (s.as_str(), t.as_str())),
        p,
    ))
}

/// Learns one-word entries `(source word, target word)` from sentence pairs.
///
/// ```
/// use dragoman::align::lexicon::{learn, LexiconParams};
/// let pairs = [
///     ("وصل الوزير إلى المدينة", "The minister reached the city"),
///     ("غادر الوزير صباحا", "The minister left in the morning"),
///     ("المطر غزير", "The rain is heavy"),
/// ];
/// let lex = learn(pairs.iter().copied(), &LexiconParams { max_share: 1.0, ..Default::default() });
/// assert!(lex.contains(&("وزير".to_string(), "minister".to_string())));
/// ```
pub fn learn<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    p: &LexiconParams,
) -> Vec<(String, String)> {
    let (mut sid, mut tid) = (HashMap::new(), HashMap::new());
    let mut docs: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (s, t) in pairs.into_iter().take(p.max_pairs) {
        forms(s, &mut sid, &mut a);
        forms(t, &mut tid, &mut b);
        docs.push((a.clone(), b.clone()));
    }
    let mut cs = vec![0u32; sid.len()];
    let mut ct = vec![0u32; tid.len()];
    for (a, b) in &docs {
        a.iter().for_each(|&x| cs[x as usize] += 1);
        b.iter().for_each(|&x| ct[x as usize] += 1);
    }
    let cap = if docs.len() >= 10 {
        (p.max_share * docs.len() as f64) as u32
    } else {
        u32::MAX
    };
    let keep = |c: u32| c >= p.min_count && c <= cap;
    let mut joint: HashMap<(u32, u32), u32> = HashMap::new();
    for (a, b) in &docs {
        for &x in a.iter().filter(|&&x| keep(cs[x as usize])) {
            for &y in b.iter().filter(|&&y| keep(ct[y as usize])) {
                *joint.entry((x, y)).or_default() += 1;
            }
        }
    }
    let sname: HashMap<u32, &str> = sid.iter().map(|(k, &v)| (v, k.as_str())).collect();
    let tname: HashMap<u32, &str> = tid.iter().map(|(k, &v)| (v, k.as_str())).collect();
    let mut out: Vec<(String, String)> = joint
        .into_iter()
        .filter(|&((x, y), c)| {
            c >= p.min_count
                && 2.0 * c as f64 / (cs[x as usize] + ct[y as usize]) as f64 >= p.min_dice
        })
        .map(|((x, y), _)| (sname[&x].to_string(), tname[&y].to_string()))
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_consistent_pairs_and_drops_chance_ones() {
        let pairs = [
            ("زار الرئيس باريس", "The president visited Paris"),
            ("وقال الرئيس كلاما", "And the president said words"),
            ("هطل المطر", "Rain fell"),
            ("قال المطر", "Rain said"),
        ];
        let p = LexiconParams {
            max_share: 1.0,
            ..Default::default()
        };
        let lex = learn(pairs.iter().copied(), &p);
        assert!(lex.contains(&("رئيس".into(), "president".into())));
        assert!(lex.contains(&("مطر".into(), "rain".into())));
        // Seen together once only.
        assert!(!lex.iter().any(|(_, t)| t == "paris"));
        // "president" never occurs with مطر.
        assert!(!lex.contains(&("مطر".into(), "president".into())));
    }

    #[test]
    fn frequent_words_are_ignored() {
        let pairs: Vec<(String, String)> = (0..20)
            .map(|i| (format!("في كلمة{i} عاجل"), format!("the word{i} now")))
            .collect();
        let lex = learn(
            pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            &LexiconParams::default(),
        );
        // `the` and `في` are in every pair; the rest in one pair each.
        assert!(lex.is_empty(), "{lex:?}");
    }
}

#[cfg(test)]
mod tm_tests {
    use super::*;

    fn fixture() -> crate::job::TmSpec {
        crate::job::TmSpec::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/align_tm/tm.tmx"
        ))
    }

    #[test]
    fn a_tm_gives_the_word_pairs_its_units_share() {
        let ar = crate::Lang::parse("ar").unwrap();
        let en = crate::Lang::parse("en").unwrap();
        let lex = from_tm(&[fixture()], &ar, &en, &LexiconParams::for_tm()).unwrap();
        // Arabic words come normalised (ة -> ه) and without clitics (ال).
        for pair in [("قطارات", "trains"), ("ثلوج", "snow"), ("حافله", "bus")] {
            assert!(
                lex.contains(&(pair.0.to_string(), pair.1.to_string())),
                "{pair:?} not in {lex:?}"
            );
        }
        // Seen together in one unit only.
        assert!(
            !lex.iter().any(|(_, t)| t == "red" || t == "fast"),
            "{lex:?}"
        );
    }

    #[test]
    fn a_tm_without_the_pair_is_an_error_naming_it() {
        let ar = crate::Lang::parse("ar").unwrap();
        let de = crate::Lang::parse("de").unwrap();
        let e = from_tm(&[fixture()], &ar, &de, &LexiconParams::for_tm()).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("tm.tmx") && msg.contains("no unit has both ar and de"),
            "{msg}"
        );
        assert!(msg.contains("languages of the TM: ar, en"), "{msg}");
    }

    #[test]
    fn the_tm_cap_bounds_the_pairs_read() {
        let ar = crate::Lang::parse("ar").unwrap();
        let en = crate::Lang::parse("en").unwrap();
        let p = LexiconParams {
            max_pairs: 1,
            ..LexiconParams::for_tm()
        };
        // One unit teaches nothing (every pair is seen once).
        assert!(from_tm(&[fixture()], &ar, &en, &p).unwrap().is_empty());
    }
}
