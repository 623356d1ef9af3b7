//! Rendering the linked site into output files: every page, listing, taxonomy page, feed,
//! redirect and copied file is a [`Job`], and each job renders independently of the others so
//! the orchestrator can run them in parallel and stream the results to the output.

pub(crate) mod context;
mod feeds;
mod kind;
mod knowledge;
mod pages;
mod shared;
mod template;

use std::borrow::Cow;

use serde_json::Value;

pub use context::Input;
pub(crate) use feeds::shown_by;
pub use kind::PageKind;
pub use shared::Shared;
pub(crate) use shared::Summaries;
use template::TemplatePage;

use crate::diagnostic::{Code, Diagnostic};
use crate::search;
use crate::site::{AliasId, AssetId, PageId, PathId, SectionId, SitePath};
use crate::site::{TaxonomyId, TermId, TimelineTopicId};
use crate::theme::Theme;

/// One output file to produce: a page rendered by a template, or a file written by code.
#[derive(Debug, Clone)]
pub enum Job {
    Page(PageJob),
    File(FileJob),
}

/// An HTML page a reader can open, rendered by the template of its [`PageKind`].
#[derive(Debug, Clone)]
pub enum PageJob {
    Article(PageId),
    /// Listing page `n` of a section (the home page, the glossary or another section).
    Section {
        id: SectionId,
        n: usize,
    },
    TaxonomyList(TaxonomyId),
    Term {
        taxonomy: TaxonomyId,
        term: TermId,
        n: usize,
    },
    NotFound,
    /// The search results page (when the theme has a `search.html`).
    Search,
    /// The timeline, of all topics or of one.
    Timeline(Option<TimelineTopicId>),
    /// The list of study paths.
    StudyPaths,
    /// One study path.
    StudyPath(PathId),
}

/// A file written by code or copied as it is.
#[derive(Debug, Clone)]
pub enum FileJob {
    Alias(AliasId),
    SiteFeed,
    TermFeed {
        taxonomy: TaxonomyId,
        term: TermId,
    },
    Sitemap,
    Robots,
    Static(SitePath),
    Asset(AssetId),
    /// One of the search index files.
    Search(usize),
    /// The rows and texts of search documents in block `b` (`search/x/<b>.js`).
    SearchText(usize),
}

impl From<PageJob> for Job {
    fn from(job: PageJob) -> Job {
        Job::Page(job)
    }
}

impl From<FileJob> for Job {
    fn from(job: FileJob) -> Job {
        Job::File(job)
    }
}

impl Job {
    /// HTML pages a reader can open (for the build summary).
    pub fn is_page(&self) -> bool {
        matches!(self, Job::Page(_))
    }
}

/// The theme's stylesheet and script as templates name them; pages link to their published
/// (minified, content-hashed) paths, which [`Theme::assets`] knows.
pub(crate) const THEME_CSS: &str = "assets/gongdu.css";
pub(crate) const THEME_JS: &str = "assets/gongdu.js";

/// Everything to produce for this site but the search index's files ([`search_jobs`]), in a
/// fixed order.
pub fn jobs(input: &Input<'_>, theme: &Theme) -> Vec<Job> {
    let map = input.map;
    let mut jobs: Vec<Job> = map
        .pages
        .keys()
        .map(|id| PageJob::Article(id).into())
        .collect();
    for (id, s) in map.sections.iter_enumerated() {
        // The glossary lists every entry on one page, under pinyin initials.
        let listings = if Some(id) == input.knowledge.glossary.section {
            1
        } else {
            listing_pages(s.pages.len(), s.page_size)
        };
        jobs.extend((1..=listings).map(|n| PageJob::Section { id, n }.into()));
    }
    let k = input.knowledge;
    if !k.timeline.events.is_empty() {
        let topics = k.timeline.topics.keys().map(Some);
        jobs.extend(
            std::iter::once(None)
                .chain(topics)
                .map(|t| PageJob::Timeline(t).into()),
        );
    }
    if !k.paths.is_empty() {
        jobs.push(PageJob::StudyPaths.into());
        jobs.extend(k.paths.keys().map(|i| PageJob::StudyPath(i).into()));
    }
    for (taxonomy, t) in map.taxonomies.iter_enumerated() {
        jobs.push(PageJob::TaxonomyList(taxonomy).into());
        let size = term_page_size(input, t);
        for (term, entry) in t.terms.iter_enumerated() {
            let listings = listing_pages(entry.pages.len(), size);
            jobs.extend((1..=listings).map(|n| PageJob::Term { taxonomy, term, n }.into()));
            if t.config.feed {
                jobs.push(FileJob::TermFeed { taxonomy, term }.into());
            }
        }
    }
    jobs.extend(map.aliases.keys().map(|i| FileJob::Alias(i).into()));
    jobs.push(PageJob::NotFound.into());
    jobs.extend([FileJob::SiteFeed, FileJob::Robots].map(Job::File));
    if input.config.base_url.is_some() {
        jobs.push(FileJob::Sitemap.into());
    }
    let statics = theme.static_files.keys().cloned();
    jobs.extend(statics.map(|path| FileJob::Static(path).into()));
    jobs.extend(map.assets.keys().map(|i| FileJob::Asset(i).into()));
    if input.config.search.enabled
        && theme
            .tera
            .get_template_names()
            .any(|n| n == PageKind::Search.template())
    {
        jobs.push(PageJob::Search.into());
    }
    jobs
}

/// The search index files, when there is an index.
pub(crate) fn search_jobs(shared: &Shared) -> Vec<Job> {
    let Some(search) = &shared.search else {
        return Vec::new();
    };
    (0..search.files.len())
        .map(FileJob::Search)
        .chain(search.blocks_to_render().map(FileJob::SearchText))
        .map(Job::File)
        .collect()
}

/// How many pages one listing page of a taxonomy term shows.
pub(crate) fn term_page_size(input: &Input<'_>, t: &crate::site::Taxonomy) -> usize {
    t.config
        .paginate
        .unwrap_or(input.config.pagination.page_size)
        .max(1)
}

/// How many pages a listing of `items` takes. A short tail (a quarter of a page or less)
/// joins the page before it, so that no article sits alone on a last page (where a study
/// path's first article, the oldest, would otherwise end up).
fn listing_pages(items: usize, size: usize) -> usize {
    let (full, tail) = (items / size, items % size);
    if full >= 1 && tail > 0 && tail <= size / 4 {
        full
    } else {
        items.div_ceil(size).max(1)
    }
}

/// What a job produced.
pub(crate) enum Produced<'s> {
    /// A file, ready to write.
    File {
        path: SitePath,
        bytes: Cow<'static, [u8]>,
    },
    /// A page whose context is made but whose template is not rendered yet, so that its
    /// context can be fingerprinted first (`serve` keeps pages whose context did not change).
    Page(TemplatePage<'s>),
}

impl Produced<'_> {
    /// The file's path and bytes, rendering the template of a page.
    pub(crate) fn into_file(
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

/// The template page a page job renders.
fn template_page<'s>(job: &PageJob, input: &'s Input<'_>, shared: &'s Shared) -> TemplatePage<'s> {
    match job {
        PageJob::Article(id) => pages::article(input, shared, *id),
        PageJob::Section { id, n } => pages::listing(input, shared, *id, *n),
        PageJob::TaxonomyList(ti) => pages::taxonomy_list(input, shared, *ti),
        PageJob::Term { taxonomy, term, n } => {
            pages::taxonomy_term(input, shared, (*taxonomy, *term, *n))
        }
        PageJob::NotFound => pages::not_found(input, shared),
        PageJob::Search => pages::search(input, shared),
        PageJob::Timeline(topic) => pages::timeline(input, shared, *topic),
        PageJob::StudyPaths => pages::study_paths(input, shared),
        PageJob::StudyPath(i) => pages::study_path(input, shared, *i),
    }
}

/// The kind and whole template context of a template job (what its template sees), or
/// `None` for a job written by code. For tools and the test that keeps
/// docs/template-context.md true.
pub fn template_context(
    job: &Job,
    input: &Input<'_>,
    shared: &Shared,
) -> Option<(PageKind, serde_json::Map<String, Value>)> {
    let Job::Page(job) = job else {
        return None;
    };
    let page = template_page(job, input, shared);
    Some((page.kind, page.into_context(shared)))
}

/// Makes one job's output: a file, or a page with its context ready for its template.
pub(crate) fn run<'s>(
    job: &Job,
    input: &'s Input<'_>,
    theme: &Theme,
    shared: &'s Shared,
) -> Result<Produced<'s>, Diagnostic> {
    match job {
        Job::Page(job) => Ok(Produced::Page(template_page(job, input, shared))),
        Job::File(job) => written_file(job, input, theme, shared),
    }
}

/// A job whose file is written by code or copied: search files, feeds, redirects, static
/// files and assets.
fn written_file(
    job: &FileJob,
    input: &Input<'_>,
    theme: &Theme,
    shared: &Shared,
) -> Result<Produced<'static>, Diagnostic> {
    let map = input.map;
    let file = |(path, bytes): (SitePath, Cow<'static, [u8]>)| Produced::File { path, bytes };
    let index = || {
        shared
            .search
            .as_ref()
            .expect("search jobs exist only with an index")
    };
    Ok(file(match job {
        FileJob::Search(i) => {
            let (path, bytes) = &index().files[*i];
            (path.clone(), Cow::Owned(bytes.clone()))
        }
        FileJob::SearchText(b) => {
            let texts = index().block_texts(*b, map, input.rendered);
            let (path, bytes) = search::block_file(index(), *b, &texts);
            (path, Cow::Owned(bytes))
        }
        FileJob::Alias(i) => feeds::alias(input, &map.aliases[*i]),
        FileJob::SiteFeed => feeds::site_feed(input, shared),
        FileJob::TermFeed { taxonomy, term } => feeds::term_feed(input, *taxonomy, *term),
        FileJob::Sitemap => feeds::sitemap(input),
        FileJob::Robots => feeds::robots(input),
        FileJob::Static(path) => static_file(theme, path)?,
        FileJob::Asset(i) => {
            let asset = &map.assets[*i];
            let bytes = std::fs::read(&asset.source).map_err(|e| {
                Diagnostic::new(
                    Code::CannotRead,
                    &asset.source,
                    crate::diagnostic::io_cause(&e),
                )
            })?;
            (asset.url.clone(), Cow::Owned(bytes))
        }
    }))
}

fn static_file(
    theme: &Theme,
    path: &SitePath,
) -> Result<(SitePath, Cow<'static, [u8]>), Diagnostic> {
    let source = &theme.static_files[path];
    source
        .read()
        .map(|bytes| (path.clone(), bytes))
        .map_err(|e| {
            Diagnostic::new(
                Code::CannotRead,
                source.shown(path),
                crate::diagnostic::io_cause(&e),
            )
        })
}

/// The pages listed on page `n` of a listing; the last page takes the tail that
/// [`listing_pages`] folds into it.
pub(crate) fn page_slice(pages: &[PageId], n: usize, size: usize) -> &[PageId] {
    let start = ((n - 1) * size).min(pages.len());
    let end = if n >= listing_pages(pages.len(), size) {
        pages.len()
    } else {
        (start + size).min(pages.len())
    };
    &pages[start..end]
}

#[cfg(test)]
mod listing_tests {
    use super::listing_pages;

    #[test]
    fn a_short_tail_joins_the_last_full_page() {
        assert_eq!(listing_pages(0, 10), 1);
        assert_eq!(listing_pages(10, 10), 1);
        assert_eq!(
            listing_pages(11, 10),
            1,
            "one article is not left alone on page 2"
        );
        assert_eq!(listing_pages(12, 10), 1);
        assert_eq!(listing_pages(13, 10), 2);
        assert_eq!(listing_pages(3, 2), 2, "pages of two keep their tail");
    }
}
