//! `gongdu check`: compiles the site without writing it, warns about links an offline mirror
//! cannot follow, and prints every problem as text or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{LangArg, drafts, exit, lang, without_dot};
use crate::build::{self, BuildOptions, ExternalLinks, SpamGuard};
use crate::diagnostic;

#[derive(Args, Debug)]
pub(super) struct CheckArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// `text` for people, `json` for tools (the schema is in docs/commands.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Check articles marked `draft: true` too.
    #[arg(long)]
    drafts: bool,
    /// The language of the diagnostics: zh-CN or en (default: the site's `language:`).
    #[arg(long, value_enum, value_name = "LANG")]
    lang: Option<LangArg>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Text,
    Json,
}

pub(super) fn run(args: CheckArgs) -> ExitCode {
    let lang = lang(args.lang, &args.root);
    let mut options = BuildOptions::new(without_dot(args.root));
    options.external = ExternalLinks::Warn;
    options.spam = SpamGuard::Deny;
    options.drafts = drafts(args.drafts);
    let mut diagnostics = match build::compile(&options) {
        Ok(site) => site.warnings,
        Err(found) => found,
    };
    diagnostic::sort(&mut diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match args.format {
        Format::Json => out!("{}", crate::check::json_report(&diagnostics, lang)),
        Format::Text => {
            eprint!("{}", diagnostic::report_in(&diagnostics, lang));
            let warnings = diagnostics.len() - errors;
            match lang {
                diagnostic::Lang::En => {
                    out!("checked: {errors} error(s), {warnings} warning(s)")
                }
                diagnostic::Lang::ZhCn => out!("检查完毕：{errors} 个错误，{warnings} 个警告"),
            }
        }
    }
    if errors > 0 {
        ExitCode::from(exit::SITE_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}
