//! `dragoman convert` (placeholder until the formats work lands).

/// Arguments of `dragoman convert`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Input files.
    pub inputs: Vec<std::path::PathBuf>,
}

/// Runs the command.
pub fn run(_args: &Args) -> anyhow::Result<u8> {
    anyhow::bail!("convert is not available yet")
}
