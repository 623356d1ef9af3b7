//! `gongdu mirror serve` over real sockets on loopback: pages from a folder and from a zip
//! package read in place, ranges, HEAD, validators, precompressed twins, methods, traversal in
//! every spelling, symlinks, hundreds of keep-alive and slow clients at once, the access log,
//! and the poster's QR code read back. Every wait is bounded.

#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const TITLE: &str = "职工书屋测试站";
const SECRET: &str = "站外的秘密-工资表";

/// A served site: the server process and the folder that holds the site and its neighbours.
struct Mirror {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Mirror {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Mirror {
    fn start(path: &Path, dir: tempfile::TempDir, flags: &[&str]) -> Mirror {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongdu"));
        command
            .args(["mirror", "serve"])
            .arg(path)
            .args(["--listen", "127.0.0.1:0"])
            .args(flags);
        let (child, port) = server::spawn_and_read_port(command);
        Mirror {
            child,
            port,
            _dir: dir,
        }
    }

    /// Sends `request` as is and reads the answer until the server closes.
    fn raw(&self, request: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        stream.write_all(request).expect("send");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        parse(&raw)
    }

    fn get(&self, path: &str, extra: &str) -> Answer {
        self.method("GET", path, extra)
    }

    fn method(&self, method: &str, path: &str, extra: &str) -> Answer {
        let port = self.port;
        self.raw(
            format!(
                "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Connection: close\r\n\r\n"
            )
            .as_bytes(),
        )
    }
}

fn parse(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer { status, head, body }
}

fn enc(path: &str) -> String {
    url::form_urlencoded::byte_serialize(path.as_bytes())
        .collect::<String>()
        .replace("%2F", "/")
}

/// Bytes that do not repeat, so a range from the wrong place cannot match by chance.
fn big_bytes() -> Vec<u8> {
    (0..600_000u32)
        .flat_map(|i| (i.wrapping_mul(2_654_435_761)).to_le_bytes())
        .take(600_000)
        .collect()
}

const CSS: &str = "body { font-family: sans-serif; line-height: 1.8; }\n";

/// The site's files: (path, bytes). Besides pages: a folder without a page, a file served
/// in pieces, a stylesheet with gzip and brotli twins, and the package's own files.
fn site_files() -> Vec<(String, Vec<u8>)> {
    let page = |title: &str, body: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>{title}</title></head><body>{body}</body></html>"
        )
        .into_bytes()
    };
    vec![
        (
            "index.html".into(),
            page(TITLE, "<p>首页：劳模精神与工匠精神。</p>"),
        ),
        (
            "文章/劳模精神/index.html".into(),
            page("劳模精神", "<p>劳模精神是爱岗敬业、争创一流。</p>"),
        ),
        (
            "无首页/说明.txt".into(),
            "这个文件夹没有首页。".as_bytes().to_vec(),
        ),
        ("404.html".into(), page("找不到", "<p>页面不存在。</p>")),
        ("assets/style.css".into(), CSS.as_bytes().to_vec()),
        ("assets/style.css.gz".into(), gzip(CSS)),
        // The server sends a twin's bytes as they are; these stand for brotli output.
        ("assets/style.css.br".into(), b"brotli twin bytes".to_vec()),
        ("assets/big.bin".into(), big_bytes()),
        (hashed_script(), HASHED_JS.as_bytes().to_vec()),
        (format!("{}.gz", hashed_script()), gzip(HASHED_JS)),
        // Named like a hashed asset, but the hash is not of these bytes.
        (
            "assets/fake.0123abcd.js".into(),
            HASHED_JS.as_bytes().to_vec(),
        ),
        ("SHA256SUMS".into(), b"0000  index.html\n".to_vec()),
        (
            "SHA256SUMS.minisig".into(),
            b"untrusted comment: x\n".to_vec(),
        ),
        ("gongdu-mirror.json".into(), b"{\"title\":\"x\"}".to_vec()),
    ]
}

const HASHED_JS: &str = "var gongduHashed = 1;\n";

/// Where the theme would publish [`HASHED_JS`]: the first 8 hex digits of its SHA-256 in the
/// name, as `gongdu build` names its stylesheets and scripts.
fn hashed_script() -> String {
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(HASHED_JS.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("assets/app.{}.js", &hex[..8])
}

fn gzip(text: &str) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(text.as_bytes()).expect("gzip");
    gz.finish().expect("gzip")
}

/// `dir/site/` with the files, symlinks in and out, and `dir/outside/secret.txt` beside it.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("site");
    for (path, bytes) in site_files() {
        let to = site.join(&path);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(to, bytes).expect("write");
    }
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("secret.txt"), SECRET).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(outside.join("secret.txt"), site.join("out-file.txt")).expect("link");
        symlink(&outside, site.join("out-dir")).expect("link");
        symlink("/etc/passwd", site.join("passwd")).expect("link");
        symlink("index.html", site.join("home.html")).expect("link");
    }
    (dir, site)
}

/// `dir/site.zip`: the same files, text deflated and the rest stored, plus an entry whose name
/// tries to leave the package.
fn package() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("secret.txt"), SECRET).expect("write");
    let path = dir.path().join("site.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    for (name, bytes) in site_files() {
        let method = if name.ends_with(".bin") || name.ends_with(".gz") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(name, options).expect("entry");
        zip.write_all(&bytes).expect("write");
    }
    let options = zip::write::SimpleFileOptions::default();
    if zip.start_file("../secret.txt", options).is_ok() {
        zip.write_all(SECRET.as_bytes()).expect("write");
    }
    // The big file again, deflated, so ranges inside a compressed entry are tried too.
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("assets/big-deflated.bin", deflated)
        .expect("entry");
    zip.write_all(&big_bytes()).expect("write");
    zip.finish().expect("finish");
    (dir, path)
}

fn both() -> [(&'static str, Mirror); 2] {
    let (dir, site) = folder();
    let from_folder = Mirror::start(&site, dir, &[]);
    let (dir, zip) = package();
    let from_zip = Mirror::start(&zip, dir, &[]);
    [("folder", from_folder), ("zip", from_zip)]
}

/// A file whose name holds the hash of its bytes (as the theme names its stylesheets and
/// scripts) is kept by the browser for good, its compressed twin too; one merely named like it,
/// and every page, is asked for again each time.
#[test]
fn files_named_by_their_hash_are_kept_for_good() {
    let forever = Some("public, max-age=31536000, immutable");
    for (kind, mirror) in both() {
        let hashed = format!("/{}", hashed_script());
        let plain = mirror.get(&hashed, "");
        assert_eq!(plain.status, 200, "{kind}: {}", plain.head);
        assert_eq!(plain.header("Cache-Control"), forever, "{kind}");
        let twin = mirror.get(&hashed, "Accept-Encoding: gzip\r\n");
        assert_eq!(twin.header("Content-Encoding"), Some("gzip"), "{kind}");
        assert_eq!(twin.header("Cache-Control"), forever, "{kind}: the twin");
        let fake = mirror.get("/assets/fake.0123abcd.js", "");
        assert_eq!(fake.status, 200, "{kind}");
        assert_eq!(fake.header("Cache-Control"), Some("no-cache"), "{kind}");
        let style = mirror.get("/assets/style.css", "");
        assert_eq!(style.header("Cache-Control"), Some("no-cache"), "{kind}");
    }
}

#[test]
fn pages_from_a_folder_and_from_a_zip() {
    for (kind, mirror) in both() {
        let home = mirror.get("/", "");
        assert_eq!(home.status, 200, "{kind}: {}", home.head);
        assert!(home.text().contains(TITLE), "{kind}");
        assert_eq!(
            home.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(home.header("Cache-Control"), Some("no-cache"), "{kind}");
        let article = mirror.get(&enc("/文章/劳模精神/"), "");
        assert_eq!(article.status, 200, "{kind}");
        assert!(article.text().contains("爱岗敬业"), "{kind}");
        let bare = mirror.get(&enc("/文章/劳模精神"), "");
        assert_eq!(bare.status, 301, "{kind}");
        assert_eq!(
            bare.header("Location"),
            Some(enc("/文章/劳模精神/").as_str())
        );
        // A folder without a page is not listed.
        for path in ["/无首页/", "/无首页", "/assets/", "/assets"] {
            let answer = mirror.get(&enc(path), "");
            assert_eq!(answer.status, 404, "{kind} {path}");
            assert!(!answer.text().contains("说明.txt"), "{kind} {path}");
            assert!(!answer.text().contains("style.css"), "{kind} {path}");
        }
        let missing = mirror.get("/no/such/page.html", "");
        assert_eq!(missing.status, 404, "{kind}");
        assert!(
            missing.text().contains("页面不存在"),
            "{kind}: the site's 404 page"
        );
        for hidden in ["/SHA256SUMS", "/SHA256SUMS.minisig", "/gongdu-mirror.json"] {
            assert_eq!(mirror.get(hidden, "").status, 404, "{kind} {hidden}");
        }
        let big = mirror.get("/assets/big.bin", "");
        assert_eq!(big.status, 200, "{kind}");
        assert!(big.body == big_bytes(), "{kind}: streamed whole");
    }
}

#[test]
fn ranges_head_and_conditional_requests() {
    let big = big_bytes();
    for (kind, mirror) in both() {
        let paths: &[&str] = if kind == "zip" {
            &["/assets/big.bin", "/assets/big-deflated.bin"]
        } else {
            &["/assets/big.bin"]
        };
        for path in paths {
            let first = mirror.get(path, "Range: bytes=0-9\r\n");
            assert_eq!(first.status, 206, "{kind} {path}");
            assert_eq!(first.body, big[..10], "{kind} {path}");
            assert_eq!(first.header("Content-Range"), Some("bytes 0-9/600000"));
            let middle = mirror.get(path, "Range: bytes=300000-300099\r\n");
            assert_eq!(middle.body, big[300_000..300_100], "{kind} {path}");
            let open = mirror.get(path, "Range: bytes=599990-\r\n");
            assert_eq!(open.body, big[599_990..], "{kind} {path}");
            let suffix = mirror.get(path, "Range: bytes=-300000\r\n");
            assert_eq!(suffix.status, 206);
            assert!(suffix.body == big[300_000..], "{kind} {path}: suffix");
            let past = mirror.get(path, "Range: bytes=600000-\r\n");
            assert_eq!(past.status, 416, "{kind} {path}");
            assert_eq!(past.header("Content-Range"), Some("bytes */600000"));
        }
        let several = mirror.get("/assets/style.css", "Range: bytes=0-1,4-5\r\n");
        assert_eq!(
            several.status, 200,
            "{kind}: several ranges get the whole file"
        );
        assert_eq!(several.body, CSS.as_bytes());

        let head = mirror.method("HEAD", "/assets/big.bin", "");
        assert_eq!(head.status, 200, "{kind}");
        assert_eq!(head.header("Content-Length"), Some("600000"), "{kind}");
        assert!(head.body.is_empty(), "{kind}: HEAD has no body");

        let page = mirror.get("/", "");
        let tag = page.header("ETag").expect("an ETag").to_owned();
        let date = page.header("Last-Modified").expect("a date").to_owned();
        let again = mirror.get("/", &format!("If-None-Match: {tag}\r\n"));
        assert_eq!(again.status, 304, "{kind}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("ETag"), Some(tag.as_str()));
        let since = mirror.get("/", &format!("If-Modified-Since: {date}\r\n"));
        assert_eq!(since.status, 304, "{kind}");
        let other = mirror.get("/", "If-None-Match: \"other\"\r\n");
        assert_eq!(other.status, 200, "{kind}");
        let old = mirror.get("/", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
        assert_eq!(old.status, 200, "{kind}");
        let stale = mirror.get(
            "/assets/big.bin",
            "Range: bytes=0-9\r\nIf-Range: \"not-this-one\"\r\n",
        );
        assert_eq!(stale.status, 200, "{kind}: If-Range for other bytes");
        assert_eq!(stale.body.len(), big.len());
    }
}

#[test]
fn precompressed_twins_when_accepted() {
    for (kind, mirror) in both() {
        let plain = mirror.get("/assets/style.css", "");
        assert_eq!(plain.body, CSS.as_bytes(), "{kind}");
        assert_eq!(plain.header("Content-Encoding"), None);
        assert_eq!(plain.header("Vary"), Some("Accept-Encoding"));
        let gz = mirror.get("/assets/style.css", "Accept-Encoding: gzip\r\n");
        assert_eq!(gz.header("Content-Encoding"), Some("gzip"), "{kind}");
        assert_eq!(gz.header("Content-Type"), Some("text/css; charset=utf-8"));
        assert_eq!(gz.header("Vary"), Some("Accept-Encoding"));
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz.body[..])
            .read_to_string(&mut text)
            .expect("real gzip");
        assert_eq!(text, CSS, "{kind}");
        assert_ne!(
            gz.header("ETag"),
            plain.header("ETag"),
            "{kind}: each representation has its own tag"
        );
        let br = mirror.get(
            "/assets/style.css",
            "Accept-Encoding: gzip, deflate, br\r\n",
        );
        assert_eq!(br.header("Content-Encoding"), Some("br"), "{kind}");
        assert_eq!(br.body, b"brotli twin bytes");
        let refused = mirror.get("/assets/style.css", "Accept-Encoding: br;q=0, gzip;q=0\r\n");
        assert_eq!(refused.body, CSS.as_bytes(), "{kind}");
        let ranged = mirror.get(
            "/assets/style.css",
            "Accept-Encoding: gzip\r\nRange: bytes=0-3\r\n",
        );
        assert_eq!(ranged.status, 206, "{kind}");
        assert_eq!(ranged.header("Content-Encoding"), None, "{kind}");
        assert_eq!(ranged.body, &CSS.as_bytes()[..4]);
        // No twin: the page itself, whatever the client accepts.
        let page = mirror.get("/", "Accept-Encoding: gzip, br\r\n");
        assert_eq!(page.header("Content-Encoding"), None, "{kind}");
    }
}

#[test]
fn only_get_and_head() {
    let (dir, site) = folder();
    let mirror = Mirror::start(&site, dir, &[]);
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND",
    ] {
        let answer = mirror.method(method, "/", "Content-Length: 0\r\n");
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("Allow"), Some("GET, HEAD"), "{method}");
    }
    assert!(site.join("index.html").exists());
}

/// Paths that try to leave the site, in every spelling we know of.
const ESCAPES: &[&str] = &[
    "/../secret.txt",
    "/../outside/secret.txt",
    "/../../../../../../etc/passwd",
    "/assets/../../outside/secret.txt",
    "/%2e%2e/outside/secret.txt",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/.%2e/outside/secret.txt",
    "/%2e%2e%2foutside%2fsecret.txt",
    "/..%2f..%2fetc%2fpasswd",
    "/%252e%252e/outside/secret.txt",
    "/%252e%252e%252foutside%252fsecret.txt",
    "/..%252f..%252fetc%252fpasswd",
    "/..\\outside\\secret.txt",
    "/%5c..%5coutside%5csecret.txt",
    "/..%5c..%5cetc%5cpasswd",
    "/%00/../secret.txt",
    "/index.html%00.txt",
    "/%c0%ae%c0%ae/outside/secret.txt",
    "/%c0%ae%c0%ae%c0%afoutside%c0%afsecret.txt",
    "/%e0%80%ae%e0%80%ae/outside/secret.txt",
    "/%c1%9c..%c1%9coutside",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/C:/Windows/win.ini",
    "/C:%5CWindows%5Cwin.ini",
    "/./../outside/secret.txt",
];

#[test]
fn nothing_outside_the_site_in_any_encoding() {
    for (kind, mirror) in both() {
        for path in ESCAPES {
            let answer = mirror.get(path, "");
            assert!(
                [400, 404].contains(&answer.status),
                "{kind} {path}: {}",
                answer.head
            );
            let text = answer.text();
            assert!(
                !text.contains(SECRET) && !text.contains("root:"),
                "{kind} {path}"
            );
        }
        // The absolute form of the request line changes nothing.
        let port = mirror.port;
        let absolute = mirror.raw(
            format!(
                "GET http://127.0.0.1:{port}/../outside/secret.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        assert!(!absolute.text().contains(SECRET), "{kind}");
        assert_ne!(absolute.status, 200, "{kind}");
    }
    // Symlinks: inside the site they work, out of it they lead nowhere.
    let (dir, site) = folder();
    let mirror = Mirror::start(&site, dir, &[]);
    if cfg!(unix) {
        assert_eq!(mirror.get("/home.html", "").status, 200);
        for path in [
            "/out-file.txt",
            "/out-dir/secret.txt",
            "/out-dir/",
            "/passwd",
        ] {
            let answer = mirror.get(path, "");
            assert_eq!(answer.status, 404, "{path}");
            assert!(!answer.text().contains(SECRET) && !answer.text().contains("root:"));
        }
    }
}

#[test]
fn any_host_name_but_one_well_formed_host() {
    let (dir, site) = folder();
    let mirror = Mirror::start(&site, dir, &[]);
    let port = mirror.port;
    for host in ["shuwu.lan", "pc.local:8080", "192.168.1.20:80", "localhost"] {
        let answer = mirror
            .raw(format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(answer.status, 200, "{host}");
    }
    for request in [
        "GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_owned(),
        format!(
            "GET / HTTP/1.1\r\nHost: a.lan\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
        "GET / HTTP/1.1\r\nHost: user@shuwu.lan\r\nConnection: close\r\n\r\n".to_owned(),
    ] {
        assert_eq!(mirror.raw(request.as_bytes()).status, 400, "{request:?}");
    }
    assert_eq!(mirror.raw(b"GET / HTTP/1.0\r\n\r\n").status, 200);
}

/// One keep-alive connection asking for `rounds` pages; the statuses it got.
fn keep_alive_client(port: u16, rounds: usize) -> Vec<u16> {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return vec![0];
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut statuses = Vec::new();
    for round in 0..rounds {
        let close = if round + 1 == rounds {
            "Connection: close\r\n"
        } else {
            ""
        };
        let request =
            format!("GET /assets/style.css HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{close}\r\n");
        if stream.write_all(request.as_bytes()).is_err() {
            statuses.push(0);
            break;
        }
        statuses.push(read_one(&mut stream).unwrap_or(0));
    }
    statuses
}

/// Reads one response with a Content-Length body; its status.
fn read_one(stream: &mut TcpStream) -> Option<u16> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let answer = parse(&head);
    let len: usize = answer.header("Content-Length")?.parse().ok()?;
    let mut body = vec![0; len];
    stream.read_exact(&mut body).ok()?;
    (body == CSS.as_bytes()).then_some(answer.status)
}

#[test]
fn keep_alive_crowds_and_slow_clients_do_not_starve_others() {
    let (dir, site) = folder();
    let mirror = Mirror::start(&site, dir, &[]);
    let port = mirror.port;
    // 200 clients that open a connection and send half a request, then wait.
    let slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            stream
                .write_all(b"GET / HTTP/1.1\r\nHo")
                .expect("half a request");
            stream
        })
        .collect();
    // 200 keep-alive clients at once, five requests each on one connection.
    let crowd: Vec<_> = (0..200)
        .map(|_| std::thread::spawn(move || keep_alive_client(port, 5)))
        .collect();
    // Meanwhile a reader opens the home page, well within the slow clients' grace.
    let started = Instant::now();
    let home = mirror.get("/", "");
    assert_eq!(home.status, 200);
    let waited = started.elapsed();
    for client in crowd {
        assert_eq!(client.join().expect("client"), [200; 5]);
    }
    assert!(
        waited < Duration::from_secs(9),
        "answered while the slow clients still held their sockets ({waited:?})"
    );
    // The slow clients are sent away once the head timeout (10 s) has passed.
    for mut stream in slow {
        stream
            .set_read_timeout(Some(Duration::from_secs(25)))
            .expect("timeout");
        let mut rest = Vec::new();
        let closed = stream.read_to_end(&mut rest);
        assert!(
            closed.is_ok()
                || closed.is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
            "the server closed the half request"
        );
        let answer = parse(&rest);
        assert!(
            answer.status == 0 || answer.status == 408,
            "{}",
            answer.head
        );
    }
}

#[test]
fn access_log_keeps_no_personal_data() {
    let (dir, site) = folder();
    let log = dir.path().join("access.log");
    let log_arg = log.to_string_lossy().into_owned();
    let mirror = Mirror::start(&site, dir, &["--access-log", &log_arg]);
    mirror.get(
        &(enc("/文章/劳模精神/") + "?name=张三"),
        "User-Agent: 测试浏览器/1.0\r\nReferer: http://example.org/张三\r\nCookie: id=42\r\n",
    );
    mirror.method("HEAD", "/assets/big.bin", "");
    mirror.get("/nothing", "");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = String::new();
    while text.lines().count() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        text = std::fs::read_to_string(&log).unwrap_or_default();
    }
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0][1..4], ["GET", "/文章/劳模精神/", "200"]);
    assert_eq!(lines[1][1..], ["HEAD", "/assets/big.bin", "200", "0"]);
    assert_eq!(lines[2][1..4], ["GET", "/nothing", "404"]);
    for line in &lines {
        assert_eq!(line.len(), 5, "{line:?}");
    }
    for private in ["127.0.0.1", "张三", "测试浏览器", "example.org", "id=42"] {
        assert!(!text.contains(private), "{private} in {text}");
    }
}

/// Reads the QR code back from the SVG the poster holds: its dark modules are drawn as one
/// path of `M{x} {y}h{w}v{h}H{x}V{y}` rectangles on a white square.
fn decode_svg(svg: &str) -> String {
    let size: usize = svg
        .split("width=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|w| w.parse().ok())
        .expect("the SVG's width");
    let dark_path = svg
        .split("<path")
        .find(|p| p.contains("fill=\"#000000\""))
        .and_then(|p| p.split(" d=\"").nth(1))
        .and_then(|d| d.split('"').next())
        .expect("the dark modules' path");
    let mut dark = vec![false; size * size];
    for rect in dark_path.split('M').filter(|r| !r.is_empty()) {
        let numbers: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().expect("a number"))
            .collect();
        let (x, y, w, h) = (numbers[0], numbers[1], numbers[2], numbers[3]);
        for row in y..y + h {
            for column in x..x + w {
                dark[row * size + column] = true;
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        if dark[y * size + x] { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("the code decodes").1
}

#[test]
fn the_poster_holds_the_title_the_address_and_a_qr_code_that_reads_back() {
    let (dir, site) = folder();
    let poster = dir.path().join("海报.html");
    let poster_arg = poster.to_string_lossy().into_owned();
    let mirror = Mirror::start(&site, dir, &["--poster", &poster_arg]);
    let url = format!("http://127.0.0.1:{}/", mirror.port);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !poster.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let page = std::fs::read_to_string(&poster).expect("the poster is written");
    assert!(page.contains(&format!("<h1>{TITLE}</h1>")), "{page:.400}");
    assert!(page.contains(&format!("<p class=\"address\">{url}</p>")));
    assert!(page.contains("@page") && page.contains("A4"));
    let svg_start = page.find("<svg").expect("an inline SVG");
    let svg_end = page[svg_start..].find("</svg>").expect("closed") + svg_start;
    assert_eq!(decode_svg(&page[svg_start..svg_end]), url);
}

/// A page long enough for `mirror pack --precompress` to make twins of (it skips small files).
fn long_page() -> Vec<u8> {
    let paragraph = "<p>工匠精神是执着专注、精益求精、一丝不苟、追求卓越。</p>\n";
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>{TITLE}</title></head><body>{}</body></html>",
        paragraph.repeat(60)
    )
    .into_bytes()
}

#[test]
fn a_package_packed_with_precompress_sends_twins_that_decode_to_the_file() {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("site");
    let page = long_page();
    let css = CSS.repeat(40).into_bytes();
    let small = "<p>短页。</p>".as_bytes().to_vec();
    for (name, bytes) in [
        ("index.html", &page),
        ("assets/style.css", &css),
        ("short.html", &small),
    ] {
        let to = site.join(name);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(to, bytes).expect("write");
    }
    let packed = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(["mirror", "pack", "site", "--to", "site.zip"])
        .arg("--precompress")
        .current_dir(dir.path())
        .output()
        .expect("gongdu runs");
    assert!(packed.status.success(), "{packed:?}");
    let zip_path = dir.path().join("site.zip");
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("zip")).expect("a zip");
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.expect("a UTF-8 name").into_owned())
        .collect();
    for twin in [
        "index.html.gz",
        "index.html.br",
        "assets/style.css.gz",
        "assets/style.css.br",
    ] {
        assert!(names.iter().any(|n| n == twin), "{twin} in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.starts_with("short.html.")),
        "{names:?}"
    );
    let unpacked = tempfile::tempdir().expect("temp");
    archive.extract(unpacked.path()).expect("extracts");
    let folder = unpacked.path().to_owned();
    let served = [
        ("zip", Mirror::start(&zip_path, dir, &[])),
        ("folder", Mirror::start(&folder, unpacked, &[])),
    ];
    for (kind, mirror) in served {
        for (path, plain, kind_of) in [
            ("/", &page, "text/html; charset=utf-8"),
            ("/assets/style.css", &css, "text/css; charset=utf-8"),
        ] {
            let bare = mirror.get(path, "");
            assert_eq!(bare.status, 200, "{kind} {path}");
            assert_eq!(bare.header("Content-Encoding"), None, "{kind} {path}");
            assert_eq!(&bare.body, plain, "{kind} {path}: the plain file");
            for (accept, coding) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
                let twin = mirror.get(path, &format!("Accept-Encoding: {accept}\r\n"));
                assert_eq!(twin.status, 200, "{kind} {path} {coding}");
                assert_eq!(
                    twin.header("Content-Encoding"),
                    Some(coding),
                    "{kind} {path}"
                );
                assert_eq!(twin.header("Content-Type"), Some(kind_of), "{kind} {path}");
                assert_eq!(twin.header("Vary"), Some("Accept-Encoding"));
                let length = twin.body.len().to_string();
                assert_eq!(twin.header("Content-Length"), Some(length.as_str()));
                assert!(twin.body.len() < plain.len(), "{kind} {path}: smaller");
                assert_ne!(twin.header("ETag"), bare.header("ETag"), "{kind} {path}");
                let mut decoded = Vec::new();
                if coding == "br" {
                    brotli::Decompressor::new(&twin.body[..], 4096)
                        .read_to_end(&mut decoded)
                        .expect("real brotli");
                } else {
                    flate2::read::GzDecoder::new(&twin.body[..])
                        .read_to_end(&mut decoded)
                        .expect("real gzip");
                }
                assert_eq!(&decoded, plain, "{kind} {path} {coding}: the same bytes");
            }
        }
        let short = mirror.get("/short.html", "Accept-Encoding: gzip, br\r\n");
        assert_eq!(short.header("Content-Encoding"), None, "{kind}: no twin");
        assert_eq!(short.body, small, "{kind}");
    }
}
