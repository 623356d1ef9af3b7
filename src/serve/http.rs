//! The HTTP side of `serve`: only files of the built site, straight from memory (so no path can
//! reach the disk), only to requests addressed to this machine's own name unless `--bind`
//! opened the server to the network, and a server-sent-events stream for live reload.
//!
//! A small HTTP/1.1 server of its own: one thread per connection, GET and HEAD only, bodies
//! with a length, idle connections closed after a while. A preview server needs no more, and
//! every connection gets its thread at once (a shared pool that waits for keep-alive
//! connections to end can leave a page's last script hanging, and the page never loads).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use super::live;
use super::state::{Message, Served};

pub(super) const EVENTS: &str = "/__gongdu/events";
pub(super) const SCRIPT: &str = "/__gongdu/live.js";

/// An idle keep-alive connection is closed after this long.
const IDLE: Duration = Duration::from_secs(30);
/// Limits on a request's head, so that no client can make the server hold much memory.
const MAX_LINE: usize = 8 * 1024;
const MAX_HEADERS: usize = 100;

pub(super) fn serve(listener: TcpListener, served: Arc<Served>, addr: SocketAddr) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let served = Arc::clone(&served);
        std::thread::spawn(move || connection(stream, &served, addr));
    }
}

/// A request's head; the body of a GET is read and dropped.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    keep_alive: bool,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// Answers the requests of one connection in turn until the client closes it, asks to, or
/// stays idle for [`IDLE`].
fn connection(stream: TcpStream, served: &Served, addr: SocketAddr) {
    if stream.set_read_timeout(Some(IDLE)).is_err() {
        return;
    }
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let request = match read_request(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(()) => {
                let _ = send(&mut writer, text(400, "bad request"), false, false);
                return;
            }
        };
        if !matches!(request.method.as_str(), "GET" | "HEAD") {
            let _ = send(&mut writer, text(405, "only GET and HEAD"), false, false);
            return;
        }
        let head_only = request.method == "HEAD";
        match handle(&request, served, addr) {
            Some(response) => {
                if send(&mut writer, response, request.keep_alive, head_only).is_err()
                    || !request.keep_alive
                {
                    return;
                }
            }
            None => return events(writer, served),
        }
    }
}

/// Reads one request head: `Ok(None)` when the client closed the connection or went quiet,
/// `Err` when what it sent is not HTTP/1.x within the limits.
fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, ()> {
    let mut line = String::new();
    let request_line = loop {
        line.clear();
        match read_line(reader, &mut line) {
            Ok(0) | Err(LineError::Io) => return Ok(None),
            Err(LineError::Bad) => return Err(()),
            Ok(_) if line.trim().is_empty() => continue, // stray blank lines between requests
            Ok(_) => break line.trim_end().to_owned(),
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(());
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(()),
    };
    let mut headers = Vec::new();
    loop {
        line.clear();
        match read_line(reader, &mut line) {
            Ok(0) | Err(LineError::Io) => return Ok(None),
            Err(LineError::Bad) => return Err(()),
            Ok(_) => {}
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(());
        }
        let (name, value) = header.split_once(':').ok_or(())?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        keep_alive: false,
    };
    let connection = request
        .header("Connection")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    request.keep_alive = if http10 {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    // A body (not expected with GET) is read past so the next request starts where it should.
    if let Some(length) = request.header("Content-Length") {
        let length: u64 = length.parse().map_err(|_| ())?;
        if length > 1 << 20 {
            return Err(());
        }
        std::io::copy(&mut reader.take(length), &mut std::io::sink()).map_err(|_| ())?;
    }
    if request.header("Transfer-Encoding").is_some() {
        request.keep_alive = false;
    }
    Ok(Some(request))
}

enum LineError {
    Io,
    Bad,
}

/// One line of at most [`MAX_LINE`] bytes, in UTF-8.
fn read_line(reader: &mut impl BufRead, line: &mut String) -> Result<usize, LineError> {
    let mut bytes = Vec::new();
    let n = reader
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut bytes)
        .map_err(|_| LineError::Io)?;
    if n > MAX_LINE || (n > 0 && !bytes.ends_with(b"\n")) {
        return Err(LineError::Bad);
    }
    line.push_str(std::str::from_utf8(&bytes).map_err(|_| LineError::Bad)?);
    Ok(n)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    }
}

fn send(
    out: &mut TcpStream,
    response: Response,
    keep_alive: bool,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    out.write_all(head.as_bytes())?;
    if !head_only && response.status != 204 {
        out.write_all(&response.body)?;
    }
    out.flush()
}

/// The response to a request, or `None` for the live-reload stream.
fn handle(request: &Request, served: &Served, addr: SocketAddr) -> Option<Response> {
    if !host_allowed(request.header("Host"), addr) {
        return Some(text(
            403,
            "This preview server answers only to localhost (see gongdu serve --bind).",
        ));
    }
    let path = request
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    match path.as_str() {
        EVENTS => {
            if !origin_allowed(request.header("Origin"), addr) {
                return Some(text(403, "cross-origin event stream refused"));
            }
            None
        }
        SCRIPT => Some(with_type(live::SCRIPT.as_bytes().to_vec(), "js", 200)),
        _ => Some(file(&path, served)),
    }
}

/// Whether `Host` names this server: a localhost name or, when bound to the network, anything.
pub(super) fn host_allowed(host: Option<&str>, addr: SocketAddr) -> bool {
    if !addr.ip().is_loopback() {
        return true;
    }
    let Some(host) = host else { return false };
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name == "::1" || name.starts_with("127.")
}

/// The live-reload stream takes requests from the served pages themselves, never from
/// another site open in the same browser.
pub(super) fn origin_allowed(origin: Option<&str>, addr: SocketAddr) -> bool {
    match origin {
        None => true,
        Some(origin) => {
            let Some(host) = origin.strip_prefix("http://") else {
                return false;
            };
            host_allowed(Some(host), addr)
                && host.rsplit(':').next() == Some(&addr.port().to_string())
        }
    }
}

fn events(mut out: TcpStream, served: &Served) {
    let rx = served.subscribe();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(Message::Reload) => "event: reload\ndata: ok\n\n".to_owned(),
            Ok(Message::Problems(text)) => {
                let data: String = text.lines().map(|l| format!("data: {l}\n")).collect();
                format!("event: problems\n{data}\n")
            }
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(chunk.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return; // the page went away
        }
    }
}

/// The site path a request path names, or `None` when it tries to leave the site.
pub(super) fn site_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn file(path: &str, served: &Served) -> Response {
    let snapshot = served.snapshot();
    let Some(key) = site_path(path) else {
        return not_found(&snapshot);
    };
    if let Some(bytes) = snapshot.files.get(&key) {
        return body(&key, bytes, 200);
    }
    if key == "favicon.ico" {
        // Browsers ask for it on their own; a site without one needs no error for it.
        return text(204, "");
    }
    if snapshot.files.contains_key(&format!("{key}/index.html")) {
        let location = format!("{}/", path.trim_end_matches('/'));
        return text(301, "moved").with_header("Location", location);
    }
    not_found(&snapshot)
}

fn not_found(snapshot: &super::Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(bytes) => body("404.html", bytes, 404),
        None => text(404, "not found"),
    }
}

fn body(key: &str, bytes: &[u8], status: u16) -> Response {
    let extension = key.rsplit('.').next().unwrap_or("");
    let data = if extension == "html" {
        live::inject(bytes)
    } else {
        bytes.to_vec()
    };
    with_type(data, extension, status)
}

fn text(status: u16, message: &str) -> Response {
    with_type(message.as_bytes().to_vec(), "txt", status)
}

fn with_type(body: Vec<u8>, extension: &str, status: u16) -> Response {
    Response {
        status,
        headers: vec![
            ("Content-Type", content_type(extension).to_owned()),
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
        ],
        body,
    }
}

pub(super) fn content_type(extension: &str) -> &'static str {
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/a/b/").as_deref(), Some("a/b/index.html"));
        assert_eq!(
            site_path("/%E5%B7%A5%E4%BC%9A/").as_deref(),
            Some("工会/index.html")
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/etc",
            "/a\\..\\b",
            "a/b",
            "/a/./b",
            "/%00",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        // Decoded once only: `..%252f` stays a harmless name that no file has.
        assert_eq!(
            site_path("/..%252f..%252fetc").as_deref(),
            Some("..%2f..%2fetc")
        );
    }

    fn parse(raw: &str) -> Result<Option<Request>, ()> {
        read_request(&mut std::io::Cursor::new(raw.as_bytes().to_vec()))
    }

    #[test]
    fn requests_are_read_with_their_connection_wishes() {
        let r = parse("GET /a/%E5%B7%A5/ HTTP/1.1\r\nHost: localhost:1\r\n\r\n")
            .expect("valid")
            .expect("a request");
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("GET", "/a/%E5%B7%A5/")
        );
        assert_eq!(r.header("host"), Some("localhost:1"));
        assert!(r.keep_alive);
        let close = parse("HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n").expect("valid");
        assert!(!close.expect("a request").keep_alive);
        let old = parse("GET / HTTP/1.0\r\n\r\n").expect("valid");
        assert!(!old.expect("a request").keep_alive);
        // Two requests on one connection, the first with a body to skip.
        let mut both = std::io::Cursor::new(
            b"GET /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /b HTTP/1.1\r\n\r\n".to_vec(),
        );
        let first = read_request(&mut both).expect("valid").expect("first");
        let second = read_request(&mut both).expect("valid").expect("second");
        assert_eq!(
            (first.target.as_str(), second.target.as_str()),
            ("/a", "/b")
        );
        assert!(
            read_request(&mut both).expect("valid").is_none(),
            "then the end"
        );
    }

    #[test]
    fn malformed_or_oversized_requests_are_refused() {
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        for bad in [
            "GET / HTTP/2.0\r\n\r\n",
            "GET /\r\n\r\n",
            "GET / HTTP/1.1 extra\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: lots\r\n\r\n",
            long.as_str(),
            many.as_str(),
        ] {
            assert!(parse(bad).is_err(), "{bad:.40}");
        }
        assert!(parse("").expect("nothing sent").is_none());
    }

    #[test]
    fn only_localhost_names_unless_bound_to_the_network() {
        let local: SocketAddr = "127.0.0.1:1111".parse().expect("addr");
        for ok in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "LOCALHOST",
            "app.localhost:1111",
        ] {
            assert!(host_allowed(Some(ok), local), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "192.168.1.5:1111",
            "localhost.evil.example",
        ] {
            assert!(!host_allowed(Some(bad), local), "{bad}");
        }
        assert!(!host_allowed(None, local));
        let open: SocketAddr = "0.0.0.0:1111".parse().expect("addr");
        assert!(host_allowed(Some("192.168.1.5:1111"), open));
        assert!(origin_allowed(Some("http://localhost:1111"), local));
        assert!(!origin_allowed(Some("http://evil.example:1111"), local));
        assert!(!origin_allowed(Some("http://localhost:9999"), local));
    }
}
