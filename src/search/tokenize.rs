//! The search tokenizer, defined once and written twice: here for the indexer and in
//! `search/tokenize.js` for queries; `tests/search_parity.rs` runs both on the same edge cases.
//! NFKC, Traditional→Simplified per character, lowercase; runs of Han characters become
//! overlapping bigrams (a lone character stays a unigram), other letter/digit runs one token.

use unicode_normalization::UnicodeNormalization;

use super::fold::FoldTable;

/// One token and its position in the token stream (separators add one to the gap).
pub(crate) type Token = (String, u32);

/// NFKC, folded to Simplified, lowercased: the text tokens are cut from.
pub(crate) fn normalize(text: &str, fold: &FoldTable) -> String {
    // Han characters (U+4E00–9FFF) and ASCII are unchanged by NFKC as long as the next
    // character cannot combine with them, and Han has no case: copy those directly and run
    // the full algorithm only on the stretches around anything else. `reference_normalize`
    // below is the definition; the tests hold the two equal.
    if text.contains('Σ') {
        return reference_normalize(text, fold); // final sigma depends on neighbouring letters
    }
    let mut out = String::with_capacity(text.len());
    // `text[kept..]` up to the character at hand is unchanged by all three steps (most of a
    // Chinese text), and is copied in one piece when something else comes: where every
    // character was pushed one by one, the index stage at 10,000 articles took 1.00–1.01 s
    // instead of 0.94–0.97 (`--timings`, three builds each).
    let mut kept = 0;
    let mut pending = String::new();
    let mut chars = text
        .char_indices()
        .map(|(i, c)| (i, c, simple(c)))
        .peekable();
    while let Some((i, c, simple)) = chars.next() {
        let next_inert = chars.peek().is_none_or(|&(_, _, n)| n.is_some());
        if let (Some(simple), true, true) = (simple, next_inert, pending.is_empty()) {
            let one = if simple.is_ascii() {
                simple.to_ascii_lowercase()
            } else {
                fold.fold(simple)
            };
            if one != c {
                out.push_str(&text[kept..i]);
                out.push(one);
                kept = i + c.len_utf8();
            }
        } else {
            out.push_str(&text[kept..i]);
            kept = i + c.len_utf8();
            pending.push(c);
            if next_inert {
                out.push_str(&reference_normalize(&pending, fold));
                pending.clear();
            }
        }
    }
    // Nothing is pending here: the last character has nothing after it to combine with.
    out.push_str(&text[kept..]);
    out
}

/// What NFKC makes of a common character that becomes one character whatever stands around
/// it, and that nothing before it can combine with: ASCII, the main Han block, the usual
/// Chinese punctuation (unchanged) and full-width ASCII (its ASCII twin). None for the rest.
fn simple(c: char) -> Option<char> {
    match c {
        '\0'..='\x7f'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{3002}'
        | '\u{3008}'..='\u{3011}'
        | '\u{2014}'
        | '\u{2018}'..='\u{2019}'
        | '\u{201C}'..='\u{201D}' => Some(c),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// The tokenizer's normalisation, step by step as documented.
pub(crate) fn reference_normalize(text: &str, fold: &FoldTable) -> String {
    let folded: String = text.nfkc().map(|c| fold.fold(c)).collect();
    folded.to_lowercase()
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF | 0x2EBF0..=0x2EE5F | 0x30000..=0x3134F | 0x31350..=0x323AF)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Han,
    Word,
    Sep,
}

/// What a character is to the tokenizer: part of a Han run, of a word, or a separator. The
/// indexer's one-pass count of a body (`fulltext::DocTokens::body`) cuts by it too, without
/// positions; a test there holds the two cuts equal, so change [`for_each_token`] with it.
pub(crate) fn class(c: char) -> Class {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Sep
        }
    } else if is_han(c) {
        Class::Han
    } else if crate::cjk::is_alphanumeric(c) {
        Class::Word
    } else {
        Class::Sep
    }
}

pub(crate) fn tokenize(text: &str, fold: &FoldTable) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_token(&normalize(text, fold), |token, position| {
        tokens.push((token.to_string(), position));
    });
    tokens
}

/// A token as the indexer sees it, without allocating for the common Han ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Han(char),
    Pair(char, char),
    Word(&'a str),
}

impl std::fmt::Display for Piece<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Piece::Han(c) => write!(f, "{c}"),
            Piece::Pair(a, b) => write!(f, "{a}{b}"),
            Piece::Word(w) => f.write_str(w),
        }
    }
}

/// Positions: one per token, and one more where separators stood between two tokens.
#[derive(Default)]
struct Counter {
    position: u32,
    gap: bool,
    any: bool,
}

impl Counter {
    fn take(&mut self) -> u32 {
        if self.gap && self.any {
            self.position += 1;
        }
        self.gap = false;
        self.any = true;
        self.position += 1;
        self.position - 1
    }
}

/// Calls `emit` for every token of already normalized text, in order, with its position.
pub(crate) fn for_each_token<'a>(text: &'a str, mut emit: impl FnMut(Piece<'a>, u32)) {
    let mut counter = Counter::default();
    let mut next = |piece: Piece<'a>, counter: &mut Counter| emit(piece, counter.take());
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match class(c) {
            Class::Sep => counter.gap = true,
            Class::Word => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, d)) = chars.peek() {
                    if class(d) != Class::Word {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
                next(Piece::Word(&text[start..end]), &mut counter);
            }
            Class::Han => {
                let mut previous = c;
                let mut alone = true;
                while let Some(&(_, d)) = chars.peek() {
                    if class(d) != Class::Han {
                        break;
                    }
                    next(Piece::Pair(previous, d), &mut counter);
                    previous = d;
                    alone = false;
                    chars.next();
                }
                if alone {
                    next(Piece::Han(c), &mut counter);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(String, u32)> {
        tokenize(text, &FoldTable::opencc())
    }

    #[test]
    fn han_runs_become_bigrams_and_words_stay_whole() {
        let t = toks("新质生产力，GDP增长2024年");
        let shown: Vec<String> = t.iter().map(|(s, p)| format!("{s}@{p}")).collect();
        assert_eq!(
            shown,
            [
                "新质@0", "质生@1", "生产@2", "产力@3", "gdp@5", "增长@6", "2024@7", "年@8"
            ]
        );
    }

    #[test]
    fn fast_normalisation_equals_the_definition() {
        let fold = FoldTable::opencc();
        let cases = [
            "新質生產力 ＧＤＰ 12351 Ａｂｃ",
            "e\u{301}工会",
            "工e\u{341}",
            "ΑΣ ΟΔΟΣ",
            "ﾊﾝｶｸ ｶﾀｶﾅ",
            "①②③ ㍿ ﬁ",
            "한국어 ᄀ\u{1161}",
            "𠀀𰀀 ⾔ 兀",
            "",
            "   ",
            "A\u{308}\u{323}b",
            "勞模精神。工人！",
            "\u{FB2C}x",
        ];
        for case in cases {
            assert_eq!(
                normalize(case, &fold),
                reference_normalize(case, &fold),
                "{case:?}"
            );
        }
        // Every code point of a few busy blocks, next to ASCII and Han.
        for block in [
            0x0300..0x0370u32,
            0x2000..0x2070,
            0x1100..0x1200,
            0x3000..0x3100,
            0xF900..0xFB00,
            0xFF00..0xFFF0,
        ] {
            let text: String = block
                .filter_map(char::from_u32)
                .flat_map(|c| [c, 'a', '工', c])
                .collect();
            assert_eq!(normalize(&text, &fold), reference_normalize(&text, &fold));
        }
    }

    #[test]
    fn traditional_fullwidth_and_case_fold() {
        assert_eq!(toks("勞模"), [("劳模".to_owned(), 0)]);
        assert_eq!(toks("ＧＤＰ"), [("gdp".to_owned(), 0)]);
        assert_eq!(toks("工"), [("工".to_owned(), 0)]);
        assert!(toks("  ，。🙂 ").is_empty());
    }
}
