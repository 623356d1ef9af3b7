//! `gongdu mirror zim`: the repository's own sample site written as a ZIM file is accepted by
//! openZIM's `zimcheck -A`, reads back entry for entry with the folder's bytes (through our
//! reader and through libzim's `zimdump`), is the same bytes when written twice, and works
//! inside `kiwix-serve` in Chromium: pages, links and gongdu's Chinese search with the same
//! results as the file:// build. Tools that are absent skip their part unless
//! GONGDU_REQUIRE_BROWSER=1 (as in CI), where they must be there.

#[path = "support/browser.rs"]
mod browser;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use browser::{Browser, Page};
use gongdu::build::{self, BuildOptions};
use gongdu::mirror::zim::{self, ZimOptions, reader::Archive};

const WAIT: Duration = Duration::from_secs(20);
/// Whether the first glossary definition on the page is shown.
const TIP_VISIBILITY: &str = "(() => { const tip = document.querySelector('.gd-term__tip'); \
    const s = getComputedStyle(tip); return s.display !== 'none' && s.visibility === 'visible' \
    && tip.getBoundingClientRect().width > 0 ? 'visible' : 'hidden'; })()";

/// The repository's own site, built into a temporary folder, and a ZIM of it beside it.
struct Built {
    dir: tempfile::TempDir,
}

impl Built {
    fn new() -> Built {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut options = BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")));
        options.output = Some(dir.path().join("public"));
        build::build(&options, None).expect("the sample site builds");
        Built { dir }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn write_zim(&self, name: &str) -> PathBuf {
        let to = self.dir.path().join(name);
        let report = zim::write_site(&self.site(), &to, &ZimOptions::default()).expect("writes");
        assert!(
            report.pages > 50,
            "the sample site has its pages: {report:?}"
        );
        assert!(report.redirects >= 1, "the alias page is a redirect");
        to
    }
}

fn tool_present(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("GONGDU_REQUIRE_BROWSER").is_none(),
            "{name} not found, but GONGDU_REQUIRE_BROWSER=1 is set (apt-get install zim-tools kiwix-tools)"
        );
        println!("{name} not found; skipping");
    }
    found
}

/// Every file of the built site by its `/`-separated path, except the hidden output marker.
fn site_files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            let rel = entry.path().strip_prefix(site).expect("under site");
            let rel = rel.to_str().expect("UTF-8").replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// What the ZIM holds for the site file at `path`: its bytes, but a packed search file plain
/// (`gongdu::search::plain`), since zstd shrinks the plain JSON more.
fn in_zim(path: &str, bytes: &[u8]) -> Vec<u8> {
    if gongdu::search::is_packed(path) {
        gongdu::search::plain(bytes).unwrap_or_else(|| panic!("{path} is packed"))
    } else {
        bytes.to_vec()
    }
}

#[test]
fn zimcheck_finds_no_error() {
    if !tool_present("zimcheck") {
        return;
    }
    let built = Built::new();
    let zim = built.write_zim("site.zim");
    let output = Command::new("zimcheck")
        .arg("-A")
        .arg(&zim)
        .output()
        .expect("zimcheck runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && !text.contains("[ERROR]"),
        "zimcheck -A failed:\n{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("Overall Test Status: Pass"), "{text}");
}

#[test]
fn every_file_reads_back_with_its_bytes() {
    let built = Built::new();
    let zim = built.write_zim("site.zim");
    let archive = Archive::open(&zim).expect("opens");
    assert!(archive.checksum_ok(), "the MD5 at the end matches");
    assert_eq!(archive.main_page().as_deref(), Some("index.html"));

    let files = site_files(&built.site());
    let mut redirects = 0;
    for (path, bytes) in &files {
        if path == "404.html" {
            assert!(archive.entry('C', path).is_none(), "404.html is left out");
            continue;
        }
        let entry = archive
            .entry('C', path)
            .unwrap_or_else(|| panic!("C/{path} is in the ZIM"));
        if let Some(target) = &entry.redirect {
            redirects += 1;
            let html = String::from_utf8_lossy(bytes);
            let target_path = target.strip_prefix("C/").expect("redirects stay in C");
            let target_name = target_path.trim_end_matches("index.html");
            assert!(
                html.contains("http-equiv=\"refresh\"") && html.contains(target_name),
                "{path} redirects to {target}, where its refresh points"
            );
            continue;
        }
        assert_eq!(
            archive.content('C', path).expect("reads"),
            in_zim(path, bytes),
            "C/{path} has the file's bytes"
        );
    }
    assert!(redirects >= 1, "the alias page became a redirect");
    let c_entries = archive
        .entries()
        .iter()
        .filter(|e| e.namespace == 'C')
        .count();
    assert_eq!(
        c_entries,
        files.len() - 1,
        "one entry per file but 404.html"
    );

    let article = archive
        .entry(
            'C',
            "productivity/xin-zhi-sheng-chan-li-gai-nian/index.html",
        )
        .expect("an article");
    assert_eq!(article.mime.as_deref(), Some("text/html"));
    assert!(
        !article.title.contains('·'),
        "titles lose the site-name suffix: {}",
        article.title
    );

    for (name, expected) in [("Language", Some("zho")), ("Publisher", Some("gongdu"))] {
        let value = archive.content('M', name).expect("metadata");
        assert_eq!(std::str::from_utf8(&value).ok(), expected, "M/{name}");
    }
    for name in ["Name", "Title", "Creator", "Date", "Description"] {
        let value = archive.content('M', name).expect("metadata");
        assert!(!value.is_empty(), "M/{name} is set");
    }
    let date = String::from_utf8(archive.content('M', "Date").expect("date")).expect("UTF-8");
    assert_eq!(date.len(), 10, "YYYY-MM-DD: {date}");
    let png = archive
        .content('M', "Illustration_48x48@1")
        .expect("illustration");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    // The full title index covers every entry, sorted by namespace and title; the front
    // articles' listing holds the HTML pages only, never a redirect or a script.
    let all = archive.titles(true).expect("title index");
    assert_eq!(all.len(), archive.entries().len());
    let front = archive.titles(false).expect("front articles");
    assert!(front.len() > 50);
    for key in &front {
        let path = key.strip_prefix("C/").expect("front articles are in C");
        let entry = archive.entry('C', path).expect("listed entry exists");
        assert_eq!(entry.mime.as_deref(), Some("text/html"), "{key}");
    }
    let sort_keys: Vec<(char, String)> = all
        .iter()
        .map(|key| {
            let (ns, path) = key.split_at(1);
            let ns = ns.chars().next().expect("namespace");
            let entry = archive.entry(ns, &path[1..]).expect("exists");
            (ns, entry.title)
        })
        .collect();
    assert!(
        sort_keys.windows(2).all(|w| w[0] <= w[1]),
        "title index sorted"
    );
}

#[test]
fn libzim_reads_back_the_same_bytes() {
    if !tool_present("zimdump") {
        return;
    }
    let built = Built::new();
    let zim = built.write_zim("site.zim");
    let dump = built.dir.path().join("dump");
    let status = Command::new("zimdump")
        .args(["dump", "--ns=C", "--redirect"])
        .arg(format!("--dir={}", dump.display()))
        .arg(&zim)
        .status()
        .expect("zimdump runs");
    assert!(status.success(), "zimdump dump succeeded");
    let dumped = site_files(&dump);
    let files = site_files(&built.site());
    let mut compared = 0;
    for (path, bytes) in &files {
        if path == "404.html" {
            continue;
        }
        let on_disk = dump.join(path);
        if on_disk.is_symlink() {
            // A redirect, dumped as a link to its target.
            continue;
        }
        assert_eq!(
            dumped.get(path),
            Some(&in_zim(path, bytes)),
            "libzim reads C/{path} back"
        );
        compared += 1;
    }
    assert!(compared > 100, "compared {compared} entries");
}

#[test]
fn the_same_site_gives_the_same_bytes() {
    let built = Built::new();
    let first = std::fs::read(built.write_zim("a.zim")).expect("read");
    let second = std::fs::read(built.write_zim("b.zim")).expect("read");
    assert!(first == second, "two writes of one site differ");

    let article = built.site().join("robots.txt");
    let mut text = std::fs::read_to_string(&article).expect("read");
    text.push_str("# changed\n");
    std::fs::write(&article, text).expect("write");
    let third = Archive::open(&built.write_zim("c.zim")).expect("opens");
    assert_ne!(
        third.uuid(),
        Archive::from_bytes(first).expect("opens").uuid(),
        "a changed site gets a new book identity"
    );
}

// ---------------------------------------------------------------------------------------
// Inside kiwix-serve.
// ---------------------------------------------------------------------------------------

/// kiwix-serve on a free loopback port, killed when dropped.
struct KiwixServe {
    child: Child,
    port: u16,
}

impl KiwixServe {
    fn start(zim: &Path) -> KiwixServe {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("kiwix-serve")
            .args(["-i", "127.0.0.1", "-p", &port.to_string()])
            .arg(zim)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("kiwix-serve starts");
        let server = KiwixServe { child, port };
        let start = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(start.elapsed() < WAIT, "kiwix-serve listens on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for KiwixServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn file_url(path: &Path) -> String {
    format!("file://{}", percent_encode(&path.to_string_lossy()))
}

fn js(value: &str) -> String {
    serde_json::to_string(value).expect("a string serialises")
}

/// Titles the search results page shows for `query`, in order, once it has settled.
fn search_titles(page: &mut Page<'_>, search_page: &str, query: &str) -> Vec<String> {
    page.goto(&format!("{search_page}?q={}", percent_encode(query)))
        .expect("opens the search page");
    page.wait_for(
        "['done', 'empty'].includes(document.body.dataset.searchState)",
        WAIT,
    )
    .expect("the search settles");
    let titles = page
        .eval("[...document.querySelectorAll('#search-results .search-result__title')].map(h => h.textContent)")
        .expect("eval");
    serde_json::from_value(titles).expect("titles")
}

/// Options the header's quick box offers for `query` on `url`.
fn quick_options(page: &mut Page<'_>, url: &str, query: &str) -> Vec<String> {
    page.goto(url).expect("opens");
    page.eval(&format!(
        "(() => {{ const q = document.querySelector('#site-search-q'); q.focus(); q.value = {};
            q.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()",
        js(query)
    ))
    .expect("types");
    page.wait_for(
        "document.querySelectorAll('.search-box__option').length > 1",
        WAIT,
    )
    .expect("quick results appear");
    let options = page
        .eval("[...document.querySelectorAll('.search-box__option')].map(o => o.textContent)")
        .expect("eval");
    serde_json::from_value(options).expect("options")
}

/// Chromium asks every web origin for `/favicon.ico`; kiwix-serve has none at its root, which
/// is outside the book and no page of ours asks for. Every other error fails the test.
fn no_errors_but_the_server_favicon(page: &mut Page<'_>, port: u16) {
    let Err(report) = page.check_no_errors() else {
        return;
    };
    let favicon = format!("http://127.0.0.1:{port}/favicon.ico");
    let others: Vec<&str> = report
        .lines()
        .skip(1)
        .filter(|line| !line.contains(&favicon))
        .collect();
    assert!(
        others.is_empty(),
        "page reported errors:\n{}",
        others.join("\n")
    );
}

#[test]
fn kiwix_serve_shows_the_site_and_its_chinese_search() {
    if !tool_present("kiwix-serve") {
        return;
    }
    let Some(browser) = Browser::launch().expect("Chromium starts when it is installed") else {
        return;
    };
    let built = Built::new();
    let zim = built.write_zim("gongdu.zim");
    let server = KiwixServe::start(&zim);
    let book = format!("http://127.0.0.1:{}/gongdu", server.port);
    let mut page = browser.new_page().expect("page");

    // The book's root leads to the main page, whose styles and scripts load.
    page.goto(&format!("{book}/")).expect("opens the book");
    page.wait_for(
        "document.body && document.body.classList.contains('kind-home')",
        WAIT,
    )
    .expect("the main page is the site's home page");
    let styled = page
        .eval("getComputedStyle(document.body).fontFamily")
        .expect("eval");
    assert!(
        styled
            .as_str()
            .is_some_and(|f| !f.is_empty() && f != "\"Times New Roman\""),
        "gongdu.css applies: {styled}"
    );

    // A relative link from the home page opens the article.
    page.eval(
        "document.querySelector('a[href=\"productivity/xin-zhi-sheng-chan-li-gai-nian/index.html\"]').click()",
    )
    .expect("clicks");
    page.wait_for(
        "location.pathname.endsWith('/productivity/xin-zhi-sheng-chan-li-gai-nian/index.html') \
         && document.querySelector('h1') && document.querySelector('h1').textContent.includes('新质生产力')",
        WAIT,
    )
    .expect("the article opens");
    no_errors_but_the_server_favicon(&mut page, server.port);

    // The alias page redirects to its article.
    page.goto(&format!("{book}/old/xin-zhi/index.html"))
        .expect("opens the alias");
    page.wait_for(
        "location.pathname.endsWith('/productivity/xin-zhi-sheng-chan-li-gai-nian/index.html')",
        WAIT,
    )
    .expect("the alias leads to the article");

    // gongdu's full-text search finds in Kiwix what it finds from file://, for a phrase and
    // for the same phrase in Traditional script.
    let kiwix_search = format!("{book}/search/index.html");
    let file_search = file_url(&built.site().join("search/index.html"));
    for query in ["新质生产力", "新質生產力", "工匠精神 劳模"] {
        let in_kiwix = search_titles(&mut page, &kiwix_search, query);
        let from_file = search_titles(&mut page, &file_search, query);
        assert_eq!(in_kiwix, from_file, "results for {query}");
        if query != "工匠精神 劳模" {
            assert!(!in_kiwix.is_empty(), "{query} finds articles");
        }
    }
    let simplified = search_titles(&mut page, &kiwix_search, "新质生产力");
    let traditional = search_titles(&mut page, &kiwix_search, "新質生產力");
    assert_eq!(simplified, traditional, "Traditional script finds the same");

    // The header's quick box answers as the reader types, in Kiwix as from file://.
    let article = "productivity/xin-zhi-sheng-chan-li-gai-nian/index.html";
    let in_kiwix = quick_options(&mut page, &format!("{book}/{article}"), "劳模");
    let from_file = quick_options(&mut page, &file_url(&built.site().join(article)), "劳模");
    assert_eq!(in_kiwix, from_file, "quick results for 劳模");
    no_errors_but_the_server_favicon(&mut page, server.port);

    // A glossary term's definition shows when the term link has focus.
    page.goto(&format!("{book}/union/longyan-smart-union/index.html"))
        .expect("opens an article with glossary terms");
    assert_eq!(page.eval(TIP_VISIBILITY).expect("eval"), "hidden");
    page.eval("document.querySelector('.gd-term__link').focus()")
        .expect("focus");
    assert_eq!(page.eval(TIP_VISIBILITY).expect("eval"), "visible");

    // Study-path progress is kept in the reader's browser and shown on the path page.
    let step = "history/lao-dong-zu-he-shu-ji-bu/index.html";
    page.goto(&format!("{book}/{step}"))
        .expect("opens a path step");
    page.wait_for("document.querySelector('.study-progress input')", WAIT)
        .expect("the mark-as-read checkbox appears");
    page.eval("document.querySelector('.study-progress input').click()")
        .expect("marks it read");
    page.goto(&format!("{book}/paths/gong-yun-li-shi-ru-men/index.html"))
        .expect("opens the path");
    page.wait_for("!document.querySelector('.path-progress').hidden", WAIT)
        .expect("progress shows");
    assert_eq!(
        page.eval("[...document.querySelectorAll('.path-step.is-read')].map(li => li.dataset.progressPage)")
            .expect("eval"),
        serde_json::json!([step])
    );
    no_errors_but_the_server_favicon(&mut page, server.port);

    // Kiwix's own title search and random article run on the ZIM's title listings.
    let root = format!("http://127.0.0.1:{}", server.port);
    page.goto(&format!(
        "{root}/suggest?content=gongdu&term={}",
        percent_encode("新质生产")
    ))
    .expect("asks for suggestions");
    let suggestions = page.eval("document.body.innerText").expect("eval");
    let suggestions: serde_json::Value =
        serde_json::from_str(suggestions.as_str().unwrap_or_default()).expect("JSON");
    let paths: Vec<&str> = suggestions
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|s| s["path"].as_str())
        .collect();
    assert!(
        paths.contains(&"glossary/xin-zhi-sheng-chan-li/index.html"),
        "title search finds the glossary entry: {paths:?}"
    );
    page.goto(&format!("{root}/random?content=gongdu"))
        .expect("asks for a random article");
    page.wait_for(
        "location.pathname.startsWith('/gongdu/') && location.pathname.endsWith('.html') \
         && document.querySelector('main h1') !== null",
        WAIT,
    )
    .expect("a random article is one of the site's pages");
    drop(server);
}

#[test]
fn the_command_line_sets_metadata_and_reports_mistakes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb");
    let mut options = BuildOptions::new(&fixture);
    options.output = Some(dir.path().join("public"));
    build::build(&options, None).expect("the fixture builds");
    let gongdu = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gongdu"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("gongdu runs")
    };

    let ok = gongdu(&[
        "mirror",
        "zim",
        "public",
        "--to",
        "kb.zim",
        "--title",
        "工会学习",
        "--creator",
        "某市总工会",
        "--date",
        "2025-01-02",
    ]);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(stdout.starts_with("wrote kb.zim ("), "{stdout}");
    let archive = Archive::open(&dir.path().join("kb.zim")).expect("opens");
    for (name, value) in [
        ("Title", "工会学习"),
        ("Creator", "某市总工会"),
        ("Date", "2025-01-02"),
        ("Name", "gongdu_zh_gonghuixuexi"),
    ] {
        let stored = archive.content('M', name).expect("metadata");
        assert_eq!(String::from_utf8_lossy(&stored), value, "M/{name}");
    }

    let bad_date = gongdu(&[
        "mirror", "zim", "public", "--to", "x.zim", "--date", "2.1.2025",
    ]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("YYYY-MM-DD"));

    let not_built = gongdu(&["mirror", "zim", ".", "--to", "x.zim"]);
    assert_eq!(not_built.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&not_built.stderr).contains("gongdu build"),
        "the error says what to do"
    );
    assert!(
        !dir.path().join("x.zim").exists(),
        "nothing is written on error"
    );

    // The library icon: the site's logo.png (copied there from static/) scaled into 48×48;
    // a logo that is not a PNG is refused by name rather than replaced silently.
    let drawn = archive
        .content('M', "Illustration_48x48@1")
        .expect("illustration");
    let logo = image::RgbaImage::from_pixel(96, 96, image::Rgba([10, 120, 40, 255]));
    logo.save(dir.path().join("public/logo.png")).expect("logo");
    let with_logo = gongdu(&["mirror", "zim", "public", "--to", "logo.zim"]);
    assert_eq!(with_logo.status.code(), Some(0));
    let icon = Archive::open(&dir.path().join("logo.zim"))
        .expect("opens")
        .content('M', "Illustration_48x48@1")
        .expect("illustration");
    assert_ne!(icon, drawn, "the logo replaces the drawn mark");
    let icon = image::load_from_memory(&icon).expect("a PNG").to_rgba8();
    assert_eq!(icon.dimensions(), (48, 48));
    assert_eq!(icon.get_pixel(20, 20).0, [10, 120, 40, 255]);
    std::fs::write(dir.path().join("bad.png"), "not an image").expect("write");
    let bad_logo = gongdu(&[
        "mirror",
        "zim",
        "public",
        "--to",
        "y.zim",
        "--illustration",
        "bad.png",
    ]);
    assert_eq!(bad_logo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_logo.stderr).contains("bad.png"));
    assert!(!dir.path().join("y.zim").exists());
}
