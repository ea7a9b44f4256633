//! Cutting a streamed XML file into chunks of whole units (TMX `<tu>`, XLIFF
//! `<trans-unit>`), each parsed on its own: memory is a few chunks, whatever the file size.

use std::io::{BufRead, Read};

use std::path::Path;

use super::xml::{cut_after_last_end, decoded};
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
}

impl<'a> Input<'a> {
    /// Opens `r` (named `path` in errors) as UTF-8: a UTF-8 BOM is skipped, UTF-16 transcoded.
    pub(crate) fn open(r: impl BufRead + 'a, path: &Path) -> Result<Self, Error> {
        let name = path_name(path);
        let (src, _) = decoded(Box::new(r)).map_err(|e| Error::io(&name, e))?;
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
        }
    }

    /// Reads until `buf` holds `want` bytes or the input ends.
    pub(crate) fn fill(&mut self, want: usize) -> Result<(), Error> {
        if self.eof || self.buf.len() >= want {
            return Ok(());
        }
        let need = want - self.buf.len();
        // read_to_end on a Take reads straight into the spare capacity (no zeroing, and no
        // extra copy once the BufReader's own buffer is drained); it grows the buffer as the
        // data comes, so a small file does not cost a chunk-sized allocation (recycled
        // buffers already have the room).
        let got = (&mut self.src)
            .take(need as u64)
            .read_to_end(&mut self.buf)
            .map_err(|e| Error::io(&self.path, e))?;
        if got < need {
            self.eof = true;
        }
        Ok(())
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
