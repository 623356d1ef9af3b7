//! The stages of the pipeline that the orchestrator adds around the modules' own entry points:
//! each a plain function from one value to the next, returning the problems it found beside
//! its result. They neither know nor care whether a full build or `serve` calls them.

use std::path::Path;

use rayon::prelude::*;

use super::settings::{Drafts, ExternalLinks, SpamGuard};
use crate::config::{RawHtml, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::knowledge::{self, Connections, Knowledge};
use crate::markdown::packed::Packing;
use crate::markdown::{self, Highlighter, RenderedDoc, RenderedDocs};
use crate::site::{self, DocId, Docs, PageId, SiteMap, TiSlice, TiVec};
use crate::source::{self, DocMeta, Document, SourceFile, SourceKind};
use crate::theme::{self, Theme};

/// How the driver ([`super::compile_with`]) runs the stages whose work `serve` keeps between
/// rebuilds: [`Fresh`] calls the stage functions for a build; the incremental layer wraps them
/// with its cache ([`crate::incremental::Cache`]). Each method is the stage of the same name.
pub(crate) trait Runner {
    fn parse(
        &mut self,
        root: &Path,
        markdown: Vec<SourceFile>,
        drafts: Drafts,
    ) -> (TiVec<DocId, Document>, Vec<Diagnostic>);

    /// [`theme::load`].
    fn theme(&mut self, root: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>>;

    /// [`Runner::parse`] and [`Runner::theme`], which need nothing from each other.
    fn parse_and_theme(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        markdown: Vec<SourceFile>,
        drafts: Drafts,
    ) -> Parsed {
        (self.parse(root, markdown, drafts), self.theme(root, config))
    }

    /// [`link`]: the site map and the knowledge base.
    fn link(
        &mut self,
        config: &SiteConfig,
        docs: &Docs,
        assets: &[SourceFile],
    ) -> (Linked, Vec<Diagnostic>) {
        link(config, docs, assets)
    }

    /// [`render_markdown`]; it may let go of the documents' source text (see
    /// [`Fresh::forgetting`]), so nothing after it reads that text but through
    /// [`Document::text_again`].
    fn render_markdown(
        &mut self,
        config: &SiteConfig,
        docs: &mut Docs,
        map: &SiteMap,
        knowledge: &Knowledge,
    ) -> (TiVec<DocId, RenderedDoc>, Vec<Diagnostic>);

    /// [`guard_spam`]: the findings of every document, in order.
    fn guard_spam(&mut self, docs: &Docs, guard: SpamGuard) -> Vec<Diagnostic> {
        guard_spam(&docs.raw, guard).into_iter().flatten().collect()
    }

    /// [`signatures`] of every page.
    fn signatures(
        &mut self,
        _docs: &Docs,
        map: &SiteMap,
        rendered: &RenderedDocs,
    ) -> TiVec<PageId, Vec<u64>> {
        signatures(map, rendered)
    }

    /// Related articles kept from an earlier compile whose inputs were exactly these, if
    /// any; [`connect`] finds them afresh otherwise.
    fn kept_related(
        &mut self,
        _map: &SiteMap,
        _knowledge: &Knowledge,
        _rendered: &RenderedDocs,
        _signatures: &TiSlice<PageId, Vec<u64>>,
    ) -> Option<TiVec<PageId, Vec<PageId>>> {
        None
    }

    /// Sees the connections [`connect`] found.
    fn connected(
        &mut self,
        _docs: &Docs,
        _map: &SiteMap,
        _knowledge: &Knowledge,
        _connections: &Connections,
    ) {
    }

    /// Takes back what a compile that failed had made.
    fn failed(
        &mut self,
        _docs: TiVec<DocId, Document>,
        _rendered: TiVec<DocId, RenderedDoc>,
        _theme: Option<Theme>,
    ) {
    }
}

/// The site map, and the knowledge base found in it.
pub(crate) type Linked = (SiteMap, Knowledge);

/// [`site::link`]: the site map of `docs` and the `assets` beside them; then
/// [`knowledge::index`], the knowledge base of that map. Both are made from the settings, the
/// documents' front matter and the assets' paths alone.
pub(crate) fn link(
    config: &SiteConfig,
    docs: &Docs,
    assets: &[SourceFile],
) -> (Linked, Vec<Diagnostic>) {
    let (map, mut found) = site::link(config, docs, assets);
    let (knowledge, more) = crate::knowledge::index(config, docs, &map);
    found.extend(more);
    ((map, knowledge), found)
}

/// The documents read (with their problems) and the theme loaded.
pub(crate) type Parsed = (
    (TiVec<DocId, Document>, Vec<Diagnostic>),
    Result<Theme, Vec<Diagnostic>>,
);

/// Runs every stage afresh, for a build.
#[derive(Default)]
pub(crate) struct Fresh {
    highlighter: Highlighter,
    /// Whether each document lets go of its source text once its Markdown is rendered (a
    /// build that writes the site, which also lets go of the HTML before its search index).
    forget_sources: bool,
    /// What is held packed; by the site's size when `None` ([`Packing::for_build`] for a
    /// build that writes the site, else [`Packing::for_pages`]).
    packing: Option<Packing>,
}

impl Fresh {
    /// For a build that writes the site: the sources' text (about a fifth of what a large
    /// site holds at its peak) is let go of document by document as the Markdown is rendered,
    /// instead of being held until the site is compiled; a problem found later reads its file
    /// again to name the line ([`Document::text_again`]). `gongdu check` keeps the text.
    pub(crate) fn forgetting() -> Fresh {
        Fresh {
            forget_sources: true,
            ..Fresh::default()
        }
    }

    /// Holding `packing` packed, whatever the site's size.
    #[cfg(test)]
    pub(crate) fn packing(packing: Packing) -> Fresh {
        Fresh {
            packing: Some(packing),
            ..Fresh::default()
        }
    }
}

impl Runner for Fresh {
    fn parse(
        &mut self,
        root: &Path,
        markdown: Vec<SourceFile>,
        drafts: Drafts,
    ) -> (TiVec<DocId, Document>, Vec<Diagnostic>) {
        parse(root, markdown, drafts)
    }

    fn theme(&mut self, root: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>> {
        theme::load(root, config)
    }

    /// Both at once: the theme's templates and assets, and the spam guard's matcher, are
    /// prepared (30 ms of CPU, most of a small site's build) while the content is parsed,
    /// each a task of its own that any thread free of parsing takes up.
    fn parse_and_theme(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        markdown: Vec<SourceFile>,
        drafts: Drafts,
    ) -> Parsed {
        rayon::join(
            || parse(root, markdown, drafts),
            || rayon::join(crate::spam::Lexicon::shared, || theme::load(root, config)).1,
        )
    }

    fn render_markdown(
        &mut self,
        config: &SiteConfig,
        docs: &mut Docs,
        map: &SiteMap,
        knowledge: &Knowledge,
    ) -> (TiVec<DocId, RenderedDoc>, Vec<Diagnostic>) {
        let pages = map.pages.len();
        let by_size = match self.forget_sources {
            true => Packing::for_build(pages),
            false => Packing::for_pages(pages),
        };
        let hold = Holding {
            forget_sources: self.forget_sources,
            packing: self.packing.unwrap_or(by_size),
        };
        render_markdown(config, docs, map, knowledge, &self.highlighter, hold)
    }
}

/// The files found under `content/`, Markdown apart from everything else.
pub(crate) struct Sources {
    pub markdown: Vec<SourceFile>,
    pub assets: Vec<SourceFile>,
}

/// Walks `content/` under `root`.
pub(crate) fn discover(root: &Path) -> (Sources, Vec<Diagnostic>) {
    let (files, found) = source::discover(root);
    let (markdown, assets) = files.into_iter().partition(|f| f.kind != SourceKind::Asset);
    (Sources { markdown, assets }, found)
}

/// Parses every Markdown file in parallel; returns the documents to build in the order found
/// (drafts dropped unless `drafts` keeps them).
pub(crate) fn parse(
    root: &Path,
    markdown: Vec<SourceFile>,
    drafts: Drafts,
) -> (TiVec<DocId, Document>, Vec<Diagnostic>) {
    let content = root.join(source::CONTENT_DIR);
    let parsed: Vec<_> = markdown
        .into_par_iter()
        .map(|file| parse_one(&content, file))
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    let mut found = Vec::new();
    for (doc, problems) in parsed {
        found.extend(problems);
        docs.extend(doc.filter(|d| drafts.keeps(d)));
    }
    (docs.into(), found)
}

/// Parses one Markdown file, shown in diagnostics by its path under `content`.
pub(crate) fn parse_one(content: &Path, file: SourceFile) -> (Option<Document>, Vec<Diagnostic>) {
    let shown = content.join(&file.rel);
    source::parse(file, shown)
}

/// What a build holds of each document once its Markdown is rendered.
#[derive(Clone, Copy)]
pub(crate) struct Holding {
    /// Let go of the source text (see [`Fresh::forgetting`]).
    pub forget_sources: bool,
    /// Hold the HTML and the plain text packed, or not.
    pub packing: Packing,
}

/// What a site of `map`'s size holds packed.
fn packing_of(map: &SiteMap) -> Packing {
    Packing::for_pages(map.pages.len())
}

/// Renders the Markdown of every document, in parallel, holding what `hold` says.
pub(crate) fn render_markdown(
    config: &SiteConfig,
    docs: &mut Docs,
    map: &SiteMap,
    knowledge: &Knowledge,
    highlighter: &Highlighter,
    hold: Holding,
) -> (TiVec<DocId, RenderedDoc>, Vec<Diagnostic>) {
    let render = |env: &markdown::RenderEnv<'_>| -> (Vec<RenderedDoc>, Vec<Vec<Diagnostic>>) {
        (docs.raw.par_iter_mut())
            .map(|doc| {
                let done = render_one(doc, env);
                if hold.forget_sources {
                    doc.forget_text();
                }
                done
            })
            .unzip()
    };
    let (rendered, found) =
        with_render_env(config, map, knowledge, highlighter, hold.packing, render);
    (rendered.into(), found.into_iter().flatten().collect())
}

/// Renders the Markdown of these documents, in parallel: each one's rendering and the
/// problems found in it, in the same order.
pub(crate) fn render_each(
    config: &SiteConfig,
    docs: &[&Document],
    map: &SiteMap,
    knowledge: &Knowledge,
    highlighter: &Highlighter,
) -> Vec<(RenderedDoc, Vec<Diagnostic>)> {
    let render =
        |env: &markdown::RenderEnv<'_>| docs.par_iter().map(|doc| render_one(doc, env)).collect();
    with_render_env(config, map, knowledge, highlighter, packing_of(map), render)
}

/// Runs `render` with what rendering Markdown needs: the site, its sanitizer (made here, for
/// a site that does not trust raw HTML), and what to hold packed.
fn with_render_env<R>(
    config: &SiteConfig,
    map: &SiteMap,
    knowledge: &Knowledge,
    highlighter: &Highlighter,
    packing: Packing,
    render: impl FnOnce(&markdown::RenderEnv<'_>) -> R,
) -> R {
    let sanitizer = markdown::sanitize::Sanitizer::default();
    render(&markdown::RenderEnv {
        map,
        highlighter,
        language: config.language,
        sanitizer: (config.markdown.raw_html == RawHtml::Safe).then_some(&sanitizer),
        knowledge,
        packing,
    })
}

/// One document's Markdown rendered, and the problems found in it.
fn render_one(doc: &Document, env: &markdown::RenderEnv<'_>) -> (RenderedDoc, Vec<Diagnostic>) {
    let here = (env.map.url_of_source(&doc.file.rel).cloned())
        .unwrap_or_else(|| site::SitePath::index_of(""));
    let summary = match &doc.meta {
        DocMeta::Page(m) => m.summary.as_deref(),
        DocMeta::Section(m) => m.summary.as_deref(),
    };
    markdown::render(doc, &here, summary, env)
}

/// Broken links, heading anchors and menu entries; with [`ExternalLinks::Warn`], links that
/// leave the site.
fn check(
    settings: &super::Settings,
    docs: &Docs,
    map: &SiteMap,
    rendered: &RenderedDocs,
) -> Vec<Diagnostic> {
    let mut found = crate::check::anchors(docs, map, rendered);
    found.extend(crate::check::menu(&settings.config, &settings.root, map));
    if settings.external == ExternalLinks::Warn {
        found.extend(crate::check::external(docs, rendered));
    }
    found
}

/// [`check`] and [`connect`], side by side: the anchor check and the backlinks run on one
/// thread each, which would otherwise leave the other cores idle. The pages' [`signatures`]
/// (made first, for `connect`) and the related articles go through `run`, which keeps them
/// between `serve`'s rebuilds.
pub(crate) fn check_and_connect(
    settings: &super::Settings,
    docs: &Docs,
    map: &SiteMap,
    knowledge: &Knowledge,
    rendered: &RenderedDocs,
    run: &mut (impl Runner + Send),
) -> (Connections, Vec<Diagnostic>) {
    let signatures = run.signatures(docs, map, rendered);
    let kept = run.kept_related(map, knowledge, rendered, &signatures);
    let (found, connections) = rayon::join(
        || check(settings, docs, map, rendered),
        || connect(docs, map, knowledge, rendered, (&signatures, kept)),
    );
    (connections, found)
}

/// Known gambling and adult terms in published pages, for each of `docs`: warnings for
/// `build` and `serve`, errors for `check` ([`SpamGuard::Deny`]).
pub(crate) fn guard_spam<'d>(
    docs: impl IntoParallelIterator<Item = &'d Document>,
    guard: SpamGuard,
) -> Vec<Vec<Diagnostic>> {
    let severity = match guard {
        SpamGuard::Warn => crate::diagnostic::Severity::Warning,
        SpamGuard::Deny => crate::diagnostic::Severity::Error,
    };
    crate::check::spam::published_terms(docs, severity)
}

/// What related articles are found by: each page's [`knowledge::related::signature`].
pub(crate) fn signatures(map: &SiteMap, rendered: &RenderedDocs) -> TiVec<PageId, Vec<u64>> {
    (map.pages.raw.par_iter())
        .map(|p| knowledge::related::signature(&p.meta().title, &rendered[p.doc].text.head()))
        .collect::<Vec<_>>()
        .into()
}

/// Every page's related articles, by page.
type Related = TiVec<PageId, Vec<PageId>>;

/// Backlinks, term uses and related articles (those `kept`, or found from the pages'
/// signatures, each page's in parallel).
fn connect(
    docs: &Docs,
    map: &SiteMap,
    knowledge: &Knowledge,
    rendered: &RenderedDocs,
    (signatures, kept): (&TiSlice<PageId, Vec<u64>>, Option<Related>),
) -> Connections {
    let mut connections = knowledge::connections::collect(docs, map, knowledge, rendered);
    if let Some(related) = kept {
        connections.related = related;
        return connections;
    }
    let index = knowledge::related::RelatedIndex::new(map, knowledge, rendered, signatures);
    // One scratch buffer (a score for every page) per chunk of pages, not per rayon split.
    let pages: Vec<PageId> = map.pages.keys().collect();
    connections.related = pages
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let mut scratch = index.scratch();
            chunk
                .iter()
                .map(|&p| index.related(p, &mut scratch))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into();
    connections
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildOptions, compile_with};
    use crate::markdown::packed::Packed;

    /// A large site holds its HTML and plain texts packed ([`Holding::packing`]); everything
    /// made from them is the same as when they are held as they are: the HTML, the texts, the
    /// related articles (whose signatures read only the head packed apart) and every search
    /// file.
    #[test]
    fn texts_held_packed_make_the_same_site_as_texts_held_plain() {
        let options = BuildOptions::new(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
        let compile = |pack| compile_with(&options, &mut Fresh::packing(pack)).expect("compiles");
        let (plain, packed) = (compile(Packing::default()), compile(Packing::ALL));
        assert!(packed.rendered.len() > 20, "the sample knowledge base");
        let long = |r: &RenderedDoc| r.text.len() > 3 * 1_200;
        assert!(
            (packed.rendered.iter().filter(|r| long(r)))
                .all(|r| matches!(r.text, Packed::Zstd { head: Some(_), .. })),
            "long texts are packed with a head apart"
        );
        assert!(
            (packed.rendered.iter())
                .all(|r| r.html.is_empty() || matches!(r.html, Packed::Zstd { .. }))
        );
        let plain_held =
            |r: &RenderedDoc| matches!((&r.text, &r.html), (Packed::Plain(_), Packed::Plain(_)));
        assert!(plain.rendered.iter().all(plain_held));
        for (a, b) in plain.rendered.iter().zip(&packed.rendered) {
            assert_eq!(
                (a.text.unpack(), a.html.unpack()),
                (b.text.unpack(), b.html.unpack())
            );
        }
        // (Compared whole, not shown: a signature is hundreds of numbers.)
        let same =
            signatures(&plain.map, &plain.rendered) == signatures(&packed.map, &packed.rendered);
        assert!(same, "the signatures read from the packed heads differ");
        assert_eq!(plain.connections.related, packed.connections.related);
        let index = |site: &crate::build::Site| {
            let config = &site.settings.config;
            let index = crate::search::build(config, &site.docs, &site.map, &site.rendered);
            let blocks: Vec<_> = (0..index.pages.len().div_ceil(crate::search::DOCS_PER_BLOCK))
                .map(|b| {
                    let texts = index.block_texts(b, &site.map, &site.rendered);
                    crate::search::block_file(&index, b, &texts)
                })
                .collect();
            (index.files, blocks)
        };
        let (files, blocks) = index(&plain);
        assert!(files.len() > 10 && blocks.len() > 10);
        assert_eq!((files, blocks), index(&packed));
    }
}
