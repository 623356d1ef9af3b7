//! The machine-read outputs: Atom feeds, the sitemap, robots.txt and alias redirects. These
//! are written by code rather than templates because their formats are fixed.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{FileJob, Input, Shared};
use crate::markdown::{not_in_xml, without_term_markup};
use crate::site::{Alias, PageId, SitePath, TaxonomyId, TermId};

/// The site's own feed, at the root.
const SITE_FEED: &str = "atom.xml";

/// Escaped for XML, each character XML 1.0 forbids (control characters pasted from Word or
/// WPS) replaced by a space: one of them would make the whole feed unreadable. The Markdown
/// stage warns where they are written.
fn escape(text: &str) -> String {
    if text.contains(not_in_xml) {
        let clean: String = text
            .chars()
            .map(|c| if not_in_xml(c) { ' ' } else { c })
            .collect();
        crate::html::escape(&clean)
    } else {
        crate::html::escape(text)
    }
}

type Output = (SitePath, Cow<'static, [u8]>);

pub(super) fn alias(input: &Input<'_>, alias: &Alias) -> Output {
    let page = &input.map.pages[alias.page];
    let target = alias.url.link_to(&page.url);
    let title = escape(&page.meta().title);
    let canonical = input
        .config
        .base_url
        .as_deref()
        .map(|b| {
            format!(
                "<link rel=\"canonical\" href=\"{}\">\n",
                escape(&page.url.absolute(b))
            )
        })
        .unwrap_or_default();
    let target = escape(&target);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         {canonical}<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n\
         <body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = input.config.language.code(),
    );
    (alias.url.clone(), Cow::Owned(html.into_bytes()))
}

/// The path of a feed or an alias redirect, and the pages it shows (their titles, addresses,
/// dates and, in a feed, their rendered text): nothing else but the settings goes into it.
/// `None` for the other files.
pub(crate) fn shown_by<'a>(
    job: &FileJob,
    input: &Input<'a>,
    shared: &'a Shared,
) -> Option<(SitePath, &'a [PageId])> {
    match job {
        FileJob::SiteFeed => Some((SitePath::new(SITE_FEED), newest(input, &shared.by_date))),
        FileJob::TermFeed { taxonomy, term } => {
            let entry = &input.map.taxonomies[*taxonomy].terms[*term];
            Some((entry.feed_url(), newest(input, &entry.pages)))
        }
        FileJob::Alias(i) => {
            let alias = &input.map.aliases[*i];
            Some((alias.url.clone(), std::slice::from_ref(&alias.page)))
        }
        _ => None,
    }
}

/// The pages a feed holds: the first of `pages` (newest first), as many as the settings say.
fn newest<'a>(input: &Input<'_>, pages: &'a [PageId]) -> &'a [PageId] {
    &pages[..pages.len().min(input.config.feed.limit)]
}

pub(super) fn site_feed(input: &Input<'_>, shared: &Shared) -> Output {
    let ids = newest(input, &shared.by_date);
    let path = SitePath::new(SITE_FEED);
    let xml = feed(
        input,
        &path,
        &input.config.title,
        &SitePath::index_of(""),
        ids,
    );
    (path, Cow::Owned(xml.into_bytes()))
}

pub(super) fn term_feed(input: &Input<'_>, taxonomy: TaxonomyId, term: TermId) -> Output {
    let t = &input.map.taxonomies[taxonomy];
    let entry = &t.terms[term];
    let ids = newest(input, &entry.pages);
    let path = entry.feed_url();
    let title = format!("{} · {}", input.config.title, entry.name);
    let xml = feed(input, &path, &title, &entry.url, ids);
    (path, Cow::Owned(xml.into_bytes()))
}

/// A link from the feed: absolute under `base_url`, else relative to the feed file.
fn feed_link(input: &Input<'_>, feed: &SitePath, target: &SitePath) -> String {
    match input.config.base_url.as_deref() {
        Some(base) => target.absolute(base),
        None => feed.link_to(target),
    }
}

fn feed_id(input: &Input<'_>, target: &SitePath) -> String {
    match input.config.base_url.as_deref() {
        Some(base) => target.absolute(base),
        None => format!("urn:gongdu:{}", SitePath::new(target.as_str()).absolute("")),
    }
}

fn feed(
    input: &Input<'_>,
    path: &SitePath,
    title: &str,
    alternate: &SitePath,
    ids: &[PageId],
) -> String {
    let updated = ids
        .iter()
        .filter_map(|&id| {
            let m = input.map.meta(id);
            m.updated.or(m.date)
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00+00:00".to_owned(), |d| d.rfc3339());
    let mut xml = String::with_capacity(4096 + ids.len() * 8192);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<subtitle>{subtitle}</subtitle>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{self_link}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{alternate}\"/>\n<id>{id}</id>\n<updated>{updated}</updated>\n<generator>gongdu</generator>\n",
        lang = input.config.language.code(),
        title = escape(title),
        subtitle = escape(&input.config.description),
        self_link = escape(&feed_link(input, path, path)),
        alternate = escape(&feed_link(input, path, alternate)),
        id = escape(&feed_id(input, path)),
    );
    for &id in ids {
        entry(&mut xml, input, path, id);
    }
    xml.push_str("</feed>\n");
    xml
}

fn entry(xml: &mut String, input: &Input<'_>, feed_path: &SitePath, id: PageId) {
    let page = &input.map.pages[id];
    let meta = page.meta();
    let rendered = &input.rendered[page.doc];
    let link = escape(&feed_link(input, feed_path, &page.url));
    let published = meta.date.map(|d| d.rfc3339());
    let updated = meta
        .updated
        .or(meta.date)
        .map_or_else(|| "1970-01-01T00:00:00+00:00".to_owned(), |d| d.rfc3339());
    let _ = write!(
        xml,
        "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n<id>{}</id>\n<updated>{updated}</updated>\n",
        escape(&meta.title),
        escape(&feed_id(input, &page.url)),
    );
    if let Some(p) = published {
        let _ = writeln!(xml, "<published>{p}</published>");
    }
    for author in &meta.authors {
        let _ = writeln!(xml, "<author><name>{}</name></author>", escape(author));
    }
    for topic in &meta.topics {
        let _ = writeln!(xml, "<category term=\"{}\"/>", escape(topic));
    }
    if !rendered.summary_html.is_empty() {
        let _ = writeln!(
            xml,
            "<summary type=\"html\">{}</summary>",
            escape(&rendered.summary_html)
        );
    }
    // Links inside the content are relative to the page; xml:base says so. Feed readers
    // show no tooltips, so glossary terms go out as the plain words.
    let _ = write!(
        xml,
        "<content type=\"html\" xml:base=\"{link}\">{}</content>\n</entry>\n",
        escape(&without_term_markup(&rendered.html.unpack()))
    );
}

pub(super) fn sitemap(input: &Input<'_>) -> Output {
    let base = input.config.base_url.as_deref().unwrap_or("");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut add = |url: &SitePath, lastmod: Option<String>| {
        let _ = write!(xml, "<url><loc>{}</loc>", escape(&url.absolute(base)));
        if let Some(d) = lastmod {
            let _ = write!(xml, "<lastmod>{d}</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    for s in &input.map.sections {
        add(&s.url, None);
    }
    for page in &input.map.pages {
        let m = page.meta();
        add(&page.url, m.updated.or(m.date).map(|d| d.ymd()));
    }
    for t in &input.map.taxonomies {
        add(&t.url, None);
        for term in &t.terms {
            add(&term.url, None);
        }
    }
    // The knowledge base's own pages, as `jobs` writes them: the timeline (whole and by
    // topic) and the study paths (the list and each path).
    let k = input.knowledge;
    if !k.timeline.events.is_empty() {
        add(&SitePath::new(crate::knowledge::timeline::INDEX), None);
        for topic in &k.timeline.topics {
            add(&topic.url, None);
        }
    }
    if !k.paths.is_empty() {
        add(&SitePath::new(crate::knowledge::paths::INDEX), None);
        for path in &k.paths {
            add(&path.url, None);
        }
    }
    xml.push_str("</urlset>\n");
    (SitePath::new("sitemap.xml"), Cow::Owned(xml.into_bytes()))
}

pub(super) fn robots(input: &Input<'_>) -> Output {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &input.config.base_url {
        let _ = writeln!(text, "Sitemap: {base}sitemap.xml");
    }
    (SitePath::new("robots.txt"), Cow::Owned(text.into_bytes()))
}
