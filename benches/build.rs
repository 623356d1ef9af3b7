//! Full-build benchmark: generates deterministic Chinese corpora (1,000 and 10,000 articles by
//! default; `GONGDU_BENCH_SIZES=1000,10000` to choose; `GONGDU_BENCH_DIR` says where, and a
//! tmpfs there keeps disk noise out) and times `gongdu build` on each as a whole process,
//! reporting the median wall time and the peak memory (max RSS) of the runs.
//!
//!     cargo bench --bench build
//!     GONGDU_BENCH_BINS=before=/tmp/gongdu-old,after=target/profiling/gongdu cargo bench --bench build
//!
//! With `GONGDU_BENCH_BINS` the programs take turns on the same corpus (run i of each before
//! run i+1 of any), one row per program, for before/after comparisons.
//!
//! Two cases: a first build into an empty folder, and a rebuild of the same site over its
//! previous output (unchanged files are compared, not rewritten). Timing goals live here,
//! never in tests. The corpus is in the page cache after generation.
//!
//! The corpus is generated with the knowledge-base features on (`corpus::Knowledge::Linked`):
//! three wikilinks per article, a glossary whose terms recur in every article, a study path.

#[path = "support/corpus.rs"]
mod corpus;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Timed runs per program and case (`GONGDU_BENCH_RUNS`, default 3).
fn runs() -> usize {
    std::env::var("GONGDU_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
}

fn main() {
    let sizes = corpus::sizes();
    let work = corpus::work_dir("bench-build");
    println!(
        "gongdu build benchmark: {} timed runs after one warm-up, median reported",
        runs()
    );
    println!(
        "{:>8} {:>8} {:>8} {:>8} {:>12} {:>9} {:>7}",
        "articles", "build", "MB text", "wall s", "(min–max)", "peak MiB", "pages"
    );
    let bins = corpus::binaries();
    for n in sizes {
        let site = corpus::prepare(
            &work,
            n,
            // Search has its own benchmark (benches/search.rs); this one times the site itself.
            "title: 基准知识库\nbase_url: https://example.org/\npagination:\n  page_size: 10\nsearch:\n  enabled: false\n",
            corpus::Knowledge::Linked,
            "v5",
        );
        let text_mb = corpus::dir_bytes(&site.join("content")) as f64 / 1e6;
        let public = |b: usize| site.join(format!("public-{b}"));
        let first_dir = |b: usize, i: usize| work.join(format!("first-{n}-{b}-{i}"));
        let mut firsts: Vec<Vec<Measure>> = bins.iter().map(|_| Vec::new()).collect();
        let mut rebuilds: Vec<Vec<Measure>> = bins.iter().map(|_| Vec::new()).collect();
        for (b, (_, bin)) in bins.iter().enumerate() {
            let _ = run(bin, &site, &public(b)); // warm-up; also the output the rebuilds update
        }
        for i in 0..runs() {
            for (b, (_, bin)) in bins.iter().enumerate() {
                rebuilds[b].push(run(bin, &site, &public(b)));
                firsts[b].push(run(bin, &site, &first_dir(b, i)));
                let _ = std::fs::remove_dir_all(first_dir(b, i));
            }
        }
        for (b, (label, _)) in bins.iter().enumerate() {
            if bins.len() > 1 {
                println!("{label}:");
            }
            report(n, "first", text_mb, std::mem::take(&mut firsts[b]));
            report(n, "rebuild", text_mb, std::mem::take(&mut rebuilds[b]));
        }
    }
}

fn report(n: usize, label: &str, text_mb: f64, mut runs: Vec<Measure>) {
    runs.sort_by_key(|m| m.wall);
    let median = &runs[runs.len() / 2];
    let spread = format!(
        "{:.2}–{:.2}",
        runs[0].wall.as_secs_f64(),
        runs[runs.len() - 1].wall.as_secs_f64()
    );
    let peak = runs.iter().map(|m| m.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
    println!(
        "{n:>8} {label:>8} {text_mb:>8.1} {:>8.2} {spread:>12} {peak:>9.0} {:>7}",
        median.wall.as_secs_f64(),
        median.pages
    );
    for line in &median.stages {
        println!("{:>18}{line}", "");
    }
}

struct Measure {
    wall: Duration,
    peak_kib: i64,
    pages: String,
    stages: Vec<String>,
}

fn run(bin: &Path, site: &Path, output: &Path) -> Measure {
    let started = Instant::now();
    // Reaped below with wait4, which std's Child cannot do but which reports peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(bin)
        .args(["build", "--timings", "--root"])
        .arg(site)
        .arg("--output")
        .arg(output)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gongdu starts");
    let pid = child.id() as libc::pid_t;
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.expect("piped"), &mut stdout).expect("read");
    let mut status = 0;
    // SAFETY: rusage is plain data; all-zero is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child; status and usage are valid for writes.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    let ok = waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    assert!(ok, "build failed:\n{stdout}");
    Measure {
        wall,
        peak_kib: usage.ru_maxrss,
        pages: stdout.split_whitespace().nth(1).unwrap_or("?").to_owned(),
        stages: stdout.lines().skip(1).map(str::to_owned).collect(),
    }
}
