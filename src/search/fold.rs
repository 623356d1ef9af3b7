//! Traditional → Simplified folding, one code point at a time, from OpenCC's
//! `TSCharacters` table (Apache-2.0; the table and its licence ship with every site). The same
//! pairs are written to `search/fold.js` so the browser folds queries exactly like the indexer,
//! and the characters they fold to `config.js` ([`FoldTable::foldable`]), so that the browser
//! loads the pairs only for a text that needs them.
//! [`entries`] reads OpenCC's table format for every table gongdu ships (`import` also reads
//! `TSPhrases` through it).

use std::borrow::Cow;

use rustc_hash::FxHashMap;

const TABLE: &str = include_str!("opencc/TSCharacters.txt");
/// OpenCC's Traditional → Simplified phrases, for converting whole texts (`gongdu import`).
pub(crate) const TS_PHRASES: &str = include_str!("opencc/TSPhrases.txt");
pub(crate) const LICENSE: &str = include_str!("opencc/LICENSE");

/// The `(key, value)` entries of a table in OpenCC's format (`key<TAB>value value…`, `#`
/// comments). Of several values the first is OpenCC's preferred one.
pub(crate) fn entries(table: &str) -> impl Iterator<Item = (&str, &str)> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let (from, to) = line.split_once('\t')?;
            Some((from, to.split(' ').next().unwrap_or("")))
        })
}

/// The first code point of the table (CJK Extension A starts at U+3400; the table's first
/// key is U+346E), and the end of the CJK Unified Ideographs block.
const DENSE_START: u32 = 0x3400;
const DENSE_END: u32 = 0xA000;

fn dense_index(c: char) -> Option<usize> {
    let u = c as u32;
    (DENSE_START..DENSE_END)
        .contains(&u)
        .then(|| (u - DENSE_START) as usize)
}

/// The folding table, built once per build and passed to whoever tokenizes.
#[derive(Debug, Clone)]
pub(crate) struct FoldTable {
    /// The folding of every code point from [`DENSE_START`] up to [`DENSE_END`] (the CJK
    /// blocks that hold most of the table and nearly all of a text), looked up by index:
    /// every character of every document goes through here, and an array read costs less
    /// than hashing the character (with the theme fix beside it, 5 % of a 10,000-article
    /// build's CPU; docs/performance.md). 110 KB.
    dense: Box<[char]>,
    /// The rest of the table (compatibility ideographs, the supplementary planes).
    map: FxHashMap<char, char>,
    /// `(traditional, simplified)` in table order, for the browser copy.
    pairs: Vec<(char, char)>,
}

impl FoldTable {
    pub(crate) fn opencc() -> FoldTable {
        let mut pairs = Vec::new();
        for (from, to) in entries(TABLE) {
            let mut from_chars = from.chars();
            let mut to_chars = to.chars();
            if let (Some(f), None, Some(t), None) = (
                from_chars.next(),
                from_chars.next(),
                to_chars.next(),
                to_chars.next(),
            ) && f != t
            {
                pairs.push((f, t));
            }
        }
        let mut dense: Vec<char> = (DENSE_START..DENSE_END)
            .map(|u| char::from_u32(u).unwrap_or('\0'))
            .collect();
        let mut map = FxHashMap::default();
        for &(t, s) in &pairs {
            match dense_index(t) {
                Some(i) => dense[i] = s,
                None => {
                    map.insert(t, s);
                }
            }
        }
        FoldTable {
            dense: dense.into_boxed_slice(),
            map,
            pairs,
        }
    }

    /// `text` with every character folded; borrowed when none changes, as in nearly every
    /// text written in Simplified.
    pub(crate) fn fold_str<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let Some((at, _)) = text.char_indices().find(|&(_, c)| self.fold(c) != c) else {
            return Cow::Borrowed(text);
        };
        let mut folded = String::with_capacity(text.len());
        folded.push_str(&text[..at]);
        folded.extend(text[at..].chars().map(|c| self.fold(c)));
        Cow::Owned(folded)
    }

    pub(crate) fn fold(&self, c: char) -> char {
        if (c as u32) < DENSE_START {
            return c; // ASCII, punctuation, kana: nothing in the table
        }
        match dense_index(c) {
            Some(i) => self.dense[i],
            None => self.map.get(&c).copied().unwrap_or(c),
        }
    }

    /// `var gongduFoldPairs = "T1S1T2S2…";` with the licence notice as a comment.
    /// The code points the table folds, ascending, as gaps in the postings encoding: the
    /// search page loads `search/fold.js` (26 KB) only for a query or a text that holds one
    /// of them after NFKC, which a text written in Simplified rarely does.
    pub(crate) fn foldable(&self) -> String {
        let mut keys: Vec<u32> = self.pairs.iter().map(|&(t, _)| t as u32).collect();
        keys.sort_unstable();
        keys.dedup();
        super::encode::gaps(keys)
    }

    pub(crate) fn to_script(&self) -> String {
        let mut pairs = String::with_capacity(self.pairs.len() * 8);
        for (t, s) in &self.pairs {
            pairs.push(*t);
            pairs.push(*s);
        }
        format!(
            "/* Traditional → Simplified character pairs from OpenCC's TSCharacters.txt\n   \
             (https://github.com/BYVoid/OpenCC), Apache License 2.0: see LICENSE-OpenCC.txt beside this file. */\n\
             var gongduFoldPairs = \"{pairs}\";\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_foldable_list_names_exactly_the_characters_the_table_folds() {
        let t = FoldTable::opencc();
        let mut at = 0;
        let listed: Vec<char> = super::super::encode::numbers(t.foldable().as_bytes())
            .map(|gap| {
                at += gap;
                char::from_u32(at).expect("a code point")
            })
            .collect();
        assert!(
            listed.is_sorted() && listed.len() > 3000,
            "{}",
            listed.len()
        );
        assert!(listed.iter().all(|&c| t.fold(c) != c));
        let unlisted = ('\u{3400}'..='\u{9fff}').chain('\u{20000}'..='\u{2ffff}');
        assert!(
            unlisted
                .filter(|c| listed.binary_search(c).is_err())
                .all(|c| t.fold(c) == c)
        );
        for (c, folds) in [('勞', true), ('會', true), ('劳', false), ('工', false)] {
            assert_eq!(listed.contains(&c), folds, "{c}");
        }
    }

    #[test]
    fn folds_traditional_characters_and_leaves_others() {
        let t = FoldTable::opencc();
        assert_eq!(
            t.fold_str("勞模精神 新質生產力 工會"),
            "劳模精神 新质生产力 工会"
        );
        assert!(matches!(t.fold_str("劳模精神"), Cow::Borrowed(_)));
        assert_eq!(t.fold('a'), 'a');
        assert!(t.pairs.len() > 3000, "{}", t.pairs.len());
    }

    #[test]
    fn the_dense_part_and_the_rest_fold_exactly_as_the_table_says() {
        let t = FoldTable::opencc();
        let mut expected: FxHashMap<char, char> = FxHashMap::default();
        for &(from, to) in &t.pairs {
            expected.insert(from, to); // a key listed twice: its last line, as before
        }
        assert!(expected.keys().any(|c| dense_index(*c).is_none()));
        for (&from, &to) in &expected {
            assert_eq!(t.fold(from), to, "{from}");
        }
        for c in [
            '\u{33FF}',
            '\u{3400}',
            '\u{9FFF}',
            '\u{A000}',
            '工',
            '\u{20000}',
            '。',
        ] {
            assert_eq!(t.fold(c), expected.get(&c).copied().unwrap_or(c), "{c}");
        }
    }
}
