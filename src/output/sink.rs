//! Where rendered files go: the disk through a [`super::Staging`] for `build`, or memory for
//! `serve`. The renderer only sees this trait.

use super::{OutputError, Staging};
use crate::site::SitePath;

pub trait Sink: Sync {
    /// Accepts one output file; called from many threads at once.
    fn put(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError>;
}

impl Sink for Staging {
    fn put(&self, path: &SitePath, bytes: &[u8]) -> Result<(), OutputError> {
        self.write(path, bytes)
    }
}
