//! Chinese search that works offline: one tokenizer shared with the browser ([`tokenize`]),
//! Traditional→Simplified folding ([`fold`]), a compact sharded full-text index of which
//! documents hold each token ([`fulltext`]), blocks of documents with what a result shows
//! and the text phrases are confirmed against, and an elasticlunr quick index ([`quick`]). This module
//! turns the linked, rendered site into the files under `search/`; `render` writes them and
//! the theme's scripts under `assets/search/` read them. The format is documented in docs/search.md.

mod alphabet;
mod encode;
pub(crate) mod fold;
pub(crate) mod fulltext;
pub(crate) mod quick;
pub(crate) mod tokenize;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::json;

pub(crate) use fold::FoldTable;

use crate::config::SiteConfig;
use crate::date_text::date_text;
use crate::site::{PageId, SiteMap, SitePath};

/// The folding table for the helpers below, built on first use (the build itself passes one
/// table around).
fn shared_fold() -> &'static FoldTable {
    static TABLE: std::sync::OnceLock<FoldTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(FoldTable::opencc)
}

/// Tokens of `text` with positions, folded with OpenCC's table (for tests and tools).
pub fn tokenize_text(text: &str) -> Vec<(String, u32)> {
    tokenize::tokenize(text, shared_fold())
}

/// NFKC + Traditional→Simplified + lowercase, as queries and documents are matched.
pub fn normalize(text: &str) -> String {
    tokenize::normalize(text, shared_fold())
}

/// Documents per file under `search/x/` (documents in a row). Each document a query shows or
/// confirms costs it the whole block: blocks of two cut the output at 10,000 articles from
/// 1.73 to 1.44 files per page but took a query to 324 KB (median; budget 300 KB, of which the
/// page and its scripts take about 170), so one until the page itself weighs less.
pub(crate) const DOCS_PER_BLOCK: usize = 1;

/// The search files of a site, ready to write.
pub struct SearchIndex {
    /// Everything but the document blocks.
    pub files: Vec<(SitePath, Vec<u8>)>,
    /// Page of each document number, for the blocks `search/x/<b>.js`.
    pub pages: Vec<PageId>,
    /// `[title, url, date, topic, section]` of each document number, as JSON.
    pub rows: Vec<String>,
    /// How the document files spell their texts.
    alphabet: alphabet::Alphabet,
}

/// Which pages are searchable, oldest first (their document numbers): a new article (the
/// usual addition) takes the next number and leaves every other document's number, postings
/// and block as they were. The browser ranks the higher number first among equals.
fn searchable(config: &SiteConfig, docs: &crate::site::Docs, map: &SiteMap) -> Vec<PageId> {
    map.pages_by_date(docs)
        .into_iter()
        .rev()
        .filter(|&id| {
            let doc = &docs[map.pages[id].doc];
            let in_section = config.search.sections.is_empty()
                || config.search.sections.iter().any(|s| {
                    let s = s.trim_matches('/');
                    doc.file.rel.starts_with(&format!("{s}/"))
                });
            map.meta(id).search && in_section
        })
        .collect()
}

pub(crate) fn build(
    config: &SiteConfig,
    docs: &crate::site::Docs,
    map: &SiteMap,
    rendered: &crate::markdown::RenderedDocs,
) -> SearchIndex {
    let fold = Arc::new(FoldTable::opencc());
    let pages = searchable(config, docs, map);
    let texts: Vec<fulltext::IndexedText<'_>> = pages
        .iter()
        .map(|&id| {
            let page = &map.pages[id];
            fulltext::IndexedText {
                title: &page.meta().title,
                body: &rendered[page.doc].text,
            }
        })
        .collect();
    // The quick index is built on one thread: beside the full-text index, not after it.
    let (index, (quick_index, refs)) = rayon::join(
        || fulltext::build(&texts, &fold),
        || quick::build(&quick_entries(config, map, rendered, &pages), fold.clone()),
    );
    let alphabet = alphabet::Alphabet::fixed();
    let mut files = Vec::new();
    let mut add = |path: String, text: String| files.push((SitePath::new(path), text.into_bytes()));

    let topics: Vec<String> = map
        .taxonomies
        .iter()
        .find(|t| t.config.name == crate::config::TaxonomyName::Topics)
        .map(|t| t.terms.iter().map(|term| term.name.clone()).collect())
        .unwrap_or_default();
    let doc_topics = topic_letters(map, &pages, &topics);
    let settings = json!({
        "version": 4,
        "docs": pages.len(),
        "block": DOCS_PER_BLOCK,
        "shards": index.shards.len(),
        "bodyOffset": fulltext::BODY_OFFSET,
        "snippet": config.search.snippet_length,
        "topics": topics,
        "big": big_groups(index.big.keys()),
        "bigBits": index.big_bits,
    });
    add(
        "search/config.js".into(),
        format!("gongduSearch.config({settings});\n"),
    );
    add(
        "search/topics.js".into(),
        format!("gongduSearch.docTopics({});\n", json!(doc_topics)),
    );
    add("search/fold.js".into(), fold.to_script());
    add("search/alphabet.js".into(), alphabet.to_script());
    add("search/LICENSE-OpenCC.txt".into(), fold::LICENSE.to_owned());
    for (n, shard) in index.shards.iter().enumerate() {
        add(
            format!("search/s/{n}.js"),
            format!("gongduSearch.shard({n},{});\n", postings_object(shard)),
        );
    }
    for (group, postings) in &index.big {
        add(
            format!("search/b/{group}.js"),
            format!("gongduSearch.big({group},{});\n", postings_object(postings)),
        );
    }
    let rows = result_rows(config, map, &pages);
    add(
        "search/quick.js".into(),
        format!("gongduSearch.quick({{\"index\":{quick_index},\"refs\":{refs}}});\n"),
    );
    SearchIndex {
        files,
        pages,
        rows,
        alphabet,
    }
}

/// Each searchable page's first topic as a letter (`A` for the first topic of the site, `-`
/// for none), in search document order.
fn topic_letters(map: &SiteMap, pages: &[PageId], topics: &[String]) -> String {
    pages
        .iter()
        .map(|&id| {
            let meta = map.meta(id);
            let topic = meta
                .topics
                .first()
                .and_then(|t| topics.iter().position(|x| x == t));
            topic.map_or('-', |i| char::from_u32(65 + i as u32).unwrap_or('-'))
        })
        .collect()
}

/// What a result shows for each searchable page: title, path, date, topic and section.
fn result_rows(config: &SiteConfig, map: &SiteMap, pages: &[PageId]) -> Vec<String> {
    pages
        .par_iter()
        .map(|&id| {
            let page = &map.pages[id];
            let meta = page.meta();
            json!([
                meta.title,
                page.url.as_str(),
                meta.date
                    .map(|d| date_text(&d, config.language))
                    .unwrap_or_default(),
                meta.topics.first().cloned().unwrap_or_default(),
                map.sections[page.section].title,
            ])
            .to_string()
        })
        .collect()
}

/// `{"token": "postings", …}`: postings are plain ASCII.
fn postings_object(postings: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    serde_json::Value::Object(
        postings
            .iter()
            .map(|(token, bytes)| (token.clone(), json!(String::from_utf8_lossy(bytes))))
            .collect(),
    )
}

/// The groups that have a big postings file, ascending, as gaps in the postings encoding.
fn big_groups<'a>(groups: impl Iterator<Item = &'a u32>) -> String {
    let mut out = Vec::new();
    let mut previous = 0;
    for &g in groups {
        encode::push(&mut out, g - previous);
        previous = g;
    }
    String::from_utf8(out).expect("the encoding is ASCII")
}

/// Titles, headings and tag pages, for the as-you-type results.
fn quick_entries(
    config: &SiteConfig,
    map: &SiteMap,
    rendered: &crate::markdown::RenderedDocs,
    pages: &[PageId],
) -> Vec<quick::Entry> {
    let mut entries = Vec::new();
    let headings = config.search.quick_headings.unwrap_or(pages.len() <= 1000);
    for &id in pages {
        let page = &map.pages[id];
        let title = &page.meta().title;
        entries.push(quick::Entry {
            label: title.clone(),
            url: page.url.to_string(),
            kind: "page",
        });
        if headings {
            for heading in &rendered[page.doc].headings {
                entries.push(quick::Entry {
                    label: format!("{title} › {}", heading.title),
                    url: format!("{}#{}", page.url, heading.id),
                    kind: "heading",
                });
            }
        }
    }
    for t in &map.taxonomies {
        if t.config.name == crate::config::TaxonomyName::Authors {
            continue;
        }
        for term in &t.terms {
            entries.push(quick::Entry {
                label: term.name.clone(),
                url: term.url.to_string(),
                kind: "tag",
            });
        }
    }
    entries
}

impl SearchIndex {
    /// How many blocks of documents `search/x/` holds.
    pub(crate) fn blocks(&self) -> usize {
        self.pages.len().div_ceil(DOCS_PER_BLOCK)
    }

    /// The pages of block `b`, in document order.
    pub(crate) fn block_pages(&self, b: usize) -> &[PageId] {
        let start = b * DOCS_PER_BLOCK;
        &self.pages[start..(start + DOCS_PER_BLOCK).min(self.pages.len())]
    }
}

/// `search/x/<b>.js`: for each document of block `b` (`texts` in document order), what the
/// results page shows of it (its row) and its plain text in the alphabet, for confirming
/// phrases and for snippets.
pub(crate) fn block_file(index: &SearchIndex, b: usize, texts: &[&str]) -> (SitePath, Vec<u8>) {
    let start = b * DOCS_PER_BLOCK;
    let mut out = format!("gongduSearch.docs({b},[");
    for (i, text) in texts.iter().enumerate() {
        let quoted =
            serde_json::to_string(&index.alphabet.spell(text)).expect("a string serialises");
        let comma = if i == 0 { "" } else { "," };
        out.push_str(&format!("{comma}[{},{quoted}]", index.rows[start + i]));
    }
    out.push_str("]);\n");
    (SitePath::new(format!("search/x/{b}.js")), out.into_bytes())
}
