//! One input file → its articles as Markdown files. Runs the steps in order and files each
//! change in the record of the article whose lines it touched (a change above the first
//! article, such as the page's breadcrumbs, goes to the first).

use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::blocks::{self, Line};
use super::chrome::{self, Facts};
use super::report::ArticleReport;
use super::split::{self, Draft, Part};
use super::tidy::{self, Joining};
use super::{Article, Kind, Tools, damage, decode, extract, spam, typography, write};
use crate::source::frontmatter;
use crate::source::import_record::{Flag, ImportRecord, Removed, RemovedKind, Repair, SpamNote};

/// The articles of one input.
pub(super) struct Files {
    pub encoding: Option<String>,
    pub outputs: Vec<Output>,
}

pub(super) struct Output {
    pub title: String,
    pub text: String,
    pub report: ArticleReport,
}

/// A change made to one line before the text is cut into articles.
enum Event {
    Converted(usize),
    Glosses(usize),
    Removed(Removed),
    Repair(Repair),
    Flag(Flag),
}

/// Whether site chrome is looked for: not in a Markdown body, which is the editor's own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Chrome {
    Remove,
    Keep,
}

pub(super) fn import_bytes(
    tools: &Tools,
    path: &Path,
    bytes: &[u8],
    kind: Option<Kind>,
) -> Result<Files, String> {
    let decoded = decode::decode(bytes);
    let encoding = decoded.encoding.map(str::to_owned);
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let stem = path
        .file_stem()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let base = ImportRecord {
        from: name,
        encoding: encoding.clone(),
        ..ImportRecord::default()
    };
    let outputs = match kind {
        Some(Kind::Markdown) => vec![reimport(tools, path, &decoded.text, base)?],
        Some(Kind::Html) => {
            let page = extract::extract(&decoded.text);
            let title = page.title.unwrap_or(stem);
            page_articles(tools, &page.text, &base, &page.facts, &title)
        }
        _ => page_articles(tools, &decoded.text, &base, &Facts::default(), &stem),
    };
    Ok(Files { encoding, outputs })
}

/// The per-line steps: repair proved mojibake, convert to Simplified, strip glosses, and
/// (for a page) mark chrome, collecting its facts.
fn prepare(
    tools: &Tools,
    text: &str,
    first_line: usize,
    chrome: Chrome,
    facts: &mut Facts,
    events: &mut Vec<(usize, Event)>,
) -> Vec<Line> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let no = first_line + i;
        let mut line = raw.to_owned();
        if let Some(m) = damage::mend(&line) {
            events.push((
                no,
                Event::Repair(Repair {
                    line: no,
                    how: m.how.to_owned(),
                    from: m.from,
                    to: m.to,
                }),
            ));
            line = m.text;
        }
        let (converted, n) = tools.converter.convert(&line);
        if n > 0 {
            events.push((no, Event::Converted(n)));
        }
        let unglossed = tools.glosses.strip(&converted);
        if unglossed.removed > 0 {
            events.push((no, Event::Glosses(unglossed.removed)));
        }
        for (before, gloss) in unglossed.orphans {
            let message = format!(
                "`{before}({gloss})`: the character glossed `{gloss}` is garbled as `{before}`; check the source"
            );
            events.push((no, Event::Flag(Flag { line: no, message })));
        }
        let line = unglossed.text;
        let is_chrome = chrome == Chrome::Remove && chrome::is_chrome(&line, facts);
        if is_chrome {
            let text = line.trim().to_owned();
            events.push((
                no,
                Event::Removed(Removed {
                    line: no,
                    kind: RemovedKind::Chrome,
                    text,
                }),
            ));
        }
        lines.push(Line {
            no,
            text: line,
            chrome: is_chrome,
        });
    }
    lines
}

fn page_articles(
    tools: &Tools,
    text: &str,
    base: &ImportRecord,
    outer: &Facts,
    fallback: &str,
) -> Vec<Output> {
    let mut facts = Facts::default();
    let mut events = Vec::new();
    let lines = prepare(tools, text, 1, Chrome::Remove, &mut facts, &mut events);
    let facts = facts.or(outer);
    let parts = split::parts(blocks::blocks(&lines));
    let indenting = tidy::indenting(&parts);
    let drafts = split::articles(parts);
    let starts: Vec<usize> = drafts.iter().map(first_line).collect();
    let mut records = vec![base.clone(); drafts.len().max(1)];
    for (line, event) in events {
        let i = starts.iter().rposition(|&s| s <= line).unwrap_or(0);
        file_event(&mut records[i], event);
    }
    drafts
        .into_iter()
        .zip(records)
        // An empty input, or a page whose every line was chrome, has no article to write.
        .filter(|(draft, _)| !draft.headings.is_empty() || !draft.body.is_empty())
        .map(|(draft, record)| {
            let joining = if indenting {
                Joining::Indented
            } else {
                Joining::Unindented
            };
            let article = article(draft, record, &facts, fallback, joining, spam::check);
            let text = write::file(&write::front_matter(&article), &article.body);
            Output {
                title: article.title.clone(),
                report: ArticleReport::new(&article),
                text,
            }
        })
        .collect()
}

fn first_line(d: &Draft) -> usize {
    let body = d.body.iter().map(|p| match p {
        Part::Heading(b) | Part::Byline(b, _) | Part::Text(b) => b.line,
    });
    d.headings
        .iter()
        .map(|b| b.line)
        .chain(d.byline_blocks.iter().map(|b| b.line))
        .chain(body)
        .min()
        .unwrap_or(1)
}

fn file_event(record: &mut ImportRecord, event: Event) {
    match event {
        Event::Converted(n) => record.converted += n,
        Event::Glosses(n) => record.glosses += n,
        Event::Removed(r) => record.removed.push(r),
        Event::Repair(r) => record.repairs.push(r),
        Event::Flag(f) => record.flags.push(f),
    }
}

/// The spam step's signature (`spam::check`; tests pass findings of their own).
type SpamCheck = fn(&str) -> (String, Vec<SpamNote>);

/// A draft → an article: title and subtitle, authors, the tidied body, spam.
fn article(
    draft: Draft,
    mut record: ImportRecord,
    facts: &Facts,
    fallback: &str,
    joining: Joining,
    spam_check: SpamCheck,
) -> Article {
    let mut headings = draft.headings.into_iter();
    let title = headings
        .next()
        .map_or_else(|| fallback.to_owned(), |b| b.text);
    let subtitle = headings.next().and_then(|b| {
        if b.text == title {
            record.removed.push(Removed {
                line: b.line,
                kind: RemovedKind::Duplicate,
                text: b.text,
            });
            None
        } else {
            Some(b.text)
        }
    });
    let paras = tidy::rejoin(draft.body, joining, &mut record);
    let paras = tidy::dedupe(paras, &mut record);
    let paras = tidy::finish(paras, &mut record);
    let (body, notes) = spam_check(&write::body(&paras));
    record.spam.extend(notes);
    let mut punctuate = |t: String| {
        let (t, n) = typography::punctuate(&t);
        record.punctuation += n;
        t
    };
    let title = punctuate(title);
    let subtitle = subtitle.map(&mut punctuate);
    let authors = if draft.byline.authors.is_empty() {
        facts.authors.clone()
    } else {
        draft.byline.authors
    };
    let draft_flag = spam::needs_review(&record.spam);
    Article {
        title,
        subtitle,
        authors,
        affiliation: draft.byline.affiliation,
        facts: facts.clone(),
        body,
        record,
        draft: draft_flag,
    }
}

/// A Markdown file (gongdu's own output, or an editor's article) cleaned again: its front
/// matter is kept as it is, the body goes through the same steps (no chrome, no splitting,
/// no joining across paragraphs), and anything new is added to its `import:` mapping. For
/// gongdu's own output nothing is new, so the file comes out byte for byte the same.
fn reimport(tools: &Tools, path: &Path, text: &str, base: ImportRecord) -> Result<Output, String> {
    let at = |m: String| format!("{}: {m}", path.display());
    let split = frontmatter::split(text)
        .map_err(|()| at("the front matter opened with `---` is never closed".to_owned()))?;
    let mut front: Mapping = match split.yaml {
        Some(y) if !y.trim().is_empty() => {
            serde_yaml::from_str(y).map_err(|e| at(format!("front matter: {e}")))?
        }
        _ => Mapping::new(),
    };
    let first_body_line = text[..split.body_offset].lines().count() + 1;
    let body = &text[split.body_offset..];
    let mut events = Vec::new();
    let lines = prepare(
        tools,
        body,
        first_body_line,
        Chrome::Keep,
        &mut Facts::default(),
        &mut events,
    );
    let mut fresh = ImportRecord::default();
    for (_, event) in events {
        file_event(&mut fresh, event);
    }
    let parts = split::markdown_parts(blocks::blocks(&lines));
    let paras = tidy::rejoin(parts, Joining::WithinParagraphs, &mut fresh);
    let paras = tidy::dedupe(paras, &mut fresh);
    let paras = tidy::finish(paras, &mut fresh);
    let (body, notes) = spam::check(&write::body(&paras));
    fresh.spam.extend(notes);
    let key = Value::String("import".into());
    let mut record: ImportRecord = match front.get(&key) {
        Some(v) => serde_yaml::from_value(v.clone()).map_err(|e| at(format!("import: {e}")))?,
        None => base,
    };
    let changed = record.merge(&fresh);
    if changed {
        front.insert(
            key,
            serde_yaml::to_value(&record).expect("the import record is plain data"),
        );
    }
    let draft = Value::String("draft".into());
    let review = spam::needs_review(&record.spam) && front.get(&draft) != Some(&Value::Bool(true));
    if review {
        front.insert(draft, Value::Bool(true));
    }
    // Nothing new: the file is written as it was, so an editor's own layout (lists, spacing,
    // key order) is never touched by a second import.
    let text = if changed || review {
        write::file(&front, &body)
    } else {
        text.to_owned()
    };
    let title = front
        .get(Value::String("title".into()))
        .and_then(Value::as_str)
        .map_or_else(|| record.from.clone(), str::to_owned);
    let mut report_record = fresh;
    report_record.from = record.from.clone();
    Ok(Output {
        report: ArticleReport::from_record(
            &title,
            &report_record,
            spam::needs_review(&record.spam),
        ),
        text,
        title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::Block;
    use crate::import::report::Report;
    use crate::source::import_record::SpamAction;

    fn block(line: usize, text: &str) -> Block {
        Block {
            line,
            indented: true,
            text: text.to_owned(),
            joined: 0,
        }
    }

    /// Findings as `src/spam` reports them: one removed, one restored, one left unresolved.
    fn findings(body: &str) -> (String, Vec<SpamNote>) {
        let note = |term: &str, action, restored: Option<&str>, confidence| SpamNote {
            line: 1,
            column: 3,
            term: term.to_owned(),
            action,
            restored: restored.map(str::to_owned),
            confidence,
        };
        let notes = vec![
            note("某某娱乐", SpamAction::Removed, None, 0.97),
            note("某某棋牌", SpamAction::Restored, Some("关于"), 0.9),
            note("某某彩票", SpamAction::Unresolved, None, 0.55),
        ];
        (body.to_owned(), notes)
    }

    #[test]
    fn spam_findings_reach_the_front_matter_and_the_report_and_make_a_draft() {
        let draft = Draft {
            headings: vec![block(1, "工会驿站")],
            body: vec![Part::Text(block(3, "驿站为户外劳动者提供饮水。"))],
            ..Draft::default()
        };
        let record = ImportRecord {
            from: "a.txt".into(),
            ..ImportRecord::default()
        };
        let a = article(
            draft,
            record,
            &Facts::default(),
            "a",
            Joining::Indented,
            findings,
        );
        assert!(a.draft);
        let yaml = serde_yaml::to_string(&write::front_matter(&a)).expect("yaml");
        assert!(yaml.contains("draft: true\n"), "{yaml}");
        assert!(
            yaml.contains("  - line: 1\n    column: 3\n    term: 某某棋牌\n    action: restored\n    restored: 关于\n    confidence: 0.9\n"),
            "{yaml}"
        );
        assert!(yaml.contains("action: unresolved"), "{yaml}");
        let report = ArticleReport::new(&a);
        assert_eq!(
            (report.spam_removed, report.spam_restored, report.draft),
            (1, 1, true)
        );
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(json["spam"][2]["action"], "unresolved");
        assert_eq!(json["spam"][1]["restored"], "关于");
        let mut input = super::super::InputReport::new(Path::new("a.txt"));
        input.articles.push(report);
        let text = Report {
            inputs: vec![input],
            ..Report::default()
        }
        .to_text();
        assert!(text.contains("(draft: spam to review)"), "{text}");
        assert!(
            text.contains("spam `某某棋牌` Restored → 关于 (confidence 0.90)"),
            "{text}"
        );
    }

    #[test]
    fn without_unresolved_spam_an_article_is_not_a_draft() {
        let draft = Draft {
            headings: vec![block(1, "工会驿站")],
            ..Draft::default()
        };
        let a = article(
            draft,
            ImportRecord::default(),
            &Facts::default(),
            "a",
            Joining::Indented,
            spam::check,
        );
        assert!(!a.draft);
        assert!(
            !serde_yaml::to_string(&write::front_matter(&a))
                .expect("yaml")
                .contains("draft")
        );
    }
}
