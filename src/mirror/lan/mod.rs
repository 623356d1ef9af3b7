//! `gongdu mirror serve`: a learning centre's copy of the site (a folder, or a mirror package
//! read in place) served read-only to the readers' phones on the centre's LAN, with the
//! addresses shown as QR codes and printed on a poster. Built on the shared HTTP parts in
//! `crate::http`; the files are `site`'s, the answers `answer`'s, the drawings `poster`'s.

mod answer;
mod folder;
mod index;
mod log;
mod poster;
mod site;
mod zipped;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use clap::Args;

use crate::http::host::HostPolicy;
use crate::http::server::{self, Limits};

/// A centre's LAN has tens of phones, each opening a handful of connections; browsers keep
/// them open between pages. This many fits in the 1,024 descriptors systems give a process
/// by default with room to spare, and leaves the rest waiting in the kernel's queue.
/// The head timeout also ends idle keep-alive connections, so a client that opens sockets
/// and sends nothing (or half a request) holds a place for at most that long.
const LIMITS: Limits = Limits {
    connections: 768,
    head_timeout: Duration::from_secs(10),
    write_stall: Duration::from_secs(30),
    max_head: 16 * 1024,
    max_headers: 64,
};

/// The poster's file when `--poster` is not given: in the folder the command runs in.
const POSTER: &str = "gongdu-海报.html";

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The built site folder, or a mirror package (.zip) served without unpacking it.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Where to listen. Readers' phones need 0.0.0.0:8080 (every network of this machine).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Append one line per request here: time, method, path, status, bytes (no addresses).
    #[arg(long, value_name = "FILE")]
    access_log: Option<PathBuf>,
    /// Write the printable poster (海报) here [default: ./gongdu-海报.html when listening
    /// beyond this machine].
    #[arg(long, value_name = "FILE")]
    poster: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
enum LanError {
    #[error(transparent)]
    Open(#[from] site::OpenError),
    #[error(
        "cannot listen on {addr}: {source} (is another server using the port? try another --listen port)"
    )]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serve: {0}")]
    Http(std::io::Error),
}

pub(crate) fn run_command(args: ServeArgs) -> ExitCode {
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(match e {
                LanError::Open(_) => 2,
                _ => 3,
            })
        }
    }
}

fn run(args: &ServeArgs) -> Result<(), LanError> {
    let site = site::Site::open(&args.path)?;
    let listener = TcpListener::bind(args.listen).map_err(|source| LanError::Listen {
        addr: args.listen,
        source,
    })?;
    let bound = listener.local_addr().map_err(LanError::Http)?;
    println!(
        "serving {} at {}  (Ctrl-C to stop)",
        args.path.display(),
        poster::url(shown(bound))
    );
    let log = match &args.access_log {
        Some(path) => Some(
            log::AccessLog::open(path).map_err(|source| LanError::Write {
                path: path.clone(),
                source,
            })?,
        ),
        None => None,
    };
    announce(&site, bound, args.poster.as_deref())?;
    let mirror = answer::Mirror {
        site,
        policy: HostPolicy::any_name(),
        log,
    };
    let app = Router::new()
        .fallback(answer::handle)
        .with_state(Arc::new(mirror));
    server::run(listener, app, LIMITS).map_err(LanError::Http)
}

/// The address to print for one bound: every interface is printed as the loopback address,
/// which works from this machine; the LAN addresses follow.
fn shown(bound: SocketAddr) -> SocketAddr {
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), bound.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), bound.port())
        }
        _ => bound,
    }
}

/// Prints the LAN addresses with their QR codes and writes the poster: when the server can be
/// reached from the LAN, or when a poster was asked for.
fn announce(site: &site::Site, bound: SocketAddr, poster: Option<&Path>) -> Result<(), LanError> {
    let on_lan = !bound.ip().is_loopback();
    let urls = if on_lan {
        poster::lan_urls(bound)
    } else {
        vec![poster::url(bound)]
    };
    if on_lan && urls.is_empty() {
        println!("no network address found: connect this machine to the centre's network");
    }
    if on_lan {
        for url in &urls {
            println!("\nreaders open {url}");
            if let Some(qr) = poster::terminal_qr(url) {
                println!("{qr}");
            }
        }
    }
    let target = match (poster, on_lan) {
        (Some(path), _) => path.to_owned(),
        (None, true) => PathBuf::from(POSTER),
        (None, false) => return Ok(()),
    };
    if !on_lan {
        eprintln!(
            "warning: the poster shows {}, which only this machine can open (use --listen 0.0.0.0:8080)",
            urls.join(" ")
        );
    }
    let title = site.title().unwrap_or_else(|| "学习资料".to_owned());
    std::fs::write(&target, poster::poster(&title, &urls)).map_err(|source| LanError::Write {
        path: target.clone(),
        source,
    })?;
    println!("\nposter (海报) for printing: {}", target.display());
    Ok(())
}
