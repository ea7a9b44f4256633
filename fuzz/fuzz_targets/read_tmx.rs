//! The TMX reader on arbitrary bytes: never panics; whatever it accepts, the writer writes
//! and the reader reads back.
#![no_main]
use dragoman::tm::{tmx, Entry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
