//! A `gongdu serve` process for tests, on a free loopback port, with a tiny HTTP client and
//! a reader for its live-reload events. Include with `#[path = "support/server.rs"] mod server;`
//! (after `site`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::site::Fixture;

pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Server {
    pub(crate) fn start(f: &Fixture) -> Server {
        Server::start_with(f, &[])
    }

    /// Started with more command-line flags (`--poll`, `--drafts`, …).
    pub(crate) fn start_with(f: &Fixture, flags: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongdu"));
        command
            .args(["serve", "--port", "0"])
            .args(flags)
            .arg("--root")
            .arg(f.root());
        let (child, port) = spawn_and_read_port(command);
        Server { child, port }
    }

    /// (status, headers, body) of a GET with the given Host (default: the loopback address).
    pub(crate) fn get_with(
        &self,
        path: &str,
        host: Option<&str>,
        extra: &str,
    ) -> (u16, String, String) {
        let host = host.map_or_else(|| format!("127.0.0.1:{}", self.port), str::to_owned);
        let (status, head, body) = self.request("GET", path, &format!("Host: {host}\r\n{extra}"));
        (status, head, String::from_utf8_lossy(&body).into_owned())
    }

    /// (status, headers, body as bytes) of a `method` request with the given header lines
    /// (each ending in CRLF, `Host` among them).
    pub(crate) fn request(&self, method: &str, path: &str, lines: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\n{lines}Connection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("response");
        let at = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(raw.len(), |at| at + 4);
        let head = String::from_utf8_lossy(&raw[..at]).trim_end().to_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head, raw[at..].to_vec())
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String, String) {
        self.get_with(path, None, "")
    }

    /// Opens the live-reload stream; events arrive on the returned channel as their names.
    pub(crate) fn events(&self) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__gongdu/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
            self.port
        )
        .expect("send");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(stream);
            let mut event = String::new();
            for line in reader.lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_owned();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    event.push('\n');
                    event.push_str(data);
                } else if line.is_empty()
                    && !event.is_empty()
                    && tx.send(std::mem::take(&mut event)).is_err()
                {
                    return;
                }
            }
        });
        // Let the subscription register before anything changes.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && self.get("/__gongdu/live.js").0 != 200 {}
        std::thread::sleep(Duration::from_millis(200));
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` (a `gongdu serve` on port 0, perhaps behind a wrapper such as `prlimit`)
/// and reads the port it chose from the first line it prints.
pub(crate) fn spawn_and_read_port(mut command: Command) -> (Child, u16) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gongdu serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    (child, port)
}
