//! Themes: tera templates, static files and UI strings, layered so that the site's own
//! `templates/` and `static/` override the chosen theme's, which override the built-in
//! default theme embedded in the binary. Rendering with them is `render`'s job.

mod assets;
mod macro_guard;
mod templates;

pub(crate) use assets::AssetNames;
pub(crate) use assets::SYNTAX_CSS;
pub(crate) use assets::{content_hash, hash_in_name};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};

use crate::config::{self, SiteConfig};
use crate::diagnostic::{Code, Diagnostic};
use crate::site::SitePath;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub(crate) const DEFAULT_NAME: &str = "default";

/// Stack size for threads that render templates: enough for
/// [`MAX_MACRO_DEPTH`](macro_guard::MAX_MACRO_DEPTH) nested macro calls in an unoptimised build,
/// where tera uses about 30 KB of stack per call.
pub(crate) const RENDER_STACK: usize = 8 << 20;

pub struct Theme {
    pub tera: tera::Tera,
    /// Output path → where the bytes come from; the site's files win over the theme's.
    pub static_files: BTreeMap<SitePath, StaticSource>,
    /// UI strings for the site's language (`t` in templates).
    pub strings: serde_json::Map<String, serde_json::Value>,
    /// Template name → file it was read from, for error messages.
    pub template_origins: BTreeMap<String, PathBuf>,
    /// Where each stylesheet and script under `assets/` is published (minified, with its
    /// content's hash in the name).
    pub(crate) assets: Arc<AssetNames>,
}

#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    File(PathBuf),
    /// Bytes gongdu made: a minified asset (from the site's file `origin`, or from the
    /// built-in theme when `None`) or the highlighting stylesheet.
    Made {
        bytes: Arc<[u8]>,
        origin: Option<PathBuf>,
    },
}

/// One layer of templates, static files and strings.
enum Layer {
    Embedded(&'static Dir<'static>),
    Folder(PathBuf),
}

pub(crate) fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>> {
    let mut layers = vec![Layer::Embedded(&DEFAULT_THEME)];
    let theme_dir = root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        layers.push(Layer::Folder(theme_dir));
    } else if config.theme != DEFAULT_NAME {
        let text = std::fs::read_to_string(root.join(config::FILE_NAME)).unwrap_or_default();
        let (line, col) = config.keys.key("theme").into();
        return Err(vec![
            Diagnostic::new(
                Code::ThemeNotFound,
                config::FILE_NAME,
                crate::args!(theme = &config.theme),
            )
            .at_in(&text, line, col)
            .hint(&THEME_HINT, crate::args!()),
        ]);
    }
    layers.push(Layer::Folder(root.to_path_buf()));

    let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    let mut static_files = BTreeMap::new();
    let mut strings = serde_json::Map::new();
    let mut problems = Vec::new();
    let strings_file = format!("i18n/{}.yaml", config.language.code());
    for layer in &layers {
        layer.read(&mut templates, &mut static_files, &mut problems);
        if let Some((text, path)) = layer.text(&strings_file) {
            match config::yaml::from_str::<serde_json::Map<String, serde_json::Value>>(
                &text, &path, &text, 1,
            ) {
                Ok(more) => strings.extend(more),
                Err(d) => problems.push(d),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Minifying the assets and parsing the templates are independent, and each is about
    // half of loading the theme: they run side by side.
    let (assets, tera) = rayon::join(
        || {
            let syntax_css = crate::markdown::highlight::stylesheet();
            assets::publish(&mut static_files, syntax_css)
        },
        || {
            // tera's own escaping also turns `/` into `&#x2F;`, which makes every URL
            // unreadable.
            templates::load(
                &templates,
                |src| fill_strings(src, &strings),
                escape_for_templates,
            )
        },
    );
    let assets = Arc::new(assets?);
    let mut tera = tera?;
    let origins: BTreeMap<String, PathBuf> = templates
        .iter()
        .map(|(n, (_, p))| (n.clone(), p.clone()))
        .collect();
    tera.register_function("asset", assets::AssetFunction(Arc::clone(&assets)));
    Ok(Theme {
        tera,
        static_files,
        strings,
        template_origins: origins,
        assets,
    })
}

impl Layer {
    fn read(
        &self,
        templates: &mut BTreeMap<String, (String, PathBuf)>,
        statics: &mut BTreeMap<SitePath, StaticSource>,
        problems: &mut Vec<Diagnostic>,
    ) {
        match self {
            Layer::Embedded(dir) => {
                for file in embedded_files(dir) {
                    let path = file.path().to_string_lossy().replace('\\', "/");
                    let shown = PathBuf::from(format!("(built-in theme)/{path}"));
                    if let Some(name) = path.strip_prefix("templates/") {
                        let text = file.contents_utf8().unwrap_or_default().to_owned();
                        templates.insert(name.to_owned(), (text, shown));
                    } else if let Some(out) = path.strip_prefix("static/") {
                        statics.insert(SitePath::new(out), StaticSource::Embedded(file.contents()));
                    }
                }
            }
            Layer::Folder(base) => {
                for (name, path) in files_under(&base.join("templates"), problems) {
                    match std::fs::read_to_string(&path) {
                        Ok(text) => {
                            templates.insert(name, (text, path));
                        }
                        Err(e) => problems.push(Diagnostic::new(
                            Code::TemplateUnreadable,
                            &path,
                            crate::diagnostic::io_cause(&e),
                        )),
                    }
                }
                for (name, path) in files_under(&base.join("static"), problems) {
                    statics.insert(SitePath::new(name), StaticSource::File(path));
                }
            }
        }
    }

    fn text(&self, rel: &str) -> Option<(String, PathBuf)> {
        match self {
            Layer::Embedded(dir) => dir.get_file(rel).and_then(|f| f.contents_utf8()).map(|t| {
                (
                    t.to_owned(),
                    PathBuf::from(format!("(built-in theme)/{rel}")),
                )
            }),
            Layer::Folder(base) => {
                let path = base.join(rel);
                std::fs::read_to_string(&path).ok().map(|t| (t, path))
            }
        }
    }
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(embedded_files(sub));
    }
    out
}

/// Every file under `dir` as (`a/b.html`, full path), sorted; hidden and editor files skipped.
fn files_under(dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::source::is_ignored(&e.file_name().to_string_lossy())
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Ok(rel) = e.path().strip_prefix(dir) {
                    out.push((
                        rel.to_string_lossy().replace('\\', "/"),
                        e.path().to_path_buf(),
                    ));
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(Diagnostic::new(
                Code::ThemeUnreadable,
                e.path().unwrap_or(dir),
                crate::diagnostic::walk_cause(&e),
            )),
        }
    }
    out
}

/// A tera error as a diagnostic on the template file it names; when it names several (the
/// page's template, then the one a macro or include was in), the last is where the mistake is.
pub(crate) fn template_diagnostic(
    err: &tera::Error,
    origins: &BTreeMap<String, PathBuf>,
) -> Diagnostic {
    let message = error_chain(err);
    let path = origins
        .iter()
        .filter_map(|(name, path)| {
            let at = [format!("'{name}'"), format!("\"{name}\"")]
                .iter()
                .filter_map(|quoted| message.rfind(quoted.as_str()))
                .max()?;
            Some((at, path))
        })
        .max_by_key(|(at, _)| *at)
        .map_or_else(|| PathBuf::from("templates"), |(_, p)| p.clone());
    Diagnostic::new(Code::Template, path, crate::args!(detail = message))
}

/// A tera error and all its causes on one line: tera puts the useful part in the causes.
pub(crate) fn error_chain(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Writes the UI strings into the templates once, where they appear as plain `{{ t.key }}`:
/// they are the same on every page, and looking them up on every page was a measurable part
/// of a large site's build. Anything else that uses `t` (filters, conditions) is left to tera.
fn fill_strings(template: &str, strings: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{ t.") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        let key_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let (key, tail) = after.split_at(key_len);
        match (
            tail.strip_prefix(" }}"),
            strings.get(key).and_then(|v| v.as_str()),
        ) {
            (Some(tail), Some(value)) if !key.is_empty() => {
                // Values may hold tera syntax by accident; escape it as text and as template.
                let text = escape_for_templates(value);
                if text.contains("{{") || text.contains("{%") || text.contains("{#") {
                    out.push_str(&format!("{{{{ t.{key} }}}}"));
                } else {
                    out.push_str(&text);
                }
                rest = tail;
            }
            _ => {
                out.push_str("{{ t.");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape_for_templates(text: &str) -> String {
    crate::html::escape(text)
}

impl StaticSource {
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            StaticSource::Embedded(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            StaticSource::File(path) => std::fs::read(path).map(std::borrow::Cow::Owned),
            StaticSource::Made { bytes, .. } => Ok(std::borrow::Cow::Owned(bytes.to_vec())),
        }
    }

    /// The site's file these bytes come from, if they come from one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            StaticSource::File(path) => Some(path),
            StaticSource::Made { origin, .. } => origin.as_deref(),
            StaticSource::Embedded(_) => None,
        }
    }

    /// The path to name in a message about this file published at `path`.
    pub(crate) fn shown(&self, path: &SitePath) -> PathBuf {
        self.file().map_or_else(
            || PathBuf::from(format!("(built-in theme)/static/{path}")),
            Path::to_path_buf,
        )
    }
}

static THEME_HINT: crate::diagnostic::Words = crate::diagnostic::Words {
    en: "use `theme: default` or create the theme's folder",
    zh: "请用 `theme: default`，或者建立该主题的文件夹",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_string_lookups_are_filled_in_and_others_left_to_tera() {
        let strings: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"home": "首页", "quote": "a<b", "odd": "{{ x }}"}"#)
                .expect("json");
        assert_eq!(
            fill_strings(
                "<a>{{ t.home }}</a>{{ t.quote }}{{ t.missing }}{{ t.home | upper }}{{ t.odd }}",
                &strings
            ),
            "<a>首页</a>a&lt;b{{ t.missing }}{{ t.home | upper }}{{ t.odd }}"
        );
    }
}
