//! The conformance corpus: one small file per construct of TMX 1.4b, XLIFF 1.2 and XLIFF 2.x
//! (inline codes, `<sub>`, `<ude>`, notes and props with `xml:lang`, CRLF, UTF-16,
//! windows-1252, `*all*`, per-unit `srclang`, mixed language sets, alt-trans, seg-source,
//! `xml:space`, groups, namespaces), written by hand from the specifications, each with the units
//! it must give in `NAME.expected.tsv` beside it.
//!
//! Every field a reader yields is one row `unit<TAB>field<TAB>lang<TAB>value` (unit 0 is the
//! file header), so a lost note, a swapped language or a flattened code shows as a one-line
//! diff. `value` escapes `\`, tab, LF and CR as `\\`, `\t`, `\n`, `\r`.
//!
//! `scripts/conformance-ttk.py` reads the same files with translate-toolkit in CI's CAT step
//! and checks that it finds the same units and texts where it can read them.
//!
//! After a deliberate change of what a reader yields, `DRAGOMAN_BLESS=1 cargo test --test
//! tm_conformance` rewrites the expected files; review their diff like code.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use dragoman::tm::{self, codes, Entry, Format, Note, Prop};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tm/conformance")
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\t' => o.push_str("\\t"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            c => o.push(c),
        }
    }
    o
}

fn row(out: &mut String, unit: usize, field: &str, lang: &str, value: &str) {
    writeln!(out, "{unit}\t{field}\t{lang}\t{}", esc(value)).unwrap();
}

fn notes_props(out: &mut String, unit: usize, owner: &str, notes: &[Note], props: &[Prop]) {
    for n in notes {
        let lang = n.lang.as_deref().unwrap_or("");
        row(out, unit, &format!("{owner}note"), lang, &n.text);
    }
    for p in props {
        let lang = p.lang.as_deref().unwrap_or("");
        row(
            out,
            unit,
            &format!("{owner}prop:{}", p.kind),
            lang,
            &p.value,
        );
    }
}

fn render_entry(out: &mut String, k: usize, e: &Entry) {
    let u = &e.unit;
    if let Some(id) = &u.id {
        row(out, k, "id", "", id);
    }
    if let Some(d) = &u.created {
        row(out, k, "created", "", d);
    }
    for (n, v) in &u.attrs {
        row(out, k, &format!("attr:{n}"), "", v);
    }
    notes_props(out, k, "", &u.notes, &u.props);
    for (i, v) in u.variants.iter().enumerate() {
        row(out, k, "text", &v.lang, &v.text);
        if let Some(ex) = e.extras.get(i) {
            if let Some(m) = &ex.markup {
                row(out, k, "codes", &v.lang, m);
                row(
                    out,
                    k,
                    "native",
                    &v.lang,
                    &codes::render(m, codes::Codes::Native)
                        .unwrap_or_else(|e| format!("ERROR: {e}")),
                );
            }
            for (n, val) in &ex.attrs {
                row(out, k, &format!("tuv-attr:{n}"), &v.lang, val);
            }
            notes_props(out, k, "tuv-", &ex.notes, &ex.props);
        }
    }
}

/// Everything the readers yield for `path`, as rows.
fn render(path: &Path) -> String {
    let mut out = String::from("# unit\tfield\tlang\tvalue\n");
    let format = Format::from_path(path).expect("corpus file with a known extension");
    let input = Box::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    let mut k = 0;
    let result = if format == Format::Tmx {
        tm::tmx::Reader::from_reader(input, path).and_then(|mut r| {
            let h = r.header().clone();
            row(&mut out, 0, "srclang", "", &h.srclang);
            for (n, v) in &h.attrs {
                row(&mut out, 0, &format!("attr:{n}"), "", v);
            }
            notes_props(&mut out, 0, "", &h.notes, &h.props);
            for u in &h.udes {
                row(&mut out, 0, "ude", "", u);
            }
            while let Some(e) = r.read_entry()? {
                k += 1;
                render_entry(&mut out, k, &e);
            }
            Ok(())
        })
    } else {
        tm::open_reader(format, input, path, &[]).and_then(|mut r| {
            row(&mut out, 0, "langs", "", &r.langs().join(","));
            while let Some(e) = r.read_entry()? {
                k += 1;
                render_entry(&mut out, k, &e);
            }
            Ok(())
        })
    };
    if let Err(e) = result {
        // An error is an outcome too (e.g. a file that must be refused); keep its message
        // without the absolute path.
        let msg = e
            .to_string()
            .replace(&format!("{}", corpus().display()), "");
        row(&mut out, k + 1, "error", "", &msg);
    }
    out
}

#[test]
fn conformance_corpus_gives_the_expected_units() {
    let bless = std::env::var_os("DRAGOMAN_BLESS").is_some();
    let mut files: Vec<PathBuf> = fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.tsv"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 25,
        "the corpus shrank: {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let got = render(f);
        let want_path = f.with_extension(format!(
            "{}.expected.tsv",
            f.extension().unwrap().to_string_lossy()
        ));
        if bless {
            fs::write(&want_path, &got).unwrap();
            continue;
        }
        let want = fs::read_to_string(&want_path)
            .unwrap_or_else(|_| panic!("{} has no expected file", f.display()));
        if got != want {
            let diff = similar::TextDiff::from_lines(&want, &got)
                .unified_diff()
                .header("expected", "got")
                .to_string();
            failures.push(format!("{}:\n{diff}", f.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_expected_file_has_its_corpus_file() {
    for e in fs::read_dir(corpus()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".expected.tsv") {
            assert!(corpus().join(stem).exists(), "{name} without {stem}");
        }
    }
}
