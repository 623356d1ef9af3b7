//! Pinyin glosses left behind by ruby annotations: `網(wǎng)`, `发(fa1)`. Only a parenthesis
//! that holds pinyin syllables with a tone (a mark or a digit) is a gloss; `(AI)`, `(c)`,
//! `（2024—2026年）` and `（产业研究院）` are text and stay.

use std::sync::OnceLock;

use pinyin::ToPinyin;
use regex::Regex;
use rustc_hash::FxHashSet;

/// Glosses removed from one line, and the ones that followed a Latin letter or digit: there
/// the glossed character itself was garbled, which the editor must see.
pub(super) struct Unglossed {
    pub text: String,
    pub removed: usize,
    /// `(what was left before the gloss, the gloss)`.
    pub orphans: Vec<(char, String)>,
}

pub(super) struct Glosses {
    pattern: Regex,
    /// Toneless syllables (`wang`, `lv`, `lü`) read off the pinyin crate's table.
    syllables: FxHashSet<String>,
}

impl Glosses {
    pub(super) fn new() -> Glosses {
        static PATTERN: OnceLock<Regex> = OnceLock::new();
        let pattern = PATTERN
            .get_or_init(|| {
                Regex::new(r"[(（]\s*([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}[1-5]?(?:\s+[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}[1-5]?){0,3})\s*[)）]")
                    .expect("the gloss pattern is valid")
            })
            .clone();
        let mut syllables = FxHashSet::default();
        for c in ('\u{4E00}'..='\u{9FFF}').filter_map(|c| c.to_pinyin()) {
            let plain = c.plain();
            syllables.insert(plain.replace('ü', "v"));
            syllables.insert(plain.replace('v', "ü"));
        }
        Glosses { pattern, syllables }
    }

    pub(super) fn strip(&self, line: &str) -> Unglossed {
        let mut out = String::with_capacity(line.len());
        let mut removed = 0;
        let mut orphans = Vec::new();
        let mut at = 0;
        for caps in self.pattern.captures_iter(line) {
            let (Some(whole), Some(inner)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            if !inner
                .as_str()
                .split_whitespace()
                .all(|s| self.is_toned_syllable(s))
            {
                continue;
            }
            out.push_str(&line[at..whole.start()]);
            if let Some(before) = line[..whole.start()].chars().next_back()
                && before.is_ascii_alphanumeric()
            {
                orphans.push((before, inner.as_str().to_owned()));
            }
            removed += 1;
            at = whole.end();
        }
        out.push_str(&line[at..]);
        Unglossed {
            text: out,
            removed,
            orphans,
        }
    }

    fn is_toned_syllable(&self, s: &str) -> bool {
        let digit = s.ends_with(['1', '2', '3', '4', '5']);
        let mut marked = false;
        let base: String = s
            .trim_end_matches(['1', '2', '3', '4', '5'])
            .chars()
            .map(|c| {
                let (plain, mark) = untone(c);
                marked |= mark;
                plain.to_ascii_lowercase()
            })
            .collect();
        (digit || marked) && self.syllables.contains(&base)
    }
}

/// A pinyin letter without its tone mark, and whether it had one.
fn untone(c: char) -> (char, bool) {
    match c {
        'ā' | 'á' | 'ǎ' | 'à' => ('a', true),
        'ē' | 'é' | 'ě' | 'è' => ('e', true),
        'ī' | 'í' | 'ǐ' | 'ì' => ('i', true),
        'ō' | 'ó' | 'ǒ' | 'ò' => ('o', true),
        'ū' | 'ú' | 'ǔ' | 'ù' => ('u', true),
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => ('ü', true),
        'ń' | 'ň' | 'ǹ' => ('n', true),
        'ḿ' => ('m', true),
        other => (other, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_toned_pinyin_and_keeps_real_parentheses() {
        let g = Glosses::new();
        let u = g.strip("网(wǎng)上借阅，场所(chǎng suǒ)，分享会(hui4)");
        assert_eq!((u.text.as_str(), u.removed), ("网上借阅，场所，分享会", 3));
        for kept in [
            "人工智能(AI)",
            "附录(c)",
            "（2024—2026年）",
            "（产业研究院）",
            "啊(a)",
            "(Wang)",
        ] {
            assert_eq!(g.strip(kept).text, kept);
        }
    }

    #[test]
    fn a_gloss_after_a_latin_letter_or_digit_is_an_orphan() {
        let u = Glosses::new().strip("阅读贵在坚持，5(fā)挥作用");
        assert_eq!(u.text, "阅读贵在坚持，5挥作用");
        assert_eq!(u.orphans, [('5', "fā".to_owned())]);
    }
}
