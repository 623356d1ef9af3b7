//! A depth counter for every macro, so that a macro calling itself without end stops with an
//! error naming it instead of overflowing the stack (tera has no limit of its own). The parsed
//! templates are rewritten: each macro takes a hidden argument with its depth, each call
//! passes its caller's depth plus one, and a macro past [`MAX_MACRO_DEPTH`] throws.

use tera::Template;
use tera::ast::{Expr, ExprVal, Node};

/// How deep macro calls may nest. Real templates nest a few levels (a table of contents, a
/// menu tree); rendering threads have the stack for many more.
pub(crate) const MAX_MACRO_DEPTH: usize = 64;

/// The argument every macro gets for its depth; the double underscore keeps it out of the way
/// of a theme's own names.
const DEPTH: &str = "__gongdu_depth";

/// Rewrites parsed templates so that every macro takes [`DEPTH`], every macro call passes
/// its own depth plus one, and a macro called deeper than [`MAX_MACRO_DEPTH`] stops the page
/// with an error naming it. Calls outside macros (and in templates a macro includes) start
/// from 0 through `default`.
pub(super) struct Guard {
    next_depth: Expr,
}

impl Guard {
    pub(super) fn new() -> Guard {
        let snippet = format!("{{{{ m::f({DEPTH}={DEPTH} | default(value=0) + 1) }}}}");
        let template = Template::new("guard", None, &snippet).expect("the guard snippet parses");
        let next_depth = match template.ast.first() {
            Some(Node::VariableBlock(
                _,
                Expr {
                    val: ExprVal::MacroCall(call),
                    ..
                },
            )) => call.args[DEPTH].clone(),
            other => unreachable!("the guard snippet is a macro call, not {other:?}"),
        };
        Guard { next_depth }
    }

    pub(super) fn apply(&self, template: &mut Template) {
        let name = template.name.replace(['"', '\\'], "");
        for def in template.macros.values_mut() {
            def.args
                .insert(DEPTH.to_owned(), Some(Expr::new(ExprVal::Int(0))));
            self.calls_in(&mut def.body);
            def.body.insert(0, stop_node(&def.name, &name));
        }
        self.calls_in(&mut template.ast);
        for block in template.blocks.values_mut() {
            self.calls_in(&mut block.body);
        }
    }

    fn calls_in(&self, nodes: &mut [Node]) {
        for node in nodes {
            match node {
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Set(_, set) => self.expr(&mut set.value),
                Node::MacroDefinition(_, def, _) => self.calls_in(&mut def.body),
                Node::FilterSection(_, section, _) => {
                    section.filter.args.values_mut().for_each(|e| self.expr(e));
                    self.calls_in(&mut section.body);
                }
                Node::Block(_, block, _) => self.calls_in(&mut block.body),
                Node::Forloop(_, forloop, _) => {
                    self.expr(&mut forloop.container);
                    self.calls_in(&mut forloop.body);
                    if let Some(empty) = &mut forloop.empty_body {
                        self.calls_in(empty);
                    }
                }
                Node::If(branches, _) => {
                    for (_, condition, body) in &mut branches.conditions {
                        self.expr(condition);
                        self.calls_in(body);
                    }
                    if let Some((_, body)) = &mut branches.otherwise {
                        self.calls_in(body);
                    }
                }
                Node::Super
                | Node::Text(_)
                | Node::Extends(..)
                | Node::Include(..)
                | Node::ImportMacro(..)
                | Node::Raw(..)
                | Node::Break(_)
                | Node::Continue(_)
                | Node::Comment(..) => {}
            }
        }
    }

    fn expr(&self, e: &mut Expr) {
        for filter in &mut e.filters {
            filter.args.values_mut().for_each(|a| self.expr(a));
        }
        self.value(&mut e.val);
    }

    fn value(&self, v: &mut ExprVal) {
        match v {
            ExprVal::MacroCall(call) => {
                call.args.values_mut().for_each(|a| self.expr(a));
                call.args.insert(DEPTH.to_owned(), self.next_depth.clone());
            }
            ExprVal::Math(m) => {
                self.expr(&mut m.lhs);
                self.expr(&mut m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&mut l.lhs);
                self.expr(&mut l.rhs);
            }
            ExprVal::In(i) => {
                self.expr(&mut i.lhs);
                self.expr(&mut i.rhs);
            }
            ExprVal::Test(t) => t.args.iter_mut().for_each(|a| self.expr(a)),
            ExprVal::FunctionCall(f) => f.args.values_mut().for_each(|a| self.expr(a)),
            ExprVal::Array(items) => items.iter_mut().for_each(|a| self.expr(a)),
            ExprVal::StringConcat(c) => c.values.iter_mut().for_each(|v| self.value(v)),
            ExprVal::String(_)
            | ExprVal::Int(_)
            | ExprVal::Float(_)
            | ExprVal::Bool(_)
            | ExprVal::Ident(_) => {}
        }
    }
}

/// `{% if __gongdu_depth > 64 %}{{ throw(message="…") }}{% endif %}`, parsed.
fn stop_node(macro_name: &str, template: &str) -> Node {
    let snippet = format!(
        "{{% if {DEPTH} > {MAX_MACRO_DEPTH} %}}{{{{ throw(message=\"macro `{macro_name}` in '{template}' \
         was called more than {MAX_MACRO_DEPTH} levels deep; does it call itself without end?\") }}}}{{% endif %}}"
    );
    Template::new("guard", None, &snippet)
        .expect("the guard snippet parses")
        .ast
        .into_iter()
        .next()
        .expect("the guard snippet is one node")
}
