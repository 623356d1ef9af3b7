//! Which characters are CJK script. A leaf module: reading length, related articles and
//! search all treat Chinese text differently from alphabetic text, and none of them owns it.

/// Han ideographs (all blocks), kana and Hangul syllables.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}
