/* gongdu search — how one term stands in one document: upper bounds (or exact counts) from
   its tokens' postings, and the exact count confirmed in the document's text, by token
   positions or, for a run of Han bigrams, as a phrase in the normalised text. Combining terms
   and ordering documents is left to rank.js. */
(function () {
  "use strict";

  /** Is `value` in the ascending array `arr`? */
  function sortedHas(arr, value) {
    var lo = 0;
    var hi = arr.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] === value) {
        return true;
      }
      if (arr[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return false;
  }

  /** How one term stands in one document, from the postings alone: null when a token is
   *  missing, else {title, body, exact}. `title` is whether the term can start in the title
   *  (null for terms of single characters only: they have no say on title hits), `body` how
   *  often it occurs in the body (for single characters: the count of the rarest one). For a
   *  term of two or more tokens that are not single characters, these are upper bounds
   *  (`exact` false): each of its tokens is there, but maybe not in a row. */
  function termBound(term, doc) {
    var out = { title: null, body: 0, exact: true };
    return termBoundInto(term, doc, out) ? out : null;
  }

  /** termBound() written into `out` (false for null), so that the walk over every document
   *  allocates nothing. */
  function termBoundInto(term, doc, out) {
    var title = true;
    var body = Infinity;
    var least = Infinity;
    for (var i = 0; i < term.postings.length; i++) {
      var p = term.postings[i];
      var v = p.values[doc];
      if (!v) {
        return false;
      }
      if (p.single) {
        least = Math.min(least, Math.floor(v / 2));
      } else {
        title = title && v % 2 === 1;
        body = Math.min(body, Math.floor(v / 2));
      }
    }
    // Triples of the phrase's characters (see tripleBounds() in index.js): each occurs at least as often
    // as the phrase, so they only tighten the bound.
    var triples = term.triples;
    for (var k = 0; triples && k < triples.length; k++) {
      var w = triples[k].values[doc];
      if (!w) {
        return false;
      }
      title = title && w % 2 === 1;
      body = Math.min(body, Math.floor(w / 2));
    }
    if (term.positional === 0) {
      out.title = null;
      out.body = least;
      out.exact = true;
      return true;
    }
    if (!title && body === 0) {
      return false;
    }
    out.title = title;
    out.body = body;
    out.exact = term.positional === 1;
    return true;
  }

  /** The token positions of a document, for the query's tokens only: Map token → ascending
   *  positions, title from 0 (its first 250 tokens, as the indexer keeps), body from
   *  `bodyOffset`. */
  function documentPositions(doc, wanted, bodyOffset) {
    var positions = new Map();
    function add(tokens, offset, limit) {
      for (var i = 0; i < tokens.length; i++) {
        var t = tokens[i];
        if (t[1] >= limit || !wanted.has(t[0])) {
          continue;
        }
        var list = positions.get(t[0]);
        if (!list) {
          list = [];
          positions.set(t[0], list);
        }
        list.push(t[1] + offset);
      }
    }
    add(window.gongduTokenize(String(doc.info[0] || "")), 0, 250);
    add(window.gongduTokenize(String(doc.text || "")), bodyOffset, Infinity);
    return positions;
  }

  /** {title, body} of a term of several tokens in a document, counted in its text: every
   *  alignment b such that each token that is not a single character (at term position pt)
   *  occurs at b + pt − p0. Single characters only need to be there, which the postings
   *  already said. null when there is no alignment. */
  function termInText(term, positions, bodyOffset) {
    var lists = [];
    term.tokens.forEach(function (t, i) {
      if (!term.postings[i].single) {
        lists.push({ offset: t[1], list: positions.get(t[0]) || [] });
      }
    });
    lists.sort(function (a, b) {
      return a.list.length - b.list.length;
    });
    var anchor = lists[0];
    var title = false;
    var body = 0;
    for (var i = 0; i < anchor.list.length; i++) {
      var base = anchor.list[i] - anchor.offset;
      var ok = true;
      for (var j = 1; j < lists.length && ok; j++) {
        ok = sortedHas(lists[j].list, base + lists[j].offset);
      }
      if (ok) {
        if (base < bodyOffset) {
          title = true;
        } else {
          body += 1;
        }
      }
    }
    return title || body > 0 ? { title: title, body: body } : null;
  }

  /** The Han characters a term of two or more bigrams in one run stands for (新质生产力),
   *  else null. Such a term aligns exactly where its characters stand in a row: a bigram
   *  can follow another at the next position only inside the same run of Han characters. */
  function phraseOf(term) {
    var T = window.gongduTokenize;
    var phrase = "";
    for (var i = 0; i < term.tokens.length; i++) {
      var t = term.tokens[i];
      var chars = Array.from(t[0]);
      if (t[1] !== i || chars.length !== 2 || !T.isHan(chars[0].codePointAt(0)) || !T.isHan(chars[1].codePointAt(0))) {
        return null;
      }
      phrase += i === 0 ? t[0] : chars[1];
    }
    return term.tokens.length >= 2 ? phrase : null;
  }

  /** The document's title and body normalised as the indexer does (each as a whole); true
   *  when the title is short enough that all of it was indexed. */
  function inPlainText(doc) {
    if (doc.normBody === undefined) {
      doc.normTitle = window.gongduTokenize.normalize(String(doc.info[0] || ""));
      doc.normBody = window.gongduTokenize.normalize(String(doc.text || ""));
    }
    return doc.normTitle.length < 250;
  }

  /** {title, body} of a phrase in a document's normalised text (body: every occurrence,
   *  overlapping ones too, as alignments count), or null. */
  function phraseInText(phrase, doc) {
    var body = 0;
    for (var at = doc.normBody.indexOf(phrase); at >= 0; at = doc.normBody.indexOf(phrase, at + 1)) {
      body += 1;
    }
    var title = doc.normTitle.indexOf(phrase) >= 0;
    return title || body > 0 ? { title: title, body: body } : null;
  }

  window.gongduSearch.match = {
    termBound: termBound,
    termBoundInto: termBoundInto,
    documentPositions: documentPositions,
    termInText: termInText,
    phraseOf: phraseOf,
    inPlainText: inPlainText,
    phraseInText: phraseInText,
  };
})();
