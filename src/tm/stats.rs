//! `dragoman stats`: counts of units, languages, words, duplicates and conflicts.

use super::ops::*;
use super::{csv, path_name, tmx, Entry, Error, Format, ReadUnits};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Counts for one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LangStats {
    /// The language.
    pub lang: String,
    /// Non-empty segments.
    pub segments: u64,
    /// Words (Unicode word boundaries, UAX #29).
    pub words: u64,
    /// Characters.
    pub chars: u64,
}

/// What [`stats`] counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Units.
    pub units: u64,
    /// Per language, in order of first appearance.
    pub langs: Vec<LangStats>,
    /// Units identical to an earlier one (same text in every language).
    pub duplicates: u64,
    /// Units whose source was seen before with a different translation.
    pub conflicting: u64,
    /// Units with fewer than two non-empty languages.
    pub incomplete: u64,
}

/// What [`stats`] counts in one batch of units (on a worker): the counts that add up, and per
/// unit the hashes the duplicate and conflict checks need, in order.
#[derive(Default)]
struct StatsPart {
    langs: Vec<LangStats>,
    incomplete: u64,
    /// Per unit: hash of its texts in every language, hash of its source text (if any).
    keys: Vec<(u64, Option<u64>)>,
}

/// Counts a batch. The keys take each variant's inline codes with its text (see [`codes`]):
/// units that differ only in codes are neither duplicates nor the same source.
fn count_units(entries: impl IntoIterator<Item = Entry>, src: Option<&str>) -> StatsPart {
    use unicode_segmentation::UnicodeSegmentation;
    let mut part = StatsPart::default();
    for e in entries {
        let mut nonempty = 0;
        let mut key = DefaultHasher::new();
        let mut src_key = None;
        for (i, v) in e.unit.variants.iter().enumerate() {
            let t = v.text.trim();
            if t.is_empty() {
                continue;
            }
            nonempty += 1;
            let c = codes(&e, i);
            (&v.lang, t, c).hash(&mut key);
            let ls = lang_stats(&mut part.langs, &v.lang);
            ls.segments += 1;
            ls.words += t.unicode_words().count() as u64;
            ls.chars += t.chars().count() as u64;
            if src.map_or(src_key.is_none(), |s| s == v.lang) {
                src_key = Some(hash_variant(t, c));
            }
        }
        if nonempty < 2 {
            part.incomplete += 1;
        }
        part.keys.push((key.finish(), src_key));
    }
    part
}

/// The entry of `lang` in `langs`, added (last) if missing: languages stay in order of first
/// appearance.
fn lang_stats<'s>(langs: &'s mut Vec<LangStats>, lang: &str) -> &'s mut LangStats {
    let i = match langs.iter().position(|l| l.lang == lang) {
        Some(i) => i,
        None => {
            langs.push(LangStats {
                lang: lang.to_string(),
                ..Default::default()
            });
            langs.len() - 1
        }
    };
    &mut langs[i]
}

/// Counts units, languages, words and duplicates of a translation memory.
///
/// Streams, and counts on every core: TMX chunks (or batches of units from the other readers)
/// are parsed and counted by workers; only the duplicate and conflict checks, which need the
/// units in order, run on one thread (on hashes: 16 bytes per distinct unit).
///
/// # Errors
/// Unknown format, syntax errors with position, I/O errors.
pub fn stats(input: &Path, from: Option<Format>) -> Result<Stats, crate::Error> {
    stats_with(
        input,
        &StatsOptions {
            from,
            ..Default::default()
        },
    )
}

/// Options of [`stats_with`].
#[derive(Debug, Clone, Default)]
pub struct StatsOptions {
    /// Input format (default: from the extension).
    pub from: Option<Format>,
    /// How a CSV/TSV input names its columns, when its header row does not (or it has none).
    pub csv_read: csv::ReadOptions,
    /// XLIFF reading options (`--alt-trans`, `--target-lang`).
    pub xliff_read: super::xliff::ReadOptions,
}

/// [`stats`] with options.
///
/// # Errors
/// As [`stats`].
pub fn stats_with(input: &Path, opts: &StatsOptions) -> Result<Stats, crate::Error> {
    let f = format_of(input, opts.from, "input")?;
    check_csv_options(None, &csv::Options::default(), Some(f), &opts.csv_read)?;
    let mut st = Stats::default();
    let mut seen: std::collections::HashSet<u64> = Default::default();
    let mut by_src: HashMap<u64, u64> = HashMap::new();
    let mut add = |part: StatsPart| -> Result<(), Error> {
        for l in part.langs {
            let ls = lang_stats(&mut st.langs, &l.lang);
            ls.segments += l.segments;
            ls.words += l.words;
            ls.chars += l.chars;
        }
        st.incomplete += part.incomplete;
        for (k, sh) in part.keys {
            st.units += 1;
            if !seen.insert(k) {
                st.duplicates += 1;
            } else if let Some(sh) = sh {
                match by_src.get(&sh) {
                    Some(&first) if first != k => st.conflicting += 1,
                    Some(_) => {}
                    None => {
                        by_src.insert(sh, k);
                    }
                }
            }
        }
        Ok(())
    };
    if f == Format::Tmx {
        let mut r = tmx::Reader::from_reader(open_input(input)?, input)?;
        let src = ReadUnits::srclang(&r);
        let src = src.as_deref();
        let path = path_name(input);
        add(count_units(r.take_queued(), src))?;
        // The full parser, not the text-only one: inline codes are part of a unit's identity.
        let work = |c: tmx::Chunk| -> Result<StatsPart, Error> {
            let mut entries = Vec::new();
            tmx::parse_body_chunk(&c, &path, &mut entries)?;
            Ok(count_units(entries, src))
        };
        pipeline(|| r.next_chunk(), &work, add)?;
    } else {
        let mut r = open_units(input, f, &[], &opts.csv_read, &opts.xliff_read)?;
        let src = r.srclang();
        let src = src.as_deref();
        let work = |batch: Vec<Entry>| -> Result<StatsPart, Error> { Ok(count_units(batch, src)) };
        pipeline(|| read_batch(&mut *r), &work, add)?;
    }
    Ok(st)
}
