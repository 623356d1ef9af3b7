//! Link farms: runs of short unrelated titles or place names that hacked pages carry, dozens
//! on one line or many short lines in a row. A run is found by its shape (many short items,
//! no sentence punctuation); real lists — numbered questions, a table of contents, a byline
//! or a list of names — are told apart by their numbering, their label and their names.

use super::context;
use super::lexicon::Lexicon;

/// A line with at least this many short items is a farm on its own.
const DENSE_ITEMS: usize = 8;
/// …or this many when one of them is a strong spam term.
const DENSE_ITEMS_WITH_SPAM: usize = 5;
/// An item longer than this is prose, not a link title.
const MAX_ITEM_CHARS: usize = 16;
/// Link titles are short: the items of a farm line average at most this many characters.
const MAX_MEAN_ITEM_CHARS: usize = 10;
/// Consecutive short lines (one item or more each) that make a farm.
const LONG_RUN: usize = 8;
/// Consecutive lines of at least [`LIST_LINE_ITEMS`] items each that make a farm.
const LIST_RUN: usize = 3;
const LIST_LINE_ITEMS: usize = 3;

/// A link farm: lines `first..=last` (0-based) of the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub first: usize,
    pub last: usize,
    pub items: Vec<String>,
    /// Holds a strong gambling or adult term.
    pub spam: bool,
}

impl Run {
    /// How sure the shape makes it: more items, and spam among them, make it surer.
    pub(crate) fn confidence(&self) -> f32 {
        let extra = self.items.len().saturating_sub(DENSE_ITEMS) as f32 * 0.02;
        let spam = if self.spam { 0.1 } else { 0.0 };
        (0.75 + extra + spam).min(0.98)
    }
}

/// A line made only of short items.
#[derive(Debug)]
struct Shape<'a> {
    items: Vec<&'a str>,
    spam: bool,
}

/// Every link farm in `lines`, in order.
pub(crate) fn find(lines: &[&str], lexicon: &Lexicon) -> Vec<Run> {
    let shapes: Vec<Option<Shape<'_>>> = lines.iter().map(|l| shape(l, lexicon)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if shapes[i].is_none() {
            i += 1;
            continue;
        }
        // A run: shaped lines, with blank lines allowed between them.
        let mut members = vec![i];
        let mut j = i + 1;
        while j < lines.len() && (shapes[j].is_some() || lines[j].trim().is_empty()) {
            if shapes[j].is_some() {
                members.push(j);
            }
            j += 1;
        }
        let label = previous_text(lines, i);
        let of = |k: &usize| shapes[*k].as_ref().expect("members are shaped lines");
        let whole = members.len() >= LONG_RUN
            || members.len() >= LIST_RUN
                && members.iter().all(|k| of(k).items.len() >= LIST_LINE_ITEMS);
        let groups: Vec<Vec<usize>> = if whole {
            vec![members]
        } else {
            members
                .into_iter()
                .filter(|k| is_dense(of(k)))
                .map(|k| vec![k])
                .collect()
        };
        for group in groups {
            let run = Run {
                first: group[0],
                last: group[group.len() - 1],
                items: group
                    .iter()
                    .flat_map(|k| of(k).items.iter().map(|s| (*s).to_owned()))
                    .collect(),
                spam: group.iter().any(|k| of(k).spam),
            };
            let first_line = lines[run.first];
            if run.spam || !is_real_list(&run, first_line, label) {
                out.push(run);
            }
        }
        i = j;
    }
    out
}

fn is_dense(shape: &Shape<'_>) -> bool {
    let needed = if shape.spam {
        DENSE_ITEMS_WITH_SPAM
    } else {
        DENSE_ITEMS
    };
    shape.items.len() >= needed
}

/// The last non-blank line before line `i`.
fn previous_text<'a>(lines: &[&'a str], i: usize) -> &'a str {
    lines[..i]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .copied()
        .unwrap_or("")
}

/// A list an article means to print: under a label (`名单如下：`, `目录`), a byline, or a
/// list of people's names.
fn is_real_list(run: &Run, first_line: &str, label: &str) -> bool {
    let label = label.trim();
    let labelled = label.ends_with(['：', ':'])
        || label.contains("名单")
        || label == "目录"
        || label == "目 录";
    let names = run.items.iter().filter(|s| is_name(s)).count();
    labelled || context::is_byline(first_line) || names * 5 >= run.items.len() * 4
}

/// Two or three Han characters starting with a common surname.
fn is_name(item: &str) -> bool {
    let chars: Vec<char> = item.chars().collect();
    (2..=3).contains(&chars.len())
        && chars.iter().all(|c| crate::cjk::is_cjk(*c))
        && context::is_surname(chars[0])
}

/// Splits a line into its short items, or `None` when it reads as prose or a numbered list.
fn shape<'a>(line: &'a str, lexicon: &Lexicon) -> Option<Shape<'a>> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with(['#', '-', '*', '>', '+']) {
        return None;
    }
    // Sentence punctuation, or a Markdown table row: prose or a real table, not a farm.
    if trimmed.chars().any(|c| "。，、！？；：,;!?:".contains(c))
        || trimmed.starts_with('|') && trimmed.ends_with('|')
    {
        return None;
    }
    let items: Vec<&str> = trimmed
        .split(|c: char| c.is_whitespace() || "|｜丨/".contains(c))
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() || items.iter().any(|s| s.chars().count() > MAX_ITEM_CHARS) {
        return None;
    }
    let total: usize = items.iter().map(|s| s.chars().count()).sum();
    let numbered = items.iter().filter(|s| is_numbered(s)).count();
    if total > MAX_MEAN_ITEM_CHARS * items.len() || numbered * 2 >= items.len() {
        return None;
    }
    let spam = lexicon.strong_hits(trimmed).next().is_some();
    Some(Shape { items, spam })
}

/// An item that opens with list numbering: `1.`, `一、`, `（一）`, `第三章`.
fn is_numbered(item: &str) -> bool {
    let numerals = |c: char| c.is_ascii_digit() || "一二三四五六七八九十百零〇".contains(c);
    let rest = item.trim_start_matches(['（', '(']);
    let digits: String = rest.chars().take_while(|c| numerals(*c)).collect();
    if !digits.is_empty() {
        let next = rest[digits.len()..].chars().next();
        return next.is_some_and(|c| "、.．)）".contains(c));
    }
    rest.starts_with('第') && rest.chars().nth(1).is_some_and(numerals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(usize, usize, usize)> {
        let lines: Vec<&str> = text.split('\n').collect();
        find(&lines, Lexicon::shared())
            .into_iter()
            .map(|r| (r.first, r.last, r.items.len()))
            .collect()
    }

    #[test]
    fn dozens_of_place_names_on_one_line_are_a_farm() {
        let text = "正文第一段。\n北京 上海 天津 重庆 广州 深圳 成都 武汉 西安 杭州\n正文第二段。";
        assert_eq!(runs(text), [(1, 1, 10)]);
    }

    #[test]
    fn many_short_lines_in_a_row_are_a_farm() {
        let titles = [
            "春季招聘会",
            "二手房出售",
            "葡京娱乐官网",
            "汽车年检",
            "家电维修",
            "旅游攻略",
            "美食推荐",
            "招商加盟",
        ];
        let text = format!("正文。\n{}\n正文。", titles.join("\n\n"));
        assert_eq!(runs(&text), [(1, 15, 8)]);
    }

    #[test]
    fn real_lists_stay() {
        // A numbered list of study questions.
        let questions =
            "1. 新质生产力的内涵是什么？\n2. 工会怎样参与技能培训？\n3. 怎样理解劳动精神？";
        assert!(runs(questions).is_empty());
        // A table of contents.
        let toc = "目录\n第一章 总则\n第二章 会员\n第三章 组织制度\n第四章 基层组织\n第五章 经费和资产\n第六章 附则\n第七章 其他\n第八章 补充";
        assert!(runs(toc).is_empty());
        // A byline with several names, and a list of names under its label.
        assert!(runs("作者：张伟 李娜 王芳 刘洋 陈静 杨帆 赵磊 黄敏").is_empty());
        assert!(runs("获奖人员名单如下：\n张伟 李娜 王芳 刘洋 陈静 杨帆 赵磊 黄敏").is_empty());
    }

    #[test]
    fn a_title_beside_a_farm_line_stays() {
        let text = "工会驿站暖人心\n北京 上海 天津 重庆 广州 深圳 成都 武汉 西安 杭州";
        assert_eq!(runs(text), [(1, 1, 10)]);
    }

    #[test]
    fn spam_lowers_the_bar() {
        assert_eq!(runs("百家乐 时时彩 葡京 旅游 美食"), [(0, 0, 5)]);
        assert!(runs("旅游 美食 汽车 家电 房产").is_empty());
    }
}
