//! Links between the site's pages as rendering finds them: each [`OutLink`] names its
//! [`Target`] and how it was written. Rendering produces them; backlinks, related articles and
//! the anchor check read them through [`PageLinks`], so this layer never depends on Markdown.

use super::EntryId;
use super::targets::Target;

/// How a link was written in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[[页面标题#小节|文字]]`
    Wiki,
    /// `[文字](other.md#x)` or `[文字](#x)`
    Markdown,
}

/// A link from a document to a page or section of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutLink {
    pub target: Target,
    pub kind: LinkKind,
    /// The heading id after `#`, decoded.
    pub fragment: Option<String>,
    /// Byte offset of the link in the body.
    pub at: usize,
    /// How the link was written (`[[目标#小节]]`, `a.md#x`), for messages.
    pub written: String,
    /// The sentence the link stands in, as plain text.
    pub context: String,
}

/// What the knowledge layer reads from a rendered document.
pub(crate) trait PageLinks {
    /// Links to pages and sections, in the order written.
    fn links(&self) -> &[OutLink];
    /// Glossary entries whose terms the document links to.
    fn terms(&self) -> &[EntryId];
}
