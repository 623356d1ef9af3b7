//! The served site: the files of the last good build, the problems of the latest build (if it
//! failed), and the clients waiting for news of the next one.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::ServeOptions;
use crate::build::{self, BuildError, BuildOptions};
use crate::diagnostic::Diagnostic;
use crate::output::{OutputError, Sink};
use crate::site::SitePath;

/// What the server shows right now.
#[derive(Default, Clone)]
pub struct Snapshot {
    /// Path in the site (`a/b/index.html`) → bytes, from the last build that succeeded.
    pub files: Arc<HashMap<String, Arc<Vec<u8>>>>,
    /// Diagnostics of the latest build, when it failed; the files stay those of the last good one.
    pub problems: Option<Vec<Diagnostic>>,
    /// Counts successful builds.
    pub generation: u64,
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

/// Served files: path in the site → bytes.
type Files = HashMap<String, Arc<Vec<u8>>>;

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
    cache: build::Cache,
    /// Served path → fingerprint of the template and context it was rendered from.
    fingerprints: HashMap<String, u128>,
    /// The search index files among the served files.
    search_files: HashSet<String>,
    /// The last site, while its search index is still to be built.
    unindexed: Option<build::Site>,
}

/// Collects rendered files in memory; with the previous build's files and fingerprints, keeps
/// the pages whose inputs did not change instead of rendering them again.
struct MemorySink<'a> {
    previous: &'a HashMap<String, Arc<Vec<u8>>>,
    fingerprints: Option<&'a HashMap<String, u128>>,
    files: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    new_fingerprints: Mutex<HashMap<String, u128>>,
}

impl<'a> MemorySink<'a> {
    fn new(
        previous: &'a HashMap<String, Arc<Vec<u8>>>,
        fingerprints: Option<&'a HashMap<String, u128>>,
    ) -> Self {
        MemorySink {
            previous,
            fingerprints,
            files: Mutex::default(),
            new_fingerprints: Mutex::default(),
        }
    }

    fn add(
        &self,
        path: &SitePath,
        bytes: Arc<Vec<u8>>,
        fingerprint: Option<u128>,
    ) -> Result<(), OutputError> {
        let key = path.to_string();
        if let Some(f) = fingerprint {
            self.new_fingerprints
                .lock()
                .expect("no thread panics holding it")
                .insert(key.clone(), f);
        }
        let mut files = self.files.lock().expect("no thread panics holding it");
        if files.insert(key, bytes).is_some() {
            return Err(OutputError::Duplicate(path.to_string()));
        }
        Ok(())
    }

    fn into_parts(self) -> (Files, HashMap<String, u128>) {
        (
            self.files.into_inner().expect("not poisoned"),
            self.new_fingerprints.into_inner().expect("not poisoned"),
        )
    }
}

impl Sink for MemorySink<'_> {
    fn put(
        &self,
        path: &SitePath,
        bytes: &[u8],
        fingerprint: Option<u128>,
    ) -> Result<(), OutputError> {
        self.add(path, Arc::new(bytes.to_vec()), fingerprint)
    }

    fn remembers(&self) -> bool {
        true
    }

    fn keep(&self, path: &SitePath) -> bool {
        let key = path.as_str();
        let known = self.fingerprints.and_then(|f| f.get(key));
        match (self.previous.get(key), known) {
            (Some(bytes), Some(&fingerprint)) => {
                self.add(path, Arc::clone(bytes), Some(fingerprint)).is_ok()
            }
            _ => false,
        }
    }

    fn reuse(&self, path: &SitePath, fingerprint: u128) -> bool {
        let key = path.as_str();
        let same = self
            .fingerprints
            .is_some_and(|f| f.get(key) == Some(&fingerprint));
        match self.previous.get(key) {
            Some(bytes) if same => self.add(path, Arc::clone(bytes), Some(fingerprint)).is_ok(),
            _ => false,
        }
    }
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
                    work.fingerprints.clear();
                    work.cache.forget_theme();
                }
                work.cache.forget(&self.options.root, paths);
            }
        }
        let mut options = BuildOptions::new(&self.options.root);
        options.drafts = self.options.drafts;
        let site = match build::compile_with(&options, &mut work.cache) {
            Ok(site) => site,
            Err(problems) => return self.failed(BuildError::Site(problems)),
        };
        let previous = self.snapshot().files;
        let sink = MemorySink::new(&previous, Some(&work.fingerprints));
        if let Err(e) = build::write(&site, None, &sink, None) {
            work.cache.keep(site);
            return self.failed(e);
        }
        let (mut files, fingerprints) = sink.into_parts();
        // Until the new index is ready, the last one is served.
        for path in &work.search_files {
            if let Some(bytes) = previous.get(path) {
                files.insert(path.clone(), Arc::clone(bytes));
            }
        }
        eprint!("{}", crate::diagnostic::report(&site.warnings));
        {
            let mut current = self.current.write().expect("not poisoned");
            current.files = Arc::new(files);
            current.problems = None;
            current.generation += 1;
        }
        work.fingerprints = fingerprints;
        eprintln!("rebuilt in {} ms", started.elapsed().as_millis());
        self.broadcast(Message::Reload);
        if site.config.search.enabled {
            work.unindexed = Some(site);
        } else {
            work.cache.keep(site);
        }
    }

    /// Builds the search index of the last rebuild, if it has not been built yet, and serves
    /// it. The watcher calls this once the files have been quiet for a moment after a rebuild,
    /// so that the index never competes with the reloading pages, and a quick run of saves
    /// builds it once.
    pub fn index(&self) {
        let mut work = self.work.lock().expect("not poisoned");
        let Some(site) = work.unindexed.take() else {
            return;
        };
        let started = Instant::now();
        let index = crate::search::build(&site.config, &site.docs, &site.map, &site.rendered);
        let none = HashMap::new();
        let sink = MemorySink::new(&none, None);
        let written = build::write_search(&site, index, &sink);
        work.cache.keep(site);
        if let Err(e) = written {
            return self.failed(e);
        }
        let (search, _) = sink.into_parts();
        let mut current = self.current.write().expect("not poisoned");
        let mut files: HashMap<String, Arc<Vec<u8>>> = (*current.files).clone();
        for old in &work.search_files {
            files.remove(old);
        }
        work.search_files = search.keys().cloned().collect();
        files.extend(search);
        current.files = Arc::new(files);
        eprintln!(
            "search index rebuilt in {} ms",
            started.elapsed().as_millis()
        );
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
            BuildError::Output(e) => vec![Diagnostic::error(&self.options.root, e.to_string())],
        };
        let text = crate::diagnostic::report(&problems);
        eprint!("{text}");
        self.current.write().expect("not poisoned").problems = Some(problems);
        self.broadcast(Message::Problems(text));
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
            let _ = tx.send(Message::Problems(crate::diagnostic::report(problems)));
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
