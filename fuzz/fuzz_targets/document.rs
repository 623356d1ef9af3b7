//! Any text as a whole article, Markdown → HTML, with raw HTML sanitised: rendering must
//! finish with HTML or diagnostics, never panic, hang or overflow. An odd first byte puts a
//! valid front matter in front, so most inputs reach the Markdown renderer.
#![no_main]

use std::sync::LazyLock;

use gongdu::markdown::Standalone;
use libfuzzer_sys::fuzz_target;

static RENDERER: LazyLock<Standalone> = LazyLock::new(Standalone::default);

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let body = String::from_utf8_lossy(rest);
    let text = if first & 1 == 1 {
        format!("---\ntitle: 模糊测试\n---\n{body}")
    } else {
        body.into_owned()
    };
    match RENDERER.render(&text) {
        Ok((rendered, warnings)) => {
            assert!(warnings.iter().all(|w| !w.is_error()));
            let _ = rendered.html.len() + rendered.summary_html.len();
        }
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "a failure says why"
            );
            for d in diagnostics {
                let _ = d.to_string();
            }
        }
    }
});
