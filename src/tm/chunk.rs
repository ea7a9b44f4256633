//! Cutting a streamed XML file into chunks of whole units (TMX `<tu>`, XLIFF
//! `<trans-unit>`), each parsed on its own: memory is a few chunks, whatever the file size.
//!
//! This is also the one place where the input becomes what an XML parser must see, for TMX
//! and XLIFF alike: UTF-8 (UTF-16 and declared legacy encodings are transcoded while
//! streaming, see [`decoded`]) with XML 1.0 §2.11 end-of-line handling: every CRLF and lone
//! CR is read as LF (a `&#13;` reference stays a CR). Without it a CRLF file and its LF copy
//! held different units. Positions count in this form: lines are the same as an editor
//! shows, byte offsets are those of the normalised UTF-8 text.

use std::io::{BufRead, Read};

use std::path::Path;

use super::xml::{cut_after_last_end, decoded, DecodeError};
use super::{path_name, Error};
use crate::Position;

/// Where a chunk starts in the file, to turn offsets into `line:column`.
#[derive(Debug, Clone, Copy)]
pub struct Base {
    /// Byte offset of the chunk in the (UTF-8) input.
    pub byte: u64,
    /// 1-based line of the chunk's first byte.
    pub line: u64,
    /// 1-based column of the chunk's first byte.
    pub column: u64,
}

impl Base {
    pub(crate) fn position(&self, bytes: &[u8], off: usize) -> Position {
        let off = off.min(bytes.len());
        let before = &bytes[..off];
        let nl = memchr::memchr_iter(b'\n', before).count() as u64;
        let chars = |b: &[u8]| b.iter().filter(|&&c| (c & 0xC0) != 0x80).count() as u64;
        match memchr::memrchr(b'\n', before) {
            Some(i) => Position {
                line: self.line + nl,
                column: chars(&before[i + 1..]) + 1,
                byte: self.byte + off as u64,
            },
            None => Position {
                line: self.line,
                column: self.column + chars(before),
                byte: self.byte + off as u64,
            },
        }
    }
}

impl From<Position> for Base {
    fn from(p: Position) -> Base {
        Base {
            byte: p.byte,
            line: p.line,
            column: p.column,
        }
    }
}

/// The [`DecodeError`] inside an I/O error from [`decoded`]'s readers, if it is one.
fn decode_error(e: &std::io::Error) -> Option<&DecodeError> {
    e.get_ref().and_then(|x| x.downcast_ref::<DecodeError>())
}

/// The input of a chunking reader: bytes read but not handed out yet, and where they start.
pub(crate) struct Input<'a> {
    src: Box<dyn BufRead + 'a>,
    /// The file's name, for errors.
    pub(crate) path: String,
    /// Unparsed bytes; `buf[0]` is at `base`.
    pub(crate) buf: Vec<u8>,
    pub(crate) base: Base,
    pub(crate) eof: bool,
    /// Buffers given back with [`Input::recycle`].
    spare: Vec<Vec<u8>>,
    /// The last byte read was a CR (already turned into LF): an LF right after it is dropped.
    cr_pending: bool,
}

impl<'a> Input<'a> {
    /// Opens `r` (named `path` in errors) as UTF-8: a UTF-8 BOM is skipped, UTF-16 transcoded.
    pub(crate) fn open(r: impl BufRead + 'a, path: &Path) -> Result<Self, Error> {
        let name = path_name(path);
        let (src, _) = decoded(Box::new(r)).map_err(|e| match decode_error(&e) {
            Some(d) => {
                let (line, column) = d.at.unwrap_or((1, 1));
                Error::syntax(
                    &name,
                    Position {
                        line,
                        column,
                        byte: column - 1,
                    },
                    d.message.clone(),
                )
            }
            None => Error::io(&name, e),
        })?;
        Ok(Input::new(src, name))
    }

    fn new(src: Box<dyn BufRead + 'a>, path: String) -> Self {
        Input {
            src,
            path,
            buf: Vec::new(),
            base: Base {
                byte: 0,
                line: 1,
                column: 1,
            },
            eof: false,
            spare: Vec::new(),
            cr_pending: false,
        }
    }

    /// Reads until `buf` holds `want` bytes or the input ends, with line ends normalised.
    pub(crate) fn fill(&mut self, want: usize) -> Result<(), Error> {
        while !self.eof && self.buf.len() < want {
            let need = want - self.buf.len();
            let from = self.buf.len();
            // read_to_end on a Take reads straight into the spare capacity (no zeroing, and no
            // extra copy once the BufReader's own buffer is drained); it grows the buffer as
            // the data comes, so a small file does not cost a chunk-sized allocation (recycled
            // buffers already have the room).
            let res = (&mut self.src).take(need as u64).read_to_end(&mut self.buf);
            // The bytes read before an error stay in `buf` (read_to_end keeps them): normalise
            // them too, so that a decoding error is placed right after them.
            self.normalise_eol(from);
            let got = match res {
                Ok(got) => got,
                Err(e) => {
                    return Err(match decode_error(&e) {
                        Some(d) => Error::syntax(
                            &self.path,
                            self.base.position(&self.buf, self.buf.len()),
                            d.message.clone(),
                        ),
                        None => Error::io(&self.path, e),
                    })
                }
            };
            if got < need {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// XML 1.0 §2.11 on `buf[from..]`: CRLF and lone CR become LF, in place. A CR at the end
    /// may be the first half of a CRLF cut by the read: it becomes LF now and an LF starting
    /// the next read is dropped.
    fn normalise_eol(&mut self, from: usize) {
        let mut r = from;
        if self.cr_pending && r < self.buf.len() {
            self.cr_pending = false;
            if self.buf[r] == b'\n' {
                self.buf.remove(r);
            }
        }
        let Some(first) = memchr::memchr(b'\r', &self.buf[r..]) else {
            return;
        };
        r += first;
        let mut w = r;
        let len = self.buf.len();
        loop {
            // buf[r] is a CR.
            self.buf[w] = b'\n';
            w += 1;
            r += 1;
            if r == len {
                self.cr_pending = true;
                break;
            }
            if self.buf[r] == b'\n' {
                r += 1;
            }
            let next = memchr::memchr(b'\r', &self.buf[r..]).map_or(len, |i| r + i);
            self.buf.copy_within(r..next, w);
            w += next - r;
            r = next;
            if r == len {
                break;
            }
        }
        self.buf.truncate(w);
    }

    /// Moves `buf[..n]` out (the rest stays, in a recycled buffer if there is one) and
    /// advances `base` past it: the bytes and where they started.
    pub(crate) fn take(&mut self, n: usize) -> (Vec<u8>, Base) {
        let mut rest = self.spare.pop().unwrap_or_default();
        rest.clear();
        rest.extend_from_slice(&self.buf[n..]);
        self.buf.truncate(n);
        let bytes = std::mem::replace(&mut self.buf, rest);
        let base = self.base;
        self.base = Base {
            byte: base.byte + bytes.len() as u64,
            ..base.position(&bytes, bytes.len()).into()
        };
        (bytes, base)
    }

    /// The next chunk of about `chunk` bytes, cut just after the last end tag of one of
    /// `units` (see [`cut_after_last_end`]), or the rest of the file: bytes, where they
    /// start, and whether it is the last. A stretch of `max` bytes with no such end tag is an
    /// error saying `too_big`.
    pub(crate) fn next_chunk(
        &mut self,
        units: &[&[u8]],
        prefixed: bool,
        chunk: usize,
        max: usize,
        too_big: &dyn Fn() -> String,
    ) -> Result<(Vec<u8>, Base, bool), Error> {
        let mut want = chunk;
        let cut = loop {
            self.fill(want)?;
            let search = self.buf.len().min(want);
            let buf = &self.buf[..search];
            if let Some(c) = units
                .iter()
                .filter_map(|u| cut_after_last_end(buf, u, prefixed))
                .max()
            {
                break c;
            }
            if self.eof && self.buf.len() <= want {
                break self.buf.len();
            }
            if want >= max {
                return Err(Error::syntax(
                    &self.path,
                    self.base.position(&self.buf, 0),
                    too_big(),
                ));
            }
            want *= 2;
        };
        let last = self.eof && cut == self.buf.len();
        let (bytes, base) = self.take(cut);
        Ok((bytes, base, last))
    }

    /// Gives back the bytes of a chunk once parsed: the next chunks are read into them
    /// instead of into fresh memory.
    pub(crate) fn recycle(&mut self, buf: Vec<u8>) {
        if buf.capacity() > 0 && self.spare.len() < 2 {
            self.spare.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], step: usize) -> Result<Vec<u8>, Error> {
        let mut i = Input::open(std::io::Cursor::new(bytes.to_vec()), "t.xml".as_ref())?;
        let mut want = step;
        while !i.eof {
            i.fill(want)?;
            want += step;
        }
        Ok(i.buf)
    }

    #[test]
    fn line_ends_are_normalised_across_reads() {
        let raw = b"a\r\nb\rc\r\r\nd\n\re&#13;\r";
        // Every read size, so that CR and LF fall on both sides of a read boundary.
        for step in 1..raw.len() + 2 {
            assert_eq!(
                read_all(raw, step).unwrap(),
                b"a\nb\nc\n\nd\n\ne&#13;\n",
                "{step}"
            );
        }
    }

    proptest::proptest! {
        /// Any mix of CR, LF and text, read in any steps, gives what XML 1.0 §2.11 says.
        #[test]
        fn line_ends_match_the_rule(
            parts in proptest::collection::vec(
                proptest::sample::select(&["\r", "\n", "\r\n", "a", "é", "&#13;"][..]),
                0..40,
            ),
            step in 1usize..9,
        ) {
            let raw = parts.concat();
            let want = raw.replace("\r\n", "\n").replace('\r', "\n");
            proptest::prop_assert_eq!(read_all(raw.as_bytes(), step).unwrap(), want.into_bytes());
        }
    }

    #[test]
    fn legacy_encoding_errors_are_placed() {
        // ISO-8859-3 has no character at 0xA5.
        let raw = b"<?xml version=\"1.0\" encoding=\"ISO-8859-3\"?>\r\n<a>\xE8\xA5</a>";
        let e = read_all(raw, 7).unwrap_err().to_string();
        assert_eq!(
            e,
            "t.xml:2:5: byte 0xA5 not valid ISO-8859-3 (the encoding the XML declaration names)"
        );
        let raw = b"<?xml version='1.0' encoding = 'x-foo'?><a/>";
        let e = read_all(raw, 7).unwrap_err().to_string();
        assert!(
            e.starts_with("t.xml:1:33: encoding \"x-foo\" is not supported"),
            "{e}"
        );
    }

    #[test]
    fn legacy_encodings_are_transcoded() {
        let raw = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>caf\xE9 \x80</a>";
        let out = read_all(raw, 5).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("<a>café €</a>"));
        let raw = b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x93\xfa\x96\x7b</a>";
        let out = read_all(raw, 3).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("<a>日本</a>"));
    }
}
