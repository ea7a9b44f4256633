//! Integration tests: the `dragoman` binary on real files.

mod util;

mod align;
mod align_tm;
mod build;
mod errors;
mod segment;
mod tm;
mod tm_codes;
