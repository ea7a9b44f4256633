//! convert / merge / stats through the library: the parallel TMX path gives the same bytes as
//! the serial reader + writer, failed conversions leave no output, merge reports conflicts.

use std::path::Path;

use dragoman::tm::{self, csv, tmx, ConvertOptions, Format, MergeOptions, Prop, Unit, Variant};

fn units(n: usize) -> Vec<Unit> {
    (0..n)
        .map(|i| Unit {
            id: Some(format!("t{i}")),
            created: Some("20261124T120000Z".into()),
            props: vec![Prop::new("x-document", "d & <x>")],
            notes: vec![format!("note {i}").into()],
            variants: vec![
                Variant::new("ar", format!("جملة رقم {i} «مع» علامات، و-{i}")),
                Variant::new("en", format!("Sentence {i}, \"quoted\" & <tagged>")),
                Variant::new("fr", format!("=Phrase {i}")),
            ],
            ..Default::default()
        })
        .collect()
}

fn write_tmx(path: &Path, units: &[Unit]) {
    let mut w = tmx::Writer::new(Vec::new(), &tmx::Header::new("ar")).unwrap();
    for u in units {
        w.write_unit(u).unwrap();
    }
    std::fs::write(path, w.finish().unwrap()).unwrap();
}

#[test]
fn parallel_tmx_conversion_equals_serial() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.tmx");
    let all = units(12_000); // several 1 MiB chunks
    write_tmx(&input, &all);
    assert!(std::fs::metadata(&input).unwrap().len() > 3 * tmx::CHUNK as u64);
    let opts = ConvertOptions::default();

    let out = dir.path().join("out.csv");
    let rep = tm::convert(&input, &out, &opts).unwrap();
    assert_eq!((rep.read, rep.written, rep.skipped), (12_000, 12_000, 0));
    let langs: Vec<String> = ["ar", "en", "fr"].iter().map(|s| s.to_string()).collect();
    let mut w = csv::Writer::new(Vec::new(), &langs, csv::Options::default()).unwrap();
    for u in &all {
        w.write_unit(u).unwrap();
    }
    assert!(std::fs::read(&out).unwrap() == w.finish().unwrap());

    let out = dir.path().join("out.tmx");
    tm::convert(&input, &out, &opts).unwrap();
    assert!(std::fs::read(&out).unwrap() == std::fs::read(&input).unwrap());

    // CSV -> TMX (a serial reader feeding the parallel encoders, several batches) gives what
    // the TMX writer gives for the same units.
    let back = dir.path().join("back.tmx");
    tm::convert(&dir.path().join("out.csv"), &back, &opts).unwrap();
    let mut w = tmx::Writer::new(Vec::new(), &tmx::Header::new("ar")).unwrap();
    for u in &all {
        let plain = Unit {
            variants: u.variants.clone(),
            ..Default::default()
        };
        w.write_unit(&plain).unwrap();
    }
    assert!(std::fs::read(&back).unwrap() == w.finish().unwrap());

    // A language pair; the serial path (CSV input) agrees on the content.
    let pair = ConvertOptions {
        langs: vec!["ar".into(), "fr".into()],
        ..Default::default()
    };
    let a = dir.path().join("a.tsv");
    let b = dir.path().join("b.tsv");
    tm::convert(&input, &a, &pair).unwrap();
    tm::convert(&dir.path().join("out.csv"), &b, &pair).unwrap();
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
}

#[test]
fn failed_conversion_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.tmx");
    write_tmx(&input, &units(5000));
    // Corrupt a unit far into the file (after the first chunks were written).
    let mut bytes = std::fs::read(&input).unwrap();
    let at = bytes.len() - 2000;
    bytes[at] = 0x0B;
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "old").unwrap();
    let e = tm::convert(&input, &out, &ConvertOptions::default()).unwrap_err();
    assert!(e.to_string().contains("U+000B"), "{e}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 2, "temporary file left behind");
}

#[test]
fn merge_dedupes_and_reports_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.tmx");
    let b = dir.path().join("b.csv");
    let u = units(3);
    write_tmx(&a, &u);
    let langs: Vec<String> = ["ar", "en", "fr"].iter().map(|s| s.to_string()).collect();
    let mut w = csv::Writer::new(Vec::new(), &langs, csv::Options::default()).unwrap();
    w.write_unit(&u[0]).unwrap(); // duplicate
    let mut c = u[1].clone();
    c.variants[1].text = "Another translation".into(); // conflict
    w.write_unit(&c).unwrap();
    std::fs::write(&b, w.finish().unwrap()).unwrap();
    let out = dir.path().join("m.tmx");
    let r = tm::merge(&[a, b], &out, &MergeOptions::default()).unwrap();
    assert_eq!(
        (r.read, r.written, r.duplicates, r.conflict_count),
        (5, 4, 1, 1)
    );
    assert_eq!(r.conflicts[0].lang, "en");
    assert_eq!(r.conflicts[0].text, "Another translation");
    assert_eq!((r.conflicts[0].at.file, r.conflicts[0].at.unit), (1, 2));
    let s = tm::stats(&out, None).unwrap();
    assert_eq!((s.units, s.conflicting, s.duplicates), (4, 1, 0));
}

#[test]
fn moses_and_xliff_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.tmx");
    write_tmx(&input, &units(50));
    let opts = ConvertOptions::default();
    tm::convert(&input, &dir.path().join("corpus.ar"), &opts).unwrap();
    let back = dir.path().join("back.csv");
    tm::convert(&dir.path().join("corpus.ar"), &back, &opts).unwrap();
    let s = tm::stats(&back, Some(Format::Csv)).unwrap();
    assert_eq!(s.units, 50);
    assert_eq!(s.langs.len(), 3);
    let x = dir.path().join("job.xlf");
    let r = tm::convert(&input, &x, &opts).unwrap();
    assert_eq!(r.written, 50);
    // A dragoman job carries the translations in exact alt-trans: read back with
    // --alt-trans exact (without it they are suggestions, never translations: issue 9, d1).
    let s = tm::stats(&x, None).unwrap();
    assert_eq!((s.units, s.langs.len()), (50, 1));
    let back = dir.path().join("job.csv");
    let o = ConvertOptions {
        xliff_read: tm::xliff::ReadOptions {
            alt_trans: tm::xliff::AltTrans::Exact,
            ..Default::default()
        },
        ..Default::default()
    };
    tm::convert(&x, &back, &o).unwrap();
    let s = tm::stats(&back, None).unwrap();
    assert_eq!((s.units, s.langs.len()), (50, 2));
}
