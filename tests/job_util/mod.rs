//! Helpers of the job tests (`job_prepare.rs`, `job_finish.rs`): the small job of
//! `tests/data/jobs/` and a `prepare` of it.

use std::path::{Path, PathBuf};

use super::util::{dragoman, ok, root};

/// A file of `tests/data/jobs/`.
pub fn data(name: &str) -> PathBuf {
    root().join("tests/data/jobs").join(name)
}

/// `prepare` of the follow-up job against the small TM into `dir/JOB`, with `extra` options.
pub fn prepare(dir: &Path, extra: &[&str]) -> PathBuf {
    let job = dir.join("JOB");
    let mut c = dragoman();
    c.arg("prepare")
        .arg(data("followup.txt"))
        .arg("--tm")
        .arg(data("tm.ar-en.tmx"))
        .args(["-t", "en", "-o"])
        .arg(&job)
        .args(extra);
    ok(c);
    job
}

/// A file's text.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
