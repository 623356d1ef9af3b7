//! Positions in a user's file: a 1-based line and column ([`Position`]), the conversion from
//! byte offsets, and [`KeySpans`], where each key of a YAML block (front matter, site.yaml)
//! was written. Positions are recorded once, when a file is read, and looked up by every
//! diagnostic after that; nothing scans the text again to find them.

use std::collections::BTreeMap;

/// A 1-based line and column (in characters) of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The first character of a file: where a problem with no better place is shown.
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Position {
        Position { line, column }
    }
}

impl From<Position> for (usize, usize) {
    fn from(p: Position) -> (usize, usize) {
        (p.line, p.column)
    }
}

/// Line (1-based) and column (1-based, in characters) of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The byte offset of a 1-based line and column (in characters) of `text`: the inverse of
/// [`line_col`]. A position past the end of its line or of the text is clamped to it.
pub(crate) fn offset_of(text: &str, at: Position) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let line = text[line_start..].split('\n').next().unwrap_or("");
    let column = line
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    line_start + column
}

/// The nearest character boundary at or before byte `i`.
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where a key and its value start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpan {
    pub key: Position,
    pub value: Position,
}

/// The position of every block-style key of a YAML mapping, by its path: `title`,
/// `pagination.page_size`, `source.date`, `source.1.date` (list items by their 0-based index).
/// Keys inside flow collections (`{ a: 1 }`) are not recorded; their enclosing key is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySpans(BTreeMap<String, KeySpan>);

impl KeySpans {
    pub fn insert(&mut self, path: String, span: KeySpan) {
        // The first spelling wins, as it does for the YAML parser's duplicate-key error.
        self.0.entry(path).or_insert(span);
    }

    pub fn get(&self, path: &str) -> Option<KeySpan> {
        self.0.get(path).copied()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    /// Where `path`'s key is written; the start of the file when it is not.
    pub fn key(&self, path: &str) -> Position {
        self.get(path).map_or(Position::START, |s| s.key)
    }

    /// Where `path`'s value starts; the start of the file when the key is not written.
    pub fn value(&self, path: &str) -> Position {
        self.get(path).map_or(Position::START, |s| s.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("ab\n工会x", 9), (2, 3));
        assert_eq!(line_col("abc", 0), (1, 1));
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let text = "ab\n工会x\n";
        for offset in [0, 1, 3, 6, 9, 10] {
            let (line, column) = line_col(text, offset);
            assert_eq!(offset_of(text, Position::new(line, column)), offset);
        }
        assert_eq!(offset_of(text, Position::new(2, 99)), 10);
    }

    #[test]
    fn absent_keys_point_at_the_start_of_the_file() {
        let mut spans = KeySpans::default();
        let span = KeySpan {
            key: Position::new(2, 1),
            value: Position::new(2, 8),
        };
        spans.insert("title".into(), span);
        spans.insert(
            "title".into(),
            KeySpan {
                key: Position::START,
                value: Position::START,
            },
        );
        assert_eq!(spans.get("title"), Some(span));
        assert_eq!(spans.value("date"), Position::START);
        assert!(!spans.contains("date"));
    }
}
