//! The `dragoman` command: parse arguments, run, map errors to messages and exit codes.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
