/* gongdu search — the snippet under a result: up to a set number of characters of an article
   around the first match, with every match in it marked. Finding and marking matches is
   highlight.js's. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var normalizedChars = gs.highlight.normalizedChars;
  var findRanges = gs.highlight.findRanges;
  var appendMarked = gs.highlight.appendMarked;

  // Snippets look for the first match this many characters at a time: most are near the start,
  // and a long article need not be normalised to its end.
  var STRETCH = 800;

  /** Up to `length` characters of `text` around the first match, into `parent`. */
  function appendSnippet(parent, text, needles, length) {
    // Runs of whitespace (paragraph breaks in the plain text) read as one space here.
    text = String(text || "")
      .replace(/\s+/g, " ")
      .trim();
    var chars = Array.from(text);
    var total = chars.length;
    var longest = 0;
    needles.forEach(function (n) {
      longest = Math.max(longest, Array.from(n).length);
    });
    // One code point of context on each side, so that whole-word checks see the neighbours.
    function rangesIn(from, to) {
      var lo = Math.max(0, from - 1);
      var hi = Math.min(total, to + 1);
      return findRanges(normalizedChars(chars, lo, hi), needles, true);
    }
    var first = -1;
    for (var from = 0; from < total && first < 0; from += STRETCH) {
      var found = rangesIn(from, from + STRETCH + longest);
      for (var k = 0; k < found.length && first < 0; k++) {
        if (found[k][0] >= from) {
          first = found[k][0];
        }
      }
    }
    var start = 0;
    if (first >= 0) {
      // A little context before the match, most of the room after it.
      start = Math.max(0, first - Math.floor(length / 4));
    }
    var end = Math.min(total, start + length);
    start = Math.max(0, Math.min(start, end - length));
    if (start > 0) {
      parent.appendChild(document.createTextNode("…"));
    }
    // Matches that reach into the snippet from outside are marked in their visible part.
    appendMarked(parent, chars, start, end, rangesIn(start - longest, end + longest));
    if (end < total) {
      parent.appendChild(document.createTextNode("…"));
    }
  }

  gs.snippet = { appendSnippet: appendSnippet };
})();
