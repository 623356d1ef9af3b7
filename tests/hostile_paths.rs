//! Hostile names and values (issue 11, classes 10, 13 and 14): a file, alias or term that
//! would overwrite a file gongdu generates or make a name too long for a file system; SVG and
//! HTML files holding scripts; `base_url` with line breaks, years 0000 and before, escape
//! sequences in file names, `gongdu new article` through links and into hidden folders, and
//! character references in wikilinks. Each is a diagnostic at file:line:column, and `check`
//! finds everything `build` refuses.

#[path = "support/site.rs"]
mod site;

use std::path::Path;
use std::process::{Command, Output};

use gongdu::build::{self, BuildError, BuildOptions};
use site::Fixture;

const SITE: &str = "title: 测试站\nbase_url: https://example.org/\n";
const ARTICLE: &str = "---\ntitle: 正常文章\ndate: 2024-04-26\ntopics: [工会]\nevents: [{date: 1925-05-01, title: 成立}]\nseries: 入门\norder: 1\n---\n正文。\n";

/// A hostile site: its name, files (path, text) and the errors it must give (each the start
/// of a line `path:line:column: error: message`).
struct Case {
    name: &'static str,
    files: Vec<(String, String)>,
    expected: Vec<String>,
}

fn case(name: &'static str, files: &[(&str, &str)], expected: &[&str]) -> Case {
    Case {
        name,
        files: files
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect(),
        expected: expected.iter().map(|e| (*e).to_owned()).collect(),
    }
}

fn page_with(front: &str) -> String {
    format!("---\ntitle: 文\n{front}---\n正文\n")
}

/// Where the built-in theme publishes its stylesheet and the highlighting stylesheet (names
/// with a hash of their content), found by building a site with one article.
fn published_theme_files() -> (String, String) {
    let f = Fixture::empty();
    f.write("site.yaml", SITE);
    f.write("content/ok.md", ARTICLE);
    f.build().expect("a plain site builds");
    (
        site::published(&f.out(), "assets/gongdu.css"),
        site::published(&f.out(), "assets/syntax.css"),
    )
}

fn cases() -> Vec<Case> {
    let (theme_css, syntax_css) = published_theme_files();
    // 201 bytes each, all different so that they do not collide with each other.
    let [long, file, alias, attachment] = ["长", "宽", "远", "附"].map(|c| c.repeat(67));
    let expanding = "\u{FDFA}".repeat(10); // NFKC makes each one 18 characters
    vec![
        case(
            "aliases onto generated files, in several spellings",
            &[(
                "content/a.md",
                &format!(
                    "---\ntitle: 甲\naliases:\n  - atom.xml\n  - /ATOM.XML/\n  - {theme_css}\n  - search/config.js\n  - .gongdu-output\n  - sitemap.xml/\n  - robots.txt/x.html\n  - 404.html\n  - timeline/\n  - paths\n---\n正文\n"
                ),
            )],
            &[
                "content/a.md:3:1: error: `atom.xml` is a file (the site feed), but an alias in content/a.md needs a folder of that name for `ATOM.XML/index.html`",
                "content/a.md:3:1: error: `atom.xml` is a file (the site feed), but an alias in content/a.md needs a folder of that name for `atom.xml/index.html`",
                &format!(
                    "content/a.md:3:1: error: `{theme_css}` is a file (a file of the built-in theme), but an alias"
                ),
                "content/a.md:3:1: error: an alias in content/a.md would be written to `search/config.js/index.html`, inside search/",
                "content/a.md:3:1: error: `.gongdu-output` is a file (gongdu's mark on its output folder)",
                "content/a.md:3:1: error: `sitemap.xml` is a file (the sitemap)",
                "content/a.md:3:1: error: `robots.txt` is a file (robots.txt)",
                "content/a.md:3:1: error: `404.html` would be written twice: by the page for missing addresses and by an alias in content/a.md",
                "content/a.md:3:1: error: `timeline/index.html` would be written twice: by the timeline and by an alias in content/a.md",
                "content/a.md:3:1: error: `paths/index.html` would be written twice: by the list of study paths and by an alias in content/a.md",
            ],
        ),
        case(
            "static files and content files onto generated files",
            &[
                ("content/atom.xml", "<feed/>"),
                ("content/Robots.txt", "x"),
                ("content/search/config.js", "x"),
                (&format!("content/{syntax_css}"), "x"),
                ("static/sitemap.xml", "x"),
                ("content/timeline/index.html", "x"),
            ],
            &[
                "content/atom.xml:1:1: error: `atom.xml` would be written twice: by the site feed and by",
                "content/Robots.txt:1:1: error: `Robots.txt` would be written twice: by robots.txt and by",
                "content/search/config.js:1:1: error: ",
                &format!("content/{syntax_css}:1:1: error: `{syntax_css}` would be written twice"),
                "static/sitemap.xml:1:1: error: `sitemap.xml` would be written twice",
                "content/timeline/index.html:1:1: error: `timeline/index.html` would be written twice",
            ],
        ),
        case(
            "pages onto generated pages",
            &[
                ("content/timeline.md", "---\ntitle: 时间\n---\n正文\n"),
                ("content/x.md", &page_with("slug: search\n")),
            ],
            &[
                "content/timeline.md:1:1: error: `timeline/index.html` would be written twice: by the timeline and by content/timeline.md",
                "content/x.md:3:1: error: content/x.md would be written to `search/index.html`, inside search/",
            ],
        ),
        case(
            "names too long for a file system",
            &[
                ("content/b.md", &page_with(&format!("slug: {long}\n"))),
                (
                    "content/c.md",
                    &page_with(&format!("tags: [{expanding}]\n")),
                ),
                ("content/d.md", &page_with(&format!("aliases: [{alias}]\n"))),
                (
                    &format!("content/{file}.md"),
                    "---\ntitle: 长文件名\n---\n正文\n",
                ),
                (&format!("content/{attachment}.txt"), "附件"),
                (
                    "content/e.md",
                    &format!("---\ntitle: 路线\nseries: {expanding}\norder: 1\n---\n正文\n"),
                ),
            ],
            &[
                "content/b.md:3:1: error: content/b.md would be written to a file or folder whose name is 201 bytes long",
                "content/c.md:3:1: error: the page of tags",
                "content/d.md:3:1: error: an alias in content/d.md would be written to a file or folder whose name is 201 bytes",
                &format!(
                    "content/{file}.md:1:1: error: content/{file}.md would be written to a file or folder whose name is 201 bytes"
                ),
                &format!("content/{attachment}.txt:1:1: error: "),
                "content/e.md:3:1: error: study path",
            ],
        ),
        case(
            "scripts in copied documents",
            &[
                (
                    "content/a.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script></svg>",
                ),
                (
                    "content/b.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
                ),
                (
                    "content/c.SVG",
                    "<svg><a xlink:href=\"&#x6A;avascript:alert(1)\"><text>x</text></a></svg>",
                ),
                (
                    "content/d.html",
                    "<!doctype html>\n<p>说明</p>\n<img src=x onerror=alert(1)>",
                ),
                (
                    "content/e.svg",
                    "<svg><foreignObject><iframe src=\"https://x\"></iframe></foreignObject></svg>",
                ),
                (
                    "content/f.xhtml",
                    "<html><body><a href=\" java\tscript:alert(1)\">x</a></body></html>",
                ),
                (
                    "content/fine.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>.a{fill:red}</style><rect class=\"a\"/></svg>",
                ),
            ],
            &[
                "content/a.svg:2:1: error: an element that runs code",
                "content/b.svg:1:41: error: an on… event handler",
                "content/c.SVG:1:21: error: a javascript: (or other script) URL",
                "content/d.html:3:12: error: an on… event handler",
                "content/e.svg:1:6: error: an element that runs code",
                "content/f.xhtml:1:23: error: a javascript: (or other script) URL",
            ],
        ),
        case(
            "fields over their limits",
            &[
                (
                    "content/a.md",
                    &page_with(&format!("summary: {}\n", "文".repeat(501))),
                ),
                (
                    "content/b.md",
                    &page_with(&format!(
                        "tags: [{}]\n",
                        (0..21)
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ),
                (
                    "content/c.md",
                    &format!("---\ntitle: {}\n---\n正文\n", "题".repeat(201)),
                ),
            ],
            &[
                "content/a.md:3:10: error: `summary` is 501 characters long",
                "content/b.md:3:7: error: `tags` lists 21 names; a page may have at most 20",
                "content/c.md:2:8: error: `title` is 201 characters long",
            ],
        ),
        case(
            "years 0000 and before",
            &[
                ("content/a.md", &page_with("date: 0000-01-01\n")),
                ("content/b.md", &page_with("date: -0001-12-31\n")),
                (
                    "content/c.md",
                    &page_with("updated: 0000-01-01T08:00:00+08:00\n"),
                ),
                (
                    "content/d.md",
                    &page_with("events: [{date: '0000', title: 起点}]\n"),
                ),
                (
                    "content/e.md",
                    &page_with("source: {publication: 报, date: 0000-05}\n"),
                ),
            ],
            &[
                "content/a.md:3:7: error: `0000-01-01` has the year 0",
                "content/b.md:3:7: error: `-0001-12-31` has the year -1",
                "content/c.md:3:10: error: `0000-01-01T08:00:00+08:00` has the year 0",
                "content/d.md:3:9: error: event `起点`: `0000` has the year 0",
                "content/e.md:3:9: error: source date: `0000-05` has the year 0",
            ],
        ),
    ]
}

fn build_case(c: &Case) -> Fixture {
    let f = Fixture::empty();
    f.write("site.yaml", SITE);
    f.write("content/ok.md", ARTICLE);
    for (path, text) in &c.files {
        f.write(path, text);
    }
    f
}

/// The errors `gongdu check` reports, as `path:line:column: error: message` (`check` adds
/// only warnings about external links to what this compiles).
fn check_errors(f: &Fixture) -> Vec<String> {
    let options = BuildOptions::new(f.root());
    let found = match build::compile(&options) {
        Ok(site) => site.warnings,
        Err(found) => found,
    };
    errors(f, &found)
}

/// The errors `gongdu build` reports; an error that is not about the site (a raw OS error)
/// fails the test, since every hostile input must be a diagnostic.
fn build_errors(f: &Fixture) -> Vec<String> {
    match f.build() {
        Ok(_) => Vec::new(),
        Err(BuildError::Site(found)) => errors(f, &found),
        Err(other) => panic!("build failed with an error that is not a diagnostic: {other}"),
    }
}

fn errors(f: &Fixture, found: &[gongdu::diagnostic::Diagnostic]) -> Vec<String> {
    let mut shown: Vec<String> = f
        .shown(found)
        .into_iter()
        .filter(|s| s.contains(": error: "))
        .collect();
    shown.sort();
    shown
}

#[test]
fn every_hostile_name_and_file_is_a_diagnostic_at_its_position() {
    for c in cases() {
        let f = build_case(&c);
        let found = build_errors(&f);
        for wanted in &c.expected {
            assert!(
                found.iter().any(|e| e.starts_with(wanted.as_str())),
                "{}: expected {wanted:?} in {found:#?}",
                c.name
            );
        }
        assert_eq!(
            found.len(),
            c.expected.len(),
            "{}: one error per hostile input: {found:#?}",
            c.name
        );
    }
}

#[test]
fn check_finds_everything_build_refuses() {
    let mut sites: Vec<(String, Fixture)> = cases()
        .iter()
        .map(|c| (c.name.to_owned(), build_case(c)))
        .collect();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        sites.push((format!("fixture {name}"), Fixture::copy(&name)));
    }
    for (name, f) in &sites {
        assert_eq!(
            check_errors(f),
            build_errors(f),
            "{name}: check and build disagree"
        );
    }
}

#[test]
fn a_base_url_with_line_breaks_or_control_characters_is_refused() {
    for (spelling, column) in [
        ("\"https://example.org/\\nDisallow: /\"", 1),
        (
            "\"https://example.org/\\rSitemap: https://evil.example/\"",
            1,
        ),
        ("\"https://exa\\tmple.org/\"", 1),
        ("\"https://example.org/\\u0085x\"", 1),
        ("\"https://example.org/\\\"><script>\"", 1),
        ("'https://example.org/ a'", 1),
    ] {
        let f = Fixture::copy("hostile");
        f.write(
            "site.yaml",
            &format!("title: 测试站\nbase_url: {spelling}\n"),
        );
        let found = errors(&f, &f.build_errors());
        let wanted = format!("site.yaml:2:{column}: error: base_url holds the character U+");
        assert!(
            found.len() == 1 && found[0].starts_with(&wanted),
            "{spelling}: {found:#?}"
        );
    }
}

#[test]
fn escape_sequences_in_file_names_never_reach_the_terminal() {
    let f = Fixture::copy("hostile");
    f.write(
        "content/\u{1b}[2J\u{1b}]0;pwned\u{7}.md",
        "---\ntitle: x\ndate: 昨天\n---\n",
    );
    f.write(
        "content/\u{9b}31m.md",
        "---\ntitle: x\ndate: 0000-01-01\n---\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(["check", "--lang", "en", "--root"])
        .arg(f.root())
        .output()
        .expect("gongdu runs");
    let shown = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07),
        "{shown:?}"
    );
    assert!(!shown.contains('\u{9b}'), "{shown:?}");
    assert!(
        shown.contains("content/\\u{1b}[2J\\u{1b}]0;pwned\\u{7}.md:3:7: error["),
        "{shown}"
    );
    assert!(
        shown.contains("content/\\u{9b}31m.md:3:7: error["),
        "{shown}"
    );
}

fn new_article(root: &Path, path: &str, title: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(["new", "article", path, "--title", title, "--root"])
        .arg(root)
        .output()
        .expect("gongdu runs")
}

#[test]
fn new_article_stays_inside_content_and_out_of_hidden_folders() {
    let f = Fixture::copy("hostile");
    let outside = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(outside.path(), f.root().join("content/outlink")).expect("link");
    std::fs::create_dir_all(f.root().join("content/inner")).expect("inner");
    std::os::unix::fs::symlink(
        f.root().join("content/inner"),
        f.root().join("content/inlink"),
    )
    .expect("link");
    for (path, refusal) in [
        ("outlink/x", "outside the site"),
        ("outlink/deeper/x", "outside the site"),
        (".hidden", "the build skips `.hidden.md`"),
        ("a/.b/c", "the build skips `.b`"),
        ("content/.git/x.md", "the build skips `.git`"),
        ("a\u{1b}[31m", "control character"),
        (&"长".repeat(70), "bytes long"),
    ] {
        let out = new_article(f.root(), path, "标题");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{path:?} was accepted");
        assert!(stderr.contains(refusal), "{path:?}: {stderr}");
        assert!(!out.stderr.contains(&0x1b), "{stderr:?}");
    }
    assert_eq!(
        std::fs::read_dir(outside.path()).expect("outside").count(),
        0
    );
    // A link that stays inside content/ is the editor's own arrangement.
    let out = new_article(f.root(), "inlink/ok", "标题\"\\\ndate: 1");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(f.root().join("content/inner/ok.md")).expect("written");
    assert!(
        written.starts_with("---\ntitle: \"标题\\\"\\\\\\u000Adate: 1\"\n"),
        "{written}"
    );
    f.build_ok();
}

#[test]
fn character_references_in_wikilink_text_keep_the_link() {
    let f = Fixture::copy("hostile");
    f.write(
        "content/a.md",
        "---\ntitle: 甲\n---\n见[[good|A&lt;B]]与[[正常文章]]和[[A&amp;B]]。\n",
    );
    f.write("content/b.md", "---\ntitle: A&B\n---\n正文\n");
    f.build_ok();
    let page = f.output("a/index.html");
    assert!(
        page.contains("<a href=\"../good/index.html\">A&lt;B</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../b/index.html\">A&amp;B</a>"),
        "{page}"
    );
    assert!(!page.contains("[["), "{page}");
}

/// A clash and a script in a copied file read in Chinese from end to end in Chinese output
/// (issue 16: no English phrase spliced into a Chinese message).
#[test]
fn clashes_and_copied_scripts_are_worded_wholly_in_chinese() {
    let f = Fixture::empty();
    f.write("site.yaml", SITE);
    f.write(
        "content/a.md",
        "---\ntitle: 甲\naliases: [atom.xml/, 404.html]\n---\n正文\n",
    );
    f.write("content/pic.svg", "<svg><script>alert(1)</script></svg>");
    let found = match build::compile(&BuildOptions::new(f.root())) {
        Ok(site) => site.warnings,
        Err(found) => found,
    };
    let zh: Vec<String> = found
        .iter()
        .map(|d| {
            let root = format!("{}/", f.root().display());
            d.message
                .get(gongdu::diagnostic::Lang::ZhCn)
                .replace(&root, "")
        })
        .collect();
    for wanted in [
        "输出路径冲突：`atom.xml` 是一个文件（网站的订阅源），但content/a.md 中的别名需要同名的文件夹来存放 `atom.xml/index.html`",
        "输出路径冲突：`404.html` 会被写入两次：找不到页面时显示的页面和content/a.md 中的别名",
        "原样复制的文件中有 会运行代码的元素（<script>、<foreignObject>、框架或对象），浏览器会执行它",
    ] {
        assert!(zh.iter().any(|m| m == wanted), "{wanted}\nnot in {zh:#?}");
    }
    for m in &zh {
        let english = m.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
            [
                "would", "written", "alias", "needs", "folder", "element", "the",
            ]
            .contains(&w)
        });
        assert!(!english, "English words in {m}");
    }
}
