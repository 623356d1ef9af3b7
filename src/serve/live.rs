//! The script `serve` adds to every HTML page it sends (and only then): it listens for
//! rebuilds, reloads the page, and shows build errors in an overlay until they are fixed.

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
    events.addEventListener("problems", function (e) { show(e.data); });
  }
  // A stream opened before the page has loaded would keep it "loading" for ever.
  if (document.readyState === "complete") {
    connect();
  } else {
    window.addEventListener("load", function () { setTimeout(connect, 0); });
  }
})();
"#;

const TAG: &[u8] = b"<script src=\"/__gongdu/live.js\" defer></script>";

/// The page with the live-reload script added before `</body>` (or at the end).
pub(super) fn inject(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG);
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            page,
            b"<html><body><p>x</p><script src=\"/__gongdu/live.js\" defer></script></body></html>"
        );
        assert!(inject(b"fragment").ends_with(TAG));
    }
}
