//! Building fixture sites end to end: what is written where, links that work from file://,
//! drafts, feeds, and byte-identical rebuilds.

#[path = "support/site.rs"]
mod site;

use site::{Fixture, check_links, snapshot_tree};

#[test]
fn basic_site_writes_every_kind_of_output() {
    let f = Fixture::copy("basic");
    let report = f.build_ok();
    for path in [
        "index.html",
        "history/index.html",
        "history/page/2/index.html",
        "history/shu-ji-bu/index.html",
        "history/安源大罢工/index.html",
        "history/soviet/lao-mo/index.html",
        "history/soviet/index.html",
        "union/station-photos/index.html",
        "union/station-photos/diagram.svg",
        "union/station-photos/notes.txt",
        "topics/index.html",
        "topics/工运历史/index.html",
        "topics/工运历史/page/2/index.html",
        "topics/工运历史/atom.xml",
        "tags/早期工运/index.html",
        "authors/历史学习小组/index.html",
        "atom.xml",
        "robots.txt",
        "404.html",
        "old/shuji/index.html",
        "readme.txt",
        ".gongdu-output",
    ] {
        assert!(f.out().join(path).is_file(), "missing {path}");
    }
    // The theme's stylesheet and the highlighting one, under content-hashed names.
    for asset in ["assets/gongdu.css", "assets/syntax.css"] {
        let path = site::published(&f.out(), asset);
        assert!(f.out().join(&path).is_file(), "missing {path}");
    }
    // No base_url: no sitemap (it needs absolute URLs).
    assert!(!f.out().join("sitemap.xml").exists());
    // 7 articles, 6 section listing pages, 3 taxonomy lists, 10 term pages, the search page
    // and the 404 page.
    assert_eq!(report.pages, 28);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let f = Fixture::copy("basic");
    f.build_ok();
    assert!(!f.out().join("union/draft/index.html").exists());
    assert!(
        !f.output("topics/工会建设/index.html")
            .contains("未完成的草稿")
    );
    f.build_drafts().expect("drafts build");
    assert!(f.output("union/draft/index.html").contains("未完成的草稿"));
}

#[test]
fn every_internal_link_and_asset_resolves_in_the_output() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let (checked, broken) = check_links(&f.out(), "/");
    assert!(checked > 200, "only {checked} references checked");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn links_are_relative_so_the_site_works_from_file_urls() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let page = f.output("history/shu-ji-bu/index.html");
    for reference in site::attribute_values(&page, &["href", "src"]) {
        assert!(!reference.starts_with('/'), "absolute path {reference}");
    }
    let css = site::published(&f.out(), "assets/gongdu.css");
    assert!(
        page.contains(&format!("href=\"../../{css}\"")),
        "stylesheet link"
    );
    // Markdown links to other .md files point at the page, with the heading anchor kept.
    assert!(page.contains("href=\"../%E5%AE%89%E6%BA%90%E5%A4%A7%E7%BD%A2%E5%B7%A5/index.html#%E7%BD%A2%E5%B7%A5%E7%BB%8F%E8%BF%87\""), "{page}");
    assert!(page.contains("href=\"../soviet/lao-mo/index.html\""));
}

#[test]
fn building_twice_gives_identical_bytes() {
    let a = Fixture::copy("basic");
    let b = Fixture::copy("basic");
    a.build_ok();
    b.build_ok();
    a.build_ok();
    let (ta, tb) = (snapshot_tree(&a.out()), snapshot_tree(&b.out()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between builds");
    }
}

#[test]
fn pages_order_and_neighbours_follow_the_section_sort() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let guide = f.output("guide/index.html");
    let start = guide.find("开始写作").expect("listed");
    let front = guide.find("前言字段").expect("listed");
    assert!(start < front, "weight 1 before weight 2");
    let first = f.output("guide/start/index.html");
    assert!(
        first.contains("href=\"../front-matter/index.html\""),
        "next link"
    );
    // Date order: newest first; page 2 holds the oldest.
    assert!(f.output("history/page/2/index.html").contains("最早的笔记"));
}

#[test]
fn feeds_list_newest_entries_with_escaped_content() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let feed = f.output("atom.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    let first = feed
        .find("<title>工会驿站图解</title>")
        .expect("newest entry");
    let later = feed
        .find("<title>苏区劳模运动</title>")
        .expect("older entry");
    assert!(first < later);
    assert!(feed.contains("&lt;p&gt;"), "HTML content is escaped");
    let topic = f.output("topics/工运历史/atom.xml");
    assert!(topic.contains("苏区劳模运动") && !topic.contains("工会驿站图解"));
}

#[test]
fn base_url_adds_sitemap_canonical_links_and_absolute_feed_links() {
    let f = Fixture::copy("basic");
    let mut options = f.options();
    options.base_url = Some("https://study.example.org/kb".into());
    gongdu::build::build(&options, None).expect("build");
    let sitemap = f.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://study.example.org/kb/history/%E5%AE%89%E6%BA%90%E5%A4%A7%E7%BD%A2%E5%B7%A5/index.html</loc><lastmod>2024-02-01</lastmod>"), "{sitemap}");
    assert!(
        f.output("robots.txt")
            .contains("Sitemap: https://study.example.org/kb/sitemap.xml")
    );
    assert!(f.output("history/shu-ji-bu/index.html").contains(
        "rel=\"canonical\" href=\"https://study.example.org/kb/history/shu-ji-bu/index.html\""
    ));
    assert!(
        f.output("atom.xml")
            .contains("href=\"https://study.example.org/kb/union/station-photos/index.html\"")
    );
    // The 404 page is served at any depth, so its links start from the site's path (its
    // script moves them when it is shown elsewhere) and its stylesheet is inlined.
    let not_found = f.output("404.html");
    assert!(not_found.contains("href=\"/kb/index.html\""), "{not_found}");
    let css = f.output(&site::published(&f.out(), "assets/gongdu.css"));
    assert!(not_found.contains(&format!("<style>{}</style>", css.replace("</", "<\\/"))));
    assert!(!not_found.contains("rel=\"stylesheet\""));
    let (_, broken) = check_links(&f.out(), "/kb/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn aliases_redirect_relatively_to_the_page() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let alias = f.output("old/shuji/index.html");
    assert!(
        alias.contains("content=\"0; url=../../history/shu-ji-bu/index.html\""),
        "{alias}"
    );
}

#[test]
fn page_shows_citation_toc_footnotes_and_taxonomy_links() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let page = f.output("history/shu-ji-bu/index.html");
    for expected in [
        "<h1",
        "中国劳动组合书记部",
        "工人日报学习体会",
        "href=\"#成立经过\"",
        "id=\"fn-1\"",
        "href=\"../../topics/工运历史/index.html\"",
        "href=\"../../tags/劳动组合书记部/index.html\"",
        "lang=\"zh-CN\"",
    ] {
        assert!(page.contains(expected), "missing {expected}");
    }
    let multi = f.output("history/soviet/lao-mo/index.html");
    assert!(
        multi.contains("劳模运动在苏区的早期实践与历史意义") && multi.contains("人民日报"),
        "both sources cited"
    );
}

#[test]
fn english_interface_strings_are_available() {
    let f = Fixture::copy("basic");
    let yaml = std::fs::read_to_string(f.root().join("site.yaml")).expect("read");
    f.write(
        "site.yaml",
        &yaml.replace("language: zh-CN", "language: en"),
    );
    f.build_ok();
    let page = f.output("history/shu-ji-bu/index.html");
    assert!(page.contains("lang=\"en\""));
    assert!(page.contains("1 March 2024"), "English date");
    assert!(!page.contains("跳到正文"), "no Chinese UI string left");
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let f = Fixture::copy("basic");
    f.write(
        "templates/404.html",
        "<!DOCTYPE html><title>自定义 404</title><p>{{ site.title }}</p>",
    );
    f.write("static/assets/gongdu.css", "body { color: red }");
    f.build_ok();
    assert_eq!(
        f.output("404.html"),
        "<!DOCTYPE html><title>自定义 404</title><p>测试知识库</p>"
    );
    // Published minified, under its content's hash, like the theme's own.
    let css = site::published(&f.out(), "assets/gongdu.css");
    assert_eq!(f.output(&css), "body{color:red}");
    // Templates it did not override still come from the default theme.
    assert!(f.output("index.html").contains("skip-link"));
}

/// The as-you-type index (`search/quick.js`) offers headings while the site has at most 1,500
/// of them, and only titles and tags beyond, unless `search.quick_headings` says otherwise.
#[test]
fn the_quick_list_offers_headings_on_sites_with_few_of_them() {
    let f = Fixture::empty();
    let article = |headings: usize| {
        let sections: String = (1..=headings)
            .map(|i| format!("## 第{i}节\n\n班组长带领青年职工学习操作规程。\n\n"))
            .collect();
        format!("---\ntitle: 班组学习记录\ndate: 2024-05-01\n---\n\n{sections}")
    };
    let quick = |f: &Fixture| {
        f.build_ok();
        std::fs::read_to_string(f.out().join("search/quick.js")).expect("quick index")
    };
    f.write("site.yaml", "title: 职工书屋\n");
    f.write("content/notes/one.md", &article(3));
    let small = quick(&f);
    assert!(
        small.contains("\"班组学习记录 › 第2节\",\"notes/one/index.html#"),
        "a heading with its page's title and anchor"
    );
    assert!(small.contains("\"heading\"]"));

    // 3 + 1,498 = 1,501 headings: one too many.
    f.write("content/notes/two.md", &article(1_498));
    let large = quick(&f);
    assert!(!large.contains("\"heading\"]"), "no headings");
    assert!(large.contains("\"班组学习记录\",\"notes/two/index.html\",\"page\"]"));

    f.write(
        "site.yaml",
        "title: 职工书屋\nsearch:\n  quick_headings: true\n",
    );
    assert!(quick(&f).contains("\"班组学习记录 › 第1498节\""));
}
