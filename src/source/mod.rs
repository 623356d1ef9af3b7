//! The `content/` folder: finding its files ([`discover`]) and reading each Markdown file into a
//! [`Document`] ([`parse`]). Nothing here knows about URLs or other pages; that is `site`.

pub mod date;
pub mod frontmatter;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
pub use date::Date;
pub use frontmatter::{PageMeta, SectionMeta, SortBy, Source};

pub const CONTENT_DIR: &str = "content";

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
/// the walk goes on.
pub fn discover(root: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| content.clone(), Path::to_path_buf);
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop; the folder is skipped".to_owned()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    )
                };
                diagnostics.push(Diagnostic::warning(path, message));
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
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(&content, "there is no content folder here").with_hint(
                "run gongdu in the site's folder (the one with site.yaml) or pass --root",
            ),
        );
    }
    (classify(found, &mut diagnostics), diagnostics)
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
pub fn is_ignored(name: &str) -> bool {
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
    pub meta: DocMeta,
}

#[derive(Debug, Clone)]
pub enum DocMeta {
    Page(PageMeta),
    Section(SectionMeta),
}

impl Document {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// 1-based line of the file on which the body starts.
    pub fn body_line(&self) -> usize {
        self.text[..self.body_offset].matches('\n').count() + 1
    }
}

/// Reads one Markdown file. `shown` is how diagnostics name it.
pub fn parse(file: SourceFile, shown: PathBuf) -> Result<Document, Vec<Diagnostic>> {
    let bytes = std::fs::read(&file.path).map_err(|e| {
        vec![Diagnostic::error(
            &shown,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let text = decode(bytes).map_err(|m| vec![Diagnostic::error(&shown, m.0).with_hint(m.1)])?;
    from_text(file, shown, text)
}

/// Splits and checks a file's already decoded text.
pub fn from_text(
    file: SourceFile,
    shown: PathBuf,
    text: String,
) -> Result<Document, Vec<Diagnostic>> {
    let split = frontmatter::split(&text)
        .map_err(|m| vec![Diagnostic::error(&shown, m).at_in(&text, 1, 1)])?;
    let meta = match file.kind {
        SourceKind::Section => DocMeta::Section(frontmatter::parse_section(&text, &split, &shown)?),
        _ => DocMeta::Page(frontmatter::parse_page(&text, &split, &shown)?),
    };
    Ok(Document {
        body_offset: split.body_offset,
        file,
        shown,
        text,
        meta,
    })
}

/// UTF-8 text with any BOM removed and `\r\n` made `\n`.
fn decode(bytes: Vec<u8>) -> Result<String, (String, String)> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((
            "the file is UTF-16 text; gongdu reads UTF-8".into(),
            "save it as UTF-8 (in most editors: Save As → Encoding → UTF-8)".into(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        (
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "if it was saved as GBK/GB18030, convert it: iconv -f GB18030 -t UTF-8 in.md > out.md"
                .into(),
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
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
    fn bom_and_crlf_read_like_plain_lf() {
        let plain = decode(b"---\ntitle: x\n---\nbody\n".to_vec()).expect("utf8");
        let windows =
            decode(b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nbody\r\n".to_vec()).expect("bom");
        assert_eq!(plain, windows);
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
