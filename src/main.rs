//! The `gongdu` command: parses arguments and hands over to the library.

// Rendering allocates many small values; mimalloc is measurably faster than the system
// allocator for that pattern (see the benchmark notes in docs/performance.md). Built with
// `no_thp`: mimalloc no longer asks the kernel for transparent huge pages, which each cost 2 MiB
// of zeroed memory however little of them is used (peak 558 → 492 MiB at 10,000 articles,
// 173 → 112 MiB at 1,000, for no time at 10,000 and 4 % at 1,000; docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gongdu::cli::main()
}
