//! Code highlighting with syntect into CSS classes (`hl-…`), and the light and dark
//! stylesheets for those classes. The syntax set is loaded on first use, so a site without
//! code blocks never pays for it. The work is bounded per line and per page (see
//! [`MAX_LINE`]); past a bound, code is shown as plain text and the caller warns.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;

use super::escape;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

/// The longest line (in bytes) that gets highlighted; longer lines are shown plain while the
/// lines around them keep their colours. syntect tries its grammar's regular expressions from
/// every position of a line, and some scan to the end of the line from each (the Markdown
/// grammar's link rules on runs of `[` or `[x](`), so a line costs more than the square of its
/// length: 12,500 `[` on one line took 0.7 s, 100,000 took 46 s. Most code lines are shorter.
pub(crate) const MAX_LINE: usize = 200;

/// How deep the grammar's scopes may nest before the rest of a block is shown plain. Every
/// open scope is checked again on each line (the Markdown grammar keeps a link open across
/// lines for each unclosed `[x](`), so unbounded nesting made lines slower and slower. Real
/// code stays below 20.
pub(crate) const MAX_DEPTH: usize = 48;

/// How many bytes of code one page highlights; the rest is shown plain. With lines bounded,
/// this bounds the highlighting time of a page, whatever its size.
pub(crate) const MAX_PER_PAGE: usize = 64 * 1024;

/// What is left of a page's highlighting allowance.
#[derive(Debug)]
pub(crate) struct Budget {
    left: usize,
    /// Whether running out was reported already: once per page is enough.
    reported: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            left: MAX_PER_PAGE,
            reported: false,
        }
    }
}

/// Why lines of a block in a known language were shown without highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plain {
    /// Line `line` of the block (from 1) is `bytes` long, over [`MAX_LINE`].
    LongLine { line: usize, bytes: usize },
    /// Scopes nest more than [`MAX_DEPTH`] deep after line `line` of the block; the rest of the
    /// block is plain.
    TooDeep { line: usize },
    /// The page reached [`MAX_PER_PAGE`] in this block; later blocks are plain and not
    /// reported again.
    PageBudgetSpent,
}

#[derive(Default)]
pub(crate) struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A `<pre>` block for `code`; an unknown or missing language gives plain escaped text, and
    /// so does code over the bounds, with the reason.
    pub(crate) fn block(
        &self,
        lang: &str,
        code: &str,
        budget: &mut Budget,
    ) -> (String, Option<Plain>) {
        let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
        let mut plain = None;
        let body = if lang.is_empty() {
            None
        } else {
            let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
            syntaxes.find_syntax_by_token(lang).and_then(|syntax| {
                let (html, reason) = classed(syntax, syntaxes, code, budget)?;
                plain = reason;
                Some(html)
            })
        };
        let body = body.unwrap_or_else(|| escape(code));
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(lang))
        };
        let html = format!("<pre class=\"code\"{lang_attr}><code>{body}</code></pre>\n");
        (html, plain)
    }
}

/// `code` as HTML with a class on every scope, lines over the bounds left plain; `None` if
/// the grammar fails on it.
fn classed(
    syntax: &SyntaxReference,
    syntaxes: &SyntaxSet,
    code: &str,
    budget: &mut Budget,
) -> Option<(String, Option<Plain>)> {
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut open_spans: isize = 0;
    let mut html = String::with_capacity(code.len() * 2);
    let mut reason = None;
    let mut lines = LinesWithEndings::from(code).enumerate();
    for (i, line) in lines.by_ref() {
        let bytes = line.trim_end_matches(['\n', '\r']).len();
        if bytes > MAX_LINE || line.len() > budget.left {
            if bytes > MAX_LINE {
                reason = reason.or(Some(Plain::LongLine { line: i + 1, bytes }));
            } else if !budget.reported {
                budget.reported = true;
                budget.left = 0;
                reason = reason.or(Some(Plain::PageBudgetSpent));
            }
            // Left out of the parse, so the lines after it are read in the same state as
            // the line before: one bad line does not spoil the rest of the block.
            html.push_str(&escape(line));
            continue;
        }
        budget.left -= line.len();
        let ops = state.parse_line(line, syntaxes).ok()?;
        let (spans, delta) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes).ok()?;
        open_spans += delta;
        html.push_str(&spans);
        if scopes.scopes.len() > MAX_DEPTH {
            reason = reason.or(Some(Plain::TooDeep { line: i + 1 }));
            break;
        }
    }
    for (_, line) in lines {
        html.push_str(&escape(line));
    }
    for _ in 0..open_spans.max(0) {
        html.push_str("</span>");
    }
    Some((html, reason))
}

/// The stylesheet for highlighted code: a light theme, a dark theme under
/// `prefers-color-scheme: dark`, and the light one again for print.
pub(crate) fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        css_for_theme_with_class_style(&themes.themes[name], CLASS_STYLE)
            .expect("syntect's bundled themes produce CSS")
    };
    let light = css(LIGHT_THEME);
    let dark = css(DARK_THEME);
    // Each theme styles different scopes, so the light rules must not leak into dark mode;
    // `not screen and (dark)` still covers light screens and print.
    format!(
        "/* Code highlighting: {LIGHT_THEME} (light) and {DARK_THEME} (dark), generated by gongdu. */\n\
         @media not screen and (prefers-color-scheme: dark) {{\n{light}\n}}\n\
         @media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_unknown_falls_back_to_text() {
        let h = Highlighter::new();
        let mut budget = Budget::default();
        let mut block = |lang, code| h.block(lang, code, &mut budget).0;
        let yaml = block("yaml", "title: 工会\n");
        assert!(yaml.contains("class=\"hl-"), "{yaml}");
        assert!(yaml.contains("data-lang=\"yaml\""));
        let unknown = block("no-such-language", "<b>x</b>\n");
        assert_eq!(
            unknown,
            "<pre class=\"code\" data-lang=\"no-such-language\"><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"
        );
        assert!(!block("", "a").contains("data-lang"));
    }

    #[test]
    fn long_lines_and_a_spent_page_budget_are_plain_and_reported() {
        let h = Highlighter::new();
        let mut budget = Budget::default();
        let long = "[".repeat(MAX_LINE + 1);
        let code = format!("fn main() {{}}\n{long}\nlet x = 1;\n");
        let (html, plain) = h.block("rust", &code, &mut budget);
        assert_eq!(
            plain,
            Some(Plain::LongLine {
                line: 2,
                bytes: MAX_LINE + 1
            })
        );
        assert!(html.contains(&format!("\n{long}\n")), "left plain: {html}");
        assert!(
            html.ends_with("</span></code></pre>\n") && html.contains("hl-keyword"),
            "the lines around it keep their colours: {html}"
        );
        let line = "let x = 1;\n";
        let half = line.repeat(MAX_PER_PAGE * 2 / 3 / line.len());
        assert_eq!(h.block("rust", &half, &mut budget).1, None);
        let (second, plain) = h.block("rust", &half, &mut budget);
        assert_eq!(plain, Some(Plain::PageBudgetSpent));
        let tail = second
            .trim_end_matches("</code></pre>\n")
            .trim_end_matches("</span>");
        assert!(second.contains("hl-") && tail.ends_with(&line.repeat(100)));
        let (third, plain) = h.block("rust", line, &mut budget);
        assert_eq!(plain, None, "reported once per page");
        assert!(!third.contains("hl-"));
    }

    #[test]
    fn stylesheet_has_light_and_dark_rules() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
