//! Responses for files held in memory: the content type from the name, an ETag from the bytes
//! (so a client that has them gets `304 Not Modified`), the cache policy the server chose, and
//! redirects that can only lead to a path on this same site.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// How long a client may keep a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caching {
    /// Keep nothing (error pages, streams).
    Never,
    /// Keep it, but ask each time whether it changed (the ETag makes the answer cheap).
    Revalidate,
    /// Keep it for a day without asking (media that rarely changes under the same name).
    Day,
    /// Keep it without asking: a name that holds a hash of the contents (`gongdu.1a2b3c4d.css`)
    /// names those bytes for ever, and new bytes come under a new name. A page reload then
    /// takes such files from the browser's cache instead of asking for each again.
    Immutable,
}

impl Caching {
    pub(crate) fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Caching::Never => "no-store",
            Caching::Revalidate => "no-cache",
            Caching::Day => "public, max-age=86400",
            Caching::Immutable => "public, max-age=31536000, immutable",
        })
    }
}

/// The bytes of a file as the response to a GET or HEAD with `request` headers: 200 with an
/// ETag, or 304 when the client's `If-None-Match` already names these bytes.
pub(crate) fn file(
    request: &HeaderMap,
    bytes: Vec<u8>,
    content_type: &'static str,
    caching: Caching,
) -> Response {
    let tag = format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(&bytes));
    let unchanged = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag);
    let (status, body) = if unchanged {
        (StatusCode::NOT_MODIFIED, Vec::new())
    } else {
        (StatusCode::OK, bytes)
    };
    let mut response = with_type(status, body, content_type, caching);
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// A response with `body` of `content_type`, never sniffed as another type.
pub(crate) fn with_type(
    status: StatusCode,
    body: Vec<u8>,
    content_type: &'static str,
    caching: Caching,
) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, caching.header());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A short plain-text answer that is never cached.
pub(crate) fn text(status: StatusCode, message: &str) -> Response {
    with_type(
        status,
        message.as_bytes().to_vec(),
        content_type("txt"),
        Caching::Never,
    )
}

/// What a path segment must not carry literally in a `Location`: anything that would end the
/// segment or the path (`/`, `\`, `?`, `#`), start an escape (`%`), or is not plain ASCII.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// `301` to the folder whose (decoded) path segments are `segments`. The location is built
/// from the segments alone, each escaped and none empty, so it is always a path on this
/// site: it starts with one `/` and never with `//` or `/\`, which browsers would read as
/// another host.
pub(crate) fn redirect_to_folder<'a>(segments: impl IntoIterator<Item = &'a str>) -> Response {
    let mut location = String::from("/");
    for segment in segments.into_iter().filter(|s| !s.is_empty()) {
        location.extend(utf8_percent_encode(segment, SEGMENT));
        location.push('/');
    }
    let mut response = text(StatusCode::MOVED_PERMANENTLY, "moved");
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The content type of a file by its extension.
pub(crate) fn content_type(extension: &str) -> &'static str {
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
        "woff" => "font/woff",
        "avif" => "image/avif",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "epub" => "application/epub+zip",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(segments: &[&str]) -> String {
        let response = redirect_to_folder(segments.iter().copied());
        response.headers()[header::LOCATION]
            .to_str()
            .expect("ascii")
            .to_owned()
    }

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(location(&["history"]), "/history/");
        assert_eq!(location(&["", "", "history"]), "/history/");
        assert_eq!(location(&["历史"]), "/%E5%8E%86%E5%8F%B2/");
        for odd in [["/evil.example"], ["\\evil.example"], ["%2F%2Fx"], ["?x"]] {
            let to = location(&odd);
            assert!(to.starts_with('/') && !to.starts_with("//"), "{to}");
            assert!(!to[1..].contains(['/', '\\']) || to.ends_with('/'), "{to}");
            assert_eq!(to.matches('/').count(), 2, "one segment: {to}");
        }
    }

    #[test]
    fn an_etag_the_client_has_means_not_modified() {
        let first = file(
            &HeaderMap::new(),
            b"abc".to_vec(),
            "text/plain",
            Caching::Revalidate,
        );
        assert_eq!(first.status(), StatusCode::OK);
        let tag = first.headers()[header::ETAG].clone();
        let mut asked = HeaderMap::new();
        asked.insert(header::IF_NONE_MATCH, tag.clone());
        let again = file(&asked, b"abc".to_vec(), "text/plain", Caching::Revalidate);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], tag);
        let changed = file(&asked, b"abd".to_vec(), "text/plain", Caching::Revalidate);
        assert_eq!(changed.status(), StatusCode::OK);
        assert_eq!(changed.headers()[header::CACHE_CONTROL], "no-cache");
    }
}
