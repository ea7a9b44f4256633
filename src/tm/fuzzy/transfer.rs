//! Number transfer: when a match differs from the query only in numbers, the TM translation
//! gets the query's numbers, written in the target language's conventions, and is marked
//! adjusted (what memoQ and Trados do with "auto-adjusted" numbers).
//!
//! The `i`-th number of the TM source corresponds to the `i`-th number of the query (their
//! words are the same, so their numbers are in the same places). Each source number whose value
//! changed is looked up, by value, among the numbers of the translation (read with the target's
//! conventions: `6,500` in English and `6 500` in French are the same value) and rewritten:
//! - digits in the translation's own system (Western, or Eastern Arabic `٠-٩` when the
//!   translation used them there);
//! - groups of three when the query or the translation grouped that number (the translation's
//!   own separator if it had one, else the target's: `,` English and Arabic, no-break space
//!   French, `٬` with Eastern Arabic digits);
//! - the target's decimal mark (`.` English, `,` French, `٫` with Eastern Arabic digits).
//!
//! When a changed number is not found in the translation (spelt out, or reordered into an
//! ambiguous place) nothing is adjusted: [`transfer_numbers`] returns `None` and the match is
//! shown as it is.

use std::ops::Range;

use super::score::Prepared;
use super::tokens::{tokenize, NumValue, NumberStyle, TokenKind};

/// A translation with adjusted numbers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Adjusted {
    /// The translation with the query's numbers.
    pub text: String,
    /// What was replaced, in the order it appears.
    pub changes: Vec<Change>,
}

/// One replaced number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Byte range of the new number in [`Adjusted::text`].
    pub span: Range<usize>,
    /// The number the translation had.
    pub from: String,
    /// The number written instead.
    pub to: String,
}

/// Puts the query's numbers into the TM translation `target`, when `query` and `source`
/// (texts in `src_lang`) differ only in numbers (same word keys). `None` when they differ in
/// anything but numbers and punctuation, when no number changed, or when a changed number
/// cannot be found in the translation.
///
/// ```
/// use dragoman::tm::fuzzy::transfer_numbers;
/// let a = transfer_numbers("بلغ العجز ٦٬٥٠٠ دينار", "بلغ العجز ٥٬٠٠٠ دينار",
///                          "The deficit reached 5,000 dinars", "ar", "en").unwrap();
/// assert_eq!(a.text, "The deficit reached 6,500 dinars");
/// ```
pub fn transfer_numbers(
    query: &str,
    source: &str,
    target: &str,
    src_lang: &str,
    tgt_lang: &str,
) -> Option<Adjusted> {
    let q = Prepared::new(query, src_lang);
    let s = Prepared::new(source, src_lang);
    if !q.tokens.keys().eq(s.tokens.keys()) || q.numbers == s.numbers {
        return None;
    }
    let qstyle = NumberStyle::for_lang(src_lang);
    let qnums: Vec<NumValue> = q
        .tokens
        .of_kind(TokenKind::Number)
        .map(|t| NumValue::parse(q.tokens.text(t), qstyle))
        .collect();
    let tstyle = NumberStyle::for_lang(tgt_lang);
    let t = tokenize(target);
    let mut tnums: Vec<(Range<usize>, NumValue)> = Vec::new();
    let nums: Vec<_> = t.of_kind(TokenKind::Number).collect();
    let mut i = 0;
    while i < nums.len() {
        // A French-style number written with ordinary spaces between groups (`5 000`): the
        // tokenizer splits it (a space separates numbers), the translation is read whole.
        let mut j = i;
        if tstyle.decimal == ',' {
            while j + 1 < nums.len()
                && nums[j].span.end + 1 == nums[j + 1].span.start
                && t.norm.text[nums[j].span.end..].starts_with(' ')
                && t.text(nums[j + 1])
                    .split(',')
                    .next()
                    .is_some_and(|g| g.len() == 3)
                && !t.text(nums[j]).contains(',')
            {
                j += 1;
            }
        }
        let span = nums[i].span.start..nums[j].span.end;
        let raw = t.norm.text[span.clone()].replace(' ', "\u{a0}");
        tnums.push((
            t.norm.original_tight(span, target),
            NumValue::parse(&raw, tstyle),
        ));
        i = j + 1;
    }
    let mut used = vec![false; tnums.len()];
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (i, (sv, qv)) in s.numbers.iter().zip(&q.numbers).enumerate() {
        if sv == qv {
            // Unchanged: reserve its occurrence in the translation so that a changed number
            // with the same value takes the next one.
            if let Some(j) = (0..tnums.len()).find(|&j| !used[j] && tnums[j].1.canonical() == *sv) {
                used[j] = true;
            }
            continue;
        }
        let j = (0..tnums.len()).find(|&j| !used[j] && tnums[j].1.canonical() == *sv)?;
        used[j] = true;
        let (range, old) = &tnums[j];
        let text = format_number(&qnums[i], old, &target[range.clone()], tstyle);
        edits.push((range.clone(), text));
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(target.len() + 8);
    let mut changes = Vec::new();
    let mut at = 0;
    for (r, new) in edits {
        out.push_str(&target[at..r.start]);
        let start = out.len();
        out.push_str(&new);
        changes.push(Change {
            span: start..out.len(),
            from: target[r.clone()].to_string(),
            to: new,
        });
        at = r.end;
    }
    out.push_str(&target[at..]);
    Some(Adjusted { text: out, changes })
}

/// Writes `value` as the translation wrote `old` (its original text `orig`).
fn format_number(value: &NumValue, old: &NumValue, orig: &str, style: NumberStyle) -> String {
    let eastern = orig.chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c));
    let persian = orig.chars().any(|c| ('\u{06F0}'..='\u{06F9}').contains(&c));
    let own_group = if old.grouped {
        orig.chars()
            .find(|c| !c.is_numeric() && Some(*c) != decimal_in(orig, old))
    } else {
        None
    };
    let (group, decimal) = if eastern || persian {
        (own_group.unwrap_or('\u{066C}'), '\u{066B}')
    } else {
        (own_group.unwrap_or(style.group), style.decimal)
    };
    let mut s = String::new();
    let int = &value.int;
    let grouped = (value.grouped || old.grouped) && int.len() > 3;
    for (i, d) in int.chars().enumerate() {
        if grouped && i > 0 && (int.len() - i) % 3 == 0 {
            s.push(group);
        }
        s.push(d);
    }
    if let Some(f) = &value.frac {
        s.push(decimal);
        s.push_str(f);
    }
    if eastern || persian {
        let zero = if eastern { 0x0660 } else { 0x06F0 };
        s = s
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(zero + (c as u32 - '0' as u32)).unwrap_or(c),
                c => c,
            })
            .collect();
    }
    s
}

/// The decimal mark of an original number text, if it has a fraction.
fn decimal_in(orig: &str, v: &NumValue) -> Option<char> {
    let frac = v.frac.as_ref()?;
    let digits = frac.chars().count();
    orig.chars().rev().nth(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(q: &str, s: &str, t: &str, sl: &str, tl: &str) -> Option<String> {
        transfer_numbers(q, s, t, sl, tl).map(|a| a.text)
    }

    const AR_SRC: &str = "بلغ العجز ٥٬٠٠٠ دينار";

    #[test]
    fn eastern_arabic_digits_with_arabic_separator_to_english() {
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "The deficit reached 5,000 dinars",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The deficit reached 6,500 dinars"));
    }

    #[test]
    fn western_digits_with_comma_to_english() {
        let t = tr(
            "بلغ العجز 6,500 دينار",
            AR_SRC,
            "The deficit reached 5,000 dinars",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The deficit reached 6,500 dinars"));
    }

    #[test]
    fn persian_digits_ungrouped_take_the_translations_grouping() {
        let t = tr(
            "بلغ العجز ۶۵۰۰ دينار",
            AR_SRC,
            "The deficit reached 5,000 dinars",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The deficit reached 6,500 dinars"));
    }

    #[test]
    fn to_french_with_no_break_space() {
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "Le déficit a atteint 5000 dinars",
            "ar",
            "fr",
        );
        assert_eq!(t.as_deref(), Some("Le déficit a atteint 6\u{a0}500 dinars"));
        // The translation's own narrow no-break space is kept.
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "Le déficit a atteint 5\u{202f}000 dinars",
            "ar",
            "fr",
        );
        assert_eq!(
            t.as_deref(),
            Some("Le déficit a atteint 6\u{202f}500 dinars")
        );
    }

    #[test]
    fn french_groups_with_ordinary_spaces() {
        let t = tr(
            "بلغ العجز ٦٬٥٠٠ دينار",
            AR_SRC,
            "Le déficit a atteint 5 000 dinars",
            "ar",
            "fr",
        );
        assert_eq!(t.as_deref(), Some("Le déficit a atteint 6 500 dinars"));
    }

    #[test]
    fn decimals() {
        let src = "ارتفع النمو ٥٫٢ بالمئة";
        let q = "ارتفع النمو ٦٫٥ بالمئة";
        assert_eq!(
            tr(q, src, "Growth rose 5.2 percent", "ar", "en").as_deref(),
            Some("Growth rose 6.5 percent")
        );
        assert_eq!(
            tr(q, src, "La croissance a augmenté de 5,2 %", "ar", "fr").as_deref(),
            Some("La croissance a augmenté de 6,5 %")
        );
        // Western decimal point in the Arabic query.
        assert_eq!(
            tr(
                "ارتفع النمو 6.5 بالمئة",
                src,
                "Growth rose 5.2 percent",
                "ar",
                "en"
            )
            .as_deref(),
            Some("Growth rose 6.5 percent")
        );
    }

    #[test]
    fn into_arabic_with_eastern_digits() {
        let t = tr(
            "The deficit reached 6,500 dinars",
            "The deficit reached 5,000 dinars",
            "بلغ العجز ٥٬٠٠٠ دينار",
            "en",
            "ar",
        );
        assert_eq!(t.as_deref(), Some("بلغ العجز ٦٬٥٠٠ دينار"));
        let t = tr(
            "It cost 2.5 dinars",
            "It cost 1.5 dinars",
            "كلف ١٫٥ دينار",
            "en",
            "ar",
        );
        assert_eq!(t.as_deref(), Some("كلف ٢٫٥ دينار"));
    }

    #[test]
    fn french_source_to_english() {
        let t = tr(
            "Le coût est de 6 500,5 euros",
            "Le coût est de 5 000,5 euros",
            "The cost is 5,000.5 euros",
            "fr",
            "en",
        );
        assert_eq!(
            t, None,
            "an ordinary space splits the numbers: 5 is not in the translation"
        );
        let t = tr(
            "Le coût est de 6\u{a0}500,5 euros",
            "Le coût est de 5\u{a0}000,5 euros",
            "The cost is 5,000.5 euros",
            "fr",
            "en",
        );
        assert_eq!(t.as_deref(), Some("The cost is 6,500.5 euros"));
    }

    #[test]
    fn several_numbers_and_repeats() {
        let t = tr(
            "من 5 إلى 7 أيام",
            "من 5 إلى 6 أيام",
            "from 5 to 6 days",
            "ar",
            "en",
        );
        assert_eq!(t.as_deref(), Some("from 5 to 7 days"));
        let a = transfer_numbers(
            "في 2021 و2022",
            "في 2020 و2020",
            "in 2020 and 2020",
            "ar",
            "en",
        )
        .unwrap();
        assert_eq!(a.text, "in 2021 and 2022");
        assert_eq!(a.changes.len(), 2);
        assert_eq!(&a.text[a.changes[1].span.clone()], "2022");
    }

    #[test]
    fn nothing_to_adjust() {
        // Words differ.
        assert_eq!(
            tr("بلغ الدين ٦ دينار", "بلغ العجز ٥ دينار", "5", "ar", "en"),
            None
        );
        // Same numbers.
        assert_eq!(tr("بلغ ٥", "بلغ ٥", "5", "ar", "en"), None);
        // The number is spelt out in the translation.
        assert_eq!(tr("بلغ ٦", "بلغ ٥", "reached five", "ar", "en"), None);
    }
}
