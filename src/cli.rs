//! The command line: parses arguments with clap, runs the library, prints diagnostics and a
//! summary, and turns the outcome into an exit code scripts can rely on.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Prints to stdout, ignoring a closed pipe (`gongdu build | head -1`) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

use crate::build::{self, BuildError, BuildOptions, Drafts};
use crate::diagnostic;
use crate::output::Overwrite;
use crate::scaffold;

/// Exit codes: 0 success; 1 the site has errors (each one printed as file:line:column);
/// 2 the command line was wrong; 3 the output or a file could not be written.
pub mod exit {
    pub const SITE_ERRORS: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const IO: u8 = 3;
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
Check links and anchors: gongdu check\n\n\
Exit codes: 0 success, 1 the site has errors (each printed as file:line:column), 2 wrong command line, \
3 could not write the output.",
    after_help = "Run `gongdu <command> --help` for the options of each command."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into its output folder (public/ unless site.yaml says otherwise). 构建站点
    Build(BuildArgs),
    /// Preview the site at http://127.0.0.1:1111/, rebuilding and reloading on every save. 预览
    Serve(ServeArgs),
    /// Check links, heading anchors, wikilinks and images without writing anything; also warn
    /// about links and images an offline mirror cannot follow. 检查
    Check(CheckArgs),
    /// Create a new site or article from a working template. 新建站点或文章
    #[command(subcommand)]
    New(NewCommand),
    /// Package a built site for offline readers (a ZIM file for Kiwix). 离线镜像
    #[command(subcommand)]
    Mirror(crate::mirror::MirrorCommand),
}

#[derive(Args, Debug)]
struct BuildArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Where to write the site (default: `output` in site.yaml, normally public/ under the root).
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// The absolute URL the site will be published at, for feeds, sitemap and canonical links.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Replace the output folder even if gongdu did not create it.
    #[arg(long)]
    force: bool,
    /// Print only errors and warnings, not the summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Also print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// `text` for people, `json` for tools (the schema is in the README).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Check articles marked `draft: true` too.
    #[arg(long)]
    drafts: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The address to listen on. The default answers only this computer; 0.0.0.0 opens the
    /// preview to the whole network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    bind: std::net::IpAddr,
    /// The port to listen on; the next free one is used if it is taken.
    #[arg(long, default_value_t = 1111, value_name = "N")]
    port: u16,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Open the preview in the default browser.
    #[arg(long)]
    open: bool,
    /// Check for changes by polling, for folders where change events do not arrive (network
    /// shares, WSL mounts).
    #[arg(long)]
    poll: bool,
}

#[derive(Subcommand, Debug)]
enum NewCommand {
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

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::Check(args) => run_check(args),
        Command::New(NewCommand::Site { dir }) => report_created(scaffold::new_site(&dir)),
        Command::New(NewCommand::Article { path, title, root }) => {
            report_created(scaffold::new_article(&root, &path, &title))
        }
        Command::Mirror(command) => crate::mirror::run(command),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        root: without_dot(args.root),
        output: args.output,
        drafts: if args.drafts {
            Drafts::Include
        } else {
            Drafts::Exclude
        },
        base_url: args.base_url,
        overwrite: if args.force {
            Overwrite::Force
        } else {
            Overwrite::OnlyOwnOutput
        },
        external: build::ExternalLinks::Ignore,
    };
    let bar = (std::io::stderr().is_terminal() && !args.quiet).then(progress_bar);
    let report_progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let result = build::build(&options, Some(&report_progress));
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            eprint!("{}", diagnostic::report(&report.warnings));
            if !args.quiet {
                out!(
                    "built {} pages ({} files, {} changed, {} removed) in {:.2} s → {}",
                    report.pages,
                    report.files,
                    report.changes.written,
                    report.changes.removed,
                    report.elapsed.as_secs_f64(),
                    report.output.display()
                );
            }
            if args.timings {
                for (stage, took) in &report.stages {
                    out!("  {:>8.3} s  {stage}", took.as_secs_f64());
                }
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Site(diagnostics)) => {
            eprint!("{}", diagnostic::report(&diagnostics));
            eprintln!("build failed; the previous output was left as it was");
            ExitCode::from(exit::SITE_ERRORS)
        }
        Err(BuildError::Output(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::IO)
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let mut options = BuildOptions::new(without_dot(args.root));
    options.external = build::ExternalLinks::Warn;
    if args.drafts {
        options.drafts = Drafts::Include;
    }
    let mut diagnostics = match build::compile(&options) {
        Ok(site) => site.warnings,
        Err(found) => found,
    };
    diagnostic::sort(&mut diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match args.format {
        Format::Json => out!("{}", crate::check::json_report(&diagnostics)),
        Format::Text => {
            eprint!("{}", diagnostic::report(&diagnostics));
            out!(
                "checked: {errors} error(s), {} warning(s)",
                diagnostics.len() - errors
            );
        }
    }
    if errors > 0 {
        ExitCode::from(exit::SITE_ERRORS)
    } else {
        ExitCode::SUCCESS
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

fn run_serve(args: ServeArgs) -> ExitCode {
    let options = crate::serve::ServeOptions {
        root: without_dot(args.root),
        bind: args.bind,
        port: args.port,
        drafts: if args.drafts {
            Drafts::Include
        } else {
            Drafts::Exclude
        },
        open: args.open,
        poll: args.poll,
    };
    match crate::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::IO)
        }
    }
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} writing {pos}/{len} files {wide_bar}")
            .expect("the template is valid"),
    );
    bar
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
            eprintln!("error: {e}");
            ExitCode::from(match e {
                scaffold::ScaffoldError::Io { .. } => exit::IO,
                _ => exit::USAGE,
            })
        }
    }
}
