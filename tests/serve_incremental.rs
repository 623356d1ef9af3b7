//! `serve` rebuilds only what a change affects; what it then serves must be exactly what a
//! full build of the same files produces. Each step below changes the fixture site the way an
//! editor would, rebuilds the served site incrementally, and compares every served file with a
//! fresh `gongdu build` into a folder.

#[path = "support/site.rs"]
mod site;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use gongdu::build::Drafts;
use gongdu::serve::{Change, ServeOptions, Served};
use site::Fixture;

fn served(f: &Fixture) -> Served {
    Served::new(ServeOptions {
        root: f.root().to_path_buf(),
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        drafts: Drafts::Exclude,
        open: false,
        poll: false,
        lang: None,
    })
}

/// The served files, as path → the bytes the build wrote (decompressed, live-reload script
/// left out).
fn served_files(s: &Served) -> BTreeMap<String, Vec<u8>> {
    let snapshot = s.snapshot();
    if let Some(problems) = &snapshot.problems {
        panic!(
            "the rebuild failed:\n{}",
            gongdu::diagnostic::report(problems)
        );
    }
    snapshot.built_files()
}

/// What a full build of the site writes, marker file left out.
fn built_files(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("temporary folder");
    let mut options = f.options();
    options.output = Some(out.path().join("public"));
    gongdu::build::build(&options, None).expect("full build");
    let mut files = site::snapshot_tree(&out.path().join("public"));
    files.remove(".gongdu-output");
    files
}

fn assert_same(step: &str, served: &BTreeMap<String, Vec<u8>>, built: &BTreeMap<String, Vec<u8>>) {
    let only_served: Vec<&String> = served.keys().filter(|k| !built.contains_key(*k)).collect();
    let only_built: Vec<&String> = built.keys().filter(|k| !served.contains_key(*k)).collect();
    assert!(
        only_served.is_empty() && only_built.is_empty(),
        "{step}: served but not built {only_served:?}; built but not served {only_built:?}"
    );
    for (path, bytes) in built {
        assert!(
            served[path] == *bytes,
            "{step}: {path} differs from a full build:\nserved:\n{}\nbuilt:\n{}",
            String::from_utf8_lossy(&served[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}

/// An editor's change: what it does to the site, and the paths a watcher would report.
type Step = (&'static str, fn(&Path) -> Vec<PathBuf>);

fn write(root: &Path, rel: &str, text: &str) -> Vec<PathBuf> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    vec![path]
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> Vec<PathBuf> {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    vec![path]
}

const STEPS: &[Step] = &[
    ("a sentence added to an article's body", |root| {
        edit(
            root,
            "content/history/earliest.md",
            "第三篇，用于分页。",
            "第三篇，用于分页。又补了一句关于工人夜校的话。",
        )
    }),
    ("the same article edited again", |root| {
        edit(root, "content/history/earliest.md", "工人夜校", "职工书屋")
    }),
    (
        "a title changed (listings, feeds, neighbours and links change)",
        |root| {
            edit(
                root,
                "content/history/shu-ji-bu.md",
                "title: 中国劳动组合书记部",
                "title: 劳动组合书记部的成立",
            )
        },
    ),
    ("a tag added (a new tag page appears)", |root| {
        edit(
            root,
            "content/history/shu-ji-bu.md",
            "tags: [劳动组合书记部, 早期工运]",
            "tags: [劳动组合书记部, 早期工运, 新标签]",
        )
    }),
    ("a date changed (the order of listings changes)", |root| {
        edit(
            root,
            "content/history/earliest.md",
            "date: 2023-01-01",
            "date: 2025-06-01",
        )
    }),
    ("a new article", |root| {
        write(
            root,
            "content/union/new-article.md",
            "---\ntitle: 新写的文章\ndate: 2024-05-01\ntopics: [工会建设]\n---\n职工之家建设的新做法。\n\n参见[最早的笔记](../history/earliest.md)。\n",
        )
    }),
    ("an article deleted", |root| {
        let path = root.join("content/union/new-article.md");
        std::fs::remove_file(&path).expect("remove");
        vec![path]
    }),
    ("an article renamed", |root| {
        let from = root.join("content/history/earliest.md");
        let to = root.join("content/history/zui-zao.md");
        std::fs::rename(&from, &to).expect("rename");
        vec![from, to]
    }),
    ("a section's introduction edited", |root| {
        let path = root.join("content/history/_index.md");
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{text}\n补充的栏目说明。\n")).expect("write");
        vec![path]
    }),
    (
        "a section's summary changed (shown in the menu of every page)",
        |root| {
            edit(
                root,
                "content/history/_index.md",
                "summary: 中国工人运动的早期历史",
                "summary: 早期工人运动",
            )
        },
    ),
    ("an article's summary in its front matter changed", |root| {
        edit(
            root,
            "content/history/shu-ji-bu.md",
            "summary: 书记部",
            "summary: 书记部（修订）",
        )
    }),
    ("site.yaml changed", |root| {
        edit(
            root,
            "site.yaml",
            "title: 测试知识库",
            "title: 改名的知识库",
        )
    }),
    ("a site template added over the theme's", |root| {
        write(
            root,
            "templates/404.html",
            "{% extends \"base.html\" %}\n{% block main %}<p>找不到这一页（自定义）。</p>{% endblock main %}\n",
        )
    }),
    ("a static file changed", |root| {
        write(root, "static/readme.txt", "新的说明文件。\n")
    }),
    // The stylesheet is published under a hash of its content, which every page links to.
    ("the theme's stylesheet replaced by the site's", |root| {
        write(
            root,
            "static/assets/gongdu.css",
            "body { color: #333333 }\n",
        )
    }),
    ("the site's stylesheet changed again", |root| {
        write(
            root,
            "static/assets/gongdu.css",
            "body { color: #444444 }\n",
        )
    }),
    (
        "an article with code added (the highlighter loads its syntaxes)",
        |root| {
            write(
                root,
                "content/guide/code.md",
                "---\ntitle: 代码示例\n---\n```rust\nfn main() {}\n```\n",
            )
        },
    ),
    (
        "a file changed without the watcher saying so (only its date tells)",
        |root| {
            edit(root, "content/history/zui-zao.md", "职工书屋", "工匠学院");
            Vec::new()
        },
    ),
];

#[test]
fn every_incremental_rebuild_serves_what_a_full_build_writes() {
    let f = Fixture::copy("basic");
    let s = served(&f);
    s.rebuild_and_index(Change::Everything);
    assert_same("the first build", &served_files(&s), &built_files(&f));
    for (step, change) in STEPS {
        let paths = change(f.root());
        s.rebuild_and_index(Change::Paths(paths));
        assert_same(step, &served_files(&s), &built_files(&f));
    }
}

/// Knowledge-base changes reach other pages: backlinks with their context, the pages that use
/// a glossary term, related articles, a study path's neighbours, the timeline.
const KB_STEPS: &[Step] = &[
    (
        "the sentence around a wikilink edited (a backlink's context)",
        |root| {
            edit(
                root,
                "content/learn/b.md",
                "培养工匠精神，先要读懂",
                "要培养工匠精神，最好先读懂",
            )
        },
    ),
    (
        "a glossary term used in an article for the first time",
        |root| {
            edit(
                root,
                "content/learn/b.md",
                "以赛促学。",
                "以赛促学，每个劳动者都能参与。",
            )
        },
    ),
    ("a wikilink removed", |root| {
        edit(
            root,
            "content/history/d.md",
            "按别名链接：[[a|概念文章]]。",
            "",
        )
    }),
    ("a glossary definition changed", |root| {
        edit(
            root,
            "content/glossary/lao-dong-zhe.md",
            "definition: 以自己的劳动为生活来源的人。",
            "definition: 以劳动为生活来源的人。",
        )
    }),
    ("an event added to the timeline", |root| {
        edit(
            root,
            "content/learn/b.md",
            "order: 2\n",
            "order: 2\nevents:\n  - date: 2024-01\n    title: 工匠学院挂牌\n",
        )
    }),
    (
        "a study path's article retitled, and the wikilink to it",
        |root| {
            let mut paths = edit(
                root,
                "content/learn/b.md",
                "title: 工匠精神的培养",
                "title: 怎样培养工匠精神",
            );
            paths.extend(edit(
                root,
                "content/learn/a.md",
                "[[工匠精神的培养]]",
                "[[怎样培养工匠精神]]",
            ));
            paths
        },
    ),
    (
        "a wikilinked article's body edited (related articles may change)",
        |root| {
            edit(
                root,
                "content/learn/a.md",
                "新质生产力是创新起主导作用的先进生产力。",
                "新质生产力是创新起主导作用的先进生产力，工匠精神和劳动者素质是它的基础。",
            )
        },
    ),
];

#[test]
fn knowledge_base_changes_serve_what_a_full_build_writes() {
    let f = Fixture::copy("kb");
    let s = served(&f);
    s.rebuild_and_index(Change::Everything);
    assert_same("the first build", &served_files(&s), &built_files(&f));
    for (step, change) in KB_STEPS {
        let paths = change(f.root());
        s.rebuild_and_index(Change::Paths(paths));
        assert_same(step, &served_files(&s), &built_files(&f));
    }
}

#[test]
fn a_failed_rebuild_keeps_serving_and_the_next_good_one_catches_up() {
    let f = Fixture::copy("basic");
    let s = served(&f);
    s.rebuild_and_index(Change::Everything);
    let good = served_files(&s);
    let broken = edit(
        f.root(),
        "content/history/earliest.md",
        "date: 2023-01-01",
        "date: 昨天",
    );
    s.rebuild_and_index(Change::Paths(broken));
    let snapshot = s.snapshot();
    let problems = snapshot.problems.as_ref().expect("the rebuild failed");
    assert!(
        problems[0].message.contains("`昨天` is not a date"),
        "{problems:?}"
    );
    let still = snapshot.built_files();
    assert_eq!(still, good, "the last good build is still served");
    // Fixed, and another article changed while the site was broken.
    edit(
        f.root(),
        "content/history/earliest.md",
        "date: 昨天",
        "date: 2023-01-02",
    );
    let other = edit(
        f.root(),
        "content/history/shu-ji-bu.md",
        "summary: 书记部",
        "summary: 劳动组合书记部",
    );
    s.rebuild_and_index(Change::Paths(other));
    assert_same("after the fix", &served_files(&s), &built_files(&f));
}

/// Issue 15: `serve` keeps the page summaries listings show for unchanged articles. An
/// article saved together with a mistake elsewhere is read by the rebuild that fails; once the
/// mistake is fixed, that article counts as unchanged, and its listings must still show its
/// new opening, not the summary kept from the last good build.
#[test]
fn an_article_saved_while_the_site_was_broken_shows_its_new_summary_once_fixed() {
    let f = Fixture::copy("basic");
    let s = served(&f);
    s.rebuild_and_index(Change::Everything);
    let mut saved = edit(
        f.root(),
        "content/history/earliest.md",
        "第三篇，用于分页。",
        "第三篇，讲工人夜校的来历。",
    );
    saved.extend(edit(
        f.root(),
        "content/history/shu-ji-bu.md",
        "aliases: [old/shuji/]\n---\n",
        "aliases: [old/shuji/]\n---\n参见[[并不存在的文章]]。\n\n",
    ));
    s.rebuild_and_index(Change::Paths(saved));
    assert!(
        s.snapshot().problems.is_some(),
        "the missing wikilink fails"
    );
    let fixed = edit(
        f.root(),
        "content/history/shu-ji-bu.md",
        "参见[[并不存在的文章]]。\n\n",
        "",
    );
    s.rebuild_and_index(Change::Paths(fixed));
    let served = served_files(&s);
    let listing = String::from_utf8_lossy(&served["history/page/2/index.html"]);
    assert!(listing.contains("讲工人夜校的来历"), "{listing}");
    assert_same("after the fix", &served, &built_files(&f));
}

/// A change made while serving that would make two writers of one output file (an alias onto
/// the feed, a copied file over the page for missing addresses) is refused by the rebuild exactly as `build`
/// refuses it, and the last good site stays served (issue 11: incremental rebuilds run the
/// same output-path check as full builds).
#[test]
fn output_path_clashes_made_while_serving_are_refused_like_a_build_refuses_them() {
    let f = Fixture::copy("basic");
    let s = served(&f);
    s.rebuild_and_index(Change::Everything);
    let good = served_files(&s);
    let mut changed = edit(
        f.root(),
        "content/history/earliest.md",
        "date: 2023-01-01",
        "date: 2023-01-01\naliases: [atom.xml]",
    );
    let copied = f.root().join("content/404.html");
    std::fs::write(&copied, "<p>404</p>").expect("write");
    changed.push(copied);
    s.rebuild_and_index(Change::Paths(changed));
    let snapshot = s.snapshot();
    let problems = snapshot.problems.as_ref().expect("the rebuild failed");
    let codes: Vec<String> = problems
        .iter()
        .map(|d| format!("{} {}", d.code.id(), shown(f.root(), &d.path)))
        .collect();
    assert!(
        codes.contains(&"GD0802 content/history/earliest.md".to_owned())
            && codes.contains(&"GD0802 content/404.html".to_owned()),
        "{codes:?}"
    );
    let build = gongdu::build::build(&f.options(), None).expect_err("build refuses it too");
    let built_codes: Vec<String> = match build {
        gongdu::build::BuildError::Site(found) => found
            .iter()
            .map(|d| format!("{} {}", d.code.id(), shown(f.root(), &d.path)))
            .collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(codes, built_codes, "serve and build refuse the same things");
    let still = snapshot.built_files();
    assert_eq!(still, good, "the last good build is still served");
}

/// `path` as the editor sees it: relative to the site's folder.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Common tokens' postings split into heads and tails (`search.postings_head`, tiny here so
/// that a small site has them) are updated after an edit as a full build writes them: an
/// article rising into the head of 工会, one leaving it, a new one, one deleted.
#[test]
fn split_postings_update_as_a_full_build_writes_them() {
    let f = Fixture::empty();
    f.write("site.yaml", "title: 分段\nsearch:\n  postings_head: 64\n");
    for i in 0..1100 {
        let title = if i % 90 == 0 {
            "工会消息"
        } else {
            "消息"
        };
        f.write(
            &format!("content/a/{i:04}.md"),
            &format!(
                "---\ntitle: {title}{i}\ndate: 2020-{:02}-{:02}\n---\n{}驿站。\n",
                1 + i / 100,
                1 + i % 28,
                "工会，".repeat(1 + i % 7)
            ),
        );
    }
    let s = served(&f);
    s.rebuild_and_index(Change::Everything);
    let first = served_files(&s);
    assert!(
        first.keys().any(|p| p.starts_with("search/t/")),
        "a tail file"
    );
    assert_same("the first build", &first, &built_files(&f));
    let steps: &[Step] = &[
        ("an article rises into the head", |root| {
            edit(root, "content/a/0005.md", "驿站", &"工会，".repeat(60))
        }),
        ("an article in the head drops out of it", |root| {
            edit(root, "content/a/0180.md", "title: 工会消息", "title: 消息")
        }),
        ("a new article at the top", |root| {
            write(
                root,
                "content/a/new.md",
                &format!(
                    "---\ntitle: 工会新消息\ndate: 2021-01-01\n---\n{}\n",
                    "工会，".repeat(80)
                ),
            )
        }),
        ("an article deleted", |root| {
            let path = root.join("content/a/0007.md");
            std::fs::remove_file(&path).expect("remove");
            vec![path]
        }),
    ];
    for (step, change) in steps {
        let paths = change(f.root());
        s.rebuild_and_index(Change::Paths(paths));
        assert_same(step, &served_files(&s), &built_files(&f));
    }
}
