//! `gongdu serve` end to end: a real server process on a temporary copy of a fixture site,
//! spoken to over HTTP on loopback: pages, live-reload events after every kind of save,
//! errors while the last good build stays up, and the requests it must refuse.

#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::sync::mpsc;
use std::time::Duration;

use server::Server;
use site::Fixture;

fn next_event(rx: &mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(20))
        .expect("an event within 20 s")
}

fn reload_then_fetch(server: &Server, rx: &mpsc::Receiver<String>, path: &str) -> String {
    let event = next_event(rx);
    assert!(
        event.starts_with("reload"),
        "expected a reload, got {event}"
    );
    server.get(path).2
}

#[test]
fn serves_pages_with_the_reload_script_and_correct_types() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let (status, head, body) = server.get("/history/shu-ji-bu/index.html");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        body.contains("中国劳动组合书记部") && body.contains("<script src=\"/__gongdu/live.js?v=")
    );
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
    );
    let (status, head, _) = server.get("/search/s/0.js");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/javascript; charset=utf-8"),
        "{head}"
    );
    assert_eq!(server.get("/%E5%8E%86%E5%8F%B2/").0, 404);
    assert_eq!(
        server
            .get("/history/%E5%AE%89%E6%BA%90%E5%A4%A7%E7%BD%A2%E5%B7%A5/")
            .0,
        200
    );
    let (status, head, _) = server.get("/history");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /history/"), "{head}");
    // Nothing was written into the site's folder.
    assert!(!f.root().join("public").exists());
}

#[test]
fn edits_creations_deletions_and_editor_saves_reload_open_pages() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let rx = server.events();
    let article = f.root().join("content/history/earliest.md");

    // A plain save.
    std::fs::write(
        &article,
        "---\ntitle: 改过的笔记\ndate: 2023-01-01\n---\n新的正文。\n",
    )
    .expect("save");
    assert!(reload_then_fetch(&server, &rx, "/history/earliest/index.html").contains("改过的笔记"));

    // An atomic save: write a temporary file, rename it over the article.
    let temp = f.root().join("content/history/.earliest.md.tmp");
    std::fs::write(
        &temp,
        "---\ntitle: 原子保存\ndate: 2023-01-01\n---\n正文。\n",
    )
    .expect("temp");
    std::fs::rename(&temp, &article).expect("rename over");
    assert!(reload_then_fetch(&server, &rx, "/history/earliest/index.html").contains("原子保存"));

    // vim: move the original away, write a new file, delete the backup.
    let backup = f.root().join("content/history/earliest.md~");
    std::fs::rename(&article, &backup).expect("backup");
    std::fs::write(
        &article,
        "---\ntitle: 维姆保存\ndate: 2023-01-01\n---\n正文。\n",
    )
    .expect("write");
    std::fs::remove_file(&backup).expect("remove backup");
    assert!(reload_then_fetch(&server, &rx, "/history/earliest/index.html").contains("维姆保存"));

    // `sed -i`: a new file in the same folder renamed over the old one.
    let text = std::fs::read_to_string(&article)
        .expect("read")
        .replace("维姆保存", "流编辑");
    let sed_temp = f.root().join("content/history/sedXyZ12");
    std::fs::write(&sed_temp, text).expect("write");
    std::fs::rename(&sed_temp, &article).expect("rename");
    assert!(reload_then_fetch(&server, &rx, "/history/earliest/index.html").contains("流编辑"));

    // A new article appears; a deleted one goes.
    f.write(
        "content/history/new-note.md",
        "---\ntitle: 新建的笔记\n---\n正文。\n",
    );
    assert!(reload_then_fetch(&server, &rx, "/history/new-note/index.html").contains("新建的笔记"));
    std::fs::remove_file(f.root().join("content/history/new-note.md")).expect("rm");
    next_event(&rx);
    assert_eq!(server.get("/history/new-note/index.html").0, 404);

    // A renamed article moves.
    std::fs::rename(&article, f.root().join("content/history/renamed.md")).expect("rename");
    assert!(reload_then_fetch(&server, &rx, "/history/renamed/index.html").contains("流编辑"));
    assert_eq!(server.get("/history/earliest/index.html").0, 404);
}

#[test]
fn editor_swap_files_are_ignored_and_a_burst_is_one_rebuild() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let rx = server.events();
    for name in [".earliest.md.swp", "earliest.md~", "4913", "#earliest.md#"] {
        f.write(&format!("content/history/{name}"), "junk");
    }
    assert!(
        rx.recv_timeout(Duration::from_millis(1500)).is_err(),
        "no rebuild for editor leftovers"
    );
    // A checkout of many files at once.
    for i in 0..300 {
        f.write(
            &format!("content/history/burst-{i}.md"),
            &format!("---\ntitle: 批量{i}\n---\n正文\n"),
        );
    }
    assert!(next_event(&rx).starts_with("reload"));
    let extra: Vec<String> =
        std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(3)).ok()).collect();
    assert!(
        extra.is_empty(),
        "one burst, one rebuild; also got {extra:?}"
    );
    assert_eq!(server.get("/history/burst-299/index.html").0, 200);
}

#[test]
fn with_poll_a_save_is_seen_without_change_events() {
    let f = Fixture::copy("basic");
    let server = Server::start_with(&f, &["--poll"]);
    let rx = server.events();
    f.write(
        "content/history/earliest.md",
        "---\ntitle: 轮询看到的修改\ndate: 2023-01-01\n---\n正文。\n",
    );
    let page = reload_then_fetch(&server, &rx, "/history/earliest/index.html");
    assert!(page.contains("轮询看到的修改"), "{page}");
}

#[test]
fn a_broken_save_shows_the_error_and_keeps_the_last_good_pages() {
    let f = Fixture::copy("basic");
    let server = Server::start_with(&f, &["--lang", "en"]);
    let rx = server.events();
    let article = f.root().join("content/history/earliest.md");
    let good = std::fs::read_to_string(&article).expect("read");
    std::fs::write(&article, "---\ntitle: 坏了\ndate: 昨天\n---\n").expect("break");
    let event = next_event(&rx);
    assert!(event.starts_with("problems"), "{event}");
    assert!(
        event.contains("content/history/earliest.md:3:7: error[GD0402]: `昨天` is not a date"),
        "{event}"
    );
    let (status, _, body) = server.get("/history/earliest/index.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("最早的笔记"),
        "the last good build is still served"
    );
    // A page opened now hears about the error at once.
    let late = server.events();
    assert!(next_event(&late).starts_with("problems"));
    std::fs::write(&article, good).expect("fix");
    assert!(next_event(&rx).starts_with("reload"));
}

#[test]
fn traversal_foreign_hosts_and_foreign_origins_are_refused() {
    let f = Fixture::copy("basic");
    std::fs::write(f.root().join("secret.txt"), "secret").expect("secret");
    let sibling = f.root().parent().expect("parent").join(format!(
        "{}-public",
        f.root().file_name().expect("name").to_string_lossy()
    ));
    let _ = std::fs::create_dir_all(&sibling);
    std::os::unix::fs::symlink("/etc/passwd", f.root().join("content/link.txt")).expect("symlink");
    let server = Server::start(&f);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%252fsecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/site.yaml",
        "/content/history/earliest.md",
        "/link.txt",
        "/../../../../etc/passwd",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("secret") && !body.contains("root:"),
            "{path} leaked"
        );
    }
    assert_eq!(server.get_with("/", Some("evil.example"), "").0, 403);
    assert_eq!(server.get_with("/", Some("localhost"), "").0, 200);
    let origin = "Origin: http://evil.example\r\n";
    assert_eq!(server.get_with("/__gongdu/events", None, origin).0, 403);
    assert_eq!(server.get("/").0, 200, "still up after all that");
    let _ = std::fs::remove_dir_all(sibling);
}

#[test]
fn unchanged_files_answer_not_modified_and_an_edit_changes_their_tag() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let rx = server.events();
    let path = "/history/earliest/index.html";
    let etag = |head: &str| {
        head.lines()
            .find_map(|l| {
                l.strip_prefix("Etag: ")
                    .or_else(|| l.strip_prefix("ETag: "))
            })
            .unwrap_or_else(|| panic!("no ETag in {head}"))
            .to_owned()
    };
    let (status, head, _) = server.get(path);
    assert_eq!(status, 200);
    assert!(head.contains("Cache-Control: no-cache"), "{head}");
    let tag = etag(&head);
    let asked = format!("If-None-Match: {tag}\r\n");
    let (status, head, body) = server.get_with(path, None, &asked);
    assert_eq!(status, 304, "{head}");
    assert!(body.is_empty());
    assert_eq!(etag(&head), tag);
    let article = f.root().join("content/history/earliest.md");
    let text = std::fs::read_to_string(&article).expect("read");
    std::fs::write(&article, text.replace("最早的笔记", "改过的标题")).expect("save");
    assert!(next_event(&rx).starts_with("reload"));
    let (status, head, body) = server.get_with(path, None, &asked);
    assert_eq!(status, 200, "changed, so sent again: {head}");
    assert!(body.contains("改过的标题"));
    assert_ne!(etag(&head), tag);
}

/// What `gongdu build` writes for the fixture, path → bytes.
fn built(f: &Fixture) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("temporary folder");
    let mut options = f.options();
    options.output = Some(out.path().join("public"));
    gongdu::build::build(&options, None).expect("full build");
    site::snapshot_tree(&out.path().join("public"))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out)
        .expect("a whole gzip stream");
    out
}

/// A page as `serve` sends it: the built page with the live-reload script before `</body>`,
/// named with the script's version ([`script_version`]).
fn with_script(page: &[u8]) -> Vec<u8> {
    let page = std::str::from_utf8(page).expect("UTF-8 page");
    let at = page.rfind("</body>").expect("a body");
    let script = format!(
        "<script src=\"/__gongdu/live.js?v={}\" defer></script>",
        script_version()
    );
    format!("{}{script}{}", &page[..at], &page[at..]).into_bytes()
}

/// The version of the live-reload script that pages name: 16 hexadecimal digits, the same on
/// every page and in every run of this build of gongdu.
fn script_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let f = Fixture::copy("basic");
        let server = Server::start(&f);
        let page = server.get("/history/earliest/index.html").2;
        let version = page
            .split("<script src=\"/__gongdu/live.js?v=")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page names the script with a version")
            .to_owned();
        assert!(
            version.len() == 16 && version.bytes().all(|b| b.is_ascii_hexdigit()),
            "{version}"
        );
        version
    })
}

/// Issue 15: a reload takes the theme's stylesheets and scripts, and the live-reload script,
/// from the browser's cache without asking: their names hold a hash of their contents, so
/// they are sent to be kept for a year. Pages, the search index and any other name are asked
/// for again each time (their bytes change under the same name).
#[test]
fn files_named_by_their_contents_are_kept_and_others_asked_for_again() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let page = server.get("/history/earliest/index.html").2;
    let hashed: Vec<&str> = page
        .split("href=\"")
        .chain(page.split("src=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|link| link.contains("assets/") && !link.starts_with("data:"))
        .collect();
    assert!(
        hashed.iter().any(|l| l.ends_with(".css")) && hashed.iter().any(|l| l.ends_with(".js")),
        "the page links its theme's stylesheet and scripts: {hashed:?}"
    );
    let forever = "public, max-age=31536000, immutable";
    let caching = |path: &str| {
        let (status, head, _) = server.get(path);
        assert_eq!(status, 200, "{path}");
        header(&head, "Cache-Control")
            .unwrap_or_default()
            .to_owned()
    };
    for link in &hashed {
        let path = format!("/{}", link.trim_start_matches("../"));
        assert_eq!(caching(&path), forever, "{path}");
    }
    let script = format!("/__gongdu/live.js?v={}", script_version());
    assert_eq!(caching(&script), forever);
    for path in [
        "/__gongdu/live.js",
        "/__gongdu/live.js?v=0000000000000000",
        "/history/earliest/index.html",
        "/search/config.js",
        "/atom.xml",
    ] {
        assert_eq!(caching(path), "no-cache", "{path}");
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// Issue 15: `serve` holds pages gzip-compressed. A client that takes gzip gets them so (with
/// a length, a tag of their own and `Vary`), one that does not gets the same bytes plain, and
/// either way they are what `gongdu build` writes (pages with the live-reload script).
#[test]
fn a_client_that_takes_gzip_gets_the_built_file_compressed_and_others_get_it_plain() {
    let f = Fixture::copy("basic");
    let built = built(&f);
    let server = Server::start(&f);
    let host = format!("Host: 127.0.0.1:{}\r\n", server.port);
    let gzip = format!("{host}Accept-Encoding: gzip, deflate, br\r\n");
    for (path, expected) in [
        (
            "history/earliest/index.html",
            with_script(&built["history/earliest/index.html"]),
        ),
        ("atom.xml", built["atom.xml"].clone()),
        ("404.html", with_script(&built["404.html"])),
    ] {
        let url = format!("/{path}");
        let (status, head, body) = server.request("GET", &url, &gzip);
        assert_eq!(status, 200, "{path}: {head}");
        assert_eq!(header(&head, "content-encoding"), Some("gzip"), "{head}");
        assert_eq!(header(&head, "vary"), Some("accept-encoding"), "{head}");
        assert_eq!(
            header(&head, "content-length"),
            Some(&*body.len().to_string())
        );
        assert!(body.len() < expected.len(), "{path} is sent compressed");
        assert_eq!(gunzip(&body), expected, "{path}");
        let gzip_tag = header(&head, "etag").expect("a tag").to_owned();

        for plain in [
            host.clone(),
            format!("{host}Accept-Encoding: gzip;q=0, br\r\n"),
        ] {
            let (status, head, body) = server.request("GET", &url, &plain);
            assert_eq!(status, 200, "{head}");
            assert_eq!(header(&head, "content-encoding"), None, "{head}");
            assert_eq!(header(&head, "vary"), Some("accept-encoding"), "{head}");
            assert_eq!(body, expected, "{path} plain");
            assert_ne!(
                header(&head, "etag"),
                Some(&*gzip_tag),
                "each form its own tag"
            );
        }

        let (status, head, body) = server.request("HEAD", &url, &gzip);
        assert_eq!(status, 200);
        assert!(body.is_empty());
        assert_eq!(header(&head, "content-encoding"), Some("gzip"), "{head}");
        let asked = format!("{gzip}If-None-Match: {gzip_tag}\r\n");
        assert_eq!(server.request("GET", &url, &asked).0, 304);
    }
    // The missing page comes compressed too, with its own status.
    let (status, head, body) = server.request("GET", "/no/such/page/", &gzip);
    assert_eq!(status, 404, "{head}");
    assert_eq!(gunzip(&body), with_script(&built["404.html"]));
}

/// After an edit, the compressed page that is sent is the new one, equal to a fresh build's.
#[test]
fn a_changed_page_is_served_fresh_and_compressed_after_a_rebuild() {
    let f = Fixture::copy("basic");
    let server = Server::start(&f);
    let rx = server.events();
    let gzip = format!(
        "Host: 127.0.0.1:{}\r\nAccept-Encoding: gzip\r\n",
        server.port
    );
    let path = "history/earliest/index.html";
    let before = gunzip(&server.request("GET", &format!("/{path}"), &gzip).2);
    let article = f.root().join("content/history/earliest.md");
    let text = std::fs::read_to_string(&article).expect("read");
    std::fs::write(&article, text.replace("最早的笔记", "改过的标题")).expect("save");
    assert!(next_event(&rx).starts_with("reload"));
    let (status, head, body) = server.request("GET", &format!("/{path}"), &gzip);
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-encoding"), Some("gzip"), "{head}");
    let after = gunzip(&body);
    assert_ne!(after, before);
    assert_eq!(after, with_script(&built(&f)[path]));
}
