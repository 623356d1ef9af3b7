//! Which characters are CJK script, and which are letters or digits in a text that is mostly
//! CJK. A leaf module: reading length, related articles and search all treat Chinese text
//! differently from alphabetic text, and none of them owns it.

/// Han ideographs (all blocks), kana and Hangul syllables.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// [`char::is_alphanumeric`], answered without Unicode's tables for ASCII and for the
/// punctuation that fills Chinese text (，。、“”《》：！…), which a whole site's every
/// character passes through, in reading lengths and in the search's tokenizer (the tables'
/// lookups were 3 % of a build's CPU, and again 1.4 % in the tokenizer).
pub(crate) fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c as u32 {
        0x2000..=0x206F
        | 0x3000..=0x3004
        | 0x3008..=0x3020
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65 => false,
        _ => c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shortcut_agrees_with_the_standard_library_everywhere() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
