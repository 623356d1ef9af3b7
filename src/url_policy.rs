//! The one URL policy: every URL that reaches a page — Markdown links and images, front-matter
//! fields, site.yaml entries — may use only http, https, mailto or tel, or be relative. Callers
//! own where a URL was written and what to do with a refusal; this module only decides, after
//! undoing every encoding a browser (or a later template) might undo.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// The schemes a page may link to, in the order the diagnostics name them.
const ALLOWED: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Decoding rounds tried: `&amp;#x6A;` needs two, and a third costs nothing. Bounded so that a
/// crafted value cannot make the check slow.
const ROUNDS: usize = 3;

/// A URL whose scheme is not on the allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The scheme as a browser would read it: decoded and lowercased (`javascript`).
    pub scheme: String,
}

/// `Err` when `url`, read the way a browser reads an `href`, or after any further round of
/// decoding, names a scheme outside the allow-list.
pub(crate) fn check(url: &str) -> Result<(), Refused> {
    let mut current = Cow::Borrowed(url);
    for _ in 0..ROUNDS {
        if let Some(scheme) = scheme_of(&current)
            && !ALLOWED.contains(&scheme.as_str())
        {
            return Err(Refused { scheme });
        }
        let next = decode_once(&current);
        if next == current {
            break;
        }
        current = Cow::Owned(next);
    }
    Ok(())
}

/// The diagnostic for a refused URL; `what` names the field (`link`, `source url`). Its
/// words (in the code table) name the schemes of [`ALLOWED`]; a test keeps them together.
pub(crate) fn problem(
    what: &'static crate::diagnostic::Words,
    url: &str,
    refused: &Refused,
) -> crate::diagnostic::Coded {
    let shown: String = url.chars().take(80).collect::<String>();
    let more = if url.chars().count() > 80 { "…" } else { "" };
    (
        crate::diagnostic::Code::UrlRefused,
        crate::args!(
            what = what,
            url = format!("{}{more}", shown.escape_debug()),
            scheme = refused.scheme.escape_debug().to_string()
        ),
    )
}

/// The scheme of `url` after the clean-up every browser does before parsing: tab, newline and
/// other ASCII control characters removed, leading spaces dropped, compatibility forms folded
/// (full-width `ｊａｖａ` → `java`), case ignored. `None` for a relative URL.
fn scheme_of(url: &str) -> Option<String> {
    let cleaned: String = url
        .nfkc()
        .filter(|c| !c.is_ascii_control())
        .collect::<String>()
        .trim_start_matches(|c: char| c.is_whitespace())
        .to_owned();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_fits = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts_with_letter && rest_fits).then(|| scheme.to_ascii_lowercase())
}

/// One round of the decodings that may stand between what was written and what runs: HTML
/// character references (`&#x6A;`, `&colon;`) and percent-encoding (`%6A`).
fn decode_once(url: &str) -> String {
    let html = decode_references(url);
    percent_encoding::percent_decode_str(&html)
        .decode_utf8_lossy()
        .into_owned()
}

/// Decodes HTML character references as a browser does in an attribute value: numeric ones
/// with or without the `;`, named ones from the HTML standard's table.
fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match reference(after) {
            Some((decoded, used)) => {
                out.push_str(&decoded);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text a reference right after `&` stands for, and how many bytes it takes.
fn reference(after: &str) -> Option<(String, usize)> {
    if let Some(num) = after.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|&b| char::from(b).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        // Overlong numbers decode to U+FFFD in a browser; any refused scheme is ASCII anyway.
        let c = u32::from_str_radix(&digits[..len.min(8)], radix)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{FFFD}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c.to_string(), skip + len + semi));
    }
    let name_len = after
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let with_semi = after[name_len..].starts_with(';');
    let key = &after[..name_len + usize::from(with_semi)];
    let &(first, second) = markup5ever::data::NAMED_ENTITIES.get(key)?;
    let decoded = [first, second]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(char::from_u32)
        .collect();
    Some((decoded, key.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diagnostic_names_the_allowed_schemes() {
        let (code, _) = problem(
            &crate::diagnostic::words::LINK,
            "x:y",
            &Refused { scheme: "x".into() },
        );
        let words = &code.entry().message;
        assert!(words.en.contains(&ALLOWED.join(", ")), "{}", words.en);
        assert!(words.zh.contains(&ALLOWED.join("、")), "{}", words.zh);
    }

    fn scheme(url: &str) -> Option<String> {
        check(url).err().map(|r| r.scheme)
    }

    #[test]
    fn allows_web_mail_phone_and_relative_urls() {
        for url in [
            "https://example.org/a?b=javascript:x",
            "HTTP://example.org",
            "mailto:a@example.org",
            "tel:+86-10-1234",
            "//cdn.example.org/x.png",
            "../productivity/index.html",
            "工会/笔记：一.md",
            "#小节",
            "?q=1",
            "",
            "a&amp;b",
            "java script:x",
        ] {
            assert_eq!(scheme(url), None, "{url}");
        }
    }

    #[test]
    fn refuses_every_spelling_of_a_script_scheme() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\u{3000}javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#106avascript:alert(1)",
            "javascript&colon;alert(1)",
            "&amp;#x6A;avascript:alert(1)",
            "%6Aavascript:alert(1)",
            "ｊａｖａｓｃｒｉｐｔ：alert(1)",
        ] {
            assert_eq!(scheme(url).as_deref(), Some("javascript"), "{url:?}");
        }
        assert_eq!(scheme("vbscript:x").as_deref(), Some("vbscript"));
        assert_eq!(scheme("data:text/html,x").as_deref(), Some("data"));
        assert_eq!(scheme("FILE:///etc/passwd").as_deref(), Some("file"));
    }

    #[test]
    fn the_message_names_the_scheme_and_escapes_control_characters() {
        let refused = Refused {
            scheme: "javascript".into(),
        };
        let (code, args) = problem(
            &crate::diagnostic::words::LINK,
            "java\u{1b}[31mscript:x",
            &refused,
        );
        let m = crate::diagnostic::Diagnostic::new(code, "a.md", args).message;
        assert!(m.contains("`javascript:` scheme"), "{m}");
        assert!(!m.contains('\u{1b}'), "{m}");
    }
}
