//! What `serve` keeps of the whole site between rebuilds, rather than of each document: the
//! site map with the knowledge base, and every page's related articles. Each is reused only
//! while a fingerprint of everything it is made from is as it was.

use super::Cache;
use crate::build::stages::{self, Linked};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::knowledge::{Knowledge, PageLinks};
use crate::markdown::RenderedDocs;
use crate::site::{Docs, PageId, SiteMap, TiSlice, TiVec};
use crate::source::SourceFile;

impl Cache {
    /// [`stages::link`], or the site map and knowledge base of the last compile when no front
    /// matter changed and the settings, the documents (by path, in order) and the assets are
    /// as they were: they are made from nothing else. The front matter is compared as
    /// written, not only as read: the problems found while linking name the line of a key.
    pub(super) fn link(
        &mut self,
        config: &SiteConfig,
        docs: &Docs,
        assets: &[SourceFile],
    ) -> (Linked, Vec<Diagnostic>) {
        let mut f = Fingerprint::new();
        f.u128(super::fingerprint_of(config)).hash(&docs.len());
        for doc in docs {
            let front_matter = doc.text.get(..doc.body_offset).unwrap_or_default();
            f.bytes(doc.file.rel.as_bytes())
                .bytes(doc.shown.as_os_str().as_encoded_bytes())
                .bytes(front_matter.as_bytes());
        }
        for asset in assets {
            f.bytes(asset.rel.as_bytes())
                .bytes(asset.path.as_os_str().as_encoded_bytes());
        }
        let inputs = f.finish();
        if !self.round.meta_changed
            && let Some((made_from, linked, found)) = &self.linked
            && *made_from == inputs
        {
            return (linked.clone(), found.clone());
        }
        let (linked, found) = stages::link(config, docs, assets);
        self.linked = Some((inputs, linked.clone(), found.clone()));
        (linked, found)
    }

    /// The related articles of the last compile, when they were found from exactly these
    /// inputs: the site map (titles, topics, tags, order), which pages are glossary entries,
    /// every page's signature and the pages it links to. The inputs' fingerprint waits in the
    /// round, so that [`crate::build::Runner::connected`] keeps what is found from them.
    pub(super) fn kept_related(
        &mut self,
        map: &SiteMap,
        knowledge: &Knowledge,
        rendered: &RenderedDocs,
        signatures: &TiSlice<PageId, Vec<u64>>,
    ) -> Option<TiVec<PageId, Vec<PageId>>> {
        let mut f = Fingerprint::new();
        f.u128(self.round.map.unwrap_or_else(|| map.fingerprint()));
        for (p, page) in map.pages.iter_enumerated() {
            let links = rendered[page.doc].links();
            f.hash(&knowledge.glossary.entry_of_page(p).is_some())
                .hash(&signatures[p])
                .hash(&links.len());
            for link in links {
                f.hash(&link.target);
            }
        }
        let inputs = f.finish();
        self.round.related = Some(inputs);
        match &self.related {
            Some((kept, related)) if *kept == inputs => Some(related.clone()),
            _ => None,
        }
    }
}
