//! Character classes the cleaning steps share: what is Chinese text, what ends a sentence,
//! what shows that a line starts a paragraph or is a headline.

pub(super) fn is_han(c: char) -> bool {
    crate::cjk::is_cjk(c)
}

/// Full-width and CJK punctuation (including the full-width space and “ ” ‘ ’ …).
pub(super) fn is_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF65}' | '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

pub(super) fn is_chinese(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// Whether a paragraph's text is complete: it ends like a sentence (or with a closing quote
/// or bracket after one). Anything else was cut in the middle.
pub(super) fn ends_sentence(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with("...")
        || text.chars().next_back().is_some_and(|c| {
            matches!(
                c,
                '。' | '！'
                    | '？'
                    | '…'
                    | '；'
                    | '：'
                    | '”'
                    | '’'
                    | '」'
                    | '』'
                    | '）'
                    | '》'
                    | '.'
                    | '!'
                    | '?'
                    | ')'
            )
        })
}

/// A line that starts with punctuation that can only close or continue a sentence: a PDF
/// broke the line just before it.
pub(super) fn starts_with_closing(text: &str) -> bool {
    text.chars().next().is_some_and(|c| {
        matches!(
            c,
            '。' | '，'
                | '、'
                | '；'
                | '：'
                | '？'
                | '！'
                | '）'
                | '」'
                | '』'
                | '”'
                | '’'
                | '》'
                | '…'
        )
    })
}

/// A paragraph's first line is indented with a full-width space, two spaces or a tab.
pub(super) fn is_indented(line: &str) -> bool {
    line.starts_with('\u{3000}') || line.starts_with("  ") || line.starts_with('\t')
}

/// The longest headline or section title the importer recognises, in characters.
const MAX_HEADLINE: usize = 40;

/// A short line with Chinese in it and no sentence punctuation: a headline, a section title,
/// a name. Its spaces are real (they separate a headline's halves).
pub(super) fn heading_like(text: &str) -> bool {
    let text = text.trim();
    let n = text.chars().count();
    (2..=MAX_HEADLINE).contains(&n)
        && text.chars().any(is_han)
        && !text.contains(['，', '。', '；', '！', '？', ',', '、'])
        && !text.ends_with(['：', ':', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_with_their_punctuation() {
        assert!(ends_sentence("职工说：“好。”"));
        assert!(ends_sentence("有的当场约定拜师..."));
        assert!(!ends_sentence("过去很难找"));
        assert!(!ends_sentence("加热饭菜、充电，"));
    }

    #[test]
    fn headlines_are_short_and_unpunctuated() {
        assert!(heading_like("工会驿站 为户外劳动者撑起一片天"));
        assert!(!heading_like("渴了能喝上一口热水，累了能坐下歇歇脚"));
        assert!(!heading_like("2024"));
    }
}
