//! The XLIFF reader on arbitrary bytes: never panics.
#![no_main]
use dragoman::tm::xliff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = xliff::Reader::from_reader(data, "fuzz.xlf".as_ref()) {
        for u in r {
            let _ = u;
        }
    }
});
