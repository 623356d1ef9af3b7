//! The lock that keeps two builds from publishing into one output at the same time: an
//! advisory lock on a hidden file beside the output, taken before anything is staged or
//! cleaned up and released when the build ends or dies (the system drops it with the process).

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use super::OutputError;

#[derive(Debug)]
pub(crate) struct OutputLock {
    path: PathBuf,
    file: File,
}

impl OutputLock {
    /// Takes the lock at `path` for the output `target`, or fails at once naming what holds it.
    pub(crate) fn take(path: PathBuf, target: &Path) -> Result<OutputLock, OutputError> {
        loop {
            let file = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(super::io_error(&path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(OutputError::Busy {
                        path: target.to_path_buf(),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(super::io_error(&path)(e)),
            }
            // The holder before us removes the file as it finishes; a lock on a file that is
            // no longer at `path` locks nothing, so take the one that is there now.
            if same_file(&file, &path) {
                return Ok(OutputLock { path, file });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so that no one can lock this file after us and believe
        // they hold the output; the lock itself goes with the file handle.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Windows refuses to remove a file that is open, so the file under the lock is always ours.
#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}
