//! Property tests of the conversions a TM goes through: TMX -> TMX, TMX -> XLIFF -> TMX and
//! TMX -> CSV -> TMX (with `--columns`) keep every unit, language, inline code, prop and note
//! that the target format can express (docs/formats.md says which those are).
//!
//! Each case writes an arbitrary TMX, reads it back as the reference (so the test does not
//! re-implement what the reader computes), converts it with the library's `convert`, and
//! compares what the reader gives of the result with the reference.

use std::path::Path;

use dragoman::tm::{
    self, codes, csv, tmx, xliff, ConvertOptions, Entry, Note, Prop, Unit, Variant, VariantExtra,
};
use proptest::prelude::*;

/// A word: Latin, Arabic, a number, or text that needs escaping.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}",
        "[ا-ي]{2,7}",
        "[0-9]{1,4}",
        Just("R&D".to_string()),
        Just("a<b".to_string()),
        Just("\"q\"".to_string()),
        Just("l'été".to_string()),
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One piece of a segment: a word, or a word with an inline code around or after it.
#[derive(Debug, Clone)]
enum Piece {
    Word(String),
    Ph(String, String),
    Pair(String),
    Hi(String),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => word().prop_map(Piece::Word),
        1 => (word(), prop_oneof![Just("%s"), Just("<br/>"), Just("{0}")])
            .prop_map(|(w, n)| Piece::Ph(w, n.to_string())),
        1 => word().prop_map(Piece::Pair),
        1 => word().prop_map(Piece::Hi),
    ]
}

/// A segment as (plain text, TMX markup if it has codes).
fn segment() -> impl Strategy<Value = (String, Option<String>)> {
    prop::collection::vec(piece(), 1..6).prop_map(|pieces| {
        let (mut text, mut markup, mut codes) = (Vec::new(), Vec::new(), 0);
        for p in &pieces {
            match p {
                Piece::Word(w) => {
                    text.push(w.clone());
                    markup.push(esc(w));
                }
                Piece::Ph(w, native) => {
                    codes += 1;
                    text.push(w.clone());
                    markup.push(format!("{}<ph x=\"{codes}\">{}</ph>", esc(w), esc(native)));
                }
                Piece::Pair(w) => {
                    codes += 1;
                    text.push(w.clone());
                    markup.push(format!(
                        "<bpt i=\"{codes}\" x=\"{codes}\">&lt;b&gt;</bpt>{}<ept i=\"{codes}\">&lt;/b&gt;</ept>",
                        esc(w)
                    ));
                }
                Piece::Hi(w) => {
                    codes += 1;
                    text.push(w.clone());
                    markup.push(format!("<hi type=\"x-term\">{}</hi>", esc(w)));
                }
            }
        }
        (text.join(" "), (codes > 0).then(|| markup.join(" ")))
    })
}

fn note() -> impl Strategy<Value = Note> {
    (
        "[a-zA-Z ]{1,20}",
        prop::option::of(prop_oneof![Just("en"), Just("fr")]),
    )
        .prop_map(|(t, l)| Note {
            text: t.trim().to_string() + ".",
            lang: l.map(str::to_string),
        })
}

fn prop_() -> impl Strategy<Value = Prop> {
    (
        prop_oneof![Just("x-a"), Just("x-domain")],
        "[a-z0-9 ]{1,12}",
        prop::option::of(Just("en")),
    )
        .prop_map(|(k, v, l)| Prop {
            kind: k.to_string(),
            value: v,
            lang: l.map(str::to_string),
        })
}

fn entry(langs: &'static [&'static str]) -> impl Strategy<Value = Entry> {
    (
        prop::option::of("[0-9]{8}T[0-9]{6}Z".prop_filter("a date", |d| &d[4..6] <= "12")),
        prop::collection::vec(prop_(), 0..3),
        prop::collection::vec(note(), 0..3),
        prop::option::of(0u32..100),
        prop::collection::vec(
            (segment(), prop::collection::vec(prop_(), 0..2)),
            langs.len(),
        ),
    )
        .prop_map(move |(created, props, notes, usage, segs)| {
            let mut e = Entry {
                unit: Unit {
                    created: created.map(|d| format!("2024{}", &d[4..])),
                    props,
                    notes,
                    attrs: usage
                        .map(|u| vec![("usagecount".to_string(), u.to_string())])
                        .unwrap_or_default(),
                    ..Default::default()
                },
                extras: Vec::new(),
            };
            for (l, ((text, markup), vprops)) in langs.iter().zip(segs) {
                e.unit.variants.push(Variant::new(*l, text));
                e.extras.push(VariantExtra {
                    markup,
                    props: vprops,
                    ..Default::default()
                });
            }
            e
        })
}

fn write_tmx(path: &Path, entries: &[Entry]) {
    let f = std::fs::File::create(path).unwrap();
    let mut w = tmx::Writer::new(std::io::BufWriter::new(f), &tmx::Header::new("ar")).unwrap();
    for (i, e) in entries.iter().enumerate() {
        let mut e = e.clone();
        e.unit.id = Some(format!("u{i}"));
        w.write_entry(&e).unwrap();
    }
    use std::io::Write;
    w.finish().unwrap().flush().unwrap();
}

fn read_tmx(path: &Path) -> Vec<Entry> {
    let input = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut r = tmx::Reader::from_reader(input, path).unwrap();
    let mut out = Vec::new();
    while let Some(e) = r.read_entry().unwrap() {
        out.push(e);
    }
    out
}

fn convert(from: &Path, to: &Path, opts: ConvertOptions) {
    tm::convert(from, to, &opts)
        .unwrap_or_else(|e| panic!("{} -> {}: {e}", from.display(), to.display()));
}

/// The markup of variant `i`, if any.
fn markup(e: &Entry, i: usize) -> Option<&str> {
    e.extras.get(i).and_then(|x| x.markup.as_deref())
}

/// The inline elements of a markup, in order (what a round trip must keep of the codes when
/// it may renumber them).
fn code_names(m: Option<&str>) -> Vec<String> {
    let Some(m) = m else { return Vec::new() };
    let mut out = Vec::new();
    let mut rest = m;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

fn native(e: &Entry, i: usize) -> String {
    match markup(e, i) {
        Some(m) => codes::render(m, codes::Codes::Native).unwrap(),
        None => e.unit.variants[i].text.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// TMX -> TMX keeps everything: units, languages, ids, dates, attributes, props and notes
    /// with their languages, inline codes byte for byte.
    #[test]
    fn tmx_to_tmx_keeps_everything(entries in prop::collection::vec(entry(&["ar", "en", "fr"]), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.tmx"), dir.path().join("b.tmx"));
        write_tmx(&a, &entries);
        let want = read_tmx(&a);
        prop_assert_eq!(want.len(), entries.len());
        convert(&a, &b, ConvertOptions::default());
        prop_assert_eq!(read_tmx(&b), want);
    }

    /// TMX -> XLIFF -> TMX keeps what XLIFF 1.2 can carry: units, ids, both languages' texts,
    /// inline codes (same elements in the same order, same native text) and unit notes.
    #[test]
    fn tmx_to_xliff_to_tmx_keeps_texts_codes_and_notes(entries in prop::collection::vec(entry(&["ar", "en"]), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let (a, x, b) = (dir.path().join("a.tmx"), dir.path().join("a.xlf"), dir.path().join("b.tmx"));
        write_tmx(&a, &entries);
        let want = read_tmx(&a);
        convert(&a, &x, ConvertOptions::default());
        // dragoman's XLIFF job carries the translation as an exact alt-trans (OmegaT needs the
        // source copy in <target>): read it back as such.
        let read_back = ConvertOptions {
            xliff_read: xliff::ReadOptions { alt_trans: xliff::AltTrans::Exact, ..Default::default() },
            ..Default::default()
        };
        convert(&x, &b, read_back);
        let got = read_tmx(&b);
        prop_assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            prop_assert_eq!(&g.unit.id, &w.unit.id);
            prop_assert_eq!(g.unit.variants.len(), 2);
            for i in 0..2 {
                prop_assert_eq!(&g.unit.variants[i].lang, &w.unit.variants[i].lang);
                prop_assert_eq!(&g.unit.variants[i].text, &w.unit.variants[i].text);
                prop_assert_eq!(native(g, i), native(w, i));
                prop_assert_eq!(code_names(markup(g, i)), code_names(markup(w, i)));
            }
            let notes = |e: &Entry| e.unit.notes.iter().map(|n| n.text.clone()).collect::<Vec<_>>();
            prop_assert_eq!(notes(g), notes(w));
        }
    }

    /// TMX -> CSV -> TMX with `--columns tuid,note,created,prop:x-a` keeps units, languages,
    /// ids, dates, unit notes, the chosen props, and the text with the codes' native text
    /// (CSV holds plain text: the codes themselves cannot come back).
    #[test]
    fn tmx_to_csv_to_tmx_keeps_ids_notes_and_native_text(entries in prop::collection::vec(entry(&["ar", "en", "fr"]), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let (a, c, b) = (dir.path().join("a.tmx"), dir.path().join("a.csv"), dir.path().join("b.tmx"));
        write_tmx(&a, &entries);
        let want = read_tmx(&a);
        let columns = ["tuid", "note", "created", "prop:x-a"]
            .iter()
            .map(|c| csv::Column::parse(c).unwrap())
            .collect();
        convert(&a, &c, ConvertOptions {
            csv: csv::Options { columns, ..Default::default() },
            ..Default::default()
        });
        convert(&c, &b, ConvertOptions::default());
        let got = read_tmx(&b);
        prop_assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            prop_assert_eq!(&g.unit.id, &w.unit.id);
            prop_assert_eq!(&g.unit.created, &w.unit.created);
            let notes = |e: &Entry| e.unit.notes.iter().map(|n| n.text.clone()).collect::<Vec<_>>();
            prop_assert_eq!(notes(g), notes(w));
            let props = |e: &Entry| e.unit.props.iter().filter(|p| p.kind == "x-a").map(|p| p.value.clone()).collect::<Vec<_>>();
            prop_assert_eq!(props(g), props(w));
            prop_assert_eq!(g.unit.variants.len(), 3);
            for i in 0..3 {
                prop_assert_eq!(&g.unit.variants[i].lang, &w.unit.variants[i].lang);
                prop_assert_eq!(&g.unit.variants[i].text, &native(w, i));
            }
        }
    }
}
