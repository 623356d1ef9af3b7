//! The README is a front door and the manual lives in `docs/`: this keeps the README short and
//! every link between them (files and `#anchors`, as GitHub renders them) pointing somewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

const README_MAX_LINES: usize = 400;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Markdown pages of the manual: the README and every `docs/*.md`.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("docs entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// GitHub's heading anchor: lower case, punctuation dropped (letters of any script, digits,
/// `-` and `_` kept), spaces to `-`, repeats numbered `-1`, `-2`…
fn anchor(text: &str, seen: &mut BTreeMap<String, usize>) -> String {
    let slug: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    let n = seen.entry(slug.clone()).or_insert(0);
    let id = if *n == 0 {
        slug.clone()
    } else {
        format!("{slug}-{n}")
    };
    *n += 1;
    id
}

struct Page {
    anchors: BTreeSet<String>,
    links: Vec<String>,
}

fn read_page(path: &Path) -> Page {
    let text = std::fs::read_to_string(path).expect("page");
    let mut anchors = BTreeSet::new();
    let mut links = Vec::new();
    let mut seen = BTreeMap::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let h = heading.take().unwrap_or_default();
                anchors.insert(anchor(&h, &mut seen));
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => links.push(dest_url.to_string()),
            _ => {}
        }
    }
    Page { anchors, links }
}

#[test]
fn the_readme_is_a_front_door() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let lines = readme.lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines; the manual belongs in docs/ (limit {README_MAX_LINES})"
    );
    // The two commands of the quick start.
    assert!(readme.contains("cargo run --release -- serve"));
    assert!(readme.contains("cargo test"));
}

#[test]
fn every_link_in_the_readme_and_docs_leads_somewhere() {
    let pages: BTreeMap<PathBuf, Page> = pages()
        .into_iter()
        .map(|path| {
            let page = read_page(&path);
            (path, page)
        })
        .collect();
    let mut broken = Vec::new();
    for (path, page) in &pages {
        for link in &page.links {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                path.parent().expect("parent").join(file)
            };
            let target = match target.canonicalize() {
                Ok(target) => target,
                Err(_) => {
                    broken.push(format!("{}: {link}: no such file", path.display()));
                    continue;
                }
            };
            if fragment.is_empty() {
                continue;
            }
            match pages
                .iter()
                .find(|(p, _)| p.canonicalize().ok() == Some(target.clone()))
            {
                Some((_, linked)) if linked.anchors.contains(fragment) => {}
                Some(_) => broken.push(format!("{}: {link}: no such heading", path.display())),
                None => {}
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The anchor rule the link test relies on, checked against anchors GitHub gives these headings.
#[test]
fn anchors_follow_githubs_rules() {
    let mut seen = BTreeMap::new();
    assert_eq!(anchor("Glossary (术语表)", &mut seen), "glossary-术语表");
    assert_eq!(anchor("`gongdu build`", &mut seen), "gongdu-build");
    assert_eq!(anchor("Search", &mut seen), "search");
    assert_eq!(anchor("Search", &mut seen), "search-1");
    assert_eq!(
        anchor("site.yaml reference", &mut seen),
        "siteyaml-reference"
    );
}
