//! A mirror as a set of files, whether it is a folder or a zip read in place (the zip is never
//! unpacked to check it): listing, reading and checksumming. Folders are hashed in parallel;
//! a zip is read entry by entry through its central directory.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zip::ZipArchive;

use super::manifest::{FileSum, INFO, Manifest, SUMS, SUMS_SIG, check_path};
use super::{PackageError, io_error, zip_error};
use crate::output::MARKER;

pub(crate) enum Tree {
    Folder(PathBuf),
    Zip {
        path: PathBuf,
        archive: ZipArchive<File>,
    },
}

/// Files that describe the mirror rather than belong to the site.
pub(crate) fn is_meta(path: &str) -> bool {
    path == SUMS || path == SUMS_SIG || path == INFO || path == MARKER
}

impl Tree {
    /// A folder, or a file read as a zip.
    pub(crate) fn open(path: &Path) -> Result<Tree, PackageError> {
        let meta = std::fs::metadata(path).map_err(io_error(path))?;
        if meta.is_dir() {
            return Ok(Tree::Folder(path.to_path_buf()));
        }
        let file = File::open(path).map_err(io_error(path))?;
        let archive = ZipArchive::new(file).map_err(zip_error(path))?;
        Ok(Tree::Zip {
            path: path.to_path_buf(),
            archive,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        match self {
            Tree::Folder(path) | Tree::Zip { path, .. } => path,
        }
    }

    /// Every file's path, sorted; folders' links and special files are not site files.
    pub(crate) fn paths(&self) -> Result<BTreeSet<String>, PackageError> {
        match self {
            Tree::Folder(root) => folder_paths(root),
            Tree::Zip { path, archive } => {
                let mut paths = BTreeSet::new();
                for name in archive.file_names() {
                    let name = name.map_err(zip_error(path))?;
                    if !name.ends_with('/') {
                        paths.insert(name.into_owned());
                    }
                }
                Ok(paths)
            }
        }
    }

    /// The bytes of `path`, or `None` where the tree has no such file.
    pub(crate) fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, PackageError> {
        match self {
            Tree::Folder(root) => {
                let full = root.join(path);
                match std::fs::read(&full) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(io_error(&full)(e)),
                }
            }
            Tree::Zip { path: zip, archive } => {
                let mut entry = match archive.by_name(path) {
                    Ok(entry) => entry,
                    Err(zip::result::ZipError::FileNotFound) => return Ok(None),
                    Err(e) => return Err(zip_error(zip)(e)),
                };
                let mut bytes = Vec::with_capacity(entry.size().min(1 << 26) as usize);
                entry
                    .read_to_end(&mut bytes)
                    .map_err(io_error(&zip.join(path)))?;
                Ok(Some(bytes))
            }
        }
    }

    /// Checksums of the given files of the tree (those it has), by path.
    pub(crate) fn sums(&mut self, paths: &BTreeSet<String>) -> Result<Manifest, PackageError> {
        let mut manifest = Manifest::default();
        match self {
            Tree::Folder(root) => {
                let sums: Vec<(String, FileSum)> = paths
                    .par_iter()
                    .map(|path| {
                        let full = root.join(path);
                        let bytes = std::fs::read(&full).map_err(io_error(&full))?;
                        Ok((path.clone(), FileSum::of(&bytes)))
                    })
                    .collect::<Result<_, PackageError>>()?;
                manifest.files.extend(sums);
            }
            Tree::Zip { .. } => {
                for path in paths {
                    if let Some(bytes) = self.read(path)? {
                        manifest.files.insert(path.clone(), FileSum::of(&bytes));
                    }
                }
            }
        }
        Ok(manifest)
    }

    /// The site's own files (everything but the mirror's description) with their checksums.
    pub(crate) fn site_manifest(&mut self) -> Result<Manifest, PackageError> {
        let paths: BTreeSet<String> = self.paths()?.into_iter().filter(|p| !is_meta(p)).collect();
        for path in &paths {
            check_path(path).map_err(|why| {
                PackageError::Format(format!("{}: {why}", self.path().join(path).display()))
            })?;
        }
        self.sums(&paths)
    }
}

fn folder_paths(root: &Path) -> Result<BTreeSet<String>, PackageError> {
    let mut paths = BTreeSet::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry =
            entry.map_err(|e| {
                let path = e.path().unwrap_or(root).to_path_buf();
                io_error(&path)(e.into_io_error().unwrap_or_else(|| {
                    std::io::Error::other("cannot walk the folder (a link loop?)")
                }))
            })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .expect("the walk stays inside");
        let Some(text) = rel.to_str() else {
            return Err(PackageError::Format(format!(
                "{}: the file name is not UTF-8; rename it",
                entry.path().display()
            )));
        };
        paths.insert(text.replace(std::path::MAIN_SEPARATOR, "/"));
    }
    Ok(paths)
}
