//! The values templates see, as typed structs serialised into each template's context. Every
//! field here is documented in docs/template-context.md, and tests/template_context.rs fails
//! when the two disagree. Knowledge-base values are in `knowledge.rs`.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use crate::config::{Language, SiteConfig};
use crate::markdown::TocEntry;
use crate::site::{PageId, SectionId, SiteMap, SitePath, TaxonomyId};
use crate::source::{Date, Source};

/// What every listing and page context is built from.
pub struct Input<'a> {
    pub config: &'a SiteConfig,
    pub docs: &'a crate::site::Docs,
    pub map: &'a SiteMap,
    /// Rendered Markdown, by document index.
    pub rendered: &'a crate::markdown::RenderedDocs,
    pub knowledge: &'a crate::knowledge::Knowledge,
    pub connections: &'a crate::knowledge::Connections,
}

#[derive(Serialize)]
pub(crate) struct NamedLink {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct TitledLink {
    pub title: String,
    pub url: String,
}

/// `feed`: the feed a page advertises in `<head>`.
#[derive(Serialize)]
pub(crate) struct FeedLink {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
struct MenuEntry<'a> {
    label: &'a str,
    url: String,
    external: bool,
}

#[derive(Serialize)]
pub(crate) struct TaxonomyInfo<'a> {
    name: &'a str,
    label: &'a str,
    url: String,
    term_count: usize,
}

/// `site` in templates: the same for every page, so built once.
#[derive(Serialize)]
pub(crate) struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a Option<String>,
    menu: Vec<MenuEntry<'a>>,
    taxonomies: Vec<TaxonomyInfo<'a>>,
    sections: Vec<SectionSummary<'a>>,
    feed_url: &'static str,
    search: bool,
    /// Whether search boxes offer the as-you-type list (`search.quick`).
    search_quick: bool,
    knowledge: super::knowledge::SiteLinks<'a>,
    extra: &'a serde_json::Map<String, Value>,
}

pub(crate) fn site_context<'a>(input: &Input<'a>) -> SiteContext<'a> {
    let config = input.config;
    let menu = config
        .menu
        .iter()
        .map(|m| {
            let external = m.is_external();
            MenuEntry {
                label: &m.label,
                url: if external {
                    m.url.clone()
                } else {
                    menu_path(&m.url)
                },
                external,
            }
        })
        .collect();
    SiteContext {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        menu,
        taxonomies: taxonomy_infos(input),
        sections: input.map.sections[SiteMap::HOME]
            .subsections
            .iter()
            .map(|&s| section_summary(input, s))
            .collect(),
        feed_url: "atom.xml",
        search: config.search.enabled,
        search_quick: config.search.enabled
            && config.search.quick_on(crate::search::searchable_count(
                config, input.docs, input.map,
            )),
        knowledge: super::knowledge::site_links(input),
        extra: &config.extra,
    }
}

/// A menu `url` as a site path: `productivity/` → `productivity/index.html`.
fn menu_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if trimmed.is_empty() {
        "index.html".to_owned()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else if last.contains('.') {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/index.html")
    }
}

fn taxonomy_infos<'a>(input: &Input<'a>) -> Vec<TaxonomyInfo<'a>> {
    input
        .map
        .taxonomies
        .keys()
        .map(|i| taxonomy_info(input, i))
        .collect()
}

pub(crate) fn taxonomy_info<'a>(input: &Input<'a>, index: TaxonomyId) -> TaxonomyInfo<'a> {
    let t = &input.map.taxonomies[index];
    TaxonomyInfo {
        name: t.config.name.as_str(),
        label: &t.config.label,
        url: t.url.to_string(),
        term_count: t.terms.len(),
    }
}

/// The date as readers of the site's language write it, when there is one.
pub(crate) fn date_text(date: Option<Date>, language: Language) -> Option<String> {
    date.map(|d| crate::date_text::date_text(&d, language))
}

/// `{name, url}` for each term a page lists under a taxonomy.
pub(crate) fn term_links(
    input: &Input<'_>,
    names: &[String],
    taxonomy: crate::config::TaxonomyName,
) -> Vec<NamedLink> {
    let tax = input
        .map
        .taxonomies
        .iter()
        .find(|t| t.config.name == taxonomy);
    names
        .iter()
        .map(|name| NamedLink {
            name: name.clone(),
            url: tax
                .and_then(|t| t.term(name))
                .map(|term| term.url.to_string()),
        })
        .collect()
}

pub(crate) fn section_link(input: &Input<'_>, id: SectionId) -> TitledLink {
    let s = &input.map.sections[id];
    TitledLink {
        title: s.title.clone(),
        url: s.url.to_string(),
    }
}

fn page_link(input: &Input<'_>, id: PageId) -> TitledLink {
    let page = &input.map.pages[id];
    TitledLink {
        title: page.meta().title.clone(),
        url: page.url.to_string(),
    }
}

/// A page as listings show it.
#[derive(Serialize)]
pub(crate) struct PageSummary {
    title: String,
    url: String,
    date: Option<String>,
    date_text: Option<String>,
    summary: String,
    authors: Vec<NamedLink>,
    topics: Vec<NamedLink>,
    tags: Vec<NamedLink>,
    reading_minutes: usize,
    char_count: usize,
    section: TitledLink,
}

pub(crate) fn page_summary(input: &Input<'_>, id: PageId) -> PageSummary {
    use crate::config::TaxonomyName::*;
    let page = &input.map.pages[id];
    let meta = page.meta();
    let rendered = &input.rendered[page.doc];
    PageSummary {
        title: meta.title.clone(),
        url: page.url.to_string(),
        date: meta.date.map(|d| d.ymd()),
        date_text: date_text(meta.date, input.config.language),
        summary: rendered.summary_html.clone(),
        authors: term_links(input, &meta.authors, Authors),
        topics: term_links(input, &meta.topics, Topics),
        tags: term_links(input, &meta.tags, Tags),
        reading_minutes: rendered.length.reading_minutes(),
        char_count: rendered.length.chars(),
        section: section_link(input, page.section),
    }
}

/// A section as the home page and its parent list it.
#[derive(Serialize)]
pub(crate) struct SectionSummary<'a> {
    title: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    page_count: usize,
}

pub(crate) fn section_summary<'a>(input: &Input<'a>, id: SectionId) -> SectionSummary<'a> {
    let s = &input.map.sections[id];
    let summary = s.doc.and_then(|d| match &input.docs[d].meta {
        crate::source::DocMeta::Section(m) => m.summary.as_deref(),
        crate::source::DocMeta::Page(_) => None,
    });
    SectionSummary {
        title: &s.title,
        url: s.url.as_str(),
        summary,
        page_count: count_pages(input.map, id),
    }
}

/// Pages in a section and all its subsections.
pub(crate) fn count_pages(map: &SiteMap, id: SectionId) -> usize {
    let s = &map.sections[id];
    s.pages.len()
        + s.subsections
            .iter()
            .map(|&c| count_pages(map, c))
            .sum::<usize>()
}

#[derive(Serialize)]
pub(crate) struct PageContext<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    url: &'a str,
    permalink: Option<String>,
    date: Option<String>,
    datetime: Option<String>,
    date_text: Option<String>,
    updated: Option<String>,
    updated_text: Option<String>,
    authors: Vec<NamedLink>,
    affiliation: Option<&'a str>,
    topics: Vec<NamedLink>,
    tags: Vec<NamedLink>,
    summary: &'a str,
    description: &'a str,
    content: Cow<'a, str>,
    toc: &'a [TocEntry],
    char_count: usize,
    reading_minutes: usize,
    sources: Vec<Citation<'a>>,
    section: TitledLink,
    prev: Option<TitledLink>,
    next: Option<TitledLink>,
    weight: Option<i64>,
    draft: bool,
    backlinks: Vec<super::knowledge::Backlink<'a>>,
    related: Vec<super::knowledge::DatedLink<'a>>,
    series: Option<super::knowledge::Series<'a>>,
    questions: &'a [String],
    events: Vec<super::knowledge::EventValue<'a>>,
    glossary: Option<super::knowledge::EntryValue<'a>>,
    extra: &'a serde_json::Map<String, Value>,
}

/// A `source:` entry as templates see it: its fields, plus the date as readers write it.
#[derive(Serialize)]
pub(crate) struct Citation<'a> {
    #[serde(flatten)]
    source: &'a Source,
    date_text: Option<String>,
}

fn citation(source: &Source, language: Language) -> Citation<'_> {
    let date_text = source
        .when
        .map(|d| crate::date_text::date_text(&d, language));
    Citation { source, date_text }
}

pub(crate) fn page_context<'a>(input: &Input<'a>, id: PageId) -> PageContext<'a> {
    use crate::config::TaxonomyName::*;
    let page = &input.map.pages[id];
    let meta = page.meta();
    let rendered = &input.rendered[page.doc];
    let language = input.config.language;
    PageContext {
        title: &meta.title,
        subtitle: meta.subtitle.as_deref(),
        url: page.url.as_str(),
        permalink: input
            .config
            .base_url
            .as_deref()
            .map(|b| page.url.absolute(b)),
        date: meta.date.map(|d| d.ymd()),
        datetime: meta.date.map(|d| d.rfc3339()),
        date_text: date_text(meta.date, language),
        updated: meta.updated.map(|d| d.ymd()),
        updated_text: date_text(meta.updated, language),
        authors: term_links(input, &meta.authors, Authors),
        affiliation: meta.affiliation.as_deref(),
        topics: term_links(input, &meta.topics, Topics),
        tags: term_links(input, &meta.tags, Tags),
        summary: &rendered.summary_html,
        description: &rendered.summary_text,
        content: rendered.html.unpack(),
        toc: &rendered.toc,
        char_count: rendered.length.chars(),
        reading_minutes: rendered.length.reading_minutes(),
        sources: meta.sources.iter().map(|s| citation(s, language)).collect(),
        section: section_link(input, page.section),
        prev: page.prev.map(|p| page_link(input, p)),
        next: page.next.map(|p| page_link(input, p)),
        weight: meta.weight,
        draft: meta.draft,
        backlinks: super::knowledge::backlinks(input, id),
        related: super::knowledge::related(input, id),
        series: super::knowledge::series(input, id),
        questions: &meta.questions,
        events: super::knowledge::events(input, id),
        glossary: super::knowledge::entry(input, id),
        extra: &meta.extra,
    }
}

/// `section` in section, home and glossary templates: a section summary with its body.
#[derive(Serialize)]
pub(crate) struct SectionContext<'a> {
    #[serde(flatten)]
    summary: SectionSummary<'a>,
    content: Cow<'a, str>,
    subsections: Vec<SectionSummary<'a>>,
    extra: &'a serde_json::Map<String, Value>,
}

static NO_EXTRA: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

pub(crate) fn section_context<'a>(input: &Input<'a>, id: SectionId) -> SectionContext<'a> {
    let s = &input.map.sections[id];
    let (content, extra) = match s.doc.map(|d| (&input.docs[d].meta, &input.rendered[d])) {
        Some((crate::source::DocMeta::Section(m), r)) => (r.html.unpack(), &m.extra),
        _ => (Cow::Borrowed(""), &*NO_EXTRA),
    };
    SectionContext {
        summary: section_summary(input, id),
        content,
        subsections: s
            .subsections
            .iter()
            .map(|&c| section_summary(input, c))
            .collect(),
        extra,
    }
}

#[derive(Serialize)]
struct PaginatorLink {
    number: Option<usize>,
    url: Option<String>,
    current: bool,
}

/// `paginator` on listing pages.
#[derive(Serialize)]
pub(crate) struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PaginatorLink>,
}

/// `paginator` for listing page `n` of `total`, whose first page is `first`. Long runs of
/// page numbers are cut to the first, the last and two either side of the current one, with
/// a gap entry (`number` null) where numbers are left out.
pub(crate) fn paginator(first: &SitePath, n: usize, total: usize) -> Paginator {
    let url = |k: usize| crate::site::listing_url(first, k).to_string();
    let mut pages: Vec<PaginatorLink> = Vec::new();
    for k in 1..=total {
        if k == 1 || k == total || k.abs_diff(n) <= 2 {
            pages.push(PaginatorLink {
                number: Some(k),
                url: Some(url(k)),
                current: k == n,
            });
        } else if pages.last().is_some_and(|p| p.number.is_some()) {
            pages.push(PaginatorLink {
                number: None,
                url: None,
                current: false,
            });
        }
    }
    Paginator {
        current: n,
        total,
        prev_url: (n > 1).then(|| url(n - 1)),
        next_url: (n < total).then(|| url(n + 1)),
        pages,
    }
}
