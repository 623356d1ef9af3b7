//! What a run was asked for ([`BuildOptions`]: the command line, a test, `serve`) and what it
//! means once site.yaml is read ([`Settings`]). Options are resolved here once; every stage
//! after reads the settings and never looks at the options or the command line again.

use std::path::PathBuf;

use crate::config::{self, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::output::Overwrite;
use crate::source::{DocMeta, Document};

/// Whether articles marked `draft: true` are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafts {
    Include,
    Exclude,
}

impl Drafts {
    /// Whether `doc` is built under this setting.
    pub fn keeps(self, doc: &Document) -> bool {
        self == Drafts::Include || !matches!(&doc.meta, DocMeta::Page(m) if m.draft)
    }
}

/// Whether links and images that leave the site are reported (`gongdu check` does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalLinks {
    Ignore,
    Warn,
}

/// How a published page holding a known gambling or adult term is reported: `gongdu build`
/// and `serve` warn, `gongdu check` fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpamGuard {
    Warn,
    Deny,
}

/// What the caller asked for, before site.yaml is read.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output` in site.yaml (which is relative to the root).
    pub output: Option<PathBuf>,
    pub drafts: Drafts,
    /// Overrides `base_url` in site.yaml.
    pub base_url: Option<String>,
    pub overwrite: Overwrite,
    pub external: ExternalLinks,
    pub spam: SpamGuard,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: Drafts::Exclude,
            base_url: None,
            overwrite: Overwrite::OnlyOwnOutput,
            external: ExternalLinks::Ignore,
            spam: SpamGuard::Warn,
        }
    }
}

/// The options with site.yaml read: overrides applied, the output folder known.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    /// site.yaml, with `base_url` replaced when the options override it.
    pub config: SiteConfig,
    /// Where the site is written: the options' folder, or site.yaml's under the root.
    pub output: PathBuf,
    pub drafts: Drafts,
    pub overwrite: Overwrite,
    pub external: ExternalLinks,
    pub spam: SpamGuard,
}

impl Settings {
    /// Reads site.yaml under the options' root and applies the options over it.
    pub fn resolve(options: &BuildOptions) -> Result<Settings, Vec<Diagnostic>> {
        let mut config = config::load(&options.root)?;
        if let Some(url) = &options.base_url {
            config.base_url = Some(
                config::normalize_base_url(url)
                    .map_err(|(code, args)| vec![Diagnostic::new(code, "--base-url", args)])?,
            );
        }
        let output = match &options.output {
            Some(o) => o.clone(),
            None => options.root.join(&config.output),
        };
        Ok(Settings {
            root: options.root.clone(),
            config,
            output,
            drafts: options.drafts,
            overwrite: options.overwrite,
            external: options.external,
            spam: options.spam,
        })
    }
}
