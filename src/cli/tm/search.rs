//! `dragoman tm lookup` and `dragoman tm concordance`: fuzzy matches and phrase search in a
//! translation memory. The work is in `dragoman::tm::fuzzy`; this file parses flags, loads the
//! TM ([`load_index`], the one place that knows where units come from) and prints.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use dragoman::job::TmSpec;
use dragoman::tm::fuzzy::{self, Field, Hit, Index, LookupOptions};
use dragoman::tm::Format;
use serde_json::json;

/// Where the units come from and in which languages.
#[derive(clap::Args, Debug)]
pub struct StoreArgs {
    /// The translation memory: a store (`tm import` made it: an SQLite file, or a
    /// `postgres://` URL), or a TMX, CSV/TSV, XLIFF or Moses file loaded on the fly.
    pub store: PathBuf,
    /// Input format (default: from the extension).
    #[arg(long, value_parser = super::super::convert::parse_format)]
    pub from: Option<Format>,
    /// Language of the queries and TM sources (default: the file's source language).
    #[arg(long, short = 's')]
    pub source_lang: Option<String>,
    /// Language of the translations (default: the file's first other language).
    #[arg(long, short = 't')]
    pub target_lang: Option<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    /// For people (colour on a terminal).
    Text,
    /// One JSON object a line, for scripts.
    Jsonl,
}

/// Arguments of `dragoman tm lookup`.
#[derive(clap::Args, Debug)]
pub struct LookupArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Lowest match percentage shown.
    #[arg(long, default_value_t = 70, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub min: u8,
    /// Number of matches shown per query.
    #[arg(long, default_value_t = 5)]
    pub max: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
    /// How the queries are written: plain text (codes typed in it, `<b>` or `{1}`, are inline
    /// codes), TMX `<seg>` content or XLIFF 1.2 `<source>` content (their inline elements are
    /// the codes that are transferred into the suggested translation).
    #[arg(long, value_enum, default_value_t = QueryFormat::Text)]
    pub query_format: QueryFormat,
    /// Read the queries from this file, one a line (`-`: standard input).
    #[arg(long, short = 'f', conflicts_with = "query")]
    pub file: Option<PathBuf>,
    /// The query text; `-` reads queries from standard input, one a line.
    #[arg(required_unless_present = "file")]
    pub query: Option<String>,
}

/// `--query-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    /// Plain text.
    Text,
    /// TMX `<seg>` content.
    Tmx,
    /// XLIFF 1.2 `<source>` content.
    Xliff,
}

/// One query: as given, its plain text and its codes (TMX markup) when it was given with some.
struct Query {
    given: String,
    text: String,
    markup: Option<String>,
}

impl Query {
    /// What the index matches: the plain text, with U+FFFC where the codes of a TMX or
    /// XLIFF query are (as for the TM's sources).
    fn matching(&self) -> String {
        fuzzy::matching_text(&self.text, self.markup.as_deref()).into_owned()
    }
}

/// Arguments of `dragoman tm concordance`.
#[derive(clap::Args, Debug)]
pub struct ConcordanceArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Search the sources or the targets.
    #[arg(long = "in", value_enum, default_value_t = InField::Source)]
    pub field: InField,
    /// Stop after this many units (default: all).
    #[arg(long)]
    pub max: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    pub format: OutFormat,
    /// The phrase.
    pub phrase: String,
}

/// `--in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InField {
    /// The source texts.
    Source,
    /// The target texts.
    Target,
}

/// Loads the units of `store` into an index for `source_lang` -> `target_lang` (the library's
/// [`dragoman::job::tm::load_index`], the one place that knows where units come from).
///
/// # Errors
/// Unreadable or malformed files; languages the file does not have.
pub fn load_index(s: &StoreArgs) -> anyhow::Result<Index> {
    let spec = TmSpec {
        location: s.store.to_string_lossy().into_owned(),
        format: s.from,
    };
    Ok(dragoman::job::tm::load_index(
        &spec,
        s.source_lang.as_deref(),
        s.target_lang.as_deref(),
    )?)
}

/// The queries: the argument, or the lines of a file / standard input (blank lines skipped).
fn queries(a: &LookupArgs) -> anyhow::Result<Vec<String>> {
    let from = match (&a.file, a.query.as_deref()) {
        (Some(f), _) => Some(f.clone()),
        (None, Some("-")) => Some(PathBuf::from("-")),
        (None, Some(q)) => return Ok(vec![q.to_string()]),
        (None, None) => bail!("no query: give a text, `-` or --file"),
    };
    let path = from.unwrap_or_default();
    let bytes = if path.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut v).context("<stdin>")?;
        v
    } else {
        std::fs::read(&path).with_context(|| format!("{}", path.display()))?
    };
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        anyhow::anyhow!("{name}: invalid UTF-8 at byte {at}")
    })?;
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.trim().is_empty())
        .collect())
}

pub fn lookup(a: &LookupArgs, color: bool) -> anyhow::Result<u8> {
    let given = queries(a)?;
    let many = given.len() > 1;
    let name = |i: usize| {
        if many {
            format!("query {}", i + 1)
        } else {
            "the query".to_string()
        }
    };
    let src_hint = a.store.source_lang.as_deref().unwrap_or("und");
    let mut qs = Vec::with_capacity(given.len());
    for (i, g) in given.into_iter().enumerate() {
        let (text, markup) = match a.query_format {
            QueryFormat::Text => (g.clone(), None),
            QueryFormat::Tmx | QueryFormat::Xliff => {
                let f = if a.query_format == QueryFormat::Tmx {
                    Format::Tmx
                } else {
                    Format::Xliff
                };
                fuzzy::read_coded(&g, f, src_hint, &name(i))?
            }
        };
        qs.push(Query {
            given: g,
            text,
            markup,
        });
    }
    // The codes of the TM are needed only for queries that have some.
    let with_codes = qs
        .iter()
        .any(|q| q.markup.is_some() || q.text.contains(['<', '{']));
    let spec = TmSpec {
        location: a.store.store.to_string_lossy().into_owned(),
        format: a.store.from,
    };
    let (src_opt, tgt_opt) = (
        a.store.source_lang.as_deref(),
        a.store.target_lang.as_deref(),
    );
    let (index, codes) = if with_codes {
        dragoman::job::tm::load_index_with_codes(&spec, src_opt, tgt_opt)?
    } else {
        (load_index(&a.store)?, Default::default())
    };
    let src = index.source_lang().to_string();
    for (i, q) in qs.iter().map(|q| &q.text).enumerate() {
        if !fuzzy::in_script_of(q, &src) {
            let which = if qs.len() > 1 {
                format!("query {} ", i + 1)
            } else {
                "the query ".to_string()
            };
            bail!(
                "{which}{:?} is not in the script of {src} (the TM's source language): check \
                 --source-lang or the query",
                super::super::out::shorten(q, 40)
            );
        }
    }
    let opts = LookupOptions {
        min: a.min,
        max: a.max,
    };
    let matching: Vec<String> = qs.iter().map(Query::matching).collect();
    let mut results = index.lookup_all(&matching, opts);
    for (q, hits) in qs.iter().zip(&mut results) {
        code_penalty(&codes, q, hits, a.min);
    }
    let tm = Tm {
        index: &index,
        codes: &codes,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, (q, hits)) in qs.iter().zip(&results).enumerate() {
        match a.format {
            OutFormat::Jsonl => {
                let matches: Vec<_> = hits.iter().map(|h| hit_json(&tm, q, h)).collect();
                let mut line = json!({"query": q.given, "index": i, "matches": matches});
                if q.markup.is_some() {
                    line["query_text"] = json!(q.text);
                }
                writeln!(out, "{line}")?;
            }
            OutFormat::Text => print_text(&mut out, &tm, q, i, qs.len(), hits, color)?,
        }
    }
    out.flush()?;
    Ok(0)
}

/// The index and the codes of its units.
struct Tm<'a> {
    index: &'a Index,
    codes: &'a dragoman::job::tm::CodeMap,
}

/// The index sees each TMX code as one placeholder, so a query given with codes that differ
/// from the TM source's only in their attributes or content scores as if they were the same:
/// this puts the codes penalty (1) back, drops the hits that fall under `min`, and re-sorts.
fn code_penalty(codes: &dragoman::job::tm::CodeMap, q: &Query, hits: &mut Vec<Hit>, min: u8) {
    if q.markup.is_none() || codes.is_empty() {
        return;
    }
    let mut changed = false;
    for h in hits.iter_mut() {
        let source = codes.get(h.unit).map(|(s, _)| s);
        if h.score.penalties.codes == 0 && fuzzy::codes_differ(q.markup.as_deref(), source) {
            h.score.penalties.codes = 1;
            h.score.percent = h.score.percent.saturating_sub(1);
            changed = true;
        }
    }
    if changed {
        hits.retain(|h| h.score.percent >= min);
        hits.sort_by_key(|h| std::cmp::Reverse(h.score.percent));
    }
}

/// The suggested translation with the query's codes, when the query and the TM source differ
/// only in them.
fn codes_adjusted(tm: &Tm<'_>, q: &Query, h: &Hit) -> Option<fuzzy::CodesAdjusted> {
    let s = &h.score;
    if s.edits != 0 || s.penalties.numbers != 0 {
        return None;
    }
    let (sm, tmk) = tm.codes.get(h.unit)?;
    fuzzy::transfer_codes(
        fuzzy::Coded::new(&q.text, q.markup.as_deref()),
        fuzzy::Coded::new(tm.index.source(h.unit), Some(sm)),
        fuzzy::Coded::new(tm.index.target(h.unit), Some(tmk)),
        tm.index.source_lang(),
    )
}

/// Word-level differences from the TM source to the query: (tag, text) in order, `equal`,
/// `delete` (in the TM source only), `insert` (in the query only).
fn diff(source: &str, query: &str) -> Vec<(&'static str, String)> {
    let d = similar::TextDiff::configure().diff_unicode_words(source, query);
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for c in d.iter_all_changes() {
        let tag = match c.tag() {
            similar::ChangeTag::Equal => "equal",
            similar::ChangeTag::Delete => "delete",
            similar::ChangeTag::Insert => "insert",
        };
        match out.last_mut() {
            Some((t, s)) if *t == tag => s.push_str(c.value()),
            _ => out.push((tag, c.value().to_string())),
        }
    }
    out
}

fn adjusted(index: &Index, q: &str, h: &Hit) -> Option<fuzzy::Adjusted> {
    if !h.score.numbers_only() {
        return None;
    }
    fuzzy::transfer_numbers(
        q,
        index.source(h.unit),
        index.target(h.unit),
        index.source_lang(),
        index.target_lang(),
    )
}

fn hit_json(tm: &Tm<'_>, q: &Query, h: &Hit) -> serde_json::Value {
    let index = tm.index;
    let d: Vec<_> = diff(index.source(h.unit), &q.text)
        .into_iter()
        .map(|(op, text)| json!({"op": op, "text": text}))
        .collect();
    let mut v = json!({
        "percent": h.score.percent,
        "unit": h.unit,
        "id": index.id(h.unit),
        "source": index.source(h.unit),
        "target": index.target(h.unit),
        "score": h.score,
        "diff": d,
    });
    if let Some((sm, tmk)) = tm.codes.get(h.unit) {
        v["source_markup"] = json!(sm);
        v["target_markup"] = json!(tmk);
    }
    if let Some(a) = adjusted(index, &q.text, h) {
        v["suggestion"] = json!({"text": a.text, "adjusted": true, "changes": a.changes});
    } else if let Some(a) = codes_adjusted(tm, q, h) {
        v["suggestion"] = json!({
            "text": a.text,
            "markup": a.markup,
            "adjusted": true,
            "codes": a.changes,
        });
    }
    v
}

fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn print_text(
    out: &mut dyn Write,
    tm: &Tm<'_>,
    query: &Query,
    i: usize,
    n: usize,
    hits: &[Hit],
    color: bool,
) -> std::io::Result<()> {
    let (index, q) = (tm.index, query.text.as_str());
    if n > 1 {
        writeln!(
            out,
            "{}",
            paint(color, "1", &format!("query {}: {}", i + 1, query.given))
        )?;
    }
    if hits.is_empty() {
        writeln!(out, "  no match")?;
    }
    for h in hits {
        let id = index
            .id(h.unit)
            .map(|s| format!("  {s}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}{id}",
            paint(color, "1", &format!("{:>3}%", h.score.percent))
        )?;
        writeln!(out, "  source  {}", index.source(h.unit))?;
        writeln!(out, "  target  {}", index.target(h.unit))?;
        let mut d = String::new();
        for (op, text) in diff(index.source(h.unit), q) {
            match op {
                "delete" if color => d.push_str(&paint(color, "31;9", &text)),
                "insert" if color => d.push_str(&paint(color, "32;4", &text)),
                "delete" => d.push_str(&format!("[-{text}-]")),
                "insert" => d.push_str(&format!("{{+{text}+}}")),
                _ => d.push_str(&text),
            }
        }
        writeln!(out, "  diff    {d}")?;
        if let Some(a) = adjusted(index, q, h) {
            writeln!(out, "  {}  {}", paint(color, "33", "adjusted"), a.text)?;
        } else if let Some(a) = codes_adjusted(tm, query, h) {
            // With markup, the codes are the change: show it (the plain text has none).
            let shown = a.markup.as_deref().unwrap_or(&a.text);
            writeln!(out, "  {}  {shown}", paint(color, "33", "adjusted"))?;
        }
    }
    Ok(())
}

/// One concordance hit, from an index or a store, as printed.
struct Shown<'a> {
    /// The unit's position in the TM (a file), or its row id (a store's index).
    unit: i64,
    id: Option<&'a str>,
    source: &'a str,
    target: &'a str,
    spans: Vec<std::ops::Range<usize>>,
}

pub fn concordance(a: &ConcordanceArgs, color: bool) -> anyhow::Result<u8> {
    let field = match a.field {
        InField::Source => Field::Source,
        InField::Target => Field::Target,
    };
    let spec = TmSpec {
        location: a.store.store.to_string_lossy().into_owned(),
        format: a.store.from,
    };
    // A store with a concordance index answers from it: no need to load the units.
    if let (true, Some(s), Some(t)) = (
        spec.is_store(),
        a.store.source_lang.as_deref(),
        a.store.target_lang.as_deref(),
    ) {
        let mut st = dragoman::tm::store::Store::open(
            &spec.location,
            dragoman::tm::store::Mode::Read,
            dragoman::tm::store::READ_WAIT,
        )?;
        check_phrase(&a.phrase, if field == Field::Source { s } else { t }, field)?;
        if let Some(hits) = st.concordance(s, t, &a.phrase, field, a.max)? {
            let shown = hits.iter().map(|h| Shown {
                unit: h.id,
                id: h.tuid.as_deref(),
                source: &h.source,
                target: &h.target,
                spans: h.spans.clone(),
            });
            return print_concordance(a, field, color, shown);
        }
        eprintln!(
            "dragoman: note: loading the store to search it; `dragoman tm index {}` keeps a \
             concordance index in it",
            a.store.store.display()
        );
    }
    let mut index = load_index(&a.store)?;
    let lang = match field {
        Field::Source => index.source_lang().to_string(),
        Field::Target => index.target_lang().to_string(),
    };
    check_phrase(&a.phrase, &lang, field)?;
    if field == Field::Target {
        index.build_target_side();
    }
    let mut hits = index.concordance(&a.phrase, field);
    if let Some(m) = a.max {
        hits.truncate(m);
    }
    let index = &index;
    let shown = hits.iter().map(|h| {
        let spans = index.highlights(h.unit, field, &a.phrase);
        Shown {
            unit: h.unit as i64,
            id: index.id(h.unit),
            source: index.source(h.unit),
            target: index.target(h.unit),
            spans,
        }
    });
    print_concordance(a, field, color, shown)
}

/// Refuses a phrase with nothing to search for, or in another script than `lang`'s.
fn check_phrase(phrase: &str, lang: &str, field: Field) -> anyhow::Result<()> {
    if fuzzy::Phrase::new(phrase, lang).is_none() {
        bail!("the phrase {phrase:?} has no word or number to search for");
    }
    if !fuzzy::in_script_of(phrase, lang) {
        bail!(
            "the phrase {phrase:?} is not in the script of {lang} (--in {}): check --in or the phrase",
            if field == Field::Source {
                "source"
            } else {
                "target"
            }
        );
    }
    Ok(())
}

fn print_concordance<'a>(
    a: &ConcordanceArgs,
    field: Field,
    color: bool,
    hits: impl Iterator<Item = Shown<'a>>,
) -> anyhow::Result<u8> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut any = false;
    for h in hits {
        any = true;
        let (text, other) = match field {
            Field::Source => (h.source, h.target),
            Field::Target => (h.target, h.source),
        };
        match a.format {
            OutFormat::Jsonl => {
                let sp: Vec<[usize; 2]> = h.spans.iter().map(|r| [r.start, r.end]).collect();
                let line = json!({
                    "unit": h.unit,
                    "id": h.id,
                    "source": h.source,
                    "target": h.target,
                    "in": if field == Field::Source { "source" } else { "target" },
                    "spans": sp,
                });
                writeln!(out, "{line}")?;
            }
            OutFormat::Text => {
                let mut shown = String::new();
                let mut at = 0;
                for r in &h.spans {
                    shown.push_str(&text[at..r.start]);
                    let m = &text[r.clone()];
                    if color {
                        shown.push_str(&paint(true, "1;33", m));
                    } else {
                        shown.push_str(m);
                    }
                    at = r.end;
                }
                shown.push_str(&text[at..]);
                let id = h.id.unwrap_or("-");
                writeln!(out, "{id}\t{shown}\t{other}")?;
            }
        }
    }
    out.flush()?;
    if any || a.format == OutFormat::Jsonl {
        return Ok(0);
    }
    eprintln!("dragoman: no unit contains {:?}", a.phrase);
    Ok(0)
}
