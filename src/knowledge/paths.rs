//! Study paths (学习路线): the articles that name one `series`, in their `order`, with the
//! description site.yaml gives the path. Each path gets a page under `paths/`.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::{PageId, PathId, SiteMap, SitePath, TiSlice, TiVec, slugify};

#[derive(Debug, Clone)]
pub struct StudyPath {
    pub name: String,
    pub slug: String,
    pub summary: Option<String>,
    /// `paths/<slug>/index.html`
    pub url: SitePath,
    /// In reading order.
    pub pages: Vec<PageId>,
}

pub(crate) const INDEX: &str = "paths/index.html";

/// The path and position (0-based) of a page, if it is on one.
pub(crate) fn position(
    paths: &TiSlice<PathId, StudyPath>,
    page: PageId,
) -> Option<(PathId, usize)> {
    paths
        .iter_enumerated()
        .find_map(|(i, p)| p.pages.iter().position(|&x| x == page).map(|n| (i, n)))
}

pub(super) fn collect(
    config: &SiteConfig,
    docs: &crate::site::Docs,
    map: &SiteMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> TiVec<PathId, StudyPath> {
    // name → (order, page); BTreeMap keeps paths without a description in name order.
    let mut members: BTreeMap<&str, Vec<(u32, PageId)>> = BTreeMap::new();
    for (id, page) in map.pages.iter_enumerated() {
        let meta = page.meta();
        if let (Some(name), Some(order)) = (&meta.series, meta.order) {
            members.entry(name.as_str()).or_default().push((order, id));
        }
    }
    let mut paths = TiVec::new();
    let described = config.series.iter().map(|s| s.name.trim());
    let undescribed: Vec<&str> = members
        .keys()
        .copied()
        .filter(|n| !config.series.iter().any(|s| s.name.trim() == *n))
        .collect();
    for name in described.chain(undescribed) {
        let mut pages = members.remove(name).unwrap_or_default();
        pages.sort();
        for pair in pages.windows(2) {
            if pair[0].0 == pair[1].0 {
                let doc = &docs[map.pages[pair[1].1].doc];
                let first = &docs[map.pages[pair[0].1].doc];
                let (line, col) = doc.keys.key("order").into();
                diagnostics.push(
                    Diagnostic::new(
                        Code::OrderTaken,
                        &doc.shown,
                        crate::args!(
                            order = pair[0].0,
                            name = name,
                            other = super::content_path(first)
                        ),
                    )
                    .at_in(&doc.text, line, col)
                    .hint(&OWN_PLACE_HINT, crate::args!()),
                );
            }
        }
        let described = config.series.iter().find(|s| s.name.trim() == name);
        let slug = slugify(described.and_then(|s| s.slug.as_deref()).unwrap_or(name));
        let slug = if slug.is_empty() {
            format!("path-{}", paths.len() + 1)
        } else {
            slug
        };
        paths.push(StudyPath {
            name: name.to_owned(),
            url: SitePath::new(format!("paths/{slug}/index.html")),
            slug,
            summary: described.and_then(|s| s.summary.clone()),
            pages: pages.into_iter().map(|(_, p)| p).collect(),
        });
    }
    paths
}

static OWN_PLACE_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "give each article of a path its own place",
    zh: "给路线中的每篇文章一个不同的位置",
};
