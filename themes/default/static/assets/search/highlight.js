/* gongdu search — marking what a query matched in a piece of text, as text nodes and <mark>
   elements only (never HTML): the needles of a query, normalised matching with a map back to
   the original characters, and the marked ranges. Used by both UIs; choosing which part of an
   article to show is left to snippet.js. */
(function () {
  "use strict";

  var gs = window.gongduSearch;

  /** The code point that ends just before UTF-16 index `i` of `s` (undefined at the start). */
  function charBefore(s, i) {
    if (i <= 0) {
      return undefined;
    }
    var unit = s.charCodeAt(i - 1);
    return unit >= 0xdc00 && unit <= 0xdfff && i >= 2 ? s.slice(i - 2, i) : s.charAt(i - 1);
  }

  /** The code point at UTF-16 index `i` of `s` (undefined at the end). */
  function charAt(s, i) {
    return i < s.length ? String.fromCodePoint(s.codePointAt(i)) : undefined;
  }

  function isWordChar(ch) {
    return ch !== undefined && window.gongduTokenize.kind(ch.codePointAt(0)) === window.gongduTokenize.WORD;
  }

  /** What to look for in a text: each term, normalised, cut at separators ("工会，驿站"
   *  looks for 工会 and 驿站). Longest first, so overlapping matches prefer the longer one. */
  function needlesOf(terms) {
    var set = new Set();
    var T = window.gongduTokenize;
    terms.forEach(function (term) {
      var segment = "";
      for (var ch of T.normalize(term.raw)) {
        if (T.kind(ch.codePointAt(0)) === T.SEP) {
          if (segment) {
            set.add(segment);
          }
          segment = "";
        } else {
          segment += ch;
        }
      }
      if (segment) {
        set.add(segment);
      }
    });
    return Array.from(set).sort(function (a, b) {
      return b.length - a.length;
    });
  }

  /** The text normalised one code point at a time (as the contract says snippets are
   *  matched), with the original code point index of every UTF-16 unit of the result. */
  function normalizedText(text) {
    var chars = Array.from(text);
    return normalizedChars(chars, 0, chars.length);
  }

  /** The same for the code points chars[from, to); the map holds indexes into `chars`. */
  function normalizedChars(chars, from, to) {
    var norm = "";
    var map = [];
    for (var i = from; i < to; i++) {
      var n = normalizedChar(chars[i]);
      norm += n;
      for (var j = 0; j < n.length; j++) {
        map.push(i);
      }
    }
    return { chars: chars, norm: norm, map: map };
  }

  // Normalised code points, remembered: a snippet normalises thousands of them, mostly the
  // same few hundred. Filled only once fold.js has loaded: snippets and labels are drawn after.
  var charCache = new Map();

  function normalizedChar(c) {
    if (c.length === 1 && c.charCodeAt(0) < 0x80) {
      return c.toLowerCase();
    }
    var n = charCache.get(c);
    if (n === undefined) {
      n = window.gongduTokenize.normalize(c);
      charCache.set(c, n);
    }
    return n;
  }

  /** Sorted, merged [start, end) ranges (in code points of the original text) of every
   *  needle. With `wholeWords`, a letter/digit needle must not continue a longer word, as
   *  tokens don't ("gdp" is not found in "gdps"). */
  function findRanges(nt, needles, wholeWords) {
    var ranges = [];
    var norm = nt.norm;
    needles.forEach(function (needle) {
      var cps = Array.from(needle);
      var firstIsWord = isWordChar(cps[0]);
      var lastIsWord = isWordChar(cps[cps.length - 1]);
      var from = 0;
      for (;;) {
        var at = norm.indexOf(needle, from);
        if (at < 0) {
          break;
        }
        from = at + 1;
        var end = at + needle.length;
        if (wholeWords && ((firstIsWord && isWordChar(charBefore(norm, at))) || (lastIsWord && isWordChar(charAt(norm, end))))) {
          continue;
        }
        ranges.push([nt.map[at], nt.map[end - 1] + 1]);
      }
    });
    ranges.sort(function (a, b) {
      return a[0] - b[0] || b[1] - a[1];
    });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.push([r[0], r[1]]);
      }
    });
    return merged;
  }

  /** Appends chars[start, end) to `parent`, with the parts inside `ranges` in <mark>. */
  function appendMarked(parent, chars, start, end, ranges) {
    var at = start;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], start);
      var b = Math.min(r[1], end);
      if (a >= b) {
        return;
      }
      if (a > at) {
        parent.appendChild(document.createTextNode(chars.slice(at, a).join("")));
      }
      var mark = document.createElement("mark");
      mark.textContent = chars.slice(a, b).join("");
      parent.appendChild(mark);
      at = b;
    });
    if (at < end) {
      parent.appendChild(document.createTextNode(chars.slice(at, end).join("")));
    }
  }

  /** `text` into `parent`, every needle marked. */
  function appendHighlighted(parent, text, needles, wholeWords) {
    var nt = normalizedText(text);
    appendMarked(parent, nt.chars, 0, nt.chars.length, findRanges(nt, needles, wholeWords));
  }

  gs.highlight = {
    needlesOf: needlesOf,
    normalizedChars: normalizedChars,
    findRanges: findRanges,
    appendMarked: appendMarked,
    appendHighlighted: appendHighlighted,
  };
})();
