//! `gongdu explain CODE`: what a diagnostic code means and how to fix it, like
//! `rustc --explain`; without a code, every code with its message.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{LangArg, exit, lang};
use crate::diagnostic::{self, CODES, Code};

#[derive(Args, Debug)]
pub(super) struct ExplainArgs {
    /// The code printed in brackets after 错误 or 警告, such as GD0102 (or just 0102).
    code: Option<String>,
    /// The language of the page: zh-CN or en (default: the site's, else zh-CN).
    #[arg(long, value_enum, value_name = "LANG")]
    lang: Option<LangArg>,
    /// The site's folder, whose site.yaml names the language.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

pub(super) fn run(args: ExplainArgs) -> ExitCode {
    let lang = lang(args.lang, &args.root);
    let Some(written) = args.code else {
        for e in CODES {
            out!("{}  {}", e.id, e.message.get(lang));
        }
        return ExitCode::SUCCESS;
    };
    match Code::from_id(&written) {
        Some(code) => {
            out!("{}", diagnostic::explain(code, lang));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "{}",
                match lang {
                    diagnostic::Lang::En => format!(
                        "error: `{written}` is not a gongdu diagnostic code; `gongdu explain` lists them"
                    ),
                    diagnostic::Lang::ZhCn => format!(
                        "错误：`{written}` 不是 gongdu 的诊断代码；运行 `gongdu explain` 可列出全部代码"
                    ),
                }
            );
            ExitCode::from(exit::USAGE)
        }
    }
}
