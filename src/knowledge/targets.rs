//! What a wikilink can name: a page or section by its title, a glossary entry by a synonym,
//! the last part of its address (slug), or its content path without `.md`. Tried in that
//! order; the first kind that matches decides, and more than one match there is ambiguous.

use rustc_hash::FxHashMap as HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::site::SiteMap;
pub(crate) use crate::site::Target;
use crate::source::{DocMeta, SourceKind};

pub enum Resolution<'a> {
    Found(Target),
    Missing,
    /// More than one target matched by this kind of name (`"title"`, `"slug"`, …).
    Ambiguous(&'static str, &'a [Target]),
}

#[derive(Default, Clone)]
pub struct Targets {
    by_title: HashMap<String, Vec<Target>>,
    by_synonym: HashMap<String, Vec<Target>>,
    by_slug: HashMap<String, Vec<Target>>,
    by_path: HashMap<String, Vec<Target>>,
}

/// Names compare after Unicode normalisation (full-width letters are ASCII), with ASCII
/// lowercased and runs of spaces made one.
pub(crate) fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.trim().nfkc() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

impl Targets {
    pub fn new(docs: &crate::site::Docs, map: &SiteMap) -> Targets {
        let mut t = Targets::default();
        let add = |index: &mut HashMap<String, Vec<Target>>, name: &str, target: Target| {
            let key = name_key(name);
            if key.is_empty() {
                return;
            }
            let list = index.entry(key).or_default();
            if !list.contains(&target) {
                list.push(target);
            }
        };
        for (id, page) in map.pages.iter_enumerated() {
            let target = Target::Page(id);
            let doc = &docs[page.doc];
            let meta = page.meta();
            add(&mut t.by_title, &meta.title, target);
            for s in &meta.synonyms {
                add(&mut t.by_synonym, s, target);
            }
            add(&mut t.by_slug, last_segment(page.url.dir()), target);
            add(
                &mut t.by_path,
                &content_path(&doc.file.rel, doc.file.kind),
                target,
            );
        }
        for (id, section) in map.sections.iter_enumerated() {
            let Some(d) = section.doc else { continue };
            let target = Target::Section(id);
            if let DocMeta::Section(m) = &docs[d].meta
                && let Some(title) = &m.title
            {
                add(&mut t.by_title, title, target);
            }
            if !section.dir.is_empty() {
                add(&mut t.by_slug, last_segment(section.url.dir()), target);
                add(&mut t.by_path, &section.dir, target);
            }
        }
        t
    }

    /// Finds what `name` (the part of a wikilink before `#` and `|`) points to.
    pub fn resolve(&self, name: &str) -> Resolution<'_> {
        let key = name_key(name.trim_end_matches(".md"));
        let key = key.trim_matches('/');
        for (kind, index) in [
            ("title", &self.by_title),
            ("synonym", &self.by_synonym),
            ("slug", &self.by_slug),
            ("path", &self.by_path),
        ] {
            match index.get(key).map(Vec::as_slice) {
                Some([one]) => return Resolution::Found(*one),
                Some(many @ [_, _, ..]) => return Resolution::Ambiguous(kind, many),
                _ => {}
            }
        }
        Resolution::Missing
    }
}

fn last_segment(dir: &str) -> &str {
    dir.rsplit('/').next().unwrap_or(dir)
}

/// `a/b.md` → `a/b`; `a/b/index.md` → `a/b`.
fn content_path(rel: &str, kind: SourceKind) -> String {
    match kind {
        SourceKind::BundlePage => rel.trim_end_matches("/index.md").to_owned(),
        _ => rel.trim_end_matches(".md").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_width_or_extra_spaces() {
        assert_eq!(name_key("  Ｎｅｗ   Deal "), "new deal");
        assert_eq!(name_key("新质生产力"), "新质生产力");
    }
}
