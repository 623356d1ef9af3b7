//! Template values for the knowledge base: what an article shows about its links, terms,
//! study path and events, and the glossary, timeline and study-path pages. Documented in
//! docs/template-context.md.

use serde::Serialize;

use super::context::{Input, PageSummary, date_text, page_summary};
use crate::date_text::date_text as spelled;
use crate::knowledge::paths;
use crate::site::{EntryId, EventId, PageId, PathId, TimelineTopicId};
use crate::source::Event;

/// Articles listed on a glossary entry page; a term used all over a large site would
/// otherwise make its entry page as long as the site (the count shows the rest).
const USED_BY_SHOWN: usize = 100;

/// `{title, url, date_text}`: a page named by another page.
#[derive(Serialize)]
pub(crate) struct DatedLink<'a> {
    title: &'a str,
    url: &'a str,
    date_text: Option<String>,
}

fn page_link<'a>(input: &Input<'a>, id: PageId) -> DatedLink<'a> {
    let page = &input.map.pages[id];
    let meta = page.meta();
    DatedLink {
        title: &meta.title,
        url: page.url.as_str(),
        date_text: date_text(meta.date, input.config.language),
    }
}

/// One entry of `page.backlinks`.
#[derive(Serialize)]
pub(crate) struct Backlink<'a> {
    title: &'a str,
    url: String,
    context: &'a str,
}

/// `page.backlinks`: the articles that link here, with the sentence of each link. Sections
/// and the home page are left out: the block is titled 链接到本页的文章 (articles linking
/// here), and a section's introduction linking its own articles says nothing about them.
pub(super) fn backlinks<'a>(input: &Input<'a>, id: PageId) -> Vec<Backlink<'a>> {
    input.connections.backlinks[id]
        .iter()
        .filter_map(|b| {
            let target = input.map.target_of_source(&input.docs[b.doc].file.rel)?;
            if !matches!(target, crate::site::Target::Page(_)) {
                return None;
            }
            Some(Backlink {
                title: input.knowledge.title_of_doc(b.doc),
                url: target.url(input.map).to_string(),
                context: &b.context,
            })
        })
        .collect()
}

/// `page.related`
pub(super) fn related<'a>(input: &Input<'a>, id: PageId) -> Vec<DatedLink<'a>> {
    let list = input
        .connections
        .related
        .get(id)
        .map_or(&[][..], Vec::as_slice);
    list.iter().map(|&p| page_link(input, p)).collect()
}

/// `page.series`: the study path the page is on, its place and neighbours.
#[derive(Serialize)]
pub(crate) struct Series<'a> {
    name: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    position: usize,
    total: usize,
    prev: Option<DatedLink<'a>>,
    next: Option<DatedLink<'a>>,
}

pub(super) fn series<'a>(input: &Input<'a>, id: PageId) -> Option<Series<'a>> {
    let (i, n) = paths::position(&input.knowledge.paths, id)?;
    let path = &input.knowledge.paths[i];
    Some(Series {
        name: &path.name,
        url: path.url.as_str(),
        summary: path.summary.as_deref(),
        position: n + 1,
        total: path.pages.len(),
        prev: n.checked_sub(1).map(|k| page_link(input, path.pages[k])),
        next: path.pages.get(n + 1).map(|&p| page_link(input, p)),
    })
}

/// One of `page.events`.
#[derive(Serialize)]
pub(crate) struct EventValue<'a> {
    date: String,
    date_text: String,
    title: &'a str,
    detail: Option<&'a str>,
}

fn event_value<'a>(input: &Input<'_>, e: &'a Event) -> EventValue<'a> {
    EventValue {
        date: e.date.machine(),
        date_text: spelled(&e.date, input.config.language),
        title: &e.title,
        detail: e.detail.as_deref(),
    }
}

/// `page.events`
pub(super) fn events<'a>(input: &Input<'a>, id: PageId) -> Vec<EventValue<'a>> {
    let meta = input.map.meta(id);
    meta.events.iter().map(|e| event_value(input, e)).collect()
}

/// `page.glossary`: a glossary entry's definition, other names, related terms and the
/// articles that use it.
#[derive(Serialize)]
pub(crate) struct EntryValue<'a> {
    term: &'a str,
    definition: &'a str,
    synonyms: &'a [String],
    reading: &'a str,
    related: Vec<TermValue<'a>>,
    used_by: Vec<DatedLink<'a>>,
    used_by_count: usize,
    index_url: Option<&'a str>,
}

/// `None` for pages that are not glossary entries.
pub(super) fn entry<'a>(input: &Input<'a>, id: PageId) -> Option<EntryValue<'a>> {
    let glossary = &input.knowledge.glossary;
    let e = glossary.entry_of_page(id)?;
    let entry = &glossary.entries[e];
    let uses = &input.connections.term_uses[e];
    Some(EntryValue {
        term: &entry.term,
        definition: &entry.definition,
        synonyms: &entry.synonyms,
        reading: &entry.reading,
        related: entry
            .related
            .iter()
            .map(|&r| term_value(input, r))
            .collect(),
        used_by: uses
            .iter()
            .take(USED_BY_SHOWN)
            .map(|&p| page_link(input, p))
            .collect(),
        used_by_count: uses.len(),
        index_url: glossary.section.map(|s| input.map.sections[s].url.as_str()),
    })
}

/// A glossary term as the glossary page and related terms show it.
#[derive(Serialize)]
pub(crate) struct TermValue<'a> {
    term: &'a str,
    url: &'a str,
    definition: &'a str,
    synonyms: &'a [String],
    reading: &'a str,
    /// The term in pinyin with tone marks, one syllable per character (`chǎn yè gōng rén`),
    /// for readers; `reading` stays for sorting.
    pinyin: String,
    uses: usize,
}

/// Tone-marked pinyin of the Han characters of `term`, one syllable each; other characters
/// (Latin letters, digits) are kept as written.
fn tone_marked(term: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::new();
    for c in term.chars() {
        match c.to_pinyin() {
            Some(p) => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(p.with_tone());
            }
            None if c.is_alphanumeric() => out.push(c),
            None => {}
        }
    }
    out
}

fn term_value<'a>(input: &Input<'a>, e: EntryId) -> TermValue<'a> {
    let entry = &input.knowledge.glossary.entries[e];
    TermValue {
        term: &entry.term,
        url: input.map.pages[entry.page].url.as_str(),
        definition: &entry.definition,
        synonyms: &entry.synonyms,
        reading: &entry.reading,
        pinyin: tone_marked(&entry.term),
        uses: input.connections.term_uses[e].len(),
    }
}

/// `glossary` on the glossary page: entries grouped under their pinyin initial.
#[derive(Serialize)]
pub(crate) struct GlossaryValue<'a> {
    groups: Vec<LetterGroup<'a>>,
    count: usize,
}

#[derive(Serialize)]
pub(crate) struct LetterGroup<'a> {
    letter: String,
    /// The group's heading id: `letter-A`, or `letter-digits` for the `#` group of terms
    /// that start with a digit or a symbol (`#` cannot stand in a URL fragment).
    id: String,
    entries: Vec<TermValue<'a>>,
}

fn letter_id(letter: &str) -> String {
    if letter.chars().all(|c| c.is_ascii_alphabetic()) {
        format!("letter-{letter}")
    } else {
        "letter-digits".to_owned()
    }
}

pub(super) fn glossary<'a>(input: &Input<'a>) -> GlossaryValue<'a> {
    let mut groups: Vec<LetterGroup<'a>> = Vec::new();
    for (i, e) in input.knowledge.glossary.entries.iter_enumerated() {
        let letter = e.letter.to_string();
        match groups.last_mut() {
            Some(group) if group.letter == letter => group.entries.push(term_value(input, i)),
            _ => groups.push(LetterGroup {
                id: letter_id(&letter),
                letter,
                entries: vec![term_value(input, i)],
            }),
        }
    }
    GlossaryValue {
        groups,
        count: input.knowledge.glossary.entries.len(),
    }
}

/// `timeline`: events by year, for all topics (`topic` null) or one.
#[derive(Serialize)]
pub(crate) struct TimelineValue<'a> {
    topic: Option<&'a str>,
    all_url: &'static str,
    topics: Vec<TimelineTopic<'a>>,
    years: Vec<Year<'a>>,
    count: usize,
}

#[derive(Serialize)]
pub(crate) struct TimelineTopic<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
pub(crate) struct Year<'a> {
    year: i32,
    events: Vec<TimelineEvent<'a>>,
}

/// An event on the timeline: the event and the page it is from.
#[derive(Serialize)]
pub(crate) struct TimelineEvent<'a> {
    #[serde(flatten)]
    event: EventValue<'a>,
    page: DatedLink<'a>,
}

pub(super) fn timeline<'a>(input: &Input<'a>, topic: Option<TimelineTopicId>) -> TimelineValue<'a> {
    let t = &input.knowledge.timeline;
    let chosen: Vec<EventId> = match topic {
        Some(k) => t.topics[k].events.clone(),
        None => t.events.keys().collect(),
    };
    let mut years: Vec<Year<'a>> = Vec::new();
    for n in chosen {
        let e = t.event(input.map, n);
        let value = TimelineEvent {
            event: event_value(input, e),
            page: page_link(input, t.events[n].page),
        };
        match years.last_mut() {
            Some(y) if y.year == e.date.year => y.events.push(value),
            _ => years.push(Year {
                year: e.date.year,
                events: vec![value],
            }),
        }
    }
    TimelineValue {
        topic: topic.map(|k| t.topics[k].name.as_str()),
        all_url: crate::knowledge::timeline::INDEX,
        topics: t
            .topics
            .iter_enumerated()
            .map(|(k, x)| TimelineTopic {
                name: &x.name,
                url: x.url.as_str(),
                count: x.events.len(),
                current: Some(k) == topic,
            })
            .collect(),
        years,
        count: t.events.len(),
    }
}

/// One study path with its articles in order, as `path` on its page and in `paths`.
#[derive(Serialize)]
pub(crate) struct StudyPathValue<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    count: usize,
    pages: Vec<PathPage>,
}

/// A page summary with its place on the path and how many questions it asks.
#[derive(Serialize)]
pub(crate) struct PathPage {
    #[serde(flatten)]
    summary: PageSummary,
    position: usize,
    questions: usize,
}

pub(super) fn study_path<'a>(input: &Input<'a>, i: PathId) -> StudyPathValue<'a> {
    let path = &input.knowledge.paths[i];
    let pages = path
        .pages
        .iter()
        .enumerate()
        .map(|(n, &p)| PathPage {
            summary: page_summary(input, p),
            position: n + 1,
            questions: input.map.meta(p).questions.len(),
        })
        .collect();
    StudyPathValue {
        name: &path.name,
        slug: &path.slug,
        url: path.url.as_str(),
        summary: path.summary.as_deref(),
        count: path.pages.len(),
        pages,
    }
}

/// `site.knowledge`: where the glossary, timeline and study paths are, null when absent.
#[derive(Serialize)]
pub(crate) struct SiteLinks<'a> {
    glossary_url: Option<&'a str>,
    timeline_url: Option<&'static str>,
    paths_url: Option<&'static str>,
}

pub(super) fn site_links<'a>(input: &Input<'a>) -> SiteLinks<'a> {
    let k = input.knowledge;
    SiteLinks {
        glossary_url: k
            .glossary
            .section
            .filter(|_| !k.glossary.entries.is_empty())
            .map(|s| input.map.sections[s].url.as_str()),
        timeline_url: (!k.timeline.events.is_empty()).then_some(crate::knowledge::timeline::INDEX),
        paths_url: (!k.paths.is_empty()).then_some(paths::INDEX),
    }
}

#[cfg(test)]
mod pinyin_tests {
    use super::tone_marked;

    #[test]
    fn terms_read_with_tone_marks() {
        assert_eq!(tone_marked("产业工人"), "chǎn yè gōng rén");
        assert_eq!(tone_marked("12351热线"), "12351 rè xiàn");
    }
}
