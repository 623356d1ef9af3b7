/* gongdu default theme — site search in the browser.

   What this file does:
   1. Defines `window.gongduSearch`, the object every search data file calls into
      (`gongduSearch.config(…)`, `.shard(…)`, `.big(…)`, `.docs(…)`, `.text(…)`, `.quick(…)`).
      It must exist before any of them loads, which is why it is this file that loads them.
   2. The header search box (every page): as the reader types, a dropdown of titles, headings
      and tags from the elasticlunr quick index; Enter on the box opens the full results page.
   3. The results page (search/index.html?q=…&topic=…): full-text search over the compact
      sharded index, with exact phrases, AND of whitespace-separated words, ranking, snippets
      with the matched text marked, a topic filter and "more" paging.

   The data format and the query semantics are the contract in docs/search-format.md.

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
    shards: Object.create(null),
    big: Object.create(null),
    docs: Object.create(null),
    text: Object.create(null),
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
  gs.big = function (id, str) {
    data.big[id] = str;
  };
  gs.docs = function (k, arr) {
    data.docs[k] = arr;
  };
  gs.text = function (id, str) {
    data.text[id] = str;
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

  /** Inserts <script src> once per src; resolves on load, rejects on error (and forgets the
   *  failure, so a later call may try again). */
  function load(src) {
    if (!loads[src]) {
      loads[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () {
          resolve();
        };
        script.onerror = function () {
          delete loads[src];
          script.remove();
          reject(new Error("cannot load " + src));
        };
        (document.head || document.documentElement).appendChild(script);
      });
    }
    return loads[src];
  }

  gs.load = load;

  /** config.js, fold.js and tokenize.js: what both kinds of search need first. */
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
      coreReady = Promise.all([load(siteUrl("search/config.js")), loadTokenizer()]).then(
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

  /** The numbers of a postings string: base-64 digits, 5 data bits each, lowest first, bit 6
   *  set when another digit follows. Multiplication rather than shifts, so numbers above
   *  2^31 stay right. */
  function decodeNumbers(str) {
    var out = [];
    var n = 0;
    var scale = 1;
    for (var i = 0; i < str.length; i++) {
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
    return out;
  }

  gs.decode = decodeNumbers;

  function isSingleHan(token) {
    var cp = token.codePointAt(0);
    return token.length === (cp > 0xffff ? 2 : 1) && window.gongduTokenize.isHan(cp);
  }

  /** {single, docs: [n…], counts: [c…], positions: [[p…]…] (not for single characters)}.
   *  Document numbers and positions are gaps from the previous one, the first one from 0. */
  function parsePostings(token, str) {
    var nums = decodeNumbers(str);
    var single = isSingleHan(token);
    var result = { single: single, docs: [], counts: [], positions: [], index: null };
    var doc = 0;
    var i = 0;
    while (i < nums.length) {
      doc += nums[i++];
      var count = nums[i++];
      result.docs.push(doc);
      result.counts.push(count);
      if (!single) {
        var ps = new Array(count);
        var p = 0;
        for (var j = 0; j < count; j++) {
          p += nums[i++];
          ps[j] = p;
        }
        result.positions.push(ps);
      }
    }
    if (i !== nums.length || nums.some(Number.isNaN)) {
      throw new Error("truncated postings for " + token);
    }
    // Document number → index into the arrays, for intersections.
    result.index = new Map();
    for (var k = 0; k < result.docs.length; k++) {
      result.index.set(result.docs[k], k);
    }
    return result;
  }

  var postingsCache = new Map();

  /** The parsed postings of a token, or null when no document has it. */
  function postings(token, config) {
    if (postingsCache.has(token)) {
      return postingsCache.get(token);
    }
    var n = fnv1a(token) % config.shards;
    var promise = load(siteUrl("search/s/" + n + ".js"))
      .then(function () {
        var shard = data.shards[n];
        if (!shard) {
          throw new Error("shard " + n + " did not register");
        }
        // Own properties only: a token such as "constructor" must not find Object's.
        if (!Object.prototype.hasOwnProperty.call(shard, token)) {
          return null;
        }
        var value = shard[token];
        if (typeof value === "number") {
          return load(siteUrl("search/b/" + value + ".js")).then(function () {
            if (typeof data.big[value] !== "string") {
              throw new Error("big postings " + value + " did not register");
            }
            return parsePostings(token, data.big[value]);
          });
        }
        return parsePostings(token, value);
      })
      .catch(function (err) {
        postingsCache.delete(token);
        throw err;
      });
    postingsCache.set(token, promise);
    return promise;
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

  /** Documents matching one term: Map doc → {title, body}. `title` is whether an alignment
   *  starts in the title (null for terms of single characters only, which have no positions),
   *  `body` the number of alignments in the body (for single characters: the count of the
   *  rarest one). */
  function matchTerm(term, postingsByToken, bodyOffset) {
    var entries = term.tokens.map(function (t) {
      return { offset: t[1], postings: postingsByToken.get(t[0]) };
    });
    var result = new Map();
    if (
      entries.some(function (e) {
        return !e.postings;
      })
    ) {
      return result;
    }
    // Walk the rarest token's documents; every other token must be there too.
    var rarest = entries.reduce(function (a, b) {
      return b.postings.docs.length < a.postings.docs.length ? b : a;
    });
    var positional = entries.filter(function (e) {
      return !e.postings.single;
    });
    var singles = entries.filter(function (e) {
      return e.postings.single;
    });
    rarest.postings.docs.forEach(function (doc) {
      var at = entries.map(function (e) {
        return e.postings.index.get(doc);
      });
      if (
        at.some(function (i) {
          return i === undefined;
        })
      ) {
        return;
      }
      if (positional.length === 0) {
        var least = Infinity;
        singles.forEach(function (e) {
          least = Math.min(least, e.postings.counts[e.postings.index.get(doc)]);
        });
        result.set(doc, { title: null, body: least });
        return;
      }
      // Candidate bases b from the token with the fewest positions in this document: the
      // term's first token would sit at b, and token t (term position pt) at b + pt.
      var lists = positional.map(function (e) {
        return { offset: e.offset, list: e.postings.positions[e.postings.index.get(doc)] };
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
      if (title || body > 0) {
        result.set(doc, { title: title, body: body });
      }
    });
    return result;
  }

  function topicIndex(config, topic) {
    if (!topic) {
      return -1;
    }
    return (config.topics || []).indexOf(topic);
  }

  /** Ranked matches of `query`, optionally within one topic (its name):
   *  [{doc, title, body}], best first. */
  function search(query, topic) {
    return loadCore().then(function (config) {
      var terms = parseQuery(query);
      // A site without searchable pages has no shards to look in.
      if (terms.length === 0 || !(config.shards > 0) || !(config.docs > 0)) {
        return { terms: terms, matches: [] };
      }
      var tokens = new Set();
      terms.forEach(function (term) {
        term.tokens.forEach(function (t) {
          tokens.add(t[0]);
        });
      });
      var list = Array.from(tokens);
      return Promise.all(
        list.map(function (token) {
          return postings(token, config);
        })
      ).then(function (found) {
        var byToken = new Map();
        list.forEach(function (token, i) {
          byToken.set(token, found[i]);
        });
        var bodyOffset = config.bodyOffset || 256;
        var perTerm = terms.map(function (term) {
          return matchTerm(term, byToken, bodyOffset);
        });
        // AND: walk the smallest term's documents.
        var smallest = perTerm.reduce(function (a, b) {
          return b.size < a.size ? b : a;
        });
        var wanted = topicIndex(config, topic);
        var wantedChar = wanted >= 0 ? String.fromCharCode(65 + wanted) : null;
        var docTopics = config.docTopics || "";
        var matches = [];
        smallest.forEach(function (_, doc) {
          if (topic && docTopics.charAt(doc) !== wantedChar) {
            return;
          }
          var allTitle = true;
          var body = 0;
          for (var i = 0; i < perTerm.length; i++) {
            var m = perTerm[i].get(doc);
            if (!m) {
              return;
            }
            // Terms of single characters have no positions and so no say on title hits.
            if (m.title === false) {
              allTitle = false;
            }
            body += m.body;
          }
          matches.push({ doc: doc, title: allTitle, body: body });
        });
        matches.sort(function (a, b) {
          if (a.title !== b.title) {
            return a.title ? -1 : 1;
          }
          if (a.body !== b.body) {
            return b.body - a.body;
          }
          return a.doc - b.doc;
        });
        return { terms: terms, matches: matches };
      });
    });
  }

  /** For tests and tools: ranked document numbers. */
  gs.run = function (query, topic) {
    return search(query, topic).then(function (r) {
      return {
        count: r.matches.length,
        ids: r.matches.map(function (m) {
          return m.doc;
        }),
      };
    });
  };

  /** [title, url, date_text, topic, section_title] of document `n`. */
  function docInfo(n) {
    return loadCore().then(function (config) {
      var chunk = config.chunk || 32;
      var k = Math.floor(n / chunk);
      return load(siteUrl("search/d/" + k + ".js")).then(function () {
        var rows = data.docs[k] || [];
        return rows[n - k * chunk] || ["", "", "", "", ""];
      });
    });
  }

  gs.docInfo = docInfo;

  /** Plain text of document `n` ("" when its file cannot be loaded: a snippet is not worth
   *  failing the whole result list for). */
  function docText(n) {
    return load(siteUrl("search/x/" + n + ".js")).then(
      function () {
        return typeof data.text[n] === "string" ? data.text[n] : "";
      },
      function () {
        return "";
      }
    );
  }

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
    var norm = "";
    var map = [];
    var normalize = window.gongduTokenize.normalize;
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      var n = c.length === 1 && c.charCodeAt(0) < 0x80 ? c.toLowerCase() : normalize(c);
      norm += n;
      for (var j = 0; j < n.length; j++) {
        map.push(i);
      }
    }
    return { chars: chars, norm: norm, map: map };
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

  /** Up to `length` characters of `text` around the first match, into `parent`. */
  function appendSnippet(parent, text, needles, length) {
    // Runs of whitespace (paragraph breaks in the plain text) read as one space here.
    text = String(text || "")
      .replace(/\s+/g, " ")
      .trim();
    var nt = normalizedText(text);
    var ranges = findRanges(nt, needles, true);
    var total = nt.chars.length;
    var start = 0;
    if (ranges.length > 0) {
      // A little context before the match, most of the room after it.
      start = Math.max(0, ranges[0][0] - Math.floor(length / 4));
    }
    var end = Math.min(total, start + length);
    start = Math.max(0, Math.min(start, end - length));
    if (start > 0) {
      parent.appendChild(document.createTextNode("…"));
    }
    appendMarked(parent, nt.chars, start, end, ranges);
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

  var PAGE_SIZE = 20;

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
    var current = null; // {matches, needles, shown, config}

    function setState(state) {
      body.dataset.searchState = state;
    }

    function setStatus(text) {
      status.textContent = text;
    }

    function countText(n) {
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

    /** Loads the docs and texts of the next PAGE_SIZE matches and appends them. */
    function showMore(gen, focusFirst) {
      var state = current;
      var slice = state.matches.slice(state.shown, state.shown + PAGE_SIZE);
      more.hidden = true;
      return Promise.all(
        slice.map(function (m) {
          return Promise.all([docInfo(m.doc), docText(m.doc)]);
        })
      ).then(function (loaded) {
        if (gen !== generation) {
          return;
        }
        var firstNew = null;
        slice.forEach(function (m, i) {
          var li = renderResult(m, loaded[i][0], loaded[i][1], state.needles, state.config);
          results.appendChild(li);
          firstNew = firstNew || li.querySelector("a");
        });
        state.shown += slice.length;
        more.hidden = state.shown >= state.matches.length;
        if (focusFirst && firstNew) {
          firstNew.focus();
        }
        setState("done");
      });
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
            current = { matches: r.matches, needles: needlesOf(r.terms), shown: 0, config: config };
            gs.lastCount = r.matches.length;
            if (r.matches.length === 0) {
              setStatus(countText(0));
              emptyQuery.textContent = query;
              empty.hidden = false;
              setState("empty");
              return;
            }
            setStatus(countText(r.matches.length));
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
