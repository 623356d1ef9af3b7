/* gongdu default theme — site search in the browser.

   What this file does:
   1. Defines `window.gongduSearch`, the object every search data file calls into
      (`gongduSearch.config(…)`, `.shard(…)`, `.big(…)`, `.doc(…)`, `.docTopics(…)`,
      `.quick(…)`). It must exist before any of them runs, which is why it is this file that
      loads them (or, on the results page, the page lists them after this file).
   2. The header search box (every page): as the reader types, a dropdown of titles, headings
      and tags from the elasticlunr quick index; Enter on the box opens the full results page.
   3. The results page (search/index.html?q=…&topic=…): full-text search over the compact
      sharded index, with exact phrases, AND of whitespace-separated words, ranking, snippets
      with the matched text marked, a topic filter and "more" paging.

   How a query stays cheap: the index says, per token, which documents hold it, how often,
   and whether in the title. That ranks the candidates, and is exact for every term of one
   token (a word, a bigram, Han characters). A term of several tokens (a phrase) is confirmed
   against the text of a candidate document, which the results page loads anyway to show it:
   candidates are confirmed best-first, only as many as the page shows (see `Ranking`).

   The data format and the query semantics are documented in the README (Search).

   Ground rules, because sites are opened from file:// (USB copies, LAN shares) as often as from
   a web server: no fetch, no modules, no workers, no WebAssembly, nothing from the network —
   data files are classic scripts inserted as <script src>. And everything that comes from the
   index (titles, snippets, topics, labels) goes into the page as text nodes, never as HTML.

   Pages work without this file: the header box is an ordinary GET form, and the results page
   says that search needs JavaScript and links to the topic and tag lists. */
(function () {
  "use strict";

  var gs = window.gongduSearch || {};
  window.gongduSearch = gs;

  // ---------------------------------------------------------------------------------------
  // Data registry: the data files call these as they load.
  // ---------------------------------------------------------------------------------------

  var data = {
    config: null,
    quick: null,
    docTopics: null,
    alphabet: null,
    shards: Object.create(null),
    big: Object.create(null),
    docs: Object.create(null),
  };

  gs.config = function (obj) {
    data.config = obj;
  };
  gs.quick = function (obj) {
    data.quick = obj;
  };
  gs.shard = function (n, obj) {
    data.shards[n] = obj;
  };
  gs.big = function (group, obj) {
    data.big[group] = obj;
  };
  gs.doc = function (n, info, spelled) {
    data.docs[n] = { info: info, spelled: spelled, text: null };
  };
  gs.alphabet = function (str) {
    data.alphabet = Array.from(str);
  };
  gs.docTopics = function (str) {
    data.docTopics = str;
  };

  // ---------------------------------------------------------------------------------------
  // Paths and script loading.
  // ---------------------------------------------------------------------------------------

  // The way back to the site root, written into the page by the template (`data-root`):
  // "" on the home page, "../" on search/index.html, and so on. Data files are loaded relative
  // to it so the site works from any folder and from file://.
  function siteRoot() {
    var el = document.querySelector("[data-search-root]") || document.querySelector("[data-root]");
    if (!el) {
      return "";
    }
    var root = el.getAttribute("data-search-root");
    if (root === null) {
      root = el.getAttribute("data-root");
    }
    return root || "";
  }

  var root = siteRoot();

  function siteUrl(path) {
    return root + path;
  }

  var loads = Object.create(null);

  /** A <script src> the page itself lists (the results page names the core files after this
   *  script, so that they load in parallel with it). */
  function listedScript(src) {
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      if (scripts[i].getAttribute("src") === src && !scripts[i].hasAttribute("data-gongdu")) {
        return scripts[i];
      }
    }
    return null;
  }

  /** Inserts <script src> once per src; resolves on load, rejects on error (and forgets the
   *  failure, so a later call may try again). */
  function load(src) {
    if (!loads[src]) {
      loads[src] = new Promise(function (resolve, reject) {
        var listed = listedScript(src);
        if (listed && listed.hasAttribute("data-done")) {
          resolve();
          return;
        }
        var script = listed || document.createElement("script");
        script.addEventListener("load", function () {
          resolve();
        });
        script.addEventListener("error", function () {
          delete loads[src];
          script.remove();
          reject(new Error("cannot load " + src));
        });
        if (!listed) {
          script.src = src;
          script.async = true;
          script.setAttribute("data-gongdu", "");
          (document.head || document.documentElement).appendChild(script);
        }
      });
    }
    return loads[src];
  }

  gs.load = load;

  /** fold.js and tokenize.js: what both kinds of search need first. */
  function loadTokenizer() {
    var parts = [load(siteUrl("search/fold.js"))];
    if (typeof window.gongduTokenize !== "function") {
      parts.push(load(siteUrl("search/tokenize.js")));
    }
    return Promise.all(parts);
  }

  var coreReady = null;

  function loadCore() {
    if (!coreReady) {
      var config = data.config ? Promise.resolve() : load(siteUrl("search/config.js"));
      coreReady = Promise.all([config, loadTokenizer()]).then(
        function () {
          if (!data.config || typeof window.gongduTokenize !== "function") {
            throw new Error("search index incomplete");
          }
          return data.config;
        },
        function (err) {
          coreReady = null;
          throw err;
        }
      );
    }
    return coreReady;
  }

  // ---------------------------------------------------------------------------------------
  // Postings: shard lookup, decoding.
  // ---------------------------------------------------------------------------------------

  var encoder = new TextEncoder();

  /** FNV-1a, 32 bits, over the UTF-8 bytes. Math.imul keeps the product exact: a plain
   *  `h * 0x01000193` can exceed 2^53 and lose its low bits before `>>> 0`. */
  function fnv1a(token) {
    var bytes = encoder.encode(token);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT_VALUE = new Int8Array(128).fill(-1);
  for (var d = 0; d < DIGITS.length; d++) {
    DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;
  }

  /** The numbers of a postings string from index `from`: base-64 digits, 5 data bits each,
   *  lowest first, bit 6 set when another digit follows. Multiplication rather than shifts,
   *  so numbers above 2^31 stay right. */
  function decodeNumbers(str, from) {
    var out = [];
    var n = 0;
    var scale = 1;
    for (var i = from || 0; i < str.length; i++) {
      var c = str.charCodeAt(i);
      var v = c < 128 ? DIGIT_VALUE[c] : -1;
      if (v < 0) {
        throw new Error("bad postings digit " + JSON.stringify(str.charAt(i)));
      }
      n += (v & 31) * scale;
      if (v & 32) {
        scale *= 32;
      } else {
        out.push(n);
        n = 0;
        scale = 1;
      }
    }
    if (scale !== 1) {
      throw new Error("truncated postings");
    }
    return out;
  }

  gs.decode = decodeNumbers;

  function isSingleHan(token) {
    var cp = token.codePointAt(0);
    return token.length === (cp > 0xffff ? 2 : 1) && window.gongduTokenize.isHan(cp);
  }

  /** A token's postings as one value per document number (0: not there; else count · 2 +
   *  title flag). Written either sparse (`docGap value` pairs) or dense (`*`, then one value
   *  per document from 0). */
  function parsePostings(token, str, docs) {
    var values = new Float64Array(docs);
    if (str.charAt(0) === "*") {
      var dense = decodeNumbers(str, 1);
      if (dense.length > docs) {
        throw new Error("postings for " + token + " run past the last document");
      }
      values.set(dense);
    } else {
      var nums = decodeNumbers(str, 0);
      if (nums.length % 2 !== 0) {
        throw new Error("truncated postings for " + token);
      }
      var doc = 0;
      for (var i = 0; i < nums.length; i += 2) {
        doc += nums[i];
        if (doc >= docs) {
          throw new Error("postings for " + token + " run past the last document");
        }
        values[doc] = nums[i + 1];
      }
    }
    return { single: isSingleHan(token), values: values };
  }

  var postingsCache = new Map();
  var bigGroups = null;

  /** The groups of tokens whose postings have files of their own (`search/b/<group>.js`). */
  function isBigGroup(group, config) {
    if (!bigGroups) {
      bigGroups = new Set();
      var at = 0;
      decodeNumbers(String(config.big || ""), 0).forEach(function (gap) {
        at += gap;
        bigGroups.add(at);
      });
    }
    return bigGroups.has(group);
  }

  /** token → postings string from a data file registered under `table[key]`. */
  function lookUp(table, key, token, what) {
    var obj = table[key];
    if (!obj) {
      throw new Error(what + " " + key + " did not register");
    }
    // Own properties only: a token such as "constructor" must not find Object's.
    return Object.prototype.hasOwnProperty.call(obj, token) ? obj[token] : null;
  }

  /** The parsed postings of a token, or null when no document has it. A token in one of the
   *  big groups is looked for in its group's file first (one file to load instead of two);
   *  every other token, and one that shares only its group with big ones, in its shard. */
  function postings(token, config) {
    if (postingsCache.has(token)) {
      return postingsCache.get(token);
    }
    var hash = fnv1a(token);
    var group = hash >>> 12;
    var big = isBigGroup(group, config)
      ? load(siteUrl("search/b/" + group + ".js")).then(function () {
          return lookUp(data.big, group, token, "big postings");
        })
      : Promise.resolve(null);
    var promise = big
      .then(function (found) {
        if (found !== null) {
          return found;
        }
        var n = hash % config.shards;
        return load(siteUrl("search/s/" + n + ".js")).then(function () {
          return lookUp(data.shards, n, token, "shard");
        });
      })
      .then(function (str) {
        return str === null ? null : parsePostings(token, str, config.docs);
      })
      .catch(function (err) {
        postingsCache.delete(token);
        throw err;
      });
    postingsCache.set(token, promise);
    return promise;
  }

  var tripleCache = new Map();

  /** The postings of the indexed triples of a phrase (新质生产力: 新质生, 质生产, …), for
   *  tighter bounds. A triple abc, when indexed, rides in the big postings file of its pair ab
   *  (which the query has loaded for ab); its value is like a bigram's: count in the body · 2
   *  + whether the title holds it. Only some triples are indexed; the others give no bound. */
  function tripleBounds(phrase, config) {
    var chars = Array.from(phrase);
    var out = [];
    for (var i = 0; i + 3 <= chars.length; i++) {
      var lead = chars[i] + chars[i + 1];
      var group = fnv1a(lead) >>> 12;
      if (!isBigGroup(group, config) || !data.big[group]) {
        continue;
      }
      var triple = lead + chars[i + 2];
      if (!tripleCache.has(triple)) {
        var str = lookUp(data.big, group, triple, "big postings");
        tripleCache.set(triple, str === null ? null : parsePostings(triple, str, config.docs));
      }
      if (tripleCache.get(triple)) {
        out.push(tripleCache.get(triple));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Queries.
  // ---------------------------------------------------------------------------------------

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
    // Triples of the phrase's characters (see tripleBounds()): each occurs at least as often
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

  /** Combines the terms' standings in one document (AND): title when every term with a say
   *  is in the title, body the sum. */
  function combine(doc, standings) {
    var title = true;
    var body = 0;
    var exact = true;
    for (var i = 0; i < standings.length; i++) {
      var s = standings[i];
      if (s.title === false) {
        title = false;
      }
      body += s.body;
      exact = exact && s.exact;
    }
    return { doc: doc, title: title, body: body, exact: exact };
  }

  /** Ranking order: title hits first, then more body matches, then the newer document. */
  function before(a, b) {
    if (a.title !== b.title) {
      return a.title ? -1 : 1;
    }
    if (a.body !== b.body) {
      return b.body - a.body;
    }
    return a.doc - b.doc;
  }

  /** A document's text from its spelling in the site's alphabet: ASCII characters are
   *  base-64 digits of a number in the alphabet (as in postings), any other character stands
   *  for itself. */
  function spellBack(spelled, alphabet) {
    var out = [];
    var n = 0;
    var scale = 1;
    for (var i = 0; i < spelled.length; i++) {
      var c = spelled.charCodeAt(i);
      if (c >= 128) {
        if (scale !== 1) {
          throw new Error("a character inside a number");
        }
        out.push(spelled.charAt(i));
        continue;
      }
      var v = DIGIT_VALUE[c];
      if (v < 0) {
        throw new Error("bad text digit " + JSON.stringify(spelled.charAt(i)));
      }
      n += (v & 31) * scale;
      if (v & 32) {
        scale *= 32;
      } else {
        if (n >= alphabet.length) {
          throw new Error("character " + n + " is not in the alphabet");
        }
        out.push(alphabet[n]);
        n = 0;
        scale = 1;
      }
    }
    return out.join("");
  }

  /** The text and row of document `n`; rejects when its file cannot be loaded. */
  function docFile(n) {
    var file = data.docs[n] ? Promise.resolve() : load(siteUrl("search/x/" + n + ".js"));
    var alphabet = data.alphabet ? Promise.resolve() : load(siteUrl("search/alphabet.js"));
    return Promise.all([file, alphabet]).then(function () {
      var doc = data.docs[n];
      if (!doc || !data.alphabet) {
        throw new Error("document " + n + " did not register");
      }
      if (doc.text === null) {
        doc.text = spellBack(String(doc.spelled || ""), data.alphabet);
      }
      return doc;
    });
  }

  // A candidate's place in the ranking as one number, so that thousands sort fast as a typed
  // array: title hits first, then more body matches, then the lower document number (the
  // newer), and in the lowest bit whether the standing is only an upper bound.
  var DOC_SPAN = 16777216; // 2^24 documents
  var BODY_CAP = 134217727; // 2^27 − 1 matches in one body
  var NO_TITLE = 134217728; // 2^27, in units of DOC_SPAN

  function rankKey(title, body, doc, exact) {
    var rest = (title ? 0 : NO_TITLE) + (BODY_CAP - Math.min(body, BODY_CAP));
    return (rest * DOC_SPAN + doc) * 2 + (exact ? 0 : 1);
  }

  function fromKey(key) {
    var exact = key % 2 === 0;
    var half = (key - (exact ? 0 : 1)) / 2;
    var doc = half % DOC_SPAN;
    var rest = (half - doc) / DOC_SPAN;
    var title = rest < NO_TITLE;
    return { doc: doc, title: title, body: BODY_CAP - (title ? rest : rest - NO_TITLE), exact: exact };
  }

  /** The matches of a query in ranking order, produced on demand. Candidates (documents
   *  holding every token) are sorted by their upper bounds from the postings; a candidate
   *  whose standing is not exact is confirmed against its text, in that order, and a
   *  confirmed match is released as soon as no unconfirmed candidate could rank above it.
   *  So showing the first page confirms about a page of candidates, not all of them. */
  function Ranking(terms, keys, bodyOffset) {
    this.terms = terms;
    this.keys = keys; // sorted rankKey()s of the candidates
    this.total = keys.length;
    this.bodyOffset = bodyOffset;
    this.cursor = 0; // next candidate to confirm
    this.ready = []; // confirmed, exact, sorted; not released yet
    this.released = [];
    this.confirmed = 0;
    this.rejected = 0;
    this.open = 0; // unconfirmed candidates from the cursor on
    for (var i = 0; i < keys.length; i++) {
      this.open += keys[i] % 2;
    }
    var wanted = new Set();
    terms.forEach(function (term) {
      term.tokens.forEach(function (t) {
        wanted.add(t[0]);
      });
    });
    this.wanted = wanted;
  }

  /** Whether every candidate has been confirmed or rejected. */
  Ranking.prototype.settled = function () {
    return this.cursor >= this.total;
  };

  /** {n, exact}: the number of matches, exact when no unconfirmed candidate is left, else
   *  estimated from the share of candidates confirmed so far. */
  Ranking.prototype.count = function () {
    var sure = this.released.length + this.ready.length + (this.total - this.cursor - this.open);
    var tried = this.confirmed + this.rejected;
    var share = tried === 0 ? 1 : this.confirmed / tried;
    return { n: sure + Math.round(this.open * share), exact: this.open === 0 };
  };

  Ranking.prototype.insert = function (match) {
    var ready = this.ready;
    var at = ready.length;
    while (at > 0 && before(match, ready[at - 1]) < 0) {
      at -= 1;
    }
    ready.splice(at, 0, match);
  };

  /** Releases what can be released; true when `want` matches are out or nothing is left. */
  Ranking.prototype.release = function (want) {
    while (this.released.length < want && this.ready.length > 0) {
      if (this.cursor < this.total && before(fromKey(this.keys[this.cursor]), this.ready[0]) < 0) {
        return false;
      }
      this.released.push(this.ready.shift());
    }
    return this.released.length >= want || (this.settled() && this.ready.length === 0);
  };

  /** Resolves with the first `want` matches (fewer when there are no more). */
  Ranking.prototype.take = function (want, previousBatch) {
    var self = this;
    if (self.release(want)) {
      return Promise.resolve(self.released.slice(0, want));
    }
    // The next batch, its documents loaded at once: as many candidates as matches are still
    // wanted, and twice the last batch when that was not enough (the upper bounds were
    // loose), so that a hard query takes a few rounds rather than many.
    var batch = [];
    var size = Math.max(1, want - self.released.length, 2 * (previousBatch || 0));
    while (self.cursor < self.total && batch.length < size) {
      var c = fromKey(self.keys[self.cursor++]);
      self.open -= c.exact ? 0 : 1;
      batch.push(c);
    }
    return Promise.all(
      batch.map(function (c) {
        return c.exact ? null : docFile(c.doc);
      })
    ).then(function (docs) {
      batch.forEach(function (c, i) {
        if (c.exact) {
          self.insert(c);
          return;
        }
        var match = self.confirm(c, docs[i]);
        if (match) {
          self.confirmed += 1;
          self.insert(match);
        } else {
          self.rejected += 1;
        }
      });
      return self.take(want, batch.length);
    });
  };

  /** The exact standing of candidate `c` in its document's text, or null. */
  Ranking.prototype.confirm = function (c, doc) {
    var bodyOffset = this.bodyOffset;
    var positions = null;
    var standings = [];
    for (var i = 0; i < this.terms.length; i++) {
      var term = this.terms[i];
      var s = termBound(term, c.doc);
      if (!s.exact) {
        var found;
        if (term.phrase && inPlainText(doc)) {
          found = phraseInText(term.phrase, doc);
        } else {
          positions = positions || documentPositions(doc, this.wanted, bodyOffset);
          found = termInText(term, positions, bodyOffset);
        }
        if (!found) {
          return null;
        }
        s = { title: found.title, body: found.body, exact: true };
      }
      standings.push(s);
    }
    return combine(c.doc, standings);
  };

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

  function topicIndex(config, topic) {
    if (!topic) {
      return -1;
    }
    return (config.topics || []).indexOf(topic);
  }

  /** Each document's topic (one character per document), loaded when a filter needs it. */
  function docTopics() {
    if (typeof data.docTopics === "string") {
      return Promise.resolve(data.docTopics);
    }
    return load(siteUrl("search/topics.js")).then(function () {
      if (typeof data.docTopics !== "string") {
        throw new Error("document topics did not register");
      }
      return data.docTopics;
    });
  }

  /** The ranking of `query`, optionally within one topic (its name):
   *  {terms, ranking}. */
  function search(query, topic) {
    return loadCore().then(function (config) {
      var terms = parseQuery(query);
      var bodyOffset = config.bodyOffset || 256;
      // A site without searchable pages has no shards to look in.
      if (terms.length === 0 || !(config.shards > 0) || !(config.docs > 0)) {
        return { terms: terms, ranking: new Ranking(terms, new Float64Array(0), bodyOffset) };
      }
      var wanted = topicIndex(config, topic);
      var tokens = new Set();
      terms.forEach(function (term) {
        term.tokens.forEach(function (t) {
          tokens.add(t[0]);
        });
      });
      var list = Array.from(tokens);
      return Promise.all(
        list
          .map(function (token) {
            return postings(token, config);
          })
          .concat(wanted >= 0 ? [docTopics()] : [])
      ).then(function (found) {
        var byToken = new Map();
        list.forEach(function (token, i) {
          byToken.set(token, found[i]);
        });
        var missing = false;
        terms.forEach(function (term) {
          term.postings = term.tokens.map(function (t) {
            return byToken.get(t[0]);
          });
          missing = missing || term.postings.indexOf(null) >= 0;
          term.positional = term.postings.filter(function (p) {
            return p && !p.single;
          }).length;
          term.phrase = phraseOf(term);
          term.triples = term.phrase && !missing ? tripleBounds(term.phrase, config) : null;
        });
        var keys = [];
        if (!missing) {
          var topics = wanted >= 0 ? found[list.length] : null;
          var wantedChar = String.fromCharCode(65 + wanted);
          // As combine() does, without allocating: this runs for every document.
          var bound = { title: null, body: 0, exact: true };
          for (var doc = 0; doc < config.docs; doc++) {
            if (topics && topics.charAt(doc) !== wantedChar) {
              continue;
            }
            var all = true;
            var title = true;
            var body = 0;
            var exact = true;
            for (var i = 0; i < terms.length && all; i++) {
              all = termBoundInto(terms[i], doc, bound);
              title = title && bound.title !== false;
              body += bound.body;
              exact = exact && bound.exact;
            }
            if (all) {
              keys.push(rankKey(title, body, doc, exact));
            }
          }
        }
        var sorted = Float64Array.from(keys).sort();
        return { terms: terms, ranking: new Ranking(terms, sorted, bodyOffset) };
      });
    });
  }

  /** For tests and tools: every match, ranked, confirmed one by one. */
  gs.run = function (query, topic) {
    return search(query, topic).then(function (r) {
      return r.ranking.take(Infinity).then(function (matches) {
        return {
          count: matches.length,
          ids: matches.map(function (m) {
            return m.doc;
          }),
        };
      });
    });
  };

  /** [title, url, date_text, topic, section_title] of document `n`. */
  function docInfo(n) {
    return loadCore().then(function () {
      return docFile(n).then(function (doc) {
        return doc.info || ["", "", "", "", ""];
      });
    });
  }

  gs.docInfo = docInfo;

  // ---------------------------------------------------------------------------------------
  // Highlighting and snippets (text nodes and <mark> elements only).
  // ---------------------------------------------------------------------------------------

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

  // ---------------------------------------------------------------------------------------
  // Small helpers.
  // ---------------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function debounce(fn, ms) {
    var timer = 0;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fn.apply(null, args);
      }, ms);
    };
  }

  /** A UI string from a data attribute, with a fallback. */
  function str(node, name, fallback) {
    var value = node && node.getAttribute("data-" + name);
    return value === null || value === undefined ? fallback : value;
  }

  function isTypingTarget(target) {
    if (!target || target === document.body) {
      return false;
    }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function resultsPageUrl(query) {
    return siteUrl("search/index.html") + "?q=" + encodeURIComponent(query);
  }

  // ---------------------------------------------------------------------------------------
  // Header box with quick results.
  // ---------------------------------------------------------------------------------------

  var QUICK_LIMIT = 8;
  var quickIndex = null;
  var quickReady = null;

  function loadQuick() {
    if (!quickReady) {
      quickReady = Promise.all([load(siteUrl("assets/elasticlunr.min.js")), loadTokenizer()])
        .then(function () {
          return load(siteUrl("search/quick.js"));
        })
        .then(function () {
          if (!data.quick || !window.elasticlunr) {
            throw new Error("quick index incomplete");
          }
          // Queries are tokenized by gongduTokenize and handed over as token arrays; the
          // index was built without pipeline functions, so none are registered here either.
          var serialized = Object.assign({}, data.quick.index, { pipeline: [] });
          quickIndex = window.elasticlunr.Index.load(serialized);
          return quickIndex;
        })
        .catch(function (err) {
          quickReady = null;
          throw err;
        });
    }
    return quickReady;
  }

  /** [{label, url, kind}] for what the reader has typed so far. */
  function quickSearch(query) {
    var tokens = window.gongduTokenize(query).map(function (t) {
      return t[0];
    });
    if (tokens.length === 0) {
      return [];
    }
    // AND over all tokens; expand lets a half-typed word ("gd", "劳") find what it starts.
    var hits = quickIndex.search(tokens, { bool: "AND", expand: true });
    var refs = data.quick.refs || {};
    var out = [];
    for (var i = 0; i < hits.length && out.length < QUICK_LIMIT; i++) {
      var ref = Object.prototype.hasOwnProperty.call(refs, hits[i].ref) ? refs[hits[i].ref] : null;
      if (ref) {
        out.push({ label: String(ref[0] || ""), url: String(ref[1] || ""), kind: String(ref[2] || "page") });
      }
    }
    return out;
  }

  var quickCount = 0;

  function setupQuickBox(form) {
    var input = form.querySelector("input[name=q]");
    if (!input) {
      return;
    }
    quickCount += 1;
    var id = input.id || "site-search-q-" + quickCount;
    input.id = id;
    var listId = id + "-list";

    var popup = el("div", "search-box__popup");
    popup.hidden = true;
    var list = el("ul", "search-box__list");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", str(form, "label-quick", "Quick results"));
    popup.appendChild(list);
    form.appendChild(popup);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var shownFor = null;

    function setActive(i) {
      if (active >= 0 && options[active]) {
        options[active].classList.remove("is-active");
        options[active].setAttribute("aria-selected", "false");
      }
      active = i;
      if (active >= 0 && options[active]) {
        options[active].classList.add("is-active");
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function addOption(href, kindText, label, needles, extraClass) {
      var li = el("li", "search-box__option" + (extraClass ? " " + extraClass : ""));
      li.id = listId + "-" + options.length;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = el("a", "search-box__link");
      a.href = href;
      a.tabIndex = -1;
      if (kindText) {
        a.appendChild(el("span", "search-box__kind", kindText));
      }
      var text = el("span", "search-box__label");
      if (needles) {
        appendHighlighted(text, label, needles, false);
      } else {
        text.textContent = label;
      }
      a.appendChild(text);
      li.appendChild(a);
      // Keep the focus in the input while the pointer goes down on an option.
      li.addEventListener("mousedown", function (e) {
        e.preventDefault();
      });
      list.appendChild(li);
      options.push(li);
    }

    function render(query, hits) {
      list.textContent = "";
      options = [];
      active = -1;
      var needles = needlesOf(parseQuery(query));
      hits.forEach(function (hit) {
        var kindText = str(form, "kind-" + hit.kind, "");
        addOption(siteUrl(hit.url), kindText, hit.label, needles, "");
      });
      // Always offer the full-text search last.
      addOption(resultsPageUrl(query), "", str(form, "label-all", "Search all text for") + " “" + query + "”", null, "search-box__option--all");
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
      shownFor = query;
    }

    var update = debounce(function () {
      var query = input.value.trim();
      if (!query) {
        close();
        shownFor = null;
        return;
      }
      loadQuick().then(
        function () {
          // The reader may have typed on while the index loaded.
          if (input.value.trim() !== query || document.activeElement !== input) {
            return;
          }
          render(query, quickSearch(query));
        },
        function () {
          close();
        }
      );
    }, 120);

    input.addEventListener("focus", function () {
      // Load lazily: only readers who use the box pay for the quick index.
      loadQuick().catch(function () {});
      if (input.value.trim() && shownFor === input.value.trim() && options.length) {
        popup.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (e) {
      var open = !popup.hidden && options.length > 0;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!open) {
          if (input.value.trim()) {
            update();
          }
          return;
        }
        e.preventDefault();
        var step = e.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= options.length) {
          next = 0;
        } else if (next < -1) {
          next = options.length - 1;
        }
        setActive(next);
      } else if (e.key === "Enter") {
        if (open && active >= 0) {
          e.preventDefault();
          var link = options[active].querySelector("a");
          close();
          window.location.href = link.href;
        }
        // Otherwise the form submits: the full results page.
      } else if (e.key === "Escape") {
        if (!popup.hidden) {
          e.preventDefault();
          close();
        }
      }
    });
    form.addEventListener("focusout", function (e) {
      if (!form.contains(e.relatedTarget)) {
        close();
      }
    });
    form.addEventListener("submit", function (e) {
      if (!input.value.trim()) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  // ---------------------------------------------------------------------------------------
  // Results page.
  // ---------------------------------------------------------------------------------------

  var PAGE_SIZE = 10;

  function setupResultsPage(page) {
    var form = page.querySelector(".search-page__form");
    var input = page.querySelector("#search-q");
    var select = page.querySelector("#search-topic");
    var status = page.querySelector("#search-status");
    var results = page.querySelector("#search-results");
    var more = page.querySelector("#search-more");
    var empty = page.querySelector("#search-empty");
    var emptyQuery = page.querySelector("#search-empty-query");
    var body = document.body;

    page.classList.add("has-js");
    var noJs = page.querySelector(".search-nojs");
    if (noJs) {
      noJs.hidden = true;
    }
    form.hidden = false;

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var topic = params.get("topic") || "";

    var generation = 0;
    var current = null; // {ranking, needles, shown, config, query}

    function setState(state) {
      body.dataset.searchState = state;
    }

    function setStatus(text) {
      status.textContent = text;
    }

    /** "N results", or "about N results" while some candidates are unconfirmed. */
    function countText(count) {
      var n = count.n;
      if (!count.exact) {
        return str(page, "count-about-prefix", "About ") + n + str(page, "count-suffix", " results");
      }
      if (n === 1) {
        return str(page, "count-one", "1 result");
      }
      return str(page, "count-prefix", "") + n + str(page, "count-suffix", " results");
    }

    function updateUrl(query) {
      var p = new URLSearchParams();
      if (query) {
        p.set("q", query);
      }
      if (topic) {
        p.set("topic", topic);
      }
      var qs = p.toString();
      var target = window.location.pathname + (qs ? "?" + qs : "");
      if (target !== window.location.pathname + window.location.search) {
        try {
          history.replaceState(null, "", target);
        } catch (err) {
          // Some file:// setups refuse URL changes; the results are still right.
        }
      }
    }

    function fillTopics(config) {
      var topics = config.topics || [];
      if (!select || topics.length === 0) {
        if (select) {
          select.closest(".search-page__topic").hidden = true;
        }
        return;
      }
      select.textContent = "";
      var all = el("option", "", str(page, "all-topics", "All topics"));
      all.value = "";
      select.appendChild(all);
      topics.forEach(function (name) {
        var option = el("option", "", name);
        option.value = name;
        select.appendChild(option);
      });
      if (topics.indexOf(topic) < 0) {
        topic = "";
      }
      select.value = topic;
      select.closest(".search-page__topic").hidden = false;
    }

    function renderResult(match, info, text, needles, config) {
      var li = el("li", "search-result");
      var heading = el("h2", "search-result__title");
      var link = el("a", "search-result__link");
      link.href = siteUrl(info[1] || "");
      appendHighlighted(link, info[0] || info[1] || "", needles, true);
      heading.appendChild(link);
      li.appendChild(heading);

      var meta = el("p", "search-result__meta");
      [
        [info[3], "search-result__topic"],
        [info[2], "search-result__date"],
        [info[4], "search-result__section"],
      ].forEach(function (part) {
        if (part[0]) {
          meta.appendChild(el("span", part[1], part[0]));
        }
      });
      if (meta.childNodes.length) {
        li.appendChild(meta);
      }

      if (text) {
        var snippet = el("p", "search-result__snippet");
        appendSnippet(snippet, text, needles, config.snippet || 120);
        li.appendChild(snippet);
      }
      li.setAttribute("data-doc", String(match.doc));
      return li;
    }

    /** Confirms and loads the next PAGE_SIZE matches and appends them. */
    function showMore(gen, focusFirst) {
      var state = current;
      var from = state.shown;
      more.hidden = true;
      return state.ranking
        .take(from + PAGE_SIZE)
        .then(function (matches) {
          var slice = matches.slice(from);
          return Promise.all(
            slice.map(function (m) {
              return docFile(m.doc).catch(function () {
                // A missing document file costs its snippet, not the whole list.
                return { info: null, text: "" };
              });
            })
          ).then(function (docs) {
            return { slice: slice, docs: docs };
          });
        })
        .then(function (loaded) {
          if (gen !== generation) {
            return;
          }
          if (from === 0 && loaded.slice.length === 0) {
            showEmpty(state.query);
            return;
          }
          var firstNew = null;
          loaded.slice.forEach(function (m, i) {
            var doc = loaded.docs[i];
            var info = doc.info || ["", "", "", "", ""];
            var li = renderResult(m, info, doc.text, state.needles, state.config);
            results.appendChild(li);
            firstNew = firstNew || li.querySelector("a");
          });
          state.shown += loaded.slice.length;
          var count = state.ranking.count();
          gs.lastCount = count.n;
          setStatus(countText(count));
          more.hidden = state.shown >= count.n && count.exact;
          if (focusFirst && firstNew) {
            firstNew.focus();
          }
          setState("done");
        });
    }

    function showEmpty(query) {
      setStatus(countText({ n: 0, exact: true }));
      emptyQuery.textContent = query;
      empty.hidden = false;
      setState("empty");
    }

    function run() {
      var query = input.value.trim();
      var gen = ++generation;
      updateUrl(query);
      results.textContent = "";
      more.hidden = true;
      empty.hidden = true;
      current = null;
      if (!query) {
        setStatus(str(page, "hint", ""));
        setState("idle");
        return Promise.resolve();
      }
      setState("loading");
      setStatus(str(page, "loading", "Searching…"));
      // For the benchmark (benches/search.rs): when this query started, and how many it found.
      gs.lastQueryStarted = performance.now();
      return loadCore()
        .then(function (config) {
          return search(query, topic).then(function (r) {
            if (gen !== generation) {
              return;
            }
            current = { ranking: r.ranking, needles: needlesOf(r.terms), shown: 0, config: config, query: query };
            gs.lastCount = 0;
            if (r.ranking.total === 0) {
              showEmpty(query);
              return;
            }
            return showMore(gen, false);
          });
        })
        .catch(function (err) {
          if (gen !== generation) {
            return;
          }
          setStatus(str(page, "error", "The search index could not be loaded."));
          setState("error");
          console.warn("gongdu search:", err);
        });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      run();
    });
    input.addEventListener("input", debounce(run, 250));
    if (select) {
      select.addEventListener("change", function () {
        topic = select.value;
        run();
      });
    }
    more.addEventListener("click", function () {
      if (current) {
        showMore(generation, true).catch(function (err) {
          setStatus(str(page, "error", "The search index could not be loaded."));
          setState("error");
          console.warn("gongdu search:", err);
        });
      }
    });

    // ArrowDown / ArrowUp from the box through the result links and back.
    page.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") {
        return;
      }
      var links = Array.prototype.slice.call(results.querySelectorAll("a.search-result__link"));
      if (links.length === 0) {
        return;
      }
      var at = links.indexOf(document.activeElement);
      if (document.activeElement === input) {
        at = -1;
      } else if (at < 0) {
        return;
      }
      e.preventDefault();
      var next = at + (e.key === "ArrowDown" ? 1 : -1);
      if (next < 0) {
        input.focus();
      } else if (next < links.length) {
        links[next].focus();
      } else if (!more.hidden) {
        more.focus();
      }
    });

    loadCore().then(fillTopics, function () {
      if (select) {
        select.closest(".search-page__topic").hidden = true;
      }
    });
    run();
  }

  // ---------------------------------------------------------------------------------------
  // Start.
  // ---------------------------------------------------------------------------------------

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.search-box"), setupQuickBox);
    var page = document.getElementById("search-page");
    if (page) {
      setupResultsPage(page);
    }
    // "/" jumps to the search box, unless the reader is typing somewhere.
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) {
        return;
      }
      var box = document.getElementById("search-q") || document.querySelector("form.search-box input[name=q]");
      if (box) {
        e.preventDefault();
        box.focus();
        box.select();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
