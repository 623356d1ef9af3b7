//! Markdown → HTML for one document: heading ids that keep Chinese text, a table of contents,
//! links to other `.md` files resolved to relative page URLs, highlighted code, numbered
//! footnotes gathered at the end, a summary and the reading length. It reads the
//! [`SiteMap`] to resolve links and reports broken ones with their file position.

mod crosslinks;
mod footnotes;
pub(crate) mod highlight;
pub(crate) mod limits;
mod links;
pub mod packed;
pub(crate) mod sanitize;
mod standalone;
pub(crate) mod text;
mod wikilinks;

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

pub(crate) use crosslinks::without_term_markup;
pub(crate) use highlight::Highlighter;
pub use standalone::Standalone;

use crate::args;
use crate::diagnostic::{Code, Diagnostic, Words, words};
use crate::html::escape;
use crate::knowledge::{EntryId, Knowledge, PageLinks, Target};
pub(crate) use crate::knowledge::{LinkKind, OutLink};
use crate::site::{SiteMap, SitePath};
use crate::source::{DocMeta, Document};
use crate::url_policy;

/// Only the extensions the site documents; others stay off so that plain text stays plain.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

const MORE_MARKER: &str = "<!-- more -->";

#[derive(Debug, Clone, Default)]
pub struct RenderedDoc {
    /// The body as HTML, held compressed on a site of some size ([`packed::Packing`]):
    /// unpacked only where it is written (its page, its section page, the site feed) and by
    /// the anchor check's search for an `id`.
    pub html: packed::Packed,
    /// HTML without links or footnote references, safe to show on any listing page.
    pub summary_html: String,
    /// The same summary as plain text (no markup, no entities), for `<meta name=description>`
    /// and anything else that escapes on its own.
    pub summary_text: String,
    pub toc: Vec<TocEntry>,
    pub length: text::Length,
    /// Every heading in order (no nesting), for anchor checks and the search index.
    pub headings: Vec<TocEntry>,
    /// The body as plain text (code blocks left out), for search, snippets and related
    /// articles; held compressed on a large site ([`packed::Packing`]), its first 400
    /// characters apart for the pages' signatures; read by the search index and its document
    /// files.
    pub text: packed::Packed,
    /// Links to other pages and sections (wikilinks and `.md` links) and to headings of this
    /// page, in the order written.
    pub links: Vec<OutLink>,
    /// Glossary entries whose terms the body links to (first uses).
    pub terms: Vec<EntryId>,
    /// Links and images that leave the site (`http:`, `https:`, `//…`).
    pub external: Vec<ExternalRef>,
}

impl PageLinks for RenderedDoc {
    fn links(&self) -> &[OutLink] {
        &self.links
    }

    fn terms(&self) -> &[EntryId] {
        &self.terms
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRef {
    pub at: usize,
    pub url: String,
    pub image: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Rendered Markdown, by the id of the document it was rendered from.
pub(crate) type RenderedDocs = crate::site::TiSlice<crate::site::DocId, RenderedDoc>;

/// What rendering needs besides the document.
pub(crate) struct RenderEnv<'a> {
    pub map: &'a SiteMap,
    pub highlighter: &'a Highlighter,
    pub language: crate::config::Language,
    /// `None` when the site trusts raw HTML (`markdown.raw_html: trusted`).
    pub sanitizer: Option<&'a sanitize::Sanitizer>,
    pub knowledge: &'a Knowledge,
    /// What to hold packed.
    pub packing: packed::Packing,
}

/// Renders the body of `doc`, which is written to `here`.
pub(crate) fn render(
    doc: &Document,
    here: &SitePath,
    summary: Option<&str>,
    env: &RenderEnv<'_>,
) -> (RenderedDoc, Vec<Diagnostic>) {
    let mut state = State::new(doc, here, env);
    control_character_warning(doc, &mut state);
    state.walk();
    state.finish(summary)
}

impl<'a, 'e> State<'a, 'e> {
    fn new(doc: &'a Document, here: &'a SitePath, env: &'a RenderEnv<'e>) -> Self {
        let this = env.map.target_of_source(&doc.file.rel);
        let self_entry = match this {
            Some(Target::Page(p)) => env.knowledge.glossary.entry_of_page(p),
            _ => None,
        };
        let glossary = match &doc.meta {
            DocMeta::Page(m) => m.glossary,
            DocMeta::Section(_) => true,
        };
        State {
            this,
            glossary,
            self_entry,
            literal_depth: 0,
            in_heading: false,
            book_depth: 0,
            tables: 0,
            wiki_title: None,
            pending_links: Vec::new(),
            terms: Vec::new(),
            external: Vec::new(),
            refused_links: Vec::new(),
            scratch: Vec::new(),
            doc,
            here,
            env,
            diagnostics: Vec::new(),
            out: Vec::new(),
            ids: text::HeadingIds::default(),
            headings: Vec::new(),
            length: text::Length::default(),
            notes: footnotes::Footnotes::default(),
            first_paragraph: None,
            more_at: None,
            block_depth: 0,
            plain_tilde: false,
            text: String::with_capacity(doc.body().len()),
            raw_html: false,
            nesting: limits::Nesting::default(),
            positions: limits::Positions::default(),
            highlight_budget: highlight::Budget::default(),
        }
    }

    /// Turns every Markdown event of the body into output, stopping where nesting gets too
    /// deep to render in time.
    fn walk(&mut self) {
        let doc = self.doc;
        let body = doc.body();
        let mut events =
            wikilinks::WikiText::new(Parser::new_ext(body, options()).into_offset_iter(), body)
                .peekable();
        while let Some((event, range)) = events.next() {
            self.event(event, range, &mut events);
            if let Some(at) = self.nesting.too_deep() {
                let d = Diagnostic::new(
                    Code::NestingTooDeep,
                    &doc.shown,
                    args!(max = limits::MAX_NESTING),
                )
                .hint(&NESTING_HINT, args!());
                let offset = doc.body_offset + at.start;
                self.positions
                    .push(&mut self.diagnostics, d, &doc.text, offset);
                break;
            }
        }
    }

    /// The page's HTML, summary and everything gathered on the way.
    fn finish(self, summary: Option<&str>) -> (RenderedDoc, Vec<Diagnostic>) {
        let State {
            doc,
            env,
            out,
            notes,
            headings,
            length,
            mut diagnostics,
            first_paragraph,
            more_at,
            text,
            raw_html,
            nesting,
            positions,
            pending_links,
            terms,
            external,
            ..
        } = self;
        let links = pending_links
            .into_iter()
            .map(|(link, text_at)| OutLink {
                context: text::sentence_around(&text, text_at),
                ..link
            })
            .collect();
        positions.finish(&mut diagnostics, &doc.shown);
        let mut html = String::with_capacity(doc.body().len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, out.iter().cloned());
        notes.write_section(&mut html, env.language);
        let summary_events = match (summary, more_at, first_paragraph) {
            (Some(_), _, _) | (None, None, None) => &out[..0],
            (None, Some(end), _) => &out[..end],
            (None, None, Some(range)) => &out[range],
        };
        let (summary_html, summary_text) = match summary {
            Some(text) => (
                format!("<p>{}</p>", escape(text.trim())),
                text.trim().to_owned(),
            ),
            None => (summary_of(summary_events), summary_text_of(summary_events)),
        };
        let (html, summary_html) = match env.sanitizer {
            // Too deep to sanitise in reasonable time; the error above fails the build anyway.
            Some(_) if nesting.too_deep().is_some() => (String::new(), String::new()),
            Some(s) if raw_html => (s.clean(&html), s.clean(&summary_html)),
            _ => (html, summary_html),
        };
        let rendered = RenderedDoc {
            html: packed::Packed::new_if(env.packing.html, html),
            summary_html,
            summary_text,
            toc: toc_tree(headings.clone()),
            length,
            headings,
            text: if env.packing.texts {
                packed::Packed::with_head(&text, crate::knowledge::related::SIGNATURE_CHARS)
            } else {
                packed::Packed::Plain(text)
            },
            links,
            terms,
            external,
        };
        (rendered, diagnostics)
    }
}

type Events<'a> = std::iter::Peekable<
    wikilinks::WikiText<
        'a,
        pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    >,
>;

/// The warning for a code block shown without highlighting because of its size.
fn highlight_warning(path: &std::path::Path, reason: highlight::Plain) -> Diagnostic {
    let (code, args, hint) = match reason {
        highlight::Plain::LongLine { line, bytes } => (
            Code::CodeLineLong,
            args!(line = line, bytes = bytes, max = highlight::MAX_LINE),
            &LONG_LINE_HINT,
        ),
        highlight::Plain::TooDeep { line } => (
            Code::CodeTooDeep,
            args!(line = line, max = highlight::MAX_DEPTH),
            &TOO_DEEP_HINT,
        ),
        highlight::Plain::PageBudgetSpent => (
            Code::CodeBudget,
            args!(max = highlight::MAX_PER_PAGE / 1024),
            &BUDGET_HINT,
        ),
    };
    Diagnostic::new(code, path, args).hint(hint, args!())
}

static NESTING_HINT: Words = Words {
    en: "gongdu stops at this depth so that a build always finishes in time",
    zh: "gongdu 在这个深度停下，以保证构建总能及时完成",
};
static URL_HINT: Words = Words {
    en: "link to an https:// page or a file of the site instead",
    zh: "请改为链接 https:// 网页或站内文件",
};
static RAW_HTML_HINT: Words = Words {
    en: "set `markdown: {raw_html: trusted}` in site.yaml only if every article's HTML is trusted",
    zh: "只有在每篇文章的 HTML 都可信时，才在 site.yaml 中设置 `markdown: {raw_html: trusted}`",
};
static CONTROL_HINT: Words = Words {
    en: "text pasted from Word or WPS often holds them; delete it or type a line break instead",
    zh: "从 Word 或 WPS 粘贴的文字常带有这种字符；删掉它，或改为输入换行",
};
static LONG_LINE_HINT: Words = Words {
    en: "break the line, or leave out the language after ``` if it is not code",
    zh: "请断行；如果不是代码，去掉 ``` 后面的语言名",
};
static TOO_DEEP_HINT: Words = Words {
    en: "check that brackets and quotes are closed, or leave out the language after ```",
    zh: "检查括号和引号是否闭合，或者去掉 ``` 后面的语言名",
};
static BUDGET_HINT: Words = Words {
    en: "split the page, or leave out the language of the largest blocks",
    zh: "拆分页面，或者去掉最大的几个代码块的语言名",
};

/// Marks the HTML around an automatic glossary link, so summaries can leave it out.
const TERM_OPEN: &str = "<span class=\"gd-term\">";
const TERM_CLOSE: &str = "</a><span class=\"gd-term__tip\"";
/// The end of a glossary term shown without its definition (past the page's limit).
const TERM_FOLDED_CLOSE: &str = "</a></span>";

struct State<'a, 'e> {
    doc: &'a Document,
    here: &'a SitePath,
    env: &'a RenderEnv<'e>,
    diagnostics: Vec<Diagnostic>,
    out: Vec<Event<'a>>,
    ids: text::HeadingIds,
    headings: Vec<TocEntry>,
    length: text::Length,
    notes: footnotes::Footnotes,
    first_paragraph: Option<Range<usize>>,
    more_at: Option<usize>,
    /// Nesting of block containers, to find the first top-level paragraph.
    block_depth: usize,
    /// Inside a single-`~` "strikethrough" that is really a range like 3~5.
    plain_tilde: bool,
    /// Plain text of the body, for search.
    text: String,
    /// Whether the body holds raw HTML (which then gets sanitised).
    raw_html: bool,
    nesting: limits::Nesting,
    positions: limits::Positions,
    highlight_budget: highlight::Budget,
    /// The page or section being rendered, as a link target.
    this: Option<Target>,
    /// Whether glossary terms get linked (`glossary: false` turns it off).
    glossary: bool,
    /// The glossary entry this page is, whose own term is not linked.
    self_entry: Option<EntryId>,
    /// Inside a link or an image, where no term is linked.
    literal_depth: usize,
    in_heading: bool,
    /// Tables so far, which number their scrolling regions' labels.
    tables: usize,
    /// How many 《 are open in the current block, whose terms are not linked.
    book_depth: usize,
    /// The title that replaces the written name of the wikilink being rendered.
    wiki_title: Option<String>,
    /// Links found, with the plain-text offset their context is taken around.
    pending_links: Vec<(OutLink, usize)>,
    terms: Vec<EntryId>,
    external: Vec<ExternalRef>,
    /// For each link or image open at this point, whether its URL was refused.
    refused_links: Vec<bool>,
    /// Reused buffer for the events one event becomes.
    scratch: Vec<Event<'a>>,
}

impl<'a> State<'a, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>, events: &mut Events<'a>) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.in_heading = true;
                let inner =
                    self.collect_until(events, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                self.in_heading = false;
                self.heading(level, id, classes, attrs, inner);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for (e, _) in events.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.as_ref(),
                    CodeBlockKind::Indented => "",
                };
                let (html, plain) =
                    self.env
                        .highlighter
                        .block(lang, &code, &mut self.highlight_budget);
                if let Some(reason) = plain {
                    self.report(highlight_warning(&self.doc.shown, reason), range.start);
                }
                self.out.push(Event::Html(html.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let inner = self.collect_until(events, |e| {
                    matches!(e, Event::End(TagEnd::FootnoteDefinition))
                });
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, inner.into_iter());
                self.notes.define(&label, html);
            }
            Event::FootnoteReference(label) => {
                let html = self.notes.reference(&label);
                self.out.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::Paragraph)
                if self.block_depth == 0 && self.first_paragraph.is_none() =>
            {
                let start = self.out.len();
                self.out.push(Event::Start(Tag::Paragraph));
                let inner =
                    self.collect_until(events, |e| matches!(e, Event::End(TagEnd::Paragraph)));
                self.out.extend(inner);
                self.out.push(Event::End(TagEnd::Paragraph));
                self.text.push('\n');
                self.first_paragraph = Some(start..self.out.len());
            }
            other => {
                let mut buf = std::mem::take(&mut self.scratch);
                self.inline(other, range, &mut buf);
                for e in buf.drain(..) {
                    self.track_depth(&e);
                    self.out.push(e);
                }
                self.scratch = buf;
            }
        }
    }

    /// Takes events up to and including the one `is_end` matches, each passed through
    /// [`Self::inline`]; the end event itself is dropped.
    fn collect_until(
        &mut self,
        events: &mut Events<'a>,
        is_end: impl Fn(&Event<'_>) -> bool,
    ) -> Vec<Event<'a>> {
        let mut inner = Vec::new();
        for (e, range) in events.by_ref() {
            if is_end(&e) {
                break;
            }
            match e {
                Event::FootnoteReference(label) => {
                    inner.push(Event::InlineHtml(self.notes.reference(&label).into()))
                }
                e => self.inline(e, range, &mut inner),
            }
        }
        inner
    }

    /// Rewrites the events that need it into `out`: links, wikilinks, images, glossary terms,
    /// `~` that is not `~~`, the more marker; counts text.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>, out: &mut Vec<Event<'a>>) {
        self.nesting.track(&event, &range);
        let event = match event {
            Event::Text(_) if self.wiki_title.is_some() => {
                let title = self.wiki_title.take().unwrap_or_default();
                self.count_text(&title);
                out.push(Event::Text(title.into()));
                return;
            }
            Event::Text(t) if self.glossary && self.literal_depth == 0 && !self.in_heading => {
                self.count_text(&t);
                self.link_terms(t, range, out);
                return;
            }
            Event::Start(Tag::Table(_)) => {
                out.push(self.table_region());
                Some(event)
            }
            Event::TaskListMarker(done) => Some(self.task_box(done)),
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html("</div>\n".into()));
                return;
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                self.literal_depth += 1;
                let refused = self.refuses(&tag, &range);
                self.refused_links.push(refused);
                (!refused).then(|| Event::Start(self.link_start(tag, &range)))
            }
            Event::Start(Tag::Strikethrough)
                if !self.doc.body()[range.start..].starts_with("~~") =>
            {
                // A single `~` is how Chinese writes ranges (3~5年); only `~~` strikes through.
                self.plain_tilde = true;
                Some(Event::Text("~".into()))
            }
            Event::End(TagEnd::Strikethrough) if self.plain_tilde => {
                self.plain_tilde = false;
                Some(Event::Text("~".into()))
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                self.html(html, &range).then_some(event)
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.literal_depth = self.literal_depth.saturating_sub(1);
                // A refused link loses its tags on both ends; its text stays as plain text.
                let refused = self.refused_links.pop().unwrap_or(false);
                (!refused).then_some(event)
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                self.count_text(t);
                Some(event)
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text.push(' ');
                Some(event)
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                // An unclosed 《 does not reach into the next block.
                self.book_depth = 0;
                self.text.push('\n');
                Some(event)
            }
            other => Some(other),
        };
        out.extend(event);
    }

    /// The start of the region a table scrolls in: the keyboard can reach it (tabindex) and a
    /// screen reader names it; the theme styles `.table-wrap`.
    fn table_region(&mut self) -> Event<'a> {
        self.tables += 1;
        let label = match self.env.language {
            crate::config::Language::ZhCn => format!("表格 {}", self.tables),
            crate::config::Language::En => format!("Table {}", self.tables),
        };
        Event::Html(
            format!(
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">\n"
            )
            .into(),
        )
    }

    /// A task list's box; pulldown-cmark's has no label, and a screen reader should hear its
    /// state.
    fn task_box(&self, done: bool) -> Event<'a> {
        let label = match (self.env.language, done) {
            (crate::config::Language::ZhCn, true) => "已完成",
            (crate::config::Language::ZhCn, false) => "未完成",
            (crate::config::Language::En, true) => "done",
            (crate::config::Language::En, false) => "not done",
        };
        let checked = if done { " checked=\"\"" } else { "" };
        Event::InlineHtml(
            format!("<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{label}\"/>\n")
                .into(),
        )
    }

    /// A link or image with its destination resolved: wikilinks become ordinary links to the
    /// page they name, `.md` paths become page URLs.
    fn link_start(&mut self, tag: Tag<'a>, range: &Range<usize>) -> Tag<'a> {
        match tag {
            Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type: LinkType::Inline,
                dest_url: self.wikilink(&dest_url, has_pothole, range).into(),
                title,
                id,
            },
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: self.resolve(dest_url, range, false),
                title,
                id,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type,
                dest_url: self.resolve(dest_url, range, true),
                title,
                id,
            },
            other => other,
        }
    }

    /// Whether the URL of a link or image is refused by the [`url_policy`]: then it is
    /// reported (an error, or a warning when the site trusts its HTML) and the caller drops
    /// the link, keeping its text.
    fn refuses(&mut self, tag: &Tag<'_>, range: &Range<usize>) -> bool {
        let (what, url) = match tag {
            Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            } => return false,
            Tag::Link { dest_url, .. } => (&words::LINK, dest_url),
            Tag::Image { dest_url, .. } => (&words::IMAGE, dest_url),
            _ => return false,
        };
        let Err(refused) = url_policy::check(url) else {
            return false;
        };
        let (code, args) = url_policy::problem(what, url, &refused);
        let d = if self.env.sanitizer.is_some() {
            Diagnostic::new(code, &self.doc.shown, args).hint(&URL_HINT, args!())
        } else {
            Diagnostic::new(Code::UrlShownPlain, &self.doc.shown, args)
        };
        self.report(d, range.start);
        true
    }

    /// Notes raw HTML (and warns about what the sanitiser will remove); false for the
    /// `<!-- more -->` marker, which only marks where the summary ends.
    fn html(&mut self, html: &str, range: &Range<usize>) -> bool {
        if html.contains(MORE_MARKER) {
            self.more_at.get_or_insert(self.out.len());
            return false;
        }
        self.raw_html = true;
        if self.env.sanitizer.is_some()
            && let Some(what) = sanitize::danger(html)
        {
            let d = Diagnostic::new(Code::RawHtmlRemoved, &self.doc.shown, args!(what = what))
                .hint(&RAW_HTML_HINT, args!());
            self.report(d, range.start);
        }
        true
    }

    fn count_text(&mut self, t: &str) {
        self.length.add(t);
        self.text.push_str(t);
    }

    /// Adds a diagnostic at byte `at` of the body.
    fn report(&mut self, d: Diagnostic, at: usize) {
        let offset = self.doc.body_offset + at;
        self.positions
            .push(&mut self.diagnostics, d, &self.doc.text, offset);
    }

    fn track_depth(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_) | Tag::HtmlBlock) => {
                self.block_depth += 1
            }
            Event::End(
                TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Table | TagEnd::HtmlBlock,
            ) => self.block_depth = self.block_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn heading(
        &mut self,
        level: pulldown_cmark::HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        inner: Vec<Event<'a>>,
    ) {
        let title: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = match id {
            Some(given) => text::unique(given.to_string(), &mut self.ids),
            None => text::heading_id(&title, &mut self.ids),
        };
        self.headings.push(TocEntry {
            level: level as u8,
            id: id.clone(),
            title,
            children: Vec::new(),
        });
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes,
            attrs,
        }));
        self.out.extend(inner);
        self.out.push(Event::End(TagEnd::Heading(level)));
        self.text.push('\n');
    }

    fn resolve(&mut self, dest: CowStr<'a>, range: &Range<usize>, image: bool) -> CowStr<'a> {
        match links::resolve(&dest, self.doc, self.here, self.env.map, image) {
            Ok(links::Resolved::Internal { href, source }) => {
                if let Some(target) = self.env.map.target_of_source(&source) {
                    let fragment = links::fragment(&dest);
                    self.record_link(
                        target,
                        LinkKind::Markdown,
                        fragment,
                        range.start,
                        dest.to_string(),
                    );
                }
                href.into()
            }
            Ok(links::Resolved::Anchor(fragment)) => {
                if let Some(this) = self.this {
                    self.record_link(
                        this,
                        LinkKind::Markdown,
                        Some(fragment),
                        range.start,
                        dest.to_string(),
                    );
                }
                dest
            }
            Ok(links::Resolved::External) => {
                self.external.push(ExternalRef {
                    at: range.start,
                    url: dest.to_string(),
                    image,
                });
                dest
            }
            Ok(links::Resolved::AsWritten) => dest,
            Err((code, args)) => {
                self.report(Diagnostic::new(code, &self.doc.shown, args), range.start);
                dest
            }
        }
    }
}

/// Summary HTML from a run of body events, with links, images and footnote references taken
/// out because the summary is shown on pages elsewhere in the site.
fn summary_of(events: &[Event<'_>]) -> String {
    let mut image_depth = 0usize;
    let kept = events.iter().filter(|e| {
        match e {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => {
                image_depth -= 1;
                return false;
            }
            _ => {}
        }
        image_depth == 0
            && !matches!(e, Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link))
            && !matches!(e, Event::InlineHtml(h) if h.starts_with("<sup class=\"footnote-ref\"")
                || h.starts_with(TERM_OPEN) || h.starts_with(TERM_CLOSE) || h.as_ref() == TERM_FOLDED_CLOSE)
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, kept.cloned());
    html
}

/// The words of a run of body events, as plain text: what [`summary_of`] shows, without its
/// markup. Lines broken inside Chinese text join without a space; after Latin text, with one.
fn summary_text_of(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    let mut image_depth = 0usize;
    for e in events {
        match e {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if image_depth == 0 => out.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
                if out.chars().last().is_some_and(|c| c.is_ascii()) =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Nests h2–h4 into a tree; deeper or shallower headings are left out of the contents.
fn toc_tree(headings: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for h in headings.into_iter().filter(|h| (2..=4).contains(&h.level)) {
        insert(&mut roots, h);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if entry.level > last.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

/// Part of a text event, borrowed when the event is.
fn slice<'a>(t: &CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
    match t {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[range]),
        other => CowStr::from(other[range].to_owned()),
    }
}

/// Whether XML 1.0 forbids `c` in a document: the C0 control characters other than tab, line
/// feed and carriage return, and U+FFFE and U+FFFF.
pub(crate) fn not_in_xml(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\u{FFFE}' | '\u{FFFF}')
}

/// A warning at the first character XML forbids in the file, if there is one: feeds show such
/// characters as spaces.
fn control_character_warning(doc: &Document, state: &mut State<'_, '_>) {
    let mut found = doc.text.char_indices().filter(|&(_, c)| not_in_xml(c));
    let Some((at, c)) = found.next() else {
        return;
    };
    let more = found.count();
    let code = format!("{:04X}", u32::from(c));
    let d = match more {
        0 => Diagnostic::new(Code::ControlChar, &doc.shown, args!(code = code)),
        n => Diagnostic::new(Code::ControlChars, &doc.shown, args!(code = code, more = n)),
    }
    .hint(&CONTROL_HINT, args!());
    state
        .positions
        .push(&mut state.diagnostics, d, &doc.text, at);
}

#[cfg(test)]
mod tests;
