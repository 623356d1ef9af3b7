//! Raw HTML in articles: imported text may carry `<script>`, `on…=` handlers, `javascript:`
//! URLs or `<iframe>`s. By default the rendered page of an article that contains raw HTML is
//! cleaned with ammonia, keeping harmless markup (tables, `<sup>`, `<ruby>`, …) and everything
//! gongdu itself generates; `markdown.raw_html: trusted` in site.yaml turns this off.

use std::collections::HashSet;

pub(crate) struct Sanitizer {
    cleaner: ammonia::Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        let mut cleaner = ammonia::Builder::default();
        cleaner
            .add_tags([
                "section",
                "input",
                "mark",
                "figure",
                "figcaption",
                "details",
                "summary",
            ])
            .add_generic_attributes([
                "id",
                "class",
                "role",
                "aria-label",
                "aria-hidden",
                "aria-describedby",
                "title",
                "lang",
                "dir",
            ])
            .add_tag_attributes("pre", ["data-lang"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("img", ["width", "height", "loading"])
            // pulldown-cmark writes table alignment as a style.
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .link_rel(None)
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
        Sanitizer { cleaner }
    }
}

impl Sanitizer {
    pub(crate) fn clean(&self, html: &str) -> String {
        self.cleaner.clean(html).to_string()
    }
}

/// What in a piece of raw HTML will be removed, for the warning (the removal itself is
/// ammonia's; this only names the reason).
pub(crate) fn danger(fragment: &str) -> Option<&'static str> {
    let lower = fragment.to_ascii_lowercase();
    for (needle, what) in [
        ("<script", "a <script> element"),
        ("<iframe", "an <iframe>"),
        ("<object", "an <object>"),
        ("<embed", "an <embed>"),
        ("<style", "a <style> element"),
        ("javascript:", "a javascript: URL"),
    ] {
        if lower.contains(needle) {
            return Some(what);
        }
    }
    let bytes = lower.as_bytes();
    let handler = lower.match_indices(" on").any(|(i, _)| {
        let rest = &bytes[i + 3..];
        let name = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        name > 0 && rest[name..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'=')
    });
    handler.then_some("an on… event handler")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_handlers_and_frames_but_keeps_harmless_markup() {
        let s = Sanitizer::default();
        let dirty = "<p>甲<sup>1</sup><ruby>工<rt>gōng</rt></ruby></p><script>alert(1)</script>\
                     <img src=\"a.png\" onerror=\"alert(1)\"><a href=\"javascript:alert(1)\">x</a>\
                     <iframe src=\"https://evil.example\"></iframe><table><tr><td style=\"text-align: center\">1</td></tr></table>";
        let clean = s.clean(dirty);
        for gone in ["<script", "onerror", "javascript:", "<iframe"] {
            assert!(!clean.contains(gone), "{gone} survived: {clean}");
        }
        for kept in [
            "<sup>1</sup>",
            "<ruby>工<rt>gōng</rt></ruby>",
            "<img src=\"a.png\">",
            "<td style=\"text-align: center\">",
        ] {
            assert!(clean.contains(kept), "{kept} lost: {clean}");
        }
    }

    #[test]
    fn names_what_will_be_removed() {
        assert_eq!(danger("<SCRIPT>x</SCRIPT>"), Some("a <script> element"));
        assert_eq!(
            danger("<img src=x onerror = alert(1)>"),
            Some("an on… event handler")
        );
        assert_eq!(danger("<sup>1</sup>"), None);
        assert_eq!(danger("<p>only words</p>"), None);
    }
}
