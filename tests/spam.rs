//! Injected spam: `spam::clean` on articles with brands standing in for names and words, link
//! farms and advertisements (fixtures in tests/fixtures/spam/, written for these tests), honest
//! text that only looks similar, and the publishing guard of `gongdu build` and `gongdu check`.

#[path = "support/site.rs"]
mod site;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use gongdu::build::{self, SpamGuard};
use gongdu::spam::{self, Action, Cleaned};
use site::Fixture;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spam")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The cleaned text and one line per finding, for a snapshot a reviewer can read.
fn report(cleaned: &Cleaned) -> String {
    let mut out = format!("{}\n---\n", cleaned.text);
    for f in &cleaned.findings {
        let action = match &f.action {
            Action::Removed => "removed".to_owned(),
            Action::Restored(word) => format!("restored {word}"),
            Action::Unresolved => "unresolved".to_owned(),
            Action::LinkFarm => format!("link farm to line {}", f.end_line),
        };
        let _ = writeln!(
            out,
            "{}:{} {} `{}` {action} ({:.2})",
            f.line,
            f.column,
            f.category.name(),
            f.term,
            f.confidence
        );
    }
    out
}

#[test]
fn brands_standing_in_for_names_and_words_are_removed_and_restored_where_proven() {
    let cleaned = spam::clean(&fixture("injected.txt"));
    insta::assert_snapshot!(report(&cleaned));
    assert!(
        cleaned.has_unresolved(),
        "a gap nothing proves must stop publication"
    );
}

#[test]
fn link_farms_go_and_real_lists_stay() {
    let cleaned = spam::clean(&fixture("link_farms.txt"));
    insta::assert_snapshot!(report(&cleaned));
    assert!(!cleaned.has_unresolved());
}

#[test]
fn a_paragraph_that_is_an_advertisement_goes_whole() {
    let cleaned = spam::clean(&fixture("spam_paragraph.txt"));
    assert_eq!(
        cleaned.text,
        "职工书屋是工会为职工提供阅读服务的重要阵地。\n全市已建成各级职工书屋六百余家，藏书超过一百万册。\n"
    );
    let [finding] = &cleaned.findings[..] else {
        panic!("one finding: {:?}", cleaned.findings)
    };
    assert_eq!((finding.line, finding.column), (2, 1));
    assert_eq!(finding.action, Action::Removed);
}

#[test]
fn honest_text_with_look_alike_words_is_untouched() {
    let text = fixture("innocent.txt");
    let cleaned = spam::clean(&text);
    assert_eq!(cleaned.text, text);
    assert_eq!(cleaned.findings, []);
}

#[test]
fn cleaning_the_cleaned_text_again_changes_nothing() {
    for name in [
        "injected.txt",
        "link_farms.txt",
        "spam_paragraph.txt",
        "innocent.txt",
    ] {
        let once = spam::clean(&fixture(name));
        let twice = spam::clean(&once.text);
        assert_eq!(twice.text, once.text, "{name}");
        assert_eq!(twice.findings, [], "{name}");
    }
}

#[test]
fn the_sample_sites_articles_are_untouched() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.expect("readable content folder");
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("UTF-8 article");
        let cleaned = spam::clean(&text);
        assert_eq!(cleaned.findings, [], "{}", entry.path().display());
        assert_eq!(cleaned.text, text, "{}", entry.path().display());
        checked += 1;
    }
    assert!(checked > 40, "only {checked} articles found");
}

/// A site with one clean page, one page with spam in its title, summary and body, and a draft
/// with spam.
fn spam_site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.yaml", "title: 测试站点\n");
    f.write(
        "content/clean.md",
        "---\ntitle: 澳门回归与职工文体活动\n---\n\n澳门回归以来，职工体育和文化娱乐活动日益丰富。有关部门修订了彩票管理办法。\n",
    );
    f.write(
        "content/hacked.md",
        "---\ntitle: \"工会驿站 葡京娱乐\"\nsummary: >-\n  介绍户外劳动者驿站的建设情况，\n  附百家乐链接。\n---\n\n驿站建设情况。\n\n全市新建驿站，开云体育累计服务职工。\n",
    );
    f.write(
        "content/draft.md",
        "---\ntitle: 待审稿件\ndraft: true\n---\n\n导入时留下的时时彩待编辑处理。\n",
    );
    f.write(
        "content/traditional.md",
        "---\ntitle: 繁體稿件\n---\n\n工會驛站，澳門葡京娛樂場。\n",
    );
    f
}

const GUARD: [&str; 4] = [
    "content/hacked.md:2:14: {} published page contains the gambling or adult term `葡京娱乐` (title)",
    "content/hacked.md:5:4: {} published page contains the gambling or adult term `百家乐` (summary)",
    "content/hacked.md:10:8: {} published page contains the gambling or adult term `开云体育` (body)",
    "content/traditional.md:5:6: {} published page contains the gambling or adult term `澳門葡京娛樂場` (body)",
];

fn expected(level: &str) -> Vec<String> {
    GUARD
        .iter()
        .map(|g| g.replace("{}", &format!("{level}:")))
        .collect()
}

#[test]
fn build_warns_at_each_known_term_in_a_published_page() {
    let f = spam_site();
    let report = f.build_ok();
    assert_eq!(f.shown(&report.warnings), expected("warning"));
}

#[test]
fn check_fails_at_each_known_term_in_a_published_page() {
    let f = spam_site();
    let mut options = f.options();
    options.spam = SpamGuard::Deny;
    let Err(found) = build::compile(&options) else {
        panic!("check must fail on spam in a published page");
    };
    assert_eq!(f.shown(&found), expected("error"));
    let output = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .arg("check")
        .arg("--lang")
        .arg("en")
        .arg("--root")
        .arg(f.root())
        .output()
        .expect("run gongdu check");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "hacked.md:10:8: error[GD0901]: published page contains the gambling or adult term `开云体育`"
        ),
        "{stderr}"
    );
}

#[test]
fn drafts_are_not_guarded_even_when_built() {
    let f = spam_site();
    f.write(
        "content/hacked.md",
        "---\ntitle: 已清理\n---\n\n驿站建设情况。\n",
    );
    std::fs::remove_file(f.root().join("content/traditional.md")).expect("remove");
    let report = f.build_drafts().expect("the build succeeds");
    assert_eq!(f.shown(&report.warnings), Vec::<String>::new());
}
