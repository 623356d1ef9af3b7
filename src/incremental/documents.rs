//! Articles between rebuilds: each Markdown file's stamp, document, rendered Markdown and the
//! problems found in it, what the publishing guard found in it and its page's signature for
//! related articles, so that `serve` parses, renders and scans again only the files that
//! changed, and knows whether any front matter changed (which other pages show).

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::Cache;
use crate::build::{Drafts, SpamGuard, stages};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::knowledge::Knowledge;
use crate::knowledge::related::signature;
use crate::markdown::{RenderedDoc, RenderedDocs};
use crate::site::{DocId, Docs, PageId, SiteMap, TiVec};
use crate::source::{self, Document, SourceFile, SourceKind};

pub(super) struct Entry {
    stamp: Stamp,
    /// A watcher said the file changed: read it again whatever its stamp says.
    pub(super) stale: bool,
    /// Problems found reading the file (warnings only: a file with errors is read again).
    read: Vec<Diagnostic>,
    /// Problems found rendering its Markdown.
    render: Vec<Diagnostic>,
    /// `None` while the document is out in a [`crate::build::Site`].
    pub(super) doc: Option<Document>,
    pub(super) rendered: Option<RenderedDoc>,
    /// What the publishing guard found in the document, and how it reported it.
    spam: Option<(SpamGuard, Vec<Diagnostic>)>,
    /// Its page's signature for related articles, from the last rebuild that reused its
    /// rendering or rendered it.
    signature: Option<Vec<u64>>,
}

/// Size and modification time of a file as last read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Rendered Markdown (and the problems found rendering it) that a document can reuse.
pub(super) type Reused = Option<(RenderedDoc, Vec<Diagnostic>)>;

/// What reading the Markdown gave: the documents to build in the order found, for each the
/// rendering the cache holds for it, and whether any front matter changed.
#[derive(Default)]
pub(super) struct Read {
    pub(super) docs: TiVec<DocId, Document>,
    pub(super) reused: TiVec<DocId, Reused>,
    pub(super) meta_changed: bool,
    pub(super) found: Vec<Diagnostic>,
}

/// One Markdown file: as it was, or parsed again.
enum Outcome {
    Unchanged(String),
    Parsed(Box<(Option<Document>, Vec<Diagnostic>, Option<Stamp>)>),
}

impl Cache {
    /// [`stages::parse`], taking from the cache every file whose size and date are as they
    /// were and that no watcher reported.
    pub(super) fn read(&mut self, root: &Path, markdown: Vec<SourceFile>, drafts: Drafts) -> Read {
        let content = root.join(source::CONTENT_DIR);
        let mut previous = std::mem::take(&mut self.entries);
        let outcomes: Vec<Outcome> = markdown
            .into_par_iter()
            .map(|file| {
                let stamp = Stamp::of(&file.path);
                match previous.get(&file.rel) {
                    Some(e) if !e.stale && e.doc.is_some() && stamp == Some(e.stamp) => {
                        Outcome::Unchanged(file.rel)
                    }
                    _ => {
                        let (doc, found) = stages::parse_one(&content, file);
                        Outcome::Parsed(Box::new((doc, found, stamp)))
                    }
                }
            })
            .collect();
        let mut read = Read::default();
        for outcome in outcomes {
            match outcome {
                Outcome::Unchanged(rel) => {
                    let entry = previous.remove(&rel).expect("found above");
                    let entry = read.unchanged(entry, drafts);
                    self.entries.insert(rel, entry);
                }
                Outcome::Parsed(parsed) => {
                    let (doc, found, stamp) = *parsed;
                    if let Some((rel, entry)) = read.parsed(doc, found, stamp, &previous, drafts) {
                        self.entries.entry(rel).or_insert(entry);
                    }
                }
            }
        }
        read
    }

    /// [`stages::render_markdown`], reusing each document's rendering while the settings,
    /// the site map and every front matter are exactly as when it was made.
    pub(super) fn render(
        &mut self,
        config: &SiteConfig,
        docs: &Docs,
        map: &SiteMap,
        knowledge: &Knowledge,
    ) -> (TiVec<DocId, RenderedDoc>, Vec<Diagnostic>) {
        let mut reused = std::mem::take(&mut self.round.reused);
        let meta_changed = self.round.meta_changed;
        // Rendering an article reads the map (where links lead) and the knowledge base (titles
        // for wikilinks, glossary terms), which is made from the front matter: a change to
        // either renders every article again.
        let rendered_with = (super::fingerprint_of(config), map.fingerprint());
        self.round.map = Some(rendered_with.1);
        if meta_changed || self.rendered_with != Some(rendered_with) {
            reused.iter_mut().for_each(|r| *r = None);
        }
        // Pages made only from unchanged documents can be kept as they are, unless some front
        // matter changed (titles and summaries show on other pages too), or the last compile
        // read documents whose pages were never served.
        let behind = self.round.behind;
        self.round.unchanged = reused
            .iter()
            .map(|r| r.is_some() && !meta_changed && !behind)
            .collect();
        let missing: Vec<&Document> = docs
            .iter_enumerated()
            .filter(|&(id, _)| reused[id].is_none())
            .map(|(_, d)| d)
            .collect();
        let mut fresh =
            stages::render_each(config, &missing, map, knowledge, &self.highlighter).into_iter();
        let (rendered, found): (TiVec<DocId, RenderedDoc>, TiVec<DocId, Vec<Diagnostic>>) = reused
            .into_iter()
            .map(|r| r.unwrap_or_else(|| fresh.next().expect("one rendering per missing one")))
            .unzip();
        for (id, doc) in docs.iter_enumerated() {
            if let Some(entry) = self.entries.get_mut(&doc.file.rel) {
                entry.render.clone_from(&found[id]);
            }
        }
        self.rendered_with = Some(rendered_with);
        (rendered, found.into_iter().flatten().collect())
    }

    /// [`stages::guard_spam`], keeping each document's findings while its file is as it was:
    /// the guard reads nothing but the document, and scanning every article's text took about
    /// a fifth of a rebuild at 10,000 articles.
    pub(super) fn guard_spam(&mut self, docs: &Docs, guard: SpamGuard) -> Vec<Diagnostic> {
        let missing: Vec<&Document> = (docs.iter())
            .filter(|d| self.kept_spam(d, guard).is_none())
            .collect();
        let mut fresh = stages::guard_spam(missing.par_iter().copied(), guard).into_iter();
        let mut found = Vec::new();
        for doc in docs.iter() {
            if let Some(known) = self.kept_spam(doc, guard) {
                found.extend_from_slice(known);
                continue;
            }
            let new = fresh.next().expect("one finding per missing document");
            found.extend_from_slice(&new);
            if let Some(entry) = self.entries.get_mut(&doc.file.rel) {
                entry.spam = Some((guard, new));
            }
        }
        found
    }

    /// What the guard found in `doc` when it last reported as `guard` does.
    fn kept_spam(&self, doc: &Document, guard: SpamGuard) -> Option<&[Diagnostic]> {
        let (reported, found) = self.entries.get(&doc.file.rel)?.spam.as_ref()?;
        (*reported == guard).then_some(found.as_slice())
    }

    /// [`stages::signatures`], keeping each page's while its document's rendering is reused
    /// (same text, and no front matter changed anywhere): making all 10,000 took 44 ms of the
    /// 132 ms that backlinks and related articles take in a rebuild.
    pub(super) fn signatures(
        &mut self,
        docs: &Docs,
        map: &SiteMap,
        rendered: &RenderedDocs,
    ) -> TiVec<PageId, Vec<u64>> {
        let unchanged = &self.round.unchanged;
        let entries = &self.entries;
        let signatures: Vec<(Vec<u64>, bool)> = (map.pages.raw.par_iter())
            .map(|p| {
                let kept = (unchanged.get(p.doc) == Some(&true))
                    .then(|| entries.get(&docs[p.doc].file.rel)?.signature.clone())
                    .flatten();
                match kept {
                    Some(signature) => (signature, false),
                    None => (
                        signature(&p.meta().title, &rendered[p.doc].text.head()),
                        true,
                    ),
                }
            })
            .collect();
        for (page, (signature, made)) in map.pages.iter().zip(&signatures) {
            if *made && let Some(entry) = self.entries.get_mut(&docs[page.doc].file.rel) {
                entry.signature = Some(signature.clone());
            }
        }
        signatures.into_iter().map(|(s, _)| s).collect()
    }
}

impl Read {
    /// A file as it was: its document comes out of its entry, which is returned to be kept.
    fn unchanged(&mut self, mut entry: Entry, drafts: Drafts) -> Entry {
        self.found.extend(entry.read.iter().cloned());
        let doc = entry
            .doc
            .take()
            .expect("only an entry with a document is unchanged");
        if drafts.keeps(&doc) {
            self.reused
                .push(entry.rendered.take().map(|r| (r, entry.render.clone())));
            self.docs.push(doc);
        } else {
            entry.doc = Some(doc);
        }
        entry
    }

    /// A file parsed again; returns the entry to remember it by when it read cleanly.
    fn parsed(
        &mut self,
        doc: Option<Document>,
        found: Vec<Diagnostic>,
        stamp: Option<Stamp>,
        previous: &HashMap<String, Entry>,
        drafts: Drafts,
    ) -> Option<(String, Entry)> {
        let clean = !found.iter().any(Diagnostic::is_error);
        self.found.extend(found.iter().cloned());
        let Some(doc) = doc else {
            self.meta_changed = true;
            return None;
        };
        // Only an article whose front matter is as it was leaves other pages alone.
        let before = previous.get(&doc.file.rel).and_then(|e| e.doc.as_ref());
        if !before.is_some_and(|old| {
            old.file.kind == SourceKind::Page
                && doc.file.kind == SourceKind::Page
                && meta_fingerprint(old) == meta_fingerprint(&doc)
        }) {
            self.meta_changed = true;
        }
        let mut entry = match (clean, stamp) {
            (true, Some(stamp)) => Some(Entry {
                stamp,
                stale: false,
                read: found,
                render: Vec::new(),
                doc: None,
                rendered: None,
                spam: None,
                signature: None,
            }),
            _ => None,
        };
        let rel = doc.file.rel.clone();
        if drafts.keeps(&doc) {
            self.docs.push(doc);
            self.reused.push(None);
        } else if let Some(entry) = &mut entry {
            entry.doc = Some(doc);
        }
        entry.map(|e| (rel, e))
    }
}

fn meta_fingerprint(doc: &Document) -> u128 {
    Fingerprint::new().debug(&doc.meta).finish()
}
