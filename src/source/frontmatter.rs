//! Front matter: the YAML block between `---` lines at the top of a Markdown file.
//! This module splits it from the body and turns it into checked metadata; YAML stays here
//! (and in `config`). Field names are documented in the README and the editors' guide.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::date::{Date, PartialDate};
use super::import_record::ImportRecord;
use crate::args;
use crate::config::limits::{self, Limit};
use crate::config::yaml::{self, TopLevel};
use crate::diagnostic::{Code, Coded, Diagnostic, Text, Words, words};
use crate::slug::slugify;
use crate::span::{KeySpans, Position};
use crate::url_policy;

static LENGTH_HINT: Words = Words {
    en: "other pages repeat this field, so its length is limited to keep the site in proportion to its sources; shorten it",
    zh: "其他页面会重复这个字段，为使网站与原稿大小相称，它的长度有限制；请缩短",
};

static EVENTS_HINT: Words = Words {
    en: "every topic of the article repeats its events on its own timeline page; split the events over several articles",
    zh: "文章的每个专题都会在自己的大事记页面上重复这些事件；请把事件分到几篇文章中",
};

/// A file's text cut into its front matter and body, with the positions needed to report
/// errors against the whole file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split<'a> {
    /// The YAML text, without the `---` fences; `None` when the file has no front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the file on which the YAML text starts.
    pub yaml_first_line: usize,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

/// Fails only when the front matter is never closed ([`crate::diagnostic::Code::Unclosed`]).
pub(crate) fn split(text: &str) -> Result<Split<'_>, ()> {
    let Some(after_open) = text.strip_prefix("---\n") else {
        return Ok(Split {
            yaml: None,
            yaml_first_line: 1,
            body_offset: 0,
        });
    };
    let open_len = text.len() - after_open.len();
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: Some(&after_open[..offset]),
                yaml_first_line: 2,
                body_offset: open_len + offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(())
}

/// How many authors, topics or tags one page may have. Each name gets a page (and a feed,
/// and for a topic a timeline) that lists the article with all its names, so output grows
/// with the square of this number: 20 is more than any real article names.
pub(crate) const MAX_TERMS: usize = 20;

/// A page's metadata after checking.
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    pub title: String,
    /// A second line under the title (副标题).
    pub subtitle: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub authors: Vec<String>,
    pub affiliation: Option<String>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub sources: Vec<Source>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    /// Whether the page is in the search index (`search: false` keeps it out).
    pub search: bool,
    /// Whether glossary terms in the body link to their entries (`glossary: false` turns it off).
    pub glossary: bool,
    /// Glossary entries: other names of the term, its short definition, a reading that
    /// overrides the automatic one for sorting, and related terms (by title or slug).
    pub synonyms: Vec<String>,
    pub definition: Option<String>,
    pub pinyin: Option<String>,
    pub related: Vec<String>,
    /// Dated entries for the timeline (大事记).
    pub events: Vec<Event>,
    /// The study path this article belongs to, and its place in it (1-based).
    pub series: Option<String>,
    pub order: Option<u32>,
    /// Discussion questions (思考题).
    pub questions: Vec<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// What `gongdu import` changed and flagged, for the editor; checked, never rendered.
    pub import: Option<ImportRecord>,
}

/// A dated entry of the timeline, declared in the front matter of the article it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: PartialDate,
    pub title: String,
    pub detail: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "event")]
struct RawEvent {
    date: Scalar,
    title: String,
    detail: Option<String>,
}

/// Where an article's facts come from; rendered as a citation. Templates see the fields as
/// written; the date is also kept parsed, checked when the file is read.
#[derive(Debug, Clone, Default, serde::Serialize, PartialEq, Eq)]
pub struct Source {
    pub title: Option<String>,
    pub publication: Option<String>,
    pub date: Option<Scalar>,
    /// `date`, parsed.
    #[serde(skip)]
    pub when: Option<PartialDate>,
    pub page: Option<Scalar>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub affiliation: Option<String>,
}

/// `source:` as written. Its `expecting` is a literal, as serde asks;
/// `config::yaml::value_words` has its Chinese.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "fields such as `title:` and `publication:`"
)]
struct RawSource {
    title: Option<String>,
    publication: Option<String>,
    date: Option<Scalar>,
    page: Option<Scalar>,
    url: Option<String>,
    author: Option<String>,
    affiliation: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Date,
    Weight,
    Title,
}

/// A section's metadata (`_index.md`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub sort_by: SortBy,
    /// Pages per listing page; the site's `pagination.page_size` when absent.
    pub paginate: Option<usize>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "front matter")]
struct RawPageMeta {
    title: Option<String>,
    subtitle: Option<String>,
    date: Option<Scalar>,
    updated: Option<Scalar>,
    #[serde(default)]
    authors: StringList,
    affiliation: Option<String>,
    #[serde(default)]
    topics: StringList,
    #[serde(default)]
    tags: StringList,
    summary: Option<String>,
    /// Read in a second step (see [`sources`]): one mapping or a list of them.
    source: Option<serde_yaml::Value>,
    #[serde(default)]
    draft: bool,
    weight: Option<i64>,
    slug: Option<String>,
    #[serde(default)]
    aliases: StringList,
    search: Option<bool>,
    glossary: Option<bool>,
    #[serde(default)]
    synonyms: StringList,
    definition: Option<String>,
    pinyin: Option<String>,
    #[serde(default)]
    related: StringList,
    #[serde(default)]
    events: Vec<RawEvent>,
    series: Option<String>,
    order: Option<u32>,
    #[serde(default)]
    questions: StringList,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
    import: Option<ImportRecord>,
}

/// Where each front-matter key is written in the file (see [`KeySpans`]).
pub(crate) fn key_spans(split: &Split<'_>) -> KeySpans {
    split
        .yaml
        .map(|y| yaml::key_spans(y, split.yaml_first_line))
        .unwrap_or_default()
}

/// What a front matter that failed its checks still says about the page's identity.
#[derive(Debug, Default)]
pub(crate) struct Claimed {
    pub title: Option<String>,
    pub slug: Option<String>,
}

/// Reads `title:` and `slug:` from front matter that failed, as far as the YAML parses, so
/// the page keeps its place among the links (see `source::read_text`).
pub(crate) fn recover(split: &Split<'_>) -> Claimed {
    let Some(serde_yaml::Value::Mapping(map)) = split.yaml.and_then(yaml::value) else {
        return Claimed::default();
    };
    // `titel:` is the most common reason a page fails: a misspelt key still names the page.
    let text = |key: &str| {
        map.get(key)
            .or_else(|| {
                map.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?, v)))
                    .find(|(k, _)| crate::diagnostic::suggest(k, &[key]).is_some())
                    .map(|(_, v)| v)
            })
            .and_then(serde_yaml::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Claimed {
        title: text("title"),
        slug: text("slug"),
    }
}

/// Checks a page's front matter. `keys` are the positions [`key_spans`] found. Returns the
/// metadata with the warnings about it, or every error.
pub(crate) fn parse_page(
    text: &str,
    split: &Split<'_>,
    keys: &KeySpans,
    path: &Path,
) -> Result<(PageMeta, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut raw: RawPageMeta = deserialize(text, split, path)?;
    let mut check = Checks {
        text,
        keys,
        path,
        // A key that is not written is reported at the start of the front matter.
        absent: Position::new(
            if split.yaml.is_some() {
                split.yaml_first_line
            } else {
                1
            },
            1,
        ),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let sources = check.sources(raw.source.take())?;
    let date = check.date("date", raw.date.take());
    let updated = check.date("updated", raw.updated.take());
    check.term_counts(&raw);
    check.lengths(&raw);
    check.source_lengths(&sources);
    let title = check.title(raw.title.take());
    check.slug(raw.slug.as_deref());
    let events = check.events(std::mem::take(&mut raw.events));
    let series = check.series(raw.series.take(), raw.order);
    if !check.problems.is_empty() {
        return Err(check.problems);
    }
    let meta = PageMeta {
        title,
        subtitle: raw.subtitle.filter(|s| !s.trim().is_empty()),
        date,
        updated,
        authors: raw.authors.0,
        affiliation: raw.affiliation,
        topics: raw.topics.0,
        tags: raw.tags.0,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        sources,
        draft: raw.draft,
        weight: raw.weight,
        slug: raw.slug,
        aliases: raw.aliases.0,
        search: raw.search.unwrap_or(true),
        glossary: raw.glossary.unwrap_or(true),
        synonyms: raw.synonyms.0,
        definition: raw
            .definition
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty()),
        pinyin: raw.pinyin.filter(|p| !p.trim().is_empty()),
        related: raw.related.0,
        events,
        series,
        order: raw.order,
        questions: raw.questions.0,
        extra: raw.extra,
        import: raw.import,
    };
    Ok((meta, check.warnings))
}

/// The checks of a page's front matter that serde cannot make, each reported at the value
/// it is about.
struct Checks<'a> {
    text: &'a str,
    keys: &'a KeySpans,
    path: &'a Path,
    absent: Position,
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Checks<'_> {
    fn at_key(&self, key: &str, (code, args): Coded) -> Diagnostic {
        let at = self.keys.get(key).map_or(self.absent, |s| s.value);
        Diagnostic::new(code, self.path, args).at_in(self.text, at.line, at.column)
    }

    fn report(&mut self, key: &str, problem: Coded) {
        let d = self.at_key(key, problem);
        self.problems.push(d);
    }

    fn date(&mut self, key: &str, value: Option<Scalar>) -> Option<Date> {
        self.lenient(key, &value?.0, Date::parse)
            .map_err(|problem| self.report(key, problem))
            .ok()
    }

    /// Parses a date; one written the Chinese way (2024年5月8日, 2024.5.8, 2024/05/08) is
    /// read too, with a warning at `key` that names the day it was read as.
    fn lenient<T>(
        &mut self,
        key: &str,
        written: &str,
        parse: impl Fn(&str) -> Result<T, Coded>,
    ) -> Result<T, Coded> {
        let problem = match parse(written) {
            Ok(date) => return Ok(date),
            Err(problem) => problem,
        };
        let Some(iso) = super::date::iso_form(written) else {
            return Err(problem);
        };
        let date = parse(&iso).map_err(|_| problem)?;
        let d = self
            .at_key(key, (Code::ChineseDate, args!(text = written, iso = &iso)))
            .hint(&CHINESE_DATE_HINT, args!(iso = iso));
        self.warnings.push(d);
        Ok(date)
    }

    fn term_counts(&mut self, raw: &RawPageMeta) {
        for (key, list) in [
            ("authors", &raw.authors),
            ("topics", &raw.topics),
            ("tags", &raw.tags),
        ] {
            if list.0.len() > MAX_TERMS {
                let d = self
                    .at_key(
                        key,
                        (
                            Code::TooManyTerms,
                            args!(key = key, count = list.0.len(), max = MAX_TERMS),
                        ),
                    )
                    .hint(&TERMS_HINT, args!());
                self.problems.push(d);
            }
        }
    }

    /// Every field another page repeats, within its [`limits`]: reported at the field (a list
    /// item at its list), naming the limit.
    fn lengths(&mut self, raw: &RawPageMeta) {
        let single = [
            ("title", &raw.title, limits::TITLE),
            ("summary", &raw.summary, limits::SUMMARY),
            ("affiliation", &raw.affiliation, limits::AFFILIATION),
            ("slug", &raw.slug, limits::SLUG),
            ("definition", &raw.definition, limits::DEFINITION),
            ("pinyin", &raw.pinyin, limits::PINYIN),
            ("series", &raw.series, limits::NAME),
        ];
        for (key, value, limit) in single {
            if let Some(value) = value {
                self.length(key, key, value, limit);
            }
        }
        let lists = [
            ("authors", &raw.authors, limits::NAME),
            ("topics", &raw.topics, limits::NAME),
            ("tags", &raw.tags, limits::NAME),
            ("synonyms", &raw.synonyms, limits::NAME),
            ("aliases", &raw.aliases, limits::REFERENCE),
            ("related", &raw.related, limits::REFERENCE),
        ];
        for (key, list, limit) in lists {
            // One report per list: the first item over the limit names the problem.
            if let Some(item) = list.0.iter().find(|i| limit.exceeded(key, i).is_some()) {
                self.length(key, key, item, limit);
            }
        }
        if raw.events.len() > limits::MAX_EVENTS {
            let d = self
                .at_key(
                    "events",
                    (
                        Code::TooManyEvents,
                        args!(count = raw.events.len(), max = limits::MAX_EVENTS),
                    ),
                )
                .hint(&EVENTS_HINT, args!());
            self.problems.push(d);
        }
        for (i, e) in raw.events.iter().enumerate() {
            self.length(
                &format!("events.{i}.title"),
                "events",
                &e.title,
                limits::TITLE,
            );
            if let Some(detail) = &e.detail {
                self.length(
                    &format!("events.{i}.detail"),
                    "events",
                    detail,
                    limits::DETAIL,
                );
            }
        }
    }

    /// Reports `value` (written at `key`, or at `fallback` when `key` is inside `{ }` or a
    /// list) when it is longer than `limit`.
    fn length(&mut self, key: &str, fallback: &str, value: &str, limit: Limit) {
        let Some(problem) = limit.coded(fallback, value) else {
            return;
        };
        let key = if self.keys.contains(key) {
            key
        } else {
            fallback
        };
        let d = self.at_key(key, problem).hint(&LENGTH_HINT, args!());
        self.problems.push(d);
    }

    fn source_lengths(&mut self, sources: &[Source]) {
        for s in sources {
            let fields = [&s.title, &s.publication, &s.author, &s.affiliation];
            for value in fields.into_iter().flatten() {
                self.length("source", "source", value, limits::CITATION);
            }
            if let Some(url) = &s.url {
                self.length("source", "source", url, limits::URL);
            }
        }
    }

    fn title(&mut self, title: Option<String>) -> String {
        match title.map(|t| t.trim().to_owned()) {
            Some(t) if !t.is_empty() => t,
            _ => {
                let d = self
                    .at_key("title", (Code::NoTitle, args!()))
                    .hint(&TITLE_HINT, args!());
                self.problems.push(d);
                String::new()
            }
        }
    }

    fn slug(&mut self, slug: Option<&str>) {
        if let Some(slug) = slug
            && slugify(slug).is_empty()
        {
            self.report("slug", (Code::SlugEmpty, args!(slug = slug)));
        }
    }

    fn events(&mut self, raw: Vec<RawEvent>) -> Vec<Event> {
        let mut events = Vec::with_capacity(raw.len());
        for e in raw {
            match self.lenient("events", &e.date.0, PartialDate::parse) {
                Ok(date) if !e.title.trim().is_empty() => events.push(Event {
                    date,
                    title: e.title.trim().to_owned(),
                    detail: e.detail.filter(|d| !d.trim().is_empty()),
                }),
                Ok(_) => self.report("events", (Code::EventNoTitle, args!())),
                Err(problem) => {
                    let prefix = Text::new(&words::EVENT, args!(title = e.title));
                    let d = self.at_key("events", problem).prefixed(prefix);
                    self.problems.push(d);
                }
            }
        }
        events
    }

    fn series(&mut self, series: Option<String>, order: Option<u32>) -> Option<String> {
        let series = series
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if series.is_some() && order.is_none() {
            let d = self
                .at_key("series", (Code::SeriesNoOrder, args!()))
                .hint(&ORDER_HINT, args!());
            self.problems.push(d);
        }
        if order == Some(0) {
            self.report("order", (Code::OrderZero, args!()));
        }
        if order.is_some() && series.is_none() {
            let d = self
                .at_key("order", (Code::OrderNoSeries, args!()))
                .hint(&SERIES_HINT, args!());
            self.problems.push(d);
        }
        series
    }

    /// `source:` is one mapping or a list of them, so it is read from a YAML value after the
    /// rest, which loses the parser's positions: a shape error is reported at the value, alone,
    /// as the parser would. Each source's date is checked here, at its own line when written
    /// as a block.
    fn sources(
        &mut self,
        value: Option<serde_yaml::Value>,
    ) -> Result<Vec<Source>, Vec<Diagnostic>> {
        let Some(value) = value else {
            return Ok(Vec::new());
        };
        let listed = value.is_sequence();
        let raw: Vec<RawSource> = if listed {
            Vec::deserialize(value)
        } else {
            RawSource::deserialize(value).map(|s| vec![s])
        }
        .map_err(|e| {
            let problem = yaml::value_problem(&yaml::short_message(&e));
            let prefix = Text::new(&words::SOURCE, args!());
            vec![self.at_key("source", problem).prefixed(prefix)]
        })?;
        let mut sources = Vec::with_capacity(raw.len());
        for (i, s) in raw.into_iter().enumerate() {
            let key = if listed {
                format!("source.{i}.date")
            } else {
                "source.date".to_owned()
            };
            let when = s.date.as_ref().and_then(|d| self.source_date(&key, d));
            if let Some(url) = &s.url {
                let key = key.replace(".date", ".url");
                self.source_url(&key, url);
            }
            sources.push(Source {
                title: s.title,
                publication: s.publication,
                date: s.date,
                when,
                page: s.page,
                url: s.url,
                author: s.author,
                affiliation: s.affiliation,
            });
        }
        Ok(sources)
    }

    /// A citation's link (the 原文链接 on the page) must pass the [`url_policy`]; reported at
    /// `key` like the date.
    fn source_url(&mut self, key: &str, url: &str) {
        if let Err(refused) = url_policy::check(url) {
            let key = if self.keys.contains(key) {
                key
            } else {
                "source"
            };
            self.report(key, url_policy::problem(&words::SOURCE_URL, url, &refused));
        }
    }

    /// A citation's date, reported at `key` (`source.date`, `source.1.date`), or at `source`
    /// when it is written inside `{ }`.
    fn source_date(&mut self, key: &str, date: &Scalar) -> Option<PartialDate> {
        self.lenient(key, &date.0, PartialDate::parse)
            .map_err(|problem| {
                let key = if self.keys.contains(key) {
                    key
                } else {
                    "source"
                };
                let prefix = Text::new(&words::SOURCE_DATE, args!());
                let d = self.at_key(key, problem).prefixed(prefix);
                self.problems.push(d);
            })
            .ok()
    }
}

pub(crate) fn parse_section(
    text: &str,
    split: &Split<'_>,
    keys: &KeySpans,
    path: &Path,
) -> Result<SectionMeta, Vec<Diagnostic>> {
    let meta: SectionMeta = deserialize(text, split, path)?;
    let mut check = Checks {
        text,
        keys,
        path,
        absent: Position::new(split.yaml_first_line, 1),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    for (key, value, limit) in [
        ("title", &meta.title, limits::TITLE),
        ("summary", &meta.summary, limits::SUMMARY),
    ] {
        if let Some(value) = value {
            check.length(key, key, value, limit);
        }
    }
    if check.problems.is_empty() {
        Ok(meta)
    } else {
        Err(check.problems)
    }
}

fn deserialize<T: de::DeserializeOwned>(
    text: &str,
    split: &Split<'_>,
    path: &Path,
) -> Result<T, Vec<Diagnostic>> {
    let yaml = match split.yaml {
        Some(y) if !y.trim().is_empty() => y,
        _ => "{}",
    };
    yaml::from_str(yaml, path, text, split.yaml_first_line).map_err(|mut d| {
        // Only on failure: is the block something other than `key: value` lines?
        let found = match yaml::top_level(yaml) {
            Some(TopLevel::List) => Some(&words::A_LIST),
            Some(TopLevel::Text) => Some(&words::PLAIN_TEXT),
            Some(TopLevel::Number) => Some(&words::A_NUMBER),
            Some(TopLevel::YesNo) => Some(&words::A_YES_NO),
            Some(TopLevel::Mapping | TopLevel::Other) | None => None,
        };
        if let Some(found) = found {
            let shape = Diagnostic::new(Code::FrontMatterShape, path, args!(found = found));
            d = Diagnostic {
                code: shape.code,
                message: shape.message,
                ..d
            };
            d = if yaml.contains('：') {
                d.hint(&yaml::FULL_WIDTH_COLON_HINT, args!())
            } else {
                d.hint(&SHAPE_HINT, args!())
            };
        }
        vec![d]
    })
}

static TERMS_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "every name gets a page that lists this article with all its names, so the site would grow with the square of the list",
    zh: "每个名称都会生成一个页面，列出本文及其全部名称，站点会随列表长度的平方增长",
};
static TITLE_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "add `title: 文章标题` to the front matter between `---` lines",
    zh: "在两行 `---` 之间的前言中加上 `title: 文章标题`",
};
static ORDER_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "add `order: 1` (its place in the study path, counting from 1)",
    zh: "加上 `order: 1`（文章在学习路线中的位置，从 1 数起）",
};
static SERIES_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "add `series: 学习路线名称`, or remove `order`",
    zh: "加上 `series: 学习路线名称`，或者删掉 `order`",
};
static SHAPE_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "write it as lines like `title: 文章标题` between the `---` lines",
    zh: "在两行 `---` 之间写成 `title: 文章标题` 这样的行",
};
static CHINESE_DATE_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "write it as {iso}, the standard form, to say the same",
    zh: "写成标准形式 {iso}，意思相同",
};

/// A YAML scalar kept as text: `date: 2024` and `page: 9` are as welcome as strings.
/// Templates see a whole number as a number again (so a theme can write 第9版).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl serde::Serialize for Scalar {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.parse::<i64>() {
            Ok(n) if !self.0.starts_with(['0', '+']) || self.0 == "0" => s.serialize_i64(n),
            _ => s.serialize_str(&self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::config::yaml::value_words::EXPECTED_TEXT_OR_NUMBER)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// `tags: 劳模精神` or `tags: [劳模精神, 工匠精神]`; numbers inside the list are kept as text.
#[derive(Debug, Clone, Default)]
pub(crate) struct StringList(pub Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(crate::config::yaml::value_words::EXPECTED_TEXT_OR_LIST)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(vec![v.to_owned()])
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(Scalar(item)) = seq.next_element()? {
                    let item = item.trim().to_owned();
                    if !item.is_empty() && !out.contains(&item) {
                        out.push(item);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_any(ListVisitor).map(StringList)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<PageMeta, Vec<Diagnostic>> {
        let s = split(text).map_err(|()| vec![Diagnostic::error("a.md", "unclosed")])?;
        parse_page(text, &s, &key_spans(&s), Path::new("a.md")).map(|(meta, _)| meta)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\ntitle: 工会\n---\n正文\n";
        let s = split(text).expect("closed");
        assert_eq!(s.yaml, Some("title: 工会\n"));
        assert_eq!(&text[s.body_offset..], "正文\n");
        assert!(split("---\ntitle: x\n").is_err());
        assert_eq!(split("# 无前言\n").expect("none").yaml, None);
    }

    #[test]
    fn reads_all_page_fields() {
        let m = page(
            "---\ntitle: 新质生产力\ndate: 2024-04-26\nauthors: 学习小组\ntags: [劳模精神, 2024]\n\
             source:\n  title: 组织动员亿万职工\n  publication: 人民日报\n  date: 2024-04-26\n  page: 9\n\
             extra: { cover: a.png }\n---\n",
        )
        .expect("valid");
        assert_eq!(m.title, "新质生产力");
        assert_eq!(m.authors, ["学习小组"]);
        assert_eq!(m.tags, ["劳模精神", "2024"]);
        assert_eq!(m.sources[0].page, Some(Scalar("9".into())));
        assert_eq!(m.extra["cover"], "a.png");
    }

    #[test]
    fn misspelt_field_suggests_the_right_name_at_the_file_line() {
        let errs = page("---\ndate: 2024-01-01\ntittle: x\n---\n").expect_err("typo");
        assert_eq!((errs[0].line, errs[0].column), (3, 1));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_types_are_errors_with_positions() {
        let errs = page("---\ntitle: x\ndate: 昨天\n---\n").expect_err("date");
        assert_eq!(errs[0].line, 3);
        let errs = page("---\ntitle: x\ntags: 5\n---\n").expect_err("tags");
        assert_eq!(errs[0].line, 3);
        assert!(
            errs[0].message.contains("a string or a list of strings"),
            "{}",
            errs[0].message
        );
        let errs = page("---\ntitle: x\nsource: { titel: y }\n---\n").expect_err("source");
        assert!(
            errs[0].message.contains("unknown field `titel`"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn a_page_has_at_most_twenty_tags() {
        let tags: Vec<String> = (0..=MAX_TERMS).map(|i| format!("t{i}")).collect();
        let errs = page(&format!(
            "---\ntitle: x\ntags: [{}]\n---\n",
            tags.join(", ")
        ))
        .expect_err("too many");
        assert_eq!(
            (errs[0].line, errs[0].message.as_str()),
            (3, "`tags` lists 21 names; a page may have at most 20")
        );
        assert!(
            page(&format!(
                "---\ntitle: x\ntags: [{}]\n---\n",
                tags[1..].join(", ")
            ))
            .is_ok()
        );
    }

    #[test]
    fn the_import_record_is_read_and_checked_where_written() {
        let m = page(
            "---\ntitle: 工会驿站\nsubtitle: 记户外劳动者服务站点\nimport:\n  from: a.txt\n  converted: 3\n  \
             flags:\n  - line: 7\n    message: 缺字\n---\n",
        )
        .expect("valid");
        assert_eq!(m.subtitle.as_deref(), Some("记户外劳动者服务站点"));
        let record = m.import.expect("import");
        assert_eq!(
            (record.from.as_str(), record.converted, record.flags[0].line),
            ("a.txt", 3, 7)
        );
        let errs =
            page("---\ntitle: x\nimport:\n  from: a.txt\n  convertd: 3\n---\n").expect_err("typo");
        assert!(
            errs[0].message.contains("unknown field `convertd`"),
            "{}",
            errs[0].message
        );
        assert_eq!(errs[0].line, 5);
    }

    #[test]
    fn missing_title_is_reported() {
        let errs = page("---\ndate: 2024-01-01\n---\n").expect_err("title");
        assert!(errs[0].message.contains("no title"));
    }

    #[test]
    fn citation_dates_are_parsed_once_and_checked_where_written() {
        let m = page("---\ntitle: x\nsource:\n  publication: 人民日报\n  date: 2024-04\n---\n")
            .expect("valid");
        assert_eq!(m.sources[0].date, Some(Scalar("2024-04".into())));
        assert_eq!(m.sources[0].when, PartialDate::parse("2024-04").ok());
        let errs = page("---\ntitle: x\nsource: { date: 2024-02-30 }\n---\n").expect_err("day");
        assert_eq!(
            (errs[0].line, errs[0].column, errs[0].message.as_str()),
            (
                3,
                9,
                "source date: `2024-02-30` is not a day of the calendar"
            )
        );
    }
}
