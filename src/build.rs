//! The orchestrator: runs the pipeline stages in order, in parallel where a stage works file
//! by file, gathers every stage's diagnostics, and writes the output only when there are no
//! errors. `cli` calls it; later tools (serve, check) reuse [`compile`].

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
    pub docs: Vec<Document>,
    pub map: SiteMap,
    pub rendered: Vec<RenderedDoc>,
    pub knowledge: Knowledge,
    pub connections: Connections,
    pub theme: Theme,
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage of [`compile`].
    pub stages: Vec<(&'static str, Duration)>,
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
    let (docs, assets) = read_documents(root, files, options.drafts, &mut diagnostics);
    watch.lap("read and parse the content");
    let theme = match theme::load(root, &config) {
        Ok(theme) => Some(theme),
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    let (map, found) = site::link(&config, &docs, &assets);
    diagnostics.extend(found);
    let (knowledge, found) = knowledge::index(&config, &docs, &map);
    diagnostics.extend(found);
    watch.lap("link the site and the knowledge base");
    let highlighter = Highlighter::new();
    let sanitizer = markdown::sanitize::Sanitizer::default();
    let env = markdown::RenderEnv {
        map: &map,
        highlighter: &highlighter,
        language: config.language,
        sanitizer: (config.markdown.raw_html == crate::config::RawHtml::Safe).then_some(&sanitizer),
        knowledge: &knowledge,
    };
    let (rendered, found): (Vec<RenderedDoc>, Vec<Vec<Diagnostic>>) = docs
        .par_iter()
        .map(|doc| {
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
    diagnostics.extend(found.into_iter().flatten());
    watch.lap("render Markdown");
    diagnostics.extend(crate::check::anchors(&docs, &map, &rendered));
    if options.external == ExternalLinks::Warn {
        diagnostics.extend(crate::check::external(&docs, &rendered));
    }
    let connections = connect(&docs, &map, &knowledge, &rendered);
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
        }),
        _ => Err(diagnostics),
    }
}

/// Backlinks, term uses and related articles; the related articles of each page in parallel.
fn connect(
    docs: &[Document],
    map: &SiteMap,
    knowledge: &Knowledge,
    rendered: &[RenderedDoc],
) -> Connections {
    let mut connections = knowledge::connections::collect(docs, map, knowledge, rendered);
    let signatures: Vec<Vec<u64>> = map
        .pages
        .par_iter()
        .map(|p| {
            let title = &site::page_meta(docs, p.doc).title;
            knowledge::related::signature(title, &rendered[p.doc].text)
        })
        .collect();
    let index = knowledge::related::RelatedIndex::new(docs, map, knowledge, rendered, &signatures);
    // One scratch buffer (a score for every page) per chunk of pages, not per rayon split.
    let pages: Vec<usize> = (0..map.pages.len()).collect();
    connections.related = pages
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let mut scratch = index.scratch();
            chunk
                .iter()
                .map(|&p| index.related(p, &mut scratch))
                .collect::<Vec<_>>()
        })
        .collect();
    connections
}

/// Parses every Markdown file in parallel; returns the documents to build (drafts dropped
/// unless asked for) and the asset files.
fn read_documents(
    root: &Path,
    files: Vec<source::SourceFile>,
    drafts: Drafts,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Document>, Vec<source::SourceFile>) {
    let (markdown, assets): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|f| f.kind != SourceKind::Asset);
    let content = root.join(source::CONTENT_DIR);
    let parsed: Vec<(Option<Document>, Vec<Diagnostic>)> = markdown
        .into_par_iter()
        .map(|file| {
            let shown = content.join(&file.rel);
            source::parse(file, shown)
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for (doc, found) in parsed {
        diagnostics.extend(found);
        if let Some(doc) = doc {
            let is_draft = matches!(&doc.meta, DocMeta::Page(m) if m.draft);
            if !is_draft || drafts == Drafts::Include {
                docs.push(doc);
            }
        }
    }
    (docs, assets)
}

/// Renders every output file into `staging`; returns (HTML pages, files) written.
pub fn write(
    site: &Site,
    search: Option<search::SearchIndex>,
    sink: &dyn output::Sink,
    progress: Option<Progress<'_>>,
) -> Result<(usize, usize), BuildError> {
    let input = Input {
        config: &site.config,
        docs: &site.docs,
        map: &site.map,
        rendered: &site.rendered,
        knowledge: &site.knowledge,
        connections: &site.connections,
    };
    let shared = Shared::new(&input, &site.theme, search);
    let jobs = render::jobs(&input, &site.theme, &shared);
    let done = AtomicUsize::new(0);
    let results: Vec<Result<(), BuildError>> = io_pool().install(|| {
        jobs.par_iter()
            .map(|job| {
                let (path, bytes) = render::run(job, &input, &site.theme, &shared)
                    .map_err(|d| BuildError::Site(vec![d]))?;
                sink.put(&path, &bytes).map_err(|e| match e {
                    OutputError::Duplicate(ref p) => {
                        BuildError::Site(vec![Diagnostic::error(p.clone(), e.to_string())])
                    }
                    other => BuildError::Output(other),
                })?;
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
    let pages = jobs.iter().filter(|j| j.is_page()).count();
    Ok((pages, jobs.len() + 1))
}

/// One diagnostic per distinct template error, naming the first page it broke and how many
/// others it broke too.
fn group_render_errors(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut problems);
    let mut grouped: Vec<(Diagnostic, usize)> = Vec::new();
    for d in problems {
        let cause = |d: &Diagnostic| {
            let end = d.message.find(render::RENDERING).unwrap_or(d.message.len());
            (d.path.clone(), d.message[..end].to_owned())
        };
        match grouped.iter_mut().find(|(g, _)| cause(g) == cause(&d)) {
            Some((_, more)) => *more += 1,
            None => grouped.push((d, 0)),
        }
    }
    grouped
        .into_iter()
        .map(|(mut d, more)| {
            if d.message.contains(render::RENDERING) {
                if more > 0 {
                    d.message.push_str(&format!(" and {more} other pages"));
                }
                d.message.push(')');
            }
            d
        })
        .collect()
}

/// Writing thousands of small files waits on the disk far more than on the processor, so the
/// render-and-write stage runs on more threads than there are cores: at 10,000 articles this
/// roughly halves a first build on a 2-core machine (see the README's benchmark notes).
fn io_pool() -> rayon::ThreadPool {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    rayon::ThreadPoolBuilder::new()
        .num_threads((cores * 4).max(8))
        .stack_size(theme::RENDER_STACK)
        .build()
        .expect("a thread pool can be started")
}
