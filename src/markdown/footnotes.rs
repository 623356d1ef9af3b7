//! Footnotes numbered in the order they are first cited, each with a link back to the place
//! it was cited from, gathered in one list at the end of the article (citations matter in
//! study notes, and a handout needs them together).

use std::collections::HashMap;
use std::fmt::Write as _;

use super::escape;
use crate::config::Language;

#[derive(Default)]
pub(super) struct Footnotes {
    /// label → (number, times referenced)
    numbers: HashMap<String, (usize, usize)>,
    /// label → rendered definition, in the order written
    definitions: Vec<(String, String)>,
}

impl Footnotes {
    /// The superscript for a citation of `label`.
    pub(super) fn reference(&mut self, label: &str) -> String {
        let next = self.numbers.len() + 1;
        let (number, count) = self.numbers.entry(label.to_owned()).or_insert((next, 0));
        *count += 1;
        let id = anchor(label);
        let ref_id = if *count == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{count}")
        };
        format!(
            "<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#fn-{id}\" role=\"doc-noteref\">[{number}]</a></sup>"
        )
    }

    pub(super) fn define(&mut self, label: &str, html: String) {
        self.definitions.push((label.to_owned(), html));
    }

    /// Appends the notes section to `html`; cited notes in citation order, then uncited ones.
    pub(super) fn write_section(mut self, html: &mut String, language: Language) {
        let (back_label, heading) = match language {
            Language::ZhCn => ("返回引用处", "注释"),
            Language::En => ("Back to the citation", "Notes"),
        };
        if self.definitions.is_empty() {
            return;
        }
        let uncited = self.numbers.len();
        self.definitions
            .sort_by_key(|(label, _)| self.numbers.get(label).map_or(usize::MAX, |n| n.0));
        // A heading for screen readers (the rule above the notes says it to the eye).
        let _ = write!(
            html,
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-labelledby=\"footnotes-title\">\n<h2 class=\"visually-hidden\" id=\"footnotes-title\">{heading}</h2>\n<ol>\n"
        );
        for (i, (label, body)) in self.definitions.iter().enumerate() {
            let id = anchor(label);
            let back = match self.numbers.get(label) {
                Some(_) => format!(
                    " <a href=\"#fnref-{id}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"{back_label}\">↩</a>"
                ),
                None => String::new(),
            };
            let value = if i >= uncited {
                format!(" value=\"{}\"", i + 1)
            } else {
                String::new()
            };
            let body = body.trim_end();
            // Put the back link inside the last paragraph so it does not sit on a line of its own.
            let body = match body.strip_suffix("</p>") {
                Some(inner) => format!("{inner}{back}</p>"),
                None => format!("{body}{back}"),
            };
            html.push_str(&format!("<li id=\"fn-{id}\"{value}>{body}</li>\n"));
        }
        html.push_str("</ol>\n</section>\n");
    }
}

fn anchor(label: &str) -> String {
    escape(&label.replace(char::is_whitespace, "-"))
}
