//! The knowledge base laid over the linked site: what a wikilink may name ([`Targets`]), the
//! glossary and its term matcher ([`Glossary`]), study paths ([`StudyPath`]) and the timeline,
//! all known before any Markdown is rendered; and, once it is, the connections read from the
//! rendered pages ([`Connections`]: backlinks, term uses, related articles). Markdown itself
//! is `markdown`'s; templates are `render`'s.

pub(crate) mod connections;
pub(crate) mod glossary;
pub(crate) mod links;
pub(crate) mod paths;
pub(crate) mod related;
pub(crate) mod targets;
pub(crate) mod timeline;

pub(crate) use crate::site::EntryId;
pub(crate) use connections::Connections;
pub(crate) use glossary::Glossary;
pub(crate) use links::{LinkKind, OutLink, PageLinks};
pub(crate) use paths::StudyPath;
pub(crate) use targets::{Resolution, Target, Targets};
pub(crate) use timeline::Timeline;

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::site::{DocId, PathId, SiteMap, TiVec};
use crate::source::Document;

/// Everything about the knowledge base that rendering Markdown needs to know in advance.
#[derive(Clone)]
pub struct Knowledge {
    pub targets: Targets,
    pub glossary: Glossary,
    pub paths: TiVec<PathId, StudyPath>,
    pub timeline: Timeline,
    /// Document index → its title and the path diagnostics show, for Markdown rendering,
    /// which names other documents without holding them.
    doc_titles: TiVec<DocId, String>,
    doc_shown: TiVec<DocId, String>,
}

impl Knowledge {
    pub fn title_of_doc(&self, doc: DocId) -> &str {
        &self.doc_titles[doc]
    }

    pub fn shown_of_doc(&self, doc: DocId) -> String {
        self.doc_shown[doc].clone()
    }
}

/// How messages name another file of the site: `content/a/b.md`, wherever the site is.
pub(crate) fn content_path(doc: &Document) -> String {
    format!("{}/{}", crate::source::CONTENT_DIR, doc.file.rel)
}

/// Builds the knowledge base for a linked site; problems in glossary entries and study paths
/// come back as diagnostics.
pub(crate) fn index(
    config: &SiteConfig,
    docs: &crate::site::Docs,
    map: &SiteMap,
) -> (Knowledge, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let doc_titles = docs
        .iter()
        .map(|d| match &d.meta {
            crate::source::DocMeta::Page(m) => m.title.clone(),
            crate::source::DocMeta::Section(_) => match map.target_of_source(&d.file.rel) {
                Some(Target::Section(s)) => map.sections[s].title.clone(),
                _ => String::new(),
            },
        })
        .collect();
    let doc_shown = docs.iter().map(content_path).collect();
    let targets = Targets::new(docs, map);
    let glossary = Glossary::new(config, docs, map, &mut diagnostics);
    let paths = paths::collect(config, docs, map, &mut diagnostics);
    let timeline = Timeline::new(map);
    (
        Knowledge {
            targets,
            glossary,
            paths,
            timeline,
            doc_titles,
            doc_shown,
        },
        diagnostics,
    )
}
