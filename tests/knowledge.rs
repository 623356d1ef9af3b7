//! The knowledge base on a fixture site (tests/fixtures/kb): wikilinks, backlinks, the
//! glossary, the timeline, related articles, study paths, citations, and the exact
//! diagnostics for wikilinks, anchors and images that lead nowhere.

#[path = "support/site.rs"]
mod site;

use site::{Fixture, check_links};

fn shown(d: &gongdu::diagnostic::Diagnostic, root: &std::path::Path) -> String {
    let path = d.path.strip_prefix(root).unwrap_or(&d.path);
    format!("{}:{}:{}: {}", path.display(), d.line, d.column, d.message)
}

fn errors_of(f: &Fixture) -> Vec<String> {
    f.build_errors()
        .iter()
        .map(|d| shown(d, f.root()))
        .collect()
}

/// The text of the page between `<main` and `</main>`.
fn main_of(f: &Fixture, rel: &str) -> String {
    let html = f.output(rel);
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("main end");
    html[start..end].to_owned()
}

fn built() -> Fixture {
    let f = Fixture::copy("kb");
    f.build_ok();
    f
}

#[test]
fn wikilinks_resolve_by_title_path_and_slug_with_anchors_and_display_text() {
    let f = built();
    let a = main_of(&f, "learn/a/index.html");
    // By title: the link shows the target's title.
    assert!(
        a.contains("<a href=\"../b/index.html\">工匠精神的培养</a>"),
        "{a}"
    );
    // By path, with a heading named by its text and display text after `|`.
    assert!(
        a.contains(
            "<a href=\"../c/index.html#%E4%B8%89%E5%AE%9E%E8%B7%B5%E8%B7%AF%E5%BE%84\">实践路径</a>"
        ),
        "{a}"
    );
    // Inside code, brackets stay text.
    assert!(a.contains("<code>[[不是链接]]</code>"));
    let d = main_of(&f, "history/d/index.html");
    assert!(
        d.contains("<a href=\"../../learn/a/index.html\">什么是新质生产力</a>"),
        "by path: {d}"
    );
    assert!(
        d.contains("<a href=\"../../learn/a/index.html\">概念文章</a>"),
        "by slug: {d}"
    );
    let (checked, broken) = check_links(&f.out(), "/");
    assert!(checked > 100);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn backlinks_list_linking_pages_with_the_sentence_of_the_link() {
    let f = built();
    let a = main_of(&f, "learn/a/index.html");
    let block = &a[a.find("链接到本页的文章").expect("backlinks block")..];
    assert!(block.contains(
        "<a class=\"backlink__title\" href=\"../../learn/b/index.html\">工匠精神的培养</a><q class=\"backlink__context\">培养工匠精神，先要读懂什么是新质生产力这篇文章。</q>"
    ), "{block}");
    assert!(
        block.contains("第一次全国劳动大会"),
        "wikilink by path counts"
    );
    // An ordinary .md link counts too: c links to b.
    let b = main_of(&f, "learn/b/index.html");
    assert!(
        b.contains("<a class=\"backlink__title\" href=\"../../learn/c/index.html\">实践</a>"),
        "{b}"
    );
    // No page lists itself, and a page nobody links to has no block.
    assert!(!main_of(&f, "history/d/index.html").contains("链接到本页的文章"));
}

/// 链接到本页的文章 lists articles: the home page and a section page that link to an article
/// (their introductions recommend it) are listings, not articles that cite it.
#[test]
fn backlinks_list_articles_not_the_home_or_section_pages() {
    let f = Fixture::copy("kb");
    f.write(
        "content/_index.md",
        "---\ntitle: 知识库测试\n---\n首页推荐 [[什么是新质生产力]]。\n",
    );
    f.write(
        "content/learn/_index.md",
        "---\ntitle: 学习\n---\n从 [[什么是新质生产力]] 读起。\n",
    );
    f.build_ok();
    assert!(
        f.output("index.html").contains("learn/a/index.html"),
        "the home page's link is there"
    );
    let a = main_of(&f, "learn/a/index.html");
    let block = &a[a.find("链接到本页的文章").expect("backlinks block")..];
    let block = &block[..block.find("</section>").expect("block end")];
    let titles: Vec<&str> = block
        .split("class=\"backlink__title\" href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(
        titles,
        ["../../learn/b/index.html", "../../history/d/index.html"],
        "{block}"
    );
}

#[test]
fn first_use_of_a_term_links_to_its_entry_with_an_accessible_definition() {
    let f = built();
    let a = main_of(&f, "learn/a/index.html");
    assert_eq!(
        a.matches("class=\"gd-term\"").count(),
        1,
        "first use only: {a}"
    );
    assert!(a.contains(
        "<span class=\"gd-term\"><a class=\"gd-term__link\" href=\"../../glossary/xin-zhi-sheng-chan-li/index.html\" aria-describedby=\"gd-term-1\">新质生产力</a><span class=\"gd-term__tip\" role=\"tooltip\" id=\"gd-term-1\"><span class=\"gd-term__name\">新质生产力</span>由技术革命性突破"
    ), "{a}");
    // Not in headings (一、概念 has no term) nor inside links (工匠精神的培养 is a link).
    assert!(!a.contains("gong-jiang-jing-shen"), "{a}");
    // `glossary: false` turns it off.
    assert!(!main_of(&f, "learn/c/index.html").contains("gd-term"));
    // An entry does not link its own term, but links others.
    let entry = main_of(&f, "glossary/gong-jiang-jing-shen/index.html");
    let body = &entry[entry.find("article__body").expect("body")..];
    assert!(
        body.contains("gd-term__link\" href=\"../lao-dong-zhe/index.html\""),
        "{body}"
    );
    assert_eq!(body.matches("class=\"gd-term\"").count(), 1, "{body}");
    // Listing summaries leave the tooltip out.
    let listing = f.output("learn/index.html");
    assert!(!listing.contains("gd-term__tip"), "{listing}");
}

#[test]
fn glossary_page_sorts_by_pinyin_under_initials_and_entries_list_uses_and_related_terms() {
    let f = built();
    let g = main_of(&f, "glossary/index.html");
    let pos = |s: &str| g.find(s).unwrap_or_else(|| panic!("{s} missing: {g}"));
    assert!(pos("id=\"letter-G\"") < pos("工匠精神</a>"));
    assert!(pos("工匠精神</a>") < pos("id=\"letter-L\""));
    assert!(pos("劳动者</a>") < pos("id=\"letter-X\""));
    assert!(pos("id=\"letter-X\"") < pos("新质生产力</a>"));
    assert!(
        g.contains("gōng jiàng jīng shén"),
        "tone-marked pinyin: {g}"
    );
    let entry = main_of(&f, "glossary/xin-zhi-sheng-chan-li/index.html");
    assert!(entry.contains("<p class=\"glossary-entry__definition\">由技术革命性突破"));
    assert!(entry.contains("新质生产力理论"), "synonyms shown");
    let uses = &entry[entry.find("使用这个术语的文章").expect("uses")..];
    assert!(uses.contains("什么是新质生产力"), "{uses}");
    assert!(!uses.contains(">实践<"), "glossary: false is not a use");
    let related = &entry[entry.find("相关术语").expect("related terms")..];
    assert!(related.contains("工匠精神"));
}

#[test]
fn timeline_groups_events_by_year_links_back_and_filters_by_topic_without_javascript() {
    let f = built();
    let t = main_of(&f, "timeline/index.html");
    let pos = |s: &str| t.find(s).unwrap_or_else(|| panic!("{s} missing: {t}"));
    assert!(pos("id=\"year-1922\"") < pos("第一次全国劳动大会在广州召开"));
    assert!(pos("第一次全国劳动大会在广州召开") < pos("id=\"year-1925\""));
    assert!(pos("id=\"year-1925\"") < pos("id=\"year-2023\""));
    assert!(t.contains("<time class=\"event__date\" datetime=\"2023-09\">2023年9月</time>"));
    assert!(t.contains(
        "<a class=\"event__source\" href=\"../learn/a/index.html\">什么是新质生产力</a>"
    ));
    let topic = main_of(&f, "timeline/工运历史/index.html");
    assert!(topic.contains("中华全国总工会成立"));
    assert!(
        !topic.contains("首次提出新质生产力"),
        "other topics left out"
    );
    assert!(
        t.contains("href=\"../timeline/工运历史/index.html\""),
        "filter links"
    );
}

#[test]
fn related_articles_come_from_shared_topics_and_links_and_are_deterministic() {
    let f = built();
    let a = main_of(&f, "learn/a/index.html");
    let related = &a[a.find("相关文章").expect("related block")..];
    let b = related.find("工匠精神的培养").expect("b is related");
    let d = related.find("第一次全国劳动大会").expect("d links to a");
    assert!(b < d, "shared topic and links rank higher: {related}");
    assert!(
        !related.contains("glossary/"),
        "glossary entries are not articles"
    );
    let again = Fixture::copy("kb");
    again.build_ok();
    assert_eq!(main_of(&again, "learn/a/index.html"), a);
}

#[test]
fn study_paths_number_articles_link_neighbours_and_print_questions() {
    let f = built();
    let index = main_of(&f, "paths/index.html");
    assert!(
        index.contains("<a href=\"../paths/ru-men/index.html\">新质生产力入门</a>"),
        "{index}"
    );
    assert!(index.contains("三篇文章读懂新质生产力"));
    let path = main_of(&f, "paths/ru-men/index.html");
    let order: Vec<usize> = ["什么是新质生产力", "工匠精神的培养", "实践</a>"]
        .iter()
        .map(|t| path.find(t).unwrap_or_else(|| panic!("{t}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{path}");
    assert!(path.contains("data-progress-page=\"learn/a/index.html\""));
    let b = main_of(&f, "learn/b/index.html");
    assert!(b.contains("第 2 篇 / 共 3 篇"));
    assert!(b.contains("href=\"../../learn/a/index.html\">\n      <span class=\"article-pager__label\">上一篇（本路线）"), "{b}");
    assert!(b.contains("href=\"../../learn/c/index.html\">\n      <span class=\"article-pager__label\">下一篇（本路线）"));
    let a = main_of(&f, "learn/a/index.html");
    assert!(a.contains("<h2 class=\"questions__title\" id=\"gd-questions\">思考题</h2>"));
    assert!(a.contains("<li>新质生产力“新”在哪里？</li>"));
    // The published stylesheet is minified: one rule `.questions{…}` in the print rules.
    let css = f.output(&site::published(&f.out(), "assets/gongdu.css"));
    let print = &css[css.rfind("@media print").expect("print rules")..];
    let rule = print
        .split(".questions{")
        .nth(1)
        .and_then(|r| r.split('}').next());
    assert!(
        rule.is_some_and(|r| r.split(';').any(|d| d == "display:block")),
        "questions print: {rule:?}"
    );
}

#[test]
fn sources_render_as_chinese_citations() {
    let f = built();
    let d = main_of(&f, "history/d/index.html");
    assert!(d.contains(
        "<span class=\"citation__author\">学习小组</span>：<cite class=\"citation__title\">《回顾劳动大会》</cite>，<span class=\"citation__pub\">《人民日报》</span><span class=\"citation__date\">2024年4月26日</span><span class=\"citation__page\">第9版</span>。 <a class=\"citation__url\" href=\"https://example.org/article\">原文链接</a>"
    ), "{d}");
}

#[test]
fn a_missing_wikilink_target_is_an_error_at_its_position() {
    let f = Fixture::copy("kb");
    f.write(
        "content/learn/bad.md",
        "---\ntitle: 坏链接\n---\n前文\n见 [[不存在的页面]]。\n",
    );
    assert_eq!(
        errors_of(&f),
        [
            "content/learn/bad.md:5:3: wikilink `[[不存在的页面]]` matches no page title, synonym, slug or path"
        ]
    );
}

#[test]
fn an_ambiguous_wikilink_names_every_candidate() {
    let f = Fixture::copy("kb");
    f.write("content/learn/x.md", "---\ntitle: 同名\n---\n");
    f.write("content/history/y.md", "---\ntitle: 同名\n---\n");
    f.write(
        "content/learn/bad.md",
        "---\ntitle: 坏链接\n---\n读 [[同名]] 和 [[learn/x]]。\n",
    );
    assert_eq!(
        errors_of(&f),
        [
            "content/learn/bad.md:4:3: wikilink `[[同名]]` is ambiguous: 2 pages have this title: content/history/y.md, content/learn/x.md"
        ]
    );
}

#[test]
fn broken_anchors_and_missing_images_are_errors_at_their_positions() {
    let f = Fixture::copy("kb");
    f.write(
        "content/learn/bad.md",
        "---\ntitle: 坏锚点\n---\n[[什么是新质生产力#没有这节]]\n\n[上一篇](b.md#nope) ![图](gone.png)\n\n[本页](#也没有)\n",
    );
    assert_eq!(
        errors_of(&f),
        [
            "content/learn/bad.md:4:1: wikilink `[[什么是新质生产力#没有这节]]`: content/learn/a.md has no heading `没有这节`",
            "content/learn/bad.md:6:1: link to `b.md#nope`: content/learn/b.md has no heading `nope`",
            "content/learn/bad.md:6:18: image `gone.png`: there is no file content/learn/gone.png",
            "content/learn/bad.md:8:1: link to `#也没有`: this page has no heading `也没有`",
        ]
    );
}

#[test]
fn glossary_and_study_path_mistakes_are_errors_in_front_matter() {
    let f = Fixture::copy("kb");
    f.write(
        "content/glossary/kong.md",
        "---\ntitle: 空\nrelated: [没有的术语]\n---\n",
    );
    f.write(
        "content/learn/e.md",
        "---\ntitle: 第四篇\nseries: 新质生产力入门\norder: 2\n---\n",
    );
    f.write(
        "content/learn/f.md",
        "---\ntitle: 无序\nseries: 新质生产力入门\n---\n",
    );
    assert_eq!(
        errors_of(&f),
        [
            "content/glossary/kong.md:2:1: the glossary entry has no `definition`",
            "content/learn/e.md:4:1: `order: 2` in study path `新质生产力入门` is taken by content/learn/b.md too",
            "content/learn/f.md:3:9: the article names a `series` but not its `order`",
        ]
    );
}

#[test]
fn misspelt_knowledge_base_fields_suggest_the_right_name() {
    let f = Fixture::copy("kb");
    f.write(
        "content/learn/typo.md",
        "---\ntitle: 错字\nqeustions: [问？]\n---\n",
    );
    let errors = f.build_errors();
    assert_eq!(
        shown(&errors[0], f.root()),
        "content/learn/typo.md:3:1: unknown field `qeustions`"
    );
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `questions`?"));
}
