//! ZIM benchmark: builds generated corpora of 1,000 and 10,000 articles (`GONGDU_BENCH_SIZES`
//! to choose; knowledge-base features and search on, as a learning centre would ship them),
//! then times `gongdu mirror zim` on the built folder and reports the ZIM's size and time
//! beside the learning centres' other package of the same folder, `gongdu mirror pack`'s zip
//! (unsigned, no precompressed twins; deflate per file), and the folder itself.
//!
//!     cargo bench --bench zim

#[path = "support/corpus.rs"]
mod corpus;

use std::time::{Duration, Instant};

use gongdu::build::{self, BuildOptions};
use gongdu::mirror::package::{self, PackOptions, Precompress};
use gongdu::mirror::zim::{self, ZimOptions};

const RUNS: usize = 3;

fn main() {
    let sizes = corpus::sizes();
    let work = corpus::work_dir("bench-zim");
    println!("gongdu mirror zim benchmark: {RUNS} runs, median (min–max) wall time");
    println!(
        "{:>8} {:>7} {:>10} {:>9} {:>17} {:>9} {:>8} {:>7}",
        "articles", "files", "folder MB", "ZIM MB", "ZIM s", "pack MB", "pack s", "ZIM/pack"
    );
    for n in sizes {
        let site = corpus::prepare(
            &work,
            n,
            "title: 基准知识库\nbase_url: https://example.org/\n",
            corpus::Knowledge::Linked,
            "v1",
        );
        let public = site.join("public");
        let mut options = BuildOptions::new(&site);
        options.output = Some(public.clone());
        let built = build::build(&options, None).expect("the corpus builds");
        let folder_mb = corpus::dir_bytes(&public) as f64 / 1e6;

        let to = work.join(format!("n{n}.zim"));
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            zim::write_site(&public, &to, &ZimOptions::default()).expect("writes the ZIM");
            times.push(started.elapsed());
        }
        let zim_mb = std::fs::metadata(&to).expect("zim").len() as f64 / 1e6;

        let zip = work.join(format!("n{n}.zip"));
        let _ = std::fs::remove_file(&zip);
        let started = Instant::now();
        let options = PackOptions {
            key: None,
            precompress: Precompress::No,
        };
        let packed = package::pack(&public, &zip, &options).expect("mirror pack");
        let zip_time = started.elapsed();
        let zip_mb = packed.zip_bytes as f64 / 1e6;

        times.sort();
        println!(
            "{n:>8} {:>7} {folder_mb:>10.1} {zim_mb:>9.1} {:>17} {zip_mb:>9.1} {:>8.1} {:>7.2}",
            built.files,
            format!(
                "{:.1} ({:.1}–{:.1})",
                secs(times[RUNS / 2]),
                secs(times[0]),
                secs(times[RUNS - 1])
            ),
            secs(zip_time),
            zim_mb / zip_mb
        );
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
