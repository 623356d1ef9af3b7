//! Lines → blocks. A block is a paragraph, a headline or a byline as the source laid it
//! out: lines broken by a PDF, an OCR scan or a narrow column are joined back, and a space
//! in the middle of a Chinese sentence is removed. Blank lines and removed chrome end a block.

use std::sync::LazyLock;

use regex::Regex;

use super::script::{ends_sentence, heading_like, is_chinese, is_indented, starts_with_closing};

/// One line of the input after the per-line steps, with its 1-based line number.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub no: usize,
    pub text: String,
    /// Removed as chrome: ends the block it interrupts.
    pub chrome: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    /// Line number of its first line.
    pub line: usize,
    /// Whether its first line was indented, the mark of a new paragraph.
    pub indented: bool,
    pub text: String,
    /// Line breaks and spaces removed inside it.
    pub joined: usize,
}

impl Block {
    /// Sentence text (not a headline or a name), so a line after it may continue it.
    pub(super) fn is_prose(&self) -> bool {
        self.indented || !heading_like(&self.text)
    }
}

/// Joins lines into blocks.
pub(super) fn blocks(lines: &[Line]) -> Vec<Block> {
    let indenting = lines.iter().any(|l| !l.chrome && is_indented(&l.text));
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for line in lines {
        let text = line.text.trim();
        if line.chrome || text.is_empty() {
            open = false;
            continue;
        }
        let indented = is_indented(&line.text);
        let continues = open
            && !indented
            && out.last().is_some_and(|b| {
                starts_with_closing(text)
                    || b.is_prose()
                        && (!ends_sentence(&b.text)
                            || indenting && b.indented && !heading_like(text))
            });
        match out.last_mut() {
            Some(block) if continues => {
                join_into(&mut block.text, text);
                block.joined += 1;
            }
            _ => out.push(Block {
                line: line.no,
                indented,
                text: text.to_owned(),
                joined: 0,
            }),
        }
        open = true;
    }
    for b in out.iter_mut().filter(|b| b.is_prose()) {
        let (text, spaces) = close_spaces(&b.text);
        b.text = text;
        b.joined += spaces;
    }
    out
}

/// Appends `next` to a paragraph: directly between Chinese text and inside a number a PDF
/// broke (`19` / `89年`), with one space between two Latin words.
pub(super) fn join_into(text: &mut String, next: &str) {
    let last = text.chars().next_back();
    let first = next.chars().next();
    if let (Some(a), Some(b)) = (last, first)
        && a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
    {
        text.push(' ');
    }
    text.push_str(next);
}

/// Removes spaces that stand between two Chinese characters; counts the runs removed. The
/// space after a paragraph's opening dateline stays (`本报讯 全国总工会…`,
/// `新华社北京3月5日电 …`): there it is the newspaper's own.
pub(super) fn close_spaces(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let dateline_end = dateline_end(&chars);
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if Some(i) == dateline_end {
            out.push(' ');
            i += chars[i..].iter().take_while(|&&c| c == ' ').count();
            continue;
        }
        if c == ' ' && i > 0 {
            let end = chars[i..]
                .iter()
                .position(|&c| c != ' ')
                .map_or(chars.len(), |n| i + n);
            if end < chars.len() && is_chinese(chars[i - 1]) && is_chinese(chars[end]) {
                removed += 1;
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    (out, removed)
}

/// Where the space after a paragraph's opening dateline stands, if it opens with one:
/// 本报讯, 本报北京3月5日讯, 新华社北京3月5日电, 中新网3月5日电.
fn dateline_end(chars: &[char]) -> Option<usize> {
    static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:本报[\p{Han}\d]{0,12}讯|[\p{Han}]{1,6}(?:社|网|台)[\p{Han}\d]{0,12}电)$")
            .expect("the dateline pattern is valid")
    });
    let start = chars.iter().take_while(|c| c.is_whitespace()).count();
    let space = start + chars[start..].iter().position(|&c| c == ' ')?;
    let before: String = chars[start..space].iter().collect();
    DATELINE.is_match(&before).then_some(space)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `本报讯 全国总工会…` lost the space a newspaper puts after its dateline.
    #[test]
    fn the_space_after_a_dateline_stays() {
        for (text, closed) in [
            (
                "　　本报讯 全国总工会近日 印发通知。",
                "　　本报讯 全国总工会近日印发通知。",
            ),
            (
                "新华社北京3月5日电  全国总工会召开会议。",
                "新华社北京3月5日电 全国总工会召开会议。",
            ),
            (
                "本报北京3月5日讯 记者从全总获悉。",
                "本报北京3月5日讯 记者从全总获悉。",
            ),
            ("停电 造成损失。", "停电造成损失。"),
        ] {
            assert_eq!(close_spaces(text).0, closed, "{text}");
        }
    }

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                no: i + 1,
                text: t.to_owned(),
                chrome: false,
            })
            .collect()
    }

    #[test]
    fn pdf_lines_are_joined_and_headlines_kept() {
        let b = blocks(&lines(
            "工会驿站 为户外劳动者撑起一片天\n\n　　快递员、外卖送餐\n员在路上\n。渴了能喝上热水，如厕 等服务。\n　　第二段。",
        ));
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "工会驿站 为户外劳动者撑起一片天",
                "快递员、外卖送餐员在路上。渴了能喝上热水，如厕等服务。",
                "第二段。"
            ]
        );
        assert_eq!(b[1].joined, 3);
    }

    #[test]
    fn a_number_broken_by_a_pdf_is_joined_without_a_space() {
        let b = blocks(&lines(
            "　　1989年起，共有6\n063名职工参加。\n　　Open\nsource 工具。",
        ));
        assert_eq!(b[0].text, "1989年起，共有6063名职工参加。");
        assert_eq!(b[1].text, "Open source 工具。");
    }

    #[test]
    fn two_headlines_on_two_lines_stay_apart() {
        let b = blocks(&lines("数字人才培育\n数字人才培育\n　　正文。"));
        assert_eq!(b.len(), 3);
    }
}
