//! Minimal Chrome DevTools Protocol (CDP) client for browser integration tests.
//!
//! # How to use it
//!
//! Include this file from an integration test with
//!
//! ```ignore
//! #[path = "support/browser.rs"]
//! mod browser;
//! ```
//!
//! (We use `#[path]` rather than a `tests/support/mod.rs` module so each test
//! binary only compiles the support files it actually needs.)
//!
//! Every browser test starts the same way, so that a machine without Chromium
//! skips it instead of failing:
//!
//! ```ignore
//! #[test]
//! fn my_test() -> Result<(), String> {
//!     let Some(browser) = browser::Browser::launch()? else {
//!         return Ok(()); // launch() already printed "chromium not found; skipping"
//!     };
//!     let mut page = browser.new_page()?;
//!     page.goto(&browser::file_url(&some_path)?)?;
//!     assert_eq!(page.eval("document.title")?, "Expected");
//!     page.check_no_errors()?; // no JS errors, no failed resource loads
//!     Ok(())
//! }
//! ```
//!
//! # Environment
//!
//! * `GONGDU_CHROMIUM` – path (or PATH-relative name) of the browser binary.
//!   Otherwise `chromium`, `chromium-browser`, `google-chrome` and
//!   `google-chrome-stable` are looked up on `PATH`.
//! * `GONGDU_REQUIRE_BROWSER=1` – a missing browser is an error rather than a
//!   skip (CI sets this).
//!
//! # Design notes
//!
//! * One Chromium process per [`Browser`], with a fresh temporary profile that
//!   is deleted on drop (the process is closed via `Browser.close`, then
//!   killed if it is still alive).
//! * One websocket to the browser target; pages are attached with
//!   `flatten: true`, so page commands carry a `sessionId`. Responses are
//!   matched on `id`; events are queued per session and processed in order.
//! * Every socket read has a timeout, so a stuck browser fails the test rather
//!   than hanging it.
//! * Errors are plain `String`s so tests can return `Result<(), String>` and
//!   use `?` everywhere.
//! * No `unwrap()`/`expect()` anywhere in this file.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::handshake::HandshakeError;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// Binary names searched on `PATH` when `GONGDU_CHROMIUM` is not set.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
/// How long to wait for Chromium to write `DevToolsActivePort`.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
/// Default timeout for a single CDP command / navigation / wait.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// Upper bound on a single websocket message (full-page screenshots are big).
const MAX_MESSAGE_SIZE: usize = 256 << 20;
/// Events kept per session before further ones are dropped.
const MAX_QUEUED_EVENTS: usize = 100_000;

// ---------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------

/// A running headless Chromium plus a CDP connection to it.
pub(crate) struct Browser {
    // Field order matters: the connection is dropped before the process.
    conn: RefCell<Conn>,
    process: ChromiumProcess,
}

impl Browser {
    /// Finds and starts Chromium.
    ///
    /// Returns `Ok(None)` (after printing `chromium not found; skipping`) when
    /// no browser is installed, unless `GONGDU_REQUIRE_BROWSER=1`, in which
    /// case that is an error. A browser that is found but fails to start is
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
        let dir = tempfile::Builder::new()
            .prefix("gongdu-chromium-")
            .tempdir()
            .map_err(|e| format!("cannot create temp dir for chromium profile: {e}"))?;
        let profile = dir.path().join("profile");
        fs::create_dir(&profile)
            .map_err(|e| format!("cannot create {}: {e}", profile.display()))?;
        let stderr_path = dir.path().join("chromium-stderr.log");
        let stderr = fs::File::create(&stderr_path)
            .map_err(|e| format!("cannot create {}: {e}", stderr_path.display()))?;

        let child = Command::new(exe)
            .arg("--headless")
            .arg("--no-sandbox")
            .arg("--disable-gpu")
            .arg("--no-first-run")
            .arg("--disable-background-networking")
            .arg("--disable-component-update")
            .arg("--disable-sync")
            // Docker's default 64 MB /dev/shm makes Chromium crash on big pages.
            .arg("--disable-dev-shm-usage")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--remote-debugging-port=0")
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(stderr))
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        // From here on, `process` kills chromium and removes the dir on error.
        let mut process = ChromiumProcess {
            child,
            exe: exe.to_path_buf(),
            stderr_path,
            dir,
        };

        let (port, ws_path) = process.wait_for_devtools_port(&profile)?;
        let conn = Conn::connect(port, &ws_path).map_err(|e| process.error(&e))?;
        Ok(Browser {
            conn: RefCell::new(conn),
            process,
        })
    }

    /// `Browser.getVersion` product string, e.g. `Chrome/124.0.6367.60`.
    pub(crate) fn version(&self) -> Result<String, String> {
        let v = self.call("Browser.getVersion", json!({}))?;
        Ok(v["product"].as_str().unwrap_or_default().to_string())
    }

    /// Opens a new tab (at `about:blank`) and attaches to it.
    ///
    /// Page, Runtime, Log and Network domains are enabled immediately, so
    /// errors of the first navigation are recorded.
    pub(crate) fn new_page(&self) -> Result<Page<'_>, String> {
        let target = self.call("Target.createTarget", json!({ "url": "about:blank" }))?;
        let target_id = json_str(&target, "targetId")?;
        let attached = self.call(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        let session_id = json_str(&attached, "sessionId")?;
        self.conn.borrow_mut().open_session(&session_id);

        let mut page = Page {
            browser: self,
            target_id,
            session_id,
            timeout: DEFAULT_TIMEOUT,
            console_errors: Vec::new(),
            failed_requests: Vec::new(),
            requests: HashMap::new(),
            current_loader: None,
            loaded_loader: None,
            fatal: None,
        };
        for domain in ["Page", "Runtime", "Log", "Network"] {
            page.call(&format!("{domain}.enable"), json!({}))?;
        }
        Ok(page)
    }

    /// Sends a browser-level (session-less) CDP command.
    pub(crate) fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        let mut conn = self
            .conn
            .try_borrow_mut()
            .map_err(|_| "CDP connection is already in use".to_string())?;
        conn.call(None, method, params, DEFAULT_TIMEOUT)?
            .map_err(|e| format!("{method} failed: {e}"))
    }

    /// Everything Chromium has written to stderr so far (for diagnostics).
    pub(crate) fn stderr(&self) -> String {
        self.process.stderr_tail()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask politely first so Chromium shuts down its helper processes and
        // stops writing into the profile; ChromiumProcess::drop kills it if
        // it is still alive afterwards.
        if let Ok(mut conn) = self.conn.try_borrow_mut()
            && conn.send(None, "Browser.close", json!({})).is_ok()
        {
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if matches!(self.process.child.try_wait(), Ok(Some(_))) {
                    break;
                }
                thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Owns the Chromium child process and its temporary directory.
struct ChromiumProcess {
    child: Child,
    exe: PathBuf,
    stderr_path: PathBuf,
    dir: tempfile::TempDir,
}

impl ChromiumProcess {
    /// Polls `<profile>/DevToolsActivePort` ("<port>\n<ws path>\n").
    fn wait_for_devtools_port(&mut self, profile: &Path) -> Result<(u16, String), String> {
        let file = profile.join("DevToolsActivePort");
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(text) = fs::read_to_string(&file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next())
                    && let Ok(port) = port.trim().parse::<u16>()
                    && path.starts_with('/')
                {
                    return Ok((port, path.trim().to_string()));
                }
            }
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    return Err(self.error(&format!("chromium exited during startup ({status})")));
                }
                Ok(None) => {}
                Err(e) => return Err(self.error(&format!("cannot poll chromium process: {e}"))),
            }
            if Instant::now() >= deadline {
                return Err(self.error(&format!(
                    "chromium did not write {} within {STARTUP_TIMEOUT:?}",
                    file.display()
                )));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Formats an error message with the browser binary and its stderr.
    fn error(&self, what: &str) -> String {
        format!(
            "{what}\nbrowser: {}\n--- chromium stderr ---\n{}\n--- end of chromium stderr ---",
            self.exe.display(),
            self.stderr_tail()
        )
    }

    /// The last 8 KiB of chromium's stderr.
    fn stderr_tail(&self) -> String {
        let text = match fs::read(&self.stderr_path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => return format!("<cannot read {}: {e}>", self.stderr_path.display()),
        };
        const MAX: usize = 8 * 1024;
        if text.len() <= MAX {
            return text;
        }
        let mut start = text.len() - MAX;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        format!("[...]{}", &text[start..])
    }
}

impl Drop for ChromiumProcess {
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Helper processes may still be writing for a moment after the main
        // process is gone; retry briefly. TempDir's own drop runs afterwards
        // and silently ignores an already-removed directory.
        for _ in 0..20 {
            match fs::remove_dir_all(self.dir.path()) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    thread::sleep(Duration::from_millis(50));
                }
                _ => break,
            }
        }
    }
}

/// `GONGDU_REQUIRE_BROWSER=1` (or `true`).
fn browser_required() -> bool {
    std::env::var("GONGDU_REQUIRE_BROWSER")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// `GONGDU_CHROMIUM` if set (an error if it points nowhere), else the first
/// candidate on `PATH`.
fn find_chromium() -> Result<Option<PathBuf>, String> {
    if let Some(value) = std::env::var_os("GONGDU_CHROMIUM").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(&value);
        if path.components().count() > 1 {
            return if is_executable(&path) {
                Ok(Some(path))
            } else {
                Err(format!(
                    "GONGDU_CHROMIUM={} is not an executable file",
                    path.display()
                ))
            };
        }
        return match search_path(&path) {
            Some(found) => Ok(Some(found)),
            None => Err(format!(
                "GONGDU_CHROMIUM={} was not found on PATH",
                path.display()
            )),
        };
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

// ---------------------------------------------------------------------------
// Connection: request/response matching and per-session event queues
// ---------------------------------------------------------------------------

/// Outer error: transport failure (socket closed, timeout). Inner error: the
/// browser answered the command with an error.
type CallResult = Result<Result<Value, String>, String>;

struct Conn {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Unprocessed events per attached session, in arrival order.
    sessions: HashMap<String, VecDeque<Value>>,
}

impl Conn {
    fn connect(port: u16, ws_path: &str) -> Result<Conn, String> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .map_err(|e| format!("cannot connect to chromium devtools at {addr}: {e}"))?;
        let io_err = |e: io::Error| format!("cannot configure devtools socket: {e}");
        stream.set_nodelay(true).map_err(io_err)?;
        stream
            .set_read_timeout(Some(Duration::from_secs(1)))
            .map_err(io_err)?;
        stream
            .set_write_timeout(Some(DEFAULT_TIMEOUT))
            .map_err(io_err)?;

        let url = format!("ws://127.0.0.1:{port}{ws_path}");
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE_SIZE))
            .max_frame_size(Some(MAX_MESSAGE_SIZE));
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        let mut attempt =
            tungstenite::client::client_with_config(url.as_str(), stream, Some(config));
        let ws = loop {
            match attempt {
                Ok((ws, _response)) => break ws,
                Err(HandshakeError::Interrupted(mid)) if Instant::now() < deadline => {
                    attempt = mid.handshake();
                }
                Err(HandshakeError::Interrupted(_)) => {
                    return Err(format!("websocket handshake with {url} timed out"));
                }
                Err(HandshakeError::Failure(e)) => {
                    return Err(format!("websocket handshake with {url} failed: {e}"));
                }
            }
        };
        Ok(Conn {
            ws,
            next_id: 1,
            sessions: HashMap::new(),
        })
    }

    fn open_session(&mut self, session_id: &str) {
        self.sessions.entry(session_id.to_string()).or_default();
    }

    fn close_session(&mut self, session_id: &str) {
        self.sessions.remove(session_id);
    }

    /// Sends a command and returns its id without waiting for the answer.
    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<u64, String> {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            msg["sessionId"] = json!(session);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| format!("cannot send {method} to chromium: {e}"))?;
        Ok(id)
    }

    /// Sends a command and waits (bounded) for the response with its id.
    /// Events read in the meantime are queued for their session.
    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> CallResult {
        let id = self.send(session, method, params)?;
        let deadline = Instant::now() + timeout;
        loop {
            let Some(msg) = self.read_message(deadline)? else {
                return Err(format!(
                    "timed out after {timeout:?} waiting for the response to {method}"
                ));
            };
            // Responses to other ids belong to commands that already timed
            // out; they are dropped by `route`.
            if let Some(mut response) = self.route(msg, id) {
                return Ok(match response.get_mut("error") {
                    Some(error) => Err(describe_protocol_error(error)),
                    None => Ok(response
                        .get_mut("result")
                        .map(Value::take)
                        .unwrap_or(Value::Null)),
                });
            }
        }
    }

    /// Next queued or incoming event for `session`; `None` on deadline.
    fn next_event(&mut self, session: &str, deadline: Instant) -> Result<Option<Value>, String> {
        loop {
            if let Some(event) = self.pop_event(session) {
                return Ok(Some(event));
            }
            match self.read_message(deadline)? {
                Some(msg) => {
                    self.route(msg, 0);
                }
                None => return Ok(None),
            }
        }
    }

    fn pop_event(&mut self, session: &str) -> Option<Value> {
        self.sessions.get_mut(session)?.pop_front()
    }

    /// Reads and routes messages until the socket has been quiet for `quiet`
    /// (or `max` has passed).
    fn pump(&mut self, quiet: Duration, max: Duration) -> Result<(), String> {
        let end = Instant::now() + max;
        loop {
            let deadline = (Instant::now() + quiet).min(end);
            match self.read_message(deadline)? {
                Some(msg) => {
                    self.route(msg, 0);
                }
                None => return Ok(()),
            }
        }
    }

    /// Returns the message if it is the response with id `want`; queues
    /// session events; drops everything else.
    fn route(&mut self, msg: Value, want: u64) -> Option<Value> {
        if let Some(id) = msg.get("id").and_then(Value::as_u64) {
            return (id == want).then_some(msg);
        }
        // Session events carry a top-level sessionId; detach notifications
        // arrive on the browser session with the page's id in params.
        let session = msg
            .get("sessionId")
            .or_else(|| match msg.get("method").and_then(Value::as_str) {
                Some("Target.detachedFromTarget") => msg.pointer("/params/sessionId"),
                _ => None,
            })
            .and_then(Value::as_str)?;
        if let Some(queue) = self.sessions.get_mut(session)
            && queue.len() < MAX_QUEUED_EVENTS
        {
            queue.push_back(msg);
        }
        None
    }

    /// Reads one JSON message; `Ok(None)` when the deadline passes first.
    fn read_message(&mut self, deadline: Instant) -> Result<Option<Value>, String> {
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Ok(None);
            }
            // A zero read timeout means "block forever", hence the max().
            self.ws
                .get_mut()
                .set_read_timeout(Some(remaining.max(Duration::from_millis(1))))
                .map_err(|e| format!("cannot set devtools socket timeout: {e}"))?;
            let text = match self.ws.read() {
                Ok(Message::Text(text)) => text.as_str().to_string(),
                Ok(Message::Binary(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                Ok(Message::Close(frame)) => {
                    return Err(format!(
                        "chromium closed the devtools connection ({frame:?})"
                    ));
                }
                Ok(_) => continue, // ping/pong/raw frame
                // A read timeout; tungstenite keeps partial data, so retrying is safe.
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) => return Err(format!("devtools connection failed: {e}")),
            };
            return serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("invalid JSON from chromium ({e}): {text}"));
        }
    }
}

fn describe_protocol_error(error: &Value) -> String {
    let message = error["message"].as_str().unwrap_or("unknown error");
    match error.get("data").and_then(Value::as_str) {
        Some(data) => format!("{message} ({data})"),
        None => message.to_string(),
    }
}

fn json_str(value: &Value, key: &str) -> Result<String, String> {
    value[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("missing string field {key:?} in {value}"))
}

// ---------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------

/// A console error, uncaught exception or error-level log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConsoleError {
    /// `"exception"` (uncaught error / unhandled rejection), `"console"`
    /// (`console.error`/`console.assert`), or the `Log.entryAdded` source
    /// (`"network"`, `"javascript"`, `"security"`, ...). Failed resource
    /// loads appear here as `"network"` entries *and* in
    /// [`Page::failed_requests`]; filter on `source != "network"` for
    /// "JavaScript errors only".
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

/// A resource that failed to load: a network error (`Network.loadingFailed`,
/// e.g. `net::ERR_FILE_NOT_FOUND`) or an HTTP status >= 400 (`"HTTP 404"`).
/// Cancelled requests (e.g. aborted by navigating away) and Chromium's
/// automatic `/favicon.ico` probe are not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FailedRequest {
    pub(crate) url: String,
    pub(crate) error: String,
    /// CDP resource type: `"Document"`, `"Image"`, `"Script"`, ...
    pub(crate) resource_type: String,
}

impl fmt::Display for FailedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.resource_type, self.url, self.error)
    }
}

/// One tab. Obtained from [`Browser::new_page`]; closed on drop.
///
/// Errors are recorded continuously (whenever the page talks to the browser)
/// and accumulate across navigations until [`Page::clear_errors`].
pub(crate) struct Page<'b> {
    browser: &'b Browser,
    target_id: String,
    session_id: String,
    timeout: Duration,
    console_errors: Vec<ConsoleError>,
    failed_requests: Vec<FailedRequest>,
    /// requestId -> (url, resource type) of in-flight requests.
    requests: HashMap<String, (String, String)>,
    /// loaderId of the main frame's current document.
    current_loader: Option<String>,
    /// loaderId of the last main-frame document whose load event fired.
    loaded_loader: Option<String>,
    /// Set when the renderer crashed or the session was detached.
    fatal: Option<String>,
}

impl Page<'_> {
    /// Timeout for commands, navigations and key presses (default 15 s).
    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Sends a raw CDP command to this page's session.
    pub(crate) fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let timeout = self.timeout;
        self.call_raw(method, params, timeout)?
            .map_err(|e| format!("{method} failed: {e}"))
    }

    /// Navigates and waits for the new document's load event.
    ///
    /// Fails on navigation errors such as `net::ERR_FILE_NOT_FOUND`. (HTTP
    /// error statuses load normally and show up in [`Page::failed_requests`].)
    /// Same-document navigations (`#fragment`) return immediately.
    pub(crate) fn goto(&mut self, url: &str) -> Result<(), String> {
        let deadline = Instant::now() + self.timeout;
        self.call("Page.enable", json!({}))?; // idempotent
        let nav = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(error) = nav.get("errorText").and_then(Value::as_str)
            && !error.is_empty()
        {
            return Err(format!("navigation to {url} failed: {error}"));
        }
        let Some(loader) = nav.get("loaderId").and_then(Value::as_str) else {
            return Ok(()); // same-document navigation: no load event
        };
        // The main frame's Page.frameNavigated for this loaderId and then
        // Page.loadEventFired; a stale load event of the previous document
        // can therefore not be mistaken for ours.
        while self.loaded_loader.as_deref() != Some(loader) {
            if let Some(fatal) = &self.fatal {
                return Err(format!("navigation to {url} failed: {fatal}"));
            }
            if !self.process_next_event(deadline)? {
                return Err(format!(
                    "timed out after {:?} waiting for the load event of {url}",
                    self.timeout
                ));
            }
        }
        Ok(())
    }

    /// Evaluates `js` in the page (promises are awaited) and returns the
    /// result as JSON. `undefined` becomes `null`; values JSON cannot
    /// represent (`NaN`, `Infinity`, `-0`, BigInts) become their string form;
    /// DOM nodes become `{}`. A thrown exception is returned as `Err`.
    pub(crate) fn eval(&mut self, js: &str) -> Result<Value, String> {
        let timeout = self.timeout;
        let object = self
            .evaluate(js, timeout)?
            .map_err(|e| format!("evaluating `{}` failed: {e}", abbreviate(js)))?;
        Ok(remote_object_value(&object))
    }

    /// Polls `js_condition` (every 50 ms) until it is truthy. Exceptions while
    /// polling count as "not yet"; the last one is reported on timeout.
    pub(crate) fn wait_for(&mut self, js_condition: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let last_error =
                match self.evaluate(js_condition, remaining.max(Duration::from_millis(100)))? {
                    Ok(object) if remote_object_truthy(&object) => return Ok(()),
                    Ok(_) => None,
                    Err(e) => Some(e),
                };
            if let Some(fatal) = &self.fatal {
                return Err(format!(
                    "waiting for `{}`: {fatal}",
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
            thread::sleep(Duration::from_millis(50).min(remaining));
        }
    }

    /// Emulates a `width`x`height` CSS-pixel viewport (device scale factor
    /// one). With `mobile`, touch is enabled and `<meta name=viewport>` is
    /// honoured: without that tag a mobile page lays out 980 px wide.
    pub(crate) fn set_viewport(
        &mut self,
        width: u32,
        height: u32,
        mobile: bool,
    ) -> Result<(), String> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": mobile,
            }),
        )?;
        self.call(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": mobile, "maxTouchPoints": 1 }),
        )?;
        Ok(())
    }

    /// Enables/disables page scripts (effective for subsequent navigations;
    /// call before `goto`). [`Page::eval`] keeps working either way.
    pub(crate) fn set_javascript_enabled(&mut self, enabled: bool) -> Result<(), String> {
        self.call(
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": !enabled }),
        )?;
        Ok(())
    }

    /// Writes a PNG screenshot of the viewport to `path`.
    pub(crate) fn screenshot_png(&mut self, path: impl AsRef<Path>) -> Result<(), String> {
        let path = path.as_ref();
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }))?;
        let data = shot
            .get("data")
            .and_then(Value::as_str)
            .ok_or("Page.captureScreenshot returned no data")?;
        let png = base64_decode(data)?;
        fs::write(path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Presses and releases a key in the focused element.
    ///
    /// `key` is a DOM `KeyboardEvent.key` value – a single character (`"a"`,
    /// `"/"`, `" "`) or a name such as `Enter`, `Escape`, `Tab`, `Backspace`,
    /// `Delete`, `ArrowUp`/`Down`/`Left`/`Right`, `Home`, `End`, `PageUp`,
    /// `PageDown` – optionally prefixed by modifiers: `"Control+k"`,
    /// `"Shift+Tab"`, `"Meta+k"`, `"Alt+ArrowLeft"`.
    pub(crate) fn press_key(&mut self, key: &str) -> Result<(), String> {
        let (modifiers, key) = parse_modifiers(key);
        let def = key_definition(key).ok_or_else(|| format!("unknown key {key:?}"))?;
        // With Control/Alt/Meta held the key is a shortcut and inserts nothing.
        let text = def
            .text
            .filter(|_| modifiers & (MOD_ALT | MOD_CTRL | MOD_META) == 0);
        let mut down = json!({
            "type": if text.is_some() { "keyDown" } else { "rawKeyDown" },
            "key": key,
            "code": def.code,
            "windowsVirtualKeyCode": def.key_code,
            "nativeVirtualKeyCode": def.key_code,
            "modifiers": modifiers,
        });
        if let Some(text) = &text {
            down["text"] = json!(text);
            down["unmodifiedText"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down)?;
        self.call(
            "Input.dispatchKeyEvent",
            json!({
                "type": "keyUp",
                "key": key,
                "code": def.code,
                "windowsVirtualKeyCode": def.key_code,
                "nativeVirtualKeyCode": def.key_code,
                "modifiers": modifiers,
            }),
        )?;
        Ok(())
    }

    /// Inserts `text` into the focused element as if typed/pasted (fires
    /// `beforeinput`/`input`, but no key events; use `press_key` for those).
    pub(crate) fn type_text(&mut self, text: &str) -> Result<(), String> {
        self.call("Input.insertText", json!({ "text": text }))?;
        Ok(())
    }

    /// Console errors and uncaught exceptions recorded so far (after reading
    /// whatever the browser has already sent).
    pub(crate) fn console_errors(&mut self) -> &[ConsoleError] {
        self.collect_pending();
        &self.console_errors
    }

    /// Failed resource loads recorded so far (after reading whatever the
    /// browser has already sent).
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

    fn call_raw(&mut self, method: &str, params: Value, timeout: Duration) -> CallResult {
        if let Some(fatal) = &self.fatal {
            return Err(format!("cannot send {method}: {fatal}"));
        }
        let result = {
            let mut conn = self
                .browser
                .conn
                .try_borrow_mut()
                .map_err(|_| "CDP connection is already in use".to_string())?;
            conn.call(Some(&self.session_id), method, params, timeout)
        };
        self.process_queued_events();
        result
    }

    /// `Runtime.evaluate`; the inner `Err` is a JS exception or an error
    /// answer from the browser (e.g. context destroyed by a navigation).
    fn evaluate(&mut self, js: &str, timeout: Duration) -> CallResult {
        let params = json!({
            "expression": js,
            "returnByValue": true,
            "awaitPromise": true,
            "userGesture": true,
        });
        let mut result = match self.call_raw("Runtime.evaluate", params, timeout)? {
            Ok(result) => result,
            Err(e) => return Ok(Err(e)),
        };
        if let Some(details) = result.get("exceptionDetails") {
            return Ok(Err(describe_exception(details)));
        }
        Ok(Ok(result
            .get_mut("result")
            .map(Value::take)
            .unwrap_or(Value::Null)))
    }

    /// Processes one event (queued or from the socket); `false` on deadline.
    fn process_next_event(&mut self, deadline: Instant) -> Result<bool, String> {
        let event = self
            .browser
            .conn
            .try_borrow_mut()
            .map_err(|_| "CDP connection is already in use".to_string())?
            .next_event(&self.session_id, deadline)?;
        match event {
            Some(event) => {
                self.process_event(&event);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn process_queued_events(&mut self) {
        loop {
            let event = match self.browser.conn.try_borrow_mut() {
                Ok(mut conn) => conn.pop_event(&self.session_id),
                Err(_) => None,
            };
            match event {
                Some(event) => self.process_event(&event),
                None => return,
            }
        }
    }

    /// Reads what the browser has already sent (until 50 ms of silence, at
    /// most 1 s) and processes it. Transport errors are ignored here; they
    /// resurface on the next command.
    fn collect_pending(&mut self) {
        if let Ok(mut conn) = self.browser.conn.try_borrow_mut() {
            let _ = conn.pump(Duration::from_millis(50), Duration::from_secs(1));
        }
        self.process_queued_events();
    }

    /// Records a failed load, except Chromium's automatic `/favicon.ico`
    /// probe (type `Other`), which the page never asked for. (An icon linked
    /// explicitly at any other path is recorded.)
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

    fn process_event(&mut self, event: &Value) {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Runtime.exceptionThrown" => {
                let details = &params["exceptionDetails"];
                self.console_errors.push(ConsoleError {
                    source: "exception".into(),
                    text: describe_exception(details),
                    url: details["url"].as_str().map(str::to_string),
                    line: details["lineNumber"].as_u64().map(|l| l + 1),
                });
            }
            "Runtime.consoleAPICalled" => {
                let kind = params["type"].as_str().unwrap_or_default();
                if kind == "error" || kind == "assert" {
                    let args = params["args"]
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let text = args
                        .iter()
                        .map(remote_object_text)
                        .collect::<Vec<_>>()
                        .join(" ");
                    let frame = &params["stackTrace"]["callFrames"][0];
                    self.console_errors.push(ConsoleError {
                        source: "console".into(),
                        text,
                        url: frame["url"].as_str().map(str::to_string),
                        line: frame["lineNumber"].as_u64().map(|l| l + 1),
                    });
                }
            }
            "Log.entryAdded" => {
                let entry = &params["entry"];
                if entry["level"].as_str() == Some("error") {
                    self.console_errors.push(ConsoleError {
                        source: entry["source"].as_str().unwrap_or("log").to_string(),
                        text: entry["text"].as_str().unwrap_or_default().to_string(),
                        url: entry["url"].as_str().map(str::to_string),
                        line: entry["lineNumber"].as_u64().map(|l| l + 1),
                    });
                }
            }
            "Network.requestWillBeSent" => {
                if let Some(id) = params["requestId"].as_str() {
                    let url = params["request"]["url"].as_str().unwrap_or_default();
                    let kind = params["type"].as_str().unwrap_or("Other");
                    self.requests
                        .insert(id.to_string(), (url.to_string(), kind.to_string()));
                }
            }
            "Network.responseReceived" => {
                let response = &params["response"];
                let status = response["status"].as_u64().unwrap_or(0);
                if status >= 400 {
                    self.record_failure(
                        response["url"].as_str().unwrap_or_default().to_string(),
                        format!("HTTP {status}"),
                        params["type"].as_str().unwrap_or("Other").to_string(),
                    );
                }
            }
            "Network.loadingFinished" => {
                if let Some(id) = params["requestId"].as_str() {
                    self.requests.remove(id);
                }
            }
            "Network.loadingFailed" => {
                let request = params["requestId"]
                    .as_str()
                    .and_then(|id| self.requests.remove(id));
                if params["canceled"].as_bool() != Some(true) {
                    let (url, kind) = request
                        .unwrap_or_else(|| ("<unknown url>".to_string(), "Other".to_string()));
                    let mut error = params["errorText"].as_str().unwrap_or_default().to_string();
                    if let Some(reason) = params["blockedReason"].as_str() {
                        error.push_str(&format!(" (blocked: {reason})"));
                    }
                    let resource_type = params["type"].as_str().unwrap_or(&kind).to_string();
                    self.record_failure(url, error, resource_type);
                }
            }
            "Page.frameNavigated" => {
                let frame = &params["frame"];
                if frame.get("parentId").is_none() {
                    self.current_loader = frame["loaderId"].as_str().map(str::to_string);
                }
            }
            "Page.loadEventFired" => {
                self.loaded_loader = self.current_loader.clone();
            }
            "Inspector.targetCrashed" => {
                self.fatal = Some("the page's renderer crashed".into());
            }
            "Target.detachedFromTarget" => {
                self.fatal = Some("the page was detached from the browser".into());
            }
            _ => {}
        }
    }
}

impl Drop for Page<'_> {
    fn drop(&mut self) {
        if let Ok(mut conn) = self.browser.conn.try_borrow_mut() {
            conn.close_session(&self.session_id);
            let _ = conn.call(
                None,
                "Target.closeTarget",
                json!({ "targetId": self.target_id }),
                Duration::from_secs(5),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// `file://` URL for an absolute path (percent-encoding everything but
/// unreserved characters and `/`).
pub(crate) fn file_url(path: &Path) -> Result<String, String> {
    if !path.is_absolute() {
        return Err(format!(
            "file_url needs an absolute path, got {}",
            path.display()
        ));
    }
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = {
        let s = path.to_string_lossy().replace('\\', "/");
        if s.starts_with('/') {
            s
        } else {
            format!("/{s}")
        }
        .into_bytes()
    };
    let mut url = String::from("file://");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(url)
}

/// Standard (RFC 4648) base64 with optional padding; whitespace is ignored.
fn base64_decode(input: &str) -> Result<Vec<u8>, String> {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in input.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            break;
        }
        let v = sextet(c).ok_or_else(|| format!("invalid base64 byte {c:#04x}"))?;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// JSON value of a `returnByValue` remote object.
fn remote_object_value(object: &Value) -> Value {
    if let Some(special) = object.get("unserializableValue") {
        return special.clone();
    }
    object.get("value").cloned().unwrap_or(Value::Null)
}

/// JavaScript truthiness of a `returnByValue` remote object.
fn remote_object_truthy(object: &Value) -> bool {
    if let Some(special) = object.get("unserializableValue").and_then(Value::as_str) {
        return !matches!(special, "NaN" | "-0" | "0n");
    }
    match object.get("value") {
        None | Some(Value::Null) => object["type"] == "object" && object["subtype"] != "null",
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

/// Human-readable text of a console argument.
fn remote_object_text(object: &Value) -> String {
    match object.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => object["unserializableValue"]
            .as_str()
            .or(object["description"].as_str())
            .unwrap_or_else(|| object["type"].as_str().unwrap_or("?"))
            .to_string(),
    }
}

/// Message of `exceptionDetails` (with the stack, when there is one).
fn describe_exception(details: &Value) -> String {
    let exception = &details["exception"];
    exception["description"]
        .as_str()
        .map(str::to_string)
        .or_else(|| exception.get("value").map(|v| format!("Uncaught {v}")))
        .or_else(|| details["text"].as_str().map(str::to_string))
        .unwrap_or_else(|| details.to_string())
}

fn abbreviate(js: &str) -> String {
    const MAX: usize = 80;
    let one_line = js.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

const MOD_ALT: u32 = 1;
const MOD_CTRL: u32 = 2;
const MOD_META: u32 = 4;
const MOD_SHIFT: u32 = 8;

/// Splits `"Control+Shift+k"` into (CDP modifier bits, `"k"`).
fn parse_modifiers(mut key: &str) -> (u32, &str) {
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

struct KeyDefinition {
    code: String,
    key_code: u32,
    text: Option<String>,
}

fn key_definition(key: &str) -> Option<KeyDefinition> {
    let named = |code: &str, key_code: u32, text: Option<&str>| KeyDefinition {
        code: code.to_string(),
        key_code,
        text: text.map(str::to_string),
    };
    let def = match key {
        "Enter" => named("Enter", 13, Some("\r")),
        "Tab" => named("Tab", 9, None),
        "Escape" => named("Escape", 27, None),
        "Backspace" => named("Backspace", 8, None),
        "Delete" => named("Delete", 46, None),
        "ArrowLeft" => named("ArrowLeft", 37, None),
        "ArrowUp" => named("ArrowUp", 38, None),
        "ArrowRight" => named("ArrowRight", 39, None),
        "ArrowDown" => named("ArrowDown", 40, None),
        "Home" => named("Home", 36, None),
        "End" => named("End", 35, None),
        "PageUp" => named("PageUp", 33, None),
        "PageDown" => named("PageDown", 34, None),
        _ => {
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return None;
            };
            let (code, key_code) = match c {
                'a'..='z' | 'A'..='Z' => {
                    let upper = c.to_ascii_uppercase();
                    (format!("Key{upper}"), u32::from(upper))
                }
                '0'..='9' => (format!("Digit{c}"), u32::from(c)),
                ' ' => ("Space".to_string(), 32),
                _ => {
                    let (code, key_code) = match c {
                        ';' | ':' => ("Semicolon", 186),
                        '=' | '+' => ("Equal", 187),
                        ',' | '<' => ("Comma", 188),
                        '-' | '_' => ("Minus", 189),
                        '.' | '>' => ("Period", 190),
                        '/' | '?' => ("Slash", 191),
                        '`' | '~' => ("Backquote", 192),
                        '[' | '{' => ("BracketLeft", 219),
                        '\\' | '|' => ("Backslash", 220),
                        ']' | '}' => ("BracketRight", 221),
                        '\'' | '"' => ("Quote", 222),
                        _ => ("", 0),
                    };
                    (code.to_string(), key_code)
                }
            };
            KeyDefinition {
                code,
                key_code,
                text: Some(c.to_string()),
            }
        }
    };
    Some(def)
}
