//! Markdown → HTML snapshots (reviewed by hand; `cargo insta review` after a deliberate change)
//! and the behaviours around them: links, ids, summaries, footnotes, length.

use std::path::PathBuf;

use super::*;
use crate::site::link;
use crate::source::{SourceFile, SourceKind, from_text};

fn doc(rel: &str, text: &str) -> Document {
    let kind = if rel.ends_with("_index.md") {
        SourceKind::Section
    } else if rel.ends_with("/index.md") {
        SourceKind::BundlePage
    } else {
        SourceKind::Page
    };
    let file = SourceFile {
        rel: rel.into(),
        path: PathBuf::from(rel),
        kind,
    };
    from_text(
        file,
        PathBuf::from(format!("content/{rel}")),
        text.to_owned(),
    )
    .expect("valid document")
}

/// Renders the first document of a small site made of `others` plus it.
fn render_in_site(
    main: Document,
    others: Vec<Document>,
    assets: &[&str],
) -> (RenderedDoc, Vec<Diagnostic>) {
    let config =
        crate::config::parse("title: 测试\n", std::path::Path::new("site.yaml")).expect("config");
    let mut docs = vec![main];
    docs.extend(others);
    let assets: Vec<SourceFile> = assets
        .iter()
        .map(|a| SourceFile {
            rel: (*a).into(),
            path: PathBuf::from(a),
            kind: SourceKind::Asset,
        })
        .collect();
    let docs = crate::site::TiVec::from(docs);
    let (map, diags) = link(&config, &docs, &assets);
    assert!(diags.is_empty(), "{diags:?}");
    let (knowledge, diags) = crate::knowledge::index(&config, &docs, &map);
    assert!(diags.is_empty(), "{diags:?}");
    let highlighter = Highlighter::new();
    let sanitizer = sanitize::Sanitizer::default();
    let env = RenderEnv {
        map: &map,
        highlighter: &highlighter,
        language: crate::config::Language::ZhCn,
        sanitizer: Some(&sanitizer),
        knowledge: &knowledge,
        packing: Default::default(),
    };
    let here = map
        .url_of_source(&docs.raw[0].file.rel)
        .expect("linked")
        .clone();
    let summary = match &docs.raw[0].meta {
        crate::source::DocMeta::Page(m) => m.summary.clone(),
        crate::source::DocMeta::Section(m) => m.summary.clone(),
    };
    render(&docs.raw[0], &here, summary.as_deref(), &env)
}

fn ids(r: &RenderedDoc) -> Vec<&str> {
    r.headings.iter().map(|h| h.id.as_str()).collect()
}

fn render_one(body: &str) -> RenderedDoc {
    let (rendered, diags) = render_in_site(
        doc("notes/a.md", &format!("---\ntitle: 甲\n---\n{body}")),
        vec![],
        &[],
    );
    assert!(diags.is_empty(), "{diags:?}");
    rendered
}

#[test]
fn study_note_with_every_construct() {
    let body = "\
导语段落，介绍**新质生产力**。

## 一、概念的提出

表格：

| 年份 | 事件 |
| --- | --- |
| 2023 | 首次提出 |

- [x] 读原文
- [ ] 写体会

~~错误说法~~，以及 3~5 年的范围。

## 二、意义 {#meaning}

引用出处[^src]，再次引用[^src]，另一个注[^2]。

```yaml
title: 新质生产力
```

```klingon
未知语言
```

[^src]: 徐留平，《组织动员亿万职工为发展新质生产力建功立业》，人民日报 2024-04-26。
[^2]: 第二个注。
";
    let r = render_one(body);
    insta::assert_snapshot!(r.html.unpack());
    assert_eq!(ids(&r), ["一概念的提出", "meaning"]);
}

#[test]
fn heading_ids_are_unique_and_toc_nests() {
    let r = render_one("## 背景\n### 细节\n### 细节\n## 背景\n#### 深\n");
    assert_eq!(ids(&r), ["背景", "细节", "细节-1", "背景-1", "深"]);
    let shape: Vec<(String, Vec<String>)> = r
        .toc
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                e.children.iter().map(|c| c.id.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (
                "背景".to_owned(),
                vec!["细节".to_owned(), "细节-1".to_owned()]
            ),
            ("背景-1".to_owned(), vec!["深".to_owned()])
        ]
    );
}

#[test]
fn links_to_markdown_files_become_relative_page_urls() {
    let main = doc(
        "history/a.md",
        "---\ntitle: 甲\n---\n见[乙](b.md#小节)、[驿站](../union/工会驿站.md)、[栏目](../union/_index.md)、[图](bundle/index.md)和[外部](https://example.org)。\n\n![图表](bundle/chart.svg)\n",
    );
    let others = vec![
        doc("history/b.md", "---\ntitle: 乙\n---\n"),
        doc("union/工会驿站.md", "---\ntitle: 驿站\n---\n"),
        doc("union/_index.md", "---\ntitle: 工会建设\n---\n"),
        doc("history/bundle/index.md", "---\ntitle: 图\n---\n"),
    ];
    let (r, diags) = render_in_site(main, others, &["history/bundle/chart.svg"]);
    assert!(diags.is_empty(), "{diags:?}");
    insta::assert_snapshot!(r.html.unpack());
}

#[test]
fn broken_links_are_errors_at_their_position() {
    let main = doc(
        "a.md",
        "---\ntitle: 甲\n---\n第一行\n\n正文[坏链接](missing.md)和![图](gone.png)。\n",
    );
    let (_, diags) = render_in_site(main, vec![], &[]);
    let shown: Vec<String> = diags
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}",
                d.path.display(),
                d.line,
                d.column,
                d.message
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "content/a.md:6:3: link to `missing.md`: there is no article content/missing.md",
            "content/a.md:6:21: image `gone.png`: there is no file content/gone.png",
        ]
    );
}

#[test]
fn summary_from_front_matter_then_more_marker_then_first_paragraph() {
    let fm = render_in_site(
        doc("a.md", "---\ntitle: 甲\nsummary: 前言<摘要>\n---\n正文。\n"),
        vec![],
        &[],
    )
    .0;
    assert_eq!(fm.summary_html, "<p>前言&lt;摘要&gt;</p>");
    let more =
        render_one("第一段。\n\n第二段[链接](https://x.org)。\n\n<!-- more -->\n\n第三段。\n");
    assert_eq!(more.summary_html, "<p>第一段。</p>\n<p>第二段链接。</p>\n");
    let first = render_one("## 标题\n\n第一段[^1]。\n\n第二段。\n\n[^1]: 注。\n");
    assert_eq!(first.summary_html, "<p>第一段。</p>\n");
}

#[test]
fn length_counts_cjk_characters_outside_code() {
    let r = render_one("工会驿站服务 12351 热线。\n\n```text\n不计入的代码\n```\n");
    assert_eq!((r.length.cjk, r.length.words), (8, 1));
}

#[test]
fn plain_text_keeps_words_apart_and_leaves_code_blocks_out() {
    let r = render_one("## 标题\n\n第一段**加粗**。\n\n- 甲\n- 乙\n\n```text\n代码\n```\n");
    assert_eq!(r.text.unpack(), "标题\n第一段加粗。\n甲\n乙\n");
}

#[test]
fn raw_html_is_cleaned_with_a_warning_at_its_line() {
    let main = doc(
        "a.md",
        "---\ntitle: 甲\n---\n导入的文字<sup>1</sup>。\n\n<script>alert(1)</script>\n\n<p onclick=\"steal()\">点击</p>\n",
    );
    let (r, diags) = render_in_site(main, vec![], &[]);
    let html = r.html.unpack();
    assert!(
        !html.contains("<script") && !html.contains("onclick"),
        "{html}"
    );
    assert!(
        html.contains("<sup>1</sup>") && html.contains("点击"),
        "{html}"
    );
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        shown,
        [
            "6:1: raw HTML with a <script> element was removed from the page",
            "8:1: raw HTML with an on… event handler was removed from the page",
        ]
    );
}
