//! `dragoman tm ...`: a translation-memory store that lasts (import, export, stats, remove) and
//! the searches on a TM (fuzzy lookup, concordance).
//!
//! The work is in `dragoman::tm::store` and `dragoman::tm::fuzzy`; these files parse flags and
//! print.

use clap::Subcommand;

pub mod search;
pub mod store;

use super::out::{use_color, ColorChoice};

/// The `tm` subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Import translation memories (TMX, CSV/TSV, XLIFF, Moses) into a store, counting
    /// duplicates and reporting conflicting translations.
    Import(store::ImportArgs),
    /// Write a store's units in any format `convert` writes.
    Export(store::ExportArgs),
    /// Units, usage, conflicts and languages of a store.
    Stats(store::StatsArgs),
    /// Remove units by property or date.
    Remove(store::RemoveArgs),
    /// Build (or drop) a store's concordance index: `tm concordance` on the store then takes
    /// milliseconds instead of loading it; later imports keep it up to date.
    Index(store::IndexArgs),
    /// Best fuzzy matches of a text (or of each line of a file) in a translation memory.
    #[command(
        after_help = "Match percentage: token edit distance on normalised text, minus \
        small penalties (numbers, punctuation, codes, spacing/letter forms: 1 each); \
        see `cargo doc` dragoman::tm::fuzzy.\nExit codes: 0 ok, 2 error (bad input)."
    )]
    Lookup(search::LookupArgs),
    /// Every unit that contains a phrase (Arabic clitics allowed before each word).
    #[command(after_help = "Exit codes: 0 ok, 2 error (bad input).")]
    Concordance(search::ConcordanceArgs),
}

/// Runs a `tm` subcommand and returns its exit code.
pub fn run(cmd: &Command, color: ColorChoice) -> anyhow::Result<u8> {
    match cmd {
        Command::Import(a) => store::import(a),
        Command::Export(a) => store::export(a),
        Command::Stats(a) => store::stats(a),
        Command::Remove(a) => store::remove(a),
        Command::Index(a) => store::index(a),
        Command::Lookup(a) => search::lookup(a, use_color(color)),
        Command::Concordance(a) => search::concordance(a, use_color(color)),
    }
}
