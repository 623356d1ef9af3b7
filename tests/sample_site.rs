//! The repository's own knowledge base (content/, site.yaml) builds cleanly and meets the
//! bar it is held to: enough real articles across the four topics, each citing its source,
//! an editors' guide with highlighted code, and links that all resolve.

#[path = "support/site.rs"]
mod site;

use std::path::Path;

use gongdu::build::{self, BuildOptions};

fn build_sample() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let mut options = BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    options.output = Some(out.path().join("public"));
    match build::build(&options, None) {
        Ok(report) => assert!(
            report.warnings.is_empty(),
            "{}",
            gongdu::diagnostic::report(&report.warnings)
        ),
        Err(build::BuildError::Site(d)) => panic!("{}", gongdu::diagnostic::report(&d)),
        Err(e) => panic!("{e}"),
    }
    out
}

#[test]
fn sample_site_builds_with_every_link_resolving() {
    let out = build_sample();
    let public = out.path().join("public");
    let (checked, broken) = site::check_links(&public, "/gongdu/");
    assert!(checked > 1000, "{checked}");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn sample_content_covers_four_topics_with_cited_sources() {
    let compiled = build::compile(&BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR"))))
        .expect("compiles");
    let mut per_topic = std::collections::BTreeMap::<String, usize>::new();
    for page in &compiled.map.pages {
        let meta = page.meta();
        let rel = &compiled.docs[page.doc].file.rel;
        if rel.starts_with("guide/") {
            continue;
        }
        assert!(!meta.sources.is_empty(), "{rel} cites no source");
        if rel.starts_with("glossary/") {
            continue; // terms belong to no topic
        }
        assert_eq!(meta.topics.len(), 1, "{}", compiled.docs[page.doc].file.rel);
        *per_topic.entry(meta.topics[0].clone()).or_default() += 1;
    }
    let topics: Vec<&str> = per_topic.keys().map(String::as_str).collect();
    assert_eq!(topics, ["工人教育", "工会建设", "工运历史", "新质生产力"]);
    assert!(per_topic.values().sum::<usize>() >= 24, "{per_topic:?}");
    assert!(per_topic.values().all(|&n| n >= 5), "{per_topic:?}");
}

#[test]
fn editors_guide_shows_highlighted_markdown_and_yaml() {
    let out = build_sample();
    let guide = out.path().join("public/guide");
    let mut langs = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(&guide).into_iter().flatten() {
        if entry.file_name() == "index.html" {
            let html = std::fs::read_to_string(entry.path()).expect("read");
            for lang in ["markdown", "yaml", "bash"] {
                if html.contains(&format!("data-lang=\"{lang}\"><code><span class=\"hl-")) {
                    langs.insert(lang);
                }
            }
        }
    }
    assert_eq!(
        langs.into_iter().collect::<Vec<_>>(),
        ["bash", "markdown", "yaml"]
    );
}

/// The knowledge base the sample content must show off: at least 20 glossary terms, 12
/// timeline events, two study paths whose articles all have discussion questions, and
/// wikilinks throughout.
#[test]
fn sample_knowledge_base_uses_every_feature() {
    let compiled = build::compile(&BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR"))))
        .expect("compiles");
    let k = &compiled.knowledge;
    assert!(
        k.glossary.entries.len() >= 20,
        "{} terms",
        k.glossary.entries.len()
    );
    assert!(
        k.timeline.events.len() >= 12,
        "{} events",
        k.timeline.events.len()
    );
    assert!(k.paths.len() >= 2, "{} study paths", k.paths.len());
    for path in &k.paths {
        assert!(
            path.pages.len() >= 3,
            "{}: {} articles",
            path.name,
            path.pages.len()
        );
        for &p in &path.pages {
            let meta = compiled.map.meta(p);
            assert!(!meta.questions.is_empty(), "{}: no questions", meta.title);
        }
    }
    let wikilinked: Vec<&str> = compiled
        .docs
        .iter()
        .zip(&compiled.rendered)
        .filter(|(doc, r)| {
            !doc.file.rel.starts_with("glossary/")
                && r.links.iter().any(|l| l.written.starts_with("[["))
        })
        .map(|(doc, _)| doc.file.rel.as_str())
        .collect();
    assert!(
        wikilinked.len() >= 15,
        "articles with wikilinks: {wikilinked:?}"
    );
    let term_uses: usize = compiled.connections.term_uses.iter().map(Vec::len).sum();
    assert!(term_uses >= 40, "{term_uses} first uses of glossary terms");
}
