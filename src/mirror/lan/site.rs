//! The site the LAN server hands out: a built site folder or a mirror package (a zip), each
//! turned into an [`Index`] once at start. A served site must not be edited in place; a folder
//! that `mirror apply` replaces by a rename is noticed (a watcher compares the folder's
//! identity every [`WATCH`]) and indexed again, while requests already under way finish on
//! the version they started with. A replaced package needs a restart.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use super::folder;
use super::index::{Found, Index, Source};
use super::zipped;

/// How often the watcher looks whether the folder was swapped for another version.
const WATCH: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub(crate) enum OpenError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: not a readable zip package: {source}")]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
}

/// A site to serve, chosen by what the path is.
pub(crate) struct Site {
    current: Arc<RwLock<Arc<Index>>>,
}

impl Site {
    /// A folder is indexed and watched; a file is read as a zip package.
    pub(crate) fn open(path: &Path) -> Result<Site, OpenError> {
        let io_error = |source| OpenError::Io {
            path: path.to_owned(),
            source,
        };
        let real = path.canonicalize().map_err(io_error)?;
        if !real.is_dir() {
            let index = zipped::index(&real)?;
            return Ok(Site {
                current: Arc::new(RwLock::new(Arc::new(index))),
            });
        }
        let index = folder::index(path).map_err(io_error)?;
        let site = Site {
            current: Arc::new(RwLock::new(Arc::new(index))),
        };
        let watched = Arc::downgrade(&site.current);
        let given = path.to_owned();
        std::thread::Builder::new()
            .name("gongdu-site-watch".into())
            .spawn(move || watch(&given, &watched))
            .map_err(io_error)?;
        Ok(site)
    }

    /// The version of the site to answer one request from.
    pub(crate) fn current(&self) -> Arc<Index> {
        match self.current.read() {
            Ok(index) => Arc::clone(&index),
            // Only a panic while swapping could poison the lock; the index is whole anyway.
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The home page's `<title>`, for the poster.
    pub(crate) fn title(&self) -> Option<String> {
        let index = self.current();
        let Found::File(entry) = index.find("index.html") else {
            return None;
        };
        let mut page = String::new();
        index
            .reader(&entry, 0)
            .ok()?
            .take(1 << 20)
            .read_to_string(&mut page)
            .ok()?;
        let start = page.find("<title>")? + "<title>".len();
        let end = start + page[start..].find("</title>")?;
        let title = unescape(page[start..end].trim());
        (!title.is_empty()).then_some(title)
    }
}

/// Until the site is dropped: when the folder at `given` is another folder than the one
/// indexed (`mirror apply` renamed a new version into place), index the new one.
fn watch(given: &Path, current: &Weak<RwLock<Arc<Index>>>) {
    loop {
        std::thread::sleep(WATCH);
        let Some(current) = current.upgrade() else {
            return;
        };
        let indexed = match current.read() {
            Ok(index) => index.identity(),
            Err(_) => return,
        };
        // While a swap is half done the folder may be missing for a moment: look again later.
        let Ok(meta) = std::fs::metadata(given) else {
            continue;
        };
        if Some(folder::identity(&meta)) == indexed {
            continue;
        }
        match folder::index(given) {
            Ok(index) => {
                if let Ok(mut slot) = current.write() {
                    *slot = Arc::new(index);
                }
                println!("{}: a new version of the site is served", given.display());
            }
            Err(e) => eprintln!(
                "warning: {}: cannot read the new version: {e}",
                given.display()
            ),
        }
    }
}

impl Index {
    fn identity(&self) -> Option<folder::Identity> {
        match self.source() {
            Source::Folder(root) => Some(root.identity()),
            Source::Zip(_) => None,
        }
    }
}

/// The few entities our own templates write into a title.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_their_entities() {
        assert_eq!(
            unescape("劳模 &amp; 工匠 &lt;精神&gt;"),
            "劳模 & 工匠 <精神>"
        );
    }

    #[test]
    fn a_folder_swapped_by_rename_is_served_in_its_new_version() {
        let dir = tempfile::tempdir().expect("temp");
        let site = dir.path().join("site");
        let next = dir.path().join("next");
        for (folder, text) in [(&site, "旧版"), (&next, "新版本")] {
            std::fs::create_dir_all(folder).expect("mkdir");
            std::fs::write(folder.join("index.html"), text).expect("write");
        }
        let served = Site::open(&site).expect("open");
        let read = |site: &Site| {
            let index = site.current();
            let Found::File(entry) = index.find("index.html") else {
                panic!("indexed");
            };
            let bytes = index.bytes(&entry).expect("read").expect("small");
            String::from_utf8(bytes.to_vec()).expect("utf-8")
        };
        assert_eq!(read(&served), "旧版");
        let old = served.current();
        std::fs::rename(&site, dir.path().join("previous")).expect("rename");
        std::fs::rename(&next, &site).expect("rename");
        let deadline = std::time::Instant::now() + WATCH * 5;
        while read(&served) != "新版本" && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(read(&served), "新版本");
        // A request that began before the swap reads the version it began with (where the
        // old folder stays open; elsewhere it finds the file changed and fails).
        if !cfg!(any(target_os = "linux", target_os = "android")) {
            return;
        }
        let Found::File(entry) = old.find("index.html") else {
            panic!("indexed");
        };
        let mut text = String::new();
        old.reader(&entry, 0)
            .expect("open")
            .read_to_string(&mut text)
            .expect("read");
        assert_eq!(text, "旧版");
    }
}
