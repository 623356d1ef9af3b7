//! One function per kind of template page: each names its page's path, the file its errors
//! are reported against, and the typed variables its template sees besides the common ones.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::context::{self, FeedLink, Input, Paginator, SectionContext, TaxonomyInfo, TitledLink};
use super::knowledge::{self, GlossaryValue, StudyPathValue, TimelineValue};
use super::template::{Common, Summaries, TemplatePage};
use super::{PageKind, Shared, listing_pages, page_slice, term_page_size};
use crate::site::TimelineTopicId;
use crate::site::{PageId, PathId, SectionId, SiteMap, SitePath, TaxonomyId, TermId};

fn crumbs(input: &Input<'_>, chain: &[SectionId]) -> Vec<TitledLink> {
    chain
        .iter()
        .map(|&s| context::section_link(input, s))
        .collect()
}

/// Pages that are neither article nor section are reported against site.yaml or their
/// template.
fn config_origin() -> PathBuf {
    PathBuf::from(crate::config::FILE_NAME)
}

#[derive(Serialize)]
struct ArticleVars<'a> {
    page: context::PageContext<'a>,
}

/// page.html: one article.
pub(super) fn article<'s>(input: &'s Input<'_>, shared: &Shared, id: PageId) -> TemplatePage<'s> {
    let page = &input.map.pages[id];
    let mut common = Common::new(shared, input, &page.url, PageKind::Page);
    common.breadcrumbs = crumbs(input, &input.map.section_chain(page.section));
    let vars = ArticleVars {
        page: context::page_context(input, id),
    };
    let origin = input.docs[page.doc].shown.clone();
    TemplatePage::new(
        PageKind::Page,
        page.url.clone(),
        origin,
        common,
        vars,
        Vec::new(),
    )
}

#[derive(Serialize)]
struct ListingVars<'a> {
    section: SectionContext<'a>,
    pages: Summaries<'a>,
    paginator: Paginator,
    #[serde(skip_serializing_if = "Option::is_none")]
    recent: Option<Summaries<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    glossary: Option<GlossaryValue<'a>>,
}

/// home.html, section.html or glossary.html: listing page `n` of a section.
pub(super) fn listing<'s>(
    input: &'s Input<'_>,
    shared: &'s Shared,
    id: SectionId,
    n: usize,
) -> TemplatePage<'s> {
    let s = &input.map.sections[id];
    let path = s.listing_url(n);
    let kind = if id == SiteMap::HOME {
        PageKind::Home
    } else if Some(id) == input.knowledge.glossary.section {
        PageKind::Glossary
    } else {
        PageKind::Section
    };
    let chain = input.map.section_chain(id);
    let mut common = Common::new(shared, input, &path, kind);
    common.breadcrumbs = crumbs(input, &chain[..chain.len() - 1]);
    let slice = page_slice(&s.pages, n, s.page_size);
    let recent = (kind == PageKind::Home).then(|| shared.recent());
    let vars = ListingVars {
        section: context::section_context(input, id),
        pages: Summaries { shared, ids: slice },
        paginator: context::paginator(&s.url, n, listing_pages(s.pages.len(), s.page_size)),
        recent: recent.map(|ids| Summaries { shared, ids }),
        glossary: (kind == PageKind::Glossary).then(|| knowledge::glossary(input)),
    };
    let origin = s.doc.map_or_else(
        || Path::new("content").join(&s.dir),
        |d| input.docs[d].shown.clone(),
    );
    let mut listed = vec![("pages", slice)];
    listed.extend(recent.map(|ids| ("recent", ids)));
    TemplatePage::new(kind, path, origin, common, vars, listed)
}

#[derive(Serialize)]
struct TermCount<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct TaxonomyListVars<'a> {
    taxonomy: TaxonomyInfo<'a>,
    terms: Vec<TermCount<'a>>,
}

/// taxonomy_list.html: the terms of a taxonomy.
pub(super) fn taxonomy_list<'s>(
    input: &'s Input<'_>,
    shared: &Shared,
    ti: TaxonomyId,
) -> TemplatePage<'s> {
    let t = &input.map.taxonomies[ti];
    let mut common = Common::new(shared, input, &t.url, PageKind::TaxonomyList);
    common.breadcrumbs = crumbs(input, &[SiteMap::HOME]);
    let vars = TaxonomyListVars {
        taxonomy: context::taxonomy_info(input, ti),
        terms: t
            .terms
            .iter()
            .map(|term| TermCount {
                name: &term.name,
                url: term.url.as_str(),
                count: term.pages.len(),
            })
            .collect(),
    };
    let kind = PageKind::TaxonomyList;
    TemplatePage::new(
        kind,
        t.url.clone(),
        config_origin(),
        common,
        vars,
        Vec::new(),
    )
}

#[derive(Serialize)]
struct TermInfo<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
    feed_url: Option<String>,
}

#[derive(Serialize)]
struct TermVars<'a> {
    taxonomy: TaxonomyInfo<'a>,
    term: TermInfo<'a>,
    pages: Summaries<'a>,
    paginator: Paginator,
}

/// taxonomy_term.html: listing page `n` of one term's pages.
pub(super) fn taxonomy_term<'s>(
    input: &'s Input<'_>,
    shared: &'s Shared,
    (ti, term, n): (TaxonomyId, TermId, usize),
) -> TemplatePage<'s> {
    let t = &input.map.taxonomies[ti];
    let entry = &t.terms[term];
    let size = term_page_size(input, t);
    let path = crate::site::listing_url(&entry.url, n);
    let feed_url = t.config.feed.then(|| entry.feed_url().to_string());
    let mut common = Common::new(shared, input, &path, PageKind::TaxonomyTerm);
    common.breadcrumbs = crumbs(input, &[SiteMap::HOME]);
    common.breadcrumbs.push(TitledLink {
        title: t.config.label.clone(),
        url: t.url.to_string(),
    });
    if let Some(url) = &feed_url {
        common.feed = FeedLink {
            title: format!("{} · {}", input.config.title, entry.name),
            url: url.clone(),
        };
    }
    let slice = page_slice(&entry.pages, n, size);
    let vars = TermVars {
        taxonomy: context::taxonomy_info(input, ti),
        term: TermInfo {
            name: &entry.name,
            url: entry.url.as_str(),
            count: entry.pages.len(),
            feed_url,
        },
        pages: Summaries { shared, ids: slice },
        paginator: context::paginator(&entry.url, n, listing_pages(entry.pages.len(), size)),
    };
    let (kind, origin) = (PageKind::TaxonomyTerm, config_origin());
    TemplatePage::new(kind, path, origin, common, vars, vec![("pages", slice)])
}

/// A page with no variables of its own.
#[derive(Serialize)]
struct NoVars {}

/// 404.html's own variables: what its script needs to find the site's root from the
/// address it is shown at.
#[derive(Serialize)]
struct NotFoundVars {
    /// The first folder of every page's path (`productivity`, `topics`, `search`, …).
    top_folders: BTreeSet<String>,
    /// The path of `base_url` (`/gongdu/`), or empty when the site has none.
    base_path: String,
}

/// 404.html. A server shows it at any depth and under any path, so its links start from
/// `base_url`'s path (where the site is published) and its script moves them to the root
/// it finds at run time (partials/not_found_root.html). Its stylesheet is inlined, since no
/// stylesheet link can be right at every depth.
pub(super) fn not_found<'s>(input: &'s Input<'_>, shared: &Shared) -> TemplatePage<'s> {
    let path = SitePath::new("404.html");
    let mut common = Common::new(shared, input, &path, PageKind::NotFound);
    let base = input
        .config
        .base_url
        .as_deref()
        .map_or(String::new(), base_path);
    common.root = base.clone();
    let map = input.map;
    let urls = map.pages.iter().map(|p| &p.url);
    let urls = urls
        .chain(map.sections.iter().map(|s| &s.url))
        .chain(map.taxonomies.iter().map(|t| &t.url));
    let mut top_folders: BTreeSet<String> = urls
        .filter_map(|u| u.as_str().split_once('/').map(|(top, _)| top.to_owned()))
        .collect();
    let knowledge = ["search", "paths", "timeline", "assets"];
    top_folders.extend(knowledge.iter().map(|s| (*s).to_owned()));
    let vars = NotFoundVars {
        top_folders,
        base_path: base,
    };
    let origin = PathBuf::from(PageKind::NotFound.template());
    TemplatePage::new(PageKind::NotFound, path, origin, common, vars, Vec::new())
}

/// The path part of a base URL: `https://example.org/study/` → `/study/`.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("/".to_owned(), |i| after_scheme[i..].to_owned())
}

/// A page reported against its template, whose breadcrumbs lead home (then to `trail`).
fn simple<'s, V: Serialize>(
    input: &'s Input<'_>,
    shared: &Shared,
    (kind, path): (PageKind, SitePath),
    vars: V,
    trail: Option<TitledLink>,
) -> TemplatePage<'s> {
    let mut common = Common::new(shared, input, &path, kind);
    common.breadcrumbs = crumbs(input, &[SiteMap::HOME]);
    common.breadcrumbs.extend(trail);
    let origin = PathBuf::from(kind.template());
    TemplatePage::new(kind, path, origin, common, vars, Vec::new())
}

/// search.html: the search results page.
pub(super) fn search<'s>(input: &'s Input<'_>, shared: &Shared) -> TemplatePage<'s> {
    let path = SitePath::new("search/index.html");
    simple(input, shared, (PageKind::Search, path), NoVars {}, None)
}

#[derive(Serialize)]
struct TimelineVars<'a> {
    timeline: TimelineValue<'a>,
}

/// timeline.html: the timeline of all topics, or of one.
pub(super) fn timeline<'s>(
    input: &'s Input<'_>,
    shared: &Shared,
    topic: Option<TimelineTopicId>,
) -> TemplatePage<'s> {
    let path = match topic {
        Some(t) => input.knowledge.timeline.topics[t].url.clone(),
        None => SitePath::new(crate::knowledge::timeline::INDEX),
    };
    let vars = TimelineVars {
        timeline: knowledge::timeline(input, topic),
    };
    simple(input, shared, (PageKind::Timeline, path), vars, None)
}

#[derive(Serialize)]
struct PathsVars<'a> {
    paths: Vec<StudyPathValue<'a>>,
}

/// paths.html: every study path.
pub(super) fn study_paths<'s>(input: &'s Input<'_>, shared: &Shared) -> TemplatePage<'s> {
    let vars = PathsVars {
        paths: (input.knowledge.paths.keys())
            .map(|i| knowledge::study_path(input, i))
            .collect(),
    };
    let path = SitePath::new(crate::knowledge::paths::INDEX);
    simple(input, shared, (PageKind::Paths, path), vars, None)
}

#[derive(Serialize)]
struct PathVars<'a> {
    path: StudyPathValue<'a>,
}

/// path.html: one study path; its breadcrumbs pass through the list of paths.
pub(super) fn study_path<'s>(input: &'s Input<'_>, shared: &Shared, i: PathId) -> TemplatePage<'s> {
    let vars = PathVars {
        path: knowledge::study_path(input, i),
    };
    let path = input.knowledge.paths[i].url.clone();
    let trail = TitledLink {
        title: shared.string("paths_title"),
        url: crate::knowledge::paths::INDEX.to_owned(),
    };
    simple(input, shared, (PageKind::Path, path), vars, Some(trail))
}
