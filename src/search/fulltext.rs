//! The full-text index: for every token, the documents holding it and where (for exact phrase
//! matching), sharded by token hash into small classic-script files so that a query loads only
//! the shards of its own tokens. Single Han characters get presence-only postings covering
//! every occurrence, so a one-character query finds every article that contains it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::encode;
use super::fold::FoldTable;
use super::tokenize::{Piece, for_each_token, is_han, normalize};

/// Title tokens take positions from 0; body tokens from here on, so a match below it is a
/// title hit.
pub const BODY_OFFSET: u32 = 256;
const TITLE_TOKENS: usize = 250;
/// Postings longer than this get a file of their own instead of riding in a shard.
const BIG: usize = 4096;
/// Aim for shards of about this many bytes of small postings.
const SHARD_TARGET: usize = 8192;

/// What the indexer reads of one document.
pub struct IndexedText<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

pub struct FullText {
    /// Shard number → (token → postings, or the number of a big file).
    pub shards: Vec<BTreeMap<String, Posting>>,
    pub big: Vec<Vec<u8>>,
}

pub enum Posting {
    Inline(Vec<u8>),
    Big(usize),
}

/// A token without allocation: a Han pair or character packed into a number, or a word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Han(u64),
    Word(String),
}

impl Key {
    fn pair(a: char, b: char) -> Key {
        Key::Han((u64::from(a) << 21) | u64::from(b))
    }

    fn single(c: char) -> Key {
        Key::Han(u64::from(c) << 21)
    }

    fn text(&self) -> String {
        match self {
            Key::Word(w) => w.clone(),
            Key::Han(n) => {
                let first = char::from_u32((n >> 21) as u32).expect("packed from a char");
                match char::from_u32((n & 0x1F_FFFF) as u32) {
                    Some(second) if second != '\0' => format!("{first}{second}"),
                    _ => first.to_string(),
                }
            }
        }
    }
}

/// One document's contribution: positional tokens and Han character counts.
struct DocTokens {
    positions: FxHashMap<Key, Vec<u32>>,
    chars: FxHashMap<Key, u32>,
}

fn doc_tokens(doc: &IndexedText<'_>, fold: &FoldTable) -> DocTokens {
    let mut positions: FxHashMap<Key, Vec<u32>> = FxHashMap::default();
    let mut chars: FxHashMap<Key, u32> = FxHashMap::default();
    for (text, offset, limit) in [
        (doc.title, 0, TITLE_TOKENS as u32),
        (doc.body, BODY_OFFSET, u32::MAX),
    ] {
        let normalized = normalize(text, fold);
        for c in normalized.chars().filter(|&c| is_han(c)) {
            *chars.entry(Key::single(c)).or_insert(0) += 1;
        }
        for_each_token(&normalized, |piece, position| {
            let key = match piece {
                // Single characters are covered by the presence postings above.
                Piece::Han(_) => return,
                Piece::Pair(a, b) => Key::pair(a, b),
                Piece::Word(w) => Key::Word(w.to_owned()),
            };
            if position < limit {
                positions.entry(key).or_default().push(position + offset);
            }
        });
    }
    DocTokens { positions, chars }
}

pub fn is_single_han(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

/// Partitions the merge is split into, so that it runs on every core.
const PARTITIONS: usize = 64;

/// Builds the index over `docs`, whose order gives the document numbers.
pub fn build(docs: &[IndexedText<'_>], fold: &FoldTable) -> FullText {
    // Each document's tokens, bucketed by partition, in parallel.
    let per_doc: Vec<Vec<Vec<(Key, Entry)>>> = docs
        .par_iter()
        .map(|d| {
            let tokens = doc_tokens(d, fold);
            let mut buckets: Vec<Vec<(Key, Entry)>> = (0..PARTITIONS).map(|_| Vec::new()).collect();
            for (key, positions) in tokens.positions {
                buckets[partition(&key)].push((key, Entry::Positions(positions)));
            }
            for (key, count) in tokens.chars {
                buckets[partition(&key)].push((key, Entry::Count(count)));
            }
            buckets
        })
        .collect();
    // Each partition walks the documents in order and appends to its tokens' postings.
    let merged: Vec<Vec<(String, Vec<u8>)>> = (0..PARTITIONS)
        .into_par_iter()
        .map(|part| {
            let mut postings: FxHashMap<&Key, (u32, Vec<u8>)> = FxHashMap::default();
            for (doc, buckets) in per_doc.iter().enumerate() {
                let doc = doc as u32;
                for (key, entry) in &buckets[part] {
                    let (last, out) = postings.entry(key).or_insert((u32::MAX, Vec::new()));
                    encode::push(out, if *last == u32::MAX { doc } else { doc - *last });
                    *last = doc;
                    match entry {
                        Entry::Count(count) => encode::push(out, *count),
                        Entry::Positions(positions) => {
                            encode::push(out, positions.len() as u32);
                            let mut previous = 0;
                            for (i, p) in positions.iter().enumerate() {
                                encode::push(out, if i == 0 { *p } else { p - previous });
                                previous = *p;
                            }
                        }
                    }
                }
            }
            postings
                .into_iter()
                .map(|(key, (_, bytes))| (key.text(), bytes))
                .collect()
        })
        .collect();
    shard(merged.into_iter().flatten().collect())
}

enum Entry {
    Count(u32),
    Positions(Vec<u32>),
}

fn partition(key: &Key) -> usize {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key) as usize % PARTITIONS
}

fn shard(postings: BTreeMap<String, Vec<u8>>) -> FullText {
    let small: usize = postings
        .values()
        .filter(|p| p.len() <= BIG)
        .map(Vec::len)
        .sum();
    let count = (small / SHARD_TARGET).max(1).next_power_of_two();
    let mut shards: Vec<BTreeMap<String, Posting>> = (0..count).map(|_| BTreeMap::new()).collect();
    let mut big = Vec::new();
    for (token, bytes) in postings {
        let posting = if bytes.len() > BIG {
            big.push(bytes);
            Posting::Big(big.len() - 1)
        } else {
            Posting::Inline(bytes)
        };
        shards[shard_of(&token, count)].insert(token, posting);
    }
    FullText { shards, big }
}

/// FNV-1a over the token's UTF-8 bytes; the browser computes the same.
pub fn shard_of(token: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % shards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_hold_document_gaps_counts_and_positions() {
        let fold = FoldTable::opencc();
        let docs = [
            IndexedText {
                title: "工会",
                body: "新质生产力。",
            },
            IndexedText {
                title: "其他",
                body: "生产力",
            },
        ];
        let index = build(&docs, &fold);
        let find = |token: &str| -> Vec<u32> {
            let shard = &index.shards[shard_of(token, index.shards.len())];
            match shard.get(token) {
                Some(Posting::Inline(bytes)) => encode::decode(bytes),
                _ => panic!("no postings for {token}"),
            }
        };
        // doc 0: 1 occurrence at body position 2 (新质 0, 质生 1, 生产 2); doc 1 (gap 1): at 0.
        assert_eq!(find("生产"), [0, 1, BODY_OFFSET + 2, 1, 1, BODY_OFFSET]);
        assert_eq!(find("工会"), [0, 1, 0]);
        // Single characters: presence with counts, no positions.
        assert_eq!(find("产"), [0, 1, 1, 1]);
        assert_eq!(find("工"), [0, 1]);
    }

    #[test]
    fn the_shard_hash_is_fnv1a() {
        assert_eq!(shard_of("", 1 << 31), 0x811c_9dc5 % (1 << 31));
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
    }
}
