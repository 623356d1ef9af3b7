//! `gongdu mirror …` as the command line sees it: clap arguments and the printed summary.
//! The work itself is in the library functions it calls.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::zim::{self, ZimOptions};

/// Exit code when the output could not be written (the CLI's `exit::IO`).
const EXIT_IO: u8 = 3;
/// Exit code when the command line was wrong (the CLI's `exit::USAGE`).
const EXIT_USAGE: u8 = 2;

#[derive(Subcommand, Debug)]
pub enum MirrorCommand {
    /// Write a built site folder as one ZIM file for Kiwix (desktop, Android, kiwix-serve).
    Zim(ZimArgs),
    /// Serve a built site folder or a mirror package (.zip) read-only to the centre's LAN.
    Serve(super::lan::ServeArgs),
    #[command(flatten)]
    Package(super::package::command::PackageCommand),
}

#[derive(Args, Debug)]
pub struct ZimArgs {
    /// The built site folder (the output of `gongdu build`, normally public/).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The ZIM file to write.
    #[arg(long, value_name = "FILE.zim")]
    to: PathBuf,
    /// The book's title in the reader's library (default: the home page's title).
    #[arg(long)]
    title: Option<String>,
    /// One line about the book (default: the home page's description).
    #[arg(long)]
    description: Option<String>,
    /// Who wrote the content (default: the site's title).
    #[arg(long)]
    creator: Option<String>,
    /// Who made the file (default: gongdu).
    #[arg(long)]
    publisher: Option<String>,
    /// A unique book name such as gongdu_zh_gonghui (default: from the title's pinyin).
    #[arg(long)]
    name: Option<String>,
    /// The book's date, YYYY-MM-DD (default: the newest date of the site's feed).
    #[arg(long)]
    date: Option<String>,
    /// A PNG for the reader's library, scaled to 48×48 (default: the site's logo.png, else a
    /// mark drawn from the title).
    #[arg(long, value_name = "FILE.png")]
    illustration: Option<PathBuf>,
}

pub fn run(command: MirrorCommand) -> ExitCode {
    match command {
        MirrorCommand::Zim(args) => run_zim(args),
        MirrorCommand::Serve(args) => super::lan::run_command(args),
        MirrorCommand::Package(command) => super::package::command::run(command),
    }
}

fn run_zim(args: ZimArgs) -> ExitCode {
    let options = ZimOptions {
        name: args.name,
        title: args.title,
        description: args.description,
        creator: args.creator,
        publisher: args.publisher,
        date: args.date,
        illustration: args.illustration,
    };
    match zim::write_site(&args.dir, &args.to, &options) {
        Ok(report) => {
            for path in &report.skipped_empty {
                eprintln!(
                    "warning: {path}: empty file left out (ZIM readers reject empty entries)"
                );
            }
            println!(
                "wrote {} ({} pages, {} redirects, {} entries in {} clusters, {} bytes)",
                args.to.display(),
                report.pages,
                report.redirects,
                report.written.entries,
                report.written.clusters,
                report.written.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(match e {
                zim::ZimError::BadDate(_) | zim::ZimError::BadIllustration { .. } => EXIT_USAGE,
                _ => EXIT_IO,
            })
        }
    }
}
