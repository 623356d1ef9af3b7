//! The search index's files stay put when the site changes a little, so that a mirror's update
//! pack ships only what changed: an edit to one article changes its own block of documents and
//! the postings of its own tokens, nothing else; a new newest article takes the next document
//! number and leaves every earlier document's block and postings as they were. Each test builds
//! the site twice, into two folders, and compares the bytes.

#[path = "support/site.rs"]
mod site;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use site::{Fixture, snapshot_tree};

/// Sentences the generated articles are made of (our own words).
const SENTENCES: [&str; 6] = [
    "职工书屋为一线职工提供图书和学习场地。",
    "劳动模范的事迹在车间里口口相传。",
    "技能竞赛让青年工人在比赛中提高本领。",
    "集体协商由企业和工会的代表共同参加。",
    "工会驿站为户外劳动者提供饮水和休息的地方。",
    "安全生产培训每年都在班组中开展。",
];

/// Article `i` of the site: its path, title and body.
fn article(i: usize) -> (String, String, String) {
    let body: String = (0..3)
        .map(|k| SENTENCES[(i + k * (i % 4 + 1)) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join("\n\n");
    (
        format!("content/notes/{i:02}.md"),
        format!("学习笔记第{i}篇"),
        body,
    )
}

fn write_article(f: &Fixture, i: usize, date: &str, body: &str) {
    let (path, title, _) = article(i);
    f.write(
        &path,
        &format!("---\ntitle: {title}\ndate: {date}\n---\n{body}\n"),
    );
}

/// A site of 30 dated articles, one a day.
fn site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.yaml", "title: 检索测试\n");
    for i in 0..30 {
        write_article(&f, i, &format!("2024-03-{:02}", i + 1), &article(i).2);
    }
    f
}

/// The search files of a build.
fn search_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot_tree(&out.join("search"))
}

/// The JSON a packed search file holds (shards, big groups, tails and document blocks).
fn unpacked(script: &[u8]) -> String {
    gongdu::search::unpack(script).expect("a packed search file")
}

/// Every token's postings string, from the shard and big-postings files of a build.
fn postings(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, bytes) in files {
        if !(path.starts_with("s/") || path.starts_with("b/")) {
            continue;
        }
        let object = unpacked(bytes);
        let map: BTreeMap<String, String> =
            serde_json::from_str(&object).unwrap_or_else(|e| panic!("{path}: {e}: {object}"));
        for (token, list) in map {
            assert!(out.insert(token, list).is_none(), "one file per token");
        }
    }
    out
}

/// The tokens a text can give postings to: its tokens and each of its Han characters.
fn tokens_of(text: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = gongdu::search::tokenize_text(text)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    out.extend(
        gongdu::search::normalize(text)
            .chars()
            .filter(|c| !c.is_ascii())
            .map(String::from),
    );
    out
}

fn changed(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect()
}

#[test]
fn an_edit_to_one_article_changes_only_its_block_and_its_tokens_postings() {
    let f = site();
    f.build_ok();
    let before = search_files(&f.out());
    // A new sentence, with characters no other article holds (so the old site-wide alphabet,
    // renumbered by them, would have changed every document file).
    let edited = 7;
    let addition = "夜校的黑板上写着鲲鹏两个字。";
    let body = format!("{}\n\n{addition}", article(edited).2);
    write_article(&f, edited, "2024-03-08", &body);
    f.build_ok();
    let after = search_files(&f.out());

    let files = changed(&before, &after);
    let blocks: Vec<&String> = files.iter().filter(|p| p.starts_with("x/")).collect();
    assert_eq!(blocks.len(), 1, "one block of documents changed: {files:?}");
    let block = unpacked(&after[blocks[0]]);
    assert!(
        block.contains("学习笔记第7篇"),
        "the edited article's block"
    );
    for file in &files {
        assert!(
            file.starts_with("x/") || file.starts_with("s/") || file.starts_with("b/"),
            "only the document block and postings change: {files:?}"
        );
    }

    // The postings of every token the article does not hold are untouched.
    let ours = tokens_of(&format!("学习笔记第7篇\n{body}"));
    let (old, new) = (postings(&before), postings(&after));
    for (token, list) in &old {
        if !ours.contains(token) {
            assert_eq!(new.get(token), Some(list), "postings of {token}");
        }
    }
    assert!(new.contains_key("鲲鹏"), "the new words are indexed");
}

#[test]
fn a_new_newest_article_renumbers_no_other_document() {
    let f = site();
    f.build_ok();
    let before = search_files(&f.out());
    let newest = 30;
    let body = "职工夜校今年新开了数控机床课程。";
    write_article(&f, newest, "2024-05-01", body);
    f.build_ok();
    let after = search_files(&f.out());

    // Blocks of documents: every earlier one is the same file; the last one may have grown by
    // the new document, keeping what it held.
    let old_blocks: Vec<&String> = before.keys().filter(|p| p.starts_with("x/")).collect();
    let last = old_blocks
        .iter()
        .max_by_key(|p| number(p))
        .expect("document blocks");
    for path in &old_blocks {
        if path != last {
            assert_eq!(before[*path], after[*path], "{path} is unchanged");
        }
    }
    let old_last = unpacked(&before[*last]);
    let kept = old_last.strip_suffix(']').expect("a JSON array");
    let new_last = unpacked(&after[*last]);
    assert!(
        new_last.starts_with(kept),
        "the last block keeps its documents: {old_last} / {new_last}"
    );
    assert!(
        after
            .iter()
            .filter(|(p, _)| p.starts_with("x/"))
            .any(|(_, b)| unpacked(b).contains("学习笔记第30篇")),
        "the new article is in a block"
    );

    // Postings of tokens the new article does not hold are the same strings.
    let ours = tokens_of(&format!("学习笔记第30篇\n{body}"));
    let (old, new) = (postings(&before), postings(&after));
    for (token, list) in &old {
        if !ours.contains(token) {
            assert_eq!(new.get(token), Some(list), "postings of {token}");
        }
    }
}

fn number(path: &str) -> u64 {
    path.trim_start_matches("x/")
        .trim_end_matches(".js")
        .parse()
        .expect("a numbered block")
}
