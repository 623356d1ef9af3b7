//! One Markdown file rendered outside a site, through the same front matter checks and
//! renderer as a build: what the fuzz targets and the pathological-input tests drive.

use super::{Diagnostic, Highlighter, RenderEnv, RenderedDoc, render, sanitize};
use crate::site::{self, SitePath};
use crate::{config, source};

/// One Markdown file rendered on its own, as `content/a.md` of a one-page site with default
/// settings and raw HTML sanitised: for fuzzing and for tests of pathological input, which
/// must go through the same front matter and rendering code as a real build.
pub struct Standalone {
    config: config::SiteConfig,
    highlighter: Highlighter,
    sanitizer: sanitize::Sanitizer,
}

impl Default for Standalone {
    fn default() -> Self {
        let config = config::parse("title: gongdu\n", std::path::Path::new("site.yaml"))
            .expect("the built-in settings are valid");
        Standalone {
            config,
            highlighter: Highlighter::new(),
            sanitizer: sanitize::Sanitizer::default(),
        }
    }
}

impl Standalone {
    /// The document's HTML and warnings, or the errors that stop it (front matter, links).
    pub fn render(&self, text: &str) -> Result<(RenderedDoc, Vec<Diagnostic>), Vec<Diagnostic>> {
        let file = source::SourceFile {
            rel: "a.md".into(),
            path: "content/a.md".into(),
            kind: source::SourceKind::Page,
        };
        let doc = source::from_text(file, "content/a.md".into(), text.to_owned())?;
        let docs = crate::site::TiVec::from(vec![doc]);
        let (map, mut diagnostics) = site::link(&self.config, &docs, &[]);
        let (knowledge, found) = crate::knowledge::index(&self.config, &docs, &map);
        diagnostics.extend(found);
        let env = RenderEnv {
            map: &map,
            highlighter: &self.highlighter,
            language: self.config.language,
            sanitizer: Some(&self.sanitizer),
            knowledge: &knowledge,
            packing: Default::default(),
        };
        let here = map
            .url_of_source("a.md")
            .cloned()
            .unwrap_or_else(|| SitePath::index_of("a"));
        let summary = match &docs.raw[0].meta {
            source::DocMeta::Page(m) => m.summary.as_deref(),
            source::DocMeta::Section(m) => m.summary.as_deref(),
        };
        let (rendered, found) = render(&docs.raw[0], &here, summary, &env);
        diagnostics.extend(found);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        Ok((rendered, diagnostics))
    }
}
