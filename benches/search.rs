//! Search benchmark: on generated corpora of 1,000 and 10,000 articles (`GONGDU_BENCH_SIZES`),
//! reports the search index's size on disk (total, and relative to the article text), the
//! bytes the browser loads for each query of a fixed list (median and 95th percentile), the
//! cold query time in headless Chromium over `file://`, and the index's share of build time.
//!
//!     cargo bench --bench search        (needs Chromium: apt-get install chromium)
//!
//! `GONGDU_BENCH_CORPUS=gen_corpus` takes the articles from the shared `gen_corpus.py`
//! (`GONGDU_GEN_CORPUS` names it; by default ../shared/bench/gen_corpus.py), the corpus of
//! `hugo_compare.sh` and issue 15, instead of this package's own generator: its articles
//! are longer and vary more, so they cost a query more bytes (into `bench-search-gen`).
//!
//! `GONGDU_BENCH_BINARY=/path/to/gongdu` builds the corpus with another binary (into
//! `public-<its file name>`), to compare an older index layout with this one on the same
//! machine, same load.
//!
//! Bytes are the sizes of the page, its stylesheets and every script it loaded (the search
//! script adds data files as `<script>` elements and keeps them). Each query runs in a fresh tab with the cache disabled: the page loads, reads `?q=`, loads
//! what the query needs and renders the results. Time is measured from navigation start and
//! from the moment the search script starts the query to the moment results are on screen.

#[path = "../tests/support/browser.rs"]
#[allow(unreachable_pub)]
mod browser;
#[path = "support/corpus.rs"]
mod corpus;

use std::path::Path;
use std::process::Command;

const QUERIES: [&str; 20] = [
    "新质生产力",
    "工匠精神",
    "劳模",
    "工会",
    "职工书屋",
    "集体协商",
    "12351热线",
    "数字化转型",
    "安全生产",
    "劳动生产率",
    "工人夜校",
    "枫桥经验",
    "产业工人",
    "师带徒",
    "智能制造",
    "一函两书",
    "工会 驿站",
    "劳动和技能竞赛",
    "女职工",
    "终身学习",
];

/// Records, in the page, when the search finished (see `document.body.dataset.searchState`).
const PROBE: &str = r#"
new MutationObserver((_, observer) => {
  const state = document.body && document.body.dataset.searchState;
  if (state === "done" || state === "empty") {
    window.__searchDone = performance.now();
    observer.disconnect();
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-search-state"] });
"#;

fn main() {
    let Some(browser) = browser::Browser::launch().expect("Chromium starts when installed") else {
        return;
    };
    let sizes = corpus::sizes();
    let gen_corpus = std::env::var("GONGDU_BENCH_CORPUS").is_ok_and(|c| c == "gen_corpus");
    let work = corpus::work_dir(if gen_corpus {
        "bench-search-gen"
    } else {
        "bench-search"
    });
    for n in sizes {
        let yaml = "title: 基准知识库\n";
        let site = if gen_corpus {
            corpus::prepare_gen_corpus(&work, n, yaml)
                .expect("GONGDU_BENCH_CORPUS=gen_corpus: gen_corpus.py makes the articles")
        } else {
            corpus::prepare(&work, n, yaml, corpus::Knowledge::None, "v3")
        };
        let binary = std::env::var_os("GONGDU_BENCH_BINARY");
        let out = match &binary {
            Some(b) => site.join(format!(
                "public-{}",
                Path::new(b)
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
            )),
            None => site.join("public"),
        };
        let timings = build(&site, &out);
        let text = corpus::dir_bytes(&site.join("content"));
        let search = out.join("search");
        let part = |p: &str| corpus::dir_bytes(&search.join(p));
        let index = part("s")
            + part("b")
            + [
                "config.js",
                "topics.js",
                "fold.js",
                "alphabet.js",
                "quick.js",
            ]
            .iter()
            .map(|f| file_bytes(&search.join(f)))
            .sum::<u64>();
        let documents = part("x");
        println!(
            "\n{n} articles, {:.1} MB of article text (Markdown)",
            mb(text)
        );
        println!(
            "  index (postings, settings, topics, folding table, alphabet, quick index): {:.1} MB = {:.0}% of the text",
            mb(index),
            100.0 * index as f64 / text as f64
        );
        println!(
            "    postings {:.1} MB, quick index {:.1} MB",
            mb(part("s") + part("b")),
            mb(file_bytes(&search.join("quick.js")))
        );
        println!(
            "  document files (search/x: title, address, date, topic, section and plain text): {:.1} MB = {:.0}% of the text",
            mb(documents),
            100.0 * documents as f64 / text as f64
        );
        for line in timings {
            println!("  build: {line}");
        }
        let mut bytes = Vec::new();
        let mut kinds: [Vec<f64>; KINDS.len()] = Default::default();
        let mut from_start = Vec::new();
        let mut from_query = Vec::new();
        for q in QUERIES {
            let m = run_query(&browser, &out, q);
            println!(
                "  {q:<10} {:>6} results {:>8.0} KB {:>6.0} ms (query {:>5.0} ms)",
                m.results,
                m.bytes as f64 / 1024.0,
                m.total_ms,
                m.query_ms
            );
            bytes.push(m.bytes as f64 / 1024.0);
            for (all, b) in kinds.iter_mut().zip(m.kinds) {
                all.push(b as f64 / 1024.0);
            }
            from_start.push(m.total_ms);
            from_query.push(m.query_ms);
        }
        println!(
            "  bytes per query: median {:.0} KB, p95 {:.0} KB; cold query: median {:.0} ms from navigation ({:.0} ms from the query), p95 {:.0} ms",
            percentile(&bytes, 50.0),
            percentile(&bytes, 95.0),
            percentile(&from_start, 50.0),
            percentile(&from_query, 50.0),
            percentile(&from_start, 95.0)
        );
        for (name, all) in KINDS.iter().zip(&kinds) {
            println!(
                "    {name}: median {:.1} KB (largest {:.1} KB)",
                percentile(all, 50.0),
                percentile(all, 100.0)
            );
        }
    }
}

struct QueryMeasure {
    results: u64,
    bytes: u64,
    /// The same bytes by kind of file, in the order of [`KINDS`].
    kinds: [u64; KINDS.len()],
    total_ms: f64,
    query_ms: f64,
}

fn run_query(browser: &browser::Browser, out: &Path, query: &str) -> QueryMeasure {
    let mut page = browser.new_page().expect("tab");
    page.disable_cache().expect("no cache");
    page.add_init_script(PROBE).expect("probe");
    let url = format!(
        "{}?q={}",
        browser::file_url(&out.join("search/index.html")).expect("url"),
        encode(query)
    );
    page.goto(&url).expect("search page opens");
    page.wait_for(
        "window.__searchDone !== undefined",
        std::time::Duration::from_secs(60),
    )
    .expect("search finishes");
    let report = page
        .eval(
            "({done: window.__searchDone, started: window.gongduSearch && gongduSearch.lastQueryStarted,
               count: document.querySelectorAll('#search-results li').length,
               total: (window.gongduSearch && gongduSearch.lastCount) || 0,
               files: [...document.querySelectorAll('script[src]')].map(e => e.src).concat([...document.querySelectorAll('link[rel=stylesheet]')].map(e => e.href))})",
        )
        .expect("report");
    let files = report["files"].as_array().cloned().unwrap_or_default();
    let mut kinds = [0; KINDS.len()];
    kinds[0] = file_bytes(&out.join("search/index.html"));
    for f in files {
        if let Some(path) = f.as_str().and_then(|u| u.strip_prefix("file://")) {
            let path = decode(path.split('?').next().unwrap_or(path));
            let site_path = Path::new(&path)
                .strip_prefix(out)
                .unwrap_or(Path::new(&path));
            kinds[kind(site_path)] += file_bytes(Path::new(&path));
        }
    }
    let bytes = kinds.iter().sum();
    let done = report["done"].as_f64().unwrap_or(f64::NAN);
    let started = report["started"].as_f64().unwrap_or(0.0);
    QueryMeasure {
        results: report["total"].as_u64().unwrap_or(0),
        bytes,
        kinds,
        total_ms: done,
        query_ms: done - started,
    }
}

/// What a query's bytes are spent on, reported apart to show which part a change moved.
const KINDS: [&str; 6] = [
    "page",
    "styles",
    "scripts",
    "search settings, tokenizer, folding table, alphabet",
    "postings",
    "document files",
];

/// Which of [`KINDS`] the file at `path` (relative to the site's root) is.
fn kind(path: &Path) -> usize {
    let name = path.to_string_lossy();
    if name.ends_with(".css") {
        1
    } else if name.starts_with("search/s/") || name.starts_with("search/b/") {
        4
    } else if name.starts_with("search/x/") {
        5
    } else if name.starts_with("search/") {
        3
    } else if name.ends_with(".html") {
        0
    } else {
        2
    }
}

/// Builds twice (the second is timed) and returns the `--timings` lines.
fn build(site: &Path, out: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    for _ in 0..2 {
        let binary = std::env::var_os("GONGDU_BENCH_BINARY")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_gongdu").into());
        let output = Command::new(binary)
            .args(["build", "--timings", "--root"])
            .arg(site)
            .arg("--output")
            .arg(out)
            .output()
            .expect("gongdu runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        lines = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
    }
    lines
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn file_bytes(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
