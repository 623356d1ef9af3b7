//! Publishing a complete tree with one rename, and cleaning up after builds that were killed.
//! On Linux the new tree and the previous output trade places in one `renameat2` call; where
//! that is missing the previous output is moved aside first, and a build killed between the two
//! renames is repaired by the next one before it stages anything.

use std::io;
use std::path::{Path, PathBuf};

use super::{OutputError, io_error};

/// The hidden folders a build leaves beside the output `name` while it runs.
pub(crate) fn staging_name(name: &str) -> String {
    format!(".{name}.gongdu-staging-{}", std::process::id())
}

fn aside_name(name: &str) -> String {
    format!(".{name}.gongdu-old-{}", std::process::id())
}

pub(crate) fn lock_name(name: &str) -> String {
    format!(".{name}.gongdu-lock")
}

/// Puts the tree at `new` in place of `target`. Afterwards `new` holds the previous output (or
/// nothing), for the caller to remove.
pub(crate) fn publish(new: &Path, target: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return std::fs::rename(new, target).map_err(io_error(target));
        }
        Err(e) => return Err(io_error(target)(e)),
        Ok(_) => {}
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system or kernel without the exchange: fall back to two renames.
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => {}
            Err(e) => return Err(io_error(target)(e.into())),
        }
    }
    let aside = target.with_file_name(aside_name(&file_name(target)));
    std::fs::rename(target, &aside).map_err(io_error(target))?;
    if let Err(e) = std::fs::rename(new, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(io_error(target)(e));
    }
    std::fs::rename(&aside, new).map_err(io_error(&aside))
}

/// Repairs what a killed build left beside `target`: a previous output moved aside but not
/// replaced goes back, and staging folders and previous trees are removed. The caller holds the
/// output's lock, so none of them belongs to a build still running.
pub(crate) fn clean_up_after_killed_builds(target: &Path) -> Result<(), OutputError> {
    let name = file_name(target);
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    let staging = format!(".{name}.gongdu-staging-");
    let aside = format!(".{name}.gongdu-old-");
    let entries = std::fs::read_dir(parent).map_err(io_error(parent))?;
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let is_aside = n.starts_with(&aside);
            (is_aside || n.starts_with(&staging)).then(|| (e.path(), is_aside))
        })
        .collect();
    if std::fs::symlink_metadata(target).is_err()
        && let Some(i) = leftovers.iter().position(|(_, is_aside)| *is_aside)
    {
        let (previous, _) = leftovers.swap_remove(i);
        std::fs::rename(&previous, target).map_err(io_error(target))?;
    }
    for (path, _) in leftovers {
        remove_tree(&path).map_err(io_error(&path))?;
    }
    Ok(())
}

/// [`remove_tree`] for a whole previous output: the folders two levels down (an article's
/// own folder, a listing's pages) are removed in parallel first, so removing 30,000 files keeps
/// every core busy instead of one. Links are never followed: a link is not a folder here.
pub(crate) fn remove_tree_in_parallel(path: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let folders = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect()
    };
    let inner: Vec<PathBuf> = folders(path).iter().flat_map(|d| folders(d)).collect();
    inner.par_iter().for_each(|dir| {
        // What fails here is tried again, and reported, by the whole removal below.
        let _ = remove_tree(dir);
    });
    remove_tree(path)
}

/// Removes a folder tree without following links, also when the previous output was made
/// read-only.
pub(crate) fn remove_tree(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
                if entry.file_type().is_dir() {
                    make_writable(entry.path());
                }
            }
            std::fs::remove_dir_all(path)
        }
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        let mode = meta.permissions().mode() | 0o700;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
    }
}

#[cfg(not(unix))]
fn make_writable(dir: &Path) {
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        let mut permissions = meta.permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        let _ = std::fs::set_permissions(dir, permissions);
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
