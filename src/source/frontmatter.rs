//! Front matter: the YAML block between `---` lines at the top of a Markdown file.
//! This module splits it from the body and turns it into checked metadata; YAML stays here
//! (and in `config`). Field names are documented in the README and the editors' guide.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::date::{Date, PartialDate};
use crate::config::{self, yaml};
use crate::diagnostic::Diagnostic;

/// A file's text cut into its front matter and body, with the positions needed to report
/// errors against the whole file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML text, without the `---` fences; `None` when the file has no front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the file on which the YAML text starts.
    pub yaml_first_line: usize,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

pub fn split(text: &str) -> Result<Split<'_>, String> {
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
pub const MAX_TERMS: usize = 100;

/// A page's metadata after checking.
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    pub title: String,
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

/// Where an article's facts come from; rendered as a citation.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: Option<String>,
    pub publication: Option<String>,
    pub date: Option<Scalar>,
    pub page: Option<Scalar>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub affiliation: Option<String>,
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
    source: Option<OneOrMany<Source>>,
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
}

pub fn parse_page(text: &str, split: &Split<'_>, path: &Path) -> Result<PageMeta, Vec<Diagnostic>> {
    let raw: RawPageMeta = deserialize(text, split, path)?;
    let mut problems = Vec::new();
    let yaml = split.yaml.unwrap_or("");
    let at_key = |key: &str, message: String| {
        let (line, column) = config::value_position(yaml, key);
        let line = if split.yaml.is_some() {
            line + split.yaml_first_line - 1
        } else {
            1
        };
        Diagnostic::error(path, message).at_in(text, line, column)
    };
    let mut parse_date = |key: &str, value: Option<Scalar>| -> Option<Date> {
        let value = value?;
        Date::parse(&value.0)
            .map_err(|message| problems.push(at_key(key, message)))
            .ok()
    };
    let date = parse_date("date", raw.date);
    let updated = parse_date("updated", raw.updated);
    for (key, list) in [
        ("authors", &raw.authors),
        ("topics", &raw.topics),
        ("tags", &raw.tags),
    ] {
        if list.0.len() > MAX_TERMS {
            problems.push(
                at_key(
                    key,
                    format!("`{key}` lists {} names; a page may have at most {MAX_TERMS}", list.0.len()),
                )
                .with_hint("every name gets a page that lists this article with all its names, so the site would grow with the square of the list"),
            );
        }
    }
    let title = match raw.title.map(|t| t.trim().to_owned()) {
        Some(t) if !t.is_empty() => t,
        _ => {
            problems.push(
                at_key("title", "the page has no title".into())
                    .with_hint("add `title: 文章标题` to the front matter between `---` lines"),
            );
            String::new()
        }
    };
    if let Some(slug) = &raw.slug
        && crate::slug::slugify(slug).is_empty()
    {
        problems.push(at_key(
            "slug",
            format!("slug `{slug}` has no letters or digits to use in a URL"),
        ));
    }
    let mut events = Vec::with_capacity(raw.events.len());
    for e in raw.events {
        match PartialDate::parse(&e.date.0) {
            Ok(date) if !e.title.trim().is_empty() => events.push(Event {
                date,
                title: e.title.trim().to_owned(),
                detail: e.detail.filter(|d| !d.trim().is_empty()),
            }),
            Ok(_) => problems.push(at_key("events", "an event has an empty `title`".into())),
            Err(message) => {
                problems.push(at_key("events", format!("event `{}`: {message}", e.title)))
            }
        }
    }
    let series = raw
        .series
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if series.is_some() && raw.order.is_none() {
        problems.push(
            at_key(
                "series",
                "the article names a `series` but not its `order`".into(),
            )
            .with_hint("add `order: 1` (its place in the study path, counting from 1)"),
        );
    }
    if raw.order == Some(0) {
        problems.push(at_key("order", "`order` counts from 1".into()));
    }
    if raw.order.is_some() && series.is_none() {
        problems.push(
            at_key(
                "order",
                "`order` is the place in a study path, but the article names no `series`".into(),
            )
            .with_hint("add `series: 学习路线名称`, or remove `order`"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(PageMeta {
        title,
        date,
        updated,
        authors: raw.authors.0,
        affiliation: raw.affiliation,
        topics: raw.topics.0,
        tags: raw.tags.0,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        sources: raw.source.map(|s| s.0).unwrap_or_default(),
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
    })
}

pub fn parse_section(
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
        if let Some(found) = d
            .message
            .strip_prefix("invalid type: ")
            .and_then(|m| m.split_once(", expected struct "))
            .map(|(found, _)| found.to_owned())
        {
            let found = match found.split(' ').next() {
                Some("sequence") => "a list",
                Some("string") => "plain text",
                Some("integer" | "floating") => "a number",
                Some("boolean") => "a yes/no value",
                _ => found.as_str(),
            };
            d.message = format!("the front matter is {found}, not `key: value` lines");
            d.hint =
                Some("write it as lines like `title: 文章标题` between the `---` lines".into());
        } else if let Some(rest) = d.message.strip_prefix(SOURCE_ERROR) {
            // `source` is read through an untyped value, which loses the position.
            let (line, column) = config::value_position(yaml, "source");
            let message = format!("source: {rest}").replace(
                "expected struct Source",
                "expected fields such as `title:` and `publication:`",
            );
            d = Diagnostic::error(path, message).at_in(
                text,
                line + split.yaml_first_line - 1,
                column,
            );
        }
        vec![d]
    })
}

/// Marks errors from inside `source:`, which come without a position.
const SOURCE_ERROR: &str = "in `source`: ";

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
pub struct StringList(pub Vec<String>);

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

/// One mapping or a list of them.
struct OneOrMany<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape<T> {
            Many(Vec<T>),
            One(T),
        }
        // Untagged errors are vague; try the common single-mapping form first so its
        // field errors (unknown key, wrong type) come through with their position.
        let value = serde_yaml::Value::deserialize(d)?;
        let error = |e: serde_yaml::Error| de::Error::custom(format!("{SOURCE_ERROR}{e}"));
        if value.is_sequence() {
            match Shape::<T>::deserialize(value).map_err(error)? {
                Shape::Many(v) => Ok(OneOrMany(v)),
                Shape::One(v) => Ok(OneOrMany(vec![v])),
            }
        } else {
            T::deserialize(value)
                .map(|v| OneOrMany(vec![v]))
                .map_err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<PageMeta, Vec<Diagnostic>> {
        let s = split(text).map_err(|m| vec![Diagnostic::error("a.md", m)])?;
        parse_page(text, &s, Path::new("a.md"))
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
    fn missing_title_is_reported() {
        let errs = page("---\ndate: 2024-01-01\n---\n").expect_err("title");
        assert!(errs[0].message.contains("no title"));
    }
}
