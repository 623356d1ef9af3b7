//! Wikilinks in the event stream. pulldown-cmark reads `[[新质生产力|这个概念]]` as plain text,
//! cut into several text events at the brackets; this adapter joins text events that sit side
//! by side in the source, finds `[[…]]` in them and hands on a link (type `WikiLink`) whose
//! destination is the part before `|` and whose text is the part after it. Resolving the
//! destination is the renderer's job. Text inside code, links and images is left alone, and
//! so is text that differs from its source (escaped brackets: `\[\[` stays literal).
//! One pass, no backtracking: a run of `[[` costs what its length costs.

use std::collections::VecDeque;
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

pub(super) struct WikiText<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: Peekable<I>,
    body: &'a str,
    queue: VecDeque<(Event<'a>, Range<usize>)>,
    /// Inside code blocks, links or images.
    literal_depth: usize,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> WikiText<'a, I> {
    pub(super) fn new(inner: I, body: &'a str) -> Self {
        WikiText {
            inner: inner.peekable(),
            body,
            queue: VecDeque::new(),
            literal_depth: 0,
        }
    }
}

/// Whether a text event is exactly its source (no escapes or entities). Plain text is borrowed
/// from the body at its own range, which settles it without comparing bytes.
fn verbatim(body: &str, text: &str, range: &Range<usize>) -> bool {
    match body.get(range.clone()) {
        Some(source) => {
            std::ptr::eq(source.as_ptr(), text.as_ptr()) && source.len() == text.len()
                || source == text
        }
        None => false,
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for WikiText<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(queued) = self.queue.pop_front() {
            return Some(queued);
        }
        let (event, range) = self.inner.next()?;
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => {
                self.literal_depth += 1
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                self.literal_depth = self.literal_depth.saturating_sub(1)
            }
            Event::Text(t) if self.literal_depth == 0 && joinable(self.body, t, &range) => {
                let mut run = vec![(event.clone(), range.clone())];
                let mut end = range.end;
                while let Some((Event::Text(next), r)) = self.inner.peek()
                    && r.start == end
                    && joinable(self.body, next, r)
                {
                    end = r.end;
                    run.extend(self.inner.next());
                }
                let all_verbatim = run.iter().all(|(e, r)| match e {
                    Event::Text(t) => verbatim(self.body, t, r),
                    _ => false,
                });
                if all_verbatim {
                    let text = &self.body[range.start..end];
                    if !text.contains("[[") {
                        return Some((Event::Text(CowStr::Borrowed(text)), range.start..end));
                    }
                    split(
                        text,
                        |o| range.start + o,
                        |r| CowStr::Borrowed(&text[r]),
                        &mut self.queue,
                    );
                } else {
                    split_decoded(run, &mut self.queue);
                }
                return self.queue.pop_front();
            }
            _ => {}
        }
        Some((event, range))
    }
}

/// Whether a text event may join its neighbours in a wikilink: text exactly as written, or
/// a character reference (`&lt;`, `&#x5DE5;`), which is text the editor wrote in another
/// spelling. A backslash escape is not: `\[\[` must stay literal.
fn joinable(body: &str, text: &str, range: &Range<usize>) -> bool {
    verbatim(body, text, range)
        || body
            .get(range.clone())
            .is_some_and(|s| s.len() > 2 && s.starts_with('&') && s.ends_with(';'))
}

/// A run of text events holding character references: joined as decoded text, cut into
/// text and wikilink events that own their text, with positions mapped back to the body.
fn split_decoded<'a>(
    run: Vec<(Event<'a>, Range<usize>)>,
    out: &mut VecDeque<(Event<'a>, Range<usize>)>,
) {
    let mut text = String::new();
    // (offset in `text`, range in the body) of each joined event.
    let mut starts: Vec<(usize, Range<usize>)> = Vec::with_capacity(run.len());
    for (e, r) in &run {
        if let Event::Text(t) = e {
            starts.push((text.len(), r.clone()));
            text.push_str(t);
        }
    }
    if !text.contains("[[") {
        out.extend(run);
        return;
    }
    let at = |o: usize| {
        let i = starts.partition_point(|(s, _)| *s <= o).saturating_sub(1);
        let (s, r) = &starts[i];
        (r.start + (o - s)).min(r.end)
    };
    split(&text, at, |r| CowStr::from(text[r].to_owned()), out);
}

/// Cuts `text` into text and wikilink events; `at` maps an offset of `text` to the body,
/// `piece` makes the events' text.
fn split<'a>(
    text: &str,
    at: impl Fn(usize) -> usize,
    piece: impl Fn(Range<usize>) -> CowStr<'a>,
    out: &mut VecDeque<(Event<'a>, Range<usize>)>,
) {
    let bytes = text.as_bytes();
    let mut emitted = 0;
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'[', b'[') => {
                // The innermost `[[` wins: `[[[x]]` links x.
                open = Some(i);
                i += 1;
            }
            (b']', b']') => {
                if let Some(o) = open.take()
                    && let Some((dest, shown, piped)) = parse_inner(&text[o + 2..i])
                {
                    if o > emitted {
                        out.push_back((Event::Text(piece(emitted..o)), at(emitted)..at(o)));
                    }
                    let span = at(o)..at(i + 2);
                    let within = |part: &str| {
                        let start = part.as_ptr() as usize - text.as_ptr() as usize;
                        start..start + part.len()
                    };
                    out.push_back((
                        Event::Start(Tag::Link {
                            link_type: LinkType::WikiLink { has_pothole: piped },
                            dest_url: piece(within(dest)),
                            title: CowStr::Borrowed(""),
                            id: CowStr::Borrowed(""),
                        }),
                        span.clone(),
                    ));
                    out.push_back((Event::Text(piece(within(shown))), span.clone()));
                    out.push_back((Event::End(TagEnd::Link), span));
                    emitted = i + 2;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    if emitted < text.len() {
        out.push_back((
            Event::Text(piece(emitted..text.len())),
            at(emitted)..at(text.len()),
        ));
    }
}

/// `目标#小节|显示文字` → (`目标#小节`, `显示文字`, piped). `None` when it is no wikilink.
fn parse_inner(inner: &str) -> Option<(&str, &str, bool)> {
    if inner.contains(['[', ']', '\n']) {
        return None;
    }
    let (dest, shown, piped) = match inner.split_once('|') {
        Some((d, s)) => (d.trim(), s.trim(), true),
        None => (inner.trim(), inner.trim(), false),
    };
    if dest.is_empty() || shown.is_empty() {
        return None;
    }
    Some((dest, shown, piped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn events(md: &str) -> Vec<String> {
        WikiText::new(Parser::new_ext(md, Options::empty()).into_offset_iter(), md)
            .map(|(e, r)| match e {
                Event::Start(Tag::Link {
                    dest_url,
                    link_type: LinkType::WikiLink { has_pothole },
                    ..
                }) => {
                    format!("wiki({dest_url},{has_pothole})@{}..{}", r.start, r.end)
                }
                Event::Text(t) => format!("text({t})"),
                Event::Code(t) => format!("code({t})"),
                Event::End(TagEnd::Link) => "end".into(),
                _ => "·".into(),
            })
            .collect()
    }

    #[test]
    fn finds_wikilinks_with_anchor_and_display_text() {
        assert_eq!(
            events("读[[新质生产力#定义|这个概念]]。"),
            [
                "·",
                "text(读)",
                "wiki(新质生产力#定义,true)@3..42",
                "text(这个概念)",
                "end",
                "text(。)",
                "·"
            ]
        );
        assert_eq!(
            events("[[a]] and [[b]]"),
            [
                "·",
                "wiki(a,false)@0..5",
                "text(a)",
                "end",
                "text( and )",
                "wiki(b,false)@10..15",
                "text(b)",
                "end",
                "·"
            ]
        );
    }

    #[test]
    fn code_escapes_and_empty_brackets_stay_text() {
        assert_eq!(events("`[[a]]`"), ["·", "code([[a]])", "·"]);
        assert!(!events("\\[\\[a]]").iter().any(|e| e.starts_with("wiki")));
        assert!(!events("[[]] [[ | ]]").iter().any(|e| e.starts_with("wiki")));
        assert!(
            !events("```\n[[a]]\n```")
                .iter()
                .any(|e| e.starts_with("wiki"))
        );
        assert!(!events("[x [[a]]](u)").iter().any(|e| e.starts_with("wiki")));
    }

    #[test]
    fn character_references_keep_a_wikilink_and_are_decoded_once() {
        assert_eq!(
            events("见[[b|A&lt;B]]。"),
            [
                "·",
                "text(见)",
                "wiki(b,true)@3..15",
                "text(A<B)",
                "end",
                "text(。)",
                "·"
            ]
        );
        assert_eq!(events("[[A&amp;B]]")[1], "wiki(A&B,false)@0..11");
        assert_eq!(events("&#x5DE5;[[会]]")[2], "wiki(会,false)@8..15");
        assert!(
            !events("\\[\\[a&lt;]]")
                .iter()
                .any(|e| e.starts_with("wiki"))
        );
    }

    #[test]
    fn the_innermost_brackets_win() {
        assert_eq!(events("[[[[a]]]]")[2], "wiki(a,false)@2..7");
    }
}
