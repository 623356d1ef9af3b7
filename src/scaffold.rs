//! `gongdu new`: writes a starting site or article that builds as it is, so an editor starts
//! from something that works and changes it.

use std::path::{Path, PathBuf};

use crate::source::CONTENT_DIR;

#[derive(Debug, thiserror::Error)]
pub(crate) enum ScaffoldError {
    #[error("{0} already exists and is not empty; choose a new folder")]
    NotEmpty(PathBuf),
    #[error("{0} already exists; gongdu never overwrites an article")]
    Exists(PathBuf),
    #[error(
        "{0}: there is no site here (no site.yaml); pass --root or run `gongdu new site DIR` first"
    )]
    NoSite(PathBuf),
    #[error("the article path must stay inside content/: {0}")]
    OutsideContent(PathBuf),
    #[error("{path}: {reason}")]
    BadPath { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub(crate) struct Created {
    pub files: Vec<PathBuf>,
    pub next_step: String,
}

const SITE_YAML: &str = "# 站点设置。每个字段的说明见 gongdu 的 docs/site-yaml.md。
title: 职工学习园地
description: 工会理论学习与职工教育的学习笔记
# base_url: https://example.org/study/   # 发布到网站时填写；离线镜像可不填
language: zh-CN          # 界面语言：zh-CN 或 en
theme: default
output: public
taxonomies:
  - { name: topics,  label: 专题, feed: true }
  - { name: tags,    label: 标签 }
  - { name: authors, label: 作者 }
menu:
  - { label: 学习笔记, url: notes/ }
  - { label: 专题, url: topics/ }
  - { label: 标签, url: tags/ }
  - { label: 术语表, url: glossary/ }
  - { label: 大事记, url: timeline/ }
  - { label: 学习路线, url: paths/ }
pagination:
  page_size: 10
";

const HOME: &str = "---
title: 职工学习园地
summary: 本站收集工会理论学习与职工教育的学习笔记。
---

欢迎来到学习园地。左上角的栏目按专题整理文章；每篇文章都注明了出处，便于核对原文。
";

const NOTES_SECTION: &str = "---
title: 学习笔记
summary: 按时间排列的学习笔记。
sort_by: date
---

这里是学习笔记栏目。用 `gongdu new article notes/文件名.md --title 标题` 新建一篇。
";

pub(crate) fn new_site(dir: &Path) -> Result<Created, ScaffoldError> {
    let non_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let files = [
        ("site.yaml", SITE_YAML.to_owned()),
        (".gitignore", "/public\n".to_owned()),
        ("content/_index.md", HOME.to_owned()),
        ("content/notes/_index.md", NOTES_SECTION.to_owned()),
        (
            "content/notes/first-note.md",
            with_front(
                article("第一篇学习笔记", &today, FIRST_NOTE_BODY),
                FIRST_NOTE_FRONT,
            ),
        ),
        (
            "content/notes/second-note.md",
            with_front(
                article("第二篇学习笔记", &today, SECOND_NOTE_BODY),
                SECOND_NOTE_FRONT,
            ),
        ),
        ("content/glossary/_index.md", GLOSSARY_SECTION.to_owned()),
        (
            "content/glossary/zhi-gong-shu-wu.md",
            GLOSSARY_TERM.to_owned(),
        ),
    ];
    let mut created = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        created.push(path);
    }
    Ok(Created {
        files: created,
        next_step: format!(
            "next: cd {} && gongdu build   (the site is written to public/)",
            dir.display()
        ),
    })
}

const FIRST_NOTE_BODY: &str = "这是一篇示例笔记。把它改成你自己的内容，或删掉它。

## 怎样写

- 文章开头 `---` 之间是“前言”（front matter），写标题、日期、专题和出处。
- 正文用 Markdown：`##` 是小标题，`- ` 是列表，`[^1]` 是脚注[^1]。

[^1]: 脚注会编号并集中显示在文末，适合标注引文出处。
";

/// The starter notes show the knowledge-base fields an editor would otherwise have to look up:
/// a study path (`series`, `order`) and a dated event for the timeline (`events`).
const FIRST_NOTE_FRONT: &str = "series: 入门学习路线
order: 1
events:
  - date: 1925-05-01
    title: 第二次全国劳动大会在广州召开，中华全国总工会成立
";

const SECOND_NOTE_FRONT: &str = "series: 入门学习路线
order: 2
";

/// Adds front-matter lines just before the closing `---` of an article made by [`article`].
fn with_front(article: String, extra: &str) -> String {
    match article.find("\n---\n\n") {
        Some(end) => format!("{}\n{}{}", &article[..end], extra, &article[end + 1..]),
        None => article,
    }
}

const SECOND_NOTE_BODY: &str = "这是学习路线的第二篇。两篇笔记的 `series` 相同，
站点就生成一条学习路线（见“学习路线”页面），读者可以按 `order` 的顺序读下去。

写到术语表里收录的词，例如职工书屋，第一次出现时会自动链接到术语条目。
也可以用双中括号直接链接到另一篇笔记：[[第一篇学习笔记]]。
";

const GLOSSARY_SECTION: &str = "---
title: 术语表
summary: 笔记中常用术语的简明释义。
---

每个术语一个文件：`title` 是术语，`definition` 是一两句话的定义，正文写展开说明。
";

const GLOSSARY_TERM: &str = "---
title: 职工书屋
definition: 工会在企业和基层建设的职工阅读场所，是职工读书学习的阵地。
source:
  title: 组织动员亿万职工为发展新质生产力建功立业
  author: 徐留平
  publication: 人民日报
  date: 2024-04-26
  page: 09版
---

这是一个术语条目的示例。笔记正文里第一次出现“职工书屋”时，会链接到这里，
鼠标停在链接上可以看到上面的定义。
";

fn article(title: &str, date: &str, body: &str) -> String {
    // A YAML double-quoted string: backslashes, quotes and control characters escaped, so no
    // title can end the string or start another key.
    let title: String = title
        .chars()
        .map(|c| match c {
            '\\' => "\\\\".to_owned(),
            '"' => "\\\"".to_owned(),
            c if c.is_control() => format!("\\u{:04X}", u32::from(c)),
            c => c.to_string(),
        })
        .collect();
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nauthors: []\ntopics: []\ntags: []\nsummary: \"\"\n\
         # source:                # 出处：文章依据的原文\n\
         #   title: 原文标题\n#   publication: 工人日报\n#   date: 2024-01-01\n#   page: 05版\n#   url: https://…\n\
         ---\n\n{body}"
    )
}

pub(crate) fn new_article(root: &Path, path: &Path, title: &str) -> Result<Created, ScaffoldError> {
    if !root.join(crate::config::FILE_NAME).is_file() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    let rel = path.strip_prefix(CONTENT_DIR).unwrap_or(path);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(ScaffoldError::OutsideContent(path.to_path_buf()));
    }
    let mut rel = rel.to_path_buf();
    if rel.extension().is_none_or(|e| e != "md") {
        rel.set_extension("md");
    }
    check_names(&rel)?;
    if let Some(message) = crate::config::limits::TITLE.exceeded("--title", title) {
        return Err(ScaffoldError::BadPath {
            path: rel,
            reason: message,
        });
    }
    let full = root.join(CONTENT_DIR).join(&rel);
    check_inside(root, &full)?;
    if full.symlink_metadata().is_ok() {
        return Err(ScaffoldError::Exists(full));
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    write_new(&full, &article(title, &today, "在这里写正文。\n"))?;
    Ok(Created {
        files: vec![full],
        next_step: "next: fill in the front matter and text, then run gongdu build".into(),
    })
}

/// Every name on the way must be one the build reads: not hidden or an editor's leftover
/// (the build would skip the article without a word), no control characters, not too long.
fn check_names(rel: &Path) -> Result<(), ScaffoldError> {
    let refuse = |reason: String| ScaffoldError::BadPath {
        path: rel.to_path_buf(),
        reason,
    };
    for part in rel.components() {
        let std::path::Component::Normal(name) = part else {
            continue;
        };
        let Some(name) = name.to_str() else {
            return Err(refuse("the name is not valid UTF-8".into()));
        };
        if crate::source::is_ignored(name) {
            return Err(refuse(format!(
                "the build skips `{name}` (names starting with `.` and editors' temporary files), so the article would never be published"
            )));
        }
        if name.contains(char::is_control) {
            return Err(refuse(
                "the name holds a control character; use letters, digits and `-`".into(),
            ));
        }
        if name.len() > crate::check::MAX_NAME_BYTES {
            return Err(refuse(format!(
                "the name `{name}` is {} bytes long; names may be at most {} bytes",
                name.len(),
                crate::check::MAX_NAME_BYTES
            )));
        }
    }
    Ok(())
}

/// The folders the article goes into must not lead out of the site through a symbolic link:
/// the build would not follow it, and the file would land somewhere else on the machine.
fn check_inside(root: &Path, full: &Path) -> Result<(), ScaffoldError> {
    let content = root.join(CONTENT_DIR);
    let allowed = [root, content.as_path()].map(|p| p.canonicalize().unwrap_or(p.to_path_buf()));
    let mut existing = full.parent();
    while let Some(dir) = existing {
        if let Ok(real) = dir.canonicalize() {
            if allowed.iter().any(|a| real.starts_with(a)) {
                return Ok(());
            }
            return Err(ScaffoldError::BadPath {
                path: full.to_path_buf(),
                reason: format!(
                    "the folder leads through a symbolic link to {}, outside the site",
                    real.display()
                ),
            });
        }
        existing = dir.parent();
    }
    Ok(())
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)
}
