//! The `gongdu` command: parses arguments and hands over to the library.

// Rendering allocates many small values; mimalloc is measurably faster than the system
// allocator for that pattern (see the benchmark notes in docs/performance.md). Built with
// `no_thp`: mimalloc no longer asks the kernel for transparent huge pages, which each cost 2 MiB
// of zeroed memory however little of them is used (peak 573 → 504 MB at 10,000 articles,
// 177 → 116 MB at 1,000, for about 1 % of the time at 10,000 and 4 % at 1,000).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gongdu::cli::main()
}
