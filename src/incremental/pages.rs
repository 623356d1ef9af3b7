//! Served pages between rebuilds: which pages cannot have changed (made only from unchanged
//! documents whose connections are as they were), and the fingerprint of every other page's
//! template context, so that a page is rendered again only when what it shows changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Cache, Compiled};
use crate::build::{self, BuildError, Pages, Site, pool};
use crate::fingerprint::Fingerprint;
use crate::knowledge::{Connections, Knowledge};
use crate::output::{Files, Memory};
use crate::render::{self, Input, Job, PageJob, Produced, Shared, page_slice, term_page_size};
use crate::search::SearchIndex;
use crate::site::{DocId, Docs, PageId, SiteMap, SitePath, TiSlice, TiVec};

impl Cache {
    /// Renders the pages of `compiled` into memory, each held as `hold` makes it, keeping from
    /// `previous` (the files served now) every page whose inputs are unchanged, and remembers
    /// each page's fingerprint.
    pub(crate) fn render_pages<T: Send + Sync>(
        &mut self,
        compiled: &Compiled,
        previous: &Files<T>,
        hold: fn(&SitePath, &[u8]) -> T,
    ) -> Result<Files<T>, BuildError> {
        // An unchanged document's summary is the last one made: its page counts as unchanged
        // only when the last compile's pages were rendered here, with the same settings and
        // site map.
        let (site, unchanged) = (&compiled.site, &compiled.unchanged);
        let kept = self.summaries.take();
        let pages = Pages::keeping(site, kept, |p| unchanged[site.map.pages[p].doc]);
        let known = &self.pages;
        let out = Memory::holding(hold);
        let fingerprints = Mutex::new(HashMap::new());
        let remember = |path: &SitePath, fingerprint: u128| {
            let mut f = fingerprints.lock().expect("no thread panics holding it");
            f.insert(path.to_string(), fingerprint);
        };
        // Serves the previous build's file at `path` again, if it was made from `fingerprint`.
        let keep = |path: &SitePath, fingerprint: u128| -> Result<bool, BuildError> {
            let Some(bytes) = previous.get(path.as_str()) else {
                return Ok(false);
            };
            if known.get(path.as_str()) != Some(&fingerprint) {
                return Ok(false);
            }
            out.insert(path, Arc::clone(bytes))
                .map_err(build::site_or_output)?;
            remember(path, fingerprint);
            Ok(true)
        };
        let write = |path: &SitePath, fingerprint: u128, bytes: &[u8]| {
            remember(path, fingerprint);
            build::put(&out, path, bytes)
        };
        build::for_each_job(pool::memory(), &pages.jobs, None, |job| {
            // A page made only from unchanged documents is the same page as last time.
            if let Some(path) = stable_path(job, &pages.input, &pages.shared, unchanged)
                && let Some(&fingerprint) = known.get(path.as_str())
                && keep(&path, fingerprint)?
            {
                return Ok(());
            }
            let page = match render::run(job, &pages.input, &site.theme, &pages.shared) {
                Ok(Produced::Page(page)) => page,
                // A file written as before keeps what was made of it (its compression).
                Ok(Produced::File { path, bytes }) => {
                    let fingerprint = xxhash_rust::xxh3::xxh3_128(&bytes);
                    if keep(&path, fingerprint)? {
                        return Ok(());
                    }
                    return write(&path, fingerprint, &bytes);
                }
                Err(d) => return Err(BuildError::Site(vec![d])),
            };
            let fingerprint = page.fingerprint(&pages.shared);
            if keep(page.path(), fingerprint)? {
                return Ok(());
            }
            let (path, bytes) = page
                .render(&site.theme, &pages.shared)
                .map_err(|d| BuildError::Site(vec![d]))?;
            write(&path, fingerprint, &bytes)
        })?;
        self.pages = fingerprints.into_inner().expect("not poisoned");
        self.summaries = Some(pages.shared.into_summaries());
        self.unserved = false;
        Ok(out.into_files())
    }

    /// Narrows the unchanged documents to those whose page also shows the same backlinks,
    /// related articles and (a glossary entry) term uses as last time, which other
    /// articles' text decides; remembers these for the next rebuild.
    pub(super) fn narrow_unchanged(
        &mut self,
        docs: &Docs,
        map: &SiteMap,
        knowledge: &Knowledge,
        connections: &Connections,
    ) {
        let connected = connections_fingerprints(docs, map, knowledge, connections);
        let unchanged = &mut self.round.unchanged;
        for (id, doc) in docs.iter_enumerated() {
            if self.connected.get(&doc.file.rel) != Some(&connected[id]) {
                unchanged[id] = false;
            }
        }
        self.connected = docs
            .iter_enumerated()
            .map(|(id, d)| (d.file.rel.clone(), connected[id]))
            .collect();
    }
}

/// The search index files of `site`, rendered into memory.
pub(crate) fn render_search(site: &Site, index: SearchIndex) -> Result<Files, BuildError> {
    let out = Memory::default();
    if index.blocks_to_render().is_empty() {
        // Every file is made (an update of the index): nothing to render.
        for (path, bytes) in &index.files {
            build::put(&out, path, bytes)?;
        }
    } else {
        build::write_search(site, index, &out, pool::memory())?;
    }
    Ok(out.into_files())
}

/// For each document, a fingerprint of what other articles give its page: backlinks with their
/// context, related articles and, for a glossary entry, the pages that use the term.
fn connections_fingerprints(
    docs: &Docs,
    map: &SiteMap,
    knowledge: &Knowledge,
    connections: &Connections,
) -> TiVec<DocId, u128> {
    let mut per_page: TiVec<PageId, Fingerprint> = (0..map.pages.len())
        .into_par_iter()
        .map(PageId::from)
        .map(|p| {
            let mut f = Fingerprint::new();
            f.hash(&connections.backlinks.get(p))
                .hash(&connections.related.get(p));
            f
        })
        .collect::<Vec<_>>()
        .into();
    for (id, entry) in knowledge.glossary.entries.iter_enumerated() {
        per_page[entry.page].hash(&connections.term_uses[id]);
    }
    // A section's introduction has no connections of its own.
    let mut out: TiVec<DocId, u128> = docs.iter().map(|_| 0).collect();
    for (page, f) in per_page.into_iter_enumerated() {
        out[map.pages[page].doc] = f.finish();
    }
    out
}

/// The output path of a job whose output cannot have changed since the previous build, given
/// which documents are `unchanged` (which also says the site map and settings are the same):
/// an article page made from an unchanged document, a listing page whose pages (and
/// introduction) are all unchanged, a taxonomy's list of terms, a feed or an alias redirect
/// whose pages are all unchanged. `None` for every other job, which is then rendered (or
/// fingerprinted) as usual.
fn stable_path(
    job: &Job,
    input: &Input<'_>,
    shared: &Shared,
    unchanged: &TiSlice<DocId, bool>,
) -> Option<SitePath> {
    let map = input.map;
    let page_same = |id: &PageId| unchanged[map.pages[*id].doc];
    let job = match job {
        Job::Page(job) => job,
        Job::File(file) => {
            let (path, shown) = render::shown_by(file, input, shared)?;
            return shown.iter().all(page_same).then_some(path);
        }
    };
    match job {
        PageJob::Article(id) => page_same(id).then(|| map.pages[*id].url.clone()),
        PageJob::Section { id, n } => {
            let s = &map.sections[*id];
            let intro_same = s.doc.is_none_or(|d| unchanged[d]);
            let recent_same = *id != SiteMap::HOME || shared.recent().iter().all(page_same);
            (intro_same
                && recent_same
                && page_slice(&s.pages, *n, s.page_size).iter().all(page_same))
            .then(|| s.listing_url(*n))
        }
        PageJob::Term { taxonomy, term, n } => {
            let t = &map.taxonomies[*taxonomy];
            let entry = &t.terms[*term];
            let size = term_page_size(input, t);
            page_slice(&entry.pages, *n, size)
                .iter()
                .all(page_same)
                .then(|| crate::site::listing_url(&entry.url, *n))
        }
        PageJob::TaxonomyList(ti) => unchanged
            .iter()
            .any(|&u| u)
            .then(|| map.taxonomies[*ti].url.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::{Cache, compile};
    use crate::build::BuildOptions;
    use crate::output::Files;
    use crate::site::SitePath;

    fn hold(_: &SitePath, bytes: &[u8]) -> Vec<u8> {
        bytes.to_vec()
    }

    /// After an edit, the files it cannot have changed are served as they were (the same
    /// held bytes, not compressed again): the feed of a topic the edited article is not
    /// under, the redirect of an unchanged article's alias, and files written with the same
    /// bytes (robots.txt); the site feed and the edited article's topic feed, which hold its
    /// text, are made anew.
    #[test]
    fn feeds_and_files_an_edit_cannot_change_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let content = root.join("content");
        std::fs::create_dir_all(&content).expect("content");
        std::fs::write(
            root.join("site.yaml"),
            "title: 测试\ntaxonomies:\n  - { name: topics, label: 专题, feed: true }\n",
        )
        .expect("site.yaml");
        let article = |topic: &str, alias: &str, body: &str| {
            format!(
                "---\ntitle: {topic}的文章\ndate: 2024-03-01\ntopics: [{topic}]\n\
                 aliases: [{alias}]\n---\n{body}\n"
            )
        };
        let a = content.join("a.md");
        std::fs::write(&a, article("工会建设", "old-a/", "职工书屋开放了。")).expect("a");
        std::fs::write(
            content.join("b.md"),
            article("工运历史", "old-b/", "书记部成立于上海。"),
        )
        .expect("b");
        let options = BuildOptions::new(root);
        let mut cache = Cache::default();
        let first = compile(&options, &mut cache).expect("compiles");
        let before = (cache.render_pages(&first, &Files::default(), hold)).expect("renders");
        cache.keep(first.site);
        std::fs::write(&a, article("工会建设", "old-a/", "职工书屋全天开放了。")).expect("a");
        cache.forget(root, std::slice::from_ref(&a));
        let second = compile(&options, &mut cache).expect("compiles");
        let after = cache.render_pages(&second, &before, hold).expect("renders");
        let feed = |topic: &str| format!("topics/{}/atom.xml", crate::slug::slugify(topic));
        let kept = |path: &str| {
            let (old, new) = (&before[path], &after[path]);
            assert_eq!(old, new, "{path}");
            Arc::ptr_eq(old, new)
        };
        for path in [
            feed("工运历史"),
            "old-b/index.html".into(),
            "robots.txt".into(),
        ] {
            assert!(kept(&path), "{path} is served as it was");
        }
        for path in [feed("工会建设"), "atom.xml".into()] {
            let text = String::from_utf8_lossy(&after[&path]).into_owned();
            assert!(text.contains("全天开放"), "{path} holds the edit: {text}");
        }
    }
}
