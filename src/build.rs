//! The orchestrator: runs the pipeline stages in order, in parallel where a stage works file
//! by file, gathers every stage's diagnostics, and writes the output only when there are no
//! errors. `cli` calls it; later tools (serve, check) reuse [`compile`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::diagnostic::{self, Diagnostic};
use crate::knowledge::{self, Connections, Knowledge};
use crate::markdown::{self, Highlighter, RenderedDoc};
use crate::output::{self, OutputError, Overwrite};
use crate::render::{self, Input, Shared};
use crate::search;
use crate::site::{self, SiteMap};
use crate::source::{self, DocMeta, Document, SourceKind};
use crate::theme::{self, Theme};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafts {
    Include,
    Exclude,
}

/// Whether links and images that leave the site are reported (`gongdu check` does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalLinks {
    Ignore,
    Warn,
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output` in site.yaml (which is relative to the root).
    pub output: Option<PathBuf>,
    pub drafts: Drafts,
    /// Overrides `base_url` in site.yaml.
    pub base_url: Option<String>,
    pub overwrite: Overwrite,
    pub external: ExternalLinks,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: Drafts::Exclude,
            base_url: None,
            overwrite: Overwrite::OnlyOwnOutput,
            external: ExternalLinks::Ignore,
        }
    }
}

/// A site read, linked and rendered to Markdown, ready to be written.
pub struct Site {
    pub config: SiteConfig,
    pub docs: site::TiVec<site::DocId, Document>,
    pub map: SiteMap,
    pub rendered: site::TiVec<site::DocId, RenderedDoc>,
    pub knowledge: Knowledge,
    pub connections: Connections,
    pub theme: Theme,
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage of [`compile`].
    pub stages: Vec<(&'static str, Duration)>,
    /// For each document, whether it, its rendered Markdown, the site map and the settings are
    /// all exactly as in the previous compile (`serve`); always `false` for a fresh compile.
    pub unchanged: Vec<bool>,
}

impl Site {
    fn input(&self) -> Input<'_> {
        Input {
            config: &self.config,
            docs: &self.docs,
            map: &self.map,
            rendered: &self.rendered,
            knowledge: &self.knowledge,
            connections: &self.connections,
        }
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Wall time of each stage, in order, for `gongdu build --timings` and benchmarks.
    pub stages: Vec<(&'static str, Duration)>,
    /// Files written, left unchanged and removed in the output.
    pub changes: output::CommitSummary,
}

/// Records how long each stage took.
#[derive(Debug, Default)]
struct Stopwatch {
    last: Option<Instant>,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let since = self.last.replace(now).map_or(Duration::ZERO, |t| now - t);
        self.stages.push((stage, since));
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the site's files; all of them, warnings included, sorted by file.
    #[error("the site has errors")]
    Site(Vec<Diagnostic>),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Reports progress while files are written: (done, total).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

pub fn build(
    options: &BuildOptions,
    progress: Option<Progress<'_>>,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut watch = Stopwatch {
        last: Some(started),
        ..Stopwatch::default()
    };
    let mut site = compile(options).map_err(BuildError::Site)?;
    watch.stages.append(&mut site.stages);
    watch.last = Some(Instant::now());
    let output = match &options.output {
        Some(o) => o.clone(),
        None => options.root.join(&site.config.output),
    };
    let staging = output::prepare(&options.root, &output, options.overwrite)?;
    let search = site
        .config
        .search
        .enabled
        .then(|| search::build(&site.config, &site.docs, &site.map, &site.rendered));
    watch.lap("build the search index");
    let (pages, files) = write(&site, search, &staging, progress)?;
    watch.lap("render templates and write files");
    let changes = staging.commit()?;
    watch.lap("move changed files into the output");
    Ok(BuildReport {
        pages,
        files,
        output,
        warnings: site.warnings,
        elapsed: started.elapsed(),
        stages: watch.stages,
        changes,
    })
}

/// Reads, checks, links and renders the Markdown of the whole site. On any error, returns
/// every diagnostic found (warnings too).
pub fn compile(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    compile_with(options, &mut Cache::default())
}

/// What one compile leaves for the next, so that `serve` reads and renders again only the
/// articles that changed: each Markdown file's size and date, its document, its rendered
/// Markdown, and the problems found in it. Rendered Markdown is reused only while the settings
/// and the site map (where every link leads) are exactly as they were. Documents and rendered
/// Markdown are moved, never copied: they live in the [`Site`] while it is written and come
/// back with [`Cache::keep`].
#[derive(Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
    /// Fingerprints of the settings and the site map the cached Markdown was rendered with.
    rendered_with: Option<(u128, u128)>,
    /// The theme, loaded with settings of this fingerprint, while out of a [`Site`].
    theme: Option<(u128, Theme)>,
    /// The fingerprint of the settings the theme in the last site was loaded with.
    theme_config: Option<u128>,
    /// Loads its syntax definitions on first use; kept so that happens once.
    highlighter: Highlighter,
    /// Content path → fingerprint of its page's backlinks, related articles and term uses.
    connected: HashMap<String, u128>,
}

struct Entry {
    stamp: Stamp,
    /// A watcher said the file changed: read it again whatever its stamp says.
    stale: bool,
    /// Problems found reading the file (warnings only: a file with errors is read again).
    read: Vec<Diagnostic>,
    /// Problems found rendering its Markdown.
    render: Vec<Diagnostic>,
    /// `None` while the document is out in a [`Site`].
    doc: Option<Document>,
    rendered: Option<RenderedDoc>,
}

/// Size and modification time of a file as last read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

impl Cache {
    /// Forgets the files at these paths (absolute, as a watcher reports them), whatever their
    /// dates say: some file systems keep dates only to the second or two.
    pub fn forget(&mut self, root: &Path, paths: &[PathBuf]) {
        let content = root.join(source::CONTENT_DIR);
        for path in paths {
            if let Ok(rel) = path.strip_prefix(&content)
                && let Some(entry) = self
                    .entries
                    .get_mut(&rel.to_string_lossy().replace('\\', "/"))
            {
                // Read again next time; the old document stays for comparison.
                entry.stale = true;
            }
        }
    }

    /// Loads the theme again next time (its templates or static files changed).
    pub fn forget_theme(&mut self) {
        self.theme = None;
        self.theme_config = None;
    }

    /// Takes back the documents, rendered Markdown and theme of a site that has been written.
    pub fn keep(&mut self, site: Site) {
        if let Some(config) = self.theme_config.take() {
            self.theme = Some((config, site.theme));
        }
        self.put_back(site.docs.raw, site.rendered.raw);
    }

    fn put_back(&mut self, docs: Vec<Document>, rendered: Vec<RenderedDoc>) {
        let mut rendered = rendered.into_iter();
        for doc in docs {
            let r = rendered.next();
            if let Some(entry) = self.entries.get_mut(&doc.file.rel) {
                entry.rendered = r;
                entry.doc = Some(doc);
            }
        }
    }
}

/// [`compile`], reusing what `cache` holds from the previous compile and leaving in it what
/// the next one can reuse.
pub fn compile_with(options: &BuildOptions, cache: &mut Cache) -> Result<Site, Vec<Diagnostic>> {
    let mut watch = Stopwatch {
        last: Some(Instant::now()),
        ..Stopwatch::default()
    };
    let root = &options.root;
    let mut config = config::load(root)?;
    if let Some(url) = &options.base_url {
        config.base_url = Some(
            config::normalize_base_url(url)
                .map_err(|m| vec![Diagnostic::error("--base-url", m)])?,
        );
    }
    let mut diagnostics = Vec::new();
    let (files, found) = source::discover(root);
    diagnostics.extend(found);
    let mut meta_changed = false;
    let (docs, assets, mut reused) = read_documents(
        root,
        files,
        options.drafts,
        cache,
        &mut diagnostics,
        &mut meta_changed,
    );
    let docs: site::TiVec<site::DocId, Document> = docs.into();
    watch.lap("read and parse the content");
    let config_fingerprint = crate::fingerprint::Fingerprint::new()
        .debug(&config)
        .finish();
    let theme = match cache.theme.take() {
        Some((loaded_with, theme)) if loaded_with == config_fingerprint => Some(theme),
        _ => match theme::load(root, &config) {
            Ok(theme) => Some(theme),
            Err(found) => {
                diagnostics.extend(found);
                None
            }
        },
    };
    cache.theme_config = theme.is_some().then_some(config_fingerprint);
    let (map, found) = site::link(&config, &docs, &assets);
    diagnostics.extend(found);
    let (knowledge, found) = knowledge::index(&config, &docs, &map);
    diagnostics.extend(found);
    watch.lap("link the site and the knowledge base");
    // Rendering an article reads the map (where links lead) and the knowledge base (titles
    // for wikilinks, glossary terms), which is made from the front matter: a change to either
    // renders every article again.
    let rendered_with = (config_fingerprint, map.fingerprint());
    if meta_changed || cache.rendered_with != Some(rendered_with) {
        reused.iter_mut().for_each(|r| *r = None);
    }
    // Pages made only from unchanged documents can be kept as they are, unless some front
    // matter changed: titles and summaries show on other pages too.
    let mut unchanged: Vec<bool> = reused
        .iter()
        .map(|r| r.is_some() && !meta_changed)
        .collect();
    let highlighter = std::mem::take(&mut cache.highlighter);
    let sanitizer = markdown::sanitize::Sanitizer::default();
    let env = markdown::RenderEnv {
        map: &map,
        highlighter: &highlighter,
        language: config.language,
        sanitizer: (config.markdown.raw_html == crate::config::RawHtml::Safe).then_some(&sanitizer),
        knowledge: &knowledge,
    };
    let (rendered, found): (Vec<RenderedDoc>, Vec<Vec<Diagnostic>>) = docs
        .raw
        .par_iter()
        .zip(reused.into_par_iter())
        .map(|(doc, reused)| {
            if let Some(done) = reused {
                return done;
            }
            let here = map
                .url_of_source(&doc.file.rel)
                .cloned()
                .unwrap_or_else(|| site::SitePath::index_of(""));
            let summary = match &doc.meta {
                DocMeta::Page(m) => m.summary.as_deref(),
                DocMeta::Section(m) => m.summary.as_deref(),
            };
            markdown::render(doc, &here, summary, &env)
        })
        .unzip();
    let rendered: site::TiVec<site::DocId, RenderedDoc> = rendered.into();
    cache.highlighter = highlighter;
    for (doc, found) in docs.iter().zip(&found) {
        if let Some(entry) = cache.entries.get_mut(&doc.file.rel) {
            entry.render.clone_from(found);
        }
    }
    cache.rendered_with = Some(rendered_with);
    diagnostics.extend(found.into_iter().flatten());
    watch.lap("render Markdown");
    diagnostics.extend(crate::check::anchors(&docs, &map, &rendered));
    if options.external == ExternalLinks::Warn {
        diagnostics.extend(crate::check::external(&docs, &rendered));
    }
    let connections = connect(&docs, &map, &knowledge, &rendered);
    // A page also shows its backlinks, related articles and (a glossary entry) the pages that
    // use its term, which other articles' text decides: it is unchanged only if they are.
    let connected = connections_fingerprints(docs.len(), &map, &knowledge, &connections);
    for (i, (doc, fingerprint)) in docs.iter().zip(&connected).enumerate() {
        if cache.connected.get(&doc.file.rel) != Some(fingerprint) {
            unchanged[i] = false;
        }
    }
    cache.connected = docs
        .iter()
        .zip(connected)
        .map(|(d, f)| (d.file.rel.clone(), f))
        .collect();
    watch.lap("check anchors; backlinks, related articles");
    diagnostic::sort(&mut diagnostics);
    match theme {
        Some(theme) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Site {
            config,
            docs,
            map,
            rendered,
            knowledge,
            connections,
            theme,
            warnings: diagnostics,
            stages: watch.stages,
            unchanged,
        }),
        theme => {
            if let (Some(theme), Some(config)) = (theme, cache.theme_config.take()) {
                cache.theme = Some((config, theme));
            }
            cache.put_back(docs.raw, rendered.raw);
            Err(diagnostics)
        }
    }
}

fn meta_fingerprint(doc: &Document) -> u128 {
    crate::fingerprint::Fingerprint::new()
        .debug(&doc.meta)
        .finish()
}

/// For each document, a fingerprint of what other articles give its page: backlinks with their
/// context, related articles and, for a glossary entry, the pages that use the term.
fn connections_fingerprints(
    docs: usize,
    map: &SiteMap,
    knowledge: &Knowledge,
    connections: &Connections,
) -> Vec<u128> {
    let mut per_page: site::TiVec<site::PageId, crate::fingerprint::Fingerprint> =
        (0..map.pages.len())
            .into_par_iter()
            .map(site::PageId::from)
            .map(|p| {
                let mut f = crate::fingerprint::Fingerprint::new();
                f.hash(&connections.backlinks.get(p))
                    .hash(&connections.related.get(p));
                f
            })
            .collect::<Vec<_>>()
            .into();
    for (entry, uses) in knowledge
        .glossary
        .entries
        .iter()
        .zip(&connections.term_uses)
    {
        per_page[entry.page].hash(uses);
    }
    let mut out = vec![0; docs];
    for (page, f) in map.pages.iter().zip(per_page) {
        out[page.doc.index()] = f.finish();
    }
    out
}

/// Backlinks, term uses and related articles; the related articles of each page in parallel.
fn connect(
    docs: &crate::site::Docs,
    map: &SiteMap,
    knowledge: &Knowledge,
    rendered: &crate::markdown::RenderedDocs,
) -> Connections {
    let mut connections = knowledge::connections::collect(docs, map, knowledge, rendered);
    let signatures: site::TiVec<site::PageId, Vec<u64>> = map
        .pages
        .raw
        .par_iter()
        .map(|p| {
            let title = &p.meta(docs).title;
            knowledge::related::signature(title, &rendered[p.doc].text)
        })
        .collect::<Vec<_>>()
        .into();
    let index = knowledge::related::RelatedIndex::new(docs, map, knowledge, rendered, &signatures);
    // One scratch buffer (a score for every page) per chunk of pages, not per rayon split.
    let pages: Vec<site::PageId> = map.pages.keys().collect();
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

/// Rendered Markdown (and the problems found rendering it) that a document can reuse.
type Reused = Option<(RenderedDoc, Vec<Diagnostic>)>;

/// Parses every Markdown file in parallel, or takes it from `cache` when the file's size and
/// date are as they were; returns the documents to build in the order found (drafts dropped
/// unless asked for), the asset files, and for each document the rendered Markdown the cache
/// holds for it.
fn read_documents(
    root: &Path,
    files: Vec<source::SourceFile>,
    drafts: Drafts,
    cache: &mut Cache,
    diagnostics: &mut Vec<Diagnostic>,
    meta_changed: &mut bool,
) -> (Vec<Document>, Vec<source::SourceFile>, Vec<Reused>) {
    enum Read {
        Unchanged(String),
        Parsed(Box<(Option<Document>, Vec<Diagnostic>, Option<Stamp>)>),
    }
    let (markdown, assets): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|f| f.kind != SourceKind::Asset);
    let content = root.join(source::CONTENT_DIR);
    let mut previous = std::mem::take(&mut cache.entries);
    let read: Vec<Read> = markdown
        .into_par_iter()
        .map(|file| {
            let stamp = Stamp::of(&file.path);
            match previous.get(&file.rel) {
                Some(e) if !e.stale && e.doc.is_some() && stamp == Some(e.stamp) => {
                    Read::Unchanged(file.rel)
                }
                _ => {
                    let shown = content.join(&file.rel);
                    let (doc, found) = source::parse(file, shown);
                    Read::Parsed(Box::new((doc, found, stamp)))
                }
            }
        })
        .collect();
    let wanted = |doc: &Document| {
        drafts == Drafts::Include || !matches!(&doc.meta, DocMeta::Page(m) if m.draft)
    };
    let mut docs = Vec::with_capacity(read.len());
    let mut reused = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Read::Unchanged(rel) => {
                let mut entry = previous.remove(&rel).expect("found above");
                diagnostics.extend(entry.read.iter().cloned());
                let doc = entry.doc.take().expect("checked above");
                if wanted(&doc) {
                    reused.push(entry.rendered.take().map(|r| (r, entry.render.clone())));
                    docs.push(doc);
                } else {
                    entry.doc = Some(doc);
                }
                cache.entries.insert(rel, entry);
            }
            Read::Parsed(parsed) => {
                let (doc, found, stamp) = *parsed;
                let clean = !found.iter().any(Diagnostic::is_error);
                diagnostics.extend(found.iter().cloned());
                let Some(doc) = doc else {
                    *meta_changed = true;
                    continue;
                };
                // Only an article whose front matter is as it was leaves other pages alone.
                let before = previous.get(&doc.file.rel).and_then(|e| e.doc.as_ref());
                if !before.is_some_and(|old| {
                    old.file.kind == SourceKind::Page
                        && doc.file.kind == SourceKind::Page
                        && meta_fingerprint(old) == meta_fingerprint(&doc)
                }) {
                    *meta_changed = true;
                }
                let wanted = wanted(&doc);
                if let (true, Some(stamp)) = (clean, stamp) {
                    let entry = Entry {
                        stamp,
                        stale: false,
                        read: found,
                        render: Vec::new(),
                        doc: None,
                        rendered: None,
                    };
                    let entry = cache.entries.entry(doc.file.rel.clone()).or_insert(entry);
                    if !wanted {
                        entry.doc = Some(doc);
                        continue;
                    }
                }
                if wanted {
                    docs.push(doc);
                    reused.push(None);
                }
            }
        }
    }
    (docs, assets, reused)
}

/// Renders every output file into `sink`; returns (HTML pages, files) written.
pub fn write(
    site: &Site,
    search: Option<search::SearchIndex>,
    sink: &dyn output::Sink,
    progress: Option<Progress<'_>>,
) -> Result<(usize, usize), BuildError> {
    let input = site.input();
    let shared = Shared::new(&input, &site.theme, search);
    let jobs = render::jobs(&input, &site.theme, &shared);
    run_jobs(site, &shared, &jobs, sink, progress)?;
    let pages = jobs.iter().filter(|j| j.is_page()).count();
    Ok((pages, jobs.len() + 1))
}

/// Writes only the search index files into `sink` (`serve` builds the index after the pages,
/// so that an open page reloads without waiting for it).
pub fn write_search(
    site: &Site,
    search: search::SearchIndex,
    sink: &dyn output::Sink,
) -> Result<(), BuildError> {
    let input = site.input();
    let shared = Shared::new(&input, &site.theme, Some(search));
    let jobs = render::search_jobs(&shared);
    run_jobs(site, &shared, &jobs, sink, None)
}

fn run_jobs(
    site: &Site,
    shared: &Shared,
    jobs: &[render::Job],
    sink: &dyn output::Sink,
    progress: Option<Progress<'_>>,
) -> Result<(), BuildError> {
    let input = site.input();
    let reuse = |path: &site::SitePath, fingerprint: u128| sink.reuse(path, fingerprint);
    let reuse: Option<render::Reuse<'_>> = sink.remembers().then_some(&reuse);
    let done = AtomicUsize::new(0);
    let results: Vec<Result<(), BuildError>> = pool(!sink.remembers()).install(|| {
        jobs.par_iter()
            .map(|job| {
                // A page made only from unchanged documents is the same page as last time.
                if reuse.is_some()
                    && let Some(path) = render::stable_path(job, &input, shared, &site.unchanged)
                    && sink.keep(&path)
                {
                    return Ok(());
                }
                let produced = render::run(job, &input, &site.theme, shared, reuse)
                    .map_err(|d| BuildError::Site(vec![d]))?;
                if let render::Produced::File {
                    path,
                    bytes,
                    fingerprint,
                } = produced
                {
                    sink.put(&path, &bytes, fingerprint).map_err(|e| match e {
                        OutputError::Duplicate(ref p) => {
                            BuildError::Site(vec![Diagnostic::error(p.clone(), e.to_string())])
                        }
                        other => BuildError::Output(other),
                    })?;
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(report) = progress
                    && (n.is_multiple_of(64) || n == jobs.len())
                {
                    report(n, jobs.len());
                }
                Ok(())
            })
            .collect()
    });
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(BuildError::Site(d)) => problems.extend(d),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(BuildError::Site(group_render_errors(problems)));
    }
    Ok(())
}

/// One diagnostic per distinct template error, naming the first page it broke and how many
/// others it broke too.
fn group_render_errors(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut problems);
    let mut grouped: Vec<(Diagnostic, usize)> = Vec::new();
    for d in problems {
        let cause = |d: &Diagnostic| (d.path.clone(), d.message.clone(), d.rendering.is_some());
        match grouped.iter_mut().find(|(g, _)| cause(g) == cause(&d)) {
            Some((_, more)) => *more += 1,
            None => grouped.push((d, 0)),
        }
    }
    grouped
        .into_iter()
        .map(|(mut d, more)| {
            d.name_pages(more);
            d
        })
        .collect()
}

/// Writing thousands of small files waits on the disk far more than on the processor, so the
/// render-and-write stage runs on more threads than there are cores when it writes to disk:
/// at 10,000 articles this roughly halves a first build on a 2-core machine (see the README's
/// benchmark notes). Rendering into memory (`serve`) uses one thread per core. Both pools are
/// made once and give their threads a stack deep enough for templates.
fn pool(for_disk: bool) -> &'static rayon::ThreadPool {
    static DISK: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    static MEMORY: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (cell, threads) = if for_disk {
        (&DISK, (cores * 4).max(8))
    } else {
        (&MEMORY, cores)
    };
    cell.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(theme::RENDER_STACK)
            .build()
            .expect("a thread pool can be started")
    })
}
