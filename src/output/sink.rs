//! Where rendered files go: the disk through a [`super::Staging`] for `build`, or [`Memory`]
//! for `serve`. The orchestrator renders into this trait and nothing else; what a previous
//! build left behind is the incremental layer's business, not the sink's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{OutputError, Staging};
use crate::site::SitePath;

pub(crate) trait Sink: Sync {
    /// Accepts one output file; called from many threads at once.
    fn put(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError>;
}

impl Sink for Staging {
    fn put(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError> {
        self.write(path, bytes)
    }
}

/// Files held in memory: path in the site (`a/b/index.html`) → bytes.
pub(crate) type Files = HashMap<String, Arc<Vec<u8>>>;

/// Collects files in memory; a path claimed twice is an error, as on disk.
#[derive(Default)]
pub(crate) struct Memory {
    files: Mutex<Files>,
}

impl Memory {
    /// Adds a file whose bytes are already shared (a page kept from the last build).
    pub(crate) fn insert(&self, path: &SitePath, bytes: Arc<Vec<u8>>) -> Result<(), OutputError> {
        let mut files = self.files.lock().expect("no thread panics holding it");
        if files.insert(path.to_string(), bytes).is_some() {
            return Err(OutputError::Duplicate(path.to_string()));
        }
        Ok(())
    }

    pub(crate) fn into_files(self) -> Files {
        self.files.into_inner().expect("not poisoned")
    }
}

impl Sink for Memory {
    fn put(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError> {
        self.insert(path, Arc::new(bytes.to_vec()))
    }
}
