//! `gongdu import`: scraped, copied or scanned articles → clean Markdown with front matter.
//! A pipeline of its own: decode → extract text (HTML) → per-line repairs (mojibake,
//! Traditional → Simplified, pinyin glosses, chrome) → blocks → split into articles → tidy
//! (rejoin, duplicates, damage flags, punctuation) → spam → write. Every change is recorded
//! in the article's `import:` mapping; the command line only prints the report.

mod blocks;
mod chrome;
mod convert;
mod damage;
mod decode;
mod extract;
mod gloss;
mod page;
mod report;
mod script;
mod spam;
mod split;
mod tidy;
mod typography;
mod write;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use report::{ArticleReport, InputReport, Report};

use crate::source::import_record::ImportRecord;
use chrome::Facts;

/// Whether an existing file in the target folder may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    Never,
    Force,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Files and folders (searched for `.txt`, `.html`, `.htm` and `.md`).
    pub inputs: Vec<PathBuf>,
    pub to: PathBuf,
    pub overwrite: Overwrite,
}

/// What went wrong for the run as a whole (a bad input is reported in its [`InputReport`]).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One article, cleaned, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Article {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub affiliation: Option<String>,
    pub facts: Facts,
    /// The body as Markdown.
    pub body: String,
    pub record: ImportRecord,
    pub draft: bool,
}

/// The tables the cleaning steps use, built once per run.
pub(crate) struct Tools {
    converter: convert::Converter,
    glosses: gloss::Glosses,
}

impl Tools {
    pub(crate) fn new() -> Tools {
        Tools {
            converter: convert::Converter::new(),
            glosses: gloss::Glosses::new(),
        }
    }
}

/// An input file's kind, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Html,
    /// gongdu's own output (or an editor's article): cleaned again, front matter kept.
    Markdown,
}

fn kind(path: &Path) -> Option<Kind> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "txt" => Some(Kind::Text),
        "html" | "htm" => Some(Kind::Html),
        "md" | "markdown" => Some(Kind::Markdown),
        _ => None,
    }
}

/// Runs the whole import: reads every input, cleans it, and writes the articles unless one
/// of them would replace a file (then nothing is written and the report names them).
pub fn import(options: &ImportOptions) -> Result<Report, ImportError> {
    let tools = Tools::new();
    let mut report = Report::default();
    let mut planned: Vec<(PathBuf, String)> = Vec::new();
    let mut taken = HashSet::new();
    let paths = input_files(&options.inputs, &mut report);
    // Inputs are cleaned independently, in parallel; names are then given in input order, so
    // the files written do not depend on the number of threads.
    let cleaned: Vec<_> = paths
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            page::import_bytes(&tools, path, &bytes, kind(path))
        })
        .collect();
    for (path, cleaned) in paths.iter().zip(cleaned) {
        let mut input = InputReport::new(path);
        match cleaned {
            Err(message) => input.error = Some(message),
            Ok(files) => {
                input.encoding = files.encoding;
                for out in files.outputs {
                    let target = write::target(&options.to, &out.title, &mut taken);
                    input.articles.push(out.report.named(&target));
                    planned.push((target, out.text));
                }
            }
        }
        report.inputs.push(input);
    }
    if options.overwrite == Overwrite::Never {
        report.refused = planned
            .iter()
            .filter(|(p, _)| p.exists())
            .map(|(p, _)| p.clone())
            .collect();
    }
    if report.refused.is_empty() && !planned.is_empty() {
        write_all(&options.to, &planned, options.overwrite)?;
        report.written = planned.into_iter().map(|(p, _)| p).collect();
    }
    Ok(report)
}

fn write_all(
    dir: &Path,
    files: &[(PathBuf, String)],
    overwrite: Overwrite,
) -> Result<(), ImportError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ImportError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for (path, text) in files {
        match overwrite {
            Overwrite::Force => std::fs::write(path, text).map_err(io(path))?,
            Overwrite::Never => {
                use std::io::Write as _;
                // create_new: a file that appeared since the check is still never replaced.
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
                    .map_err(io(path))?;
                f.write_all(text.as_bytes()).map_err(io(path))?;
            }
        }
    }
    Ok(())
}

/// The input files, folders searched in name order; unreadable or unknown inputs are
/// reported and skipped.
fn input_files(inputs: &[PathBuf], report: &mut Report) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let walk = walkdir::WalkDir::new(input).sort_by_file_name();
            for entry in walk.into_iter().filter_map(Result::ok) {
                if entry.file_type().is_file() && kind(entry.path()).is_some() {
                    out.push(entry.into_path());
                }
            }
        } else if kind(input).is_none() {
            let mut r = InputReport::new(input);
            r.error = Some(format!(
                "{}: not a file gongdu can import (.txt, .html, .htm or .md)",
                input.display()
            ));
            report.inputs.push(r);
        } else {
            out.push(input.clone());
        }
    }
    out
}
