//! What a spam token displaced, decided from its place and from the rest of the article: a
//! word restored only when the context proves it (a name the article itself gives for the
//! same title, a fixed phrase from `phrases.txt` missing one part), a plain removal when the
//! token was inserted between whole words, and otherwise a gap left for the editor.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::Action;
use super::context;
use super::tokens::Token;

const PHRASES: &str = include_str!("phrases.txt");

/// A restoration is made only at this confidence or above; below it the gap is Unresolved.
pub(crate) const RESTORE_AT: f32 = 0.8;

/// Official documents whose titles open with 关于 and end with one of these.
const DOCUMENT_ENDINGS: &[&str] = &[
    "的通知",
    "的意见",
    "的决定",
    "的实施意见",
    "的实施方案",
    "的指导意见",
    "的办法",
    "的规定",
    "的批复",
    "的报告",
];
/// A title that says `关于…的通知` stays under this many characters.
const DOCUMENT_TITLE_CHARS: usize = 60;
const DOCUMENT_TITLE: f32 = 0.85;
/// Characters a phrase's right side needs when nothing on the left side is matched.
const LONG_RIGHT_SIDE: usize = 6;

/// A token with its line: the unit every decision is made for.
#[derive(Debug, Clone)]
pub(crate) struct Placed<'a> {
    /// The line's index in the text.
    pub index: usize,
    pub line: &'a str,
    pub token: Token,
}

impl Placed<'_> {
    fn before(&self) -> &str {
        &self.line[..self.token.start]
    }

    fn after(&self) -> &str {
        &self.line[self.token.end..]
    }

    fn text(&self) -> &str {
        &self.line[self.token.start..self.token.end]
    }
}

/// Where a token stood.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    /// Right before a title: a person's name is missing.
    Name(&'static str),
    /// After a byline label with nothing after it: the writer's name is missing.
    BylineName,
    /// A fixed phrase proves the word, with this confidence.
    Phrase(String, f32),
    /// Glued to the text: some word may be missing, nothing says which.
    Gap,
    /// Inserted between whole words or as an advertisement: nothing is missing.
    Inserted,
}

/// One decision per token, in the order given: the action and its confidence.
pub(crate) fn decide(placed: &[Placed<'_>], lines: &[&str]) -> Vec<(Action, f32)> {
    let names = names_by_title(placed, lines);
    let slots: Vec<Slot> = placed.iter().map(|p| slot(p, &names)).collect();
    let mut before_title: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (p, s) in placed.iter().zip(&slots) {
        if let Slot::Name(title) = s {
            *before_title.entry((p.text(), title)).or_default() += 1;
        }
    }
    placed
        .iter()
        .zip(slots)
        .map(|(p, s)| {
            let spam = p.token.confidence;
            match s {
                Slot::Inserted => (Action::Removed, spam),
                Slot::BylineName | Slot::Gap => (Action::Unresolved, spam),
                Slot::Phrase(word, c) if c >= RESTORE_AT => (Action::Restored(word), c),
                Slot::Phrase(..) => (Action::Unresolved, spam),
                Slot::Name(title) => {
                    let times = before_title[&(p.text(), title)];
                    match name_for(names.get(title), times) {
                        Some((name, c)) => (Action::Restored(name), c),
                        None => (Action::Unresolved, spam),
                    }
                }
            }
        })
        .collect()
}

fn slot(p: &Placed<'_>, names: &BTreeMap<&'static str, Vec<String>>) -> Slot {
    let (before, after) = (p.before(), p.after());
    if let Some(title) = context::title_at(after) {
        return Slot::Name(title);
    }
    if context::ends_with_byline_label(before) {
        let rest = after.trim_start();
        return if rest.chars().next().is_none_or(context::is_boundary) {
            Slot::BylineName
        } else {
            Slot::Inserted
        };
    }
    if let Some((word, confidence)) =
        phrase_word(before, after).or_else(|| title_after_name(before, names))
    {
        return Slot::Phrase(word, confidence);
    }
    let glued = before.chars().next_back().is_some_and(crate::cjk::is_cjk)
        || after.chars().next().is_some_and(crate::cjk::is_cjk);
    if glued && !p.token.ad {
        Slot::Gap
    } else {
        Slot::Inserted
    }
}

/// The single name this article writes before `title` elsewhere, and how sure the
/// restoration is: more tokens before the same title and more places naming the person make
/// it surer. Two different names before the same title prove nothing.
fn name_for(names: Option<&Vec<String>>, times: usize) -> Option<(String, f32)> {
    let names = names?;
    let distinct: BTreeSet<&String> = names.iter().collect();
    let [name] = distinct.into_iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let confidence = (0.6 + 0.1 * times.min(3) as f32 + 0.05 * names.len().min(3) as f32).min(0.97);
    (confidence >= RESTORE_AT).then(|| (name.clone(), confidence))
}

/// The title a token right after a person's name stands for: the one title the article
/// writes after that name elsewhere (习近平 + X where the text says 习近平总书记). More
/// mentions make it surer; a name written before two different titles proves nothing.
fn title_after_name(
    before: &str,
    names: &BTreeMap<&'static str, Vec<String>>,
) -> Option<(String, f32)> {
    let titles: Vec<(&str, usize)> = names
        .iter()
        .filter_map(|(title, written)| {
            let mentions = written
                .iter()
                .filter(|n| before.ends_with(n.as_str()))
                .count();
            (mentions > 0).then_some((*title, mentions))
        })
        .collect();
    let [(title, mentions)] = titles[..] else {
        return None;
    };
    Some((
        title.to_owned(),
        (0.65 + 0.1 * mentions.min(3) as f32).min(0.95),
    ))
}

/// For each title, the names written right before it anywhere in the text, not counting
/// places where a spam token stands before it.
fn names_by_title(placed: &[Placed<'_>], lines: &[&str]) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let mut at = 0;
        while at < line.len() {
            let rest = &line[at..];
            let Some(title) = context::title_at(rest) else {
                at += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            if let Some(name) = context::name_before(&line[..at]) {
                // A name that a spam token touches or stands in is no evidence.
                let from = at - name.len();
                let spam = placed
                    .iter()
                    .any(|p| p.index == i && p.token.start < at && p.token.end > from);
                if !spam {
                    out.entry(title).or_default().push(name);
                }
            }
            at += title.len();
        }
    }
    out
}

/// A fixed phrase: its parts, whether it opens a line, and whether it opens an official
/// document's title (`@` in phrases.txt).
struct Phrase {
    anchored: bool,
    title: bool,
    parts: Vec<String>,
}

fn phrases() -> &'static [Phrase] {
    // Parsed once: immutable data, like the lexicon.
    static PARSED: OnceLock<Vec<Phrase>> = OnceLock::new();
    PARSED.get_or_init(|| {
        PHRASES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| Phrase {
                anchored: l.starts_with(['^', '@']),
                title: l.starts_with('@'),
                parts: l
                    .trim_start_matches(['^', '@'])
                    .split('|')
                    .map(str::to_owned)
                    .collect(),
            })
            .collect()
    })
}

/// The word a fixed phrase (or a document title's `关于…的通知` shape) needs between
/// `before` and `after`, and how sure that is; `None` when nothing fits or two words fit
/// equally well.
fn phrase_word(before: &str, after: &str) -> Option<(String, f32)> {
    let mut found: Vec<(String, f32)> = Vec::new();
    let titled = before.trim().is_empty() && document_title(after);
    for phrase in phrases() {
        let n = phrase.parts.len();
        for i in 0..n {
            for j in i..n {
                let left = phrase.parts[..i].concat();
                let right = phrase.parts[j + 1..].concat();
                let fits_left = if phrase.anchored {
                    before.trim_start() == left
                } else {
                    // With nothing to match on the left, only a long right side proves the
                    // word: `X总工会` may be 市总工会, `X新时代中国特色社会主义思想` may not.
                    before.ends_with(&left)
                        && (!left.is_empty() || right.chars().count() >= LONG_RIGHT_SIDE)
                };
                // 加强, 做好, 开展… open ordinary sentences too: with nothing of the phrase
                // left of the gap, only a line shaped like a document's title proves 关于.
                let unproven = phrase.title && left.is_empty() && !titled;
                if right.is_empty() || !fits_left || unproven || !after.starts_with(&right) {
                    continue;
                }
                let context =
                    left.chars().count() + right.chars().count() + usize::from(phrase.anchored);
                let confidence = (0.6 + 0.08 * context as f32).min(0.95);
                found.push((phrase.parts[i..=j].concat(), confidence));
            }
        }
    }
    if titled {
        let word = if after.starts_with('于') {
            "关"
        } else {
            "关于"
        };
        found.push((word.to_owned(), DOCUMENT_TITLE));
    }
    let best = found.iter().map(|f| f.1).fold(0.0, f32::max);
    let mut words: Vec<&String> = found.iter().filter(|f| f.1 == best).map(|f| &f.0).collect();
    words.dedup();
    match words[..] {
        [word] => Some((word.clone(), best)),
        _ => None,
    }
}

/// Whether the rest of a line reads as an official document's title after its opening
/// 关于: short, one sentence, ending in 的通知, 的意见….
fn document_title(rest: &str) -> bool {
    rest.chars().count() <= DOCUMENT_TITLE_CHARS
        && !rest.contains('。')
        && DOCUMENT_ENDINGS
            .iter()
            .any(|e| rest.trim_end().ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_phrases_restore_the_missing_part() {
        assert_eq!(
            phrase_word("", "于印发《职工书屋管理办法》的通知").map(|w| w.0),
            Some("关".into())
        );
        assert_eq!(
            phrase_word("", "印发《职工书屋管理办法》的通知").map(|w| w.0),
            Some("关于".into())
        );
        assert_eq!(
            phrase_word("学习贯彻", "新时代中国特色社会主义思想").map(|w| w.0),
            Some("习近平".into())
        );
        assert_eq!(
            phrase_word("弘扬劳模精神、", "、工匠精神").map(|w| w.0),
            Some("劳动精神".into())
        );
    }

    #[test]
    fn a_phrase_at_a_line_start_restores_a_function_word() {
        assert_eq!(
            phrase_word("", "精彩内容请关注本报客户端").map(|w| w.0),
            Some("更多".into())
        );
        // `通过` and `随着` fit the same place: no phrase proves either.
        assert_eq!(phrase_word("", "各地工会驿站的建设，"), None);
    }

    #[test]
    fn a_phrase_needs_context_on_the_side_it_names() {
        // `关于X` could be followed by anything.
        assert_eq!(phrase_word("关于", "的学习"), None);
        // Not at the start of a line, `X印发` may be an office that issued something.
        assert_eq!(phrase_word("近日，", "印发了通知"), None);
    }

    #[test]
    fn a_sentence_opening_verb_is_not_a_document_title() {
        // A news paragraph that opens with 开展 or 加强 after an injected brand name: the
        // brand goes, and nothing says that 关于 stood there.
        assert_eq!(
            phrase_word("", "开展职工读书活动以来，全市新建书屋十二家。"),
            None
        );
        assert_eq!(phrase_word("", "加强产业工人队伍建设"), None);
        // Where 关 is still there, 于 is the only word that fits.
        assert_eq!(
            phrase_word("关", "加强产业工人队伍建设").map(|w| w.0),
            Some("于".into())
        );
        // A title line keeps its restoration.
        assert_eq!(
            phrase_word("", "开展2026年职工读书活动的通知").map(|w| w.0),
            Some("关于".into())
        );
    }

    #[test]
    fn a_document_title_opens_with_guanyu() {
        let (word, c) = phrase_word("", "做好2025年职工疗休养工作的通知").expect("a title");
        assert_eq!((word.as_str(), c), ("关于", DOCUMENT_TITLE));
    }

    #[test]
    fn a_token_after_a_name_stands_for_the_title_the_article_gives_it() {
        let mut names = BTreeMap::new();
        names.insert("总书记", vec!["习近平".to_owned(), "习近平".to_owned()]);
        let (title, c) = title_after_name("会议传达了习近平", &names).expect("a title");
        assert_eq!(title, "总书记");
        assert!(c >= RESTORE_AT);
        names.insert("同志", vec!["习近平".to_owned()]);
        assert_eq!(title_after_name("会议传达了习近平", &names), None);
        assert_eq!(title_after_name("会议传达了", &names), None);
    }

    #[test]
    fn two_names_for_one_title_prove_nothing() {
        let names = vec!["张三".to_owned(), "李四".to_owned()];
        assert_eq!(name_for(Some(&names), 3), None);
        let one = vec!["张三".to_owned()];
        assert_eq!(
            name_for(Some(&one), 1),
            None,
            "one token, one mention: 0.75"
        );
        assert!(name_for(Some(&one), 2).is_some_and(|(n, c)| n == "张三" && c >= RESTORE_AT));
    }
}
