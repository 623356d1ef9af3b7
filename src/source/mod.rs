//! The `content/` folder: finding its files ([`discover`]) and reading each Markdown file into a
//! [`Document`] ([`parse`]). Nothing here knows about URLs or other pages; that is `site`.

pub(crate) mod date;
pub mod encoding;
pub(crate) mod frontmatter;
pub mod import_record;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::span::KeySpans;
pub(crate) use date::{Date, PartialDate};
pub(crate) use frontmatter::{Event, PageMeta, SectionMeta, SortBy, Source};

pub(crate) const CONTENT_DIR: &str = "content";

/// A file under `content/`, named by its path relative to it with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// `productivity/xin-zhi.md`
    pub rel: String,
    /// Where to read it.
    pub path: PathBuf,
    pub kind: SourceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// `_index.md`: a section's title and introduction.
    Section,
    /// `name.md`: an article.
    Page,
    /// `name/index.md`: an article whose folder holds its images and files.
    BundlePage,
    /// Anything else: copied to the output.
    Asset,
}

impl SourceFile {
    /// The content folder this file is in, relative to `content/` (`""` at the top).
    pub fn dir(&self) -> &str {
        self.rel.rfind('/').map_or("", |i| &self.rel[..i])
    }
}

/// Lists every file under `<root>/content`, sorted, with editor leftovers and hidden files left
/// out. Problems (unreadable folders, symlink loops, names that are not UTF-8) are reported and
/// the walk goes on. Symbolic links are followed only to places inside the site (or inside
/// `content/` itself, when that is a link): a link elsewhere could publish any file on the
/// machine, so it is reported and left out.
pub(crate) fn discover(root: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let mut found = Vec::new();
    let inside = [root, content.as_path()].map(|p| p.canonicalize().unwrap_or(p.to_path_buf()));
    let mut outside = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if is_ignored(e.file_name().to_string_lossy().as_ref()) {
                return false;
            }
            if e.path_is_symlink()
                && let Ok(target) = e.path().canonicalize()
                && !inside.iter().any(|p| target.starts_with(p))
            {
                outside.push(
                    Diagnostic::warning(
                        e.path(),
                        format!(
                            "symbolic link to {}, outside the site folder: not followed",
                            target.display()
                        ),
                    )
                    .with_hint("copy the file or folder into the site to publish it"),
                );
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // A missing content folder gets its own error below.
            Err(e) if e.depth() == 0 && !content.is_dir() => continue,
            Err(e) => {
                diagnostics.push(walk_error(&e, &content));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&content) else {
            continue;
        };
        let Some(rel) = rel.to_str() else {
            diagnostics.push(Diagnostic::error(
                entry.path(),
                "the file name is not valid UTF-8; rename it (the name shown is approximate)",
            ));
            continue;
        };
        found.push((rel.replace('\\', "/"), entry.path().to_path_buf()));
    }
    diagnostics.append(&mut outside);
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(&content, "there is no content folder here").with_hint(
                "run gongdu in the site's folder (the one with site.yaml) or pass --root",
            ),
        );
    }
    (classify(found, &mut diagnostics), diagnostics)
}

/// A problem met while walking `content/`. Links that cannot be followed only lose
/// themselves (a warning); a folder or file that cannot be read would lose articles, so it is
/// an error and the previous output stays as it was.
fn walk_error(e: &walkdir::Error, content: &Path) -> Diagnostic {
    let path = e
        .path()
        .map_or_else(|| content.to_path_buf(), Path::to_path_buf);
    let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    if e.loop_ancestor().is_some() {
        return Diagnostic::warning(
            path,
            "symbolic link loop: the link points to a folder that contains it; skipped",
        );
    }
    let cause = e
        .io_error()
        .map_or_else(|| e.to_string(), |io| io.to_string());
    if is_link {
        Diagnostic::warning(
            path,
            format!("symbolic link that cannot be followed ({cause}); skipped"),
        )
    } else {
        Diagnostic::error(path, format!("cannot read: {cause}"))
    }
}

fn classify(found: Vec<(String, PathBuf)>, diagnostics: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
    let bundles: BTreeSet<String> = found
        .iter()
        .filter_map(|(rel, _)| rel.strip_suffix("/index.md").map(str::to_owned))
        .collect();
    let in_bundle = |rel: &str| {
        bundles.iter().any(|b| {
            rel.len() > b.len() && rel.starts_with(b.as_str()) && rel.as_bytes()[b.len()] == b'/'
        })
    };
    found
        .into_iter()
        .filter_map(|(rel, path)| {
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let is_md = name.ends_with(".md");
            let kind = if rel.ends_with("/index.md") && bundles.contains(&rel[..rel.len() - 9]) {
                if in_bundle(&rel[..rel.len() - 9]) {
                    diagnostics.push(Diagnostic::warning(&path, "an article folder inside another article folder is not read"));
                    return None;
                }
                SourceKind::BundlePage
            } else if in_bundle(&rel) {
                if is_md {
                    diagnostics.push(Diagnostic::warning(
                        &path,
                        "Markdown file inside an article folder is not an article; move it out or rename it",
                    ));
                    return None;
                }
                SourceKind::Asset
            } else if name == "_index.md" {
                SourceKind::Section
            } else if is_md {
                SourceKind::Page
            } else {
                SourceKind::Asset
            };
            Some(SourceFile { rel, path, kind })
        })
        .collect()
}

/// Hidden files and the temporary files editors leave beside the ones they save.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".bck")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// A Markdown file read and split: its metadata checked, its body kept as text.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: SourceFile,
    /// The path to show in diagnostics (`content/productivity/a.md`).
    pub shown: PathBuf,
    /// The whole file, BOM removed and line endings made `\n`, so positions match the file.
    pub text: String,
    pub body_offset: usize,
    /// Where each front-matter key is written, for diagnostics about its value.
    pub keys: KeySpans,
    pub meta: DocMeta,
}

#[derive(Debug, Clone)]
pub enum DocMeta {
    Page(Box<PageMeta>),
    Section(SectionMeta),
}

impl Document {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// Articles larger than this are refused before they are read: a real article, even a whole
/// book, stays far below it, and rendering stays quick for everything under it.
pub(crate) const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads one Markdown file. `shown` is how diagnostics name it. Returns the document when it
/// could be read, and every diagnostic about it (a warning can come with a document).
pub(crate) fn parse(file: SourceFile, shown: PathBuf) -> (Option<Document>, Vec<Diagnostic>) {
    let cannot_read = |e: std::io::Error| {
        (
            None,
            vec![Diagnostic::error(
                &shown,
                format!("cannot read the file: {e}"),
            )],
        )
    };
    let size = match std::fs::metadata(&file.path) {
        Ok(m) => m.len(),
        Err(e) => return cannot_read(e),
    };
    if size > MAX_FILE_BYTES {
        let d = Diagnostic::error(
            &shown,
            format!(
                "the file is {:.1} MB; gongdu reads Markdown files up to {} MB",
                size as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .with_hint("split it into several articles");
        return (None, vec![d]);
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => return cannot_read(e),
    };
    let (text, warning) = match encoding::decode(bytes) {
        Ok(decoded) => (decoded.text, decoded.warning),
        Err(problem) => return (None, vec![encoding_diagnostic(&shown, problem, false)]),
    };
    let warning = warning.map(|w| encoding_diagnostic(&shown, w, true));
    match from_text(file, shown, text) {
        Ok(doc) => (Some(doc), warning.into_iter().collect()),
        Err(mut found) => {
            found.extend(warning);
            (None, found)
        }
    }
}

fn encoding_diagnostic(shown: &Path, p: encoding::Problem, warning: bool) -> Diagnostic {
    let d = if warning {
        Diagnostic::warning(shown, p.message)
    } else {
        Diagnostic::error(shown, p.message)
    };
    Diagnostic {
        excerpt: p.excerpt,
        ..d.at(p.line, p.column).with_hint(p.hint)
    }
}

/// Splits and checks a file's already decoded text.
pub fn from_text(
    file: SourceFile,
    shown: PathBuf,
    text: String,
) -> Result<Document, Vec<Diagnostic>> {
    if file.kind != SourceKind::Section && text.trim().is_empty() {
        return Err(vec![
            Diagnostic::error(&shown, "the file is empty")
                .at(1, 1)
                .with_hint("an article starts with front matter: a line `---`, `title: 文章标题`, and `---` again"),
        ]);
    }
    let split = frontmatter::split(&text)
        .map_err(|m| vec![Diagnostic::error(&shown, m).at_in(&text, 1, 1)])?;
    let keys = frontmatter::key_spans(&split);
    let meta = match file.kind {
        SourceKind::Section => DocMeta::Section(frontmatter::parse_section(&text, &split, &shown)?),
        _ => DocMeta::Page(Box::new(frontmatter::parse_page(
            &text, &split, &keys, &shown,
        )?)),
    };
    Ok(Document {
        body_offset: split.body_offset,
        keys,
        file,
        shown,
        text,
        meta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".a.md.swp", "a.md~", "#a.md#", "4913", ".DS_Store", "a.swp"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("工会驿站.md"));
    }

    #[test]
    fn bundles_own_their_files() {
        let found = [
            "a/_index.md",
            "a/p.md",
            "a/b/index.md",
            "a/b/chart.svg",
            "a/b/notes.md",
            "a/img.png",
        ]
        .map(|r| (r.to_owned(), PathBuf::from(r)));
        let mut diags = Vec::new();
        let files = classify(found.to_vec(), &mut diags);
        let kinds: Vec<_> = files.iter().map(|f| (f.rel.as_str(), f.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("a/_index.md", SourceKind::Section),
                ("a/p.md", SourceKind::Page),
                ("a/b/index.md", SourceKind::BundlePage),
                ("a/b/chart.svg", SourceKind::Asset),
                ("a/img.png", SourceKind::Asset),
            ]
        );
        assert_eq!(diags.len(), 1);
    }
}
