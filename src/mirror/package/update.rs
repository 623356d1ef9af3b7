//! `gongdu mirror update`: the difference between two mirrors as one signed zip. It carries
//! the files whose bytes changed or were added (under `files/`), the deletions, the base's
//! `SHA256SUMS` (under `base/`) and the new version's `SHA256SUMS`, its signature and
//! `gongdu-mirror.json`; `gongdu-update.json` ties them together and is signed itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zip::ZipWriter;

use super::keys;
use super::manifest::{FileSum, INFO, Manifest, MirrorInfo, SUMS, SUMS_SIG, hex};
use super::pack::{add, site_title};
use super::tree::Tree;
use super::{PackageError, io_error, zip_error};

pub(crate) const UPDATE: &str = "gongdu-update.json";
pub(crate) const UPDATE_SIG: &str = "gongdu-update.json.minisig";
pub(crate) const BASE_SUMS: &str = "base/SHA256SUMS";
pub(crate) const FILES: &str = "files/";

/// `gongdu-update.json`: what the pack does, and the checksums of both manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UpdatePlan {
    pub(crate) title: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// SHA256 of `base/SHA256SUMS` and of `SHA256SUMS`.
    pub(crate) base_sums: String,
    pub(crate) sums: String,
    pub(crate) changed: Vec<String>,
    pub(crate) deleted: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct UpdateReport {
    pub from: String,
    pub to: String,
    pub changed: usize,
    pub deleted: usize,
    pub changed_bytes: u64,
    pub pack_bytes: u64,
    pub signed: bool,
}

/// One side of an update: its site files and its `gongdu-mirror.json`.
struct Side {
    tree: Tree,
    manifest: Manifest,
    info: Vec<u8>,
}

fn side(path: &Path) -> Result<Side, PackageError> {
    let mut tree = Tree::open(path)?;
    let manifest = tree.site_manifest()?;
    // A package's own description is kept; a plain folder gets the one `pack` would write.
    let info = match tree.read(INFO)? {
        Some(bytes) => bytes,
        None => {
            let title = match &tree {
                Tree::Folder(dir) => site_title(dir),
                Tree::Zip { .. } => "gongdu".into(),
            };
            MirrorInfo::new(title, &manifest).to_json()
        }
    };
    Ok(Side {
        tree,
        manifest,
        info,
    })
}

pub fn update(
    old: &Path,
    new: &Path,
    to: &Path,
    key: Option<&Path>,
) -> Result<UpdateReport, PackageError> {
    let secret = key.map(keys::load_secret).transpose()?;
    let base = side(old)?;
    let mut next = side(new)?;
    let info: MirrorInfo = serde_json::from_slice(&next.info)
        .map_err(|e| PackageError::Format(format!("{}: {INFO}: {e}", new.display())))?;
    let base_sums = base.manifest.sums_text(&base.info);
    let sums = next.manifest.sums_text(&next.info);
    let changed: Vec<String> = next
        .manifest
        .files
        .iter()
        .filter(|(p, s)| base.manifest.files.get(*p).map(|b| b.sha256) != Some(s.sha256))
        .map(|(p, _)| p.clone())
        .collect();
    let deleted: Vec<String> = base
        .manifest
        .files
        .keys()
        .filter(|p| !next.manifest.files.contains_key(*p))
        .cloned()
        .collect();
    let plan = UpdatePlan {
        title: info.title.clone(),
        from: base.manifest.version(),
        to: info.version.clone(),
        base_sums: hex(&FileSum::of(base_sums.as_bytes()).sha256),
        sums: hex(&FileSum::of(sums.as_bytes()).sha256),
        changed,
        deleted,
    };
    let plan_json = serde_json::to_vec_pretty(&plan).expect("plain strings");
    let signatures = match &secret {
        None => None,
        Some(sk) => Some((
            keys::sign(
                sk,
                &plan_json,
                &format!("gongdu-update {} {}..{}", plan.title, plan.from, plan.to),
            )?,
            keys::sign(sk, sums.as_bytes(), &info.trusted_comment())?,
        )),
    };
    write_pack(
        to,
        &plan,
        &plan_json,
        &base_sums,
        &sums,
        &next.info,
        signatures,
        &mut next.tree,
    )?;
    Ok(UpdateReport {
        from: plan.from,
        to: plan.to,
        changed: plan.changed.len(),
        deleted: plan.deleted.len(),
        changed_bytes: plan
            .changed
            .iter()
            .map(|p| next.manifest.files[p].bytes)
            .sum(),
        pack_bytes: std::fs::metadata(to).map_err(io_error(to))?.len(),
        signed: secret.is_some(),
    })
}

#[allow(clippy::too_many_arguments)]
fn write_pack(
    to: &Path,
    plan: &UpdatePlan,
    plan_json: &[u8],
    base_sums: &str,
    sums: &str,
    info: &[u8],
    signatures: Option<(String, String)>,
    new: &mut Tree,
) -> Result<(), PackageError> {
    let parent: PathBuf = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let temp = tempfile::Builder::new()
        .prefix(".gongdu-update-")
        .suffix(".zip.part")
        .tempfile_in(&parent)
        .map_err(io_error(&parent))?;
    let mut zip = ZipWriter::new(temp.as_file());
    add(&mut zip, UPDATE, plan_json, to)?;
    if let Some((plan_sig, sums_sig)) = &signatures {
        add(&mut zip, UPDATE_SIG, plan_sig.as_bytes(), to)?;
        add(&mut zip, SUMS_SIG, sums_sig.as_bytes(), to)?;
    }
    add(&mut zip, BASE_SUMS, base_sums.as_bytes(), to)?;
    add(&mut zip, SUMS, sums.as_bytes(), to)?;
    add(&mut zip, INFO, info, to)?;
    let wanted: BTreeSet<String> = plan.changed.iter().cloned().collect();
    for path in &wanted {
        let bytes = new.read(path)?.ok_or_else(|| {
            PackageError::Format(format!(
                "{}: {path} vanished while packing",
                new.path().display()
            ))
        })?;
        add(&mut zip, &format!("{FILES}{path}"), &bytes, to)?;
    }
    zip.finish().map_err(zip_error(to))?;
    temp.as_file().sync_all().map_err(io_error(to))?;
    temp.persist(to).map_err(|e| io_error(to)(e.error))?;
    Ok(())
}
