//! dragoman: segment documents into sentences, align them with their translations, and export
//! translation memories that CAT tools import.
//!
//! The pipeline runs one way: a [`Document`] (checked UTF-8 with paragraphs) is cut by a
//! [`segment::Segmenter`] (SRX rules) into [`segment::Segment`]s; an [`align::Aligner`] links
//! source and target segments (1-1, 2-1, 1-2, 1-0, 0-1, ...) with a confidence score;
//! [`pipeline`] turns links into [`tm::Unit`]s; the writers in [`tm`] store them as TMX or CSV.
//!
//! ```
//! use dragoman::{Document, Lang, segment::Segmenter};
//! let lang = Lang::parse("en").unwrap();
//! let doc = Document::from_bytes("Dr. Smith arrived. He sat down.\n".into(), "x.txt", false).unwrap();
//! let segs = Segmenter::for_lang(&lang).segment(&doc);
//! assert_eq!(segs.len(), 2);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod align;
pub mod diff;
pub mod doc;
pub mod error;
pub mod io;
pub mod job;
pub mod lang;
pub mod pipeline;
pub mod segment;
pub mod tm;

pub use doc::Document;
pub use error::{Error, Position, Result};
pub use lang::Lang;
