//! Loading templates into tera so that no template can crash a build. tera recurses without a
//! limit, so a template that includes or imports itself, or a macro that calls itself without
//! end, would overflow the stack and abort gongdu. Before tera sees them, every template is
//! parsed on its own (all syntax errors are reported, with line and column), references to
//! templates that do not exist and cycles of `include`, `extends` and `import` are errors, and
//! every macro is given a depth counter ([`super::macro_guard`]) that stops endless recursion.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Template;
use tera::ast::Node;

use super::macro_guard::Guard;
use crate::diagnostic::{Code, Diagnostic};

/// Template name → (its text, the file it came from).
pub(super) type Sources = BTreeMap<String, (String, PathBuf)>;

/// Parses, checks and guards every template, and builds the tera instance that renders them.
/// tera gets each one passed through `prepare` first, which must keep it valid and leave its
/// `extends`, `include` and `import` tags as they are: each template is parsed once, as
/// prepared, the templates side by side, and errors point into the templates as written.
pub(super) fn load(
    sources: &Sources,
    prepare: impl Fn(&str) -> String + Sync,
    escape: fn(&str) -> String,
) -> Result<tera::Tera, Vec<Diagnostic>> {
    let results: Vec<(String, Result<Template, Diagnostic>)> = sources
        .par_iter()
        .map(|(name, (text, path))| (name.clone(), parse(name, text, path, &prepare)))
        .collect();
    let mut parsed = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, result) in results {
        match result {
            Ok(template) => {
                parsed.insert(name, template);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        problems = check_references(&parsed, sources);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let guard = Guard::new();
    let mut tera = tera::Tera::default();
    tera.set_escape_fn(escape);
    for (name, mut template) in parsed {
        guard.apply(&mut template);
        // What `Tera::add_raw_templates` does, with the templates parsed and guarded here.
        tera.templates.insert(name, template);
    }
    let origins = sources
        .iter()
        .map(|(n, (_, p))| (n.clone(), p.clone()))
        .collect();
    tera.build_inheritance_chains()
        .and_then(|()| tera.check_macro_files())
        .map_err(|e| vec![super::template_diagnostic(&e, &origins)])?;
    Ok(tera)
}

/// One template parsed as `prepare` leaves it. A syntax error is reported where it is in the
/// template as written (parsed again, only then); one that preparing made is reported in the
/// prepared text.
fn parse(
    name: &str,
    text: &str,
    path: &Path,
    prepare: impl Fn(&str) -> String,
) -> Result<Template, Diagnostic> {
    let prepared = prepare(text);
    Template::new(name, None, &prepared).map_err(|e| match Template::new(name, None, text) {
        Err(written) => syntax_diagnostic(&written, text, path),
        Ok(_) => syntax_diagnostic(&e, &prepared, path),
    })
}

/// A parse error at its line and column, with the expectation pest gives as the message.
fn syntax_diagnostic(err: &tera::Error, text: &str, path: &std::path::Path) -> Diagnostic {
    let message = super::error_chain(err);
    let position = message.split_once(" --> ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse().ok()?, column.parse().ok()?))
    });
    let expected = message
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .map(str::to_owned);
    match (position, expected) {
        (Some((line, column)), Some(expected)) => {
            Diagnostic::new(Code::TemplateSyntax, path, crate::args!(detail = expected))
                .at_in(text, line, column)
        }
        _ => Diagnostic::new(Code::Template, path, crate::args!(detail = message)),
    }
}

/// The templates each one needs: `extends` and `include` (which render it) and `import`
/// (which loads its macros).
struct Uses<'t> {
    renders: Vec<(&'static str, &'t str)>,
    imports: Vec<&'t str>,
}

fn uses(template: &Template) -> (Uses<'_>, Vec<(Vec<&str>, bool)>) {
    let mut includes: Vec<(Vec<&str>, bool)> = Vec::new();
    walk_nodes(&template.ast, &mut |node| {
        if let Node::Include(_, names, ignore_missing) = node {
            includes.push((names.iter().map(String::as_str).collect(), *ignore_missing));
        }
    });
    let mut renders: Vec<(&'static str, &str)> = template
        .parent
        .iter()
        .map(|p| ("extends", p.as_str()))
        .collect();
    for (names, _) in &includes {
        renders.extend(names.iter().map(|n| ("includes", *n)));
    }
    let imports = template
        .imported_macro_files
        .iter()
        .map(|(file, _)| file.as_str())
        .collect();
    (Uses { renders, imports }, includes)
}

/// Templates that name templates which do not exist, and cycles that would recurse forever.
fn check_references(parsed: &BTreeMap<String, Template>, sources: &Sources) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let exists = |n: &str| parsed.contains_key(n);
    let mut render_edges: BTreeMap<&str, Vec<(&'static str, &str)>> = BTreeMap::new();
    let mut import_edges: BTreeMap<&str, Vec<(&'static str, &str)>> = BTreeMap::new();
    for (name, template) in parsed {
        let (text, path) = &sources[name];
        let (uses, includes) = uses(template);
        problems.extend(missing_targets(
            template, &uses, includes, text, path, &exists,
        ));
        render_edges.insert(
            name,
            uses.renders
                .into_iter()
                .filter(|(_, t)| exists(t))
                .collect(),
        );
        import_edges.insert(
            name,
            uses.imports
                .into_iter()
                .filter(|t| exists(t))
                .map(|t| ("imports", t))
                .collect(),
        );
    }
    for (edges, hint) in [
        (
            &render_edges,
            "a template cannot include or extend itself, even through others; use a macro that stops for anything recursive",
        ),
        (
            &import_edges,
            "templates cannot import each other's macros in a circle; move the shared macros to a template of their own",
        ),
    ] {
        problems.extend(cycle_problems(edges, hint, sources));
    }
    problems
}

/// One template's `extends`, `include` and `import` tags that name no template, each reported
/// at its tag; an include marked `ignore missing` may name none.
fn missing_targets(
    template: &Template,
    uses: &Uses<'_>,
    includes: Vec<(Vec<&str>, bool)>,
    text: &str,
    path: &Path,
    exists: &impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |keyword: &str, target: &str, message: String| {
        let (line, column) = tag_position(text, keyword, target);
        Diagnostic::new(Code::Template, path, crate::args!(detail = message))
            .at_in(text, line, column)
    };
    if let Some(parent) = &template.parent
        && !exists(parent)
    {
        problems.push(at(
            "extends",
            parent,
            format!("extends `{parent}`, which does not exist"),
        ));
    }
    for (names, ignore_missing) in includes {
        if !ignore_missing && !names.iter().any(|n| exists(n)) {
            let shown = names.join("`, `");
            problems.push(
                at(
                    "include",
                    names[0],
                    format!("includes `{shown}`, which does not exist"),
                )
                .with_hint("add the template, or write `ignore missing` after its name"),
            );
        }
    }
    for file in &uses.imports {
        if !exists(file) {
            problems.push(at(
                "import",
                file,
                format!("imports macros from `{file}`, which does not exist"),
            ));
        }
    }
    problems
}

/// One error per cycle in `edges`, at the tag where it starts, with `hint` on how to break it.
fn cycle_problems(
    edges: &BTreeMap<&str, Vec<(&'static str, &str)>>,
    hint: &str,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for cycle in cycles(edges) {
        let (first, (keyword, next)) = (cycle[0].0, cycle[0].1);
        let (text, path) = &sources[first];
        let (line, column) = tag_position(text, keyword.trim_end_matches('s'), next);
        let chain: Vec<&str> = cycle.iter().map(|(n, _)| *n).chain([first]).collect();
        let message = if cycle.len() == 1 {
            format!("`{first}` {keyword} itself")
        } else {
            format!(
                "`{first}` {keyword} itself through other templates: {}",
                chain.join(" → ")
            )
        };
        problems.push(
            Diagnostic::new(Code::Template, path, crate::args!(detail = message))
                .at_in(text, line, column)
                .with_hint(hint),
        );
    }
    problems
}

/// Each cycle in a graph of templates once, as (template, the edge it leaves by), starting at
/// the template whose name sorts first.
fn cycles<'a>(
    edges: &BTreeMap<&'a str, Vec<(&'static str, &'a str)>>,
) -> Vec<Vec<(&'a str, (&'static str, &'a str))>> {
    let mut found: Vec<Vec<(&str, (&str, &str))>> = Vec::new();
    let mut seen: BTreeSet<Vec<&str>> = BTreeSet::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for &start in edges.keys() {
        // Depth-first without recursion: each frame is a template and the next edge to try.
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let out = edges.get(node).map_or(&[][..], Vec::as_slice);
            let Some(&(_, target)) = out.get(*next) else {
                done.insert(node);
                path.pop();
                continue;
            };
            *next += 1;
            if let Some(at) = path.iter().position(|(n, _)| *n == target) {
                let cycle: Vec<_> = path[at..]
                    .iter()
                    .map(|&(n, i)| (n, out_edge(edges, n, i - 1)))
                    .collect();
                let mut key: Vec<&str> = cycle.iter().map(|(n, _)| *n).collect();
                key.sort_unstable();
                if seen.insert(key) {
                    let first = (0..cycle.len())
                        .min_by_key(|&i| cycle[i].0)
                        .expect("a cycle has a template");
                    let mut cycle = cycle;
                    cycle.rotate_left(first);
                    found.push(cycle);
                }
            } else if !done.contains(target) {
                path.push((target, 0));
            }
        }
    }
    found
}

fn out_edge<'a>(
    edges: &BTreeMap<&'a str, Vec<(&'static str, &'a str)>>,
    node: &str,
    i: usize,
) -> (&'static str, &'a str) {
    edges[node][i]
}

/// Line and column of the `{%` tag that uses `target` with `keyword`, or (0, 0) if not found.
fn tag_position(text: &str, keyword: &str, target: &str) -> (usize, usize) {
    let mut from = 0;
    while let Some(i) = text[from..].find("{%") {
        let start = from + i;
        let end = text[start..].find("%}").map_or(text.len(), |e| start + e);
        let tag = &text[start + 2..end];
        let words = tag.trim_start_matches('-').trim_start();
        if words.starts_with(keyword)
            && ['"', '\'', '`']
                .iter()
                .any(|q| tag.contains(&format!("{q}{target}{q}")))
        {
            return crate::span::line_col(text, start);
        }
        from = end.max(start + 2);
    }
    (0, 0)
}

/// Calls `visit` on every node, nested ones included.
fn walk_nodes<'t>(nodes: &'t [Node], visit: &mut impl FnMut(&'t Node)) {
    for node in nodes {
        visit(node);
        for_each_body(node, |body| walk_nodes(body, visit));
    }
}

fn for_each_body<'t>(node: &'t Node, mut f: impl FnMut(&'t [Node])) {
    match node {
        Node::MacroDefinition(_, def, _) => f(&def.body),
        Node::FilterSection(_, section, _) => f(&section.body),
        Node::Block(_, block, _) => f(&block.body),
        Node::Forloop(_, forloop, _) => {
            f(&forloop.body);
            if let Some(empty) = &forloop.empty_body {
                f(empty);
            }
        }
        Node::If(branches, _) => {
            for (_, _, body) in &branches.conditions {
                f(body);
            }
            if let Some((_, body)) = &branches.otherwise {
                f(body);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(templates: &[(&str, &str)]) -> Sources {
        templates
            .iter()
            .map(|(n, t)| ((*n).to_owned(), ((*t).to_owned(), PathBuf::from(*n))))
            .collect()
    }

    fn errors(templates: &[(&str, &str)]) -> Vec<String> {
        match load(&sources(templates), str::to_owned, |s| s.to_owned()) {
            Ok(_) => Vec::new(),
            Err(d) => d
                .iter()
                .map(|d| {
                    format!(
                        "{}:{}:{}: {}",
                        d.path.display(),
                        d.line,
                        d.column,
                        d.message
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_syntax_error_is_placed_in_the_template_as_written_not_as_prepared() {
        // Preparing writes a shorter text where `{{ t.hello }}` was, before the error.
        let written = "{{ t.hello }} {{ x }\n";
        let fill = |text: &str| text.replace("{{ t.hello }}", "你好");
        let Err(problems) = load(&sources(&[("a.html", written)]), fill, |s| s.to_owned()) else {
            panic!("a template with a syntax error loaded");
        };
        let places: Vec<(usize, usize)> = problems.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(places, [(1, 20)], "{problems:?}");
    }

    /// A case name, its templates (name, text) and the errors expected.
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
    );

    #[test]
    fn broken_references_and_cycles_are_errors_before_tera_recurses() {
        let cases: &[Case] = &[
            (
                "syntax error",
                &[("a.html", "line\n{{ x }\n")],
                &[
                    "a.html:2:6: template syntax error: expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)",
                ],
            ),
            (
                "missing include",
                &[("a.html", "x\n  {% include \"nope.html\" %}")],
                &["a.html:2:3: includes `nope.html`, which does not exist"],
            ),
            (
                "missing include, ignored",
                &[("a.html", "{% include \"nope.html\" ignore missing %}")],
                &[],
            ),
            (
                "missing parent",
                &[("a.html", "{% extends \"nope.html\" %}")],
                &["a.html:1:1: extends `nope.html`, which does not exist"],
            ),
            (
                "missing import",
                &[("a.html", "{% import \"nope.html\" as n %}")],
                &["a.html:1:1: imports macros from `nope.html`, which does not exist"],
            ),
            (
                "extends itself",
                &[("a.html", "{% extends \"a.html\" %}")],
                &["a.html:1:1: `a.html` extends itself"],
            ),
            (
                "includes itself",
                &[("a.html", "{% if x %}{% include 'a.html' %}{% endif %}")],
                &["a.html:1:11: `a.html` includes itself"],
            ),
            (
                "include cycle",
                &[
                    ("b.html", "{% include \"c.html\" %}"),
                    ("c.html", "{% include \"a.html\" %}"),
                    ("a.html", "{% include \"b.html\" %}"),
                ],
                &[
                    "a.html:1:1: `a.html` includes itself through other templates: a.html → b.html → c.html → a.html",
                ],
            ),
            (
                "a layout that includes its child",
                &[
                    ("base.html", "{% include \"page.html\" %}"),
                    ("page.html", "{% extends \"base.html\" %}"),
                ],
                &[
                    "base.html:1:1: `base.html` includes itself through other templates: base.html → page.html → base.html",
                ],
            ),
            (
                "import cycle",
                &[
                    ("a.html", "{% import \"b.html\" as b %}"),
                    ("b.html", "{% import \"a.html\" as a %}"),
                ],
                &[
                    "a.html:1:1: `a.html` imports itself through other templates: a.html → b.html → a.html",
                ],
            ),
            (
                "a diamond is not a cycle",
                &[
                    ("a.html", "{% include \"b.html\" %}{% include \"c.html\" %}"),
                    ("b.html", "{% include \"d.html\" %}"),
                    ("c.html", "{% include \"d.html\" %}"),
                    ("d.html", "d"),
                ],
                &[],
            ),
        ];
        for (name, templates, expected) in cases {
            assert_eq!(errors(templates), *expected, "{name}");
        }
    }

    fn render(templates: &[(&str, &str)], name: &str) -> Result<String, String> {
        let tera = load(&sources(templates), str::to_owned, |s| s.to_owned())
            .map_err(|d| format!("{d:?}"))?;
        tera.render(name, &tera::Context::new())
            .map_err(|e| super::super::error_chain(&e))
    }

    #[test]
    fn macros_that_stop_render_as_before() {
        let templates = [
            (
                "m.html",
                "{% macro tree(n, sep=\"/\") %}{{ n }}{% if n > 0 %}{{ sep }}{{ self::tree(n=n - 1, sep=sep) }}{% endif %}{% endmacro tree %}",
            ),
            ("inc.html", "[{{ m::tree(n=1) }}]"),
            (
                "a.html",
                "{% import \"m.html\" as m %}{{ m::tree(n=3) }} {% set x = m::tree(n=2, sep=\"-\") %}{{ x }} {% for i in [1] %}{{ m::tree(n=i) | upper }}{% endfor %}",
            ),
        ];
        assert_eq!(
            render(&templates, "a.html").as_deref(),
            Ok("3/2/1/0 2-1-0 1/0")
        );
    }

    #[test]
    fn a_macro_that_never_stops_is_an_error_naming_it() {
        let templates = [
            (
                "m.html",
                "{% macro f(n) %}{{ self::f(n=n + 1) }}{% endmacro f %}",
            ),
            ("a.html", "{% import \"m.html\" as m %}{{ m::f(n=0) }}"),
        ];
        // Rendered on a thread with the stack a rendering thread gets in a build.
        let result = std::thread::Builder::new()
            .stack_size(super::super::RENDER_STACK)
            .spawn(move || render(&templates, "a.html"))
            .expect("thread")
            .join()
            .expect("no stack overflow");
        let message = result.expect_err("stopped");
        assert!(
            message.ends_with(
                "macro `f` in 'm.html' was called more than 64 levels deep; does it call itself without end?"
            ),
            "{message}"
        );
    }
}
