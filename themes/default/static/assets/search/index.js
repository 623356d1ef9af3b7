/* gongdu search — reading the compact full-text index: the core files (config, tokenizer), a
   token's postings from its shard or big-postings file, decoded, and the tail of a split list
   when asked for; the indexed triples of a
   phrase; a document's row and text; each document's topic. What the numbers mean for a query
   is left to match.js, rank.js and engine.js. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var data = gs.loader.data;
  var load = gs.loader.load;
  var loadTokenizer = gs.loader.loadTokenizer;
  var loadFold = gs.loader.loadFold;
  var siteUrl = gs.loader.siteUrl;

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

  /** The set of ascending numbers written as gaps (the first from 0), as config.js lists the
   *  big groups and the characters the folding table folds. */
  function gapSet(str) {
    var set = new Set();
    var at = 0;
    decodeNumbers(String(str || ""), 0).forEach(function (gap) {
      at += gap;
      set.add(at);
    });
    return set;
  }

  var foldable = null;

  /** Whether `text` holds, after NFKC, a code point the folding table folds (the sorted gaps
   *  of `config.foldable`; an index that does not list them is taken to need the table). */
  function needsFold(text, config) {
    if (typeof window.gongduFoldPairs === "string") {
      return false;
    }
    if (typeof config.foldable !== "string") {
      return true;
    }
    if (!foldable) {
      foldable = gapSet(config.foldable);
    }
    for (var ch of String(text).normalize("NFKC")) {
      if (foldable.has(ch.codePointAt(0))) {
        return true;
      }
    }
    return false;
  }

  /** Resolves once every one of `texts` can be normalised as the indexer did: a query or a
   *  document that holds a Traditional character waits for search/fold.js; one written in
   *  Simplified, nearly all of them, does not load it at all. */
  function foldFor(texts, config) {
    return texts.some(function (t) {
      return needsFold(t, config);
    })
      ? loadFold()
      : Promise.resolve();
  }

  function isSingleHan(token) {
    var cp = token.codePointAt(0);
    return token.length === (cp > 0xffff ? 2 : 1) && window.gongduTokenize.isHan(cp);
  }

  /** The values of a postings string (from index `from`) into `values`, one per document
   *  number (0: not there; else count · 2 + title flag), leaving documents it does not hold
   *  as they were. Written either sparse (`docGap value` pairs) or dense (`*`, the first
   *  document holding the token, then one value per document from that one). */
  function readPostings(token, str, from, values) {
    if (str.charAt(from) === "*") {
      var dense = decodeNumbers(str, from + 1);
      var first = dense.length > 0 ? dense[0] : 0;
      if (first + dense.length - 1 > values.length) {
        throw new Error("postings for " + token + " run past the last document");
      }
      for (var k = 1; k < dense.length; k++) {
        if (dense[k]) {
          values[first + k - 1] = dense[k];
        }
      }
    } else {
      readSparse(token, decodeNumbers(str, from), 0, values);
    }
  }

  /** `docGap value` pairs from `nums[from]` on into `values`. */
  function readSparse(token, nums, from, values) {
    if ((nums.length - from) % 2 !== 0) {
      throw new Error("truncated postings for " + token);
    }
    var doc = 0;
    for (var i = from; i < nums.length; i += 2) {
      doc += nums[i];
      if (doc >= values.length) {
        throw new Error("postings for " + token + " run past the last document");
      }
      values[doc] = nums[i + 1];
    }
  }

  /** A token's (or triple's) postings, from the big group `group` or a shard: {single,
   *  values, tail}. `values` has one value per document number (0: not there, or not known
   *  while the tail is not loaded). A common token's list may come as a head (`+`, the
   *  tail's bounds and size, then the documents that rank first for the token alone, sparse)
   *  whose other documents wait in `search/t/<group>.js`; then `tail` says how high those
   *  can stand: {title: whether one has the token in its title, titleCount: the largest
   *  count of those that have, count: the largest count of all, bytes: the tail's length,
   *  share: how many of the documents outside the head hold the token, as a share}. */
  function parsePostings(token, str, docs, group) {
    var values = new Float64Array(docs);
    var tail = null;
    if (str.charAt(0) === "+") {
      var nums = decodeNumbers(str, 1);
      if (nums.length < 4) {
        throw new Error("truncated postings for " + token);
      }
      var headDocs = (nums.length - 4) / 2;
      tail = {
        title: nums[0] > 0,
        titleCount: Math.max(0, nums[0] - 1),
        count: nums[1],
        bytes: nums[2],
        // The share of the documents the head does not hold that hold the token.
        share: docs > headDocs ? Math.min(1, nums[3] / (docs - headDocs)) : 1,
        token: token,
        group: group,
        loading: null,
      };
      readSparse(token, nums, 4, values);
    } else {
      readPostings(token, str, 0, values);
    }
    return { single: isSingleHan(token), values: values, tail: tail };
  }

  /** Loads the tail of postings `p` (see parsePostings) into its values; afterwards `p`
   *  holds every document, as an unsplit list would. */
  function loadTail(p) {
    var tail = p.tail;
    if (!tail) {
      return Promise.resolve(p);
    }
    if (!tail.loading) {
      tail.loading = load(siteUrl("search/t/" + tail.group + ".js")).then(function () {
        var str = lookUp(data.tails, tail.group, tail.token, "postings tails");
        if (str === null) {
          throw new Error("the tail of " + tail.token + " is missing");
        }
        readPostings(tail.token, str, 0, p.values);
        p.tail = null;
        return p;
      });
      tail.loading.catch(function () {
        tail.loading = null;
      });
    }
    return tail.loading;
  }

  var postingsCache = new Map();
  var bigGroups = null;

  /** The groups of tokens whose postings have files of their own (`search/b/<group>.js`). */
  function isBigGroup(group, config) {
    if (!bigGroups) {
      bigGroups = gapSet(config.big);
    }
    return bigGroups.has(group);
  }

  /** The group of a token's big postings: the top `config.bigBits` bits of its hash (1 to
   *  20; 20 in indexes written before the setting). */
  function bigGroup(hash, config) {
    var bits = config.bigBits || 20;
    return hash >>> (32 - bits);
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
    var group = bigGroup(hash, config);
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
        return str === null ? null : parsePostings(token, str, config.docs, group);
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
      var group = bigGroup(fnv1a(lead), config);
      if (!isBigGroup(group, config) || !data.big[group]) {
        continue;
      }
      var triple = lead + chars[i + 2];
      if (!tripleCache.has(triple)) {
        var str = lookUp(data.big, group, triple, "big postings");
        tripleCache.set(triple, str === null ? null : parsePostings(triple, str, config.docs, group));
      }
      if (tripleCache.get(triple)) {
        out.push(tripleCache.get(triple));
      }
    }
    return out;
  }

  /** A document's text from its spelling in the alphabet: ASCII characters are
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

  /** The text and row of document `n`, from the block of documents that holds it
   *  (`search/x/<n / config.block>.js`); rejects when its file cannot be loaded. */
  function docFile(n) {
    if (data.docs[n]) {
      return Promise.resolve(data.docs[n]);
    }
    var size = (data.config && data.config.block) || 1;
    var block = Math.floor(n / size);
    var file = data.blocks[block] ? Promise.resolve() : load(siteUrl("search/x/" + block + ".js"));
    var alphabet = data.alphabet ? Promise.resolve() : load(siteUrl("search/alphabet.js"));
    return Promise.all([file, alphabet]).then(function () {
      var entry = data.blocks[block] && data.blocks[block][n - block * size];
      if (!entry || !data.alphabet) {
        throw new Error("document " + n + " did not register");
      }
      var doc = data.docs[n] || {
        info: entry[0],
        text: spellBack(String(entry[1] || ""), data.alphabet),
      };
      // The row's fields (title, section, …) are shown highlighted, the text is matched.
      return foldFor([doc.text].concat(doc.info || []), data.config || {}).then(function () {
        data.docs[n] = doc;
        return doc;
      });
    });
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

  /** [title, url, date_text, topic, section_title] of document `n`. */
  function docInfo(n) {
    return loadCore().then(function () {
      return docFile(n).then(function (doc) {
        return doc.info || ["", "", "", "", ""];
      });
    });
  }

  gs.docInfo = docInfo;

  gs.index = {
    loadCore: loadCore,
    postings: postings,
    loadTail: loadTail,
    tripleBounds: tripleBounds,
    docFile: docFile,
    docTopics: docTopics,
    foldFor: foldFor,
  };
})();
