//! Fixture sites for integration tests: a fixture folder under tests/fixtures/ is copied into
//! a temporary folder (so tests can change it and build it freely) and built with the library.
//! Include with `#[path = "support/site.rs"] mod site;`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gongdu::build::{self, BuildError, BuildOptions, BuildReport, Drafts};

pub(crate) struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// A fresh copy of `tests/fixtures/<name>`.
    pub(crate) fn copy(name: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&from, dir.path());
        Fixture { dir }
    }

    /// An empty site folder to fill by hand.
    pub(crate) fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub(crate) fn build(&self) -> Result<BuildReport, BuildError> {
        build::build(&self.options(), None)
    }

    pub(crate) fn build_drafts(&self) -> Result<BuildReport, BuildError> {
        let mut options = self.options();
        options.drafts = Drafts::Include;
        build::build(&options, None)
    }

    /// Builds and panics with the diagnostics if the build fails.
    pub(crate) fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(BuildError::Site(d)) => panic!("build failed:\n{}", gongdu::diagnostic::report(&d)),
            Err(e) => panic!("build failed: {e}"),
        }
    }

    /// The diagnostics of a build that must fail.
    pub(crate) fn build_errors(&self) -> Vec<gongdu::diagnostic::Diagnostic> {
        match self.build() {
            Err(BuildError::Site(d)) => d,
            Ok(_) => panic!("the build was expected to fail"),
            Err(e) => panic!("expected site errors, got: {e}"),
        }
    }

    /// Each diagnostic as `content/a.md:3:7: error: message`, paths relative to the site.
    pub(crate) fn shown(&self, diagnostics: &[gongdu::diagnostic::Diagnostic]) -> Vec<String> {
        let root = self.root();
        diagnostics
            .iter()
            .map(|d| {
                let path = d.path.strip_prefix(root).unwrap_or(&d.path);
                let level = if d.is_error() { "error" } else { "warning" };
                let message = d.message.replace(&format!("{}/", root.display()), "");
                format!(
                    "{}:{}:{}: {level}: {message}",
                    path.display(),
                    d.line,
                    d.column
                )
            })
            .collect()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// A file of the built site, as text.
    pub(crate) fn output(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).expect("inside the fixture");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Every file under `dir`, by relative path, with its bytes.
pub(crate) fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// A broken reference found by [`check_links`].
#[derive(Debug)]
pub(crate) struct BrokenLink {
    pub(crate) file: String,
    pub(crate) reference: String,
    pub(crate) problem: String,
}

/// Walks every `href` and `src` in every HTML file under `out` and checks that each internal
/// one resolves to an existing file (and, for `#fragment`s, to an element with that id).
/// External links (`https:`, `mailto:`, …) are not followed. `root_prefix` is the URL path the
/// site is served under, used for root-relative links such as those in 404.html.
pub(crate) fn check_links(out: &Path, root_prefix: &str) -> (usize, Vec<BrokenLink>) {
    let mut checked = 0;
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot_tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("HTML is UTF-8");
        let dir = Path::new(&rel)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for reference in attribute_values(&html, &["href", "src"]) {
            let reference = reference.replace("&amp;", "&");
            if is_external(&reference) {
                continue;
            }
            checked += 1;
            let (path_part, fragment) = match reference.split_once('#') {
                Some((p, f)) => (p.to_owned(), Some(f.to_owned())),
                None => (reference.clone(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or("").to_owned();
            let decoded = percent_decode(&path_part);
            let target = if decoded.is_empty() {
                out.join(&rel)
            } else if let Some(rooted) = decoded.strip_prefix('/') {
                match rooted.strip_prefix(root_prefix.trim_start_matches('/')) {
                    Some(inside) => out.join(inside),
                    None => out.join(rooted),
                }
            } else {
                out.join(&dir).join(&decoded)
            };
            let target = if target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            let problem = if !target.is_file() {
                Some(format!("no file {}", target.display()))
            } else if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let id = percent_decode(&fragment);
                let target_html = std::fs::read_to_string(&target).unwrap_or_default();
                let found = target_html.contains(&format!("id=\"{id}\""))
                    || target_html.contains(&format!("name=\"{id}\""));
                (!found).then(|| format!("no element with id `{id}` in {}", target.display()))
            } else {
                None
            };
            if let Some(problem) = problem {
                broken.push(BrokenLink {
                    file: rel.clone(),
                    reference,
                    problem,
                });
            }
        }
    }
    (checked, broken)
}

fn is_external(reference: &str) -> bool {
    let scheme_end = reference.find(':');
    let slash = reference.find('/');
    matches!((scheme_end, slash), (Some(c), Some(s)) if c < s)
        || matches!((scheme_end, slash), (Some(_), None))
}

/// The values of the given attributes, in order, from raw HTML (enough for generated pages,
/// which always quote attributes with `"`).
pub(crate) fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = rest.find('"') {
                values.push(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
    }
    values
}

pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where the built site in `out` published the theme asset `path` (`assets/gongdu.css`):
/// its name carries eight hex digits of its content's hash (`assets/gongdu.3f2a9c1e.css`).
pub(crate) fn published(out: &Path, path: &str) -> String {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let (stem, ext) = name.rsplit_once('.').expect("an asset has an extension");
    let found: Vec<String> = std::fs::read_dir(out.join(folder))
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            n.strip_prefix(stem)
                .and_then(|rest| rest.strip_suffix(ext))
                .and_then(|mid| mid.strip_prefix('.')?.strip_suffix('.'))
                .is_some_and(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "published names of {path}: {found:?}");
    format!("{folder}/{}", found[0])
}
