//! The site's files as found once, when the server starts (or when `mirror apply` has swapped
//! in a new version of the folder): a map from site path to entry, each entry's validators
//! made once, and small files kept in memory after their first request. The site must not
//! change while served; `folder` and `zipped` fill the map, `answer` reads it.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::HeaderValue;

use super::folder::Root;
use super::zipped::Package;

/// Files up to this size are answered from memory (read on their first request); larger ones
/// are streamed from the disk in pieces, so a big PDF costs each client one piece of memory.
pub(crate) const SMALL: u64 = 256 * 1024;
/// Memory the small files may take in all. A built site of 1,000 articles fits several times
/// over; on a bigger one the files asked for first are kept and the rest are read each time.
const MEMORY: u64 = 64 * 1024 * 1024;

/// The package's own files at its top level: they describe the site and are not part of it.
const PACKAGE_FILES: [&str; 3] = ["SHA256SUMS", "SHA256SUMS.minisig", "gongdu-mirror.json"];

/// What a site path names.
pub(crate) enum Found {
    File(Arc<Entry>),
    /// A folder: served only through its `index.html`, never listed.
    Folder,
    Missing,
}

/// One file of the site, with the header values that describe it.
pub(crate) struct Entry {
    pub(crate) len: u64,
    pub(crate) modified: SystemTime,
    /// A strong validator: the same tag means the same bytes.
    pub(crate) tag: HeaderValue,
    /// `modified` as an HTTP date.
    pub(crate) last_modified: HeaderValue,
    pub(crate) place: Place,
    /// The whole file, once read (small files only, while the memory budget lasts).
    memory: OnceLock<Bytes>,
    /// Whether the file's name holds the hash of its bytes, once checked.
    names_its_bytes: OnceLock<bool>,
}

/// Where an entry's bytes are.
pub(crate) enum Place {
    /// A file beneath the folder, by its path with every symlink resolved.
    Disk(PathBuf),
    Stored {
        offset: u64,
    },
    Deflated {
        offset: u64,
        compressed: u64,
    },
}

impl Entry {
    /// An entry whose tag is made of `tag` (characters that a header value allows).
    pub(crate) fn new(len: u64, modified: SystemTime, tag: &str, place: Place) -> Entry {
        let quoted = format!("\"{tag}\"");
        Entry {
            len,
            modified,
            tag: HeaderValue::from_str(&quoted).unwrap_or(HeaderValue::from_static("\"\"")),
            last_modified: HeaderValue::from_str(&httpdate::fmt_http_date(modified))
                .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT")),
            place,
            memory: OnceLock::new(),
            names_its_bytes: OnceLock::new(),
        }
    }
}

/// Where the entries are read from.
pub(crate) enum Source {
    Folder(Root),
    Zip(Package),
}

/// Every file and folder of one version of the site.
pub(crate) struct Index {
    files: HashMap<String, Arc<Entry>>,
    folders: HashSet<String>,
    source: Source,
    /// Bytes the memory cache may still take.
    budget: AtomicU64,
}

impl Index {
    /// `files` by site path (`/`-separated), and every folder that holds one.
    pub(crate) fn new(
        mut files: HashMap<String, Entry>,
        folders: HashSet<String>,
        source: Source,
    ) -> Index {
        for own in PACKAGE_FILES {
            files.remove(own);
        }
        Index {
            files: files.into_iter().map(|(k, e)| (k, Arc::new(e))).collect(),
            folders,
            source,
            budget: AtomicU64::new(MEMORY),
        }
    }

    pub(crate) fn source(&self) -> &Source {
        &self.source
    }

    /// Looks up a site path (as `http::path::site_path` makes them: `/`-separated, no `..`).
    /// Only names found when the index was made are known, so nothing else can be reached.
    pub(crate) fn find(&self, key: &str) -> Found {
        match self.files.get(key) {
            Some(entry) => Found::File(Arc::clone(entry)),
            None if self.folders.contains(key) => Found::Folder,
            None => Found::Missing,
        }
    }

    /// The whole of a small file, from memory after the first time; `None` for a large one,
    /// which is read with [`Index::reader`].
    pub(crate) fn bytes(&self, entry: &Entry) -> io::Result<Option<Bytes>> {
        if entry.len > SMALL {
            return Ok(None);
        }
        if let Some(bytes) = entry.memory.get() {
            return Ok(Some(bytes.clone()));
        }
        let mut read = Vec::with_capacity(usize::try_from(entry.len).unwrap_or(0));
        self.reader(entry, 0)?
            .take(entry.len + 1)
            .read_to_end(&mut read)?;
        if read.len() as u64 != entry.len {
            return Err(changed());
        }
        let bytes = Bytes::from(read);
        let reserved = self
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(entry.len)
            })
            .is_ok();
        // Two requests may read the same file at once: one copy is kept, the other's share
        // of the budget is given back.
        if reserved && entry.memory.set(bytes.clone()).is_err() {
            self.budget.fetch_add(entry.len, Ordering::Relaxed);
        }
        Ok(Some(bytes))
    }

    /// Whether `key`, the site path of `entry`, holds the hash of the file's bytes as the theme
    /// names its stylesheets and scripts (`assets/gongdu.1a2b3c4d.css`): then these are the
    /// only bytes ever published under that name. Checked once, on the bytes themselves, so
    /// that a file merely named like one is not taken for one. A file too big to hold in
    /// memory is not checked (no asset is).
    pub(crate) fn names_its_bytes(&self, key: &str, entry: &Entry) -> bool {
        let Some(hex) = crate::theme::hash_in_name(key) else {
            return false;
        };
        *entry.names_its_bytes.get_or_init(|| {
            matches!(self.bytes(entry), Ok(Some(bytes)) if crate::theme::content_hash(&bytes) == hex)
        })
    }

    /// The entry's bytes from `start` on.
    pub(crate) fn reader(&self, entry: &Entry, start: u64) -> io::Result<Box<dyn Read + Send>> {
        match (&entry.place, &self.source) {
            (Place::Disk(path), Source::Folder(root)) => root.reader(path, entry.len, start),
            (Place::Stored { offset }, Source::Zip(package)) => {
                Ok(Box::new(package.at(offset + start, offset + entry.len)))
            }
            (Place::Deflated { offset, compressed }, Source::Zip(package)) => {
                let raw = package.at(*offset, offset + compressed);
                let mut inflated = flate2::read::DeflateDecoder::new(raw);
                io::copy(&mut (&mut inflated).take(start), &mut io::sink())?;
                Ok(Box::new(inflated))
            }
            _ => Err(io::Error::other("an entry of another kind of site")),
        }
    }
}

/// The error for a file whose size is no longer the one indexed: the folder was changed in
/// place while served.
pub(crate) fn changed() -> io::Error {
    io::Error::other("the file changed after the server started (restart the server)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().expect("temp");
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
        let index = super::super::folder::index(dir.path()).expect("index");
        (dir, index)
    }

    #[test]
    fn small_files_are_read_once_then_served_from_memory() {
        let (dir, index) = index_of(&[("a.txt", "劳动".as_bytes())]);
        let Found::File(entry) = index.find("a.txt") else {
            panic!("indexed");
        };
        let first = index.bytes(&entry).expect("read").expect("small");
        assert_eq!(&first[..], "劳动".as_bytes());
        assert_eq!(index.budget.load(Ordering::Relaxed), MEMORY - 6);
        // The disk no longer matters: the bytes are the ones indexed and read.
        std::fs::remove_file(dir.path().join("a.txt")).expect("remove");
        let again = index.bytes(&entry).expect("memory").expect("small");
        assert_eq!(again, first);
    }

    #[test]
    fn a_file_changed_in_place_is_an_error_not_other_bytes() {
        let (dir, index) = index_of(&[("a.txt", b"12345")]);
        std::fs::write(dir.path().join("a.txt"), b"123456789").expect("grow");
        let Found::File(entry) = index.find("a.txt") else {
            panic!("indexed");
        };
        assert!(index.bytes(&entry).is_err());
    }

    #[test]
    fn the_package_files_are_not_part_of_the_site() {
        let (_dir, index) = index_of(&[("SHA256SUMS", b"x"), ("index.html", b"y")]);
        assert!(matches!(index.find("SHA256SUMS"), Found::Missing));
        assert!(matches!(index.find("index.html"), Found::File(_)));
    }
}
