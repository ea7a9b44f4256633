//! XML helpers shared by the TMX and XLIFF modules: escaping, the XML 1.0 character rule,
//! entity decoding with positions, and input decoding (BOM, UTF-16).

use std::io::{self, BufRead, Read};

/// True for characters XML 1.0 allows (`Char` production). Surrogates cannot occur in a Rust
/// `char`.
#[inline]
pub fn is_xml_char(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        c if (c as u32) < 0x20 => false,
        '\u{FFFE}' | '\u{FFFF}' => false,
        _ => true,
    }
}

/// Escapes text content (`&`, `<`, `>`), writes CR as `&#13;` (a parser would turn a raw CR
/// into LF) and strips characters XML 1.0 forbids.
pub fn escape_text(out: &mut String, s: &str) {
    escape(out, s, false)
}

/// Escapes an attribute value (also `"`, and tab/LF/CR as references so that attribute-value
/// normalisation does not turn them into spaces) and strips forbidden characters.
pub fn escape_attr(out: &mut String, s: &str) {
    escape(out, s, true)
}

fn escape(out: &mut String, s: &str, attr: bool) {
    // Fast path: nothing to escape (the usual case for natural-language text).
    if !s.bytes().any(|b| {
        matches!(b, b'&' | b'<' | b'>' | b'"' | b'\r' | 0xEF)
            || (b < 0x20 && (attr || b != b'\t' && b != b'\n'))
    }) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
}

/// Removes characters XML 1.0 forbids (what the writers do to text before checking that a
/// segment is not empty).
pub fn strip_illegal(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Why an escaped string could not be decoded: message and byte offset in the input.
#[derive(Debug)]
pub struct UnescapeError {
    pub offset: usize,
    pub message: String,
}

/// The unescaped value of attribute `name`, if present; errors are messages for the caller to
/// place (TMX and XLIFF readers add file, line and column).
pub fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|x| x.to_string())?;
        if a.key.as_ref() == name {
            let mut v = String::new();
            unescape_into(&mut v, std::str::from_utf8(&a.value).unwrap_or(""))
                .map_err(|x| x.message)?;
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// Appends the decoded form of `raw` (text or attribute content, already known to be UTF-8) to
/// `out`. Only the five predefined entities and character references exist (DOCTYPEs with
/// entity declarations are refused before this), and a reference to a character XML 1.0
/// forbids is an error.
pub fn unescape_into(out: &mut String, raw: &str) -> Result<(), UnescapeError> {
    let bytes = raw.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'&', &bytes[i..]) {
        let amp = i + off;
        out.push_str(&raw[last..amp]);
        let Some(semi) = memchr::memchr(b';', &bytes[amp..]).map(|s| amp + s) else {
            return Err(UnescapeError {
                offset: amp,
                message: "'&' not followed by an entity or character reference ending in ';' (write &amp;)".into(),
            });
        };
        let name = &raw[amp + 1..semi];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if name.starts_with('#') => {
                let num = if let Some(h) = name.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else {
                    name[1..].parse::<u32>().ok()
                };
                match num.and_then(char::from_u32) {
                    Some(c) if is_xml_char(c) => c,
                    _ => {
                        return Err(UnescapeError {
                            offset: amp,
                            message: format!(
                                "character reference &{name}; is not a character XML 1.0 allows"
                            ),
                        })
                    }
                }
            }
            _ => {
                return Err(UnescapeError {
                    offset: amp,
                    message: format!(
                        "unknown entity &{};  (only &amp; &lt; &gt; &quot; &apos; exist here)",
                        truncate(name, 40)
                    ),
                })
            }
        };
        out.push(c);
        i = semi + 1;
        last = i;
    }
    out.push_str(&raw[last..]);
    Ok(())
}

/// Checks `raw` as [`unescape_into`] would, without keeping the text: no allocation when there
/// is no `&` (the common case for attribute values, props and notes on the lean path).
pub fn check_escapes(raw: &str) -> Result<(), UnescapeError> {
    if memchr::memchr(b'&', raw.as_bytes()).is_none() {
        return Ok(());
    }
    unescape_into(&mut String::new(), raw)
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Finds the first character XML 1.0 forbids in raw (UTF-8) input: its byte offset.
///
/// Scans eight bytes at a time (SWAR): a word is looked at byte by byte only when it holds a
/// byte below 0x20 (usually a newline or tab) or 0xEF (the lead byte of U+FFFE/U+FFFF).
pub fn find_illegal(bytes: &[u8]) -> Option<usize> {
    let check = |i: usize| -> bool {
        let b = bytes[i];
        if b < 0x20 {
            b != b'\t' && b != b'\n' && b != b'\r'
        } else {
            b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE) | Some(0xBF))
        }
    };
    // A branch-free test per 64-byte block, which the compiler turns into SIMD compares; the
    // byte loop only runs on a block holding a suspect byte (a control character, or 0xEF, the
    // lead byte of U+F000..U+FFFF, rare in text).
    let suspect = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0xEF);
    let mut i = 0;
    for block in bytes.chunks_exact(64) {
        if block.iter().fold(false, |acc, &b| acc | suspect(b)) {
            for j in i..i + 64 {
                if check(j) {
                    return Some(j);
                }
            }
        }
        i += 64;
    }
    (i..bytes.len()).find(|&j| check(j))
}

/// Validates UTF-8 with SIMD (simdutf8), falling back to std for the error's position.
pub fn from_utf8(b: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(b) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(b),
    }
}

/// The text encoding of an input, from its first bytes (and its XML declaration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// A legacy encoding the XML declaration names (windows-1252, ISO-8859-x, Shift_JIS, ...),
    /// transcoded with encoding_rs.
    Legacy(&'static encoding_rs::Encoding),
}

/// Sniffs a byte-order mark (or the UTF-16 form of `<?`) and returns the encoding and how
/// many BOM bytes to skip.
pub fn sniff(head: &[u8]) -> (Encoding, usize) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
        [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
        [b'<', 0, b'?', 0, ..] => (Encoding::Utf16Le, 0),
        [0, b'<', 0, b'?', ..] => (Encoding::Utf16Be, 0),
        _ => (Encoding::Utf8, 0),
    }
}

/// A problem decoding the input, for the reader to place: `at` is the (1-based line, column)
/// when known (a declaration), otherwise the problem lies just after the bytes decoded so far.
#[derive(Debug)]
pub struct DecodeError {
    pub at: Option<(u64, u64)>,
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

fn decode_error(at: Option<(u64, u64)>, message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, DecodeError { at, message })
}

/// The value of `encoding="..."` in the XML declaration at the start of `head` (ASCII bytes),
/// with its 0-based offset in `head`.
fn declared_encoding(head: &[u8]) -> Option<(&str, usize)> {
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(head, b"?>")?;
    let decl = &head[..end];
    let mut from = 5;
    while let Some(i) = memchr::memmem::find(&decl[from..], b"encoding") {
        let k = from + i;
        from = k + 8;
        if !decl[k - 1].is_ascii_whitespace() {
            continue;
        }
        let mut j = k + 8;
        while j < decl.len() && decl[j].is_ascii_whitespace() {
            j += 1;
        }
        if decl.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < decl.len() && decl[j].is_ascii_whitespace() {
            j += 1;
        }
        let q = *decl.get(j)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let v = j + 1;
        let len = memchr::memchr(q, &decl[v..])?;
        return std::str::from_utf8(&decl[v..v + len]).ok().map(|s| (s, v));
    }
    None
}

/// Wraps `r` so that it yields UTF-8: strips a UTF-8 BOM, transcodes UTF-16 (with or without
/// BOM) and the legacy encodings an XML declaration names (`encoding="windows-1252"`), while
/// streaming. Positions in errors then count in the UTF-8 form, which gives the same lines and
/// columns (columns are counted in characters). Errors are [`DecodeError`]s inside
/// `io::Error`s: an encoding encoding_rs does not know (named, with its place), bytes invalid
/// in the encoding (after the text decoded before them).
pub fn decoded<'a>(mut r: Box<dyn BufRead + 'a>) -> io::Result<(Box<dyn BufRead + 'a>, Encoding)> {
    let head = r.fill_buf()?;
    let (enc, skip) = sniff(head);
    // fill_buf may return fewer than 4 bytes on a pipe; sniffing then falls back to UTF-8,
    // which is what a 1-3 byte input would be anyway.
    r.consume(skip);
    if enc != Encoding::Utf8 {
        return Ok((utf16(r, enc == Encoding::Utf16Be), enc));
    }
    if skip > 0 {
        // A UTF-8 byte order mark says more than a declaration (XML 1.0 appendix F).
        return Ok((r, enc));
    }
    // The declaration, if any, is in ASCII: look at it without consuming it when the buffer
    // holds it (files), else gather it first (a pipe may hand out a few bytes at a time).
    const DECL_MAX: usize = 1024;
    let mut gathered = Vec::new();
    let (label, at) = {
        let buf = r.fill_buf()?;
        let complete = buf.len() >= DECL_MAX || memchr::memmem::find(buf, b"?>").is_some();
        let head: &[u8] = if complete || !buf.starts_with(b"<?xml") && buf.len() >= 5 {
            buf
        } else {
            loop {
                let b = r.fill_buf()?;
                if b.is_empty() {
                    break;
                }
                let n = b.len().min(DECL_MAX - gathered.len());
                gathered.extend_from_slice(&b[..n]);
                r.consume(n);
                if gathered.len() >= DECL_MAX || memchr::memmem::find(&gathered, b"?>").is_some() {
                    break;
                }
            }
            &gathered
        };
        match declared_encoding(head) {
            Some((l, at)) => (Some(l.trim().to_string()), at),
            None => (None, 0),
        }
    };
    let r: Box<dyn BufRead + 'a> = if gathered.is_empty() {
        r
    } else {
        Box::new(io::Cursor::new(gathered).chain(r))
    };
    let Some(label) = label else {
        return Ok((r, Encoding::Utf8));
    };
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        // A declared UTF-16 without BOM or UTF-16 bytes is 8-bit text anyway (the declaration
        // is in ASCII): read as UTF-8, whose validation catches anything else.
        Some(e)
            if e == encoding_rs::UTF_8
                || e == encoding_rs::UTF_16LE
                || e == encoding_rs::UTF_16BE =>
        {
            Ok((r, Encoding::Utf8))
        }
        // x-user-defined and the replacement encoding are not encodings a file is written in.
        Some(e) if e != encoding_rs::REPLACEMENT && e != encoding_rs::X_USER_DEFINED => Ok((
            Box::new(io::BufReader::with_capacity(
                1 << 16,
                LegacyReader {
                    inner: r,
                    decoder: e.new_decoder_without_bom_handling(),
                    name: e.name(),
                    out: Vec::new(),
                    pos: 0,
                    error: None,
                    done: false,
                },
            )),
            Encoding::Legacy(e),
        )),
        _ => Err(decode_error(
            Some((1, at as u64 + 1)),
            format!(
                "encoding {label:?} is not supported (declared in the XML declaration): \
                 convert the file to UTF-8"
            ),
        )),
    }
}

fn utf16<'a>(inner: Box<dyn BufRead + 'a>, big_endian: bool) -> Box<dyn BufRead + 'a> {
    Box::new(io::BufReader::with_capacity(
        1 << 16,
        Utf16Reader {
            inner,
            big_endian,
            pending: Vec::new(),
            carry: Vec::new(),
            done: false,
            error: None,
        },
    ))
}

/// Transcodes a legacy encoding to UTF-8 on the fly; bytes invalid in it are an error once the
/// text before them has been handed out (so the reader can say where).
struct LegacyReader<'a> {
    inner: Box<dyn BufRead + 'a>,
    decoder: encoding_rs::Decoder,
    name: &'static str,
    out: Vec<u8>,
    pos: usize,
    error: Option<String>,
    done: bool,
}

impl Read for LegacyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if let Some(m) = self.error.take() {
                self.done = true;
                return Err(decode_error(None, m));
            }
            if self.done {
                return Ok(0);
            }
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            let cap = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len() * 3 + 16)
                .max(16);
            self.out.clear();
            self.out.resize(cap, 0);
            self.pos = 0;
            let (res, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(src, &mut self.out, last);
            if let encoding_rs::DecoderResult::Malformed(bad, extra) = res {
                let end = read - extra as usize;
                let start = end.saturating_sub(bad as usize);
                let bytes: Vec<String> = src[start..end]
                    .iter()
                    .map(|b| format!("0x{b:02X}"))
                    .collect();
                self.error = Some(format!(
                    "byte{} {} not valid {} (the encoding the XML declaration names)",
                    if bytes.len() == 1 { "" } else { "s" },
                    bytes.join(" "),
                    self.name
                ));
            }
            self.inner.consume(read);
            self.out.truncate(written);
            if last && self.error.is_none() {
                self.done = true;
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The offset just after the last end tag of `name` (`</name>`, `</name >`; with `prefixed`,
/// also `</p:name>`) outside comments and CDATA: where a streaming reader can cut a body
/// into chunks of whole units.
pub(crate) fn cut_after_last_end(buf: &[u8], name: &[u8], prefixed: bool) -> Option<usize> {
    if memchr::memmem::find(buf, b"<!").is_none() {
        let mut needle = b"</".to_vec();
        needle.extend_from_slice(name);
        let needle: &[u8] = if prefixed { name } else { &needle };
        let finder = memchr::memmem::FinderRev::new(needle);
        let mut end = buf.len();
        while let Some(i) = finder.rfind(&buf[..end]) {
            let at = if prefixed { i } else { i + 2 };
            if let Some(c) = end_tag_end(buf, at, name, prefixed) {
                return Some(c);
            }
            end = i;
        }
        return None;
    }
    // Slow path: walk the markup, skipping comments and CDATA sections.
    let mut last = None;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &buf[i..]) {
        let p = i + off;
        let rest = &buf[p..];
        if rest.starts_with(b"<!--") {
            match memchr::memmem::find(&rest[4..], b"-->") {
                Some(e) => i = p + 4 + e + 3,
                None => break,
            }
        } else if rest.starts_with(b"<![CDATA[") {
            match memchr::memmem::find(&rest[9..], b"]]>") {
                Some(e) => i = p + 9 + e + 3,
                None => break,
            }
        } else if rest.len() < 9 && (b"<!--".starts_with(rest) || b"<![CDATA[".starts_with(rest)) {
            break;
        } else {
            if rest.starts_with(b"</") {
                let mut at = p + 2;
                if prefixed {
                    // Skip a `prefix:` before the name.
                    let mut j = at;
                    while j < buf.len()
                        && buf[j] != b':'
                        && buf[j] != b'>'
                        && !buf[j].is_ascii_whitespace()
                    {
                        j += 1;
                    }
                    if buf.get(j) == Some(&b':') {
                        at = j + 1;
                    }
                }
                if let Some(c) = end_tag_end(buf, at, name, prefixed) {
                    last = Some(c);
                }
            }
            i = p + 1;
        }
    }
    last
}

/// If `name` starts at `at` and is the name of an end tag (`</` before it, or with `prefixed`
/// `</prefix:`; white space or `>` after it), the offset after that tag's `>`.
fn end_tag_end(buf: &[u8], at: usize, name: &[u8], prefixed: bool) -> Option<usize> {
    if !buf[at..].starts_with(name) || at < 2 {
        return None;
    }
    let opened = if buf[..at].ends_with(b"</") {
        true
    } else if prefixed && buf[at - 1] == b':' {
        let mut j = at - 1;
        while j > 0 && buf[j - 1] != b'<' && buf[j - 1] != b'/' && !buf[j - 1].is_ascii_whitespace()
        {
            j -= 1;
        }
        j >= 2 && j < at - 1 && &buf[j - 2..j] == b"</"
    } else {
        false
    };
    if !opened {
        return None;
    }
    let after = at + name.len();
    let mut j = after;
    while j < buf.len() && buf[j].is_ascii_whitespace() {
        j += 1;
    }
    (j < buf.len() && buf[j] == b'>' && (j == after || buf[after].is_ascii_whitespace()))
        .then_some(j + 1)
}

/// Transcodes UTF-16 to UTF-8 on the fly.
struct Utf16Reader<'a> {
    inner: Box<dyn BufRead + 'a>,
    big_endian: bool,
    pending: Vec<u8>,
    /// Bytes held back for the next round: an odd byte, or a high surrogate whose pair has not
    /// arrived yet.
    carry: Vec<u8>,
    done: bool,
    /// An error to report once the text decoded before it has been handed out.
    error: Option<String>,
}

impl Read for Utf16Reader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            if let Some(m) = self.error.take() {
                self.done = true;
                return Err(decode_error(None, m));
            }
        }
        while self.pending.is_empty() && !self.done {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                self.done = true;
                if !self.carry.is_empty() {
                    return Err(decode_error(
                        None,
                        "UTF-16 input ends in the middle of a character".into(),
                    ));
                }
                break;
            }
            let mut bytes = std::mem::take(&mut self.carry);
            bytes.extend_from_slice(chunk);
            let n = chunk.len();
            self.inner.consume(n);
            let even = bytes.len() & !1;
            let mut units: Vec<u16> = bytes[..even]
                .chunks_exact(2)
                .map(|p| {
                    if self.big_endian {
                        u16::from_be_bytes([p[0], p[1]])
                    } else {
                        u16::from_le_bytes([p[0], p[1]])
                    }
                })
                .collect();
            let mut keep_from = even;
            if let Some(&last) = units.last() {
                if (0xD800..0xDC00).contains(&last) {
                    units.pop();
                    keep_from = even - 2;
                }
            }
            self.carry = bytes[keep_from..].to_vec();
            for c in char::decode_utf16(units.iter().copied()) {
                match c {
                    Ok(c) => {
                        let mut b = [0u8; 4];
                        self.pending
                            .extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                    }
                    Err(e) => {
                        // The text before it first, then the error.
                        self.error = Some(format!(
                            "invalid UTF-16: unpaired surrogate 0x{:04X}",
                            e.unpaired_surrogate()
                        ));
                        break;
                    }
                }
            }
            if self.error.is_some() {
                if self.pending.is_empty() {
                    self.done = true;
                    let m = self.error.take().unwrap_or_default();
                    return Err(decode_error(None, m));
                }
                break;
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_after_the_last_end_tag_outside_comments_and_cdata() {
        let tmx = b"<tu><tuv/></tu>\n<tu></tu >x<tuv></tuv>";
        assert_eq!(cut_after_last_end(tmx, b"tu", false), Some(26));
        assert_eq!(cut_after_last_end(b"<tu><tuv></tuv>", b"tu", false), None);
        // A commented-out or CDATA end tag is not a place to cut.
        let c = b"<tu></tu><!-- </tu> --><tu><![CDATA[</tu>]]>";
        assert_eq!(cut_after_last_end(c, b"tu", false), Some(9));
        // XLIFF: a namespace prefix, and not <trans-unit-x>.
        let x = b"<x:trans-unit></x:trans-unit><trans-unit></trans-unit-x>";
        assert_eq!(cut_after_last_end(x, b"trans-unit", true), Some(29));
        let x = b"<trans-unit></trans-unit><!----><x:trans-unit></x:trans-unit\n>";
        assert_eq!(cut_after_last_end(x, b"trans-unit", true), Some(x.len()));
        assert_eq!(
            cut_after_last_end(b"a:trans-unit>", b"trans-unit", true),
            None
        );
    }

    #[test]
    fn escapes_and_strips() {
        let mut s = String::new();
        escape_text(&mut s, "a<b>&\"c\u{1}\u{B}\t\n\r\u{FFFF}");
        assert_eq!(s, "a&lt;b&gt;&amp;\"c\t\n&#13;");
        let mut s = String::new();
        escape_attr(&mut s, "x\"\t\n");
        assert_eq!(s, "x&quot;&#9;&#10;");
    }

    #[test]
    fn unescapes_and_refuses_illegal_refs() {
        let mut s = String::new();
        unescape_into(&mut s, "a&amp;&#65;&#x42;&lt;").unwrap();
        assert_eq!(s, "a&AB<");
        for bad in [
            "&#1;",
            "&#xFFFE;",
            "&#xD800;",
            "&foo;",
            "a & b",
            "&#x110000;",
        ] {
            assert!(unescape_into(&mut String::new(), bad).is_err(), "{bad}");
        }
        let e = unescape_into(&mut String::new(), "ab&#0;").unwrap_err();
        assert_eq!(e.offset, 2);
    }

    #[test]
    fn finds_illegal_bytes() {
        assert_eq!(find_illegal(b"ab\x0bc"), Some(2));
        for n in 0..20 {
            let mut v = vec![b'a'; n];
            assert_eq!(find_illegal(&v), None);
            v.extend_from_slice("\t\n\r\u{FFFD}سلام".as_bytes());
            assert_eq!(find_illegal(&v), None);
            v.push(0x1F);
            assert_eq!(find_illegal(&v), Some(v.len() - 1));
            v.pop();
            v.extend_from_slice("\u{FFFF}".as_bytes());
            assert_eq!(find_illegal(&v), Some(v.len() - 3));
        }
        assert_eq!(find_illegal("a\u{FFFE}".as_bytes()), Some(1));
        assert_eq!(find_illegal("a\tb\n\u{FFFD}".as_bytes()), None);
    }

    /// The word-at-a-time scan agrees with a byte-by-byte one for every byte value at every
    /// position of a word, next to line breaks and tabs (which are legal and masked out).
    #[test]
    fn word_scan_matches_byte_scan() {
        let naive = |b: &[u8]| {
            (0..b.len()).find(|&i| {
                let c = b[i];
                (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r'))
                    || (c == 0xEF
                        && b.get(i + 1) == Some(&0xBF)
                        && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
            })
        };
        for fill in [
            b'a', b'\n', b'\t', b'\r', 0xD8, 0x7F, 0x1F, 0x20, 0x80, 0xFF,
        ] {
            for pos in 0..24 {
                for v in 0..=255u8 {
                    let mut b = vec![fill; 24];
                    b[pos] = v;
                    assert_eq!(
                        find_illegal(&b),
                        naive(&b),
                        "fill {fill:#x} byte {v:#x} at {pos}"
                    );
                }
                let mut b = vec![fill; 24];
                b[pos..(pos + 3).min(24)].copy_from_slice(&[0xEF, 0xBF, 0xBF][..(24 - pos).min(3)]);
                assert_eq!(
                    find_illegal(&b),
                    naive(&b),
                    "fill {fill:#x} U+FFFF at {pos}"
                );
            }
        }
        assert!(check_escapes("a &amp; b").is_ok());
        assert!(check_escapes("a & b").is_err());
    }

    #[test]
    fn a_utf8_bom_wins_over_a_declared_encoding() {
        let mut bytes = b"\xEF\xBB\xBF<?xml version='1.0' encoding='windows-1252'?>".to_vec();
        bytes.extend_from_slice("<a>é</a>".as_bytes());
        let r: Box<dyn BufRead> = Box::new(io::Cursor::new(bytes));
        let (mut r, enc) = decoded(r).unwrap();
        assert_eq!(enc, Encoding::Utf8);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert!(s.ends_with("<a>é</a>"), "{s}");
    }

    #[test]
    fn declaration_read_from_a_trickling_pipe() {
        // One byte per read: the declaration is gathered, then the rest follows.
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>".to_vec();
        let r: Box<dyn BufRead> = Box::new(io::BufReader::with_capacity(1, io::Cursor::new(bytes)));
        let (mut r, enc) = decoded(r).unwrap();
        assert!(matches!(enc, Encoding::Legacy(_)));
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>é</a>");
    }

    #[test]
    fn transcodes_utf16() {
        let text = "<?xml?>سلام 😀";
        for be in [false, true] {
            let mut bytes = if be {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for u in text.encode_utf16() {
                bytes.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            // A tiny buffer splits characters and surrogate pairs across reads.
            let r: Box<dyn BufRead> =
                Box::new(io::BufReader::with_capacity(3, io::Cursor::new(bytes)));
            let (mut r, _) = decoded(r).unwrap();
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            assert_eq!(s, text);
        }
    }
}
