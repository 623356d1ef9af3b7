//! Small text measures used while rendering: heading ids and reading length.

use std::collections::{HashMap, HashSet};

use crate::cjk::is_cjk;

/// The heading ids given out so far in one document, and for each base id the last number
/// tried, so that a thousand headings called 注释 cost a thousand steps, not half a million.
#[derive(Debug, Default)]
pub(crate) struct HeadingIds {
    taken: HashSet<String>,
    last_suffix: HashMap<String, usize>,
}

/// An id for a heading that keeps its Chinese text: letters and digits kept (ASCII
/// lowercased), spaces turned into `-`, punctuation dropped. Unique within `taken`.
pub(crate) fn heading_id(text: &str, taken: &mut HeadingIds) -> String {
    let base = anchor_of(text);
    let base = if base.is_empty() {
        "section".to_owned()
    } else {
        base
    };
    unique(base, taken)
}

/// The id a heading with this text gets (before it is made unique); an id is its own anchor,
/// so a wikilink may name a heading by its text (`#三、实践路径`) or by its id (`#三实践路径`).
pub(crate) fn anchor_of(text: &str) -> String {
    let mut base = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            base.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() && !base.ends_with('-') {
            base.push('-');
        }
    }
    base.trim_matches('-').to_owned()
}

/// `id`, or `id-1`, `id-2`, … whichever is free; records the result in `taken`.
pub(crate) fn unique(id: String, ids: &mut HeadingIds) -> String {
    let mut candidate = id.clone();
    let n = ids.last_suffix.entry(id.clone()).or_insert(0);
    if ids.taken.contains(&candidate) {
        // Numbers below `n` were all taken when last tried, and ids are never given back.
        *n = (*n).max(1);
        candidate = format!("{id}-{n}");
        while ids.taken.contains(&candidate) {
            *n += 1;
            candidate = format!("{id}-{n}");
        }
    }
    ids.taken.insert(candidate.clone());
    candidate
}

/// Length of a text as a reader feels it: CJK characters count one each, and so does each
/// run of other letters or digits (a Latin word, a number).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    pub cjk: usize,
    pub words: usize,
}

impl Length {
    pub fn add(&mut self, text: &str) {
        let mut in_word = false;
        for c in text.chars() {
            if is_cjk(c) {
                self.cjk += 1;
                in_word = false;
            } else if crate::cjk::is_alphanumeric(c) {
                if !in_word {
                    self.words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }

    pub fn chars(&self) -> usize {
        self.cjk + self.words
    }

    /// Minutes to read at about 400 CJK characters or 200 words a minute, at least one.
    pub fn reading_minutes(&self) -> usize {
        let seconds = self.cjk * 60 / 400 + self.words * 60 / 200;
        seconds.div_ceil(60).max(1)
    }
}

/// The sentence of `text` around byte `at`: from after the previous sentence end or line
/// break to the next one, at most [`CONTEXT_CHARS`] characters either side.
pub(crate) fn sentence_around(text: &str, at: usize) -> String {
    let at = (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let ends = |c: char| matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | '\n');
    let before: Vec<char> = text[..at]
        .chars()
        .rev()
        .take(CONTEXT_CHARS)
        .take_while(|&c| !ends(c))
        .collect();
    let mut out: String = before.into_iter().rev().collect();
    for c in text[at..].chars().take(CONTEXT_CHARS) {
        if c == '\n' {
            break;
        }
        out.push(c);
        if ends(c) {
            break;
        }
    }
    out.trim().to_owned()
}

/// Characters of context kept on each side of a link.
pub(crate) const CONTEXT_CHARS: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_keep_chinese_and_are_unique() {
        let mut taken = HeadingIds::default();
        assert_eq!(heading_id("一、概念的提出", &mut taken), "一概念的提出");
        assert_eq!(
            heading_id("What is 新质生产力?", &mut taken),
            "what-is-新质生产力"
        );
        assert_eq!(heading_id("一、概念的提出", &mut taken), "一概念的提出-1");
        assert_eq!(heading_id("！？", &mut taken), "section");
        assert_eq!(unique("section-1".into(), &mut taken), "section-1");
        assert_eq!(heading_id("！？", &mut taken), "section-2");
        assert_eq!(heading_id("！？", &mut taken), "section-3");
    }

    #[test]
    fn context_is_the_sentence_around_the_link() {
        let text = "第一句。第二句提到工会驿站，很方便！第三句。";
        let at = text.find("工会").expect("found");
        assert_eq!(sentence_around(text, at), "第二句提到工会驿站，很方便！");
        assert_eq!(sentence_around("一行\n二行", 0), "一行");
    }

    #[test]
    fn length_counts_characters_and_words() {
        let mut l = Length::default();
        l.add("工会驿站 serves 12351 热线。");
        assert_eq!((l.cjk, l.words), (6, 2));
        assert_eq!(l.chars(), 8);
        let long = Length {
            cjk: 3050,
            words: 0,
        };
        assert_eq!(long.reading_minutes(), 8);
        assert_eq!(Length::default().reading_minutes(), 1);
    }
}
