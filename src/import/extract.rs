//! A saved HTML page → the article's text, its title, and the facts the page states about
//! where the article comes from. The article body is found by dom_smoothie (a port of
//! Mozilla's Readability); the facts (来源, 作者, 发表时间, the canonical address) are read
//! from the whole page, because an extractor drops exactly the lines that state them.
//!
//! Why dom_smoothie and not rs-trafilatura: both were run on tests/fixtures/import/*.html.
//! Both found the body and dropped the navigation, breadcrumbs, buttons and footer.
//! rs-trafilatura kept the paragraphs' indents and the 来源 line; dom_smoothie drops both, which
//! costs nothing here: the facts are read from the whole page below, and paragraphs come one
//! per line between blank lines, which the block step reads as well as indents. dom_smoothie
//! was 0.3–0.7 ms a page against 1.5–66 ms, and it parses with html5ever 0.40, the parser
//! gongdu already builds for ammonia, while rs-trafilatura brings a second html5ever, a page
//! classifier and a Markdown converter the importer would not use.

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

use super::chrome::{self, Facts};

pub(super) struct Page {
    /// The headline on its own line, then the body, one paragraph per line.
    pub text: String,
    pub title: Option<String>,
    pub facts: Facts,
}

pub(super) fn extract(html: &str) -> Page {
    let doc = Document::from(html);
    let facts = facts(&doc);
    let headline = doc
        .select("h1")
        .iter()
        .map(|h| squeeze(&h.text()))
        .find(|t| !t.is_empty());
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let article = Readability::new(html, None, Some(config)).and_then(|mut r| r.parse());
    let (body, title) = match article {
        Ok(a) => (
            a.text_content.to_string(),
            headline.or_else(|| Some(a.title).filter(|t| !t.is_empty())),
        ),
        // Readability found no article: the page's own lines, which the chrome step cleans.
        Err(_) => (leaf_lines(&doc).join("\n"), headline),
    };
    let mut text = String::new();
    if let Some(t) = &title
        && !body.trim_start().starts_with(t.as_str())
    {
        text.push_str(t);
        text.push_str("\n\n");
    }
    text.push_str(&body);
    Page { text, title, facts }
}

/// Facts from the page's meta tags and from its lines of chrome.
fn facts(doc: &Document) -> Facts {
    let mut facts = Facts::default();
    for line in leaf_lines(doc) {
        chrome::is_chrome(&line, &mut facts);
    }
    let meta = |sel: &str, attr: &str| {
        doc.select(sel)
            .iter()
            .find_map(|n| n.attr(attr).map(|v| v.trim().to_owned()))
            .filter(|v| !v.is_empty())
    };
    let url =
        meta("link[rel=canonical]", "href").or_else(|| meta("meta[property='og:url']", "content"));
    facts.url = facts
        .url
        .or(url.filter(|u| u.starts_with("https://") || u.starts_with("http://")));
    let published = meta("meta[property='article:published_time']", "content");
    facts.date = facts
        .date
        .or_else(|| published.as_deref().and_then(chrome::date));
    facts
}

/// The text of every element without element children, one line each.
fn leaf_lines(doc: &Document) -> Vec<String> {
    doc.select("body *")
        .nodes()
        .iter()
        .filter(|n| !n.children().iter().any(|c| c.is_element()))
        .map(|n| squeeze(&n.text()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whitespace runs as one space, trimmed (a headline split over source lines).
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
