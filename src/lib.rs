//! gongdu (工读) compiles a folder of Markdown study articles into a static, searchable
//! knowledge base that also works as an offline mirror opened from `file://`.
//!
//! The build is a pipeline of plain functions, each from one type to the next:
//!
//! ```text
//! site.yaml ──config::load──▶ SiteConfig
//! content/  ──source::discover──▶ Vec<SourceFile> ──source::parse (parallel)──▶ Vec<Document>
//! Vec<Document> ──site::link──▶ SiteMap            (sections, URLs, taxonomies; sequential)
//! Document + SiteMap ──markdown::render (parallel)──▶ RenderedDoc
//! SiteMap + RenderedDocs + Theme ──render──▶ output files ──output──▶ public/ (swapped in whole)
//! ```
//!
//! Errors are data ([`diagnostic::Diagnostic`]): every stage collects them for every file, and
//! the build reports all of them before it fails. `build` is the orchestrator that runs the
//! stages; rayon is used there and nowhere below it.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod fingerprint;
pub mod knowledge;
pub mod markdown;
pub mod mirror;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
