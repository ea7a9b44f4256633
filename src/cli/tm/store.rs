//! `dragoman tm import|export|stats|remove`: the store commands.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use dragoman::tm::store::{self, ImportOptions, ImportReport, Mode, RemoveFilter, Store};
use dragoman::tm::{ConvertOptions, Format};

use crate::cli::convert::{parse_format, WriteArgs};

const STORE_HELP: &str = "STORE is an SQLite file (created by the first import) or a \
PostgreSQL URL, postgres://USER@HOST:PORT/DATABASE (the password from PGPASSWORD or the URL); \
it may also be given with --store. Exit codes: 0 ok, 1 import found conflicting translations \
(all kept), 2 error (not a dragoman store, newer schema, locked, read-only, unreachable server, \
bad input).";

/// Where the store is and how long to wait for another writer.
#[derive(clap::Args, Debug)]
pub struct StoreArgs {
    /// The store, instead of the first positional argument (SQLite path or postgres:// URL).
    #[arg(long = "store", value_name = "STORE")]
    pub store: Option<String>,
    /// Seconds to wait for another process's write lock before giving up.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub wait: f64,
}

impl StoreArgs {
    fn wait(&self) -> Duration {
        Duration::try_from_secs_f64(self.wait.max(0.0)).unwrap_or(Duration::from_secs(10))
    }

    /// The store and the remaining positional arguments.
    fn split<'a>(
        &'a self,
        pos: &'a [String],
        what: &str,
    ) -> anyhow::Result<(&'a str, &'a [String])> {
        match &self.store {
            Some(s) => Ok((s.as_str(), pos)),
            None => match pos.split_first() {
                Some((s, rest)) => Ok((s.as_str(), rest)),
                None => bail!("no store given: name it first ({what}) or with --store"),
            },
        }
    }

    fn open(&self, location: &str, mode: Mode) -> anyhow::Result<Store> {
        Ok(Store::open(location, mode, self.wait())?)
    }
}

/// Arguments of `tm import`.
#[derive(clap::Args, Debug)]
#[command(after_help = STORE_HELP)]
pub struct ImportArgs {
    /// STORE then the files to import (or only the files, with --store).
    #[arg(value_name = "STORE FILE", required = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Input format (default: from each file's extension).
    #[arg(long, value_parser = parse_format)]
    pub from: Option<Format>,
    /// Languages of the input where the format needs them (Moses: the files beside it).
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    /// Units read per transaction: a killed import leaves the store at its last batch.
    #[arg(long, default_value_t = store::DEFAULT_BATCH, value_name = "N")]
    pub batch: usize,
    /// The report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// No summary or progress bar on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `tm export`.
#[derive(clap::Args, Debug)]
#[command(after_help = STORE_HELP)]
pub struct ExportArgs {
    /// STORE then the output file (`-` for standard output), or only the output with --store.
    #[arg(value_name = "STORE OUT", required = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Output format (default: from the extension).
    #[arg(long, value_parser = parse_format)]
    pub to: Option<Format>,
    /// Languages to write, source first (default: the most frequent source language, then
    /// every other language of the store).
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    #[command(flatten)]
    pub write: WriteArgs,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `tm stats`.
#[derive(clap::Args, Debug)]
#[command(after_help = STORE_HELP)]
pub struct StatsArgs {
    /// The store (or --store).
    #[arg(value_name = "STORE")]
    pub args: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Integrity check of the whole store as well (reads every unit).
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `tm index`.
#[derive(clap::Args, Debug)]
#[command(after_help = STORE_HELP)]
pub struct IndexArgs {
    /// The store (or --store).
    #[arg(value_name = "STORE")]
    pub args: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Drop the index instead (concordance then loads the store; a SQLite file keeps its
    /// size, later imports reuse the freed pages).
    #[arg(long)]
    pub drop: bool,
    /// No summary or progress bar on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `tm remove`.
#[derive(clap::Args, Debug)]
#[command(after_help = STORE_HELP)]
pub struct RemoveArgs {
    /// The store (or --store).
    #[arg(value_name = "STORE")]
    pub args: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Remove the units that have this property (on the unit or one of its languages),
    /// e.g. `x-client=ACME`.
    #[arg(long, value_name = "TYPE=VALUE", value_parser = parse_prop)]
    pub where_prop: Option<(String, String)>,
    /// Remove the units last created or changed before DATE (2024-01-31 or
    /// 20240131T000000Z, UTC); units without a date are kept.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub older_than: Option<String>,
    /// Count what would be removed, remove nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_prop(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("\"{s}\" is not TYPE=VALUE (e.g. x-client=ACME)")),
    }
}

fn parse_date(s: &str) -> Result<String, String> {
    store::norm_date(s).ok_or_else(|| {
        format!("\"{s}\" is not a date: write 2024-01-31, 2024-01-31T10:00:00Z or 20240131T100000Z")
    })
}

fn one<'a>(rest: &'a [String], what: &str) -> anyhow::Result<&'a str> {
    match rest {
        [x] => Ok(x),
        [] => bail!("{what} missing"),
        _ => bail!("too many arguments: {}", rest.join(" ")),
    }
}

/// Runs `tm import`: 0, or 1 when conflicts were found (all translations kept).
pub fn import(a: &ImportArgs) -> anyhow::Result<u8> {
    let (loc, files) = a.store.split(&a.args, "then the files")?;
    if files.is_empty() {
        bail!("no file to import: give one or more after the store");
    }
    let mut st = a.store.open(loc, Mode::Create)?;
    let opts = ImportOptions {
        from: a.from,
        langs: a.langs.clone(),
        batch: a.batch,
        progress: !a.quiet && !a.json,
        ..Default::default()
    };
    let mut total = ImportReport::default();
    let mut reports = Vec::new();
    for f in files {
        let path = PathBuf::from(f);
        let r = st
            .import(&path, &opts)
            .with_context(|| format!("importing {f}"))?;
        if !a.quiet && !a.json {
            summary(&path, &r);
        }
        total.read += r.read;
        total.new += r.new;
        total.duplicates += r.duplicates;
        total.conflicts += r.conflicts;
        total.skipped += r.skipped;
        reports.push((f.clone(), r));
    }
    if a.json {
        let files: Vec<_> = reports
            .iter()
            .map(|(f, r)| serde_json::json!({"file": f, "report": r}))
            .collect();
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({"files": files, "total": total}),
        )
        .map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else if !a.quiet && files.len() > 1 {
        eprintln!(
            "total: {} units read, {} new, {} duplicates, {} conflicts",
            total.read, total.new, total.duplicates, total.conflicts
        );
    }
    Ok(u8::from(total.conflicts > 0))
}

fn summary(path: &Path, r: &ImportReport) {
    let mut line = format!(
        "{}: {} units read, {} new, {} duplicates, {} conflicts",
        dragoman::error::display_path(path),
        r.read,
        r.new,
        r.duplicates,
        r.conflicts
    );
    if r.conflicts > 0 {
        line.push_str(" (every translation kept)");
    }
    if r.skipped > 0 {
        line.push_str(&format!(
            ", {} left out (no source text or no translation)",
            r.skipped
        ));
    }
    eprintln!("{line}");
    for c in r.examples.iter().take(5) {
        eprintln!(
            "conflict: {} \"{}\" -> {}: stored \"{}\", also \"{}\"",
            c.src_lang,
            crate::cli::out::shorten(&c.source, 60),
            c.lang,
            crate::cli::out::shorten(&c.stored, 60),
            crate::cli::out::shorten(&c.other, 60)
        );
    }
    if r.conflicts > 5 {
        eprintln!("({} more conflicts: see tm stats)", r.conflicts - 5);
    }
}

/// Runs `tm export`: 0 on success.
pub fn export(a: &ExportArgs) -> anyhow::Result<u8> {
    let (loc, rest) = a.store.split(&a.args, "then the output")?;
    let out = PathBuf::from(one(rest, "the output file (after the store)")?);
    let mut st = a.store.open(loc, Mode::Read)?;
    let opts = ConvertOptions {
        to: a.to,
        langs: a.langs.clone(),
        csv: a.write.csv()?,
        complete: a.write.complete,
        ..Default::default()
    };
    let r = st.export(&out, &opts)?;
    super::super::convert::print_report(&r, "units in the store", a.quiet);
    Ok(0)
}

/// Runs `tm stats`: 0 on success.
pub fn stats(a: &StatsArgs) -> anyhow::Result<u8> {
    let (loc, rest) = a.store.split(&a.args, "the store")?;
    if !rest.is_empty() {
        bail!("too many arguments: {}", rest.join(" "));
    }
    let mut st = a.store.open(loc, Mode::Read)?;
    if a.check {
        st.check()?;
    }
    let s = st.stats(20)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &s).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(0);
    }
    writeln!(out, "store        {} ({})", loc_name(loc), s.backend)?;
    writeln!(out, "units        {}", s.units)?;
    writeln!(
        out,
        "imported     {} (duplicates counted once: {})",
        s.uses, s.duplicates
    )?;
    writeln!(
        out,
        "conflicting  {} (same source, other translation; all kept)",
        s.conflicts
    )?;
    writeln!(out, "imports      {}", s.imports)?;
    if let Some(b) = s.bytes {
        writeln!(out, "size         {b} bytes")?;
    }
    if a.check {
        writeln!(out, "integrity    ok")?;
    }
    writeln!(
        out,
        "{:<12} {:>10} {:>10}",
        "language", "segments", "as source"
    )?;
    for (l, n) in &s.langs {
        let src = s
            .source_langs
            .iter()
            .find(|(x, _)| x == l)
            .map_or(0, |x| x.1);
        writeln!(out, "{l:<12} {n:>10} {src:>10}")?;
    }
    for c in s.examples.iter().take(10) {
        writeln!(
            out,
            "conflict: {} \"{}\" -> {}: \"{}\" / \"{}\"",
            c.src_lang,
            crate::cli::out::shorten(&c.source, 60),
            c.lang,
            crate::cli::out::shorten(&c.stored, 60),
            crate::cli::out::shorten(&c.other, 60)
        )?;
    }
    out.flush()?;
    Ok(0)
}

/// The store as shown to the user (a URL without its password).
fn loc_name(loc: &str) -> String {
    if store::is_postgres_url(loc) {
        store::postgres::redact(loc)
    } else {
        loc.to_string()
    }
}

/// Runs `tm remove`: 0 on success.
pub fn remove(a: &RemoveArgs) -> anyhow::Result<u8> {
    let (loc, rest) = a.store.split(&a.args, "the store")?;
    if !rest.is_empty() {
        bail!("too many arguments: {}", rest.join(" "));
    }
    if a.where_prop.is_none() && a.older_than.is_none() {
        bail!("tm remove needs --where-prop TYPE=VALUE or --older-than DATE (both: units matching both)");
    }
    let mut st = a
        .store
        .open(loc, if a.dry_run { Mode::Read } else { Mode::Write })?;
    let filter = RemoveFilter {
        prop: a.where_prop.clone(),
        older_than: a.older_than.clone(),
    };
    let r = st.remove(&filter, a.dry_run)?;
    if !a.quiet {
        eprintln!(
            "{} units {}, {} kept{}",
            r.removed,
            if a.dry_run {
                "would be removed"
            } else {
                "removed"
            },
            r.kept,
            if r.undated > 0 {
                format!(" ({} without a date, kept)", r.undated)
            } else {
                String::new()
            }
        );
    }
    Ok(0)
}

pub fn index(a: &IndexArgs) -> anyhow::Result<u8> {
    let (loc, rest) = a.store.split(&a.args, "the store")?;
    if !rest.is_empty() {
        bail!("too many arguments: {}", rest.join(" "));
    }
    let mut st = a.store.open(loc, Mode::Write)?;
    if a.drop {
        st.drop_concordance()?;
        if !a.quiet {
            eprintln!("{}: concordance index dropped", loc_name(loc));
        }
        return Ok(0);
    }
    let total = st.stats(0)?.units;
    let pb = if a.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(total)
    };
    let clock = std::time::Instant::now();
    let n = st.build_concordance(&|n| pb.set_position(n))?;
    pb.finish_and_clear();
    if !a.quiet {
        eprintln!(
            "{}: concordance index of {n} units built in {:.1} s",
            loc_name(loc),
            clock.elapsed().as_secs_f64()
        );
    }
    Ok(0)
}
