//! Values computed once per build and shared by every job: `site` and `t`, the page
//! summaries listings show, the pages by date, the search index files.

use rayon::prelude::*;
use serde_json::Value;

use super::context::{self, Input, PageSummary};
use crate::fingerprint::Fingerprint;
use crate::search;
use crate::site::{PageId, TiSlice, TiVec};
use crate::theme::Theme;

pub struct Shared {
    /// Fingerprint of `t` and `site`, which every page's context holds.
    pub(super) fingerprint: u128,
    pub(super) search: Option<search::SearchIndex>,
    pub(super) site: Value,
    pub(super) strings: Value,
    pub(super) language: &'static str,
    pub(super) base_url: Option<String>,
    /// Where the theme's stylesheets and script are published (`assets` in templates).
    pub(super) assets: super::template::Assets,
    /// Page summaries by page id, as listings show them.
    pub(super) summaries: TiVec<PageId, PageSummary>,
    summary_fingerprints: std::sync::OnceLock<TiVec<PageId, u128>>,
    /// Every page, newest first.
    pub by_date: Vec<PageId>,
}

impl Shared {
    pub fn new(input: &Input<'_>, theme: &Theme, search: Option<search::SearchIndex>) -> Shared {
        let site = serde_json::to_value(context::site_context(input))
            .expect("the site context is plain data");
        let strings = Value::Object(theme.strings.clone());
        // `asset()` in templates reads the published names from the theme, not the context,
        // so they are part of what every page is rendered from.
        let mut f = Fingerprint::new();
        for (path, published) in theme.assets.iter() {
            f.bytes(path.as_bytes()).bytes(published.as_bytes());
        }
        Shared {
            fingerprint: f.json(&strings).json(&site).finish(),
            assets: super::template::Assets::of(theme),
            search,
            site,
            strings,
            language: input.config.language.code(),
            base_url: input.config.base_url.clone(),
            // In parallel: at 10,000 articles the summaries were a twentieth of a rebuild.
            summaries: (0..input.map.pages.len())
                .into_par_iter()
                .map(|id| context::page_summary(input, PageId::from(id)))
                .collect::<Vec<_>>()
                .into(),
            summary_fingerprints: std::sync::OnceLock::new(),
            by_date: input.map.pages_by_date(input.docs),
        }
    }

    /// Fingerprints of the page summaries, made the first time they are needed.
    pub(super) fn summary_fingerprints(&self) -> &TiSlice<PageId, u128> {
        self.summary_fingerprints.get_or_init(|| {
            (self.summaries.raw.par_iter())
                .map(|s| {
                    let value = serde_json::to_value(s).expect("a summary is plain data");
                    Fingerprint::new().json(&value).finish()
                })
                .collect::<Vec<_>>()
                .into()
        })
    }

    /// A UI string of the theme, or its key when the theme lacks it.
    pub(super) fn string(&self, key: &str) -> String {
        self.strings[key].as_str().unwrap_or(key).to_owned()
    }

    /// The newest pages, as the home page lists them.
    pub(crate) fn recent(&self) -> &[PageId] {
        &self.by_date[..self.by_date.len().min(8)]
    }
}
