//! The mistakes editors make most, reported the way an editor can act on: the cause first
//! and alone, every site.yaml problem in one run, hints for the slips of Chinese typing, and
//! menu entries that lead nowhere.

#[path = "support/site.rs"]
mod site;

use site::Fixture;

/// `basic` with four articles that link to `history/earliest.md` (title 最早的笔记) in every way
/// a page can be named: by path, by title, by path without `.md`, and with a heading.
fn much_linked() -> Fixture {
    let f = Fixture::copy("basic");
    for (i, link) in [
        "[最早](../history/earliest.md)",
        "[[最早的笔记]]",
        "[[history/earliest]]",
        "[[最早的笔记|第一篇笔记]]",
    ]
    .iter()
    .enumerate()
    {
        f.write(
            &format!("content/union/link-{i}.md"),
            &format!(
                "---\ntitle: 引用{i}\ndate: 2024-05-0{}\n---\n请先读{link}。\n",
                i + 1
            ),
        );
    }
    f
}

#[test]
fn a_misspelt_key_in_a_much_linked_article_is_the_one_error() {
    let f = much_linked();
    f.write(
        "content/history/earliest.md",
        "---\ntitel: 最早的笔记\ndate: 2023-01-01\n---\n第三篇。\n",
    );
    let errors = f.shown(&f.build_errors());
    assert_eq!(
        errors,
        ["content/history/earliest.md:2:1: error: unknown field `titel`"]
    );
}

#[test]
fn an_impossible_date_in_a_much_linked_article_is_the_one_error() {
    let f = much_linked();
    f.write(
        "content/history/earliest.md",
        "---\ntitle: 最早的笔记\ndate: 2023-02-30\n---\n第三篇。\n",
    );
    let errors = f.shown(&f.build_errors());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("content/history/earliest.md:3:7: error: "),
        "{errors:#?}"
    );
}

#[test]
fn a_page_whose_front_matter_does_not_parse_keeps_its_file_name_for_links() {
    let f = much_linked();
    // The YAML itself is broken, so not even the title can be read: links by path still hold.
    f.write(
        "content/history/earliest.md",
        "---\ntitle: [最早的笔记\n---\n第三篇。\n",
    );
    f.write(
        "content/union/link-1.md",
        "---\ntitle: 引用1\n---\n[[earliest]]\n",
    );
    f.write(
        "content/union/link-3.md",
        "---\ntitle: 引用3\n---\n[[history/earliest|第一篇]]\n",
    );
    let errors = f.shown(&f.build_errors());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("content/history/earliest.md:"),
        "{errors:#?}"
    );
}
