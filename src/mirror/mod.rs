//! Offline mirrors of a built site: signed packages and update packs for learning centres
//! (`package`), the LAN server that serves them (`lan`) and the ZIM file for Kiwix readers
//! (`zim`). The command-line
//! arguments of `gongdu mirror …` live here too, so the CLI only forwards to them.

pub mod package;
pub mod zim;

mod command;
mod lan;

pub use command::{MirrorCommand, run};
