//! The last stages: every output file of a compiled [`Site`] rendered from its templates and
//! streamed into an [`output::Sink`] as it is made, on a thread pool the caller chooses.
//! Template errors are gathered, one per distinct mistake, like every other problem.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{BuildError, Progress, Site};
use crate::diagnostic::{self, Diagnostic};
use crate::output::{self, OutputError};
use crate::render::{self, Input, Job, Shared, Summaries};
use crate::search::SearchIndex;
use crate::site::{PageId, SitePath};
use crate::theme;

/// The jobs of one site and the values every job shares.
pub(crate) struct Pages<'a> {
    pub(crate) input: Input<'a>,
    pub(crate) shared: Shared,
    pub(crate) jobs: Vec<Job>,
}

impl<'a> Pages<'a> {
    /// Every output file of `site` but the search index's ([`Pages::search`]).
    pub(crate) fn of(site: &'a Site) -> Pages<'a> {
        Pages::keeping(site, None, |_| false)
    }

    /// [`Pages::of`], with the page summaries of `kept` where `same` says a page's summary
    /// cannot have changed ([`Shared::keeping`]).
    pub(crate) fn keeping(
        site: &'a Site,
        kept: Option<Summaries>,
        same: impl Fn(PageId) -> bool + Sync,
    ) -> Pages<'a> {
        let input = site.input();
        let shared = Shared::keeping(&input, &site.theme, kept, same);
        let jobs = render::jobs(&input, &site.theme);
        Pages {
            input,
            shared,
            jobs,
        }
    }

    /// Only the search index files of `site`.
    pub(crate) fn search(site: &'a Site, search: SearchIndex) -> Pages<'a> {
        let input = site.input();
        let shared = Shared::for_search(&input, &site.theme, search);
        let jobs = render::search_jobs(&shared);
        Pages {
            input,
            shared,
            jobs,
        }
    }

    /// Renders one job into its path and bytes.
    pub(crate) fn render(
        &self,
        site: &Site,
        job: &Job,
    ) -> Result<(SitePath, Cow<'static, [u8]>), BuildError> {
        render::run(job, &self.input, &site.theme, &self.shared)
            .and_then(|p| p.into_file(&site.theme, &self.shared))
            .map_err(|d| BuildError::Site(vec![d]))
    }
}

/// Renders every output file of `site` but the search index's into `sink` on `pool`;
/// returns (HTML pages, files).
pub(crate) fn render_pages(
    site: &Site,
    sink: &dyn output::Sink,
    pool: &rayon::ThreadPool,
    progress: Option<Progress<'_>>,
) -> Result<(usize, usize), BuildError> {
    let pages = Pages::of(site);
    for_each_job(pool, &pages.jobs, progress, |job| {
        let (path, bytes) = pages.render(site, job)?;
        put(sink, &path, &bytes)
    })?;
    let html = pages.jobs.iter().filter(|j| j.is_page()).count();
    Ok((html, pages.jobs.len() + 1))
}

/// Renders only the search index files into `sink`, after the pages (so that `serve`'s open
/// page reloads without waiting for the index, and a build lets go of the articles' HTML
/// first); returns how many files that is.
pub(crate) fn write_search(
    site: &Site,
    search: SearchIndex,
    sink: &dyn output::Sink,
    pool: &rayon::ThreadPool,
) -> Result<usize, BuildError> {
    let pages = Pages::search(site, search);
    for_each_job(pool, &pages.jobs, None, |job| {
        let (path, bytes) = pages.render(site, job)?;
        put(sink, &path, &bytes)
    })?;
    Ok(pages.jobs.len())
}

/// Hands one file to `sink`; a path claimed twice is a problem of the site, not of the disk.
pub(crate) fn put(
    sink: &dyn output::Sink,
    path: &SitePath,
    bytes: &[u8],
) -> Result<(), BuildError> {
    sink.put(path, bytes).map_err(site_or_output)
}

/// A duplicate output path as a diagnostic of the site; any other output error as it is.
pub(crate) fn site_or_output(e: OutputError) -> BuildError {
    match e {
        OutputError::Duplicate(ref p) => BuildError::Site(vec![Diagnostic::new(
            diagnostic::Code::Output,
            p.clone(),
            crate::args!(detail = e.to_string()),
        )]),
        other => BuildError::Output(other),
    }
}

/// Runs `job` for every job on `pool`, reporting progress; gathers the problems of all jobs
/// (template errors grouped) and stops at the first output error.
pub(crate) fn for_each_job(
    pool: &rayon::ThreadPool,
    jobs: &[Job],
    progress: Option<Progress<'_>>,
    job: impl Fn(&Job) -> Result<(), BuildError> + Sync,
) -> Result<(), BuildError> {
    let done = AtomicUsize::new(0);
    let results: Vec<Result<(), BuildError>> = pool.install(|| {
        jobs.par_iter()
            .map(|j| {
                job(j)?;
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

/// The thread pools pages are rendered on. Writing thousands of small files waits on the disk
/// far more than on the processor, so a build that writes to disk runs on more threads than
/// there are cores: at 10,000 articles this roughly halves a first build on a 2-core machine
/// (see the benchmark notes in docs/performance.md). Rendering into memory (`serve`) uses one thread per
/// core. Both pools are made once and give their threads a stack deep enough for templates.
pub(crate) mod pool {
    use std::sync::OnceLock;

    use rayon::ThreadPool;

    /// For a build written to disk.
    pub(crate) fn disk() -> &'static ThreadPool {
        static DISK: OnceLock<ThreadPool> = OnceLock::new();
        DISK.get_or_init(|| make((cores() * 4).max(8)))
    }

    /// For a site rendered into memory.
    pub(crate) fn memory() -> &'static ThreadPool {
        static MEMORY: OnceLock<ThreadPool> = OnceLock::new();
        MEMORY.get_or_init(|| make(cores()))
    }

    fn cores() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    }

    fn make(threads: usize) -> ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(super::theme::RENDER_STACK)
            .build()
            .expect("a thread pool can be started")
    }
}
