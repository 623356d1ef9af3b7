//! `gongdu mirror update`: the difference between two mirrors as one signed zip. It carries
//! the files whose bytes changed or were added (under `files/`), the deletions, the new
//! version's signature and `gongdu-mirror.json`, and the two `SHA256SUMS` lists only as their
//! difference: the base lines the new list lacks (`base/SHA256SUMS.diff`) and the new lines the
//! base lacks (`SHA256SUMS.diff`). `apply` takes the base list from the mirror folder it
//! updates and rebuilds the new one. `gongdu-update.json` ties them together, holds the SHA256
//! of both full lists, and is signed itself.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use zip::ZipWriter;

use super::keys;
use super::manifest::{FileSum, INFO, Manifest, MirrorInfo, SUMS_SIG, hex};
use super::pack::{add, site_title};
use super::tree::Tree;
use super::{PackageError, io_error, zip_error};

pub(crate) const UPDATE: &str = "gongdu-update.json";
pub(crate) const UPDATE_SIG: &str = "gongdu-update.json.minisig";
/// The base's full list, as packs made before `BASE_SUMS_DIFF` carried it (with the new list
/// whole under `SHA256SUMS`); still read.
pub(crate) const BASE_SUMS: &str = "base/SHA256SUMS";
/// The base list's lines that are not in the new list: the base entries of changed and
/// deleted files and of `gongdu-mirror.json`. Checksums do not compress: at 10,000 articles
/// each full list was about 1 % of the package, more than the edited files.
pub(crate) const BASE_SUMS_DIFF: &str = "base/SHA256SUMS.diff";
/// The new list's lines that are not in the base list: changed and added files and the new
/// `gongdu-mirror.json`.
pub(crate) const SUMS_DIFF: &str = "SHA256SUMS.diff";
pub(crate) const FILES: &str = "files/";

/// `gongdu-update.json`: what the pack does, and the checksums of both manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UpdatePlan {
    pub(crate) title: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// SHA256 of the base's full `SHA256SUMS` (rebuilt by `rebuild_base_sums`) and of the
    /// new `SHA256SUMS`.
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
    let temp = super::temp_beside(to, ".gongdu-update-")?;
    let mut zip = ZipWriter::new(temp.as_file());
    add(&mut zip, UPDATE, plan_json, to)?;
    if let Some((plan_sig, sums_sig)) = &signatures {
        add(&mut zip, UPDATE_SIG, plan_sig.as_bytes(), to)?;
        add(&mut zip, SUMS_SIG, sums_sig.as_bytes(), to)?;
    }
    add(
        &mut zip,
        BASE_SUMS_DIFF,
        lines_not_in(base_sums, sums).as_bytes(),
        to,
    )?;
    add(
        &mut zip,
        SUMS_DIFF,
        lines_not_in(sums, base_sums).as_bytes(),
        to,
    )?;
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

/// The lines of `list` that `other` does not hold, in `list`'s order.
pub(crate) fn lines_not_in(list: &str, other: &str) -> String {
    let other: HashSet<&str> = other.lines().collect();
    list.lines()
        .filter(|line| !other.contains(line))
        .fold(String::new(), |mut s, line| {
            s.push_str(line);
            s.push('\n');
            s
        })
}

/// One full list from the other and the two differences: `from`'s entries less the paths in
/// `removed` (each must be listed in `from` exactly so), with the entries of `added` over them,
/// in `SHA256SUMS` order. The caller checks the result against the signed SHA256, so a wrong
/// difference is refused, not used.
pub(crate) fn rebuild_sums(from: &str, removed: &str, added: &str) -> Result<String, PackageError> {
    let (mut list, from_info) = Manifest::parse_sums(from)?;
    let parse = |name: &str, text: &str| {
        Manifest::parse_sums(text).map_err(|e| PackageError::Format(format!("{name}: {e}")))
    };
    let (gone, gone_info) = parse("removed", removed)?;
    let (new, new_info) = parse("added", added)?;
    let listed = |path: &str| PackageError::Format(format!("removed: {path} is not listed so"));
    for (path, sum) in &gone.files {
        match list.files.remove(path) {
            Some(had) if had.sha256 == sum.sha256 => {}
            _ => return Err(listed(path)),
        }
    }
    if gone_info.is_some_and(|gone| Some(gone) != from_info) {
        return Err(listed(INFO));
    }
    list.files.extend(new.files);
    let info = new_info.or(if gone_info.is_some() { None } else { from_info });
    Ok(list.sums_text_with(info.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_list_comes_back_exactly_from_the_other_and_the_differences() {
        let mut base = Manifest::default();
        for (path, bytes) in [("a.html", "一"), ("b.html", "二"), ("gone.html", "旧")] {
            base.files
                .insert(path.into(), FileSum::of(bytes.as_bytes()));
        }
        let mut next = base.clone();
        next.files.remove("gone.html");
        next.files
            .insert("b.html".into(), FileSum::of("改".as_bytes()));
        next.files
            .insert("new.html".into(), FileSum::of("新".as_bytes()));
        let base_sums = base.sums_text(b"{\"v\":1}");
        let sums = next.sums_text(b"{\"v\":2}");
        let removed = lines_not_in(&base_sums, &sums);
        let added = lines_not_in(&sums, &base_sums);
        assert_eq!(removed.lines().count(), 3, "b, gone and the info line");
        assert_eq!(added.lines().count(), 3, "b, new and the info line");
        assert_eq!(
            rebuild_sums(&base_sums, &removed, &added).expect("rebuilds"),
            sums
        );
        assert_eq!(
            rebuild_sums(&sums, &added, &removed).expect("rebuilds"),
            base_sums
        );
        let wrong = rebuild_sums(&base_sums, "", &added).expect("parses");
        assert_ne!(wrong, sums, "without the removed lines the gone page stays");
        let flipped = removed.replacen(
            &removed[..1],
            if &removed[..1] == "0" { "1" } else { "0" },
            1,
        );
        assert!(
            rebuild_sums(&base_sums, &flipped, &added).is_err(),
            "a removed line that the list does not hold is refused"
        );
    }
}
