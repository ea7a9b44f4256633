//! Readers: round trips through the writers, files from the wild, and hostile input (each a
//! clear error with file, line and column, never a panic).

use std::path::{Path, PathBuf};

use dragoman::tm::{csv, tmx, Entry, Error, Prop, Unit, Variant};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tm")
        .join(name)
}

fn read_tmx(path: &Path) -> Result<(tmx::Header, Vec<Unit>), Error> {
    let (h, e) = read_entries(path)?;
    Ok((h, e.into_iter().map(|e| e.unit).collect()))
}

fn read_entries(path: &Path) -> Result<(tmx::Header, Vec<Entry>), Error> {
    let f = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut r = tmx::Reader::from_reader(f, path)?;
    let mut out = Vec::new();
    while let Some(e) = r.read_entry()? {
        out.push(e);
    }
    Ok((r.header().clone(), out))
}

/// Every hostile file fails with its name, the line and column of the problem, and a reason.
#[test]
fn hostile_tmx_errors_name_file_line_column() {
    let cases: &[(&str, (u64, u64), &str)] = &[
        ("billion-laughs.tmx", (2, 1), "declares entities"),
        ("external-entity.tmx", (2, 1), "declares entities"),
        ("truncated.tmx", (11, 7), "not closed"),
        ("mismatched.tmx", (10, 32), "mismatched"),
        ("illegal-char-ref.tmx", (10, 32), "&#1;"),
        ("unknown-entity.tmx", (7, 32), "unknown entity"),
        ("unknown-lang.tmx", (7, 7), "French"),
        ("not-tmx.tmx", (2, 1), "not a TMX"),
        ("unclosed-header.tmx", (3, 3), "malformed"),
        ("text-in-tuv.tmx", (6, 26), "<seg>"),
        ("foreign-inline.tmx", (7, 33), "<g>"),
        ("raw-control-char.tmx", (7, 33), "U+000B"),
        ("invalid-utf8.tmx", (7, 34), "UTF-8"),
        ("empty.tmx", (1, 1), "before <body>"),
        ("bad-attribute.tmx", (6, 7), "attribute value"),
        ("duplicate-attribute.tmx", (5, 5), "duplicated attribute"),
    ];
    let mut report = String::new();
    for (name, pos, why) in cases {
        let path = data(&format!("hostile/{name}"));
        let e = match read_tmx(&path) {
            Ok(_) => panic!("{name}: accepted"),
            Err(e) => e,
        };
        let msg = e.to_string();
        if e.position() != Some(*pos) || !msg.contains(why) || !msg.contains(name) {
            report.push_str(&format!("{name}: want {pos:?} {why:?}, got {msg}\n"));
        }
    }
    assert!(report.is_empty(), "{report}");
}

#[test]
fn wild_tmx_11_utf16_star_all_inline_codes() {
    let (h, entries) = read_entries(&data("wild-tmx11-utf16.tmx")).unwrap();
    let units: Vec<Unit> = entries.iter().map(|e| e.unit.clone()).collect();
    assert_eq!(h.srclang, "*all*");
    assert_eq!(h.props, [Prop::new("x-h", "header prop")]);
    assert_eq!(h.notes, ["header note"]);
    assert_eq!(units.len(), 2);
    let u = &units[0];
    assert_eq!(u.created.as_deref(), Some("20261124T120000Z"));
    assert_eq!(u.notes, ["a note"]);
    assert_eq!(u.props, [Prop::new("x-document", "doc & co")]);
    let langs: Vec<&str> = u.variants.iter().map(|v| v.lang.as_str()).collect();
    assert_eq!(langs, ["en-US", "ar-SA", "fr-FR"]);
    assert_eq!(u.text("en-US"), Some("Click here & now!"));
    assert_eq!(
        entries[0].extras[0].markup.as_deref(),
        Some(
            r#"Click <bpt i="1" x="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> &amp; <ph x="2">{0}</ph>now<hi type="x">!</hi>"#
        )
    );
    assert_eq!(entries[0].extras[1].props, [Prop::new("x-v", "vp")]);
    assert_eq!(u.text("fr-FR"), Some("Cliquez <ici>"));
}

/// TMX -> TMX keeps inline codes, props and notes byte for byte.
#[test]
fn tmx_round_trip_keeps_markup() {
    let (_, entries) = read_entries(&data("wild-tmx11-utf16.tmx")).unwrap();
    let mut w = tmx::Writer::new(Vec::new(), &tmx::Header::new("en-US")).unwrap();
    w.write_entry(&entries[0]).unwrap();
    let out = w.finish().unwrap();
    let mut r = tmx::Reader::from_reader(&out[..], Path::new("out.tmx")).unwrap();
    let back = r.read_entry().unwrap().unwrap();
    assert_eq!(back, entries[0]);
}

fn arbitrary_units(n: usize) -> Vec<Unit> {
    // Deterministic pseudo-random text with every class of character that needs care.
    let pieces = [
        "سلام", "&", "<", ">", "\"", "'", "]]>", "-5%", "=A1", "@x", "\t", "\n", "\r\n", "é", "😀",
        "\u{200F}", "\u{A0}", " ", ",", "a",
    ];
    let mut seed = 0x2545F4914F6CDD1Du64;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let mut text = |core: &str| {
                let mut s = String::from(core);
                for _ in 0..next(8) {
                    s.push_str(pieces[next(pieces.len())]);
                }
                s.push_str(core);
                s
            };
            Unit {
                id: Some(format!("u{i}")),
                created: Some("20261124T120000Z".into()),
                props: vec![Prop::new("x-score", format!("0.{i}"))],
                notes: vec![],
                variants: vec![
                    Variant::new("ar", text("ن")),
                    Variant::new("en", text("e")),
                    Variant::new("fr", text("f")),
                ],
                ..Default::default()
            }
        })
        .collect()
}

#[test]
fn tmx_round_trip_arbitrary_text() {
    let units = arbitrary_units(3000);
    let mut w = tmx::Writer::new(Vec::new(), &tmx::Header::new("ar")).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    let out = w.finish().unwrap();
    // Several chunks: the body is cut at </tu> boundaries.
    assert!(out.len() > tmx::CHUNK / 4);
    let back: Vec<Unit> = tmx::Reader::from_reader(&out[..], Path::new("x.tmx"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back.len(), units.len());
    for (a, b) in units.iter().zip(&back) {
        for v in &a.variants {
            // The writer trims segments (OmegaT does too); everything else survives.
            assert_eq!(b.text(&v.lang), Some(v.text.trim()), "{a:?}");
        }
        assert_eq!(a.props, b.props);
    }
}

#[test]
fn csv_round_trip_arbitrary_text() {
    let units = arbitrary_units(500);
    let langs = ["ar".to_string(), "en".into(), "fr".into()];
    let mut w = csv::Writer::new(Vec::new(), &langs, csv::Options::default()).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    let out = w.finish().unwrap();
    let back: Vec<Unit> = csv::Reader::from_reader(&out[..], Path::new("x.csv"), b',')
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (a, b) in units.iter().zip(&back) {
        assert_eq!(a.variants, b.variants);
    }
}

#[test]
fn cat_samples_read_as_the_harness_expects() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/cat/samples");
    if !dir.exists() {
        return;
    }
    for (name, ok) in [
        ("ok-ar-en-fr.tmx", true),
        ("ok-doctype.tmx", true),
        ("ok-utf8-bom.tmx", true),
        ("compat-utf16.tmx", true),
        ("bad-entity-bomb.tmx", false),
        ("bad-invalid-char.tmx", false),
    ] {
        let r = read_tmx(&dir.join(name));
        assert_eq!(
            r.is_ok(),
            ok,
            "{name}: {:?}",
            r.err().map(|e| e.to_string())
        );
    }
    let (_, units) = read_tmx(&dir.join("ok-ar-en-fr.tmx")).unwrap();
    assert_eq!(units.len(), 3);
}
