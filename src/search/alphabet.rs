//! The compact spelling of document texts in `search/x/`: 1,024 common characters (and every
//! printable ASCII character) get numbers, written in the postings' base-64 digits, so the
//! commonest take one byte and the rest of the top two, where UTF-8 spends three on a Han
//! character. Other characters stand as themselves. The browser reads the list from
//! `search/alphabet.js` and spells the texts back.

use rustc_hash::FxHashMap;

use super::encode;

/// The numbered characters, commonest first: a fixed table, the same for every site, so
/// that one article's new character never renumbers the others' texts (mirror update packs
/// ship only changed files). Counted once from the characters of this repository's own
/// sample articles (`content/`, Markdown markup and link targets left out), the 1,024
/// commonest, then every printable ASCII character not among them (a raw ASCII character
/// would read as a digit, so ASCII must always have a number).
const TABLE: &str = include_str!("alphabet.txt");

pub(crate) struct Alphabet {
    /// Numbered characters, commonest first: number → character.
    chars: Vec<char>,
    /// Character → number, for code points below U+10000 (u32::MAX: none).
    bmp: Vec<u32>,
    astral: FxHashMap<char, u32>,
}

impl Alphabet {
    /// The fixed table.
    pub(crate) fn fixed() -> Alphabet {
        let chars: Vec<char> = TABLE.chars().collect();
        let mut bmp = vec![u32::MAX; 0x1_0000];
        let mut astral = FxHashMap::default();
        for (n, &c) in chars.iter().enumerate() {
            match bmp.get_mut(c as usize) {
                Some(slot) => *slot = n as u32,
                None => {
                    astral.insert(c, n as u32);
                }
            }
        }
        Alphabet { chars, bmp, astral }
    }

    fn number(&self, c: char) -> Option<u32> {
        match self.bmp.get(c as usize) {
            Some(&n) => (n != u32::MAX).then_some(n),
            None => self.astral.get(&c).copied(),
        }
    }

    /// `text` in this alphabet: numbered characters as digits, the others as themselves.
    pub(crate) fn spell(&self, text: &str) -> String {
        let mut out = Vec::with_capacity(text.len());
        let mut buf = [0; 4];
        for c in text.chars() {
            match self.number(c) {
                Some(n) => encode::push(&mut out, n),
                None => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
            }
        }
        String::from_utf8(out).expect("digits and whole characters")
    }

    /// `gongduSearch.alphabet("…")`: the numbered characters in order.
    pub(crate) fn to_script(&self) -> String {
        let list: String = self.chars.iter().collect();
        format!(
            "gongduSearch.alphabet({});\n",
            serde_json::to_string(&list).expect("a string serialises")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser's reading, as docs/search.md describes it.
    fn read(alphabet: &Alphabet, spelled: &str) -> String {
        let mut out = String::new();
        let mut digits = Vec::new();
        for c in spelled.chars() {
            if c.is_ascii() {
                digits.push(c as u8);
                let decoded = encode::decode(&digits);
                if let [n] = decoded[..] {
                    out.push(alphabet.chars[n as usize]);
                    digits.clear();
                }
            } else {
                assert!(digits.is_empty(), "a raw character inside a number");
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn texts_spell_back_and_common_characters_take_one_byte() {
        let alphabet = Alphabet::fixed();
        let texts = [
            "工会工会工会，职工之家。GDP 12351\n\"引号\" \\ 𠀀 ~{}\t",
            "工会驿站",
        ];
        for text in texts {
            assert_eq!(read(&alphabet, &alphabet.spell(text)), text);
        }
        assert_eq!(alphabet.spell("工的").len(), 2);
    }

    #[test]
    fn the_table_numbers_every_printable_ascii_character_once() {
        let alphabet = Alphabet::fixed();
        let mut seen = std::collections::HashSet::new();
        assert!(alphabet.chars.iter().all(|c| seen.insert(*c)), "no repeats");
        for c in (0x20u8..0x7F).map(char::from).chain(['\n', '\t']) {
            assert!(alphabet.number(c).is_some(), "{c:?} has a number");
        }
    }

    #[test]
    fn rare_characters_stand_as_themselves_but_ascii_is_always_numbered() {
        let alphabet = Alphabet::fixed();
        let spelled = alphabet.spell("龘x");
        assert!(spelled.starts_with('龘'), "{spelled}");
        assert!(!spelled.ends_with('x'), "{spelled}");
        assert_eq!(read(&alphabet, &spelled), "龘x");
    }
}
