//! Headless Chromium for the browser tests: a thin synchronous wrapper over the
//! chromiumoxide crate that launches Chromium the way our CI needs and records what a page
//! reports (console errors, uncaught exceptions, failed loads) so tests can assert on it.
//! The DevTools protocol itself (websocket, message framing, types) is chromiumoxide's.
//!
//! Why chromiumoxide (headless_chrome and fantoccini + chromedriver were the others
//! weighed): fantoccini speaks WebDriver, which gives no portable way to read console errors
//! or failed requests, what most of our tests assert; headless_chrome hands events to
//! listeners on a thread of its own (and attaches to tabs in the deprecated non-flat
//! session mode), so "everything the page reported so far" could only be collected by
//! sleeping and hoping. chromiumoxide routes events and command answers through one
//! handler task; on the current-thread runtime owned here, every event the browser sent
//! before an answer is queued by the time the answer reaches us ([`Page::collect_pending`]).
//!
//! Include it with `#[path = "support/browser.rs"] mod browser;` and start each test with
//! `let Some(browser) = Browser::launch()? else { return };` — `launch` returns `Ok(None)`
//! when no Chromium is installed, unless `GONGDU_REQUIRE_BROWSER=1` (as in CI).
//! `GONGDU_CHROMIUM` names the browser binary; otherwise `chromium`, `chromium-browser`,
//! `google-chrome` or `google-chrome-stable` on `PATH` is used.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::emulation::{
    MediaFeature, SetDeviceMetricsOverrideParams, SetScriptExecutionDisabledParams,
    SetTouchEmulationEnabledParams,
};
use chromiumoxide::cdp::browser_protocol::input::{
    DispatchKeyEventParams, DispatchKeyEventType, InsertTextParams,
};
use chromiumoxide::cdp::browser_protocol::inspector::EventTargetCrashed;
use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent, EventResponseReceived,
    SetCacheDisabledParams,
};
use chromiumoxide::cdp::browser_protocol::page::{
    AddScriptToEvaluateOnNewDocumentParams, CaptureScreenshotFormat, NavigateParams,
    PrintToPdfParams,
};
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EvaluateParams, EventConsoleApiCalled, EventExceptionThrown,
    ExceptionDetails, RemoteObject,
};
use chromiumoxide::error::CdpError;
use chromiumoxide::layout::Point;
use chromiumoxide::listeners::EventStream;
use chromiumoxide::page::ScreenshotParams;
use futures::{FutureExt, StreamExt};
use serde_json::Value;

/// Binary names searched on `PATH` when `GONGDU_CHROMIUM` is not set.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
/// Default timeout for one command, navigation or key press.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// chromiumoxide's own limit for a command or navigation; ours (above, per page) is the one
/// that fails a test, so this only has to be longer.
const CRATE_TIMEOUT: Duration = Duration::from_secs(120);
/// Protocol events whose loss would hide a page error: if chromiumoxide cannot parse one of
/// them (a newer Chromium may add fields or enum values), it is reported as an error.
const WATCHED_EVENTS: &[&str] = &[
    "Runtime.exceptionThrown",
    "Runtime.consoleAPICalled",
    "Log.entryAdded",
    "Network.responseReceived",
    "Network.loadingFailed",
];

/// A running headless Chromium.
pub(crate) struct Browser {
    // Field order is drop order: the browser (already closed by `Drop`) before the runtime
    // that drives it, the profile directory last.
    inner: chromiumoxide::Browser,
    /// Messages chromiumoxide could not parse that may have carried a page error.
    unparsed: Arc<Mutex<Vec<String>>>,
    runtime: tokio::runtime::Runtime,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Finds and starts Chromium; `Ok(None)` (after saying so) when none is installed,
    /// unless `GONGDU_REQUIRE_BROWSER=1`. A browser that is found but fails to start is
    /// always an error.
    pub(crate) fn launch() -> Result<Option<Browser>, String> {
        match find_chromium()? {
            Some(exe) => Browser::launch_with(&exe).map(Some),
            None if browser_required() => Err(format!(
                "chromium not found, but GONGDU_REQUIRE_BROWSER=1 is set \
                 (set GONGDU_CHROMIUM or put one of {CANDIDATES:?} on PATH)"
            )),
            None => {
                println!(
                    "chromium not found; skipping (set GONGDU_CHROMIUM or put one of \
                     {CANDIDATES:?} on PATH; GONGDU_REQUIRE_BROWSER=1 makes this an error)"
                );
                Ok(None)
            }
        }
    }

    /// Starts the given browser binary (no lookup, no skipping).
    pub(crate) fn launch_with(exe: &Path) -> Result<Browser, String> {
        let profile = tempfile::Builder::new()
            .prefix("gongdu-chromium-")
            .tempdir()
            .map_err(|e| format!("cannot create a chromium profile dir: {e}"))?;
        // Exactly these flags: as root Chromium needs --no-sandbox, and the closed network
        // here refuses the connections that background networking, QUIC, component updates
        // and sync would open. No viewport override, so pages see the real window.
        let config = chromiumoxide::BrowserConfig::builder()
            .chrome_executable(exe)
            .disable_default_args()
            .no_sandbox()
            .user_data_dir(profile.path())
            .viewport(None)
            .request_timeout(CRATE_TIMEOUT)
            .launch_timeout(Duration::from_secs(30))
            .surface_invalid_messages()
            // chromiumoxide adds the leading dashes.
            .args([
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
                // Docker's 64 MB /dev/shm makes Chromium crash on big pages.
                "disable-dev-shm-usage",
            ])
            .build()
            .map_err(|e| format!("chromium configuration: {e}"))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
        let (inner, mut handler) = runtime
            .block_on(chromiumoxide::Browser::launch(config))
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let unparsed = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&unparsed);
        // The handler reads the websocket; it runs whenever this runtime does, that is
        // inside every `block_on` below.
        runtime.spawn(async move {
            while let Some(result) = handler.next().await {
                if let Err(CdpError::InvalidMessage(text, err)) = result
                    && WATCHED_EVENTS.iter().any(|m| text.contains(m))
                    && let Ok(mut seen) = seen.lock()
                {
                    seen.push(format!("{err}: {}", abbreviate(&text)));
                }
            }
        });
        Ok(Browser {
            inner,
            unparsed,
            runtime,
            _profile: profile,
        })
    }

    /// The product string, e.g. `Chrome/156.0.8078.114`.
    pub(crate) fn version(&self) -> Result<String, String> {
        let version = self
            .block_on(DEFAULT_TIMEOUT, self.inner.version())
            .map_err(|e| format!("Browser.getVersion: {e}"))?;
        Ok(version.product)
    }

    /// Opens a new tab at `about:blank`, already recording errors.
    pub(crate) fn new_page(&self) -> Result<Page<'_>, String> {
        let page = self
            .block_on(DEFAULT_TIMEOUT, self.inner.new_page("about:blank"))
            .map_err(|e| format!("cannot open a tab: {e}"))?;
        let events = self.block_on(DEFAULT_TIMEOUT, PageEvents::listen(&page))?;
        Ok(Page {
            browser: self,
            page,
            timeout: DEFAULT_TIMEOUT,
            events,
            console_errors: Vec::new(),
            failed_requests: Vec::new(),
            requests: HashMap::new(),
            crashed: false,
        })
    }

    /// Runs `future` on this browser's runtime for at most `timeout`.
    fn block_on<T, E: fmt::Display>(
        &self,
        timeout: Duration,
        future: impl Future<Output = Result<T, E>>,
    ) -> Result<T, String> {
        // The timer is made inside the runtime: tokio's timers need its context.
        let limited = async { tokio::time::timeout(timeout, future).await };
        match self.runtime.block_on(limited) {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err(format!("timed out after {timeout:?}")),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask Chromium to quit so that its helper processes stop writing into the profile
        // before the directory is removed; kill it if it does not.
        let inner = &mut self.inner;
        let closed = self.runtime.block_on(async {
            let polite = async {
                inner.close().await.ok()?;
                inner.wait().await.ok()
            };
            tokio::time::timeout(Duration::from_secs(5), polite)
                .await
                .ok()
                .flatten()
                .is_some()
        });
        if !closed {
            let _ = self.runtime.block_on(inner.kill());
        }
    }
}

/// The event streams a page records errors from.
struct PageEvents {
    exceptions: EventStream<EventExceptionThrown>,
    console: EventStream<EventConsoleApiCalled>,
    log: EventStream<EventEntryAdded>,
    requests: EventStream<EventRequestWillBeSent>,
    responses: EventStream<EventResponseReceived>,
    finished: EventStream<EventLoadingFinished>,
    failed: EventStream<EventLoadingFailed>,
    crashed: EventStream<EventTargetCrashed>,
}

impl PageEvents {
    async fn listen(page: &chromiumoxide::Page) -> Result<PageEvents, CdpError> {
        Ok(PageEvents {
            exceptions: page.event_listener().await?,
            console: page.event_listener().await?,
            log: page.event_listener().await?,
            requests: page.event_listener().await?,
            responses: page.event_listener().await?,
            finished: page.event_listener().await?,
            failed: page.event_listener().await?,
            crashed: page.event_listener().await?,
        })
    }
}

/// The events already queued on `stream`, without waiting for more.
fn queued<T>(stream: &mut EventStream<T>) -> Vec<Arc<T>>
where
    T: chromiumoxide::cdp::IntoEventKind + Unpin,
{
    let mut events = Vec::new();
    while let Some(Some(event)) = stream.next().now_or_never() {
        events.push(event);
    }
    events
}

/// A console error, uncaught exception or error-level log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConsoleError {
    /// `"exception"` (uncaught error or unhandled rejection), `"console"`
    /// (`console.error`/`console.assert`), `"protocol"` (an event that could not be read),
    /// or the log entry's source (`"network"`, `"javascript"`, `"security"`, ...). Failed
    /// loads appear here as `"network"` entries and in [`Page::failed_requests`].
    pub(crate) source: String,
    pub(crate) text: String,
    pub(crate) url: Option<String>,
    /// 1-based line number, when known.
    pub(crate) line: Option<u64>,
}

impl fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.source, self.text)?;
        match (&self.url, self.line) {
            (Some(url), Some(line)) if !url.is_empty() => write!(f, " ({url}:{line})"),
            (Some(url), None) if !url.is_empty() => write!(f, " ({url})"),
            _ => Ok(()),
        }
    }
}

/// A resource that failed to load: a network error (e.g. `net::ERR_FILE_NOT_FOUND`) or an
/// HTTP status of 400 or more (`"HTTP 404"`). Cancelled requests and Chromium's own
/// `/favicon.ico` probe are not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FailedRequest {
    pub(crate) url: String,
    pub(crate) error: String,
    /// DevTools resource type: `"Document"`, `"Image"`, `"Script"`, ...
    pub(crate) resource_type: String,
}

impl fmt::Display for FailedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.resource_type, self.url, self.error)
    }
}

/// One tab, closed on drop. Errors accumulate across navigations until
/// [`Page::clear_errors`].
pub(crate) struct Page<'b> {
    browser: &'b Browser,
    page: chromiumoxide::Page,
    timeout: Duration,
    events: PageEvents,
    console_errors: Vec<ConsoleError>,
    failed_requests: Vec<FailedRequest>,
    /// requestId → (url, resource type) of requests not yet finished.
    requests: HashMap<String, (String, String)>,
    crashed: bool,
}

impl Page<'_> {
    /// Timeout for commands, navigations and key presses (default 15 s).
    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Navigates and waits for the new document's load event. A navigation error such as
    /// `net::ERR_FILE_NOT_FOUND` is an `Err`; HTTP error statuses load normally and show up
    /// in [`Page::failed_requests`].
    pub(crate) fn goto(&mut self, url: &str) -> Result<(), String> {
        let timeout = self.timeout;
        let page = self.page.clone();
        let navigation = async { page.goto(NavigateParams::new(url)).await.map(|_| ()) };
        let result = self.browser.block_on(timeout, navigation);
        self.collect_queued();
        match result {
            Ok(_) if self.crashed => Err(format!("navigation to {url}: the page crashed")),
            Ok(_) => Ok(()),
            Err(e) => Err(format!("navigation to {url} failed: {e}")),
        }
    }

    /// Starts loading `url` without waiting for it: for pages whose loading never settles
    /// (a live-reload stream) or when a test waits for something of its own.
    pub(crate) fn navigate_no_wait(&mut self, url: &str) -> Result<(), String> {
        let target = serde_json::to_string(url).map_err(|e| e.to_string())?;
        self.eval(&format!("location.href = {target}; null"))?;
        Ok(())
    }

    /// Evaluates `js` (promises are awaited) and returns the result as JSON: `undefined`
    /// becomes `null`; values JSON cannot hold (`NaN`, `-0`, BigInts) their string form.
    /// A thrown exception is an `Err`.
    pub(crate) fn eval(&mut self, js: &str) -> Result<Value, String> {
        let timeout = self.timeout;
        let object = self
            .evaluate(js, timeout)
            .map_err(|e| format!("evaluating `{}` failed: {e}", abbreviate(js)))?;
        Ok(remote_object_value(&object))
    }

    /// Polls `js_condition` every 50 ms until it is truthy. Exceptions while polling count
    /// as "not yet"; the last one is reported on timeout.
    pub(crate) fn wait_for(&mut self, js_condition: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let last_error =
                match self.evaluate(js_condition, remaining.max(Duration::from_millis(100))) {
                    Ok(object) if remote_object_truthy(&object) => return Ok(()),
                    Ok(_) => None,
                    Err(e) => Some(e),
                };
            self.collect_queued();
            if self.crashed {
                return Err(format!(
                    "waiting for `{}`: the page crashed",
                    abbreviate(js_condition)
                ));
            }
            if Instant::now() >= deadline {
                let mut msg = format!(
                    "timed out after {timeout:?} waiting for `{}`",
                    abbreviate(js_condition)
                );
                if let Some(e) = last_error {
                    msg.push_str(&format!(" (last error: {e})"));
                }
                return Err(msg);
            }
            self.sleep(Duration::from_millis(50).min(remaining));
        }
    }

    /// Emulates a `width`×`height` CSS-pixel viewport. With `mobile`, touch is enabled and
    /// `<meta name=viewport>` is honoured.
    pub(crate) fn set_viewport(
        &mut self,
        width: u32,
        height: u32,
        mobile: bool,
    ) -> Result<(), String> {
        let metrics =
            SetDeviceMetricsOverrideParams::new(i64::from(width), i64::from(height), 1.0, mobile);
        let page = self.page.clone();
        self.run("Emulation.setDeviceMetricsOverride", page.execute(metrics))?;
        let touch = SetTouchEmulationEnabledParams::builder()
            .enabled(mobile)
            .max_touch_points(1)
            .build()?;
        let page = self.page.clone();
        self.run("Emulation.setTouchEmulationEnabled", page.execute(touch))?;
        Ok(())
    }

    /// Enables or disables page scripts for the following navigations (call before
    /// `goto`). [`Page::eval`] works either way.
    pub(crate) fn set_javascript_enabled(&mut self, enabled: bool) -> Result<(), String> {
        let params = SetScriptExecutionDisabledParams::new(!enabled);
        let page = self.page.clone();
        self.run("Emulation.setScriptExecutionDisabled", page.execute(params))?;
        Ok(())
    }

    /// Writes a PNG screenshot of the viewport to `path`.
    pub(crate) fn screenshot_png(&mut self, path: impl AsRef<Path>) -> Result<(), String> {
        let path = path.as_ref();
        let params = ScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Png)
            .build();
        let page = self.page.clone();
        let png = self.run("Page.captureScreenshot", page.screenshot(params))?;
        fs::write(path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Emulates `prefers-color-scheme: dark` (or light) for this page.
    pub(crate) fn set_dark(&mut self, dark: bool) -> Result<(), String> {
        let feature =
            MediaFeature::new("prefers-color-scheme", if dark { "dark" } else { "light" });
        let page = self.page.clone();
        self.run(
            "Emulation.setEmulatedMedia",
            page.emulate_media_features(vec![feature]),
        )?;
        Ok(())
    }

    /// Prints the page to an A4 PDF the way the browser's print dialog would (print CSS,
    /// background graphics off) and returns its bytes.
    pub(crate) fn print_pdf(&mut self) -> Result<Vec<u8>, String> {
        let params = PrintToPdfParams::builder()
            .paper_width(8.27)
            .paper_height(11.69)
            .prefer_css_page_size(true)
            .build();
        let page = self.page.clone();
        self.run("Page.printToPDF", page.pdf(params))
    }

    /// Loads every resource from its source again, as a first visit would (benchmarks).
    pub(crate) fn disable_cache(&mut self) -> Result<(), String> {
        let page = self.page.clone();
        self.run(
            "Network.setCacheDisabled",
            page.execute(SetCacheDisabledParams::new(true)),
        )?;
        Ok(())
    }

    /// Runs `source` in every document this page loads from now on, before its own scripts.
    pub(crate) fn add_init_script(&mut self, source: &str) -> Result<(), String> {
        let page = self.page.clone();
        let params = AddScriptToEvaluateOnNewDocumentParams::new(source);
        self.run(
            "Page.addScriptToEvaluateOnNewDocument",
            page.execute(params),
        )?;
        Ok(())
    }

    /// Clicks (press and release of the left button) at (`x`, `y`) in CSS pixels, as a
    /// reader would; it works with the page's scripts off.
    pub(crate) fn click_at(&mut self, x: f64, y: f64) -> Result<(), String> {
        let page = self.page.clone();
        self.run("Input.dispatchMouseEvent", page.click(Point { x, y }))?;
        Ok(())
    }

    /// Moves the mouse to (`x`, `y`) in CSS pixels, firing hover events.
    pub(crate) fn move_mouse(&mut self, x: f64, y: f64) -> Result<(), String> {
        let page = self.page.clone();
        self.run("Input.dispatchMouseEvent", page.move_mouse(Point { x, y }))?;
        Ok(())
    }

    /// Presses and releases a key in the focused element: a DOM `KeyboardEvent.key` value
    /// (`"a"`, `"/"`, `"Enter"`, `"ArrowDown"`, `"Escape"`, ...), optionally after
    /// modifiers: `"Control+k"`, `"Shift+Tab"`, `"Meta+k"`, `"Alt+ArrowLeft"`.
    pub(crate) fn press_key(&mut self, key: &str) -> Result<(), String> {
        let (modifiers, key) = parse_modifiers(key);
        let def = chromiumoxide::keys::get_key_definition(key)
            .ok_or_else(|| format!("unknown key {key:?}"))?;
        // A printable key types itself (the layout table leaves most `text`s out); with
        // Control, Alt or Meta held the key is a shortcut and inserts nothing.
        let text = def
            .text
            .or((def.key.chars().count() == 1).then_some(def.key))
            .filter(|_| modifiers & (MOD_ALT | MOD_CTRL | MOD_META) == 0);
        let event = |kind| {
            DispatchKeyEventParams::builder()
                .r#type(kind)
                .key(def.key)
                .code(def.code)
                .windows_virtual_key_code(def.key_code)
                .native_virtual_key_code(def.key_code)
                .modifiers(modifiers)
        };
        let mut down = event(if text.is_some() {
            DispatchKeyEventType::KeyDown
        } else {
            DispatchKeyEventType::RawKeyDown
        });
        if let Some(text) = text {
            down = down.text(text).unmodified_text(text);
        }
        let down = down.build()?;
        let up = event(DispatchKeyEventType::KeyUp).build()?;
        let page = self.page.clone();
        self.run("Input.dispatchKeyEvent", page.execute(down))?;
        let page = self.page.clone();
        self.run("Input.dispatchKeyEvent", page.execute(up))?;
        Ok(())
    }

    /// Inserts `text` into the focused element as if typed or pasted (`beforeinput` and
    /// `input` fire, key events do not; use `press_key` for those).
    pub(crate) fn type_text(&mut self, text: &str) -> Result<(), String> {
        let page = self.page.clone();
        self.run(
            "Input.insertText",
            page.execute(InsertTextParams::new(text)),
        )?;
        Ok(())
    }

    /// Console errors and uncaught exceptions recorded so far.
    pub(crate) fn console_errors(&mut self) -> &[ConsoleError] {
        self.collect_pending();
        &self.console_errors
    }

    /// Failed resource loads recorded so far.
    pub(crate) fn failed_requests(&mut self) -> &[FailedRequest] {
        self.collect_pending();
        &self.failed_requests
    }

    /// Forgets recorded console errors and failed requests.
    pub(crate) fn clear_errors(&mut self) {
        self.collect_pending();
        self.console_errors.clear();
        self.failed_requests.clear();
    }

    /// `Err` listing every console error and failed load, if there are any.
    pub(crate) fn check_no_errors(&mut self) -> Result<(), String> {
        self.collect_pending();
        if self.console_errors.is_empty() && self.failed_requests.is_empty() {
            return Ok(());
        }
        let mut msg = String::from("page reported errors:");
        for e in &self.console_errors {
            msg.push_str(&format!("\n  console: {e}"));
        }
        for r in &self.failed_requests {
            msg.push_str(&format!("\n  failed load: {r}"));
        }
        Err(msg)
    }

    // -- internals --------------------------------------------------------

    /// Runs one command with this page's timeout, naming it in the error.
    fn run<T>(
        &mut self,
        what: &str,
        future: impl Future<Output = Result<T, CdpError>>,
    ) -> Result<T, String> {
        let result = self
            .browser
            .block_on(self.timeout, future)
            .map_err(|e| format!("{what} failed: {e}"));
        self.collect_queued();
        result
    }

    /// `Runtime.evaluate` by value, with the exception (if one was thrown) as the error.
    fn evaluate(&mut self, js: &str, timeout: Duration) -> Result<RemoteObject, String> {
        let params = EvaluateParams::builder()
            .expression(js)
            .return_by_value(true)
            .await_promise(true)
            .user_gesture(true)
            .build()?;
        let result = self.browser.block_on(timeout, self.page.execute(params));
        self.collect_queued();
        let returns = result?.result;
        match returns.exception_details {
            Some(details) => Err(describe_exception(&details)),
            None => Ok(returns.result),
        }
    }

    /// Lets the browser run for `duration` (its events are read meanwhile).
    fn sleep(&self, duration: Duration) {
        self.browser
            .runtime
            .block_on(async { tokio::time::sleep(duration).await });
    }

    /// Records everything the page reported so far. A round trip to the page means every
    /// event sent before its answer has been queued (see the module comment); the pause
    /// before it gives loads that were just failing time to say so.
    fn collect_pending(&mut self) {
        self.sleep(Duration::from_millis(50));
        if let Ok(params) = EvaluateParams::builder().expression("0").build() {
            let page = self.page.clone();
            let _ = self.browser.block_on(self.timeout, page.execute(params));
        }
        self.collect_queued();
    }

    /// Records the events already queued, without waiting.
    fn collect_queued(&mut self) {
        let events = &mut self.events;
        for e in queued(&mut events.exceptions) {
            let details = &e.exception_details;
            self.console_errors.push(ConsoleError {
                source: "exception".into(),
                text: describe_exception(details),
                url: details.url.clone(),
                line: u64::try_from(details.line_number).ok().map(|l| l + 1),
            });
        }
        for e in queued(&mut events.console) {
            if matches!(
                e.r#type,
                ConsoleApiCalledType::Error | ConsoleApiCalledType::Assert
            ) {
                let text = e
                    .args
                    .iter()
                    .map(remote_object_text)
                    .collect::<Vec<_>>()
                    .join(" ");
                let frame = e.stack_trace.as_ref().and_then(|s| s.call_frames.first());
                self.console_errors.push(ConsoleError {
                    source: "console".into(),
                    text,
                    url: frame.map(|f| f.url.clone()),
                    line: frame.and_then(|f| u64::try_from(f.line_number).ok().map(|l| l + 1)),
                });
            }
        }
        for e in queued(&mut events.log) {
            let entry = &e.entry;
            if entry.level == LogEntryLevel::Error {
                self.console_errors.push(ConsoleError {
                    source: entry.source.as_ref().to_string(),
                    text: entry.text.clone(),
                    url: entry.url.clone(),
                    line: entry
                        .line_number
                        .and_then(|l| u64::try_from(l).ok())
                        .map(|l| l + 1),
                });
            }
        }
        // Requests before their outcomes: every request event queued before an outcome was
        // sent before it, so the URL of a failed request is known here.
        for e in queued(&mut events.requests) {
            let kind = e.r#type.as_ref().map_or("Other", |t| t.as_ref());
            self.requests.insert(
                e.request_id.inner().clone(),
                (e.request.url.clone(), kind.to_string()),
            );
        }
        for e in queued(&mut events.responses) {
            if e.response.status >= 400 {
                self.record_failure(
                    e.response.url.clone(),
                    format!("HTTP {}", e.response.status),
                    e.r#type.as_ref().to_string(),
                );
            }
        }
        for e in queued(&mut self.events.finished) {
            self.requests.remove(e.request_id.inner());
        }
        for e in queued(&mut self.events.failed) {
            let request = self.requests.remove(e.request_id.inner());
            if e.canceled != Some(true) {
                let url = request.map_or_else(|| "<unknown url>".to_string(), |(url, _)| url);
                let mut error = e.error_text.clone();
                if let Some(reason) = &e.blocked_reason {
                    error.push_str(&format!(" (blocked: {})", reason.as_ref()));
                }
                self.record_failure(url, error, e.r#type.as_ref().to_string());
            }
        }
        if !queued(&mut self.events.crashed).is_empty() {
            self.crashed = true;
        }
        if let Ok(mut unparsed) = self.browser.unparsed.lock() {
            for text in unparsed.drain(..) {
                self.console_errors.push(ConsoleError {
                    source: "protocol".into(),
                    text: format!("an event chromiumoxide could not read: {text}"),
                    url: None,
                    line: None,
                });
            }
        }
    }

    /// Records a failed load, except Chromium's automatic `/favicon.ico` probe (type
    /// `Other`), which the page never asked for.
    fn record_failure(&mut self, url: String, error: String, resource_type: String) {
        let path = url.split_once("://").map_or("", |(_, rest)| {
            rest.find('/').map_or("", |slash| &rest[slash..])
        });
        if resource_type == "Other" && path == "/favicon.ico" {
            return;
        }
        self.failed_requests.push(FailedRequest {
            url,
            error,
            resource_type,
        });
    }
}

impl Drop for Page<'_> {
    fn drop(&mut self) {
        let _ = self
            .browser
            .block_on(Duration::from_secs(5), self.page.clone().close());
    }
}

/// `GONGDU_REQUIRE_BROWSER=1` (or `true`, `yes`).
fn browser_required() -> bool {
    std::env::var("GONGDU_REQUIRE_BROWSER")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// `GONGDU_CHROMIUM` if set (an error if it names nothing runnable), else the first
/// candidate on `PATH`.
fn find_chromium() -> Result<Option<PathBuf>, String> {
    if let Some(value) = std::env::var_os("GONGDU_CHROMIUM").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(&value);
        let found = if path.components().count() > 1 {
            is_executable(&path).then_some(path.clone())
        } else {
            search_path(&path)
        };
        return found.map(Some).ok_or_else(|| {
            format!(
                "GONGDU_CHROMIUM={} is not an executable file or on PATH",
                path.display()
            )
        });
    }
    Ok(CANDIDATES
        .iter()
        .find_map(|name| search_path(Path::new(name))))
}

fn search_path(name: &Path) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// `file://` URL for an absolute path (percent-encoding everything but unreserved
/// characters and `/`).
pub(crate) fn file_url(path: &Path) -> Result<String, String> {
    url::Url::from_file_path(path)
        .map(String::from)
        .map_err(|()| format!("file_url needs an absolute path, got {}", path.display()))
}

/// JSON value of a by-value remote object.
fn remote_object_value(object: &RemoteObject) -> Value {
    if let Some(special) = &object.unserializable_value {
        return Value::String(special.inner().clone());
    }
    object.value.clone().unwrap_or(Value::Null)
}

/// JavaScript truthiness of a by-value remote object.
fn remote_object_truthy(object: &RemoteObject) -> bool {
    if let Some(special) = &object.unserializable_value {
        return !matches!(special.inner().as_str(), "NaN" | "-0" | "0n");
    }
    match &object.value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

/// Readable text of a console argument.
fn remote_object_text(object: &RemoteObject) -> String {
    match &object.value {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => object
            .unserializable_value
            .as_ref()
            .map(|v| v.inner().clone())
            .or_else(|| object.description.clone())
            .unwrap_or_else(|| format!("{:?}", object.r#type)),
    }
}

/// Message of an exception (with its stack, when there is one).
fn describe_exception(details: &ExceptionDetails) -> String {
    let exception = details.exception.as_ref();
    exception
        .and_then(|e| e.description.clone())
        .or_else(|| {
            exception
                .and_then(|e| e.value.as_ref())
                .map(|v| format!("Uncaught {v}"))
        })
        .unwrap_or_else(|| details.text.clone())
}

fn abbreviate(js: &str) -> String {
    const MAX: usize = 80;
    let one_line = js.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

const MOD_ALT: i64 = 1;
const MOD_CTRL: i64 = 2;
const MOD_META: i64 = 4;
const MOD_SHIFT: i64 = 8;

/// Splits `"Control+Shift+k"` into (DevTools modifier bits, `"k"`).
fn parse_modifiers(mut key: &str) -> (i64, &str) {
    let mut modifiers = 0;
    while let Some((prefix, rest)) = key.split_once('+') {
        let bit = match prefix {
            "Alt" => MOD_ALT,
            "Control" | "Ctrl" => MOD_CTRL,
            "Meta" | "Cmd" => MOD_META,
            "Shift" => MOD_SHIFT,
            _ => break,
        };
        if rest.is_empty() {
            break;
        }
        modifiers |= bit;
        key = rest;
    }
    (modifiers, key)
}
