//! Connections read from the rendered pages: which pages link to each page (with the sentence
//! around the link), which articles use each glossary term, and each article's related
//! articles.

use super::Knowledge;
use super::links::PageLinks;
use super::targets::Target;
use crate::site::{DocId, EntryId, PageId, SiteMap, TiSlice, TiVec};
use rayon::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Backlink {
    /// The document the link is in.
    pub doc: DocId,
    /// The sentence the link stands in, as plain text.
    pub context: String,
}

#[derive(Debug, Default)]
pub struct Connections {
    /// By page id; sorted by the linking page's title.
    pub backlinks: TiVec<PageId, Vec<Backlink>>,
    /// By glossary entry: the pages that use the term, by title.
    pub term_uses: TiVec<EntryId, Vec<PageId>>,
    /// By page id, most related first.
    pub related: TiVec<PageId, Vec<PageId>>,
}

/// Backlinks and term uses; related articles are added by the caller, who runs them in
/// parallel.
pub(crate) fn collect(
    docs: &crate::site::Docs,
    map: &SiteMap,
    knowledge: &Knowledge,
    rendered: &TiSlice<DocId, impl PageLinks>,
) -> Connections {
    let mut backlinks: TiVec<PageId, Vec<Backlink>> =
        map.pages.iter().map(|_| Vec::new()).collect();
    let mut term_uses: TiVec<EntryId, Vec<PageId>> = knowledge
        .glossary
        .entries
        .iter()
        .map(|_| Vec::new())
        .collect();
    for (doc, r) in rendered.iter_enumerated() {
        for link in r.links() {
            let Target::Page(page) = link.target else {
                continue;
            };
            if map.pages[page].doc == doc {
                continue;
            }
            let list = &mut backlinks[page];
            if !list.iter().any(|b| b.doc == doc) {
                list.push(Backlink {
                    doc,
                    context: link.context.clone(),
                });
            }
        }
        if let Some(Target::Page(page)) = map.target_of_source(&docs[doc].file.rel) {
            for &entry in r.terms() {
                term_uses[entry].push(page);
            }
        }
    }
    let title = |doc: DocId| match &docs[doc].meta {
        crate::source::DocMeta::Page(m) => m.title.as_str(),
        crate::source::DocMeta::Section(m) => m.title.as_deref().unwrap_or(""),
    };
    // The sorts run in parallel: at 10,000 articles they were half of this stage.
    backlinks.raw.par_iter_mut().for_each(|list| {
        list.sort_by(|a, b| {
            (title(a.doc), &docs[a.doc].file.rel).cmp(&(title(b.doc), &docs[b.doc].file.rel))
        });
    });
    // Pages in (title, id) order once: a term found in every article sorts its ten thousand
    // uses by a number instead of comparing titles.
    if term_uses.iter().any(|list| list.len() > 1) {
        let mut by_title: Vec<PageId> = map.pages.keys().collect();
        by_title
            .par_sort_unstable_by(|&a, &b| (&map.meta(a).title, a).cmp(&(&map.meta(b).title, b)));
        let mut rank: TiVec<PageId, usize> = map.pages.iter().map(|_| 0).collect();
        for (i, &page) in by_title.iter().enumerate() {
            rank[page] = i;
        }
        term_uses.raw.par_iter_mut().for_each(|list| {
            list.sort_unstable_by_key(|&page| rank[page]);
            list.dedup();
        });
    }
    Connections {
        backlinks,
        term_uses,
        related: TiVec::new(),
    }
}
