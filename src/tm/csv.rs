//! CSV/TSV with a header row of language codes. (STUB writer.)

use std::io::Write;

use super::{Error, Unit};

/// CSV writing options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write cells that start like a spreadsheet formula as they are (default: neutralised).
    pub raw_formulas: bool,
}

/// Streams units out as CSV.
pub struct Writer<W: Write> {
    w: ::csv::Writer<W>,
    langs: Vec<String>,
    opts: Options,
}

fn err(e: ::csv::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: std::io::Error::other(e),
    }
}

impl<W: Write> Writer<W> {
    /// Writes the header row.
    ///
    /// # Errors
    /// I/O errors.
    pub fn new(w: W, langs: &[String], opts: Options) -> Result<Self, Error> {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(w);
        w.write_record(langs).map_err(err)?;
        Ok(Writer {
            w,
            langs: langs.to_vec(),
            opts,
        })
    }

    /// Writes one row.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_unit(&mut self, u: &Unit) -> Result<(), Error> {
        let row: Vec<String> = self
            .langs
            .iter()
            .map(|l| {
                let t = u.text(l).unwrap_or("");
                if !self.opts.raw_formulas && t.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    format!("'{t}")
                } else {
                    t.to_string()
                }
            })
            .collect();
        self.w.write_record(&row).map_err(err)
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish(self) -> Result<W, Error> {
        self.w.into_inner().map_err(|e| Error::Io {
            path: "<output>".into(),
            source: e.into_error(),
        })
    }
}
