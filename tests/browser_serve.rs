//! An open page reloads by itself when its article is saved (`gongdu serve` in a real
//! headless Chromium), and shows the error overlay while the article is broken.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::time::Duration;

#[test]
fn an_open_page_reloads_after_an_edit_and_shows_errors() {
    let Some(browser) = browser::Browser::launch().expect("Chromium starts when installed") else {
        return;
    };
    let f = site::Fixture::copy("basic");
    let server = server::Server::start(&f);
    let mut page = browser.new_page().expect("tab");
    // Navigate without waiting for `load`: the live-reload stream is long-lived by design.
    let url = format!(
        "http://127.0.0.1:{}/history/earliest/index.html",
        server.port
    );
    page.navigate_no_wait(&url).expect("navigates");
    page.wait_for(
        "document.querySelector('h1').textContent.includes('最早的笔记')",
        Duration::from_secs(30),
    )
    .expect("page");
    page.eval("window.__beforeReload = true").expect("mark");
    page.wait_for(
        "window.gongduLive && window.gongduLive.readyState === 1",
        Duration::from_secs(30),
    )
    .expect("live stream open");

    let article = f.root().join("content/history/earliest.md");
    let good = std::fs::read_to_string(&article).expect("read");
    std::fs::write(&article, good.replace("最早的笔记", "保存后自动刷新")).expect("save");
    page.wait_for(
        "window.__beforeReload === undefined && document.querySelector('h1').textContent.includes('保存后自动刷新')",
        Duration::from_secs(30),
    )
    .expect("the page reloaded with the new title");

    std::fs::write(&article, "---\ntitle: 坏\ndate: 昨天\n---\n").expect("break");
    page.wait_for(
        "document.getElementById('gongdu-problems') && document.getElementById('gongdu-problems').textContent.includes('earliest.md:3:7')",
        Duration::from_secs(30),
    )
    .expect("the overlay names the file and position");
    std::fs::write(&article, good).expect("fix");
    page.wait_for("!document.getElementById('gongdu-problems') && document.querySelector('h1').textContent.includes('最早的笔记')", Duration::from_secs(30))
        .expect("fixing the file clears the overlay");
    page.check_no_errors().expect("no script errors");
}

#[test]
fn error_text_with_lone_carriage_returns_shows_in_the_overlay_without_reloads() {
    let Some(browser) = browser::Browser::launch().expect("Chromium starts when installed") else {
        return;
    };
    let f = site::Fixture::copy("basic");
    let server = server::Server::start(&f);
    let mut page = browser.new_page().expect("tab");
    let url = format!(
        "http://127.0.0.1:{}/history/earliest/index.html",
        server.port
    );
    page.navigate_no_wait(&url).expect("navigates");
    page.wait_for(
        "window.gongduLive && window.gongduLive.readyState === 1",
        Duration::from_secs(30),
    )
    .expect("live stream open");
    page.eval("window.__notReloaded = true").expect("mark");
    // An old Mac file: lines end with a lone CR, and one of them reads like an event.
    let article = f.root().join("content/history/earliest.md");
    std::fs::write(
        &article,
        "---\rtitle: 坏\rdate: 昨天\revent: reload\rdata: x\r\r---\r正文\r",
    )
    .expect("break");
    page.wait_for(
        "document.getElementById('gongdu-problems') && document.getElementById('gongdu-problems').textContent.includes('event: reload')",
        Duration::from_secs(30),
    )
    .expect("the overlay shows the whole text");
    std::thread::sleep(Duration::from_secs(1));
    page.wait_for("window.__notReloaded === true", Duration::from_secs(5))
        .expect("the text did not make the page reload");
}
