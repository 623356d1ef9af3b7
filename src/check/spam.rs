//! The publishing guard: a published (non-draft) page whose title, summary or body holds a
//! known gambling or adult term (a strong term of `spam`'s lexicon) is reported at the term's
//! file:line:column — a warning for `gongdu build`, an error for `gongdu check`. Cleaning is
//! `spam::clean`'s job at import; this only keeps what slipped through off the site.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::args;
use crate::diagnostic::{Code, Diagnostic, Severity, Words};
use crate::markdown::limits::Positions;
use crate::search::FoldTable;
use crate::source::{DocMeta, Document};
use crate::spam::Lexicon;
use crate::span::offset_of;

/// Every known term in each published page of `docs`, each at its place, in the order of
/// `docs`. Text is folded from Traditional to Simplified first (one character for one), so
/// 澳門葡京 is found too.
pub(crate) fn published_terms<'d>(
    docs: impl IntoParallelIterator<Item = &'d Document>,
    severity: Severity,
) -> Vec<Vec<Diagnostic>> {
    let lexicon = Lexicon::shared();
    let fold = FoldTable::opencc();
    docs.into_par_iter()
        .map(|doc| in_document(doc, lexicon, &fold, severity))
        .collect()
}

fn in_document(
    doc: &Document,
    lexicon: &Lexicon,
    fold: &FoldTable,
    severity: Severity,
) -> Vec<Diagnostic> {
    let (title, summary) = match &doc.meta {
        DocMeta::Page(m) if m.draft => return Vec::new(),
        DocMeta::Page(m) => (Some(m.title.as_str()), m.summary.as_deref()),
        DocMeta::Section(m) => (m.title.as_deref(), m.summary.as_deref()),
    };
    // Byte offsets in the file of each term found, with the field it is in.
    let mut found: Vec<(usize, &str, &str)> = Vec::new();
    for (key, value) in [("title", title), ("summary", summary)] {
        let Some(value) = value else { continue };
        for (start, end) in terms(value, lexicon, fold) {
            let term = &value[start..end];
            found.push((front_matter_offset(doc, key, term), key, term));
        }
    }
    let body = doc.body();
    for (start, end) in terms(body, lexicon, fold) {
        found.push((doc.body_offset + start, "body", &body[start..end]));
    }
    let mut out = Vec::new();
    let mut positions = Positions::default();
    for (offset, field, term) in found {
        let d = Diagnostic {
            severity,
            ..Diagnostic::new(
                Code::SpamTerm,
                &doc.shown,
                args!(term = term.to_owned(), field = field_words(field)),
            )
        }
        .hint(&SPAM_HINT, args!());
        positions.push(&mut out, d, &doc.text, offset);
    }
    positions.finish(&mut out, &doc.shown);
    out
}

/// The field a term was found in, named in the diagnostic's language.
fn field_words(field: &str) -> &'static Words {
    static TITLE: Words = Words {
        en: "title",
        zh: "标题",
    };
    static SUMMARY: Words = Words {
        en: "summary",
        zh: "摘要",
    };
    static BODY: Words = Words {
        en: "body",
        zh: "正文",
    };
    match field {
        "title" => &TITLE,
        "summary" => &SUMMARY,
        _ => &BODY,
    }
}

static SPAM_HINT: Words = Words {
    en: "spam injected into a source: remove it, or set `draft: true` until an editor has checked the page",
    zh: "这是源网站被注入的垃圾内容：请删除，或在编辑核对前设为 `draft: true`",
};

/// Byte ranges of `text` holding a strong term, found in its Simplified folding.
fn terms(text: &str, lexicon: &Lexicon, fold: &FoldTable) -> Vec<(usize, usize)> {
    let Cow::Owned(folded) = fold.fold_str(text) else {
        return lexicon
            .strong_hits(text)
            .map(|h| (h.start, h.end))
            .collect();
    };
    let hits: Vec<_> = lexicon.strong_hits(&folded).collect();
    if hits.is_empty() {
        return Vec::new();
    }
    // Folding keeps the number of characters, not always the number of bytes.
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let original = |at: usize| starts[folded[..at].chars().count()];
    hits.into_iter()
        .map(|h| (original(h.start), original(h.end)))
        .collect()
}

/// Where `term` is written in the value of front-matter `key`: searched from where the value
/// starts (it may be quoted or folded over lines), or the value's start when the written
/// form differs (an escape inside the term).
fn front_matter_offset(doc: &Document, key: &str, term: &str) -> usize {
    let start = offset_of(&doc.text, doc.keys.value(key));
    let written = &doc.text[start..doc.body_offset.max(start)];
    written.find(term).map_or(start, |i| start + i)
}
