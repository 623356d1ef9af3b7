//! Common tokens' postings in two parts, so that a query need not load them whole.
//!
//! At 100,000 articles a token found in nearly every article has a postings list of 100 KB
//! or more, and a phrase of four bigrams loaded four of them. Yet the first page of results
//! comes from the documents where the token ranks first by itself: title hits, then the
//! highest counts. So a long list is written as a **head** holding those documents, in the
//! big-postings file a query loads anyway, and a **tail** holding the rest, in a file of its
//! own (`search/t/<group>.js`) that the browser loads only when the head cannot settle the
//! results it must show. The head says how high any document of the tail can stand (whether
//! one has the token in its title, and the largest count there), which is what lets the
//! browser know when the head is enough.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{Postings, entries, spell};
use crate::search::encode;

/// Marks a head: `+`, the tail's bounds and size, then the head's documents written sparse.
pub(crate) const HEAD: u8 = b'+';
/// A list is split only when it is longer than this many heads: a shorter one costs a query
/// little more whole, and its tail would be one more file for little.
const SPLIT_ABOVE: usize = 4;
/// About this many digits a head's entry takes: a gap between documents of one or two
/// digits, a value of one or two.
const DIGITS_PER_ENTRY: usize = 4;

/// Splits every long list of every big group in two, heads staying where the lists were;
/// returns the tails by group. `head` is about how many bytes a head takes (0: none is split).
pub(crate) fn split_groups(
    groups: &mut BTreeMap<u32, BTreeMap<String, Vec<u8>>>,
    head: usize,
) -> BTreeMap<u32, BTreeMap<String, Vec<u8>>> {
    groups
        .par_iter_mut()
        .filter_map(|(&group, lists)| {
            let tails: BTreeMap<String, Vec<u8>> = lists
                .iter_mut()
                .filter_map(|(token, list)| {
                    let (first, rest) = split(list, head)?;
                    *list = first;
                    Some((token.clone(), rest))
                })
                .collect();
            (!tails.is_empty()).then_some((group, tails))
        })
        .collect()
}

/// `(head, tail)` of a postings list longer than [`SPLIT_ABOVE`] heads of about `head`
/// bytes; `None` for a shorter one, or one whose documents do not stand apart (when the
/// documents ranking first for the token are already more than a head holds).
///
/// The head holds every document that ranks above a cut, for the token alone: title hits
/// first, then higher counts. It is `+`, then four numbers: 1 + the largest count of a
/// tail document with the token in its title (0 when none has it there), the largest count
/// of any tail document, the tail's length in bytes (what loading it costs, which the
/// browser weighs against confirming documents in their texts) and how many documents it
/// holds (for the count of matches shown before it is loaded); then the head's documents as
/// a sparse list. The tail is an ordinary postings list of the other documents.
pub(crate) fn split(list: &[u8], head: usize) -> Option<(Vec<u8>, Vec<u8>)> {
    if head == 0 || list.len() <= SPLIT_ABOVE.saturating_mul(head) {
        return None;
    }
    let all = entries(list);
    let room = head / DIGITS_PER_ENTRY;
    let mut ranks: Vec<u32> = all.iter().map(|&(_, value)| rank(value)).collect();
    if ranks.len() <= room {
        return None;
    }
    // Every entry ranked above the one at `room` fits; ties with it all go to the tail, so
    // that the cut falls between two ranks and the tail's bounds are below every head entry.
    ranks.select_nth_unstable_by(room, |a, b| b.cmp(a));
    let cut = ranks[room];
    let (first, rest): (Entries, Entries) =
        all.into_iter().partition(|&(_, value)| rank(value) > cut);
    if first.is_empty() {
        return None;
    }
    let count = |&(_, value): &(u32, u32)| value >> 1;
    let title_most = rest.iter().filter(|&&(_, v)| v & 1 == 1).map(count).max();
    let most = rest.iter().map(count).max().unwrap_or(0);
    let tail = spell(&rest);
    let mut out = vec![HEAD];
    encode::push(&mut out, title_most.map_or(0, |c| c + 1));
    encode::push(&mut out, most);
    encode::push(&mut out, u32::try_from(tail.len()).unwrap_or(u32::MAX));
    encode::push(&mut out, rest.len() as u32);
    let mut sparse = Postings::default();
    for (doc, value) in first {
        sparse.push(doc, value);
    }
    out.extend_from_slice(&sparse.sparse);
    Some((out, tail))
}

/// `(document, value)` pairs, documents ascending.
type Entries = Vec<(u32, u32)>;

/// A value's place for its token alone: a title hit first, then the higher count.
fn rank(value: u32) -> u32 {
    ((value & 1) << 31) | (value >> 1)
}

/// The entries of a split list, head and tail together (documents ascending), and the
/// head's numbers on the tail: (1 + largest title count or 0, largest count, its bytes, its
/// documents).
#[cfg(test)]
pub(crate) fn join(first: &[u8], rest: &[u8]) -> (Vec<(u32, u32)>, [u32; 4]) {
    let body = first.strip_prefix(&[HEAD]).expect("a head");
    let mut numbers = encode::numbers(body);
    let bounds = [(); 4].map(|()| numbers.next().expect("a bound"));
    let (mut doc, mut all) = (0, entries(rest));
    while let (Some(gap), Some(value)) = (numbers.next(), numbers.next()) {
        doc += gap;
        all.push((doc, value));
    }
    all.sort_unstable();
    (all, bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Document d holds the token `1 + d % 97` times, in its title when d is a multiple of
    /// 50.
    fn long_list(docs: u32) -> Vec<(u32, u32)> {
        (0..docs)
            .map(|d| (d, (1 + d % 97) * 2 + u32::from(d % 50 == 0)))
            .collect()
    }

    #[test]
    fn a_long_list_splits_into_the_documents_ranking_first_and_the_rest() {
        let list = long_list(4000);
        let whole = spell(&list);
        let (first, rest) = split(&whole, 800).expect("split");
        assert!(first.len() <= 800 + 8, "about a head: {}", first.len());
        let (joined, [title_most, most, bytes, docs]) = join(&first, &rest);
        assert_eq!(joined, list, "head and tail hold the list, nothing twice");
        assert_eq!(bytes as usize, rest.len());
        assert_eq!(docs as usize, entries(&rest).len());
        // Title hits rank first: the 80 of them fit, with the highest counts after them.
        let rest = entries(&rest);
        assert!(
            rest.iter().all(|&(_, v)| v & 1 == 0),
            "every title hit in the head"
        );
        assert_eq!(title_most, 0);
        assert_eq!(Some(most), rest.iter().map(|&(_, v)| v >> 1).max());
        // The cut falls between two counts: every head entry without the title ranks above
        // every tail entry.
        let head_counts = joined
            .iter()
            .filter(|e| !rest.contains(e) && e.1 & 1 == 0)
            .map(|e| e.1 >> 1);
        assert!(head_counts.min().is_some_and(|least| least > most));
    }

    #[test]
    fn short_lists_and_lists_of_equals_stay_whole() {
        let list = long_list(4000);
        assert!(split(&spell(&list), 0).is_none(), "0: never split");
        assert!(
            split(&spell(&list), 4096).is_none(),
            "shorter than four heads"
        );
        assert!(split(&spell(&list), 800).is_some());
        let equal: Vec<(u32, u32)> = (0..4000).map(|d| (d, 2)).collect();
        assert!(
            split(&spell(&equal), 100).is_none(),
            "no document ranks above another"
        );
    }

    #[test]
    fn tails_bound_title_hits_they_keep() {
        // More title hits than a head holds: the tail keeps some, and says how high they go.
        let list: Vec<(u32, u32)> = (0..4000).map(|d| (d, (1 + d % 97) * 2 + 1)).collect();
        let (first, rest) = split(&spell(&list), 400).expect("split");
        let (joined, [title_most, most, _, _]) = join(&first, &rest);
        assert_eq!(joined, list);
        let rest = entries(&rest);
        let top = rest.iter().map(|&(_, v)| v >> 1).max();
        assert_eq!((Some(title_most), Some(most)), (top.map(|t| t + 1), top));
    }
}
