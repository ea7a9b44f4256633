//! The analysis of a job: per file and in total, segments, words and characters in each band,
//! repetitions apart, and the weighted words a quote is priced on.
//!
//! Rows, in the order CAT tools report them: context match (101%), repetitions, 100%, the
//! fuzzy bands (highest first), no match. A segment is counted once, in the first row that
//! applies: a context match stays one even if repeated; any other segment whose text
//! occurred earlier in the job (this file or an earlier one) is a repetition; the rest go to
//! the band of their best TM match ([`super::matching`]). Counts follow [`super::count`].
//!
//! The weighting grid gives each row a percentage of the full rate; weighted words are
//! `words * weight / 100`, summed. The default grid is a common agency grid (context 0%,
//! repetitions 10%, 100% 10%, 95-99% 30%, 85-94% 60%, 75-84% 80%, 50-74% and no match 100%);
//! `--weights`, or `[analysis.weights]` in `dragoman.toml`, replace any part of it.

use std::collections::BTreeMap;

use super::count::count;
use super::matching::{Band, Bands, SegmentMatch};
use super::JobFile;

/// A row key that is not a band: repetitions inside the job.
pub const REPETITION: &str = "repetition";

/// The weighting grid: percent of the full rate per row key (`context`, `repetition`,
/// `exact`, `95-99`, ..., `no_match`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Weights {
    given: BTreeMap<String, f64>,
}

impl Weights {
    /// A grid from `key -> percent` pairs (the rest from the default grid).
    ///
    /// # Errors
    /// A percentage outside 0-100, or a key that is no row of `bands`.
    pub fn new(given: BTreeMap<String, f64>, bands: &Bands) -> Result<Weights, String> {
        let keys = row_keys(bands);
        for (k, v) in &given {
            if !keys.contains(k) {
                return Err(format!(
                    "weight for {k:?}: no such row (rows: {})",
                    keys.join(", ")
                ));
            }
            if !(0.0..=100.0).contains(v) || v.is_nan() {
                return Err(format!(
                    "weight for {k:?} is {v}: a weight is a percentage, 0 to 100"
                ));
            }
        }
        Ok(Weights { given })
    }

    /// Parses `context=0,repetition=10,exact=10,95-99=30` (what `--weights` takes; `%` signs
    /// allowed).
    ///
    /// # Errors
    /// A piece that is not `KEY=PERCENT`, or what [`Weights::new`] refuses.
    ///
    /// ```
    /// use dragoman::job::{Bands, Weights};
    /// let w = Weights::parse("exact=20, 50-74=90%", &Bands::default()).unwrap();
    /// assert_eq!((w.weight("exact"), w.weight("50-74"), w.weight("context")), (20.0, 90.0, 0.0));
    /// assert!(Weights::parse("80-89=50", &Bands::default()).is_err());
    /// ```
    pub fn parse(s: &str, bands: &Bands) -> Result<Weights, String> {
        let mut m = BTreeMap::new();
        for piece in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = piece
                .split_once('=')
                .ok_or_else(|| format!("{piece:?}: a weight is KEY=PERCENT, e.g. exact=10"))?;
            let v: f64 = v
                .trim()
                .trim_end_matches('%')
                .parse()
                .map_err(|_| format!("{piece:?}: the weight is not a number"))?;
            m.insert(k.trim().to_string(), v);
        }
        Weights::new(m, bands)
    }

    /// The percentage of row `key`: as given, else the default grid's.
    pub fn weight(&self, key: &str) -> f64 {
        if let Some(v) = self.given.get(key) {
            return *v;
        }
        match key {
            "context" => 0.0,
            REPETITION | "exact" => 10.0,
            "no_match" => 100.0,
            k => {
                let lo: u8 = k
                    .split('-')
                    .next()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
                match lo {
                    95.. => 30.0,
                    85.. => 60.0,
                    75.. => 80.0,
                    _ => 100.0,
                }
            }
        }
    }
}

/// The `[analysis]` table of `dragoman.toml`.
///
/// ```toml
/// [analysis]
/// bands = "95-99,85-94,75-84,50-74"   # or ["95-99", "85-94", ...]
/// [analysis.weights]
/// context = 0
/// repetition = 10
/// exact = 10
/// "95-99" = 30
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisConfig {
    /// The fuzzy bands.
    pub bands: Option<BandsSpec>,
    /// The weighting grid, percent per row key.
    pub weights: Option<BTreeMap<String, f64>>,
}

/// Bands as written in `dragoman.toml`: one string, or a list of `MIN-MAX` strings.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum BandsSpec {
    /// `"95-99,85-94"`.
    One(String),
    /// `["95-99", "85-94"]`.
    List(Vec<String>),
}

impl BandsSpec {
    /// The bands.
    ///
    /// # Errors
    /// As [`Bands::parse`].
    pub fn bands(&self) -> Result<Bands, String> {
        match self {
            BandsSpec::One(s) => Bands::parse(s),
            BandsSpec::List(v) => Bands::parse(&v.join(",")),
        }
    }
}

/// The row keys for `bands`, in report order.
pub fn row_keys(bands: &Bands) -> Vec<String> {
    let mut v = vec![Band::Context.key(), REPETITION.to_string()];
    v.extend(bands.all().iter().skip(1).map(Band::key));
    v
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    /// `context`, `repetition`, `exact`, `95-99`, ..., `no_match`, or `total`.
    pub key: String,
    /// How a person reads it: `101%`, `repetitions`, `100%`, `95-99%`, `no match`, `total`.
    pub label: String,
    /// Segments.
    pub segments: u64,
    /// Words.
    pub words: u64,
    /// Characters (white space excluded).
    pub characters: u64,
    /// Percent of the full rate (none for the total).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// `words * weight / 100` (for the total: the sum).
    pub weighted_words: f64,
}

impl Row {
    fn new(key: &str, label: &str, weight: Option<f64>) -> Row {
        Row {
            key: key.to_string(),
            label: label.to_string(),
            segments: 0,
            words: 0,
            characters: 0,
            weight,
            weighted_words: 0.0,
        }
    }

    fn add(&mut self, words: u64, characters: u64) {
        self.segments += 1;
        self.words += words;
        self.characters += characters;
        if let Some(w) = self.weight {
            self.weighted_words = self.words as f64 * w / 100.0;
        }
    }

    fn merge(&mut self, o: &Row) {
        self.segments += o.segments;
        self.words += o.words;
        self.characters += o.characters;
        self.weighted_words = match self.weight {
            Some(w) => self.words as f64 * w / 100.0,
            None => self.weighted_words + o.weighted_words,
        };
    }
}

/// The rows of one file (or of the whole job).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    /// The file name (`total` for the whole job).
    pub name: String,
    /// The rows, in report order.
    pub rows: Vec<Row>,
    /// Their sum.
    pub total: Row,
}

/// One segment as the analysis saw it (for the HTML report's details).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SegmentRow {
    /// The segment id (`p3.s2`).
    pub id: String,
    /// The row it was counted in.
    pub key: String,
    /// The best match percentage (101 for a context match), if any.
    pub best: Option<u8>,
    /// Its words.
    pub words: u64,
    /// Its text.
    pub text: String,
    /// For a repetition: the file and id of the first occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repetition_of: Option<String>,
}

/// The analysis of a job.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    /// The job's language.
    pub source_lang: String,
    /// The target language.
    pub target_lang: String,
    /// The TMs, as named.
    pub tms: Vec<String>,
    /// Units of the TMs in the language pair.
    pub tm_units: usize,
    /// Per file, in the order given.
    pub files: Vec<Report>,
    /// The whole job.
    pub total: Report,
    /// Per file, every segment (what the HTML report lists).
    #[serde(skip)]
    pub segments: Vec<Vec<SegmentRow>>,
}

/// Counts `files` by the bands of `matches` (from [`super::match_job`], same shape).
pub fn analyze(
    files: &[JobFile],
    matches: &[Vec<SegmentMatch>],
    bands: &Bands,
    weights: &Weights,
) -> Analysis {
    let label = |k: &str| -> String {
        match k {
            REPETITION => "repetitions".into(),
            k => bands
                .all()
                .into_iter()
                .find(|b| b.key() == k)
                .map_or_else(|| k.to_string(), |b| b.label()),
        }
    };
    let keys = row_keys(bands);
    let empty = |name: &str| Report {
        name: name.to_string(),
        rows: keys
            .iter()
            .map(|k| Row::new(k, &label(k), Some(weights.weight(k))))
            .collect(),
        total: Row::new("total", "total", None),
    };
    let mut reports = Vec::with_capacity(files.len());
    let mut details = Vec::with_capacity(files.len());
    for (fi, f) in files.iter().enumerate() {
        let mut r = empty(&f.name);
        let mut segs = Vec::with_capacity(f.segment_count());
        for (s, m) in f.segments().zip(&matches[fi]) {
            let key = if m.is_repetition() {
                REPETITION.to_string()
            } else {
                m.band.key()
            };
            let c = count(&s.text, &f.lang);
            if let Some(row) = r.rows.iter_mut().find(|x| x.key == key) {
                row.add(c.words, c.characters);
            }
            segs.push(SegmentRow {
                id: s.id.clone(),
                key,
                best: m.suggestions.first().map(|x| x.score),
                words: c.words,
                text: s.text.clone(),
                repetition_of: m.repetition_of.as_ref().map(|(file, id)| {
                    if *file == fi {
                        id.clone()
                    } else {
                        format!("{} {id}", files[*file].name)
                    }
                }),
            });
        }
        sum_rows(&mut r);
        reports.push(r);
        details.push(segs);
    }
    let mut total = empty("total");
    for r in &reports {
        for (t, x) in total.rows.iter_mut().zip(&r.rows) {
            t.merge(x);
        }
    }
    sum_rows(&mut total);
    Analysis {
        source_lang: files.first().map_or_else(String::new, |f| f.lang.clone()),
        target_lang: String::new(),
        tms: Vec::new(),
        tm_units: 0,
        files: reports,
        total,
        segments: details,
    }
}

fn sum_rows(r: &mut Report) {
    let mut t = Row::new("total", "total", None);
    for x in &r.rows {
        t.merge(x);
    }
    r.total = t;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::matching::Suggestion;

    fn seg(band: Band, rep: bool) -> SegmentMatch {
        SegmentMatch {
            band,
            repetition_of: rep.then(|| (0, "p1.s1".to_string())),
            suggestions: vec![Suggestion {
                score: 100,
                source: String::new(),
                target: String::new(),
                markup: None,
                origin: String::new(),
                adjusted: false,
                props: Vec::new(),
            }],
        }
    }

    #[test]
    fn rows_counts_and_weighted_words() {
        let en = crate::Lang::parse("en").unwrap();
        let f = crate::job::load_text(
            "One two three. One two three. Four five.\nSix.\n",
            "a.txt",
            &en,
            &crate::segment::Segmenter::for_lang(&en),
        )
        .unwrap();
        let m = vec![vec![
            seg(Band::Exact, false),
            seg(Band::Exact, true),
            seg(Band::Fuzzy { min: 75, max: 84 }, false),
            seg(Band::NoMatch, false),
        ]];
        let w = Weights::parse("repetition=20", &Bands::default()).unwrap();
        let a = analyze(&[f], &m, &Bands::default(), &w);
        let row = |k: &str| a.total.rows.iter().find(|r| r.key == k).unwrap().clone();
        assert_eq!((row("exact").segments, row("exact").words), (1, 3));
        assert_eq!((row(REPETITION).segments, row(REPETITION).words), (1, 3));
        assert_eq!(row("75-84").words, 2);
        assert_eq!(row("no_match").words, 1);
        assert_eq!(row("context").segments, 0);
        // 3 * 10% + 3 * 20% + 2 * 80% + 1 * 100%
        assert!((a.total.total.weighted_words - 3.5).abs() < 1e-9);
        assert_eq!(a.total.total.words, 9);
        assert_eq!(a.total.total.characters, 37);
        assert_eq!(a.segments[0][1].repetition_of.as_deref(), Some("p1.s1"));
        let keys: Vec<&str> = a.files[0].rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "context",
                "repetition",
                "exact",
                "95-99",
                "85-94",
                "75-84",
                "50-74",
                "no_match"
            ]
        );
    }

    #[test]
    fn config_from_toml() {
        let c: AnalysisConfig =
            toml::from_str("bands = [\"90-99\", \"60-89\"]\n[weights]\n\"60-89\" = 70\n").unwrap();
        let b = c.bands.unwrap().bands().unwrap();
        assert_eq!(b.fuzzy(), [(90, 99), (60, 89)]);
        let w = Weights::new(c.weights.unwrap(), &b).unwrap();
        assert_eq!(w.weight("60-89"), 70.0);
        // A custom band takes the default weight of the default band its minimum is in.
        assert_eq!(w.weight("90-99"), 60.0);
        assert!(Weights::parse("exact=120", &b).is_err());
        assert!(toml::from_str::<AnalysisConfig>("colour = 1").is_err());
    }
}
