//! Fuzzy matching against a translation memory: normalisation, tokens, the match percentage,
//! an index that finds the best matches fast without losing any, number transfer and
//! concordance.
//!
//! Everything works on units in memory ([`Index::from_entries`], [`Index::from_reader`] on
//! any [`crate::tm::ReadUnits`]), so a TMX, CSV or XLIFF file needs no store. A unit's text
//! is never changed: matching runs on a [normalised](normalize()) copy that maps back to the
//! original, so diffs and highlights point into the text as it was read.
//!
//! # The match percentage
//!
//! As CAT tools define theirs (memoQ, Trados, OmegaT): an edit distance on tokens, with small
//! penalties for differences that do not change the words.
//!
//! 1. Both texts are [normalised](normalize()) for matching only: Arabic alef forms
//!    (`أ إ آ ٱ` -> `ا`), alef maqsura and ya (`ى` -> `ي`), ta marbuta and ha (`ة` -> `ه`),
//!    tatweel and harakat removed, Eastern Arabic and Persian digits -> `0-9`; Latin case and
//!    full-width forms folded; invisible marks (RLM, ...) removed.
//! 2. They are [tokenised](tokenize()): words, numbers, punctuation, inline codes; white
//!    space only separates.
//! 3. The *keys* are the words and the numbers, every number being the same key (so a changed
//!    number is not an edit). With `n` and `m` keys, `L = max(n, m)` and `D` the Levenshtein
//!    distance between the two key sequences (insert, delete, substitute: 1 each),
//!    **base = floor(100 (L - D) / L)** (100 when both have no key).
//! 4. **percent = base - penalties** (never below 0), the [`Penalties`]:
//!    - numbers: 1 per number changed, added or removed (Levenshtein distance between the two
//!      sequences of number values, read with the language's decimal and group marks), at
//!      most 3;
//!    - punctuation: 1 if it differs at all;
//!    - inline codes: 1 if they differ at all;
//!    - form: 1 if the keys, numbers, punctuation and codes are all the same but the texts
//!      are not (white space, case, width, Arabic letter forms, diacritics).
//!
//! So only an identical text (after trimming) is 100%, a text that differs only in a number,
//! punctuation, codes or spacing is 99% (97% at worst for numbers), and every word edit costs
//! `100 / L` points. The score is symmetric. Worked examples (each checked by `cargo test`):
//!
//! ```
//! use dragoman::tm::fuzzy::score_texts;
//! let pct = |a, b, lang| score_texts(a, b, lang).percent;
//! // Identical: 100.
//! assert_eq!(pct("قال الوزير إن العجز بلغ ٥ بالمئة.", "قال الوزير إن العجز بلغ ٥ بالمئة.", "ar"), 100);
//! // Only a number differs (7 keys, D = 0): 100 - 1 = 99.
//! assert_eq!(pct("قال الوزير إن العجز بلغ ٧ بالمئة.", "قال الوزير إن العجز بلغ ٥ بالمئة.", "ar"), 99);
//! // Only letter forms and diacritics differ: the form penalty, 99.
//! assert_eq!(pct("قال الوزير ان العجز بلغ ٥ بالمئه.", "قالَ الوزيرُ إنّ العجز بلغ ٥ بالمئة.", "ar"), 99);
//! // One word replaced out of 7 keys: floor(100 * 6 / 7) = 85.
//! assert_eq!(pct("قال الوزير إن الدين بلغ ٥ بالمئة.", "قال الوزير إن العجز بلغ ٥ بالمئة.", "ar"), 85);
//! // One word replaced and the number changed: 85 - 1 = 84.
//! assert_eq!(pct("قال الوزير إن الدين بلغ ٧ بالمئة.", "قال الوزير إن العجز بلغ ٥ بالمئة.", "ar"), 84);
//! // One word inserted (8 keys against 7, D = 1): floor(100 * 7 / 8) = 87.
//! assert_eq!(pct("قال الوزير أمس إن العجز بلغ ٥ بالمئة.", "قال الوزير إن العجز بلغ ٥ بالمئة.", "ar"), 87);
//! // Two words deleted (7 keys against 5, D = 2): floor(100 * 5 / 7) = 71; the full stop
//! // is gone too: 71 - 1 = 70.
//! assert_eq!(pct("قال الوزير إن العجز بلغ ٥ بالمئة.", "قال إن العجز ٥ بالمئة", "ar"), 70);
//! // Half the words differ: 50.
//! assert_eq!(pct("The budget rose sharply", "The budget fell slightly", "en"), 50);
//! ```
//!
//! # Finding matches
//!
//! [`Index`] returns exactly what scoring every unit would (see [`index`] for the bound that
//! makes its candidate filter lossless), fast enough for a million units; [`Index::lookup_all`]
//! runs many queries on every core. [`transfer_numbers`] puts the query's numbers into a
//! match's translation; [`Index::concordance`] finds a phrase with Arabic clitics.

pub mod concordance;
pub mod index;
pub mod normalize;
pub mod score;
pub mod tokens;
pub mod transfer;

pub use concordance::{clitic_forms, index_terms, ConcordanceHit, Field, Phrase};
pub use index::{Hit, Index, IndexBuilder, LookupOptions, SearchStats, Searcher};
pub use normalize::{normalize, Normalized};
pub use score::{levenshtein, score, score_texts, Penalties, Prepared, Score};
pub use tokens::{matching_text, tokenize, NumValue, NumberStyle, Token, TokenKind, Tokens};
pub use transfer::{
    codes_differ, read_coded, transfer_codes, transfer_numbers, Adjusted, Change, CodeChange,
    Coded, CodesAdjusted,
};

/// True when `text` looks written in `lang`'s script: for Arabic-script languages (ar, fa,
/// ur, ...) at least half its letters are Arabic; for others at most half are. Texts with no
/// letters (numbers, codes) pass. Used to refuse a query in the wrong language.
///
/// ```
/// use dragoman::tm::fuzzy::in_script_of;
/// assert!(in_script_of("قال الوزير", "ar"));
/// assert!(!in_script_of("The minister said", "ar"));
/// assert!(!in_script_of("قال الوزير", "en"));
/// assert!(in_script_of("2024", "en"));
/// ```
pub fn in_script_of(text: &str, lang: &str) -> bool {
    let (mut arabic, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if tokens::is_arabic(c) {
            arabic += 1;
        }
    }
    if letters == 0 {
        return true;
    }
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or(lang)
        .to_ascii_lowercase();
    let arabic_script = matches!(
        primary.as_str(),
        "ar" | "fa" | "ur" | "ps" | "sd" | "ug" | "ckb" | "ku"
    );
    if arabic_script {
        2 * arabic >= letters
    } else {
        2 * arabic <= letters
    }
}
