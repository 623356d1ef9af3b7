//! Offline mirrors of a built site: the ZIM file for Kiwix readers and the
//! LAN server for learning centres (`lan`). The command-line
//! arguments of `gongdu mirror …` live here too, so the CLI only forwards to them.

pub mod zim;

mod command;
mod lan;

pub use command::{MirrorCommand, run};
