//! `gongdu import`: copied, scraped or scanned articles → clean Markdown in a folder. Prints
//! the report on stderr (or as JSON on stdout with `--format json`); the work is
//! `crate::import`'s.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::check::Format;
use super::exit;
use crate::import::{self, ImportOptions, Overwrite};

#[derive(Args, Debug)]
pub(super) struct ImportArgs {
    /// Files or folders to import: `.txt` copied text, `.html`/`.htm` saved pages, `.md`
    /// articles (cleaned again, front matter kept).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The folder to write the articles into (created if needed), e.g. content/union.
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    /// Replace files that already exist in DIR.
    #[arg(long)]
    force: bool,
    /// `text` on stderr for people, `json` on stdout for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Exit codes: 0 every article written; 1 an input could not be read (the others are
/// written); 3 a file exists (nothing written) or could not be written.
pub(super) fn run(args: ImportArgs) -> ExitCode {
    let options = ImportOptions {
        inputs: args.inputs,
        to: args.to,
        overwrite: if args.force {
            Overwrite::Force
        } else {
            Overwrite::Never
        },
    };
    let report = match import::import(&options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(exit::IO);
        }
    };
    match args.format {
        Format::Json => out!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report is plain data")
        ),
        Format::Text => eprint!("{}", report.to_text()),
    }
    if !report.refused.is_empty() {
        ExitCode::from(exit::IO)
    } else if !report.inputs_ok() {
        ExitCode::from(exit::SITE_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}
