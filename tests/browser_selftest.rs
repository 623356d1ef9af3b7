//! Exercises the headless-Chromium test helper (`tests/support/browser.rs`)
//! against real pages. Skips (with "chromium not found; skipping") when no
//! browser is installed, unless `GONGDU_REQUIRE_BROWSER=1`.

#[path = "support/browser.rs"]
mod browser;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use browser::{Browser, file_url};
use serde_json::json;

const PAGE: &str = r#"<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>static title</title>
</head>
<body>
<h1>selftest</h1>
<img id="missing" src="missing-image.png" alt="">
<input id="q" type="text">
<p id="keys"></p>
<script>
document.title = "set by script";
document.body.dataset.ran = "yes";
document.addEventListener("keydown", (e) => {
  const mods = (e.ctrlKey ? "C-" : "") + (e.shiftKey ? "S-" : "");
  document.getElementById("keys").textContent += mods + e.key + ";";
});
document.getElementById("q").addEventListener("keydown", (e) => {
  if (e.key === "Enter") document.body.dataset.submitted = e.target.value;
});
console.error("selftest console error", 42);
</script>
<script>
throw new Error("selftest boom");
</script>
</body>
</html>
"#;

const CLEAN_PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>clean</title></head>
<body><p id="p">fine</p><script>document.body.dataset.ok = "1";</script></body></html>
"#;

/// Writes `PAGE` (and `CLEAN_PAGE`) into a fresh temp dir.
fn fixture() -> Result<(tempfile::TempDir, PathBuf), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let page = dir.path().join("index.html");
    fs::write(&page, PAGE).map_err(|e| e.to_string())?;
    fs::write(dir.path().join("clean page.html"), CLEAN_PAGE).map_err(|e| e.to_string())?;
    Ok((dir, page))
}

#[test]
fn eval_errors_and_failed_loads() -> Result<(), String> {
    let Some(browser) = Browser::launch()? else {
        return Ok(());
    };
    println!("browser: {}", browser.version()?);
    let (dir, page_path) = fixture()?;
    let mut page = browser.new_page()?;
    page.goto(&file_url(&page_path)?)?;

    // eval: values, promises, undefined, unserializable values, exceptions.
    assert_eq!(page.eval("document.title")?, json!("set by script"));
    assert_eq!(page.eval("document.body.dataset.ran")?, json!("yes"));
    assert_eq!(page.eval("1 + 2")?, json!(3));
    assert_eq!(
        page.eval("new Promise(r => setTimeout(() => r({a: [1, 'x'], b: null}), 10))")?,
        json!({"a": [1, "x"], "b": null})
    );
    assert_eq!(page.eval("undefined")?, json!(null));
    assert_eq!(page.eval("0 / 0")?, json!("NaN"));
    let err = page
        .eval("throw new TypeError('eval boom')")
        .err()
        .ok_or("eval of a throwing expression succeeded")?;
    assert!(err.contains("TypeError: eval boom"), "{err}");
    let err = page
        .eval("Promise.reject(new Error('rejected boom'))")
        .err()
        .ok_or("eval of a rejected promise succeeded")?;
    assert!(err.contains("rejected boom"), "{err}");

    // Recorded errors: the uncaught exception, console.error, the missing image.
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
    // Failed loads are also logged to the console (source "network").
    assert!(
        errors.iter().any(|e| e.source == "network"
            && e.url
                .as_deref()
                .is_some_and(|u| u.ends_with("/missing-image.png"))),
        "{errors:#?}"
    );
    // Exceptions thrown *by eval* are returned, not recorded.
    assert!(
        !errors.iter().any(|e| e.text.contains("eval boom")),
        "{errors:#?}"
    );
    let failed = page.failed_requests().to_vec();
    assert!(
        failed
            .iter()
            .any(|r| r.url.ends_with("/missing-image.png") && r.resource_type == "Image"),
        "{failed:#?}"
    );
    assert!(page.check_no_errors().is_err());

    // After clearing, a clean page (path with a space) has no errors.
    page.clear_errors();
    page.goto(&file_url(&dir.path().join("clean page.html"))?)?;
    assert_eq!(page.eval("document.body.dataset.ok")?, json!("1"));
    page.check_no_errors()?;

    // Same-document navigation returns without waiting for a load event.
    page.goto(&format!(
        "{}#frag",
        file_url(&dir.path().join("clean page.html"))?
    ))?;
    assert_eq!(page.eval("location.hash")?, json!("#frag"));

    // A missing file is a navigation error.
    let err = page
        .goto(&file_url(&dir.path().join("nope.html"))?)
        .err()
        .ok_or("navigating to a missing file succeeded")?;
    assert!(err.contains("ERR_FILE_NOT_FOUND"), "{err}");
    Ok(())
}

#[test]
fn javascript_disabled() -> Result<(), String> {
    let Some(browser) = Browser::launch()? else {
        return Ok(());
    };
    let (_dir, page_path) = fixture()?;
    let mut page = browser.new_page()?;
    page.set_javascript_enabled(false)?;
    page.goto(&file_url(&page_path)?)?;
    assert_eq!(page.eval("document.title")?, json!("static title"));
    assert_eq!(page.eval("document.body.dataset.ran ?? 'no'")?, json!("no"));
    let errors = page.console_errors().to_vec();
    assert!(
        !errors.iter().any(|e| e.text.contains("selftest")),
        "{errors:#?}"
    );

    // Re-enabling takes effect on the next navigation.
    page.set_javascript_enabled(true)?;
    page.goto(&file_url(&page_path)?)?;
    assert_eq!(page.eval("document.title")?, json!("set by script"));
    Ok(())
}

#[test]
fn viewport_and_screenshot() -> Result<(), String> {
    let Some(browser) = Browser::launch()? else {
        return Ok(());
    };
    let (dir, page_path) = fixture()?;
    let mut page = browser.new_page()?;
    page.set_viewport(360, 640, true)?;
    page.goto(&file_url(&page_path)?)?;
    assert_eq!(page.eval("window.innerWidth")?, json!(360));
    assert_eq!(page.eval("window.innerHeight")?, json!(640));
    assert_eq!(page.eval("navigator.maxTouchPoints > 0")?, json!(true));

    let shot = dir.path().join("shot.png");
    page.screenshot_png(&shot)?;
    let png = fs::read(&shot).map_err(|e| e.to_string())?;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert_eq!(png_size(&png), Some((360, 640)));

    // Desktop viewport on a second page (pages are sequential, not shared).
    drop(page);
    let mut page = browser.new_page()?;
    page.set_viewport(1280, 800, false)?;
    page.goto(&file_url(&page_path)?)?;
    assert_eq!(page.eval("window.innerWidth")?, json!(1280));
    Ok(())
}

#[test]
fn keyboard_input() -> Result<(), String> {
    let Some(browser) = Browser::launch()? else {
        return Ok(());
    };
    let (_dir, page_path) = fixture()?;
    let mut page = browser.new_page()?;
    page.goto(&file_url(&page_path)?)?;
    page.eval("document.getElementById('q').focus()")?;
    page.type_text("héllo wörld")?;
    page.press_key("Backspace")?;
    page.press_key("/")?;
    page.press_key("x")?;
    page.press_key("Shift+Z")?;
    assert_eq!(
        page.eval("document.getElementById('q').value")?,
        json!("héllo wörl/xZ")
    );
    page.press_key("Enter")?;
    page.wait_for(
        "document.body.dataset.submitted === 'héllo wörl/xZ'",
        Duration::from_secs(5),
    )?;

    page.eval("document.activeElement.blur()")?;
    page.press_key("Control+k")?;
    page.press_key("Escape")?;
    page.press_key("ArrowDown")?;
    page.wait_for(
        "document.getElementById('keys').textContent.endsWith('Escape;ArrowDown;')",
        Duration::from_secs(5),
    )?;
    assert_eq!(
        page.eval("document.getElementById('keys').textContent")?,
        json!("Backspace;/;x;S-Z;Enter;C-k;Escape;ArrowDown;")
    );
    assert!(page.press_key("NoSuchKey").is_err());

    // wait_for: times out with a clear message, and keeps polling through
    // exceptions (the element appears after 200 ms).
    let err = page
        .wait_for("false", Duration::from_millis(300))
        .err()
        .ok_or("wait_for(false) succeeded")?;
    assert!(err.contains("timed out"), "{err}");
    page.eval(
        "setTimeout(() => { const d = document.createElement('div'); d.id = 'late'; \
         d.textContent = 'here'; document.body.append(d); }, 200)",
    )?;
    page.wait_for(
        "document.getElementById('late').textContent === 'here'",
        Duration::from_secs(5),
    )?;
    Ok(())
}

#[test]
fn stuck_evaluation_times_out() -> Result<(), String> {
    let Some(browser) = Browser::launch()? else {
        return Ok(());
    };
    let mut page = browser.new_page()?;
    page.set_timeout(Duration::from_millis(500));
    let started = std::time::Instant::now();
    let err = page
        .eval("new Promise(() => {})")
        .err()
        .ok_or("a never-settling promise resolved")?;
    assert!(err.contains("timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The connection is still usable afterwards.
    page.set_timeout(Duration::from_secs(10));
    assert_eq!(page.eval("6 * 7")?, json!(42));
    Ok(())
}

#[test]
fn http_server_and_404s() -> Result<(), String> {
    let Some(browser) = Browser::launch()? else {
        return Ok(());
    };
    let (dir, _) = fixture()?;
    fs::write(
        dir.path().join("site.html"),
        r#"<!doctype html><html><head><meta charset="utf-8"><title>site</title>
<link rel="stylesheet" href="/missing.css"></head>
<body><p>hi</p><script src="/present.js"></script></body></html>"#,
    )
    .map_err(|e| e.to_string())?;
    fs::write(dir.path().join("present.js"), "document.title = 'js ran';")
        .map_err(|e| e.to_string())?;
    let base = serve(dir.path().to_path_buf())?;

    let mut page = browser.new_page()?;
    page.goto(&format!("{base}/site.html"))?;
    assert_eq!(page.eval("document.title")?, json!("js ran"));
    let failed = page.failed_requests().to_vec();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].url, format!("{base}/missing.css"));
    assert_eq!(failed[0].error, "HTTP 404");
    assert_eq!(failed[0].resource_type, "Stylesheet");

    // A clean page over HTTP records nothing (e.g. no favicon noise).
    page.clear_errors();
    page.goto(&format!("{base}/clean%20page.html"))?;
    page.check_no_errors()?;
    Ok(())
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let be = |r: std::ops::Range<usize>| Some(u32::from_be_bytes(png.get(r)?.try_into().ok()?));
    Some((be(16..20)?, be(20..24)?))
}

/// Minimal static HTTP/1.0 server on 127.0.0.1 for the test; returns its base
/// URL. The thread lives until the test process exits.
fn serve(root: PathBuf) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = respond(&root, stream);
        }
    });
    Ok(format!("http://{addr}"))
}

fn respond(root: &Path, mut stream: std::net::TcpStream) -> std::io::Result<()> {
    let mut request_line = String::new();
    let mut reader = BufReader::new(stream.try_clone()?);
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let name = target.trim_start_matches('/').replace("%20", " ");
    let file = (!name.contains("..")).then(|| root.join(&name));
    let (status, body) = match file.and_then(|f| fs::read(f).ok()) {
        Some(body) => ("200 OK", body),
        None => ("404 Not Found", b"not found".to_vec()),
    };
    let mime = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.0 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}
