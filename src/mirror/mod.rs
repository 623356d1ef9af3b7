//! Offline mirrors of a built site: today the ZIM file for Kiwix readers. The command-line
//! arguments of `gongdu mirror …` live here too, so the CLI only forwards to them.

pub mod zim;

mod command;

pub use command::{MirrorCommand, run};
