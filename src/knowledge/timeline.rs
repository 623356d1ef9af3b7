//! The timeline (大事记): every event the articles declare, in date order, grouped by year,
//! and the topics of the articles they come from (for the per-topic timelines).

use std::collections::BTreeMap;

use crate::site::{EventId, PageId, SiteMap, SitePath, TiVec, TimelineTopicId, slugify};
use crate::source::Event;

pub(crate) const INDEX: &str = "timeline/index.html";

#[derive(Debug, Clone)]
pub struct Timeline {
    /// Every event, oldest first.
    pub events: TiVec<EventId, EventAt>,
    /// Topics with events, by slug.
    pub topics: TiVec<TimelineTopicId, TimelineTopic>,
}

/// Where an event is declared: the page, and its place in the page's `events:` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventAt {
    pub page: PageId,
    pub nth: usize,
}

#[derive(Debug, Clone)]
pub struct TimelineTopic {
    pub name: String,
    pub url: SitePath,
    pub events: Vec<EventId>,
}

impl Timeline {
    pub fn new(map: &SiteMap) -> Timeline {
        let mut events: Vec<EventAt> = Vec::new();
        for (page, p) in map.pages.iter_enumerated() {
            let n = p.meta().events.len();
            events.extend((0..n).map(|nth| EventAt { page, nth }));
        }
        let event = |at: &EventAt| -> &Event { at.event(map) };
        events.sort_by(|a, b| {
            let (ea, eb) = (event(a), event(b));
            (ea.date, &ea.title, a).cmp(&(eb.date, &eb.title, b))
        });
        let events: TiVec<EventId, EventAt> = events.into();
        let mut topics: BTreeMap<String, TimelineTopic> = BTreeMap::new();
        for (id, at) in events.iter_enumerated() {
            for name in &map.meta(at.page).topics {
                let slug = slugify(name);
                if slug.is_empty() {
                    continue;
                }
                let t = topics.entry(slug.clone()).or_insert_with(|| TimelineTopic {
                    name: name.clone(),
                    url: SitePath::new(format!("timeline/{slug}/index.html")),
                    events: Vec::new(),
                });
                if t.events.last() != Some(&id) {
                    t.events.push(id);
                }
            }
        }
        Timeline {
            events,
            topics: topics.into_values().collect(),
        }
    }

    pub fn event<'m>(&self, map: &'m SiteMap, id: EventId) -> &'m Event {
        self.events[id].event(map)
    }
}

impl EventAt {
    pub fn event(self, map: &SiteMap) -> &Event {
        &map.meta(self.page).events[self.nth]
    }
}
