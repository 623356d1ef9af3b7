//! The `content/` folder: finding its files ([`discover`]) and reading each Markdown file into a
//! [`Document`] ([`parse`]). Nothing here knows about URLs or other pages; that is `site`.

pub(crate) mod date;
pub mod encoding;
pub(crate) mod frontmatter;
pub mod import_record;
pub(crate) mod tags;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::args;
use crate::diagnostic::{self, Code, Diagnostic};
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
                    Diagnostic::new(
                        Code::SymlinkOutside,
                        e.path(),
                        args!(target = target.display().to_string()),
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
            diagnostics.push(Diagnostic::new(Code::NonUtf8Name, entry.path(), args!()));
            continue;
        };
        found.push((rel.replace('\\', "/"), entry.path().to_path_buf()));
    }
    diagnostics.append(&mut outside);
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::new(Code::NoContent, &content, args!()).with_hint(
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
        return Diagnostic::new(Code::SymlinkLoop, path, args!());
    }
    let cause = diagnostic::walk_cause(e);
    if is_link {
        Diagnostic::new(Code::SymlinkBroken, path, cause)
    } else {
        Diagnostic::new(Code::CannotRead, path, cause)
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
                    diagnostics.push(Diagnostic::new(Code::NestedBundle, &path, args!()));
                    return None;
                }
                SourceKind::BundlePage
            } else if in_bundle(&rel) {
                if is_md {
                    diagnostics.push(Diagnostic::new(Code::MarkdownInBundle, &path, args!()));
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
    pub state: DocState,
    /// Set once [`Document::forget_text`] has let go of `text`: what it was, to read it again.
    forgotten: Option<TextPrint>,
}

/// The length and hash of a text let go of, so that reading the file again can tell whether
/// it still says the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TextPrint {
    len: usize,
    hash: u64,
}

impl TextPrint {
    fn of(text: &str) -> TextPrint {
        TextPrint {
            len: text.len(),
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        }
    }
}

/// Whether a document's front matter passed its checks, or it only stands in for a file
/// that failed them (see [`read_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocState {
    Checked,
    /// Claims the file's path, title and slug so that links to it resolve; it reports no
    /// problems of its own beyond the ones that made it a stand-in, and is never written.
    StandIn,
}

#[derive(Debug, Clone)]
pub enum DocMeta {
    /// Shared with the site map's [`crate::site::Page`], which shows it.
    Page(std::sync::Arc<PageMeta>),
    Section(SectionMeta),
}

impl Document {
    /// The body: the text after the front matter (empty once the text is let go of).
    pub fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or_default()
    }

    /// Lets go of the file's text once nothing will read it again: a build renders pages
    /// from the rendered Markdown. Positions keep their meaning: [`Document::text_again`]
    /// reads the file again for the rare problem found afterwards.
    pub(crate) fn forget_text(&mut self) {
        if self.forgotten.is_none() {
            self.forgotten = Some(TextPrint::of(&self.text));
            self.text = String::new();
        }
    }

    /// The file's text, to place a problem found in it: the text held, or, once it has been
    /// let go of, the file read again, if it still says the same; `None` when it does not
    /// (changed or gone since), so that no problem is placed at a wrong line.
    pub(crate) fn text_again(&self) -> Option<std::borrow::Cow<'_, str>> {
        let Some(print) = self.forgotten else {
            return Some(std::borrow::Cow::Borrowed(&self.text));
        };
        let bytes = std::fs::read(&self.file.path).ok()?;
        let text = encoding::decode(bytes).ok()?.text;
        (TextPrint::of(&text) == print).then_some(std::borrow::Cow::Owned(text))
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
            vec![Diagnostic::new(
                Code::CannotReadFile,
                &shown,
                diagnostic::io_cause(&e),
            )],
        )
    };
    let size = match std::fs::metadata(&file.path) {
        Ok(m) => m.len(),
        Err(e) => return cannot_read(e),
    };
    if size > MAX_FILE_BYTES {
        let d = Diagnostic::new(
            Code::FileTooLarge,
            &shown,
            args!(
                size = format!("{:.1}", size as f64 / 1_048_576.0),
                max = MAX_FILE_BYTES / 1_048_576
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
    let (doc, mut found) = read_text(file, shown, text);
    found.extend(warning);
    (Some(doc), found)
}

/// Splits and checks a file's text. A file whose front matter fails still becomes a
/// document, a stand-in that claims its path, its title (as far as it was read, else the file
/// name) and its slug, so that links to it are not reported as broken too: the editor sees
/// the cause alone. Its errors keep the build from writing it.
fn read_text(file: SourceFile, shown: PathBuf, text: String) -> (Document, Vec<Diagnostic>) {
    match check_text(&file, &shown, &text) {
        Ok((body_offset, keys, meta, warnings)) => (
            Document {
                body_offset,
                keys,
                file,
                shown,
                text,
                meta,
                state: DocState::Checked,
                forgotten: None,
            },
            warnings,
        ),
        Err(found) => (stand_in(file, shown, text), found),
    }
}

fn stand_in(file: SourceFile, shown: PathBuf, text: String) -> Document {
    let split = frontmatter::split(&text).ok();
    let claimed = split.as_ref().map(frontmatter::recover).unwrap_or_default();
    let stem = file
        .rel
        .trim_end_matches("/index.md")
        .trim_end_matches(".md");
    let stem = stem.rsplit('/').next().unwrap_or(stem).to_owned();
    let meta = match file.kind {
        SourceKind::Section => DocMeta::Section(SectionMeta {
            title: claimed.title,
            ..SectionMeta::default()
        }),
        _ => DocMeta::Page(std::sync::Arc::new(PageMeta {
            title: claimed.title.unwrap_or(stem),
            slug: claimed.slug,
            ..PageMeta::default()
        })),
    };
    Document {
        body_offset: split.map_or(text.len(), |s| s.body_offset),
        keys: KeySpans::default(),
        file,
        shown,
        text,
        meta,
        state: DocState::StandIn,
        forgotten: None,
    }
}

fn encoding_diagnostic(shown: &Path, p: encoding::Problem, warning: bool) -> Diagnostic {
    let code = if warning {
        Code::EncodingGuessed
    } else {
        Code::Encoding
    };
    let d = Diagnostic::new(code, shown, args!(detail = p.message));
    Diagnostic {
        excerpt: p.excerpt,
        ..d.at(p.line, p.column).with_hint(p.hint)
    }
}

/// Splits and checks a file's already decoded text. Warnings are left out: a build gets them
/// from [`parse`].
pub fn from_text(
    file: SourceFile,
    shown: PathBuf,
    text: String,
) -> Result<Document, Vec<Diagnostic>> {
    let (body_offset, keys, meta, _) = check_text(&file, &shown, &text)?;
    Ok(Document {
        body_offset,
        keys,
        file,
        shown,
        text,
        meta,
        state: DocState::Checked,
        forgotten: None,
    })
}

/// The body's offset, the keys' positions, the checked metadata of a file's text and the
/// warnings about it.
fn check_text(
    file: &SourceFile,
    shown: &Path,
    text: &str,
) -> Result<(usize, KeySpans, DocMeta, Vec<Diagnostic>), Vec<Diagnostic>> {
    if file.kind != SourceKind::Section && text.trim().is_empty() {
        return Err(vec![
            Diagnostic::new(Code::EmptyFile, shown, args!())
                .at(1, 1)
                .with_hint("an article starts with front matter: a line `---`, `title: 文章标题`, and `---` again"),
        ]);
    }
    let split = frontmatter::split(text)
        .map_err(|()| vec![Diagnostic::new(Code::Unclosed, shown, args!()).at_in(text, 1, 1)])?;
    let keys = frontmatter::key_spans(&split);
    let (meta, warnings) = match file.kind {
        SourceKind::Section => (
            DocMeta::Section(frontmatter::parse_section(text, &split, &keys, shown)?),
            Vec::new(),
        ),
        _ => {
            let (meta, warnings) = frontmatter::parse_page(text, &split, &keys, shown)?;
            (DocMeta::Page(std::sync::Arc::new(meta)), warnings)
        }
    };
    Ok((split.body_offset, keys, meta, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_let_go_of_is_read_again_only_while_the_file_says_the_same() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        let written = "\u{feff}---\r\ntitle: 甲\r\n---\r\n正文。\r\n";
        std::fs::write(&path, written).expect("write");
        let file = SourceFile {
            rel: "a.md".into(),
            path: path.clone(),
            kind: SourceKind::Page,
        };
        let (doc, _) = parse(file, "content/a.md".into());
        let mut doc = doc.expect("a document");
        let held = doc.text.clone();
        assert_eq!(doc.body(), "正文。\n");
        doc.forget_text();
        assert!(doc.text.is_empty() && doc.body().is_empty());
        assert_eq!(doc.text_again().as_deref(), Some(held.as_str()));
        std::fs::write(&path, written.replace("正文", "改过的正文")).expect("write");
        assert_eq!(doc.text_again(), None, "the file changed since");
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(doc.text_again(), None, "the file is gone");
    }

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
