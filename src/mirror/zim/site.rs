//! Reads a built gongdu site folder for the ZIM writer: which files there are, their MIME
//! types and titles, which pages are alias redirects, and the site's own title and
//! description. It reads only the output folder, never the sources.

use std::path::{Path, PathBuf};

use super::ZimError;
use super::writer::Compression;

/// One file of the built site.
#[derive(Debug, Clone)]
pub(crate) struct SiteFile {
    /// Relative, `/`-separated: the entry's path in the `C` namespace.
    pub(crate) path: String,
    pub(crate) disk: PathBuf,
    pub(crate) len: u64,
}

/// Every file under `dir` in path order, except hidden ones (the output marker).
pub(crate) fn files(dir: &Path) -> Result<Vec<SiteFile>, ZimError> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            ZimError::io(&path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("walkdir yields paths under its root");
        let parts = rel
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ZimError::BadName(entry.path().to_path_buf()))?;
        let len = entry
            .metadata()
            .map_err(|e| ZimError::io(entry.path(), e.into()))?
            .len();
        out.push(SiteFile {
            path: parts.join("/"),
            disk: entry.path().to_path_buf(),
            len,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The MIME type readers are told, and whether zstd can still shrink the bytes.
pub(crate) fn mime(path: &str) -> (&'static str, Compression) {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let (mime, compression) = match ext.as_deref() {
        Some("html" | "htm") => ("text/html", Compression::Zstd),
        Some("css") => ("text/css", Compression::Zstd),
        Some("js" | "mjs") => ("application/javascript", Compression::Zstd),
        Some("json") => ("application/json", Compression::Zstd),
        Some("xml") if path.ends_with("atom.xml") => ("application/atom+xml", Compression::Zstd),
        Some("xml") => ("application/xml", Compression::Zstd),
        Some("svg") => ("image/svg+xml", Compression::Zstd),
        Some("txt" | "md") => ("text/plain", Compression::Zstd),
        Some("csv") => ("text/csv", Compression::Zstd),
        Some("png") => ("image/png", Compression::Stored),
        Some("jpg" | "jpeg") => ("image/jpeg", Compression::Stored),
        Some("gif") => ("image/gif", Compression::Stored),
        Some("webp") => ("image/webp", Compression::Stored),
        Some("avif") => ("image/avif", Compression::Stored),
        Some("ico") => ("image/vnd.microsoft.icon", Compression::Zstd),
        Some("woff2") => ("font/woff2", Compression::Stored),
        Some("woff") => ("font/woff", Compression::Stored),
        Some("pdf") => ("application/pdf", Compression::Stored),
        Some("zip") => ("application/zip", Compression::Stored),
        Some("gz") => ("application/gzip", Compression::Stored),
        Some("mp3") => ("audio/mpeg", Compression::Stored),
        Some("mp4") => ("video/mp4", Compression::Stored),
        _ => ("application/octet-stream", Compression::Stored),
    };
    (mime, compression)
}

/// The text of a page's `<title>`, entities decoded.
pub(crate) fn html_title(html: &str) -> Option<String> {
    let start = html.find("<title>")? + "<title>".len();
    let end = start + html[start..].find("</title>")?;
    Some(unescape(html[start..end].trim()))
}

/// The `content` of `<meta name="NAME" content="…">`, entities decoded.
pub(crate) fn meta_content(html: &str, name: &str) -> Option<String> {
    let tag = format!("<meta name=\"{name}\" content=\"");
    let start = html.find(&tag)? + tag.len();
    let end = start + html[start..].find('"')?;
    Some(unescape(&html[start..end]))
}

/// The page an alias page at `path` sends readers to, as a site path, when `html` is one of
/// gongdu's alias redirects (a `noindex` page whose only job is an immediate refresh).
pub(crate) fn alias_target(path: &str, html: &str) -> Option<String> {
    const REFRESH: &str = "<meta http-equiv=\"refresh\" content=\"0; url=";
    if html.len() > 4096 || !html.contains("<meta name=\"robots\" content=\"noindex\">") {
        return None;
    }
    let start = html.find(REFRESH)? + REFRESH.len();
    let end = start + html[start..].find('"')?;
    resolve(path, &unescape(&html[start..end]))
}

/// `link` (relative, maybe percent-encoded, maybe with a fragment) seen from the page at
/// `from`, as a site path; `None` when it leaves the site.
pub(crate) fn resolve(from: &str, link: &str) -> Option<String> {
    if link.contains("://") || link.starts_with('/') || link.starts_with("mailto:") {
        return None;
    }
    let link = link.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(link)
        .decode_utf8()
        .ok()?
        .into_owned();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if decoded.ends_with('/') || decoded.is_empty() {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

/// The newest `<updated>` date of the site feed as `YYYY-MM-DD`.
pub(crate) fn feed_date(atom: &str) -> Option<String> {
    let start = atom.find("<updated>")? + "<updated>".len();
    let date = atom.get(start..start + 10)?;
    let ok = date.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    ok.then(|| date.to_owned())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(
            resolve(
                "old/xin-zhi/index.html",
                "../../productivity/a/index.html#x"
            ),
            Some("productivity/a/index.html".into())
        );
        assert_eq!(
            resolve("a/index.html", "../topics/%E5%B7%A5/"),
            Some("topics/工/index.html".into())
        );
        assert_eq!(resolve("index.html", "../x.html"), None);
        assert_eq!(resolve("index.html", "https://example.org/"), None);
    }

    #[test]
    fn alias_pages_are_recognised_and_articles_are_not() {
        let alias = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
            <title>新质生产力</title>\n<meta name=\"robots\" content=\"noindex\">\n\
            <meta http-equiv=\"refresh\" content=\"0; url=../../productivity/a/index.html\">\n</head>";
        assert_eq!(
            alias_target("old/xin-zhi/index.html", alias),
            Some("productivity/a/index.html".into())
        );
        let article = "<html><head><title>x</title></head><body><p>refresh</p></body></html>";
        assert_eq!(alias_target("a/index.html", article), None);
    }

    #[test]
    fn titles_descriptions_and_dates_are_read() {
        let html =
            "<title>工读 &amp; 学习</title><meta name=\"description\" content=\"说明&quot;\">";
        assert_eq!(html_title(html), Some("工读 & 学习".into()));
        assert_eq!(meta_content(html, "description"), Some("说明\"".into()));
        assert_eq!(
            feed_date("<feed><updated>2025-04-14T00:00:00+08:00</updated>"),
            Some("2025-04-14".into())
        );
        assert_eq!(feed_date("<updated>soon</updated>"), None);
    }

    #[test]
    fn text_is_compressed_and_media_stored() {
        assert_eq!(mime("a/index.html"), ("text/html", Compression::Zstd));
        assert_eq!(mime("x/chart.svg").1, Compression::Zstd);
        assert_eq!(mime("img/photo.JPG"), ("image/jpeg", Compression::Stored));
    }
}
