//! Links the documents into a site: which section holds which page, every page's output path,
//! the order of pages, taxonomies and their terms, and where each asset goes. Sequential and
//! pure: [`link`] reads documents and returns a [`SiteMap`] plus diagnostics.

mod ids;
mod paths;
mod taxonomy;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub(crate) use crate::slug::slugify;
pub(crate) use ids::{AliasId, AssetId, DocId, Docs, PageId, SectionId, TaxonomyId, TermId};
pub(crate) use ids::{EntryId, EventId, PathId, TiSlice, TiVec, TimelineTopicId};
pub(crate) use paths::{SitePath, join_relative};
pub(crate) use taxonomy::Taxonomy;

use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{
    DocMeta, DocState, Document, PageMeta, SectionMeta, SortBy, SourceFile, SourceKind,
};

/// An article's place in the site.
#[derive(Clone)]
pub struct Page {
    /// The document the page was read from.
    pub doc: DocId,
    /// Its front matter, shared with the document: a page is made only from a document with
    /// a page's front matter, and holding it here lets the types say so.
    meta: Arc<PageMeta>,
    pub url: SitePath,
    pub section: SectionId,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
}

/// A folder of pages, from an `_index.md` or implied by the folder itself.
#[derive(Debug, Clone)]
pub struct Section {
    pub doc: Option<DocId>,
    /// Content folder, relative to `content/` (`""` for the home section).
    pub dir: String,
    pub title: String,
    pub url: SitePath,
    pub parent: Option<SectionId>,
    pub subsections: Vec<SectionId>,
    /// Pages directly in this section, in listing order.
    pub pages: Vec<PageId>,
    pub page_size: usize,
    pub weight: Option<i64>,
}

impl Section {
    /// Output path of listing page `n` (1-based) of this section.
    pub fn listing_url(&self, n: usize) -> SitePath {
        listing_url(&self.url, n)
    }
}

/// Page `n` of a listing whose first page is `first`: `x/index.html`, `x/page/2/index.html`, …
pub(crate) fn listing_url(first: &SitePath, n: usize) -> SitePath {
    if n <= 1 {
        return first.clone();
    }
    let dir = first.dir();
    if dir.is_empty() {
        SitePath::new(format!("page/{n}/index.html"))
    } else {
        SitePath::new(format!("{dir}/page/{n}/index.html"))
    }
}

/// A file copied from `content/` into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: std::path::PathBuf,
    pub url: SitePath,
}

/// A redirect from an old address (`aliases:`) to a page.
#[derive(Debug, Clone)]
pub struct Alias {
    pub url: SitePath,
    pub page: PageId,
}

/// A page or a section (one with an `_index.md`) that links can point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Page(PageId),
    Section(SectionId),
}

impl Target {
    /// The document the target was read from.
    pub fn doc(self, map: &SiteMap) -> Option<DocId> {
        match self {
            Target::Page(p) => Some(map.pages[p].doc),
            Target::Section(s) => map.sections[s].doc,
        }
    }

    pub fn url(self, map: &SiteMap) -> &SitePath {
        match self {
            Target::Page(p) => &map.pages[p].url,
            Target::Section(s) => &map.sections[s].url,
        }
    }
}

/// What a file under `content/` became.
#[derive(Debug, Clone, Copy)]
enum Placed {
    /// A Markdown file: a page or a section's `_index.md`.
    Doc(Target),
    /// Any other file.
    Asset(AssetId),
}

#[derive(Debug, Clone)]
pub struct SiteMap {
    pub pages: TiVec<PageId, Page>,
    pub sections: TiVec<SectionId, Section>,
    pub taxonomies: TiVec<TaxonomyId, Taxonomy>,
    pub assets: TiVec<AssetId, Asset>,
    pub aliases: TiVec<AliasId, Alias>,
    /// Content path of every Markdown file and asset → what it became; the one record of
    /// which page or section a document is.
    by_source: BTreeMap<String, Placed>,
}

impl SiteMap {
    pub const HOME: SectionId = SectionId(0);

    /// A fingerprint of everything in the map. Rendering an article's Markdown reads the map
    /// (where links lead), so `serve` renders again every article when it changes. Every
    /// collection in the map is ordered, so equal maps give equal fingerprints.
    pub fn fingerprint(&self) -> u128 {
        crate::fingerprint::Fingerprint::new().debug(self).finish()
    }

    /// Output path of the page, section or asset at this content path (`a/b.md`).
    pub fn url_of_source(&self, rel: &str) -> Option<&SitePath> {
        Some(match *self.by_source.get(rel)? {
            Placed::Doc(target) => target.url(self),
            Placed::Asset(i) => &self.assets[i].url,
        })
    }

    /// The page or section the Markdown file at this content path (`a/b.md`) became.
    pub fn target_of_source(&self, rel: &str) -> Option<Target> {
        match self.by_source.get(rel)? {
            Placed::Doc(target) => Some(*target),
            Placed::Asset(_) => None,
        }
    }

    /// Sections from the home section down to `id`, both included.
    pub fn section_chain(&self, id: SectionId) -> Vec<SectionId> {
        let mut chain = vec![id];
        let mut at = id;
        while let Some(parent) = self.sections[at].parent {
            chain.push(parent);
            at = parent;
        }
        chain.reverse();
        chain
    }

    /// Every page, newest first (undated last), for the home page and the site feed.
    pub fn pages_by_date(&self, docs: &Docs) -> Vec<PageId> {
        let mut ids: Vec<PageId> = self.pages.keys().collect();
        ids.sort_by(|&a, &b| {
            compare_by_date(
                self.meta(a),
                self.meta(b),
                &docs[self.pages[a].doc],
                &docs[self.pages[b].doc],
            )
        });
        ids
    }
}

impl Page {
    /// The front matter of the page.
    pub fn meta(&self) -> &PageMeta {
        &self.meta
    }
}

/// The front matter is left out: it is the document's, and `serve` compares documents
/// itself, so the map's fingerprint ([`SiteMap::fingerprint`]) stays about the map.
impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("doc", &self.doc)
            .field("url", &self.url)
            .field("section", &self.section)
            .field("prev", &self.prev)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl SiteMap {
    /// The front matter of page `id`.
    pub fn meta(&self, id: PageId) -> &PageMeta {
        self.pages[id].meta()
    }
}

fn section_meta(docs: &Docs, doc: Option<DocId>) -> Option<&SectionMeta> {
    match &docs[doc?].meta {
        DocMeta::Section(m) => Some(m),
        DocMeta::Page(_) => None,
    }
}

/// Builds the site map. `assets` are the non-Markdown files found under `content/`.
pub(crate) fn link(
    config: &SiteConfig,
    docs: &Docs,
    assets: &[SourceFile],
) -> (SiteMap, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut claims = Claims::default();
    let mut map = SiteMap {
        pages: TiVec::new(),
        sections: TiVec::new(),
        taxonomies: TiVec::new(),
        assets: TiVec::new(),
        aliases: TiVec::new(),
        by_source: BTreeMap::new(),
    };

    let section_of_dir = build_sections(config, docs, &mut map);
    for (doc_index, doc) in docs.iter_enumerated() {
        if let DocMeta::Page(meta) = &doc.meta {
            let (dir, stem) = page_dir_and_stem(&doc.file);
            let section = section_of_dir[containing_section_dir(&section_of_dir, dir)];
            let slug = slugify(meta.slug.as_deref().unwrap_or(stem));
            let slug = if slug.is_empty() {
                format!("page-{}", doc_index.index())
            } else {
                slug
            };
            let url = SitePath::index_of(&join_dir(map.sections[section].url.dir(), &slug));
            claims.claim(
                &url,
                &doc.shown.display().to_string(),
                &mut diagnostics,
                Some(doc),
                "slug",
            );
            let id = map.pages.next_key();
            let placed = Placed::Doc(Target::Page(id));
            map.by_source.insert(doc.file.rel.clone(), placed);
            map.pages.push(Page {
                doc: doc_index,
                meta: Arc::clone(meta),
                url,
                section,
                prev: None,
                next: None,
            });
            map.sections[section].pages.push(id);
        }
    }
    for (id, section) in map.sections.iter_enumerated() {
        claims.claim(
            &section.url,
            "a section",
            &mut diagnostics,
            section.doc.map(|d| &docs[d]),
            "slug",
        );
        if let Some(doc) = section.doc {
            let placed = Placed::Doc(Target::Section(id));
            map.by_source.insert(docs[doc].file.rel.clone(), placed);
        }
    }
    order_pages(docs, &mut map);
    link_aliases(docs, &mut map, &mut claims, &mut diagnostics);
    map.taxonomies = taxonomy::collect(config, docs, &map, &mut diagnostics);
    for t in &map.taxonomies {
        claims.claim(&t.url, "a taxonomy", &mut diagnostics, None, "");
        for term in &t.terms {
            claims.claim(&term.url, "a taxonomy term", &mut diagnostics, None, "");
        }
    }
    place_assets(assets, docs, &mut map, &section_of_dir);
    (map, diagnostics)
}

fn build_sections(
    config: &SiteConfig,
    docs: &Docs,
    map: &mut SiteMap,
) -> BTreeMap<String, SectionId> {
    // Every folder that holds a page or an `_index.md` is a section, and so is each folder
    // above it; sorted so parents come before children.
    let mut dirs: BTreeMap<String, Option<DocId>> = BTreeMap::new();
    dirs.insert(String::new(), None);
    for (i, doc) in docs.iter_enumerated() {
        let dir = match doc.file.kind {
            SourceKind::Section => doc.file.dir().to_owned(),
            _ => page_dir_and_stem(&doc.file).0.to_owned(),
        };
        let mut d = dir.as_str();
        while !d.is_empty() {
            dirs.entry(d.to_owned()).or_insert(None);
            d = d.rfind('/').map_or("", |i| &d[..i]);
        }
        if doc.file.kind == SourceKind::Section {
            dirs.insert(dir, Some(i));
        }
    }
    let mut ids = BTreeMap::new();
    for (dir, doc) in dirs {
        let meta = section_meta(docs, doc);
        let parent = (!dir.is_empty()).then(|| ids[dir.rfind('/').map_or("", |i| &dir[..i])]);
        let name = dir.rsplit('/').next().unwrap_or("");
        let url_dir = parent.map_or(String::new(), |p: SectionId| {
            join_dir(map.sections[p].url.dir(), &slugify(name))
        });
        let title = meta.and_then(|m| m.title.clone()).unwrap_or_else(|| {
            if dir.is_empty() {
                config.title.clone()
            } else {
                name.to_owned()
            }
        });
        let id = map.sections.next_key();
        map.sections.push(Section {
            doc,
            dir: dir.clone(),
            title,
            url: SitePath::index_of(&url_dir),
            parent,
            subsections: Vec::new(),
            pages: Vec::new(),
            page_size: meta
                .and_then(|m| m.paginate)
                .unwrap_or(config.pagination.page_size)
                .max(1),
            weight: meta.and_then(|m| m.weight),
        });
        if let Some(p) = parent {
            map.sections[p].subsections.push(id);
        }
        ids.insert(dir, id);
    }
    let sections = map.sections.clone();
    for s in &mut map.sections {
        s.subsections.sort_by(|&a, &b| {
            let (a, b) = (&sections[a], &sections[b]);
            (a.weight.is_none(), a.weight, &a.title).cmp(&(b.weight.is_none(), b.weight, &b.title))
        });
    }
    ids
}

/// The folder a page is listed in and the name its URL comes from: `a/b.md` → (`a`, `b`);
/// `a/b/index.md` → (`a`, `b`).
fn page_dir_and_stem(file: &SourceFile) -> (&str, &str) {
    let rel = file.rel.as_str();
    let rel = match file.kind {
        SourceKind::BundlePage => &rel[..rel.len() - "/index.md".len()],
        _ => rel.strip_suffix(".md").unwrap_or(rel),
    };
    match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    }
}

fn containing_section_dir<'a>(sections: &BTreeMap<String, SectionId>, dir: &'a str) -> &'a str {
    let mut d = dir;
    loop {
        if sections.contains_key(d) || d.is_empty() {
            return d;
        }
        d = d.rfind('/').map_or("", |i| &d[..i]);
    }
}

fn join_dir(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

fn order_pages(docs: &Docs, map: &mut SiteMap) {
    for s in map.sections.keys() {
        let sort_by = section_meta(docs, map.sections[s].doc)
            .map(|m| m.sort_by)
            .unwrap_or_default();
        let mut ids = std::mem::take(&mut map.sections[s].pages);
        let pages = &map.pages;
        ids.sort_by(|&a, &b| {
            let (da, db) = (&docs[pages[a].doc], &docs[pages[b].doc]);
            let (ma, mb) = (pages[a].meta(), pages[b].meta());
            match sort_by {
                SortBy::Date => compare_by_date(ma, mb, da, db),
                SortBy::Weight => (ma.weight.is_none(), ma.weight)
                    .cmp(&(mb.weight.is_none(), mb.weight))
                    .then_with(|| compare_by_date(ma, mb, da, db)),
                SortBy::Title => ma
                    .title
                    .cmp(&mb.title)
                    .then_with(|| da.file.rel.cmp(&db.file.rel)),
            }
        });
        for (i, &id) in ids.iter().enumerate() {
            map.pages[id].prev = i.checked_sub(1).map(|j| ids[j]);
            map.pages[id].next = ids.get(i + 1).copied();
        }
        map.sections[s].pages = ids;
    }
}

/// Newest first, undated last, then by title and path so the order never depends on the walk.
pub(crate) fn compare_by_date(
    a: &PageMeta,
    b: &PageMeta,
    da: &Document,
    db: &Document,
) -> std::cmp::Ordering {
    b.date
        .is_some()
        .cmp(&a.date.is_some())
        .then_with(|| b.date.cmp(&a.date))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| da.file.rel.cmp(&db.file.rel))
}

fn link_aliases<'d>(
    docs: &'d Docs,
    map: &mut SiteMap,
    claims: &mut Claims<'d>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (id, page) in map.pages.iter_enumerated() {
        let doc = &docs[page.doc];
        for alias in &page.meta().aliases {
            let Some(url) = alias_path(alias) else {
                let (line, col) = doc.keys.key("aliases").into();
                diagnostics.push(
                    Diagnostic::new(Code::AliasOutside, &doc.shown, crate::args!(alias = alias))
                        .at_in(&doc.text, line, col),
                );
                continue;
            };
            if claims.claim(
                &url,
                &format!("an alias in {}", doc.shown.display()),
                diagnostics,
                Some(doc),
                "aliases",
            ) {
                map.aliases.push(Alias { url, page: id });
            }
        }
    }
}

/// `old/path/`, `/old/path` or `old/page.html` → the file the redirect is written to.
fn alias_path(alias: &str) -> Option<SitePath> {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty()
        || trimmed.contains("://")
        || trimmed.split('/').any(|s| s == ".." || s == ".")
    {
        return None;
    }
    let last = trimmed.rsplit('/').next().unwrap_or("");
    Some(if last.ends_with(".html") || last.ends_with(".htm") {
        SitePath::new(trimmed)
    } else {
        SitePath::index_of(trimmed.trim_end_matches('/'))
    })
}

fn place_assets(
    assets: &[SourceFile],
    docs: &Docs,
    map: &mut SiteMap,
    section_of_dir: &BTreeMap<String, SectionId>,
) {
    let bundle_urls: HashMap<&str, &SitePath> = map
        .pages
        .iter()
        .filter(|p| docs[p.doc].file.kind == SourceKind::BundlePage)
        .map(|p| (docs[p.doc].file.dir(), &p.url))
        .collect();
    for file in assets {
        let dir = file.dir();
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        // Inside an article folder the file goes beside the article, wherever its slug puts it.
        let owner = bundle_urls
            .iter()
            .find(|(b, _)| dir == **b || dir.starts_with(&format!("{b}/")));
        let url = if let Some((bundle_dir, page_url)) = owner {
            let inner = &file.rel[bundle_dir.len() + 1..];
            SitePath::new(join_dir(page_url.dir(), inner))
        } else if let Some(&s) = section_of_dir.get(dir) {
            SitePath::new(join_dir(map.sections[s].url.dir(), name))
        } else {
            SitePath::new(file.rel.clone())
        };
        let placed = Placed::Asset(map.assets.next_key());
        map.by_source.insert(file.rel.clone(), placed);
        map.assets.push(Asset {
            source: file.path.clone(),
            url,
        });
    }
}

/// Output paths already taken, so that two things never write the same file.
#[derive(Default)]
struct Claims<'d>(HashMap<SitePath, (String, Option<&'d Document>)>);

impl<'d> Claims<'d> {
    /// Records `url` for `owner` (declared by `doc`, through its front matter `key`); on a
    /// clash reports it and returns false. The report points at whichever of the two
    /// documents sets `key` explicitly, since that is the one to change.
    fn claim(
        &mut self,
        url: &SitePath,
        owner: &str,
        diagnostics: &mut Vec<Diagnostic>,
        doc: Option<&'d Document>,
        key: &str,
    ) -> bool {
        let Some((previous, previous_doc)) = self.0.get(url) else {
            self.0.insert(url.clone(), (owner.to_owned(), doc));
            return true;
        };
        // A stand-in for a file that failed only keeps links to it working; its own error
        // is the one to fix, so a clash it causes is not reported.
        let stand_in = |d: &Option<&Document>| d.is_some_and(|d| d.state == DocState::StandIn);
        if stand_in(&doc) {
            return false;
        }
        if stand_in(previous_doc) {
            self.0.insert(url.clone(), (owner.to_owned(), doc));
            return true;
        }
        let args = || crate::args!(url = url.to_string(), first = previous, second = owner);
        let sets_key = |d: &Document| d.keys.contains(key);
        let blamed = match (doc, *previous_doc) {
            (Some(new), Some(old)) if !sets_key(new) && sets_key(old) => Some(old),
            (Some(new), _) => Some(new),
            (None, old) => old,
        };
        let d = match blamed {
            Some(d) => {
                let (line, col) = d.keys.key(key).into();
                Diagnostic::new(Code::WrittenTwice, &d.shown, args()).at_in(&d.text, line, col)
            }
            None => Diagnostic::new(Code::WrittenTwice, "content", args()),
        };
        diagnostics.push(d.hint(&OTHER_SLUG_HINT, crate::args!()));
        false
    }
}

static OTHER_SLUG_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "give one of them another `slug:` or file name",
    zh: "给其中一个换一个 `slug:` 或文件名",
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn doc(rel: &str, text: &str) -> Document {
        let kind = if rel.ends_with("_index.md") {
            SourceKind::Section
        } else if rel.ends_with("/index.md") {
            SourceKind::BundlePage
        } else {
            SourceKind::Page
        };
        let file = SourceFile {
            rel: rel.into(),
            path: PathBuf::from(rel),
            kind,
        };
        let text = format!("---\n{text}\n---\n正文\n");
        crate::source::from_text(file, PathBuf::from(format!("content/{rel}")), text)
            .expect("valid")
    }

    fn config() -> SiteConfig {
        crate::config::parse("title: 工读\n", std::path::Path::new("site.yaml")).expect("config")
    }

    #[test]
    fn pages_get_urls_sections_and_order() {
        let docs = vec![
            doc("history/_index.md", "title: 工运历史"),
            doc("history/a.md", "title: 甲\ndate: 2024-01-01"),
            doc("history/b.md", "title: 乙\ndate: 2024-05-01"),
            doc("history/苏区/劳模.md", "title: 丙\nslug: lao-mo"),
            doc("history/bundle/index.md", "title: 丁"),
        ];
        let (map, diags) = link(&config(), &TiVec::from(docs), &[]);
        assert!(diags.is_empty(), "{diags:?}");
        let urls: Vec<&str> = map.pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "history/a/index.html",
                "history/b/index.html",
                "history/苏区/lao-mo/index.html",
                "history/bundle/index.html"
            ]
        );
        let history = &map.sections[SectionId(1)];
        assert_eq!(history.title, "工运历史");
        // newest first, undated last
        let order: Vec<&str> = history
            .pages
            .iter()
            .map(|&p| map.pages[p].url.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "history/b/index.html",
                "history/a/index.html",
                "history/bundle/index.html"
            ]
        );
        assert_eq!(map.sections[SectionId(2)].title, "苏区");
        assert_eq!(
            map.sections[SectionId(2)].url.as_str(),
            "history/苏区/index.html"
        );
        assert_eq!(
            map.url_of_source("history/a.md").map(SitePath::as_str),
            Some("history/a/index.html")
        );
    }

    #[test]
    fn two_pages_with_one_url_are_an_error_naming_both() {
        let docs = vec![
            doc("a.md", "title: 一\nslug: same"),
            doc("b.md", "title: 二\nslug: same"),
        ];
        let (_, diags) = link(&config(), &TiVec::from(docs), &[]);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, PathBuf::from("content/b.md"));
        assert_eq!(diags[0].line, 3);
        assert!(diags[0].message.contains("content/a.md"));
    }

    #[test]
    fn aliases_are_normalised_and_checked() {
        assert_eq!(
            alias_path("/old/x/").map(|p| p.to_string()).as_deref(),
            Some("old/x/index.html")
        );
        assert_eq!(
            alias_path("old.html").map(|p| p.to_string()).as_deref(),
            Some("old.html")
        );
        assert!(alias_path("../escape").is_none());
        assert!(alias_path("https://x.org/").is_none());
    }
}
