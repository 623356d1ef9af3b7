//! docs/template-context.md against the contexts templates really get: every page of the
//! sample site and of the knowledge-base fixture is given its context, and each object in it
//! must have exactly the fields a table of the reference lists for that place, while each table
//! must describe something some context holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use gongdu::build::{self, BuildOptions};
use gongdu::render::{self, Input, PageKind, Shared};
use serde_json::Value;

const REFERENCE: &str = "docs/template-context.md";

/// One table of the reference: where its fields appear (`kind`, `path`) and the fields.
struct Table {
    places: Vec<(String, String)>,
    fields: BTreeSet<String>,
    line: usize,
}

fn tables(text: &str) -> Vec<Table> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(spec) = line
            .trim()
            .strip_prefix("<!-- fields at:")
            .and_then(|s| s.strip_suffix("-->"))
        else {
            continue;
        };
        let places = spec
            .split_whitespace()
            .map(|p| {
                let (kind, path) = p.split_once(':').expect("a place is kind:path");
                (kind.to_owned(), path.to_owned())
            })
            .collect();
        let mut fields = BTreeSet::new();
        // The header row and the `| --- |` row come first.
        for row in lines[i + 1..]
            .iter()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
        {
            let first = row.split('|').nth(1).unwrap_or("");
            fields.extend(first.split('`').skip(1).step_by(2).map(str::to_owned));
        }
        tables.push(Table {
            places,
            fields,
            line: i + 1,
        });
    }
    tables
}

/// Maps written by the site's editors or theme, whose keys are theirs to choose.
fn free_form(path: &str) -> bool {
    path == "t" || path == "extra" || path.ends_with(".extra")
}

/// Nested headings of the table of contents are the same map as their parents.
fn normalised(path: &str) -> String {
    path.replace(".children[]", "")
}

/// Every object in `value`, by normalised path (`.` for the top), with the union of its keys;
/// every list's items too, with no keys when the list is empty.
fn walk(path: &str, value: &Value, seen: &mut BTreeMap<String, BTreeSet<String>>) {
    let child = |key: &str| {
        if path == "." {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            if free_form(path) {
                return;
            }
            seen.entry(normalised(path))
                .or_default()
                .extend(map.keys().cloned());
            for (key, item) in map {
                walk(&child(key), item, seen);
            }
        }
        Value::Array(items) => {
            // An empty list still says what it would hold (see `lists_only`).
            seen.entry(format!("{}[]", normalised(path))).or_default();
            for item in items {
                walk(&format!("{path}[]"), item, seen);
            }
        }
        _ => {}
    }
}

/// Kind name → path → fields, over every template page of the site at `root`.
fn contexts(root: &Path, seen: &mut BTreeMap<&'static str, BTreeMap<String, BTreeSet<String>>>) {
    let mut options = BuildOptions::new(root);
    options.base_url = Some("https://example.org/study/".to_owned());
    let site = build::compile(&options).expect("the site builds");
    let input = Input {
        config: site.config(),
        docs: &site.docs,
        map: &site.map,
        rendered: &site.rendered,
        knowledge: &site.knowledge,
        connections: &site.connections,
    };
    let shared = Shared::new(&input, &site.theme);
    for job in render::jobs(&input, &site.theme) {
        if let Some((kind, context)) = render::template_context(&job, &input, &shared) {
            walk(
                ".",
                &Value::Object(context),
                seen.entry(kind.name()).or_default(),
            );
        }
    }
}

#[test]
fn the_template_context_reference_lists_exactly_the_fields_templates_get() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(here.join(REFERENCE)).expect("the reference");
    let tables = tables(&text);
    assert!(tables.len() > 20, "only {} tables found", tables.len());
    let kinds: BTreeSet<&str> = PageKind::ALL.iter().map(|k| k.name()).collect();
    let mut seen = BTreeMap::new();
    contexts(here, &mut seen);
    contexts(&here.join("tests/fixtures/kb"), &mut seen);

    let mut problems = Vec::new();
    for kind in &kinds {
        if !seen.contains_key(kind) {
            problems.push(format!("no `{kind}` page in the sample sites"));
        }
    }
    for (kind, objects) in &seen {
        for (path, keys) in objects {
            let matching: Vec<&Table> = tables
                .iter()
                .filter(|t| {
                    t.places
                        .iter()
                        .any(|(k, p)| (k == "*" || k == kind) && p == path)
                })
                .collect();
            if keys.is_empty() {
                // Only empty lists here; the tables are checked where the lists have items.
                continue;
            }
            if matching.is_empty() {
                problems.push(format!("{kind}:{path} {keys:?} has no table"));
                continue;
            }
            let documented: BTreeSet<&String> = matching.iter().flat_map(|t| &t.fields).collect();
            for key in keys.iter().filter(|k| !documented.contains(k)) {
                problems.push(format!("{kind}:{path} has `{key}`, which no table lists"));
            }
            for field in documented.iter().filter(|f| !keys.contains(**f)) {
                problems.push(format!(
                    "{kind}:{path} has no `{field}`, which the reference lists"
                ));
            }
        }
    }
    for table in &tables {
        let held = |kind: &str, path: &str| {
            seen.iter().any(|(k, objects)| {
                (kind == "*" || kind == *k) && objects.get(path).is_some_and(|f| !f.is_empty())
            })
        };
        let empty_table = table.fields.is_empty();
        if !empty_table && !table.places.iter().any(|(k, p)| held(k, p)) {
            problems.push(format!("line {}: no context has items there", table.line));
        }
        for (kind, path) in &table.places {
            if kind != "*" && !kinds.contains(kind.as_str()) {
                problems.push(format!(
                    "line {}: no kind of page is called `{kind}`",
                    table.line
                ));
            }
            let found = seen
                .iter()
                .any(|(k, objects)| (kind == "*" || kind == k) && objects.contains_key(path));
            if !found {
                problems.push(format!("line {}: no context has {kind}:{path}", table.line));
            }
        }
    }
    assert!(problems.is_empty(), "{REFERENCE}:\n{}", problems.join("\n"));
}
