//! The TMX reader on arbitrary bytes: never panics; whatever it accepts, the writer writes
//! and the reader reads back.
#![no_main]
use dragoman::tm::{tmx, Entry};
use libfuzzer_sys::fuzz_target;

/// The full and the lean (text-only, used for CSV output) body parsers, and the rows path
/// (scanner + parser fallback), agree on every input.
fn lean_equals_full(data: &[u8]) {
    let chunk = tmx::Chunk {
        bytes: data.to_vec(),
        base: tmx::Base {
            byte: 0,
            line: 1,
            column: 1,
        },
        last: true,
    };
    let (mut full, mut lean) = (Vec::new(), Vec::new());
    let a = tmx::parse_body_chunk(&chunk, "f", &mut full);
    let b = tmx::parse_body_chunk_text(&chunk, "f", &mut lean);
    assert_eq!(a.is_ok(), b.is_ok(), "{a:?} / {b:?}");
    if a.is_ok() {
        assert_eq!(full.len(), lean.len());
        for (x, y) in full.iter().zip(&lean) {
            assert_eq!(x.unit.variants, y.unit.variants);
        }
    }
    // The rows path (CSV output) sees the same units and texts.
    let langs: Vec<String> = ["ar", "en", "fr"].iter().map(|s| s.to_string()).collect();
    let mut rows = Vec::new();
    let c = tmx::parse_body_chunk_rows(&chunk, "f", &langs, &mut |t| {
        rows.push(t.to_vec());
        Ok(())
    });
    assert_eq!(a.is_ok(), c.is_ok(), "{a:?} / {c:?}");
    // The rows path runs the lean scanner first and falls back to the parser: same checks,
    // same errors (message and position) as the lean parser alone.
    assert_eq!(
        b.as_ref().err().map(ToString::to_string),
        c.as_ref().err().map(ToString::to_string)
    );
    if a.is_ok() {
        assert_eq!(rows.len(), full.len());
        for (e, row) in full.iter().zip(&rows) {
            for (l, t) in langs.iter().zip(row) {
                let want = e
                    .unit
                    .variants
                    .iter()
                    .find(|v| v.lang == *l && !v.text.trim().is_empty())
                    .map_or("", |v| v.text.as_str());
                if !t.trim().is_empty() || !want.is_empty() {
                    assert_eq!(t, want);
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    lean_equals_full(data);
    let Ok(mut r) = tmx::Reader::from_reader(data, "fuzz.tmx".as_ref()) else {
        return;
    };
    let mut entries: Vec<Entry> = Vec::new();
    loop {
        match r.read_entry() {
            Ok(Some(e)) => entries.push(e),
            Ok(None) => break,
            Err(_) => return,
        }
    }
    // Round trip: units with exactly two distinct, non-empty languages.
    let Ok(mut w) = tmx::Writer::new(Vec::new(), &tmx::Header::new("ar")) else {
        return;
    };
    let mut n = 0;
    for e in &entries {
        let v = &e.unit.variants;
        if v.len() != 2 || v[0].lang == v[1].lang || v.iter().any(|v| v.text.trim().is_empty()) {
            continue;
        }
        let mut e = e.clone();
        e.unit.variants[0].lang = "ar".into();
        e.unit.variants[1].lang = "en".into();
        if w.write_entry(&e).is_ok() {
            n += 1;
        }
    }
    let out = w.finish().unwrap();
    let back: Vec<_> = tmx::Reader::from_reader(&out[..], "out.tmx".as_ref())
        .expect("own output reads back")
        .collect::<Result<_, _>>()
        .expect("own output reads back");
    assert_eq!(back.len(), n);
});
