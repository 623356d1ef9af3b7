//! `gongdu new site` and `gongdu new article`: create a working site or article from the
//! scaffold and say what to do next.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::exit;
use crate::scaffold;

#[derive(Subcommand, Debug)]
pub(super) enum NewCommand {
    /// Create a new site in DIR (which must not exist or be empty), ready to build.
    Site {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Create an article at PATH under content/ (for example productivity/my-note.md).
    Article {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The article's title (标题).
        #[arg(long)]
        title: String,
        /// The site's folder.
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
}

pub(super) fn run(command: NewCommand) -> ExitCode {
    match command {
        NewCommand::Site { dir } => report_created(scaffold::new_site(&dir)),
        NewCommand::Article { path, title, root } => {
            report_created(scaffold::new_article(&root, &path, &title))
        }
    }
}

fn report_created(result: Result<scaffold::Created, scaffold::ScaffoldError>) -> ExitCode {
    match result {
        Ok(created) => {
            for path in &created.files {
                out!("created {}", path.display());
            }
            out!("{}", created.next_step);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", crate::diagnostic::printable(&e.to_string()));
            ExitCode::from(match e {
                scaffold::ScaffoldError::Io { .. } => exit::IO,
                _ => exit::USAGE,
            })
        }
    }
}
