//! Resolving a link or image target written in Markdown: a path to another `.md` file becomes
//! that page's relative URL, a path to a file under `content/` becomes the relative URL of its
//! copy, and anything absolute (`https:`, `mailto:`, `#anchor`) is left alone.

use percent_encoding::percent_decode_str;

use crate::site::{SiteMap, SitePath, join_relative};
use crate::source::Document;

/// `Ok(None)`: leave the target as written. `Err`: the target is missing.
pub(super) fn resolve(
    dest: &str,
    doc: &Document,
    here: &SitePath,
    map: &SiteMap,
) -> Result<Option<String>, String> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return Ok(None);
    }
    let (path, fragment) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let Some(target) = join_relative(doc.file.dir(), &decoded) else {
        return Err(format!("link `{dest}` points outside the content folder"));
    };
    let found = map
        .url_of_source(&target)
        .or_else(|| map.url_of_source(&format!("{target}/index.md")))
        .or_else(|| {
            map.url_of_source(&format!("{target}/_index.md"))
                .filter(|_| !target.is_empty())
        })
        .or_else(|| {
            target
                .is_empty()
                .then(|| map.url_of_source("_index.md"))
                .flatten()
        });
    match found {
        Some(url) => Ok(Some(format!("{}{fragment}", here.link_to(url)))),
        None if target.is_empty() => Ok(Some(format!(
            "{}{fragment}",
            here.link_to(&SitePath::index_of(""))
        ))),
        None if target.ends_with(".md") => Err(format!(
            "link to `{dest}`: there is no article content/{target}"
        )),
        None => Err(format!(
            "link to `{dest}`: there is no file content/{target}"
        )),
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}
