//! The incremental layer `serve` rebuilds through. It runs the same stages as
//! [`crate::build::compile`], wrapped from outside: a [`Cache`] remembers each stage's inputs
//! (file stamps, fingerprints of settings, site map, front matter, connections and page
//! contexts) and outputs, and a stage is called only for what changed. No stage knows about
//! it; `tests/serve_incremental.rs` proves every served file equals a fresh build's.

mod documents;
mod pages;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::build::{BuildOptions, Found, Settings, Site, Stopwatch, stages};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::markdown::{Highlighter, RenderedDoc};
use crate::site::{DocId, TiVec};
use crate::source::{self, Document};
use crate::theme::{self, Theme};
use crate::{knowledge, site};

pub(crate) use pages::render_search;

/// What one rebuild leaves for the next: each Markdown file's stamp, document, rendered
/// Markdown and problems; the theme; the fingerprints that say whether they still hold; and
/// the fingerprint of every served page. Documents and rendered Markdown are moved, never
/// copied: they live in the [`Site`] while it is written and come back with [`Cache::keep`].
#[derive(Default)]
pub(crate) struct Cache {
    entries: HashMap<String, documents::Entry>,
    /// Fingerprints of the settings and the site map the cached Markdown was rendered with.
    rendered_with: Option<(u128, u128)>,
    /// The theme, loaded with settings of this fingerprint, while out of a [`Site`].
    theme: Option<(u128, Theme)>,
    /// The fingerprint of the settings the theme in the last site was loaded with.
    theme_config: Option<u128>,
    /// Loads its syntax definitions on first use; kept so that happens once.
    highlighter: Highlighter,
    /// Content path → fingerprint of its page's backlinks, related articles and term uses.
    connected: HashMap<String, u128>,
    /// Served path → fingerprint of the template and context it was rendered from.
    pages: HashMap<String, u128>,
}

/// A compiled site, and for each of its documents whether it, its rendered Markdown, its
/// connections, the site map and the settings are all exactly as in the previous rebuild.
pub(crate) struct Compiled {
    pub site: Site,
    unchanged: Vec<bool>,
}

/// [`crate::build::compile`], reusing what `cache` holds from the previous rebuild and
/// leaving in it what the next one can reuse.
pub(crate) fn compile(
    options: &BuildOptions,
    cache: &mut Cache,
) -> Result<Compiled, Vec<Diagnostic>> {
    let mut watch = Stopwatch::since(Instant::now(), Vec::new());
    let mut found = Found::default();
    let settings = Settings::resolve(options)?;
    let (root, config) = (&settings.root, &settings.config);
    let sources = found.take(stages::discover(root));
    let read = cache.parse(root, sources.markdown, settings.drafts);
    let mut docs: TiVec<DocId, Document> = found.take((read.docs, read.found)).into();
    found.extend(crate::source::tags::separate(
        docs.iter_mut(),
        config.split_tags,
    ));
    watch.lap("read and parse the content");
    let config_fingerprint = Fingerprint::new().debug(config).finish();
    let theme = found.ok(cache.theme(root, config, config_fingerprint));
    let map = found.take(site::link(config, &docs, &sources.assets));
    let knowledge = found.take(knowledge::index(config, &docs, &map));
    watch.lap("link the site and the knowledge base");
    let (rendered, problems, unchanged) = cache.render_markdown(
        &settings,
        config_fingerprint,
        &docs.raw,
        &map,
        &knowledge,
        (read.reused, read.meta_changed),
    );
    let rendered: TiVec<DocId, RenderedDoc> = rendered.into();
    found.extend(problems);
    watch.lap("render Markdown");
    found.extend(stages::check(&settings, &docs, &map, &rendered));
    found.extend(stages::guard_spam(&docs, settings.spam));
    let connections = stages::connect(&docs, &map, &knowledge, &rendered);
    let unchanged = cache.connected(&docs.raw, &map, &knowledge, &connections, unchanged);
    watch.lap("check anchors; backlinks, related articles");
    match (theme, found.finish()) {
        (Some(theme), Ok(warnings)) => Ok(Compiled {
            site: Site {
                settings,
                docs,
                map,
                rendered,
                knowledge,
                connections,
                theme,
                warnings,
                stages: watch.stages,
            },
            unchanged,
        }),
        (theme, Ok(all) | Err(all)) => {
            if let (Some(theme), Some(config)) = (theme, cache.theme_config.take()) {
                cache.theme = Some((config, theme));
            }
            cache.put_back(docs.raw, rendered.raw);
            Err(all)
        }
    }
}

impl Cache {
    /// Forgets the files at these paths (absolute, as a watcher reports them), whatever their
    /// dates say: some file systems keep dates only to the second or two.
    pub(crate) fn forget(&mut self, root: &Path, paths: &[PathBuf]) {
        let content = root.join(source::CONTENT_DIR);
        for path in paths {
            if let Ok(rel) = path.strip_prefix(&content)
                && let Some(entry) = self
                    .entries
                    .get_mut(&rel.to_string_lossy().replace('\\', "/"))
            {
                // Read again next time; the old document stays for comparison.
                entry.stale = true;
            }
        }
    }

    /// Loads the theme again next time (its templates or static files changed).
    pub(crate) fn forget_theme(&mut self) {
        self.theme = None;
        self.theme_config = None;
    }

    /// Renders every page again next time (settings, templates or static files changed).
    pub(crate) fn forget_pages(&mut self) {
        self.pages.clear();
    }

    /// Takes back the documents, rendered Markdown and theme of a site that has been written.
    pub(crate) fn keep(&mut self, site: Site) {
        if let Some(config) = self.theme_config.take() {
            self.theme = Some((config, site.theme));
        }
        self.put_back(site.docs.raw, site.rendered.raw);
    }

    fn put_back(&mut self, docs: Vec<Document>, rendered: Vec<RenderedDoc>) {
        let mut rendered = rendered.into_iter();
        for doc in docs {
            let r = rendered.next();
            if let Some(entry) = self.entries.get_mut(&doc.file.rel) {
                entry.rendered = r;
                entry.doc = Some(doc);
            }
        }
    }

    /// [`theme::load`], unless the theme of the last site was loaded with the same settings.
    fn theme(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        config_fingerprint: u128,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let theme = match self.theme.take() {
            Some((loaded_with, theme)) if loaded_with == config_fingerprint => Ok(theme),
            _ => theme::load(root, config),
        };
        self.theme_config = theme.is_ok().then_some(config_fingerprint);
        theme
    }
}
