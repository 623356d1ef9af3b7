//! A broken theme, a hostile `content/` folder or a wrong `--output` never crashes gongdu and
//! never damages anything: template mistakes (missing, misspelt, recursive) are errors naming
//! the template, symbolic links cannot reach outside the site, and the output folder is never
//! a place that holds the editor's work.

#[path = "support/site.rs"]
mod site;

use std::path::{Path, PathBuf};
use std::process::Command;

use gongdu::build::{self, BuildError};
use gongdu::output::Overwrite;
use site::Fixture;

const PAGE_START: &str = "{% extends \"base.html\" %}\n{% block main %}";
const PAGE_END: &str = "{% endblock main %}\n";

/// A case name, its templates (name under templates/, text) and the diagnostics expected.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

#[test]
fn every_template_mistake_is_an_error_naming_the_template_never_a_crash() {
    let cases: &[Case] = &[
        (
            "missing template",
            &[("page.html", "{% include \"partials/sidebar.html\" %}")],
            &[
                "templates/page.html:2:17: error: includes `partials/sidebar.html`, which does not exist",
            ],
        ),
        (
            "syntax error",
            &[("page.html", "{{ page.title }")],
            &[
                "templates/page.html:2:31: error: template syntax error: expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)",
            ],
        ),
        (
            "a template that extends itself",
            &[("section.html", "{% extends \"section.html\" %}")],
            &["templates/section.html:1:1: error: `section.html` extends itself"],
        ),
        (
            "an include cycle",
            &[
                ("page.html", "{% include \"partials/a.html\" %}"),
                ("partials/a.html", "a {% include \"partials/b.html\" %}"),
                ("partials/b.html", "b {% include \"partials/a.html\" %}"),
            ],
            &[
                "templates/partials/a.html:1:3: error: `partials/a.html` includes itself through other templates: partials/a.html → partials/b.html → partials/a.html",
            ],
        ),
        (
            "a macro that recurses without end",
            &[
                (
                    "macros.html",
                    "{% macro deeper(n) %}<i>{{ self::deeper(n=n + 1) }}</i>{% endmacro deeper %}",
                ),
                (
                    "page.html",
                    "{% import \"macros.html\" as m %}{{ m::deeper(n=0) }}",
                ),
            ],
            &[
                "templates/macros.html:0:0: error: Failed to render 'page.html': error while rendering macro `self::deeper`: Function call 'throw' failed: macro `deeper` in 'macros.html' was called more than 64 levels deep; does it call itself without end? (while rendering content/good.md and 1 other pages)",
            ],
        ),
    ];
    for (name, templates, expected) in cases {
        let f = Fixture::copy("hostile");
        f.write("content/other.md", "---\ntitle: 另一篇\n---\n");
        for (file, text) in *templates {
            let text = if *file == "page.html" && !text.contains("import") {
                format!("{PAGE_START}{text}{PAGE_END}")
            } else if *file == "page.html" {
                // `import` must come right after `extends`.
                let (import, call) = text.split_once("%}").expect("an import tag");
                format!(
                    "{{% extends \"base.html\" %}}\n{import}%}}\n{{% block main %}}{call}{PAGE_END}"
                )
            } else {
                (*text).to_owned()
            };
            f.write(&format!("templates/{file}"), &text);
        }
        assert_eq!(f.shown(&f.build_errors()), *expected, "{name}");
    }
}

/// Writes `target` and a symbolic link to it at `link`.
fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[test]
fn symbolic_links_are_followed_only_inside_the_site() {
    let f = Fixture::copy("hostile");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        elsewhere.path().join("secret.md"),
        "---\ntitle: 机密\n---\n机密\n",
    )
    .expect("secret");
    std::fs::write(elsewhere.path().join("passwd.txt"), "root:x:0:0").expect("secret");
    f.write("notes/shared.md", "---\ntitle: 共享\n---\n站内的共享文章\n");
    let content = f.root().join("content");
    let links: [(&str, PathBuf); 6] = [
        ("loop", PathBuf::from(".")),
        ("self.md", PathBuf::from("self.md")),
        ("dangling.md", PathBuf::from("missing.md")),
        ("secret.md", elsewhere.path().join("secret.md")),
        ("leak", elsewhere.path().to_path_buf()),
        ("shared.md", PathBuf::from("../notes/shared.md")),
    ];
    for (name, target) in &links {
        symlink(target, &content.join(name));
    }
    let report = f.build_ok();
    let out_dir = elsewhere.path().display().to_string();
    let warnings: Vec<String> = f
        .shown(&report.warnings)
        .into_iter()
        .map(|w| w.replace(&out_dir, "ELSEWHERE"))
        .collect();
    assert_eq!(
        warnings,
        [
            "content/dangling.md:0:0: warning: symbolic link that cannot be followed (No such file or directory (os error 2)); skipped",
            "content/leak:0:0: warning: symbolic link to ELSEWHERE, outside the site folder: not followed",
            "content/loop:0:0: warning: symbolic link loop: the link points to a folder that contains it; skipped",
            "content/secret.md:0:0: warning: symbolic link to ELSEWHERE/secret.md, outside the site folder: not followed",
            "content/self.md:0:0: warning: symbolic link that cannot be followed (Too many levels of symbolic links (os error 40)); skipped",
        ]
    );
    let files: Vec<String> = site::snapshot_tree(&f.out()).into_keys().collect();
    assert!(files.contains(&"shared/index.html".to_owned()), "{files:?}");
    for leaked in ["secret", "leak", "passwd"] {
        assert!(
            !files.iter().any(|p| p.contains(leaked)),
            "{leaked}: {files:?}"
        );
    }
}

/// The diagnostics of `gongdu build` run as the unprivileged user `nobody`, for tests about
/// permissions: root reads files whatever their mode, so a root test run (as in CI) builds
/// through `setpriv` after handing the site to that user.
fn build_errors_as_nobody(f: &Fixture) -> Vec<String> {
    fn chown_tree(path: &Path) {
        std::os::unix::fs::lchown(path, Some(65534), Some(65534)).expect("chown");
        if path.is_dir() && !path.is_symlink() {
            for entry in std::fs::read_dir(path).expect("read_dir") {
                chown_tree(&entry.expect("entry").path());
            }
        }
    }
    use std::os::unix::fs::PermissionsExt;
    chown_tree(f.root());
    // The temporary folder's parent must let `nobody` through to the site.
    let parent = f.root().parent().expect("parent");
    let mode = std::fs::metadata(parent)
        .expect("stat")
        .permissions()
        .mode();
    assert!(
        mode & 0o001 != 0,
        "{} must be searchable by others",
        parent.display()
    );
    let output = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_gongdu"))
        .args(["build", "--lang", "en"])
        .current_dir(f.root())
        .env("HOME", f.root())
        .output()
        .expect("setpriv (util-linux) runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        // `error[GD0306]: ` as the library's `error: `, codes aside.
        .map(|l| match (l.find('['), l.find("]: ")) {
            (Some(open), Some(close)) if open < close => {
                format!("{}{}", &l[..open], &l[close + 1..])
            }
            _ => l.to_owned(),
        })
        .collect()
}

#[test]
fn unreadable_files_and_folders_are_errors_naming_them() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::copy("hostile");
    f.build_ok();
    let before = site::snapshot_tree(&f.out());
    f.write("content/locked.md", "---\ntitle: 锁\n---\n");
    f.write("content/closed/inside.md", "---\ntitle: 内\n---\n");
    let lock = |rel: &str, mode| {
        std::fs::set_permissions(f.root().join(rel), std::fs::Permissions::from_mode(mode))
            .expect("chmod")
    };
    lock("content/locked.md", 0o000);
    lock("content/closed", 0o000);
    // SAFETY: geteuid has no preconditions.
    let errors = if unsafe { libc::geteuid() } == 0 {
        build_errors_as_nobody(&f)
    } else {
        // The command line leaves out the `:0:0` of a problem with a whole file.
        f.shown(&f.build_errors())
            .iter()
            .map(|e| e.replacen(":0:0:", ":", 1))
            .collect()
    };
    lock("content/closed", 0o755);
    assert_eq!(
        errors,
        [
            "content/closed: error: cannot read: Permission denied (os error 13)",
            "content/locked.md: error: cannot read the file: Permission denied (os error 13)",
        ]
    );
    assert_eq!(
        site::snapshot_tree(&f.out()),
        before,
        "a failed build leaves the previous output alone"
    );
}

#[test]
fn the_output_is_never_a_place_that_holds_the_editors_work() {
    let f = Fixture::copy("hostile");
    std::fs::create_dir_all(f.root().join("themes/mine")).expect("mkdir");
    symlink(Path::new("."), &f.root().join("public-link"));
    let root = f.root().to_path_buf();
    let cases: [(&str, PathBuf, &str); 8] = [
        (
            "the site root",
            root.clone(),
            "it is the site folder or a folder that contains it",
        ),
        (
            "a parent of the root",
            root.join(".."),
            "it is the site folder or a folder that contains it",
        ),
        (
            "a link to the root",
            root.join("public-link"),
            "it is the site folder or a folder that contains it",
        ),
        (
            "content/",
            root.join("content"),
            "it is inside the site's content/ folder",
        ),
        (
            "inside content/",
            root.join("content/out"),
            "it is inside the site's content/ folder",
        ),
        (
            "a theme",
            root.join("themes/mine"),
            "it is inside the site's themes/ folder",
        ),
        (
            "the file system root",
            PathBuf::from("/"),
            "it is the file system's root",
        ),
        (
            "a file",
            root.join("site.yaml"),
            "it is a file, not a folder",
        ),
    ];
    let before = site::snapshot_tree(&root);
    for (name, output, reason) in cases {
        let mut options = f.options();
        options.output = Some(output.clone());
        options.overwrite = Overwrite::Force;
        match build::build(&options, None) {
            Err(BuildError::Output(e)) => assert!(e.to_string().ends_with(reason), "{name}: {e}"),
            other => panic!("{name}: expected a refusal, got {other:?}"),
        }
    }
    assert_eq!(site::snapshot_tree(&root), before, "nothing was touched");
}

#[test]
fn a_folder_gongdu_did_not_create_is_replaced_only_with_force() {
    let f = Fixture::copy("hostile");
    f.write("public/thesis.docx", "precious");
    let refused = f.build().expect_err("refused");
    assert_eq!(
        refused.to_string(),
        format!(
            "refusing to write the site into {}: the folder is not empty and gongdu did not create it (pass --force to replace it anyway)",
            f.out().display()
        )
    );
    assert_eq!(f.output("thesis.docx"), "precious");
    let mut options = f.options();
    options.overwrite = Overwrite::Force;
    build::build(&options, None).expect("forced");
    assert!(f.out().join(".gongdu-output").is_file());
    assert!(f.out().join("good/index.html").is_file());
    assert!(
        !f.out().join("thesis.docx").exists(),
        "--force replaces the folder"
    );
}

#[test]
fn home_and_the_folders_above_it_are_refused_even_with_force() {
    let f = Fixture::copy("hostile");
    let home = tempfile::tempdir().expect("tempdir");
    let home_dir = home.path().join("editor");
    std::fs::create_dir_all(home_dir.join("Documents")).expect("mkdir");
    std::fs::write(home_dir.join("Documents/notes.txt"), "keep").expect("write");
    for output in [home_dir.clone(), home.path().to_path_buf()] {
        let out = Command::new(env!("CARGO_BIN_EXE_gongdu"))
            .args(["build", "--force", "--output"])
            .arg(&output)
            .arg("--root")
            .arg(f.root())
            .env("HOME", &home_dir)
            .output()
            .expect("gongdu runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "refusing to write the site into {}: it is your home folder or a folder that contains it",
                output.display()
            )),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(home_dir.join("Documents/notes.txt")).expect("kept"),
        "keep"
    );
}
