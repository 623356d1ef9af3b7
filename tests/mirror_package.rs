//! `gongdu mirror key|pack|verify|update|apply`: a package of a small fixture site is accepted
//! by `sha256sum -c` and Debian's `minisign -V`; verify names every flipped, missing and stray
//! file; an update pack turns the old copy into exactly the new build and rolls back; tampered
//! packs, foreign keys and wrong bases change nothing; and apply killed (SIGKILL) after any of
//! its steps leaves exactly the old copy or the new one. `sha256sum` and `minisign` are
//! skipped when absent unless GONGDU_REQUIRE_BROWSER=1 (as in CI).

#[path = "support/site.rs"]
mod site;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gongdu::build::{self, BuildOptions};
use site::{copy_tree, snapshot_tree};

/// The fixture site in a temporary folder, built before and after one article is edited,
/// both versions packed and signed with an unencrypted key.
struct Versions {
    dir: tempfile::TempDir,
}

impl Versions {
    fn new() -> Versions {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = dir.path().join("site");
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
            &site,
        );
        let v = Versions { dir };
        v.build("old");
        let article = site.join("content/history/earliest.md");
        let text = std::fs::read_to_string(&article).expect("article");
        std::fs::write(
            &article,
            text.replace("第三篇，用于分页。", "第三篇，用于分页。这一句是新加的。"),
        )
        .expect("edit");
        v.build("new");
        assert_eq!(
            gongdu(
                v.path(""),
                &["mirror", "key", "--to", "keys", "--unencrypted"]
            )
            .status
            .code(),
            Some(0)
        );
        assert_eq!(
            gongdu(
                v.path(""),
                &["mirror", "key", "--to", "other", "--unencrypted"]
            )
            .status
            .code(),
            Some(0)
        );
        for name in ["old", "new"] {
            let out = gongdu(
                v.path(""),
                &[
                    "mirror",
                    "pack",
                    name,
                    "--to",
                    &format!("{name}.zip"),
                    "--key",
                    "keys/gongdu.key",
                ],
            );
            assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
        }
        v
    }

    fn build(&self, name: &str) {
        let mut options = BuildOptions::new(self.path("site"));
        options.output = Some(self.path(name));
        build::build(&options, None).expect("the fixture builds");
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The old package unpacked, as a learning centre keeps it.
    fn centre(&self) -> PathBuf {
        let centre = self.path("centre");
        let _ = std::fs::remove_dir_all(&centre);
        let _ = std::fs::remove_dir_all(self.path(".centre.gongdu-previous"));
        unzip(&self.path("old.zip"), &centre);
        centre
    }

    fn update_pack(&self) -> PathBuf {
        let out = gongdu(
            self.path(""),
            &[
                "mirror",
                "update",
                "old.zip",
                "new",
                "--to",
                "update.zip",
                "--key",
                "keys/gongdu.key",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
        self.path("update.zip")
    }

    fn apply(&self, pack: &Path, key: &str) -> Output {
        let pack = pack.to_string_lossy().into_owned();
        gongdu(
            self.path(""),
            &["mirror", "apply", &pack, "centre", "--key", key],
        )
    }
}

fn gongdu(dir: impl AsRef<Path>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gongdu runs")
}

fn text_of(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn unzip(zip: &Path, to: &Path) {
    let file = std::fs::File::open(zip).expect("zip");
    zip::ZipArchive::new(file)
        .expect("a zip")
        .extract(to)
        .expect("extracts");
}

/// The tree without the signature file, whose bytes differ between two signings of the same
/// checksums (minisign's signatures are randomized); both signatures are checked elsewhere.
fn unsigned(mut files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files.remove("SHA256SUMS.minisig");
    files
}

/// The hidden folders beside the centre's copy (staging, lock, kept version).
fn neighbours(v: &Versions) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(v.path(""))
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".centre."))
        .collect();
    names.sort();
    names
}

fn tool_present(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found && std::env::var_os("GONGDU_REQUIRE_BROWSER").is_some() {
        panic!("{name} is required here (apt-get install {name})");
    }
    found
}

/// A package or pack gets the permissions any new file in its folder gets (0644 under the
/// usual umask), not a temporary file's 0600, which would hide it from a web server or from
/// the colleague it was made for.
fn assert_readable_as_a_new_file(made: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let plain = made.with_extension("plain");
        std::fs::write(&plain, b"").expect("a plain new file");
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(made), mode(&plain), "{}", made.display());
        std::fs::remove_file(plain).expect("remove");
    }
}

#[test]
fn sha256sum_and_minisign_accept_a_package_and_it_is_deterministic() {
    let v = Versions::new();
    let folder = v.path("unpacked");
    unzip(&v.path("old.zip"), &folder);
    let names: Vec<String> = {
        let file = std::fs::File::open(v.path("old.zip")).expect("zip");
        let archive = zip::ZipArchive::new(file).expect("zip");
        archive
            .file_names()
            .map(|n| n.expect("name").into_owned())
            .collect()
    };
    assert_eq!(names[0], "index.html", "the home page comes first");
    assert_readable_as_a_new_file(&v.path("old.zip"));
    assert_eq!(
        &names[names.len() - 3..],
        ["gongdu-mirror.json", "SHA256SUMS", "SHA256SUMS.minisig"]
    );
    assert!(
        !names.iter().any(|n| n.contains(".gongdu-output")),
        "the build's marker stays out"
    );
    let info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("gongdu-mirror.json")).expect("info"))
            .expect("json");
    assert_eq!(info["title"], "测试知识库");
    assert_eq!(info["files"].as_u64(), Some(names.len() as u64 - 3));

    if tool_present("sha256sum") {
        let out = Command::new("sha256sum")
            .args(["-c", "--strict", "SHA256SUMS"])
            .current_dir(&folder)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", text_of(&out));
    }
    if tool_present("minisign") {
        let public = v.path("keys/gongdu.pub");
        let out = Command::new("minisign")
            .arg("-Vm")
            .arg("SHA256SUMS")
            .arg("-p")
            .arg(&public)
            .current_dir(&folder)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", text_of(&out));
        let text = text_of(&out);
        assert!(text.contains("title=测试知识库 version="), "{text}");
        let foreign = Command::new("minisign")
            .arg("-Vm")
            .arg("SHA256SUMS")
            .arg("-p")
            .arg(v.path("other/gongdu.pub"))
            .current_dir(&folder)
            .output()
            .expect("runs");
        assert!(
            !foreign.status.success(),
            "another key does not vouch for it"
        );
    }

    for name in ["a.zip", "b.zip"] {
        assert_eq!(
            gongdu(v.path(""), &["mirror", "pack", "old", "--to", name])
                .status
                .code(),
            Some(0)
        );
    }
    assert_eq!(
        std::fs::read(v.path("a.zip")).expect("a"),
        std::fs::read(v.path("b.zip")).expect("b"),
        "same site, same bytes"
    );
    let before = std::fs::read(v.path("old.zip")).expect("old.zip");
    for failing in [
        vec!["mirror", "pack", "no-such-folder", "--to", "old.zip"],
        vec![
            "mirror",
            "pack",
            "old",
            "--to",
            "old.zip",
            "--key",
            "no-such.key",
        ],
    ] {
        assert_ne!(
            gongdu(v.path(""), &failing).status.code(),
            Some(0),
            "{failing:?}"
        );
        assert_eq!(
            std::fs::read(v.path("old.zip")).expect("old.zip"),
            before,
            "a failed pack leaves the old zip"
        );
    }
    let parts: Vec<_> = std::fs::read_dir(v.path(""))
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(parts.is_empty(), "no half-written zip is left: {parts:?}");
    for path in ["old.zip", "unpacked"] {
        let out = gongdu(
            v.path(""),
            &["mirror", "verify", path, "--key", "keys/gongdu.pub"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
        assert!(text_of(&out).contains("签名：有效"), "{}", text_of(&out));
    }
}

#[test]
fn a_password_protected_key_signs_what_minisign_accepts() {
    let v = Versions::new();
    let with_password = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gongdu"))
            .args(args)
            .current_dir(v.path(""))
            .env("GONGDU_KEY_PASSWORD", "书屋的口令")
            .output()
            .expect("gongdu runs")
    };
    assert_eq!(
        with_password(&["mirror", "key", "--to", "locked"])
            .status
            .code(),
        Some(0)
    );
    let secret = std::fs::read_to_string(v.path("locked/gongdu.key")).expect("key");
    assert!(
        secret.starts_with("untrusted comment:"),
        "minisign's format: {secret}"
    );
    let out = with_password(&[
        "mirror",
        "pack",
        "old",
        "--to",
        "locked.zip",
        "--key",
        "locked/gongdu.key",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
    let wrong = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args([
            "mirror",
            "pack",
            "old",
            "--to",
            "wrong.zip",
            "--key",
            "locked/gongdu.key",
        ])
        .current_dir(v.path(""))
        .env("GONGDU_KEY_PASSWORD", "别的口令")
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_ne!(
        wrong.status.code(),
        Some(0),
        "a wrong password signs nothing"
    );
    assert!(!v.path("wrong.zip").exists());
    let out = gongdu(
        v.path(""),
        &[
            "mirror",
            "verify",
            "locked.zip",
            "--key",
            "locked/gongdu.pub",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
    if tool_present("minisign") {
        let folder = v.path("locked-unpacked");
        unzip(&v.path("locked.zip"), &folder);
        let out = Command::new("minisign")
            .arg("-Vm")
            .arg("SHA256SUMS")
            .arg("-p")
            .arg(v.path("locked/gongdu.pub"))
            .current_dir(&folder)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", text_of(&out));
    }
}

#[test]
fn verify_names_a_flipped_byte_a_missing_file_and_a_stray_file() {
    let v = Versions::new();
    let centre = v.centre();
    let flipped = "history/earliest/index.html";
    let mut bytes = std::fs::read(centre.join(flipped)).expect("page");
    bytes[100] ^= 0x01;
    std::fs::write(centre.join(flipped), bytes).expect("flip");
    std::fs::remove_file(centre.join("404.html")).expect("remove");
    std::fs::write(centre.join("history/广告.html"), "<p>不该在这里</p>").expect("stray");

    let out = gongdu(
        v.path(""),
        &["mirror", "verify", "centre", "--key", "keys/gongdu.pub"],
    );
    let text = text_of(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(&format!("内容被改动：{flipped}")), "{text}");
    assert!(text.contains("缺少：404.html"), "{text}");
    assert!(text.contains("多出的文件：history/广告.html"), "{text}");
    assert!(
        text.contains("签名：有效"),
        "the checksums themselves are intact: {text}"
    );

    let out = gongdu(
        v.path(""),
        &["mirror", "verify", "centre", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["ok"], false);
    assert_eq!(json["report"]["changed"], serde_json::json!([flipped]));
    assert_eq!(json["report"]["missing"], serde_json::json!(["404.html"]));
    assert_eq!(
        json["report"]["unexpected"],
        serde_json::json!(["history/广告.html"])
    );

    let out = gongdu(
        v.path(""),
        &[
            "mirror",
            "verify",
            "old.zip",
            "--key",
            "other/gongdu.pub",
            "--lang",
            "en",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text_of(&out));
    assert!(
        text_of(&out).contains("signature: INVALID"),
        "{}",
        text_of(&out)
    );

    // A mirror that is not there: the cause in Chinese first, the system's words after.
    let out = gongdu(v.path(""), &["mirror", "verify", "no-such-mirror"]);
    assert!(
        text_of(&out).contains("no-such-mirror：没有这个文件或文件夹（"),
        "{}",
        text_of(&out)
    );
}

#[test]
fn an_update_pack_turns_the_old_copy_into_exactly_the_new_build_and_back() {
    let v = Versions::new();
    let centre = v.centre();
    let old = snapshot_tree(&centre);
    let pack = v.update_pack();
    let new_unpacked = v.path("new-unpacked");
    unzip(&v.path("new.zip"), &new_unpacked);
    assert_readable_as_a_new_file(&pack);
    let pack_len = std::fs::metadata(&pack).expect("pack").len();
    let full_len = std::fs::metadata(v.path("new.zip")).expect("zip").len();
    assert!(
        pack_len * 2 < full_len,
        "one edited article: {pack_len} of {full_len} bytes"
    );
    let entries = zip_entries(&pack);
    assert!(
        !entries.contains_key("base/SHA256SUMS") && !entries.contains_key("SHA256SUMS"),
        "both lists travel as differences only: {:?}",
        entries.keys()
    );
    let sums = std::fs::read(new_unpacked.join("SHA256SUMS")).expect("the new list");
    for name in ["base/SHA256SUMS.diff", "SHA256SUMS.diff"] {
        let diff = &entries[name];
        assert!(
            !diff.is_empty() && diff.len() * 4 < sums.len(),
            "{name} holds the changed lines only: {} of {} bytes",
            diff.len(),
            sums.len()
        );
    }

    // A copy whose own SHA256SUMS was deleted is still recognised as the base by its files.
    let listless = v.path("listless");
    unzip(&v.path("old.zip"), &listless);
    std::fs::remove_file(listless.join("SHA256SUMS")).expect("remove the list");
    let out = gongdu(
        v.path(""),
        &[
            "mirror",
            "apply",
            "update.zip",
            "listless",
            "--key",
            "keys/gongdu.pub",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
    assert_eq!(
        unsigned(snapshot_tree(&listless)),
        unsigned(snapshot_tree(&new_unpacked)),
        "the list-less copy becomes exactly the new package"
    );

    let out = v.apply(&pack, "keys/gongdu.pub");
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
    assert_eq!(
        unsigned(snapshot_tree(&centre)),
        unsigned(snapshot_tree(&new_unpacked)),
        "exactly the new package"
    );
    let out = gongdu(
        v.path(""),
        &["mirror", "verify", "centre", "--key", "keys/gongdu.pub"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));

    let out = gongdu(v.path(""), &["mirror", "apply", "--rollback", "centre"]);
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
    assert_eq!(
        snapshot_tree(&centre),
        old,
        "rollback gives the old copy back byte for byte"
    );
    let out = gongdu(v.path(""), &["mirror", "apply", "--rollback", "centre"]);
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
    assert_eq!(
        unsigned(snapshot_tree(&centre)),
        unsigned(snapshot_tree(&new_unpacked)),
        "and forward again"
    );
    assert_eq!(
        neighbours(&v),
        [".centre.gongdu-previous"],
        "nothing else left beside it"
    );
}

/// Every entry of a zip by name.
fn zip_entries(pack: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(pack).expect("pack")).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let name = file.name().expect("a name").into_owned();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("read");
            (name, bytes)
        })
        .collect()
}

/// The pack with one entry's bytes replaced, every other entry copied as it was.
fn tampered(pack: &Path, entry: &str, to: &Path, change: impl Fn(&mut Vec<u8>)) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(pack).expect("pack")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).expect("create"));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("a name").into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("read");
        if name == entry {
            change(&mut bytes);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("finish");
}

#[test]
fn tampered_packs_foreign_keys_and_wrong_bases_change_nothing() {
    let v = Versions::new();
    let centre = v.centre();
    let before = snapshot_tree(&centre);
    let pack = v.update_pack();
    let page = "files/history/earliest/index.html";
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            {
                let p = v.path("t1.zip");
                tampered(&pack, page, &p, |b| b[50] ^= 1);
                p
            },
            "包被改动过",
        ),
        (
            {
                let p = v.path("t2.zip");
                tampered(&pack, "gongdu-update.json", &p, |b| b.push(b' '));
                p
            },
            "签名与公钥不符",
        ),
        (
            {
                let p = v.path("t3.zip");
                tampered(&pack, "SHA256SUMS.diff", &p, |b| {
                    b[0] = if b[0] == b'0' { b'1' } else { b'0' }
                });
                p
            },
            "包被改动过",
        ),
        (
            {
                // One hex digit of the base's old entry for the edited page: the base list
                // does not hold that line.
                let p = v.path("t4.zip");
                tampered(&pack, "base/SHA256SUMS.diff", &p, |b| {
                    b[0] = if b[0] == b'0' { b'1' } else { b'0' }
                });
                p
            },
            "包被改动过",
        ),
        (
            {
                let p = v.path("t5.zip");
                tampered(&pack, "base/SHA256SUMS.diff", &p, |b| b.clear());
                p
            },
            "包被改动过",
        ),
    ];
    for (bad, why) in &cases {
        let out = v.apply(bad, "keys/gongdu.pub");
        assert_eq!(out.status.code(), Some(1), "{}", text_of(&out));
        assert!(text_of(&out).contains(why), "{why}: {}", text_of(&out));
        assert_eq!(snapshot_tree(&centre), before, "{bad:?} changed nothing");
    }
    let out = v.apply(&pack, "other/gongdu.pub");
    assert_eq!(out.status.code(), Some(1), "{}", text_of(&out));
    assert_eq!(
        snapshot_tree(&centre),
        before,
        "a foreign key changes nothing"
    );

    std::fs::write(centre.join("history/自己加的.html"), "<p>书屋自己加的</p>").expect("write");
    std::fs::write(centre.join("404.html"), "<p>改过</p>").expect("write");
    let before = snapshot_tree(&centre);
    let out = v.apply(&pack, "keys/gongdu.pub");
    let text = text_of(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("不是更新包的底版"), "{text}");
    assert!(
        text.contains("有改动：404.html") && text.contains("多出：history/自己加的.html"),
        "{text}"
    );
    assert_eq!(
        snapshot_tree(&centre),
        before,
        "a wrong base changes nothing"
    );
    assert!(
        neighbours(&v).is_empty(),
        "nothing staged: {:?}",
        neighbours(&v)
    );

    let list = centre.join("SHA256SUMS");
    let own_list = std::fs::read(&list).expect("the centre's list");
    std::fs::write(&list, "").expect("empty the list");
    let out = v.apply(&pack, "keys/gongdu.pub");
    let text = text_of(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("不是更新包的底版") && text.contains("gongdu mirror verify"),
        "a changed copy without its own list is refused, pointing to verify: {text}"
    );
    std::fs::write(&list, own_list).expect("restore the list");
    assert_eq!(snapshot_tree(&centre), before, "and nothing changed");

    let forced = |v: &Versions| {
        gongdu(
            v.path(""),
            &[
                "mirror",
                "apply",
                "update.zip",
                "centre",
                "--key",
                "keys/gongdu.pub",
                "--force",
            ],
        )
    };
    let out = forced(&v);
    assert_eq!(out.status.code(), Some(1), "{}", text_of(&out));
    assert!(
        text_of(&out).contains("404.html"),
        "forced, a damaged file the new version keeps is still refused: {}",
        text_of(&out)
    );
    assert_eq!(snapshot_tree(&centre), before, "and nothing changed");

    let original = snapshot_tree(&v.path("old"))["404.html"].clone();
    std::fs::write(centre.join("404.html"), original).expect("repair");
    let out = forced(&v);
    assert_eq!(
        out.status.code(),
        Some(0),
        "forced over a stray file: {}",
        text_of(&out)
    );
    let new_unpacked = v.path("new-unpacked");
    unzip(&v.path("new.zip"), &new_unpacked);
    assert_eq!(
        unsigned(snapshot_tree(&centre)),
        unsigned(snapshot_tree(&new_unpacked)),
        "exactly the new version, the stray file gone"
    );
}

/// Runs apply paused after step `n`; kills it there with SIGKILL. False when it finished first.
fn apply_killed_after(v: &Versions, pack: &Path, n: usize) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(["mirror", "apply"])
        .arg(pack)
        .args(["centre", "--key", "keys/gongdu.pub"])
        .current_dir(v.path(""))
        .env("GONGDU_TEST_PAUSE_AFTER_STEP", n.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let stderr = child.stderr.take().expect("piped");
    let mut paused = false;
    for line in BufReader::new(stderr).lines() {
        if line
            .expect("stderr")
            .contains(&format!("paused after step {n}"))
        {
            paused = true;
            break;
        }
    }
    if paused {
        child.kill().expect("SIGKILL");
    }
    let status = child.wait().expect("waits");
    assert!(paused || status.success(), "apply finished without error");
    paused
}

#[test]
fn apply_killed_after_any_step_leaves_the_old_copy_or_the_new_one() {
    let v = Versions::new();
    let pack = v.update_pack();
    let old = snapshot_tree(&v.centre());
    let new_unpacked = v.path("new-unpacked");
    unzip(&v.path("new.zip"), &new_unpacked);
    let new = unsigned(snapshot_tree(&new_unpacked));
    let mut n = 1;
    let (mut saw_old, mut saw_new) = (false, false);
    while n < 500 {
        let centre = v.centre();
        let killed = apply_killed_after(&v, &pack, n);
        let now = snapshot_tree(&centre);
        if now == old {
            saw_old = true;
            let out = v.apply(&pack, "keys/gongdu.pub");
            assert_eq!(
                out.status.code(),
                Some(0),
                "after a kill at step {n}: {}",
                text_of(&out)
            );
            assert_eq!(
                unsigned(snapshot_tree(&centre)),
                new,
                "the next apply completes (step {n})"
            );
        } else {
            assert_eq!(
                unsigned(now),
                new,
                "killed after step {n}: neither the old copy nor the new"
            );
            saw_new = true;
            let out = gongdu(v.path(""), &["mirror", "apply", "--rollback", "centre"]);
            if out.status.success() {
                assert_eq!(
                    snapshot_tree(&centre),
                    old,
                    "rollback after a kill at step {n}"
                );
            } else {
                assert!(
                    text_of(&out).contains("没有可回退的上一版本"),
                    "{}",
                    text_of(&out)
                );
                assert_eq!(
                    unsigned(snapshot_tree(&centre)),
                    new,
                    "a refused rollback changes nothing"
                );
            }
        }
        if !killed {
            break;
        }
        n += 1;
    }
    assert!(
        n > 10 && saw_old && saw_new,
        "the kill points covered staging and the swap ({n} steps)"
    );
}
