//! Diagnostic codes stay complete and documented: every diagnostic in src/ has a code of its
//! own, docs/diagnostics.md lists exactly the code table, and `gongdu explain` prints a page
//! for each code in both languages.

use std::path::Path;
use std::process::Command;

use gongdu::diagnostic::{CODES, Lang, Severity};

/// `Diagnostic::error(` and `Diagnostic::warning(` make diagnostics without a code (GD0000).
/// Branches written before codes existed still use them; this lists every such place outside
/// tests so that it can be given a code in `src/diagnostic/codes.rs`.
#[test]
fn every_diagnostic_in_src_has_a_code_of_its_own() {
    let mut uncoded = Vec::new();
    for entry in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let entry = entry.expect("readable src");
        let path = entry.path();
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .expect("inside")
            .display()
            .to_string();
        if path.extension().is_none_or(|e| e != "rs")
            || rel.starts_with("src/diagnostic/")
            || rel.ends_with("/tests.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("readable");
        // Unit tests sit at the end of a file, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in code.lines().enumerate() {
            if line.contains("Diagnostic::error(") || line.contains("Diagnostic::warning(") {
                uncoded.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        uncoded.is_empty(),
        "diagnostics without a code (give each a row in src/diagnostic/codes.rs and build it \
         with Diagnostic::new):\n{}",
        uncoded.join("\n")
    );
}

/// The reference part of docs/diagnostics.md, as the code table says it should read.
fn reference() -> String {
    let mut out = String::new();
    for e in CODES {
        let level = match e.severity {
            Severity::Error => "错误 error",
            Severity::Warning => "警告 warning",
        };
        out.push_str(&format!(
            "### {}\n\n{level}\n\n- {}\n- {}\n\n{}\n\n{}\n\n",
            e.id, e.message.zh, e.message.en, e.explain.zh, e.explain.en
        ));
    }
    out
}

const MARKER: &str = "<!-- Everything below is generated from src/diagnostic/codes.rs by tests/errors_codes.rs (GONGDU_UPDATE_DOCS=1 cargo test --test errors_codes rewrites it). -->\n\n";

#[test]
fn docs_list_exactly_the_code_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    let doc = std::fs::read_to_string(&path).expect("docs/diagnostics.md");
    let (intro, listed) = doc
        .split_once(MARKER)
        .expect("docs/diagnostics.md keeps the marker line before the generated part");
    let expected = reference();
    if listed != expected && std::env::var_os("GONGDU_UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{intro}{MARKER}{expected}")).expect("write docs");
        return;
    }
    assert!(
        listed == expected,
        "docs/diagnostics.md is out of date; run GONGDU_UPDATE_DOCS=1 cargo test --test errors_codes"
    );
}

fn gongdu(args: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_gongdu"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("gongdu runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn explain_prints_the_page_of_a_code_in_either_language() {
    let (status, zh, _) = gongdu(&["explain", "GD0102"]);
    assert_eq!(status, Some(0));
    assert!(zh.starts_with("GD0102 (错误)"), "{zh}");
    assert!(zh.contains("未知字段 `{field}`"), "{zh}");
    assert!(zh.contains("`extra:`"), "{zh}");
    let (status, en, _) = gongdu(&["explain", "gd0102", "--lang", "en"]);
    assert_eq!(status, Some(0));
    assert!(en.contains("unknown field `{field}`"), "{en}");
    assert!(en.contains("misspelling"), "{en}");
    for e in CODES {
        for lang in [Lang::En, Lang::ZhCn] {
            assert!(
                gongdu::diagnostic::explain(e.code, lang).contains(e.explain.get(lang)),
                "{}",
                e.id
            );
        }
    }
}

#[test]
fn explain_lists_every_code_and_refuses_unknown_ones() {
    let (status, list, _) = gongdu(&["explain"]);
    assert_eq!(status, Some(0));
    assert_eq!(list.lines().count(), CODES.len());
    assert!(list.contains("GD0207  菜单项 `{label}`"), "{list}");
    let (status, _, err) = gongdu(&["explain", "GD9999"]);
    assert_eq!(status, Some(2));
    assert!(err.contains("GD9999"), "{err}");
}
