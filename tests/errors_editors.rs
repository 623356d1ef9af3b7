//! The mistakes editors make most, reported the way an editor can act on: the cause first
//! and alone, every site.yaml problem in one run, hints for the slips of Chinese typing, and
//! menu entries that lead nowhere.

#[path = "support/site.rs"]
mod site;

use site::Fixture;

/// `basic` with four articles that link to `history/earliest.md` (title 最早的笔记) in every way
/// a page can be named: by path, by title, by path without `.md`, and with a heading.
fn much_linked() -> Fixture {
    let f = Fixture::copy("basic");
    for (i, link) in [
        "[最早](../history/earliest.md)",
        "[[最早的笔记]]",
        "[[history/earliest]]",
        "[[最早的笔记|第一篇笔记]]",
    ]
    .iter()
    .enumerate()
    {
        f.write(
            &format!("content/union/link-{i}.md"),
            &format!(
                "---\ntitle: 引用{i}\ndate: 2024-05-0{}\n---\n请先读{link}。\n",
                i + 1
            ),
        );
    }
    f
}

#[test]
fn a_misspelt_key_in_a_much_linked_article_is_the_one_error() {
    let f = much_linked();
    f.write(
        "content/history/earliest.md",
        "---\ntitel: 最早的笔记\ndate: 2023-01-01\n---\n第三篇。\n",
    );
    let errors = f.shown(&f.build_errors());
    assert_eq!(
        errors,
        ["content/history/earliest.md:2:1: error: unknown field `titel`"]
    );
}

#[test]
fn an_impossible_date_in_a_much_linked_article_is_the_one_error() {
    let f = much_linked();
    f.write(
        "content/history/earliest.md",
        "---\ntitle: 最早的笔记\ndate: 2023-02-30\n---\n第三篇。\n",
    );
    let errors = f.shown(&f.build_errors());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("content/history/earliest.md:3:7: error: "),
        "{errors:#?}"
    );
}

#[test]
fn a_page_whose_front_matter_does_not_parse_keeps_its_file_name_for_links() {
    let f = much_linked();
    // The YAML itself is broken, so not even the title can be read: links by path still hold.
    f.write(
        "content/history/earliest.md",
        "---\ntitle: [最早的笔记\n---\n第三篇。\n",
    );
    f.write(
        "content/union/link-1.md",
        "---\ntitle: 引用1\n---\n[[earliest]]\n",
    );
    f.write(
        "content/union/link-3.md",
        "---\ntitle: 引用3\n---\n[[history/earliest|第一篇]]\n",
    );
    let errors = f.shown(&f.build_errors());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("content/history/earliest.md:"),
        "{errors:#?}"
    );
}

/// The basic site with one more article, `content/union/slip.md`, whose front matter is `yaml`.
fn with_front_matter(yaml: &str) -> Fixture {
    let f = Fixture::copy("basic");
    f.write(
        "content/union/slip.md",
        &format!("---\n{yaml}---\n正文。\n"),
    );
    f
}

fn hint_of(f: &Fixture) -> String {
    let errors = f.build_errors();
    assert_eq!(errors.len(), 1, "{}", gongdu::diagnostic::report(&errors));
    let hint = errors[0].hint.as_ref().expect("a hint");
    hint.get(gongdu::diagnostic::Lang::ZhCn)
}

#[test]
fn a_colon_inside_a_title_gets_a_hint_to_quote_it() {
    let f = with_front_matter("title: 学习体会: 第一讲\ndate: 2024-05-08\n");
    assert_eq!(
        hint_of(&f),
        "值里含有“冒号加空格”，YAML 会把它当成又一个键；请给整个值加上引号：`title: \"学习体会: 第一讲\"`"
    );
}

#[test]
fn a_tab_used_for_indentation_gets_a_hint() {
    let f = with_front_matter("title: 学习\ntags:\n\t- 工运历史\n");
    assert!(hint_of(&f).contains("Tab"), "{}", hint_of(&f));
}

#[test]
fn a_full_width_colon_gets_a_hint() {
    for yaml in ["title：第一讲\n", "title：第一讲\ndate: 2024-05-08\n"] {
        let f = with_front_matter(yaml);
        assert!(hint_of(&f).contains("全角冒号"), "{yaml}: {}", hint_of(&f));
    }
}

#[test]
fn chinese_forms_of_a_date_are_read_with_a_warning_naming_the_iso_form() {
    for written in ["2024年5月8日", "2024.5.8", "2024/05/08"] {
        let f = with_front_matter(&format!("title: 学习\ndate: {written}\n"));
        let report = f.build_ok();
        assert_eq!(
            f.shown(&report.warnings),
            [format!(
                "content/union/slip.md:3:7: warning: `{written}` was read as 2024-05-08"
            )]
        );
        assert_eq!(report.warnings[0].code.id(), "GD0412");
        assert!(
            f.output("union/slip/index.html").contains("2024-05-08"),
            "the page carries the date read"
        );
    }
}

#[test]
fn an_impossible_chinese_date_is_still_an_error() {
    let f = with_front_matter("title: 学习\ndate: 2023年2月30日\n");
    let errors = f.build_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code.id(), "GD0402");
}

#[test]
fn tags_joined_by_chinese_separators_are_one_tag_with_a_warning() {
    for (yaml, value) in [
        ("tags: 苏区、劳模运动\n", "苏区、劳模运动"),
        ("tags: [工运历史，工会建设]\n", "工运历史，工会建设"),
        // Half-width commas make a list only inside brackets: this was one tag, silently.
        ("tags: 劳模精神, 工匠精神\n", "劳模精神, 工匠精神"),
    ] {
        let f = with_front_matter(&format!("title: 学习\n{yaml}"));
        let report = f.build_ok();
        assert_eq!(report.warnings.len(), 1, "{yaml}");
        let w = &report.warnings[0];
        assert_eq!((w.code.id(), w.line), ("GD0413", 3));
        assert!(w.message.contains(value), "{}", w.message);
        let hint = w.hint.as_ref().expect("hint");
        assert!(hint.contains("split_tags: true"), "{hint}");
    }
}

#[test]
fn split_tags_splits_on_chinese_separators_and_bare_commas() {
    let f = with_front_matter(
        "title: 学习\ntags: 苏区、劳模运动, 工匠精神\ntopics: [工运历史，工会建设]\n",
    );
    let config = f.root().join("site.yaml");
    let yaml = std::fs::read_to_string(&config).expect("site.yaml");
    std::fs::write(&config, format!("{yaml}split_tags: true\n")).expect("write");
    let report = f.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let page = f.output("union/slip/index.html");
    for name in ["苏区", "劳模运动", "工匠精神", "工运历史", "工会建设"] {
        assert!(
            page.contains(&format!(">{name}<")),
            "{name} is its own link"
        );
    }
}

#[test]
fn every_site_yaml_mistake_is_reported_in_one_run() {
    let text = "title: 站点\nlanguage: zh-TW\ntheem: default\nmenu:\n  - { label: 首页, url: / }\npagination:\n  page_size: 0\n";
    let errors =
        gongdu::config::parse(text, std::path::Path::new("site.yaml")).expect_err("three mistakes");
    let found: Vec<(&str, usize)> = errors.iter().map(|d| (d.code.id(), d.line)).collect();
    assert_eq!(
        found,
        [("GD0107", 2), ("GD0102", 3), ("GD0203", 7)],
        "{}",
        gongdu::diagnostic::report(&errors)
    );
    assert_eq!(errors[1].hint.as_deref(), Some("did you mean `theme`?"));
}

/// Values of the wrong kind were reported in serde's English with gongdu's Rust type names
/// ("expected struct FeedConfig"), even in a Chinese message. Each now says in Chinese what
/// the key wants and what was written, and in English names no Rust type.
#[test]
fn a_value_of_the_wrong_kind_is_explained_in_the_editors_words() {
    let f = Fixture::copy("basic");
    f.write(
        "site.yaml",
        "title: 站点\nfeed: false\nlanguage: zh\nsplit_tags: yes\n",
    );
    let zh = stderr_of_failing(f.root(), &["check", "--lang", "zh-CN"]);
    for said in [
        "site.yaml:2:7: 错误[GD0107]: 值不合要求：feed: 这里要一组设置（下一行起缩进，每行一个「键: 值」），写的却是真假值 `false`",
        "site.yaml:3:11: 错误[GD0107]: 值不合要求：language: 不认识 `zh`，可写：`zh-CN`、`en`",
        "site.yaml:4:13: 错误[GD0107]: 值不合要求：split_tags: 这里要 true 或 false，写的却是文字 \"yes\"",
    ] {
        assert!(zh.contains(said), "{said}\n{zh}");
    }
    let en = stderr_of_failing(f.root(), &["check", "--lang", "en"]);
    assert!(
        en.contains(
            "feed: invalid type: boolean `false`, expected settings written as `key: value` lines"
        ),
        "{en}"
    );
    assert!(
        !zh.contains("FeedConfig") && !en.contains("FeedConfig"),
        "{zh}{en}"
    );
}

/// Running gongdu outside a site's folder said the system's English inside the Chinese
/// message (`无法读取站点设置：No such file or directory (os error 2)`); the cause now comes
/// first in Chinese, with the system's words kept after it.
#[test]
fn a_missing_site_yaml_is_explained_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let said = stderr_of_failing(dir.path(), &["build"]);
    assert!(
        said.contains("错误[GD0201]: 无法读取站点设置：没有这个文件或文件夹（No such file"),
        "{said}"
    );
}

#[test]
fn a_menu_entry_that_leads_nowhere_is_an_error_at_its_line_in_site_yaml() {
    let f = Fixture::copy("basic");
    let config = f.root().join("site.yaml");
    let yaml = std::fs::read_to_string(&config).expect("site.yaml");
    let yaml = yaml.replace(
        "  - { label: 工会建设, url: union/ }\n",
        "  - { label: 工会建设, url: union/ }\n  - label: 笔记\n    url: notess/\n  - { label: 专题, url: topics/ }\n",
    );
    std::fs::write(&config, yaml).expect("write");
    let errors = f.shown(&f.build_errors());
    assert_eq!(
        errors,
        [
            "site.yaml:12:10: error: menu entry `笔记` links to `notess/`, which is no page of the site"
        ]
    );
}

/// What the binary says on stderr, run with `args` in `dir`, after checking it exits with 1
/// (the site's problems).
fn stderr_of_failing(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gongdu runs");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The `broken` site with a few more slips, checked by the binary in `lang` (None: the
/// site's, which is zh-CN by default).
fn checked(lang: Option<&str>) -> String {
    let f = Fixture::copy("broken");
    f.write(
        "content/colon.md",
        "---\ntitle: 学习体会: 第一讲\n---\n正文\n",
    );
    f.write(
        "content/dated.md",
        "---\ntitle: 按中文写的日期\ndate: 2024年5月8日\ntags: 苏区、劳模运动\n---\n见[[没有这一篇]]。\n",
    );
    let mut args = vec!["check"];
    if let Some(lang) = lang {
        args.extend(["--lang", lang]);
    }
    stderr_of_failing(f.root(), &args)
}

#[test]
fn diagnostics_in_chinese_by_default() {
    insta::assert_snapshot!(checked(None));
}

#[test]
fn diagnostics_in_english_with_lang_en() {
    insta::assert_snapshot!(checked(Some("en")));
}
