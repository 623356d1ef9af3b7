//! `gongdu mirror zim`: a built site folder as one ZIM file for Kiwix readers (desktop,
//! Android, kiwix-serve). This module turns the folder into entries and metadata; `writer`
//! lays them out by the openZIM format (`format`), and `reader` reads them back for tests.
//! The pages are stored as built: their links are relative and their scripts classic, so
//! gongdu's own Chinese search runs inside Kiwix as it does from `file://`.

mod format;
mod illustration;
pub mod reader;
mod site;
pub(crate) use site::html_title;
mod writer;

use std::path::{Path, PathBuf};

pub(crate) use writer::Written;
use writer::{Body, Compression, Content, Entry};

/// What the reader's library shows about the book; empty fields are taken from the site.
#[derive(Debug, Clone, Default)]
pub struct ZimOptions {
    /// Unique book name, `gongdu_zh_<pinyin of the title>` by default.
    pub name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub creator: Option<String>,
    pub publisher: Option<String>,
    /// `YYYY-MM-DD`; by default the site feed's newest date, so the same site gives the same
    /// bytes.
    pub date: Option<String>,
    /// A PNG to show in the reader's library; by default the site's `logo.png` (put it in
    /// `static/`), else a mark drawn from the title.
    pub illustration: Option<PathBuf>,
}

/// What was written, and what was left out.
#[derive(Debug, Clone)]
pub struct ZimReport {
    pub written: Written,
    pub pages: usize,
    pub redirects: usize,
    /// Empty files: the format's checkers reject empty entries and no page needs them.
    pub skipped_empty: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ZimError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: not a built site (no index.html); run `gongdu build` first")]
    NotASite(PathBuf),
    #[error("{0}: the file name is not UTF-8, which ZIM paths must be")]
    BadName(PathBuf),
    #[error("{0}: the date must be written YYYY-MM-DD")]
    BadDate(String),
    #[error("two entries have the path {0}")]
    Duplicate(String),
    #[error("{from} redirects to {to}, which is not in the site")]
    MissingTarget { from: String, to: String },
    #[error("{path}: not a PNG image Kiwix can show: {reason}")]
    BadIllustration { path: PathBuf, reason: String },
    #[error("compressing a cluster: {0}")]
    Compress(String),
}

impl ZimError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> ZimError {
        ZimError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Kiwix shows at most about this many characters of a book's title and description.
const TITLE_LIMIT: usize = 30;
const DESCRIPTION_LIMIT: usize = 80;

/// The web server's "not found" page links its styles by absolute path so that it works at
/// any depth; Kiwix shows its own page for a missing entry, so the ZIM leaves it out.
const NOT_FOUND_PAGE: &str = "404.html";

/// A site's logo, copied from `static/` to the top of the built site.
const LOGO: &str = "logo.png";

/// Writes the built site in `dir` to the ZIM file `to`.
pub fn write_site(dir: &Path, to: &Path, options: &ZimOptions) -> Result<ZimReport, ZimError> {
    let files = site::files(dir)?;
    let home = files
        .iter()
        .find(|f| f.path == "index.html")
        .ok_or_else(|| ZimError::NotASite(dir.to_path_buf()))?;
    let home_html = read_text(&home.disk)?;
    let site_title = site::html_title(&home_html).unwrap_or_else(|| "gongdu".into());
    let title_suffix = format!(" · {site_title}");
    let paths: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();

    let mut entries = Vec::with_capacity(files.len() + 12);
    let mut report = ZimReport {
        written: Written {
            entries: 0,
            clusters: 0,
            bytes: 0,
        },
        pages: 0,
        redirects: 0,
        skipped_empty: Vec::new(),
    };
    for file in &files {
        if file.len == 0 {
            report.skipped_empty.push(file.path.clone());
            continue;
        }
        if file.path == NOT_FOUND_PAGE {
            continue;
        }
        let entry = page_entry(file, &title_suffix, &paths)?;
        match &entry.body {
            Body::Redirect { .. } => report.redirects += 1,
            Body::Blob { .. } => report.pages += usize::from(entry.front_article),
        }
        entries.push(entry);
    }
    entries.extend(metadata(dir, &home_html, &site_title, options)?);
    report.written = writer::write(entries, "index.html", to)?;
    Ok(report)
}

/// The `C` entry for one file: HTML pages get their title (without the site-name suffix) and
/// are front articles, unless they are alias pages, which become redirects.
fn page_entry(
    file: &site::SiteFile,
    title_suffix: &str,
    paths: &std::collections::BTreeSet<&str>,
) -> Result<Entry, ZimError> {
    let (mime, compression) = site::mime(&file.path);
    let mut entry = Entry {
        namespace: b'C',
        path: file.path.clone(),
        title: String::new(),
        front_article: false,
        body: Body::Blob {
            mime: mime.into(),
            content: if crate::search::is_packed(&file.path) {
                Content::Unpacked(file.disk.clone())
            } else {
                Content::File(file.disk.clone())
            },
            compression,
        },
    };
    if mime != "text/html" {
        return Ok(entry);
    }
    let html = read_text(&file.disk)?;
    let title = site::html_title(&html).unwrap_or_default();
    entry.title = title
        .strip_suffix(title_suffix)
        .unwrap_or(&title)
        .to_owned();
    let alias = site::alias_target(&file.path, &html)
        .filter(|target| target != &file.path && paths.contains(target.as_str()));
    if let Some(target) = alias {
        entry.body = Body::Redirect {
            namespace: b'C',
            path: target,
        };
    } else {
        entry.front_article = true;
    }
    Ok(entry)
}

fn read_text(path: &Path) -> Result<String, ZimError> {
    let bytes = std::fs::read(path).map_err(|source| ZimError::io(path, source))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The `M` entries Kiwix and zimcheck require, from the options or else from the site.
fn metadata(
    dir: &Path,
    home_html: &str,
    site_title: &str,
    options: &ZimOptions,
) -> Result<Vec<Entry>, ZimError> {
    let title = options.title.clone().unwrap_or_else(|| site_title.into());
    let description = options.description.clone().unwrap_or_else(|| {
        site::meta_content(home_html, "description").unwrap_or_else(|| title.clone())
    });
    let date = match &options.date {
        Some(date) => date.clone(),
        None => std::fs::read_to_string(dir.join("atom.xml"))
            .ok()
            .and_then(|atom| site::feed_date(&atom))
            .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%d").to_string()),
    };
    if site::feed_date(&format!("<updated>{date}")).as_deref() != Some(date.as_str()) {
        return Err(ZimError::BadDate(date));
    }
    let name = options.name.clone().unwrap_or_else(|| default_name(&title));
    let mut fields = vec![
        ("Name", name),
        ("Title", shorten(&title, TITLE_LIMIT)),
        ("Language", "zho".into()),
        (
            "Creator",
            options.creator.clone().unwrap_or_else(|| site_title.into()),
        ),
        (
            "Publisher",
            options.publisher.clone().unwrap_or_else(|| "gongdu".into()),
        ),
        ("Date", date),
        ("Description", shorten(&description, DESCRIPTION_LIMIT)),
        ("Scraper", format!("gongdu {}", env!("CARGO_PKG_VERSION"))),
        (
            "Tags",
            "_ftindex:no;_pictures:yes;_videos:no;_details:yes".into(),
        ),
    ];
    if description.chars().count() > DESCRIPTION_LIMIT {
        fields.push(("LongDescription", description.clone()));
    }
    let text = |(path, value): (&str, String)| Entry {
        namespace: b'M',
        path: path.into(),
        title: String::new(),
        front_article: false,
        body: Body::Blob {
            mime: "text/plain".into(),
            content: Content::Bytes(value.into_bytes()),
            compression: Compression::Zstd,
        },
    };
    let mut entries: Vec<Entry> = fields.into_iter().map(text).collect();
    entries.push(Entry {
        namespace: b'M',
        path: "Illustration_48x48@1".into(),
        title: String::new(),
        front_article: false,
        body: Body::Blob {
            mime: "image/png".into(),
            content: Content::Bytes(illustration_png(dir, site_title, options)?),
            compression: Compression::Stored,
        },
    });
    Ok(entries)
}

/// The library icon: the PNG given with `--illustration`, else the site's `logo.png`, else
/// the drawn mark. A logo that is not a readable PNG is an error rather than a silent fallback.
fn illustration_png(
    dir: &Path,
    site_title: &str,
    options: &ZimOptions,
) -> Result<Vec<u8>, ZimError> {
    let logo = options
        .illustration
        .clone()
        .or_else(|| Some(dir.join(LOGO)).filter(|p| p.is_file()));
    let Some(path) = logo else {
        return Ok(illustration::render(site_title));
    };
    let bytes = std::fs::read(&path).map_err(|source| ZimError::io(&path, source))?;
    illustration::from_logo(&bytes).map_err(|e| ZimError::BadIllustration {
        path,
        reason: e.to_string(),
    })
}

/// `gongdu_zh_` and the title's pinyin (letters and digits only), so that two sites' books do
/// not replace each other in a reader's library.
fn default_name(title: &str) -> String {
    use pinyin::ToPinyin;
    let mut slug = String::new();
    for c in title.chars() {
        match c.to_pinyin() {
            Some(p) => slug.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => slug.push(c.to_ascii_lowercase()),
            None => {}
        }
        if slug.len() >= 40 {
            break;
        }
    }
    if slug.is_empty() {
        slug.push_str("site");
    }
    format!("gongdu_zh_{slug}")
}

fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(limit - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_spell_the_title_in_pinyin() {
        assert_eq!(default_name("工读 · 学习"), "gongdu_zh_gongduxuexi");
        assert_eq!(default_name("···"), "gongdu_zh_site");
    }

    #[test]
    fn long_text_is_shortened_by_characters() {
        assert_eq!(shorten("工读", 30), "工读");
        assert_eq!(shorten("一二三四五", 3), "一二…");
    }
}
