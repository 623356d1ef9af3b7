//! Full-build benchmark: generates deterministic Chinese corpora (1,000 and 10,000 articles by
//! default; `GONGDU_BENCH_SIZES=1000,10000` to choose; `GONGDU_BENCH_DIR` says where, and a
//! tmpfs there keeps disk noise out) and times `gongdu build` on each as a whole process,
//! reporting the median wall time and the peak memory (max RSS) of the runs.
//!
//!     cargo bench --bench build
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

const RUNS: usize = 3;

fn main() {
    let sizes = corpus::sizes();
    let work = corpus::work_dir("bench-build");
    println!("gongdu build benchmark: {RUNS} timed runs after one warm-up, median reported");
    println!(
        "{:>8} {:>8} {:>8} {:>8} {:>12} {:>9} {:>7}",
        "articles", "build", "MB text", "wall s", "(min–max)", "peak MiB", "pages"
    );
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
        let public = site.join("public");
        let _ = run(&site, &public); // warm-up; also the output the rebuilds update
        let rebuilds: Vec<Measure> = (0..RUNS).map(|_| run(&site, &public)).collect();
        let first_dir = |i: usize| work.join(format!("first-{n}-{i}"));
        let firsts: Vec<Measure> = (0..RUNS).map(|i| run(&site, &first_dir(i))).collect();
        for i in 0..RUNS {
            let _ = std::fs::remove_dir_all(first_dir(i));
        }
        for (label, runs) in [("first", firsts), ("rebuild", rebuilds)] {
            report(n, label, text_mb, runs);
        }
    }
}

fn report(n: usize, label: &str, text_mb: f64, mut runs: Vec<Measure>) {
    runs.sort_by_key(|m| m.wall);
    let median = &runs[RUNS / 2];
    let spread = format!(
        "{:.2}–{:.2}",
        runs[0].wall.as_secs_f64(),
        runs[RUNS - 1].wall.as_secs_f64()
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

fn run(site: &Path, output: &Path) -> Measure {
    let started = Instant::now();
    // Reaped below with wait4, which std's Child cannot do but which reports peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_gongdu"))
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
