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
   *  missing, else {title, body, loose, exact, seen}. `title` is whether the term can start
   *  in the title (null for terms of single characters only: they have no say on title
   *  hits), `body` how often it occurs in the body (for single characters: the count of the
   *  rarest one). For a term of two or more tokens that are not single characters, these
   *  are upper bounds (`exact` false): each of its tokens is there, but maybe not in a row.
   *  So are they where a token's list is split and the document is not in the part loaded
   *  (see parsePostings in index.js): then the tail's bounds stand in for its value, `body`
   *  holds when the term is in the title and `loose` when it is not (for a known value the
   *  two are the same), and `seen` counts the tokens whose value is known. */
  function termBound(term, doc) {
    var out = { title: null, body: 0, loose: 0, exact: true, seen: 0 };
    return termBoundInto(term, doc, out) ? out : null;
  }

  /** The running bound of one term: title, body (in the title), loose (not), least (single
   *  characters), whether some value is only a bound, and how many were known. */
  var acc = { title: true, body: Infinity, loose: Infinity, least: Infinity, vague: false, seen: 0 };

  /** Adds postings `p`'s value for `doc` to `acc`; false when `doc` is not there. */
  function addValue(p, doc, single) {
    var v = p.values[doc];
    if (v) {
      acc.seen += 1;
      var count = Math.floor(v / 2);
      if (single) {
        acc.least = Math.min(acc.least, count);
      } else {
        acc.title = acc.title && v % 2 === 1;
        acc.body = Math.min(acc.body, count);
        acc.loose = Math.min(acc.loose, count);
      }
      return true;
    }
    var tail = p.tail;
    if (!tail) {
      return false;
    }
    acc.vague = true;
    if (single) {
      acc.least = Math.min(acc.least, tail.count);
    } else {
      acc.title = acc.title && tail.title;
      acc.body = Math.min(acc.body, tail.titleCount);
      acc.loose = Math.min(acc.loose, tail.count);
    }
    return true;
  }

  /** termBound() written into `out` (false for null), so that the walk over every document
   *  allocates nothing. */
  function termBoundInto(term, doc, out) {
    acc.title = true;
    acc.body = Infinity;
    acc.loose = Infinity;
    acc.least = Infinity;
    acc.vague = false;
    acc.seen = 0;
    for (var i = 0; i < term.postings.length; i++) {
      var p = term.postings[i];
      if (!addValue(p, doc, p.single)) {
        return false;
      }
    }
    // Triples of the phrase's characters (see tripleBounds() in index.js): each occurs at least as often
    // as the phrase, so they only tighten the bound.
    var triples = term.triples;
    for (var k = 0; triples && k < triples.length; k++) {
      if (!addValue(triples[k], doc, false)) {
        return false;
      }
    }
    out.seen = acc.seen;
    if (term.positional === 0) {
      out.title = null;
      out.body = acc.least;
      out.loose = acc.least;
      out.exact = !acc.vague;
      return true;
    }
    if (!acc.title && acc.loose === 0) {
      return false;
    }
    out.title = acc.title;
    out.body = acc.title ? acc.body : acc.loose;
    out.loose = acc.loose;
    out.exact = term.positional === 1 && !acc.vague;
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

  /** How often the rarest single Han character of a term occurs in a document's normalised
   *  title and body together, as the indexer counts them (Infinity for a term without one;
   *  0 when one is missing). Used where a character's postings were split and this
   *  document is not in the part loaded. */
  function singlesInText(term, doc) {
    inPlainText(doc);
    var least = Infinity;
    term.tokens.forEach(function (t, i) {
      if (term.postings[i].single) {
        var n = 0;
        [doc.normTitle, doc.normBody].forEach(function (text) {
          for (var at = text.indexOf(t[0]); at >= 0; at = text.indexOf(t[0], at + t[0].length)) {
            n += 1;
          }
        });
        least = Math.min(least, n);
      }
    });
    return least;
  }

  window.gongduSearch.match = {
    singlesInText: singlesInText,
    termBound: termBound,
    termBoundInto: termBoundInto,
    documentPositions: documentPositions,
    termInText: termInText,
    phraseOf: phraseOf,
    inPlainText: inPlainText,
    phraseInText: phraseInText,
  };
})();
