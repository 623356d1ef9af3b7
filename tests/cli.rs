//! The `gongdu` command as scripts and editors use it: subcommands, output and exit codes.

#[path = "support/site.rs"]
mod site;

use std::path::Path;
use std::process::{Command, Output};

use site::Fixture;

fn gongdu(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("gongdu runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn build_prints_a_summary_line_and_exits_zero() {
    let f = Fixture::copy("basic");
    let out = gongdu(&["build"], f.root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("built 28 pages ("), "{stdout}");
    assert!(stdout.contains(" s → public"), "{stdout}");
    // Not a terminal: no progress bar noise.
    assert_eq!(text(&out.stderr), "");
    assert!(f.out().join("index.html").is_file());
}

#[test]
fn build_options_choose_root_output_drafts_and_base_url() {
    let f = Fixture::copy("basic");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out_dir = elsewhere.path().join("site-out");
    let root = f.root().to_str().expect("utf-8 path");
    let out = gongdu(
        &[
            "build",
            "--root",
            root,
            "--output",
            out_dir.to_str().expect("utf-8"),
            "--drafts",
            "--base-url",
            "https://e.org/x/",
            "--quiet",
            "--timings",
        ],
        elsewhere.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out_dir.join("union/draft/index.html").is_file());
    assert!(
        std::fs::read_to_string(out_dir.join("sitemap.xml"))
            .expect("sitemap")
            .contains("https://e.org/x/")
    );
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("built "),
        "--quiet hides the summary: {stdout}"
    );
    assert!(
        stdout.contains("render templates and write files"),
        "--timings lists stages: {stdout}"
    );
    if cfg!(target_os = "linux") {
        let stage = stdout
            .lines()
            .find(|l| l.ends_with("render templates and write files"))
            .expect("the stage's line");
        let held: f64 = stage
            .split_whitespace()
            .nth(2)
            .expect("memory")
            .parse()
            .expect("MiB");
        assert!(stage.contains(" MiB "), "with the memory held: {stage}");
        assert!(held > 0.0, "a process holds some memory: {stage}");
        assert!(stdout.contains("peak memory "), "and the peak: {stdout}");
    }
}

#[test]
fn site_errors_print_every_diagnostic_and_exit_one() {
    let f = Fixture::copy("broken");
    let out = gongdu(&["build", "--lang", "en"], f.root());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    insta::assert_snapshot!(stderr);
    assert!(!f.out().exists(), "nothing written");
}

#[test]
fn refused_output_exits_three() {
    let f = Fixture::copy("basic");
    f.write("public/mine.txt", "not gongdu's");
    let out = gongdu(&["build"], f.root());
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("pass --force"),
        "{}",
        text(&out.stderr)
    );
    let forced = gongdu(&["build", "--force"], f.root());
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
}

#[test]
fn usage_errors_exit_two_and_help_exits_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(gongdu(&["biuld"], dir.path()).status.code(), Some(2));
    assert_eq!(
        gongdu(&["build", "--no-such-flag"], dir.path())
            .status
            .code(),
        Some(2)
    );
    let help = gongdu(&["--help"], dir.path());
    assert_eq!(help.status.code(), Some(0));
    let help = text(&help.stdout);
    for expected in ["build", "new", "Exit codes", "gongdu new site"] {
        assert!(help.contains(expected), "help lacks {expected}:\n{help}");
    }
    let build_help = text(&gongdu(&["build", "--help"], dir.path()).stdout);
    for flag in ["--root", "--output", "--drafts", "--base-url", "--force"] {
        assert!(build_help.contains(flag), "build --help lacks {flag}");
    }
}

#[test]
fn missing_site_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = gongdu(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("site.yaml") && stderr.contains("gongdu new site"),
        "{stderr}"
    );
}

#[test]
fn new_site_scaffolds_a_site_that_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = gongdu(&["new", "site", "学习站"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let site = dir.path().join("学习站");
    assert!(site.join("site.yaml").is_file());
    let build = gongdu(&["build"], &site);
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    assert!(site.join("public/notes/first-note/index.html").is_file());
    assert!(
        !text(&build.stderr).contains("warning"),
        "the starter builds without warnings: {}",
        text(&build.stderr)
    );
    // The starter shows the knowledge base: a glossary entry linked from a note, a timeline
    // event and a two-article study path.
    let read = |rel: &str| std::fs::read_to_string(site.join("public").join(rel)).expect(rel);
    assert!(read("glossary/zhi-gong-shu-wu/index.html").contains("职工阅读场所"));
    assert!(read("notes/second-note/index.html").contains("glossary/zhi-gong-shu-wu/index.html"));
    assert!(read("timeline/index.html").contains("中华全国总工会成立"));
    let paths = read("paths/index.html");
    assert!(paths.contains("入门学习路线"), "{paths}");
    // Never over an existing site.
    let again = gongdu(&["new", "site", "学习站"], dir.path());
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn new_article_creates_a_buildable_page_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    gongdu(&["new", "site", "s"], dir.path());
    let site = dir.path().join("s");
    let out = gongdu(
        &[
            "new",
            "article",
            "notes/劳模精神",
            "--title",
            "劳模精神的内涵",
        ],
        &site,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let path = site.join("content/notes/劳模精神.md");
    let written = std::fs::read_to_string(&path).expect("article written");
    assert!(
        written.starts_with("---\ntitle: \"劳模精神的内涵\"\ndate: "),
        "{written}"
    );
    std::fs::write(&path, written.replace("在这里写正文。", "已经写好的内容")).expect("edit");
    let again = gongdu(
        &[
            "new",
            "article",
            "content/notes/劳模精神.md",
            "--title",
            "x",
        ],
        &site,
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        std::fs::read_to_string(&path)
            .expect("kept")
            .contains("已经写好的内容")
    );
    let build = gongdu(&["build"], &site);
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    assert!(
        std::fs::read_to_string(site.join("public/notes/劳模精神/index.html"))
            .expect("page")
            .contains("劳模精神的内涵")
    );
    let escape = gongdu(&["new", "article", "../outside.md", "--title", "x"], &site);
    assert_eq!(escape.status.code(), Some(2));
}

#[test]
fn check_reports_every_problem_as_json_for_tools_and_exits_one_on_errors() {
    let f = Fixture::copy("kb");
    let out = gongdu(&["check", "--format", "json"], f.root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    f.write(
        "content/learn/bad.md",
        "---\ntitle: 坏\n---\n[[不存在]] ![外](https://example.org/x.png) [外站](https://example.org/)\n",
    );
    let out = gongdu(&["check", "--format", "json", "--lang", "en"], f.root());
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(report["version"], 1);
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(1), Some(2))
    );
    let d = &report["diagnostics"];
    assert_eq!(d[0]["path"], "content/learn/bad.md");
    assert_eq!(
        (d[0]["line"].as_u64(), d[0]["column"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(d[0]["severity"], "error");
    assert_eq!(
        d[0]["message"],
        "wikilink `[[不存在]]` matches no page title, synonym, slug or path"
    );
    assert_eq!(d[1]["column"], 9);
    assert_eq!(
        d[1]["message"],
        "image `https://example.org/x.png` is loaded from another site: an offline mirror shows it as missing"
    );
    assert_eq!(d[2]["severity"], "warning");
    // Text output names file:line:column, and `build` ignores external links.
    let out = gongdu(&["check", "--lang", "en"], f.root());
    assert!(text(&out.stderr).contains("content/learn/bad.md:4:1: error[GD0505]: wikilink"));
    let out = gongdu(&["check"], f.root());
    assert!(text(&out.stderr).contains("content/learn/bad.md:4:1: 错误[GD0505]: 维基链接"));
    let out = gongdu(&["build", "--lang", "en"], f.root());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("wikilink") && !stderr.contains("offline mirror"),
        "{stderr}"
    );
}
