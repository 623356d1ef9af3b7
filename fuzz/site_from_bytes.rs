//! A small site made from arbitrary bytes, built whole: site.yaml, articles with front matter,
//! glossary entries and wikilinks between them. Shared by the `site` fuzz target and the
//! bounded deterministic run in tests/hostile_fuzz.rs (which runs on stable Rust).
//!
//! What must hold: the build ends with a written site or with diagnostics, never a panic or an
//! output error; and `check` (the compile stage alone) refuses exactly when the build does.

use std::path::Path;

use gongdu::build::{self, BuildError, BuildOptions};

/// Cuts the input into parts at 0xFF, a byte that never occurs in UTF-8 text.
const SEPARATOR: u8 = 0xFF;

/// Most articles one input makes.
const MAX_ARTICLES: usize = 8;

/// Writes the site the bytes describe into `root`. The first part is added to site.yaml; each
/// further part is an article whose first byte chooses its folder (top, `glossary/`,
/// `learn/`) and how much of a front matter is written for it, so that most inputs get past
/// the front matter into Markdown, wikilinks and glossary terms.
pub(crate) fn write_site(root: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut parts = data.split(|&b| b == SEPARATOR);
    let settings = parts.next().unwrap_or_default();
    let mut site_yaml = String::from("title: 模糊站\nbase_url: https://example.org/\n");
    if settings.first().is_some_and(|b| b & 1 == 1) {
        site_yaml.push_str(&String::from_utf8_lossy(&settings[1..]));
    }
    std::fs::write(root.join("site.yaml"), site_yaml)?;
    let content = root.join("content");
    for dir in ["glossary", "learn"] {
        std::fs::create_dir_all(content.join(dir))?;
    }
    std::fs::write(
        content.join("glossary/_index.md"),
        "---\ntitle: 术语表\n---\n",
    )?;
    std::fs::write(content.join("learn/_index.md"), "---\ntitle: 学习\n---\n")?;
    for (i, part) in parts.take(MAX_ARTICLES).enumerate() {
        let Some((&choice, rest)) = part.split_first() else {
            continue;
        };
        let rest = String::from_utf8_lossy(rest);
        let folder = ["", "glossary/", "learn/"][usize::from(choice % 3)];
        let text = match (choice >> 2) % 4 {
            // The rest continues the front matter.
            0 => format!("---\ntitle: 文{i}\n{rest}"),
            // The rest is the body of an article or a glossary entry.
            1 => format!("---\ntitle: 文{i}\n---\n{rest}"),
            2 => format!(
                "---\ntitle: 术语{i}\ndefinition: 术语{i}的定义\ntopics: [专题]\n---\n{rest}"
            ),
            _ => rest.into_owned(),
        };
        std::fs::write(content.join(format!("{folder}p{i}.md")), text)?;
    }
    Ok(())
}

/// Builds the site the bytes describe and checks what must hold.
pub(crate) fn check(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write_site(dir.path(), data).expect("the site is written");
    let options = BuildOptions::new(dir.path());
    let checked = build::compile(&options).err();
    match build::build(&options, None) {
        Ok(_) => assert!(
            checked.is_none(),
            "check refused a site that builds: {checked:?}"
        ),
        Err(BuildError::Site(found)) => {
            assert!(found.iter().any(|d| d.is_error()), "a failure says why");
            let checked = checked
                .unwrap_or_else(|| panic!("build refused a site that check accepts: {found:?}"));
            let errors = |all: &[gongdu::diagnostic::Diagnostic]| {
                let mut e: Vec<String> = all
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.to_string())
                    .collect();
                e.sort();
                e
            };
            assert_eq!(errors(&checked), errors(&found), "check and build disagree");
        }
        Err(other) => panic!("an output error, not a diagnostic: {other}"),
    }
}
