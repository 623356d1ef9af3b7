//! The search index `serve` keeps between rebuilds, so that an edit costs the index only what
//! it changed: the edited documents are tokenized again, and only the postings files, the
//! document blocks and the quick index whose contents changed are written. Every file comes
//! out exactly as a fresh [`super::build`] writes it; when an update could not promise that
//! cheaply (other settings, other triples chosen, documents renumbered in bulk) the index is
//! built afresh.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::fulltext::{self, Chosen, FullText, Lists};
use super::{
    DOCS_PER_BLOCK, FoldTable, SearchIndex, Sources, Wanted, block_file, every_path, index_files,
    laid_out, quick_file, result_rows,
};
use crate::config::SiteConfig;
use crate::fingerprint::Fingerprint;
use crate::markdown::RenderedDocs;
use crate::markdown::packed::Packed;
use crate::site::{Docs, SiteMap};

/// What the last index was made from, once there is one.
#[derive(Default)]
pub(crate) struct Kept {
    held: Option<Held>,
    /// Loaded once for all updates.
    fold: Option<Arc<FoldTable>>,
}

struct Held {
    /// Fingerprint of the site's settings.
    settings: u128,
    /// The content path of each document number.
    order: Vec<String>,
    /// Per document number: a fingerprint of the title and text its postings come from.
    texts: Vec<u128>,
    /// Per document number: a fingerprint of its row and text (what its block holds).
    blocks: Vec<u128>,
    /// The triples chosen for the postings in `lists`.
    chosen: Chosen,
    lists: Lists,
    /// How many shards the postings were laid out in.
    shards: usize,
    /// How many top bits of a token's hash named its big group.
    big_bits: u32,
    /// A fingerprint of the quick index's entries.
    quick: u128,
}

/// An index to write (every file, or only those an update changed) and the path of every
/// file the index now has, so that files it no longer has can be dropped.
pub(crate) struct Updated {
    pub index: SearchIndex,
    pub paths: HashSet<String>,
    /// How many documents were indexed again, or `None` when the whole index was built.
    pub reindexed: Option<usize>,
}

/// An update that touches more than this share of the documents builds the index afresh:
/// reading every list to revise it then saves too little.
const MOST: usize = 4;

impl Kept {
    /// The index of the site given, made from what the last one was made from where the
    /// site is the same.
    pub(crate) fn update(
        &mut self,
        config: &SiteConfig,
        docs: &Docs,
        map: &SiteMap,
        rendered: &RenderedDocs,
    ) -> Updated {
        let fold = Arc::clone(
            self.fold
                .get_or_insert_with(|| Arc::new(FoldTable::opencc())),
        );
        let sources = Sources::of(config, docs, map, rendered);
        let rows = result_rows(config, map, &sources.pages);
        let texts: Vec<u128> = (sources.texts.par_iter())
            .map(|t| {
                Fingerprint::new()
                    .bytes(t.title.as_bytes())
                    .bytes(t.body.held_bytes())
                    .finish()
            })
            .collect();
        let next = Held {
            settings: Fingerprint::new().debug(config).finish(),
            order: (sources.pages.iter())
                .map(|&id| docs[map.pages[id].doc].file.rel.clone())
                .collect(),
            blocks: (rows.par_iter().zip(&texts))
                .map(|(row, text)| {
                    Fingerprint::new()
                        .bytes(row.as_bytes())
                        .u128(*text)
                        .finish()
                })
                .collect(),
            texts,
            chosen: fulltext::choose_triples(&sources.texts, &fold),
            lists: Lists::default(),
            shards: 0,
            big_bits: 0,
            quick: super::quick_fingerprint(config, map, rendered, &sources.pages),
        };
        let changed = self.held.as_ref().and_then(|held| held.changed(&next));
        let (held, updated) = match (self.held.take(), changed) {
            (Some(held), Some(changed)) => held.update(
                next,
                &changed,
                (config, map, rendered, &fold),
                &sources,
                rows,
            ),
            _ => Held::afresh(next, (config, map, rendered, &fold), &sources, rows),
        };
        self.held = Some(held);
        updated
    }
}

/// What writing the index files reads besides the documents.
type Context<'a> = (
    &'a SiteConfig,
    &'a SiteMap,
    &'a RenderedDocs,
    &'a Arc<FoldTable>,
);

impl Held {
    /// The documents whose postings `next` changes (ascending), unless the index should be
    /// built afresh: other settings or triples, or too many changed documents.
    fn changed(&self, next: &Held) -> Option<Vec<u32>> {
        if self.settings != next.settings || self.chosen != next.chosen {
            return None;
        }
        // Documents keep their numbers up to the first one whose path differs; from there on
        // every number holds another document, or none.
        let same = (self.order.iter().zip(&next.order))
            .take_while(|(a, b)| a == b)
            .count();
        let edited = (0..same).filter(|&d| self.texts[d] != next.texts[d]);
        let renumbered = same..self.order.len().max(next.order.len());
        let changed: Vec<u32> = edited.chain(renumbered).map(|d| d as u32).collect();
        (changed.len() * MOST <= next.order.len()).then_some(changed)
    }

    /// Builds every file of the index, and keeps what it was made from.
    fn afresh(
        mut next: Held,
        (config, map, rendered, fold): Context<'_>,
        sources: &Sources<'_>,
        rows: Vec<String>,
    ) -> (Held, Updated) {
        let (lists, quick) = rayon::join(
            || fulltext::lists(&sources.texts, &next.chosen, fold),
            || quick_file(config, map, rendered, &sources.pages, Arc::clone(fold)),
        );
        next.lists = lists;
        let index = laid_out(next.lists.clone(), config, sources);
        next.shards = index.shards.len();
        next.big_bits = index.big_bits;
        let files = index_files(
            config,
            map,
            &sources.pages,
            &index,
            fold,
            quick,
            &Wanted::ALL,
        );
        let paths = every_path(config, &index, sources.pages.len());
        let index = SearchIndex::new(files, sources.pages.clone(), rows, false);
        let reindexed = None;
        (
            next,
            Updated {
                index,
                paths,
                reindexed,
            },
        )
    }

    /// Indexes the `changed` documents again and writes only the files that differ.
    fn update(
        self,
        mut next: Held,
        changed: &[u32],
        (config, map, rendered, fold): Context<'_>,
        sources: &Sources<'_>,
        rows: Vec<String>,
    ) -> (Held, Updated) {
        next.lists = self.lists;
        let touched =
            fulltext::update(&mut next.lists, &sources.texts, changed, &next.chosen, fold);
        let index = laid_out(next.lists.clone(), config, sources);
        next.shards = index.shards.len();
        next.big_bits = index.big_bits;
        let (shards, groups) = touched_files(&index, &touched, (self.shards, self.big_bits));
        let quick = (self.quick != next.quick)
            .then(|| quick_file(config, map, rendered, &sources.pages, Arc::clone(fold)))
            .flatten();
        let wanted = Wanted {
            fixed: false,
            shards: Some(&shards),
            groups: Some(&groups),
        };
        let files = index_files(config, map, &sources.pages, &index, fold, quick, &wanted);
        let paths = every_path(config, &index, sources.pages.len());
        // The few changed blocks are spelled here, so that no block is left to render.
        let mut index = SearchIndex::new(files, sources.pages.clone(), rows, true);
        for b in 0..sources.pages.len().div_ceil(DOCS_PER_BLOCK) {
            if block_changed(&self.blocks, &next.blocks, b) {
                let docs = &sources.texts[b * DOCS_PER_BLOCK..][..index.block_pages(b).len()];
                let texts: Vec<&Packed> = docs.iter().map(|t| t.body).collect();
                let file = block_file(&index, b, &texts);
                index.files.push(file);
            }
        }
        let reindexed = Some(changed.len());
        (
            next,
            Updated {
                index,
                paths,
                reindexed,
            },
        )
    }
}

/// Whether block `b` holds other documents, or other rows or texts, in `next` than before.
fn block_changed(before: &[u128], next: &[u128], b: usize) -> bool {
    fn of(blocks: &[u128], b: usize) -> &[u128] {
        let start = (b * DOCS_PER_BLOCK).min(blocks.len());
        &blocks[start..((b + 1) * DOCS_PER_BLOCK).min(blocks.len())]
    }
    of(before, b) != of(next, b)
}

/// The shards and big groups whose files hold, or held, a touched token or triple. A token
/// that grew big or shrank small changes both its shard and its group; a triple rides in the
/// group of its first two characters. Another number of shards than `before`'s changes every
/// shard, and another number of group bits every group.
fn touched_files(
    index: &FullText,
    touched: &fulltext::Touched,
    (shards_before, bits_before): (usize, u32),
) -> (FxHashSet<usize>, FxHashSet<u32>) {
    let count = index.shards.len();
    let shards = if count == shards_before {
        (touched.tokens.iter())
            .map(|t| fulltext::shard_of(t, count))
            .collect()
    } else {
        (0..count).collect()
    };
    let leads = touched
        .triples
        .iter()
        .map(|t| t.chars().take(2).collect::<String>());
    let groups = if index.big_bits == bits_before {
        (touched.tokens.iter().cloned().chain(leads))
            .map(|t| fulltext::big_group(&t, index.big_bits))
            .collect()
    } else {
        index.big.keys().copied().collect()
    };
    (shards, groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A triple lives in its first pair's big group, so touching it rewrites that group; a new
    /// shard count rewrites every shard, and new group bits every group.
    #[test]
    fn touched_triples_and_new_shard_counts_rewrite_their_files() {
        let mut lists = Lists::default();
        let everywhere: Vec<(u32, u32)> = (0..2000).map(|d| (d, 2)).collect();
        lists
            .tokens
            .insert("工会".into(), fulltext::spell(&everywhere));
        lists
            .tokens
            .insert("班组".into(), fulltext::spell(&[(1, 2)]));
        lists
            .triples
            .insert("工会干".into(), fulltext::spell(&[(3, 2)]));
        let index = fulltext::layout(lists, 0);
        let lead = fulltext::big_group("工会", index.big_bits);
        assert!(
            index.big[&lead].contains_key("工会干"),
            "rides with its pair"
        );
        let touched = fulltext::Touched {
            tokens: FxHashSet::default(),
            triples: ["工会干".to_owned()].into_iter().collect(),
        };
        let (count, bits) = (index.shards.len(), index.big_bits);
        let (shards, groups) = touched_files(&index, &touched, (count, bits));
        assert!(shards.is_empty(), "no token was touched");
        assert_eq!(groups, [lead].into_iter().collect());
        let none = fulltext::Touched::default();
        let (shards, groups) = touched_files(&index, &none, (count * 2, bits));
        assert_eq!(shards, (0..count).collect(), "every shard");
        assert!(groups.is_empty(), "no group: the bits are the same");
        let (shards, groups) = touched_files(&index, &none, (count, bits + 1));
        assert!(shards.is_empty(), "no shard: their number is the same");
        assert_eq!(groups, index.big.keys().copied().collect(), "every group");
    }
}
