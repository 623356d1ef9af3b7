//! Checks that need the whole rendered site: links to headings of other pages (`#小节`), and,
//! for `gongdu check`, links and images that leave the site (an offline mirror cannot follow
//! them). Missing pages, wikilink targets and images are found while rendering; this module
//! only adds what rendering one page at a time cannot see (with [`outputs`], the paths the
//! build would write), and prints reports for tools.

mod active;
mod outputs;

use std::collections::HashSet;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
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
        for link in &r.links {
            let (Some(fragment), Some(target)) = (&link.fragment, link.target.doc(map)) else {
                continue;
            };
            let target_r = &rendered[target];
            if has_id(target_r, fragment) {
                continue;
            }
            let whose = if target == d {
                "this page".to_owned()
            } else {
                crate::knowledge::content_path(&docs[target])
            };
            let what = if link.kind == LinkKind::Wiki {
                format!("wikilink `{}`", link.written)
            } else {
                format!("link to `{}`", link.written)
            };
            let mut diagnostic = Diagnostic::error(
                &doc.shown,
                format!("{what}: {whose} has no heading `{fragment}`"),
            );
            let ids: Vec<&str> = target_r
                .headings
                .iter()
                .map(|h| h.id.as_str())
                .take(8)
                .collect();
            if !ids.is_empty() {
                diagnostic = diagnostic.with_hint(format!("its headings: {}", ids.join(", ")));
            }
            positions.push(&mut out, diagnostic, &doc.text, doc.body_offset + link.at);
        }
        positions.finish(&mut out, &doc.shown);
    }
    out
}

fn has_id(r: &RenderedDoc, id: &str) -> bool {
    r.headings.iter().any(|h| h.id == id)
        || r.html
            .contains(&format!("id=\"{}\"", crate::html::escape(id)))
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
        let mut seen = HashSet::new();
        for e in &r.external {
            if !seen.insert((&e.url, e.image)) {
                continue;
            }
            let message = if e.image {
                format!(
                    "image `{}` is loaded from another site: an offline mirror shows it as missing",
                    e.url
                )
            } else {
                format!(
                    "link to `{}` leaves the site: offline readers cannot follow it",
                    e.url
                )
            };
            let mut diagnostic = Diagnostic::warning(&doc.shown, message);
            if e.image {
                diagnostic = diagnostic
                    .with_hint("save the image beside the article and link it by its file name");
            }
            positions.push(&mut out, diagnostic, &doc.text, doc.body_offset + e.at);
        }
    }
    out
}

/// The JSON report of `gongdu check --format json` (schema in the README).
#[derive(Serialize)]
pub(crate) struct JsonReport<'a> {
    pub version: u32,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: &'static str,
    pub message: &'a str,
    pub hint: Option<&'a str>,
}

pub(crate) fn json_report(diagnostics: &[Diagnostic]) -> String {
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
                message: &d.message,
                hint: d.hint.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).expect("plain data serialises")
}
