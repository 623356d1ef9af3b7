//! Raw HTML in articles: imported text may carry `<script>`, `on…=` handlers, `javascript:`
//! URLs or `<iframe>`s. By default the rendered page of an article that contains raw HTML is
//! cleaned with ammonia, keeping harmless markup (tables, `<sup>`, `<ruby>`, …) and everything
//! gongdu itself generates; `markdown.raw_html: trusted` in site.yaml turns this off.

use std::collections::HashSet;

use crate::diagnostic::Words;

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
pub(crate) fn danger(fragment: &str) -> Option<&'static Words> {
    let lower = fragment.to_ascii_lowercase();
    for (needle, what) in [
        ("<script", &SCRIPT),
        ("<iframe", &IFRAME),
        ("<object", &OBJECT),
        ("<embed", &EMBED),
        ("<style", &STYLE),
        ("javascript:", &JAVASCRIPT_URL),
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
    handler.then_some(&HANDLER)
}

static SCRIPT: Words = Words {
    en: "a <script> element",
    zh: "<script> 元素",
};
static IFRAME: Words = Words {
    en: "an <iframe>",
    zh: "<iframe> 框架",
};
static OBJECT: Words = Words {
    en: "an <object>",
    zh: "<object> 元素",
};
static EMBED: Words = Words {
    en: "an <embed>",
    zh: "<embed> 元素",
};
static STYLE: Words = Words {
    en: "a <style> element",
    zh: "<style> 元素",
};
static JAVASCRIPT_URL: Words = Words {
    en: "a javascript: URL",
    zh: "javascript: 网址",
};
/// Also what `check::active` names for a handler in a copied file.
pub(crate) static HANDLER: Words = Words {
    en: "an on… event handler",
    zh: "on… 事件处理属性",
};

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
        assert_eq!(
            danger("<SCRIPT>x</SCRIPT>").map(|w| w.en),
            Some("a <script> element")
        );
        assert_eq!(
            danger("<img src=x onerror = alert(1)>").map(|w| w.en),
            Some("an on… event handler")
        );
        assert_eq!(danger("<sup>1</sup>"), None);
        assert_eq!(danger("<p>only words</p>"), None);
    }
}
