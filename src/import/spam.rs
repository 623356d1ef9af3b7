//! The spam step's place in the pipeline: an article's body, after cleaning, goes through
//! `src/spam` (a lexicon of gambling and adult terms read in context), which removes, restores
//! or flags what it finds. This module turns its findings into the `import:` record and makes
//! any article with unresolved spam a draft, so nothing suspicious is published unreviewed.

use crate::source::import_record::{SpamAction, SpamNote};
use crate::spam::{self, Action, Finding};

/// Runs the spam detector on a body; returns the body it leaves and its findings.
pub(super) fn check(body: &str) -> (String, Vec<SpamNote>) {
    let cleaned = spam::clean(body);
    let notes = cleaned.findings.into_iter().map(note).collect();
    (cleaned.text, notes)
}

fn note(f: Finding) -> SpamNote {
    let (action, restored) = match f.action {
        Action::Removed => (SpamAction::Removed, None),
        Action::Restored(word) => (SpamAction::Restored, Some(word)),
        Action::Unresolved => (SpamAction::Unresolved, None),
        Action::LinkFarm => (SpamAction::LinkFarm, None),
    };
    SpamNote {
        line: f.line,
        column: f.column,
        term: f.term,
        action,
        restored,
        // Two decimals, so that the YAML reads 0.97 rather than an f32's long tail.
        confidence: (f64::from(f.confidence) * 100.0).round() / 100.0,
    }
}

/// An article whose spam could not be resolved is written as `draft: true`.
pub(super) fn needs_review(notes: &[SpamNote]) -> bool {
    notes.iter().any(|n| n.action == SpamAction::Unresolved)
}
