//! A build's output under way. The complete new tree is built in a hidden staging folder
//! beside the output: files whose bytes did not change are hard links to the previous output
//! (so they keep their dates and mirrors that sync by date copy only what changed), the rest
//! are written fresh. [`Staging::commit`] then swaps the new tree in with one rename, so a web
//! server or a mirror sync sees the old tree or the new one, never a mix; dropping a staging
//! without committing leaves the previous output exactly as it was.

use std::collections::HashSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, Mutex};

use super::lock::OutputLock;
use super::{MARKER, OutputError, io_error, swap};
use crate::site::SitePath;

#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// The regular files of the previous output reachable without following a link: the only
    /// ones whose bytes are compared and reused. A link inside the output is never followed.
    previous: Previous,
    /// Every path this build produces; a second claim on one is an error.
    produced: Mutex<HashSet<SitePath>>,
    /// The folders made in the staging so far: each is made once, not asked for again for
    /// every file in it (a `mkdir` and a `statx` for each file of `search/`, say).
    folders: Mutex<HashSet<PathBuf>>,
    /// How many produced files differ from the previous output.
    written: AtomicUsize,
    /// Held until the staging is committed or dropped, so two builds never publish into one
    /// output at once; the system releases it when the process dies, however it dies.
    _lock: OutputLock,
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
    pub(super) fn new(
        target: PathBuf,
        dir: PathBuf,
        lock: OutputLock,
    ) -> Result<Staging, OutputError> {
        std::fs::create_dir(&dir).map_err(io_error(&dir))?;
        let previous = Previous::list(&target);
        Ok(Staging {
            target,
            dir,
            previous,
            produced: Mutex::new(HashSet::new()),
            folders: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            _lock: lock,
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
        let staged = self.dir.join(path.as_str());
        if let Some(parent) = staged.parent() {
            self.make_folder(parent)?;
        }
        if self.previous.files()?.contains(path) && self.reuse(path, bytes, &staged) {
            return Ok(());
        }
        std::fs::write(&staged, bytes).map_err(io_error(&staged))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Makes `folder` in the staging, with its parents, unless it was made already.
    fn make_folder(&self, folder: &Path) -> Result<(), OutputError> {
        let folders = || self.folders.lock().expect("no thread panics holding it");
        if !folders().contains(folder) {
            std::fs::create_dir_all(folder).map_err(io_error(folder))?;
            folders().insert(folder.to_path_buf());
        }
        Ok(())
    }

    /// Puts the previous output's file at `staged` if it holds exactly `bytes`: a hard link,
    /// or where the file system has none (FAT on a USB stick) a copy with the same date.
    fn reuse(&self, path: &SitePath, bytes: &[u8], staged: &Path) -> bool {
        let old = self.target.join(path.as_str());
        let same_size = std::fs::symlink_metadata(&old)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        if !same_size || !std::fs::read(&old).is_ok_and(|b| b == bytes) {
            return false;
        }
        if std::fs::hard_link(&old, staged).is_ok() {
            return true;
        }
        let copied = std::fs::write(staged, bytes).and_then(|()| {
            let modified = std::fs::metadata(&old)?.modified()?;
            File::options()
                .write(true)
                .open(staged)?
                .set_modified(modified)
        });
        if copied.is_ok() {
            return true;
        }
        // Written fresh by the caller; a stray partial copy is replaced then.
        false
    }

    /// Swaps the complete new tree in place of the previous output with one rename, then
    /// removes the previous tree.
    pub fn commit(mut self) -> Result<CommitSummary, OutputError> {
        let produced = std::mem::take(self.produced.get_mut().expect("not poisoned"));
        let marker = self.dir.join(MARKER);
        std::fs::write(
            &marker,
            "This folder is written by gongdu; files it no longer produces are removed.\n",
        )
        .map_err(io_error(&marker))?;
        let written = self.written.load(Ordering::Relaxed);
        let summary = CommitSummary {
            written,
            unchanged: produced.len() - written,
            removed: self.previous.files()?.difference(&produced).count(),
        };
        swap::publish(&self.dir, &self.target)?;
        self.committed = true;
        // The staging folder now holds the previous tree (or nothing). Whatever cannot be
        // removed now is removed by the next build, before it stages anything.
        let _ = swap::remove_tree_in_parallel(&self.dir);
        Ok(summary)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = swap::remove_tree(&self.dir);
        }
    }
}

/// The previous output's files, listed on a thread of their own from the moment the output is
/// prepared, so that the listing (a tenth of a second for 30,000 files) runs while the site
/// compiles rather than before the first page is written. The first write to ask waits for it.
struct Previous {
    files: LazyLock<Listed, Box<dyn FnOnce() -> Listed + Send>>,
    target: PathBuf,
}

/// The previous output's files, or why they could not be listed.
type Listed = Result<HashSet<SitePath>, String>;

impl std::fmt::Debug for Previous {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Previous")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl Previous {
    fn list(target: &Path) -> Previous {
        let root = target.to_path_buf();
        let listing = std::thread::spawn(move || {
            if std::fs::symlink_metadata(&root).is_ok_and(|m| m.is_dir()) {
                previous_files(&root).map_err(|e| e.to_string())
            } else {
                Ok(HashSet::new())
            }
        });
        let join = move || {
            listing
                .join()
                .unwrap_or_else(|_| Err("the listing of the previous output stopped".into()))
        };
        Previous {
            files: LazyLock::new(Box::new(join)),
            target: target.to_path_buf(),
        }
    }

    /// The listing; one that failed fails every write that asks, naming the output.
    fn files(&self) -> Result<&HashSet<SitePath>, OutputError> {
        self.files.as_ref().map_err(|reason| OutputError::Io {
            path: self.target.clone(),
            source: io::Error::other(reason.clone()),
        })
    }
}

/// The regular files under `root`, found without following links.
fn previous_files(root: &Path) -> Result<HashSet<SitePath>, OutputError> {
    let mut files = HashSet::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(|e| OutputError::Io {
            path: e.path().unwrap_or(root).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("cannot walk the output")),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .expect("the walk stays inside")
            .to_string_lossy()
            .replace('\\', "/");
        if rel != MARKER {
            files.insert(SitePath::new(rel));
        }
    }
    Ok(files)
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
