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
/// file, if any, is untouched. What the path names is respected:
/// - a symbolic link is followed: the file it points to is replaced, the link stays;
/// - something that is not a regular file (`/dev/null`, a FIFO, `/dev/fd/N` of a pipe) is
///   written through directly: renaming over it would replace a device or a pipe with a file;
/// - a replaced file keeps its permissions; a new one gets `0666` less the umask, like any
///   file a shell redirection creates;
/// - the directory must exist: a typo in a path is an error, not a new directory.
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
        return out.flush().map_err(|e| Error::io(STDOUT, e));
    }
    let existing = fs::metadata(path).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(Error::io(path, io::Error::other("is a directory")));
        }
        if !meta.is_file() {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            let mut out = BufWriter::new(file);
            write(&mut out)?;
            return out.flush().map_err(|e| Error::io(path, e));
        }
    }
    // Replace the file a symbolic link points to, not the link.
    let target = match fs::canonicalize(path) {
        Ok(t) if existing.is_some() => t,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    if !dir.is_dir() {
        return Err(Error::io(
            path,
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("directory {} does not exist", dir.display()),
            ),
        ));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dragoman-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The kernel applies the umask to this mode when the file is created.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
    if let Some(meta) = &existing {
        fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| Error::io(path, e))?;
    }
    let mut out = BufWriter::new(EarlyWriteback::new(tmp));
    write(&mut out)?;
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?
        .into_file();
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(&target).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// A temporary output whose data is pushed to disk while it is being written: every
/// [`EarlyWriteback::STEP`] bytes a helper thread runs `fdatasync` on it (when the previous
/// one is done), so the `fsync` before the rename waits for the last few megabytes instead of
/// the whole file (about 20 ms of a 100 ms conversion of 85 MB). Small outputs never start the
/// thread.
struct EarlyWriteback {
    file: tempfile::NamedTempFile,
    since: u64,
    syncer: Option<Syncer>,
}

struct Syncer {
    /// A slot of capacity one: a request is dropped while one is pending.
    tx: std::sync::mpsc::SyncSender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl EarlyWriteback {
    const STEP: u64 = 8 << 20;

    fn new(file: tempfile::NamedTempFile) -> Self {
        EarlyWriteback {
            file,
            since: 0,
            syncer: None,
        }
    }

    fn into_file(mut self) -> tempfile::NamedTempFile {
        if let Some(s) = self.syncer.take() {
            drop(s.tx);
            let _ = s.thread.join();
        }
        self.file
    }
}

impl Write for EarlyWriteback {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.since += n as u64;
        if self.since >= Self::STEP {
            self.since = 0;
            if self.syncer.is_none() {
                // Advisory: without a second handle the final fsync does all the work.
                if let Ok(f) = self.file.as_file().try_clone() {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
                    let thread = std::thread::spawn(move || {
                        while rx.recv().is_ok() {
                            let _ = f.sync_data();
                        }
                    });
                    self.syncer = Some(Syncer { tx, thread });
                }
            }
            if let Some(s) = &self.syncer {
                let _ = s.tx.try_send(());
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// How standard output is named in messages.
pub const STDOUT: &str = "<stdout>";

/// The name of an output path in messages: `-` is standard output (not input, as `-` reads
/// for inputs).
pub fn output_name(path: &Path) -> &Path {
    if path.as_os_str() == "-" {
        Path::new(STDOUT)
    } else {
        path
    }
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
    fn large_output_is_complete_with_early_writeback() {
        // Past several STEPs, so the background fdatasync runs while writing continues, and
        // a failure after that still leaves nothing behind.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.bin");
        let piece: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        write_output(&p, |w| {
            for i in 0..20u8 {
                w.write_all(&[i]).map_err(|e| Error::io("x", e))?;
                w.write_all(&piece).map_err(|e| Error::io("x", e))?;
            }
            Ok(())
        })
        .unwrap();
        let got = fs::read(&p).unwrap();
        assert_eq!(got.len(), 20 * ((1 << 20) + 1));
        for (i, block) in got.chunks((1 << 20) + 1).enumerate() {
            assert_eq!(block[0] as usize, i);
            assert_eq!(&block[1..], &piece[..]);
        }
        let r = write_output(&p, |w| {
            for _ in 0..20 {
                w.write_all(&piece).map_err(|e| Error::io("x", e))?;
            }
            Err(Error::Project("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&p).unwrap(), got);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    fn put(p: &Path, text: &str) -> Result<()> {
        write_output(p, |w| {
            w.write_all(text.as_bytes()).map_err(|e| Error::io("x", e))
        })
    }

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        put(&p, "old").unwrap();
        put(&p, "new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn missing_directory_is_an_error_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("typo/out.txt");
        let e = put(&p, "x").unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        assert!(!dir.path().join("typo").exists());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_and_modes_kept() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.txt");
        symlink(&real, &link).unwrap();
        put(&link, "new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // A new file is not private to its owner (0600 is tempfile's default).
        let fresh = dir.path().join("fresh.txt");
        put(&fresh, "x").unwrap();
        let mode = fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode & 0o044, 0, "mode {mode:o}");
    }

    #[cfg(unix)]
    #[test]
    fn pipes_are_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo unavailable: skipped");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        put(&fifo, "through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn missing_input_names_file() {
        let e = read_input(Path::new("/no/such/file.txt")).unwrap_err();
        assert!(e.to_string().starts_with("/no/such/file.txt: "), "{e}");
    }
}
