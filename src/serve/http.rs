//! The HTTP side of `serve`: only files of the built site, straight from memory (so no path can
//! reach the disk), only to requests addressed to this machine's own name unless `--bind`
//! opened the server to the network, and a server-sent-events stream for live reload.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use tiny_http::{Header, Request, Response, StatusCode};

use super::live;
use super::state::{Message, Served};

pub(super) const EVENTS: &str = "/__gongdu/events";
pub(super) const SCRIPT: &str = "/__gongdu/live.js";

pub(super) fn serve(server: tiny_http::Server, served: Arc<Served>, addr: SocketAddr) {
    for request in server.incoming_requests() {
        let served = Arc::clone(&served);
        std::thread::spawn(move || handle(request, &served, addr));
    }
}

fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

fn handle(request: Request, served: &Served, addr: SocketAddr) {
    if !host_allowed(header(&request, "Host"), addr) {
        let _ = request.respond(text(
            403,
            "This preview server answers only to localhost (see gongdu serve --bind).",
        ));
        return;
    }
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    match path.as_str() {
        EVENTS => {
            if !origin_allowed(header(&request, "Origin"), addr) {
                let _ = request.respond(text(403, "cross-origin event stream refused"));
                return;
            }
            events(request, served);
        }
        SCRIPT => {
            let _ = request.respond(with_type(
                Response::from_data(live::SCRIPT.as_bytes().to_vec()),
                "js",
            ));
        }
        _ => {
            let response = file(&path, served);
            let _ = request.respond(response);
        }
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

fn events(request: Request, served: &Served) {
    let rx = served.subscribe();
    let mut out = request.into_writer();
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

fn file(path: &str, served: &Served) -> Response<std::io::Cursor<Vec<u8>>> {
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
        return text(301, "moved").with_header(
            Header::from_bytes("Location", location.as_bytes()).expect("a valid header"),
        );
    }
    not_found(&snapshot)
}

fn not_found(snapshot: &super::Snapshot) -> Response<std::io::Cursor<Vec<u8>>> {
    match snapshot.files.get("404.html") {
        Some(bytes) => body("404.html", bytes, 404),
        None => text(404, "not found"),
    }
}

fn body(key: &str, bytes: &[u8], status: u16) -> Response<std::io::Cursor<Vec<u8>>> {
    let extension = key.rsplit('.').next().unwrap_or("");
    let data = if extension == "html" {
        live::inject(bytes)
    } else {
        bytes.to_vec()
    };
    with_type(Response::from_data(data), extension).with_status_code(StatusCode(status))
}

fn text(status: u16, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_type(Response::from_data(message.as_bytes().to_vec()), "txt")
        .with_status_code(StatusCode(status))
}

fn with_type<R: std::io::Read>(response: Response<R>, extension: &str) -> Response<R> {
    let kind = content_type(extension);
    response
        .with_header(Header::from_bytes("Content-Type", kind.as_bytes()).expect("a valid header"))
        .with_header(Header::from_bytes("Cache-Control", "no-store").expect("a valid header"))
        .with_header(
            Header::from_bytes("X-Content-Type-Options", "nosniff").expect("a valid header"),
        )
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
