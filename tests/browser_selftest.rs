//! Checks our wrapper over chromiumoxide (`tests/support/browser.rs`) on small pages: that
//! it records what the other browser tests assert on (exceptions, console errors, failed
//! loads over file:// and HTTP), maps keys and modifiers, and times out instead of hanging.
//! Skips when Chromium is absent unless GONGDU_REQUIRE_BROWSER=1.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use browser::{Browser, file_url};
use serde_json::json;

const PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>static title</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<img id="missing" src="missing-image.png" alt="">
<input id="q" type="text">
<p id="keys"></p>
<script>
document.title = "set by script";
document.addEventListener("keydown", (e) => {
  const mods = (e.ctrlKey ? "C-" : "") + (e.shiftKey ? "S-" : "");
  document.getElementById("keys").textContent += mods + e.key + ";";
});
console.error("selftest console error", 42);
</script>
<script>throw new Error("selftest boom");</script>
</body></html>
"#;

const CLEAN_PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>clean</title></head>
<body><p>fine</p><script>document.body.dataset.ok = "1";</script></body></html>
"#;

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("index.html");
    fs::write(&page, PAGE).expect("write");
    fs::write(dir.path().join("clean 页.html"), CLEAN_PAGE).expect("write");
    (dir, page)
}

#[test]
fn records_errors_and_failed_loads_and_returns_eval_results() {
    let Some(browser) = Browser::launch().expect("Chromium starts when installed") else {
        return;
    };
    println!("browser: {}", browser.version().expect("version"));
    let (dir, page_path) = fixture();
    let mut page = browser.new_page().expect("tab");
    page.goto(&file_url(&page_path).expect("url"))
        .expect("opens");

    assert_eq!(
        page.eval("document.title").expect("eval"),
        json!("set by script")
    );
    assert_eq!(
        page.eval("new Promise(r => setTimeout(() => r({a: [1, 'x']}), 10))")
            .expect("eval"),
        json!({"a": [1, "x"]})
    );
    assert_eq!(page.eval("undefined").expect("eval"), json!(null));
    assert_eq!(page.eval("0 / 0").expect("eval"), json!("NaN"));
    let err = page
        .eval("throw new TypeError('eval boom')")
        .expect_err("throws");
    assert!(err.contains("TypeError: eval boom"), "{err}");
    let err = page
        .eval("Promise.reject(new Error('rejected boom'))")
        .expect_err("rejects");
    assert!(err.contains("rejected boom"), "{err}");

    let errors = page.console_errors().to_vec();
    assert!(
        errors
            .iter()
            .any(|e| e.source == "exception" && e.text.contains("selftest boom")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.source == "console" && e.text == "selftest console error 42"),
        "{errors:#?}"
    );
    assert!(
        !errors.iter().any(|e| e.text.contains("eval boom")),
        "exceptions of eval are returned, not recorded: {errors:#?}"
    );
    let failed = page.failed_requests().to_vec();
    assert!(
        failed
            .iter()
            .any(|r| r.url.ends_with("/missing-image.png") && r.resource_type == "Image"),
        "{failed:#?}"
    );
    assert!(page.check_no_errors().is_err());

    // After clearing, a clean page (a path with a space and Chinese) records nothing.
    page.clear_errors();
    page.goto(&file_url(&dir.path().join("clean 页.html")).expect("url"))
        .expect("opens");
    assert_eq!(
        page.eval("document.body.dataset.ok").expect("eval"),
        json!("1")
    );
    page.check_no_errors().expect("clean");

    let err = page
        .goto(&file_url(&dir.path().join("nope.html")).expect("url"))
        .expect_err("a missing file is a navigation error");
    assert!(err.contains("ERR_FILE_NOT_FOUND"), "{err}");
}

#[test]
fn keys_viewport_screenshot_and_scripts_off() {
    let Some(browser) = Browser::launch().expect("Chromium starts when installed") else {
        return;
    };
    let (dir, page_path) = fixture();
    let url = file_url(&page_path).expect("url");
    let mut page = browser.new_page().expect("tab");
    page.set_viewport(360, 640, true).expect("viewport");
    page.goto(&url).expect("opens");
    assert_eq!(page.eval("window.innerWidth").expect("eval"), json!(360));
    assert_eq!(
        page.eval("navigator.maxTouchPoints > 0").expect("eval"),
        json!(true)
    );
    let shot = dir.path().join("shot.png");
    page.screenshot_png(&shot).expect("screenshot");
    let png = fs::read(&shot).expect("read");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!((be(16), be(20)), (360, 640), "PNG size");

    page.eval("document.getElementById('q').focus()")
        .expect("focus");
    page.type_text("héllo").expect("type");
    for key in ["Backspace", "/", "Shift+Z", "Enter"] {
        page.press_key(key).expect("key");
    }
    assert_eq!(
        page.eval("document.getElementById('q').value")
            .expect("eval"),
        json!("héll/Z")
    );
    page.eval("document.activeElement.blur()").expect("blur");
    for key in ["Control+k", "Escape", "ArrowDown"] {
        page.press_key(key).expect("key");
    }
    assert_eq!(
        page.eval("document.getElementById('keys').textContent")
            .expect("eval"),
        json!("Backspace;/;S-Z;Enter;C-k;Escape;ArrowDown;")
    );
    assert!(page.press_key("NoSuchKey").is_err());

    let mut no_js = browser.new_page().expect("tab");
    no_js.set_javascript_enabled(false).expect("js off");
    no_js.goto(&url).expect("opens");
    assert_eq!(
        no_js.eval("document.title").expect("eval"),
        json!("static title")
    );
}

#[test]
fn waits_time_out_instead_of_hanging() {
    let Some(browser) = Browser::launch().expect("Chromium starts when installed") else {
        return;
    };
    let mut page = browser.new_page().expect("tab");
    let err = page
        .wait_for("false", Duration::from_millis(300))
        .expect_err("never true");
    assert!(err.contains("timed out"), "{err}");
    page.eval("setTimeout(() => { window.late = 'here'; }, 200)")
        .expect("eval");
    page.wait_for("window.late.length === 4", Duration::from_secs(5))
        .expect("keeps polling through exceptions");

    page.set_timeout(Duration::from_millis(500));
    let started = Instant::now();
    let err = page
        .eval("new Promise(() => {})")
        .expect_err("never settles");
    assert!(err.contains("timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    page.set_timeout(Duration::from_secs(10));
    assert_eq!(page.eval("6 * 7").expect("still usable"), json!(42));
}

#[test]
fn http_error_statuses_are_failed_loads() {
    let Some(browser) = Browser::launch().expect("Chromium starts when installed") else {
        return;
    };
    let f = site::Fixture::copy("basic");
    let server = server::Server::start(&f);
    let base = format!("http://127.0.0.1:{}", server.port);
    let mut page = browser.new_page().expect("tab");
    page.navigate_no_wait(&format!("{base}/history/earliest/index.html"))
        .expect("navigates");
    page.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('h1')",
        Duration::from_secs(30),
    )
    .expect("page");
    page.clear_errors();
    page.eval(
        "new Promise(r => { const i = new Image(); i.onerror = r; i.src = '/missing.png';
           document.body.append(i); })",
    )
    .expect("the image fails");
    let failed = page.failed_requests().to_vec();
    assert_eq!(failed.len(), 1, "{failed:#?} {:#?}", page.console_errors());
    assert_eq!(failed[0].url, format!("{base}/missing.png"));
    assert_eq!(failed[0].error, "HTTP 404");
    assert_eq!(failed[0].resource_type, "Image");
}
