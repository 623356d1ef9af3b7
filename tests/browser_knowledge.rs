//! The knowledge base in a real headless Chromium over `file://`: a glossary term's definition
//! appears on keyboard focus and on hover with JavaScript turned off (CSS alone), and a
//! reader's study-path progress survives a reload and shows on the path's page.
//! Skips when Chromium is absent unless GONGDU_REQUIRE_BROWSER=1 (as in CI).

#[path = "support/browser.rs"]
mod browser;
#[path = "support/site.rs"]
mod site;

use std::time::Duration;

use browser::{Browser, file_url};
use serde_json::json;
use site::Fixture;

fn launch() -> Option<Browser> {
    Browser::launch().expect("Chromium starts when it is installed")
}

/// `visible` when the definition box is shown and takes room on the page, `hidden` otherwise.
const TIP_VISIBILITY: &str = "(() => { const tip = document.querySelector('.gd-term__tip'); const s = getComputedStyle(tip); return s.display !== 'none' && s.visibility === 'visible' && tip.getBoundingClientRect().width > 0 ? 'visible' : 'hidden'; })()";

#[test]
fn glossary_definition_shows_on_focus_and_hover_without_javascript() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("kb");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    page.set_javascript_enabled(false).expect("js off");
    page.goto(&file_url(&f.out().join("learn/a/index.html")).expect("url"))
        .expect("opens");
    // gongdu.js did not run: the print button it adds is still hidden.
    assert_eq!(
        page.eval("document.querySelector('.article__tools').hidden")
            .expect("eval"),
        json!(true)
    );
    assert_eq!(page.eval(TIP_VISIBILITY).expect("eval"), json!("hidden"));
    // The definition is the link's accessible description.
    assert_eq!(
        page.eval("document.getElementById(document.querySelector('.gd-term__link').getAttribute('aria-describedby')).textContent").expect("eval"),
        json!("新质生产力由技术革命性突破、生产要素创新性配置、产业深度转型升级而催生的先进生产力。")
    );

    // Keyboard: Tab until the term link has focus.
    let mut focused = false;
    for _ in 0..60 {
        page.press_key("Tab").expect("tab key");
        if page
            .eval("document.activeElement && document.activeElement.classList.contains('gd-term__link')")
            .expect("eval")
            == json!(true)
        {
            focused = true;
            break;
        }
    }
    assert!(focused, "the term link is reachable with Tab");
    assert_eq!(page.eval(TIP_VISIBILITY).expect("eval"), json!("visible"));
    page.eval("document.activeElement.blur()").expect("blur");
    assert_eq!(page.eval(TIP_VISIBILITY).expect("eval"), json!("hidden"));

    // Mouse: hover over the term.
    let rect = page
        .eval("(() => { const r = document.querySelector('.gd-term__link').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        .expect("eval");
    let (x, y) = (rect[0].as_f64().expect("x"), rect[1].as_f64().expect("y"));
    page.move_mouse(x, y).expect("mouse");
    page.wait_for(
        &format!("{TIP_VISIBILITY} === 'visible'"),
        Duration::from_secs(5),
    )
    .expect("definition shows on hover");
    page.check_no_errors().expect("no errors");
}

#[test]
fn study_path_progress_persists_across_a_reload_over_file_urls() {
    let Some(browser) = launch() else { return };
    let f = Fixture::copy("kb");
    f.build_ok();
    let mut page = browser.new_page().expect("tab");
    let article = file_url(&f.out().join("learn/b/index.html")).expect("url");
    page.goto(&article).expect("opens");
    page.wait_for(
        "document.querySelector('.study-progress input')",
        Duration::from_secs(5),
    )
    .expect("the mark-as-read checkbox appears with JavaScript");
    assert_eq!(
        page.eval("document.querySelector('.study-progress input').checked")
            .expect("eval"),
        json!(false)
    );
    page.eval("document.querySelector('.study-progress input').click()")
        .expect("click");
    page.goto(&article).expect("reload");
    page.wait_for(
        "document.querySelector('.study-progress input')",
        Duration::from_secs(5),
    )
    .expect("checkbox again");
    assert_eq!(
        page.eval("document.querySelector('.study-progress input').checked")
            .expect("eval"),
        json!(true),
        "progress survives the reload"
    );
    page.goto(&file_url(&f.out().join("paths/ru-men/index.html")).expect("url"))
        .expect("path page");
    page.wait_for(
        "!document.querySelector('.path-progress').hidden",
        Duration::from_secs(5),
    )
    .expect("progress shown");
    assert_eq!(
        page.eval("[...document.querySelectorAll('.path-step.is-read')].map(li => li.dataset.progressPage)").expect("eval"),
        json!(["learn/b/index.html"])
    );
    assert_eq!(
        page.eval("document.querySelector('.path-progress').textContent")
            .expect("eval"),
        json!("，已读 1 篇")
    );
    // The list of paths shows each path's progress too.
    page.goto(&file_url(&f.out().join("paths/index.html")).expect("url"))
        .expect("paths page");
    page.wait_for(
        "!document.querySelector('.study-path-card .path-progress').hidden",
        Duration::from_secs(5),
    )
    .expect("progress on the list of paths");
    assert_eq!(
        page.eval("[...document.querySelectorAll('.study-path-card .path-progress')].map(s => s.textContent)")
            .expect("eval"),
        json!(["，已读 1 篇"])
    );
    page.check_no_errors().expect("no errors");
}
