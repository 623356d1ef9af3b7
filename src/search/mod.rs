//! Chinese search that works offline: one tokenizer shared with the browser ([`tokenize`]),
//! Traditional→Simplified folding ([`fold`]), a compact sharded full-text index of which
//! documents hold each token ([`fulltext`]), blocks of documents with what a result shows
//! and the text phrases are confirmed against, and an elasticlunr quick index for the
//! as-you-type list ([`quick`]; not on very large sites). This module turns the linked,
//! rendered site into the files under `search/`; `render` writes them and the theme's
//! scripts under `assets/search/` read them. The format is documented in docs/search.md.

mod alphabet;
mod encode;
pub(crate) mod fold;
pub(crate) mod fulltext;
pub(crate) mod kept;
mod packed;
pub(crate) mod quick;
pub(crate) mod tokenize;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rustc_hash::FxHashSet;

use rayon::prelude::*;
use serde_json::json;

pub(crate) use fold::FoldTable;
pub(crate) use kept::Kept;

use crate::config::SiteConfig;
use crate::date_text::date_text;
use crate::markdown::packed::Packed;
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

pub use packed::{plain, script_parts, unpack};

/// NFKC + Traditional→Simplified + lowercase, as queries and documents are matched.
pub fn normalize(text: &str) -> String {
    tokenize::normalize(text, shared_fold())
}

/// Documents per file under `search/x/` (documents in a row). Each document a query shows or
/// confirms costs it the whole block, so this trades files for bytes per query (budget: 300 KB,
/// median). Unpacked, on the search benchmark's 10,000 articles: blocks of one, 30,160 files
/// for 17,475 pages and 199 KB a query; of two, 25,160 files and 250 KB; of three, 306 KB.
/// Packed ([`packed`], since index version 6) a block of six takes about what one of two
/// did. On `gen_corpus.py`'s longer articles a query with blocks of six loads 292–295 KB
/// (docs/performance.md, "Denser packed files").
pub(crate) const DOCS_PER_BLOCK: usize = 6;

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
    /// Whether the blocks to write are among `files` already: an update in `serve` spells
    /// the few it changed itself, and leaves none to render.
    blocks_in_files: bool,
}

/// Which pages are searchable, oldest first (their document numbers): a new article (the
/// usual addition) takes the next number and leaves every other document's number, postings
/// and block as they were. The browser ranks the higher number first among equals.
fn searchable(config: &SiteConfig, docs: &crate::site::Docs, map: &SiteMap) -> Vec<PageId> {
    map.pages_by_date(docs)
        .into_iter()
        .rev()
        .filter(|&id| is_searchable(config, docs, map, id))
        .collect()
}

/// How many pages are searchable (what decides whether the site has the as-you-type list).
pub(crate) fn searchable_count(
    config: &SiteConfig,
    docs: &crate::site::Docs,
    map: &SiteMap,
) -> usize {
    (map.pages.keys())
        .filter(|&id| is_searchable(config, docs, map, id))
        .count()
}

/// Whether page `id` is in the index: its front matter allows it, and it is in one of the
/// folders `search.sections` names (any, when none).
fn is_searchable(config: &SiteConfig, docs: &crate::site::Docs, map: &SiteMap, id: PageId) -> bool {
    let doc = &docs[map.pages[id].doc];
    let in_section = config.search.sections.is_empty()
        || config.search.sections.iter().any(|s| {
            let s = s.trim_matches('/');
            doc.file.rel.starts_with(&format!("{s}/"))
        });
    map.meta(id).search && in_section
}

/// What the index is made from: the searchable pages in document order, and their texts.
struct Sources<'a> {
    pages: Vec<PageId>,
    texts: Vec<fulltext::IndexedText<'a>>,
}

impl<'a> Sources<'a> {
    fn of(
        config: &SiteConfig,
        docs: &crate::site::Docs,
        map: &'a SiteMap,
        rendered: &'a crate::markdown::RenderedDocs,
    ) -> Sources<'a> {
        let pages = searchable(config, docs, map);
        let texts = pages
            .iter()
            .map(|&id| {
                let page = &map.pages[id];
                fulltext::IndexedText {
                    title: &page.meta().title,
                    body: &rendered[page.doc].text,
                }
            })
            .collect();
        Sources { pages, texts }
    }

    /// About how many bytes a document takes in its block: the mean length of title and
    /// text, rounded to a power of two (see [`fulltext::FullText::doc_bytes`]).
    fn doc_bytes(&self) -> usize {
        let all: usize = (self.texts.iter())
            .map(|t| t.title.len() + t.body.len())
            .sum();
        (all / self.texts.len().max(1)).max(1).next_power_of_two()
    }
}

pub(crate) fn build(
    config: &SiteConfig,
    docs: &crate::site::Docs,
    map: &SiteMap,
    rendered: &crate::markdown::RenderedDocs,
) -> SearchIndex {
    let fold = Arc::new(FoldTable::opencc());
    let sources = Sources::of(config, docs, map, rendered);
    // The quick index is built on one thread: beside the full-text index, not after it.
    let (index, quick) = rayon::join(
        || {
            let chosen = fulltext::choose_triples(&sources.texts, &fold);
            laid_out(
                fulltext::lists(&sources.texts, &chosen, &fold),
                config,
                &sources,
            )
        },
        || quick_file(config, map, rendered, &sources.pages, fold.clone()),
    );
    let files = index_files(
        config,
        map,
        &sources.pages,
        &index,
        &fold,
        quick,
        &Wanted::ALL,
    );
    let rows = result_rows(config, map, &sources.pages);
    SearchIndex::new(files, sources.pages, rows, false)
}

/// The index files' contents from the postings `lists`, laid out as `config` says, with what
/// the browser reckons a document costs (what [`fulltext::layout`] cannot know).
fn laid_out(
    lists: fulltext::Lists,
    config: &SiteConfig,
    sources: &Sources<'_>,
) -> fulltext::FullText {
    let mut index = fulltext::layout(lists, config.search.postings_head);
    index.doc_bytes = sources.doc_bytes();
    index
}

/// Which postings files [`index_files`] writes: `None` for all of them, else those of these
/// shards and big groups (an update in `serve` writes only the files it changed).
pub(crate) struct Wanted<'a> {
    /// The files whose contents never change: folding table, alphabet, licence.
    fixed: bool,
    shards: Option<&'a FxHashSet<usize>>,
    groups: Option<&'a FxHashSet<u32>>,
}

impl Wanted<'_> {
    const ALL: Wanted<'static> = Wanted {
        fixed: true,
        shards: None,
        groups: None,
    };
}

/// The files under `search/` but the document blocks: settings, topics, folding table,
/// alphabet, the wanted postings files, and the quick index if it is given.
fn index_files(
    config: &SiteConfig,
    map: &SiteMap,
    pages: &[PageId],
    index: &fulltext::FullText,
    fold: &FoldTable,
    quick: Option<String>,
    wanted: &Wanted<'_>,
) -> Vec<(SitePath, Vec<u8>)> {
    let mut files = Vec::new();
    let mut add = |path: String, text: String| files.push((SitePath::new(path), text.into_bytes()));
    let topics: Vec<String> = map
        .taxonomies
        .iter()
        .find(|t| t.config.name == crate::config::TaxonomyName::Topics)
        .map(|t| t.terms.iter().map(|term| term.name.clone()).collect())
        .unwrap_or_default();
    let doc_topics = topic_letters(map, pages, &topics);
    let settings = json!({
        "version": 7,
        "docs": pages.len(),
        "block": DOCS_PER_BLOCK,
        "shards": index.shards.len(),
        "bodyOffset": fulltext::BODY_OFFSET,
        "snippet": config.search.snippet_length,
        "topics": topics,
        "big": encode::gaps(index.big.keys().copied()),
        "bigBits": index.big_bits,
        "docBytes": index.doc_bytes,
        "foldable": fold.foldable(),
    });
    add(CONFIG.into(), format!("gongduSearch.config({settings});\n"));
    add(
        TOPICS.into(),
        format!("gongduSearch.docTopics({});\n", json!(doc_topics)),
    );
    if wanted.fixed {
        add(FOLD.into(), fold.to_script());
        add(ALPHABET.into(), alphabet::Alphabet::fixed().to_script());
        add(OPENCC_LICENSE.into(), fold::LICENSE.to_owned());
    }
    if let Some(quick) = quick {
        add(QUICK.into(), quick);
    }
    files.extend(postings_files(index, wanted));
    files
}

/// The wanted shards, big groups and tails, `(path, script)`: the postings files are most of
/// the index's text, so they are written side by side.
fn postings_files(index: &fulltext::FullText, wanted: &Wanted<'_>) -> Vec<(SitePath, Vec<u8>)> {
    let file = |path: String, call: &str, n: String, postings: &BTreeMap<String, Vec<u8>>| {
        let script = packed::script(call, n, &postings_object(postings), packed::Level::Postings);
        (SitePath::new(path), script)
    };
    let shards = (index.shards.par_iter().enumerate())
        .filter(|(n, _)| wanted.shards.is_none_or(|s| s.contains(n)))
        .map(|(n, shard)| file(shard_path(n), "shard", n.to_string(), shard));
    let file = &file;
    let group_path: fn(u32) -> String = group_path;
    let in_groups = [
        (&index.big, group_path, "big"),
        (&index.tails, tail_path, "tail"),
    ];
    let groups = in_groups.into_par_iter().flat_map(|(groups, path, call)| {
        (groups.par_iter())
            .filter(|(group, _)| wanted.groups.is_none_or(|g| g.contains(group)))
            .map(move |(&group, postings)| file(path(group), call, group.to_string(), postings))
    });
    shards.chain(groups).collect()
}

/// The files every index has, besides the postings and document blocks.
const CONFIG: &str = "search/config.js";
const TOPICS: &str = "search/topics.js";
const FOLD: &str = "search/fold.js";
const ALPHABET: &str = "search/alphabet.js";
const OPENCC_LICENSE: &str = "search/LICENSE-OpenCC.txt";
const QUICK: &str = "search/quick.js";

/// The folders of the files a build writes packed ([`packed`]): postings shards, big groups,
/// their tails, and blocks of documents.
const SHARDS: &str = "search/s/";
const GROUPS: &str = "search/b/";
const TAILS: &str = "search/t/";
const BLOCKS: &str = "search/x/";

fn shard_path(n: usize) -> String {
    format!("{SHARDS}{n}.js")
}

fn group_path(group: u32) -> String {
    format!("{GROUPS}{group}.js")
}

fn tail_path(group: u32) -> String {
    format!("{TAILS}{group}.js")
}

fn block_path(b: usize) -> String {
    format!("{BLOCKS}{b}.js")
}

/// Whether the file at site path `path` is one a build writes packed ([`packed`]): a shard,
/// big group, tail or block of documents.
pub fn is_packed(path: &str) -> bool {
    [SHARDS, GROUPS, TAILS, BLOCKS].iter().any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|name| name.ends_with(".js"))
    })
}

/// The path of every file of an index laid out as `index` with `docs` documents (the quick
/// index's too when the site has one).
fn every_path(config: &SiteConfig, index: &fulltext::FullText, docs: usize) -> HashSet<String> {
    let fixed = [CONFIG, TOPICS, FOLD, ALPHABET, OPENCC_LICENSE].map(String::from);
    let blocks = docs.div_ceil(DOCS_PER_BLOCK);
    let quick = config.search.quick_on(docs).then(|| QUICK.to_owned());
    fixed
        .into_iter()
        .chain(quick)
        .chain((0..index.shards.len()).map(shard_path))
        .chain(index.big.keys().map(|&g| group_path(g)))
        .chain(index.tails.keys().map(|&g| tail_path(g)))
        .chain((0..blocks).map(block_path))
        .collect()
}

/// A fingerprint of the quick index's entries: the same entries make the same `quick.js`.
fn quick_fingerprint(
    config: &SiteConfig,
    map: &SiteMap,
    rendered: &crate::markdown::RenderedDocs,
    pages: &[PageId],
) -> u128 {
    let mut f = crate::fingerprint::Fingerprint::new();
    for e in quick_entries(config, map, rendered, pages).unwrap_or_default() {
        f.bytes(e.label.as_bytes())
            .bytes(e.url.as_bytes())
            .bytes(e.kind.as_bytes());
    }
    f.finish()
}

/// `search/quick.js`: the quick index of the site's titles, headings and tags, unless the
/// site has no as-you-type list.
fn quick_file(
    config: &SiteConfig,
    map: &SiteMap,
    rendered: &crate::markdown::RenderedDocs,
    pages: &[PageId],
    fold: Arc<FoldTable>,
) -> Option<String> {
    let (index, refs) = quick::build(&quick_entries(config, map, rendered, pages)?, fold);
    Some(format!(
        "gongduSearch.quick({{\"index\":{index},\"refs\":{refs}}});\n"
    ))
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
fn postings_object(postings: &BTreeMap<String, Vec<u8>>) -> String {
    let quote = |text: &str| serde_json::to_string(text).expect("a string serialises");
    let mut out = String::from("{");
    for (i, (token, bytes)) in postings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(token));
        out.push(':');
        out.push_str(&quote(&String::from_utf8_lossy(bytes)));
    }
    out.push('}');
    out
}

/// Titles, headings and tag pages, for the as-you-type results; `None` when the site has no
/// as-you-type list ([`crate::config::SearchConfig::quick_on`]).
fn quick_entries(
    config: &SiteConfig,
    map: &SiteMap,
    rendered: &crate::markdown::RenderedDocs,
    pages: &[PageId],
) -> Option<Vec<quick::Entry>> {
    if !config.search.quick_on(pages.len()) {
        return None;
    }
    let mut entries = Vec::new();
    let count = |&id: &PageId| rendered[map.pages[id].doc].headings.len();
    let headings = (config.search).quick_headings_on(pages.iter().map(count).sum());
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
    Some(entries)
}

impl SearchIndex {
    fn new(
        files: Vec<(SitePath, Vec<u8>)>,
        pages: Vec<PageId>,
        rows: Vec<String>,
        blocks_in_files: bool,
    ) -> SearchIndex {
        SearchIndex {
            files,
            pages,
            rows,
            alphabet: alphabet::Alphabet::fixed(),
            blocks_in_files,
        }
    }

    /// How many blocks of documents `search/x/` holds.
    fn blocks(&self) -> usize {
        self.pages.len().div_ceil(DOCS_PER_BLOCK)
    }

    /// The blocks of documents under `search/x/` left to render: all of them, or none when
    /// an update spelled the ones it changed into `files`.
    pub(crate) fn blocks_to_render(&self) -> std::ops::Range<usize> {
        0..if self.blocks_in_files {
            0
        } else {
            self.blocks()
        }
    }

    /// The pages of block `b`, in document order.
    pub(crate) fn block_pages(&self, b: usize) -> &[PageId] {
        let start = b * DOCS_PER_BLOCK;
        &self.pages[start..(start + DOCS_PER_BLOCK).min(self.pages.len())]
    }

    /// The texts of block `b`'s documents, in document order, for [`block_file`].
    pub(crate) fn block_texts<'r>(
        &self,
        b: usize,
        map: &SiteMap,
        rendered: &'r crate::markdown::RenderedDocs,
    ) -> Vec<&'r Packed> {
        (self.block_pages(b).iter())
            .map(|&id| &rendered[map.pages[id].doc].text)
            .collect()
    }
}

/// `search/x/<b>.js`: for each document of block `b` (`texts` in document order), what the
/// results page shows of it (its row) and its plain text in the alphabet, for confirming
/// phrases and for snippets.
pub(crate) fn block_file(index: &SearchIndex, b: usize, texts: &[&Packed]) -> (SitePath, Vec<u8>) {
    let start = b * DOCS_PER_BLOCK;
    let mut json = String::from("[");
    for (i, text) in texts.iter().enumerate() {
        let spelled = index.alphabet.spell(&text.unpack());
        let quoted = serde_json::to_string(&spelled).expect("a string serialises");
        let comma = if i == 0 { "" } else { "," };
        json.push_str(&format!("{comma}[{},{quoted}]", index.rows[start + i]));
    }
    json.push(']');
    (
        SitePath::new(block_path(b)),
        packed::script("docs", b, &json, packed::Level::Documents),
    )
}
