//! TMX 1.4b. (STUB writer.)

use std::io::Write;

use super::{Error, Unit};

/// The `<header>` of a TMX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Source language (BCP 47) or `*all*`.
    pub srclang: String,
    /// Language of notes and props.
    pub adminlang: String,
    /// Creation date `YYYYMMDDThhmmssZ`.
    pub creation_date: Option<String>,
    /// `creationtool`.
    pub creation_tool: String,
    /// `creationtoolversion`.
    pub creation_tool_version: String,
}

impl Header {
    /// A header naming dragoman as the creation tool.
    pub fn new(srclang: &str) -> Header {
        Header {
            srclang: srclang.to_string(),
            adminlang: "en".into(),
            creation_date: None,
            creation_tool: "dragoman".into(),
            creation_tool_version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

/// Streams units out as TMX 1.4b.
pub struct Writer<W: Write> {
    w: W,
}

impl<W: Write> Writer<W> {
    /// Writes the prolog and header.
    ///
    /// # Errors
    /// I/O errors.
    pub fn new(mut w: W, h: &Header) -> Result<Self, Error> {
        write!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n  <header creationtool=\"{}\" creationtoolversion=\"{}\" datatype=\"plaintext\" segtype=\"sentence\" o-tmf=\"dragoman\" adminlang=\"{}\" srclang=\"{}\"{}/>\n  <body>\n",
            esc(&h.creation_tool), esc(&h.creation_tool_version), esc(&h.adminlang), esc(&h.srclang),
            h.creation_date.as_ref().map(|d| format!(" creationdate=\"{}\"", esc(d))).unwrap_or_default()).map_err(io)?;
        Ok(Writer { w })
    }

    /// Writes one `<tu>`.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_unit(&mut self, u: &Unit) -> Result<(), Error> {
        let mut s = String::from("    <tu");
        if let Some(id) = &u.id {
            s += &format!(" tuid=\"{}\"", esc(id));
        }
        if let Some(d) = &u.created {
            s += &format!(" creationdate=\"{}\"", esc(d));
        }
        s += ">\n";
        for p in &u.props {
            s += &format!(
                "      <prop type=\"{}\">{}</prop>\n",
                esc(&p.kind),
                esc(&p.value)
            );
        }
        for v in &u.variants {
            s += &format!(
                "      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n",
                esc(&v.lang),
                esc(&v.text)
            );
        }
        s += "    </tu>\n";
        self.w.write_all(s.as_bytes()).map_err(io)
    }

    /// Closes the document and returns the inner writer.
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish(mut self) -> Result<W, Error> {
        self.w.write_all(b"  </body>\n</tmx>\n").map_err(io)?;
        Ok(self.w)
    }
}
