//! Reading inputs and writing outputs safely.
//!
//! `-` means standard input or output. Files are written atomically: to a temporary file in the
//! destination's directory, then renamed over it, so an interrupted or failed run never leaves a
//! half-written TMX where a good one was.

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Reads all of `path`, or standard input when `path` is `-`.
///
/// # Errors
/// [`Error::Io`] naming the file.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(path, e))?;
        Ok(buf)
    } else {
        fs::read(path).map_err(|e| Error::io(path, e))
    }
}

/// Writes to `path` atomically through `write`, or to standard output when `path` is `-`.
///
/// The closure gets a buffered writer; if it fails, the temporary file is removed and the old
/// file, if any, is untouched.
///
/// # Errors
/// [`Error::Io`] naming the file, or whatever `write` returns.
pub fn write_output<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    if path.as_os_str() == "-" {
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        write(&mut out)?;
        return out.flush().map_err(|e| Error::io(path, e));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".dragoman-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let mut out = BufWriter::new(tmp);
    write(&mut out)?;
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_keeps_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        fs::write(&p, "old").unwrap();
        let r = write_output(&p, |w| {
            w.write_all(b"partial").unwrap();
            Err(Error::Project("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary file left behind");
    }

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.txt");
        write_output(&p, |w| w.write_all(b"new").map_err(|e| Error::io("x", e))).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn missing_input_names_file() {
        let e = read_input(Path::new("/no/such/file.txt")).unwrap_err();
        assert!(e.to_string().starts_with("/no/such/file.txt: "), "{e}");
    }
}
