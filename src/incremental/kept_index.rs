//! The search index `serve` keeps ([`crate::search::Kept`]) against a fresh build's.

use std::collections::BTreeMap;
use std::path::Path;

use crate::build::{self, BuildOptions, Site};
use crate::search::kept::Updated;
use crate::search::{self, Kept, SearchIndex};

const SENTENCES: [&str; 6] = [
    "职工书屋为一线工人提供图书和学习场地。",
    "工匠学院组织技能培训，帮助青年职工提高本领。",
    "新质生产力要求劳动者掌握新的技术和知识。",
    "基层工会在企业里开展集体协商和民主管理。",
    "工人文化宫举办讲座，讲述工人运动的历史。",
    "劳动模范的事迹在车间里传为佳话。",
];

fn article(content: &Path, n: usize, title: &str, extra: &str) {
    let body: String = (0..4).map(|k| SENTENCES[(n + k) % 6]).collect();
    let text = format!(
        "---\ntitle: {title}\ndate: 2024-{:02}-{:02}\n---\n{body}{extra}\n",
        n / 28 + 1,
        n % 28 + 1
    );
    std::fs::write(content.join(format!("a{n}.md")), text).expect("write");
}

fn compile(root: &Path) -> Site {
    build::compile(&BuildOptions::new(root)).expect("compiles")
}

/// The search files a fresh build writes for `site`.
fn built(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let index = search::build(site.config(), &site.docs, &site.map, &site.rendered);
    written(site, index)
}

fn written(site: &Site, index: SearchIndex) -> BTreeMap<String, Vec<u8>> {
    let files = super::render_search(site, index).expect("renders");
    files.into_iter().map(|(p, b)| (p, b.to_vec())).collect()
}

/// Serving an update: the files it wrote replace those served, and files the index no
/// longer has go.
fn serve(served: &mut BTreeMap<String, Vec<u8>>, site: &Site, updated: Updated) {
    served.retain(|path, _| updated.paths.contains(path));
    served.extend(written(site, updated.index));
}

/// After each edit, the kept index re-indexes only the edited documents, and what is then
/// served is byte for byte what a fresh build writes.
#[test]
fn an_updated_index_serves_what_a_fresh_build_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let content = root.join("content");
    std::fs::create_dir_all(&content).expect("content");
    std::fs::write(root.join("site.yaml"), "title: 测试\n").expect("site.yaml");
    // Enough articles for ten blocks of documents, so that an edit's files are few of all.
    for n in 0..60 {
        article(&content, n, &format!("学习笔记{n}"), "");
    }
    let mut kept = Kept::default();
    let site = compile(root);
    let first = kept.update(site.config(), &site.docs, &site.map, &site.rendered);
    assert_eq!(first.reindexed, None, "the first index is built whole");
    let mut served = BTreeMap::new();
    serve(&mut served, &site, first);
    assert_eq!(served, built(&site));
    let new_article = content.join("a60.md");
    let steps: [(&str, &dyn Fn(), usize); 5] = [
        (
            "words added",
            &|| article(&content, 5, "学习笔记5", "青年突击队在铁路工地学技术。"),
            1,
        ),
        (
            "a title changed",
            &|| article(&content, 8, "班组长的一天", ""),
            1,
        ),
        (
            "two edited",
            &|| {
                article(&content, 5, "学习笔记5", "");
                article(&content, 11, "学习笔记11", "桥梁");
            },
            2,
        ),
        (
            "a newest article",
            &|| article(&content, 60, "新来的", "港口码头"),
            1,
        ),
        (
            "the newest removed",
            &|| std::fs::remove_file(&new_article).expect("rm"),
            1,
        ),
    ];
    for (step, edit, documents) in steps {
        edit();
        let site = compile(root);
        let updated = kept.update(site.config(), &site.docs, &site.map, &site.rendered);
        assert_eq!(
            updated.reindexed,
            Some(documents),
            "{step}: only the edited documents"
        );
        let writes = updated.index.files.len() + updated.index.blocks_to_render().len();
        serve(&mut served, &site, updated);
        assert!(
            writes < served.len() / 2,
            "{step}: wrote {writes} of {} files",
            served.len()
        );
        assert_eq!(served, built(&site), "{step}");
    }
}
