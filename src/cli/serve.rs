//! `gongdu serve`: the options of the live preview, handed to [`crate::serve`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{LangArg, drafts, exit, lang, without_dot};

#[derive(Args, Debug)]
pub(super) struct ServeArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The address to listen on. The default answers only this computer; 0.0.0.0 opens the
    /// preview to the whole network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    bind: std::net::IpAddr,
    /// The port to listen on; the next free one is used if it is taken.
    #[arg(long, default_value_t = 1111, value_name = "N")]
    port: u16,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Open the preview in the default browser.
    #[arg(long)]
    open: bool,
    /// Check for changes by polling, for folders where change events do not arrive (network
    /// shares, WSL mounts).
    #[arg(long)]
    poll: bool,
    /// The language of the diagnostics: zh-CN or en (default: the site's `language:`).
    #[arg(long, value_enum, value_name = "LANG")]
    lang: Option<LangArg>,
}

pub(super) fn run(args: ServeArgs) -> ExitCode {
    let options = crate::serve::ServeOptions {
        root: without_dot(args.root.clone()),
        bind: args.bind,
        port: args.port,
        drafts: drafts(args.drafts),
        open: args.open,
        poll: args.poll,
        lang: args.lang.map(|l| lang(Some(l), &args.root)),
    };
    match crate::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", crate::diagnostic::printable(&e.to_string()));
            ExitCode::from(exit::IO)
        }
    }
}
