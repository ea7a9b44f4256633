//! The lean `<tu>` scanner of the rows path (TMX -> CSV/TSV): `memchr` jumps from markup to
//! markup over the shape nearly every TMX has (`<tu>` of `<prop>`, `<note>` and `<tuv>`, each
//! `<tuv>` with one `<seg>` of text and inline codes), with no XML event machinery. It is
//! about twice as fast as the quick-xml parser it stands in front of.
//!
//! It accepts a strict subset of what the full parser ([`super`]) accepts, and gives
//! the same rows for it. Anything else (comments, CDATA, `<seg/>`, spaces around `=`, an
//! entity in `xml:lang`, any error at all) makes it give up on that unit, untouched, and the
//! full parser reads the unit instead: errors and their positions always come from the full
//! parser. `tests::scanner_agrees_with_parser` checks both on generated and mutated units.

use super::super::super::codes::Render;
use super::super::super::xml::check_escapes;
use super::super::INLINE;
use super::Rows;

/// Skips XML white space (the characters quick-xml's `is_ascii_whitespace` check also takes,
/// minus form feed, which the chunk check refuses anyway).
fn ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.' | b'-')
}

/// The element name starting at `i` and the index after it, if it ends where a tag may go on.
fn name(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let mut j = i;
    while j < b.len() && is_name_byte(b[j]) {
        j += 1;
    }
    let next = *b.get(j)?;
    (j > i && matches!(next, b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')).then(|| (&b[i..j], j))
}

/// The attributes of a start tag from just after its name: calls `each(key, raw value)` and
/// returns the index after the tag and whether it was empty (`/>`). Gives up (`None`) on
/// anything but `name="value"` / `name='value'` separated by white space, on a duplicated name,
/// on `<` or `>` in a value, and on a value whose references would not decode.
fn attrs<'t>(
    t: &'t str,
    mut i: usize,
    each: &mut dyn FnMut(&'t [u8], &'t str),
) -> Option<(usize, bool)> {
    let b = t.as_bytes();
    let mut keys: [&[u8]; 8] = [&[]; 8];
    let mut n = 0;
    loop {
        let j = ws(b, i);
        match *b.get(j)? {
            b'>' => return Some((j + 1, false)),
            b'/' => return (b.get(j + 1) == Some(&b'>')).then_some((j + 2, true)),
            _ if j == i => return None,
            _ => {}
        }
        let mut k = j;
        while k < b.len() && is_name_byte(b[k]) {
            k += 1;
        }
        let key = &b[j..k];
        if k == j || b.get(k) != Some(&b'=') || n == keys.len() || keys[..n].contains(&key) {
            return None;
        }
        keys[n] = key;
        n += 1;
        let q = *b.get(k + 1)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let start = k + 2;
        let end = start + memchr::memchr(q, &b[start..])?;
        let v = t.get(start..end)?;
        if memchr::memchr2(b'<', b'>', v.as_bytes()).is_some() || check_escapes(v).is_err() {
            return None;
        }
        each(key, v);
        i = end + 1;
    }
}

/// The text of a `<prop>` or `<note>` whose start tag ended at `i`, checked and skipped: the
/// index after its end tag.
fn skip_simple(t: &str, i: usize, end_tag: &[u8]) -> Option<usize> {
    let b = t.as_bytes();
    let lt = i + memchr::memchr(b'<', &b[i..])?;
    check_escapes(t.get(i..lt)?).ok()?;
    b[lt..].starts_with(end_tag).then(|| lt + end_tag.len())
}

/// Reads the `<tu>` at `pos` (which starts with `<tu`) into `rows.texts` and returns the index
/// after its `</tu>`; `None` (texts cleared) when the full parser must read it. Languages
/// met before giving up stay in `rows.unlisted` and `rows.cache`: the parser, finding them
/// cached, would not list them again.
pub(super) fn tu(t: &str, pos: usize, rows: &mut Rows) -> Option<usize> {
    let r = tu_inner(t, pos, rows);
    if r.is_none() {
        for s in &mut rows.texts {
            s.clear();
        }
        rows.own_src = false;
        rows.dup = false;
    }
    r
}

fn tu_inner(t: &str, pos: usize, rows: &mut Rows) -> Option<usize> {
    let b = t.as_bytes();
    let (n, i) = name(b, pos + 1)?;
    if n != b"tu" {
        return None;
    }
    let mut srclang = None;
    let (mut i, empty) = attrs(t, i, &mut |k, v| {
        if k == b"srclang" {
            srclang = Some(v);
        }
    })?;
    if empty {
        return None;
    }
    if let Some(raw) = srclang {
        if raw.contains('&') {
            return None;
        }
        rows.tu_srclang(raw);
    }
    loop {
        i = ws(b, i);
        if *b.get(i)? != b'<' {
            return None;
        }
        if b[i + 1..].starts_with(b"/tu>") {
            return Some(i + 5);
        }
        let (n, j) = name(b, i + 1)?;
        i = match n {
            b"tuv" => tuv(t, j, rows)?,
            b"prop" | b"note" => prop_or_note(t, j, n)?,
            _ => return None,
        };
    }
}

fn prop_or_note(t: &str, j: usize, n: &[u8]) -> Option<usize> {
    let (j, empty) = attrs(t, j, &mut |_, _| {})?;
    if empty {
        return None;
    }
    skip_simple(t, j, if n == b"prop" { b"</prop>" } else { b"</note>" })
}

/// A `<tuv>` from just after its name: its `<seg>` text goes to the slot of its language.
fn tuv(t: &str, i: usize, rows: &mut Rows) -> Option<usize> {
    let b = t.as_bytes();
    let mut lang: Option<&str> = None;
    let (mut i, empty) = attrs(t, i, &mut |k, v| {
        if k == b"xml:lang" || (k == b"lang" && lang.is_none()) {
            lang = Some(v);
        }
    })?;
    let raw = lang?;
    if empty || raw.contains('&') {
        return None;
    }
    let slot = rows.slot(raw)?;
    let mut saw_seg = false;
    loop {
        i = ws(b, i);
        if *b.get(i)? != b'<' {
            return None;
        }
        if b[i + 1..].starts_with(b"/tuv>") {
            return saw_seg.then_some(i + 6);
        }
        let (n, j) = name(b, i + 1)?;
        i = match n {
            b"seg" if !saw_seg => {
                let (j, empty) = attrs(t, j, &mut |_, _| {})?;
                if empty {
                    return None;
                }
                saw_seg = true;
                rows.take_seg(slot, |text, r| seg(t, j, text, r).ok_or(()))
                    .ok()?
            }
            b"prop" | b"note" => prop_or_note(t, j, n)?,
            _ => return None,
        };
    }
}

/// The content of a `<seg>` from just after its start tag, rendered into `out` by `r` (text,
/// and the content of codes as the [`Codes`](super::super::super::codes::Codes) mode says).
/// Returns the index after `</seg>`.
fn seg(t: &str, mut i: usize, out: &mut String, r: &mut Render) -> Option<usize> {
    let b = t.as_bytes();
    let mut stack: [&[u8]; 8] = [&[]; 8];
    let mut depth = 0;
    r.begin();
    loop {
        let lt = i + memchr::memchr(b'<', &b[i..])?;
        let text = t.get(i..lt)?;
        r.text(out, text, true).ok()?;
        if b.get(lt + 1) == Some(&b'/') {
            let (n, j) = name(b, lt + 2)?;
            if b.get(j) != Some(&b'>') {
                return None;
            }
            if depth == 0 {
                return (n == b"seg").then_some(j + 1);
            }
            depth -= 1;
            if stack[depth] != n {
                return None;
            }
            r.end(out);
            i = j + 1;
        } else {
            let (n, j) = name(b, lt + 1)?;
            let n = INLINE.iter().copied().find(|x| *x == n)?;
            let (j, empty) = attrs(t, j, &mut |_, _| {})?;
            if empty {
                r.empty(out, n);
            } else {
                if depth == stack.len() {
                    return None;
                }
                stack[depth] = n;
                depth += 1;
                r.start(out, n);
            }
            i = j;
        }
    }
}

/// What a diff needs of a unit it finds byte-identical in both versions (nothing is compared,
/// only counted): each `<tuv>`'s raw language and the characters of its plain text
/// ([`Variant::text`](super::super::super::Variant::text): code content left out, `<hi>` and
/// `<sub>` text kept, a reference one character), and the raw values the diff's summaries
/// group by. Borrowed from the chunk's text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TuCounts<'t> {
    /// Language (normalised) and plain-text characters of each `<tuv>`, in file order.
    pub variants: Vec<(String, usize)>,
    /// The first `<prop type="x-translator">`'s value.
    pub translator: Option<&'t str>,
    /// `changeid`, `creationid`, `changedate`, `creationdate` of the `<tu>`.
    pub changeid: Option<&'t str>,
    /// See `changeid`.
    pub creationid: Option<&'t str>,
    /// See `changeid`.
    pub changedate: Option<&'t str>,
    /// See `changeid`.
    pub creationdate: Option<&'t str>,
}

/// Counts the `<tu>` at `pos` (which starts with `<tu`) into `out` without building it: the
/// diff's fast path for the byte-identical units that are most of a revision. Same subset as
/// [`tu`]: `None` on anything else (a value holding a reference, CDATA, a comment, `\r`, any
/// error), and the caller parses the unit instead. `tests::counts_agree_with_parser`.
pub fn tu_counts<'t>(t: &'t str, pos: usize, out: &mut TuCounts<'t>) -> Option<usize> {
    *out = TuCounts {
        variants: std::mem::take(&mut out.variants),
        ..TuCounts::default()
    };
    out.variants.clear();
    let b = t.as_bytes();
    let (n, i) = name(b, pos + 1)?;
    if n != b"tu" {
        return None;
    }
    let mut bad = false;
    let mut tag = TuCounts::default();
    let (mut i, empty) = attrs(t, i, &mut |k, v| {
        let slot = match k {
            b"changeid" => &mut tag.changeid,
            b"creationid" => &mut tag.creationid,
            b"changedate" => &mut tag.changedate,
            b"creationdate" => &mut tag.creationdate,
            _ => return,
        };
        bad |= v.contains('&');
        *slot = Some(v);
    })?;
    if empty || bad {
        return None;
    }
    out.changeid = tag.changeid;
    out.creationid = tag.creationid;
    out.changedate = tag.changedate;
    out.creationdate = tag.creationdate;
    loop {
        i = ws(b, i);
        if *b.get(i)? != b'<' {
            return None;
        }
        if b[i + 1..].starts_with(b"/tu>") {
            return Some(i + 5);
        }
        let (n, j) = name(b, i + 1)?;
        i = match n {
            b"tuv" => tuv_counts(t, j, out)?,
            b"prop" if out.translator.is_none() => {
                let mut kind = None;
                let (j, empty) = attrs(t, j, &mut |k, v| {
                    if k == b"type" {
                        kind = Some(v);
                    }
                })?;
                let end = if empty {
                    return None;
                } else {
                    skip_simple(t, j, b"</prop>")?
                };
                if kind == Some("x-translator") {
                    let v = t.get(j..end - 7)?;
                    if v.contains('&') {
                        return None;
                    }
                    out.translator = Some(v);
                }
                end
            }
            b"prop" | b"note" => prop_or_note(t, j, n)?,
            _ => return None,
        };
    }
}

/// A `<tuv>` from just after its name: its language and the characters of its `<seg>`.
fn tuv_counts<'t>(t: &'t str, i: usize, out: &mut TuCounts<'t>) -> Option<usize> {
    let b = t.as_bytes();
    let mut lang: Option<&str> = None;
    let (mut i, empty) = attrs(t, i, &mut |k, v| {
        if k == b"xml:lang" || (k == b"lang" && lang.is_none()) {
            lang = Some(v);
        }
    })?;
    let raw = lang?;
    if empty || raw.contains('&') {
        return None;
    }
    let lang = super::super::super::norm_lang(raw)?;
    let mut chars = None;
    loop {
        i = ws(b, i);
        if *b.get(i)? != b'<' {
            return None;
        }
        if b[i + 1..].starts_with(b"/tuv>") {
            out.variants.push((lang, chars?));
            return Some(i + 6);
        }
        let (n, j) = name(b, i + 1)?;
        i = match n {
            b"seg" if chars.is_none() => {
                let (j, empty) = attrs(t, j, &mut |_, _| {})?;
                if empty {
                    return None;
                }
                let (end, c) = seg_chars(t, j)?;
                chars = Some(c);
                end
            }
            b"prop" | b"note" => prop_or_note(t, j, n)?,
            _ => return None,
        };
    }
}

/// The characters of a `<seg>`'s plain text from just after its start tag, and the index
/// after `</seg>`: as the parser builds [`Variant::text`](super::super::super::Variant::text).
fn seg_chars(t: &str, mut i: usize) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    let mut stack: [&[u8]; 8] = [&[]; 8];
    let mut depth = 0;
    // Open elements whose content is code (all but <hi> and <sub>).
    let mut code = 0;
    let mut chars = 0;
    loop {
        let lt = i + memchr::memchr(b'<', &b[i..])?;
        let text = t.get(i..lt)?;
        if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            return None;
        }
        check_escapes(text).ok()?;
        if code == 0 {
            chars += text.chars().count();
            // A reference (checked above) is one character.
            let mut k = 0;
            while let Some(a) = memchr::memchr(b'&', &text.as_bytes()[k..]) {
                let semi = memchr::memchr(b';', &text.as_bytes()[k + a..])?;
                chars -= semi;
                k += a + semi + 1;
            }
        }
        if b.get(lt + 1) == Some(&b'/') {
            let (n, j) = name(b, lt + 2)?;
            if b.get(j) != Some(&b'>') {
                return None;
            }
            if depth == 0 {
                return (n == b"seg").then_some((j + 1, chars));
            }
            depth -= 1;
            if stack[depth] != n {
                return None;
            }
            if n != b"hi" && n != b"sub" {
                code -= 1;
            }
            i = j + 1;
        } else {
            let (n, j) = name(b, lt + 1)?;
            let n = INLINE.iter().copied().find(|x| *x == n)?;
            let (j, empty) = attrs(t, j, &mut |_, _| {})?;
            if !empty {
                if depth == stack.len() {
                    return None;
                }
                stack[depth] = n;
                depth += 1;
                if n != b"hi" && n != b"sub" {
                    code += 1;
                }
            }
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_chunk_impl, Base, Chunk, Codes, Rows};
    use proptest::prelude::*;

    /// A row's texts, the languages it had that were not asked for, whether the unit has
    /// its own source language and whether a language had two variants.
    type Row = (Vec<String>, Vec<String>, bool, bool);

    /// Rows (and unlisted languages) of a whole body, or the error, with or without the scanner.
    fn rows(body: &str, fast: bool, codes: Codes) -> Result<Vec<Row>, String> {
        let chunk = Chunk {
            bytes: body.as_bytes().to_vec(),
            base: Base {
                byte: 0,
                line: 1,
                column: 1,
            },
            last: true,
        };
        let langs: Vec<String> = ["ar", "en", "fr"].iter().map(|s| s.to_string()).collect();
        let rows = Rows::new(&langs, codes);
        let mut out = Vec::new();
        parse_chunk_impl(&chunk, "t.tmx", false, Some(rows), fast, &mut |_, r| {
            let r = r.expect("rows mode");
            out.push((
                r.texts.clone(),
                std::mem::take(&mut r.unlisted),
                std::mem::take(&mut r.own_src),
                std::mem::take(&mut r.dup),
            ));
            for t in &mut r.texts {
                t.clear();
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        Ok(out)
    }

    /// Pieces that are valid, then pieces that are not (or that only the parser reads).
    const SEG: (&[&str], &[&str]) = (
        &[
            "سلام",
            "Hello, world",
            " padded ",
            "a &amp; b &lt;c&gt; &#x41;&#66;",
            "a > b",
            "<ph x=\"1\">&lt;br/&gt;</ph>",
            "<bpt i=\"1\" type='bold'>&lt;b&gt;</bpt>gras<ept i=\"1\">&lt;/b&gt;</ept>",
            "<hi type=\"x\">kept <ph/> text</hi>",
            "<it pos=\"begin\">{</it>",
            "<ut>raw &amp; code</ut>",
            "<sub>sub <bpt i='2'>x</bpt> after</sub> tail",
            "<ph x=\"1\">&lt;img alt=\"<sub>a <hi>cat</hi></sub>\"&gt;</ph>",
            "one<ph x=\"2\"/>two",
            "<bpt i=\"3\">&lt;p&gt;</bpt>para<ept i=\"3\">&lt;/p&gt;</ept>",
            "<ph>%s</ph>",
            "<ph>\n</ph>",
            "word",
            "\r\n\t",
            "",
        ],
        &[
            "&bogus;",
            "&#1;",
            "]]>",
            "<ph x=\"1\" x=\"2\"/>",
            "<b>not inline</b>",
            "<![CDATA[<cdata>]]>",
            "<!-- comment -->",
            "<ph x = \"1\"/>",
            "<ph a=\"&bad;\"/>",
            "<ph>&bad;</ph>",
            "<hi>unclosed",
            "</hi>",
            "<ph a=\"x>y\"/>",
        ],
    );
    const LANG: (&[&str], &[&str]) = (
        &[
            "xml:lang=\"ar\"",
            "xml:lang=\"en\"",
            "xml:lang='fr-FR'",
            "lang=\"EN-us\"",
            "xml:lang=\"de\"",
            "lang=\"de\" xml:lang=\"fr\"",
            "xml:lang=\"fr\" lang=\"de\"",
        ],
        &[
            "xml:lang=\"ar_SA\"",
            "xml:lang=\"not a tag\"",
            "xml:lang=\"&#97;r\"",
            "xml:lang=\"en\" xml:lang=\"fr\"",
            "",
        ],
    );
    const EXTRA: (&[&str], &[&str]) = (
        &[
            "<prop type=\"x-domain\">news &amp; more</prop>",
            "<note>a note</note>",
            "",
            "",
        ],
        &[
            "<prop/>",
            "<note>&nope;</note>",
            "<!-- c -->",
            "<prop type=\"a\"><b/></prop>",
            "stray text",
        ],
    );

    /// Mostly a valid piece, sometimes (1 in 41) one that is not.
    fn pick(p: (&'static [&'static str], &'static [&'static str])) -> BoxedStrategy<&'static str> {
        prop_oneof![40 => prop::sample::select(p.0), 1 => prop::sample::select(p.1)].boxed()
    }

    fn unit() -> impl Strategy<Value = String> {
        let seg = prop::collection::vec(pick(SEG), 0..4).prop_map(|v| v.concat());
        let tuv = (
            pick(LANG),
            pick(EXTRA),
            seg,
            pick((&["<seg>", "<seg >"], &["<seg/>"])),
            pick((&["</tuv>"], &["</tuv >", "</tu>"])),
        )
            .prop_map(|(l, x, s, open, close)| {
                if open == "<seg/>" {
                    format!("<tuv {l}>{x}<seg/>{close}")
                } else {
                    format!("<tuv {l}>\n  {x}{open}{s}</seg>\n{close}")
                }
            });
        (
            pick((
                &[
                    "<tu>",
                    "<tu tuid=\"1\">",
                    "<tu\ttuid='2' a=\"&amp;\">",
                    "<tu srclang=\"fr\">",
                    "<tu srclang=\"AR\">",
                    "<tu srclang='en-us' tuid=\"3\">",
                ],
                &[
                    "<tu x=>",
                    "<tu/>",
                    "<tu a='1' a='2'>",
                    "<tu srclang=\"&#102;r\">",
                ],
            )),
            pick(EXTRA),
            prop::collection::vec(tuv, 0..4),
            pick((&["</tu>"], &["</tu >", "</tuv>", ""])),
        )
            .prop_map(|(open, x, tuvs, close)| format!("{open}{x}\n{}\n{close}", tuvs.concat()))
    }

    /// A body of units, then maybe (1 in 7) one byte-level mutation.
    fn body() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(unit(), 1..5),
            pick((&["</body></tmx>", " <!-- end --> </body>\n</tmx>"], &["</body>", ""])),
            any::<prop::sample::Index>(),
            prop_oneof![
                6 => Just(""),
                1 => prop::sample::select(&["<", ">", "/", "&", "\"", "'", "=", " ", "\u{0}", "DEL"][..]),
            ],
        )
            .prop_map(|(units, end, at, m)| {
                let mut s = units.join("\n  ") + end;
                let mut i = at.index(s.len() + 1);
                while !s.is_char_boundary(i) {
                    i -= 1;
                }
                match m {
                    "DEL" if i < s.len() => {
                        let c = s[i..].chars().next().map_or(0, char::len_utf8);
                        s.replace_range(i..i + c, "");
                    }
                    "DEL" => {}
                    m => s.insert_str(i, m),
                }
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The scanner gives exactly the rows the parser gives, and the parser's errors.
        #[test]
        fn scanner_agrees_with_parser(b in body(), strip in any::<bool>()) {
            let codes = if strip { Codes::Strip } else { Codes::Native };
            prop_assert_eq!(rows(&b, true, codes), rows(&b, false, codes), "{}", b);
        }
    }

    /// Languages with their characters, then translator, changeid, creationid, changedate,
    /// creation date.
    type Counted = (Vec<(String, usize)>, [Option<String>; 5]);

    /// What the parser makes of a one-unit body, as [`super::tu_counts`] counts it (languages
    /// sorted: the parser puts a unit's own source first).
    fn parsed_counts(body: &str) -> Option<Counted> {
        let chunk = Chunk {
            bytes: body.as_bytes().to_vec(),
            base: Base {
                byte: 0,
                line: 1,
                column: 1,
            },
            last: true,
        };
        let mut out = Vec::new();
        super::super::parse_body_chunk(&chunk, "t.tmx", &mut out).ok()?;
        let u = &out.first()?.unit;
        let mut v: Vec<(String, usize)> = u
            .variants
            .iter()
            .map(|v| (v.lang.clone(), v.text.chars().count()))
            .collect();
        v.sort();
        let attr = |k| crate::tm::attr_value(&u.attrs, k).map(str::to_string);
        let meta = [
            u.prop("x-translator").map(str::to_string),
            attr("changeid"),
            attr("creationid"),
            attr("changedate"),
            u.created.clone(),
        ];
        Some((v, meta))
    }

    fn counted(t: &str) -> Option<Counted> {
        let mut c = super::TuCounts::default();
        let end = super::tu_counts(t, 0, &mut c)?;
        assert!(t[..end].ends_with("</tu>"), "{t}");
        let mut v: Vec<(String, usize)> = c.variants.to_vec();
        v.sort();
        let s = |x: Option<&str>| x.map(str::to_string);
        let meta = [
            s(c.translator),
            s(c.changeid),
            s(c.creationid),
            s(c.changedate),
            c.creationdate.and_then(super::super::tmx_date),
        ];
        Some((v, meta))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Whatever the counter counts, the parser reads the same: languages, plain-text
        /// characters, translator and dates (and the counter gives up where the parser fails).
        #[test]
        fn counts_agree_with_parser(
            u in unit(),
            tag in pick((
                &[
                    "",
                    " changeid=\"ann\" creationdate=\"20250108T011307Z\"",
                    " creationid='bob' changedate=\"20250109T000000Z\" creationdate=\"2025-01-08\"",
                ],
                &[" changeid=\"a&amp;b\""],
            )),
            prop in pick((
                &[
                    "",
                    "<prop type=\"x-translator\">carla</prop>",
                    "<note>n</note><prop type=\"x-domain\">law</prop><prop type=\"x-translator\">dan</prop>",
                ],
                &["<prop type=\"x-translator\">a &amp; b</prop>", "<prop type=\"x-translator\"/>"],
            )),
        ) {
            let gt = u.find('>').unwrap_or(0);
            let (open, rest) = u.split_at(gt);
            let open = open.replacen("<tu", &format!("<tu{tag}"), 1);
            let t = format!("{open}>{prop}{}</body></tmx>", rest.get(1..).unwrap_or(""));
            prop_assume!(crate::tm::xml::find_illegal(t.as_bytes()).is_none());
            if let Some(c) = counted(&t) {
                prop_assert_eq!(Some(c), parsed_counts(&t), "{}", t);
            }
        }
    }

    #[test]
    fn counts_of_codes_references_and_highlights() {
        let t =
            "<tu changeid=\"x\"><tuv xml:lang=\"EN-us\"><seg>a &amp; <ph x=\"1\">&lt;br/&gt;</ph>\
                 <hi>b<bpt i=\"1\">{</bpt></hi>\u{e9}<sub>no</sub></seg></tuv></tu></body></tmx>";
        let mut c = super::TuCounts::default();
        assert_eq!(super::tu_counts(t, 0, &mut c), t.find("</body>"));
        // "a & " + "b" + "é" + "no": code content left out, <hi> and a <sub> outside codes kept.
        assert_eq!(c.variants, vec![("en-US".to_string(), 8)]);
        assert_eq!(counted(t), parsed_counts(t));
        assert_eq!(c.changeid, Some("x"));
        let cdata = "<tu><tuv xml:lang=\"en\"><seg><![CDATA[x]]></seg></tuv></tu>";
        assert_eq!(super::tu_counts(cdata, 0, &mut c), None);
    }

    #[test]
    fn byte_order_mark_in_the_body_is_the_same_error_both_ways() {
        // Found by cargo-fuzz: quick-xml drops a BOM at the start of its input (and leaves it
        // out of its positions), so a parser restarted after a unit saw other offsets.
        for body in [
            "\u{feff}<tu\t\r></tu><tu\n\nutt_",
            "<tu></tu>\u{feff}<tu></tu></body></tmx>",
            "<tu></tu>\n\u{feff}</body></tmx>",
        ] {
            let want = rows(body, false, Codes::Native);
            assert!(
                want.as_ref()
                    .is_err_and(|e| e.contains("unexpected content in <body>")),
                "{body:?}: {want:?}"
            );
            assert_eq!(rows(body, true, Codes::Native), want, "{body:?}");
        }
    }

    #[test]
    fn scanner_reads_the_common_shape_itself() {
        // The scanner (not the fallback) reads a plain unit with inline codes: every row is
        // produced before the parser would be needed.
        let body = "<tu tuid=\"1\"><prop type=\"x\">p</prop><tuv xml:lang=\"ar\"><seg>س \
                    <ph x=\"1\">&lt;br/&gt;</ph>ل</seg></tuv><tuv xml:lang=\"en-GB\"><seg>a \
                    &amp; <hi>b</hi></seg></tuv></tu>\n<!-- then the parser -->";
        let langs: Vec<String> = ["ar", "en-GB"].iter().map(|s| s.to_string()).collect();
        let mut rows = Rows::new(&langs, Codes::Native);
        let mut seen = Vec::new();
        let stop = super::super::scan_units(body, 0, &mut rows, &mut |r| {
            seen.push(r.texts.clone());
            Ok(())
        })
        .unwrap();
        // The native code text is kept (defect 4).
        assert_eq!(
            seen,
            vec![vec!["س <br/>ل".to_string(), "a & b".to_string()]]
        );
        assert_eq!(&body[stop..], "\n<!-- then the parser -->");
    }
}
