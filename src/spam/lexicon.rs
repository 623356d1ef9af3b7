//! The spam lexicon (`lexicon.txt`, data written for gongdu) as one Aho-Corasick matcher, and
//! the scanner for web addresses glued into Chinese text. This module only finds candidates
//! and says how sure the lexicon alone is; whether a weak candidate is spam in its place is
//! decided by `context`.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

const LEXICON: &str = include_str!("lexicon.txt");

/// How much a term proves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// Has honest uses; spam only in context.
    Weak,
    /// Spam wherever it appears.
    Strong,
}

/// What a removed piece of text was, for the editor's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Game,
    Brand,
    Promo,
    Adult,
    /// A casino brand with a suffix (葡京官网).
    Casino,
    /// A betting brand with a suffix (开云体育).
    Sports,
    /// 澳门 with a casino suffix (澳门葡京).
    Macau,
    /// A web address glued into the text (`js8888.com`).
    Domain,
    /// A run of short unrelated titles or names.
    LinkFarm,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Game => "game",
            Category::Brand => "brand",
            Category::Promo => "promo",
            Category::Adult => "adult",
            Category::Casino => "casino",
            Category::Sports => "sports",
            Category::Macau => "macau",
            Category::Domain => "domain",
            Category::LinkFarm => "link-farm",
        }
    }

    fn parse(name: &str) -> Option<Category> {
        Some(match name {
            "game" => Category::Game,
            "brand" => Category::Brand,
            "promo" => Category::Promo,
            "adult" => Category::Adult,
            "casino" => Category::Casino,
            "sports" => Category::Sports,
            "macau" => Category::Macau,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
struct Entry {
    strength: Strength,
    category: Category,
}

/// A lexicon term found in a text: byte range, strength, category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub strength: Strength,
    pub category: Category,
}

/// Every term of `lexicon.txt`, shapes expanded, in one matcher.
#[derive(Debug)]
pub(crate) struct Lexicon {
    matcher: AhoCorasick,
    entries: Vec<Entry>,
    /// Every suffix of every shape group: a strong hit followed by suffixes is extended over
    /// them (澳门葡京 + 娱乐 + 官网 is one token).
    suffixes: AhoCorasick,
}

impl Lexicon {
    /// The lexicon, parsed on first use. `spam::clean` has no place to receive it from its
    /// caller, and the table is immutable data, so one shared copy is enough.
    pub(crate) fn shared() -> &'static Lexicon {
        static SHARED: OnceLock<Lexicon> = OnceLock::new();
        SHARED.get_or_init(|| Lexicon::parse(LEXICON))
    }

    fn parse(text: &str) -> Lexicon {
        let mut terms: Vec<(String, Entry)> = Vec::new();
        let mut prefixes: Vec<(Category, &str)> = Vec::new();
        let mut suffixes: Vec<(Category, &str)> = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let (Some(kind), Some(category)) = (words.next(), words.next()) else {
                continue;
            };
            let Some(category) = Category::parse(category) else {
                debug_assert!(false, "unknown category in lexicon.txt: {line}");
                continue;
            };
            for word in words {
                match kind {
                    "strong" | "weak" => {
                        let strength = if kind == "strong" {
                            Strength::Strong
                        } else {
                            Strength::Weak
                        };
                        terms.push((word.to_lowercase(), Entry { strength, category }));
                    }
                    "prefix" => prefixes.push((category, word)),
                    "suffix" => suffixes.push((category, word)),
                    _ => debug_assert!(false, "unknown kind in lexicon.txt: {line}"),
                }
            }
        }
        for &(group, prefix) in &prefixes {
            for &(_, suffix) in suffixes.iter().filter(|(g, _)| *g == group) {
                let entry = Entry {
                    strength: Strength::Strong,
                    category: group,
                };
                terms.push((format!("{prefix}{suffix}").to_lowercase(), entry));
            }
        }
        // A term listed twice keeps its strongest reading.
        terms.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.strength.cmp(&a.1.strength)));
        terms.dedup_by(|a, b| a.0 == b.0);
        // A DFA: every published page's text goes through it (the publishing guard), and on
        // Chinese text it runs about 2.4 times as fast as the contiguous NFA that the builder
        // picks for this many patterns (612 against 261 MB/s on the benchmark corpus), for
        // 1.6 MB built once in 7 ms.
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(terms.iter().map(|(t, _)| t))
            .expect("the lexicon's terms make a valid matcher");
        let mut suffix_words: Vec<&str> = suffixes.iter().map(|(_, s)| *s).collect();
        suffix_words.sort_unstable();
        suffix_words.dedup();
        let suffixes = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .ascii_case_insensitive(true)
            .build(suffix_words)
            .expect("the lexicon's suffixes make a valid matcher");
        Lexicon {
            matcher,
            entries: terms.into_iter().map(|(_, e)| e).collect(),
            suffixes,
        }
    }

    /// Every term in `text`, leftmost-longest, without overlaps; a strong term runs on over
    /// the shape suffixes that follow it.
    pub(crate) fn hits(&self, text: &str) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        for m in self.matcher.find_iter(text) {
            if out.last().is_some_and(|h| h.end > m.start()) {
                continue;
            }
            let entry = &self.entries[m.pattern().as_usize()];
            let mut end = m.end();
            if entry.strength == Strength::Strong {
                end = self.extend_over_suffixes(text, end);
            }
            out.push(Hit {
                start: m.start(),
                end,
                strength: entry.strength,
                category: entry.category,
            });
        }
        out
    }

    /// Only the terms that are spam wherever they appear: what the publishing guard reports.
    pub(crate) fn strong_hits(&self, text: &str) -> impl Iterator<Item = Hit> {
        self.hits(text)
            .into_iter()
            .filter(|h| h.strength == Strength::Strong)
    }

    fn extend_over_suffixes(&self, text: &str, mut end: usize) -> usize {
        while let Some(m) = self
            .suffixes
            .find(aho_corasick::Input::new(&text[end..]).anchored(aho_corasick::Anchored::Yes))
        {
            end += m.end();
        }
        end
    }
}

/// Top-level domains that spam links use; an address under `.cn`, `.org` or `.gov` is left
/// alone (union and government sites are cited that way).
const SPAM_TLDS: &[&str] = &[
    "com", "net", "cc", "vip", "top", "xyz", "bet", "me", "tv", "app", "club", "info", "biz",
    "live", "win",
];

/// Words after which an address is cited honestly (登录www.acftu.org查询).
const CITING: &[&str] = &[
    "登录", "访问", "网址", "网站", "官网", "浏览", "邮箱", "关注",
];

/// Web addresses glued into Chinese text: `[A-Za-z0-9.-]+` ending in a spam top-level domain,
/// with a Han character right before or after it, not introduced by a citing word or a
/// bracket, and not part of an e-mail address. Byte ranges.
pub(crate) fn glued_domains(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_domain_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_domain_byte(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if is_spam_domain(&text[start..end]) && is_glued(text, start, end) {
            out.push((start, end));
        }
    }
    out
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

fn is_spam_domain(candidate: &str) -> bool {
    let labels: Vec<&str> = candidate.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && SPAM_TLDS.contains(&tld.to_ascii_lowercase().as_str())
        && labels[..labels.len() - 1]
            .iter()
            .any(|l| l.bytes().any(|b| b.is_ascii_alphanumeric()))
}

fn is_glued(text: &str, start: usize, end: usize) -> bool {
    let before = &text[..start];
    let after = &text[end..];
    let prev = before.chars().next_back();
    let next = after.chars().next();
    if prev == Some('@') || next == Some('@') {
        return false;
    }
    if CITING.iter().any(|w| before.ends_with(w)) {
        return false;
    }
    prev.is_some_and(crate::cjk::is_cjk) || next.is_some_and(crate::cjk::is_cjk)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(&str, Strength, Category)> {
        Lexicon::shared()
            .hits(text)
            .into_iter()
            .map(|h| (&text[h.start..h.end], h.strength, h.category))
            .collect()
    }

    #[test]
    fn shapes_join_a_brand_and_its_suffixes() {
        assert_eq!(
            terms("访问澳门葡京娱乐官网领取"),
            [("澳门葡京娱乐官网", Strength::Strong, Category::Macau)]
        );
        assert_eq!(
            terms("开云体育APP下载"),
            [("开云体育APP下载", Strength::Strong, Category::Sports)]
        );
        assert_eq!(
            terms("威尼斯人娱乐城"),
            [("威尼斯人娱乐城", Strength::Strong, Category::Casino)]
        );
    }

    #[test]
    fn a_prefix_or_suffix_alone_is_nothing() {
        assert!(terms("庆祝澳门回归祖国二十五周年").is_empty());
        assert!(terms("职工体育运动会和文化娱乐活动").is_empty());
        assert!(terms("在澳门注册的企业").is_empty());
    }

    #[test]
    fn weak_terms_are_found_but_marked_weak() {
        assert_eq!(
            terms("彩票管理条例"),
            [("彩票", Strength::Weak, Category::Game)]
        );
        assert_eq!(
            terms("百家乐"),
            [("百家乐", Strength::Strong, Category::Game)]
        );
    }

    #[test]
    fn honest_words_that_contain_short_spam_strings_do_not_match() {
        for honest in [
            "做爱岗敬业的劳动者",
            "支援交通建设",
            "色彩金黄的麦浪",
            "老工人妻子",
        ] {
            let strong: Vec<_> = Lexicon::shared().strong_hits(honest).collect();
            assert!(strong.is_empty(), "{honest}: {strong:?}");
        }
    }

    #[test]
    fn glued_domains_are_found_and_cited_ones_are_not() {
        let text = "关于js8888.com印发通知";
        let found = glued_domains(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].0..found[0].1], "js8888.com");
        assert!(glued_domains("请登录www.example.com查询").is_empty());
        assert!(glued_domains("来源：人民网 people.com.cn").is_empty());
        assert!(glued_domains("邮箱ab@mail.com联系").is_empty());
        assert!(glued_domains("see example.com today").is_empty());
    }
}
