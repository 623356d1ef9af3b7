//! What the LAN server answers: GET and HEAD for files of the site and nothing else, with
//! validators (ETag, Last-Modified, 304), one byte range (206, 416), a precompressed twin when
//! the client takes it, and a cache policy by kind of file. Finding files is `site`'s job;
//! connections, timeouts and limits are the shared server's (`crate::http::server`).

use std::io::Read;
use std::sync::Arc;

use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;

use super::index::{Entry, Found, Index, SMALL};
use super::log::AccessLog;
use super::site::Site;
use crate::http::headers::{self, Twin, Wanted};
use crate::http::host::HostPolicy;
use crate::http::path::site_path;
use crate::http::response::{self, Caching};

/// Large files are streamed in pieces of this size, so that a big PDF costs each client only
/// one piece of memory.
const PIECE: u64 = SMALL;

/// What every request handler shares.
pub(crate) struct Mirror {
    pub(crate) site: Site,
    pub(crate) policy: HostPolicy,
    pub(crate) log: Option<AccessLog>,
}

pub(crate) async fn handle(State(mirror): State<Arc<Mirror>>, request: Request) -> Response {
    let response = answer(&mirror, &request);
    if let Some(log) = &mirror.log {
        let bytes = response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .or_else(|| HttpBody::size_hint(response.body()).exact())
            .filter(|_| request.method() != Method::HEAD)
            .unwrap_or(0);
        log.record(
            request.method().as_str(),
            request.uri().path(),
            response.status().as_u16(),
            bytes,
        );
    }
    response
}

fn answer(mirror: &Mirror, request: &Request) -> Response {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut refused = response::text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return refused;
    }
    if let Some(problem) = host_problem(&mirror.policy, request) {
        return problem;
    }
    let Some(key) = site_path(request.uri().path()) else {
        return response::text(StatusCode::BAD_REQUEST, "not a path inside this site");
    };
    let site = mirror.site.current();
    match site.find(&key) {
        Found::File(entry) => file(&site, request, &key, &entry),
        Found::Folder if site.find(&format!("{key}/index.html")).is_file() => {
            response::redirect_to_folder(key.split('/'))
        }
        Found::Folder | Found::Missing => not_found(&site, request.method()),
    }
}

/// One `Host` header that the policy accepts (HTTP/1.1 requires it), and a request line that
/// names no other host.
fn host_problem(policy: &HostPolicy, request: &Request) -> Option<Response> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().unwrap_or(""),
        (None, None) if request.version() < axum::http::Version::HTTP_11 => return None,
        _ => {
            return Some(response::text(
                StatusCode::BAD_REQUEST,
                "a request needs one Host header",
            ));
        }
    };
    let target = request.uri().authority().map(|a| a.as_str());
    if !policy.allows_host(host) || target.is_some_and(|t| !policy.allows_host(t)) {
        return Some(response::text(StatusCode::BAD_REQUEST, "malformed Host"));
    }
    None
}

/// The site's own `404.html` when it has one (a small file, so from memory).
fn not_found(site: &Index, method: &Method) -> Response {
    let page = match site.find("404.html") {
        Found::File(entry) => site.bytes(&entry).ok().flatten(),
        _ => None,
    };
    let Some(page) = page else {
        return response::text(StatusCode::NOT_FOUND, "not found");
    };
    let mut headers = HeaderMap::with_capacity(4);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(response::content_type("html")),
    );
    headers.insert(header::CACHE_CONTROL, Caching::Never.header());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CONTENT_LENGTH, page.len().into());
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(page)
    };
    with(StatusCode::NOT_FOUND, headers, body)
}

/// The file itself or its twin, whole or in part, or only its headers.
fn file(site: &Index, request: &Request, key: &str, entry: &Arc<Entry>) -> Response {
    let asked = request.headers();
    let extension = key.rsplit_once('.').map_or("", |(_, e)| e);
    let kind = response::content_type(extension);
    // Decided on the file's own bytes, before a compressed twin may stand in for them.
    let caching = if site.names_its_bytes(key, entry) {
        Caching::Immutable
    } else {
        caching(extension)
    };
    // A range is of the file's own bytes (resumed downloads must fit together), so a ranged
    // request never gets a twin.
    let twin = match asked.get(header::RANGE) {
        Some(_) => None,
        None => twin(site, asked, key),
    };
    let (entry, twin) = match &twin {
        Some((twin_entry, twin)) => (twin_entry, Some(*twin)),
        None => (entry, None),
    };
    let mut headers = HeaderMap::with_capacity(12);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, caching.header());
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::ETAG, entry.tag.clone());
    headers.insert(header::LAST_MODIFIED, entry.last_modified.clone());
    if let Some(twin) = twin {
        headers.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_static(twin.coding()),
        );
    }
    if unchanged(asked, entry) {
        headers.remove(header::CONTENT_TYPE);
        return with(StatusCode::NOT_MODIFIED, headers, Body::empty());
    }
    let (status, start, end) = match wanted(asked, entry) {
        Wanted::Whole => (StatusCode::OK, 0, entry.len),
        Wanted::Part { start, end } => {
            let range = format!("bytes {start}-{}/{}", end - 1, entry.len);
            if let Ok(range) = HeaderValue::from_str(&range) {
                headers.insert(header::CONTENT_RANGE, range);
            }
            (StatusCode::PARTIAL_CONTENT, start, end)
        }
        Wanted::Unsatisfiable => {
            let range = format!("bytes */{}", entry.len);
            let mut refused = response::text(StatusCode::RANGE_NOT_SATISFIABLE, "out of range");
            if let Ok(range) = HeaderValue::from_str(&range) {
                refused.headers_mut().insert(header::CONTENT_RANGE, range);
            }
            return refused;
        }
    };
    headers.insert(header::CONTENT_LENGTH, (end - start).into());
    if request.method() == Method::HEAD {
        return with(status, headers, Body::empty());
    }
    match body(site, entry, start, end) {
        Ok(body) => with(status, headers, body),
        Err(e) => {
            eprintln!("error: {key}: {e}");
            response::text(StatusCode::INTERNAL_SERVER_ERROR, "cannot read this file")
        }
    }
}

/// The best twin (`page.html.br`, `page.html.gz`) that exists and the client accepts.
fn twin(site: &Index, asked: &HeaderMap, key: &str) -> Option<(Arc<Entry>, Twin)> {
    let accepted = asked.get(header::ACCEPT_ENCODING)?.to_str().ok()?;
    Twin::ALL
        .into_iter()
        .filter(|twin| headers::accepts(accepted, *twin))
        .find_map(|twin| match site.find(&format!("{key}{}", twin.suffix())) {
            Found::File(entry) => Some((entry, twin)),
            _ => None,
        })
}

/// `If-None-Match` when present (it wins), else `If-Modified-Since`.
fn unchanged(asked: &HeaderMap, entry: &Entry) -> bool {
    let text = |name| asked.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    match text(header::IF_NONE_MATCH) {
        Some(tags) => headers::none_match_hits(tags, tag_text(entry)),
        None => text(header::IF_MODIFIED_SINCE)
            .is_some_and(|date| headers::unmodified_since(date, entry.modified)),
    }
}

/// Tags are made of ASCII, so this is the whole tag.
fn tag_text(entry: &Entry) -> &str {
    entry.tag.to_str().unwrap_or_default()
}

/// The range asked for, unless `If-Range` says the client's copy is of other bytes.
fn wanted(asked: &HeaderMap, entry: &Entry) -> Wanted {
    let Some(range) = asked.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Wanted::Whole;
    };
    if let Some(condition) = asked.get(header::IF_RANGE).and_then(|v| v.to_str().ok())
        && !headers::if_range_holds(condition, tag_text(entry), entry.modified)
    {
        return Wanted::Whole;
    }
    headers::range(range, entry.len)
}

/// Pages, scripts, styles and data change with every update pack, so clients ask each time
/// (a cheap 304 on a LAN); media rarely changes under the same name, so phones keep it. (The
/// theme's stylesheets and scripts, named by the hash of their bytes, are kept for good:
/// [`Index::names_its_bytes`].)
fn caching(extension: &str) -> Caching {
    match extension.to_ascii_lowercase().as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg" | "ico" | "woff" | "woff2"
        | "mp3" | "m4a" | "ogg" | "mp4" | "webm" | "pdf" => Caching::Day,
        _ => Caching::Revalidate,
    }
}

/// Bytes `start..end` of the entry: from memory for a small file, else streamed.
fn body(site: &Index, entry: &Entry, start: u64, end: u64) -> std::io::Result<Body> {
    if let Some(bytes) = site.bytes(entry)? {
        let range = usize::try_from(start).unwrap_or(0)..usize::try_from(end).unwrap_or(0);
        return Ok(Body::from(bytes.slice(range)));
    }
    let reader = site.reader(entry, start)?.take(end - start);
    // Each piece is read where the stream is polled: reads of a local disk or of the page
    // cache are short, and the runtime's one blocking thread would be a queue for all.
    let pieces = futures_util::stream::unfold(reader, |mut reader| async move {
        let mut piece = Vec::with_capacity(PIECE as usize);
        match (&mut reader).take(PIECE).read_to_end(&mut piece) {
            Ok(0) => None,
            Ok(_) => Some((Ok::<_, std::io::Error>(piece), reader)),
            Err(e) => Some((Err(e), reader)),
        }
    });
    Ok(Body::from_stream(pieces))
}

fn with(status: StatusCode, headers: HeaderMap, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

impl Found {
    fn is_file(&self) -> bool {
        matches!(self, Found::File(_))
    }
}
