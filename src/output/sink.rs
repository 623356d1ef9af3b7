//! Where rendered files go: the disk through a [`super::Staging`] for `build`, or memory for
//! `serve`. The renderer only sees this trait.

use super::{OutputError, Staging};
use crate::site::SitePath;

pub trait Sink: Sync {
    /// Accepts one output file, with the fingerprint of its inputs when the sink
    /// [`remembers`](Sink::remembers); called from many threads at once.
    fn put(
        &self,
        path: &SitePath,
        bytes: &[u8],
        fingerprint: Option<u128>,
    ) -> Result<(), OutputError>;

    /// Whether the sink holds the files of a previous build with the fingerprints of their
    /// inputs, so that pages whose inputs are unchanged need not be rendered again.
    fn remembers(&self) -> bool {
        false
    }

    /// Keeps the previous build's file at `path` if its inputs had this fingerprint; returns
    /// whether it did. Called from many threads at once.
    fn reuse(&self, _path: &SitePath, _fingerprint: u128) -> bool {
        false
    }

    /// Keeps the previous build's file at `path`, whatever its inputs were (the caller knows
    /// they did not change); returns whether the sink had one.
    fn keep(&self, _path: &SitePath) -> bool {
        false
    }
}

impl Sink for Staging {
    fn put(&self, path: &SitePath, bytes: &[u8], _: Option<u128>) -> Result<(), OutputError> {
        self.write(path, bytes)
    }
}
