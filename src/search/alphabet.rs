//! The compact spelling of document texts in `search/x/`: the site's 1,024 most frequent
//! characters (and every ASCII character it uses) get numbers, written in the postings'
//! base-64 digits, so the commonest take one byte and the rest of the top two, where UTF-8
//! spends three on a Han character. Rarer characters stand as themselves. The browser reads
//! the list from `search/alphabet.js` and spells the texts back.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::encode;

/// Characters that get a number (besides ASCII, which always does: a raw ASCII character
/// would read as a digit).
const NUMBERED: usize = 1024;

pub(crate) struct Alphabet {
    /// Numbered characters, most frequent first: number → character.
    chars: Vec<char>,
    /// Character → number, for code points below U+10000 (u32::MAX: none).
    bmp: Vec<u32>,
    astral: FxHashMap<char, u32>,
}

impl Alphabet {
    /// The alphabet of `texts`: frequency counted in parallel, ties broken by code point.
    pub(crate) fn of(texts: &[&str]) -> Alphabet {
        let counts = texts
            .par_iter()
            .fold(Counts::default, |mut counts, text| {
                for c in text.chars() {
                    counts.add(c);
                }
                counts
            })
            .reduce(Counts::default, Counts::merge);
        let mut by_frequency: Vec<(u64, char)> = counts.into_pairs();
        by_frequency.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut chars: Vec<char> = Vec::new();
        let mut rest_ascii = Vec::new();
        for (i, &(_, c)) in by_frequency.iter().enumerate() {
            if i < NUMBERED {
                chars.push(c);
            } else if c.is_ascii() {
                rest_ascii.push(c);
            }
        }
        chars.extend(rest_ascii);
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

/// Character counts: a table for code points below U+10000, a map for the rest.
struct Counts {
    bmp: Vec<u64>,
    astral: FxHashMap<char, u64>,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts {
            bmp: vec![0; 0x1_0000],
            astral: FxHashMap::default(),
        }
    }
}

impl Counts {
    fn add(&mut self, c: char) {
        match self.bmp.get_mut(c as usize) {
            Some(n) => *n += 1,
            None => *self.astral.entry(c).or_default() += 1,
        }
    }

    fn merge(mut self, other: Counts) -> Counts {
        for (a, b) in self.bmp.iter_mut().zip(other.bmp) {
            *a += b;
        }
        for (c, n) in other.astral {
            *self.astral.entry(c).or_default() += n;
        }
        self
    }

    fn into_pairs(self) -> Vec<(u64, char)> {
        let bmp = self
            .bmp
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .filter_map(|(c, n)| Some((n, char::from_u32(c as u32)?)));
        bmp.chain(self.astral.into_iter().map(|(c, n)| (n, c)))
            .collect()
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
        let texts = [
            "工会工会工会，职工之家。GDP 12351\n\"引号\" \\ 𠀀",
            "工会驿站",
        ];
        let alphabet = Alphabet::of(&texts);
        assert_eq!(alphabet.chars[0], '工');
        for text in texts {
            assert_eq!(read(&alphabet, &alphabet.spell(text)), text);
        }
        assert_eq!(alphabet.spell("工会").len(), 2);
    }

    #[test]
    fn rare_characters_stand_as_themselves_but_ascii_is_always_numbered() {
        let mut text: String = (0..NUMBERED as u32 + 50)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .flat_map(|c| [c, c])
            .collect();
        text.push_str("龘x");
        let alphabet = Alphabet::of(&[&text]);
        let spelled = alphabet.spell("龘x");
        assert!(spelled.starts_with('龘'), "{spelled}");
        assert!(!spelled.ends_with('x'), "{spelled}");
        assert_eq!(read(&alphabet, &spelled), "龘x");
    }
}
