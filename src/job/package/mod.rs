//! Job packages: what a translator receives, written from a job's segments and their TM
//! matches.
//!
//! The model here ([`Package`]) is the writers' input and knows nothing of matching: `prepare`
//! builds it from the job model and `match_job`, so each writer stays a plain function of
//! data that tests can build by hand. Writers: XLIFF 1.2 ([`xliff12`]), XLIFF 2.1 ([`xliff2`]),
//! the bilingual review file ([`review`]: CSV and HTML) and the OmegaT project ([`omegat`]).
//!
//! What every writer keeps: one unit per job segment with the segment's id (`p3.s2`, stable,
//! what `finish` matches the translation back on), one group per paragraph so paragraph
//! structure survives tools that reorder nothing but may drop empty lines, the pre-filled
//! translation of exact and context matches, and the fuzzy suggestions at or above the
//! package's threshold with their score and origin.

pub mod omegat;
pub mod review;
pub mod xliff12;
pub mod xliff2;

/// How a segment's translation was pre-filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    /// Context match (101%): the same segment with the same neighbours in the TM's document.
    Context,
    /// Exact match (100%).
    Exact,
}

/// A TM match offered with a segment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    /// Percentage, 0..=101 (101: context match).
    pub score: u8,
    /// The TM's source text.
    pub source: String,
    /// The TM's translation (plain text; numbers transferred when `adjusted`).
    pub target: String,
    /// The translation's inline codes in TMX form, when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
    /// Where it comes from: TM file or store, and unit id.
    pub origin: String,
}

/// One segment of a package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unit {
    /// The job segment id (`p3.s2`), unique in the file.
    pub id: String,
    /// The source text.
    pub source: String,
    /// The pre-filled translation (exact and context matches) and how it was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<(String, Fill)>,
    /// Suggestions at or above the fuzzy threshold, best first (the pre-filled one included,
    /// so that its origin travels with it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    /// The analysis band, as a label (`101%`, `100%`, `95-99%`, `no match`, `repetition`...).
    pub band: String,
}

/// One job file's package: its units, paragraph by paragraph.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Package {
    /// The job file's name (`report.txt`): the XLIFF `original`.
    pub name: String,
    /// Source language (BCP 47).
    pub source_lang: String,
    /// Target language (BCP 47).
    pub target_lang: String,
    /// Units, one vector per paragraph, in document order.
    pub paragraphs: Vec<Vec<Unit>>,
}

impl Package {
    /// Every unit in document order.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.paragraphs.iter().flatten()
    }
}

/// XML-escaped text without the characters XML 1.0 forbids.
pub(crate) fn xml_text(out: &mut String, s: &str) {
    crate::tm::xml::escape_text(out, &crate::tm::xml::strip_illegal(s));
}

/// XML-escaped attribute value without the characters XML 1.0 forbids.
pub(crate) fn xml_attr(out: &mut String, s: &str) {
    crate::tm::xml::escape_attr(out, &crate::tm::xml::strip_illegal(s));
}

#[cfg(test)]
pub(crate) mod sample {
    //! A small package for the writers' tests: an exact match, a context match, a fuzzy
    //! suggestion with inline codes, an untranslated segment, two paragraphs.
    use super::*;

    pub fn package() -> Package {
        let unit = |id: &str, source: &str| Unit {
            id: id.into(),
            source: source.into(),
            target: None,
            suggestions: Vec::new(),
            band: "no match".into(),
        };
        let mut a = unit("p1.s1", "أعلن الطرفان وقف إطلاق النار.");
        a.target = Some(("The two sides announced a ceasefire.".into(), Fill::Exact));
        a.band = "100%".into();
        a.suggestions.push(Suggestion {
            score: 100,
            source: a.source.clone(),
            target: "The two sides announced a ceasefire.".into(),
            markup: None,
            origin: "tm.tmx#u1".into(),
        });
        let mut b = unit("p1.s2", "وقال الوزير إن <الاتفاق> صامد & مستمر.");
        b.target = Some((
            "The minister said the <deal> holds & lasts.".into(),
            Fill::Context,
        ));
        b.band = "101%".into();
        let mut c = unit("p2.s1", "بلغ العجز ٦٬٥٠٠ دينار.");
        c.band = "85-94%".into();
        c.suggestions.push(Suggestion {
            score: 88,
            source: "بلغ العجز ٥٬٠٠٠ دينار هذا العام.".into(),
            target: "The deficit reached 5,000 dinars this year.".into(),
            markup: Some("The deficit reached <bpt i=\"1\">&lt;b&gt;</bpt>5,000<ept i=\"1\">&lt;/b&gt;</ept> dinars this year.".into()),
            origin: "store.db#42".into(),
        });
        let d = unit("p2.s2", "جملة جديدة تماما.");
        Package {
            name: "report.txt".into(),
            source_lang: "ar".into(),
            target_lang: "en".into(),
            paragraphs: vec![vec![a, b], vec![c, d]],
        }
    }
}
