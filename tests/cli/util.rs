//! Helpers: run the binary, make throwaway projects from the bundled article.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled article's file name.
pub const ARTICLE: &str = "russian-mediation-armenia-azerbaijan.txt";

/// A `dragoman` command with a clean environment for reproducible output.
pub fn dragoman() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dragoman"));
    c.env_remove("SOURCE_DATE_EPOCH").env_remove("NO_COLOR");
    c
}

/// Runs with `stdin` as standard input.
pub fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dragoman");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs and asserts success; returns stdout as text.
pub fn ok(mut cmd: Command) -> String {
    let out = cmd.output().expect("run dragoman");
    assert!(
        out.status.success(),
        "{cmd:?} failed with {:?}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Runs and asserts exit code 2; returns stderr.
pub fn fails(mut cmd: Command) -> String {
    let out = cmd.output().expect("run dragoman");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{cmd:?}: stderr {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    stderr
}

/// A copy of the bundled project (source, translations, project file) in a temp dir.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("source"), &dir.path().join("source"));
    copy_tree(
        &root().join("translations"),
        &dir.path().join("translations"),
    );
    fs::copy(
        root().join("dragoman.toml"),
        dir.path().join("dragoman.toml"),
    )
    .unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            fs::copy(&p, &dest).unwrap();
        }
    }
}

/// Parses `align` output into (source ids, target ids, score).
pub fn parse_links(tsv: &str) -> Vec<(Vec<usize>, Vec<usize>, f64)> {
    tsv.lines()
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert!(cols.len() >= 3, "bad link line {line:?}");
            let ids = |s: &str| -> Vec<usize> {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(|x| x.parse().unwrap())
                    .collect()
            };
            (ids(cols[0]), ids(cols[1]), cols[2].parse().unwrap())
        })
        .collect()
}

/// Asserts that links cover 0..n_src and 0..n_tgt exactly once, in order.
pub fn assert_covers(links: &[(Vec<usize>, Vec<usize>, f64)], n_src: usize, n_tgt: usize) {
    let src: Vec<usize> = links.iter().flat_map(|l| l.0.clone()).collect();
    let tgt: Vec<usize> = links.iter().flat_map(|l| l.1.clone()).collect();
    assert_eq!(src, (0..n_src).collect::<Vec<_>>(), "source coverage");
    assert_eq!(tgt, (0..n_tgt).collect::<Vec<_>>(), "target coverage");
    for l in links {
        assert!(!(l.0.is_empty() && l.1.is_empty()), "empty link");
        assert!((0.0..=1.0).contains(&l.2), "score {} out of [0,1]", l.2);
    }
}
