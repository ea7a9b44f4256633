//! `dragoman tm ...`: a translation-memory store that lasts (import, export, stats, remove).
//!
//! The work is in `dragoman::tm::store`; these files parse flags and print.

use clap::Subcommand;

pub mod store;

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
}

/// Runs a `tm` subcommand and returns its exit code.
pub fn run(cmd: &Command) -> anyhow::Result<u8> {
    match cmd {
        Command::Import(a) => store::import(a),
        Command::Export(a) => store::export(a),
        Command::Stats(a) => store::stats(a),
        Command::Remove(a) => store::remove(a),
    }
}
