//! `gongdu serve`: builds the site into memory, serves it over HTTP on the loopback address,
//! watches the site's sources and rebuilds on change, and tells open pages to reload (or shows
//! the diagnostics in them) through server-sent events. It never writes a file: the served
//! site lives in memory, so the source tree stays untouched and nothing is left behind.

mod held;
mod http;
mod live;
mod state;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use crate::build::Drafts;

pub(crate) use state::Snapshot;
pub use state::{Change, Served};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: Drafts,
    pub open: bool,
    pub poll: bool,
    /// The language of the diagnostics; the site's (`language:` in site.yaml) when `None`.
    pub lang: Option<crate::diagnostic::Lang>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("no free port from {first} to {last} on {bind}")]
    NoPort { bind: IpAddr, first: u16, last: u16 },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error("cannot serve on {addr}: {source}")]
    Http {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Runs until the process is stopped.
pub fn run(mut options: ServeOptions) -> Result<(), ServeError> {
    // Watchers report absolute paths; give them an absolute root to compare with.
    let here = if options.root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        options.root.clone()
    };
    options.root = here.canonicalize().unwrap_or(here);
    let (listener, port) = bind(options.bind, options.port)?;
    if port != options.port {
        eprintln!("port {} is taken; using {port}", options.port);
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines on the network",
            options.bind
        );
    }
    let served = Arc::new(Served::new(options.clone()));
    // Watching starts first, so that a change made while the site builds (or right after the
    // URL is printed) is seen. A failed first build prints its diagnostics itself.
    let _watcher = watch::start(Arc::clone(&served), options.poll)?;
    served.rebuild_and_index(state::Change::Everything);
    let url = format!(
        "http://{}/",
        display_addr(SocketAddr::new(options.bind, port))
    );
    println!(
        "serving {} at {url}  (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        open_browser(&url);
    }
    let addr = SocketAddr::new(options.bind, port);
    http::serve(listener, served, addr).map_err(|source| ServeError::Http { addr, source })
}

/// The first free port from `port` on (up to 20 tries).
fn bind(address: IpAddr, port: u16) -> Result<(TcpListener, u16), ServeError> {
    let last = port.saturating_add(20);
    for candidate in port..=last {
        if let Ok(listener) = TcpListener::bind((address, candidate)) {
            let actual = listener.local_addr().map(|a| a.port()).unwrap_or(candidate);
            return Ok((listener, actual));
        }
    }
    Err(ServeError::NoPort {
        bind: address,
        first: port,
        last,
    })
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_loopback() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_loopback() => format!("[::1]:{}", addr.port()),
        // Every interface: print a name the Host check accepts.
        ip if ip.is_unspecified() => format!("localhost:{}", addr.port()),
        _ => addr.to_string(),
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("could not open a browser ({program}: {e}); open {url} yourself");
    }
}
