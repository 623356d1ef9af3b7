//! The orchestrator: runs the pipeline's stages in order, in parallel where a stage works file
//! by file, gathers every stage's diagnostics, and writes the output only when there are no
//! errors. `cli` calls it; `check` stops after [`compile`]; `serve` runs the same stages
//! through [`crate::incremental`], which wraps them to skip what did not change.

mod pages;
mod settings;
pub(crate) mod stages;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostic::{self, Diagnostic};
use crate::knowledge::{Connections, Knowledge};
use crate::markdown::RenderedDoc;
use crate::markdown::packed::Packed;
use crate::output::{self, OutputError};
use crate::render::Input;
use crate::search;
use crate::site::SiteMap;
use crate::source::Document;
use crate::theme::Theme;

pub(crate) use pages::{Pages, for_each_job, pool, put, site_or_output};
pub(crate) use pages::{render_pages, write_search};
pub use settings::{BuildOptions, Drafts, SpamGuard};
pub(crate) use settings::{ExternalLinks, Settings};
pub(crate) use stages::{Fresh, Runner};

/// Builds the site as `options` ask: compiles it, renders every page and writes the output.
pub fn build(
    options: &BuildOptions,
    progress: Option<Progress<'_>>,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let settings = Settings::resolve(options).map_err(BuildError::Site)?;
    // Prepared before compiling: the previous output is listed while the site compiles, and
    // a failed compile drops the staging folder without touching the output.
    let staging = output::prepare(&settings.root, &settings.output, settings.overwrite)?;
    let mut site = compile_settled(settings, &mut Fresh::forgetting()).map_err(BuildError::Site)?;
    let mut watch = Stopwatch::since(Instant::now(), std::mem::take(&mut site.stages));
    // Pages stream into the staging folder as they are rendered; the commit swaps them in.
    let (pages, mut files) = render_pages(&site, &staging, pool::disk(), progress)?;
    watch.lap("render templates and write files");
    // Every page is written: the articles' HTML, the largest thing the site holds, is let go
    // of before the search index is built (a build's peak), so a build need not hold it
    // packed (`Packing::for_build`). The index reads the plain texts and headings.
    for rendered in site.rendered.iter_mut() {
        rendered.html = Packed::default();
    }
    if site.settings.config.search.enabled {
        let config = &site.settings.config;
        let index = search::build(config, &site.docs, &site.map, &site.rendered);
        files += write_search(&site, index, &staging, pool::disk())?;
    }
    watch.lap("build and write the search index");
    let changes = staging.commit()?;
    watch.lap("swap the new tree into the output");
    let report = BuildReport {
        pages,
        files,
        output: std::mem::take(&mut site.settings.output),
        warnings: std::mem::take(&mut site.warnings),
        elapsed: started.elapsed(),
        stages: watch.stages,
        peak_memory: memory().map(|m| m.peak),
        changes,
    };
    // Millions of small allocations on a large site: let go of them beside the caller, which
    // has its report now (and `gongdu build` exits without waiting for them).
    std::thread::spawn(move || drop(site));
    Ok(report)
}

/// Reads, checks, links and renders the Markdown of the whole site. On any error, returns
/// every diagnostic found (warnings too).
pub fn compile(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    compile_with(options, &mut Fresh::default())
}

/// [`compile`], running the stages whose work can be kept through `run`: afresh for a build,
/// through its cache for `serve`.
pub(crate) fn compile_with(
    options: &BuildOptions,
    run: &mut (impl Runner + Send),
) -> Result<Site, Vec<Diagnostic>> {
    compile_settled(Settings::resolve(options)?, run)
}

/// [`compile_with`] for options already resolved.
fn compile_settled(
    settings: Settings,
    run: &mut (impl Runner + Send),
) -> Result<Site, Vec<Diagnostic>> {
    let mut watch = Stopwatch::since(Instant::now(), Vec::new());
    let mut found = Found::default();
    let (root, config) = (&settings.root, &settings.config);
    let sources = found.take(stages::discover(root));
    let (parsed, theme) = run.parse_and_theme(root, config, sources.markdown, settings.drafts);
    let mut docs = found.take(parsed);
    found.extend(crate::source::tags::separate(
        docs.iter_mut(),
        config.split_tags,
    ));
    let theme = found.ok(theme);
    watch.lap("read and parse the content");
    let (map, knowledge) = found.take(run.link(config, &docs, &sources.assets));
    if let Some(theme) = &theme {
        found.extend(crate::check::outputs(
            config, &docs, &map, &knowledge, theme,
        ));
    }
    watch.lap("link the site and the knowledge base");
    // The guard reads the sources, which rendering may let go of.
    let spam = run.guard_spam(&docs, settings.spam);
    let rendered = found.take(run.render_markdown(config, &mut docs, &map, &knowledge));
    watch.lap("render Markdown");
    let connections = found.take(stages::check_and_connect(
        &settings, &docs, &map, &knowledge, &rendered, run,
    ));
    // The checks' problems first, then the guard's, as `check` has always listed them.
    found.extend(spam);
    run.connected(&docs, &map, &knowledge, &connections);
    watch.lap("check anchors; backlinks, related articles");
    match (theme, found.finish()) {
        (Some(theme), Ok(warnings)) => Ok(Site {
            settings,
            docs,
            map,
            rendered,
            knowledge,
            connections,
            theme,
            warnings,
            stages: watch.stages,
        }),
        (theme, Ok(all) | Err(all)) => {
            run.failed(docs, rendered, theme);
            Err(all)
        }
    }
}

/// A site read, linked and rendered to Markdown, ready to be written.
pub struct Site {
    pub settings: Settings,
    pub docs: crate::site::TiVec<crate::site::DocId, Document>,
    pub map: SiteMap,
    pub rendered: crate::site::TiVec<crate::site::DocId, RenderedDoc>,
    pub knowledge: Knowledge,
    pub connections: Connections,
    pub theme: Theme,
    pub warnings: Vec<Diagnostic>,
    /// Each stage of [`compile`], timed.
    pub stages: Vec<Stage>,
}

impl Site {
    pub fn config(&self) -> &SiteConfig {
        &self.settings.config
    }

    fn input(&self) -> Input<'_> {
        Input {
            config: &self.settings.config,
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
    /// Each stage, in order, for `gongdu build --timings` and benchmarks.
    pub stages: Vec<Stage>,
    /// The most memory the process held, in bytes, where the system tells (Linux).
    pub peak_memory: Option<u64>,
    /// Files written, left unchanged and removed in the output.
    pub changes: output::CommitSummary,
}

/// One stage of a build: its wall time, and the memory the process held when it ended.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
    /// Resident memory in bytes at the end of the stage, where the system tells (Linux).
    pub resident: Option<u64>,
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
pub(crate) type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// The problems every stage found, gathered so that a build reports all of them at once.
#[derive(Default)]
pub(crate) struct Found {
    diagnostics: Vec<Diagnostic>,
    /// A stage failed without producing its value.
    failed: bool,
}

impl Found {
    /// A stage's value; its problems are kept.
    pub(crate) fn take<T>(&mut self, (value, found): (T, Vec<Diagnostic>)) -> T {
        self.diagnostics.extend(found);
        value
    }

    /// A stage's value, or `None` (and the build fails) if it could not make one.
    pub(crate) fn ok<T>(&mut self, result: Result<T, Vec<Diagnostic>>) -> Option<T> {
        result
            .map_err(|found| {
                self.failed = true;
                self.diagnostics.extend(found);
            })
            .ok()
    }

    pub(crate) fn extend(&mut self, found: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(found);
    }

    /// Every problem, sorted by file: the warnings if the site can be written, or `Err` with
    /// all of them when any is an error or a stage failed.
    pub(crate) fn finish(mut self) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        diagnostic::sort(&mut self.diagnostics);
        if self.failed || self.diagnostics.iter().any(Diagnostic::is_error) {
            Err(self.diagnostics)
        } else {
            Ok(self.diagnostics)
        }
    }
}

/// Records how long each stage took, and the memory held after it.
#[derive(Debug)]
pub(crate) struct Stopwatch {
    last: Instant,
    pub(crate) stages: Vec<Stage>,
}

impl Stopwatch {
    /// Times stages from `start` on, after the ones already timed.
    pub(crate) fn since(start: Instant, stages: Vec<Stage>) -> Stopwatch {
        Stopwatch {
            last: start,
            stages,
        }
    }

    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push(Stage {
            name,
            took: now - self.last,
            resident: memory().map(|m| m.resident),
        });
        self.last = now;
    }
}

/// The process's memory in bytes.
struct Memory {
    resident: u64,
    peak: u64,
}

/// `VmRSS` and `VmHWM` of `/proc/self/status`; None where there is no such file (not Linux).
/// Reading it takes some microseconds, once a stage.
fn memory() -> Option<Memory> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let bytes = |key: &str| -> Option<u64> {
        let line = status.lines().find_map(|l| l.strip_prefix(key))?;
        let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
        Some(kib * 1024)
    };
    Some(Memory {
        resident: bytes("VmRSS:")?,
        peak: bytes("VmHWM:")?,
    })
}
