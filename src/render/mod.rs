//! Rendering the linked site into output files: every page, listing, taxonomy page, feed,
//! redirect and copied file is a [`Job`], and each job renders independently of the others so
//! the orchestrator can run them in parallel and stream the results to the output.

pub mod context;
mod feeds;
mod knowledge;

use std::borrow::Cow;

use serde_json::Value;

pub use context::Input;

use crate::diagnostic::Diagnostic;
use crate::markdown::highlight;
use crate::search;
use crate::site::{PageId, SectionId, SiteMap, SitePath};
use crate::theme::{self, StaticSource, Theme};

/// One output file to produce.
#[derive(Debug, Clone)]
pub enum Job {
    Page(PageId),
    Section {
        id: SectionId,
        n: usize,
    },
    TaxonomyList(usize),
    Term {
        taxonomy: usize,
        term: usize,
        n: usize,
    },
    NotFound,
    Alias(usize),
    SiteFeed,
    TermFeed {
        taxonomy: usize,
        term: usize,
    },
    Sitemap,
    Robots,
    SyntaxCss,
    Static(SitePath),
    Asset(usize),
    /// The search results page (when the theme has a `search.html`).
    SearchPage,
    /// One of the search index files.
    Search(usize),
    /// The row and text of search document `n`.
    SearchText(usize),
    /// The timeline, of all topics or of one (an index into the timeline's topics).
    Timeline(Option<usize>),
    /// The list of study paths.
    StudyPaths,
    /// One study path.
    StudyPath(usize),
}

impl Job {
    /// HTML pages a reader can open (for the build summary).
    pub fn is_page(&self) -> bool {
        matches!(
            self,
            Job::Page(_)
                | Job::SearchPage
                | Job::Section { .. }
                | Job::TaxonomyList(_)
                | Job::Term { .. }
                | Job::NotFound
                | Job::Timeline(_)
                | Job::StudyPaths
                | Job::StudyPath(_)
        )
    }
}

/// Joins a template error to the page it happened on; `build` groups errors by what comes
/// before it, so one mistake in a template is reported once, not once per page.
pub const RENDERING: &str = " (while rendering ";

pub const SYNTAX_CSS: &str = "assets/syntax.css";
pub const THEME_CSS: &str = "assets/gongdu.css";
pub const THEME_JS: &str = "assets/gongdu.js";

/// Everything to produce for this site, in a fixed order.
pub fn jobs(input: &Input<'_>, theme: &Theme, shared: &Shared) -> Vec<Job> {
    let map = input.map;
    let mut jobs: Vec<Job> = (0..map.pages.len()).map(Job::Page).collect();
    for (id, s) in map.sections.iter().enumerate() {
        // The glossary lists every entry on one page, under pinyin initials.
        let listings = if Some(id) == input.knowledge.glossary.section {
            1
        } else {
            listing_pages(s.pages.len(), s.page_size)
        };
        for n in 1..=listings {
            jobs.push(Job::Section { id, n });
        }
    }
    let k = input.knowledge;
    if !k.timeline.events.is_empty() {
        jobs.push(Job::Timeline(None));
        jobs.extend((0..k.timeline.topics.len()).map(|t| Job::Timeline(Some(t))));
    }
    if !k.paths.is_empty() {
        jobs.push(Job::StudyPaths);
        jobs.extend((0..k.paths.len()).map(Job::StudyPath));
    }
    for (ti, t) in map.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyList(ti));
        let size = term_page_size(input, t);
        for (term, entry) in t.terms.iter().enumerate() {
            for n in 1..=listing_pages(entry.pages.len(), size) {
                jobs.push(Job::Term {
                    taxonomy: ti,
                    term,
                    n,
                });
            }
            if t.config.feed {
                jobs.push(Job::TermFeed { taxonomy: ti, term });
            }
        }
    }
    jobs.extend((0..map.aliases.len()).map(Job::Alias));
    jobs.extend([Job::NotFound, Job::SiteFeed, Job::Robots, Job::SyntaxCss]);
    if input.config.base_url.is_some() {
        jobs.push(Job::Sitemap);
    }
    jobs.extend(theme.static_files.keys().cloned().map(Job::Static));
    jobs.extend((0..map.assets.len()).map(Job::Asset));
    if input.config.search.enabled
        && theme
            .tera
            .get_template_names()
            .any(|n| n == SEARCH_TEMPLATE)
    {
        jobs.push(Job::SearchPage);
    }
    jobs.extend(search_jobs(shared));
    jobs
}

/// The search index files, when there is an index.
pub fn search_jobs(shared: &Shared) -> Vec<Job> {
    let Some(search) = &shared.search else {
        return Vec::new();
    };
    (0..search.files.len())
        .map(Job::Search)
        .chain((0..search.pages.len()).map(Job::SearchText))
        .collect()
}

pub const SEARCH_TEMPLATE: &str = "search.html";
pub const GLOSSARY_TEMPLATE: &str = "glossary.html";

/// A UI string of the theme, or its key when the theme lacks it.
fn shared_string(shared: &Shared, key: &str) -> String {
    shared.strings[key].as_str().unwrap_or(key).to_owned()
}

/// How many pages one listing page of a taxonomy term shows.
pub(crate) fn term_page_size(input: &Input<'_>, t: &crate::site::Taxonomy) -> usize {
    t.config
        .paginate
        .unwrap_or(input.config.pagination.page_size)
        .max(1)
}

fn listing_pages(items: usize, size: usize) -> usize {
    items.div_ceil(size).max(1)
}

/// What a job produced.
pub enum Produced {
    /// A file, ready to write.
    File {
        path: SitePath,
        bytes: Cow<'static, [u8]>,
    },
    /// A page whose context is made but whose template is not rendered yet.
    Page(Page),
}

impl Produced {
    /// The file's path and bytes, rendering the template of a page.
    pub fn into_file(
        self,
        theme: &Theme,
        shared: &Shared,
    ) -> Result<(SitePath, Cow<'static, [u8]>), Diagnostic> {
        match self {
            Produced::File { path, bytes } => Ok((path, bytes)),
            Produced::Page(page) => page.render(theme, shared),
        }
    }
}

/// A template page with its context, before its template is rendered; the context can be
/// fingerprinted first (`serve` keeps pages whose context did not change).
pub struct Page {
    path: SitePath,
    template: &'static str,
    ctx: Ctx,
    /// The file a template error is reported against.
    origin: std::path::PathBuf,
}

impl Page {
    pub fn path(&self) -> &SitePath {
        &self.path
    }

    /// A fingerprint of the template and everything in the context.
    pub fn fingerprint(&self, shared: &Shared) -> u128 {
        let ctx = &self.ctx;
        // `t` and `site`, the same on every page, are fingerprinted once, in `Shared`.
        let mut f = crate::fingerprint::Fingerprint::new();
        f.bytes(self.template.as_bytes()).u128(shared.fingerprint);
        for (key, value) in &ctx.0 {
            f.bytes(key.as_bytes());
            match ctx.1.iter().find(|(k, _)| k == key) {
                Some((_, ids)) => {
                    let known = shared.summary_fingerprints();
                    for &id in ids {
                        f.u128(known[id]);
                    }
                }
                None => {
                    f.json(value);
                }
            }
        }
        f.finish()
    }

    /// Renders the page's template.
    pub fn render(
        self,
        theme: &Theme,
        shared: &Shared,
    ) -> Result<(SitePath, Cow<'static, [u8]>), Diagnostic> {
        let Page {
            path,
            template,
            mut ctx,
            origin,
        } = self;
        // Added only now, so that a page kept from the last build never copies them.
        ctx.put("t", shared.strings.clone());
        ctx.put("site", shared.site.clone());
        let ctx =
            tera::Context::from_value(Value::Object(ctx.0)).expect("a map is a valid context");
        let mut bytes = Vec::with_capacity(32 * 1024);
        theme
            .tera
            .render_to(template, &ctx, &mut bytes)
            .map(|()| (path, Cow::Owned(bytes)))
            .map_err(|e| {
                let d = theme::template_diagnostic(&e, &theme.template_origins);
                Diagnostic {
                    message: format!("{}{RENDERING}{}", d.message, origin.display()),
                    ..d
                }
            })
    }
}

/// Makes one job's output: a file, or a page with its context ready for its template.
pub fn run(
    job: &Job,
    input: &Input<'_>,
    theme: &Theme,
    shared: &Shared,
) -> Result<Produced, Diagnostic> {
    let map = input.map;
    let html = |path: SitePath,
                template: &'static str,
                kind: &str,
                fill: &dyn Fn(&mut Ctx),
                origin: &std::path::Path|
     -> Result<Produced, Diagnostic> {
        let mut ctx = shared.base_context(&path, kind, input);
        fill(&mut ctx);
        Ok(Produced::Page(Page {
            path,
            template,
            ctx,
            origin: origin.to_path_buf(),
        }))
    };
    let file = |(path, bytes): (SitePath, Cow<'static, [u8]>)| Produced::File { path, bytes };
    match job {
        Job::Page(id) => {
            let page = &map.pages[*id];
            let doc = &input.docs[page.doc];
            let chain = map.section_chain(page.section);
            html(
                page.url.clone(),
                "page.html",
                "page",
                &|ctx| {
                    ctx.insert("page", &context::page_context(input, *id));
                    ctx.insert("breadcrumbs", &breadcrumbs(input, &chain));
                },
                &doc.shown,
            )
        }
        Job::Section { id, n } => {
            let s = &map.sections[*id];
            let path = s.listing_url(*n);
            let total = listing_pages(s.pages.len(), s.page_size);
            let slice = page_slice(&s.pages, *n, s.page_size);
            let chain = map.section_chain(*id);
            let is_home = *id == SiteMap::HOME;
            let is_glossary = Some(*id) == input.knowledge.glossary.section;
            let (template, kind) = if is_home {
                ("home.html", "home")
            } else if is_glossary {
                (GLOSSARY_TEMPLATE, "glossary")
            } else {
                ("section.html", "section")
            };
            let origin = s.doc.map_or_else(
                || std::path::PathBuf::from("content").join(&s.dir),
                |d| input.docs[d].shown.clone(),
            );
            html(
                path,
                template,
                kind,
                &|ctx| {
                    if is_glossary {
                        ctx.put("glossary", knowledge::glossary(input));
                    }
                    ctx.insert("section", &context::section_context(input, *id));
                    ctx.put_summaries("pages", shared, slice);
                    ctx.insert("paginator", &context::paginator(&s.url, *n, total));
                    ctx.insert(
                        "breadcrumbs",
                        &breadcrumbs(input, &chain[..chain.len() - 1]),
                    );
                    if is_home {
                        ctx.put_summaries(
                            "recent",
                            shared,
                            &shared.by_date[..shared.by_date.len().min(8)],
                        );
                    }
                },
                &origin,
            )
        }
        Job::TaxonomyList(ti) => {
            let t = &map.taxonomies[*ti];
            let terms: Vec<Value> = t
                .terms
                .iter()
                .map(|term| serde_json::json!({ "name": term.name, "url": term.url.as_str(), "count": term.pages.len() }))
                .collect();
            html(
                t.url.clone(),
                "taxonomy_list.html",
                "taxonomy_list",
                &|ctx| {
                    ctx.insert("taxonomy", &context::taxonomy_info(input, *ti));
                    ctx.insert("terms", &terms);
                    ctx.insert("breadcrumbs", &breadcrumbs(input, &[SiteMap::HOME]));
                },
                std::path::Path::new(crate::config::FILE_NAME),
            )
        }
        Job::Term { taxonomy, term, n } => {
            let t = &map.taxonomies[*taxonomy];
            let entry = &t.terms[*term];
            let size = term_page_size(input, t);
            let total = listing_pages(entry.pages.len(), size);
            let path = crate::site::listing_url(&entry.url, *n);
            let feed_url = t.config.feed.then(|| entry.feed_url().to_string());
            html(
                path,
                "taxonomy_term.html",
                "taxonomy_term",
                &|ctx| {
                    ctx.insert("taxonomy", &context::taxonomy_info(input, *taxonomy));
                    ctx.insert("term", &serde_json::json!({
                    "name": entry.name, "url": entry.url.as_str(), "count": entry.pages.len(), "feed_url": feed_url,
                }));
                    ctx.put_summaries("pages", shared, page_slice(&entry.pages, *n, size));
                    ctx.insert("paginator", &context::paginator(&entry.url, *n, total));
                    let mut crumbs = breadcrumbs(input, &[SiteMap::HOME]);
                    crumbs.push(context::TitledLink {
                        title: t.config.label.clone(),
                        url: t.url.to_string(),
                    });
                    ctx.insert("breadcrumbs", &crumbs);
                    if let Some(url) = &feed_url {
                        ctx.insert("feed", &serde_json::json!({ "title": format!("{} · {}", input.config.title, entry.name), "url": url }));
                    }
                },
                std::path::Path::new(crate::config::FILE_NAME),
            )
        }
        Job::NotFound => {
            let path = SitePath::new("404.html");
            html(
                path,
                "404.html",
                "404",
                &|ctx| {
                    // A server shows 404.html at any depth, so relative links cannot work there;
                    // use the site's own path when it is known.
                    let root = input
                        .config
                        .base_url
                        .as_deref()
                        .map_or(String::new(), base_path);
                    ctx.insert("root", &root);
                    ctx.insert("breadcrumbs", &Vec::<Value>::new());
                },
                std::path::Path::new("404.html"),
            )
        }
        Job::SearchPage => html(
            SitePath::new("search/index.html"),
            SEARCH_TEMPLATE,
            "search",
            &|ctx| {
                ctx.insert("breadcrumbs", &breadcrumbs(input, &[SiteMap::HOME]));
            },
            std::path::Path::new(SEARCH_TEMPLATE),
        ),
        Job::Search(i) => {
            let (path, bytes) = &shared
                .search
                .as_ref()
                .expect("search jobs exist only with an index")
                .files[*i];
            Ok(file((path.clone(), Cow::Owned(bytes.clone()))))
        }
        Job::SearchText(n) => {
            let search = shared
                .search
                .as_ref()
                .expect("search jobs exist only with an index");
            let page = &map.pages[search.pages[*n]];
            let (path, bytes) = search::doc_file(search, *n, &input.rendered[page.doc].text);
            Ok(file((path, Cow::Owned(bytes))))
        }
        Job::Timeline(topic) => {
            let path = match topic {
                Some(t) => input.knowledge.timeline.topics[*t].url.clone(),
                None => SitePath::new(crate::knowledge::timeline::INDEX),
            };
            html(
                path,
                "timeline.html",
                "timeline",
                &|ctx| {
                    ctx.put("timeline", knowledge::timeline(input, *topic));
                    ctx.insert("breadcrumbs", &breadcrumbs(input, &[SiteMap::HOME]));
                },
                std::path::Path::new("timeline.html"),
            )
        }
        Job::StudyPaths => html(
            SitePath::new(crate::knowledge::paths::INDEX),
            "paths.html",
            "paths",
            &|ctx| {
                let paths: Vec<Value> = (0..input.knowledge.paths.len())
                    .map(|i| knowledge::study_path(input, i))
                    .collect();
                ctx.insert("paths", &paths);
                ctx.insert("breadcrumbs", &breadcrumbs(input, &[SiteMap::HOME]));
            },
            std::path::Path::new("paths.html"),
        ),
        Job::StudyPath(i) => html(
            input.knowledge.paths[*i].url.clone(),
            "path.html",
            "path",
            &|ctx| {
                ctx.put("path", knowledge::study_path(input, *i));
                let mut crumbs = breadcrumbs(input, &[SiteMap::HOME]);
                crumbs.push(context::TitledLink {
                    title: shared_string(shared, "paths_title"),
                    url: crate::knowledge::paths::INDEX.to_owned(),
                });
                ctx.insert("breadcrumbs", &crumbs);
            },
            std::path::Path::new("path.html"),
        ),
        Job::Alias(i) => Ok(file(feeds::alias(input, &map.aliases[*i]))),
        Job::SiteFeed => Ok(file(feeds::site_feed(input, shared))),
        Job::TermFeed { taxonomy, term } => Ok(file(feeds::term_feed(input, *taxonomy, *term))),
        Job::Sitemap => Ok(file(feeds::sitemap(input))),
        Job::Robots => Ok(file(feeds::robots(input))),
        Job::SyntaxCss => Ok(file((
            SitePath::new(SYNTAX_CSS),
            Cow::Owned(highlight::stylesheet().into_bytes()),
        ))),
        Job::Static(path) => {
            let source = &theme.static_files[path];
            source
                .read()
                .map(|bytes| file((path.clone(), bytes)))
                .map_err(|e| {
                    let shown = match source {
                        StaticSource::File(p) => p.clone(),
                        StaticSource::Embedded(_) => std::path::PathBuf::from(path.as_str()),
                    };
                    Diagnostic::error(shown, format!("cannot read: {e}"))
                })
        }
        Job::Asset(i) => {
            let asset = &map.assets[*i];
            std::fs::read(&asset.source)
                .map(|bytes| file((asset.url.clone(), Cow::Owned(bytes))))
                .map_err(|e| Diagnostic::error(&asset.source, format!("cannot read: {e}")))
        }
    }
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

pub(crate) fn page_slice(pages: &[PageId], n: usize, size: usize) -> &[PageId] {
    let start = ((n - 1) * size).min(pages.len());
    &pages[start..(start + size).min(pages.len())]
}

/// A template context under construction: values that are already JSON are moved in rather
/// than serialised again (tera's own `insert` would copy them through serde).
pub struct Ctx(
    serde_json::Map<String, Value>,
    Vec<(&'static str, Vec<PageId>)>,
);

impl Ctx {
    /// The summaries of these pages under `key`. Their fingerprints are known, so a listing's
    /// fingerprint does not hash every summary again.
    fn put_summaries(&mut self, key: &'static str, shared: &Shared, ids: &[PageId]) {
        let value = Value::Array(ids.iter().map(|&id| shared.summaries[id].clone()).collect());
        self.put(key, value);
        self.1.push((key, ids.to_vec()));
    }

    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.put(
            key,
            serde_json::to_value(value).expect("context values are plain data"),
        );
    }

    fn put(&mut self, key: &str, value: Value) {
        self.0.insert(key.to_owned(), value);
    }
}

fn breadcrumbs(input: &Input<'_>, chain: &[SectionId]) -> Vec<context::TitledLink> {
    chain
        .iter()
        .map(|&s| context::section_link(input, s))
        .collect()
}

/// Values computed once per build and shared by every job.
pub struct Shared {
    /// Fingerprint of `t` and `site`, which every page's context holds.
    fingerprint: u128,
    search: Option<search::SearchIndex>,
    site: Value,
    strings: Value,
    language: &'static str,
    base_url: Option<String>,
    /// Page summaries by page id, as listings show them.
    summaries: Vec<Value>,
    summary_fingerprints: std::sync::OnceLock<Vec<u128>>,
    /// Every page, newest first.
    pub by_date: Vec<PageId>,
}

impl Shared {
    pub fn new(input: &Input<'_>, theme: &Theme, search: Option<search::SearchIndex>) -> Shared {
        let site = context::site_value(input);
        let strings = Value::Object(theme.strings.clone());
        Shared {
            fingerprint: crate::fingerprint::Fingerprint::new()
                .json(&strings)
                .json(&site)
                .finish(),
            search,
            site,
            strings,
            language: input.config.language.code(),
            base_url: input.config.base_url.clone(),
            summaries: (0..input.map.pages.len())
                .map(|id| context::page_summary(input, id))
                .collect(),
            summary_fingerprints: std::sync::OnceLock::new(),
            by_date: input.map.pages_by_date(input.docs),
        }
    }

    /// Fingerprints of the page summaries, made the first time they are needed.
    fn summary_fingerprints(&self) -> &[u128] {
        self.summary_fingerprints.get_or_init(|| {
            self.summaries
                .iter()
                .map(|s| crate::fingerprint::Fingerprint::new().json(s).finish())
                .collect()
        })
    }

    fn base_context(&self, path: &SitePath, kind: &str, input: &Input<'_>) -> Ctx {
        let mut ctx = Ctx(serde_json::Map::new(), Vec::new());
        ctx.insert("root", &path.root_prefix());
        ctx.insert("current_url", path.as_str());
        ctx.insert(
            "canonical",
            &self.base_url.as_deref().map(|b| path.absolute(b)),
        );
        ctx.insert("kind", kind);
        ctx.insert("lang", self.language);
        ctx.insert(
            "feed",
            &serde_json::json!({ "title": input.config.title, "url": "atom.xml" }),
        );
        ctx.insert(
            "assets",
            &serde_json::json!({ "css": THEME_CSS, "syntax_css": SYNTAX_CSS, "js": THEME_JS }),
        );
        ctx
    }
}
