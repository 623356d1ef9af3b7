//! The incremental layer `serve` rebuilds through. It runs the same driver as
//! [`crate::build::compile`] with the stages wrapped from outside: a [`Cache`] (a
//! [`crate::build::Runner`]) remembers each stage's inputs
//! (file stamps, fingerprints of settings, site map, front matter, connections and page
//! contexts) and outputs, and a stage is called only for what changed. No stage knows about
//! it; `tests/serve_incremental.rs` proves every served file equals a fresh build's.

mod documents;
#[cfg(test)]
mod kept_index;
mod pages;
mod sitewide;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::build::stages::Linked;
use crate::build::{self, BuildOptions, Drafts, Runner, Site, SpamGuard};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::knowledge::{Connections, Knowledge};
use crate::markdown::{Highlighter, RenderedDoc, RenderedDocs};
use crate::render::Summaries;
use crate::site::{DocId, Docs, PageId, SiteMap, TiSlice, TiVec};
use crate::source::{self, Document, SourceFile};
use crate::theme::{self, Theme};

pub(crate) use pages::render_search;

/// What one rebuild leaves for the next: each Markdown file's stamp, document, rendered
/// Markdown and problems; the theme; the fingerprints that say whether they still hold; the
/// whole-site values kept while their inputs are unchanged (`sitewide.rs`); every page's
/// summary; and the fingerprint of every served page. Documents and rendered Markdown are moved, never
/// copied: they live in the [`Site`] while it is written and come back with [`Cache::keep`].
#[derive(Default)]
pub(crate) struct Cache {
    entries: HashMap<String, documents::Entry>,
    /// Fingerprints of the settings and the site map the cached Markdown was rendered with.
    rendered_with: Option<(u128, u128)>,
    /// The page summaries of the last pages rendered, for the pages of unchanged documents.
    summaries: Option<Summaries>,
    /// A compile ran whose pages were not rendered (it failed, or rendering them did): the
    /// documents it read, which the next compile compares with, are not what the served
    /// pages show.
    unserved: bool,
    /// The theme, loaded with settings of this fingerprint, while out of a [`Site`].
    theme: Option<(u128, Theme)>,
    /// The fingerprint of the settings the theme in the last site was loaded with.
    theme_config: Option<u128>,
    /// Loads its syntax definitions on first use; kept so that happens once.
    highlighter: Highlighter,
    /// Content path → fingerprint of its page's backlinks, related articles and term uses.
    connected: HashMap<String, u128>,
    /// Served path → fingerprint of the template and context it was rendered from.
    pages: HashMap<String, u128>,
    /// The last site map and knowledge base and the problems found making them, and the
    /// fingerprint of the settings, documents and assets they were made from.
    linked: Option<(u128, Linked, Vec<Diagnostic>)>,
    /// Every page's related articles, and the fingerprint of what they were found from.
    related: Option<(u128, TiVec<PageId, Vec<PageId>>)>,
    /// What the compile under way learnt in its earlier stages for its later ones.
    round: Round,
}

/// What one compile's stages pass on to its later ones through the cache.
#[derive(Default)]
struct Round {
    /// For each document read, the rendering the cache holds for it.
    reused: TiVec<DocId, documents::Reused>,
    /// Some front matter changed (other pages show titles, dates, summaries).
    meta_changed: bool,
    /// For each document, whether its page can be kept: see [`Compiled`].
    unchanged: TiVec<DocId, bool>,
    /// The fingerprint of the site map, once the Markdown stage has made it.
    map: Option<u128>,
    /// The fingerprint of what related articles are found from, once asked for.
    related: Option<u128>,
    /// The last compile's pages were never served ([`Cache::unserved`]): no page counts as
    /// unchanged.
    behind: bool,
}

/// A compiled site, and for each of its documents whether it, its rendered Markdown, its
/// connections, the site map and the settings are all exactly as in the previous rebuild.
pub(crate) struct Compiled {
    pub site: Site,
    unchanged: TiVec<DocId, bool>,
}

/// [`crate::build::compile`], reusing what `cache` holds from the previous rebuild and
/// leaving in it what the next one can reuse.
pub(crate) fn compile(
    options: &BuildOptions,
    cache: &mut Cache,
) -> Result<Compiled, Vec<Diagnostic>> {
    let site = build::compile_with(options, cache)?;
    let unchanged = std::mem::take(&mut cache.round).unchanged;
    Ok(Compiled { site, unchanged })
}

/// The stages the cache wraps; the driver calls them in this order.
impl Runner for Cache {
    /// Takes from the cache every file whose size and date are as they were and that no
    /// watcher reported.
    fn parse(
        &mut self,
        root: &Path,
        markdown: Vec<SourceFile>,
        drafts: Drafts,
    ) -> (TiVec<DocId, Document>, Vec<Diagnostic>) {
        let read = self.read(root, markdown, drafts);
        self.round = Round {
            reused: read.reused,
            meta_changed: read.meta_changed,
            // Until its pages are rendered ([`Cache::render_pages`]), what this compile reads
            // is ahead of what is served.
            behind: std::mem::replace(&mut self.unserved, true),
            ..Round::default()
        };
        (read.docs, read.found)
    }

    /// Keeps the theme of the last site while it was loaded with the same settings.
    fn theme(&mut self, root: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>> {
        let config_fingerprint = fingerprint_of(config);
        let theme = match self.theme.take() {
            Some((loaded_with, theme)) if loaded_with == config_fingerprint => Ok(theme),
            _ => theme::load(root, config),
        };
        self.theme_config = theme.is_ok().then_some(config_fingerprint);
        theme
    }

    fn link(
        &mut self,
        config: &SiteConfig,
        docs: &Docs,
        assets: &[SourceFile],
    ) -> (Linked, Vec<Diagnostic>) {
        Cache::link(self, config, docs, assets)
    }

    fn render_markdown(
        &mut self,
        config: &SiteConfig,
        docs: &mut Docs,
        map: &SiteMap,
        knowledge: &Knowledge,
    ) -> (TiVec<DocId, RenderedDoc>, Vec<Diagnostic>) {
        self.render(config, docs, map, knowledge)
    }

    fn guard_spam(&mut self, docs: &Docs, guard: SpamGuard) -> Vec<Diagnostic> {
        Cache::guard_spam(self, docs, guard)
    }

    fn signatures(
        &mut self,
        docs: &Docs,
        map: &SiteMap,
        rendered: &RenderedDocs,
    ) -> TiVec<PageId, Vec<u64>> {
        Cache::signatures(self, docs, map, rendered)
    }

    fn kept_related(
        &mut self,
        map: &SiteMap,
        knowledge: &Knowledge,
        rendered: &RenderedDocs,
        signatures: &TiSlice<PageId, Vec<u64>>,
    ) -> Option<TiVec<PageId, Vec<PageId>>> {
        Cache::kept_related(self, map, knowledge, rendered, signatures)
    }

    fn connected(
        &mut self,
        docs: &Docs,
        map: &SiteMap,
        knowledge: &Knowledge,
        connections: &Connections,
    ) {
        self.narrow_unchanged(docs, map, knowledge, connections);
        if let Some(inputs) = self.round.related.take() {
            self.related = Some((inputs, connections.related.clone()));
        }
    }

    fn failed(
        &mut self,
        docs: TiVec<DocId, Document>,
        rendered: TiVec<DocId, RenderedDoc>,
        theme: Option<Theme>,
    ) {
        if let (Some(theme), Some(config)) = (theme, self.theme_config.take()) {
            self.theme = Some((config, theme));
        }
        self.round = Round::default();
        self.put_back(docs, rendered);
    }
}

fn fingerprint_of(config: &SiteConfig) -> u128 {
    Fingerprint::new().debug(config).finish()
}

impl Cache {
    /// Forgets the files at these paths (absolute, as a watcher reports them), whatever their
    /// dates say: some file systems keep dates only to the second or two.
    pub(crate) fn forget(&mut self, root: &Path, paths: &[PathBuf]) {
        let content = root.join(source::CONTENT_DIR);
        for path in paths {
            if let Ok(rel) = path.strip_prefix(&content)
                && let Some(entry) = self
                    .entries
                    .get_mut(&rel.to_string_lossy().replace('\\', "/"))
            {
                // Read again next time; the old document stays for comparison.
                entry.stale = true;
            }
        }
    }

    /// Loads the theme again next time (its templates or static files changed).
    pub(crate) fn forget_theme(&mut self) {
        self.theme = None;
        self.theme_config = None;
    }

    /// Renders every page again next time (settings, templates or static files changed).
    pub(crate) fn forget_pages(&mut self) {
        self.pages.clear();
    }

    /// Takes back the documents, rendered Markdown and theme of a site that has been written.
    pub(crate) fn keep(&mut self, site: Site) {
        if let Some(config) = self.theme_config.take() {
            self.theme = Some((config, site.theme));
        }
        self.put_back(site.docs, site.rendered);
    }

    fn put_back(&mut self, docs: TiVec<DocId, Document>, rendered: TiVec<DocId, RenderedDoc>) {
        let mut rendered: TiVec<DocId, Option<RenderedDoc>> =
            rendered.into_iter().map(Some).collect();
        for (id, doc) in docs.into_iter_enumerated() {
            if let Some(entry) = self.entries.get_mut(&doc.file.rel) {
                entry.rendered = rendered.get_mut(id).and_then(Option::take);
                entry.doc = Some(doc);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    /// A site with no articles yet: its folder (removed when dropped) and its `content/`.
    fn empty_site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join(source::CONTENT_DIR);
        std::fs::create_dir_all(&content).expect("content");
        std::fs::write(dir.path().join("site.yaml"), "title: 测试\n").expect("site.yaml");
        (dir, content)
    }

    /// The publishing guard's warnings, in file order.
    fn spam_warnings(warnings: &[Diagnostic]) -> Vec<Diagnostic> {
        let mut found: Vec<Diagnostic> = (warnings.iter())
            .filter(|d| d.code == Code::SpamTerm)
            .cloned()
            .collect();
        crate::diagnostic::sort(&mut found);
        found
    }

    /// The guard's findings are kept for unchanged articles only: after each change, a
    /// rebuild through the cache warns exactly as a fresh compile does.
    #[test]
    fn kept_spam_findings_match_a_fresh_compile_after_every_change() {
        let (dir, content) = empty_site();
        let root = dir.path();
        let a = content.join("a.md");
        let b = content.join("b.md");
        std::fs::write(&a, "---\ntitle: 甲\n---\n驿站为户外葡京娱乐提供饮水。\n").expect("a");
        std::fs::write(&b, "---\ntitle: 乙\n---\n驿站为户外职工提供饮水。\n").expect("b");
        let options = BuildOptions::new(root);
        let mut cache = Cache::default();
        let steps: [(&str, &std::path::Path, &str); 3] = [
            (
                "a term added to b",
                &b,
                "---\ntitle: 乙\n---\n第一段。\n\n澳門葡京娱乐\n",
            ),
            (
                "a cleaned",
                &a,
                "---\ntitle: 甲\n---\n驿站为户外职工提供饮水。\n",
            ),
            ("b unchanged, a edited", &a, "---\ntitle: 甲\n---\n饮水。\n"),
        ];
        let first = compile(&options, &mut cache).expect("compiles");
        assert_eq!(spam_warnings(&first.site.warnings).len(), 1, "a's term");
        cache.keep(first.site);
        for (step, path, text) in steps {
            std::fs::write(path, text).expect("edit");
            cache.forget(root, &[path.to_path_buf()]);
            let served = compile(&options, &mut cache).expect("compiles");
            let fresh = build::compile(&options).expect("compiles");
            assert_eq!(
                spam_warnings(&served.site.warnings),
                spam_warnings(&fresh.warnings),
                "{step}"
            );
            cache.keep(served.site);
        }
        let last = spam_warnings(&build::compile(&options).expect("compiles").warnings);
        let [only] = &last[..] else {
            panic!("b's term only: {last:?}")
        };
        assert_eq!(
            (only.path.ends_with("b.md"), only.line),
            (true, 6),
            "{only:?}"
        );
    }

    /// Related articles after an article's rendered text changed without its file: kept
    /// signatures must not outlive the text they were made from. a.md links to b by its slug,
    /// so a.md's text holds b's title; renaming b changes what a.md is related to.
    /// The site map and the knowledge base are kept only while the front matter, the
    /// settings, the documents and the assets are as they were: after each kind of change they
    /// are what a fresh compile makes.
    #[test]
    fn a_kept_site_map_matches_a_fresh_compile_after_every_change() {
        let (dir, content) = empty_site();
        let root = dir.path();
        let page = |title: &str| {
            format!(
                "---\ntitle: {title}\ndate: 2024-03-01\nevents:\n  - date: 2024-03\n    \
                 title: {title}开课\n---\n正文。\n"
            )
        };
        let path = |name: &str| content.join(name);
        std::fs::write(path("a.md"), page("甲")).expect("a");
        std::fs::write(path("b.md"), page("乙")).expect("b");
        std::fs::create_dir_all(path("glossary")).expect("glossary");
        std::fs::write(path("glossary/_index.md"), "---\ntitle: 术语表\n---\n").expect("_index");
        std::fs::write(
            path("glossary/lao-dong-zhe.md"),
            "---\ntitle: 劳动者\npinyin: lao dong zhe\ndefinition: 以劳动为生活来源的人。\n---\n",
        )
        .expect("entry");
        let steps: [(&str, &str, &dyn Fn()); 5] = [
            ("a's text edited", "a.md", &|| {
                std::fs::write(path("a.md"), page("甲").replace("正文", "新的正文")).expect("a")
            }),
            ("b retitled", "b.md", &|| {
                std::fs::write(path("b.md"), page("丙")).expect("b")
            }),
            ("c added", "c.md", &|| {
                std::fs::write(path("c.md"), page("丁")).expect("c")
            }),
            ("b removed", "b.md", &|| {
                std::fs::remove_file(path("b.md")).expect("b")
            }),
            ("an image added", "图.png", &|| {
                std::fs::write(path("图.png"), b"png").expect("png")
            }),
        ];
        let options = BuildOptions::new(root);
        let mut cache = Cache::default();
        let first = compile(&options, &mut cache).expect("compiles");
        cache.keep(first.site);
        for (step, name, change) in steps {
            change();
            cache.forget(root, &[path(name)]);
            let served = compile(&options, &mut cache).expect("compiles");
            let fresh = build::compile(&options).expect("compiles");
            // The map's own form leaves out the front matter its pages share with documents;
            // the knowledge base is shown by its glossary, timeline, study paths and the
            // titles it gives documents.
            let shown = |map: &SiteMap, k: &Knowledge, docs: usize| {
                let metas: Vec<String> = map
                    .pages
                    .iter()
                    .map(|p| format!("{:?}", p.meta()))
                    .collect();
                let titles: Vec<&str> = (0..docs).map(|d| k.title_of_doc(DocId::from(d))).collect();
                format!(
                    "{map:?} {metas:?} {:?} {:?} {:?} {titles:?}",
                    k.glossary.entries, k.timeline, k.paths
                )
            };
            assert_eq!(
                shown(
                    &served.site.map,
                    &served.site.knowledge,
                    served.site.docs.len()
                ),
                shown(&fresh.map, &fresh.knowledge, fresh.docs.len()),
                "{step}"
            );
            assert!(
                !fresh.knowledge.glossary.entries.is_empty()
                    && !fresh.knowledge.timeline.events.is_empty(),
                "{step}: the knowledge base has a glossary and a timeline"
            );
            cache.keep(served.site);
        }
    }

    /// A problem found while linking names the line of a key: when the front matter moves
    /// that line without changing what it says, the kept map's problems are not reused.
    #[test]
    fn problems_found_linking_follow_a_key_that_moved() {
        let (dir, content) = empty_site();
        let root = dir.path();
        let path = |name: &str| content.join(name);
        let page = "---\ntitle: 甲\nslug: same\n---\n正文。\n";
        std::fs::write(path("a.md"), page).expect("a");
        std::fs::write(path("b.md"), page.replace("甲", "乙")).expect("b");
        let options = BuildOptions::new(root);
        let mut cache = Cache::default();
        let lines = |found: Vec<Diagnostic>| -> Vec<String> {
            let clashes = found.iter().filter(|d| d.code == Code::WrittenTwice);
            clashes.map(|d| format!("{d:?}")).collect()
        };
        let first = compile(&options, &mut cache)
            .err()
            .expect("the slugs clash");
        assert_eq!(lines(first).len(), 1);
        let moved = page
            .replace("甲", "乙")
            .replace("slug:", "# 同一个地址\nslug:");
        std::fs::write(path("b.md"), moved).expect("b");
        cache.forget(root, &[path("b.md")]);
        let served = compile(&options, &mut cache).err().expect("still clash");
        let fresh = build::compile(&options).err().expect("still clash");
        assert_eq!(lines(served), lines(fresh));
    }

    /// The titles of every page's related articles.
    fn related_titles(site: &Site) -> Vec<Vec<String>> {
        let titles = |ids: &Vec<PageId>| {
            let meta = |&p: &PageId| site.map.pages[p].meta().title.clone();
            ids.iter().map(meta).collect()
        };
        site.connections.related.iter().map(titles).collect()
    }

    /// Related articles are kept only while what they are found from is as it was: after a
    /// link written where the same words stood (the text, and so the signatures, unchanged),
    /// the link pointed elsewhere under the same words, a tag shared with another article, and
    /// a rewritten opening, they are what a fresh compile finds.
    #[test]
    fn kept_related_articles_match_a_fresh_compile_after_every_change() {
        let (dir, content) = empty_site();
        let root = dir.path();
        let page = |title: &str, tags: &str, body: &str| {
            format!("---\ntitle: {title}\ntags: [{tags}]\n---\n{body}\n")
        };
        let path = |name: &str| content.join(name);
        let write = |name: &str, text: String| std::fs::write(path(name), text).expect("article");
        write("a.md", page("甲", "", "产业工人队伍建设，参见乙。"));
        write("b.md", page("乙", "", "工匠精神代代相传。"));
        write("c.md", page("丙", "", "工匠精神代代相传。"));
        write("d.md", page("丁", "工匠", "产业工人队伍建设。"));
        let steps = [
            (
                "a links b where its name stood",
                "a.md",
                page("甲", "", "产业工人队伍建设，参见[[乙]]。"),
            ),
            (
                "a's link points to c, its words unchanged",
                "a.md",
                page("甲", "", "产业工人队伍建设，参见[[丙|乙]]。"),
            ),
            (
                "b tagged like d",
                "b.md",
                page("乙", "工匠", "工匠精神代代相传。"),
            ),
            (
                "c's opening rewritten",
                "c.md",
                page("丙", "", "产业工人队伍建设。"),
            ),
        ];
        let options = BuildOptions::new(root);
        let mut cache = Cache::default();
        let first = compile(&options, &mut cache).expect("compiles");
        let mut before = related_titles(&first.site);
        cache.keep(first.site);
        for (step, name, text) in steps {
            write(name, text);
            cache.forget(root, &[path(name)]);
            let served = compile(&options, &mut cache).expect("compiles");
            let fresh = build::compile(&options).expect("compiles");
            let now = related_titles(&fresh);
            assert_eq!(related_titles(&served.site), now, "{step}");
            assert_ne!(now, before, "{step} changes what is related");
            before = now;
            cache.keep(served.site);
        }
    }

    #[test]
    fn related_articles_follow_a_renamed_link_like_a_fresh_compile() {
        let (dir, content) = empty_site();
        let root = dir.path();
        let page = |title: &str, body: &str| format!("---\ntitle: {title}\n---\n{body}\n");
        let write = |name: &str, text: String| {
            std::fs::write(content.join(name), text).expect("article");
        };
        write("a.md", page("甲", "参见[[b]]。"));
        write("b.md", page("工人阶级的伟大品格", "乙文。"));
        write("c.md", page("丙", "劳模精神与工匠精神。"));
        write("d.md", page("丁", "工人阶级的伟大品格。"));
        let options = BuildOptions::new(root);
        let mut cache = Cache::default();
        let first = compile(&options, &mut cache).expect("compiles");
        let before = related_titles(&first.site);
        cache.keep(first.site);
        write("b.md", page("劳模精神与工匠精神", "乙文。"));
        cache.forget(root, &[content.join("b.md")]);
        let served = compile(&options, &mut cache).expect("compiles");
        let fresh = build::compile(&options).expect("compiles");
        assert_eq!(related_titles(&served.site), related_titles(&fresh));
        assert_ne!(
            related_titles(&fresh),
            before,
            "the rename changed what is related"
        );
    }
}
