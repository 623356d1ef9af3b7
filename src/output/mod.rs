//! Where the built site may be written. gongdu refuses places that would destroy the
//! editor's work (the site itself, its sources, a parent folder, home, `/`) and folders it did
//! not create, locks the output against a second build, and [`Staging`] then builds the new
//! tree beside the previous one and swaps it in whole.

mod lock;
mod sink;
mod staging;
mod swap;

use std::io;
use std::path::{Path, PathBuf};

pub(crate) use sink::{Files, Memory, Sink};

/// Replacing a whole folder with one rename the way builds do, for other commands that
/// publish complete trees (`mirror apply`): the lock and hidden neighbours beside the folder,
/// the swap, and the repair after a run that was killed.
pub(crate) mod replace {
    pub(crate) use super::lock::OutputLock;
    pub(crate) use super::swap::{
        clean_up_after_killed_builds, file_name, lock_name, publish, remove_tree, staging_name,
    };
}
pub(crate) use staging::{CommitSummary, Staging};

/// Left in every output folder gongdu writes, so that it only ever replaces its own output.
pub(crate) const MARKER: &str = ".gongdu-output";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the site into {path}: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("two outputs would be written to {0}; rename the static file or page that claims it")]
    Duplicate(String),
    #[error("another gongdu build is writing to {path}; wait for it to finish, then build again")]
    Busy { path: PathBuf },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether to write into a folder that exists but holds no gongdu marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    OnlyOwnOutput,
    Force,
}

/// Checks that `output` is a safe place for a site built from `root`, takes the output's lock,
/// cleans up after killed builds and creates the staging folder beside the output.
pub fn prepare(root: &Path, output: &Path, overwrite: Overwrite) -> Result<Staging, OutputError> {
    let target = absolute(output).map_err(io_error(output))?;
    let root = absolute(root).map_err(io_error(root))?;
    check_target(&root, &target, overwrite)?;
    // A link given as the output is the editor's choice: publish where it points, so the link
    // itself stays. Links inside the output are never followed.
    let target = resolve_existing(&target);
    let parent = target
        .parent()
        .ok_or_else(|| refused(&target, "it has no parent folder"))?;
    std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    check_not_a_mount_point(&target, parent)?;
    let name = swap::file_name(&target);
    let lock = lock::OutputLock::take(parent.join(swap::lock_name(&name)), &target)?;
    swap::clean_up_after_killed_builds(&target)?;
    let dir = parent.join(swap::staging_name(&name));
    Staging::new(target, dir, lock)
}

/// The new tree is swapped in by a rename inside the parent folder, which cannot replace a
/// mounted file system (a USB stick's own root).
#[cfg(unix)]
fn check_not_a_mount_point(target: &Path, parent: &Path) -> Result<(), OutputError> {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(target), std::fs::metadata(parent)) {
        (Ok(t), Ok(p)) if t.is_dir() && t.dev() != p.dev() => Err(refused(
            target,
            "it is a mount point, which cannot be swapped whole; write into a folder inside it",
        )),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn check_not_a_mount_point(_: &Path, _: &Path) -> Result<(), OutputError> {
    Ok(())
}

fn refused(path: &Path, reason: &str) -> OutputError {
    OutputError::Refused {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    }
}

fn check_target(root: &Path, target: &Path, overwrite: Overwrite) -> Result<(), OutputError> {
    let resolved = resolve_existing(target);
    let root = resolve_existing(root);
    if resolved.parent().is_none() {
        return Err(refused(target, "it is the file system's root"));
    }
    if root.starts_with(&resolved) {
        return Err(refused(
            target,
            "it is the site folder or a folder that contains it",
        ));
    }
    for protected in ["content", "themes", "templates", "static"] {
        if resolved.starts_with(root.join(protected)) {
            return Err(refused(
                target,
                &format!("it is inside the site's {protected}/ folder"),
            ));
        }
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && resolve_existing(&PathBuf::from(home)).starts_with(&resolved)
    {
        return Err(refused(
            target,
            "it is your home folder or a folder that contains it",
        ));
    }
    let non_empty = std::fs::read_dir(&resolved)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !resolved.join(MARKER).exists() && overwrite == Overwrite::OnlyOwnOutput {
        return Err(refused(
            target,
            "the folder is not empty and gongdu did not create it (pass --force to replace it anyway)",
        ));
    }
    if resolved.exists() && !resolved.is_dir() {
        return Err(refused(target, "it is a file, not a folder"));
    }
    Ok(())
}

/// The path with every existing ancestor resolved through symlinks.
fn resolve_existing(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        if let Ok(real) = at.canonicalize() {
            return missing.into_iter().rev().fold(real, |p, part| p.join(part));
        }
        match (at.file_name().map(|n| n.to_os_string()), at.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                at = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Lexically drop `.` and resolve `..`, without requiring the path to exist.
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_its_parents_and_its_sources() {
        let site = tempfile::tempdir().expect("tempdir");
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).expect("content");
        for bad in [
            root.to_path_buf(),
            root.join(".."),
            root.join("content"),
            root.join("content/x"),
            PathBuf::from("/"),
        ] {
            let err = prepare(root, &bad, Overwrite::Force).expect_err("must refuse");
            assert!(matches!(err, OutputError::Refused { .. }), "{bad:?}: {err}");
        }
    }

    #[test]
    fn refuses_a_foreign_non_empty_folder_unless_forced() {
        let site = tempfile::tempdir().expect("tempdir");
        let out = site.path().join("out");
        std::fs::create_dir_all(&out).expect("out");
        std::fs::write(out.join("precious.txt"), "keep").expect("write");
        assert!(prepare(site.path(), &out, Overwrite::OnlyOwnOutput).is_err());
        assert!(prepare(site.path(), &out, Overwrite::Force).is_ok());
    }
}
