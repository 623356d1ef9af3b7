//! The command line: parses arguments with clap, runs the library, prints diagnostics and a
//! summary, and turns the outcome into an exit code scripts can rely on.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Prints to stdout, ignoring a closed pipe (`gongdu build | head -1`) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod build;
mod check;
mod explain;
mod import;
mod new;
mod serve;

use crate::build::Drafts;
use crate::diagnostic::Lang;

/// Exit codes: 0 success; 1 the site has errors (each one printed as file:line:column);
/// 2 the command line was wrong; 3 the output or a file could not be written.
pub(crate) mod exit {
    pub(crate) const SITE_ERRORS: u8 = 1;
    pub(crate) const USAGE: u8 = 2;
    pub(crate) const IO: u8 = 3;
}

#[derive(Parser, Debug)]
#[command(
    name = "gongdu",
    version,
    about = "gongdu (工读): build a Chinese study knowledge base from Markdown into a static site that also works offline.",
    long_about = "gongdu (工读) turns a folder of Markdown study articles (content/) and a theme into a static \
website that also works when opened from a USB stick (file://).\n\n\
Start a new site:       gongdu new site 学习站\n\
Add an article:         gongdu new article productivity/my-note.md --title 我的学习笔记\n\
Preview it as you write: gongdu serve\n\
Build it into public/:  gongdu build\n\
Check links and anchors: gongdu check\n\
Import copied articles:  gongdu import 文章.txt --to content/union\n\
Explain an error code:   gongdu explain GD0102\n\n\
Diagnostics are printed in the site's language (`language:` in site.yaml, zh-CN unless it says en); \
--lang en or --lang zh-CN chooses.\n\n\
Exit codes: 0 success, 1 the site has errors (each printed as file:line:column), 2 wrong command line, \
3 could not write the output.",
    after_help = "Run `gongdu <command> --help` for the options of each command."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into its output folder (public/ unless site.yaml says otherwise). 构建站点
    Build(build::BuildArgs),
    /// Preview the site at http://127.0.0.1:1111/, rebuilding and reloading on every save. 预览
    Serve(serve::ServeArgs),
    /// Check links, heading anchors, wikilinks and images without writing anything; also warn
    /// about links and images an offline mirror cannot follow. 检查
    Check(check::CheckArgs),
    /// Create a new site or article from a working template. 新建站点或文章
    #[command(subcommand)]
    New(new::NewCommand),
    /// Turn copied, scraped or scanned articles (.txt, .html) into clean Markdown with front
    /// matter, reporting every change. 导入文章
    Import(import::ImportArgs),
    /// Offline copies of a built site: signed packages and update packs for learning centres, or a
    /// ZIM file for Kiwix. 离线镜像
    #[command(subcommand)]
    Mirror(crate::mirror::MirrorCommand),
    /// Explain a diagnostic code (GD0102) and how to fix it; without a code, list them all. 解释错误代码
    Explain(explain::ExplainArgs),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Check(args) => check::run(args),
        Command::New(command) => new::run(command),
        Command::Import(args) => import::run(args),
        Command::Mirror(command) => crate::mirror::run(command),
        Command::Explain(args) => explain::run(args),
    }
}

/// The languages diagnostics can be printed in.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum LangArg {
    #[value(name = "zh-CN", alias = "zh")]
    ZhCn,
    En,
}

/// `--lang` if given, else the language site.yaml under `root` names (zh-CN by default).
fn lang(flag: Option<LangArg>, root: &Path) -> Lang {
    match flag {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::ZhCn) => Lang::ZhCn,
        None => crate::config::language_of(root),
    }
}

/// `.` as an empty path, so that files are shown as `content/a.md`, not `./content/a.md`.
fn without_dot(root: PathBuf) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::new()
    } else {
        root
    }
}

/// `--drafts` as the setting it asks for.
fn drafts(flag: bool) -> Drafts {
    if flag {
        Drafts::Include
    } else {
        Drafts::Exclude
    }
}
