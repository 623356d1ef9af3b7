//! `gongdu mirror pack`: the built site as one deterministic zip (fixed dates and modes, entries
//! sorted with `index.html` first) ending in `gongdu-mirror.json`, `SHA256SUMS` and, with a
//! key, `SHA256SUMS.minisig`. Files are read, hashed and (optionally) precompressed in parallel
//! chunks and written in order, so memory stays bounded; the zip replaces FILE only when whole.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::keys;
use super::manifest::{FileSum, INFO, Manifest, MirrorInfo, SUMS, SUMS_SIG, check_path};
use super::tree::is_meta;
use super::{PackageError, io_error, zip_error};

/// Whether to add `.gz` and `.br` twins of text files for the LAN server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precompress {
    No,
    GzipAndBrotli,
}

#[derive(Debug, Clone)]
pub struct PackOptions {
    /// The minisign secret key; without one the package is unsigned.
    pub key: Option<PathBuf>,
    pub precompress: Precompress,
}

#[derive(Debug, Clone)]
pub struct PackReport {
    pub title: String,
    pub version: String,
    pub files: usize,
    pub site_bytes: u64,
    pub zip_bytes: u64,
    pub signed: bool,
}

/// Files read and compressed together before they are written in order.
const CHUNK: usize = 256;

/// Twins are made only where they save a request's worth of bytes.
const PRECOMPRESS_MIN: usize = 1024;

pub fn pack(dir: &Path, to: &Path, options: &PackOptions) -> Result<PackReport, PackageError> {
    if !dir.is_dir() {
        return Err(PackageError::Refused(format!(
            "{}: not a folder; pack the built site folder (normally public/)",
            dir.display()
        )));
    }
    // The key first: a wrong password should not cost a whole pack.
    let secret = options.key.as_deref().map(keys::load_secret).transpose()?;
    let paths = site_paths(dir, options.precompress)?;
    let title = site_title(dir);
    let temp = super::temp_beside(to, ".gongdu-pack-")?;
    let mut zip = ZipWriter::new(temp.as_file());
    let manifest = write_site(&mut zip, dir, &paths, to)?;
    let info = MirrorInfo::new(title, &manifest);
    let info_json = info.to_json();
    let sums = manifest.sums_text(&info_json);
    add(&mut zip, INFO, &info_json, to)?;
    add(&mut zip, SUMS, sums.as_bytes(), to)?;
    if let Some(sk) = &secret {
        let sig = keys::sign(sk, sums.as_bytes(), &info.trusted_comment())?;
        add(&mut zip, SUMS_SIG, sig.as_bytes(), to)?;
    }
    zip.finish().map_err(zip_error(to))?;
    temp.as_file().sync_all().map_err(io_error(to))?;
    temp.persist(to).map_err(|e| io_error(to)(e.error))?;
    Ok(PackReport {
        title: info.title,
        version: info.version,
        files: manifest.files.len(),
        site_bytes: manifest.bytes(),
        zip_bytes: std::fs::metadata(to).map_err(io_error(to))?.len(),
        signed: secret.is_some(),
    })
}

/// A zip entry name and where its bytes come from.
struct Planned {
    name: String,
    source: String,
    twin: Option<Twin>,
}

#[derive(Clone, Copy)]
enum Twin {
    Gzip,
    Brotli,
}

/// The entries in zip order: `index.html` first, then by path; precompressed twins follow
/// the file they are made from.
fn site_paths(dir: &Path, precompress: Precompress) -> Result<Vec<Planned>, PackageError> {
    let found = super::tree::Tree::Folder(dir.to_path_buf()).paths()?;
    let mut paths: Vec<String> = found.iter().filter(|p| !is_meta(p)).cloned().collect();
    if let Some(i) = paths.iter().position(|p| p == "index.html") {
        let home = paths.remove(i);
        paths.insert(0, home);
    }
    let mut planned = Vec::new();
    for path in paths {
        check_path(&path)
            .map_err(|why| PackageError::Format(format!("{}: {why}", dir.join(&path).display())))?;
        let twins = precompress == Precompress::GzipAndBrotli && wants_twins(&path, &found);
        planned.push(Planned {
            name: path.clone(),
            source: path.clone(),
            twin: None,
        });
        if twins {
            for (ext, twin) in [("gz", Twin::Gzip), ("br", Twin::Brotli)] {
                planned.push(Planned {
                    name: format!("{path}.{ext}"),
                    source: path.clone(),
                    twin: Some(twin),
                });
            }
        }
    }
    Ok(planned)
}

/// Text types only, and not where the site already ships a twin of its own.
fn wants_twins(path: &str, found: &BTreeSet<String>) -> bool {
    let text = [".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"];
    text.iter().any(|ext| path.ends_with(ext))
        && !found.contains(&format!("{path}.gz"))
        && !found.contains(&format!("{path}.br"))
}

fn write_site(
    zip: &mut ZipWriter<&std::fs::File>,
    dir: &Path,
    planned: &[Planned],
    to: &Path,
) -> Result<Manifest, PackageError> {
    let mut manifest = Manifest::default();
    for chunk in planned.chunks(CHUNK) {
        let bytes: Vec<Option<Vec<u8>>> = chunk
            .par_iter()
            .map(|p| {
                let full = dir.join(&p.source);
                let bytes = std::fs::read(&full).map_err(io_error(&full))?;
                Ok(match p.twin {
                    None => Some(bytes),
                    Some(_) if bytes.len() < PRECOMPRESS_MIN => None,
                    Some(twin) => Some(compress(&bytes, twin)).filter(|c| c.len() < bytes.len()),
                })
            })
            .collect::<Result<_, PackageError>>()?;
        for (p, bytes) in chunk.iter().zip(bytes) {
            if let Some(bytes) = bytes {
                add(zip, &p.name, &bytes, to)?;
                manifest.files.insert(p.name.clone(), FileSum::of(&bytes));
            }
        }
    }
    Ok(manifest)
}

fn compress(bytes: &[u8], twin: Twin) -> Vec<u8> {
    let mut out = Vec::new();
    match twin {
        Twin::Gzip => {
            // mtime 0 and no file name in the header: the same bytes every time.
            let mut gz = flate2::GzBuilder::new()
                .mtime(0)
                .write(&mut out, flate2::Compression::best());
            gz.write_all(bytes).expect("writing to memory");
            gz.finish().expect("writing to memory");
        }
        Twin::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
        }
    }
    out
}

/// Deflate for what compresses; stored for formats that are compressed already.
fn options_for(name: &str, len: usize) -> SimpleFileOptions {
    let stored = [
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".gz", ".br", ".zip", ".zst",
    ];
    let method = if stored.iter().any(|ext| name.ends_with(ext)) {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .large_file(len as u64 >= u64::from(u32::MAX))
}

pub(crate) fn add(
    zip: &mut ZipWriter<&std::fs::File>,
    name: &str,
    bytes: &[u8],
    to: &Path,
) -> Result<(), PackageError> {
    zip.start_file(name, options_for(name, bytes.len()))
        .map_err(zip_error(to))?;
    zip.write_all(bytes).map_err(io_error(to))
}

/// The home page's `<title>`, else the folder's name.
pub(crate) fn site_title(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("index.html"))
        .ok()
        .and_then(|html| crate::mirror::zim::html_title(&html))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "gongdu".into())
        })
}
