//! The theme's stylesheets and scripts as they are published: minified, and named after their
//! content (`assets/gongdu.css` → `assets/gongdu.3f2a9c1e.css`), so that a host may let
//! browsers cache them for ever and a new version is a new address. Scripts under `search/`
//! (`tokenize.js`) are minified too but keep their names, since the loader asks for them by
//! name. Which files these are and what they are called is decided here once per theme load;
//! templates ask for the published name with `asset(path=…)` and pages carry it in `assets`.
//!
//! Minifiers, compared for this job: lightningcss (Parcel's CSS parser and minifier, the one
//! most Rust tools use) for CSS, and oxc for JavaScript (a full parser, so it keeps the meaning
//! and reports syntax errors with their place; swc's minifier does the same work with about
//! twice the dependencies, and the token-level `minifier` crate cannot know when a line break
//! ends a statement). Both print the same bytes for the same input, so builds stay
//! deterministic.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::StaticSource;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::SitePath;

/// Files under this folder of `static/` are the theme's assets.
const FOLDER: &str = "assets/";

/// The code-highlighting stylesheet, written by gongdu (not a file of the theme).
pub(crate) const SYNTAX_CSS: &str = "assets/syntax.css";

/// How many hex digits of the content's SHA-256 go into a name: 32 bits tell versions of one
/// file apart, and the name stays short.
const HASH_DIGITS: usize = 8;

/// Asset path as the theme names it → path it is published at.
#[derive(Debug, Default, Clone)]
pub(crate) struct AssetNames(BTreeMap<String, String>);

impl AssetNames {
    /// The published path of `path` (`assets/gongdu.css`), if it is an asset of the theme.
    pub(crate) fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Whether `path` is published minified under a content-hashed name: a stylesheet or script
/// under `assets/`. Other static files (images, licences, `search/`) keep their names.
fn is_asset(path: &str) -> bool {
    path.starts_with(FOLDER) && (path.ends_with(".css") || path.ends_with(".js"))
}

/// Whether `path` is published minified under its own name: a script under `search/`
/// (`tokenize.js`), which the search index's files sit beside and the loader asks for by name.
/// Every search loads it, so its comments cost every query (4.5 KB written, 1.1 KB minified).
fn is_search_script(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".js")
}

/// Replaces every asset in `statics` by its published form and adds the highlighting
/// stylesheet (`generated`), returning the table of names. A file that cannot be read or
/// does not parse is a diagnostic at its line and column.
pub(super) fn publish(
    statics: &mut BTreeMap<SitePath, StaticSource>,
    syntax_css: String,
) -> Result<AssetNames, Vec<Diagnostic>> {
    let mut names = BTreeMap::new();
    let mut problems = Vec::new();
    let originals: Vec<SitePath> = statics
        .keys()
        .filter(|p| is_asset(p.as_str()) || is_search_script(p.as_str()))
        .cloned()
        .collect();
    let theme_has_syntax_css = statics.contains_key(&SitePath::new(SYNTAX_CSS));
    let mut made = Vec::new();
    for path in originals {
        let source = statics.remove(&path).expect("listed from the map");
        let shown = source.shown(&path);
        let text = match source.read() {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                problems.push(Diagnostic::new(
                    Code::ThemeUnreadable,
                    &shown,
                    crate::diagnostic::io_cause(&e),
                ));
                continue;
            }
        };
        match minify(path.as_str(), &text) {
            Ok(bytes) => made.push((path, bytes, source.file().map(Into::into))),
            Err(d) => problems.push(d.at_file(&shown, &text)),
        }
    }
    if !theme_has_syntax_css {
        match minify(SYNTAX_CSS, &syntax_css) {
            Ok(bytes) => made.push((SitePath::new(SYNTAX_CSS), bytes, None)),
            Err(d) => problems.push(d.at_file(std::path::Path::new(SYNTAX_CSS), &syntax_css)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (path, bytes, origin) in made {
        let published = if is_search_script(path.as_str()) {
            path.to_string()
        } else {
            let published = hashed_name(path.as_str(), &bytes);
            names.insert(path.to_string(), published.clone());
            published
        };
        let bytes: Arc<[u8]> = bytes.into();
        statics.insert(
            SitePath::new(published),
            StaticSource::Made { bytes, origin },
        );
    }
    Ok(AssetNames(names))
}

/// `assets/search/ui.js` with content `bytes` → `assets/search/ui.1a2b3c4d.js`.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hex = content_hash(bytes);
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hex}.{ext}"),
        None => format!("{path}.{hex}"),
    }
}

/// What [`hashed_name`] puts into a name for `bytes`: the first hex digits of their SHA-256.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .flat_map(|b| [b >> 4, b & 0xf])
        .take(HASH_DIGITS)
        .map(|n| char::from_digit(u32::from(n), 16).expect("a nibble is a hex digit"))
        .collect()
}

/// The hash a published name holds, if it is shaped like one (`ui.1a2b3c4d.js` → `1a2b3c4d`):
/// whether it is the hash of the file's bytes is for the caller to check.
pub(crate) fn hash_in_name(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (rest, _ext) = name.rsplit_once('.')?;
    let (_stem, hex) = rest.rsplit_once('.')?;
    let lower_hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    (hex.len() == HASH_DIGITS && hex.chars().all(lower_hex)).then_some(hex)
}

/// A problem found while minifying, before it knows its file.
#[derive(Debug)]
struct Problem {
    detail: String,
    /// 1-based line and column, when the minifier said where.
    at: Option<(usize, usize)>,
}

impl Problem {
    fn at_file(self, path: &std::path::Path, text: &str) -> Diagnostic {
        let d = Diagnostic::new(Code::AssetSyntax, path, crate::args!(detail = self.detail));
        match self.at {
            Some((line, column)) => d.at_in(text, line, column),
            None => d,
        }
    }
}

/// The minified bytes of one asset. A file whose name says it is minified already
/// (`elasticlunr.min.js`) is published as its authors wrote it, licence comment included.
fn minify(path: &str, text: &str) -> Result<Vec<u8>, Problem> {
    let file_name = path.rsplit('/').next().unwrap_or(path);
    if file_name.contains(".min.") {
        return Ok(text.as_bytes().to_vec());
    }
    if path.ends_with(".css") {
        minify_css(text).map(String::into_bytes)
    } else {
        minify_js(text).map(String::into_bytes)
    }
}

fn minify_css(text: &str) -> Result<String, Problem> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let problem = |detail: String, loc: Option<lightningcss::error::ErrorLocation>| Problem {
        detail,
        at: loc.map(|l| (l.line as usize + 1, l.column as usize)),
    };
    let mut sheet = StyleSheet::parse(text, ParserOptions::default())
        .map_err(|e| problem(e.kind.to_string(), e.loc))?;
    sheet
        .minify(MinifyOptions::default())
        .map_err(|e| problem(e.kind.to_string(), e.loc))?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|e| problem(e.kind.to_string(), e.loc))?;
    Ok(printed.code)
}

/// Scripts are classic scripts sharing globals (`gongduSearch`), so names at the top level
/// keep theirs; only what is local to a function is renamed. The output stays within ES2017,
/// the syntax the scripts are written in, so no newer operator appears in what old readers
/// (Kiwix on older phones) are given.
fn minify_js(text: &str) -> Result<String, Problem> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    let allocator = Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, text, oxc_span::SourceType::cjs()).parse();
    if let Some(error) = parsed.diagnostics.first() {
        let offset = error.labels.first().map(|l| l.offset());
        return Err(Problem {
            detail: error.message.to_string(),
            at: offset.map(|o| line_column(text, o as usize)),
        });
    }
    let mut program = parsed.program;
    let target = oxc_compat::EngineTargets::from_target("es2017")
        .map_err(|detail| Problem { detail, at: None })?;
    let options = MinifierOptions {
        mangle: Some(MangleOptions {
            top_level: Some(false),
            ..MangleOptions::default()
        }),
        mangle_properties: None,
        compress: Some(CompressOptions {
            target,
            ..CompressOptions::safest()
        }),
    };
    let minified = Minifier::new(options).minify(&allocator, &mut program);
    let code = Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code;
    Ok(code)
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// `asset(path="assets/gongdu.css")` in templates: the published path of a theme asset. An
/// unknown path is an error, so a template cannot link to a file that is not there.
pub(super) struct AssetFunction(pub(super) Arc<AssetNames>);

impl tera::Function for AssetFunction {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("asset() needs `path`, a string"))?;
        self.0
            .get(path)
            .map(|p| tera::Value::String(p.to_owned()))
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "asset(path=\"{path}\"): no stylesheet or script of the theme has this path"
                ))
            })
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash_before_the_extension() {
        let a = hashed_name("assets/search/ui.js", b"x");
        let b = hashed_name("assets/search/ui.js", b"y");
        assert!(
            a.starts_with("assets/search/ui.") && a.ends_with(".js"),
            "{a}"
        );
        assert_eq!(a.len(), "assets/search/ui.js".len() + HASH_DIGITS + 1);
        assert_ne!(a, b);
        assert_eq!(a, hashed_name("assets/search/ui.js", b"x"), "deterministic");
        assert_eq!(hash_in_name(&a), Some(content_hash(b"x").as_str()));
        assert_eq!(
            hash_in_name("assets/elasticlunr.min.js"),
            None,
            "min is no hash"
        );
        assert_eq!(hash_in_name("a/b.1a2b3c4.js"), None, "seven digits");
        assert_eq!(hash_in_name("a/b.1A2B3C4D.js"), None, "upper case");
        assert_eq!(hash_in_name("a.1a2b3c4d/b.js"), None, "a folder's name");
    }

    #[test]
    fn css_and_js_lose_comments_and_spaces_but_keep_their_meaning() {
        let css = minify_css("/* note */\nbody {\n  color: #ff0000;\n}\n").expect("css");
        assert_eq!(css, "body{color:red}");
        let js = minify_js(
            "/* why */\nvar gongduX = (function () {\n  var longName = 1;\n  return longName + 1;\n})();\n",
        )
        .expect("js");
        assert!(js.contains("gongduX"), "globals keep their names: {js}");
        assert!(!js.contains("longName") && !js.contains("why"), "{js}");
    }

    #[test]
    fn syntax_errors_say_where() {
        let p = minify_js("var a = 1;\nvar b = ;\n").expect_err("an error");
        assert_eq!(p.at.map(|(line, _)| line), Some(2), "{}", p.detail);
        // An unclosed `[` swallows the rest of the file, so the parser stops at its end.
        let p = minify_css("a { color: red }\nb[ { color: blue }\n").expect_err("an error");
        assert_eq!(p.at, Some((3, 1)), "{}", p.detail);
    }

    #[test]
    fn minified_files_are_published_as_written() {
        let text = "/*! licence */ var x=1;";
        assert_eq!(
            minify("assets/lib.min.js", text).ok(),
            Some(text.as_bytes().to_vec())
        );
    }
}
