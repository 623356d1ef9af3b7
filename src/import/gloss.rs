//! Pinyin glosses left behind by ruby annotations or added for readers: `網(wǎng)`, `发(fa1)`,
//! `新质生产力（xīn zhì shēng chǎn lì）`, `（xīnzhì shēngchǎnlì）` with the syllables of a word
//! written together. Only a parenthesis whose every word is made of pinyin syllables and
//! carries a tone (a mark or a digit) is a gloss; `(AI)`, `(c)`, `（2024—2026年）` and
//! `（产业研究院）` are text and stay.

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
                // A word starts with a letter and goes on with letters, tone digits and
                // apostrophes. Up to ten words of up to forty characters: a gloss of a long
                // term (中华全国总工会, seven syllables) fits, a sentence in parentheses does not.
                let word = format!("[{LETTERS}][{LETTERS}1-5'’]{{0,39}}");
                Regex::new(&format!(r"[(（]\s*({word}(?:\s+{word}){{0,9}})\s*[)）]"))
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
                .all(|word| self.is_toned_word(word))
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

    /// Whether `word` is pinyin syllables written together (`shēngchǎnlì`, `xin1zhi4`,
    /// `Xī'ān`) with at least one tone: split by trying every syllable at each point, as a
    /// word may read two ways (`xian` or `xi'an`) and a wrong first guess must not hide a
    /// right one.
    fn is_toned_word(&self, word: &str) -> bool {
        // An apostrophe only marks where a syllable starts (`Xī'ān`); the split finds that too.
        let letters: Vec<(char, bool)> = word
            .chars()
            .filter(|c| !matches!(c, '\'' | '’'))
            .map(|c| {
                let (plain, mark) = untone(c);
                (plain.to_ascii_lowercase(), mark)
            })
            .collect();
        let is_tone_digit = |c: char| ('1'..='5').contains(&c);
        if !letters.iter().any(|&(c, mark)| mark || is_tone_digit(c)) {
            return false;
        }
        // reachable[i]: the first i letters are whole syllables, each perhaps with its digit.
        let n = letters.len();
        let mut reachable = vec![false; n + 1];
        reachable[0] = true;
        for start in 0..n {
            if !reachable[start] {
                continue;
            }
            let mut base = String::new();
            for end in start..n.min(start + LONGEST_SYLLABLE) {
                let c = letters[end].0;
                if c.is_ascii_digit() {
                    break;
                }
                base.push(c);
                if self.syllables.contains(&base) {
                    reachable[end + 1] = true;
                    if letters.get(end + 1).is_some_and(|&(d, _)| is_tone_digit(d)) {
                        reachable[end + 2] = true;
                    }
                }
            }
        }
        reachable[n]
    }
}

/// The letters of pinyin, with and without tone marks.
const LETTERS: &str = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ";

/// Letters in the longest pinyin syllable (`zhuang`, `chuang`, `shuang`).
const LONGEST_SYLLABLE: usize = 6;

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

    /// A whole term glossed, its syllables spaced (five of them: the pattern took at most
    /// four) or written together as pinyin spells words; the importer left both in.
    #[test]
    fn removes_glosses_of_long_terms_and_of_words_written_together() {
        let g = Glosses::new();
        for (glossed, plain) in [
            ("新质生产力（xīn zhì shēng chǎn lì）是", "新质生产力是"),
            ("新质生产力（xīnzhì shēngchǎnlì）是", "新质生产力是"),
            ("新质生产力(Xīnzhì Shēngchǎnlì)", "新质生产力"),
            ("北京(bei3jing1)", "北京"),
            (
                "中华全国总工会（Zhōnghuá Quánguó Zǒnggōnghuì）",
                "中华全国总工会",
            ),
            ("西安(Xī'ān)", "西安"),
        ] {
            assert_eq!(g.strip(glossed).text, plain, "{glossed}");
        }
        for kept in [
            "(Kiwix)",
            "(café)",
            "(USB 3.0)",
            "(xin zhi)",
            "(xīn zhi)",
            "（zhōng guó hello）",
            "(2024)",
        ] {
            assert_eq!(g.strip(kept).text, kept, "{kept}");
        }
    }

    #[test]
    fn a_gloss_after_a_latin_letter_or_digit_is_an_orphan() {
        let u = Glosses::new().strip("阅读贵在坚持，5(fā)挥作用");
        assert_eq!(u.text, "阅读贵在坚持，5挥作用");
        assert_eq!(u.orphans, [('5', "fā".to_owned())]);
    }
}
