//! The SRX loader never panics: any bytes either compile into rules (which then segment a
//! fixed text without panicking) or give an error.
#![no_main]
use std::path::Path;

use dragoman::segment::Segmenter;
use dragoman::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    let lang = Lang::parse("ar").unwrap();
    if let Ok(seg) = Segmenter::from_srx(xml, Path::new("fuzz.srx"), &lang) {
        let text = "قال د. أحمد: \"نعم!\" ثم ذهب. Mr. Smith left. 6.5% ... end";
        for r in seg.split(text) {
            assert!(text.is_char_boundary(r.start) && r.start < r.end);
        }
    }
});
