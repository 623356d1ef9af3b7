//! Output paths and URLs. Every generated file has a [`SitePath`] relative to the site root;
//! links between files are written relative to the file that holds them, so the site works
//! from `file://` and under any web server prefix.

use std::fmt;

/// A file's path in the output, relative to the site root, `/`-separated, no leading slash:
/// `productivity/xin-zhi/index.html`, `assets/gongdu.css`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SitePath(String);

impl SitePath {
    pub fn new(path: impl Into<String>) -> SitePath {
        SitePath(path.into())
    }

    /// The `index.html` of a folder given as `a/b` (or `""` for the root).
    pub fn index_of(dir: &str) -> SitePath {
        if dir.is_empty() {
            SitePath("index.html".into())
        } else {
            SitePath(format!("{dir}/index.html"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder that holds this file: `a/b` for `a/b/index.html`, `""` at the root.
    pub fn dir(&self) -> &str {
        self.0.rfind('/').map_or("", |i| &self.0[..i])
    }

    /// How to get from this file to the site root: `""`, `"../"`, `"../../"`, …
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.0.matches('/').count())
    }

    /// A relative link from this file to `target`, escaped for an `href`.
    pub fn link_to(&self, target: &SitePath) -> String {
        let from: Vec<&str> = self.dir().split('/').filter(|s| !s.is_empty()).collect();
        let to: Vec<&str> = target.0.split('/').collect();
        let common = from
            .iter()
            .zip(&to)
            .take_while(|(a, b)| a == b)
            .count()
            .min(to.len() - 1);
        let mut out = "../".repeat(from.len() - common);
        out.push_str(&to[common..].join("/"));
        href_escape(&out)
    }

    /// The absolute URL under `base_url` (which ends with `/`), percent-encoded as feeds and
    /// sitemaps require.
    pub fn absolute(&self, base_url: &str) -> String {
        let encoded: Vec<String> = self
            .0
            .split('/')
            .map(|seg| percent_encoding::utf8_percent_encode(seg, PATH_SEGMENT).to_string())
            .collect();
        format!("{base_url}{}", encoded.join("/"))
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');

/// Escapes the few characters that would break a relative `href`; CJK stays readable.
pub(crate) fn href_escape(path: &str) -> String {
    if !path.contains([' ', '"', '#', '%', '<', '>', '?', '`', '\\']) {
        return path.to_owned();
    }
    path.split('/')
        .map(|seg| percent_encoding::utf8_percent_encode(seg, PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Joins `base` (a `/`-separated folder, `""` for the top) and a relative path, resolving
/// `.` and `..`; `None` when the path climbs above the top.
pub(crate) fn join_relative(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_minimal() {
        let page = SitePath::new("a/b/index.html");
        assert_eq!(
            page.link_to(&SitePath::new("a/c/index.html")),
            "../c/index.html"
        );
        assert_eq!(page.link_to(&SitePath::new("a/b/chart.svg")), "chart.svg");
        assert_eq!(
            page.link_to(&SitePath::new("index.html")),
            "../../index.html"
        );
        assert_eq!(
            SitePath::new("index.html").link_to(&SitePath::new("a/index.html")),
            "a/index.html"
        );
        assert_eq!(
            page.link_to(&SitePath::new("a/index.html")),
            "../index.html"
        );
        assert_eq!(page.root_prefix(), "../../");
        assert_eq!(
            SitePath::new("x/my file.png").link_to(&SitePath::new("x/my file.png")),
            "my%20file.png"
        );
    }

    #[test]
    fn absolute_urls_are_percent_encoded() {
        let p = SitePath::new("topics/新质生产力/index.html");
        assert_eq!(
            p.absolute("https://e.org/"),
            "https://e.org/topics/%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B/index.html"
        );
    }

    #[test]
    fn relative_joins_resolve_dots() {
        assert_eq!(
            join_relative("a/b", "../c/d.md").as_deref(),
            Some("a/c/d.md")
        );
        assert_eq!(join_relative("a", "./x.md").as_deref(), Some("a/x.md"));
        assert_eq!(join_relative("a", "/x.md").as_deref(), Some("x.md"));
        assert_eq!(join_relative("", "../x.md"), None);
    }
}
