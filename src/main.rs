//! The `gongdu` command: parses arguments and hands over to the library.

// Rendering allocates many small values; mimalloc is measurably faster than the system
// allocator for that pattern (see the benchmark notes in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gongdu::cli::main()
}
