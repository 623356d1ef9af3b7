//! Diagnostics: problems found in the user's files, carried as data with their position.
//! Every stage returns them instead of stopping at the first; this module only defines them
//! and prints them as `path:line:column: error: message` with an excerpt of the line.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place. `line` and `column` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    /// Boxed (as is `rendering`) to keep diagnostics, which travel in `Result`s, small.
    pub hint: Option<Box<str>>,
    /// The text of the offending line, for the excerpt under the message.
    pub excerpt: Option<String>,
    /// The page being rendered when a template failed. One template mistake breaks many
    /// pages; the build reports it once and names the pages with [`Diagnostic::name_pages`].
    pub rendering: Option<Box<PathBuf>>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            excerpt: None,
            rendering: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Sets the position and takes the excerpt from the full text of the file.
    pub fn at_in(self, text: &str, line: usize, column: usize) -> Self {
        let excerpt = line
            .checked_sub(1)
            .and_then(|i| text.lines().nth(i))
            .map(str::to_owned);
        Diagnostic {
            excerpt,
            ..self.at(line, column)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// Marks a template error as met while rendering `page`.
    pub fn while_rendering(mut self, page: impl Into<PathBuf>) -> Self {
        self.rendering = Some(Box::new(page.into()));
        self
    }

    /// Ends the message of a template error with the page it broke and how many others the
    /// same error broke too.
    pub fn name_pages(&mut self, others: usize) {
        let Some(page) = self.rendering.take() else {
            return;
        };
        let _ = write!(self.message, " (while rendering {}", page.display());
        if others > 0 {
            let _ = write!(self.message, " and {others} other pages");
        }
        self.message.push(')');
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key that keeps the report in file order, whatever order threads finished in.
    fn sort_key(&self) -> (&Path, usize, usize, Severity, &str) {
        (
            &self.path,
            self.line,
            self.column,
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Names and text come from the user's files: print them so that no escape sequence
        // or line break in them reaches the terminal raw.
        write!(f, "{}", printable(&self.path.display().to_string()))?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(f, ": {level}: {}", printable(&self.message))?;
        if let Some(excerpt) = &self.excerpt {
            let excerpt = printable(excerpt);
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            write!(f, "\n {pad} |\n {gutter} | {excerpt}\n {pad} | ")?;
            f.write_str(&caret_line(&excerpt, self.column))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {}", printable(hint))?;
        }
        Ok(())
    }
}

/// `text` with every character that could drive a terminal (C0 and C1 controls but tab,
/// DEL, and the bidirectional overrides that reorder a line) written as `\u{1b}`.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(hostile) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A character named in a message: `U+000A`.
pub(crate) fn shown_char(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Spaces up to the column (counting wide CJK characters as two cells) and a caret.
fn caret_line(excerpt: &str, column: usize) -> String {
    let mut out = String::new();
    for c in excerpt.chars().take(column.saturating_sub(1)) {
        let width = if c == '\t' {
            out.push('\t');
            continue;
        } else if is_wide(c) {
            2
        } else {
            1
        };
        out.push_str(&" ".repeat(width));
    }
    out.push('^');
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Sorts diagnostics by file and position and drops exact repeats.
pub(crate) fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// The whole report as text, one diagnostic per paragraph, then a count line.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
    out
}

/// The closest name to `wrong` among `candidates`, if it is close enough to be a typo.
pub(crate) fn suggest<'a>(wrong: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_position_excerpt_and_caret_under_wide_characters() {
        let text = "---\ntitle: 新质生产力\ntittle: x\n---\n";
        let d = Diagnostic::error("content/a.md", "unknown field `tittle`")
            .at_in(text, 3, 1)
            .with_hint("did you mean `title`?");
        let shown = d.to_string();
        assert!(shown.starts_with("content/a.md:3:1: error: unknown field `tittle`"));
        assert!(shown.contains(" 3 | tittle: x\n   | ^"));
        assert!(shown.ends_with("= hint: did you mean `title`?"));
        assert_eq!(caret_line("新质: x", 4), "     ^");
    }

    #[test]
    fn names_and_text_never_reach_the_terminal_raw() {
        let d = Diagnostic::error("content/\u{1b}[31mred\n.md", "title `\u{1b}]0;x\u{7}`")
            .at_in("a\u{9b}b\u{202e}c", 1, 2)
            .with_hint("\r");
        let shown = d.to_string();
        assert!(
            !shown.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\r']),
            "{shown:?}"
        );
        assert!(
            shown.starts_with(
                "content/\\u{1b}[31mred\\u{a}.md:1:2: error: title `\\u{1b}]0;x\\u{7}`"
            ),
            "{shown}"
        );
        assert!(shown.contains("a\\u{9b}b\\u{202e}c"), "{shown}");
    }

    #[test]
    fn suggests_close_names_only() {
        let known = ["title", "tags", "topics"];
        assert_eq!(suggest("tittle", &known), Some("title"));
        assert_eq!(suggest("colour", &known), None);
    }
}
