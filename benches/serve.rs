//! Live-preview benchmark: on generated corpora of 1,000 and 10,000 articles
//! (`GONGDU_BENCH_SIZES`; wikilinks, glossary and a study path, search on), starts `gongdu
//! serve`, opens an article in headless Chromium, and saves an edit to that article again
//! and again. Reported per size, median and slowest:
//!
//! - edit → reloaded page: from just before the file is written to the moment the reloaded
//!   page's DOM is ready in the browser (`performance.timeOrigin` + `domContentLoadedEventEnd`,
//!   the same clock as the write), which covers noticing the change, the rebuild, the
//!   live-reload event and the page load;
//! - of which: until the reload starts (the navigation's `timeOrigin`: noticing the change,
//!   the rebuild, the reload event), and the page load after it;
//! - the server's own figures from its log: the rebuild until pages are served, and the
//!   search index rebuilt, or updated for the edited article, after that.
//!
//! ```text
//! cargo bench --bench serve        (needs Chromium: apt-get install chromium)
//! GONGDU_BENCH_BINS=before=/tmp/gongdu-old,after=target/profiling/gongdu cargo bench --bench serve
//! ```
//!
//! With `GONGDU_BENCH_BINS` each program serves the site in turn, three times, a third of the
//! saves each time, and gets its own row.

#[path = "../tests/support/browser.rs"]
#[allow(unreachable_pub)]
mod browser;
#[path = "support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const EDITS: usize = 15;

fn main() {
    let sizes = corpus::sizes();
    let Some(browser) = browser::Browser::launch().expect("Chromium starts when installed") else {
        eprintln!("chromium not found; the serve benchmark needs it");
        return;
    };
    let bins = corpus::binaries();
    let work = corpus::work_dir("bench-serve");
    println!("gongdu serve benchmark: {EDITS} saves of one article, median (slowest) in ms");
    println!(
        "{:>8} {:>22} {:>16} {:>12} {:>18} {:>18} {:>17}",
        "articles",
        "edit → reloaded page",
        "until reload",
        "page load",
        "rebuild (server)",
        "search index",
        "server peak MiB"
    );
    for n in sizes {
        let site = corpus::prepare(
            &work,
            n,
            "title: 基准知识库\n",
            corpus::Knowledge::Linked,
            "v3",
        );
        let search = !std::fs::read_to_string(site.join("site.yaml"))
            .expect("site.yaml")
            .contains("enabled: false");
        let article = first_article(&site.join("content"));
        let original = std::fs::read_to_string(&article).expect("article");
        // With several programs, each serves ROUNDS times in turn, EDITS / ROUNDS saves each.
        let rounds = if bins.len() > 1 { ROUNDS } else { 1 };
        let mut figures: Vec<Figures> = bins.iter().map(|_| Figures::default()).collect();
        for round in 0..rounds {
            for (b, (_, bin)) in bins.iter().enumerate() {
                let edits = (round * EDITS / rounds)..((round + 1) * EDITS / rounds);
                edit_and_time(
                    &browser,
                    bin,
                    &site,
                    &article,
                    edits,
                    search,
                    &mut figures[b],
                );
                std::fs::write(&article, &original).expect("restore");
            }
        }
        for (b, (label, _)) in bins.iter().enumerate() {
            if bins.len() > 1 {
                println!("{label}:");
            }
            let f = &mut figures[b];
            println!(
                "{n:>8} {:>22} {:>16} {:>12} {:>18} {:>18} {:>17}",
                summary(&mut f.latencies),
                summary(&mut f.until_reload),
                summary(&mut f.page_loads),
                summary(&mut f.rebuilds),
                summary(&mut f.indexes),
                f.peak_kib
                    .map_or("?".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0)),
            );
        }
    }
}

/// Turns taken by each program when several are compared.
const ROUNDS: usize = 3;

/// What one program measured, in ms.
#[derive(Default)]
struct Figures {
    latencies: Vec<f64>,
    /// From the save to the start of the reload: noticing, the rebuild, the reload event.
    until_reload: Vec<f64>,
    /// From the start of the reload to the page's DOM being ready.
    page_loads: Vec<f64>,
    rebuilds: Vec<f64>,
    indexes: Vec<f64>,
    /// The server's peak resident memory, the largest of its runs (Linux only).
    peak_kib: Option<u64>,
}

/// Starts `bin` serving `site`, opens `article` in a tab and saves the edits numbered `edits`,
/// timing each.
fn edit_and_time(
    browser: &browser::Browser,
    bin: &Path,
    site: &Path,
    article: &Path,
    edits: std::ops::Range<usize>,
    search: bool,
    figures: &mut Figures,
) {
    let server = Server::start(bin, site);
    let rel = article
        .strip_prefix(site.join("content"))
        .expect("inside content")
        .with_extension("");
    let url = format!(
        "http://127.0.0.1:{}/{}/index.html",
        server.port,
        rel.to_string_lossy()
    );
    let original = std::fs::read_to_string(article).expect("article");
    let mut page = browser.new_page().expect("tab");
    page.navigate_no_wait(&url).expect("navigate");
    page.wait_for(
        "window.gongduLive && window.gongduLive.readyState === 1",
        Duration::from_secs(60),
    )
    .expect("the page connects to the live-reload stream");
    for i in edits {
        let token = format!("基准修改第{i}次");
        let text = original.replacen("\n\n", &format!("\n\n{token}。\n\n"), 1);
        server.drain();
        let written = now_ms();
        std::fs::write(article, text).expect("save");
        page.wait_for(
            &format!(
                "document.readyState !== 'loading' && document.body.textContent.includes('{token}')"
            ),
            Duration::from_secs(60),
        )
        .expect("the page reloads with the edit");
        // When the reload started (the navigation's origin) and when its DOM was ready.
        let timing = page
            .eval(
                "(function () { var n = performance.getEntriesByType('navigation')[0]; \
                   return [performance.timeOrigin, n.domContentLoadedEventEnd]; })()",
            )
            .expect("timing");
        let at = |i: usize| timing[i].as_f64().expect("a number");
        let (started, loaded) = (at(0), at(0) + at(1));
        figures.latencies.push(loaded - written);
        figures.until_reload.push(started - written);
        figures.page_loads.push(loaded - started);
        let (rebuild, index) = server.timings(search);
        figures.rebuilds.push(rebuild);
        figures.indexes.push(index);
        page.wait_for(
            "window.gongduLive && window.gongduLive.readyState === 1",
            Duration::from_secs(60),
        )
        .expect("the reloaded page reconnects");
    }
    let peak = server.stop();
    figures.peak_kib = figures.peak_kib.max(peak);
}

fn summary(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "{:.0} ({:.0})",
        values[values.len() / 2],
        values[values.len() - 1]
    )
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64()
        * 1000.0
}

/// The first article (not a section introduction) in file-name order.
fn first_article(content: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = walk(content)
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_some_and(|n| n != "_index.md")
        })
        .collect();
    found.sort();
    found.into_iter().next().expect("an article")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

struct Server {
    child: Child,
    port: u16,
    /// Lines of the server's log.
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(bin: &Path, site: &Path) -> Server {
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gongdu serve starts");
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        stdout.read_line(&mut line).expect("first line");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        // Keep stdout open so that the server can still print.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        });
        Server { child, port, log }
    }

    /// Forgets log lines so far.
    fn drain(&self) {
        while self.log.try_recv().is_ok() {}
    }

    /// The server's rebuild and search-index times (ms) of the rebuild that follows (the
    /// index time is NaN for a site without search).
    fn timings(&self, search: bool) -> (f64, f64) {
        let ms = |line: &str, prefix: &str| -> Option<f64> {
            line.strip_prefix(prefix)?.split(' ').next()?.parse().ok()
        };
        let mut rebuild = None;
        loop {
            let line = self
                .log
                .recv_timeout(Duration::from_secs(120))
                .expect("the server reports its rebuild");
            if let Some(t) = ms(&line, "rebuilt in ") {
                if !search {
                    return (t, f64::NAN);
                }
                rebuild = Some(t);
            } else if let Some(t) = (ms(&line, "search index rebuilt in "))
                .or_else(|| ms(&line, "search index updated in "))
            {
                return (rebuild.expect("pages come first"), t);
            }
        }
    }

    /// Stops the server; returns its peak resident memory in KiB where the system tells.
    fn stop(mut self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()));
        let peak = status.ok().and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse().ok()
        });
        let _ = self.child.kill();
        let _ = self.child.wait();
        peak
    }
}
