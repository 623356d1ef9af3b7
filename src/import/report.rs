//! What an import did, per input and per article: printed on stderr for editors and as JSON
//! (`--format json`) for scripts. Built from each article's `import:` record, so the report
//! and the file never disagree.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Article;
use crate::source::import_record::{Flag, ImportRecord, RemovedKind, Repair, SpamAction, SpamNote};

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub inputs: Vec<InputReport>,
    /// Files that exist and were not replaced (without `--force`); when any is listed, no
    /// file was written.
    pub refused: Vec<PathBuf>,
    pub written: Vec<PathBuf>,
}

#[derive(Debug, Serialize)]
pub struct InputReport {
    pub input: PathBuf,
    pub encoding: Option<String>,
    pub articles: Vec<ArticleReport>,
    /// Why the input could not be read; its articles are then missing.
    pub error: Option<String>,
}

impl InputReport {
    pub(super) fn new(path: &Path) -> InputReport {
        InputReport {
            input: path.to_owned(),
            encoding: None,
            articles: Vec::new(),
            error: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ArticleReport {
    pub file: PathBuf,
    pub title: String,
    pub draft: bool,
    pub chrome_removed: usize,
    pub duplicates_removed: usize,
    pub converted: usize,
    pub glosses_removed: usize,
    pub lines_joined: usize,
    pub punctuation: usize,
    pub spam_removed: usize,
    pub spam_restored: usize,
    pub repairs: Vec<Repair>,
    pub flags: Vec<Flag>,
    pub spam: Vec<SpamNote>,
}

impl ArticleReport {
    pub(super) fn new(a: &Article) -> ArticleReport {
        ArticleReport::from_record(&a.title, &a.record, a.draft)
    }

    pub(super) fn from_record(title: &str, r: &ImportRecord, draft: bool) -> ArticleReport {
        let removed = |k: RemovedKind| r.removed.iter().filter(|x| x.kind == k).count();
        let spam = |a: SpamAction| r.spam.iter().filter(|s| s.action == a).count();
        ArticleReport {
            file: PathBuf::new(),
            title: title.to_owned(),
            draft,
            chrome_removed: removed(RemovedKind::Chrome),
            duplicates_removed: removed(RemovedKind::Duplicate),
            converted: r.converted,
            glosses_removed: r.glosses,
            lines_joined: r.joined,
            punctuation: r.punctuation,
            spam_removed: spam(SpamAction::Removed) + spam(SpamAction::LinkFarm),
            spam_restored: spam(SpamAction::Restored),
            repairs: r.repairs.clone(),
            flags: r.flags.clone(),
            spam: r.spam.clone(),
        }
    }

    pub(super) fn named(mut self, file: &Path) -> ArticleReport {
        self.file = file.to_owned();
        self
    }
}

impl Report {
    /// Whether every input was read.
    pub fn inputs_ok(&self) -> bool {
        self.inputs.iter().all(|i| i.error.is_none())
    }

    /// The report for editors: one paragraph per input, one line per article, then what to
    /// review, each at its line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for input in &self.inputs {
            out.push_str(&format!("{}", input.input.display()));
            if let Some(e) = &input.encoding {
                out.push_str(&format!(" (decoded from {e})"));
            }
            match &input.error {
                Some(e) => out.push_str(&format!(": error: {e}\n")),
                None => out.push_str(&format!(": {} article(s)\n", input.articles.len())),
            }
            for a in &input.articles {
                article_text(&mut out, &input.input, a);
            }
        }
        for path in &self.refused {
            out.push_str(&format!(
                "{}: exists; not replaced (use --force to replace it). Nothing was written.\n",
                path.display()
            ));
        }
        out
    }
}

fn article_text(out: &mut String, input: &Path, a: &ArticleReport) {
    out.push_str(&format!(
        "  → {}{}: 《{}》 chrome lines removed {}, duplicates removed {}, Traditional characters converted {}, \
         glosses removed {}, broken lines joined {}, punctuation fixed {}, spam removed {}, spam restored {}\n",
        a.file.display(),
        if a.draft { " (draft: spam to review)" } else { "" },
        a.title,
        a.chrome_removed,
        a.duplicates_removed,
        a.converted,
        a.glosses_removed,
        a.lines_joined,
        a.punctuation,
        a.spam_removed,
        a.spam_restored,
    ));
    for r in &a.repairs {
        out.push_str(&format!(
            "    {}:{}: repaired ({}): {} → {}\n",
            input.display(),
            r.line,
            r.how,
            r.from,
            r.to
        ));
    }
    for f in &a.flags {
        out.push_str(&format!(
            "    {}:{}: check: {}\n",
            input.display(),
            f.line,
            f.message
        ));
    }
    for s in &a.spam {
        let restored = s
            .restored
            .as_deref()
            .map(|w| format!(" → {w}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "    {}: body line {}, column {}: spam `{}` {:?}{restored} (confidence {:.2})\n",
            a.file.display(),
            s.line,
            s.column,
            s.term,
            s.action,
            s.confidence
        ));
    }
}
