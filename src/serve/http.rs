//! What `serve` answers over HTTP: only files of the built site, straight from memory (so no
//! path can reach the disk), the live-reload script, and a server-sent-events stream that
//! tells open pages to reload or shows them the build's errors. Who may ask, how many at once
//! and for how long is the shared server's business (`crate::http`).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use tower_http::limit::RequestBodyLimitLayer;

use super::held::{self, Body};
use super::live;
use super::state::Served;
use crate::http::headers::{self, Twin};
use crate::http::host::HostPolicy;
use crate::http::path::site_path;
use crate::http::response::{self, Caching};
use crate::http::server::{self, Limits};

pub(super) const EVENTS: &str = "/__gongdu/events";
pub(super) const SCRIPT: &str = "/__gongdu/live.js";

/// A preview has one editor with a few tabs: each tab holds an event stream and loads a page
/// over a handful of connections, so this many is plenty, and few enough that a runaway
/// client cannot take the process's file descriptors.
const LIMITS: Limits = Limits {
    connections: 128,
    head_timeout: Duration::from_secs(10),
    write_stall: Duration::from_secs(20),
    max_head: 16 * 1024,
    max_headers: 100,
};
/// A request body (a GET has none) larger than this is refused unread.
const MAX_BODY: usize = 1 << 20;
/// A comment on the event stream this often, so that a closed page is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Clone)]
struct Preview {
    served: Arc<Served>,
    policy: Arc<HostPolicy>,
}

/// Serves the preview on `listener` (bound to `addr`) until the process ends.
pub(super) fn serve(
    listener: std::net::TcpListener,
    served: Arc<Served>,
    addr: SocketAddr,
) -> std::io::Result<()> {
    server::run(listener, app(served, addr), LIMITS)
}

fn app(served: Arc<Served>, addr: SocketAddr) -> Router {
    let preview = Preview {
        served,
        policy: Arc::new(HostPolicy::new(addr.ip(), addr.port())),
    };
    Router::new()
        .route(EVENTS, get(events))
        .route(SCRIPT, get(script))
        .fallback(file)
        .layer(middleware::from_fn_with_state(preview.clone(), guard))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .with_state(preview)
}

/// Before any route: GET and HEAD only, and only for a `Host` that names this server.
async fn guard(State(preview): State<Preview>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return response::text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().unwrap_or(""),
        _ => {
            return response::text(StatusCode::BAD_REQUEST, "a request needs one Host header");
        }
    };
    // A request line with a whole URL (`GET http://host/ HTTP/1.1`) names a host too.
    let target = request.uri().authority().map(|a| a.as_str());
    if !preview.policy.allows_host(host) || target.is_some_and(|t| !preview.policy.allows_host(t)) {
        return response::text(
            StatusCode::FORBIDDEN,
            "This preview server answers only to localhost (see gongdu serve --bind).",
        );
    }
    next.run(request).await
}

/// The live-reload script: kept by the browser when asked for under the version pages name
/// (`?v=…`), asked for again each time otherwise.
async fn script(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let named = uri.query() == Some(&format!("v={}", live::version()));
    response::file(
        &headers,
        live::SCRIPT.as_bytes().to_vec(),
        response::content_type("js"),
        if named {
            Caching::Immutable
        } else {
            Caching::Revalidate
        },
    )
}

/// The live-reload stream, for the served pages themselves and never for another site open
/// in the same browser.
async fn events(State(preview): State<Preview>, headers: HeaderMap) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN)
        && !origin
            .to_str()
            .is_ok_and(|o| preview.policy.allows_origin(o))
    {
        return response::text(StatusCode::FORBIDDEN, "cross-origin event stream refused");
    }
    let news = futures_util::stream::unfold(preview.served.subscribe(), |mut rx| async move {
        let message = rx.recv().await?;
        Some((Ok::<Event, Infallible>(live::event(&message)), rx))
    });
    let hello = futures_util::stream::once(async { Ok(Event::default().comment("connected")) });
    let mut response = Sse::new(hello.chain(news))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A file of the last good build, a redirect to a folder's page, or the site's 404 page.
async fn file(State(preview): State<Preview>, request: Request) -> Response {
    let snapshot = preview.served.snapshot();
    let headers = request.headers();
    let Some(key) = site_path(request.uri().path()) else {
        return not_found(&snapshot, headers);
    };
    if let Some(body) = snapshot.get(&key) {
        let caching = if snapshot.hashed.contains(&key) {
            Caching::Immutable
        } else {
            Caching::Revalidate
        };
        return send(headers, &key, body, Answer::Found(caching));
    }
    if key == "favicon.ico" {
        // Browsers ask for it on their own; a site without one needs no error for it.
        return response::text(StatusCode::NO_CONTENT, "");
    }
    if snapshot.get(&format!("{key}/index.html")).is_some() {
        return response::redirect_to_folder(key.split('/'));
    }
    not_found(&snapshot, headers)
}

fn not_found(snapshot: &super::Snapshot, headers: &HeaderMap) -> Response {
    match snapshot.get("404.html") {
        Some(body) => send(headers, "404.html", body, Answer::NotFound),
        None => response::text(StatusCode::NOT_FOUND, "not found"),
    }
}

/// What a served file answers.
enum Answer {
    /// The file asked for, kept by the browser as this says.
    Found(Caching),
    /// The site's 404 page, never kept.
    NotFound,
}

/// A served file (pages hold the live-reload script already): a found file with an ETag (so
/// `304` when unchanged), the 404 page never kept. A compressed file goes out as it is held to
/// a client that takes gzip, else decompressed; either way `Vary` tells caches that the
/// answer depends on `Accept-Encoding`, and each form has its own ETag.
fn send(request: &HeaderMap, key: &str, body: Body<'_>, answer: Answer) -> Response {
    let content_type = response::content_type(held::extension(key));
    let (bytes, gzipped) = match body {
        Body::Gzip(packed) if takes_gzip(request) => (packed.to_vec(), true),
        other => (other.plain().into_owned(), false),
    };
    let mut response = match answer {
        Answer::Found(caching) => response::file(request, bytes, content_type, caching),
        Answer::NotFound => {
            response::with_type(StatusCode::NOT_FOUND, bytes, content_type, Caching::Never)
        }
    };
    let sent = response.status() != StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    if let Body::Gzip(_) = body {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if gzipped && sent {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}

/// Whether the request's `Accept-Encoding` (all of its lines, read as one list) takes gzip.
fn takes_gzip(request: &HeaderMap) -> bool {
    let accepted: Vec<&str> = request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    headers::accepts(&accepted.join(","), Twin::Gzip)
}
