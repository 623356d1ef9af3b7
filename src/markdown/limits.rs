//! Limits that keep rendering linear in the size of an article, whatever an editor pastes in:
//! how deep quotes, lists and HTML elements may nest, and how many problems one file reports.
//! HTML sanitising (html5ever) takes time proportional to the nesting depth for every element,
//! so an article 10,000 levels deep would take minutes; gongdu rejects it instead.

use std::ops::Range;

use pulldown_cmark::Event;

use crate::diagnostic::{Code, Diagnostic, Severity};

/// How deep Markdown blocks, inline markup and raw HTML elements together may nest. Real
/// articles stay below 20.
pub(crate) const MAX_NESTING: usize = 100;

/// Problems one file reports before the rest are only counted.
pub(crate) const MAX_DIAGNOSTICS: usize = 100;

/// The nesting depth of the page being rendered, from Markdown events and the tags in raw
/// HTML fragments. An estimate for HTML (elements whose end tag is optional are not counted),
/// exact for Markdown.
#[derive(Debug, Default)]
pub(crate) struct Nesting {
    depth: usize,
    /// Where (a byte range of the body) the depth first passed the limit.
    too_deep: Option<Range<usize>>,
}

impl Nesting {
    pub(crate) fn track(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => raw_html_depth(html, &mut self.depth),
            _ => {}
        }
        if self.depth > MAX_NESTING && self.too_deep.is_none() {
            self.too_deep = Some(range.clone());
        }
    }

    pub(crate) fn too_deep(&self) -> Option<&Range<usize>> {
        self.too_deep.as_ref()
    }
}

/// Moves `depth` by the start and end tags in a fragment of raw HTML.
fn raw_html_depth(fragment: &str, depth: &mut usize) {
    let bytes = fragment.as_bytes();
    let mut at = 0;
    while let Some(i) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + i + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        at = name_start + name_len;
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = fragment[name_start..at].to_ascii_lowercase();
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        // Look for the tag's end only nearby, so that a run of `<div` without `>` stays linear.
        let tag_end = bytes[at..].iter().take(1024).position(|&b| b == b'>');
        let self_closing = tag_end.is_some_and(|e| e > 0 && bytes[at + e - 1] == b'/');
        if closing {
            *depth = depth.saturating_sub(1);
        } else if !self_closing {
            *depth += 1;
        }
    }
}

/// Void elements, and elements whose end tag may be left out (the parser closes them at the
/// next sibling, so they do not nest when unclosed).
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp",
];

/// Line starts of a file, built on its first diagnostic: a position then costs a binary
/// search, not a scan from the top (thousands of broken links would otherwise take
/// quadratic time). Also caps how many diagnostics the file reports.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    starts: Vec<usize>,
    reported: usize,
    left_out: usize,
    left_out_errors: bool,
}

impl Positions {
    /// Places `d` at byte `offset` of `text` and adds it to `out`, unless the file has already
    /// reported [`MAX_DIAGNOSTICS`] problems.
    pub(crate) fn push(
        &mut self,
        out: &mut Vec<Diagnostic>,
        d: Diagnostic,
        text: &str,
        offset: usize,
    ) {
        if !self.admit(&d) {
            return;
        }
        if self.starts.is_empty() {
            self.starts = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
        }
        let offset = crate::span::floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let line_end = self.starts.get(line).map_or(text.len(), |&s| s - 1);
        let column = text[line_start..offset].chars().count() + 1;
        let excerpt = (line_end - line_start <= 400).then(|| text[line_start..line_end].to_owned());
        out.push(Diagnostic {
            excerpt,
            ..d.at(line, column)
        });
    }

    /// [`Positions::push`] where the file's text is `None` (it could not be read again as it
    /// was): `d` names the file without a line.
    pub(crate) fn push_in(
        &mut self,
        out: &mut Vec<Diagnostic>,
        d: Diagnostic,
        text: Option<&str>,
        offset: usize,
    ) {
        match text {
            Some(text) => self.push(out, d, text, offset),
            None if self.admit(&d) => out.push(d),
            None => {}
        }
    }

    /// Whether `d` is still reported, counting it either way.
    fn admit(&mut self, d: &Diagnostic) -> bool {
        if self.reported >= MAX_DIAGNOSTICS {
            self.left_out += 1;
            self.left_out_errors |= d.is_error();
            return false;
        }
        self.reported += 1;
        true
    }

    /// One more diagnostic saying how many were left out, if any were.
    pub(crate) fn finish(&self, out: &mut Vec<Diagnostic>, path: &std::path::Path) {
        if self.left_out > 0 {
            out.push(Diagnostic {
                severity: if self.left_out_errors {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                ..Diagnostic::new(
                    Code::MoreProblems,
                    path,
                    crate::args!(count = self.left_out),
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_after(html: &str) -> usize {
        let mut depth = 0;
        raw_html_depth(html, &mut depth);
        depth
    }

    #[test]
    fn raw_html_depth_counts_elements_that_nest() {
        assert_eq!(depth_after("<div><span>x</span>"), 1);
        assert_eq!(depth_after("<p>a<p>b<li>c<br><img src=x /><hr/>"), 0);
        assert_eq!(depth_after("<DIV class=\"a > b\"><section/>"), 1);
        assert_eq!(depth_after("a < b, 1<2, <!-- c --> </ >"), 0);
        assert_eq!(depth_after(&"<div>".repeat(5)), 5);
        assert_eq!(depth_after("</div></div>"), 0);
    }

    #[test]
    fn positions_are_lines_and_character_columns() {
        let text = "---\ntitle: 工会\n---\n工会 [x](y)\n";
        let mut out = Vec::new();
        let mut p = Positions::default();
        p.push(
            &mut out,
            Diagnostic::error("a.md", "m"),
            text,
            text.find('[').expect("["),
        );
        assert_eq!((out[0].line, out[0].column), (4, 4));
        assert_eq!(out[0].excerpt.as_deref(), Some("工会 [x](y)"));
    }

    #[test]
    fn a_file_reports_at_most_a_hundred_problems_and_counts_the_rest() {
        let mut out = Vec::new();
        let mut p = Positions::default();
        for _ in 0..MAX_DIAGNOSTICS + 5 {
            p.push(&mut out, Diagnostic::error("a.md", "m"), "x", 0);
        }
        p.finish(&mut out, std::path::Path::new("a.md"));
        assert_eq!(out.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(
            out[MAX_DIAGNOSTICS].message,
            "5 more problems in this file are not shown"
        );
        assert!(out[MAX_DIAGNOSTICS].is_error());
    }
}
