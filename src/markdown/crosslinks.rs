//! Links the renderer makes from the knowledge base: wikilink targets resolved by title,
//! synonym, slug or path (with the heading anchor normalised the way heading ids are), glossary
//! terms linked on first use with their definition as a CSS-only tooltip, and the record of
//! every link to another page that backlinks, related articles and anchor checks read later.

use std::ops::Range;

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event};

use super::{LinkKind, OutLink, State, TERM_CLOSE, TERM_OPEN, escape, slice, text};
use crate::diagnostic::Diagnostic;
use crate::knowledge::{Resolution, Target};

impl<'a> State<'a, '_> {
    /// Text with the first use of each glossary term made a link to its entry, with the
    /// short definition in a tooltip that CSS shows on hover and on keyboard focus.
    /// A term inside a cited title (《…》, which may span several text events) is left as
    /// written: it is part of the book's name, not a use of the term.
    pub(super) fn link_terms(&mut self, t: CowStr<'a>, out: &mut Vec<Event<'a>>) {
        let glossary = &self.env.knowledge.glossary;
        let titles = book_titles(&t, &mut self.book_depth);
        let mut done = 0;
        for (range, entry) in glossary.find(&t) {
            if Some(entry) == self.self_entry
                || self.terms.contains(&entry)
                || titles.iter().any(|b| b.contains(&range.start))
            {
                continue;
            }
            self.terms.push(entry);
            let e = &glossary.entries[entry];
            let href = self.here.link_to(&self.env.map.pages[e.page].url);
            let n = self.terms.len();
            if range.start > done {
                out.push(Event::Text(slice(&t, done..range.start)));
            }
            out.push(Event::InlineHtml(
                format!(
                    "{TERM_OPEN}<a class=\"gd-term__link\" href=\"{}\" aria-describedby=\"gd-term-{n}\">",
                    escape(&href)
                )
                .into(),
            ));
            out.push(Event::Text(slice(&t, range.clone())));
            out.push(Event::InlineHtml(
                format!(
                    "{TERM_CLOSE} role=\"tooltip\" id=\"gd-term-{n}\"><span class=\"gd-term__name\">{}</span>{}{TIP_END}",
                    escape(&e.term),
                    escape(&e.definition)
                )
                .into(),
            ));
            done = range.end;
        }
        if done == 0 {
            out.push(Event::Text(t));
        } else if done < t.len() {
            out.push(Event::Text(slice(&t, done..t.len())));
        }
    }

    /// The relative URL of a wikilink's target, or the name as written when it is missing or
    /// ambiguous (which is reported).
    pub(super) fn wikilink(&mut self, dest: &str, piped: bool, range: &Range<usize>) -> String {
        let knowledge = self.env.knowledge;
        let map = self.env.map;
        let (name, written_fragment) = match dest.split_once('#') {
            Some((n, f)) => (n.trim(), Some(f.trim()).filter(|f| !f.is_empty())),
            None => (dest.trim(), None),
        };
        let fragment = written_fragment
            .map(text::anchor_of)
            .filter(|f| !f.is_empty());
        let resolution = if name.is_empty() {
            match self.this {
                Some(t) => Resolution::Found(t),
                None => Resolution::Missing,
            }
        } else {
            knowledge.targets.resolve(name)
        };
        let target = match resolution {
            Resolution::Found(t) => t,
            Resolution::Missing => {
                let d = Diagnostic::error(
                    &self.doc.shown,
                    format!("wikilink `[[{dest}]]` matches no page title, synonym, slug or path"),
                )
                .with_hint("write a page's title exactly, or its path under content/ without .md");
                self.report(d, range.start);
                return dest.to_owned();
            }
            Resolution::Ambiguous(kind, candidates) => {
                let mut shown: Vec<String> = candidates
                    .iter()
                    .filter_map(|c| c.doc(map))
                    .map(|d| self.env_doc_shown(d))
                    .collect();
                shown.sort();
                let d = Diagnostic::error(
                    &self.doc.shown,
                    format!(
                        "wikilink `[[{dest}]]` is ambiguous: {} pages have this {kind}: {}",
                        candidates.len(),
                        shown.join(", ")
                    ),
                )
                .with_hint("write the page's path under content/ instead, without .md");
                self.report(d, range.start);
                return dest.to_owned();
            }
        };
        if !piped {
            let title = target
                .doc(map)
                .map(|d| knowledge.title_of_doc(d).to_owned())
                .unwrap_or_else(|| name.to_owned());
            self.wiki_title = Some(match written_fragment {
                Some(f) => format!("{title} › {f}"),
                None => title,
            });
        }
        self.record_link(
            target,
            LinkKind::Wiki,
            fragment.clone(),
            range.start,
            format!("[[{dest}]]"),
        );
        let mut href = if Some(target) == self.this && fragment.is_some() {
            String::new()
        } else {
            self.here.link_to(target.url(map))
        };
        if let Some(f) = fragment {
            href.push('#');
            href.push_str(&f);
        }
        href
    }

    fn env_doc_shown(&self, doc: crate::site::DocId) -> String {
        self.env.knowledge.shown_of_doc(doc)
    }

    pub(super) fn record_link(
        &mut self,
        target: Target,
        kind: LinkKind,
        fragment: Option<String>,
        at: usize,
        written: String,
    ) {
        self.pending_links.push((
            OutLink {
                target,
                kind,
                fragment,
                at,
                written,
                context: String::new(),
            },
            self.text.len(),
        ));
    }
}

/// Text that is read outside this renderer's control (feeds, other sites' readers):
/// the automatic term links and their tooltips taken out, the term's own words kept.
/// The markup is ours (`TERM_OPEN` … `TERM_CLOSE` with escaped text between), so it is
/// found exactly; raw HTML of an author's cannot carry it, as the sanitiser drops classes.
pub(crate) fn without_term_markup(html: &str) -> Cow<'_, str> {
    if !html.contains(TERM_OPEN) {
        return Cow::Borrowed(html);
    }
    let mut plain = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find(TERM_OPEN) {
        plain.push_str(&rest[..open]);
        let after_open = &rest[open + TERM_OPEN.len()..];
        // The `<a …>` start tag: its attribute values are escaped, so `>` ends it.
        let Some(tag_end) = after_open.find('>') else {
            break;
        };
        let inner = &after_open[tag_end + 1..];
        let Some(close) = inner.find(TERM_CLOSE) else {
            break;
        };
        plain.push_str(&inner[..close]);
        let tip = &inner[close..];
        let Some(tip_end) = tip.find(TIP_END) else {
            break;
        };
        rest = &tip[tip_end + TIP_END.len()..];
    }
    plain.push_str(rest);
    Cow::Owned(plain)
}

/// How the tooltip after a term link ends (the tip's span, then the term's wrapper).
const TIP_END: &str = "</span></span>";

/// The byte ranges of `text` inside 《…》, given how many titles were open before it; the
/// count after it is left in `depth` for the next text event of the same block.
fn book_titles(text: &str, depth: &mut usize) -> Vec<Range<usize>> {
    let mut inside = Vec::new();
    let mut start = (*depth > 0).then_some(0);
    for (i, c) in text.char_indices() {
        match c {
            '《' => {
                *depth += 1;
                start.get_or_insert(i);
            }
            '》' if *depth > 0 => {
                *depth -= 1;
                if *depth == 0 {
                    inside.extend(start.take().map(|s| s..i));
                }
            }
            _ => {}
        }
    }
    inside.extend(start.map(|s| s..text.len()));
    inside
}

#[cfg(test)]
mod book_title_tests {
    use super::book_titles;

    #[test]
    fn ranges_cover_nested_and_continued_titles() {
        let mut depth = 0;
        let t = "读《工会法》和《论〈劳动〉";
        let r = book_titles(t, &mut depth);
        assert_eq!(r.len(), 2);
        assert_eq!(&t[r[0].clone()], "《工会法");
        assert!(t[r[1].clone()].starts_with("《论"));
        assert_eq!(depth, 1, "the second title is still open");
        let r = book_titles("精神》之后", &mut depth);
        assert_eq!(r, vec![0.."精神".len()]);
        assert_eq!(depth, 0);
    }
}
