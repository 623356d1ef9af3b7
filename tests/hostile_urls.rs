//! Script URLs never reach a page: every spelling of a scheme outside the allow-list (http,
//! https, mailto, tel, relative), in a Markdown link or image, a front-matter `source.url` or a
//! site.yaml menu entry, fails the build at its file:line:column naming the scheme — and
//! `check` says the same — or, under `raw_html: trusted`, is a warning and plain text.

#[path = "support/site.rs"]
mod site;

use std::process::Command;

use site::{Fixture, attribute_values, percent_decode, snapshot_tree};
use unicode_normalization::UnicodeNormalization;

/// Links written in Markdown, each with the scheme the diagnostic must name. Each becomes its
/// own paragraph, so link `i` starts at line `4 + 2 * i`, column 1.
const MARKDOWN: [(&str, &str); 15] = [
    ("[这里](javascript:alert(document.domain))", "javascript"),
    ("[实体](&#x6A;avascript:alert(1))", "javascript"),
    ("[十进制](&#106;avascript:alert(1))", "javascript"),
    ("[大写](JavaScript:alert(1))", "javascript"),
    ("[空格](   javascript:alert(1))", "javascript"),
    ("[引用][坏]", "javascript"),
    ("<javascript:alert(1)>", "javascript"),
    ("[冒号](javascript&colon;alert(1))", "javascript"),
    ("[制表](java&#9;script:alert(1))", "javascript"),
    ("[百分号](%6Aavascript:alert(1))", "javascript"),
    ("[全角](ｊａｖａｓｃｒｉｐｔ：alert(1))", "javascript"),
    (
        "![图](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "data",
    ),
    ("[vb](vbscript:msgbox(1))", "vbscript"),
    ("[文件](file:///etc/passwd)", "file"),
    ("<DATA:text/html,x>", "data"),
];

const ALLOWED: &str = "[官网](https://www.acftu.org/) [信](mailto:a@example.org) \
                       [电话](tel:+861012345678) [本站](good.md) [小节](#甲)";

fn article() -> String {
    let mut text = String::from("---\ntitle: 链接\n---\n");
    for (markdown, _) in MARKDOWN {
        text.push_str(markdown);
        text.push_str("\n\n");
    }
    text.push_str(ALLOWED);
    text.push_str("\n\n[坏]: javascript:alert(2)\n\n## 甲\n");
    text
}

/// What each refused link must be reported as.
fn expected(level: &str) -> Vec<(String, String)> {
    MARKDOWN
        .iter()
        .enumerate()
        .map(|(i, (_, scheme))| {
            (
                format!("content/links.md:{}:1: {level}: ", 4 + 2 * i),
                format!("uses the `{scheme}:` scheme"),
            )
        })
        .collect()
}

fn assert_reported(shown: &[String], expected: &[(String, String)]) {
    assert_eq!(shown.len(), expected.len(), "{shown:#?}");
    for (line, (at, scheme)) in shown.iter().zip(expected) {
        assert!(
            line.starts_with(at.as_str()) && line.contains(scheme.as_str()),
            "expected `{at}…{scheme}`, got `{line}`"
        );
    }
}

/// `gongdu check` in English, with the diagnostic codes (`error[GD0509]:`) left out so that
/// its lines compare with the library's.
fn gongdu_check(f: &Fixture) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(["check", "--lang", "en"])
        .current_dir(f.root())
        .output()
        .expect("gongdu runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut plain = String::with_capacity(stderr.len());
    let mut rest = stderr.as_ref();
    while let Some(at) = rest.find("error[GD") {
        let coded = &rest[at..];
        match coded.find("]:") {
            Some(end) if end == "error[GD0000".len() => {
                plain.push_str(&rest[..at]);
                plain.push_str("error:");
                rest = &coded[end + 2..];
            }
            _ => {
                plain.push_str(&rest[..at + 1]);
                rest = &rest[at + 1..];
            }
        }
    }
    plain.push_str(rest);
    (out.status.code(), plain)
}

/// A URL as a browser could end up reading it from an attribute, decoded more than any browser
/// would: character references, percent-encoding, control characters and spaces, width, case.
fn decoded(value: &str) -> String {
    let mut s = value.to_owned();
    for _ in 0..3 {
        s = s
            .replace("&amp;", "&")
            .replace("&colon;", ":")
            .replace("&Tab;", "");
        while let Some(i) = s.find("&#") {
            let end = s[i..].find(';').map_or(s.len(), |e| i + e + 1);
            let body = s[i + 2..end].trim_end_matches(';');
            let code = match body.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => body.parse().ok(),
            };
            let c = code.and_then(char::from_u32).unwrap_or('?');
            s.replace_range(i..end, &c.to_string());
        }
        s = percent_decode(&s);
    }
    s.nfkc()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase()
}

/// The page without the theme's favicon tags, whose `href` is an inline SVG image
/// (`<link rel="icon" href="data:image/…">`): an image URL runs no script. Every other
/// `data:` URL is still refused.
fn without_image_icons(html: &str) -> String {
    const ICON: &str = "<link rel=\"icon\" href=\"data:image/";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ICON) {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        rest = tag.find('>').map_or("", |end| &tag[end + 1..]);
    }
    out.push_str(rest);
    out
}

fn assert_no_script_url_in(f: &Fixture) {
    let pages = snapshot_tree(&f.out());
    assert!(pages.len() > 3, "the site was built");
    for (rel, bytes) in pages {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = without_image_icons(&String::from_utf8_lossy(&bytes));
        for value in attribute_values(&html, &["href", "src", "action", "formaction"]) {
            let url = decoded(&value);
            for bad in ["javascript:", "vbscript:", "data:", "file:"] {
                assert!(!url.starts_with(bad), "{rel}: `{value}`");
            }
        }
    }
}

#[test]
fn script_urls_in_markdown_fail_the_build_at_their_position_and_in_check() {
    let f = Fixture::copy("hostile");
    f.write("content/links.md", &article());
    let errors = f.build_errors();
    let expected = expected("error");
    assert_reported(&f.shown(&errors), &expected);
    assert!(
        errors[0]
            .message
            .contains("javascript:alert(document.domain)")
    );
    assert!(!f.out().join("links").exists(), "nothing was published");

    let (code, stderr) = gongdu_check(&f);
    assert_eq!(code, Some(1), "{stderr}");
    for (at, scheme) in &expected {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(at.as_str()) && l.contains(scheme.as_str())),
            "check does not report `{at}…{scheme}`:\n{stderr}"
        );
    }
}

#[test]
fn trusted_sites_get_a_warning_and_plain_text_instead_of_the_link() {
    let f = Fixture::copy("hostile");
    f.write(
        "site.yaml",
        "title: 测试站\nmarkdown:\n  raw_html: trusted\n",
    );
    f.write("content/links.md", &article());
    let report = f.build_ok();
    assert_reported(&f.shown(&report.warnings), &expected("warning"));
    assert!(report.warnings[0].message.ends_with("shown as plain text"));
    let page = f.output("links/index.html");
    assert!(page.contains("<p>这里</p>"), "{page}");
    assert!(page.contains("<p>引用</p>"), "{page}");
    assert!(page.contains("<p>javascript:alert(1)</p>"), "{page}");
    assert!(page.contains("<p>图</p>"), "{page}");
    for kept in [
        "href=\"https://www.acftu.org/\"",
        "href=\"mailto:a@example.org\"",
        "href=\"tel:+861012345678\"",
        "href=\"#甲\"",
    ] {
        assert!(page.contains(kept), "{kept} lost: {page}");
    }
    assert_no_script_url_in(&f);
}

#[test]
fn script_urls_in_front_matter_sources_are_errors_at_the_value() {
    let f = Fixture::copy("hostile");
    f.write(
        "content/block.md",
        "---\ntitle: 块\nsource:\n  title: 人民日报\n  url: \"javascript:alert(1)\"\n---\n正文\n",
    );
    f.write(
        "content/flow.md",
        "---\ntitle: 行内\nsource: {url: \" JavaScript:alert(1)\"}\n---\n正文\n",
    );
    f.write(
        "content/list.md",
        "---\ntitle: 列表\nsource:\n  - title: 甲\n    url: https://example.org/\n  - title: 乙\n    url: \"java\\tscript:alert(1)\"\n---\n正文\n",
    );
    f.write(
        "content/entity.md",
        "---\ntitle: 实体\nsource:\n  url: \"&#x6A;avascript:alert(1)\"\n---\n正文\n",
    );
    f.write(
        "content/data.md",
        "---\ntitle: 数据\nsource:\n  url: data:text/html,x\n---\n正文\n",
    );
    let errors = f.build_errors();
    let shown = f.shown(&errors);
    let expected = [
        ("content/block.md:5:8: error: source url", "javascript"),
        ("content/data.md:4:8: error: source url", "data"),
        ("content/entity.md:4:8: error: source url", "javascript"),
        ("content/flow.md:3:9: error: source url", "javascript"),
        ("content/list.md:7:10: error: source url", "javascript"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(at, s)| (at.to_string(), format!("`{s}:` scheme")))
        .collect();
    let mut sorted = shown.clone();
    sorted.sort();
    assert_reported(&sorted, &expected);

    let (code, stderr) = gongdu_check(&f);
    assert_eq!(code, Some(1), "{stderr}");
    for (at, _) in &expected {
        assert!(stderr.contains(at.as_str()), "{at} missing:\n{stderr}");
    }
}

#[test]
fn script_urls_in_the_site_menu_are_errors_at_the_value() {
    let f = Fixture::copy("hostile");
    f.write(
        "site.yaml",
        "title: 测试站\nmenu:\n  - label: 首页\n    url: \"JavaScript:alert(1)\"\n  - label: 好\n    url: https://example.org/\n  - {label: 坏, url: \"vbscript:x\"}\n  - label: 制表\n    url: \"java\\tscript:x\"\n",
    );
    let errors = f.build_errors();
    let shown = f.shown(&errors);
    let expected: Vec<(String, String)> = [
        ("site.yaml:4:10: error: menu url", "javascript"),
        ("site.yaml:2:1: error: menu url", "vbscript"),
        ("site.yaml:9:10: error: menu url", "javascript"),
    ]
    .iter()
    .map(|(at, s)| (at.to_string(), format!("`{s}:` scheme")))
    .collect();
    assert_reported(&shown, &expected);

    let (code, stderr) = gongdu_check(&f);
    assert_eq!(code, Some(1), "{stderr}");
    for (at, _) in &expected {
        assert!(stderr.contains(at.as_str()), "{at} missing:\n{stderr}");
    }
}
