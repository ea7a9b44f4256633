//! The CSV reader on arbitrary bytes: never panics; accepted rows survive a write/read trip.
#![no_main]
use dragoman::tm::csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(r) = csv::Reader::from_reader(data, "fuzz.csv".as_ref(), b',') else {
        return;
    };
    let langs = r.langs().to_vec();
    let Ok(units) = r.collect::<Result<Vec<_>, _>>() else {
        return;
    };
    let mut w = csv::Writer::new(Vec::new(), &langs, csv::Options::default()).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    let out = w.finish().unwrap();
    let back: Vec<_> = csv::Reader::from_reader(&out[..], "out.csv".as_ref(), b',')
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back.len(), units.len());
    for (a, b) in units.iter().zip(&back) {
        assert_eq!(a.variants, b.variants);
    }
});
