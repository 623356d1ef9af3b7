//! Articles → Markdown files in the target folder: YAML front matter (written through
//! serde_yaml, so that reading it back and writing it again gives the same bytes) and the
//! body. Files are named by the title's slug; an existing file is never replaced without
//! `--force`, and nothing else is written into the folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::Article;
use super::tidy::Para;

/// The front matter of an imported article.
pub(super) fn front_matter(a: &Article) -> Mapping {
    let mut m = Mapping::new();
    let put = |m: &mut Mapping, k: &str, v: Value| {
        m.insert(Value::String(k.to_owned()), v);
    };
    put(&mut m, "title", a.title.clone().into());
    if let Some(s) = &a.subtitle {
        put(&mut m, "subtitle", s.clone().into());
    }
    if let Some(d) = &a.facts.date {
        put(&mut m, "date", d.clone().into());
    }
    if !a.authors.is_empty() {
        put(&mut m, "authors", a.authors.clone().into());
    }
    if let Some(s) = &a.affiliation {
        put(&mut m, "affiliation", s.clone().into());
    }
    if a.draft {
        put(&mut m, "draft", true.into());
    }
    let mut source = Mapping::new();
    if let Some(p) = &a.facts.publication {
        put(&mut source, "publication", p.clone().into());
    }
    if let Some(d) = &a.facts.date {
        put(&mut source, "date", d.clone().into());
    }
    if let Some(p) = a.facts.page {
        put(&mut source, "page", p.into());
    }
    if let Some(u) = &a.facts.url {
        put(&mut source, "url", u.clone().into());
    }
    if !source.is_empty() {
        put(&mut m, "source", Value::Mapping(source));
    }
    let record = serde_yaml::to_value(&a.record).expect("the import record is plain data");
    put(&mut m, "import", record);
    m
}

/// The body as Markdown: paragraphs between blank lines, section titles as `##`.
pub(super) fn body(paras: &[Para]) -> String {
    let mut out = String::new();
    for p in paras {
        if !out.is_empty() {
            out.push('\n');
        }
        match p {
            Para::Heading(h) => {
                out.push_str("## ");
                out.push_str(h);
            }
            Para::Text(t) => out.push_str(t),
        }
        out.push('\n');
    }
    out
}

/// A whole Markdown file.
pub(super) fn file(front: &Mapping, body: &str) -> String {
    let yaml = serde_yaml::to_string(front).expect("a mapping of plain values serializes");
    format!("---\n{yaml}---\n\n{body}")
}

/// `DIR/slug.md`, made unique among the names already chosen in this run.
pub(super) fn target(dir: &Path, title: &str, taken: &mut HashSet<PathBuf>) -> PathBuf {
    let slug = crate::slug::slugify(title);
    let stem = if slug.is_empty() {
        "article".to_owned()
    } else {
        slug
    };
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        let path = dir.join(name);
        if taken.insert(path.clone()) {
            return path;
        }
        n += 1;
    }
}
