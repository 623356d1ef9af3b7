//! Related articles, computed at build time. Each article gets a few features — its topics,
//! its tags, and the rarest Han character pairs of its title and opening (a short text
//! signature) — and an inverted index from feature to articles proposes candidates, so an
//! article is compared only with articles it shares something with, never with all others.
//! Direct links either way count too. Features shared by too many articles say little and
//! are left out of the index, which keeps the work per article bounded at any site size.

use rustc_hash::FxHashMap;

use super::Knowledge;
use super::links::PageLinks;
use super::targets::Target;
use crate::cjk::is_cjk;
use crate::site::{DocId, PageId, SiteMap, TiSlice, TiVec};

/// Related articles shown at the end of an article.
pub(crate) const SHOWN: usize = 5;
/// Characters of text read for the signature, after the title.
pub(crate) const SIGNATURE_CHARS: usize = 400;
/// Character pairs kept in a signature: the rarest across the site.
const SIGNATURE_PAIRS: usize = 12;
/// Articles sharing one feature beyond which it no longer proposes candidates.
const MAX_POSTING: usize = 100;

const TOPIC_WEIGHT: f32 = 3.0;
const TAG_WEIGHT: f32 = 2.0;
const PAIR_WEIGHT: f32 = 1.0;
const LINK_WEIGHT: f32 = 4.0;

/// The distinct Han character pairs of an article's title and opening text.
pub(crate) fn signature(title: &str, text: &str) -> Vec<u64> {
    let chars: Vec<char> = title
        .chars()
        .chain(['\n'])
        .chain(text.chars().take(SIGNATURE_CHARS))
        .collect();
    let mut pairs: Vec<u64> = chars
        .windows(2)
        .filter(|w| is_cjk(w[0]) && is_cjk(w[1]))
        .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

pub(crate) struct RelatedIndex {
    /// By page: (feature, weight).
    features: TiVec<PageId, Vec<(u32, f32)>>,
    /// By feature: pages, when few enough to be telling.
    postings: Vec<Vec<PageId>>,
    /// By page: pages it links to or is linked from.
    neighbours: TiVec<PageId, Vec<PageId>>,
    /// Pages that take part (glossary entries have their own related terms).
    eligible: TiVec<PageId, bool>,
}

/// Reusable per-thread buffer for [`RelatedIndex::related`].
pub(crate) struct Scratch {
    score: TiVec<PageId, f32>,
    touched: Vec<PageId>,
}

impl RelatedIndex {
    /// `signatures` are by page id.
    pub(crate) fn new(
        map: &SiteMap,
        knowledge: &Knowledge,
        rendered: &TiSlice<DocId, impl PageLinks>,
        signatures: &TiSlice<PageId, Vec<u64>>,
    ) -> RelatedIndex {
        let n = map.pages.len();
        let eligible: TiVec<PageId, bool> = map
            .pages
            .keys()
            .map(|p| knowledge.glossary.entry_of_page(p).is_none())
            .collect();
        let mut ids: FxHashMap<(u8, u64), u32> = FxHashMap::default();
        let mut names: FxHashMap<String, u64> = FxHashMap::default();
        let pair_df = pair_frequencies(signatures, &eligible);
        let mut features: TiVec<PageId, Vec<(u32, f32)>> = TiVec::with_capacity(n);
        let mut feature_id = |kind: u8, key: u64| -> u32 {
            let next = ids.len() as u32;
            *ids.entry((kind, key)).or_insert(next)
        };
        for (p, page) in map.pages.iter_enumerated() {
            let mut f = Vec::new();
            if eligible[p] {
                let meta = page.meta();
                for (kind, list, weight) in [
                    (0u8, &meta.topics, TOPIC_WEIGHT),
                    (1, &meta.tags, TAG_WEIGHT),
                ] {
                    for name in list {
                        let next = names.len() as u64;
                        let key = *names.entry(crate::site::slugify(name)).or_insert(next);
                        f.push((feature_id(kind, key), weight));
                    }
                }
                for &(_, pair) in &rarest_pairs(&signatures[p], &pair_df) {
                    f.push((feature_id(2, pair), PAIR_WEIGHT));
                }
            }
            features.push(f);
        }
        let postings = postings(&features, ids.len());
        let neighbours = neighbours(map, rendered, &eligible);
        RelatedIndex {
            features,
            postings,
            neighbours,
            eligible,
        }
    }

    pub(crate) fn scratch(&self) -> Scratch {
        Scratch {
            score: vec![0.0; self.features.len()].into(),
            touched: Vec::new(),
        }
    }

    /// The most related articles to `page`, best first; ties go to the earlier page.
    pub(crate) fn related(&self, page: PageId, scratch: &mut Scratch) -> Vec<PageId> {
        if !self.eligible[page] {
            return Vec::new();
        }
        let add = |q: PageId, w: f32, s: &mut Scratch| {
            if q != page {
                if s.score[q] == 0.0 {
                    s.touched.push(q);
                }
                s.score[q] += w;
            }
        };
        for &(id, weight) in &self.features[page] {
            for &q in &self.postings[id as usize] {
                add(q, weight, scratch);
            }
        }
        for &q in &self.neighbours[page] {
            add(q, LINK_WEIGHT, scratch);
        }
        let mut scored: Vec<(f32, PageId)> = scratch
            .touched
            .drain(..)
            .map(|q| (std::mem::take(&mut scratch.score[q]), q))
            .collect();
        // Only the best few are wanted: select them in linear time, then order just those.
        let better = |a: &(f32, PageId), b: &(f32, PageId)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > SHOWN {
            scored.select_nth_unstable_by(SHOWN, better);
            scored.truncate(SHOWN);
        }
        scored.sort_by(better);
        // Not `into_iter().map().collect()`: that would reuse the candidates' buffer, and keep
        // its whole capacity alive for every page of the site.
        let mut best = Vec::with_capacity(scored.len());
        best.extend(scored.iter().map(|&(_, q)| q));
        best
    }
}

/// How many eligible articles have each character pair in their signature, so that each
/// article keeps only the pairs rarest across the site.
fn pair_frequencies(
    signatures: &TiSlice<PageId, Vec<u64>>,
    eligible: &TiSlice<PageId, bool>,
) -> FxHashMap<u64, u32> {
    let mut pair_df: FxHashMap<u64, u32> = FxHashMap::default();
    for (p, sig) in signatures.iter_enumerated() {
        if eligible[p] {
            for &pair in sig {
                *pair_df.entry(pair).or_default() += 1;
            }
        }
    }
    pair_df
}

/// The at most [`SIGNATURE_PAIRS`] pairs of a signature that other articles share and that
/// are rarest, as (articles having it, pair), rarest first; a pair no one else has proposes
/// nothing.
fn rarest_pairs(signature: &[u64], pair_df: &FxHashMap<u64, u32>) -> Vec<(u32, u64)> {
    let mut rare: Vec<(u32, u64)> = signature
        .iter()
        .map(|&pair| (pair_df[&pair], pair))
        .filter(|&(df, _)| df >= 2)
        .collect();
    if rare.len() > SIGNATURE_PAIRS {
        rare.select_nth_unstable(SIGNATURE_PAIRS);
        rare.truncate(SIGNATURE_PAIRS);
    }
    rare.sort_unstable();
    rare
}

/// The inverted index, by feature id: the pages having it, emptied for features shared by more
/// than [`MAX_POSTING`] pages, which would propose too many candidates to say anything.
fn postings(features: &TiSlice<PageId, Vec<(u32, f32)>>, count: usize) -> Vec<Vec<PageId>> {
    let mut postings: Vec<Vec<PageId>> = vec![Vec::new(); count];
    for (p, f) in features.iter_enumerated() {
        for &(id, _) in f {
            postings[id as usize].push(p);
        }
    }
    for list in &mut postings {
        if list.len() > MAX_POSTING {
            *list = Vec::new();
        }
    }
    postings
}

/// By page, the eligible pages it links to or is linked from, sorted and without repeats: a
/// direct link either way makes two articles related.
fn neighbours(
    map: &SiteMap,
    rendered: &TiSlice<DocId, impl PageLinks>,
    eligible: &TiSlice<PageId, bool>,
) -> TiVec<PageId, Vec<PageId>> {
    let mut neighbours: TiVec<PageId, Vec<PageId>> = vec![Vec::new(); map.pages.len()].into();
    for (p, page) in map.pages.iter_enumerated() {
        for link in rendered[page.doc].links() {
            if let Target::Page(q) = link.target
                && q != p
                && eligible[p]
                && eligible[q]
            {
                neighbours[p].push(q);
                neighbours[q].push(p);
            }
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }
    neighbours
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_distinct_han_pairs() {
        let s = signature("工会", "工会工会 ab 劳模");
        assert_eq!(s.len(), 3, "工会, 会工, 劳模");
    }
}
