//! `gongdu mirror apply` and `--rollback`: turn a mirror folder into the pack's new version
//! without ever showing a mix. Everything is checked first (both signatures, both manifests,
//! the folder against the pack's base); the new tree is then staged beside the folder (unchanged
//! files hard-linked, changed ones from the pack) and swapped in with one rename, the way builds
//! publish (`output::replace`). The replaced tree is kept beside the folder for `--rollback`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::keys;
use super::manifest::{FileSum, INFO, Manifest, SUMS, SUMS_SIG};
use super::tree::Tree;
use super::update::{
    BASE_SUMS, BASE_SUMS_DIFF, FILES, SUMS_DIFF, UPDATE, UPDATE_SIG, UpdatePlan, lines_not_in,
    rebuild_sums,
};
use super::verify::compare;
use super::{PackageError, io_error};
use crate::output::MARKER;
use crate::output::replace::{
    OutputLock, clean_up_after_killed_builds, file_name, lock_name, publish, remove_tree,
    staging_name,
};

/// Whether the folder must be exactly the pack's base version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    MustMatch,
    /// Apply over a folder that differs from the base, as long as every file the new version
    /// keeps is there with the right bytes.
    Force,
}

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub key: PathBuf,
    pub base: Base,
}

#[derive(Debug, Clone)]
pub struct ApplyReport {
    pub from: String,
    pub to: String,
    pub written: usize,
    pub kept: usize,
    pub deleted: usize,
}

/// A pack whose signatures and manifests have all been checked.
struct CheckedPack {
    tree: Tree,
    plan: UpdatePlan,
    base: Manifest,
    new: Manifest,
    meta: [(&'static str, Vec<u8>); 3],
}

pub fn apply(pack: &Path, dir: &Path, options: &ApplyOptions) -> Result<ApplyReport, PackageError> {
    let pk = keys::load_public(&options.key)?;
    let target = mirror_folder(dir)?;
    let mut steps = Steps::from_env();
    let _lock = lock_beside(&target)?;
    let current = Tree::Folder(target.clone()).site_manifest()?;
    let mut pack = check_pack(pack, &pk, &target, &current)?;
    check_base(&pack, &current, options.base)?;
    let names = Neighbours::of(&target);
    if let Err(e) = stage(&mut pack, &target, &names.staging, &mut steps) {
        let _ = remove_tree(&names.staging);
        return Err(e);
    }
    swap_in(&target, &names, &mut steps)?;
    let written = pack.plan.changed.len();
    Ok(ApplyReport {
        from: pack.plan.from,
        to: pack.plan.to,
        written,
        kept: pack.new.files.len() - written,
        deleted: pack.plan.deleted.len(),
    })
}

/// Puts the version kept by the last apply back; the version replaced is kept in its place,
/// so a second rollback undoes the first.
pub fn rollback(dir: &Path) -> Result<(), PackageError> {
    let target = mirror_folder(dir)?;
    let _lock = lock_beside(&target)?;
    let names = Neighbours::of(&target);
    if !names.previous.is_dir() {
        return Err(PackageError::Refused(format!(
            "{}：没有可回退的上一版本（只有用 gongdu mirror apply 更新过的文件夹才能回退）",
            target.display()
        )));
    }
    publish(&names.previous, &target)?;
    Ok(())
}

/// The hidden folders beside the mirror folder.
struct Neighbours {
    staging: PathBuf,
    previous: PathBuf,
    /// The previous-but-one version on its way out; named like a staging folder so that the
    /// clean-up after a killed run removes it.
    trash: PathBuf,
}

impl Neighbours {
    fn of(target: &Path) -> Neighbours {
        let name = file_name(target);
        let staging = target.with_file_name(staging_name(&name));
        Neighbours {
            trash: target.with_file_name(format!("{}-trash", staging_name(&name))),
            previous: target.with_file_name(format!(".{name}.gongdu-previous")),
            staging,
        }
    }
}

fn mirror_folder(dir: &Path) -> Result<PathBuf, PackageError> {
    let target = std::path::absolute(dir).map_err(io_error(dir))?;
    if !target.is_dir() {
        return Err(PackageError::Refused(format!(
            "{}：不是文件夹",
            dir.display()
        )));
    }
    Ok(target)
}

/// The lock builds take too; then whatever a killed run left beside the folder is repaired.
fn lock_beside(target: &Path) -> Result<OutputLock, PackageError> {
    let lock = OutputLock::take(target.with_file_name(lock_name(&file_name(target))), target)?;
    clean_up_after_killed_builds(target)?;
    Ok(lock)
}

fn read_required(tree: &mut Tree, name: &str) -> Result<Vec<u8>, PackageError> {
    tree.read(name)?.ok_or_else(|| {
        PackageError::Signature(format!(
            "{}：更新包里缺少 {name}，不是完整的 gongdu 更新包",
            tree.path().display()
        ))
    })
}

/// `folder` and `current` (its files' checksums) are the mirror being updated: the pack carries
/// only the difference between the two lists, and the base list comes from the folder.
fn check_pack(
    path: &Path,
    pk: &minisign::PublicKey,
    folder: &Path,
    current: &Manifest,
) -> Result<CheckedPack, PackageError> {
    let mut tree = Tree::open(path)?;
    let plan_json = read_required(&mut tree, UPDATE)?;
    let plan_sig = read_required(&mut tree, UPDATE_SIG)?;
    let refuse = |what: String| PackageError::Signature(format!("{}：{what}", path.display()));
    keys::check(pk, &plan_json, &String::from_utf8_lossy(&plan_sig)).map_err(|e| {
        refuse(format!(
            "更新包的签名与公钥不符（{e}）：包被改动过，或不是这把钥匙签的"
        ))
    })?;
    let plan: UpdatePlan = serde_json::from_slice(&plan_json)
        .map_err(|e| PackageError::Format(format!("{}: {UPDATE}: {e}", path.display())))?;
    let sums_sig = read_required(&mut tree, SUMS_SIG)?;
    let info = read_required(&mut tree, INFO)?;
    let (base_sums, sums) = both_lists(&mut tree, &plan, folder, current)?;
    if FileSum::of(&base_sums).hex() != plan.base_sums || FileSum::of(&sums).hex() != plan.sums {
        return Err(refuse("清单与签名的记录不一致：包被改动过".into()));
    }
    keys::check(pk, &sums, &String::from_utf8_lossy(&sums_sig))
        .map_err(|e| refuse(format!("新版本 {SUMS} 的签名不符（{e}）")))?;
    let (base, _) = Manifest::parse_sums(&String::from_utf8_lossy(&base_sums))?;
    let (new, info_sum) = Manifest::parse_sums(&String::from_utf8_lossy(&sums))?;
    if info_sum != Some(FileSum::of(&info).sha256) {
        return Err(refuse(format!("{INFO} 与签名的清单不符：包被改动过")));
    }
    let changed: Vec<String> = new
        .files
        .iter()
        .filter(|(p, s)| base.files.get(*p).map(|b| b.sha256) != Some(s.sha256))
        .map(|(p, _)| p.clone())
        .collect();
    let deleted: Vec<String> = base
        .files
        .keys()
        .filter(|p| !new.files.contains_key(*p))
        .cloned()
        .collect();
    if changed != plan.changed || deleted != plan.deleted {
        return Err(refuse("更新清单与两个版本的差别不符".into()));
    }
    let meta = [(SUMS, sums), (SUMS_SIG, sums_sig), (INFO, info)];
    Ok(CheckedPack {
        tree,
        plan,
        base,
        new,
        meta,
    })
}

/// The base's and the new version's full `SHA256SUMS`. Packs made before the lists travelled
/// as differences carry both whole. Otherwise the base list is the folder's own `SHA256SUMS`
/// (every package and every apply leaves it there) or, when that file is gone or edited,
/// rebuilt from the folder's files; the new list is rebuilt from the base list and the two
/// differences. The caller checks both against the SHA256 signed in the plan.
fn both_lists(
    tree: &mut Tree,
    plan: &UpdatePlan,
    folder: &Path,
    current: &Manifest,
) -> Result<(Vec<u8>, Vec<u8>), PackageError> {
    if let (Some(base), Some(new)) = (tree.read(BASE_SUMS)?, tree.read(SUMS)?) {
        return Ok((base, new));
    }
    let removed = String::from_utf8_lossy(&read_required(tree, BASE_SUMS_DIFF)?).into_owned();
    let added = String::from_utf8_lossy(&read_required(tree, SUMS_DIFF)?).into_owned();
    let tampered = |e: PackageError| {
        PackageError::Signature(format!(
            "{}：清单的差异无法读取（{e}）：包被改动过",
            tree_path(tree)
        ))
    };
    let (_, base_info) = Manifest::parse_sums(&removed).map_err(tampered)?;
    let own = std::fs::read(folder.join(SUMS)).ok();
    let base = match own.filter(|own| FileSum::of(own).hex() == plan.base_sums) {
        Some(own) => String::from_utf8_lossy(&own).into_owned(),
        None => current.sums_text_with(base_info.as_ref()),
    };
    if FileSum::of(base.as_bytes()).hex() != plan.base_sums {
        return Err(PackageError::Refused(format!(
            "这个文件夹不是更新包的底版 {}，它的 {SUMS} 也不是底版的清单，无法说出哪些文件不同；没有做任何改动。请用 gongdu mirror verify 检查这个文件夹，或用完整的镜像包重新安装。",
            plan.from
        )));
    }
    let new = rebuild_sums(&base, &removed, &added).map_err(tampered)?;
    // The differences must be exactly the ones `update` writes, not merely harmless ones.
    if lines_not_in(&base, &new) != removed || lines_not_in(&new, &base) != added {
        return Err(PackageError::Signature(format!(
            "{}：清单的差异与两个版本不符：包被改动过",
            tree_path(tree)
        )));
    }
    Ok((base.into_bytes(), new.into_bytes()))
}

fn tree_path(tree: &Tree) -> String {
    tree.path().display().to_string()
}

/// Refuses a folder that is not the pack's base, naming what differs; forced, refuses only
/// when a file the new version keeps is missing or changed in the folder.
fn check_base(pack: &CheckedPack, current: &Manifest, base: Base) -> Result<(), PackageError> {
    let (changed, missing, unexpected) = compare(&pack.base, current);
    if base == Base::MustMatch && (changed.len() + missing.len() + unexpected.len()) > 0 {
        let mut message = format!(
            "这个文件夹不是更新包的底版 {}，没有做任何改动。",
            pack.plan.from
        );
        for (label, paths) in [
            ("有改动", &changed),
            ("缺少", &missing),
            ("多出", &unexpected),
        ] {
            for path in paths.iter().take(20) {
                message.push_str(&format!("\n  {label}：{path}"));
            }
            if paths.len() > 20 {
                message.push_str(&format!("\n  ……另有 {} 个{label}的文件", paths.len() - 20));
            }
        }
        message.push_str("\n如确认要覆盖，加 --force（仍要求保留的文件完好）。");
        return Err(PackageError::Refused(message));
    }
    let changed: BTreeSet<&String> = pack.plan.changed.iter().collect();
    let lacking: Vec<&String> = pack
        .new
        .files
        .iter()
        .filter(|(p, s)| {
            !changed.contains(p) && current.files.get(*p).map(|c| c.sha256) != Some(s.sha256)
        })
        .map(|(p, _)| p)
        .collect();
    if let Some(first) = lacking.first() {
        return Err(PackageError::Refused(format!(
            "文件夹里的 {first} 等 {} 个文件不是新版本所需的内容，更新包也没有带，无法更新；没有做任何改动。请用完整的镜像包重新安装。",
            lacking.len()
        )));
    }
    Ok(())
}

fn stage(
    pack: &mut CheckedPack,
    target: &Path,
    staging: &Path,
    steps: &mut Steps,
) -> Result<(), PackageError> {
    std::fs::create_dir(staging).map_err(io_error(staging))?;
    let changed: BTreeSet<String> = pack.plan.changed.iter().cloned().collect();
    let files: Vec<(String, FileSum)> = pack
        .new
        .files
        .iter()
        .map(|(p, s)| (p.clone(), *s))
        .collect();
    for (path, sum) in files {
        let dest = staging.join(&path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        if changed.contains(&path) {
            let bytes = pack.tree.read(&format!("{FILES}{path}"))?.ok_or_else(|| {
                PackageError::Signature(format!("更新包里缺少 {path}，没有做任何改动"))
            })?;
            if FileSum::of(&bytes).sha256 != sum.sha256 {
                return Err(PackageError::Signature(format!(
                    "更新包里的 {path} 与签名的清单不符：包被改动过，没有做任何改动"
                )));
            }
            write_synced(&dest, &bytes)?;
        } else {
            keep(&target.join(&path), &dest)?;
        }
        steps.step();
    }
    for (name, bytes) in &pack.meta {
        write_synced(&staging.join(name), bytes)?;
        steps.step();
    }
    if target.join(MARKER).is_file() {
        keep(&target.join(MARKER), &staging.join(MARKER))?;
    }
    sync_folder(staging);
    Ok(())
}

/// The old folder's file in the new tree: a hard link, or a copy where the file system has
/// none (FAT on a USB stick).
fn keep(from: &Path, to: &Path) -> Result<(), PackageError> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let bytes = std::fs::read(from).map_err(io_error(from))?;
    write_synced(to, &bytes)
}

/// Written through to the disk before the swap, so a pulled stick cannot swap in empty files.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), PackageError> {
    let mut file = std::fs::File::create(path).map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))?;
    file.sync_all().map_err(io_error(path))
}

fn sync_folder(path: &Path) {
    // Best effort: some systems cannot open a folder for syncing.
    if let Ok(dir) = std::fs::File::open(path) {
        let _ = dir.sync_all();
    }
}

/// The previous-but-one version goes out of the way, the new tree and the folder trade places
/// in one rename, and the replaced tree becomes the one kept for rollback. Killed anywhere,
/// the folder holds the old version or the new one; only the rollback copy may be lost.
fn swap_in(target: &Path, names: &Neighbours, steps: &mut Steps) -> Result<(), PackageError> {
    if names.previous.exists() {
        std::fs::rename(&names.previous, &names.trash).map_err(io_error(&names.previous))?;
        steps.step();
    }
    publish(&names.staging, target)?;
    steps.step();
    std::fs::rename(&names.staging, &names.previous).map_err(io_error(&names.staging))?;
    steps.step();
    if let Some(parent) = target.parent() {
        sync_folder(parent);
    }
    let _ = remove_tree(&names.trash);
    Ok(())
}

/// A seam for the test that kills `apply` at every point: with `GONGDU_TEST_PAUSE_AFTER_STEP=N`
/// the process stops after its N-th change to the disk and waits there to be killed. Hand-made
/// because the point is to stop between two of our own file operations, which no crate knows.
struct Steps {
    done: usize,
    pause_after: Option<usize>,
}

impl Steps {
    fn from_env() -> Steps {
        Steps {
            done: 0,
            pause_after: std::env::var("GONGDU_TEST_PAUSE_AFTER_STEP")
                .ok()
                .and_then(|n| n.parse().ok()),
        }
    }

    fn step(&mut self) {
        self.done += 1;
        if self.pause_after == Some(self.done) {
            eprintln!("gongdu: paused after step {}", self.done);
            loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
            }
        }
    }
}
