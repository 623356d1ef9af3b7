//! Checks that need the whole rendered site: links to headings of other pages (`#小节`), and,
//! for `gongdu check`, links and images that leave the site (an offline mirror cannot follow
//! them). Missing pages, wikilink targets and images are found while rendering; this module
//! only adds what rendering one page at a time cannot see (with [`outputs`], the paths the
//! build would write), and prints reports for tools. [`spam`] is the publishing guard against
//! gambling and adult terms in published pages.

mod active;
mod outputs;
pub(crate) mod spam;

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use crate::args;
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic, Lang, Severity, Text, Words, words};
use crate::markdown::limits::Positions;
use crate::markdown::{LinkKind, RenderedDoc};
use crate::site::SiteMap;
pub(crate) use outputs::{MAX_NAME_BYTES, outputs};

/// Links whose `#fragment` names no heading (or other element id) of the page they lead to.
pub(crate) fn anchors(
    docs: &crate::site::Docs,
    map: &SiteMap,
    rendered: &crate::markdown::RenderedDocs,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (d, r) in rendered.iter_enumerated() {
        let doc = &docs[d];
        let mut positions = Positions::default();
        // A build has let go of the sources by now: read again only a file with a problem.
        let mut text = None;
        for link in &r.links {
            let (Some(fragment), Some(target)) = (&link.fragment, link.target.doc(map)) else {
                continue;
            };
            let target_r = &rendered[target];
            if has_id(target_r, fragment) {
                continue;
            }
            let whose = if target == d {
                crate::diagnostic::Arg::Words(&words::THIS_PAGE)
            } else {
                crate::knowledge::content_path(&docs[target]).into()
            };
            let code = if link.kind == LinkKind::Wiki {
                Code::WikiAnchorMissing
            } else {
                Code::AnchorMissing
            };
            let args = vec![
                ("link", link.written.as_str().into()),
                ("whose", whose),
                ("fragment", fragment.as_str().into()),
            ];
            let mut diagnostic = Diagnostic::new(code, &doc.shown, args);
            let ids: Vec<&str> = target_r
                .headings
                .iter()
                .map(|h| h.id.as_str())
                .take(8)
                .collect();
            if !ids.is_empty() {
                diagnostic = diagnostic.hint(&HEADINGS_HINT, args!(ids = ids.join(", ")));
            }
            let text = text.get_or_insert_with(|| doc.text_again());
            let offset = doc.body_offset + link.at;
            positions.push_in(&mut out, diagnostic, text.as_deref(), offset);
        }
        positions.finish(&mut out, &doc.shown);
    }
    out
}

/// Menu entries of site.yaml that lead to no page: every page would carry the dead link.
/// Pages made from content (articles, sections, files, aliases) are known by their path;
/// the listings gongdu generates (taxonomies, study paths, timeline, search) by their first
/// folder; the site's own `static/` files by looking.
pub(crate) fn menu(config: &SiteConfig, root: &Path, map: &SiteMap) -> Vec<Diagnostic> {
    let mut known: HashSet<&str> = HashSet::new();
    known.extend(map.pages.iter().map(|p| p.url.as_str()));
    known.extend(map.sections.iter().map(|s| s.url.as_str()));
    known.extend(map.assets.iter().map(|a| a.url.as_str()));
    known.extend(map.aliases.iter().map(|a| a.url.as_str()));
    let generated: Vec<&str> = config
        .taxonomies
        .iter()
        .map(|t| t.name.as_str())
        .chain([
            "paths",
            "timeline",
            "search",
            "page",
            config.glossary.as_str(),
        ])
        .collect();
    let static_dirs = [
        root.join("static"),
        root.join("themes").join(&config.theme).join("static"),
    ];
    let text = std::fs::read_to_string(root.join(crate::config::FILE_NAME)).unwrap_or_default();
    let mut out = Vec::new();
    for (i, item) in config.menu.iter().enumerate() {
        let url = item.url.trim();
        if item.is_external() || url.starts_with('#') || url.contains(':') {
            continue;
        }
        let path = url
            .split(['#', '?'])
            .next()
            .unwrap_or("")
            .trim_start_matches('/');
        let page = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_owned()
        };
        let first = path.split('/').next().unwrap_or("");
        let found = known.contains(page.as_str())
            || known.contains(format!("{path}/index.html").as_str())
            || generated.contains(&first)
            || static_dirs.iter().any(|d| d.join(path).exists());
        if !found {
            let key = format!("menu.{i}.url");
            let at = config
                .keys
                .get(&key)
                .map_or(config.keys.key("menu"), |s| s.value);
            out.push(
                Diagnostic::new(
                    Code::MenuTarget,
                    crate::config::FILE_NAME,
                    args!(label = &item.label, url = url),
                )
                .at_in(&text, at.line, at.column)
                .hint(&MENU_HINT, args!(sections = section_list(map))),
            );
        }
    }
    out
}

/// The top-level sections, as a menu would name them (`history/, union/`).
fn section_list(map: &SiteMap) -> String {
    let mut names: Vec<&str> = map
        .sections
        .iter()
        .filter_map(|s| s.url.as_str().strip_suffix("/index.html"))
        .filter(|p| !p.contains('/'))
        .collect();
    names.sort_unstable();
    names
        .iter()
        .map(|n| format!("{n}/"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn has_id(r: &RenderedDoc, id: &str) -> bool {
    r.headings.iter().any(|h| h.id == id)
        || (r.html.unpack()).contains(&format!("id=\"{}\"", crate::html::escape(id)))
}

/// Links and images that need a network: warnings for `gongdu check`.
pub(crate) fn external(
    docs: &crate::site::Docs,
    rendered: &crate::markdown::RenderedDocs,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (d, r) in rendered.iter_enumerated() {
        let doc = &docs[d];
        let mut positions = Positions::default();
        let mut text = None;
        let mut seen = HashSet::new();
        for e in &r.external {
            if !seen.insert((&e.url, e.image)) {
                continue;
            }
            let code = if e.image {
                Code::ExternalImage
            } else {
                Code::ExternalLink
            };
            let mut diagnostic = Diagnostic::new(code, &doc.shown, args!(url = &e.url));
            if e.image {
                diagnostic = diagnostic.hint(&SAVE_IMAGE_HINT, args!());
            }
            let text = text.get_or_insert_with(|| doc.text_again());
            let offset = doc.body_offset + e.at;
            positions.push_in(&mut out, diagnostic, text.as_deref(), offset);
        }
    }
    out
}

/// The JSON report of `gongdu check --format json` (schema in docs/commands.md).
#[derive(Serialize)]
pub(crate) struct JsonReport {
    pub version: u32,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Serialize)]
pub(crate) struct JsonDiagnostic {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: &'static str,
    /// `GD0102`; `GD0000` for a diagnostic without a code of its own.
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

/// The report for tools, its words in `lang`.
pub(crate) fn json_report(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = JsonReport {
        version: 1,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                path: d.path.display().to_string(),
                line: d.line,
                column: d.column,
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                code: d.code.id(),
                message: d.message.get(lang),
                hint: d.hint.as_ref().map(|h: &Text| h.get(lang)),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).expect("plain data serialises")
}

static HEADINGS_HINT: Words = Words {
    en: "its headings: {ids}",
    zh: "它的小节：{ids}",
};
static SAVE_IMAGE_HINT: Words = Words {
    en: "save the image beside the article and link it by its file name",
    zh: "把图片存到文章旁边，并用文件名链接",
};
static MENU_HINT: Words = Words {
    en: "write the path of a page or section of the site (its sections: {sections}), or a full https:// address",
    zh: "请写站内页面或栏目的路径（本站栏目：{sections}），或者完整的 https:// 网址",
};
