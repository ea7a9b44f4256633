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
