//! Front matter: the YAML block between `---` lines at the top of a Markdown file.
//! This module splits it from the body and turns it into checked metadata; YAML stays here
//! (and in `config`). Field names are documented in the README and the editors' guide.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::date::{Date, PartialDate};
use super::import_record::ImportRecord;
use crate::config::yaml::{self, TopLevel};
use crate::diagnostic::Diagnostic;
use crate::slug::slugify;
use crate::span::{KeySpans, Position};
use crate::url_policy;

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

pub(crate) fn split(text: &str) -> Result<Split<'_>, String> {
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
    Err(
        "the front matter opened with `---` on line 1 is never closed; end it with a line `---`"
            .into(),
    )
}

/// How many authors, topics or tags one page may have.
pub(crate) const MAX_TERMS: usize = 100;

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

/// Checks a page's front matter. `keys` are the positions [`key_spans`] found.
pub(crate) fn parse_page(
    text: &str,
    split: &Split<'_>,
    keys: &KeySpans,
    path: &Path,
) -> Result<PageMeta, Vec<Diagnostic>> {
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
    };
    let sources = check.sources(raw.source.take())?;
    let date = check.date("date", raw.date.take());
    let updated = check.date("updated", raw.updated.take());
    check.term_counts(&raw);
    let title = check.title(raw.title.take());
    check.slug(raw.slug.as_deref());
    let events = check.events(std::mem::take(&mut raw.events));
    let series = check.series(raw.series.take(), raw.order);
    if !check.problems.is_empty() {
        return Err(check.problems);
    }
    Ok(PageMeta {
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
    })
}

/// The checks of a page's front matter that serde cannot make, each reported at the value
/// it is about.
struct Checks<'a> {
    text: &'a str,
    keys: &'a KeySpans,
    path: &'a Path,
    absent: Position,
    problems: Vec<Diagnostic>,
}

impl Checks<'_> {
    fn at_key(&self, key: &str, message: String) -> Diagnostic {
        let at = self.keys.get(key).map_or(self.absent, |s| s.value);
        Diagnostic::error(self.path, message).at_in(self.text, at.line, at.column)
    }

    fn report(&mut self, key: &str, message: String) {
        let d = self.at_key(key, message);
        self.problems.push(d);
    }

    fn date(&mut self, key: &str, value: Option<Scalar>) -> Option<Date> {
        Date::parse(&value?.0)
            .map_err(|message| self.report(key, message))
            .ok()
    }

    fn term_counts(&mut self, raw: &RawPageMeta) {
        for (key, list) in [
            ("authors", &raw.authors),
            ("topics", &raw.topics),
            ("tags", &raw.tags),
        ] {
            if list.0.len() > MAX_TERMS {
                let d = self.at_key(
                    key,
                    format!("`{key}` lists {} names; a page may have at most {MAX_TERMS}", list.0.len()),
                )
                .with_hint("every name gets a page that lists this article with all its names, so the site would grow with the square of the list");
                self.problems.push(d);
            }
        }
    }

    fn title(&mut self, title: Option<String>) -> String {
        match title.map(|t| t.trim().to_owned()) {
            Some(t) if !t.is_empty() => t,
            _ => {
                let d = self
                    .at_key("title", "the page has no title".into())
                    .with_hint("add `title: 文章标题` to the front matter between `---` lines");
                self.problems.push(d);
                String::new()
            }
        }
    }

    fn slug(&mut self, slug: Option<&str>) {
        if let Some(slug) = slug
            && slugify(slug).is_empty()
        {
            self.report(
                "slug",
                format!("slug `{slug}` has no letters or digits to use in a URL"),
            );
        }
    }

    fn events(&mut self, raw: Vec<RawEvent>) -> Vec<Event> {
        let mut events = Vec::with_capacity(raw.len());
        for e in raw {
            match PartialDate::parse(&e.date.0) {
                Ok(date) if !e.title.trim().is_empty() => events.push(Event {
                    date,
                    title: e.title.trim().to_owned(),
                    detail: e.detail.filter(|d| !d.trim().is_empty()),
                }),
                Ok(_) => self.report("events", "an event has an empty `title`".into()),
                Err(message) => self.report("events", format!("event `{}`: {message}", e.title)),
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
                .at_key(
                    "series",
                    "the article names a `series` but not its `order`".into(),
                )
                .with_hint("add `order: 1` (its place in the study path, counting from 1)");
            self.problems.push(d);
        }
        if order == Some(0) {
            self.report("order", "`order` counts from 1".into());
        }
        if order.is_some() && series.is_none() {
            let d = self
                .at_key(
                    "order",
                    "`order` is the place in a study path, but the article names no `series`"
                        .into(),
                )
                .with_hint("add `series: 学习路线名称`, or remove `order`");
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
            let message = format!("source: {}", yaml::short_message(&e));
            vec![self.at_key("source", message)]
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
            self.report(key, url_policy::message("source url", url, &refused));
        }
    }

    /// A citation's date, reported at `key` (`source.date`, `source.1.date`), or at `source`
    /// when it is written inside `{ }`.
    fn source_date(&mut self, key: &str, date: &Scalar) -> Option<PartialDate> {
        PartialDate::parse(&date.0)
            .map_err(|message| {
                let key = if self.keys.contains(key) {
                    key
                } else {
                    "source"
                };
                self.report(key, format!("source date: {message}"));
            })
            .ok()
    }
}

pub(crate) fn parse_section(
    text: &str,
    split: &Split<'_>,
    path: &Path,
) -> Result<SectionMeta, Vec<Diagnostic>> {
    deserialize(text, split, path)
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
            Some(TopLevel::List) => Some("a list"),
            Some(TopLevel::Text) => Some("plain text"),
            Some(TopLevel::Number) => Some("a number"),
            Some(TopLevel::YesNo) => Some("a yes/no value"),
            Some(TopLevel::Mapping | TopLevel::Other) | None => None,
        };
        if let Some(found) = found {
            d.message = format!("the front matter is {found}, not `key: value` lines");
            d = d.with_hint("write it as lines like `title: 文章标题` between the `---` lines");
        }
        vec![d]
    })
}

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
        f.write_str("a string or a number")
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
                f.write_str("a string or a list of strings")
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
        let s = split(text).map_err(|m| vec![Diagnostic::error("a.md", m)])?;
        parse_page(text, &s, &key_spans(&s), Path::new("a.md"))
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
    fn a_page_has_at_most_a_hundred_tags() {
        let tags: Vec<String> = (0..=MAX_TERMS).map(|i| format!("t{i}")).collect();
        let errs = page(&format!(
            "---\ntitle: x\ntags: [{}]\n---\n",
            tags.join(", ")
        ))
        .expect_err("too many");
        assert_eq!(
            (errs[0].line, errs[0].message.as_str()),
            (3, "`tags` lists 101 names; a page may have at most 100")
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
