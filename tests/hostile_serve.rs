//! `gongdu serve` against hostile or broken clients and inputs, each class tried with several
//! spellings: `Host` names that DNS could rebind, redirects that could leave the site, build
//! errors whose text could break the live-reload stream, malformed and oversized requests,
//! idle and slow clients, and many connections under tight process and file limits. Loopback
//! only; every wait is bounded.

#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use server::Server;
use site::Fixture;

/// Sends `raw` as is and returns the status and the whole response (the server closes).
fn raw(port: u16, raw: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(raw).expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

fn get_host(port: u16, path: &str, host: &str) -> (u16, String) {
    raw(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn only_exact_local_names_are_answered_dns_rebinding_is_refused() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let port = server.port;
    let other = port.wrapping_add(1);
    for good in [
        "localhost".to_owned(),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("LocalHost:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{port}"),
        "[::1]".to_owned(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get_host(port, "/", &good).0, 200, "{good}");
    }
    for bad in [
        format!("127.attacker.example:{port}"),
        "127.attacker.example".to_owned(),
        format!("127.0.0.1.nip.io:{port}"),
        format!("127.0.0.1.example:{port}"),
        format!("localhost.:{port}"),
        "localhost.".to_owned(),
        format!("127.0.0.1.:{port}"),
        format!("LOCALHOST.:{port}"),
        format!("app.localhost:{port}"),
        format!("localhost.attacker.example:{port}"),
        format!("localhost:{other}"),
        format!("127.0.0.1:{other}"),
        format!("[::1]:{other}"),
        format!("localhost:{port}:{port}"),
        format!("localhost:0{port}"),
        "localhost:".to_owned(),
        format!("user@localhost:{port}"),
        format!("localhost@attacker.example:{port}"),
        format!("attacker.example@127.0.0.1:{port}"),
        format!("localhost:{port}@attacker.example"),
        format!("127.1:{port}"),
        format!("127.0.0.2:{port}"),
        format!("2130706433:{port}"),
        format!("0x7f000001:{port}"),
        format!("0177.0.0.1:{port}"),
        format!("[0:0:0:0:0:0:0:1]:{port}"),
        format!("[::ffff:127.0.0.1]:{port}"),
        format!("[::1%25lo]:{port}"),
        format!("::1:{port}"),
        format!("0.0.0.0:{port}"),
        "evil.example".to_owned(),
    ] {
        let (status, answer) = get_host(port, "/", &bad);
        assert_eq!(status, 403, "{bad}: {answer:.200}");
        assert!(!answer.contains("<html"), "{bad}: no page");
        let (status, _) = get_host(port, "/__gongdu/events", &bad);
        assert_eq!(status, 403, "{bad}: event stream");
    }
    // No Host, two Hosts, or a request line naming another host.
    for request in [
        "GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_owned(),
        "GET / HTTP/1.0\r\n\r\n".to_owned(),
        "GET /__gongdu/events HTTP/1.1\r\nConnection: close\r\n\r\n".to_owned(),
        format!(
            "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET http://evil.example/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET http://127.attacker.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    ] {
        let (status, answer) = raw(port, request.as_bytes());
        assert!(
            [400, 403, 421].contains(&status),
            "{request:?} → {answer:.200}"
        );
    }
    // The same request with our own name in the request line is fine.
    let whole = format!(
        "GET http://localhost:{port}/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(raw(port, whole.as_bytes()).0, 200);
    // The event stream also wants its Origin to be a page of this server.
    for origin in [
        format!("http://127.attacker.example:{port}"),
        format!("http://localhost.:{port}"),
        format!("http://localhost:{other}"),
        format!("https://localhost:{port}"),
        "null".to_owned(),
    ] {
        let extra = format!("Origin: {origin}\r\n");
        assert_eq!(
            server.get_with("/__gongdu/events", None, &extra).0,
            403,
            "{origin}"
        );
    }
}

#[test]
fn redirects_never_leave_the_site() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    for path in [
        "/history",
        "//history",
        "///history",
        "/%2Fhistory",
        "/%2F%2Fhistory",
        "/%2f/history",
        "//history//",
        "//history?x=1",
    ] {
        let (status, head, _) = server.get(path);
        if status == 301 {
            let location = head
                .lines()
                .find_map(|l| l.strip_prefix("Location: "))
                .unwrap_or_else(|| panic!("{path}: a 301 without Location: {head}"));
            assert_eq!(location, "/history/", "{path}");
        } else {
            // `//history//` names the folder's page itself.
            assert_eq!(status, 200, "{path}: {head}");
        }
    }
    // Backslashes, raw or encoded, and names of other hosts lead nowhere.
    for path in [
        "/\\history",
        "/%5Chistory",
        "/%5C%5Chistory",
        "/%2F%5Chistory",
        "/\\\\evil.example",
        "//evil.example",
        "/%2F%2Fevil.example",
        "/%5C%5Cevil.example/history",
        "//evil.example/history",
    ] {
        let (status, head, _) = server.get(path);
        assert_eq!(status, 404, "{path}: {head}");
        assert!(!head.contains("Location:"), "{path}: {head}");
    }
}

/// Events read from the raw stream the way a browser's EventSource reads them: a CR, an LF
/// or a CRLF ends a line; a blank line ends an event. Each event as (name, data lines).
fn raw_events(port: u16) -> mpsc::Receiver<(String, Vec<String>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__gongdu/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    )
    .expect("send");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        while reader.read_line(&mut head).is_ok_and(|n| n > 2) {
            head.clear();
        }
        let (mut name, mut data) = (String::new(), Vec::new());
        let mut line = Vec::new();
        let mut after_cr = false;
        for byte in reader.bytes() {
            let Ok(byte) = byte else { return };
            if byte == b'\n' && after_cr {
                after_cr = false;
                continue;
            }
            after_cr = byte == b'\r';
            if byte != b'\r' && byte != b'\n' {
                line.push(byte);
                continue;
            }
            let text = String::from_utf8_lossy(&std::mem::take(&mut line)).into_owned();
            if text.is_empty() {
                if (!name.is_empty() || !data.is_empty())
                    && tx
                        .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            } else if let Some(n) = text.strip_prefix("event:") {
                name = n.trim_start().to_owned();
            } else if let Some(d) = text.strip_prefix("data:") {
                data.push(d.strip_prefix(' ').unwrap_or(d).to_owned());
            }
        }
    });
    rx
}

/// What a page's script makes of a problems event: one data line, a JSON string.
fn decode(data: &[String]) -> String {
    assert_eq!(data.len(), 1, "one data line: {data:?}");
    let value: serde_json::Value = serde_json::from_str(&data[0]).expect("JSON data");
    value.as_str().expect("a JSON string").to_owned()
}

#[test]
fn error_text_with_any_line_ending_stays_one_event() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let rx = raw_events(server.port);
    std::thread::sleep(Duration::from_millis(300));
    let article = f.root().join("content/history/earliest.md");
    let good = std::fs::read_to_string(&article).expect("read");
    // Each breaks the front matter with text that, split at its line endings, would be
    // fields and events of its own: old Mac (CR), Windows (CRLF), Unix (LF), mixed, NUL.
    let broken: [(&str, &[u8]); 5] = [
        (
            "lone CR",
            b"---\rtitle: \xe5\x9d\x8f\rdate: x\revent: reload\rdata: cr\r\r---\r\xe6\xad\xa3\r",
        ),
        (
            "CRLF",
            b"---\r\ntitle: x\r\ndate: \xe6\x98\xa8\r\nevent: reload\r\ndata: crlf\r\n\r\n",
        ),
        (
            "LF",
            b"---\ntitle: x\ndate: y\n\nevent: reload\ndata: lf\n\n---\n",
        ),
        (
            "mixed",
            b"---\r\ntitle: x\rdate: z\n\r\nevent: reload\r\r\n",
        ),
        (
            "NUL",
            b"---\ntitle: \x00\rid: 1\r\revent: reload\r\x00data: nul\r\r\n",
        ),
    ];
    for (what, bytes) in broken {
        std::fs::write(&article, bytes).expect("break");
        let deadline = Instant::now() + Duration::from_secs(20);
        let (name, data) = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (name, data) = rx.recv_timeout(left).expect("an event within 20 s");
            // The fix before this step may still be reloading; nothing else is allowed.
            if name != "reload" {
                break (name, data);
            }
        };
        assert_eq!(name, "problems", "{what}: {data:?}");
        let text = decode(&data);
        assert!(text.contains("earliest.md:"), "{what}: {text}");
        // Nothing more arrives for this save: the text did not spill into other events.
        let extra: Vec<_> =
            std::iter::from_fn(|| rx.recv_timeout(Duration::from_millis(800)).ok()).collect();
        assert!(extra.is_empty(), "{what}: also got {extra:?}");
        std::fs::write(&article, &good).expect("fix");
        let (name, _) = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("an event within 20 s");
        assert_eq!(name, "reload", "{what}: fixed");
    }
}

#[test]
fn malformed_and_oversized_requests_are_refused_and_the_server_stays_up() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let port = server.port;
    let host = format!("Host: localhost:{port}\r\n");
    let long_line = format!("GET /{} HTTP/1.1\r\n{host}\r\n", "a".repeat(20 * 1024));
    let long_header = format!(
        "GET / HTTP/1.1\r\n{host}X: {}\r\n\r\n",
        "b".repeat(20 * 1024)
    );
    let many = format!("GET / HTTP/1.1\r\n{host}{}\r\n", "X: y\r\n".repeat(101));
    let big_body = format!(
        "GET / HTTP/1.1\r\n{host}Content-Length: {}\r\n\r\n",
        2 << 20
    );
    for (request, expected) in [
        (long_line.as_str(), &[400, 414, 431][..]),
        (long_header.as_str(), &[400, 431]),
        (many.as_str(), &[400, 431]),
        ("GET / HTTP/2.0\r\n\r\n", &[400, 505]),
        ("GET /\r\n\r\n", &[400]),
        ("GET / HTTP/1.1 extra\r\n\r\n", &[400]),
        ("GET / HTTP/1.1\r\nno colon\r\n\r\n", &[400]),
        ("GET / HTTP/1.1\r\nContent-Length: lots\r\n\r\n", &[400]),
        ("\x16\x03\x01\x02\x00\x01\x00\x01\x7f\x03\x03", &[0, 400]),
        (big_body.as_str(), &[413]),
    ] {
        let (status, answer) = raw(port, request.as_bytes());
        assert!(
            expected.contains(&status),
            "{:.60?} → {status}: {answer:.200}",
            request
        );
    }
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT"] {
        let request =
            format!("{method} / HTTP/1.1\r\n{host}Content-Length: 0\r\nConnection: close\r\n\r\n");
        let (status, _) = raw(port, request.as_bytes());
        assert!([400, 405].contains(&status), "{method} → {status}");
    }
    assert_eq!(server.get("/").0, 200, "still up after all that");
}

/// How a connection that the server should drop ended: `true` when the server closed it
/// within `limit`, without ever sending a page.
fn closed_within(mut stream: TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => !String::from_utf8_lossy(&answer).contains("200 OK"),
        Err(e) => e.kind() == ErrorKind::ConnectionReset,
    }
}

#[test]
fn idle_and_slow_clients_are_dropped() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let port = server.port;
    let idle = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    // Sends a request head one byte a second, never finishing it.
    let slow = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let head = format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nX-Slow: ");
        stream.write_all(head.as_bytes()).expect("start");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if stream.write_all(b"z").is_err() {
                return true; // the server hung up
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        false
    });
    // A kept-alive connection that goes quiet after its first answer.
    let mut kept = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        kept,
        "GET /__gongdu/live.js HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    )
    .expect("send");
    let mut first = [0; 15];
    kept.read_exact(&mut first).expect("an answer");
    assert_eq!(&first, b"HTTP/1.1 200 OK");
    let limit = Duration::from_secs(25);
    assert!(closed_within(idle, limit), "an idle connection is closed");
    assert!(slow.join().expect("slow client"), "a slow head is cut off");
    let mut rest = Vec::new();
    kept.set_read_timeout(Some(limit)).expect("timeout");
    let closed = match kept.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => e.kind() == ErrorKind::ConnectionReset,
    };
    assert!(closed, "an idle keep-alive connection is closed");
    assert_eq!(server.get("/").0, 200);
}

/// `gongdu serve` on `f`, started through `wrapper` (a command that then runs it).
struct Wrapped {
    child: Child,
    port: u16,
}

impl Wrapped {
    fn start(f: &Fixture, wrapper: &[&str]) -> Wrapped {
        let mut command = Command::new(wrapper[0]);
        command
            .args(&wrapper[1..])
            .arg(env!("CARGO_BIN_EXE_gongdu"))
            .args(["serve", "--port", "0", "--root"])
            .arg(f.root());
        let (child, port) = server::spawn_and_read_port(command);
        Wrapped { child, port }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("status").is_none()
    }

    /// CPU time (user + system) the process has used so far, in clock ticks.
    fn cpu_ticks(&self) -> u64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).expect("/proc stat");
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .expect("comm")
            .1
            .split_whitespace()
            .collect();
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime")
    }
}

impl Drop for Wrapped {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn open_connections(port: u16, count: usize, request: bool) -> Vec<TcpStream> {
    (0..count)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .map(|mut stream| {
            if request {
                let _ = write!(
                    stream,
                    "GET /history/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
                );
            }
            stream
        })
        .collect()
}

#[test]
fn many_connections_under_a_process_limit_neither_crash_nor_stall_it() {
    if !have("prlimit") || !have("setpriv") {
        eprintln!("prlimit or setpriv missing; skipped");
        return;
    }
    let f = Fixture::copy("basic");
    // The limit on processes binds only users without special rights: run as nobody.
    make_readable(f.root());
    let mut server = Wrapped::start(
        &f,
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            "prlimit",
            "--nproc=60",
            "--",
        ],
    );
    let held = open_connections(server.port, 80, true);
    assert_eq!(held.len(), 80);
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.alive(), "80 open connections did not bring it down");
    let (status, _) = get_host(server.port, "/", "localhost");
    assert_eq!(status, 200, "and it still answers");
    drop(held);
    assert!(server.alive());
}

fn make_readable(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn running_out_of_file_descriptors_pauses_accepting_and_recovers() {
    if !have("prlimit") {
        eprintln!("prlimit missing; skipped");
        return;
    }
    let f = Fixture::copy("basic");
    let mut server = Wrapped::start(&f, &["prlimit", "--nofile=128", "--"]);
    // More connections than the process has descriptors left: accepting fails for a while.
    let held = open_connections(server.port, 200, false);
    assert!(held.len() > 128, "{} connected", held.len());
    // Time to take what it can until it runs out.
    std::thread::sleep(Duration::from_secs(1));
    let before = server.cpu_ticks();
    std::thread::sleep(Duration::from_secs(3));
    let spent = server.cpu_ticks() - before;
    // A busy loop on the failing accept burns a large share of a core (0.3 s in 2 s measured
    // on a loaded machine, more on an idle one); pausing between tries burns next to nothing.
    // Ticks are hundredths of a second.
    assert!(
        spent < 10,
        "{spent} ticks of CPU in 3 s while out of descriptors"
    );
    assert!(server.alive());
    drop(held);
    // Once the clients are gone, requests are answered again.
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut status = 0;
    while Instant::now() < deadline && status != 200 {
        status = get_host(server.port, "/", "localhost").0;
        if status != 200 {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    assert_eq!(status, 200, "answers again");
    assert!(server.alive());
}

/// Sockets the process holds open (the listener and its clients).
fn sockets(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("/proc fd")
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

#[test]
fn connections_beyond_the_bound_wait_their_turn() {
    let f = Fixture::copy("basic");
    // `env` runs the server as it is, so that its process id is ours to look at.
    let mut server = Wrapped::start(&f, &["env"]);
    let port = server.port;
    // The server's own sockets (the listener and a few of its runtime's and watcher's).
    let (status, _) = get_host(port, "/", "localhost");
    assert_eq!(status, 200);
    std::thread::sleep(Duration::from_millis(300));
    let own = sockets(server.child.id());
    let held = open_connections(port, 200, false);
    assert_eq!(held.len(), 200);
    std::thread::sleep(Duration::from_secs(1));
    let open = sockets(server.child.id());
    // 128 clients at most beside the server's own sockets.
    assert!(
        open <= own + 128,
        "{open} sockets for 200 idle clients ({own} before they came)"
    );
    // One more waits until idle ones are dropped, then is answered.
    let (status, _) = get_host(port, "/", "localhost");
    assert_eq!(status, 200);
    assert!(server.alive());
    drop(held);
}
