//! Any bytes as a Markdown file's front matter and as site.yaml: decoding, splitting, YAML and
//! field checks must return a document or diagnostics, never panic, hang or overflow.
#![no_main]

use std::path::{Path, PathBuf};

use gongdu::source::{SourceFile, SourceKind, encoding, from_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = encoding::decode(data.to_vec()) else {
        return;
    };
    for kind in [SourceKind::Page, SourceKind::Section] {
        let file = SourceFile {
            rel: "a.md".into(),
            path: PathBuf::from("content/a.md"),
            kind,
        };
        if let Err(diagnostics) = from_text(file, "content/a.md".into(), decoded.text.clone()) {
            assert!(!diagnostics.is_empty(), "a failure says why");
            for d in diagnostics {
                let _ = d.to_string();
            }
        }
    }
    if let Err(diagnostics) = gongdu::config::parse(&decoded.text, Path::new("site.yaml")) {
        for d in diagnostics {
            let _ = d.to_string();
        }
    }
});
