//! Every path the build will write, whoever asks for it (a page's slug, an alias, a file in
//! content/, a tag, gongdu's own feeds, search index and theme files), checked before anything
//! is written so that `check` and `build` refuse the same things: two writers of one file, a
//! file where a folder must go, and names too long for a file system. Pages, sections, aliases
//! and taxonomy terms among themselves are `site::link`'s business; this adds the rest.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::args;
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic, Text, Words};
use crate::knowledge::Knowledge;
use crate::knowledge::timeline::EventAt;
use crate::site::{Docs, SiteMap, SitePath};
use crate::source::{DocState, Document};
use crate::theme::Theme;

/// Bytes in one name of an output path. File systems allow 255 (ext4, and FAT and NTFS in
/// UTF-16 units); the margin leaves room for a mirror's or a web server's own suffixes.
pub(crate) const MAX_NAME_BYTES: usize = 200;

/// Folders gongdu fills whole: nothing else may write inside them.
const SEARCH_DIR: &str = "search";

/// Who asks for a path, and so where a problem with it is reported.
#[derive(Clone, Copy)]
enum Origin<'a> {
    /// A content file's front matter key (`slug`, `aliases`, `tags`); the file's start when
    /// the key is not written (the path then comes from the file name).
    Doc(&'a Document, &'static str),
    /// A file of content/, copied as it is.
    File(&'a Path),
    /// A theme's or the site's static file (the theme's own search scripts live in
    /// `search/` beside the index).
    Static(&'a Path),
    /// gongdu itself.
    Generated,
}

struct Claim<'a> {
    path: SitePath,
    /// What the file is, in a message: "the site feed", "an alias in content/a.md".
    what: Text,
    origin: Origin<'a>,
    /// Already compared with the other pages, sections, aliases and terms by `site::link`.
    linked: bool,
}

/// Problems with the paths the build would write, and scripts in the files it copies.
pub(crate) fn outputs(
    config: &SiteConfig,
    docs: &Docs,
    map: &SiteMap,
    knowledge: &Knowledge,
    theme: &Theme,
) -> Vec<Diagnostic> {
    let mut claims = content_claims(docs, map, knowledge);
    claims.extend(generated_claims(config, map, knowledge, theme));
    let mut found = Vec::new();
    duplicates(&claims, &mut found);
    files_as_folders(&claims, config, &mut found);
    long_names(&claims, &mut found);
    found.extend(super::active::active_files(config, map));
    found
}

fn content_claims<'a>(docs: &'a Docs, map: &'a SiteMap, knowledge: &Knowledge) -> Vec<Claim<'a>> {
    let mut claims = Vec::new();
    let mut push = |path: &SitePath, what: Text, origin: Origin<'a>, linked: bool| {
        claims.push(Claim {
            path: path.clone(),
            what,
            origin,
            linked,
        });
    };
    // A document that failed to parse is reported once, for its own error; the path it
    // claims stays reserved but is not blamed for clashes (its front matter is not known).
    for page in &map.pages {
        let doc = &docs[page.doc];
        if doc.state == DocState::StandIn {
            continue;
        }
        push(&page.url, shown(doc), Origin::Doc(doc, "slug"), true);
    }
    for alias in &map.aliases {
        let doc = &docs[map.pages[alias.page].doc];
        let what = Text::new(&AN_ALIAS, args!(file = shown(doc)));
        push(&alias.url, what, Origin::Doc(doc, "aliases"), true);
    }
    for s in &map.sections {
        if let Some(d) = s.doc {
            push(&s.url, shown(&docs[d]), Origin::Doc(&docs[d], "slug"), true);
        }
    }
    for asset in &map.assets {
        let what = Text::plain(asset.source.display().to_string());
        push(&asset.url, what, Origin::File(&asset.source), false);
    }
    for t in &map.taxonomies {
        let key = t.config.name.as_str();
        for term in &t.terms {
            let Some(&first) = term.pages.first() else {
                continue;
            };
            let doc = &docs[map.pages[first].doc];
            let what = Text::new(&TERM_PAGE, args!(key = key, name = &term.name));
            push(&term.url, what, Origin::Doc(doc, key), true);
            if t.config.feed {
                let what = Text::new(&TERM_FEED, args!(key = key, name = &term.name));
                push(&term.feed_url(), what, Origin::Doc(doc, key), false);
            }
        }
    }
    for topic in &knowledge.timeline.topics {
        if let Some(&EventAt { page, .. }) = topic
            .events
            .first()
            .and_then(|&n| knowledge.timeline.events.get(n))
        {
            let doc = &docs[map.pages[page].doc];
            let what = Text::new(&TOPIC_TIMELINE, args!(name = &topic.name));
            push(&topic.url, what, Origin::Doc(doc, "topics"), false);
        }
    }
    for path in &knowledge.paths {
        if let Some(&page) = path.pages.first() {
            let doc = &docs[map.pages[page].doc];
            let what = Text::new(&STUDY_PATH, args!(name = &path.name));
            push(&path.url, what, Origin::Doc(doc, "series"), false);
        }
    }
    claims
}

fn generated_claims<'a>(
    config: &SiteConfig,
    map: &SiteMap,
    knowledge: &Knowledge,
    theme: &'a Theme,
) -> Vec<Claim<'a>> {
    let generated = |path: &str, what: &'static Words| Claim {
        path: SitePath::new(path),
        what: Text::new(what, Vec::new()),
        origin: Origin::Generated,
        linked: false,
    };
    let mut claims = vec![
        generated(crate::output::MARKER, &MARKER),
        generated("404.html", &NOT_FOUND),
        generated("atom.xml", &SITE_FEED),
        generated("robots.txt", &ROBOTS),
    ];
    if !knowledge.timeline.events.is_empty() {
        claims.push(generated(crate::knowledge::timeline::INDEX, &TIMELINE));
    }
    if !knowledge.paths.is_empty() {
        claims.push(generated(crate::knowledge::paths::INDEX, &PATHS));
    }
    if config.base_url.is_some() {
        claims.push(generated("sitemap.xml", &SITEMAP));
    }
    for t in &map.taxonomies {
        claims.push(generated(t.url.as_str(), &TERM_LIST));
    }
    for (path, source) in &theme.static_files {
        claims.push(match source.file() {
            Some(file) => Claim {
                path: path.clone(),
                what: Text::plain(file.display().to_string()),
                origin: Origin::Static(file),
                linked: false,
            },
            None if path.as_str().starts_with("assets/syntax.") => {
                generated(path.as_str(), &SYNTAX_CSS)
            }
            None => generated(path.as_str(), &THEME_FILE),
        });
    }
    claims
}

/// The key two spellings of a path share on a file system that ignores case (FAT on a USB
/// stick, NTFS, APFS), where a mirror must also fit.
fn fold(path: &str) -> String {
    path.to_lowercase()
}

/// The claim to blame among several: the first one a content file makes.
fn blamed<'c, 'a>(claims: &[&'c Claim<'a>]) -> Option<&'c Claim<'a>> {
    claims
        .iter()
        .find(|c| !matches!(c.origin, Origin::Generated))
        .copied()
}

fn duplicates(claims: &[Claim<'_>], found: &mut Vec<Diagnostic>) {
    let mut by_path: BTreeMap<String, Vec<&Claim<'_>>> = BTreeMap::new();
    for c in claims {
        by_path.entry(fold(c.path.as_str())).or_default().push(c);
    }
    for group in by_path.values().filter(|g| g.len() > 1) {
        if group.iter().all(|c| c.linked) {
            continue;
        }
        let Some(blame) = blamed(group) else {
            continue;
        };
        let others = group
            .iter()
            .filter(|c| !std::ptr::eq(**c, blame))
            .map(|c| c.what.clone())
            .reduce(|list, next| list.then(Text::new(&LIST_SEPARATOR, Vec::new())).then(next))
            .unwrap_or_else(|| Text::plain(""));
        let message = Text::new(
            &WRITTEN_TWICE,
            args!(
                path = blame.path.as_str(),
                others = others,
                blame = blame.what.clone()
            ),
        );
        found.push(report(blame, message).hint(&TWICE_HINT, Vec::new()));
    }
}

/// A file written where another path needs a folder (`atom.xml` and `atom.xml/index.html`),
/// and any path inside a folder gongdu fills whole.
fn files_as_folders(claims: &[Claim<'_>], config: &SiteConfig, found: &mut Vec<Diagnostic>) {
    let files: HashMap<String, &Claim<'_>> =
        claims.iter().map(|c| (fold(c.path.as_str()), c)).collect();
    for c in claims {
        let path = fold(c.path.as_str());
        if config.search.enabled
            && matches!(c.origin, Origin::Doc(..) | Origin::File(_))
            && path
                .strip_prefix(SEARCH_DIR)
                .is_some_and(|r| r.starts_with('/'))
        {
            let message = Text::new(
                &INSIDE_SEARCH,
                args!(what = c.what.clone(), path = c.path.as_str()),
            );
            found.push(report(c, message).hint(&FOLDER_HINT, Vec::new()));
            continue;
        }
        let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        for folder in folders {
            let Some(file) = files.get(folder) else {
                continue;
            };
            let Some(blame) = blamed(&[c, file]) else {
                continue;
            };
            let message = Text::new(
                &FILE_AS_FOLDER,
                args!(
                    file = file.path.as_str(),
                    file_what = file.what.clone(),
                    what = c.what.clone(),
                    path = c.path.as_str()
                ),
            );
            found.push(report(blame, message).hint(&NAME_HINT, Vec::new()));
            break;
        }
    }
}

fn long_names(claims: &[Claim<'_>], found: &mut Vec<Diagnostic>) {
    for c in claims {
        if matches!(c.origin, Origin::Generated) {
            continue;
        }
        if let Some(name) = c
            .path
            .as_str()
            .split('/')
            .find(|n| n.len() > MAX_NAME_BYTES)
        {
            let message = Text::new(
                &NAME_TOO_LONG,
                args!(
                    what = c.what.clone(),
                    bytes = name.len(),
                    name = crate::config::limits::head(name),
                    max = MAX_NAME_BYTES
                ),
            );
            found.push(report(c, message).hint(&SHORTEN_HINT, Vec::new()));
        }
    }
}

fn report(c: &Claim<'_>, message: Text) -> Diagnostic {
    match c.origin {
        Origin::Doc(doc, key) => {
            let at = doc.keys.key(key);
            clash(&doc.shown, message).at_in(&doc.text, at.line, at.column)
        }
        Origin::File(path) | Origin::Static(path) => clash(path, message).at(1, 1),
        Origin::Generated => clash(Path::new("content"), message),
    }
}

/// The clash's words are put together from what claimed the path, so they stay as one detail.
fn clash(path: &Path, message: Text) -> Diagnostic {
    Diagnostic::new(Code::OutputPathClash, path, args!(detail = message))
}

fn shown(doc: &Document) -> Text {
    Text::plain(doc.shown.display().to_string())
}

/// The words of the messages above, in both languages.
macro_rules! words {
    ($($name:ident: $en:literal, $zh:literal;)*) => {
        $(static $name: Words = Words { en: $en, zh: $zh };)*
    };
}

words! {
    AN_ALIAS: "an alias in {file}", "{file} 中的别名";
    TERM_PAGE: "the page of {key} `{name}`", "{key} `{name}` 的页面";
    TERM_FEED: "the feed of {key} `{name}`", "{key} `{name}` 的订阅源";
    TOPIC_TIMELINE: "the timeline of topic `{name}`", "专题 `{name}` 的大事记";
    STUDY_PATH: "study path `{name}`", "学习路线 `{name}`";
    MARKER: "gongdu's mark on its output folder", "gongdu 在输出文件夹中的标记文件";
    NOT_FOUND: "the page for missing addresses", "找不到页面时显示的页面";
    SITE_FEED: "the site feed", "网站的订阅源";
    ROBOTS: "robots.txt", "robots.txt";
    SYNTAX_CSS: "the code highlighting stylesheet", "代码高亮样式表";
    TIMELINE: "the timeline", "大事记";
    PATHS: "the list of study paths", "学习路线列表";
    SITEMAP: "the sitemap", "网站地图";
    TERM_LIST: "a taxonomy's list of terms", "分类的词条列表";
    THEME_FILE: "a file of the built-in theme", "内置主题的文件";
    LIST_SEPARATOR: ", ", "、";
    WRITTEN_TWICE: "`{path}` would be written twice: by {others} and by {blame}",
        "`{path}` 会被写入两次：{others}和{blame}";
    INSIDE_SEARCH: "{what} would be written to `{path}`, inside search/, which holds the search index",
        "{what}会写到 `{path}`，位于存放搜索索引的 search/ 文件夹中";
    FILE_AS_FOLDER: "`{file}` is a file ({file_what}), but {what} needs a folder of that name for `{path}`",
        "`{file}` 是一个文件（{file_what}），但{what}需要同名的文件夹来存放 `{path}`";
    NAME_TOO_LONG: "{what} would be written to a file or folder whose name is {bytes} bytes long (`{name}`); names may be at most {max} bytes",
        "{what}会写到名称长 {bytes} 字节的文件或文件夹（`{name}`）；名称最多 {max} 字节";
    TWICE_HINT: "gongdu writes this file itself or another file claims it; choose another name, slug or alias",
        "gongdu 自己要写这个文件，或者另一个文件占用了它；请换一个文件名、slug 或别名";
    FOLDER_HINT: "choose another folder, slug or alias", "请换一个文件夹、slug 或别名";
    NAME_HINT: "choose another name, slug or alias", "请换一个名称、slug 或别名";
    SHORTEN_HINT: "shorten the file name, slug, alias or term (a Chinese character takes 3 bytes)",
        "请缩短文件名、slug、别名或词条（一个汉字占 3 字节）";
}
