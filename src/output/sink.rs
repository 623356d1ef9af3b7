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

/// Files held in memory: path in the site (`a/b/index.html`) → the file as held, by default its
/// bytes.
pub(crate) type Files<T = Vec<u8>> = HashMap<String, Arc<T>>;

/// Collects files in memory, each held as `hold` makes it from its bytes (`serve` keeps pages
/// compressed); a path claimed twice is an error, as on disk.
pub(crate) struct Memory<T = Vec<u8>> {
    files: Mutex<Files<T>>,
    hold: fn(&SitePath, &[u8]) -> T,
}

impl Default for Memory {
    fn default() -> Memory {
        Memory::holding(|_, bytes| bytes.to_vec())
    }
}

impl<T> Memory<T> {
    pub(crate) fn holding(hold: fn(&SitePath, &[u8]) -> T) -> Memory<T> {
        Memory {
            files: Mutex::new(HashMap::new()),
            hold,
        }
    }

    /// Adds a file that is already held and shared (a page kept from the last build).
    pub(crate) fn insert(&self, path: &SitePath, held: Arc<T>) -> Result<(), OutputError> {
        let mut files = self.files.lock().expect("no thread panics holding it");
        if files.insert(path.to_string(), held).is_some() {
            return Err(OutputError::Duplicate(path.to_string()));
        }
        Ok(())
    }

    pub(crate) fn into_files(self) -> Files<T> {
        self.files.into_inner().expect("not poisoned")
    }
}

impl<T: Send + Sync> Sink for Memory<T> {
    fn put(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError> {
        // Held (compressed, for serve) on the rendering thread, so that a whole site's pages
        // are never all held uncompressed at once.
        self.insert(path, Arc::new((self.hold)(path, bytes)))
    }
}
