//! Command-line interface (binary only): argument parsing and output; the work is in the library.
//!
//! Exit codes: 0 success; 1 the command ran and found something a script should notice
//! (`merge` conflicts, `build --strict` links needing review); 2 an error (bad input, missing
//! file, unusable options). A closed output pipe (`dragoman segment x | head`) exits 0.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod align;
pub mod analyze;
pub mod build;
pub mod convert;
pub mod diff;
pub mod finish;
pub mod merge;
pub mod out;
pub mod prepare;
pub mod segment;
pub mod stats;
pub mod tm;

/// Translation-memory and bilingual alignment toolkit.
///
/// Segments documents into sentences (SRX rules), aligns them with their translations, and
/// exports translation memories (TMX 1.4b, CSV) that CAT tools import.
#[derive(Parser, Debug)]
#[command(name = "dragoman", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 ok, 1 findings (merge conflicts, build --strict review, diff differences), 2 error."
)]
pub struct Cli {
    /// When to use colour on standard output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = out::ColorChoice::Auto)]
    pub color: out::ColorChoice,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Split text into sentences, one per line (blank line between paragraphs).
    Segment(segment::Args),
    /// Align a document with its translation: one link per line.
    Align(align::Args),
    /// Run the main job on a project: segment, align, write tmx/.
    Build(build::Args),
    /// Convert a translation memory between formats (TMX, CSV/TSV, XLIFF, Moses).
    Convert(convert::Args),
    /// Merge translation memories, removing duplicates and reporting conflicts.
    Merge(merge::Args),
    /// Count units, languages, words and duplicates in a translation memory.
    Stats(stats::Args),
    /// Translation memories that last and are searched: import, export, stats, remove,
    /// lookup, concordance.
    #[command(subcommand)]
    Tm(tm::Command),
    /// Show what changed between two versions of a translation (exit 1 when they differ).
    Diff(diff::Args),
    /// Analyse a translation job against a TM: segments, words and characters per match
    /// band, repetitions, weighted words.
    Analyze(analyze::Args),
    /// Write pre-translated job packages (XLIFF, review file, OmegaT project) from a TM.
    Prepare(prepare::Args),
    /// Bring a translated job package back: target document, untranslated report, TM.
    Finish(finish::Args),
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color;
    let result = match &cli.command {
        Command::Segment(a) => segment::run(a),
        Command::Align(a) => align::run(a, color),
        Command::Build(a) => build::run(a, color),
        Command::Convert(a) => convert::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Tm(c) => tm::run(c, color),
        Command::Diff(a) => diff::run(a, color),
        Command::Analyze(a) => analyze::run(a, out::use_color(color)),
        Command::Prepare(a) => prepare::run(a),
        Command::Finish(a) => finish::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dragoman: error: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, skipping causes that the message already quotes (our
/// errors embed their I/O cause: `file.txt: No such file or directory`).
fn message(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if msg.is_empty() {
            msg = text;
        } else if !msg.contains(&text) {
            msg = format!("{msg}: {text}");
        }
    }
    msg
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<dragoman::Error>()
                .is_some_and(dragoman::Error::is_broken_pipe)
    })
}
