//! Mirrors for learning centres: a signed, deterministic zip of the built site (`pack`), a
//! check of a folder or zip against its signed checksums (`verify`), small signed update packs
//! (`update`) applied with one rename and kept for rollback (`apply`), and the minisign keys
//! that sign them (`keys`). Serving a mirror on the LAN is another module's.

mod apply;
pub(crate) mod command;
mod keys;
mod manifest;
mod pack;
mod tree;
mod update;
mod verify;

use std::io;
use std::path::{Path, PathBuf};

pub use apply::{ApplyOptions, ApplyReport, Base, apply, rollback};
pub use keys::{Protection, generate_keys};
pub use pack::{PackOptions, PackReport, Precompress, pack};
pub use update::{UpdateReport, update};
pub use verify::{SignatureState, VerifyReport, verify};

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: not a readable zip: {source}")]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
    #[error("{0}")]
    Format(String),
    #[error("{path}: {message}")]
    Key { path: PathBuf, message: String },
    #[error("{0}")]
    Signature(String),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> PackageError + '_ {
    move |source| PackageError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn zip_error(path: &Path) -> impl FnOnce(zip::result::ZipError) -> PackageError + '_ {
    move |source| PackageError::Zip {
        path: path.to_path_buf(),
        source,
    }
}

/// A temporary file beside `to`, renamed onto it once complete, so a failed pack never leaves
/// half a zip under the final name. It is created readable by others as any new file is (mode
/// 0666 less the umask): tempfile's default, 0600, would hide a package from the web server or
/// the colleague it is made for.
pub(crate) fn temp_beside(
    to: &Path,
    prefix: &str,
) -> Result<tempfile::NamedTempFile, PackageError> {
    let parent = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".zip.part");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(parent).map_err(io_error(parent))
}
