//! The served site: the files of the last good build, the problems of the latest build (if it
//! failed), and the clients waiting for news of the next one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::ServeOptions;
use super::held::{Body, Held};
use crate::build::{self, BuildError, BuildOptions};
use crate::diagnostic::Diagnostic;
use crate::incremental;
use crate::output::Files;

/// What the server shows right now.
#[derive(Default, Clone)]
pub struct Snapshot {
    /// Path in the site (`a/b/index.html`) → the file as held (see [`Held`]), from the last
    /// build that succeeded; every file but the search index's.
    pub(crate) pages: Arc<Files<Held>>,
    /// The search index's files, as written (scripts, never pages), which [`Served::index`]
    /// replaces on its own after the pages.
    pub search: Arc<HashMap<String, Arc<Vec<u8>>>>,
    /// Diagnostics of the latest build, when it failed; the files stay those of the last good one.
    pub problems: Option<Vec<Diagnostic>>,
    /// Counts successful builds.
    pub generation: u64,
    /// The theme's stylesheets and scripts among `pages`, published under content-hashed
    /// names ([`crate::theme::AssetNames`]), which a browser may keep without asking again.
    pub(crate) hashed: Arc<HashSet<String>>,
}

impl Snapshot {
    /// The file at `path`, ready to send.
    pub(crate) fn get(&self, path: &str) -> Option<Body<'_>> {
        match self.pages.get(path) {
            Some(held) => Some(held.body()),
            None => self.search.get(path).map(|bytes| Body::Plain(bytes)),
        }
    }

    /// Every served file as the build wrote it (pages without the live-reload script), for
    /// comparing what is served with what `gongdu build` writes.
    pub fn built_files(&self) -> BTreeMap<String, Vec<u8>> {
        let pages = self.pages.iter().map(|(p, h)| (p.clone(), h.built(p)));
        let search = self.search.iter().map(|(p, b)| (p.clone(), b.to_vec()));
        pages.chain(search).collect()
    }
}

pub struct Served {
    options: ServeOptions,
    current: RwLock<Snapshot>,
    listeners: Mutex<Vec<UnboundedSender<Message>>>,
    /// Held while rebuilding.
    work: Mutex<Work>,
}

/// What open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Reload,
    Problems(String),
}

/// What changed since the last build.
#[derive(Debug, Clone)]
pub enum Change {
    /// Unknown (the first build, or the watcher lost events): build everything from scratch.
    Everything,
    /// These files (absolute paths) were created, changed or removed.
    Paths(Vec<PathBuf>),
}

/// What a rebuild reuses from the one before: read and rendered articles, and the
/// fingerprints of the inputs of every served page.
#[derive(Default)]
struct Work {
    cache: incremental::Cache,
    /// The search index files among the served files.
    search_files: HashSet<String>,
    /// What the served search index was made from, to update it after an edit.
    search: crate::search::Kept,
    /// The last site, while its search index is still to be built.
    unindexed: Option<build::Site>,
}

impl Served {
    pub fn new(options: ServeOptions) -> Served {
        Served {
            options,
            current: RwLock::new(Snapshot::default()),
            listeners: Mutex::new(Vec::new()),
            work: Mutex::new(Work::default()),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        self.current.read().expect("not poisoned").clone()
    }

    /// Builds the site again after `change` and tells every open page what happened. Only
    /// what the change can affect is done again: unchanged articles are not read or rendered,
    /// and pages whose template context is unchanged keep their last rendering. The search
    /// index is left to [`Served::index`]; until then the last one is served.
    pub fn rebuild(&self, change: Change) {
        let started = Instant::now();
        let mut work = self.work.lock().expect("not poisoned");
        if let Some(site) = work.unindexed.take() {
            // Changed again before its index was built: the new site gets one instead.
            work.cache.keep(site);
        }
        let content = self.options.root.join(crate::source::CONTENT_DIR);
        match &change {
            Change::Everything => *work = Work::default(),
            Change::Paths(paths) => {
                // Outside content/ (settings, templates, static files): every page may change.
                if paths.iter().any(|p| !p.starts_with(&content)) {
                    work.cache.forget_pages();
                    work.cache.forget_theme();
                }
                work.cache.forget(&self.options.root, paths);
            }
        }
        let mut options = BuildOptions::new(&self.options.root);
        options.drafts = self.options.drafts;
        let compiled = match incremental::compile(&options, &mut work.cache) {
            Ok(compiled) => compiled,
            Err(problems) => return self.failed(BuildError::Site(problems)),
        };
        let previous = self.snapshot();
        // Each page is compressed as it is rendered; a kept page keeps its compressed bytes.
        let pages = match work
            .cache
            .render_pages(&compiled, &previous.pages, Held::new)
        {
            Ok(pages) => pages,
            Err(e) => {
                work.cache.keep(compiled.site);
                return self.failed(e);
            }
        };
        let site = compiled.site;
        // Until the new index is ready, the last one is served.
        let search: HashMap<String, Arc<Vec<u8>>> = work
            .search_files
            .iter()
            .filter_map(|path| Some((path.clone(), Arc::clone(previous.search.get(path)?))))
            .collect();
        eprint!(
            "{}",
            crate::diagnostic::report_in(&site.warnings, self.lang())
        );
        {
            let mut current = self.current.write().expect("not poisoned");
            current.pages = Arc::new(pages);
            current.search = Arc::new(search);
            current.hashed = Arc::new(
                site.theme
                    .assets
                    .iter()
                    .map(|(_, published)| published.to_owned())
                    .collect(),
            );
            current.problems = None;
            current.generation += 1;
        }
        eprintln!("rebuilt in {} ms", started.elapsed().as_millis());
        self.broadcast(Message::Reload);
        if site.config().search.enabled {
            work.unindexed = Some(site);
        } else {
            work.cache.keep(site);
        }
    }

    /// Builds the search index of the last rebuild, if it has not been built yet, and serves
    /// it: after an edit, only the edited documents are indexed again and only the files
    /// they change are written ([`crate::search::Kept`]). The watcher calls this once the
    /// files have been quiet for a moment after a rebuild, so that the index never competes
    /// with the reloading pages, and a quick run of saves builds it once.
    pub fn index(&self) {
        let mut work = self.work.lock().expect("not poisoned");
        let Some(site) = work.unindexed.take() else {
            return;
        };
        let started = Instant::now();
        let updated = (work.search).update(site.config(), &site.docs, &site.map, &site.rendered);
        let documents = updated.index.pages.len();
        let written = incremental::render_search(&site, updated.index);
        work.cache.keep(site);
        let search = match written {
            Ok(search) => search,
            Err(e) => {
                // What the kept index says was written was not: the next index starts afresh.
                work.search = crate::search::Kept::default();
                return self.failed(e);
            }
        };
        let mut current = self.current.write().expect("not poisoned");
        let mut files: HashMap<String, Arc<Vec<u8>>> = (*current.search).clone();
        // Files the index no longer has; the others are kept unless written anew.
        for old in &work.search_files {
            if !updated.paths.contains(old) {
                files.remove(old);
            }
        }
        work.search_files = updated.paths;
        files.extend(search);
        current.search = Arc::new(files);
        let took = started.elapsed().as_millis();
        match updated.reindexed {
            None => eprintln!("search index rebuilt in {took} ms"),
            Some(n) => eprintln!(
                "search index updated in {took} ms: {n} of {documents} documents indexed again"
            ),
        }
    }

    /// [`Served::rebuild`] followed by [`Served::index`].
    pub fn rebuild_and_index(&self, change: Change) {
        self.rebuild(change);
        self.index();
    }

    /// Keeps serving the last good build and shows why this one failed.
    fn failed(&self, error: BuildError) {
        let problems = match error {
            BuildError::Site(problems) => problems,
            BuildError::Output(e) => vec![Diagnostic::new(
                crate::diagnostic::Code::Output,
                &self.options.root,
                crate::args!(detail = e.to_string()),
            )],
        };
        let text = crate::diagnostic::report_in(&problems, self.lang());
        eprint!("{text}");
        self.current.write().expect("not poisoned").problems = Some(problems);
        self.broadcast(Message::Problems(text));
    }

    /// The language problems are shown in: `--lang`, else the site's, read again at each
    /// build so that a change to site.yaml shows at once.
    fn lang(&self) -> crate::diagnostic::Lang {
        self.options
            .lang
            .unwrap_or_else(|| crate::config::language_of(&self.options.root))
    }

    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    /// A new listener; it first hears about a failed build if one is current. The channel
    /// is unbounded so that a rebuild never waits for a page; a page that stops reading is
    /// dropped by the HTTP side after a while, and with it its receiver.
    pub fn subscribe(&self) -> UnboundedReceiver<Message> {
        let (tx, rx) = unbounded_channel();
        // Holding the listeners while looking: a build that fails meanwhile either shows here
        // or waits to broadcast to this listener too.
        let mut listeners = self.listeners.lock().expect("not poisoned");
        if let Some(problems) = &self.snapshot().problems {
            let _ = tx.send(Message::Problems(crate::diagnostic::report_in(
                problems,
                self.lang(),
            )));
        }
        listeners.push(tx);
        rx
    }

    fn broadcast(&self, message: Message) {
        self.listeners
            .lock()
            .expect("not poisoned")
            .retain(|tx| tx.send(message.clone()).is_ok());
    }
}
