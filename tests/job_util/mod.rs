//! Helpers of the job tests (`job_prepare.rs`, `job_finish.rs`): the small job of
//! `tests/data/jobs/` and a `prepare` of it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::util::{dragoman, ok, root};

/// A file of `tests/data/jobs/`.
pub fn data(name: &str) -> PathBuf {
    root().join("tests/data/jobs").join(name)
}

/// `dragoman prepare FILE --tm tm.ar-en.tmx ARGS -o JOB` (not run).
pub fn prepare_cmd(file: &Path, args: &[&str], job: &Path) -> Command {
    prepare_cmd_with(file, &data("tm.ar-en.tmx"), args, job)
}

/// `dragoman prepare FILE --tm TM ARGS -o JOB` (not run).
pub fn prepare_cmd_with(file: &Path, tm: &Path, args: &[&str], job: &Path) -> Command {
    let mut c = dragoman();
    c.arg("prepare")
        .arg(file)
        .arg("--tm")
        .arg(tm)
        .args(args)
        .arg("-o")
        .arg(job);
    c
}

/// `prepare` of the follow-up job against the small TM into `dir/JOB`, with `extra` options.
pub fn prepare(dir: &Path, extra: &[&str]) -> PathBuf {
    let job = dir.join("JOB");
    let mut args = vec!["-t", "en"];
    args.extend_from_slice(extra);
    ok(prepare_cmd(&data("followup.txt"), &args, &job));
    job
}

/// A file's text.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
