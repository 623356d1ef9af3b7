//! A mirror package (a zip) as an [`Index`], read in place: its central directory is read once
//! at start, and each entry is read by position from the one open file (stored entries as
//! they are, deflated ones inflated on the way). Entries whose names could leave the site, and
//! compression methods other than those two, are left out.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use zip::{CompressionMethod, ZipArchive};

use super::index::{Entry, Index, Place, Source};
use super::site::OpenError;

/// The open package that entries are read from.
pub(crate) struct Package {
    file: Arc<File>,
}

impl Package {
    /// Bytes `from..to` of the package.
    pub(crate) fn at(&self, from: u64, to: u64) -> Positioned {
        Positioned {
            file: Arc::clone(&self.file),
            at: from,
            end: to,
        }
    }
}

pub(crate) fn index(path: &Path) -> Result<Index, OpenError> {
    let io_error = |source| OpenError::Io {
        path: path.to_owned(),
        source,
    };
    let zip_error = |source| OpenError::Zip {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    // Packages carry fixed entry dates (for identical bytes); the package's own date says
    // when this copy last changed.
    let modified = file
        .metadata()
        .and_then(|m| m.modified())
        .map_err(io_error)?;
    let mut archive = ZipArchive::new(file.try_clone().map_err(io_error)?).map_err(zip_error)?;
    let mut files = HashMap::new();
    let mut folders = HashSet::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(zip_error)?;
        // Names that could mean a path outside the site are left out; no request can name
        // them anyway, since request paths never hold `..` or a backslash.
        if entry.is_dir() || entry.enclosed_name().is_none() {
            continue;
        }
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            continue;
        };
        let Some(offset) = entry.data_start() else {
            continue;
        };
        let place = match entry.compression() {
            CompressionMethod::Stored => Place::Stored { offset },
            CompressionMethod::Deflated => Place::Deflated {
                offset,
                compressed: entry.compressed_size(),
            },
            other => {
                eprintln!("warning: {name}: left out (compressed with {other:?})");
                continue;
            }
        };
        let mut parent = name.as_str();
        while let Some((up, _)) = parent.rsplit_once('/') {
            folders.insert(up.to_owned());
            parent = up;
        }
        let tag = format!("{:08x}-{:x}", entry.crc32(), entry.size());
        files.insert(name, Entry::new(entry.size(), modified, &tag, place));
    }
    let package = Package {
        file: Arc::new(file),
    };
    Ok(Index::new(files, folders, Source::Zip(package)))
}

/// Reads a stretch of the package by position, so that every request can read its own
/// entry from the one open file without seeking a shared cursor.
pub(crate) struct Positioned {
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
