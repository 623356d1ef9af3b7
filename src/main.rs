//! The `gongdu` command: parses arguments and hands over to the library.

fn main() -> std::process::ExitCode {
    gongdu::cli::main()
}
