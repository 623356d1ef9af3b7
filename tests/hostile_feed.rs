//! Control characters pasted from Word or WPS (a vertical tab for a line break, and the rest of
//! C0) never make a feed or the sitemap invalid XML (issue 11, class 9): they are shown as
//! spaces, with a warning at the first one written in the file.

#[path = "support/site.rs"]
mod site;

/// Every C0 control character that XML 1.0 forbids: all but tab, line feed and carriage return.
fn forbidden() -> Vec<char> {
    (0u8..0x20)
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .map(char::from)
        .collect()
}

#[test]
fn control_characters_in_title_summary_and_body_leave_every_feed_valid_xml() {
    let f = site::Fixture::copy("hostile");
    f.write(
        "site.yaml",
        "title: 测试站\nbase_url: https://example.org/\n",
    );
    let escaped: String = forbidden()
        .iter()
        .map(|c| format!("\\x{:02X}", u32::from(*c)))
        .collect();
    let raw: String = forbidden().into_iter().filter(|&c| c != '\0').collect();
    f.write(
        "content/word.md",
        &format!(
            "---\ntitle: \"标题{escaped}尾\"\nsummary: \"摘要{escaped}尾\"\ndate: 2024-05-01\ntopics: [工会]\n---\n\n正文前{raw}正文后\n\n第二段\u{b}换行\n"
        ),
    );
    let report = f.build_ok();
    let warnings = f.shown(&report.warnings);
    assert!(
        warnings.contains(&format!(
            "content/word.md:8:4: warning: control character U+0001 in the text (and {} more in this file); feeds show it as a space",
            raw.chars().count()
        )),
        "{warnings:#?}"
    );
    let feeds: Vec<_> = site::snapshot_tree(&f.out())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".xml"))
        .collect();
    let paths: Vec<&String> = feeds.iter().map(|(p, _)| p).collect();
    assert!(
        feeds.len() >= 3,
        "atom.xml, a topic's feed and the sitemap: {paths:?}"
    );
    for (path, bytes) in feeds {
        let xml = String::from_utf8(bytes).expect("UTF-8");
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{path} is not XML: {e}");
        }
    }
    assert!(
        roxmltree::Document::parse("<a>\u{b}</a>").is_err(),
        "the parser rejects what this test looks for"
    );
    let atom = f.output("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
        .filter_map(|n| n.text())
        .collect();
    let spaces = " ".repeat(forbidden().len());
    assert!(
        titles.contains(&format!("标题{spaces}尾").as_str()),
        "{titles:?}"
    );
    assert!(atom.contains("正文前") && atom.contains("正文后") && atom.contains("摘要"));
}
