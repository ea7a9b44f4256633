//! Moses-style parallel text: one UTF-8 file per language, line `n` of each file is unit `n`
//! (`corpus.ar`, `corpus.en`, `corpus.fr`). What MT training tools (Moses, OPUS, fairseq) use.
//!
//! Writing replaces line breaks inside a segment with a space (a newline would shift every
//! following line) and writes all files atomically (temporary files renamed at the end).
//! Reading checks that the files have the same number of lines and names the file and line
//! of any invalid UTF-8.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{moses_path, norm_lang, path_name, Error, Unit, Variant};

/// True when a file extension is a language tag (`ar`, `en`, `pt-br`), so a file named
/// `corpus.ar` is a Moses file. Format extensions (`tmx`, `csv`, ...) are excluded.
pub fn is_lang_ext(ext: &str) -> bool {
    !matches!(
        ext,
        "tmx" | "csv" | "tsv" | "tab" | "xlf" | "xliff" | "txt" | "xml" | "gz" | "zip" | "json"
    ) && (2..=3).contains(&ext.split('-').next().unwrap_or("").len())
        && norm_lang(ext).is_some()
}

/// The stem and language of a Moses path: `corpus.ar` -> (`corpus`, `ar`).
pub fn split_path(path: &Path) -> Option<(PathBuf, String)> {
    let ext = path.extension()?.to_str()?;
    let lang = norm_lang(ext)?;
    Some((path.with_extension(""), lang))
}

/// Reads line-aligned files in lockstep.
pub struct Reader {
    files: Vec<(String, BufReader<File>)>,
    langs: Vec<String>,
    line: u64,
    buf: Vec<u8>,
}

impl Reader {
    /// Opens `path` (e.g. `corpus.ar`, the source) and the files of the other languages: those
    /// in `langs` (`corpus.en` for `en`), or else every sibling `corpus.<tag>`.
    ///
    /// # Errors
    /// A path without a language extension, no other language file, I/O errors.
    pub fn open(path: &Path, langs: &[String]) -> Result<Reader, Error> {
        let name = path_name(path);
        let (stem, src) = split_path(path).ok_or_else(|| {
            Error::invalid(
                &name,
                "a Moses file is named STEM.LANG (corpus.ar, corpus.en, ...)",
            )
        })?;
        let mut all = vec![src.clone()];
        if langs.is_empty() {
            let dir = match stem.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let base = stem
                .file_name()
                .map(|s| s.to_os_string())
                .unwrap_or_default();
            let mut found = Vec::new();
            for e in std::fs::read_dir(&dir).map_err(|e| Error::io(&name, e))? {
                let p = e.map_err(|e| Error::io(&name, e))?.path();
                if p.file_stem() == Some(&base) {
                    if let Some((_, l)) = split_path(&p) {
                        if p.extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(is_lang_ext)
                            && l != src
                        {
                            found.push(l);
                        }
                    }
                }
            }
            found.sort();
            all.extend(found);
        } else {
            for l in langs {
                let n = norm_lang(l).ok_or_else(|| {
                    Error::invalid(
                        &name,
                        format!("{} is not a language tag", crate::error::quoted(l)),
                    )
                })?;
                if !all.contains(&n) {
                    all.push(n);
                }
            }
        }
        if all.len() < 2 {
            return Err(Error::invalid(
                &name,
                "no other language file next to it (e.g. corpus.en for corpus.ar)",
            ));
        }
        let mut files = Vec::new();
        for l in &all {
            let p = if *l == src {
                path.to_path_buf()
            } else {
                moses_path(&stem, l)
            };
            let f = File::open(&p).map_err(|e| Error::io(&path_name(&p), e))?;
            files.push((path_name(&p), BufReader::with_capacity(1 << 16, f)));
        }
        Ok(Reader {
            files,
            langs: all,
            line: 0,
            buf: Vec::new(),
        })
    }

    /// The next unit (empty lines leave that language out), `Ok(None)` at the end.
    ///
    /// # Errors
    /// Files of different lengths, invalid UTF-8 (file and line); I/O errors.
    pub fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        self.line += 1;
        let mut u = Unit::default();
        let mut ended = Vec::new();
        for (i, (name, f)) in self.files.iter_mut().enumerate() {
            self.buf.clear();
            let n = f
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| Error::io(name, e))?;
            if n == 0 {
                ended.push(i);
                continue;
            }
            while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
                self.buf.pop();
            }
            let text = std::str::from_utf8(&self.buf).map_err(|e| Error::Syntax {
                path: name.clone(),
                line: self.line,
                column: 1 + self.buf[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| (b & 0xC0) != 0x80)
                    .count() as u64,
                message: "invalid UTF-8".into(),
            })?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            if !text.trim().is_empty() {
                u.variants.push(Variant::new(self.langs[i].clone(), text));
            }
        }
        match ended.len() {
            0 => Ok(Some(u)),
            n if n == self.files.len() => Ok(None),
            _ => {
                let short = &self.files[ended[0]].0;
                Err(Error::Syntax {
                    path: short.clone(),
                    line: self.line,
                    column: 1,
                    message: format!(
                        "ends at line {} while the other files go on: the files are not line-aligned",
                        self.line - 1
                    ),
                })
            }
        }
    }
}

impl super::ReadUnits for Reader {
    fn read_unit(&mut self) -> Result<Option<Unit>, Error> {
        Reader::read_unit(self)
    }
    fn langs(&self) -> Vec<String> {
        self.langs.clone()
    }
}

/// Writes one file per language, atomically.
pub struct Writer {
    files: Vec<(PathBuf, BufWriter<tempfile::NamedTempFile>)>,
    langs: Vec<String>,
    line: String,
    codes: super::codes::Codes,
}

impl Writer {
    /// Creates temporary files beside `stem.<lang>` for each language.
    ///
    /// # Errors
    /// Invalid tags, I/O errors.
    pub fn create(stem: &Path, langs: &[String]) -> Result<Writer, Error> {
        let dir = match stem.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&path_name(&dir), e))?;
        let mut files = Vec::new();
        let mut norm = Vec::new();
        for l in langs {
            let n = norm_lang(l).ok_or_else(|| {
                Error::invalid(
                    &path_name(stem),
                    format!("{} is not a language tag", crate::error::quoted(l)),
                )
            })?;
            let tmp = tempfile::Builder::new()
                .prefix(".dragoman-")
                .suffix(".tmp")
                .tempfile_in(&dir)
                .map_err(|e| Error::io(&path_name(&dir), e))?;
            files.push((moses_path(stem, &n), BufWriter::with_capacity(1 << 16, tmp)));
            norm.push(n);
        }
        Ok(Writer {
            files,
            langs: norm,
            line: String::new(),
            codes: Default::default(),
        })
    }

    /// Writes line `n` of every file.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the unit lacks a language (Moses files must stay aligned); I/O.
    pub fn write_unit(&mut self, u: &Unit) -> Result<(), Error> {
        for l in &self.langs {
            if u.text(l).is_none_or_empty() {
                return Err(Error::invalid(
                    &path_name(&self.files[0].0),
                    format!(
                        "unit {}: no {l} text (every line needs all languages)",
                        u.id.as_deref().unwrap_or("without id")
                    ),
                ));
            }
        }
        for (l, (p, f)) in self.langs.iter().zip(self.files.iter_mut()) {
            self.line.clear();
            let t = u.text(l).unwrap_or("").trim();
            for c in t.chars() {
                self.line.push(
                    if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}') {
                        ' '
                    } else {
                        c
                    },
                );
            }
            self.line.push('\n');
            f.write_all(self.line.as_bytes())
                .map_err(|e| Error::io(&path_name(p), e))?;
        }
        Ok(())
    }

    /// Flushes and renames every file into place.
    ///
    /// # Errors
    /// I/O errors (then no file is replaced... except those already renamed).
    pub fn finish(self) -> Result<Vec<PathBuf>, Error> {
        let mut tmps = Vec::new();
        for (p, f) in self.files {
            let tmp = f
                .into_inner()
                .map_err(|e| Error::io(&path_name(&p), e.into_error()))?;
            tmps.push((p, tmp));
        }
        let mut out = Vec::new();
        for (p, tmp) in tmps {
            // Temporary files are created 0600; the result is an ordinary file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = tmp
                    .as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644));
            }
            tmp.persist(&p)
                .map_err(|e| Error::io(&path_name(&p), e.error))?;
            out.push(p);
        }
        Ok(out)
    }
}

impl Writer {
    /// How inline codes become text (default: native code kept; see [`super::codes`]).
    pub fn set_codes(&mut self, codes: super::codes::Codes) {
        self.codes = codes;
    }

    /// Writes one line per file, texts rendered from their inline markup where they have
    /// some (see [`Writer::set_codes`]).
    ///
    /// # Errors
    /// As [`Writer::write_unit`].
    pub fn write_entry(&mut self, e: &super::Entry) -> Result<(), Error> {
        let u = super::codes::plain_unit(e, self.codes);
        self.write_unit(&u)
    }
}

impl super::WriteUnits for Writer {
    fn write_unit(&mut self, unit: &Unit) -> Result<(), Error> {
        Writer::write_unit(self, unit)
    }
    fn write_entry(&mut self, e: &super::Entry) -> Result<(), Error> {
        Writer::write_entry(self, e)
    }
    fn finish_boxed(self: Box<Self>) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

trait NoneOrEmpty {
    fn is_none_or_empty(&self) -> bool;
}

impl NoneOrEmpty for Option<&str> {
    fn is_none_or_empty(&self) -> bool {
        !matches!(self, Some(t) if !t.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_misaligned() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("corpus");
        let langs = ["ar".to_string(), "en".to_string()];
        let mut w = Writer::create(&stem, &langs).unwrap();
        let u = Unit {
            variants: vec![Variant::new("ar", "س\nص"), Variant::new("en", "a")],
            ..Default::default()
        };
        w.write_unit(&u).unwrap();
        assert!(w
            .write_unit(&Unit {
                variants: vec![Variant::new("ar", "x")],
                ..Default::default()
            })
            .is_err());
        w.finish().unwrap();
        let mut r = Reader::open(&dir.path().join("corpus.ar"), &[]).unwrap();
        assert_eq!(r.read_unit().unwrap().unwrap().text("ar"), Some("س ص"));
        assert!(r.read_unit().unwrap().is_none());
        std::fs::write(dir.path().join("corpus.en"), "a\nb\n").unwrap();
        let mut r = Reader::open(&dir.path().join("corpus.ar"), &langs).unwrap();
        r.read_unit().unwrap();
        let e = r.read_unit().unwrap_err();
        assert_eq!(e.position(), Some((2, 1)), "{e}");
    }

    #[test]
    fn lang_extensions() {
        assert!(is_lang_ext("ar") && is_lang_ext("pt-br") && is_lang_ext("fra"));
        assert!(!is_lang_ext("tmx") && !is_lang_ext("txt") && !is_lang_ext("english"));
    }
}
