//! One template page from its typed context to bytes: the variables every template shares,
//! the context serialised once, its fingerprint (so `serve` can keep a page whose context did
//! not change) and the tera call. Which values each kind of page shows is `pages.rs`'s.

use std::borrow::Cow;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use super::context::{FeedLink, Input, TitledLink};
use super::{PageKind, Shared, THEME_CSS};
use crate::diagnostic::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::site::{PageId, SitePath};
use crate::theme::{self, Theme};

/// Variables on every template, besides `t` and `site` (the same on every page, so added
/// from [`Shared`] after the page's own context is fingerprinted).
#[derive(Serialize)]
pub(crate) struct Common {
    pub(crate) root: String,
    current_url: String,
    canonical: Option<String>,
    kind: &'static str,
    lang: &'static str,
    pub(crate) feed: FeedLink,
    assets: Assets,
    pub(crate) breadcrumbs: Vec<TitledLink>,
}

/// `assets`: where the theme's stylesheet and script and the highlighting stylesheet are
/// published (their minified, content-hashed paths).
#[derive(Serialize, Clone)]
pub(crate) struct Assets {
    css: String,
    syntax_css: String,
    js: String,
}

impl Assets {
    pub(crate) fn of(theme: &Theme) -> Assets {
        let published = |path: &str| theme.assets.get(path).unwrap_or(path).to_owned();
        Assets {
            css: published(THEME_CSS),
            syntax_css: published(theme::SYNTAX_CSS),
            js: published(super::THEME_JS),
        }
    }
}

impl Common {
    pub(crate) fn new(
        shared: &Shared,
        input: &Input<'_>,
        path: &SitePath,
        kind: PageKind,
    ) -> Common {
        Common {
            root: path.root_prefix(),
            current_url: path.to_string(),
            canonical: shared.base_url.as_deref().map(|b| path.absolute(b)),
            kind: kind.name(),
            lang: shared.language,
            feed: FeedLink {
                title: input.config.title.clone(),
                url: "atom.xml".to_owned(),
            },
            assets: shared.assets.clone(),
            breadcrumbs: Vec::new(),
        }
    }
}

/// A page's context: the shared variables and those of its kind, side by side.
#[derive(Serialize)]
struct Context<V> {
    #[serde(flatten)]
    common: Common,
    #[serde(flatten)]
    vars: V,
}

/// Page summaries by id, as listings show them (serialised from [`Shared`]'s copies).
pub(crate) struct Summaries<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) ids: &'a [PageId],
}

impl Serialize for Summaries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ids.iter().map(|&id| &self.shared.summaries[id]))
    }
}

/// A template page ready to render: its context serialised, without `t` and `site`.
pub(crate) struct TemplatePage<'a> {
    pub(crate) kind: PageKind,
    pub(crate) path: SitePath,
    /// The file a template error on this page is reported against.
    pub(crate) origin: PathBuf,
    context: Map<String, Value>,
    /// Variables holding page summaries, whose fingerprints are known by page id.
    listed: Vec<(&'static str, &'a [PageId])>,
}

impl<'a> TemplatePage<'a> {
    pub(crate) fn new<V: Serialize>(
        kind: PageKind,
        path: SitePath,
        origin: PathBuf,
        common: Common,
        vars: V,
        listed: Vec<(&'static str, &'a [PageId])>,
    ) -> TemplatePage<'a> {
        let context = match serde_json::to_value(Context { common, vars }) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        }
        .expect("a struct of plain data with string keys serialises to a map");
        TemplatePage {
            kind,
            path,
            origin,
            context,
            listed,
        }
    }

    /// The whole context the template sees.
    pub(crate) fn into_context(mut self, shared: &Shared) -> Map<String, Value> {
        for (key, value) in shared.same_on_every_page() {
            self.context.insert(key.to_owned(), value.clone());
        }
        self.context
    }

    /// A fingerprint of everything the page is rendered from. `t` and `site`, the same on
    /// every page, are fingerprinted once, in `Shared`; listed summaries by their own.
    pub(crate) fn fingerprint(&self, shared: &Shared) -> u128 {
        let mut f = Fingerprint::new();
        f.bytes(self.kind.template().as_bytes())
            .u128(shared.fingerprint);
        for (key, value) in &self.context {
            f.bytes(key.as_bytes());
            match self.listed.iter().find(|(k, _)| k == key) {
                Some((_, ids)) => {
                    let known = shared.summary_fingerprints();
                    for &id in *ids {
                        f.u128(known[id]);
                    }
                }
                None => {
                    f.json(value);
                }
            }
        }
        f.finish()
    }

    /// Where the page is written.
    pub(crate) fn path(&self) -> &SitePath {
        &self.path
    }

    /// Renders the page with its kind's template.
    pub(crate) fn render(
        self,
        theme: &Theme,
        shared: &Shared,
    ) -> Result<(SitePath, Cow<'static, [u8]>), Diagnostic> {
        let (kind, path, origin) = (self.kind, self.path.clone(), self.origin.clone());
        let mut context = self.context;
        if kind == PageKind::NotFound {
            context.insert("inline_css".to_owned(), Value::String(inline_css(theme)));
        }
        let mut bytes = Vec::with_capacity(32 * 1024);
        shared
            .with_context(context, |whole| {
                theme.tera.render_to(kind.template(), whole, &mut bytes)
            })
            .map(|()| (path, Cow::Owned(bytes)))
            .map_err(|e| {
                theme::template_diagnostic(&e, &theme.template_origins).while_rendering(origin)
            })
    }
}

/// The theme's stylesheet, for a page that cannot link to it (the 404 page, shown at any
/// depth). `</` is written `<\/` so the text cannot end its `<style>` element; CSS reads
/// both the same inside strings, and our stylesheet has no `</` elsewhere.
fn inline_css(theme: &Theme) -> String {
    let css = theme.assets.get(THEME_CSS).unwrap_or(THEME_CSS);
    theme
        .static_files
        .get(&SitePath::new(css))
        .and_then(|source| source.read().ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).replace("</", "<\\/"))
        .unwrap_or_default()
}
