//! Slugs: the URL path segment made from a title, file name, term or study-path name.
//! A leaf module: config, source and site all check or build slugs, and none of them owns
//! the rule.

use unicode_normalization::UnicodeNormalization;

/// A URL path segment from a title, file name or term: Chinese characters and other letters
/// kept, ASCII lowercased, spaces and punctuation turned into single hyphens.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.nfkc() {
        if c.is_alphanumeric() || c == '_' {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else {
            hyphen = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_chinese_and_fold_ascii() {
        assert_eq!(slugify("新质生产力"), "新质生产力");
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  劳模 精神——2024 "), "劳模-精神-2024");
        assert_eq!(slugify("ＧＤＰ 增长"), "gdp-增长");
        assert_eq!(slugify("《》"), "");
    }
}
