//! A site folder on disk as an [`Index`]: walked once, every symlink resolved then (those that
//! lead out of the folder are left out), and files later opened beneath the folder by their
//! resolved path, so that a request costs one `open` instead of one system call per path
//! component. Whether the folder was swapped for a new version is `site`'s question.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use walkdir::WalkDir;

use super::index::{self, Entry, Index, Place, Source};

/// The folder a site was indexed from, kept open so that its files are read from that very
/// version even after `mirror apply` has renamed another one into its place.
pub(crate) struct Root {
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    path: PathBuf,
    dir: File,
    identity: Identity,
}

/// What tells one folder from another that took its name: device and inode on Unix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Identity(u64, u64);

#[cfg(unix)]
pub(crate) fn identity(meta: &std::fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    Identity(meta.dev(), meta.ino())
}

/// Elsewhere, the folder's creation and change times: a folder renamed into place was made
/// later than the one it replaced.
#[cfg(not(unix))]
pub(crate) fn identity(meta: &std::fs::Metadata) -> Identity {
    let nanos = |time: io::Result<SystemTime>| {
        time.ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64)
    };
    Identity(nanos(meta.created()), nanos(meta.modified()))
}

impl Root {
    pub(crate) fn identity(&self) -> Identity {
        self.identity
    }

    /// The file at `path` (resolved, relative to the folder) from `start` on, provided it still
    /// has the size it was indexed with.
    pub(crate) fn reader(
        &self,
        path: &Path,
        len: u64,
        start: u64,
    ) -> io::Result<Box<dyn Read + Send>> {
        let mut file = self.open(path)?;
        if file.metadata()?.len() != len {
            return Err(index::changed());
        }
        file.seek(SeekFrom::Start(start))?;
        Ok(Box::new(file))
    }

    /// Opens beneath the folder and through no symlink at all: the indexed path has none, so
    /// one found now was put there since, and may lead anywhere.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn open(&self, path: &Path) -> io::Result<File> {
        use rustix::fs::{Mode, OFlags, ResolveFlags, openat, openat2};
        use rustix::io::Errno;
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY;
        let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS;
        match openat2(&self.dir, path, flags, Mode::empty(), resolve) {
            Ok(fd) => Ok(File::from(fd)),
            // Kernels before 5.6, or sandboxes that forbid the call: the last component at
            // least must not be a symlink.
            Err(Errno::NOSYS | Errno::PERM) => {
                openat(&self.dir, path, flags | OFlags::NOFOLLOW, Mode::empty())
                    .map(File::from)
                    .map_err(io::Error::from)
            }
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn open(&self, path: &Path) -> io::Result<File> {
        File::open(self.path.join(path))
    }
}

/// Indexes the folder at `given` (a symlink to a folder is followed). If the folder is
/// swapped while being walked, it is walked again.
pub(crate) fn index(given: &Path) -> io::Result<Index> {
    let mut tries = 0;
    loop {
        let path = given.canonicalize()?;
        let dir = File::open(&path)?;
        let meta = dir.metadata()?;
        if !meta.is_dir() {
            return Err(io::Error::other("not a folder"));
        }
        let walked = identity(&meta);
        let (files, folders) = walk(&path);
        tries += 1;
        let still = std::fs::metadata(&path).map(|m| identity(&m));
        if still.is_ok_and(|now| now == walked) || tries == 3 {
            let root = Root {
                #[cfg(not(any(target_os = "linux", target_os = "android")))]
                path,
                dir,
                identity: walked,
            };
            return Ok(Index::new(files, folders, Source::Folder(root)));
        }
    }
}

/// Every regular file and folder under `root` whose resolved path stays inside `root`, by
/// site path. Names that are not UTF-8 are left out: no request can name them.
fn walk(root: &Path) -> (HashMap<String, Entry>, HashSet<String>) {
    let mut files = HashMap::new();
    let mut folders = HashSet::new();
    // Each folder walked, by the path the walk reached it by, with its resolved path.
    let mut resolved: HashMap<PathBuf, PathBuf> = HashMap::new();
    resolved.insert(root.to_owned(), root.to_owned());
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .min_depth(1)
        .into_iter();
    while let Some(item) = walker.next() {
        // A symlink loop or an unreadable folder: left out, like anything else unreachable.
        let Ok(item) = item else { continue };
        let is_dir = item.file_type().is_dir();
        let real = resolved_path(&item, &resolved);
        let key = item.path().strip_prefix(root).ok().and_then(site_key);
        let (Some(real), Some(key)) = (real.filter(|r| r.starts_with(root)), key) else {
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        };
        if is_dir {
            resolved.insert(item.path().to_owned(), real);
            folders.insert(key);
            continue;
        }
        if !item.file_type().is_file() {
            continue; // a device or a pipe is no page
        }
        let (Ok(meta), Ok(inside)) = (item.metadata(), real.strip_prefix(root)) else {
            continue;
        };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let seconds = modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let tag = format!("{seconds:x}-{:x}", meta.len());
        let place = Place::Disk(inside.to_owned());
        files.insert(key, Entry::new(meta.len(), modified, &tag, place));
    }
    (files, folders)
}

/// Where a walked path really is: a symlink resolved, anything else in its folder's place.
fn resolved_path(
    item: &walkdir::DirEntry,
    resolved: &HashMap<PathBuf, PathBuf>,
) -> Option<PathBuf> {
    if item.path_is_symlink() {
        return item.path().canonicalize().ok();
    }
    let folder = resolved.get(item.path().parent()?)?;
    Some(folder.join(item.file_name()))
}

/// The site path of a path relative to the folder: plain UTF-8 names joined by `/`.
fn site_key(relative: &Path) -> Option<String> {
    let mut key = String::new();
    for part in relative.components() {
        let Component::Normal(name) = part else {
            return None;
        };
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str(name.to_str()?);
    }
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::lan::index::Found;

    #[test]
    fn only_plain_names_inside_the_folder_are_indexed() {
        let dir = tempfile::tempdir().expect("temp");
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("文章")).expect("mkdir");
        std::fs::write(site.join("a.html"), "a").expect("write");
        std::fs::write(site.join("文章/b.html"), "b").expect("write");
        std::fs::write(dir.path().join("secret.txt"), "s").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(dir.path().join("secret.txt"), site.join("out.txt")).expect("link");
            symlink(dir.path(), site.join("up")).expect("link");
            symlink("文章", site.join("inside")).expect("link");
        }
        let index = index(&site).expect("index");
        assert!(matches!(index.find("a.html"), Found::File(_)));
        assert!(matches!(index.find("文章/b.html"), Found::File(_)));
        assert!(matches!(index.find("文章"), Found::Folder));
        for odd in ["C:", "a.html/", "/a.html", "", "a.html/.", "文章/../a.html"] {
            assert!(matches!(index.find(odd), Found::Missing), "{odd:?}");
        }
        if cfg!(unix) {
            assert!(matches!(index.find("inside/b.html"), Found::File(_)));
            for out in ["out.txt", "up", "up/secret.txt", "up/site/a.html"] {
                assert!(matches!(index.find(out), Found::Missing), "{out}");
            }
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_symlink_put_in_after_indexing_is_not_followed() {
        let dir = tempfile::tempdir().expect("temp");
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("a")).expect("mkdir");
        std::fs::write(site.join("a/page.html"), "123").expect("write");
        std::fs::create_dir_all(dir.path().join("b")).expect("mkdir");
        std::fs::write(dir.path().join("b/page.html"), "秘").expect("write");
        let index = index(&site).expect("index");
        std::fs::remove_dir_all(site.join("a")).expect("remove");
        std::os::unix::fs::symlink(dir.path().join("b"), site.join("a")).expect("link");
        let Found::File(entry) = index.find("a/page.html") else {
            panic!("indexed");
        };
        assert!(index.reader(&entry, 0).is_err());
    }
}
