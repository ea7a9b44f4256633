//! The stored form of an [`Entry`]: a compact, versioned binary record (varint lengths and
//! UTF-8 strings), and the stable hashes the store indexes.
//!
//! Why not JSON: field names would be repeated in every one of millions of rows, and the store
//! must stay within twice the TM's text. Why a hand-written hash: the hashes are written to
//! disk, so they must not change with the Rust version (std's `DefaultHasher` may).
//!
//! The source variant's text is not in the record: it is the row's `source` column, which
//! [`decode`] puts back, so the text is stored once.

use crate::tm::{Attrs, Entry, Note, Prop, Unit, Variant, VariantExtra};

/// Version of the record layout, its first byte.
const RECORD_V1: u8 = 1;

/// A record that cannot be decoded (a damaged row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Corrupt;

fn put_len(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// `None` as 0, `Some(s)` as its length + 1.
fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            put_len(out, s.len() as u64 + 1);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn put_props(out: &mut Vec<u8>, props: &[Prop]) {
    put_len(out, props.len() as u64);
    for p in props {
        put_str(out, &p.kind);
        put_str(out, &p.value);
        put_opt(out, p.lang.as_deref());
    }
}

fn put_notes(out: &mut Vec<u8>, notes: &[Note]) {
    put_len(out, notes.len() as u64);
    for n in notes {
        put_str(out, &n.text);
        put_opt(out, n.lang.as_deref());
    }
}

fn put_attrs(out: &mut Vec<u8>, attrs: &Attrs) {
    put_len(out, attrs.len() as u64);
    for (k, v) in attrs {
        put_str(out, k);
        put_str(out, v);
    }
}

/// Encodes `e` into `out` (cleared first), leaving out the text of the first variant.
pub(crate) fn encode(e: &Entry, out: &mut Vec<u8>) {
    out.clear();
    out.push(RECORD_V1);
    let u = &e.unit;
    put_opt(out, u.id.as_deref());
    put_opt(out, u.created.as_deref());
    put_attrs(out, &u.attrs);
    put_props(out, &u.props);
    put_notes(out, &u.notes);
    put_len(out, u.variants.len() as u64);
    let none = VariantExtra::default();
    for (i, v) in u.variants.iter().enumerate() {
        put_str(out, &v.lang);
        put_str(out, if i == 0 { "" } else { &v.text });
        let ex = e.extras.get(i).unwrap_or(&none);
        put_opt(out, ex.markup.as_deref());
        put_props(out, &ex.props);
        put_notes(out, &ex.notes);
        put_attrs(out, &ex.attrs);
    }
}

struct Cursor<'a> {
    b: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn len(&mut self) -> Result<u64, Corrupt> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.b.split_first().ok_or(Corrupt)?;
            self.b = rest;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(Corrupt)
    }

    fn bytes(&mut self, n: u64) -> Result<&'a str, Corrupt> {
        let n = usize::try_from(n).map_err(|_| Corrupt)?;
        if n > self.b.len() {
            return Err(Corrupt);
        }
        let (s, rest) = self.b.split_at(n);
        self.b = rest;
        std::str::from_utf8(s).map_err(|_| Corrupt)
    }

    fn str(&mut self) -> Result<String, Corrupt> {
        let n = self.len()?;
        Ok(self.bytes(n)?.to_string())
    }

    fn opt(&mut self) -> Result<Option<String>, Corrupt> {
        match self.len()? {
            0 => Ok(None),
            n => Ok(Some(self.bytes(n - 1)?.to_string())),
        }
    }

    /// A count of items, each at least one byte long: bounded by what is left, so a damaged
    /// count cannot make us allocate gigabytes.
    fn count(&mut self) -> Result<usize, Corrupt> {
        let n = self.len()?;
        if n > self.b.len() as u64 {
            return Err(Corrupt);
        }
        Ok(n as usize)
    }

    fn props(&mut self) -> Result<Vec<Prop>, Corrupt> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(Prop {
                kind: self.str()?,
                value: self.str()?,
                lang: self.opt()?,
            });
        }
        Ok(v)
    }

    fn notes(&mut self) -> Result<Vec<Note>, Corrupt> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(Note {
                text: self.str()?,
                lang: self.opt()?,
            });
        }
        Ok(v)
    }

    fn attrs(&mut self) -> Result<Attrs, Corrupt> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push((self.str()?, self.str()?));
        }
        Ok(v)
    }
}

/// Decodes a record written by [`encode`], with `source` as the first variant's text.
pub(crate) fn decode(b: &[u8], source: &str) -> Result<Entry, Corrupt> {
    let (&version, rest) = b.split_first().ok_or(Corrupt)?;
    if version != RECORD_V1 {
        return Err(Corrupt);
    }
    let mut c = Cursor { b: rest };
    let id = c.opt()?;
    let created = c.opt()?;
    let attrs = c.attrs()?;
    let props = c.props()?;
    let notes = c.notes()?;
    let n = c.count()?;
    let mut variants = Vec::with_capacity(n);
    let mut extras = Vec::with_capacity(n);
    for i in 0..n {
        let lang = c.str()?;
        let mut text = c.str()?;
        if i == 0 {
            text = source.to_string();
        }
        variants.push(Variant { lang, text });
        extras.push(VariantExtra {
            markup: c.opt()?,
            props: c.props()?,
            notes: c.notes()?,
            attrs: c.attrs()?,
        });
    }
    if !c.b.is_empty() {
        return Err(Corrupt);
    }
    if extras.iter().all(VariantExtra::is_empty) {
        extras.clear();
    }
    Ok(Entry {
        unit: Unit {
            id,
            created,
            props,
            notes,
            variants,
            attrs,
        },
        extras,
    })
}

/// FNV-1a, 64 bits: stable across builds and platforms, as on-disk hashes must be.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// Adds `s` and a separator byte (0xFF never occurs in UTF-8), so that ("ab", "c") and
    /// ("a", "bc") differ.
    pub(crate) fn str(mut self, s: &str) -> Fnv {
        for &b in s.as_bytes().iter().chain(&[0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// The hash as the signed 64-bit integer both SQLite and PostgreSQL store.
    pub(crate) fn get(self) -> i64 {
        self.0 as i64
    }
}

/// The key of a source segment: language and plain text (what an exact lookup asks for).
pub(crate) fn source_hash(src_lang: &str, source: &str) -> i64 {
    Fnv::new().str(src_lang).str(source).get()
}

/// The identity of a unit for duplicate counting: every variant's language, text and inline
/// codes, source first, the targets in language order (so that the order of `<tuv>`s does not
/// matter). Ids, dates, props and notes are not part of it: the same translation met twice is
/// one unit used twice.
pub(crate) fn unit_hash(e: &Entry) -> i64 {
    let vs = &e.unit.variants;
    let mut order: Vec<usize> = (1..vs.len()).collect();
    order.sort_by(|&a, &b| vs[a].lang.cmp(&vs[b].lang));
    let mut h = Fnv::new();
    for i in std::iter::once(0).chain(order) {
        let markup = e.extras.get(i).and_then(|x| x.markup.as_deref());
        h = h
            .str(&vs[i].lang)
            .str(&vs[i].text)
            .str(markup.unwrap_or(""));
    }
    h.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry {
            unit: Unit {
                id: Some("t1".into()),
                created: Some("20240101T000000Z".into()),
                props: vec![Prop {
                    kind: "x-domain".into(),
                    value: " ".into(),
                    lang: Some("en".into()),
                }],
                notes: vec![Note::new("n")],
                variants: vec![
                    Variant::new("en", "The big cat"),
                    Variant::new("fr", "Le chat"),
                ],
                attrs: vec![("changeid".into(), "bob".into())],
            },
            extras: vec![
                VariantExtra {
                    markup: Some(
                        "The <bpt i=\"1\">&lt;b&gt;</bpt>big<ept i=\"1\">&lt;/b&gt;</ept> cat"
                            .into(),
                    ),
                    ..Default::default()
                },
                VariantExtra {
                    notes: vec![Note {
                        text: "fr note".into(),
                        lang: Some("fr".into()),
                    }],
                    attrs: vec![("usagecount".into(), "3".into())],
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn records_round_trip_and_hold_the_source_once() {
        let e = sample();
        let mut b = Vec::new();
        encode(&e, &mut b);
        assert!(!String::from_utf8_lossy(&b).contains("The big cat"));
        assert_eq!(decode(&b, "The big cat").unwrap(), e);
        let plain = Entry::from(Unit {
            variants: vec![Variant::new("en", "a"), Variant::new("fr", "b")],
            ..Default::default()
        });
        encode(&plain, &mut b);
        assert_eq!(decode(&b, "a").unwrap(), plain);
    }

    #[test]
    fn damaged_records_are_errors_not_panics() {
        let mut b = Vec::new();
        encode(&sample(), &mut b);
        for n in 0..b.len() {
            assert_eq!(decode(&b[..n], "x"), Err(Corrupt), "cut at {n}");
        }
        let mut huge = vec![RECORD_V1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f];
        assert_eq!(decode(&huge, "x"), Err(Corrupt));
        huge[0] = 9;
        assert_eq!(decode(&huge, "x"), Err(Corrupt));
    }

    #[test]
    fn codes_are_part_of_a_units_identity_and_tuv_order_is_not() {
        let e = sample();
        let mut plain = e.clone();
        plain.extras.clear();
        assert_ne!(unit_hash(&e), unit_hash(&plain));
        let mut three = plain.clone();
        three.unit.variants.push(Variant::new("de", "Die Katze"));
        let mut swapped = three.clone();
        swapped.unit.variants.swap(1, 2);
        assert_eq!(unit_hash(&three), unit_hash(&swapped));
        // Stable on disk: a fixed value, whatever the build.
        assert_eq!(source_hash("en", "a"), Fnv::new().str("en").str("a").get());
        assert_eq!(Fnv::new().get(), 0xcbf2_9ce4_8422_2325_u64 as i64);
        assert_ne!(
            Fnv::new().str("ab").str("c").get(),
            Fnv::new().str("a").str("bc").get()
        );
    }
}
