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
    /// Read the queries from this file, one a line (`-`: standard input).
    #[arg(long, short = 'f', conflicts_with = "query")]
    pub file: Option<PathBuf>,
    /// The query text; `-` reads queries from standard input, one a line.
    #[arg(required_unless_present = "file")]
    pub query: Option<String>,
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
    let qs = queries(a)?;
    let index = load_index(&a.store)?;
    let src = index.source_lang().to_string();
    for (i, q) in qs.iter().enumerate() {
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
    let results = index.lookup_all(&qs, opts);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, (q, hits)) in qs.iter().zip(&results).enumerate() {
        match a.format {
            OutFormat::Jsonl => {
                let matches: Vec<_> = hits.iter().map(|h| hit_json(&index, q, h)).collect();
                let line = json!({"query": q, "index": i, "matches": matches});
                writeln!(out, "{line}")?;
            }
            OutFormat::Text => print_text(&mut out, &index, q, i, qs.len(), hits, color)?,
        }
    }
    out.flush()?;
    Ok(0)
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

fn hit_json(index: &Index, q: &str, h: &Hit) -> serde_json::Value {
    let d: Vec<_> = diff(index.source(h.unit), q)
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
    if let Some(a) = adjusted(index, q, h) {
        v["suggestion"] = json!({"text": a.text, "adjusted": true, "changes": a.changes});
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
    index: &Index,
    q: &str,
    i: usize,
    n: usize,
    hits: &[Hit],
    color: bool,
) -> std::io::Result<()> {
    if n > 1 {
        writeln!(
            out,
            "{}",
            paint(color, "1", &format!("query {}: {q}", i + 1))
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
        }
    }
    Ok(())
}

pub fn concordance(a: &ConcordanceArgs, color: bool) -> anyhow::Result<u8> {
    let mut index = load_index(&a.store)?;
    let field = match a.field {
        InField::Source => Field::Source,
        InField::Target => Field::Target,
    };
    let lang = match field {
        Field::Source => index.source_lang().to_string(),
        Field::Target => index.target_lang().to_string(),
    };
    if fuzzy::Phrase::new(&a.phrase, &lang).is_none() {
        bail!(
            "the phrase {:?} has no word or number to search for",
            a.phrase
        );
    }
    if !fuzzy::in_script_of(&a.phrase, &lang) {
        bail!(
            "the phrase {:?} is not in the script of {lang} (--in {}): check --in or the phrase",
            a.phrase,
            if field == Field::Source {
                "source"
            } else {
                "target"
            }
        );
    }
    if field == Field::Target {
        index.build_target_side();
    }
    let mut hits = index.concordance(&a.phrase, field);
    if let Some(m) = a.max {
        hits.truncate(m);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for h in &hits {
        let spans = index.highlights(h.unit, field, &a.phrase);
        let (text, other) = match field {
            Field::Source => (index.source(h.unit), index.target(h.unit)),
            Field::Target => (index.target(h.unit), index.source(h.unit)),
        };
        match a.format {
            OutFormat::Jsonl => {
                let sp: Vec<[usize; 2]> = spans.iter().map(|r| [r.start, r.end]).collect();
                let line = json!({
                    "unit": h.unit,
                    "id": index.id(h.unit),
                    "source": index.source(h.unit),
                    "target": index.target(h.unit),
                    "in": if field == Field::Source { "source" } else { "target" },
                    "spans": sp,
                });
                writeln!(out, "{line}")?;
            }
            OutFormat::Text => {
                let mut shown = String::new();
                let mut at = 0;
                for r in &spans {
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
                let id = index.id(h.unit).unwrap_or("-");
                writeln!(out, "{id}\t{shown}\t{other}")?;
            }
        }
    }
    out.flush()?;
    if !hits.is_empty() || a.format == OutFormat::Jsonl {
        return Ok(0);
    }
    eprintln!("dragoman: no unit contains {:?}", a.phrase);
    Ok(0)
}
