//! gongdu (工读) compiles a folder of Markdown study articles into a static, searchable
//! knowledge base that also works as an offline mirror opened from `file://`.
//!
//! The build is a pipeline of plain functions, each from one type to the next, run in this
//! order by [`build::build`] (`gongdu check` stops after connect):
//!
//! ```text
//! BuildOptions + site.yaml ──Settings::resolve──▶ Settings (overrides applied, once)
//! Settings ──output::prepare──▶ Staging (previous output listed on a thread)
//! content/ ──stages::discover──▶ Sources ──stages::parse (parallel)──▶ Vec<Document>
//! Settings ──theme::load──▶ Theme (beside the parsing)
//! Vec<Document> ──site::link──▶ SiteMap            (sections, URLs, taxonomies; sequential)
//! Documents + SiteMap ──knowledge::index──▶ Knowledge (wikilink targets, glossary, paths)
//! Documents ──stages::guard_spam──▶ Vec<Diagnostic>    (while the sources' text is held)
//! Document + SiteMap + Knowledge ──stages::render_markdown (parallel)──▶ RenderedDoc
//!                        (a build lets go of each source's text once it is rendered)
//! SiteMap + RenderedDocs ──stages::check──▶ Vec<Diagnostic>      ┐ side by side:
//! RenderedDocs + Knowledge ──stages::connect──▶ Connections       ┘ check_and_connect
//! Site ──render_pages (parallel)──▶ files ──output::Sink──▶ staging ──commit──▶ public/
//! then (the HTML let go of) texts ──search::build──▶ SearchIndex ──write_search──▶ staging
//! ```
//!
//! Errors are data ([`diagnostic::Diagnostic`]): every stage collects them for every file, and
//! the build reports all of them before it fails. `build` is the orchestrator that runs the
//! stages and chooses rayon's thread pools; `serve` runs the same stages through
//! `incremental`, which wraps them from outside to redo only what a change affects.
//!
//! The public modules are the facade that the binary, the integration tests, the benches and
//! the fuzz targets use; everything else is `pub(crate)`, so `unreachable_pub` and the
//! dead-code lints see it.

pub mod build;
pub mod check;
mod cjk;
pub mod cli;
pub mod config;
mod date_text;
pub mod diagnostic;
mod fingerprint;
mod html;
mod http;
pub mod import;
mod incremental;
mod knowledge;
pub mod markdown;
pub mod mirror;
pub mod output;
pub mod render;
mod scaffold;
pub mod search;
pub mod serve;
mod site;
mod slug;
pub mod source;
pub mod spam;
mod span;
mod theme;
mod url_policy;
