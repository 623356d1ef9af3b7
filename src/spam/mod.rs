//! Spam that a hacked source site injected into an article: link farms, and gambling or
//! adult brand names inserted into the text or standing in for a word. [`clean`] removes it
//! and restores a displaced word only when the article proves it, recording every change as a
//! [`Finding`]; the lexicon is also what the publishing guard (`check::spam`) looks for.
//! Reading files and writing front matter is the importer's; this module works on text.

mod context;
mod lexicon;
mod linkfarm;
mod restore;
mod tokens;

pub use lexicon::Category;
pub(crate) use lexicon::Lexicon;

use restore::Placed;
use tokens::Token;

/// An article's text with the spam taken out, and what was taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    pub text: String,
    pub findings: Vec<Finding>,
}

impl Cleaned {
    /// Whether an editor must look before this article is published: `gongdu import` writes
    /// such an article as `draft: true`.
    pub fn has_unresolved(&self) -> bool {
        self.findings.iter().any(|f| f.action == Action::Unresolved)
    }
}

/// One change: where it was in the input text (1-based line, and column in characters),
/// what was there, what was done and how sure the cleaner is.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub line: usize,
    pub column: usize,
    /// The removed text; for a link farm, its first items and `…`.
    pub term: String,
    pub action: Action,
    /// For a removal, how sure the text was spam; for a restoration, how sure the word is.
    pub confidence: f32,
    pub category: Category,
    /// The last input line the finding covers (a link farm spans several).
    pub end_line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Removed; it was inserted between whole words, so nothing is missing.
    Removed,
    /// Removed, and this word, which the context proves, put in its place.
    Restored(String),
    /// Removed where a word is probably missing and nothing proves which: an editor must look.
    Unresolved,
    /// A run of link-farm lines, removed whole.
    LinkFarm,
}

/// Cleans an article's body text (Simplified, broken lines already joined).
pub fn clean(text: &str) -> Cleaned {
    let lexicon = Lexicon::shared();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut findings = Vec::new();
    let mut dropped = vec![false; lines.len()];
    for run in linkfarm::find(&lines, lexicon) {
        dropped[run.first..=run.last].fill(true);
        findings.push(farm_finding(&run, lines[run.first]));
    }
    let visible: Vec<&str> = lines
        .iter()
        .zip(&dropped)
        .map(|(l, d)| if *d { "" } else { *l })
        .collect();
    let mut placed = Vec::new();
    for (index, line) in visible.iter().enumerate() {
        let found = tokens::find(line, lexicon);
        if is_spam_paragraph(line, &found) {
            dropped[index] = true;
            findings.push(paragraph_finding(index, line, &found));
            continue;
        }
        placed.extend(found.into_iter().map(|token| Placed { index, line, token }));
    }
    let decisions = restore::decide(&placed, &visible);
    let mut out_lines: Vec<Option<String>> = lines.iter().map(|l| Some((*l).to_owned())).collect();
    for (i, d) in dropped.iter().enumerate() {
        if *d {
            out_lines[i] = None;
        }
    }
    let mut at = 0;
    while at < placed.len() {
        let index = placed[at].index;
        let end = at + placed[at..].iter().take_while(|p| p.index == index).count();
        let line = lines[index];
        let changes: Vec<(&Token, &Action)> = placed[at..end]
            .iter()
            .zip(&decisions[at..end])
            .map(|(p, d)| (&p.token, &d.0))
            .collect();
        let rebuilt = rebuild(line, &changes);
        out_lines[index] = has_text(&rebuilt).then_some(rebuilt);
        for (p, (action, confidence)) in placed[at..end].iter().zip(&decisions[at..end]) {
            findings.push(Finding {
                line: index + 1,
                column: line[..p.token.start].chars().count() + 1,
                term: line[p.token.start..p.token.end].to_owned(),
                action: action.clone(),
                confidence: round(*confidence),
                category: p.token.category,
                end_line: index + 1,
            });
        }
        at = end;
    }
    findings.sort_by_key(|f| (f.line, f.column));
    Cleaned {
        text: join_kept(&lines, &out_lines),
        findings,
    }
}

/// Strong tokens in a paragraph from which it may be an advertisement as a whole…
const SPAM_PARAGRAPH_TOKENS: usize = 2;
/// …when spam makes up at least this share of its characters.
const SPAM_PARAGRAPH_SHARE: f32 = 0.5;
/// How much of a removed paragraph the report quotes.
const QUOTED_CHARS: usize = 30;

/// A paragraph that is an advertisement: several strong tokens that make up half of it. A
/// byline never is: it names the writer, whatever was inserted beside the name.
fn is_spam_paragraph(line: &str, found: &[Token]) -> bool {
    if context::is_byline(line) {
        return false;
    }
    let strong = found
        .iter()
        .filter(|t| t.confidence >= tokens::STRONG_AT)
        .count();
    let spam: usize = found
        .iter()
        .map(|t| line[t.start..t.end].chars().count())
        .sum();
    let all = line.chars().filter(|c| !c.is_whitespace()).count();
    strong >= SPAM_PARAGRAPH_TOKENS && spam as f32 >= all as f32 * SPAM_PARAGRAPH_SHARE
}

fn paragraph_finding(index: usize, line: &str, found: &[Token]) -> Finding {
    let indent = line.len() - line.trim_start().len();
    let mut term: String = line.trim().chars().take(QUOTED_CHARS).collect();
    if line.trim().chars().count() > QUOTED_CHARS {
        term.push('…');
    }
    Finding {
        line: index + 1,
        column: line[..indent].chars().count() + 1,
        term,
        action: Action::Removed,
        confidence: round(found.iter().map(|t| t.confidence).fold(0.0, f32::max)),
        category: found.first().map_or(Category::Promo, |t| t.category),
        end_line: index + 1,
    }
}

fn farm_finding(run: &linkfarm::Run, first_line: &str) -> Finding {
    let indent = first_line.len() - first_line.trim_start().len();
    let mut term = run
        .items
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if run.items.len() > 3 {
        term.push('…');
    }
    Finding {
        line: run.first + 1,
        column: first_line[..indent].chars().count() + 1,
        term,
        action: Action::LinkFarm,
        confidence: round(run.confidence()),
        category: Category::LinkFarm,
        end_line: run.last + 1,
    }
}

/// Two decimals: confidences are estimates, and the report should read as such.
fn round(c: f32) -> f32 {
    (c * 100.0).round() / 100.0
}

/// Whether a line still holds words (a line that was only an advertisement does not).
fn has_text(line: &str) -> bool {
    line.chars().any(char::is_alphanumeric)
}

/// `line` with each token replaced by its restoration or removed; a space that only
/// separated the token from its neighbours goes with it.
fn rebuild(line: &str, changes: &[(&Token, &Action)]) -> String {
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    for (token, action) in changes {
        out.push_str(&line[from..token.start]);
        from = token.end;
        if let Action::Restored(word) = action {
            out.push_str(word);
            continue;
        }
        let next = line[from..].chars().next();
        // After a space or punctuation, a space that followed the token is left over.
        let space_before = out.chars().next_back().is_none_or(context::is_boundary);
        match next {
            Some(c @ (' ' | '\u{3000}')) if space_before => from += c.len_utf8(),
            None => out.truncate(out.trim_end_matches([' ', '\u{3000}']).len()),
            _ => {}
        }
    }
    out.push_str(&line[from..]);
    out
}

/// The kept lines joined again; where removing lines left two blank lines together, one goes.
fn join_kept(lines: &[&str], kept: &[Option<String>]) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut removed_since_text = false;
    for line in kept {
        match line {
            None => removed_since_text = true,
            Some(l) => {
                let blank = l.trim().is_empty();
                if blank && removed_since_text && out.last().is_some_and(|p| p.trim().is_empty()) {
                    continue;
                }
                if !blank {
                    removed_since_text = false;
                }
                out.push(l);
            }
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_that_only_separated_the_token_goes_with_it() {
        assert_eq!(clean("作者：张三 葡京娱乐").text, "作者：张三");
        assert_eq!(clean("葡京娱乐 今天，工会").text, "今天，工会");
        assert_eq!(clean("张三 葡京娱乐 李四").text, "张三 李四");
    }

    #[test]
    fn a_line_that_was_only_an_advertisement_goes() {
        assert_eq!(
            clean("第一段。\n\n葡京娱乐官网\n\n第二段。").text,
            "第一段。\n\n第二段。"
        );
    }

    #[test]
    fn two_people_before_one_title_leave_the_gap_unresolved() {
        let cleaned = clean("张三同志和李四同志出席。葡京同志讲话，葡京同志总结。");
        assert_eq!(cleaned.text, "张三同志和李四同志出席。同志讲话，同志总结。");
        let actions: Vec<_> = cleaned
            .findings
            .iter()
            .map(|f| (f.column, &f.action))
            .collect();
        assert_eq!(
            actions,
            [(13, &Action::Unresolved), (20, &Action::Unresolved)]
        );
    }

    #[test]
    fn a_byline_without_its_name_is_unresolved() {
        let cleaned = clean("本报记者 葡京娱乐\n正文。");
        assert_eq!(cleaned.text, "本报记者\n正文。");
        assert_eq!(cleaned.findings[0].action, Action::Unresolved);
        assert!(cleaned.has_unresolved());
    }

    #[test]
    fn innocent_text_is_untouched() {
        let text = "庆祝澳门回归二十五周年，职工体育比赛和文艺娱乐活动同时举行。\n\n\
                    财政部修订彩票管理条例，要求彩票机构公开资金使用情况。";
        let cleaned = clean(text);
        assert_eq!(cleaned.text, text);
        assert!(cleaned.findings.is_empty());
    }
}
