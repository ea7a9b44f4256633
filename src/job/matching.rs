//! Matching a job against its TM: each segment's band, its best suggestions, and the
//! repetitions inside the job.
//!
//! # Bands
//! - **Context match (101%)**: the segment is identical to a TM unit's source *and* its
//!   previous and next segments in the job file are identical to that unit's neighbours in
//!   its TM document (see [`super::tm`] for where a unit's neighbours come from). The start
//!   and end of a file count as neighbours: the first segment of a file matches in context
//!   only a unit that starts its document.
//! - **Exact (100%)**: identical to a TM source (after trimming white space), without the
//!   context.
//! - **Fuzzy bands** (default 95-99, 85-94, 75-84, 50-74): the best match percentage of
//!   [`crate::tm::fuzzy`], which the index finds exactly (no match lost in any band).
//! - **No match**: below the lowest band (or in a gap between configured bands).
//!
//! # Repetitions
//! A segment whose text (trimmed) already occurred earlier in the job, in the same file or an
//! earlier one, is a repetition of the first occurrence ([`SegmentMatch::repetition_of`]).
//! Its band is still computed (a package pre-fills it like the first), but the analysis
//! counts it apart, as Trados and memoQ do, unless it is a context match: a context match
//! is pinned to its own place and stays one (Trados's precedence: context match, then
//! repetition, then the TM bands).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::tm::{JobTm, END, START};
use super::{Error, JobFile};
use crate::tm::fuzzy::{self, LookupOptions};
use crate::tm::Prop;

/// A match band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(tag = "band", rename_all = "snake_case")]
pub enum Band {
    /// 101%: identical, with the same neighbours.
    Context,
    /// 100%: identical.
    Exact,
    /// A fuzzy band, `min..=max` percent.
    Fuzzy {
        /// Lowest percentage of the band.
        min: u8,
        /// Highest percentage of the band.
        max: u8,
    },
    /// Below every band.
    NoMatch,
}

impl Band {
    /// How reports name the band: `101%`, `100%`, `95-99%`, `no match`.
    pub fn label(&self) -> String {
        match self {
            Band::Context => "101%".into(),
            Band::Exact => "100%".into(),
            Band::Fuzzy { min, max } if min == max => format!("{min}%"),
            Band::Fuzzy { min, max } => format!("{min}-{max}%"),
            Band::NoMatch => "no match".into(),
        }
    }

    /// A short key for CSV/JSON and the weights table: `context`, `exact`, `95-99`,
    /// `no_match`.
    pub fn key(&self) -> String {
        match self {
            Band::Context => "context".into(),
            Band::Exact => "exact".into(),
            Band::Fuzzy { min, max } => format!("{min}-{max}"),
            Band::NoMatch => "no_match".into(),
        }
    }
}

/// The fuzzy bands, highest first, non-overlapping, inside 1..=99.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bands {
    fuzzy: Vec<(u8, u8)>,
}

impl Default for Bands {
    /// The bands Trados and memoQ report by default: 95-99, 85-94, 75-84, 50-74.
    fn default() -> Bands {
        Bands {
            fuzzy: vec![(95, 99), (85, 94), (75, 84), (50, 74)],
        }
    }
}

impl Bands {
    /// Bands from `(min, max)` pairs, in any order.
    ///
    /// # Errors
    /// A band outside 1-99, with `min > max`, or overlapping another, as a message.
    pub fn new(mut fuzzy: Vec<(u8, u8)>) -> Result<Bands, String> {
        fuzzy.sort_by(|a, b| b.cmp(a));
        for &(lo, hi) in &fuzzy {
            if lo == 0 || hi > 99 || lo > hi {
                return Err(format!(
                    "fuzzy band {lo}-{hi}: a band is MIN-MAX with 1 <= MIN <= MAX <= 99 \
                     (100 and 101 are the exact and context matches)"
                ));
            }
        }
        for w in fuzzy.windows(2) {
            if w[1].1 >= w[0].0 {
                return Err(format!(
                    "fuzzy bands {}-{} and {}-{} overlap",
                    w[1].0, w[1].1, w[0].0, w[0].1
                ));
            }
        }
        Ok(Bands { fuzzy })
    }

    /// Parses `95-99,85-94,75-84,50-74` (what `--bands` takes).
    ///
    /// # Errors
    /// A piece that is not `MIN-MAX` or `N`, or bands [`Bands::new`] refuses.
    ///
    /// ```
    /// use dragoman::job::{Band, Bands};
    /// let b = Bands::parse("95-99, 70-94").unwrap();
    /// assert_eq!(b.band_of(80), Band::Fuzzy { min: 70, max: 94 });
    /// assert_eq!(b.band_of(60), Band::NoMatch);
    /// assert!(Bands::parse("50-80,70-90").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Bands, String> {
        let mut v = Vec::new();
        for piece in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let num = |t: &str| {
                t.trim()
                    .trim_end_matches('%')
                    .parse::<u8>()
                    .map_err(|_| format!("{piece:?}: a band is MIN-MAX, e.g. 85-94"))
            };
            let (lo, hi) = match piece.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                None => (num(piece)?, num(piece)?),
            };
            v.push((lo, hi));
        }
        if v.is_empty() {
            return Err("no band given (e.g. 95-99,85-94,75-84,50-74)".into());
        }
        Bands::new(v)
    }

    /// The bands, highest first.
    pub fn fuzzy(&self) -> &[(u8, u8)] {
        &self.fuzzy
    }

    /// Every band in report order: context, exact, the fuzzy bands, no match.
    pub fn all(&self) -> Vec<Band> {
        let mut v = vec![Band::Context, Band::Exact];
        v.extend(
            self.fuzzy
                .iter()
                .map(|&(min, max)| Band::Fuzzy { min, max }),
        );
        v.push(Band::NoMatch);
        v
    }

    /// The lowest percentage of any band (what a lookup needs to find).
    pub fn min(&self) -> u8 {
        self.fuzzy.last().map_or(100, |b| b.0)
    }

    /// The band of a best match percentage (100 is exact; context is decided elsewhere).
    pub fn band_of(&self, percent: u8) -> Band {
        if percent >= 100 {
            return Band::Exact;
        }
        self.fuzzy
            .iter()
            .find(|&&(lo, hi)| (lo..=hi).contains(&percent))
            .map_or(Band::NoMatch, |&(min, max)| Band::Fuzzy { min, max })
    }
}

/// Knobs of [`match_job`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchOptions {
    /// The fuzzy bands.
    pub bands: Bands,
    /// Suggestions kept per segment, best first (1 is enough for an analysis).
    pub max_suggestions: usize,
    /// Lowest percentage of the suggestions searched for (default: the lowest band's). Above
    /// the lowest band, a segment with no match this good still gets its band, and one match
    /// in that band (found at band resolution) as its only suggestion.
    pub min_suggestion: Option<u8>,
    /// Find each segment's band, not its best score: faster, for an analysis (the first
    /// suggestion is then a match in the right band, not necessarily the best one in it;
    /// see [`crate::tm::fuzzy::Searcher::set_band_floors`]).
    pub band_resolution: bool,
}

impl Default for MatchOptions {
    fn default() -> MatchOptions {
        MatchOptions {
            bands: Bands::default(),
            max_suggestions: 3,
            min_suggestion: None,
            band_resolution: false,
        }
    }
}

/// A TM match offered for a segment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    /// The match percentage: 101 for a context match, 100 identical, below for fuzzy.
    pub score: u8,
    /// The TM unit's source.
    pub source: String,
    /// Its translation (with the segment's numbers, or its typed codes, when
    /// [`Suggestion::adjusted`]).
    pub target: String,
    /// The target's inline codes in TMX form, when it has any (and was not adjusted).
    pub markup: Option<String>,
    /// Where it comes from: the TM as named by the user, then `#` and the unit id if any.
    pub origin: String,
    /// True when the segment differs only in numbers, or only in its typed inline codes, and
    /// they were put into the target.
    pub adjusted: bool,
    /// The unit's props (but `x-document` and context props).
    pub props: Vec<Prop>,
}

/// What matching found for one segment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SegmentMatch {
    /// Its band (of the TM match; see [`SegmentMatch::repetition_of`] for repetitions).
    pub band: Band,
    /// The first occurrence of the same text in the job: (file index, segment id).
    pub repetition_of: Option<(usize, String)>,
    /// The best TM matches, best first.
    pub suggestions: Vec<Suggestion>,
}

impl SegmentMatch {
    /// True when an analysis counts it as a repetition (not a context match).
    pub fn is_repetition(&self) -> bool {
        self.repetition_of.is_some() && self.band != Band::Context
    }
}

/// Matches every segment of `files` against `tm`: `[file][segment in document order]`.
///
/// # Errors
/// [`Error::File`] (input) when a file's language is not the TM's source language or `target_lang`
/// is not its target language.
pub fn match_job(
    files: &[JobFile],
    tm: &JobTm,
    target_lang: &str,
    opts: &MatchOptions,
) -> Result<Vec<Vec<SegmentMatch>>, Error> {
    match_job_with_progress(files, tm, target_lang, opts, &|_| {})
}

/// Like [`match_job`], calling `progress` with the number of segments matched so far (from
/// any thread).
///
/// # Errors
/// As [`match_job`].
pub fn match_job_with_progress(
    files: &[JobFile],
    tm: &JobTm,
    target_lang: &str,
    opts: &MatchOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Vec<SegmentMatch>>, Error> {
    let index = tm.index();
    let same = |a: &str, b: &str| {
        crate::Lang::parse(a).ok().map(|l| l.as_str().to_string())
            == crate::Lang::parse(b).ok().map(|l| l.as_str().to_string())
    };
    if !same(target_lang, index.target_lang()) {
        return Err(Error::input(
            tm.origins().first().map_or("<tm>", String::as_str),
            None,
            format!(
                "the TM was opened for {} -> {}, not for the target language {target_lang}",
                index.source_lang(),
                index.target_lang()
            ),
        ));
    }
    for f in files {
        if !same(&f.lang, index.source_lang()) {
            return Err(Error::input(
                &f.path,
                None,
                format!(
                    "the job file is in {}, the TM's source language is {}",
                    f.lang,
                    index.source_lang()
                ),
            ));
        }
    }
    // Every distinct text once: repetitions need no second lookup.
    let mut first: HashMap<&str, (usize, &str)> = HashMap::new();
    let mut queries: Vec<&str> = Vec::new();
    let mut query_of: HashMap<&str, usize> = HashMap::new();
    let mut reps: Vec<Vec<Option<(usize, String)>>> = Vec::with_capacity(files.len());
    for (fi, f) in files.iter().enumerate() {
        let mut r = Vec::with_capacity(f.segment_count());
        for s in f.segments() {
            let key = s.text.trim();
            match first.get(key) {
                Some(&(ofile, oid)) => r.push(Some((ofile, oid.to_string()))),
                None => {
                    first.insert(key, (fi, &s.id));
                    r.push(None);
                }
            }
            if !query_of.contains_key(key) {
                query_of.insert(key, queries.len());
                queries.push(key);
            }
        }
        reps.push(r);
    }
    // Suggestions are searched down to `min_suggestion` only (a search down to 50% costs more
    // the lower it goes); a segment with none there is searched again at band resolution down
    // to the lowest band, for its band.
    let band_min = opts.bands.min().max(1);
    let lookup = LookupOptions {
        min: opts.min_suggestion.unwrap_or(band_min).max(1),
        max: opts.max_suggestions.max(1),
    };
    let mut band_floors: Vec<u8> = opts.bands.fuzzy().iter().map(|b| b.0).collect();
    band_floors.push(100);
    let floors: &[u8] = if opts.band_resolution {
        &band_floors
    } else {
        &[]
    };
    let done = AtomicUsize::new(0);
    let hits: Vec<Vec<fuzzy::Hit>> = queries
        .par_iter()
        .map_init(
            || {
                let mut s = index.searcher();
                s.set_band_floors(floors);
                s
            },
            |s, q| {
                let mut h = s.lookup(q, lookup);
                if h.is_empty() && lookup.min > band_min {
                    s.set_band_floors(&band_floors);
                    h = s.lookup(
                        q,
                        LookupOptions {
                            min: band_min,
                            max: 1,
                        },
                    );
                    s.set_band_floors(floors);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n % 64 == 0 {
                    progress(n);
                }
                h
            },
        )
        .collect();
    progress(queries.len());
    let mut out = Vec::with_capacity(files.len());
    for (fi, f) in files.iter().enumerate() {
        let segs: Vec<&str> = f.segments().map(|s| s.text.trim()).collect();
        let mut matches = Vec::with_capacity(segs.len());
        for (i, text) in segs.iter().enumerate() {
            let h = &hits[query_of[text]];
            let prev = if i == 0 {
                START
            } else {
                super::tm::text_hash(segs[i - 1])
            };
            let next = segs.get(i + 1).map_or(END, |t| super::tm::text_hash(t));
            let context_unit = match h.first() {
                Some(b) if b.score.percent == 100 => tm
                    .units_with_source(text)
                    .find(|&u| tm.in_context(u, prev, next)),
                _ => None,
            };
            let mut suggestions = Vec::with_capacity(h.len() + 1);
            if let Some(u) = context_unit {
                suggestions.push(suggestion(tm, u, 101, text, None));
            }
            for hit in h {
                if Some(hit.unit) == context_unit || suggestions.len() >= lookup.max {
                    continue;
                }
                suggestions.push(suggestion(
                    tm,
                    hit.unit,
                    hit.score.percent,
                    text,
                    Some(&hit.score),
                ));
            }
            let band = match (context_unit, h.first()) {
                (Some(_), _) => Band::Context,
                (None, Some(b)) => opts.bands.band_of(b.score.percent),
                (None, None) => Band::NoMatch,
            };
            matches.push(SegmentMatch {
                band,
                repetition_of: reps[fi][i].take(),
                suggestions,
            });
        }
        out.push(matches);
    }
    Ok(out)
}

/// The suggestion of unit `u`; `how` is the fuzzy score (`None` for a context match), which
/// says whether the query's numbers or typed codes can be put into the translation.
fn suggestion(
    tm: &JobTm,
    u: usize,
    score: u8,
    query: &str,
    how: Option<&fuzzy::Score>,
) -> Suggestion {
    let index = tm.index();
    let numbers_only = how.is_some_and(fuzzy::Score::numbers_only);
    let codes_only =
        how.is_some_and(|s| s.edits == 0 && s.penalties.codes > 0 && s.penalties.numbers == 0);
    // A job segment is plain text: its typed codes (`<b>`, `{1}`) go where the translation's
    // codes are, and the suggestion is then plain text too.
    let adjusted = if numbers_only {
        fuzzy::transfer_numbers(
            query,
            index.source(u),
            index.target(u),
            index.source_lang(),
            index.target_lang(),
        )
        .map(|a| a.text)
    } else if codes_only {
        fuzzy::transfer_codes(
            fuzzy::Coded::new(query, None),
            fuzzy::Coded::new(index.source(u), tm.source_markup(u)),
            fuzzy::Coded::new(index.target(u), tm.target_markup(u)),
            index.source_lang(),
        )
        .map(|a| a.text)
    } else {
        None
    };
    let origin = match index.id(u) {
        Some(id) => format!("{}#{id}", tm.origin(u)),
        None => tm.origin(u).to_string(),
    };
    Suggestion {
        score,
        source: index.source(u).to_string(),
        markup: match adjusted {
            Some(_) => None,
            None => tm.target_markup(u).map(str::to_string),
        },
        adjusted: adjusted.is_some(),
        target: adjusted.unwrap_or_else(|| index.target(u).to_string()),
        origin,
        props: tm.props(u),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::{load_text, TmSpec};
    use crate::segment::Segmenter;
    use crate::Lang;

    const TMX: &str = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="ar" adminlang="en"
  creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" datatype="plaintext"/><body>
<tu tuid="d:0"><prop type="x-document">d.txt</prop><tuv xml:lang="ar"><seg>أعلن الطرفان وقف إطلاق النار مساء الثلاثاء.</seg></tuv><tuv xml:lang="en"><seg>The two sides announced a ceasefire on Tuesday evening.</seg></tuv></tu>
<tu tuid="d:1"><prop type="x-document">d.txt</prop><tuv xml:lang="ar"><seg>وقتل 8 جنود في الاشتباكات.</seg></tuv><tuv xml:lang="en"><seg>The clashes killed 8 soldiers.</seg></tuv></tu>
<tu tuid="d:2"><prop type="x-document">d.txt</prop><tuv xml:lang="ar"><seg>ودعا الاتحاد الأوروبي إلى الالتزام بوقف إطلاق النار.</seg></tuv><tuv xml:lang="en"><seg>The European Union called for the ceasefire to be respected.</seg></tuv></tu>
</body></tmx>"#;

    fn setup(job: &str) -> (Vec<JobFile>, JobTm, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tm.tmx");
        std::fs::write(&p, TMX).unwrap();
        let tm = JobTm::open(&[TmSpec::new(p.to_string_lossy())], "ar", "en").unwrap();
        let ar = Lang::parse("ar").unwrap();
        let f = load_text(job, "job.txt", &ar, &Segmenter::for_lang(&ar)).unwrap();
        (vec![f], tm, dir)
    }

    #[test]
    fn bands_context_exact_fuzzy_none_and_repetitions() {
        let job = "أعلن الطرفان وقف إطلاق النار مساء الثلاثاء. وقتل 8 جنود في الاشتباكات.\n\
                   ودعا الاتحاد الأوروبي إلى الالتزام بوقف إطلاق النار.\n\
                   وقتل 8 جنود في الاشتباكات.\n\
                   وقتل ١٠ جنود في الاشتباكات.\n\
                   وصل الوزير إلى العاصمة صباح اليوم.\n\
                   وصل الوزير إلى العاصمة صباح اليوم.\n";
        let (files, tm, _d) = setup(job);
        let m = match_job(&files, &tm, "en", &MatchOptions::default()).unwrap();
        let bands: Vec<Band> = m[0].iter().map(|s| s.band).collect();
        assert_eq!(bands[..3], [Band::Context, Band::Context, Band::Exact]);
        // The repeated sentence: exact (its neighbours differ), a repetition of p1.s2.
        assert_eq!(bands[3], Band::Exact);
        assert_eq!(m[0][3].repetition_of, Some((0, "p1.s2".to_string())));
        assert!(m[0][3].is_repetition());
        // A changed number: 99%, with the number put into the translation.
        assert_eq!(bands[4], Band::Fuzzy { min: 95, max: 99 });
        let s = &m[0][4].suggestions[0];
        assert_eq!((s.score, s.adjusted), (99, true));
        assert_eq!(s.target, "The clashes killed 10 soldiers.");
        assert!(s.origin.ends_with("tm.tmx#d:1"), "{}", s.origin);
        assert_eq!(bands[5], Band::NoMatch);
        assert!(m[0][5].suggestions.is_empty());
        assert_eq!(m[0][6].repetition_of, Some((0, "p5.s1".to_string())));
        assert_eq!(m[0][0].suggestions[0].score, 101);
        assert!(m[0].iter().take(3).all(|s| s.repetition_of.is_none()));
    }

    #[test]
    fn band_resolution_gives_the_same_bands() {
        let job = "أعلن الطرفان وقف إطلاق النار مساء الأربعاء.\n\
                   وقتل 12 جنديا في الاشتباكات.\n\
                   ودعا الاتحاد الأوروبي إلى الالتزام التام بوقف إطلاق النار.\n\
                   ودعا الاتحاد الأفريقي الطرفين إلى الحوار.\n";
        let (files, tm, _d) = setup(job);
        let exact = match_job(&files, &tm, "en", &MatchOptions::default()).unwrap();
        let opts = MatchOptions {
            band_resolution: true,
            max_suggestions: 1,
            ..MatchOptions::default()
        };
        let fast = match_job(&files, &tm, "en", &opts).unwrap();
        let bands = |m: &[Vec<SegmentMatch>]| m[0].iter().map(|s| s.band).collect::<Vec<_>>();
        assert_eq!(bands(&exact), bands(&fast));
        assert!(bands(&exact)
            .iter()
            .any(|b| matches!(b, Band::Fuzzy { .. })));
    }

    #[test]
    fn suggestions_searched_down_to_their_minimum_keep_every_band() {
        let job = "أعلن الطرفان وقف إطلاق النار مساء الأربعاء.\n\
                   وقتل 12 جنديا في الاشتباكات.\n\
                   ودعا الاتحاد الأوروبي إلى الالتزام التام بوقف إطلاق النار.\n\
                   ودعا الاتحاد الأفريقي الطرفين إلى الحوار.\n\
                   وصل الوزير إلى العاصمة صباح اليوم.\n";
        let (files, tm, _d) = setup(job);
        let all = match_job(&files, &tm, "en", &MatchOptions::default()).unwrap();
        let opts = MatchOptions {
            min_suggestion: Some(90),
            ..MatchOptions::default()
        };
        let high = match_job(&files, &tm, "en", &opts).unwrap();
        let bands = |m: &[Vec<SegmentMatch>]| m[0].iter().map(|s| s.band).collect::<Vec<_>>();
        assert_eq!(bands(&all), bands(&high));
        let mut low = 0;
        for (a, h) in all[0].iter().zip(&high[0]) {
            let best = a.suggestions.first().map(|g| g.score);
            if best.is_some_and(|b| b >= 90) {
                // Above the minimum: the same suggestions, exactly scored.
                let above: Vec<&Suggestion> =
                    a.suggestions.iter().filter(|g| g.score >= 90).collect();
                assert_eq!(above, h.suggestions.iter().collect::<Vec<_>>());
            } else if let Some(g) = h.suggestions.first() {
                // Below it: one match, in the segment's band.
                low += 1;
                assert_eq!(h.suggestions.len(), 1);
                assert_eq!(Bands::default().band_of(g.score), a.band);
            } else {
                assert_eq!(a.band, Band::NoMatch);
            }
        }
        assert!(low > 0, "{:?}", bands(&all));
    }

    #[test]
    fn bands_parse_and_refuse() {
        assert_eq!(Bands::default().min(), 50);
        assert_eq!(Bands::default().band_of(100), Band::Exact);
        assert_eq!(
            Bands::default().band_of(94),
            Band::Fuzzy { min: 85, max: 94 }
        );
        assert_eq!(Bands::default().band_of(49), Band::NoMatch);
        assert!(Bands::parse("0-50").is_err());
        assert!(Bands::parse("90-100").is_err());
        assert!(Bands::parse("x").is_err());
        assert_eq!(Band::Fuzzy { min: 75, max: 84 }.label(), "75-84%");
    }

    #[test]
    fn wrong_target_language_is_refused() {
        let (files, tm, _d) = setup("وصل الوزير.\n");
        let e = match_job(&files, &tm, "fr", &MatchOptions::default()).unwrap_err();
        assert!(
            e.to_string().contains("not for the target language fr"),
            "{e}"
        );
    }

    #[test]
    fn typed_codes_of_a_segment_go_into_the_suggestion() {
        let tmx = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="ar" adminlang="en"
  creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" datatype="plaintext"/><body>
<tu tuid="c"><tuv xml:lang="ar"><seg>اضغط <bpt i="1">&lt;b&gt;</bpt>موافق<ept i="1">&lt;/b&gt;</ept> للمتابعة.</seg></tuv><tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> to continue.</seg></tuv></tu>
</body></tmx>"#;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tm.tmx");
        std::fs::write(&p, tmx).unwrap();
        let tm = JobTm::open(&[TmSpec::new(p.to_string_lossy())], "ar", "en").unwrap();
        let ar = Lang::parse("ar").unwrap();
        let job = "اضغط <strong>موافق</strong> للمتابعة.\nاضغط موافق للمتابعة.\n";
        let f = load_text(job, "job.txt", &ar, &Segmenter::for_lang(&ar)).unwrap();
        let m = match_job(&[f], &tm, "en", &MatchOptions::default()).unwrap();
        let s = &m[0][0].suggestions[0];
        assert_eq!((s.score, s.adjusted), (99, true));
        assert_eq!(s.target, "Press <strong>OK</strong> to continue.");
        assert_eq!(s.markup, None);
        // Without codes in the segment the counts differ: nothing adjusted, the TM's codes kept.
        let s = &m[0][1].suggestions[0];
        assert!(!s.adjusted);
        assert!(s.markup.as_deref().unwrap().contains("<bpt"));
    }
}
