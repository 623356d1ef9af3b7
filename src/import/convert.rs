//! Traditional → Simplified, by phrase first and by character after, with OpenCC's tables
//! (`TSPhrases`, then `TSCharacters` through the search module's [`FoldTable`]) plus a few
//! phrases of our own. Phrases come first because a character table alone cannot know that
//! 著力點 is 着力点 while 著作 stays 著作.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::search::fold::{self, FoldTable};

const GONGDU_PHRASES: &str = include_str!("ts_phrases_gongdu.txt");

/// The converter, built once per run.
pub(crate) struct Converter {
    /// Every Traditional phrase; leftmost-longest matching is OpenCC's maximum forward match.
    phrases: AhoCorasick,
    simplified: Vec<String>,
    fold: FoldTable,
}

impl Converter {
    pub(crate) fn new() -> Converter {
        let mut keys = Vec::new();
        let mut simplified = Vec::new();
        for (from, to) in fold::entries(fold::TS_PHRASES).chain(fold::entries(GONGDU_PHRASES)) {
            keys.push(from.to_owned());
            simplified.push(to.to_owned());
        }
        let phrases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .expect("a few hundred short phrases always build an automaton");
        Converter {
            phrases,
            simplified,
            fold: FoldTable::opencc(),
        }
    }

    /// The text in Simplified characters and how many characters changed.
    pub(crate) fn convert(&self, text: &str) -> (String, usize) {
        let mut out = String::with_capacity(text.len());
        let mut changed = 0;
        let mut at = 0;
        for m in self.phrases.find_iter(text) {
            changed += self.fold_into(&text[at..m.start()], &mut out);
            let from = &text[m.start()..m.end()];
            let to = &self.simplified[m.pattern().as_usize()];
            changed += from.chars().zip(to.chars()).filter(|(a, b)| a != b).count();
            out.push_str(to);
            at = m.end();
        }
        changed += self.fold_into(&text[at..], &mut out);
        (out, changed)
    }

    fn fold_into(&self, text: &str, out: &mut String) -> usize {
        let mut changed = 0;
        for c in text.chars() {
            let s = self.fold.fold(c);
            changed += usize::from(s != c);
            out.push(s);
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_by_phrase_before_character() {
        let c = Converter::new();
        assert_eq!(c.convert("著力點").0, "着力点");
        assert_eq!(c.convert("著作權").0, "著作权");
        assert_eq!(c.convert("一目瞭然").0, "一目了然");
        let (text, changed) = c.convert("勞模精神 新質生產力");
        assert_eq!((text.as_str(), changed), ("劳模精神 新质生产力", 3));
    }

    #[test]
    fn simplified_text_is_left_alone() {
        let c = Converter::new();
        let text = "劳模和工匠人才创新工作室的着力点在于带徒传艺。";
        assert_eq!(c.convert(text), (text.to_owned(), 0));
    }
}
