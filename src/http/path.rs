//! Which file of a site a request path names: decoded once, confined to the site (no `..`,
//! `.`, backslash or NUL in any spelling), a folder's path naming its `index.html`. Both
//! servers use it; what a server does with the key (memory, a folder, a zip) is its own.

/// The site path a request path names, or `None` when it tries to leave the site.
pub(crate) fn site_path(path: &str) -> Option<String> {
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
            "/%c0%ae%c0%ae/etc",
            "/%e0%80%ae%e0%80%ae/etc",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        // Decoded once only: `..%252f` stays a harmless name that no file has.
        assert_eq!(
            site_path("/..%252f..%252fetc").as_deref(),
            Some("..%2f..%2fetc")
        );
    }
}
