//! Diagnostics: problems found in the user's files, carried as data with their position and a
//! stable code ([`Code`], `GD0xxx`) whose words come in English and Chinese. Every stage returns
//! them instead of stopping at the first; this module defines them and prints them, in the
//! reader's language, as `path:line:column: 错误[GD0102]: message` with an excerpt of the line.

mod codes;
mod io_cause;
mod text;

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

pub use codes::{CODES, Code, Entry, words};
pub(crate) use io_cause::{io_cause, io_zh, walk_cause};
pub use text::{Arg, Lang, Text, Words};

/// Named arguments of a message: `args!(field = name)`.
pub type Args = Vec<(&'static str, Arg)>;

/// A problem found by a function that does not know the file: its code and arguments, for
/// the caller to make a [`Diagnostic`] at the right place.
pub type Coded = (Code, Args);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place. `line` and `column` are 1-based; 0 means "the whole file".
///
/// `message` and `hint` dereference to their English text (what tests and logs
/// read); [`Diagnostic::show`] and [`report_in`] print them in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub code: Code,
    pub message: Text,
    pub hint: Option<Text>,
    /// The text of the offending line, for the excerpt under the message.
    pub excerpt: Option<String>,
    /// The page being rendered when a template failed. One template mistake breaks many
    /// pages; the build reports it once and names the pages with [`Diagnostic::name_pages`].
    /// Boxed to keep diagnostics, which travel in `Result`s, small.
    pub rendering: Option<Box<PathBuf>>,
}

impl Diagnostic {
    /// A problem with its code; the code's table row gives its severity and words.
    pub fn new(code: Code, path: impl Into<PathBuf>, args: Args) -> Self {
        let entry = code.entry();
        Diagnostic {
            path: path.into(),
            line: 0,
            column: 0,
            severity: entry.severity,
            code,
            message: Text::new(&entry.message, args),
            hint: None,
            excerpt: None,
            rendering: None,
        }
    }

    /// An error without a code of its own ([`Code::Generic`]), its message the same in every
    /// language. New diagnostics should get a code in the table; `tests/errors_codes.rs`
    /// lists the ones that have none yet.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            message: Text::plain(message),
            ..Diagnostic::new(Code::Generic, path, Vec::new())
        }
    }

    /// A warning without a code of its own; see [`Diagnostic::error`].
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

    /// A hint in words of both languages, or (given a `String`) the same in every language.
    pub fn with_hint(mut self, hint: impl Into<Text>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A hint from the words table: `.hint(&words::DID_YOU_MEAN, crate::args!(name = best))`.
    pub fn hint(self, words: &'static Words, args: Args) -> Self {
        self.with_hint(Text::new(words, args))
    }

    /// Puts `prefix` before the message (`source date: ` before a date's problem).
    pub fn prefixed(mut self, prefix: Text) -> Self {
        self.message = prefix.then(self.message);
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
        let page = page.display().to_string();
        let suffix = if others > 0 {
            Text::new(
                &words::WHILE_RENDERING_MORE,
                crate::args!(page = page, others = others),
            )
        } else {
            Text::new(&words::WHILE_RENDERING, crate::args!(page = page))
        };
        self.message = self.message.clone().then(suffix);
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
            &*self.message,
        )
    }
}

impl Diagnostic {
    /// The whole diagnostic in `lang`: position, level and code, message, excerpt with a
    /// caret, and hint.
    pub fn show(&self, lang: Lang) -> String {
        let mut f = String::new();
        let level = match (self.severity, lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Error, Lang::ZhCn) => "错误",
            (Severity::Warning, Lang::ZhCn) => "警告",
        };
        // Names and text come from the user's files: print them so that no escape sequence
        // or line break in them reaches the terminal raw.
        let _ = write!(f, "{}", printable(&self.path.display().to_string()));
        if self.line > 0 {
            let _ = write!(f, ":{}:{}", self.line, self.column.max(1));
        }
        let _ = write!(
            f,
            ": {level}[{}]: {}",
            self.code.id(),
            printable(&self.message.get(lang))
        );
        if let Some(excerpt) = &self.excerpt {
            let excerpt = printable(excerpt);
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = write!(f, "\n {pad} |\n {gutter} | {excerpt}\n {pad} | ");
            f.push_str(&caret_line(&excerpt, self.column));
        }
        let hint = match lang {
            Lang::En => "hint: ",
            Lang::ZhCn => "提示：",
        };
        if let Some(h) = &self.hint {
            let _ = write!(f, "\n  = {hint}{}", printable(&h.get(lang)));
        }
        f
    }
}

/// In English, as logs and tests read it; people read [`Diagnostic::show`] in their language.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show(Lang::En))
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

/// The whole report in English; see [`report_in`].
pub fn report(diagnostics: &[Diagnostic]) -> String {
    report_in(diagnostics, Lang::En)
}

/// The whole report in `lang`, one diagnostic per paragraph, then a count line.
pub fn report_in(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{}", d.show(lang));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        let _ = match lang {
            Lang::En => writeln!(out, "{errors} error(s), {warnings} warning(s)"),
            Lang::ZhCn => writeln!(out, "{errors} 个错误，{warnings} 个警告"),
        };
    }
    out
}

/// The page `gongdu explain CODE` prints: the code, its message and what to do about it.
pub fn explain(code: Code, lang: Lang) -> String {
    let e = code.entry();
    let (level, means) = match (e.severity, lang) {
        (Severity::Error, Lang::En) => ("error", "Message"),
        (Severity::Warning, Lang::En) => ("warning", "Message"),
        (Severity::Error, Lang::ZhCn) => ("错误", "消息"),
        (Severity::Warning, Lang::ZhCn) => ("警告", "消息"),
    };
    format!(
        "{} ({level})\n\n{means}: {}\n\n{}\n",
        e.id,
        e.message.get(lang),
        e.explain.get(lang)
    )
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
                "content/\\u{1b}[31mred\\u{a}.md:1:2: error[GD0000]: title `\\u{1b}]0;x\\u{7}`"
            ),
            "{shown}"
        );
        assert!(shown.contains("a\\u{9b}b\\u{202e}c"), "{shown}");
    }

    #[test]
    fn prints_position_excerpt_and_caret_under_wide_characters() {
        let text = "---\ntitle: 新质生产力\ntittle: x\n---\n";
        let d = Diagnostic::new(
            Code::UnknownField,
            "content/a.md",
            crate::args!(prefix = "", field = "tittle"),
        )
        .at_in(text, 3, 1)
        .hint(&words::DID_YOU_MEAN, crate::args!(name = "title"));
        let shown = d.to_string();
        assert!(shown.starts_with("content/a.md:3:1: error[GD0102]: unknown field `tittle`"));
        assert!(shown.contains(" 3 | tittle: x\n   | ^"));
        assert!(shown.ends_with("= hint: did you mean `title`?"));
        let zh = d.show(Lang::ZhCn);
        assert!(zh.starts_with("content/a.md:3:1: 错误[GD0102]: 未知字段 `tittle`"));
        assert!(zh.ends_with("= 提示：是不是想写 `title`？"));
        assert_eq!(caret_line("新质: x", 4), "     ^");
    }

    #[test]
    fn suggests_close_names_only() {
        let known = ["title", "tags", "topics"];
        assert_eq!(suggest("tittle", &known), Some("title"));
        assert_eq!(suggest("colour", &known), None);
    }

    #[test]
    fn the_table_is_in_the_order_of_the_enum_and_its_ids_are_unique() {
        let mut ids = std::collections::BTreeSet::new();
        for (i, e) in CODES.iter().enumerate() {
            assert_eq!(e.code as usize, i, "{}", e.id);
            assert!(ids.insert(e.id), "{} twice", e.id);
            assert_eq!(Code::from_id(e.id), Some(e.code));
            assert!(e.id.len() == 6 && e.id.starts_with("GD"), "{}", e.id);
            for lang in [Lang::En, Lang::ZhCn] {
                assert!(!e.explain.get(lang).is_empty(), "{}", e.id);
            }
        }
        assert_eq!(Code::from_id("0102"), Some(Code::UnknownField));
        assert_eq!(Code::from_id("GD9999"), None);
    }
}
