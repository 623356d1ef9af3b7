//! Resolving a link or image target written in Markdown: a path to another `.md` file becomes
//! that page's relative URL, a path to a file under `content/` becomes the relative URL of its
//! copy, and anything absolute (`https:`, `mailto:`, `#anchor`) is left alone.

use percent_encoding::percent_decode_str;

use crate::args;
use crate::diagnostic::{Code, Coded};
use crate::site::{SiteMap, SitePath, join_relative};
use crate::source::Document;

/// Where a link or image in Markdown leads.
pub(super) enum Resolved {
    /// A file of the site: its relative URL and the content path it was found at.
    Internal { href: String, source: String },
    /// A heading of this page (`#小节`), decoded.
    Anchor(String),
    /// Outside the site (`https:`, `//host/…`).
    External,
    /// Kept as written (`mailto:`, `tel:`, empty).
    AsWritten,
}

/// The decoded heading id after `#` in a link target, if any.
pub(super) fn fragment(dest: &str) -> Option<String> {
    let f = dest.split_once('#')?.1;
    let f = f.split('?').next().unwrap_or(f);
    (!f.is_empty()).then(|| percent_decode_str(f).decode_utf8_lossy().into_owned())
}

/// `Err`: the target is missing.
pub(super) fn resolve(
    dest: &str,
    doc: &Document,
    here: &SitePath,
    map: &SiteMap,
    image: bool,
) -> Result<Resolved, Coded> {
    if dest.starts_with('#') {
        return Ok(match fragment(dest) {
            Some(f) => Resolved::Anchor(f),
            None => Resolved::AsWritten,
        });
    }
    if dest.starts_with("//") || dest.starts_with("http:") || dest.starts_with("https:") {
        return Ok(Resolved::External);
    }
    if dest.is_empty() || has_scheme(dest) {
        return Ok(Resolved::AsWritten);
    }
    let (path, fragment) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let Some(target) = join_relative(doc.file.dir(), &decoded) else {
        return Err((Code::LinkOutside, args!(dest = dest)));
    };
    let candidates = [
        Some(target.clone()),
        Some(format!("{target}/index.md")),
        (!target.is_empty()).then(|| format!("{target}/_index.md")),
        target.is_empty().then(|| "_index.md".to_owned()),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find_map(|c| map.url_of_source(&c).map(|url| (c, url)));
    match found {
        Some((source, url)) => Ok(Resolved::Internal {
            href: format!("{}{fragment}", here.link_to(url)),
            source,
        }),
        None if target.is_empty() => Ok(Resolved::Internal {
            href: format!("{}{fragment}", here.link_to(&SitePath::index_of(""))),
            source: String::new(),
        }),
        None if target.ends_with(".md") => {
            Err((Code::NoArticle, args!(dest = dest, target = target)))
        }
        None if image => Err((Code::NoImage, args!(dest = dest, target = target))),
        None => Err((Code::NoFile, args!(dest = dest, target = target))),
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
