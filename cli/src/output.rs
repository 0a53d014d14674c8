//! The `-o/--output` file: checked and opened before any analysis starts, and never one of the
//! input dumps.
//!
//! A dump from production may be the only copy there is, so `-o` refuses any path that is the
//! same file as an input (same device and inode: a hard link, a symlink or a different spelling
//! of the path are caught too). The file is opened (created if missing, not yet truncated)
//! before the analysis, so a path that cannot be written fails at once instead of after
//! minutes of work; it is truncated only when the report is written. A file created up front is
//! removed again when the run fails.

use std::fs::File;
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

/// The opened `-o` file, if one was given.
pub(crate) struct Output {
    file: Option<(PathBuf, File)>,
    created: bool,
}

/// The device and inode of `p`, following symlinks.
#[cfg(unix)]
fn file_id(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(p: &Path) -> Option<(u64, u64)> {
    let _ = p;
    None
}

/// Refuses `path` (given as `what`, e.g. `-o`) when it is the same file as one of `inputs`
/// (same device and inode). The error is a message for a usage error (exit 2).
pub(crate) fn refuse_input(what: &str, path: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    if let Some(out_id) = file_id(path) {
        for input in inputs {
            if file_id(input) == Some(out_id) {
                return Err(format!(
                    "{what} {} is the input dump {}: refusing to write over it (choose another output file)",
                    crate::escape::name(&path.display().to_string()),
                    crate::escape::name(&input.display().to_string())
                ));
            }
        }
    }
    Ok(())
}

impl Output {
    /// Checks `path` against the `inputs` and opens it for writing without truncating it.
    /// The error is a message for a usage error (exit 2).
    pub(crate) fn prepare(path: Option<&Path>, inputs: &[PathBuf]) -> Result<Output, String> {
        let Some(path) = path else {
            return Ok(Output {
                file: None,
                created: false,
            });
        };
        refuse_input("-o", path, inputs)?;
        let existed = std::fs::symlink_metadata(path).is_ok();
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| {
                format!(
                    "cannot write the report to {}: {e}",
                    crate::escape::name(&path.display().to_string())
                )
            })?;
        Ok(Output {
            file: Some((path.to_path_buf(), file)),
            created: !existed,
        })
    }

    /// The writer for the report: the `-o` file, emptied now, or stdout.
    pub(crate) fn writer(&self) -> io::Result<Box<dyn Write + '_>> {
        match &self.file {
            Some((p, f)) => {
                let mut f = f.try_clone()?;
                // A regular file is emptied; a device or FIFO (-o /dev/null) cannot be.
                if f.metadata().is_ok_and(|m| m.is_file()) {
                    f.set_len(0)
                        .and_then(|_| f.rewind().map(|_| ()))
                        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
                }
                Ok(Box::new(io::BufWriter::new(f)))
            }
            None => Ok(Box::new(io::BufWriter::new(io::stdout().lock()))),
        }
    }

    /// Removes a file this run created, after the run failed (nothing half-written stays).
    pub(crate) fn discard(self) {
        if let (true, Some((p, f))) = (self.created, self.file) {
            drop(f);
            let _ = std::fs::remove_file(p);
        }
    }
}
