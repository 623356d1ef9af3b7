//! One article's blocks → its clean paragraphs: paragraphs cut mid-sentence are joined to
//! their continuation (even across a pull-quote, a displaced headline or the other column's
//! text), duplicates are dropped, damage is flagged and the punctuation made Chinese.

use std::collections::VecDeque;

use super::blocks::{Block, join_into};
use super::script::{ends_sentence, is_chinese};
use super::split::Part;
use super::{damage, typography};
use crate::source::import_record::{Flag, ImportRecord, Removed, RemovedKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Para {
    /// A `##` section title.
    Heading(String),
    Text(String),
}

/// A paragraph with the input line it starts on.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub line: usize,
    pub para: Para,
}

/// How far a paragraph cut mid-sentence looks for its continuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Joining {
    /// The text indents its paragraphs: an unindented block continues an earlier one.
    Indented,
    /// No indents: any block after a cut paragraph continues it.
    Unindented,
    /// A Markdown body: its paragraphs are the editor's and are never joined.
    WithinParagraphs,
}

/// The body's paragraphs in order, with cut paragraphs joined to their continuations.
///
/// A block that does not start a paragraph (not indented, in a text whose paragraphs are)
/// continues the oldest paragraph still waiting for the end of its sentence: when two columns
/// are interleaved, each column's pieces find their own beginning in turn.
pub(super) fn rejoin(body: Vec<Part>, joining: Joining, record: &mut ImportRecord) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::new();
    let mut waiting: VecDeque<usize> = VecDeque::new();
    for part in body {
        let block = match part {
            Part::Heading(b) => {
                record.joined += b.joined;
                out.push(Placed {
                    line: b.line,
                    para: Para::Heading(b.text),
                });
                continue;
            }
            Part::Byline(b, _) => {
                record.joined += b.joined;
                out.push(placed(b));
                continue;
            }
            Part::Text(b) => b,
        };
        record.joined += block.joined;
        let continues = !block.indented && joining != Joining::WithinParagraphs;
        match waiting.front().copied() {
            Some(i) if continues => {
                if let Para::Text(text) = &mut out[i].para {
                    join_into(text, &block.text);
                    record.joined += 1;
                    if ends_sentence(text) {
                        waiting.pop_front();
                    }
                }
            }
            _ => {
                if !ends_sentence(&block.text) && block.is_prose() {
                    waiting.push_back(out.len());
                }
                out.push(placed(block));
            }
        }
    }
    out
}

fn placed(b: Block) -> Placed {
    Placed {
        line: b.line,
        para: Para::Text(b.text),
    }
}

/// Drops a paragraph printed twice, and a short one (a lead, a pull-quote, a cut-off copy
/// ending in `...`) whose words stand in a longer paragraph.
pub(super) fn dedupe(paras: Vec<Placed>, record: &mut ImportRecord) -> Vec<Placed> {
    let texts: Vec<String> = paras
        .iter()
        .map(|p| match &p.para {
            Para::Text(t) => t.clone(),
            Para::Heading(_) => String::new(),
        })
        .collect();
    let repeated = repeated(&texts);
    let mut out = Vec::with_capacity(paras.len());
    for ((p, text), again) in paras.into_iter().zip(texts).zip(repeated) {
        if again {
            record.removed.push(Removed {
                line: p.line,
                kind: RemovedKind::Duplicate,
                text,
            });
        } else {
            out.push(p);
        }
    }
    out
}

/// Paragraphs this short are never dropped as repeats: they recur honestly (a byline, 图片).
const MIN_REPEAT_CHARS: usize = 8;

/// Which paragraphs repeat another: the same text earlier, or their words inside a longer
/// paragraph anywhere (a pull-quote, a caption repeating the text). All paragraphs' words are
/// looked for in one pass over the article (Aho-Corasick), so a long article costs its length,
/// not the square of its paragraph count.
fn repeated(texts: &[String]) -> Vec<bool> {
    let chars: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let candidates: Vec<usize> = (0..texts.len())
        .filter(|&i| core(&texts[i]).chars().count() >= MIN_REPEAT_CHARS)
        .collect();
    let mut out = vec![false; texts.len()];
    let mut seen = std::collections::HashSet::new();
    for &i in &candidates {
        out[i] = !seen.insert(texts[i].as_str());
    }
    // Paragraph-long patterns make a DFA that costs far more to build than one article takes
    // to search (it was two thirds of an import's time): an NFA builds in the patterns' length.
    let Ok(finder) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(candidates.iter().map(|&i| core(&texts[i])))
    else {
        return out; // too many patterns to build a finder: keep them all
    };
    for (j, text) in texts.iter().enumerate() {
        for found in finder.find_overlapping_iter(text.as_str()) {
            let i = candidates[found.pattern().as_usize()];
            if i != j && chars[j] > chars[i] {
                out[i] = true;
            }
        }
    }
    out
}

/// A paragraph's words without the quotes around it or the punctuation that ends it.
fn core(text: &str) -> &str {
    text.trim()
        .trim_start_matches(['“', '"', '「'])
        .trim_end_matches(['”', '"', '」'])
        .trim_end_matches("...")
        .trim_end_matches(['。', '！', '？', '…', '.', '，'])
}

/// Flags damage, then punctuates: in that order, so `...` is still seen as a cut.
pub(super) fn finish(paras: Vec<Placed>, record: &mut ImportRecord) -> Vec<Para> {
    paras
        .into_iter()
        .map(|p| match p.para {
            Para::Text(text) => {
                for message in damage::flags(&text) {
                    record.flags.push(Flag {
                        line: p.line,
                        message,
                    });
                }
                let (text, n) = typography::punctuate(&text);
                record.punctuation += n;
                Para::Text(text)
            }
            heading => heading,
        })
        .collect()
}

/// Whether the text lays its paragraphs out with an indent (so an unindented block continues).
pub(super) fn indenting(parts: &[Part]) -> bool {
    parts
        .iter()
        .any(|p| matches!(p, Part::Text(b) if b.indented && b.text.chars().any(is_chinese)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_earlier_copies_and_words_inside_longer_paragraphs() {
        let texts: Vec<String> = [
            "职工书屋是职工读书学习的重要阵地。",
            "“职工书屋是职工读书学习的重要阵地”",
            "图片",
            "图片",
            "各地工会持续推进职工书屋建设，职工书屋是职工读书学习的重要阵地。",
            "各地工会持续推进职工书屋建设，职工书屋是职工读书学习的重要阵地。",
            "另起一段，与上文无关的话。",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            repeated(&texts),
            [true, true, false, false, false, true, false],
            "a quote of a longer paragraph's words and a second copy go; short ones and the first copy stay"
        );
    }
}
