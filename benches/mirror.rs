//! Mirror package benchmark: builds generated corpora of 1,000 and 10,000 articles
//! (`GONGDU_BENCH_SIZES` to choose; knowledge-base features and search on, as a learning
//! centre would get them), times `mirror pack` and reports the package's size; then edits one
//! article, rebuilds, and reports the update pack's size against the full package, with what
//! the pack holds by kind of file (the article, listings, feeds, search files, the rest).
//!
//!     cargo bench --bench mirror

#[path = "support/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongdu::build::{self, BuildOptions};
use gongdu::mirror::package::{self, PackOptions, Precompress};

const RUNS: usize = 3;

fn main() {
    let work = corpus::work_dir("bench-mirror");
    println!("gongdu mirror pack/update benchmark: {RUNS} runs, median (min–max) wall time");
    for n in corpus::sizes() {
        let site = corpus::prepare(
            &work,
            n,
            "title: 基准知识库\nbase_url: https://example.org/\n",
            corpus::Knowledge::Linked,
            "v1",
        );
        let public = build_into(&site, "public");
        let full = work.join(format!("n{n}.zip"));
        let options = PackOptions {
            key: None,
            precompress: Precompress::No,
        };
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..RUNS {
            let started = Instant::now();
            report = Some(package::pack(&public, &full, &options).expect("packs"));
            times.push(started.elapsed());
        }
        let report = report.expect("ran");
        times.sort();
        println!(
            "{n:>6} articles: {} files, site {:.1} MB, package {:.1} MB, pack {}",
            report.files,
            report.site_bytes as f64 / 1e6,
            report.zip_bytes as f64 / 1e6,
            spread(&times)
        );
        update_for_one_edit(&work, &site, &full, report.zip_bytes);
    }
}

fn build_into(site: &Path, name: &str) -> PathBuf {
    let out = site.join(name);
    let mut options = BuildOptions::new(site);
    options.output = Some(out.clone());
    build::build(&options, None).expect("the corpus builds");
    out
}

/// Edits one article in a copy of the content, builds it, and measures the update pack.
fn update_for_one_edit(work: &Path, site: &Path, full: &Path, full_bytes: u64) {
    let article = first_article(&site.join("content"));
    let original = std::fs::read_to_string(&article).expect("article");
    std::fs::write(
        &article,
        format!("{original}\n这一段是为基准测试新加的一句话。\n"),
    )
    .expect("edit");
    let edited = build_into(site, "public-edited");
    std::fs::write(&article, original).expect("restore");
    let pack = work.join("update.zip");
    let started = Instant::now();
    let report = package::update(full, &edited, &pack, None).expect("update pack");
    let took = started.elapsed();
    println!(
        "        one edited article: {} files changed, {} deleted, pack {:.1} KB = {:.2}% of the package (made in {:.1} s)",
        report.changed,
        report.deleted,
        report.pack_bytes as f64 / 1e3,
        100.0 * report.pack_bytes as f64 / full_bytes as f64,
        took.as_secs_f64()
    );
    for (kind, (files, bytes)) in pack_contents(&pack) {
        println!(
            "          {kind:<10} {files:>6} files {:>10.1} KB compressed",
            bytes as f64 / 1e3
        );
    }
}

fn first_article(content: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "_index.md")
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found.into_iter().next().expect("an article")
}

/// The pack's entries by kind, with their compressed sizes.
fn pack_contents(pack: &Path) -> BTreeMap<&'static str, (usize, u64)> {
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(pack).expect("pack")).expect("a zip");
    let mut kinds = BTreeMap::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).expect("entry");
        let name = entry.name().expect("a name").into_owned();
        let kind = match name.strip_prefix("files/") {
            None => "manifests",
            Some(p) if p.starts_with("search/") => "search",
            Some(p) if p.ends_with(".xml") => "feeds",
            Some(p)
                if p == "index.html"
                    || p.contains("/page/")
                    || p.starts_with("topics/")
                    || p.starts_with("tags/")
                    || p.starts_with("authors/") =>
            {
                "listings"
            }
            Some(_) => "pages",
        };
        let slot = kinds.entry(kind).or_insert((0, 0));
        slot.0 += 1;
        slot.1 += entry.compressed_size();
    }
    kinds
}

fn spread(times: &[Duration]) -> String {
    format!(
        "{:.1} s ({:.1}–{:.1})",
        times[times.len() / 2].as_secs_f64(),
        times[0].as_secs_f64(),
        times[times.len() - 1].as_secs_f64()
    )
}
