//! The `gongdu` command: parses arguments and hands over to the library.

// Rendering allocates many small values; mimalloc is measurably faster than the system
// allocator for that pattern (see the benchmark notes in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // No transparent huge pages for this process: mimalloc asks for them on its arenas, and
    // the kernel then zeroes 2 MiB at the first touch of any byte in one. Without them a
    // 1,000-article build takes 8 % less CPU and a 10,000-article build 16 % less memory
    // (docs/performance.md). A kernel without the setting simply keeps its default.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    gongdu::cli::main()
}
