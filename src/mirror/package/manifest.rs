//! What a mirror holds, as data: the SHA256 of every site file (`SHA256SUMS`, in the format
//! `sha256sum -c` reads), the version id derived from it, and `gongdu-mirror.json`. Reading
//! files from folders and zips is the tree module's; signatures are the keys module's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::PackageError;

/// The checksum list; its signature sits beside it.
pub(crate) const SUMS: &str = "SHA256SUMS";
pub(crate) const SUMS_SIG: &str = "SHA256SUMS.minisig";
/// Title, version and size of the mirror, listed in `SHA256SUMS` so that it is signed too.
pub(crate) const INFO: &str = "gongdu-mirror.json";

/// A file's SHA256 and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileSum {
    pub(crate) sha256: [u8; 32],
    pub(crate) bytes: u64,
}

impl FileSum {
    pub(crate) fn of(bytes: &[u8]) -> FileSum {
        FileSum {
            sha256: Sha256::digest(bytes).into(),
            bytes: bytes.len() as u64,
        }
    }

    pub(crate) fn hex(&self) -> String {
        hex(&self.sha256)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The site's files by path (`/`-separated, relative), sorted bytewise as the zip is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub(crate) files: BTreeMap<String, FileSum>,
}

impl Manifest {
    pub(crate) fn bytes(&self) -> u64 {
        self.files.values().map(|f| f.bytes).sum()
    }

    /// A short id of exactly these paths and bytes: the same site always has the same one.
    pub(crate) fn version(&self) -> String {
        let mut hasher = Sha256::new();
        for (path, sum) in &self.files {
            hasher.update(sum.sha256);
            hasher.update(path.as_bytes());
            hasher.update([0]);
        }
        hex(&hasher.finalize()[..8])
    }

    /// `SHA256SUMS`: every site file and `gongdu-mirror.json`, sorted by path.
    pub(crate) fn sums_text(&self, info: &[u8]) -> String {
        self.sums_text_with(Some(&FileSum::of(info).sha256))
    }

    /// `SHA256SUMS` given only the checksum of `gongdu-mirror.json` (none: no line for it),
    /// as an update pack rebuilds its base's list.
    pub(crate) fn sums_text_with(&self, info: Option<&[u8; 32]>) -> String {
        let mut lines: Vec<(&str, String)> = self
            .files
            .iter()
            .map(|(path, sum)| (path.as_str(), sum.hex()))
            .collect();
        lines.extend(info.map(|sha| (INFO, hex(sha))));
        lines.sort();
        lines.iter().fold(String::new(), |mut s, (path, sum)| {
            let _ = writeln!(s, "{sum}  {path}");
            s
        })
    }

    /// Reads `SHA256SUMS`: the site files, and the checksum given for `gongdu-mirror.json`.
    /// Sizes are unknown from the text and left at zero.
    pub(crate) fn parse_sums(text: &str) -> Result<(Manifest, Option<[u8; 32]>), PackageError> {
        let mut files = BTreeMap::new();
        let mut info = None;
        for (n, line) in text.lines().enumerate() {
            let bad = |why: &str| PackageError::Format(format!("{SUMS}:{}:1: {why}", n + 1));
            let (sum, path) = line
                .split_once("  ")
                .ok_or_else(|| bad("expected `<sha256>  <path>`"))?;
            let sha256 = parse_hex(sum).ok_or_else(|| bad("not a SHA256 in hex"))?;
            check_path(path).map_err(|why| bad(&why))?;
            if path == INFO {
                info = Some(sha256);
            } else if files
                .insert(path.to_owned(), FileSum { sha256, bytes: 0 })
                .is_some()
            {
                return Err(bad("the same path is listed twice"));
            }
        }
        Ok((Manifest { files }, info))
    }
}

fn parse_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Paths a manifest may name: relative, `/`-separated, no `.`/`..` parts, nothing the
/// `sha256sum` format would need to escape (a backslash or a control character), so that
/// every listed path stays inside the folder it is written to.
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.starts_with('/') {
        return Err(format!("`{path}` is not a relative path"));
    }
    if path.chars().any(|c| c == '\\' || c.is_control()) {
        return Err(format!(
            "`{}` holds a backslash or a control character",
            path.escape_debug()
        ));
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!("`{path}` has an empty, `.` or `..` part"));
    }
    Ok(())
}

/// `gongdu-mirror.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MirrorInfo {
    pub(crate) title: String,
    pub(crate) version: String,
    pub(crate) generator: String,
    pub(crate) files: usize,
    pub(crate) bytes: u64,
}

impl MirrorInfo {
    pub(crate) fn new(title: String, manifest: &Manifest) -> MirrorInfo {
        MirrorInfo {
            title,
            version: manifest.version(),
            generator: format!("gongdu {}", env!("CARGO_PKG_VERSION")),
            files: manifest.files.len(),
            bytes: manifest.bytes(),
        }
    }

    pub(crate) fn to_json(&self) -> Vec<u8> {
        let mut text = serde_json::to_vec_pretty(self).expect("plain strings and numbers");
        text.push(b'\n');
        text
    }

    /// The signature's trusted comment: what `minisign -V` prints as verified.
    pub(crate) fn trusted_comment(&self) -> String {
        format!(
            "gongdu-mirror title={} version={}",
            self.title.replace(['\n', '\r', '\t'], " "),
            self.version
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_round_trip_and_info_is_listed() {
        let mut m = Manifest::default();
        m.files.insert("index.html".into(), FileSum::of(b"<p>hi"));
        m.files.insert("a/b.css".into(), FileSum::of(b"p{}"));
        let text = m.sums_text(b"{}");
        assert!(text.contains(&format!(
            "{}  gongdu-mirror.json\n",
            FileSum::of(b"{}").hex()
        )));
        let (back, info) = Manifest::parse_sums(&text).expect("parses");
        assert_eq!(
            back.files.keys().collect::<Vec<_>>(),
            ["a/b.css", "index.html"]
        );
        assert_eq!(
            back.files["index.html"].sha256,
            m.files["index.html"].sha256
        );
        assert_eq!(info, Some(FileSum::of(b"{}").sha256));
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        for bad in ["../x", "/etc/passwd", "a//b", "a/./b", "a\\b", "a\nb", ""] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_path("主题/文章/index.html").is_ok());
    }

    #[test]
    fn the_version_follows_the_bytes() {
        let mut m = Manifest::default();
        m.files.insert("index.html".into(), FileSum::of(b"one"));
        let before = m.version();
        m.files.insert("index.html".into(), FileSum::of(b"two"));
        assert_ne!(before, m.version());
        assert_eq!(before.len(), 16);
    }
}
