//! A build's output under way. Files are compared with the current output as they are
//! produced: unchanged ones are left alone (so mirrors that sync by date copy only what
//! changed), new or changed ones go to a hidden staging folder beside the output. Nothing in
//! the output is touched until [`Staging::commit`]; dropping a staging without committing
//! leaves the previous output exactly as it was.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{MARKER, OutputError, io_error};
use crate::site::SitePath;

#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Whether the target holds a previous output to update in place.
    updating: bool,
    /// Every path this build produces; a second claim on one is an error.
    produced: Mutex<HashSet<SitePath>>,
    /// The paths that differ from the previous output and wait in the staging folder.
    changed: Mutex<Vec<SitePath>>,
    committed: bool,
}

/// What a commit changed in the output.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CommitSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl Staging {
    pub(super) fn new(target: PathBuf, dir: PathBuf) -> Result<Staging, OutputError> {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io_error(&dir))?;
        Ok(Staging {
            updating: target.is_dir(),
            target,
            dir,
            produced: Mutex::new(HashSet::new()),
            changed: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Records one output file; safe to call from many threads at once. Producing the same
    /// path twice is an error (two sources would race for it).
    pub fn write(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError> {
        let fresh = self
            .produced
            .lock()
            .expect("no thread panics holding it")
            .insert(path.clone());
        if !fresh {
            return Err(OutputError::Duplicate(path.to_string()));
        }
        if self.updating
            && std::fs::read(self.target.join(path.as_str())).is_ok_and(|old| old == bytes)
        {
            return Ok(());
        }
        let staged = self.dir.join(path.as_str());
        if let Some(parent) = staged.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        std::fs::write(&staged, bytes).map_err(io_error(&staged))?;
        self.changed
            .lock()
            .expect("no thread panics holding it")
            .push(path.clone());
        Ok(())
    }

    /// Moves the changed files into the output and removes the files this build no longer
    /// produces. Each file is replaced by a rename, so no reader ever sees half a file.
    pub fn commit(mut self) -> Result<CommitSummary, OutputError> {
        let produced = std::mem::take(self.produced.get_mut().expect("not poisoned"));
        let changed = std::mem::take(self.changed.get_mut().expect("not poisoned"));
        let marker = self.dir.join(MARKER);
        std::fs::write(
            &marker,
            "This folder is written by gongdu; files it no longer produces are removed.\n",
        )
        .map_err(io_error(&marker))?;
        let mut summary = CommitSummary {
            written: changed.len(),
            unchanged: produced.len() - changed.len(),
            removed: 0,
        };
        if !self.updating {
            // A first build: the whole staging folder becomes the output in one rename.
            std::fs::rename(&self.dir, &self.target).map_err(io_error(&self.target))?;
            self.committed = true;
            return Ok(summary);
        }
        for path in &changed {
            let to = self.target.join(path.as_str());
            if let Some(parent) = to.parent() {
                make_dir(parent)?;
            }
            std::fs::rename(self.dir.join(path.as_str()), &to).map_err(io_error(&to))?;
        }
        std::fs::rename(&marker, self.target.join(MARKER)).map_err(io_error(&self.target))?;
        summary.removed = remove_stale(&self.target, &produced)?;
        self.committed = true;
        std::fs::remove_dir_all(&self.dir).map_err(io_error(&self.dir))?;
        Ok(summary)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Creates `dir`, replacing a file that stands where the folder must go.
fn make_dir(dir: &Path) -> Result<(), OutputError> {
    if dir.is_file() {
        std::fs::remove_file(dir).map_err(io_error(dir))?;
    }
    std::fs::create_dir_all(dir).map_err(io_error(dir))
}

/// Deletes every file under `root` that is not in `keep` (the marker stays), then the folders
/// left empty. Returns how many files went.
fn remove_stale(root: &Path, keep: &HashSet<SitePath>) -> Result<usize, OutputError> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(|e| OutputError::Io {
            path: e.path().unwrap_or(root).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("cannot walk the output")),
        })?;
        let rel = entry
            .path()
            .strip_prefix(root)
            .expect("the walk stays inside")
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if rel != MARKER && !keep.contains(&SitePath::new(rel)) {
            std::fs::remove_file(entry.path()).map_err(io_error(entry.path()))?;
            removed += 1;
        }
    }
    // Deepest first, so a folder is empty by the time it is tried; non-empty ones stay.
    for dir in dirs.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::super::{Overwrite, prepare};
    use super::*;

    #[test]
    fn unchanged_files_keep_their_dates_and_stale_ones_go() {
        let site = tempfile::tempdir().expect("tempdir");
        let out = site.path().join("public");
        let first = prepare(site.path(), &out, Overwrite::OnlyOwnOutput).expect("prepare");
        first
            .write(&SitePath::new("same/index.html"), b"same")
            .expect("write");
        first
            .write(&SitePath::new("gone/index.html"), b"old")
            .expect("write");
        first.commit().expect("commit");
        let same = out.join("same/index.html");
        let old_time = std::fs::metadata(&same)
            .and_then(|m| m.modified())
            .expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));

        let second = prepare(site.path(), &out, Overwrite::OnlyOwnOutput).expect("prepare");
        second
            .write(&SitePath::new("same/index.html"), b"same")
            .expect("write");
        second
            .write(&SitePath::new("new/index.html"), b"new")
            .expect("write");
        assert!(matches!(
            second.write(&SitePath::new("new/index.html"), b"x"),
            Err(OutputError::Duplicate(_))
        ));
        let summary = second.commit().expect("commit");
        assert_eq!(
            summary,
            CommitSummary {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert_eq!(
            std::fs::metadata(&same)
                .and_then(|m| m.modified())
                .expect("mtime"),
            old_time
        );
        assert!(!out.join("gone").exists(), "emptied folders go too");
        assert_eq!(
            std::fs::read(out.join("new/index.html")).expect("read"),
            b"new"
        );
    }

    #[test]
    fn dropping_without_commit_leaves_the_old_output_and_no_staging() {
        let site = tempfile::tempdir().expect("tempdir");
        let out = site.path().join("public");
        let first = prepare(site.path(), &out, Overwrite::OnlyOwnOutput).expect("prepare");
        first
            .write(&SitePath::new("a/index.html"), b"one")
            .expect("write");
        first.commit().expect("commit");

        let failed = prepare(site.path(), &out, Overwrite::OnlyOwnOutput).expect("prepare again");
        failed
            .write(&SitePath::new("a/index.html"), b"two")
            .expect("write");
        drop(failed);
        assert_eq!(
            std::fs::read(out.join("a/index.html")).expect("read"),
            b"one"
        );
        let leftovers: Vec<_> = std::fs::read_dir(site.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("public")]);
    }
}
