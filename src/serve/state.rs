//! The served site: the files of the last good build, the problems of the latest build (if it
//! failed), and the clients waiting for news of the next one.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

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
    listeners: Mutex<Vec<Sender<Message>>>,
}

/// What open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Reload,
    Problems(String),
}

/// Collects rendered files in memory.
#[derive(Default)]
struct MemorySink(Mutex<HashMap<String, Arc<Vec<u8>>>>);

impl Sink for MemorySink {
    fn put(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError> {
        let mut files = self.0.lock().expect("no thread panics holding it");
        if files
            .insert(path.to_string(), Arc::new(bytes.to_vec()))
            .is_some()
        {
            return Err(OutputError::Duplicate(path.to_string()));
        }
        Ok(())
    }
}

impl Served {
    pub fn new(options: ServeOptions) -> Served {
        Served {
            options,
            current: RwLock::new(Snapshot::default()),
            listeners: Mutex::new(Vec::new()),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        self.current.read().expect("not poisoned").clone()
    }

    /// Builds the site again and tells every open page what happened.
    pub fn rebuild(&self) {
        let started = Instant::now();
        let mut options = BuildOptions::new(&self.options.root);
        options.drafts = self.options.drafts;
        let result = build::compile(&options)
            .map_err(BuildError::Site)
            .and_then(|site| {
                let sink = MemorySink::default();
                let search = site.config.search.enabled.then(|| {
                    crate::search::build(&site.config, &site.docs, &site.map, &site.rendered)
                });
                build::write(&site, search, &sink, None)?;
                Ok((sink.0.into_inner().expect("not poisoned"), site.warnings))
            });
        let message = {
            let mut current = self.current.write().expect("not poisoned");
            match result {
                Ok((files, warnings)) => {
                    eprint!("{}", crate::diagnostic::report(&warnings));
                    current.files = Arc::new(files);
                    current.problems = None;
                    current.generation += 1;
                    eprintln!("rebuilt in {} ms", started.elapsed().as_millis());
                    Message::Reload
                }
                Err(BuildError::Site(problems)) => {
                    let text = crate::diagnostic::report(&problems);
                    eprint!("{text}");
                    current.problems = Some(problems);
                    Message::Problems(text)
                }
                Err(BuildError::Output(e)) => {
                    let problem = Diagnostic::error(&self.options.root, e.to_string());
                    let text = crate::diagnostic::report(std::slice::from_ref(&problem));
                    eprint!("{text}");
                    current.problems = Some(vec![problem]);
                    Message::Problems(text)
                }
            }
        };
        self.broadcast(message);
    }

    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    /// A new listener; it first hears about a failed build if one is current.
    pub fn subscribe(&self) -> Receiver<Message> {
        let (tx, rx) = mpsc::channel();
        if let Some(problems) = &self.snapshot().problems {
            let _ = tx.send(Message::Problems(crate::diagnostic::report(problems)));
        }
        self.listeners.lock().expect("not poisoned").push(tx);
        rx
    }

    fn broadcast(&self, message: Message) {
        self.listeners
            .lock()
            .expect("not poisoned")
            .retain(|tx| tx.send(message.clone()).is_ok());
    }
}
