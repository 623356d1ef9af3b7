//! The knowledge base laid over the linked site: what a wikilink may name ([`Targets`]), the
//! glossary and its term matcher ([`Glossary`]), study paths ([`StudyPath`]) and the timeline,
//! all known before any Markdown is rendered; and, once it is, the connections read from the
//! rendered pages ([`Connections`]: backlinks, term uses, related articles). Markdown itself
//! is `markdown`'s; templates are `render`'s.

pub mod connections;
pub mod glossary;
pub mod links;
pub mod paths;
pub mod related;
pub mod targets;
pub mod timeline;

use rustc_hash::FxHashMap as HashMap;

pub use connections::{Backlink, Connections};
pub use glossary::{Entry, EntryId, Glossary};
pub use links::{LinkKind, OutLink, PageLinks};
pub use paths::StudyPath;
pub use targets::{Resolution, Target, Targets};
pub use timeline::Timeline;

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::site::{PageId, SiteMap};
use crate::source::Document;

/// Everything about the knowledge base that rendering Markdown needs to know in advance.
pub struct Knowledge {
    pub targets: Targets,
    pub glossary: Glossary,
    pub paths: Vec<StudyPath>,
    pub timeline: Timeline,
    /// Content path of each Markdown file (`a/b.md`) → document index.
    doc_of_rel: HashMap<String, usize>,
    /// Document index → page id, for documents that are pages.
    page_of_doc: Vec<Option<PageId>>,
    /// Document index → the page or section it is.
    target_of_doc: Vec<Option<Target>>,
    /// Document index → its title and the path diagnostics show.
    doc_titles: Vec<String>,
    doc_shown: Vec<String>,
}

impl Knowledge {
    pub fn doc_of_rel(&self, rel: &str) -> Option<usize> {
        self.doc_of_rel.get(rel).copied()
    }

    pub fn page_of_doc(&self, doc: usize) -> Option<PageId> {
        self.page_of_doc.get(doc).copied().flatten()
    }

    pub fn target_of_doc(&self, doc: usize) -> Option<Target> {
        self.target_of_doc.get(doc).copied().flatten()
    }

    pub fn title_of_doc(&self, doc: usize) -> &str {
        &self.doc_titles[doc]
    }

    pub fn shown_of_doc(&self, doc: usize) -> String {
        self.doc_shown[doc].clone()
    }
}

/// How messages name another file of the site: `content/a/b.md`, wherever the site is.
pub fn content_path(doc: &Document) -> String {
    format!("{}/{}", crate::source::CONTENT_DIR, doc.file.rel)
}

/// Builds the knowledge base for a linked site; problems in glossary entries and study paths
/// come back as diagnostics.
pub fn index(
    config: &SiteConfig,
    docs: &[Document],
    map: &SiteMap,
) -> (Knowledge, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut page_of_doc = vec![None; docs.len()];
    let mut target_of_doc = vec![None; docs.len()];
    for (id, page) in map.pages.iter().enumerate() {
        page_of_doc[page.doc] = Some(id);
        target_of_doc[page.doc] = Some(Target::Page(id));
    }
    for (id, section) in map.sections.iter().enumerate() {
        if let Some(d) = section.doc {
            target_of_doc[d] = Some(Target::Section(id));
        }
    }
    let doc_titles = docs
        .iter()
        .enumerate()
        .map(|(i, d)| match &d.meta {
            crate::source::DocMeta::Page(m) => m.title.clone(),
            crate::source::DocMeta::Section(_) => target_of_doc[i]
                .map(|t| match t {
                    Target::Section(s) => map.sections[s].title.clone(),
                    Target::Page(_) => String::new(),
                })
                .unwrap_or_default(),
        })
        .collect();
    let doc_shown = docs.iter().map(content_path).collect();
    let doc_of_rel = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.file.rel.clone(), i))
        .collect();
    let targets = Targets::new(docs, map);
    let glossary = Glossary::new(config, docs, map, &mut diagnostics);
    let paths = paths::collect(config, docs, map, &mut diagnostics);
    let timeline = Timeline::new(docs, map);
    (
        Knowledge {
            targets,
            glossary,
            paths,
            timeline,
            doc_of_rel,
            page_of_doc,
            target_of_doc,
            doc_titles,
            doc_shown,
        },
        diagnostics,
    )
}
