//! `gongdu mirror verify`: checks a mirror folder or package against its own `SHA256SUMS` and,
//! given the public key, the signature over it. Every changed, missing and unexpected file is
//! named; printing the report is the command's.

use std::path::Path;

use serde::Serialize;

use super::PackageError;
use super::keys;
use super::manifest::{FileSum, INFO, Manifest, MirrorInfo, SUMS, SUMS_SIG};
use super::tree::{Tree, is_meta};

/// What the signature check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum SignatureState {
    /// Signed by the given key; the trusted comment it vouches for.
    Valid(String),
    /// No key was given, so only the checksums were compared.
    NotChecked,
    /// A key was given but the mirror has no signature.
    Missing,
    /// The signature does not match the key or the checksums.
    Invalid(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub title: Option<String>,
    pub version: Option<String>,
    pub signature: SignatureState,
    /// Files listed in SHA256SUMS.
    pub listed: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub unexpected: Vec<String>,
}

impl VerifyReport {
    /// All is well: every file as signed, nothing extra, and the signature good if checked.
    pub fn ok(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.unexpected.is_empty()
            && matches!(
                self.signature,
                SignatureState::Valid(_) | SignatureState::NotChecked
            )
    }
}

pub fn verify(path: &Path, key: Option<&Path>) -> Result<VerifyReport, PackageError> {
    let public = key.map(keys::load_public).transpose()?;
    let mut tree = Tree::open(path)?;
    let Some(sums) = tree.read(SUMS)? else {
        return Err(PackageError::Format(format!(
            "{}: no {SUMS} here; this is not a gongdu mirror package (make one with `gongdu mirror pack`)",
            path.display()
        )));
    };
    let sums_text = String::from_utf8(sums.clone())
        .map_err(|_| PackageError::Format(format!("{}: {SUMS} is not UTF-8", path.display())))?;
    let (listed, info_sum) = Manifest::parse_sums(&sums_text)?;
    let signature = match &public {
        None => SignatureState::NotChecked,
        Some(pk) => match tree.read(SUMS_SIG)? {
            None => SignatureState::Missing,
            Some(sig) => match keys::check(pk, &sums, &String::from_utf8_lossy(&sig)) {
                Ok(comment) => SignatureState::Valid(comment),
                Err(e) => SignatureState::Invalid(e),
            },
        },
    };
    let present = tree.paths()?;
    let site: std::collections::BTreeSet<String> =
        present.iter().filter(|p| !is_meta(p)).cloned().collect();
    let actual = tree.sums(&site)?;
    let (mut changed, mut missing, unexpected) = compare(&listed, &actual);
    let info_bytes = tree.read(INFO)?;
    match (&info_bytes, info_sum) {
        (Some(bytes), Some(sum)) if FileSum::of(bytes).sha256 != sum => changed.push(INFO.into()),
        (None, Some(_)) => missing.push(INFO.into()),
        _ => {}
    }
    let info: Option<MirrorInfo> = info_bytes.and_then(|b| serde_json::from_slice(&b).ok());
    Ok(VerifyReport {
        title: info.as_ref().map(|i| i.title.clone()),
        version: info.map(|i| i.version),
        signature,
        listed: listed.files.len(),
        changed,
        missing,
        unexpected,
    })
}

/// (changed, missing, unexpected) paths of `actual` against `expected`, each sorted.
pub(crate) fn compare(
    expected: &Manifest,
    actual: &Manifest,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut changed = Vec::new();
    let mut missing = Vec::new();
    for (path, sum) in &expected.files {
        match actual.files.get(path) {
            None => missing.push(path.clone()),
            Some(found) if found.sha256 != sum.sha256 => changed.push(path.clone()),
            Some(_) => {}
        }
    }
    let unexpected = actual
        .files
        .keys()
        .filter(|p| !expected.files.contains_key(*p))
        .cloned()
        .collect();
    (changed, missing, unexpected)
}
