//! The sample site as its readers meet it, in a real headless Chromium: on a 360×780 phone
//! the text of every article starts on the first screen and the menu opens without
//! JavaScript; feeds carry plain text; printed articles have no blank page; the 404 page is
//! styled and its links lead somewhere at any depth; axe-core finds nothing in light or dark.
//! Skips when Chromium is absent unless GONGDU_REQUIRE_BROWSER=1 (as in CI).

#[path = "support/browser.rs"]
mod browser;
#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::path::{Path, PathBuf};
use std::time::Duration;

use browser::{Browser, Page, file_url};

fn launch() -> Option<Browser> {
    Browser::launch().expect("Chromium starts when it is installed")
}

/// Builds the repository's own sample site into a temporary folder.
fn sample_site() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("tempdir");
    let mut options = gongdu::build::BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    options.output = Some(out.path().join("public"));
    gongdu::build::build(&options, None).expect("sample site builds");
    let public = out.path().join("public");
    (out, public)
}

/// Every article page of the built site (alias pages, which only forward, left out).
fn article_files(public: &Path) -> Vec<PathBuf> {
    site::snapshot_tree(public)
        .into_iter()
        .filter(|(p, bytes)| {
            let html = String::from_utf8_lossy(bytes);
            p.ends_with("index.html")
                && html.contains("<body class=\"kind-page\"")
                && !html.contains("http-equiv=\"refresh\"")
        })
        .map(|(p, _)| public.join(p))
        .collect()
}

fn open(page: &mut Page<'_>, file: &Path) {
    page.goto(&file_url(file).expect("url"))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    page.wait_for(
        "document.readyState === 'complete'",
        Duration::from_secs(20),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
}

#[test]
fn every_sample_article_starts_its_text_on_a_phones_first_screen() {
    let Some(browser) = launch() else { return };
    let (_keep, public) = sample_site();
    let articles = article_files(&public);
    assert!(articles.len() > 40, "{} articles", articles.len());
    let mut phone = browser.new_page().expect("tab");
    phone.set_viewport(360, 780, true).expect("viewport");
    for file in &articles {
        open(&mut phone, file);
        let top = phone
            .eval(
                "(() => { const p = document.querySelector('.article__body p');
                   return p ? p.getBoundingClientRect().top + scrollY : -1; })()",
            )
            .expect("eval");
        let top = top.as_f64().expect("a number");
        assert!(top >= 0.0, "{}: no body paragraph", file.display());
        assert!(
            top < 780.0,
            "{}: the first paragraph starts at y = {top} px, below the first screen",
            file.display()
        );
        // The metadata keeps to one line: no taller than its line height allows.
        let meta = phone
            .eval(
                "(() => { const m = document.querySelector('.article__meta');
                   if (!m) return true;
                   return m.getBoundingClientRect().height
                     <= 1.5 * parseFloat(getComputedStyle(m).lineHeight); })()",
            )
            .expect("eval");
        assert_eq!(
            meta,
            serde_json::json!(true),
            "{}: metadata wraps",
            file.display()
        );
    }
}

#[test]
fn the_phone_menu_opens_without_javascript_and_is_always_shown_on_a_desktop() {
    let Some(browser) = launch() else { return };
    let (_keep, public) = sample_site();
    let article = public.join("union/longyan-smart-union/index.html");
    // A closed <details> skips its content's rendering (`content-visibility: hidden`), which
    // `checkVisibility` sees and a bounding box does not.
    let visible_links = "[...document.querySelectorAll('.site-nav__link')]
                           .filter(a => a.checkVisibility()).length";

    let mut phone = browser.new_page().expect("tab");
    phone.set_javascript_enabled(false).expect("js off");
    phone.set_viewport(360, 780, true).expect("viewport");
    open(&mut phone, &article);
    assert_eq!(
        phone.eval(visible_links).expect("eval"),
        serde_json::json!(0)
    );
    // A tap on the button: the page's own scripts are off, the click is the browser's.
    let button = phone
        .eval(
            "(() => { const r = document.querySelector('.site-menu__button')
                 .getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()",
        )
        .expect("eval");
    let (x, y) = (
        button[0].as_f64().expect("x"),
        button[1].as_f64().expect("y"),
    );
    phone.click_at(x, y).expect("tap");
    let shown = phone.eval(visible_links).expect("eval");
    assert!(shown.as_u64().expect("count") >= 8, "menu opened: {shown}");

    let mut desktop = browser.new_page().expect("tab");
    desktop.set_javascript_enabled(false).expect("js off");
    desktop.set_viewport(1280, 800, false).expect("viewport");
    open(&mut desktop, &article);
    let shown = desktop.eval(visible_links).expect("eval");
    assert!(shown.as_u64().expect("count") >= 8, "desktop menu: {shown}");
    let folded = desktop
        .eval(
            "['.toc__list', '.sources__list'].every(s =>
               document.querySelector(s).checkVisibility())",
        )
        .expect("eval");
    assert_eq!(
        folded,
        serde_json::json!(true),
        "contents and citation shown on a desktop"
    );
}

/// Feed readers show no tooltips: a term's definition spliced into the sentence is what the
/// reader would see. Every entry's content is plain text for terms.
#[test]
fn no_glossary_markup_in_any_feed() {
    let (_keep, public) = sample_site();
    let mut feeds = 0;
    for (path, bytes) in site::snapshot_tree(&public) {
        if !path.ends_with("atom.xml") {
            continue;
        }
        feeds += 1;
        let xml = String::from_utf8(bytes).expect("utf-8");
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        for node in doc
            .descendants()
            .filter(|n| matches!(n.tag_name().name(), "content" | "summary"))
        {
            let html = node.text().unwrap_or("");
            assert!(
                !html.contains("gd-term") && !html.contains("role=\"tooltip\""),
                "{path}: glossary markup in a feed entry: {}",
                &html[..html.len().min(300)]
            );
        }
    }
    assert!(feeds >= 2, "the site feed and topic feeds: {feeds}");
    // The words stay: the sample articles that link 新质生产力 still say it in the feed.
    let atom = std::fs::read_to_string(public.join("atom.xml")).expect("atom.xml");
    assert!(atom.contains("新质生产力"));
}

/// A term inside a cited title (《…》) is part of the title, not a use of the term.
#[test]
fn no_term_is_linked_inside_a_cited_title() {
    let (_keep, public) = sample_site();
    let mut linked = 0;
    for (path, bytes) in site::snapshot_tree(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let mut depth = 0usize;
        let mut rest = &html[..];
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("<span class=\"gd-term\">") {
                linked += 1;
                assert_eq!(
                    depth,
                    0,
                    "{path}: a term linked inside 《》: {}",
                    &rest[..200]
                );
            } else if rest.starts_with("</p>") {
                depth = 0;
            } else if c == '《' {
                depth += 1;
            } else if c == '》' {
                depth = depth.saturating_sub(1);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    assert!(linked > 20, "terms are still linked elsewhere: {linked}");
}

/// Pages of a printed article, each with its text (poppler-utils' `pdfinfo` and
/// `pdftotext`), or `None` when poppler-utils is missing and not required.
fn pdf_pages(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("page.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let info = match std::process::Command::new("pdfinfo").arg(&file).output() {
        Ok(o) => o,
        Err(_) if !browser_required() => {
            println!("pdfinfo not found (poppler-utils); skipping");
            return None;
        }
        Err(e) => panic!("pdfinfo (poppler-utils) is required: {e}"),
    };
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo: {info}"));
    let text = |n: usize| {
        let out = std::process::Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string()])
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    Some((1..=pages).map(text).collect())
}

fn browser_required() -> bool {
    std::env::var("GONGDU_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

#[test]
fn printed_articles_have_no_blank_page_no_screen_controls_and_a_running_head() {
    let Some(browser) = launch() else { return };
    let (_keep, public) = sample_site();
    let mut page = browser.new_page().expect("tab");
    page.set_viewport(1280, 900, false).expect("viewport");
    let site_name = "工读 · 职工理论学习知识库";
    let screen_only = [
        "打印讲义",
        "查看完整的大事记",
        "跳到正文",
        "上一篇（本路线）",
        "标记为已读",
    ];
    let mut printed = 0;
    for file in article_files(&public) {
        open(&mut page, &file);
        let pdf = page.print_pdf().expect("printToPDF");
        let Some(pages) = pdf_pages(&pdf) else { return };
        printed += 1;
        for (n, text) in pages.iter().enumerate() {
            let body: String = text
                .replace(site_name, "")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            assert!(
                body.chars().count() > 40,
                "{}: page {} of {} is (nearly) blank: {body:?}",
                file.display(),
                n + 1,
                pages.len()
            );
            assert!(
                text.contains(site_name),
                "{}: page {} has no running head",
                file.display(),
                n + 1
            );
            for control in screen_only {
                assert!(
                    !text.contains(control),
                    "{}: page {} prints the screen control {control}",
                    file.display(),
                    n + 1
                );
            }
        }
    }
    assert!(printed > 40);
}

/// Where each link of the 404 page leads, as the browser resolved it.
fn link_targets(page: &mut Page<'_>) -> Vec<String> {
    let hrefs = page
        .eval(
            "[...document.querySelectorAll('main a[href], .site-header a[href]')].map(a => a.href)
               .filter(h => h.startsWith(location.protocol === 'file:' ? 'file:' : location.origin))",
        )
        .expect("eval");
    let hrefs: Vec<String> = serde_json::from_value(hrefs).expect("strings");
    assert!(hrefs.len() > 8, "links on the 404 page: {hrefs:?}");
    hrefs
}

fn styled(page: &mut Page<'_>) -> bool {
    page.eval(
        "getComputedStyle(document.querySelector('.brand__seal')).borderTopLeftRadius !== '0px'
         && getComputedStyle(document.querySelector('.site-header')).borderTopStyle === 'solid'",
    )
    .expect("eval")
        == serde_json::json!(true)
}

#[test]
fn the_404_page_is_styled_and_its_links_lead_to_pages_at_any_depth() {
    let Some(browser) = launch() else { return };
    let f = site::Fixture::copy("basic");
    // Published under a path of its own, which neither file:// nor `serve` has.
    let config = std::fs::read_to_string(f.root().join("site.yaml")).expect("site.yaml");
    f.write(
        "site.yaml",
        &format!("{config}\nbase_url: https://example.org/study/\n"),
    );
    f.build_ok();
    let mut page = browser.new_page().expect("tab");

    // Over file://, opened as a learning centre's copy would show it.
    open(&mut page, &f.out().join("404.html"));
    assert!(styled(&mut page), "404.html is styled over file://");
    for href in link_targets(&mut page) {
        let url = url::Url::parse(&href).expect("a URL");
        let path = url.to_file_path().expect("a file URL");
        let path = if href.ends_with('/') {
            path.join("index.html")
        } else {
            path
        };
        assert!(
            path.is_file(),
            "404.html over file:// links to {href}, which is missing"
        );
    }

    // Under `serve`, at depths where the page's own relative links would be wrong.
    let server = server::Server::start(&f);
    for missing in [
        "/no-such-page",
        "/history/no/such/page/",
        "/topics/不存在/index.html",
    ] {
        page.clear_errors();
        let address =
            url::Url::parse(&format!("http://127.0.0.1:{}{missing}", server.port)).expect("a URL");
        page.goto(address.as_str()).expect("opens");
        assert!(styled(&mut page), "the 404 page at {missing} is styled");
        // The page itself answers 404, which the browser logs; nothing else may fail.
        let failed: Vec<String> = page
            .failed_requests()
            .iter()
            .filter(|r| r.resource_type != "Document")
            .map(|r| format!("{}: {}", r.url, r.error))
            .collect();
        assert!(failed.is_empty(), "{missing}: {failed:?}");
        let errors: Vec<String> = page
            .console_errors()
            .iter()
            .filter(|e| {
                let url = e.url.as_deref().unwrap_or("");
                !(e.source == "network" && url == address.as_str())
            })
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{missing}: {errors:?}");
        for href in link_targets(&mut page) {
            let url = url::Url::parse(&href).expect("a URL");
            let (status, _, _) = server.get(url.path());
            assert_eq!(status, 200, "the 404 page at {missing} links to {href}");
        }
    }
}

/// axe-core's browser script: `GONGDU_AXE`, or where `.ci/run` unpacks `npm pack axe-core@4`
/// (target/npm/package/axe.min.js). `None` (skip) when it is missing, unless
/// GONGDU_REQUIRE_BROWSER=1.
fn axe_source() -> Option<String> {
    let path = std::env::var_os("GONGDU_AXE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/npm/package/axe.min.js"),
        PathBuf::from,
    );
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) if browser_required() => panic!(
            "axe-core is required (GONGDU_REQUIRE_BROWSER=1) but {} cannot be read: {e}; \
             .ci/run fetches it with `npm pack axe-core@4`",
            path.display()
        ),
        Err(_) => {
            println!("axe-core not found at {}; skipping", path.display());
            None
        }
    }
}

#[test]
fn axe_finds_nothing_in_light_or_dark_on_a_desktop_or_a_phone() {
    let Some(browser) = launch() else { return };
    let Some(axe) = axe_source() else { return };
    let (_keep, public) = sample_site();
    let pages = [
        "index.html",
        "union/longyan-smart-union/index.html",
        "history/jing-han-tie-lu-da-ba-gong/index.html",
        "productivity/index.html",
        "glossary/index.html",
        "glossary/xin-zhi-sheng-chan-li/index.html",
        "timeline/index.html",
        "paths/index.html",
        "topics/index.html",
        "search/index.html",
        "404.html",
    ];
    let mut problems = Vec::new();
    for (width, height, mobile) in [(1280, 900, false), (360, 780, true)] {
        for dark in [false, true] {
            let mut page = browser.new_page().expect("tab");
            page.set_viewport(width, height, mobile).expect("viewport");
            page.set_dark(dark).expect("colour scheme");
            page.add_init_script(&axe).expect("axe");
            for rel in pages {
                let file = public.join(rel);
                open(&mut page, &file);
                // The search page with results showing, as a reader sees it.
                if rel.starts_with("search/") {
                    let url = format!("{}?q=%E5%B7%A5%E4%BC%9A", file_url(&file).expect("url"));
                    page.goto(&url).expect("opens");
                    page.wait_for(
                        "document.querySelectorAll('.search-result, .search-results li').length > 0",
                        Duration::from_secs(20),
                    )
                    .expect("results show");
                }
                let found = page
                    .eval(
                        "axe.run(document, { resultTypes: ['violations'] }).then(r =>
                           r.violations.map(v => v.id + ' (' + v.impact + '): '
                             + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
                    )
                    .expect("axe runs");
                let found: Vec<String> = serde_json::from_value(found).expect("strings");
                let scheme = if dark { "dark" } else { "light" };
                problems.extend(
                    found
                        .into_iter()
                        .map(|v| format!("{rel} at {width} px, {scheme}: {v}")),
                );
            }
        }
    }
    assert!(problems.is_empty(), "axe-core:\n{}", problems.join("\n"));
}

/// The sitemap lists every page a reader can reach from the menu, the knowledge base's own
/// pages included; the glossary's letter links are valid fragments; footnotes have a heading.
#[test]
fn sitemap_letters_and_footnotes_name_what_they_hold() {
    let (_keep, public) = sample_site();
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).expect("sitemap");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap parses");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for wanted in [
        "/timeline/index.html",
        "/paths/index.html",
        "/paths/gong-yun-li-shi-ru-men/index.html",
    ] {
        assert!(
            locs.iter().any(|l| l.ends_with(wanted)),
            "sitemap lacks {wanted}"
        );
    }
    let glossary = std::fs::read_to_string(public.join("glossary/index.html")).expect("glossary");
    for href in site::attribute_values(&glossary, &["href"]) {
        if let Some(fragment) = href.strip_prefix('#') {
            assert!(
                fragment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "glossary letter link #{fragment}"
            );
            assert!(
                glossary.contains(&format!("id=\"{fragment}\"")),
                "#{fragment} has a target"
            );
        }
    }
    let article = std::fs::read_to_string(public.join("union/longyan-smart-union/index.html"))
        .expect("article");
    assert!(article.contains("<section class=\"footnotes\" role=\"doc-endnotes\" aria-labelledby=\"footnotes-title\">\n<h2 class=\"visually-hidden\" id=\"footnotes-title\">注释</h2>"));
}

/// The search page does not move under the reader while results arrive: cumulative layout
/// shift (Chromium's own measure, from a `PerformanceObserver`) stays below 0.05 at both
/// widths. Each result is drawn once, complete: the first page of results arrives in one
/// batch, and nothing inside a result changes after it is shown (no snippet or detail added
/// in a later stage that would grow it).
#[test]
fn the_search_page_does_not_shift_while_results_arrive() {
    let Some(browser) = launch() else { return };
    let (_keep, public) = sample_site();
    let search = file_url(&public.join("search/index.html")).expect("url");
    for (width, height, mobile) in [(1280, 900, false), (360, 780, true)] {
        let mut page = browser.new_page().expect("tab");
        page.set_viewport(width, height, mobile).expect("viewport");
        page.add_init_script(
            "window.__shift = 0;
             new PerformanceObserver(list => {
               for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
             }).observe({ type: 'layout-shift', buffered: true });
             window.__batches = 0;
             window.__late = [];
             new MutationObserver(list => {
               let added = false;
               for (const m of list) {
                 const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
                 const inResult = node && node.closest('.search-result');
                 if (inResult) window.__late.push(m.type + ' in ' + inResult.textContent.slice(0, 20));
                 if (m.type === 'childList' && node && node.id === 'search-results'
                     && [...m.addedNodes].some(n => n.classList && n.classList.contains('search-result'))) {
                   added = true;
                 }
               }
               if (added) window.__batches += 1;
             }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });",
        )
        .expect("observer");
        for query in [
            "%E5%B7%A5%E4%BC%9A",
            "%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B",
        ] {
            page.goto(&format!("{search}?q={query}")).expect("opens");
            page.wait_for(
                "document.querySelectorAll('.search-result').length > 0",
                Duration::from_secs(20),
            )
            .expect("results show");
            // Let late snippets and the count settle before reading the sum.
            std::thread::sleep(Duration::from_millis(800));
            let shift = page.eval("window.__shift").expect("eval");
            let shift = shift.as_f64().expect("a number");
            assert!(
                shift < 0.05,
                "layout shift {shift:.3} at {width} px for ?q={query}"
            );
            let drawn = page
                .eval("[window.__batches, window.__late]")
                .expect("eval");
            assert_eq!(
                drawn,
                serde_json::json!([1, []]),
                "results drawn in one batch and not changed after, at {width} px for ?q={query}"
            );
        }
    }
}

/// The home page's one heading of rank 1 opens its main content and says what is there,
/// instead of repeating the site's name, which the header's home link already shows.
#[test]
fn the_home_pages_heading_does_not_repeat_the_site_name() {
    let (_keep, public) = sample_site();
    let home = std::fs::read_to_string(public.join("index.html")).expect("home");
    let h1s: Vec<&str> = home.split("<h1").skip(1).collect();
    assert_eq!(h1s.len(), 1, "one h1 on the home page");
    let text = h1s[0]
        .split_once('>')
        .and_then(|(_, rest)| rest.split_once("</h1>"))
        .map(|(text, _)| text)
        .expect("a closed h1");
    assert_eq!(text, "本站导读");
    let main = &home[home.find("<main").expect("main")..];
    assert!(main.contains("<h1"), "the h1 is inside <main>");
    assert!(
        home.contains("<span class=\"brand__name\">工读 · 职工理论学习知识库</span>"),
        "the header still names the site"
    );
}
