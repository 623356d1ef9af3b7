//! Import throughput: a large messy corpus is imported by `gongdu import` as a whole process,
//! and the input megabytes per second are reported (median of three runs after a warm-up).
//!
//!     cargo bench --bench import                      # 2,000 articles
//!     GONGDU_BENCH_SIZES=500,5000 cargo bench --bench import
//!
//! The clean articles come from the shared generator `gen_corpus.py` (`GONGDU_GEN_CORPUS`
//! names it; by default ../shared/bench/gen_corpus.py beside the repository) and, when it is
//! not there, from benches/support/corpus.rs. A seeded mess-maker then turns each one into
//! what editors receive: Traditional script (by inverting OpenCC's character table), pinyin
//! glosses, lines broken at 24 characters like a PDF, half-width punctuation, a repeated
//! paragraph, breadcrumbs, a 来源 line and a footer. Same seed, same bytes.

// Only the generator and its random numbers are used here, not the site preparation.
#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use corpus::Rng;

const RUNS: usize = 3;
const TS_CHARACTERS: &str = include_str!("../src/search/opencc/TSCharacters.txt");

fn main() {
    let sizes: Vec<usize> = std::env::var("GONGDU_BENCH_SIZES")
        .unwrap_or_else(|_| "2000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-import");
    println!("gongdu import benchmark: {RUNS} timed runs after one warm-up, median reported");
    println!(
        "{:>8} {:>9} {:>8} {:>8} {:>8}",
        "articles", "MB input", "wall s", "MB/s", "files"
    );
    for n in sizes {
        let messy = prepare(&work, n);
        let mb = dir_bytes(&messy) as f64 / 1e6;
        let out = work.join(format!("out-{n}"));
        let mut walls: Vec<Duration> = (0..=RUNS).map(|_| run(&messy, &out)).collect();
        walls.remove(0); // warm-up
        walls.sort();
        let median = walls[RUNS / 2].as_secs_f64();
        let files = std::fs::read_dir(&out).map_or(0, Iterator::count);
        println!(
            "{n:>8} {mb:>9.1} {median:>8.2} {:>8.2} {files:>8}",
            mb / median
        );
    }
}

fn run(messy: &Path, out: &Path) -> Duration {
    let _ = std::fs::remove_dir_all(out);
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args([
            "import",
            &messy.to_string_lossy(),
            "--to",
            &out.to_string_lossy(),
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("gongdu runs");
    assert!(status.success(), "import failed");
    started.elapsed()
}

/// The messy corpus for `n` articles, made once and kept.
fn prepare(work: &Path, n: usize) -> PathBuf {
    let messy = work.join(format!("messy-{n}-v2"));
    if messy.exists() {
        return messy;
    }
    let clean = work.join(format!("clean-{n}"));
    let _ = std::fs::remove_dir_all(&clean);
    let generated = corpus::gen_corpus(&clean, n);
    if !generated {
        corpus::generate(&clean, n, 1).expect("corpus");
    }
    let tmp = work.join(format!("messy-{n}-tmp"));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("bench folder");
    let mut maker = MessMaker::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&clean)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    files.sort();
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).expect("generated article");
        std::fs::write(tmp.join(format!("{i:05}.txt")), maker.mess(&text)).expect("messy article");
    }
    std::fs::rename(&tmp, &messy).expect("messy corpus");
    messy
}

/// Turns a clean Markdown article into copied-from-the-web text, deterministically.
struct MessMaker {
    rng: Rng,
    traditional: HashMap<char, char>,
}

impl MessMaker {
    fn new() -> MessMaker {
        // Only simplified characters with a single traditional form are made traditional:
        // inverting an ambiguous one (台 ← 臺 檯 颱) would pick a rare variant.
        let mut sources: HashMap<char, Vec<char>> = HashMap::new();
        for line in TS_CHARACTERS.lines().filter(|l| !l.starts_with('#')) {
            let Some((t, s)) = line.split_once('\t') else {
                continue;
            };
            let (Some(t), Some(s)) = (t.chars().next(), s.chars().next()) else {
                continue;
            };
            if t != s {
                sources.entry(s).or_default().push(t);
            }
        }
        let traditional = sources
            .into_iter()
            .filter(|(_, t)| t.len() == 1)
            .map(|(s, t)| (s, t[0]))
            .collect();
        MessMaker {
            rng: Rng::new(7),
            traditional,
        }
    }

    fn mess(&mut self, markdown: &str) -> String {
        let (title, paragraphs) = article_text(markdown);
        let traditional = self.rng.chance(50);
        let mut out = format!(
            "首页 > 新闻中心 > 正文\n{title}\n来源：工人日报 作者：张明 浏览：{}次 发表时间：2024-05-08\n【字号：大 中 小】\n",
            self.rng.below(9000)
        );
        for (i, p) in paragraphs.iter().enumerate() {
            let mut p = p.replace('，', if self.rng.chance(30) { "," } else { "，" });
            if self.rng.chance(20) {
                p = p.replacen('工', "工(gōng)", 1);
            }
            if traditional {
                p = p
                    .chars()
                    .map(|c| self.traditional.get(&c).copied().unwrap_or(c))
                    .collect();
            }
            out.push_str(&pdf_lines(&p));
            if i == 1 {
                out.push_str(&pdf_lines(&p)); // printed twice
            }
        }
        out.push_str("扫一扫 关注微信公众号\n版权所有 © 2024 某市总工会 京ICP备00000000号-1\n");
        out
    }
}

/// The title and the plain paragraphs of a generated article (lists, headings, code dropped).
fn article_text(markdown: &str) -> (String, Vec<String>) {
    let mut title = String::new();
    let mut paragraphs = Vec::new();
    let mut in_front = false;
    for line in markdown.lines() {
        if line == "---" {
            in_front = !in_front;
            continue;
        }
        if in_front {
            if let Some(t) = line.strip_prefix("title: ") {
                title = t.trim_matches('"').to_owned();
            }
            continue;
        }
        let line = line.trim();
        let plain =
            !line.is_empty() && !line.starts_with(['#', '-', '*', '>', '`', '|', '[', '!', '1']);
        if plain && line.chars().count() > 30 {
            paragraphs.push(line.to_owned());
        }
    }
    (title, paragraphs)
}

/// An indented paragraph broken every 24 characters.
fn pdf_lines(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::from("\u{3000}\u{3000}");
    for (i, chunk) in chars.chunks(24).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.extend(chunk);
    }
    out.push('\n');
    out
}

fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum()
}
