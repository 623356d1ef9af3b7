//! The full-text index: for every token, which documents hold it, how often, and whether their
//! title does, sharded by token hash into small classic-script files so that a query loads
//! only the shards of its own tokens, and a common token's long list split so that a query
//! loads only its first part until it needs the rest ([`tiers`]). There are no positions: they would cost as much as the
//! text itself, and a phrase of several tokens is confirmed in the browser against the text of
//! the few documents it shows (`search/x/`), in the order the counts here put them.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

mod tiers;
mod update;

pub(crate) use update::{Touched, update};

use super::encode;
use super::fold::FoldTable;
use super::tokenize::{Class, Piece, class, for_each_token, is_han, normalize};
use crate::markdown::packed::Packed;

/// Title tokens take positions from 0; body tokens from here on, so a match below it is a
/// title hit.
pub(crate) const BODY_OFFSET: u32 = 256;
const TITLE_TOKENS: u32 = 250;
/// Postings longer than this go into a big-postings file instead of riding in a shard.
pub(crate) const BIG: usize = 1024;
/// Aim for shards of about this many bytes of small postings (as written before packing:
/// packed, 16 KB take about 12). Every file a query looks a token up in costs it the whole
/// file, against a budget of 300 KB a query of which the page, its styles and scripts take
/// about 90. Until the files were packed (2026-12-04) shards and big groups were 8 KB; packed,
/// 16 KB rather than 8 took 144 files off at 1,000 articles and 540 at 10,000 for about 10 KB
/// more a query (median), and a query's postings are 39 and 46 KB where they were 26 and
/// 42 KB unpacked at 8 KB (docs/search.md, "Packed files").
const SHARD_TARGET: usize = 16_384;
/// Big postings are grouped by the top bits of their token's hash, as many bits as make
/// groups of about this many bytes (before packing; about 9.5 KB after), so that the number
/// of files grows with the postings' bytes rather than with the vocabulary: unpacked, groups
/// of 8 KB at 10,000 articles made 1,308 files where one a token made 2,143. See
/// [`SHARD_TARGET`] for why 16 KB.
const BIG_TARGET: usize = 16_384;
/// Where the average big token is longer than [`BIG_TARGET`] by itself (100,000 articles:
/// 10–190 KB a common token), sharing a file costs a query a whole other token, so there are
/// this many times more groups than big tokens: a token shares its file about one time in
/// 32. With groups of 8 KB there, a query loaded 342 KB of postings rather than 296 (median).
const BIG_SPREAD: usize = 32;
/// 2^20 groups at most.
const BIG_BITS_MAX: u32 = 20;
/// Marks a postings string written densely: the first document holding the token, then one
/// value per document from there on.
pub(crate) const DENSE: u8 = b'*';

/// What the indexer reads of one document: its body held compressed, unpacked one document
/// at a time while it is read, so that the index is never made with every text unpacked.
pub(crate) struct IndexedText<'a> {
    pub title: &'a str,
    pub body: &'a Packed,
}

pub(crate) struct FullText {
    /// Shard number → token → postings.
    pub shards: Vec<BTreeMap<String, Vec<u8>>>,
    /// Big postings by [`big_group`] of their token: each group is one file, and the browser
    /// knows from the list of groups (in `config.js`) whether to look there first.
    pub big: BTreeMap<u32, BTreeMap<String, Vec<u8>>>,
    /// How many top bits of a token's hash name its big group.
    pub big_bits: u32,
    /// The tails of the long lists split in two ([`tiers`]), by the big group of their
    /// token: each group with any is one more file, loaded only when a query needs it.
    pub tails: BTreeMap<u32, BTreeMap<String, Vec<u8>>>,
    /// About how many bytes a document's entry in its block takes (a power of two, so that
    /// an edit seldom changes it): what the browser reckons confirming one in its text costs,
    /// against loading tails. Set by the caller, who has the texts.
    pub doc_bytes: usize,
}

/// The group of a token's big postings: the top `bits` bits of its FNV-1a hash.
pub(crate) fn big_group(token: &str, bits: u32) -> u32 {
    fnv1a(token) >> (32 - bits)
}

/// A Han pair or character packed into a number: the first character's code point above
/// bit 21, the second's (0 for a lone character) below.
type HanKey = u64;

fn pair(a: char, b: char) -> HanKey {
    (u64::from(a) << 21) | u64::from(b)
}

fn single(c: char) -> HanKey {
    u64::from(c) << 21
}

/// Three Han characters packed into a number, 21 bits each, the first highest.
type TripleKey = u64;

fn triple(a: char, b: char, c: char) -> TripleKey {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

fn triple_chars(key: TripleKey) -> [char; 3] {
    [42, 21, 0].map(|shift| char::from_u32(((key >> shift) & 0x1F_FFFF) as u32).expect("packed"))
}

/// Documents in the sample that chooses the triples (see [`choose_triples`]).
const TRIPLE_SAMPLE: usize = 300;
/// Triples kept per leading pair.
const TRIPLES_PER_PAIR: usize = 2;

fn han_text(key: HanKey) -> String {
    let first = char::from_u32((key >> 21) as u32).expect("packed from a char");
    match char::from_u32((key & 0x1F_FFFF) as u32) {
        Some(second) if second != '\0' => format!("{first}{second}"),
        _ => first.to_string(),
    }
}

/// How one token occurs in one document. For a single Han character `count` is every
/// occurrence, title and body (runs included); for other tokens the occurrences in the body.
#[derive(Default, Clone, Copy)]
struct Hits {
    title: bool,
    count: u32,
}

impl Hits {
    /// The number a posting stores: count · 2 + title.
    fn value(self) -> u32 {
        self.count.saturating_mul(2) | u32::from(self.title)
    }
}

/// Single characters of one document, counted in a table by code point (a hash lookup for
/// every character of the text would cost more than everything else here), with a list of
/// the ones touched (to read and reset them cheaply), and a map for those above U+FFFF.
struct CharCounts {
    table: Vec<Hits>,
    touched: Vec<char>,
    astral: FxHashMap<char, Hits>,
}

impl CharCounts {
    fn new() -> CharCounts {
        CharCounts {
            table: vec![Hits::default(); 0x1_0000],
            touched: Vec::new(),
            astral: FxHashMap::default(),
        }
    }

    fn add(&mut self, c: char, in_title: bool) {
        let h = match self.table.get_mut(c as usize) {
            Some(h) => {
                if h.count == 0 {
                    self.touched.push(c);
                }
                h
            }
            None => self.astral.entry(c).or_default(),
        };
        h.count += 1;
        h.title |= in_title;
    }

    /// Every character counted, and its hits; leaves the counts empty.
    fn drain(&mut self, mut each: impl FnMut(char, Hits)) {
        for c in self.touched.drain(..) {
            each(c, std::mem::take(&mut self.table[c as usize]));
        }
        for (c, h) in self.astral.drain() {
            each(c, h);
        }
    }
}

/// One document's tokens: Han pairs by number, words (rarer) by text, single characters in
/// their table.
struct DocTokens<'t, 'a> {
    pairs: &'t mut FxHashMap<HanKey, Hits>,
    words: &'t mut FxHashMap<&'a str, Hits>,
    chars: &'t mut CharCounts,
    /// The chosen triples ([`choose_triples`]) and how this document holds them.
    chosen: &'t Chosen,
    triples: &'t mut FxHashMap<TripleKey, Hits>,
}

/// Counts the tokens of a document's normalised title and body.
fn doc_tokens<'a>(title: &'a str, body: &'a str, mut into: DocTokens<'_, 'a>) {
    // The title's tokens count only among its first positions, so the tokenizer gives them
    // with their positions; the body's, wherever they stand, are counted in the same pass
    // as its characters.
    for c in han_runs(title) {
        into.han(c, true);
    }
    for_each_token(title, |piece, position| {
        if position >= TITLE_TOKENS {
            return;
        }
        let h = match piece {
            // Single characters are counted above, wherever they stand.
            Piece::Han(_) => return,
            Piece::Pair(a, b) => into.pairs.entry(pair(a, b)).or_default(),
            Piece::Word(w) => into.words.entry(w).or_default(),
        };
        h.title = true;
    });
    into.body(body);
}

/// The Han characters of `text` and the one or two Han characters standing right before
/// each in the same run (what the tokenizer cuts into bigrams).
fn han_runs(text: &str) -> impl Iterator<Item = (Option<char>, Option<char>, char)> + '_ {
    let (mut first, mut second) = (None, None);
    text.chars().filter_map(move |c| {
        if !is_han(c) {
            (first, second) = (None, None);
            return None;
        }
        let here = (first, second, c);
        (first, second) = (second, Some(c));
        Some(here)
    })
}

impl<'a> DocTokens<'_, 'a> {
    /// A Han character, after the two before it in its run: the character itself, and the
    /// chosen triple ([`choose_triples`]) the three make (title: anywhere in it; count: in
    /// the body).
    fn han(&mut self, (first, second, c): (Option<char>, Option<char>, char), in_title: bool) {
        self.chars.add(c, in_title);
        if let (Some(a), Some(b)) = (first, second) {
            let key = triple(a, b, c);
            if self.chosen.has(key) {
                let h = self.triples.entry(key).or_default();
                if in_title {
                    h.title = true;
                } else {
                    h.count += 1;
                }
            }
        }
    }

    /// Counts the body's characters, triples, bigrams and words in one pass: the tokens
    /// [`for_each_token`] gives, without their positions. Going over the text once instead of
    /// twice took the index stage at 10,000 articles from 1.09–1.22 s to 1.04–1.08 s
    /// (`--timings`, three builds each); `the_body_pass_counts_what_the_tokenizer_gives`
    /// holds the two equal.
    fn body(&mut self, body: &'a str) {
        let (mut first, mut second) = (None, None);
        let mut word = None;
        for (i, c) in body.char_indices() {
            let class = class(c);
            if class != Class::Word
                && let Some(start) = word.take()
            {
                self.words.entry(&body[start..i]).or_default().count += 1;
            }
            match class {
                Class::Han => {
                    self.han((first, second, c), false);
                    if let Some(b) = second {
                        self.pairs.entry(pair(b, c)).or_default().count += 1;
                    }
                    (first, second) = (second, Some(c));
                }
                Class::Word => {
                    word.get_or_insert(i);
                    (first, second) = (None, None);
                }
                Class::Sep => (first, second) = (None, None),
            }
        }
        if let Some(start) = word {
            self.words.entry(&body[start..]).or_default().count += 1;
        }
    }
}

/// Postings of one stretch of documents, by token.
#[derive(Default)]
struct Partial {
    han: FxHashMap<HanKey, Postings>,
    triples: FxHashMap<TripleKey, Postings>,
    words: FxHashMap<String, Postings>,
}

impl Partial {
    /// The postings of one stretch of documents, the first of which is number `first`.
    fn of_stretch(
        chunk: &[IndexedText<'_>],
        first: u32,
        chosen: &Chosen,
        fold: &FoldTable,
    ) -> Partial {
        let mut partial = Partial::default();
        let mut chars = CharCounts::new();
        let mut pairs = FxHashMap::default();
        let mut triples = FxHashMap::default();
        for (i, doc) in chunk.iter().enumerate() {
            let number = first + i as u32;
            let (title, body) = (
                normalize(doc.title, fold),
                normalize(&doc.body.unpack(), fold),
            );
            let mut words = FxHashMap::default();
            let tokens = DocTokens {
                pairs: &mut pairs,
                words: &mut words,
                chars: &mut chars,
                chosen,
                triples: &mut triples,
            };
            doc_tokens(&title, &body, tokens);
            for (key, hits) in triples.drain() {
                let list = partial.triples.entry(key).or_default();
                list.push(number, hits.value());
            }
            for (key, hits) in pairs.drain() {
                partial
                    .han
                    .entry(key)
                    .or_default()
                    .push(number, hits.value());
            }
            chars.drain(|c, hits| {
                let list = partial.han.entry(single(c)).or_default();
                list.push(number, hits.value());
            });
            for (word, hits) in words {
                if let Some(list) = partial.words.get_mut(word) {
                    list.push(number, hits.value());
                } else {
                    let mut list = Postings::default();
                    list.push(number, hits.value());
                    partial.words.insert(word.to_owned(), list);
                }
            }
        }
        partial
    }

    /// The stretches' postings joined, in document order.
    fn join(partials: Vec<Partial>) -> Partial {
        let mut stretches = partials.into_iter();
        let mut all = stretches.next().unwrap_or_default();
        for partial in stretches {
            for (key, list) in partial.han {
                all.han.entry(key).or_default().append(list);
            }
            for (key, list) in partial.triples {
                all.triples.entry(key).or_default().append(list);
            }
            for (word, list) in partial.words {
                all.words.entry(word).or_default().append(list);
            }
        }
        all
    }
}

/// One token's postings while the index is built, already in the sparse spelling (`docGap
/// value` per document, see [`Postings::finish`]): three or four bytes a document where a
/// `(u32, u32)` pair took eight, which at 10,000 articles is most of the index stage's
/// memory.
#[derive(Default)]
struct Postings {
    sparse: Vec<u8>,
    first: u32,
    last: u32,
}

impl Postings {
    /// Adds a document after every document already in the list.
    fn push(&mut self, doc: u32, value: u32) {
        if self.sparse.is_empty() {
            self.first = doc;
            encode::push(&mut self.sparse, doc);
        } else {
            encode::push(&mut self.sparse, doc - self.last);
        }
        encode::push(&mut self.sparse, value);
        self.last = doc;
    }

    /// Adds the postings of later documents: their first number, a document number, becomes
    /// the gap from this list's last document.
    fn append(&mut self, later: Postings) {
        if self.sparse.is_empty() {
            *self = later;
            return;
        }
        encode::push(&mut self.sparse, later.first - self.last);
        let first_len = encode::first_len(&later.sparse);
        self.sparse.extend_from_slice(&later.sparse[first_len..]);
        self.last = later.last;
    }

    /// The shorter of two spellings of the list (documents ascending): sparse, `docGap
    /// value` per document holding the token; or dense, `*`, the first document holding it,
    /// and then one value per document from that one to the last one holding it, 0 for the
    /// others. (Starting at the first one rather than at 0 keeps a token of recent articles
    /// from paying a digit for every older document.)
    fn finish(self) -> Vec<u8> {
        let span = (self.last - self.first) as usize + 1;
        // A dense list spends one digit on every absent document: only worth trying when
        // most documents of its span hold the token.
        if span >= self.sparse.len() {
            return self.sparse;
        }
        let dense = self.dense(span);
        if dense.len() < self.sparse.len() {
            dense
        } else {
            self.sparse
        }
    }

    /// The dense spelling of a list whose documents span `span` numbers.
    fn dense(&self, span: usize) -> Vec<u8> {
        let mut dense = Vec::with_capacity(span + 6);
        dense.push(DENSE);
        encode::push(&mut dense, self.first);
        let (mut doc, mut next) = (0, self.first);
        let mut numbers = encode::numbers(&self.sparse);
        while let (Some(gap), Some(value)) = (numbers.next(), numbers.next()) {
            doc += gap;
            dense.resize(dense.len() + (doc - next) as usize, encode::ZERO);
            encode::push(&mut dense, value);
            next = doc + 1;
        }
        dense
    }
}

/// `(document, value)` of every document in a postings string, in either spelling.
pub(crate) fn entries(bytes: &[u8]) -> Vec<(u32, u32)> {
    if let Some(dense) = bytes.strip_prefix(&[DENSE]) {
        let mut numbers = encode::numbers(dense);
        let first = numbers.next().unwrap_or(0);
        return (first..).zip(numbers).filter(|&(_, v)| v != 0).collect();
    }
    let mut numbers = encode::numbers(bytes);
    let (mut doc, mut out) = (0, Vec::new());
    while let (Some(gap), Some(value)) = (numbers.next(), numbers.next()) {
        doc += gap;
        out.push((doc, value));
    }
    out
}

/// The postings string of `entries` (documents ascending), in the shorter spelling.
pub(crate) fn spell(entries: &[(u32, u32)]) -> Vec<u8> {
    let mut list = Postings::default();
    for &(doc, value) in entries {
        list.push(doc, value);
    }
    list.finish()
}

/// Every token's postings, and the chosen triples' (keyed by their three characters), each
/// in its final spelling: what the index files are laid out from.
#[derive(Clone, Default)]
pub(crate) struct Lists {
    pub tokens: BTreeMap<String, Vec<u8>>,
    pub triples: BTreeMap<String, Vec<u8>>,
}

/// Builds the index over `docs`, whose order gives the document numbers.
#[cfg(test)]
pub(crate) fn build(docs: &[IndexedText<'_>], fold: &FoldTable, head: usize) -> FullText {
    let chosen = choose_triples(docs, fold);
    layout(lists(docs, &chosen, fold), head)
}

/// The postings of `docs` (numbered in their order) and of the `chosen` triples they hold.
pub(crate) fn lists(docs: &[IndexedText<'_>], chosen: &Chosen, fold: &FoldTable) -> Lists {
    // Stretches of documents, each collected into its own lists on some core; their lists
    // are then joined in document order.
    let stretch = docs
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(64);
    let partials: Vec<Partial> = docs
        .par_chunks(stretch)
        .enumerate()
        .map(|(k, chunk)| Partial::of_stretch(chunk, (k * stretch) as u32, chosen, fold))
        .collect();
    let Partial {
        han,
        triples,
        words,
    } = Partial::join(partials);
    let lists: Vec<(String, Postings)> = han
        .into_iter()
        .map(|(key, list)| (han_text(key), list))
        .chain(words)
        .collect();
    let triples: Vec<(String, Postings)> = triples
        .into_iter()
        .map(|(key, list)| (triple_chars(key).iter().collect(), list))
        .collect();
    let finish = |lists: Vec<(String, Postings)>| -> BTreeMap<String, Vec<u8>> {
        lists
            .into_par_iter()
            .map(|(token, list)| (token, list.finish()))
            .collect()
    };
    Lists {
        tokens: finish(lists),
        triples: finish(triples),
    }
}

/// The index files' contents: small postings into shards, big ones into their groups, and
/// each triple into the big postings file of its first two characters, which a phrase query
/// loads anyway (a triple whose pair turned out small is left out); then the lists there
/// longer than a few heads of about `head` bytes split in two ([`tiers`]).
pub(crate) fn layout(lists: Lists, head: usize) -> FullText {
    let mut index = shard(lists.tokens);
    for (triple, list) in lists.triples {
        let lead: String = triple.chars().take(2).collect();
        if let Some(group) = index.big.get_mut(&big_group(&lead, index.big_bits))
            && group.contains_key(&lead)
        {
            group.insert(triple, list);
        }
    }
    index.tails = tiers::split_groups(&mut index.big, head);
    index
}

/// The triples of Han characters worth indexing for phrase bounds, chosen on a sample of at
/// most [`TRIPLE_SAMPLE`] evenly spaced documents: a triple abc whose first pair ab is in at
/// least a tenth of the sampled documents (likely to have big postings, where loose bounds
/// cost most) and which occurs at most half as often as the rarer of its pairs ab and bc (so
/// that it tightens the bound of a phrase holding it). At most [`TRIPLES_PER_PAIR`] per
/// pair, those that tighten most. Any choice keeps the bounds true; this one keeps the index
/// small.
pub(crate) fn choose_triples(docs: &[IndexedText<'_>], fold: &FoldTable) -> Chosen {
    let step = docs.len().div_ceil(TRIPLE_SAMPLE).max(1);
    let sample: Vec<&IndexedText<'_>> = docs.iter().step_by(step).collect();
    // Counted in a stretch of the sample a core, then added up.
    let stretch = sample.len().div_ceil(rayon::current_num_threads()).max(1);
    let counted: Vec<SampleCounts> = sample
        .par_chunks(stretch)
        .map(|chunk| SampleCounts::of(chunk, fold))
        .collect();
    let SampleCounts { pairs, triples } = SampleCounts::sum(counted);
    let common = (sample.len() / 10).max(1) as u32;
    let mut best: FxHashMap<HanKey, Vec<(u32, TripleKey)>> = FxHashMap::default();
    for (&key, &(_, in_docs, count)) in &triples {
        let [a, b, c] = triple_chars(key);
        let (Some(&(_, lead_docs, lead)), Some(&(_, _, tail))) =
            (pairs.get(&pair(a, b)), pairs.get(&pair(b, c)))
        else {
            continue;
        };
        let bound = lead.min(tail);
        if in_docs < 2 || lead_docs < common || count * 2 > bound {
            continue;
        }
        best.entry(pair(a, b))
            .or_default()
            .push((bound - count, key));
    }
    let mut chosen = Chosen::none();
    for (_, mut list) in best {
        list.sort_unstable_by(|x, y| y.cmp(x));
        for (_, key) in list.into_iter().take(TRIPLES_PER_PAIR) {
            chosen.insert(key);
        }
    }
    chosen
}

/// For each pair and triple of Han characters in a stretch of the sample: the last document
/// that held it (while counting), the documents that hold it and its occurrences.
#[derive(Default)]
struct SampleCounts {
    pairs: FxHashMap<HanKey, (usize, u32, u32)>,
    triples: FxHashMap<TripleKey, (usize, u32, u32)>,
}

impl SampleCounts {
    fn of(docs: &[&IndexedText<'_>], fold: &FoldTable) -> SampleCounts {
        let mut pairs = FxHashMap::default();
        let mut triples = FxHashMap::default();
        fn seen<K: std::hash::Hash + Eq>(
            map: &mut FxHashMap<K, (usize, u32, u32)>,
            key: K,
            doc: usize,
        ) {
            let e = map.entry(key).or_insert((usize::MAX, 0, 0));
            if e.0 != doc {
                *e = (doc, e.1 + 1, e.2);
            }
            e.2 += 1;
        }
        for (doc, d) in docs.iter().enumerate() {
            let mut text = normalize(d.title, fold);
            text.push('\n');
            text.push_str(&normalize(&d.body.unpack(), fold));
            let (mut first, mut second) = (None, None);
            for c in text.chars() {
                if !is_han(c) {
                    (first, second) = (None, None);
                    continue;
                }
                if let Some(b) = second {
                    seen(&mut pairs, pair(b, c), doc);
                    if let Some(a) = first {
                        seen(&mut triples, triple(a, b, c), doc);
                    }
                }
                (first, second) = (second, Some(c));
            }
        }
        SampleCounts { pairs, triples }
    }

    /// The counts of all the stretches (each document is in one).
    fn sum(stretches: Vec<SampleCounts>) -> SampleCounts {
        fn add<K: std::hash::Hash + Eq>(
            into: &mut FxHashMap<K, (usize, u32, u32)>,
            from: FxHashMap<K, (usize, u32, u32)>,
        ) {
            for (key, (_, docs, count)) in from {
                let e = into.entry(key).or_default();
                (e.1, e.2) = (e.1 + docs, e.2 + count);
            }
        }
        let mut stretches = stretches.into_iter();
        let mut all = stretches.next().unwrap_or_default();
        for stretch in stretches {
            add(&mut all.pairs, stretch.pairs);
            add(&mut all.triples, stretch.triples);
        }
        all
    }
}

/// The chosen triples, behind a bit filter: every Han character of every document asks
/// whether the triple it ends is chosen, and nearly all are not.
pub(crate) struct Chosen {
    filter: Vec<u64>,
    set: FxHashSet<TripleKey>,
}

/// Two choices are the same when they hold the same triples (the filter follows from them).
impl PartialEq for Chosen {
    fn eq(&self, other: &Chosen) -> bool {
        self.set == other.set
    }
}

impl Chosen {
    /// No triple chosen.
    fn none() -> Chosen {
        Chosen {
            filter: vec![0; (1 << 20) / 64],
            set: FxHashSet::default(),
        }
    }

    fn insert(&mut self, key: TripleKey) {
        let bit = Chosen::bit(key);
        self.filter[bit / 64] |= 1 << (bit % 64);
        self.set.insert(key);
    }

    /// One of 2^20 bits for a triple.
    fn bit(key: TripleKey) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 44) as usize
    }

    fn has(&self, key: TripleKey) -> bool {
        let bit = Chosen::bit(key);
        self.filter[bit / 64] & (1 << (bit % 64)) != 0 && self.set.contains(&key)
    }
}

/// Small postings into shards by hash, big ones into groups by the top bits of their hash.
/// The numbers of shards and of groups are powers of two chosen from the total sizes, so
/// they change (and with them every shard, or every group) only when the site doubles or
/// halves.
fn shard(postings: BTreeMap<String, Vec<u8>>) -> FullText {
    let (small, big_bytes, big_tokens) =
        postings
            .iter()
            .fold((0, 0, 0), |(small, big, tokens), (t, p)| {
                let bytes = t.len() + p.len() + 6;
                if p.len() > BIG {
                    (small, big + bytes, tokens + 1)
                } else {
                    (small + bytes, big, tokens)
                }
            });
    let count = (small / SHARD_TARGET).max(1).next_power_of_two();
    let big_bits = big_bits(big_bytes, big_tokens);
    let mut shards: Vec<BTreeMap<String, Vec<u8>>> = (0..count).map(|_| BTreeMap::new()).collect();
    let mut big: BTreeMap<u32, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
    for (token, bytes) in postings {
        if bytes.len() > BIG {
            big.entry(big_group(&token, big_bits))
                .or_default()
                .insert(token, bytes);
        } else {
            shards[shard_of(&token, count)].insert(token, bytes);
        }
    }
    FullText {
        shards,
        big,
        big_bits,
        tails: BTreeMap::new(),
        doc_bytes: 0,
    }
}

/// How many top bits of a token's hash name its big group, for `tokens` big postings of
/// `bytes` in all: groups of about [`BIG_TARGET`] bytes, or [`BIG_SPREAD`] groups a token
/// where tokens are longer than that on average; a power of two of them (so that they, and
/// with them every group's file, change only when the site doubles or halves), at least two
/// and at most 2^[`BIG_BITS_MAX`].
fn big_bits(bytes: usize, tokens: usize) -> u32 {
    let groups = if bytes > tokens * BIG_TARGET {
        tokens * BIG_SPREAD
    } else {
        bytes / BIG_TARGET
    };
    groups
        .max(2)
        .next_power_of_two()
        .trailing_zeros()
        .min(BIG_BITS_MAX)
}

/// The shard of a token: its FNV-1a hash modulo the number of shards.
pub(crate) fn shard_of(token: &str, shards: usize) -> usize {
    fnv1a(token) as usize % shards
}

/// FNV-1a, 32 bits, over the token's UTF-8 bytes; the browser computes the same.
fn fnv1a(token: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bodies given, held as a build holds them.
    fn packed<'a>(bodies: impl IntoIterator<Item = &'a str>) -> Vec<Packed> {
        bodies.into_iter().map(Packed::new).collect()
    }

    fn find(index: &FullText, token: &str) -> Vec<u8> {
        let shard = &index.shards[shard_of(token, index.shards.len())];
        let big = index.big.get(&big_group(token, index.big_bits));
        shard
            .get(token)
            .or_else(|| big.and_then(|b| b.get(token)))
            .unwrap_or_else(|| panic!("no postings for {token}"))
            .clone()
    }

    #[test]
    fn the_body_pass_counts_what_the_tokenizer_gives() {
        let fold = FoldTable::opencc();
        let chosen = Chosen::none();
        for text in [
            "",
            "工",
            "工会",
            "新质生产力，2024年GDP增长5.2%。",
            "abc工会def  工 会x1y2 z",
            "ｆｕｌｌ宽字符と日本語한국어 ünïcödé 𠀀𠀁丁",
            "末尾是词word",
            "工会。。工会——“工人”",
        ] {
            let body = normalize(text, &fold);
            let (mut pairs, mut words, mut chars) = (
                FxHashMap::default(),
                FxHashMap::default(),
                CharCounts::new(),
            );
            let mut triples = FxHashMap::default();
            DocTokens {
                pairs: &mut pairs,
                words: &mut words,
                chars: &mut chars,
                chosen: &chosen,
                triples: &mut triples,
            }
            .body(&body);
            let (mut want_pairs, mut want_words) = (FxHashMap::default(), FxHashMap::default());
            for_each_token(&body, |piece, _| match piece {
                Piece::Han(_) => {}
                Piece::Pair(a, b) => *want_pairs.entry(pair(a, b)).or_insert(0) += 1,
                Piece::Word(w) => *want_words.entry(w).or_insert(0) += 1,
            });
            fn counts<K: std::hash::Hash + Eq>(map: FxHashMap<K, Hits>) -> FxHashMap<K, u32> {
                map.into_iter().map(|(k, h)| (k, h.count)).collect()
            }
            assert_eq!(counts(pairs), want_pairs, "pairs of {text:?}");
            assert_eq!(counts(words), want_words, "words of {text:?}");
            let mut han = Vec::new();
            chars.drain(|c, h| han.extend(std::iter::repeat_n(c, h.count as usize)));
            han.sort_unstable();
            let mut want_han: Vec<char> = body.chars().filter(|&c| is_han(c)).collect();
            want_han.sort_unstable();
            assert_eq!(han, want_han, "characters of {text:?}");
        }
    }

    #[test]
    fn postings_hold_documents_counts_and_title_flags() {
        let fold = FoldTable::opencc();
        let bodies = packed(["新质生产力。生产", "生产力", "其他"]);
        let docs = [
            IndexedText {
                title: "工会",
                body: &bodies[0],
            },
            IndexedText {
                title: "其他",
                body: &bodies[1],
            },
            IndexedText {
                title: "其他",
                body: &bodies[2],
            },
        ];
        let index = build(&docs, &fold, 0);
        let of = |token: &str| entries(&find(&index, token));
        // doc 0: twice in the body, not in the title (2·2 + 0); doc 1: once.
        assert_eq!(of("生产"), [(0, 4), (1, 2)]);
        // In the title only: count 0, title flag.
        assert_eq!(of("工会"), [(0, 1)]);
        assert_eq!(of("其他"), [(1, 1), (2, 3)]);
        // Single characters: every occurrence, title included, and the title flag.
        assert_eq!(of("产"), [(0, 4), (1, 2)]);
        assert_eq!(of("工"), [(0, 3)]);
        assert_eq!(
            encode::decode(&find(&index, "工会")),
            [0, 1],
            "sparse: gap, value"
        );
    }

    #[test]
    fn tokens_in_most_documents_are_written_densely() {
        let fold = FoldTable::opencc();
        let bodies = packed((0..40).map(|i| if i % 10 == 3 { "其他" } else { "工会" }));
        let docs: Vec<IndexedText<'_>> = bodies
            .iter()
            .map(|b| IndexedText { title: "", body: b })
            .collect();
        let index = build(&docs, &fold, 0);
        let dense = find(&index, "工会");
        assert_eq!(dense[0], DENSE);
        let numbers = encode::decode(&dense[1..]);
        assert_eq!(numbers[0], 0, "from the first document");
        let values = &numbers[1..];
        assert_eq!(values.len(), 40);
        assert!(
            values
                .iter()
                .enumerate()
                .all(|(i, &v)| v == if i % 10 == 3 { 0 } else { 2 })
        );
        // Four documents in forty: sparse.
        assert_eq!(
            encode::decode(&find(&index, "其他")),
            [3, 2, 10, 2, 10, 2, 10, 2]
        );
    }

    #[test]
    fn dense_postings_start_at_the_first_document_holding_the_token() {
        let fold = FoldTable::opencc();
        let bodies = packed((0..60).map(|i| if i < 30 { "其他" } else { "工会" }));
        let docs: Vec<IndexedText<'_>> = bodies
            .iter()
            .map(|b| IndexedText { title: "", body: b })
            .collect();
        let index = build(&docs, &fold, 0);
        let dense = find(&index, "工会");
        assert_eq!(dense[0], DENSE);
        assert_eq!(encode::decode(&dense[1..2]), [30], "starts at document 30");
        assert_eq!(
            dense.len(),
            1 + 1 + 30,
            "no digit for the 30 documents before"
        );
        assert_eq!(
            entries(&dense),
            (30..60).map(|d| (d, 2)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn long_postings_get_a_file_of_their_own() {
        let fold = FoldTable::opencc();
        let body = Packed::new("工会");
        let docs: Vec<IndexedText<'_>> = (0..BIG + 10)
            .map(|_| IndexedText {
                title: "",
                body: &body,
            })
            .collect();
        let index = build(&docs, &fold, 0);
        assert!(index.shards.iter().all(|s| !s.contains_key("工会")));
        assert!(index.big[&big_group("工会", index.big_bits)].contains_key("工会"));
    }

    /// Groups of about BIG_TARGET bytes, a power of two of them: a site twice the size has
    /// one bit more; where tokens are longer than that, 32 groups a token.
    #[test]
    fn big_groups_grow_with_the_big_postings() {
        let kb = |k: usize| k * 1024;
        assert_eq!(big_bits(0, 0), 1, "two groups at least");
        assert_eq!(big_bits(kb(48), 10), 2, "48 KB: four groups");
        // The search benchmark's 10,000 articles: 2,143 big tokens, 12.8 MB.
        assert_eq!(big_bits(12_832_226, 2143), 10);
        assert_eq!(big_bits(2 * 12_832_226, 2 * 2143), 11);
        // Its 100,000 articles: 2,693 tokens of 49 KB on average.
        assert_eq!(big_bits(131_817_745, 2693), 17);
        assert_eq!(big_bits(usize::MAX / 64, 1 << 30), BIG_BITS_MAX);
    }

    #[test]
    fn triples_of_loose_pairs_ride_with_their_big_pair() {
        let fold = FoldTable::opencc();
        // 业工 in every document, mostly from 企业工会; 业工人 in every third, twice in the
        // body, and in the title of the first.
        let bodies = packed((0..BIG + 100).map(|i| {
            if i % 3 == 0 {
                "企业工会，企业工会。产业工人和产业工人"
            } else {
                "企业工会，企业工会，工人，工人"
            }
        }));
        let docs: Vec<IndexedText<'_>> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| IndexedText {
                title: if i == 0 { "产业工人" } else { "" },
                body: b,
            })
            .collect();
        let index = build(&docs, &fold, 0);
        let group = &index.big[&big_group("业工", index.big_bits)];
        assert!(group.contains_key("业工"));
        let triple = entries(&group["业工人"]);
        assert_eq!(triple.len(), (BIG + 100).div_ceil(3));
        assert_eq!(
            triple[0],
            (0, 5),
            "twice in the body (2·2), and in the title"
        );
        assert_eq!(triple[1], (3, 4));
        // Tight already: 企业工 is as common as its pair 企业, so it is not indexed.
        assert!(index.big.values().all(|g| !g.contains_key("企业工")));
        // Triples never land in shards.
        assert!(index.shards.iter().all(|s| {
            s.keys()
                .all(|t| t.chars().count() < 3 || !t.chars().all(is_han))
        }));
    }

    fn postings_of(list: &[(u32, u32)]) -> Postings {
        let mut postings = Postings::default();
        for &(doc, value) in list {
            postings.push(doc, value);
        }
        postings
    }

    #[test]
    fn postings_joined_from_stretches_spell_as_one_list() {
        let sparse: Vec<(u32, u32)> = vec![(3, 2), (40, 3), (41, 2), (1_000, 9), (70_000, 2)];
        // Documents 10 to 60 but 20 and 30: dense.
        let dense: Vec<(u32, u32)> = (10..=60)
            .filter(|d| d % 10 != 0 || *d == 10 || *d == 60)
            .map(|d| (d, 2 + d % 3))
            .collect();
        for list in [sparse, dense] {
            let whole = postings_of(&list).finish();
            assert_eq!(entries(&whole), list, "spells the list it was given");
            for cut in 1..list.len() {
                let (earlier, later) = list.split_at(cut);
                let mut joined = postings_of(earlier);
                joined.append(postings_of(later));
                assert_eq!(joined.finish(), whole, "cut after {cut} documents");
            }
        }
        let mostly: Vec<(u32, u32)> = (10..=20).filter(|&d| d != 15).map(|d| (d, 2)).collect();
        assert_eq!(postings_of(&mostly).finish()[0], DENSE);
    }

    #[test]
    fn the_shard_hash_is_fnv1a() {
        assert_eq!(shard_of("", 1 << 31), 0x811c_9dc5 % (1 << 31));
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
        assert_eq!(big_group("a", 20), 0xe40c_292c >> 12);
        assert_eq!(big_group("a", 1), 1);
    }
}
