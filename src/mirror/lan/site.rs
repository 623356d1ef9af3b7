//! The files the LAN server may hand out: a built site folder on disk, or a mirror package
//! (a zip) read in place. Owns finding a site path in either, refusing anything outside the
//! site (symlinks that leave the folder, the package's own manifest files), and opening an
//! entry for reading from any byte on. HTTP is the caller's business.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use zip::{CompressionMethod, ZipArchive};

/// The package's own files at its top level: they describe the site and are not part of it.
const PACKAGE_FILES: [&str; 3] = ["SHA256SUMS", "SHA256SUMS.minisig", "gongdu-mirror.json"];

/// What a site path names.
pub(crate) enum Found {
    File(Entry),
    /// A folder: served only through its `index.html`, never listed.
    Folder,
    Missing,
}

/// One file of the site, as found.
pub(crate) struct Entry {
    pub(crate) len: u64,
    pub(crate) modified: SystemTime,
    /// A strong validator: the same tag means the same bytes.
    pub(crate) tag: String,
    place: Place,
}

enum Place {
    Disk(File),
    Stored { offset: u64 },
    Deflated { offset: u64, compressed: u64 },
}

/// A site to serve, chosen by what the path is.
pub(crate) enum Site {
    Folder { root: PathBuf },
    Zip(Zipped),
}

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

impl Site {
    /// A folder is served as it is; a file is read as a zip package.
    pub(crate) fn open(path: &Path) -> Result<Site, OpenError> {
        let io_error = |source| OpenError::Io {
            path: path.to_owned(),
            source,
        };
        let root = path.canonicalize().map_err(io_error)?;
        if root.is_dir() {
            return Ok(Site::Folder { root });
        }
        Zipped::open(&root).map(Site::Zip)
    }

    /// Looks up a site path (as `http::path::site_path` makes them: `/`-separated, no `..`).
    pub(crate) fn find(&self, key: &str) -> Found {
        if PACKAGE_FILES.contains(&key) {
            return Found::Missing;
        }
        match self {
            Site::Folder { root } => find_on_disk(root, key),
            Site::Zip(zipped) => zipped.find(key),
        }
    }

    /// The entry's bytes from `start` on.
    pub(crate) fn reader(&self, entry: Entry, start: u64) -> io::Result<Box<dyn Read + Send>> {
        match (entry.place, self) {
            (Place::Disk(mut file), _) => {
                io::Seek::seek(&mut file, io::SeekFrom::Start(start))?;
                Ok(Box::new(file))
            }
            (Place::Stored { offset }, Site::Zip(zipped)) => {
                Ok(Box::new(zipped.at(offset + start, offset + entry.len)))
            }
            (Place::Deflated { offset, compressed }, Site::Zip(zipped)) => {
                let raw = zipped.at(offset, offset + compressed);
                let mut inflated = flate2::read::DeflateDecoder::new(raw);
                io::copy(&mut (&mut inflated).take(start), &mut io::sink())?;
                Ok(Box::new(inflated))
            }
            _ => Err(io::Error::other("a zip entry asked of a folder")),
        }
    }

    /// The home page's `<title>`, for the poster.
    pub(crate) fn title(&self) -> Option<String> {
        let Found::File(entry) = self.find("index.html") else {
            return None;
        };
        let mut page = String::new();
        self.reader(entry, 0)
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

/// The few entities our own templates write into a title.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A file under `root`, after every symlink is resolved, or nothing. Each segment must be a
/// plain name on this platform (so `C:` or `\\server` cannot become a prefix on Windows).
fn find_on_disk(root: &Path, key: &str) -> Found {
    let mut path = root.to_path_buf();
    for segment in key.split('/') {
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(name)), None) if name == segment => path.push(name),
            _ => return Found::Missing,
        }
    }
    // Resolving the whole path is what tells a symlink to elsewhere from one inside.
    let Ok(real) = path.canonicalize() else {
        return Found::Missing;
    };
    if !real.starts_with(root) {
        return Found::Missing;
    }
    let Ok(file) = File::open(&real) else {
        return Found::Missing;
    };
    let Ok(meta) = file.metadata() else {
        return Found::Missing;
    };
    if meta.is_dir() {
        return Found::Folder;
    }
    if !meta.is_file() {
        return Found::Missing; // a device or a pipe is no page
    }
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let seconds = modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Found::File(Entry {
        len: meta.len(),
        modified,
        tag: format!("\"{seconds:x}-{:x}\"", meta.len()),
        place: Place::Disk(file),
    })
}

/// A zip package, its central directory read once at start; entries are read in place.
pub(crate) struct Zipped {
    file: Arc<File>,
    modified: SystemTime,
    entries: HashMap<String, ZipEntry>,
    folders: HashSet<String>,
}

struct ZipEntry {
    len: u64,
    crc32: u32,
    offset: u64,
    compressed: Option<u64>,
}

impl Zipped {
    fn open(path: &Path) -> Result<Zipped, OpenError> {
        let io_error = |source| OpenError::Io {
            path: path.to_owned(),
            source,
        };
        let zip_error = |source| OpenError::Zip {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(io_error)?;
        let modified = file
            .metadata()
            .and_then(|m| m.modified())
            .map_err(io_error)?;
        let mut archive =
            ZipArchive::new(file.try_clone().map_err(io_error)?).map_err(zip_error)?;
        let mut entries = HashMap::new();
        let mut folders = HashSet::new();
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).map_err(zip_error)?;
            // Names that could mean a path outside the site are left out; no request can
            // name them anyway, since request paths never hold `..` or a backslash.
            if entry.is_dir() || entry.enclosed_name().is_none() {
                continue;
            }
            let Ok(name) = entry.name().map(|n| n.into_owned()) else {
                continue;
            };
            let compressed = match entry.compression() {
                CompressionMethod::Stored => None,
                CompressionMethod::Deflated => Some(entry.compressed_size()),
                other => {
                    eprintln!("warning: {name}: left out (compressed with {other:?})");
                    continue;
                }
            };
            let Some(offset) = entry.data_start() else {
                continue;
            };
            let mut parent = name.as_str();
            while let Some((up, _)) = parent.rsplit_once('/') {
                folders.insert(up.to_owned());
                parent = up;
            }
            let len = entry.size();
            let crc32 = entry.crc32();
            entries.insert(
                name,
                ZipEntry {
                    len,
                    crc32,
                    offset,
                    compressed,
                },
            );
        }
        Ok(Zipped {
            file: Arc::new(file),
            modified,
            entries,
            folders,
        })
    }

    fn find(&self, key: &str) -> Found {
        let Some(entry) = self.entries.get(key) else {
            return if self.folders.contains(key) {
                Found::Folder
            } else {
                Found::Missing
            };
        };
        Found::File(Entry {
            len: entry.len,
            // Packages carry fixed entry dates (for identical bytes); the package's own date
            // says when this copy last changed.
            modified: self.modified,
            tag: format!("\"{:08x}-{:x}\"", entry.crc32, entry.len),
            place: match entry.compressed {
                None => Place::Stored {
                    offset: entry.offset,
                },
                Some(compressed) => Place::Deflated {
                    offset: entry.offset,
                    compressed,
                },
            },
        })
    }

    fn at(&self, from: u64, to: u64) -> Positioned {
        Positioned {
            file: Arc::clone(&self.file),
            at: from,
            end: to,
        }
    }
}

/// Reads a stretch of the package by position, so that every request can read its own
/// entry from the one open file without seeking a shared cursor.
struct Positioned {
    file: Arc<File>,
    at: u64,
    end: u64,
}

impl Read for Positioned {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.end.saturating_sub(self.at);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(&self.file, &mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
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
    fn a_windows_prefix_or_odd_segment_names_nothing() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().canonicalize().expect("real");
        std::fs::write(root.join("a.html"), "a").expect("write");
        assert!(matches!(find_on_disk(&root, "a.html"), Found::File(_)));
        for odd in ["C:", "a.html/", "/a.html", "", "a.html/."] {
            assert!(
                matches!(find_on_disk(&root, odd), Found::Missing),
                "{odd:?}"
            );
        }
    }
}
