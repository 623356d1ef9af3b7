//! Publishing is all or nothing (issue 11, classes 6, 7, 8 and 12): a build killed at any
//! moment, a second build into the same output, a read-only parent folder or a link planted
//! inside the output never leaves a mix of two sites, never writes outside the output, and
//! leaves nothing behind that the next build does not clean up.

#[path = "support/site.rs"]
mod site;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gongdu::output::{self, OutputError, Overwrite};

type Tree = BTreeMap<String, Vec<u8>>;

/// A site of `articles` articles whose every page says which `version` it is.
fn write_site(root: &Path, version: &str, articles: usize) {
    std::fs::create_dir_all(root.join("content")).expect("mkdir");
    std::fs::write(root.join("site.yaml"), "title: 原子发布\n").expect("site.yaml");
    for i in 0..articles {
        std::fs::write(
            root.join(format!("content/{version}-{i}.md")),
            format!(
                "---\ntitle: 第{i}篇（{version}）\ndate: 2024-01-01\ntags: [标签{}]\n---\n\n版本{version}的第{i}篇正文。\n",
                i % 40
            ),
        )
        .expect("article");
    }
}

fn gongdu_build(root: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gongdu"));
    command
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn build_ok(root: &Path, out: &Path) {
    let done = gongdu_build(root, out).output().expect("gongdu runs");
    assert!(done.status.success(), "{done:?}");
}

/// Everything beside the output that a build leaves: staging folders, moved-aside trees, locks.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    std::fs::read_dir(out.parent().expect("parent"))
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect()
}

struct TwoSites {
    _dir: tempfile::TempDir,
    roots: [PathBuf; 2],
    trees: [Tree; 2],
    out: PathBuf,
}

/// Two sites of `articles` articles each, built once each into the same output to learn their
/// trees; the output holds the second at the end.
fn two_sites(articles: usize) -> TwoSites {
    let dir = tempfile::tempdir().expect("tempdir");
    let roots = [dir.path().join("site-a"), dir.path().join("site-b")];
    write_site(&roots[0], "a", articles);
    write_site(&roots[1], "b", articles + articles / 10);
    let out = dir.path().join("www/public");
    build_ok(&roots[0], &out);
    let a = site::snapshot_tree(&out);
    build_ok(&roots[1], &out);
    let b = site::snapshot_tree(&out);
    assert!(
        a.len() > articles && b.len() > a.len(),
        "{} {}",
        a.len(),
        b.len()
    );
    TwoSites {
        _dir: dir,
        roots,
        trees: [a, b],
        out,
    }
}

impl TwoSites {
    /// Which site the output holds now; panics on a mix.
    fn which(&self) -> usize {
        let now = site::snapshot_tree(&self.out);
        if let Some(i) = self.trees.iter().position(|t| *t == now) {
            return i;
        }
        let mixed = |i: usize| {
            now.iter()
                .filter(|(path, bytes)| self.trees[i].get(*path) == Some(*bytes))
                .count()
        };
        panic!(
            "the output is a mix: {} files, {} as in site a, {} as in site b",
            now.len(),
            mixed(0),
            mixed(1)
        );
    }
}

/// Waits until the build `child` has created its staging folder (it has rendered the site and
/// starts writing), or has ended; returns whether it is still running.
fn wait_for_staging(child: &mut std::process::Child, out: &Path) -> bool {
    let mine = format!("gongdu-staging-{}", child.id());
    loop {
        if leftovers(out).iter().any(|n| n.ends_with(&mine)) {
            return true;
        }
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one_and_the_next_build_cleans_up() {
    let sites = two_sites(1_000);
    // How long writing and publishing take (from the staging folder's creation to the end),
    // to spread the kills over that phase whatever the load on the machine.
    let mut child = gongdu_build(&sites.roots[0], &sites.out)
        .spawn()
        .expect("gongdu runs");
    assert!(wait_for_staging(&mut child, &sites.out), "the build stages");
    let start = Instant::now();
    assert!(child.wait().expect("wait").success());
    let publishing = start.elapsed();
    let mut holds = sites.which();
    let mut seen = [0; 2];
    for step in 0..10 {
        let mut child = gongdu_build(&sites.roots[1 - holds], &sites.out)
            .spawn()
            .expect("gongdu runs");
        let at = publishing.mul_f64(0.3 + 0.15 * f64::from(step));
        if wait_for_staging(&mut child, &sites.out) {
            std::thread::sleep(at);
        }
        let _ = child.kill();
        let status = child.wait().expect("wait");
        holds = sites.which();
        seen[holds] += 1;
        eprintln!("killed {at:?} into writing ({status}): the output holds site {holds}");
    }
    eprintln!("writing and publishing took {publishing:?}; outputs seen: {seen:?}");
    build_ok(&sites.roots[1], &sites.out);
    assert_eq!(sites.which(), 1);
    assert_eq!(
        leftovers(&sites.out),
        Vec::<String>::new(),
        "a finished build removes what killed builds left"
    );
}

#[test]
fn a_read_only_parent_folder_is_an_error_and_the_old_output_stays() {
    let sites = two_sites(200);
    let parent = sites.out.parent().expect("parent").to_path_buf();
    let chown = |path: &Path| {
        for entry in walkdir::WalkDir::new(path) {
            let entry = entry.expect("walk");
            std::os::unix::fs::lchown(entry.path(), Some(65534), Some(65534)).expect("chown");
        }
    };
    use std::os::unix::fs::PermissionsExt;
    let grant = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    // Root writes anywhere, so the build runs as `nobody` when the test runs as root.
    // SAFETY: geteuid has no preconditions.
    let as_root = unsafe { libc::geteuid() } == 0;
    if as_root {
        chown(&parent);
        chown(&sites.roots[0]);
        grant(parent.parent().expect("tempdir"), 0o755);
    }
    grant(&parent, 0o555);
    let mut command = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        c.arg(env!("CARGO_BIN_EXE_gongdu"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_gongdu"))
    };
    let failed = command
        .args(["build", "--root"])
        .arg(&sites.roots[0])
        .arg("--output")
        .arg(&sites.out)
        .env("HOME", &sites.roots[0])
        .output()
        .expect("gongdu runs");
    grant(&parent, 0o755);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&parent.display().to_string()) && stderr.contains("Permission denied"),
        "the error names the folder: {stderr}"
    );
    assert_eq!(sites.which(), 1, "the previous output is intact");
    assert_eq!(leftovers(&sites.out), Vec::<String>::new());
}

#[test]
fn a_second_build_into_the_same_output_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("public");
    let first = output::prepare(dir.path(), &out, Overwrite::OnlyOwnOutput).expect("first");
    let second = output::prepare(dir.path(), &out, Overwrite::OnlyOwnOutput)
        .expect_err("the output is taken");
    assert!(matches!(second, OutputError::Busy { .. }), "{second}");
    assert_eq!(
        second.to_string(),
        format!(
            "another gongdu build is writing to {}; wait for it to finish, then build again",
            out.display()
        )
    );
    first.commit().expect("commit");
    output::prepare(dir.path(), &out, Overwrite::OnlyOwnOutput)
        .expect("free again once the first is done")
        .commit()
        .expect("commit");
}

#[test]
fn two_builds_started_together_never_leave_a_mix() {
    let sites = two_sites(300);
    for round in 0..2 {
        let children: Vec<_> = sites
            .roots
            .iter()
            .map(|root| gongdu_build(root, &sites.out).spawn().expect("gongdu runs"))
            .collect();
        let results: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait"))
            .collect();
        let holds = sites.which();
        let succeeded: Vec<usize> = (0..2).filter(|&i| results[i].status.success()).collect();
        for (i, r) in results.iter().enumerate() {
            let stderr = String::from_utf8_lossy(&r.stderr);
            assert!(
                r.status.success() || stderr.contains("another gongdu build is writing to"),
                "build {i} failed for another reason: {stderr}"
            );
        }
        assert!(succeeded.contains(&holds), "round {round}: {succeeded:?}");
        eprintln!("round {round}: builds {succeeded:?} succeeded, the output holds {holds}");
    }
    assert_eq!(leftovers(&sites.out), Vec::<String>::new());
}

#[test]
fn links_inside_the_output_are_never_followed() {
    let f = site::Fixture::copy("hostile");
    f.build_ok();
    let built = site::snapshot_tree(&f.out());
    let elsewhere = tempfile::tempdir().expect("tempdir");
    std::fs::write(elsewhere.path().join("keep.txt"), "keep").expect("write");
    std::fs::write(elsewhere.path().join("index.html"), "not gongdu's").expect("write");
    // A folder and a file of the output replaced by links to a folder outside it.
    let folder = built
        .keys()
        .find_map(|k| k.strip_suffix("/index.html").filter(|d| !d.contains('/')))
        .expect("a top-level page folder")
        .to_owned();
    std::fs::remove_dir_all(f.out().join(&folder)).expect("rm");
    std::os::unix::fs::symlink(elsewhere.path(), f.out().join(&folder)).expect("symlink");
    std::fs::remove_file(f.out().join("index.html")).expect("rm");
    std::os::unix::fs::symlink(
        elsewhere.path().join("index.html"),
        f.out().join("index.html"),
    )
    .expect("symlink");
    let before = site::snapshot_tree(elsewhere.path());

    f.build_ok();
    assert_eq!(
        site::snapshot_tree(elsewhere.path()),
        before,
        "nothing written or removed through the links"
    );
    assert!(!f.out().join(&folder).is_symlink() && !f.out().join("index.html").is_symlink());
    assert_eq!(site::snapshot_tree(&f.out()), built);
}

#[test]
fn staging_folders_left_by_killed_builds_are_removed_by_the_next_build() {
    let f = site::Fixture::copy("hostile");
    f.build_ok();
    let parent = f.root();
    for stale in [".public.gongdu-staging-4242", ".public.gongdu-old-4243"] {
        std::fs::create_dir_all(parent.join(stale).join("topics")).expect("mkdir");
        std::fs::write(
            parent.join(stale).join("topics/index.html"),
            vec![b'x'; 100_000],
        )
        .expect("write");
    }
    // A folder of another output beside it is not ours to remove.
    std::fs::create_dir_all(parent.join(".other.gongdu-staging-1")).expect("mkdir");
    f.build_ok();
    assert_eq!(leftovers(&f.out()), Vec::<String>::new());
    assert!(parent.join(".other.gongdu-staging-1").is_dir());
}

#[test]
fn an_output_moved_aside_by_a_killed_build_is_put_back() {
    let f = site::Fixture::copy("hostile");
    f.build_ok();
    let built = site::snapshot_tree(&f.out());
    // A build killed between the two renames of the fallback swap.
    std::fs::rename(f.out(), f.root().join(".public.gongdu-old-77")).expect("mv");
    let recovered = output::prepare(f.root(), &f.out(), Overwrite::OnlyOwnOutput).expect("prepare");
    assert_eq!(
        site::snapshot_tree(&f.out()),
        built,
        "put back before anything else"
    );
    drop(recovered);
    assert_eq!(leftovers(&f.out()), Vec::<String>::new());
}
