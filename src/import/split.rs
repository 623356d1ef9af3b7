//! Blocks → articles. An article starts at a headline (and perhaps a subtitle) followed by a
//! byline, so a newspaper page of four signed pieces becomes four articles. A headline and a
//! lead followed by signed parts is one feature: its parts become `##` sections.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::Block;
use super::script::heading_like;

/// Who wrote a piece, as its byline says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Byline {
    pub authors: Vec<String>,
    pub affiliation: Option<String>,
}

/// A block with its role on the page.
#[derive(Debug, Clone)]
pub(super) enum Part {
    Heading(Block),
    Byline(Block, Byline),
    Text(Block),
}

/// One article's blocks, before tidying.
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    pub headings: Vec<Block>,
    pub byline: Byline,
    /// The byline's own block, removed from the text (recorded as chrome).
    pub byline_blocks: Vec<Block>,
    pub body: Vec<Part>,
}

static MARKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:本报记者|本报通讯员|本报特约记者|记者|通讯员|作者|文|撰文)\s*[：:/／]?\s*((?:\p{Han}{2,4}[\s、，]*)+)$")
        .expect("the byline pattern is valid")
});
static NAMES_AND_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:\p{Han}{2,3}[\s、]*){1,3})[（(]([^（）()]{2,30})[)）]$")
        .expect("the unit pattern is valid")
});
static BARE_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Han}{2,3}[\s、]+){0,2}\p{Han}{2,3}$").expect("the names pattern is valid")
});

/// Reads a byline; `after_heading` allows bare names (钱军) that only a headline above marks.
pub(super) fn byline(text: &str, after_heading: bool) -> Option<Byline> {
    let marked = text.starts_with(['■', '□', '●', '◆', '▲']);
    let t = text.trim_start_matches(['■', '□', '●', '◆', '▲']).trim();
    let names = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == '、' || c == '，')
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect()
    };
    if let Some(c) = MARKED.captures(t) {
        return Some(Byline {
            authors: names(&c[1]),
            affiliation: None,
        });
    }
    if let Some(c) = NAMES_AND_UNIT.captures(t) {
        return Some(Byline {
            authors: names(&c[1]),
            affiliation: Some(c[2].trim().to_owned()),
        });
    }
    ((marked || after_heading) && BARE_NAMES.is_match(t)).then(|| Byline {
        authors: names(t),
        affiliation: None,
    })
}

/// Gives each block its role.
pub(super) fn parts(blocks: Vec<Block>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::with_capacity(blocks.len());
    for b in blocks {
        let after_heading = matches!(out.last(), Some(Part::Heading(_)));
        let part = match byline(&b.text, after_heading) {
            Some(by) if b.text.chars().count() <= 40 => Part::Byline(b, by),
            _ if !b.indented && heading_like(&b.text) => Part::Heading(b),
            _ => Part::Text(b),
        };
        out.push(part);
    }
    out
}

/// A Markdown body's blocks: `## ` lines are section titles, everything else is text.
pub(super) fn markdown_parts(blocks: Vec<Block>) -> Vec<Part> {
    blocks
        .into_iter()
        .map(|b| match b.text.strip_prefix("## ") {
            Some(h) => Part::Heading(Block {
                text: h.trim().to_owned(),
                ..b
            }),
            None => Part::Text(b),
        })
        .collect()
}

/// Where signed pieces start: a headline, perhaps a subtitle, then a byline.
fn signed_starts(parts: &[Part]) -> Vec<usize> {
    let mut starts: Vec<usize> = Vec::new();
    for i in 0..parts.len() {
        let start = matches!(
            (&parts[i], parts.get(i + 1), parts.get(i + 2)),
            (Part::Heading(_), Some(Part::Byline(..)), _)
                | (
                    Part::Heading(_),
                    Some(Part::Heading(_)),
                    Some(Part::Byline(..))
                )
        );
        // A subtitle belongs to the headline above it; it does not start a piece of its own.
        if start && starts.last().is_none_or(|&s| s + 1 != i) {
            starts.push(i);
        }
    }
    starts
}

/// Splits a page into articles.
pub(super) fn articles(parts: Vec<Part>) -> Vec<Draft> {
    let starts = signed_starts(&parts);
    let first_heading = parts.iter().position(|p| matches!(p, Part::Heading(_)));
    let feature = match (first_heading, starts.first()) {
        (Some(h), Some(&s)) => h < s && parts[h + 1..s].iter().any(|p| matches!(p, Part::Text(_))),
        _ => false,
    };
    if starts.is_empty() || feature {
        return vec![draft(parts, feature)];
    }
    let mut out = Vec::new();
    let mut rest = parts;
    for &s in starts.iter().skip(1).rev() {
        let piece = rest.split_off(s);
        out.push(draft(piece, false));
    }
    out.push(draft(rest, false));
    out.reverse();
    out
}

/// One article from its parts: the headings before the first text are its title and
/// subtitle, the byline right after them its authors. In a feature, later bylines add authors.
fn draft(parts: Vec<Part>, feature: bool) -> Draft {
    let mut d = Draft::default();
    let mut in_head = true;
    for part in parts {
        match part {
            Part::Heading(b) if in_head && d.headings.len() < 2 => d.headings.push(b),
            Part::Byline(b, by) if in_head || feature => {
                for a in &by.authors {
                    if !d.byline.authors.contains(a) {
                        d.byline.authors.push(a.clone());
                    }
                }
                d.byline.affiliation = d.byline.affiliation.or(by.affiliation.clone());
                if in_head {
                    d.byline_blocks.push(b);
                } else {
                    // A part's signature stays under its section, as its names alone.
                    let text = by.authors.join(" ");
                    d.body.push(Part::Byline(Block { text, ..b }, by));
                }
                in_head = false;
            }
            other => {
                in_head = false;
                d.body.push(other);
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bylines() {
        let b = byline("本报记者 李明 王芳", false).expect("marked");
        assert_eq!(b.authors, ["李明", "王芳"]);
        let b = byline("郑华（某市总工会研究室）", false).expect("unit");
        assert_eq!(
            (b.authors[0].as_str(), b.affiliation.as_deref()),
            ("郑华", Some("某市总工会研究室"))
        );
        assert_eq!(byline("■ 韩梅", false).expect("marked").authors, ["韩梅"]);
        assert_eq!(
            byline("钱军", true).expect("after a heading").authors,
            ["钱军"]
        );
        assert_eq!(byline("钱军", false), None);
        assert_eq!(byline("以赛促学 以赛促训", true), None);
    }
}
