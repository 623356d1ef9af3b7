//! Template values for the knowledge base: what an article shows about its links, terms,
//! study path and events, and the glossary, timeline and study-path pages. Documented in the
//! README's "Template context" section.

use serde_json::{Value, json};

use super::context::{Input, date_text};
use crate::config::Language;
use crate::knowledge::paths;
use crate::site::{PageId, page_meta};
use crate::source::PartialDate;

/// Articles listed on a glossary entry page; a term used all over a large site would
/// otherwise make its entry page as long as the site (the count shows the rest).
const USED_BY_SHOWN: usize = 100;

fn page_link(input: &Input<'_>, id: PageId) -> Value {
    let page = &input.map.pages[id];
    let meta = page_meta(input.docs, page.doc);
    json!({
        "title": meta.title,
        "url": page.url.as_str(),
        "date_text": date_text(meta.date, input.config.language),
    })
}

fn partial_date_text(date: &PartialDate, language: Language) -> String {
    crate::date_text::date_text(date, language)
}

/// `page.backlinks`: the pages and sections that link here, with the sentence of each link.
pub(super) fn backlinks(input: &Input<'_>, id: PageId) -> Value {
    let list: Vec<Value> = input.connections.backlinks[id]
        .iter()
        .filter_map(|b| {
            let target = input.knowledge.target_of_doc(b.doc)?;
            Some(json!({
                "title": input.knowledge.title_of_doc(b.doc),
                "url": target.url(input.map).as_str(),
                "context": b.context,
            }))
        })
        .collect();
    Value::Array(list)
}

/// `page.related`
pub(super) fn related(input: &Input<'_>, id: PageId) -> Value {
    let list = input
        .connections
        .related
        .get(id)
        .map_or(&[][..], Vec::as_slice);
    Value::Array(list.iter().map(|&p| page_link(input, p)).collect())
}

/// `page.series`: the study path the page is on, its place and neighbours; null if none.
pub(super) fn series(input: &Input<'_>, id: PageId) -> Value {
    let Some((i, n)) = paths::position(&input.knowledge.paths, id) else {
        return Value::Null;
    };
    let path = &input.knowledge.paths[i];
    json!({
        "name": path.name,
        "url": path.url.as_str(),
        "summary": path.summary,
        "position": n + 1,
        "total": path.pages.len(),
        "prev": n.checked_sub(1).map(|k| page_link(input, path.pages[k])),
        "next": path.pages.get(n + 1).map(|&p| page_link(input, p)),
    })
}

/// `page.events`
pub(super) fn events(input: &Input<'_>, id: PageId) -> Value {
    let meta = page_meta(input.docs, input.map.pages[id].doc);
    let language = input.config.language;
    Value::Array(
        meta.events
            .iter()
            .map(|e| {
                json!({
                    "date": e.date.machine(),
                    "date_text": partial_date_text(&e.date, language),
                    "title": e.title,
                    "detail": e.detail,
                })
            })
            .collect(),
    )
}

/// `page.glossary`: for a glossary entry, its definition, other names, related terms and the
/// articles that use it; null for other pages.
pub(super) fn entry(input: &Input<'_>, id: PageId) -> Value {
    let glossary = &input.knowledge.glossary;
    let Some(e) = glossary.entry_of_page(id) else {
        return Value::Null;
    };
    let entry = &glossary.entries[e];
    json!({
        "term": entry.term,
        "definition": entry.definition,
        "synonyms": entry.synonyms,
        "reading": entry.reading,
        "related": entry.related.iter().map(|&r| term_value(input, r)).collect::<Vec<_>>(),
        "used_by": input.connections.term_uses[e].iter().take(USED_BY_SHOWN).map(|&p| page_link(input, p)).collect::<Vec<_>>(),
        "used_by_count": input.connections.term_uses[e].len(),
        "index_url": glossary.section.map(|s| input.map.sections[s].url.as_str()),
    })
}

fn term_value(input: &Input<'_>, e: usize) -> Value {
    let entry = &input.knowledge.glossary.entries[e];
    json!({
        "term": entry.term,
        "url": input.map.pages[entry.page].url.as_str(),
        "definition": entry.definition,
        "synonyms": entry.synonyms,
        "reading": entry.reading,
        "uses": input.connections.term_uses[e].len(),
    })
}

/// `glossary` on the glossary page: entries grouped under their pinyin initial.
pub(super) fn glossary(input: &Input<'_>) -> Value {
    let mut groups: Vec<(char, Vec<Value>)> = Vec::new();
    for (i, e) in input.knowledge.glossary.entries.iter().enumerate() {
        match groups.last_mut() {
            Some((letter, list)) if *letter == e.letter => list.push(term_value(input, i)),
            _ => groups.push((e.letter, vec![term_value(input, i)])),
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(letter, entries)| json!({ "letter": letter.to_string(), "entries": entries }))
        .collect();
    json!({ "groups": groups, "count": input.knowledge.glossary.entries.len() })
}

/// `timeline`: events by year, for all topics (`topic` null) or one.
pub(super) fn timeline(input: &Input<'_>, topic: Option<usize>) -> Value {
    let t = &input.knowledge.timeline;
    let language = input.config.language;
    let chosen: Vec<usize> = match topic {
        Some(k) => t.topics[k].events.clone(),
        None => (0..t.events.len()).collect(),
    };
    let mut years: Vec<(i32, Vec<Value>)> = Vec::new();
    for n in chosen {
        let (page, _) = t.events[n];
        let e = t.event(input.docs, input.map, n);
        let value = json!({
            "date": e.date.machine(),
            "date_text": partial_date_text(&e.date, language),
            "title": e.title,
            "detail": e.detail,
            "page": page_link(input, page),
        });
        match years.last_mut() {
            Some((y, list)) if *y == e.date.year => list.push(value),
            _ => years.push((e.date.year, vec![value])),
        }
    }
    let topics: Vec<Value> = t
        .topics
        .iter()
        .enumerate()
        .map(|(k, x)| json!({ "name": x.name, "url": x.url.as_str(), "count": x.events.len(), "current": Some(k) == topic }))
        .collect();
    json!({
        "topic": topic.map(|k| t.topics[k].name.clone()),
        "all_url": crate::knowledge::timeline::INDEX,
        "topics": topics,
        "years": years.into_iter().map(|(y, events)| json!({ "year": y, "events": events })).collect::<Vec<_>>(),
        "count": t.events.len(),
    })
}

/// One study path with its articles in order, as `path` on its page and in `paths`.
pub(super) fn study_path(input: &Input<'_>, i: usize) -> Value {
    let path = &input.knowledge.paths[i];
    let pages: Vec<Value> = path
        .pages
        .iter()
        .enumerate()
        .map(|(n, &p)| {
            let mut v = input_summary(input, p);
            v["position"] = (n + 1).into();
            v["questions"] = page_meta(input.docs, input.map.pages[p].doc)
                .questions
                .len()
                .into();
            v
        })
        .collect();
    json!({
        "name": path.name,
        "slug": path.slug,
        "url": path.url.as_str(),
        "summary": path.summary,
        "count": path.pages.len(),
        "pages": pages,
    })
}

fn input_summary(input: &Input<'_>, p: PageId) -> Value {
    super::context::page_summary(input, p)
}

/// `site.knowledge`: where the glossary, timeline and study paths are, null when absent.
pub(super) fn site_links(input: &Input<'_>) -> Value {
    let k = input.knowledge;
    json!({
        "glossary_url": k.glossary.section.filter(|_| !k.glossary.entries.is_empty()).map(|s| input.map.sections[s].url.as_str()),
        "timeline_url": (!k.timeline.events.is_empty()).then_some(crate::knowledge::timeline::INDEX),
        "paths_url": (!k.paths.is_empty()).then_some(paths::INDEX),
    })
}
