//! `gongdu build`: builds the site into its output folder, with a progress bar on a terminal,
//! then prints the warnings, a summary line and (with `--timings`) each stage's wall time.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{LangArg, drafts, exit, lang, without_dot};
use crate::build::{self, BuildError, BuildOptions, ExternalLinks, SpamGuard};
use crate::diagnostic;
use crate::output::Overwrite;

#[derive(Args, Debug)]
pub(super) struct BuildArgs {
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
    /// Also print how long each stage took and the memory held after it.
    #[arg(long)]
    timings: bool,
    /// The language of the diagnostics: zh-CN or en (default: the site's `language:`).
    #[arg(long, value_enum, value_name = "LANG")]
    lang: Option<LangArg>,
}

pub(super) fn run(args: BuildArgs) -> ExitCode {
    let lang = lang(args.lang, &args.root);
    let options = BuildOptions {
        root: without_dot(args.root),
        output: args.output,
        drafts: drafts(args.drafts),
        base_url: args.base_url,
        overwrite: if args.force {
            Overwrite::Force
        } else {
            Overwrite::OnlyOwnOutput
        },
        external: ExternalLinks::Ignore,
        spam: SpamGuard::Warn,
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
            eprint!("{}", diagnostic::report_in(&report.warnings, lang));
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
                let mib = |bytes: u64| bytes as f64 / f64::from(1 << 20);
                for stage in &report.stages {
                    let secs = stage.took.as_secs_f64();
                    match stage.resident {
                        Some(held) => {
                            out!("  {secs:>8.3} s  {:>7.0} MiB  {}", mib(held), stage.name)
                        }
                        None => out!("  {secs:>8.3} s  {}", stage.name),
                    }
                }
                if let Some(peak) = report.peak_memory {
                    out!("  peak memory {:.0} MiB", mib(peak));
                }
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Site(diagnostics)) => {
            eprint!("{}", diagnostic::report_in(&diagnostics, lang));
            match lang {
                diagnostic::Lang::En => {
                    eprintln!("build failed; the previous output was left as it was")
                }
                diagnostic::Lang::ZhCn => eprintln!("构建失败；上一次的输出保持原样"),
            }
            ExitCode::from(exit::SITE_ERRORS)
        }
        Err(BuildError::Output(e)) => {
            eprintln!("error: {}", crate::diagnostic::printable(&e.to_string()));
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
