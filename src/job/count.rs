//! Word and character counts, as CAT tools count for a quote.
//!
//! The rule (the same for every language, with one French exception), stated beside the
//! Trados Studio and memoQ rules it follows in `docs/jobs.md`:
//!
//! - A **word** is a run of letters, digits and combining marks (harakat, accents). Arabic
//!   clitics (`و ف ب ك ل ال`, attached pronouns) are written joined to their word, so
//!   `وبالاتفاق` is one word, as every CAT tool counts Arabic (by white space).
//! - Inside a word these join: a hyphen between two word characters (`up-to-date`,
//!   `Louis-Philippe`, `dix-huit`: 1 word, as Trados Studio counts); an apostrophe between
//!   two letters (`didn't`, `aujourd’hui`: 1), except in French after an elided article,
//!   pronoun or conjunction (`l’`, `d’`, `qu’`, `jusqu’`...), where it ends the word
//!   (`l’État`: 2, as French translators and Wordfast count); a full stop between two word
//!   characters (`U.S.`, `6.5`, `www.example.com`: 1); ZWJ and ZWNJ.
//! - A **number** is one word with its decimal and group marks: `6.5`, `6,500`, `٦٬٥٠٠`,
//!   `٦٫٥`, and `6 500` when the group space is a no-break space (French typography); a comma
//!   or a no-break space joins only two digits. `87.8%` and `$20` are one word (the sign is
//!   punctuation).
//! - Punctuation and symbols alone (`%`, `-`, `—`, `«`, `/`) are not words, and they split:
//!   `he/she` is 2 words.
//! - **Characters** are the user-perceived characters (extended grapheme clusters) that are
//!   not white space, punctuation included: a letter with its harakat is one character;
//!   tatweel and invisible format marks (RLM, LRM, ALM, ZWJ, ZWNJ, BOM) are not counted.
//!   On unvocalised text this is Trados's "characters" (without spaces).

use unicode_segmentation::UnicodeSegmentation;

/// Words and characters of a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    /// Words (see the module rule).
    pub words: u64,
    /// Characters, white space excluded.
    pub characters: u64,
}

/// French elided words: an apostrophe after them ends the word.
const FR_ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    "quelqu",
];

fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC
        | 0x06DF..=0x06E8 | 0x06EA..=0x06ED | 0x08D3..=0x08FF | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Letters, digits, marks (and tatweel, which stretches a word without ending it).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c) || c == '\u{0640}'
}

/// Invisible characters that are neither counted nor end a word.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{FEFF}' | '\u{2066}'..='\u{2069}' | '\u{202A}'..='\u{202E}'
    )
}

/// Counts the words and characters of `text` written in `lang` (BCP 47; only `fr` changes
/// the rule, for elisions).
///
/// ```
/// use dragoman::job::count::count;
/// assert_eq!(count("He/she didn't pay $20 (8%).", "en").words, 6);
/// assert_eq!(count("L’argent de Louis-Philippe", "fr").words, 4);
/// assert_eq!(count("وقال الوزير إن العجز بلغ ٦٬٥٠٠ دينار.", "ar").words, 7);
/// ```
pub fn count(text: &str, lang: &str) -> Count {
    Count {
        words: words(text, lang),
        characters: characters(text),
    }
}

/// The number of words (see the module rule).
pub fn words(text: &str, lang: &str) -> u64 {
    let french = lang.split(['-', '_']).next() == Some("fr");
    let chars: Vec<char> = text.chars().filter(|c| !is_format(*c)).collect();
    let mut n = 0u64;
    let mut in_word = false;
    let mut word_start = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        if is_word_char(c) {
            if !in_word {
                n += 1;
                in_word = true;
                word_start = i;
            }
            continue;
        }
        if !in_word {
            continue;
        }
        let prev = chars[i - 1];
        let next = chars.get(i + 1).copied();
        let joins = match (c, next) {
            (_, None) => false,
            (_, Some(nx)) if !is_word_char(nx) => false,
            ('-' | '\u{2010}' | '\u{2011}', _) => true,
            ('\'' | '\u{2019}' | '\u{02BC}', Some(nx)) => {
                prev.is_alphabetic()
                    && nx.is_alphabetic()
                    && !(french && {
                        let w: String = chars[word_start..i].iter().collect();
                        FR_ELISIONS.contains(&w.to_lowercase().as_str())
                    })
            }
            ('.', _) => true,
            (',' | '\u{066B}' | '\u{066C}' | '\u{00A0}' | '\u{202F}' | '\u{2009}', Some(nx)) => {
                prev.is_numeric() && nx.is_numeric()
            }
            ('\u{200C}' | '\u{200D}', _) => true,
            _ => false,
        };
        if !joins {
            in_word = false;
        }
    }
    n
}

/// The number of characters: grapheme clusters that are not white space, tatweel or
/// invisible format marks.
pub fn characters(text: &str) -> u64 {
    text.graphemes(true)
        .filter(|g| {
            g.chars()
                .any(|c| !c.is_whitespace() && !is_format(c) && c != '\u{0640}')
        })
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every expected count below was counted by hand, word by word (listed in comments).

    #[test]
    fn english() {
        // The | U.S. | economy | grew | 6.5 | percent | in | 2021 | up-to-date | figures | show
        let t = "The U.S. economy grew 6.5 percent in 2021, up-to-date figures show.";
        // 3+4+7+4+3+7+2+5+10+7+5 characters per space-separated piece.
        assert_eq!(
            count(t, "en"),
            Count {
                words: 11,
                characters: 57
            }
        );
        // He | she | didn't | pay | 20 | 8 ; pieces: 6+6+3+3+5 characters.
        assert_eq!(
            count("He/she didn't pay $20 (8%).", "en"),
            Count {
                words: 6,
                characters: 23
            }
        );
        // A dash alone is no word: Talks | resumed | on | Monday.
        assert_eq!(words("Talks resumed — on Monday - at last", "en"), 6);
        assert_eq!(words("6,500 people; 1,2,3", "en"), 3);
    }

    #[test]
    fn french_elisions_break_other_apostrophes_join() {
        // L | argent | de | Louis-Philippe
        assert_eq!(words("L’argent de Louis-Philippe", "fr"), 4);
        // Aujourd’hui | l | État | a | versé | 6 500 (no-break space) | euros
        assert_eq!(
            words("Aujourd’hui, l’État a versé 6\u{a0}500 euros.", "fr"),
            7
        );
        // With an ordinary space, 6 and 500 are two numbers.
        assert_eq!(words("Aujourd’hui, l’État a versé 6 500 euros.", "fr"), 8);
        // qu | il | vienne | jusqu | à | dix-huit | heures
        assert_eq!(words("qu'il vienne jusqu’à dix-huit heures", "fr"), 7);
        // In English an apostrophe inside a word joins: l'État is one word there.
        assert_eq!(words("l'État", "en"), 1);
    }

    #[test]
    fn arabic_clitics_numbers_and_marks() {
        // وقال | الوزير | إن | العجز | بلغ | ٦٬٥٠٠ | دينار | أي | 6.5 | من | الناتج
        let t = "وقال الوزير إن العجز بلغ ٦٬٥٠٠ دينار، أي 6.5% من الناتج.";
        // 4+6+2+5+3+5+6+2+4+2+7 characters per piece.
        assert_eq!(
            count(t, "ar"),
            Count {
                words: 11,
                characters: 46
            }
        );
        // Clitics are part of the word; harakat do not add characters; tatweel is not one.
        assert_eq!(
            count("وبالاتفاق قالَ", "ar"),
            Count {
                words: 2,
                characters: 12
            }
        );
        assert_eq!(
            count("قـال\u{200f} ٦٫٥", "ar"),
            Count {
                words: 2,
                characters: 6
            }
        );
        assert_eq!(count("  ، ؟ ", "ar").words, 0);
    }
}
