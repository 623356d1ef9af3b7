//! The publishing guard: a published (non-draft) page whose title, summary or body holds a
//! known gambling or adult term (a strong term of `spam`'s lexicon) is reported at the term's
//! file:line:column — a warning for `gongdu build`, an error for `gongdu check`. Cleaning is
//! `spam::clean`'s job at import; this only keeps what slipped through off the site.

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::limits::Positions;
use crate::site::Docs;
use crate::source::{DocMeta, Document};
use crate::spam::Lexicon;
use crate::span::offset_of;

/// Every known term in every published page, each at its place.
pub(crate) fn published_terms(docs: &Docs, severity: Severity) -> Vec<Diagnostic> {
    let lexicon = Lexicon::shared();
    docs.raw
        .par_iter()
        .flat_map_iter(|doc| in_document(doc, lexicon, severity))
        .collect()
}

fn in_document(doc: &Document, lexicon: &Lexicon, severity: Severity) -> Vec<Diagnostic> {
    let (title, summary) = match &doc.meta {
        DocMeta::Page(m) if m.draft => return Vec::new(),
        DocMeta::Page(m) => (Some(m.title.as_str()), m.summary.as_deref()),
        DocMeta::Section(m) => (m.title.as_deref(), m.summary.as_deref()),
    };
    // Byte offsets in the file of each term found, with the field it is in.
    let mut found: Vec<(usize, &str, &str)> = Vec::new();
    for (key, value) in [("title", title), ("summary", summary)] {
        let Some(value) = value else { continue };
        for hit in lexicon.strong_hits(value) {
            let term = &value[hit.start..hit.end];
            found.push((front_matter_offset(doc, key, term), key, term));
        }
    }
    let body = doc.body();
    for hit in lexicon.strong_hits(body) {
        found.push((
            doc.body_offset + hit.start,
            "body",
            &body[hit.start..hit.end],
        ));
    }
    let mut out = Vec::new();
    let mut positions = Positions::default();
    for (offset, field, term) in found {
        let message =
            format!("published page contains the gambling or adult term `{term}` ({field})");
        let d = Diagnostic {
            severity,
            ..Diagnostic::error(&doc.shown, message)
        }
        .with_hint(
            "spam injected into a source: remove it, or set `draft: true` until an editor has \
             checked the page",
        );
        positions.push(&mut out, d, &doc.text, offset);
    }
    positions.finish(&mut out, &doc.shown);
    out
}

/// Where `term` is written in the value of front-matter `key`: searched from where the value
/// starts (it may be quoted or folded over lines), or the value's start when the written
/// form differs (an escape inside the term).
fn front_matter_offset(doc: &Document, key: &str, term: &str) -> usize {
    let start = offset_of(&doc.text, doc.keys.value(key));
    let written = &doc.text[start..doc.body_offset.max(start)];
    written.find(term).map_or(start, |i| start + i)
}
