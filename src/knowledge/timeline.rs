//! The timeline (大事记): every event the articles declare, in date order, grouped by year,
//! and the topics of the articles they come from (for the per-topic timelines).

use std::collections::BTreeMap;

use crate::site::{PageId, SiteMap, SitePath, slugify};
use crate::source::Event;

pub(crate) const INDEX: &str = "timeline/index.html";

#[derive(Debug, Clone)]
pub struct Timeline {
    /// (page, index of the event in its front matter), oldest first.
    pub events: Vec<(PageId, usize)>,
    /// Topics with events: name, timeline page, indexes into `events`.
    pub topics: Vec<TimelineTopic>,
}

#[derive(Debug, Clone)]
pub struct TimelineTopic {
    pub name: String,
    pub url: SitePath,
    pub events: Vec<usize>,
}

impl Timeline {
    pub fn new(docs: &crate::site::Docs, map: &SiteMap) -> Timeline {
        let mut events: Vec<(PageId, usize)> = Vec::new();
        for (id, page) in map.pages.iter_enumerated() {
            let n = page.meta(docs).events.len();
            events.extend((0..n).map(|i| (id, i)));
        }
        let event = |&(p, i): &(PageId, usize)| -> &Event { &map.meta(docs, p).events[i] };
        events.sort_by(|a, b| {
            let (ea, eb) = (event(a), event(b));
            (ea.date, &ea.title, a).cmp(&(eb.date, &eb.title, b))
        });
        let mut topics: BTreeMap<String, TimelineTopic> = BTreeMap::new();
        for (n, &(p, _)) in events.iter().enumerate() {
            for name in &map.meta(docs, p).topics {
                let slug = slugify(name);
                if slug.is_empty() {
                    continue;
                }
                let t = topics.entry(slug.clone()).or_insert_with(|| TimelineTopic {
                    name: name.clone(),
                    url: SitePath::new(format!("timeline/{slug}/index.html")),
                    events: Vec::new(),
                });
                if t.events.last() != Some(&n) {
                    t.events.push(n);
                }
            }
        }
        Timeline {
            events,
            topics: topics.into_values().collect(),
        }
    }

    pub fn event<'d>(&self, docs: &'d crate::site::Docs, map: &SiteMap, n: usize) -> &'d Event {
        let (p, i) = self.events[n];
        &map.meta(docs, p).events[i]
    }
}
