//! The built site in a real headless Chromium, opened from `file://` the way a learning
//! centre's USB copy is opened: every page loads its styles, scripts and images, links lead
//! to real pages, the layout fits a 360 px phone, and pages read with JavaScript off.
//! Skips when Chromium is absent unless GONGDU_REQUIRE_BROWSER=1 (as in CI).

#[path = "support/browser.rs"]
mod browser;
#[path = "support/site.rs"]
mod site;

use std::path::Path;

use browser::{Browser, file_url};
use site::Fixture;

fn launch() -> Option<Browser> {
    Browser::launch().expect("Chromium starts when it is installed")
}

fn html_files(out: &Path) -> Vec<std::path::PathBuf> {
    site::snapshot_tree(out)
        .into_keys()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .map(|p| out.join(p))
        .collect()
}

#[test]
fn every_page_of_the_fixture_loads_with_styles_and_no_errors_from_file_urls() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("basic");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    let files = html_files(&f.out());
    assert!(files.len() > 20);
    for file in &files {
        page.clear_errors();
        page.goto(&file_url(file).expect("url"))
            .expect("page opens");
        // An alias page forwards at once (`<meta http-equiv=refresh content=0>`): check the
        // page it lands on, once that has loaded, not the one being left.
        page.wait_for(
            "document.readyState === 'complete' && !document.querySelector('meta[http-equiv=refresh]')",
            std::time::Duration::from_secs(20),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        page.check_no_errors()
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let styled = page
            // Every linked stylesheet loaded: the theme's, and the syntax colours exactly on
            // the pages that show highlighted code.
            .eval(
                "getComputedStyle(document.querySelector('.skip-link')).position !== 'static'
                   && [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)
                   && !!document.querySelector('link[href*=\"assets/gongdu.\"][href$=\".css\"]')
                   && !!document.querySelector('link[href*=\"assets/syntax.\"][href$=\".css\"]')
                      === !!document.querySelector('pre.code')",
            )
            .expect("eval");
        assert_eq!(
            styled,
            serde_json::json!(true),
            "{}: stylesheets not applied",
            file.display()
        );
    }
}

#[test]
fn images_load_and_links_lead_to_pages() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("basic");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    page.goto(&file_url(&f.out().join("union/station-photos/index.html")).expect("url"))
        .expect("opens");
    let width = page
        .eval("document.querySelector('main img').naturalWidth")
        .expect("eval");
    assert_eq!(width, serde_json::json!(120), "the colocated SVG loads");

    // Follow links by clicking, from the home page to an article and on to its topic page.
    page.goto(&file_url(&f.out().join("index.html")).expect("url"))
        .expect("opens");
    page.eval("[...document.querySelectorAll('main a')].find(a => a.textContent.includes('书记部')).click()").expect("click");
    page.wait_for("document.querySelector('h1') && document.querySelector('h1').textContent.includes('中国劳动组合书记部')", std::time::Duration::from_secs(10))
        .expect("article opened");
    page.eval("[...document.querySelectorAll('main a')].find(a => a.textContent.trim() === '工运历史' && a.href.includes('topics')).click()").expect("click");
    page.wait_for("location.href.includes('topics') && document.querySelector('h1').textContent.includes('工运历史')", std::time::Duration::from_secs(10))
        .expect("topic page opened");
    page.check_no_errors().expect("no errors while navigating");
}

#[test]
fn sample_site_fits_a_phone_and_reads_without_javascript() {
    let Some(browser) = launch() else { return };
    let out = tempfile::tempdir().expect("tempdir");
    let mut options = gongdu::build::BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    options.output = Some(out.path().join("public"));
    gongdu::build::build(&options, None).expect("sample site builds");
    let public = out.path().join("public");

    let mut phone = browser.new_page().expect("tab");
    phone.set_viewport(360, 740, true).expect("viewport");
    let files = html_files(&public);
    for file in &files {
        phone.clear_errors();
        phone.goto(&file_url(file).expect("url")).expect("opens");
        phone
            .check_no_errors()
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let overflow = phone
            .eval("document.documentElement.scrollWidth - window.innerWidth")
            .expect("eval");
        assert_eq!(
            overflow,
            serde_json::json!(0),
            "{} scrolls sideways at 360 px",
            file.display()
        );
    }

    let mut no_js = browser.new_page().expect("tab");
    no_js.set_javascript_enabled(false).expect("js off");
    let article = public.join("productivity/xin-zhi-sheng-chan-li-gai-nian/index.html");
    no_js
        .goto(&file_url(&article).expect("url"))
        .expect("opens");
    let text = no_js
        .eval("document.querySelector('main').innerText")
        .expect("eval");
    let text = text.as_str().expect("text");
    assert!(
        text.contains("新质生产力") && text.len() > 2000,
        "article text readable without JS"
    );
    let toc_links = no_js
        .eval("document.querySelectorAll('nav a[href^=\"#\"]').length")
        .expect("eval");
    assert!(
        toc_links.as_u64().expect("count") >= 3,
        "table of contents present without JS"
    );
}
