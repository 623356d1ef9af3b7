//! The glossary (术语表): one entry per page in the glossary folder, with its term, synonyms,
//! short definition and related terms; a sort key in pinyin; and one Aho-Corasick automaton
//! over every term and synonym that finds, in a single pass over an article's text, where each
//! term is used (leftmost-longest, so 新质生产力理论 wins over 新质生产力).

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use pinyin::ToPinyin;

use super::targets::name_key;
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::{EntryId, PageId, SectionId, SiteMap, TiSlice, TiVec};
use crate::source::DocState;

#[derive(Debug, Clone)]
pub struct Entry {
    pub page: PageId,
    pub term: String,
    pub synonyms: Vec<String>,
    pub definition: String,
    /// Lowercase pinyin without tones, syllables separated by spaces (`xin zhi sheng chan li`).
    pub reading: String,
    /// The letter the entry is listed under on the glossary page: `A`–`Z`, or `#`.
    pub letter: char,
    pub related: Vec<EntryId>,
}

#[derive(Default, Clone)]
pub struct Glossary {
    /// The glossary's own section, when the site has one.
    pub section: Option<SectionId>,
    /// In pinyin order.
    pub entries: TiVec<EntryId, Entry>,
    entry_of_page: HashMap<PageId, EntryId>,
    matcher: Option<AhoCorasick>,
    /// Pattern number → entry.
    pattern_entry: Vec<EntryId>,
}

impl Glossary {
    pub fn new(
        config: &SiteConfig,
        docs: &crate::site::Docs,
        map: &SiteMap,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Glossary {
        let dir = config.glossary.as_str();
        let section = map.sections.position(|s| !dir.is_empty() && s.dir == dir);
        let Some(section) = section else {
            return Glossary::default();
        };
        let prefix = format!("{dir}/");
        let mut entries = Vec::new();
        for (id, page) in map.pages.iter_enumerated() {
            let doc = &docs[page.doc];
            if !doc.file.rel.starts_with(&prefix) || doc.state == DocState::StandIn {
                continue;
            }
            let meta = page.meta();
            let Some(definition) = meta.definition.clone() else {
                let (line, col) = doc.keys.key("title").into();
                diagnostics.push(
                    Diagnostic::new(Code::GlossaryNoDefinition, &doc.shown, crate::args!())
                        .at_in(&doc.text, line, col)
                        .hint(&DEFINITION_HINT, crate::args!()),
                );
                continue;
            };
            let reading = match &meta.pinyin {
                Some(p) => p.trim().to_lowercase(),
                None => reading(&meta.title),
            };
            let letter = reading
                .chars()
                .next()
                .filter(char::is_ascii_alphabetic)
                .map_or('#', |c| c.to_ascii_uppercase());
            entries.push(Entry {
                page: id,
                term: meta.title.clone(),
                synonyms: meta.synonyms.clone(),
                definition,
                reading,
                letter,
                related: Vec::new(),
            });
        }
        entries.sort_by(|a, b| {
            (a.letter == '#', &a.reading, &a.term).cmp(&(b.letter == '#', &b.reading, &b.term))
        });
        let mut entries: TiVec<EntryId, Entry> = entries.into();
        let entry_of_page: HashMap<PageId, EntryId> = entries
            .iter_enumerated()
            .map(|(i, e)| (e.page, i))
            .collect();
        link_related(&mut entries, docs, map, diagnostics);
        let (matcher, pattern_entry) = build_matcher(&entries, docs, map, diagnostics);
        Glossary {
            section: Some(section),
            entries,
            entry_of_page,
            matcher,
            pattern_entry,
        }
    }

    pub fn entry_of_page(&self, page: PageId) -> Option<EntryId> {
        self.entry_of_page.get(&page).copied()
    }

    /// Every use of a term or synonym in `text`, leftmost-longest, as (byte range, entry).
    /// A term written in Latin letters must stand as a whole word.
    pub fn find<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (Range<usize>, EntryId)> + 't {
        self.matcher
            .iter()
            .flat_map(move |m| m.find_iter(text))
            .filter(move |m| whole_word(text, m.range()))
            .map(|m| (m.range(), self.pattern_entry[m.pattern().as_usize()]))
    }
}

/// The reading of a term for sorting: each Han character's most common pinyin, other
/// characters as they are (ASCII lowercased).
pub(crate) fn reading(term: &str) -> String {
    let mut out = String::with_capacity(term.len() * 2);
    for c in term.chars() {
        match c.to_pinyin() {
            Some(p) => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(p.plain());
                out.push(' ');
            }
            None if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            None => out.push(c.to_ascii_lowercase()),
        }
    }
    out.trim().to_owned()
}

fn whole_word(text: &str, range: Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric();
    let joined_before = word(bytes[range.start]) && range.start > 0 && word(bytes[range.start - 1]);
    let joined_after =
        word(bytes[range.end - 1]) && range.end < bytes.len() && word(bytes[range.end]);
    !(joined_before || joined_after)
}

fn link_related(
    entries: &mut TiSlice<EntryId, Entry>,
    docs: &crate::site::Docs,
    map: &SiteMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut by_name: HashMap<String, EntryId> = HashMap::default();
    for (i, e) in entries.iter_enumerated() {
        by_name.insert(name_key(&e.term), i);
        let slug = map.pages[e.page].url.dir().rsplit('/').next().unwrap_or("");
        by_name.entry(name_key(slug)).or_insert(i);
    }
    let mut related: TiVec<EntryId, Vec<EntryId>> = entries.iter().map(|_| Vec::new()).collect();
    for (i, entry) in entries.iter_enumerated() {
        let page = &map.pages[entry.page];
        let doc = &docs[page.doc];
        for name in &page.meta().related {
            match by_name.get(&name_key(name)) {
                Some(&j) if j != i => {
                    if !related[i].contains(&j) {
                        related[i].push(j);
                    }
                }
                Some(_) => {}
                None => {
                    let (line, col) = doc.keys.key("related").into();
                    diagnostics.push(
                        Diagnostic::new(
                            Code::RelatedMissing,
                            &doc.shown,
                            crate::args!(name = name),
                        )
                        .at_in(&doc.text, line, col)
                        .hint(&RELATED_HINT, crate::args!()),
                    );
                }
            }
        }
    }
    for (entry, list) in entries.iter_mut().zip(related) {
        entry.related = list;
    }
}

fn build_matcher(
    entries: &TiSlice<EntryId, Entry>,
    docs: &crate::site::Docs,
    map: &SiteMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<AhoCorasick>, Vec<EntryId>) {
    let mut patterns: Vec<&str> = Vec::new();
    let mut pattern_entry = Vec::new();
    let mut owner: HashMap<&str, EntryId> = HashMap::default();
    for (i, e) in entries.iter_enumerated() {
        for name in std::iter::once(&e.term).chain(&e.synonyms) {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            match owner.get(name) {
                Some(&j) if j != i => {
                    let doc = &docs[map.pages[e.page].doc];
                    let other = &docs[map.pages[entries[j].page].doc];
                    let key = if name == e.term { "title" } else { "synonyms" };
                    let (line, col) = doc.keys.key(key).into();
                    diagnostics.push(
                        Diagnostic::new(
                            Code::GlossaryNameTaken,
                            &doc.shown,
                            crate::args!(name = name, other = super::content_path(other)),
                        )
                        .at_in(&doc.text, line, col)
                        .hint(&ONE_ENTRY_HINT, crate::args!()),
                    );
                }
                Some(_) => {}
                None => {
                    owner.insert(name, i);
                    patterns.push(name);
                    pattern_entry.push(i);
                }
            }
        }
    }
    if patterns.is_empty() {
        return (None, pattern_entry);
    }
    let matcher = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("a few thousand plain terms always build an automaton");
    (Some(matcher), pattern_entry)
}

static DEFINITION_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "add `definition: 一两句话的简短定义` (shown when a reader points at the term)",
    zh: "加上 `definition: 一两句话的简短定义`（读者指向术语时显示）",
};
static RELATED_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "name another entry by its title or slug",
    zh: "请写另一个条目的标题或 slug",
};
static ONE_ENTRY_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "a term or synonym may belong to one entry only",
    zh: "一个术语或同义词只能属于一个条目",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_toneless_pinyin_syllables() {
        assert_eq!(reading("新质生产力"), "xin zhi sheng chan li");
        assert_eq!(reading("ESG 报告"), "esg bao gao");
    }

    #[test]
    fn latin_terms_match_whole_words_only() {
        assert!(whole_word("an ESG report", 3..6));
        assert!(!whole_word("ESGX", 0..3));
        assert!(whole_word("新质生产力理论", 0..15));
    }
}
