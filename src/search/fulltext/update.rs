//! Updating kept postings lists after some documents changed (`serve`, after an edit): only
//! the changed documents are tokenized again; every list is read to drop their old entries
//! (the old texts are gone, so which lists held them is not known), and a list is spelled
//! again only when its entries changed.

use std::collections::BTreeMap;
use std::collections::btree_map;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    Chosen, DENSE, IndexedText, Lists, Partial, Postings, encode, entries, han_text, spell,
    triple_chars,
};
use crate::search::fold::FoldTable;

/// The tokens and triples whose postings an update changed, added or removed.
#[derive(Default)]
pub(crate) struct Touched {
    pub tokens: FxHashSet<String>,
    pub triples: FxHashSet<String>,
}

/// Fresh entries, by token, of the changed documents (documents ascending).
type Fresh = FxHashMap<String, Vec<(u32, u32)>>;

/// Indexes documents `changed` (ascending numbers) of `docs` again into `lists`, with the
/// triples `chosen` as when the lists were made. A number past the end of `docs` is a
/// document that is gone: its entries are dropped.
pub(crate) fn update(
    lists: &mut Lists,
    docs: &[IndexedText<'_>],
    changed: &[u32],
    chosen: &Chosen,
    fold: &FoldTable,
) -> Touched {
    let (tokens, triples) = fresh(docs, changed, chosen, fold);
    Touched {
        tokens: revise(&mut lists.tokens, changed, tokens),
        triples: revise(&mut lists.triples, changed, triples),
    }
}

/// The entries of the changed documents that still exist: tokens, then triples.
fn fresh(
    docs: &[IndexedText<'_>],
    changed: &[u32],
    chosen: &Chosen,
    fold: &FoldTable,
) -> (Fresh, Fresh) {
    let partials: Vec<Partial> = changed
        .par_iter()
        .filter(|&&d| (d as usize) < docs.len())
        .map(|&d| Partial::of_stretch(&docs[d as usize..=d as usize], d, chosen, fold))
        .collect();
    let (mut tokens, mut triples) = (Fresh::default(), Fresh::default());
    // Partials come in document order, so every token's entries stay ascending.
    for partial in partials {
        let add = |into: &mut Fresh, token: String, list: Postings| {
            into.entry(token).or_default().extend(entries(&list.sparse));
        };
        for (key, list) in partial.han {
            add(&mut tokens, han_text(key), list);
        }
        for (word, list) in partial.words {
            add(&mut tokens, word, list);
        }
        for (key, list) in partial.triples {
            add(&mut triples, triple_chars(key).iter().collect(), list);
        }
    }
    (tokens, triples)
}

/// Drops the entries of `changed` documents from every list of `lists` and merges in the
/// `fresh` ones; returns the tokens whose postings are no longer what they were.
fn revise(
    lists: &mut BTreeMap<String, Vec<u8>>,
    changed: &[u32],
    mut fresh: Fresh,
) -> FxHashSet<String> {
    let revised: Vec<(String, Vec<u8>)> = lists
        .par_iter()
        .filter_map(|(token, bytes)| {
            let new = fresh.get(token).map_or(&[][..], Vec::as_slice);
            revised(bytes, changed, new).map(|bytes| (token.clone(), bytes))
        })
        .collect();
    let mut touched = FxHashSet::default();
    for (token, bytes) in revised {
        fresh.remove(&token);
        if bytes.is_empty() {
            lists.remove(&token);
        } else {
            lists.insert(token.clone(), bytes);
        }
        touched.insert(token);
    }
    // Tokens no document held before.
    for (token, new) in fresh {
        if let btree_map::Entry::Vacant(slot) = lists.entry(token) {
            touched.insert(slot.key().clone());
            slot.insert(spell(&new));
        }
    }
    touched
}

/// The postings `bytes` with the entries of `changed` documents replaced by `new`, or `None`
/// when that leaves them as they were. An empty result means no document holds the token.
fn revised(bytes: &[u8], changed: &[u32], new: &[(u32, u32)]) -> Option<Vec<u8>> {
    // An edit leaves most counts as they were: for a few documents, looking their values up
    // costs far less than reading the whole list into entries.
    if changed.len() <= FEW
        && changed
            .iter()
            .all(|&d| value_at(bytes, d) == value_in(new, d))
    {
        return None;
    }
    let old = entries(bytes);
    let is_changed = |&(doc, _): &(u32, u32)| changed.binary_search(&doc).is_ok();
    if new.is_empty() && !old.iter().any(is_changed) {
        return None;
    }
    let mut merged = Vec::with_capacity(old.len() + new.len());
    let mut new = new.iter().copied().peekable();
    for entry in old.iter().copied().filter(|e| !is_changed(e)) {
        while let Some(n) = new.next_if(|n| n.0 < entry.0) {
            merged.push(n);
        }
        merged.push(entry);
    }
    merged.extend(new);
    (merged != old).then(|| spell(&merged))
}

/// Up to this many changed documents, each is looked up in every list.
const FEW: usize = 8;

/// The value of document `doc` in the postings `bytes` (0: it does not hold the token).
fn value_at(bytes: &[u8], doc: u32) -> u32 {
    if let Some(dense) = bytes.strip_prefix(&[DENSE]) {
        let mut numbers = encode::numbers(dense);
        let first = numbers.next().unwrap_or(0);
        let Some(at) = doc.checked_sub(first) else {
            return 0;
        };
        return numbers.nth(at as usize).unwrap_or(0);
    }
    let mut numbers = encode::numbers(bytes);
    let mut at = 0;
    while let (Some(gap), Some(value)) = (numbers.next(), numbers.next()) {
        at += gap;
        if at >= doc {
            return if at == doc { value } else { 0 };
        }
    }
    0
}

/// The value of document `doc` among `entries` (documents ascending), 0 if absent.
fn value_in(entries: &[(u32, u32)], doc: u32) -> u32 {
    entries
        .binary_search_by_key(&doc, |&(d, _)| d)
        .map_or(0, |i| entries[i].1)
}
