//! Spam tokens in one line: lexicon hits and glued web addresses, joined when they touch
//! (澳门葡京 + 官网 + a web address is one advertisement), with weak terms kept only where
//! their place shows they are spam. What each token displaced is `restore`'s question.

use super::context;
use super::lexicon::{Category, Hit, Lexicon, Strength, glued_domains};

/// One piece of spam in a line: a byte range of the line and how sure the detector is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
    pub category: Category,
    /// Shaped like an advertisement (several parts, a web address, a sales suffix): text that
    /// was inserted, not a word that was replaced.
    pub ad: bool,
}

/// Tokens at or above this confidence were strong without context.
pub(crate) const STRONG_AT: f32 = DOMAIN;
/// How sure the lexicon alone is, by what matched.
const LISTED: f32 = 0.95;
const SHAPE: f32 = 0.9;
const DOMAIN: f32 = 0.85;
/// A weak term where a name belongs (before 总书记, as a byline's name).
const WEAK_IN_NAME_SLOT: f32 = 0.75;
/// A weak term in a paragraph that already holds two strong tokens.
const WEAK_BY_DENSITY: f32 = 0.7;
/// Strong tokens in one paragraph from which its weak terms count as spam too.
const DENSE: usize = 2;

/// Endings that make a token an advertisement rather than a stand-in for a word.
const AD_ENDINGS: &[&str] = &[
    "官网", "网址", "平台", "app", "APP", "下载", "注册", "登录", "开户", "入口",
];

/// Characters allowed between two strong parts of one advertisement.
fn is_connector(c: char) -> bool {
    " \u{3000}-—：:|｜丨·".contains(c)
}

#[derive(Debug)]
struct Cluster {
    start: usize,
    end: usize,
    strength: Strength,
    confidence: f32,
    category: Category,
    parts: usize,
    domain: bool,
}

/// The spam tokens of `line`, in order.
pub(crate) fn find(line: &str, lexicon: &Lexicon) -> Vec<Token> {
    let clusters = clusters(line, parts(line, lexicon));
    let strong = clusters
        .iter()
        .filter(|c| c.strength == Strength::Strong)
        .count();
    let byline = context::is_byline(line);
    clusters
        .into_iter()
        .filter_map(|c| {
            let confidence = match c.strength {
                Strength::Strong => c.confidence,
                Strength::Weak => weak_confidence(line, &c, byline, strong)?,
            };
            let text = &line[c.start..c.end];
            Some(Token {
                start: c.start,
                end: c.end,
                confidence,
                category: c.category,
                ad: c.parts > 1 || c.domain || AD_ENDINGS.iter().any(|e| text.ends_with(e)),
            })
        })
        .collect()
}

/// Lexicon hits and glued web addresses, sorted, without overlaps (the lexicon wins).
fn parts(line: &str, lexicon: &Lexicon) -> Vec<Cluster> {
    let mut parts: Vec<Cluster> = lexicon
        .hits(line)
        .into_iter()
        .map(|h: Hit| Cluster {
            start: h.start,
            end: h.end,
            strength: h.strength,
            confidence: if is_shape(h.category) { SHAPE } else { LISTED },
            category: h.category,
            parts: 1,
            domain: false,
        })
        .collect();
    for (start, end) in glued_domains(line) {
        if parts.iter().any(|p| p.start < end && start < p.end) {
            continue;
        }
        parts.push(Cluster {
            start,
            end,
            strength: Strength::Strong,
            confidence: DOMAIN,
            category: Category::Domain,
            parts: 1,
            domain: true,
        });
    }
    parts.sort_by_key(|p| p.start);
    parts
}

fn is_shape(c: Category) -> bool {
    matches!(c, Category::Casino | Category::Sports | Category::Macau)
}

/// Joins parts that touch; two strong parts also join across a space or a dash.
fn clusters(line: &str, parts: Vec<Cluster>) -> Vec<Cluster> {
    let mut out: Vec<Cluster> = Vec::new();
    for p in parts {
        if let Some(last) = out.last_mut() {
            let gap = &line[last.end..p.start];
            let both_strong = last.strength == Strength::Strong && p.strength == Strength::Strong;
            let joins = gap.is_empty()
                && (last.strength == Strength::Strong || p.strength == Strength::Strong)
                || both_strong && gap.chars().count() <= 2 && gap.chars().all(is_connector);
            if joins {
                last.end = p.end;
                last.parts += 1;
                last.domain |= p.domain;
                last.confidence = (last.confidence.max(p.confidence) + 0.03).min(0.99);
                if p.strength > last.strength {
                    last.strength = p.strength;
                    last.category = p.category;
                }
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// How sure a weak term is spam in its place, or `None` when it is an honest word there.
fn weak_confidence(line: &str, c: &Cluster, byline: bool, strong: usize) -> Option<f32> {
    let before = &line[..c.start];
    let after = &line[c.end..];
    if context::title_at(after).is_some() {
        return Some(WEAK_IN_NAME_SLOT);
    }
    let delimited = before.chars().next_back().is_none_or(context::is_boundary)
        && after.chars().next().is_none_or(context::is_boundary);
    if byline && (delimited || context::ends_with_byline_label(before)) {
        return Some(WEAK_IN_NAME_SLOT);
    }
    (strong >= DENSE).then_some(WEAK_BY_DENSITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(line: &str) -> Vec<(&str, bool)> {
        find(line, Lexicon::shared())
            .into_iter()
            .map(|t| (&line[t.start..t.end], t.ad))
            .collect()
    }

    #[test]
    fn an_advertisement_is_one_token() {
        assert_eq!(
            found("今年以来，澳门葡京官网 js8888.com全市工会"),
            [("澳门葡京官网 js8888.com", true)]
        );
    }

    #[test]
    fn a_brand_alone_is_not_an_advertisement() {
        assert_eq!(found("学习葡京总书记重要讲话"), [("葡京", false)]);
    }

    #[test]
    fn weak_terms_need_context() {
        assert!(found("国务院修订彩票管理条例，规范彩票发行").is_empty());
        assert_eq!(found("学习银河总书记的讲话"), [("银河", false)]);
        assert_eq!(found("作者：张三 银河"), [("银河", false)]);
        assert_eq!(
            found("百家乐 彩票 时时彩"),
            [("百家乐", false), ("彩票", false), ("时时彩", false)]
        );
    }

    #[test]
    fn a_weak_term_touching_a_strong_one_joins_it() {
        assert_eq!(found("点击百家乐赌球即可"), [("百家乐赌球", true)]);
    }
}
