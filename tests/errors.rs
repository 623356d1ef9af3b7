//! Bad input is reported in full, with positions, and never damages the previous output.

#[path = "support/site.rs"]
mod site;

use gongdu::build::BuildError;
use site::{Fixture, snapshot_tree};

fn shown(d: &gongdu::diagnostic::Diagnostic, root: &std::path::Path) -> String {
    let path = d.path.strip_prefix(root).unwrap_or(&d.path);
    format!("{}:{}:{}: {}", path.display(), d.line, d.column, d.message)
}

#[test]
fn every_error_in_every_file_is_reported_in_one_run() {
    let f = Fixture::copy("broken");
    let errors: Vec<String> = f
        .build_errors()
        .iter()
        .map(|d| shown(d, f.root()))
        .collect();
    assert_eq!(
        errors,
        [
            "content/bad-date.md:3:7: `昨天` is not a date; write it as 2024-04-26 or 2024-04-26T09:30:00+08:00",
            "content/broken-link.md:6:3: link to `nowhere.md`: there is no article content/nowhere.md",
            "content/typo.md:2:1: unknown field `tittle`",
        ]
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let f = Fixture::copy("basic");
    f.build_ok();
    let before = snapshot_tree(&f.out());
    f.write(
        "content/history/安源大罢工.md",
        "---\ntitle: 坏\ndate: 不是日期\n---\n",
    );
    assert!(matches!(f.build(), Err(BuildError::Site(_))));
    assert_eq!(snapshot_tree(&f.out()), before);
    let leftovers: Vec<String> = std::fs::read_dir(f.root())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongdu"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_page_whose_source_was_deleted_disappears_from_the_next_output() {
    let f = Fixture::copy("basic");
    f.build_ok();
    assert!(f.out().join("history/earliest/index.html").exists());
    std::fs::remove_file(f.root().join("content/history/earliest.md")).expect("rm");
    f.build_ok();
    assert!(!f.out().join("history/earliest/index.html").exists());
}

#[test]
fn misspelt_site_setting_is_an_error_at_its_line_with_a_suggestion() {
    let f = Fixture::copy("basic");
    f.write("site.yaml", "title: 站点\ndescripton: 拼错\n");
    let errors = f.build_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        shown(&errors[0], f.root()),
        "site.yaml:2:1: unknown field `descripton`"
    );
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("did you mean `description`?")
    );
}

#[test]
fn a_template_error_names_the_template_and_the_page() {
    let f = Fixture::copy("basic");
    f.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}{{ page.title | no_such_filter }}{% endblock main %}");
    let errors = f.build_errors();
    assert!(
        errors[0].path.ends_with("templates/page.html"),
        "{:?}",
        errors[0].path
    );
    assert!(
        errors[0].message.contains("no_such_filter"),
        "{}",
        errors[0].message
    );

    f.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.missing.field }}{% endblock main %}",
    );
    let errors = f.build_errors();
    assert_eq!(errors.len(), 1, "one mistake, one report: {errors:?}");
    assert!(
        errors[0].path.ends_with("templates/page.html"),
        "{:?}",
        errors[0].path
    );
    assert!(
        errors[0].message.contains("page.missing.field"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0]
            .message
            .ends_with("content/guide/front-matter.md and 6 other pages)"),
        "{}",
        errors[0].message
    );
}

#[test]
fn two_pages_with_the_same_address_are_both_named() {
    let f = Fixture::copy("basic");
    f.write(
        "content/history/copy.md",
        "---\ntitle: 重复\nslug: shu-ji-bu\n---\n",
    );
    let errors = f.build_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.contains("history/shu-ji-bu/index.html"));
    assert!(errors[0].message.contains("shu-ji-bu.md"));
}

#[test]
fn output_into_a_folder_gongdu_did_not_create_is_refused() {
    let f = Fixture::copy("basic");
    f.write("public/thesis.docx", "precious");
    match f.build() {
        Err(BuildError::Output(e)) => assert!(e.to_string().contains("did not create"), "{e}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(f.root().join("public/thesis.docx")).expect("kept"),
        "precious"
    );
    let mut options = f.options();
    options.output = Some(f.root().join("content"));
    assert!(matches!(
        gongdu::build::build(&options, None),
        Err(BuildError::Output(_))
    ));
}

#[test]
fn an_invalid_citation_date_is_an_error_at_its_value_not_silently_dropped() {
    let f = Fixture::copy("basic");
    f.write(
        "content/cited.md",
        "---\ntitle: 出处\nsource:\n  publication: 人民日报\n  date: 2024-13-01\n---\n正文\n",
    );
    f.write(
        "content/cited-list.md",
        "---\ntitle: 两处出处\nsource:\n  - publication: 工人日报\n    date: 2024-04-26\n  - publication: 人民日报\n    date: 四月\n---\n正文\n",
    );
    let errors: Vec<String> = f
        .build_errors()
        .iter()
        .map(|d| shown(d, f.root()))
        .collect();
    assert_eq!(
        errors,
        [
            "content/cited-list.md:7:11: source date: `四月` is not a date; write a year (1922), a month (1922-05) or a day (1922-05-01)",
            "content/cited.md:5:9: source date: `2024-13-01` is not a date; write a year (1922), a month (1922-05) or a day (1922-05-01)",
        ]
    );
}

#[test]
fn a_problem_found_after_the_build_let_go_of_the_sources_is_placed_like_check_places_it() {
    // The build lets go of each article's text once its Markdown is rendered; the heading
    // anchor check comes after, and reads the file again to name the line.
    let f = Fixture::copy("basic");
    f.write(
        "content/anchor.md",
        "---\ntitle: 锚点\n---\n第一段。\n\n第二段，参见[正文](anchor.md#不存在的小节)。\r\n",
    );
    let built = f.build_errors();
    let checked = gongdu::build::compile(&f.options())
        .err()
        .expect("the check fails too");
    assert_eq!(f.shown(&built), f.shown(&checked));
    let excerpts = |ds: &[gongdu::diagnostic::Diagnostic]| -> Vec<Option<String>> {
        ds.iter().map(|d| d.excerpt.clone()).collect()
    };
    assert_eq!(excerpts(&built), excerpts(&checked));
    let anchor = built
        .iter()
        .find(|d| d.message.contains("不存在的小节"))
        .unwrap_or_else(|| panic!("{:?}", f.shown(&built)));
    assert_eq!(
        (anchor.line, anchor.column),
        (6, 7),
        "{:?}",
        f.shown(&built)
    );
    assert_eq!(
        anchor.excerpt.as_deref(),
        Some("第二段，参见[正文](anchor.md#不存在的小节)。")
    );
}
