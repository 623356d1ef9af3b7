//! The script `serve` adds to every HTML page it sends (and only then): it listens for
//! rebuilds, reloads the page, and shows build errors in an overlay until they are fixed; and
//! the events it listens to, encoded so that no message can break the stream.

use std::sync::LazyLock;

use axum::response::sse::Event;

use super::state::Message;

pub(super) const SCRIPT: &str = r#"(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.id = "gongdu-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;" +
        "padding:1em;background:#2b0b0b;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;" +
        "z-index:2147483647;white-space:pre-wrap;border-top:4px solid #e53935";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "gongdu: the last change did not build; this page shows the last good build.\n\n" + text;
  }
  function connect() {
    var events = new EventSource("/__gongdu/events");
    window.gongduLive = events; // for tests: readyState 1 once connected
    events.addEventListener("reload", function () { location.reload(); });
    events.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
  }
  // A stream opened before the page has loaded would keep it "loading" for ever.
  if (document.readyState === "complete") {
    connect();
  } else {
    window.addEventListener("load", function () { setTimeout(connect, 0); });
  }
})();
"#;

/// The event that tells open pages about `message`.
pub(super) fn event(message: &Message) -> Event {
    match message {
        Message::Reload => Event::default().event("reload").data("ok"),
        Message::Problems(text) => Event::default().event("problems").data(encode(text)),
    }
}

/// Event data as one JSON string literal, which the page's script parses back. In the stream
/// a CR, an LF or a CRLF ends a field, and a field begins an event or a new data line; JSON
/// writes every control character (those, NUL, the rest below U+0020) as an escape, so a
/// message from a file with any line endings (old Macs ended lines with a lone CR) stays one
/// event whose text arrives intact.
fn encode(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

/// The script's version: part of its fingerprint, so that pages name these bytes and a
/// browser may keep them (a reload then takes the script from its cache), while another
/// gongdu's script comes under another name.
pub(super) fn version() -> &'static str {
    static VERSION: LazyLock<String> =
        LazyLock::new(|| format!("{:016x}", xxhash_rust::xxh3::xxh3_64(SCRIPT.as_bytes())));
    &VERSION
}

/// The element `inject` adds to a page.
fn tag() -> &'static [u8] {
    static TAG: LazyLock<Vec<u8>> = LazyLock::new(|| {
        let src = format!("{}?v={}", super::http::SCRIPT, version());
        format!("<script src=\"{src}\" defer></script>").into_bytes()
    });
    &TAG
}

/// The page with the live-reload script added before `</body>` (or at the end).
pub(super) fn inject(html: &[u8]) -> Vec<u8> {
    let at = body_end(html);
    let tag = tag();
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag);
    out.extend_from_slice(&html[at..]);
    out
}

/// The page `inject` made from `page`, or `page` itself if the script is not where `inject`
/// puts it.
pub(super) fn remove(page: &[u8]) -> Vec<u8> {
    let end = body_end(page);
    let tag = tag();
    match end.checked_sub(tag.len()) {
        Some(start) if &page[start..end] == tag => [&page[..start], &page[end..]].concat(),
        _ => page.to_vec(),
    }
}

/// Where the last `</body>` starts, or the end. The script tag holds no `</body>`, so this is
/// the same place before and after injecting it.
fn body_end(html: &[u8]) -> usize {
    html.windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>");
        let script = format!(
            "<script src=\"/__gongdu/live.js?v={}\" defer></script>",
            version()
        );
        assert_eq!(
            String::from_utf8(page).expect("UTF-8"),
            format!("<html><body><p>x</p>{script}</body></html>")
        );
        assert!(inject(b"fragment").ends_with(script.as_bytes()));
    }

    #[test]
    fn removing_the_script_gives_back_the_page() {
        for page in [
            &b"<html><body><p>x</p></body></html>"[..],
            b"fragment",
            b"",
            b"<BODY>a</BODY> and </body> twice </Body>",
        ] {
            assert_eq!(remove(&inject(page)), page);
        }
        assert_eq!(remove(b"<p>never injected</p>"), b"<p>never injected</p>");
    }

    #[test]
    fn event_data_holds_no_line_or_field_breaks_and_decodes_back() {
        for text in [
            "a.md:1:1: error\rwith a lone CR",
            "lines\nand\r\nmore\n\n\r\r",
            "event: reload\ndata: x\n\n",
            "nul\0byte and \u{1b}[31m escape",
            "中文\u{2028}\u{2029}\u{85}",
            "",
        ] {
            let data = encode(text);
            assert!(!data.contains(['\r', '\n', '\0']), "{data:?}");
            let back: String = serde_json::from_str(&data).expect("JSON");
            assert_eq!(back, text);
        }
    }
}
