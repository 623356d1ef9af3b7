//! `site.yaml` → [`SiteConfig`]: the site-wide settings, validated, with every mistake
//! reported at `site.yaml:line:column`. Command-line overrides are applied by the caller.

pub(crate) mod limits;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::args;
use crate::diagnostic::{Code, Coded, Diagnostic, Words, words};
use crate::span::KeySpans;
use crate::url_policy;

pub(crate) const FILE_NAME: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is published at; used only where absolute links are required
    /// (feeds, sitemap, canonical links). Normalised to end with `/`.
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub language: Language,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output: PathBuf,
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<TaxonomyConfig>,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    #[serde(default)]
    pub pagination: Pagination,
    #[serde(default)]
    pub feed: FeedConfig,
    #[serde(default, deserialize_with = "SearchConfig::switch_or_settings")]
    pub search: SearchConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// The content folder whose pages are glossary entries (术语表).
    #[serde(default = "default_glossary")]
    pub glossary: String,
    /// Split topics and tags written with `、`, `，` or `,` outside brackets (`tags:
    /// 苏区、劳模运动`) into several; without it they stay one name each, with a warning.
    #[serde(default)]
    pub split_tags: bool,
    /// Descriptions of the study paths (学习路线) that articles name in `series:`.
    #[serde(default)]
    pub series: Vec<SeriesConfig>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Where each key of site.yaml is written, for diagnostics found after loading.
    #[serde(skip)]
    pub keys: KeySpans,
}

/// One study path as site.yaml describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesConfig {
    /// The name articles give in `series:`.
    pub name: String,
    /// The path's folder under `paths/`; from the name when absent.
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
}

fn default_glossary() -> String {
    "glossary".to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

/// The taxonomies a page can name in its front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaxonomyName {
    Topics,
    Tags,
    Authors,
}

impl TaxonomyName {
    pub fn as_str(self) -> &'static str {
        match self {
            TaxonomyName::Topics => "topics",
            TaxonomyName::Tags => "tags",
            TaxonomyName::Authors => "authors",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub name: TaxonomyName,
    pub label: String,
    /// Write an Atom feed for every term of this taxonomy.
    #[serde(default)]
    pub feed: bool,
    /// Pages per listing page; the site's `pagination.page_size` when absent.
    #[serde(default)]
    pub paginate: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub label: String,
    /// A site path (`productivity/`, `topics/`) or an absolute `https://` URL.
    pub url: String,
}

impl MenuItem {
    pub fn is_external(&self) -> bool {
        self.url.contains("://") || self.url.starts_with("mailto:")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    pub page_size: usize,
}

impl Default for Pagination {
    fn default() -> Self {
        Pagination { page_size: 10 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// Entries per feed, newest first.
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { limit: 20 }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    pub raw_html: RawHtml,
}

/// What happens to HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Scripts, event handlers, `javascript:` URLs and frames are removed (with a warning).
    #[default]
    Safe,
    /// Kept exactly as written: only for sites whose every article is trusted.
    Trusted,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Write the search index and page.
    pub enabled: bool,
    /// Content folders whose pages are searchable (`[productivity, history/soviet]`); all
    /// when empty.
    pub sections: Vec<String>,
    /// Characters of text shown around a match in the results.
    pub snippet_length: usize,
    /// Put every heading in the as-you-type index, not only titles and tags. When not set,
    /// headings are included while the searchable pages have at most [`QUICK_HEADINGS`] of
    /// them: each costs the index about 500 bytes, loaded whole when a reader first focuses
    /// a search box.
    pub quick_headings: Option<bool>,
    /// The as-you-type list under every search box. When not set, it is on for sites of up
    /// to [`QUICK_PAGES`] searchable pages: its index is loaded whole when a reader first
    /// focuses a box, 2.7 MB at 10,000 articles and 28–35 MB at 100,000, too much for a phone.
    /// Without it the box is a plain form that opens the results page.
    pub quick: Option<bool>,
    /// At most about how many bytes of a common token's postings a query loads first: a
    /// list longer than four times this is split into a head of the documents that rank
    /// first for the token and a tail loaded only when the head cannot settle the results
    /// shown (see `search::fulltext::tiers`). 0 never splits.
    pub postings_head: usize,
}

/// [`SearchConfig::postings_head`] unless the site says otherwise.
pub const POSTINGS_HEAD: usize = 4096;

/// Up to how many searchable pages a site has the as-you-type list unless it says otherwise.
pub const QUICK_PAGES: usize = 20_000;

/// Up to how many headings (of all searchable pages together) the as-you-type list offers
/// them unless the site says otherwise: about 0.8 MB of quick index. 1,000 generated
/// articles have 4,774 headings, which made `quick.js` 3.1 MB instead of 0.37 MB.
pub const QUICK_HEADINGS: usize = 1_500;

impl SearchConfig {
    /// Whether the site gets the as-you-type list, with `pages` searchable pages.
    pub fn quick_on(&self, pages: usize) -> bool {
        self.quick.unwrap_or(pages <= QUICK_PAGES)
    }

    /// Whether the as-you-type list offers headings, when the searchable pages have
    /// `headings` of them.
    pub fn quick_headings_on(&self, headings: usize) -> bool {
        self.quick_headings.unwrap_or(headings <= QUICK_HEADINGS)
    }

    /// `search: false` (or `true`) for `search: {enabled: false}`: what an editor writes
    /// first to turn search off. An empty `search:` keeps the defaults.
    fn switch_or_settings<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Switch;
        impl<'de> serde::de::Visitor<'de> for Switch {
            type Value = SearchConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(yaml::value_words::EXPECTED_SEARCH_SWITCH)
            }
            fn visit_bool<E>(self, enabled: bool) -> Result<SearchConfig, E> {
                Ok(SearchConfig {
                    enabled,
                    ..SearchConfig::default()
                })
            }
            fn visit_unit<E>(self) -> Result<SearchConfig, E> {
                Ok(SearchConfig::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SearchConfig, A::Error> {
                SearchConfig::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        de.deserialize_any(Switch)
    }
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            sections: Vec::new(),
            snippet_length: 120,
            quick_headings: None,
            quick: None,
            postings_head: POSTINGS_HEAD,
        }
    }
}

fn default_theme() -> String {
    "default".to_owned()
}

fn default_output() -> PathBuf {
    PathBuf::from("public")
}

fn default_taxonomies() -> Vec<TaxonomyConfig> {
    [
        (TaxonomyName::Topics, "专题", true),
        (TaxonomyName::Tags, "标签", false),
        (TaxonomyName::Authors, "作者", false),
    ]
    .into_iter()
    .map(|(name, label, feed)| TaxonomyConfig {
        name,
        label: label.to_owned(),
        feed,
        paginate: None,
    })
    .collect()
}

impl SiteConfig {
    pub fn taxonomy(&self, name: TaxonomyName) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// The language site.yaml under `root` names, for printing diagnostics even when the rest of
/// it fails: zh-CN when it names none (or cannot be read).
pub(crate) fn language_of(root: &Path) -> crate::diagnostic::Lang {
    std::fs::read_to_string(root.join(FILE_NAME))
        .ok()
        .and_then(|text| yaml::value(&text))
        .and_then(|v| {
            v.get("language")
                .and_then(serde_yaml::Value::as_str)
                .and_then(crate::diagnostic::Lang::from_tag)
        })
        .unwrap_or_default()
}

/// Reads and validates `<root>/site.yaml`.
pub(crate) fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    let shown = PathBuf::from(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            return Err(vec![
                Diagnostic::new(
                    Code::ConfigUnreadable,
                    &path,
                    crate::diagnostic::io_cause(&e),
                )
                .hint(&NEW_SITE_HINT, args!()),
            ]);
        }
    };
    parse(&text, &shown)
}

pub fn parse(text: &str, shown: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Every mistake in one run: `language: zh-TW` must not hide `theem:` below it.
    let (config, mut problems) =
        yaml::from_str_all::<SiteConfig>(text, shown, &[("title", "title: x")]);
    let Some(mut config) = config else {
        return Err(problems);
    };
    config.keys = yaml::key_spans(text, 1);
    problems.extend(validate(&mut config, text, shown));
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn validate(config: &mut SiteConfig, text: &str, shown: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let keys = &config.keys;
    let at_key = |key: &str, (code, args): Coded| {
        let at = keys.key(key);
        Diagnostic::new(code, shown, args).at_in(text, at.line, at.column)
    };
    if let Some(url) = config.base_url.take() {
        match normalize_base_url(&url) {
            Ok(url) => config.base_url = Some(url),
            Err(problem) => problems.push(at_key("base_url", problem)),
        }
    }
    if config.pagination.page_size == 0 {
        problems.push(at_key(
            "pagination.page_size",
            (Code::PageSizeZero, args!()),
        ));
    }
    config.glossary = config.glossary.trim().trim_matches('/').to_owned();
    let mut names = Vec::new();
    for (i, s) in config.series.iter().enumerate() {
        if names.contains(&s.name.trim()) {
            problems.push(at_key("series", (Code::SeriesTwice, args!(name = &s.name))));
        }
        names.push(s.name.trim());
        if s.slug
            .as_deref()
            .is_some_and(|x| crate::slug::slugify(x).is_empty())
        {
            let key = format!("series.{i}.slug");
            let key = if keys.contains(&key) { &key } else { "series" };
            problems.push(at_key(key, (Code::SeriesSlug, args!(name = &s.name))));
        }
    }
    for (i, item) in config.menu.iter().enumerate() {
        if let Err(refused) = url_policy::check(&item.url) {
            // Reported at the value itself, or at `menu` when the entry is written in `{ }`.
            let key = format!("menu.{i}.url");
            let at = keys.get(&key).map_or(keys.key("menu"), |s| s.value);
            let (code, args) = url_policy::problem(&words::MENU_URL, &item.url, &refused);
            problems.push(Diagnostic::new(code, shown, args).at_in(text, at.line, at.column));
        }
    }
    problems.extend(lengths(config, text, shown));
    let mut seen = Vec::new();
    for t in &config.taxonomies {
        if seen.contains(&t.name) {
            problems.push(at_key(
                "taxonomies",
                (Code::TaxonomyTwice, args!(name = t.name.as_str())),
            ));
        }
        seen.push(t.name);
    }
    problems
}

static REPEATED_HINT: Words = Words {
    en: "every page repeats this text; shorten it",
    zh: "每一页都会重复这段文字，请缩短",
};

/// Every site.yaml text that each page repeats (the site's title and description in every
/// page's head, menu labels in every page's header), within its [`limits`].
fn lengths(config: &SiteConfig, text: &str, shown: &Path) -> Vec<Diagnostic> {
    let mut fields: Vec<(String, &str, &str, limits::Limit)> = vec![
        ("title".into(), "title", &config.title, limits::TITLE),
        (
            "description".into(),
            "description",
            &config.description,
            limits::SUMMARY,
        ),
    ];
    for (i, m) in config.menu.iter().enumerate() {
        fields.push((format!("menu.{i}.label"), "menu", &m.label, limits::NAME));
        fields.push((format!("menu.{i}.url"), "menu", &m.url, limits::URL));
    }
    for (i, t) in config.taxonomies.iter().enumerate() {
        fields.push((
            format!("taxonomies.{i}.label"),
            "taxonomies",
            &t.label,
            limits::NAME,
        ));
    }
    for (i, s) in config.series.iter().enumerate() {
        fields.push((format!("series.{i}.name"), "series", &s.name, limits::NAME));
        if let Some(slug) = &s.slug {
            fields.push((format!("series.{i}.slug"), "series", slug, limits::SLUG));
        }
        if let Some(summary) = &s.summary {
            fields.push((
                format!("series.{i}.summary"),
                "series",
                summary,
                limits::SUMMARY,
            ));
        }
    }
    let keys = &config.keys;
    fields
        .into_iter()
        .filter_map(|(key, fallback, value, limit)| {
            let (code, args) = limit.coded(fallback, value)?;
            let at = keys
                .get(&key)
                .or(keys.get(fallback))
                .map_or(crate::span::Position::START, |s| s.value);
            Some(
                Diagnostic::new(code, shown, args)
                    .at_in(text, at.line, at.column)
                    .hint(&REPEATED_HINT, args!()),
            )
        })
        .collect()
}

pub(crate) fn normalize_base_url(url: &str) -> Result<String, Coded> {
    let url = url.trim();
    // A line break would add lines to robots.txt; a quote or bracket would end an attribute
    // or element in a feed or a page's head.
    if let Some(c) = url
        .chars()
        .find(|&c| c.is_control() || c.is_whitespace() || "<>\"\\`{}|^".contains(c))
    {
        return Err((
            Code::BaseUrlCharacter,
            args!(character = crate::diagnostic::shown_char(c)),
        ));
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 10 {
        return Err((Code::BaseUrl, args!(url = url)));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

static NEW_SITE_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "run `gongdu new site DIR` to start a site, or pass --root",
    zh: "用 `gongdu new site 文件夹` 新建站点，或者用 --root 指定站点文件夹",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title: 工读\n", Path::new("site.yaml")).expect("valid");
        assert_eq!(c.language, Language::ZhCn);
        assert_eq!(c.pagination.page_size, 10);
        assert_eq!(c.taxonomies.len(), 3);
        assert_eq!(c.output, PathBuf::from("public"));
    }

    /// The `search` settings of a `site.yaml` with `search_yaml` after its title.
    fn search(search_yaml: &str) -> SearchConfig {
        let yaml = format!("title: 工读\n{search_yaml}");
        parse(&yaml, Path::new("site.yaml")).expect("valid").search
    }

    /// `search: false` is what an editor writes first to turn search off; it was refused
    /// as "expected struct SearchConfig". `true` and an empty `search:` keep the defaults,
    /// and anything else is still refused where it stands.
    #[test]
    fn search_can_be_switched_off_with_a_plain_false() {
        assert!(!search("search: false\n").enabled);
        assert!(search("search: true\n").enabled);
        assert_eq!(search("search: true\n").snippet_length, 120);
        assert!(search("search:\n").enabled);
        assert!(!search("search:\n  enabled: false\n  snippet_length: 80\n").enabled);
        assert_eq!(search("search: {snippet_length: 80}\n").snippet_length, 80);
        let wrong = parse("title: 工读\nsearch: 3\n", Path::new("site.yaml"))
            .expect_err("a number is no switch");
        assert!(
            format!("{wrong:?}").contains("true, false or a table"),
            "{wrong:?}"
        );
    }

    /// The as-you-type list: on up to 20,000 searchable pages, off beyond, either way when
    /// the site says so.
    #[test]
    fn the_quick_list_is_on_for_sites_up_to_twenty_thousand_pages() {
        assert!(search("").quick_on(QUICK_PAGES));
        assert!(!search("").quick_on(QUICK_PAGES + 1));
        assert!(search("search:\n  quick: true\n").quick_on(100_000));
        assert!(!search("search:\n  quick: false\n").quick_on(1));
    }

    /// Headings in that list: up to 1,500 of them, none beyond, either way when the site
    /// says so.
    #[test]
    fn headings_are_in_the_quick_list_up_to_fifteen_hundred() {
        assert!(search("").quick_headings_on(QUICK_HEADINGS));
        assert!(!search("").quick_headings_on(QUICK_HEADINGS + 1));
        assert!(search("search:\n  quick_headings: true\n").quick_headings_on(100_000));
        assert!(!search("search:\n  quick_headings: false\n").quick_headings_on(0));
    }

    #[test]
    fn misspelt_key_is_an_error_at_its_line() {
        let errs = parse(
            "title: 工读\nbase_ulr: https://x.org\n",
            Path::new("site.yaml"),
        )
        .expect_err("typo");
        assert_eq!(errs[0].line, 2);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn nested_typo_and_bad_language() {
        let errs = parse(
            "title: t\ntaxonomies:\n  - { name: topics, lable: 专题 }\n",
            Path::new("site.yaml"),
        )
        .expect_err("typo");
        assert_eq!(errs[0].line, 3);
        assert!(errs[0].hint.as_deref().unwrap_or("").contains("label"));
        let errs = parse("title: t\nlanguage: fr\n", Path::new("site.yaml")).expect_err("lang");
        assert_eq!(errs[0].line, 2);
        assert!(errs[0].message.contains("zh-CN"), "{}", errs[0].message);
    }

    #[test]
    fn base_url_is_checked_and_normalised() {
        let c = parse(
            "title: t\nbase_url: https://example.org/a\n",
            Path::new("s"),
        )
        .expect("valid");
        assert_eq!(c.base_url.as_deref(), Some("https://example.org/a/"));
        let errs = parse("title: t\n\nbase_url: example.org\n", Path::new("s")).expect_err("bad");
        assert_eq!((errs[0].line, errs[0].column), (3, 1));
    }
}
