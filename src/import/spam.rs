//! The spam step's place in the pipeline: an article's body, after cleaning, goes through
//! `src/spam` (a lexicon of gambling and adult terms read in context), which removes, restores
//! or flags what it finds. This module turns its findings into the `import:` record and makes
//! any article with unresolved spam a draft, so nothing suspicious is published unreviewed.

use crate::source::import_record::{SpamAction, SpamNote};

/// Runs the spam detector on a body; returns the body it leaves and its findings.
pub(super) fn check(body: &str) -> (String, Vec<SpamNote>) {
    // merged with src/spam: `spam::clean(body)` goes here, its `Cleaned.text` returned and
    // each `Finding` mapped to a `SpamNote` (Removed → removed, Restored(word) → restored with
    // `restored: Some(word)`, Unresolved → unresolved, LinkFarm → link-farm; the f32 confidence
    // rounded to two decimals as f64, so the YAML reads 0.97). Until then the
    // body passes unchanged and nothing is reported.
    (body.to_owned(), Vec::new())
}

/// An article whose spam could not be resolved is written as `draft: true`.
pub(super) fn needs_review(notes: &[SpamNote]) -> bool {
    notes.iter().any(|n| n.action == SpamAction::Unresolved)
}
