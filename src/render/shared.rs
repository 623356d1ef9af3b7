//! Values computed once per build and shared by every job: `site` and `t`, the page
//! summaries listings show, the pages by date; for the search index's files, which are
//! rendered after the pages, the index instead of the summaries and dates.

use std::sync::Mutex;

use rayon::prelude::*;
use serde_json::{Map, Value};

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
    /// The fingerprints of the summaries kept from an earlier build.
    kept_fingerprints: TiVec<PageId, Option<u128>>,
    summary_fingerprints: std::sync::OnceLock<TiVec<PageId, u128>>,
    /// Every page, newest first.
    pub by_date: Vec<PageId>,
    /// tera contexts holding only `t` and `site`, one for each page being rendered at the
    /// moment: a page's own variables go in beside them and come out after it. Copying the
    /// two into every page's context, and freeing them after, was about 2.5% of a build's
    /// CPU time at 10,000 articles (least of five builds, 7.23 → 7.04 s).
    contexts: Mutex<Vec<tera::Context>>,
}

/// The page summaries of an earlier build, with their fingerprints where they were made, for
/// `serve` to hand to the next one ([`Shared::keeping`]).
pub(crate) struct Summaries {
    summaries: TiVec<PageId, PageSummary>,
    fingerprints: TiVec<PageId, Option<u128>>,
}

impl Shared {
    /// For rendering the pages.
    pub fn new(input: &Input<'_>, theme: &Theme) -> Shared {
        Shared::keeping(input, theme, None, |_| false)
    }

    /// [`Shared::new`], taking from `kept` (summaries of a site with the same pages) the
    /// summary of every page for which `same` says it cannot have changed: at 10,000
    /// articles, making them all again was a sixth of a rebuild after a save.
    pub(crate) fn keeping(
        input: &Input<'_>,
        theme: &Theme,
        kept: Option<Summaries>,
        same: impl Fn(PageId) -> bool + Sync,
    ) -> Shared {
        let n = input.map.pages.len();
        let kept = kept.filter(|k| k.summaries.len() == n);
        let (old, old_fingerprints): (Vec<Option<PageSummary>>, Vec<Option<u128>>) = match kept {
            Some(k) => (
                k.summaries.into_iter().map(Some).collect(),
                k.fingerprints.raw,
            ),
            None => ((0..n).map(|_| None).collect(), vec![None; n]),
        };
        // In parallel: making every summary was a twentieth of a rebuild at 10,000 articles.
        let (summaries, kept_fingerprints): (Vec<PageSummary>, Vec<Option<u128>>) =
            (old.into_par_iter().zip(old_fingerprints).enumerate())
                .map(|(i, (old, fingerprint))| {
                    let id = PageId::from(i);
                    match old {
                        Some(summary) if same(id) => (summary, fingerprint),
                        _ => (context::page_summary(input, id), None),
                    }
                })
                .unzip();
        let by_date = input.map.pages_by_date(input.docs);
        let (summaries, kept_fingerprints) = (summaries.into(), kept_fingerprints.into());
        Shared::assemble(input, theme, None, summaries, kept_fingerprints, by_date)
    }

    /// For rendering only the search index's files, which read neither the page summaries
    /// nor the order by date: making those again after the pages, for nothing, cost a
    /// 100,000-article build seconds.
    pub(crate) fn for_search(
        input: &Input<'_>,
        theme: &Theme,
        search: search::SearchIndex,
    ) -> Shared {
        Shared::assemble(
            input,
            theme,
            Some(search),
            TiVec::new(),
            TiVec::new(),
            Vec::new(),
        )
    }

    /// The shared values around what is known of the pages: their summaries, the
    /// fingerprints kept of those, and the pages by date.
    fn assemble(
        input: &Input<'_>,
        theme: &Theme,
        search: Option<search::SearchIndex>,
        summaries: TiVec<PageId, PageSummary>,
        kept_fingerprints: TiVec<PageId, Option<u128>>,
        by_date: Vec<PageId>,
    ) -> Shared {
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
            summaries,
            kept_fingerprints,
            summary_fingerprints: std::sync::OnceLock::new(),
            by_date,
            contexts: Mutex::new(Vec::new()),
        }
    }

    /// The variables every page's context holds with the same value: `t` and `site`.
    pub(super) fn same_on_every_page(&self) -> [(&'static str, &Value); 2] {
        [("t", &self.strings), ("site", &self.site)]
    }

    /// Calls `render` with the whole context of a page whose own variables are `page`.
    pub(super) fn with_context<R>(
        &self,
        page: Map<String, Value>,
        render: impl FnOnce(&tera::Context) -> R,
    ) -> R {
        let keys: Vec<String> = page.keys().cloned().collect();
        debug_assert!(
            !self
                .same_on_every_page()
                .iter()
                .any(|(k, _)| page.contains_key(*k))
        );
        let mut context = self.lock_contexts().pop().unwrap_or_else(|| {
            let mut base = tera::Context::new();
            for (key, value) in self.same_on_every_page() {
                base.insert(key, value);
            }
            base
        });
        context.extend(
            tera::Context::from_value(Value::Object(page)).expect("a map is a valid context"),
        );
        let result = render(&context);
        for key in &keys {
            context.remove(key);
        }
        self.lock_contexts().push(context);
        result
    }

    fn lock_contexts(&self) -> std::sync::MutexGuard<'_, Vec<tera::Context>> {
        // A panic while rendering leaves no context half filled in the pool: the context
        // goes back only after its page's variables came out.
        self.contexts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fingerprints of the page summaries, made the first time they are needed.
    pub(super) fn summary_fingerprints(&self) -> &TiSlice<PageId, u128> {
        self.summary_fingerprints.get_or_init(|| {
            (self.summaries.raw.par_iter())
                .zip(&self.kept_fingerprints.raw)
                .map(|(s, kept)| {
                    kept.unwrap_or_else(|| {
                        let value = serde_json::to_value(s).expect("a summary is plain data");
                        Fingerprint::new().json(&value).finish()
                    })
                })
                .collect::<Vec<_>>()
                .into()
        })
    }

    /// The page summaries, to keep for the next build.
    pub(crate) fn into_summaries(self) -> Summaries {
        let fingerprints = match self.summary_fingerprints.into_inner() {
            Some(made) => made.into_iter().map(Some).collect(),
            None => self.kept_fingerprints,
        };
        Summaries {
            summaries: self.summaries,
            fingerprints,
        }
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
