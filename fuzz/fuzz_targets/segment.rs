//! Segmentation is lossless for any input: the first byte picks the language, the rest (as
//! UTF-8, lossily) is a paragraph; segments must be non-empty, ordered, on char boundaries,
//! trimmed, and gaps between them white space only.
#![no_main]
use dragoman::segment::Segmenter;
use dragoman::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let lang = ["ar", "en", "fr", "de"][sel as usize % 4];
    let seg = Segmenter::for_lang(&Lang::parse(lang).unwrap());
    let text = String::from_utf8_lossy(rest);
    let mut prev = 0;
    for r in seg.split(&text) {
        assert!(r.start >= prev && r.start < r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        assert!(text[prev..r.start].trim().is_empty());
        let s = &text[r.clone()];
        assert_eq!(s, s.trim());
        prev = r.end;
    }
    assert!(text[prev..].trim().is_empty());
});
