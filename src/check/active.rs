//! Files in content/ that a browser runs as documents (SVG, HTML, XML) are copied as they
//! are, so a `<script>`, an `on…=` handler or a `javascript:` URL in one would run on the
//! site's origin. They are treated like raw HTML in an article: refused under
//! `raw_html: safe` (the default), a warning under `raw_html: trusted`.

use crate::args;
use crate::config::{RawHtml, SiteConfig};
use crate::diagnostic::{Code, Diagnostic, Severity, Words};
use crate::site::SiteMap;

/// Extensions browsers open as documents that can hold scripts.
const DOCUMENTS: &[&str] = &[
    "svg", "svgz", "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "mht", "mhtml",
];

/// Elements that run or embed code, by local name (any `prefix:` dropped).
const ACTIVE_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "object",
    "embed",
    "handler",
    "listener",
    "portal",
    "applet",
];

/// Schemes that run code when followed, after entities, spaces and control characters are
/// taken out (browsers ignore them inside a scheme).
const ACTIVE_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:text/html"];

/// The copied document files that hold active content.
pub(crate) fn active_files(config: &SiteConfig, map: &SiteMap) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for asset in &map.assets {
        let ext = asset
            .source
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !ext.as_deref().is_some_and(|e| DOCUMENTS.contains(&e)) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&asset.source) else {
            continue; // copying it reports the error
        };
        let text = String::from_utf8_lossy(&bytes);
        let (offset, what) = if ext.as_deref() == Some("svgz") {
            (0, &COMPRESSED)
        } else {
            match find(&text) {
                Some(found) => found,
                None => continue,
            }
        };
        let (line, column) = crate::span::line_col(&text, offset);
        let d = Diagnostic::new(Code::ActiveContent, &asset.source, args!(what = what));
        let d = match config.markdown.raw_html {
            RawHtml::Safe => d.hint(&SAFE_HINT, args!()),
            RawHtml::Trusted => Diagnostic {
                severity: Severity::Warning,
                ..d
            }
            .hint(&TRUSTED_HINT, args!()),
        };
        found.push(d.at_in(&text, line, column));
    }
    found
}

static COMPRESSED: Words = Words {
    en: "compressed SVG that cannot be checked",
    zh: "无法检查的压缩 SVG",
};
static ELEMENT: Words = Words {
    en: "an element that runs code (<script>, <foreignObject>, a frame or an object)",
    zh: "会运行代码的元素（<script>、<foreignObject>、框架或对象）",
};
static SCRIPT_URL: Words = Words {
    en: "a javascript: (or other script) URL",
    zh: "javascript:（或其他脚本）网址",
};

static SAFE_HINT: Words = Words {
    en: "remove it from the file (or, only if every file of the site is trusted, set `markdown: {raw_html: trusted}` in site.yaml)",
    zh: "请从文件中删除它（只有在网站的每个文件都可信时，才可以在 site.yaml 中设置 `markdown: {raw_html: trusted}`）",
};

static TRUSTED_HINT: Words = Words {
    en: "copied with it because site.yaml sets `raw_html: trusted`",
    zh: "因为 site.yaml 设置了 `raw_html: trusted`，仍原样复制",
};

/// The byte offset and a name of the first active content in `text`.
fn find(text: &str) -> Option<(usize, &'static Words)> {
    // ASCII lowercasing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    [element(&lower), handler(&lower), scheme(&lower)]
        .into_iter()
        .flatten()
        .min_by_key(|(at, _)| *at)
}

fn element(lower: &str) -> Option<(usize, &'static Words)> {
    lower.match_indices('<').find_map(|(i, _)| {
        let name: String = lower[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_'))
            .collect();
        let local = name.rsplit(':').next().unwrap_or("");
        ACTIVE_ELEMENTS.contains(&local).then_some((i, &ELEMENT))
    })
}

/// `on…=` attributes inside a tag: after a space, a slash or a quote, as browsers accept them.
fn handler(lower: &str) -> Option<(usize, &'static Words)> {
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'o' if in_tag && bytes.get(i + 1) == Some(&b'n') => {
                let before = bytes[i - 1];
                if !(before.is_ascii_whitespace() || matches!(before, b'/' | b'"' | b'\'')) {
                    continue;
                }
                let rest = &bytes[i + 2..];
                let name = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let after = rest[name..].iter().find(|b| !b.is_ascii_whitespace());
                if name > 0 && after == Some(&b'=') {
                    return Some((i, &crate::markdown::sanitize::HANDLER));
                }
            }
            _ => {}
        }
    }
    None
}

fn scheme(lower: &str) -> Option<(usize, &'static Words)> {
    let plain = decoded(lower);
    let text: String = plain.iter().map(|(c, _)| *c).collect();
    ACTIVE_SCHEMES.iter().find_map(|s| {
        let at = text.find(s)?;
        let chars = text[..at].chars().count();
        Some((plain[chars].1, &SCRIPT_URL))
    })
}

/// The text's characters with character references decoded and whitespace and control
/// characters dropped, each with the byte offset it came from.
fn decoded(lower: &str) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(lower.len());
    let mut rest = lower.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        if c == '&'
            && let Some((decoded, len)) = reference(&lower[i..])
        {
            if !decoded.is_whitespace() && !decoded.is_control() {
                out.push((decoded.to_ascii_lowercase(), i));
            }
            while rest.peek().is_some_and(|&(j, _)| j < i + len) {
                rest.next();
            }
            continue;
        }
        if !c.is_whitespace() && !c.is_control() {
            out.push((c, i));
        }
    }
    out
}

/// A character reference at the start of `text` (`&#106;`, `&#x6A`, `&colon;`): the
/// character and the bytes it takes. Browsers accept numeric ones without the `;`.
fn reference(text: &str) -> Option<(char, usize)> {
    let body = &text[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix('x') {
            Some(h) => (true, h),
            None => (false, num),
        };
        let len = digits
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        let value = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok()?;
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((char::from_u32(value)?, 2 + usize::from(hex) + len + semi));
    }
    for (name, c) in [
        ("colon;", ':'),
        ("tab;", '\t'),
        ("newline;", '\n'),
        ("sol;", '/'),
        ("lpar;", '('),
        ("rpar;", ')'),
    ] {
        if body.starts_with(name) {
            return Some((c, 1 + name.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_spelling_of_active_content() {
        for (text, at) in [
            ("<svg><script>alert(1)</script></svg>", 5),
            ("<svg><SCRIPT >x</SCRIPT></svg>", 5),
            ("<svg:svg><svg:script>x</svg:script>", 9),
            ("<svg/onload=alert(1)>", 5),
            ("<svg>\n<rect\tONCLICK = \"x\"/>", 12),
            ("<svg><a href=\"javascript:alert(1)\">", 14),
            ("<a xlink:href=\"&#x6A;avascript:x\">", 15),
            ("<a href=\"&#106;avascript&colon;x\">", 9),
            ("<a href=\" java\tscript:x\">", 10),
            ("<svg><foreignObject><p>x</p></foreignObject>", 5),
            ("<html><iframe src=\"x\">", 6),
            ("<set attributeName=\"href\" to=\"javascript:x\"/>", 30),
            ("<a href=\"data:text/html,<b>\">", 9),
        ] {
            assert_eq!(find(text).map(|(i, _)| i), Some(at), "{text}");
        }
    }

    #[test]
    fn leaves_drawings_and_pages_without_code_alone() {
        for text in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>.a{fill:red}</style><rect class=\"a\" onion-layer=\"1\"/><a href=\"https://example.org/\">链接</a></svg>",
            "<html><body><p>工会 online = 在线</p></body></html>",
            "<p>description: 说明</p>",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }
}
