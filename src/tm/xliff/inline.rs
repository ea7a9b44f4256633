//! Inline codes between XLIFF (1.2 and 2.x) and dragoman's one canonical form, TMX 1.4b
//! `<seg>` content (see [`crate::tm::VariantExtra::markup`]).
//!
//! Reading ([`Content`]): the elements of a `<source>`/`<target>` become [`Piece`]s, resolved
//! per unit by [`render`] into the plain text (code content left out, what OmegaT matches on)
//! and the TMX markup. The mapping (the one Okapi and OmegaT use, ids kept in `x` because both
//! pair codes across languages by them):
//!
//! | XLIFF 1.2 | XLIFF 2.x | TMX |
//! |---|---|---|
//! | `<ph id ctype>native</ph>`, `<x id ctype/>` | `<ph id dataRef/>` | `<ph x type>native</ph>` (`<x/>`: empty) |
//! | `<bpt id rid>`/`<ept>`, `<bx/>`/`<ex/>` | `<sc id/>`/`<ec startRef/>` | `<bpt i x type>`/`<ept i>` (paired by `rid`, else `id`; `startRef`) |
//! | `<g id ctype>..</g>` | `<pc id>..</pc>` | empty `<bpt i x type/>` .. `<ept i/>` (2.x: the `dataRefStart`/`End` data) |
//! | `<it pos>`, an unpaired `bpt`/`bx`/`ept`/`ex` | `isolated` or unpaired `sc`/`ec` | `<it pos="begin/end" x type>` |
//! | `<mrk mtype mid>` (not `seg`) | `<mrk id type>` | `<hi type x>` |
//! | `<sub>` in a code | `<cp hex>`: the character | `<sub>` |
//!
//! `i` is numbered per unit from 1 in the order of the source's pairs, and a target pair with
//! the same XLIFF id gets the same `i`. Native code text is kept escaped inside the TMX
//! element; `<g>` and `<pc>` without original data give empty `<bpt/>`/`<ept/>` (no made-up
//! native markup: plain-text outputs would show it). Inside a `<sub>`, nested codes keep their
//! native text but not their pairing (they become `<ph>`, `<g>`/`<mrk>` become `<hi>`).
//!
//! Writing ([`to_xliff12`]): the reverse; a pair of empty `<bpt>`/`<ept>` at the same level
//! and properly nested is written as `<g>`, other empty ones as `<bx/>`/`<ex/>`, an empty
//! `<ph>` as `<x/>`; `<hi>` becomes `<mrk>` (`mtype="x-hi"` when it has no type, read back as
//! a `<hi>` without type); `type` values that the 1.2 schema does not allow for `ctype` get an
//! `x-` prefix.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::super::xml::{attr, escape_attr, escape_text, is_xml_char, unescape_into};

/// One piece of segment content before codes are paired and numbered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Text (unescaped).
    Text(String),
    /// A standalone code: attributes (rendered, ` x=".." type=".."`) and native TMX markup.
    Ph {
        attrs: String,
        native: String,
    },
    /// The start of a paired code: pairing key, attributes, native markup.
    Begin {
        key: String,
        attrs: String,
        native: String,
    },
    /// The end of a paired code (`attrs` are used if it stays unpaired).
    End {
        key: String,
        attrs: String,
        native: String,
    },
    /// An isolated code (`pos` is `begin` or `end`).
    It {
        pos: &'static str,
        attrs: String,
        native: String,
    },
    /// `<hi>` start (attributes) and end.
    Hi(String),
    HiEnd,
}

/// What an open element inside a content is.
#[derive(Debug)]
enum Open {
    /// `<mrk>` (not `seg`) -> `<hi>`.
    Hi,
    /// `<g>`/`<pc>`: the end piece to push when it closes.
    Pair(Piece),
    /// `<mrk mtype="seg">`: a segment of a `<seg-source>` or segmented `<target>`.
    Seg,
    /// Anything else (unknown or foreign elements, `<sm>`...): its text is kept.
    Other,
}

/// A 1.2 code element with native content being read.
#[derive(Debug)]
struct Code {
    /// What it becomes (`ph`, `bpt`, `ept`, `it`).
    kind: &'static str,
    key: String,
    attrs: String,
    pos: &'static str,
    native: String,
    /// Closing tags of the elements open inside the code (`</sub>`, `</ph>`...).
    inner: Vec<&'static str>,
}

/// The content of one `<source>`, `<target>`, `<seg-source>`, `<note>` or `<data>`, built
/// event by event.
#[derive(Debug, Default)]
pub(crate) struct Content {
    v2: bool,
    preserve: bool,
    main: Vec<Piece>,
    /// Segments (`<mrk mtype="seg" mid>`): mid and pieces (also in `main`).
    pub(crate) segs: Vec<(String, Vec<Piece>)>,
    in_seg: bool,
    stack: Vec<Open>,
    code: Option<Code>,
    /// Generated keys for `<g>`/`<pc>` without id.
    gen: u32,
}

/// A finished content: its pieces (white space already handled) and segments.
#[derive(Debug, Default, Clone)]
pub(crate) struct Done {
    pub(crate) main: Vec<Piece>,
    pub(crate) segs: Vec<(String, Vec<Piece>)>,
}

fn push_attr(s: &mut String, name: &str, v: Option<&str>) {
    if let Some(v) = v {
        s.push(' ');
        s.push_str(name);
        s.push_str("=\"");
        escape_attr(s, v);
        s.push('"');
    }
}

/// Local name of an element (after any prefix).
fn local(n: &[u8]) -> &[u8] {
    match n.iter().rposition(|&b| b == b':') {
        Some(i) => &n[i + 1..],
        None => n,
    }
}

impl Content {
    /// A content of an XLIFF 2.x (`v2`) or 1.x document; `preserve` when `xml:space` is
    /// `preserve` for it.
    pub(crate) fn new(v2: bool, preserve: bool) -> Content {
        Content {
            v2,
            preserve,
            ..Default::default()
        }
    }

    /// Open elements inside the content (0: the next end tag closes the content itself).
    pub(crate) fn depth(&self) -> usize {
        self.stack.len() + self.code.as_ref().map_or(0, |c| 1 + c.inner.len())
    }

    fn push(&mut self, p: Piece) {
        if self.in_seg {
            if let Some(s) = self.segs.last_mut() {
                s.1.push(p.clone());
            }
        }
        self.main.push(p);
    }

    /// Text (already unescaped).
    pub(crate) fn text(&mut self, t: &str) {
        if let Some(c) = self.code.as_mut() {
            escape_text(&mut c.native, t);
            return;
        }
        if let Some(Piece::Text(s)) = self.main.last_mut() {
            s.push_str(t);
            if self.in_seg {
                if let Some((_, v)) = self.segs.last_mut() {
                    if let Some(Piece::Text(s)) = v.last_mut() {
                        s.push_str(t);
                        return;
                    }
                    v.push(Piece::Text(t.to_string()));
                }
            }
            return;
        }
        self.push(Piece::Text(t.to_string()));
    }

    /// A start tag (`empty` for `<x/>`), with the unit's original data (2.x) for `dataRef`s.
    pub(crate) fn start(
        &mut self,
        e: &BytesStart,
        empty: bool,
        data: &HashMap<String, String>,
    ) -> Result<(), String> {
        let name = local(e.name().into_inner()).to_vec();
        let a = |k: &[u8]| attr(e, k);
        if let Some(c) = self.code.as_mut() {
            // Inside a 1.2 code: `<sub>` keeps its text; other elements keep theirs as codes.
            let (tag, mut s): (&'static str, String) = match name.as_slice() {
                b"sub" => {
                    let mut s = String::from("<sub");
                    push_attr(&mut s, "datatype", a(b"datatype")?.as_deref());
                    push_attr(&mut s, "type", a(b"ctype")?.as_deref());
                    ("sub", s)
                }
                b"g" | b"mrk" => ("hi", String::from("<hi")),
                _ => ("ph", String::from("<ph")),
            };
            if tag != "sub" {
                push_attr(&mut s, "x", a(b"id")?.or(a(b"mid")?).as_deref());
            }
            if empty {
                s.push_str("/>");
            } else {
                s.push('>');
                c.inner.push(tag);
            }
            c.native.push_str(&s);
            return Ok(());
        }
        let id = a(b"id")?;
        let mut attrs = String::new();
        if self.v2 {
            let native = |k: &[u8]| -> Result<String, String> {
                let mut n = String::new();
                if let Some(r) = a(k)? {
                    if let Some(d) = data.get(&r) {
                        escape_text(&mut n, d);
                    }
                }
                Ok(n)
            };
            push_attr(&mut attrs, "x", id.as_deref());
            push_attr(
                &mut attrs,
                "type",
                a(b"subType")?.or(a(b"type")?).as_deref(),
            );
            let isolated = a(b"isolated")?.as_deref() == Some("yes");
            match name.as_slice() {
                b"ph" => {
                    let native = native(b"dataRef")?;
                    self.push(Piece::Ph { attrs, native });
                    if !empty {
                        self.stack.push(Open::Other);
                    }
                    return Ok(());
                }
                b"sc" | b"ec" => {
                    let native = native(b"dataRef")?;
                    let p = if isolated {
                        Piece::It {
                            pos: if name == b"sc" { "begin" } else { "end" },
                            attrs,
                            native,
                        }
                    } else if name == b"sc" {
                        Piece::Begin {
                            key: format!("sc:{}", id.unwrap_or_default()),
                            attrs,
                            native,
                        }
                    } else {
                        let key = format!("sc:{}", a(b"startRef")?.unwrap_or_default());
                        Piece::End { key, attrs, native }
                    };
                    self.push(p);
                    if !empty {
                        self.stack.push(Open::Other);
                    }
                    return Ok(());
                }
                b"pc" => {
                    let key = match &id {
                        Some(id) => format!("pc:{id}"),
                        None => {
                            self.gen += 1;
                            format!("pc#{}", self.gen)
                        }
                    };
                    let end = Piece::End {
                        key: key.clone(),
                        attrs: attrs.clone(),
                        native: native(b"dataRefEnd")?,
                    };
                    self.push(Piece::Begin {
                        key,
                        attrs,
                        native: native(b"dataRefStart")?,
                    });
                    if empty {
                        self.push(end);
                    } else {
                        self.stack.push(Open::Pair(end));
                    }
                    return Ok(());
                }
                b"mrk" => {
                    let mut h = String::new();
                    push_attr(&mut h, "type", a(b"type")?.as_deref());
                    push_attr(&mut h, "x", id.as_deref());
                    if !empty {
                        self.push(Piece::Hi(h));
                        self.stack.push(Open::Hi);
                    }
                    return Ok(());
                }
                b"cp" => {
                    let hex = a(b"hex")?.unwrap_or_default();
                    let c = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("<cp hex=\"{hex}\"> is not a character"))?;
                    // A character XML forbids (why <cp> exists) cannot be in TMX or XLIFF 1.2
                    // either: left out, as every writer strips it.
                    if is_xml_char(c) {
                        self.text(c.encode_utf8(&mut [0; 4]));
                    }
                    if !empty {
                        self.stack.push(Open::Other);
                    }
                    return Ok(());
                }
                _ => {
                    if !empty {
                        self.stack.push(Open::Other);
                    }
                    return Ok(());
                }
            }
        }
        // XLIFF 1.x.
        let rid = a(b"rid")?;
        let pair_key = format!("b:{}", rid.as_deref().or(id.as_deref()).unwrap_or(""));
        push_attr(&mut attrs, "x", id.as_deref());
        let ctype = a(b"ctype")?;
        match name.as_slice() {
            b"ph" | b"bpt" | b"ept" | b"it" => {
                let (kind, pos) = match name.as_slice() {
                    b"ph" => ("ph", ""),
                    b"bpt" => ("bpt", ""),
                    b"ept" => ("ept", ""),
                    _ => (
                        "it",
                        if a(b"pos")?.as_deref() == Some("close") {
                            "end"
                        } else {
                            "begin"
                        },
                    ),
                };
                if kind != "ept" {
                    push_attr(&mut attrs, "type", ctype.as_deref());
                }
                if kind == "ph" {
                    push_attr(&mut attrs, "assoc", a(b"assoc")?.as_deref());
                }
                let c = Code {
                    kind,
                    key: pair_key,
                    attrs,
                    pos,
                    native: String::new(),
                    inner: Vec::new(),
                };
                if empty {
                    self.finish_code(c);
                } else {
                    self.code = Some(c);
                }
            }
            b"x" | b"bx" | b"ex" => {
                if name != b"ex" {
                    push_attr(&mut attrs, "type", ctype.as_deref());
                }
                let native = String::new();
                self.push(match name.as_slice() {
                    b"x" => Piece::Ph { attrs, native },
                    b"bx" => Piece::Begin {
                        key: pair_key,
                        attrs,
                        native,
                    },
                    _ => Piece::End {
                        key: pair_key,
                        attrs,
                        native,
                    },
                });
                if !empty {
                    self.stack.push(Open::Other);
                }
            }
            b"g" => {
                push_attr(&mut attrs, "type", ctype.as_deref());
                let key = match &id {
                    Some(id) => format!("g:{id}"),
                    None => {
                        self.gen += 1;
                        format!("g#{}", self.gen)
                    }
                };
                let end = Piece::End {
                    key: key.clone(),
                    attrs: attrs.clone(),
                    native: String::new(),
                };
                self.push(Piece::Begin {
                    key,
                    attrs,
                    native: String::new(),
                });
                if empty {
                    self.push(end);
                } else {
                    self.stack.push(Open::Pair(end));
                }
            }
            b"mrk" if empty => {}
            b"mrk" => {
                let mtype = a(b"mtype")?;
                if mtype.as_deref() == Some("seg") && !self.in_seg && self.stack.is_empty() {
                    let mid = a(b"mid")?.unwrap_or_default();
                    self.segs.push((mid, Vec::new()));
                    self.in_seg = true;
                    self.stack.push(Open::Seg);
                } else {
                    let mut h = String::new();
                    push_attr(&mut h, "type", mtype.as_deref().filter(|t| *t != HI_MTYPE));
                    push_attr(&mut h, "x", a(b"mid")?.as_deref());
                    self.push(Piece::Hi(h));
                    self.stack.push(Open::Hi);
                }
            }
            _ => {
                if !empty {
                    self.stack.push(Open::Other);
                }
            }
        }
        Ok(())
    }

    fn finish_code(&mut self, c: Code) {
        let Code {
            kind,
            key,
            attrs,
            pos,
            native,
            ..
        } = c;
        self.push(match kind {
            "ph" => Piece::Ph { attrs, native },
            "bpt" => Piece::Begin { key, attrs, native },
            "ept" => Piece::End { key, attrs, native },
            _ => Piece::It { pos, attrs, native },
        });
    }

    /// An end tag inside the content (the caller checks [`Content::depth`] first).
    pub(crate) fn end(&mut self) {
        if let Some(c) = self.code.as_mut() {
            match c.inner.pop() {
                Some(tag) => {
                    c.native.push_str("</");
                    c.native.push_str(tag);
                    c.native.push('>');
                }
                None => {
                    if let Some(c) = self.code.take() {
                        self.finish_code(c);
                    }
                }
            }
            return;
        }
        match self.stack.pop() {
            Some(Open::Hi) => self.push(Piece::HiEnd),
            Some(Open::Pair(end)) => self.push(end),
            Some(Open::Seg) => self.in_seg = false,
            Some(Open::Other) | None => {}
        }
    }

    /// The pieces, with white space collapsed and trimmed unless `xml:space="preserve"`.
    pub(crate) fn finish(self) -> Done {
        let preserve = self.preserve;
        let fix = |mut v: Vec<Piece>| {
            if !preserve {
                normalize_space(&mut v);
            }
            v
        };
        Done {
            main: fix(self.main),
            segs: self.segs.into_iter().map(|(m, v)| (m, fix(v))).collect(),
        }
    }
}

/// The `mtype` written for a TMX `<hi>` without `type` (read back as such).
pub(crate) const HI_MTYPE: &str = "x-hi";

/// XPath `normalize-space()` over the text of the pieces (what translate-toolkit does for
/// `xml:space="default"`, and what XLIFF 1.2 and 2.x allow for it): runs of XML white space
/// become one space, none at either end of the segment. A code counts as a character: the
/// spaces on both sides of it stay (`has <ph>%d</ph> lives` keeps both, so no plain-text
/// rendering glues `%d` to a word), as the TMX reader's text keeps them; `<hi>` (a `<mrk>`)
/// does not.
pub(crate) fn normalize_space(v: &mut Vec<Piece>) {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut prev_space = true;
    for p in v.iter_mut() {
        match p {
            // Fast path: already normal (the usual case).
            Piece::Text(t)
                if !(t.is_empty()
                    || (prev_space && t.starts_with(' '))
                    || t.contains("  ")
                    || t.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r'))) =>
            {
                prev_space = t.ends_with(' ');
            }
            Piece::Text(t) => {
                let mut out = String::with_capacity(t.len());
                for c in t.chars() {
                    if ws(c) {
                        if !prev_space {
                            out.push(' ');
                            prev_space = true;
                        }
                    } else {
                        out.push(c);
                        prev_space = false;
                    }
                }
                *t = out;
            }
            Piece::Hi(_) | Piece::HiEnd => {}
            _ => prev_space = false,
        }
    }
    // The trailing space: at the end of the last text, if no code follows it.
    for p in v.iter_mut().rev() {
        match p {
            Piece::Text(t) if t.is_empty() => continue,
            Piece::Text(t) => {
                if t.ends_with(' ') {
                    t.pop();
                }
                break;
            }
            Piece::Hi(_) | Piece::HiEnd => continue,
            _ => break,
        }
    }
    v.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
}

/// The plain text of pieces (code content left out).
pub(crate) fn plain(v: &[Piece]) -> String {
    let mut s = String::new();
    for p in v {
        if let Piece::Text(t) = p {
            s.push_str(t);
        }
    }
    s
}

/// Resolves pairs and renders pieces: plain text, and TMX markup when there is any code.
/// `ikeys` carries the `i` given to each pairing key across the variants of a unit.
pub(crate) fn render(v: &[Piece], ikeys: &mut Vec<(String, u32)>) -> (String, Option<String>) {
    let text = plain(v);
    if v.iter().all(|p| matches!(p, Piece::Text(_))) {
        return (text, None);
    }
    // Pair each Begin with the first later unpaired End of the same key.
    let mut partner: Vec<Option<usize>> = vec![None; v.len()];
    for (b, p) in v.iter().enumerate() {
        if let Piece::Begin { key, .. } = p {
            if let Some(e) = (b + 1..v.len()).find(|&e| {
                partner[e].is_none() && matches!(&v[e], Piece::End { key: k, .. } if k == key)
            }) {
                partner[b] = Some(e);
                partner[e] = Some(b);
            }
        }
    }
    let mut used: Vec<u32> = Vec::new();
    // The i of each paired piece (0: unpaired).
    let mut num: Vec<u32> = vec![0; v.len()];
    for (b, p) in v.iter().enumerate() {
        if let (Piece::Begin { key, .. }, Some(e)) = (p, partner[b]) {
            let i = match ikeys.iter().find(|(k, i)| k == key && !used.contains(i)) {
                Some((_, i)) => *i,
                None => {
                    let i = ikeys
                        .iter()
                        .map(|(_, i)| *i)
                        .max()
                        .unwrap_or(0)
                        .max(used.iter().copied().max().unwrap_or(0))
                        + 1;
                    ikeys.push((key.clone(), i));
                    i
                }
            };
            used.push(i);
            num[b] = i;
            num[e] = i;
        }
    }
    let mut m = String::new();
    for (k, p) in v.iter().enumerate() {
        match p {
            Piece::Text(t) => escape_text(&mut m, t),
            Piece::Ph { attrs, native } => el(&mut m, "ph", "", attrs, native),
            Piece::Begin { attrs, native, .. } => match num[k] {
                i if i > 0 => el(&mut m, "bpt", &format!(" i=\"{i}\""), attrs, native),
                _ => el(&mut m, "it", " pos=\"begin\"", attrs, native),
            },
            Piece::End { attrs, native, .. } => match num[k] {
                i if i > 0 => el(&mut m, "ept", &format!(" i=\"{i}\""), "", native),
                _ => el(&mut m, "it", " pos=\"end\"", attrs, native),
            },
            Piece::It { pos, attrs, native } => {
                el(&mut m, "it", &format!(" pos=\"{pos}\""), attrs, native)
            }
            Piece::Hi(attrs) => {
                m.push_str("<hi");
                m.push_str(attrs);
                m.push('>');
            }
            Piece::HiEnd => m.push_str("</hi>"),
        }
    }
    (text, Some(m))
}

/// A TMX code element; without native content it is written self-closed (`<ph x="1"/>`).
fn el(m: &mut String, name: &str, first: &str, attrs: &str, native: &str) {
    m.push('<');
    m.push_str(name);
    m.push_str(first);
    m.push_str(attrs);
    if native.is_empty() {
        m.push_str("/>");
        return;
    }
    m.push('>');
    m.push_str(native);
    m.push_str("</");
    m.push_str(name);
    m.push('>');
}

// ---------------------------------------------------------------------------------------
// Writing: TMX markup -> XLIFF 1.2 inline elements.

/// A parsed TMX inline node.
#[derive(Debug)]
enum Node {
    Text(String),
    El {
        name: String,
        attrs: Vec<(String, String)>,
        kids: Vec<Node>,
    },
}

impl Node {
    fn get(&self, k: &str) -> Option<&str> {
        match self {
            Node::El { attrs, .. } => attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()),
            Node::Text(_) => None,
        }
    }
    fn is(&self, n: &str) -> bool {
        matches!(self, Node::El { name, .. } if name == n)
    }
    fn empty(&self) -> bool {
        match self {
            Node::El { kids, .. } => kids
                .iter()
                .all(|k| matches!(k, Node::Text(t) if t.is_empty())),
            Node::Text(t) => t.is_empty(),
        }
    }
}

fn parse_nodes(markup: &str) -> Result<Vec<Node>, String> {
    let mut r = quick_xml::Reader::from_str(markup);
    let mut stack: Vec<Node> = vec![Node::El {
        name: String::new(),
        attrs: Vec::new(),
        kids: Vec::new(),
    }];
    let el = |e: &BytesStart| -> Result<Node, String> {
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|x| x.to_string())?;
            let mut v = String::new();
            unescape_into(&mut v, std::str::from_utf8(&a.value).unwrap_or(""))
                .map_err(|x| x.message)?;
            attrs.push((String::from_utf8_lossy(a.key.as_ref()).into_owned(), v));
        }
        Ok(Node::El {
            name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
            attrs,
            kids: Vec::new(),
        })
    };
    let add = |stack: &mut Vec<Node>, n: Node| {
        if let Some(Node::El { kids, .. }) = stack.last_mut() {
            kids.push(n);
        }
    };
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => stack.push(el(&e)?),
            Event::Empty(e) => {
                let n = el(&e)?;
                add(&mut stack, n);
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err("unbalanced end tag".into());
                }
                let n = stack.pop().unwrap_or(Node::Text(String::new()));
                add(&mut stack, n);
            }
            Event::Text(t) => {
                let mut s = String::new();
                unescape_into(&mut s, std::str::from_utf8(&t).unwrap_or(""))
                    .map_err(|e| e.message)?;
                add(&mut stack, Node::Text(s));
            }
            Event::CData(t) => {
                add(
                    &mut stack,
                    Node::Text(String::from_utf8_lossy(&t).into_owned()),
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("unclosed element".into());
    }
    match stack.pop() {
        Some(Node::El { kids, .. }) => Ok(kids),
        _ => Ok(Vec::new()),
    }
}

const PLACEHOLDERS: [&str; 3] = ["image", "pb", "lb"];
const DELIMITERS: [&str; 4] = ["bold", "italic", "underlined", "link"];
const MTYPES: [&str; 37] = [
    "abbrev",
    "abbreviated-form",
    "abbreviation",
    "acronym",
    "appellation",
    "collocation",
    "common-name",
    "datetime",
    "equation",
    "expanded-form",
    "formula",
    "head-term",
    "initialism",
    "international-scientific-term",
    "internationalism",
    "logical-expression",
    "materials-management-unit",
    "name",
    "near-synonym",
    "part-number",
    "phrase",
    "phraseological-unit",
    "protected",
    "romanized-form",
    "seg",
    "set-phrase",
    "short-form",
    "sku",
    "standard-text",
    "symbol",
    "synonym",
    "synonymous-phrase",
    "term",
    "transcribed-form",
    "transliterated-form",
    "truncated-term",
    "variant",
];

/// A TMX `type` as a value the 1.2 schema allows among `list` (else `x-` + it).
fn xtype(t: &str, list: &[&str]) -> Option<String> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    if list.contains(&t) || (t.starts_with("x-") && t.len() > 2 && !t.contains(char::is_whitespace))
    {
        return Some(t.to_string());
    }
    Some(format!("x-{}", t.replace(char::is_whitespace, "-")))
}

fn nmtoken(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
}

/// Writes TMX `<seg>` markup as XLIFF 1.2 inline content into `out`.
///
/// # Errors
/// Markup that is not well-formed (a hand-built unit): the message says why.
pub(crate) fn to_xliff12(markup: &str, out: &mut String) -> Result<(), String> {
    let nodes = parse_nodes(markup)?;
    let mut cx = Ctx::default();
    cx.collect(&nodes);
    emit(&nodes, out, &mut cx);
    Ok(())
}

/// Writes TMX `<seg>` markup as XLIFF 2 inline content into `out`, and the native code of
/// each code into `data` as `(id, native)`, for the `<originalData>` of the element that
/// holds the content (a unit, or a Matches-module `<mtc:match>`).
///
/// Paired `<bpt>`/`<ept>` become `<sc>`/`<ec startRef>`, `<it>` and unpaired ends isolated
/// ones, `<ph>`/`<ut>` a `<ph>`, `<hi>` a `<mrk>`; codes are numbered `c1`, `c2`.. and their
/// data `d1`, `d2`.. in document order, and a code without native text has no `dataRef`.
///
/// # Errors
/// Markup that is not well-formed (a hand-built unit): the message says why.
pub(crate) fn to_xliff2(
    markup: &str,
    out: &mut String,
    data: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let nodes = parse_nodes(markup)?;
    let mut cx = Ctx2::default();
    collect_epts(&nodes, &mut cx.epts);
    emit2(&nodes, out, data, &mut cx);
    Ok(())
}

/// The `i` of every `<ept>` in a segment, wherever it is: a `<bpt>` without one is isolated.
fn collect_epts(nodes: &[Node], epts: &mut Vec<String>) {
    for nd in nodes {
        if let Node::El { name, kids, .. } = nd {
            if let ("ept", Some(i)) = (name.as_str(), nd.get("i")) {
                epts.push(i.to_string());
            }
            collect_epts(kids, epts);
        }
    }
}

/// Numbering state of [`to_xliff2`].
#[derive(Default)]
struct Ctx2 {
    n: u32,
    /// The XLIFF id of each open `<bpt i>`'s `<sc>`: an `<ept>` not here is isolated.
    starts: HashMap<String, String>,
    epts: Vec<String>,
}

/// The native text of a code (with the text of its `<sub>`s), as XLIFF 2 `<data>` holds it.
fn native_text(kids: &[Node], out: &mut String) {
    for k in kids {
        match k {
            Node::Text(t) => out.push_str(t),
            Node::El { kids, .. } => native_text(kids, out),
        }
    }
}

fn emit2(nodes: &[Node], out: &mut String, data: &mut Vec<(String, String)>, cx: &mut Ctx2) {
    for nd in nodes {
        let Node::El { name, kids, .. } = nd else {
            if let Node::Text(t) = nd {
                escape_text(out, t);
            }
            continue;
        };
        if name == "hi" {
            cx.n += 1;
            let kind = if nd.get("type") == Some("term") {
                "term"
            } else {
                "generic"
            };
            out.push_str(&format!("<mrk id=\"m{}\" type=\"{kind}\">", cx.n));
            emit2(kids, out, data, cx);
            out.push_str("</mrk>");
            continue;
        }
        if !matches!(name.as_str(), "ph" | "ut" | "bpt" | "ept" | "it") {
            emit2(kids, out, data, cx);
            continue;
        }
        cx.n += 1;
        let id = format!("c{}", cx.n);
        let mut native = String::new();
        native_text(kids, &mut native);
        let data_ref = if native.is_empty() {
            String::new()
        } else {
            let d = format!("d{}", data.len() + 1);
            let r = format!(" dataRef=\"{d}\"");
            data.push((d, native));
            r
        };
        let i = nd.get("i").unwrap_or("").to_string();
        match name.as_str() {
            "bpt" if cx.epts.contains(&i) => {
                cx.starts.insert(i, id.clone());
                out.push_str(&format!("<sc id=\"{id}\"{data_ref}/>"));
            }
            "ept" => match cx.starts.remove(&i) {
                Some(start) => out.push_str(&format!("<ec startRef=\"{start}\"{data_ref}/>")),
                None => out.push_str(&format!("<ec id=\"{id}\" isolated=\"yes\"{data_ref}/>")),
            },
            "bpt" => out.push_str(&format!("<sc id=\"{id}\" isolated=\"yes\"{data_ref}/>")),
            "it" if nd.get("pos") == Some("end") => {
                out.push_str(&format!("<ec id=\"{id}\" isolated=\"yes\"{data_ref}/>"));
            }
            "it" => out.push_str(&format!("<sc id=\"{id}\" isolated=\"yes\"{data_ref}/>")),
            _ => out.push_str(&format!("<ph id=\"{id}\"{data_ref}/>")),
        }
    }
}

/// What writing a segment needs to know about all of it.
#[derive(Default)]
struct Ctx {
    /// Codes numbered so far (ids for codes without `x`).
    n: u32,
    /// The `x` of each `<bpt i>`, wherever it is (its `<ept>` may be at another level).
    bpt_x: HashMap<String, String>,
    /// How many `<bpt>`s have each `x`.
    x_count: HashMap<String, usize>,
}

impl Ctx {
    fn collect(&mut self, nodes: &[Node]) {
        for nd in nodes {
            if let Node::El { name, kids, .. } = nd {
                if name == "bpt" {
                    if let (Some(i), Some(x)) = (nd.get("i"), nd.get("x")) {
                        if !x.trim().is_empty() {
                            self.bpt_x.insert(i.to_string(), x.to_string());
                            *self.x_count.entry(x.to_string()).or_default() += 1;
                        }
                    }
                }
                self.collect(kids);
            }
        }
    }
}

/// The XLIFF id of a code: its `x`, else `fallback`.
fn code_id(node: &Node, fallback: &str) -> String {
    node.get("x")
        .filter(|x| !x.trim().is_empty())
        .map_or_else(|| fallback.to_string(), str::to_string)
}

fn open(out: &mut String, name: &str, attrs: &[(&str, Option<String>)], empty: bool) {
    out.push('<');
    out.push_str(name);
    for (k, v) in attrs {
        push_attr(out, k, v.as_deref());
    }
    out.push_str(if empty { "/>" } else { ">" });
}

fn emit(nodes: &[Node], out: &mut String, cx: &mut Ctx) {
    // Pair bpt/ept by i among these siblings.
    let mut partner: Vec<Option<usize>> = vec![None; nodes.len()];
    for (b, nd) in nodes.iter().enumerate() {
        if nd.is("bpt") {
            let i = nd.get("i");
            if let Some(e) = (b + 1..nodes.len())
                .find(|&e| partner[e].is_none() && nodes[e].is("ept") && nodes[e].get("i") == i)
            {
                partner[b] = Some(e);
                partner[e] = Some(b);
            }
        }
    }
    let mut k = 0;
    while k < nodes.len() {
        let nd = &nodes[k];
        match nd {
            Node::Text(t) => escape_text(out, t),
            Node::El { name, kids, .. } => match name.as_str() {
                "ph" | "ut" => {
                    cx.n += 1;
                    let id = code_id(nd, &cx.n.to_string());
                    let ctype = if name == "ut" {
                        Some("x-ut".to_string())
                    } else {
                        nd.get("type").and_then(|t| xtype(t, &PLACEHOLDERS))
                    };
                    if nd.empty() {
                        open(out, "x", &[("id", Some(id)), ("ctype", ctype)], true);
                    } else {
                        let assoc = nd
                            .get("assoc")
                            .filter(|a| matches!(*a, "p" | "f" | "b"))
                            .map(str::to_string);
                        open(
                            out,
                            "ph",
                            &[("id", Some(id)), ("ctype", ctype), ("assoc", assoc)],
                            false,
                        );
                        native(kids, out, cx);
                        out.push_str("</ph>");
                    }
                }
                "bpt" | "ept" => {
                    let (b, e) = match partner[k] {
                        Some(p) if name == "bpt" => (k, Some(p)),
                        Some(p) => (p, Some(k)),
                        None => (k, None),
                    };
                    let bn = &nodes[b];
                    let i = nd.get("i").unwrap_or("").to_string();
                    // The id is the pair's bpt's x (an ept has none); one that several bpts
                    // share, or none, cannot pair them on reading back: `rid` (= i) then.
                    let x = cx.bpt_x.get(&i).cloned();
                    let rid = x
                        .as_ref()
                        .map_or(true, |x| cx.x_count.get(x).copied().unwrap_or(0) > 1)
                        .then(|| i.clone())
                        .filter(|r| nmtoken(r));
                    let id = x.unwrap_or_else(|| i.clone());
                    let ctype = bn.get("type").and_then(|t| xtype(t, &DELIMITERS));
                    // <g> when both ends are empty and nothing between them crosses them.
                    if let (true, Some(e)) = (name == "bpt", e) {
                        let crossing = (k + 1..e).any(|j| match partner[j] {
                            Some(p) => p < k || p > e,
                            None => nodes[j].is("bpt") || nodes[j].is("ept"),
                        });
                        if nd.empty() && nodes[e].empty() && !crossing {
                            open(out, "g", &[("id", Some(id)), ("ctype", ctype)], false);
                            emit(&nodes[k + 1..e], out, cx);
                            out.push_str("</g>");
                            k = e + 1;
                            continue;
                        }
                    }
                    let (tag, empty_tag) = if name == "bpt" {
                        ("bpt", "bx")
                    } else {
                        ("ept", "ex")
                    };
                    let ctype = if name == "bpt" { ctype } else { None };
                    let attrs = [("id", Some(id)), ("rid", rid), ("ctype", ctype)];
                    if nd.empty() {
                        open(out, empty_tag, &attrs, true);
                    } else {
                        open(out, tag, &attrs, false);
                        native(kids, out, cx);
                        out.push_str("</");
                        out.push_str(tag);
                        out.push('>');
                    }
                }
                "it" => {
                    cx.n += 1;
                    let id = code_id(nd, &format!("it{}", cx.n));
                    let end = nd.get("pos") == Some("end");
                    let ctype = nd.get("type").and_then(|t| xtype(t, &DELIMITERS));
                    if nd.empty() {
                        if end {
                            open(out, "ex", &[("id", Some(id))], true);
                        } else {
                            open(out, "bx", &[("id", Some(id)), ("ctype", ctype)], true);
                        }
                    } else {
                        let pos = Some(if end { "close" } else { "open" }.to_string());
                        open(
                            out,
                            "it",
                            &[("id", Some(id)), ("pos", pos), ("ctype", ctype)],
                            false,
                        );
                        native(kids, out, cx);
                        out.push_str("</it>");
                    }
                }
                "hi" => {
                    let mtype = nd
                        .get("type")
                        .and_then(|t| xtype(t, &MTYPES))
                        .filter(|t| t != "seg")
                        .unwrap_or_else(|| HI_MTYPE.to_string());
                    // No `mid`: the 1.2 schema ties every mrk mid to a <seg-source> segment.
                    open(out, "mrk", &[("mtype", Some(mtype))], false);
                    emit(kids, out, cx);
                    out.push_str("</mrk>");
                }
                // <sub> outside a code is not TMX; keep its text.
                _ => emit(kids, out, cx),
            },
        }
        k += 1;
    }
}

/// The native content of a code: text, and `<sub>` with its inline content.
fn native(kids: &[Node], out: &mut String, cx: &mut Ctx) {
    for k in kids {
        match k {
            Node::Text(t) => escape_text(out, t),
            Node::El { name, kids, .. } if name == "sub" => {
                let ctype = k.get("type").and_then(|t| xtype(t, &DELIMITERS));
                open(
                    out,
                    "sub",
                    &[
                        ("datatype", k.get("datatype").map(str::to_string)),
                        ("ctype", ctype),
                    ],
                    false,
                );
                emit(kids, out, cx);
                out.push_str("</sub>");
            }
            Node::El { kids, .. } => native(kids, out, cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xliff2_pairs_isolates_and_keeps_native_code_as_data() {
        let mut out = String::new();
        let mut data = Vec::new();
        to_xliff2(
            "a <bpt i=\"1\">&lt;b&gt;</bpt>b<ept i=\"1\">&lt;/b&gt;</ept> <ph>&lt;br/&gt;</ph><it pos=\"end\">&lt;/i&gt;</it> <hi type=\"term\">t</hi> <bpt i=\"2\"/>",
            &mut out,
            &mut data,
        )
        .unwrap();
        assert_eq!(
            out,
            "a <sc id=\"c1\" dataRef=\"d1\"/>b<ec startRef=\"c1\" dataRef=\"d2\"/> <ph id=\"c3\" dataRef=\"d3\"/><ec id=\"c4\" isolated=\"yes\" dataRef=\"d4\"/> <mrk id=\"m5\" type=\"term\">t</mrk> <sc id=\"c6\" isolated=\"yes\"/>"
        );
        let natives: Vec<&str> = data.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(natives, ["<b>", "</b>", "<br/>", "</i>"]);
        assert!(to_xliff2("<bpt i=\"1\">", &mut out, &mut data).is_err());
    }

    fn read(x: &str, v2: bool) -> (String, Option<String>) {
        let data: HashMap<String, String> = [("d1".to_string(), "<br/>".to_string())].into();
        let mut c = Content::new(v2, false);
        let mut r = quick_xml::Reader::from_str(x);
        loop {
            match r.read_event().unwrap() {
                Event::Start(e) => c.start(&e, false, &data).unwrap(),
                Event::Empty(e) => c.start(&e, true, &data).unwrap(),
                Event::End(_) => c.end(),
                Event::Text(t) => {
                    let mut s = String::new();
                    unescape_into(&mut s, std::str::from_utf8(&t).unwrap()).unwrap();
                    c.text(&s)
                }
                Event::Eof => break,
                _ => {}
            }
        }
        render(&c.finish().main, &mut Vec::new())
    }

    #[test]
    fn xliff_12_codes_map_to_tmx() {
        let (t, m) = read(
            r#"A <ph id="1" ctype="lb">&lt;br/&gt;</ph>b <g id="2" ctype="bold">big</g> <x id="3"/> <bpt id="4">&lt;i&gt;</bpt>c<ept id="4">&lt;/i&gt;</ept> <mrk mtype="term" mid="t">cat</mrk> <bx id="5"/>d"#,
            false,
        );
        assert_eq!(t, "A b big  c cat d");
        assert_eq!(
            m.as_deref(),
            Some(
                r#"A <ph x="1" type="lb">&lt;br/&gt;</ph>b <bpt i="1" x="2" type="bold"/>big<ept i="1"/> <ph x="3"/> <bpt i="2" x="4">&lt;i&gt;</bpt>c<ept i="2">&lt;/i&gt;</ept> <hi type="term" x="t">cat</hi> <it pos="begin" x="5"/>d"#
            )
        );
        // And back to XLIFF 1.2: the same elements.
        let mut x = String::new();
        to_xliff12(m.as_deref().unwrap(), &mut x).unwrap();
        assert_eq!(
            x,
            r#"A <ph id="1" ctype="lb">&lt;br/&gt;</ph>b <g id="2" ctype="bold">big</g> <x id="3"/> <bpt id="4">&lt;i&gt;</bpt>c<ept id="4">&lt;/i&gt;</ept> <mrk mtype="term">cat</mrk> <bx id="5"/>d"#
        );
    }

    #[test]
    fn xliff_2_codes_map_to_tmx() {
        let (t, m) = read(
            r#"<pc id="1">a</pc> <ph id="2" dataRef="d1"/> <sc id="3"/>b<ec startRef="3"/> <sc id="4"/>c <mrk id="m" type="term">d</mrk><cp hex="E9"/>"#,
            true,
        );
        assert_eq!(t, "a  b c dé");
        assert_eq!(
            m.as_deref(),
            Some(
                r#"<bpt i="1" x="1"/>a<ept i="1"/> <ph x="2">&lt;br/&gt;</ph> <bpt i="2" x="3"/>b<ept i="2"/> <it pos="begin" x="4"/>c <hi type="term" x="m">d</hi>é"#
            )
        );
    }

    #[test]
    fn white_space_is_collapsed_across_codes() {
        let (t, m) = read(
            "\n   Hello \n <x id=\"1\"/>  world \n <x id=\"2\"/> \n",
            false,
        );
        assert_eq!(t, "Hello  world ");
        assert_eq!(
            m.as_deref(),
            Some("Hello <ph x=\"1\"/> world <ph x=\"2\"/>")
        );
        let (t, _) = read(" <mrk mtype=\"term\"> a  </mrk>\n b\t", false);
        assert_eq!(t, "a b");
    }

    #[test]
    fn crossing_or_shared_pairs_are_not_g() {
        let m = r#"<bpt i="1" x="1"/>a<bpt i="2" x="1"/>b<ept i="1"/>c<ept i="2"/>"#;
        let mut x = String::new();
        to_xliff12(m, &mut x).unwrap();
        assert_eq!(
            x,
            r#"<bx id="1" rid="1"/>a<bx id="1" rid="2"/>b<ex id="1" rid="1"/>c<ex id="1" rid="2"/>"#
        );
        assert!(to_xliff12("<ph>", &mut String::new()).is_err());
        // A pair across levels keeps its bpt's id on both ends.
        let mut x = String::new();
        to_xliff12(
            r#"<hi><bpt i="3" x="7">[</bpt>a</hi>b<ept i="3">]</ept>"#,
            &mut x,
        )
        .unwrap();
        assert_eq!(
            x,
            r#"<mrk mtype="x-hi"><bpt id="7">[</bpt>a</mrk>b<ept id="7">]</ept>"#
        );
    }
}
