//! Links the renderer makes from the knowledge base: wikilink targets resolved by title,
//! synonym, slug or path (with the heading anchor normalised the way heading ids are), glossary
//! terms linked on first use with their definition as a CSS-only tooltip, and the record of
//! every link to another page that backlinks, related articles and anchor checks read later.

use std::ops::Range;

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event};

use super::{
    LinkKind, OutLink, State, TERM_CLOSE, TERM_FOLDED_CLOSE, TERM_OPEN, escape, slice, text,
};
use crate::args;
use crate::diagnostic::{Code, Diagnostic, Words, words};
use crate::knowledge::{Resolution, Target};

/// Characters of a page's title that a wikilink without its own text shows. A link of five
/// bytes (`[[x]]`) may name a title of 200 characters, and a page may hold thousands of
/// links: the shown title is cut so that each link costs a bounded multiple of its bytes.
pub(crate) const WIKILINK_TITLE_CHARS: usize = 40;

/// Glossary terms per page shown with their definition, and the characters of a definition
/// a tooltip shows (the glossary page shows it whole). Each tooltip is copied into the page,
/// so a page of one-character terms could otherwise grow by hundreds of times its own size.
pub(crate) const MAX_TERM_TIPS: usize = 50;
pub(crate) const TIP_CHARS: usize = 120;

static TIPS_HINT: Words = Words {
    en: "each definition shown on hover is copied into the page, so a page shows at most this many",
    zh: "悬停显示的每条定义都会复制到页面中，所以一页最多显示这么多",
};

fn shortened(title: &str) -> String {
    cut(title, WIKILINK_TITLE_CHARS).into_owned()
}

/// The first `chars` characters of `text`, with `…` when there were more.
fn cut(text: &str, chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

impl<'a> State<'a, '_> {
    /// Text with the first use of each glossary term made a link to its entry, with the
    /// short definition in a tooltip that CSS shows on hover and on keyboard focus.
    /// A term inside a cited title (《…》, which may span several text events) is left as
    /// written: it is part of the book's name, not a use of the term.
    /// After [`MAX_TERM_TIPS`] terms, the rest of a page's terms link to their entries
    /// without their definition, and the page gets a warning saying so.
    pub(super) fn link_terms(&mut self, t: CowStr<'a>, at: Range<usize>, out: &mut Vec<Event<'a>>) {
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
            if n > MAX_TERM_TIPS {
                if n == MAX_TERM_TIPS + 1 {
                    let d = Diagnostic::new(
                        Code::TooManyTips,
                        &self.doc.shown,
                        args!(max = MAX_TERM_TIPS, term = e.term.as_str()),
                    )
                    .hint(&TIPS_HINT, args!());
                    self.report(d, (at.start + range.start).min(at.end));
                }
                out.push(Event::InlineHtml(
                    format!(
                        "{TERM_OPEN}<a class=\"gd-term__link\" href=\"{}\">",
                        escape(&href)
                    )
                    .into(),
                ));
                out.push(Event::Text(slice(&t, range.clone())));
                out.push(Event::InlineHtml(TERM_FOLDED_CLOSE.into()));
                done = range.end;
                continue;
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
                    escape(&cut(&e.definition, TIP_CHARS))
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
                let d = Diagnostic::new(Code::WikilinkMissing, &self.doc.shown, args!(dest = dest))
                    .hint(&MISSING_HINT, args!());
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
                let args = args!(
                    dest = dest,
                    count = candidates.len(),
                    kind = kind_words(kind),
                    pages = shown.join(", ")
                );
                let d = Diagnostic::new(Code::WikilinkAmbiguous, &self.doc.shown, args)
                    .hint(&AMBIGUOUS_HINT, args!());
                self.report(d, range.start);
                return dest.to_owned();
            }
        };
        if !piped {
            let title = target
                .doc(map)
                .map(|d| shortened(knowledge.title_of_doc(d)))
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

/// The words for the kind of name [`Resolution::Ambiguous`] found twice.
fn kind_words(kind: &str) -> &'static Words {
    match kind {
        "title" => &words::TITLE,
        "synonym" => &words::SYNONYM,
        "slug" => &words::SLUG,
        _ => &words::PATH,
    }
}

static MISSING_HINT: Words = Words {
    en: "write a page's title exactly, or its path under content/ without .md",
    zh: "请准确写出页面标题，或者写 content/ 下不带 .md 的路径",
};
static AMBIGUOUS_HINT: Words = Words {
    en: "write the page's path under content/ instead, without .md",
    zh: "请改写页面在 content/ 下的路径（不带 .md）",
};
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
        let Some(close) = inner.find("</a>") else {
            break;
        };
        plain.push_str(&inner[..close]);
        // A term past the page's tooltip limit ends without a tip.
        if inner[close..].starts_with(TERM_FOLDED_CLOSE) {
            rest = &inner[close + TERM_FOLDED_CLOSE.len()..];
            continue;
        }
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
    // Most text holds no title mark: two memchr searches instead of decoding every character.
    if !text.contains('《') && !text.contains('》') {
        inside.extend((*depth > 0).then_some(0..text.len()));
        return inside;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_get_the_words_of_terms_with_and_without_a_tooltip() {
        let tipped = format!(
            "学习{TERM_OPEN}<a class=\"gd-term__link\" href=\"a/\">新质生产力</a><span class=\"gd-term__tip\" role=\"tooltip\" id=\"gd-term-1\"><span class=\"gd-term__name\">新质生产力</span>定义{TIP_END}，"
        );
        let folded =
            format!("{TERM_OPEN}<a class=\"gd-term__link\" href=\"b/\">工匠精神</a></span>。");
        let html = format!("<p>{tipped}{folded}</p>");
        assert_eq!(
            without_term_markup(&html),
            "<p>学习新质生产力，工匠精神。</p>"
        );
        assert!(matches!(without_term_markup("<p>无</p>"), Cow::Borrowed(_)));
    }
}
