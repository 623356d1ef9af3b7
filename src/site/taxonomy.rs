//! Taxonomies (topics, tags, authors) and their terms, gathered from the pages' front matter.

use std::collections::BTreeMap;

use super::{Docs, PageId, SiteMap, SitePath, TaxonomyId, TermId, TiVec};
use crate::config::{SiteConfig, TaxonomyConfig, TaxonomyName};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::PageMeta;

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub config: TaxonomyConfig,
    /// `topics/index.html`
    pub url: SitePath,
    /// Most-used first, then by name.
    pub terms: TiVec<TermId, Term>,
    by_slug: BTreeMap<String, TermId>,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    /// `topics/新质生产力/index.html`
    pub url: SitePath,
    /// Newest first.
    pub pages: Vec<PageId>,
}

impl Term {
    /// `topics/新质生产力/atom.xml`
    pub fn feed_url(&self) -> SitePath {
        SitePath::new(format!("{}/atom.xml", self.url.dir()))
    }
}

impl Taxonomy {
    /// The term a page names, found by the name as written in its front matter.
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.by_slug
            .get(&super::slugify(name))
            .map(|&i| &self.terms[i])
    }
}

/// The terms a page lists under a taxonomy.
pub(crate) fn terms_of(meta: &PageMeta, name: TaxonomyName) -> &[String] {
    match name {
        TaxonomyName::Topics => &meta.topics,
        TaxonomyName::Tags => &meta.tags,
        TaxonomyName::Authors => &meta.authors,
    }
}

pub(super) fn collect(
    config: &SiteConfig,
    docs: &Docs,
    map: &SiteMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> TiVec<TaxonomyId, Taxonomy> {
    let by_date = map.pages_by_date(docs);
    config
        .taxonomies
        .iter()
        .map(|tc| {
            // slug → (first spelling seen, pages); two spellings with one slug are one term.
            let mut terms: BTreeMap<String, (String, Vec<PageId>)> = BTreeMap::new();
            for &id in &by_date {
                let doc = &docs[map.pages[id].doc];
                for name in terms_of(map.meta(id), tc.name) {
                    let slug = super::slugify(name);
                    if slug.is_empty() {
                        let (line, col) = doc.keys.key(tc.name.as_str()).into();
                        diagnostics.push(
                            Diagnostic::new(
                                Code::TermNoLetters,
                                &doc.shown,
                                crate::args!(name = name),
                            )
                            .at_in(&doc.text, line, col),
                        );
                        continue;
                    }
                    let entry = terms
                        .entry(slug)
                        .or_insert_with(|| (name.clone(), Vec::new()));
                    if !entry.1.contains(&id) {
                        entry.1.push(id);
                    }
                }
            }
            let base = tc.name.as_str();
            let mut terms: TiVec<TermId, Term> = terms
                .into_iter()
                .map(|(slug, (name, pages))| Term {
                    name,
                    url: SitePath::new(format!("{base}/{slug}/index.html")),
                    pages,
                })
                .collect();
            terms.sort_by(|a, b| {
                b.pages
                    .len()
                    .cmp(&a.pages.len())
                    .then_with(|| a.name.cmp(&b.name))
            });
            let by_slug = terms
                .iter_enumerated()
                .map(|(i, t)| (t.url.dir()[base.len() + 1..].to_owned(), i))
                .collect();
            Taxonomy {
                config: tc.clone(),
                url: SitePath::new(format!("{base}/index.html")),
                terms,
                by_slug,
            }
        })
        .collect()
}
