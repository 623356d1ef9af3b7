/* gongdu search — what the reader typed, as terms: whitespace-separated words, each with its
   tokens from `gongduTokenize`. Both the quick box and the results page parse queries here;
   matching them is left to match.js and engine.js, marking them in text to highlight.js. */
(function () {
  "use strict";

  var gs = window.gongduSearch;

  /** Whitespace-separated terms, each with its tokens; terms without tokens (punctuation
   *  only) are dropped, and so are repeats. */
  function parseQuery(query) {
    var terms = [];
    var seen = new Set();
    String(query || "")
      .split(/\s+/)
      .forEach(function (raw) {
        if (!raw) {
          return;
        }
        var tokens = window.gongduTokenize(raw);
        if (tokens.length === 0) {
          return;
        }
        var key = JSON.stringify(tokens);
        if (seen.has(key)) {
          return;
        }
        seen.add(key);
        terms.push({ raw: raw, tokens: tokens });
      });
    return terms;
  }

  gs.query = { parseQuery: parseQuery };
})();
