//! The `import:` front-matter mapping: what `gongdu import` changed in an article and what it
//! wants an editor to review. `build` reads it only to check its shape (a typo is an error
//! at its line, like any key) and never shows it to templates; `import` writes it.

use serde::{Deserialize, Serialize};

/// Everything the importer did to one article. Counts are omitted when zero, lists when empty,
/// so a clean import writes a short mapping. Line numbers are 1-based lines of the input file
/// (for an HTML page: of the text extracted from it), except in [`SpamNote`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRecord {
    /// The input file's name.
    pub from: String,
    /// The input's encoding when it was not UTF-8 (`GB18030`, `Big5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Traditional characters converted to Simplified.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub converted: usize,
    /// Pinyin glosses removed, such as `(wǎng)` after 网.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub glosses: usize,
    /// Line breaks and spaces removed from the middle of a sentence, and paragraphs joined.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub joined: usize,
    /// Half-width punctuation, straight quotes and `...` made Chinese.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub punctuation: usize,
    /// Lines and paragraphs removed: site chrome and duplicates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removed>,
    /// Damage repaired because the repair could be proved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<Repair>,
    /// What the editor must look at: damage that could not be repaired, suspicious text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Flag>,
    /// Spam found in the body: removed, restored, or left for the editor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spam: Vec<SpamNote>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    pub line: usize,
    pub kind: RemovedKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RemovedKind {
    /// Navigation, buttons, bylines of the page, footers.
    Chrome,
    /// A paragraph, lead or pull-quote printed again, or a title repeated as its subtitle.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repair {
    pub line: usize,
    /// How the repair was proved, e.g. `UTF-8 read as windows-1252`.
    pub how: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    pub line: usize,
    pub message: String,
}

/// One spam finding. `line` and `column` count in the article's body as written (the lines
/// after the front matter), 1-based.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpamNote {
    pub line: usize,
    pub column: usize,
    pub term: String,
    pub action: SpamAction,
    /// The word put back in the term's place, for `restored`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored: Option<String>,
    /// 0 to 1, two decimals (written as the detector reports it, rounded).
    pub confidence: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpamAction {
    Removed,
    Restored,
    /// Left in the text for the editor; the article is written as a draft.
    Unresolved,
    LinkFarm,
}

impl ImportRecord {
    /// Adds what a later import found; entries already recorded (by their text or message)
    /// are not repeated. Returns whether anything was added.
    pub fn merge(&mut self, later: &ImportRecord) -> bool {
        let before = self.clone();
        self.converted += later.converted;
        self.glosses += later.glosses;
        self.joined += later.joined;
        self.punctuation += later.punctuation;
        for r in &later.removed {
            if !self.removed.iter().any(|m| m.text == r.text) {
                self.removed.push(r.clone());
            }
        }
        for r in &later.repairs {
            if !self.repairs.iter().any(|m| m.from == r.from) {
                self.repairs.push(r.clone());
            }
        }
        for f in &later.flags {
            if !self.flags.iter().any(|m| m.message == f.message) {
                self.flags.push(f.clone());
            }
        }
        for s in &later.spam {
            if !self
                .spam
                .iter()
                .any(|m| m.term == s.term && m.action == s.action)
            {
                self.spam.push(s.clone());
            }
        }
        *self != before
    }
}
