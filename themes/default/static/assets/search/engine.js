/* gongdu search — a query from text to ranking: its terms' postings loaded, every document
   walked for the candidates holding every token (within a topic when asked), their upper
   bounds sorted into a `Ranking` (with what loads the tails of split postings, when the
   heads cannot settle it); and `gongduSearch.run` for tests and tools. Reading the
   index is index.js's, confirming and ordering matches rank.js's, showing them results.js's. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var loadCore = gs.index.loadCore;
  var postings = gs.index.postings;
  var loadTail = gs.index.loadTail;
  var tripleBounds = gs.index.tripleBounds;
  var docTopics = gs.index.docTopics;
  var foldFor = gs.index.foldFor;
  var parseQuery = gs.query.parseQuery;
  var termBoundInto = gs.match.termBoundInto;
  var phraseOf = gs.match.phraseOf;
  var rankKey = gs.rank.rankKey;
  var Ranking = gs.rank.Ranking;

  function topicIndex(config, topic) {
    if (!topic) {
      return -1;
    }
    return (config.topics || []).indexOf(topic);
  }

  /** The ranking of `query`, optionally within one topic (its name):
   *  {terms, ranking}. */
  function search(query, topic) {
    return loadCore().then(function (config) {
      return foldFor([query], config).then(function () {
        return rankCandidates(query, topic, config);
      });
    });
  }

  /** What `search` does once the query can be tokenized. */
  function rankCandidates(query, topic, config) {
    var terms = parseQuery(query);
    var bodyOffset = config.bodyOffset || 256;
    // A site without searchable pages has no shards to look in.
    if (terms.length === 0 || !(config.shards > 0) || !(config.docs > 0)) {
      return { terms: terms, ranking: new Ranking(terms, noCandidates(), bodyOffset, null) };
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
      var topics = wanted >= 0 ? found[list.length] : null;
      var walk = function () {
        var walked = candidates(terms, config.docs, topics, String.fromCharCode(65 + wanted));
        var split = tailsOf(terms);
        walked.tailBytes = split.reduce(function (sum, p) {
          return sum + p.tail.bytes;
        }, 0);
        walked.docBytes = config.docBytes || 0;
        // The documents no loaded list holds match at most as often as the rarest token's
        // tail is in the documents outside its head.
        walked.phantomShare = split.reduce(function (least, p) {
          return Math.min(least, p.tail.share);
        }, 1);
        return walked;
      };
      var first = missing ? noCandidates() : walk();
      var expand = function () {
        return Promise.all(tailsOf(terms).map(loadTail)).then(walk);
      };
      // Nothing but documents the loaded heads cannot place: the tails are needed at once.
      var ready = first.keys.length === 0 && first.phantoms > 0 ? expand() : Promise.resolve(first);
      return ready.then(function (c) {
        return { terms: terms, ranking: new Ranking(terms, c, bodyOffset, expand) };
      });
    });
  }

  /** What the walk gives for a query nothing can match. */
  function noCandidates() {
    return { keys: new Float64Array(0), phantom: null, phantoms: 0, vague: null, tailBytes: 0 };
  }

  /** The split postings of a query whose tails are not loaded yet. */
  function tailsOf(terms) {
    var out = [];
    terms.forEach(function (term) {
      term.postings.concat(term.triples || []).forEach(function (p) {
        if (p && p.tail && out.indexOf(p) < 0) {
          out.push(p);
        }
      });
    });
    return out;
  }

  /** Walks every document (within the topic `wantedChar` when `topics` is given) for the
   *  candidates, those holding every token, with their upper bounds as sorted rankKey()s.
   *  Where postings are split and their tails not loaded, a document that none of the loaded
   *  parts holds is not listed: `phantoms` counts those, and `phantom` is the best key one
   *  of them could have (null when there are none), below which nothing is certain until
   *  the tails are loaded. `vague` marks the listed documents whose bounds lean on a tail
   *  (null when none do): confirming one costs its document file. */
  function candidates(terms, docs, topics, wantedChar) {
    // How many values a document has when every one is known.
    var tokens = 0;
    terms.forEach(function (term) {
      tokens += term.postings.length + (term.triples ? term.triples.length : 0);
    });
    var keys = [];
    var phantom = null;
    var phantoms = 0;
    var vague = null;
    // As combine() does, without allocating: this runs for every document.
    var bound = { title: null, body: 0, loose: 0, exact: true, seen: 0 };
    for (var doc = 0; doc < docs; doc++) {
      if (topics && topics.charAt(doc) !== wantedChar) {
        continue;
      }
      var all = true;
      var title = true;
      var body = 0;
      var loose = 0;
      var exact = true;
      var seen = 0;
      for (var i = 0; i < terms.length && all; i++) {
        all = termBoundInto(terms[i], doc, bound);
        title = title && bound.title !== false;
        body += bound.body;
        loose += bound.loose;
        exact = exact && bound.exact;
        seen += bound.seen;
      }
      if (!all) {
        continue;
      }
      // A title hit for every term, or the bound of a document without one.
      var key = rankKey(title, title ? body : loose, doc, exact);
      if (seen > 0) {
        keys.push(key);
        if (!exact && seen < tokens) {
          vague = vague || new Uint8Array(docs);
          vague[doc] = 1;
        }
      } else {
        phantoms += 1;
        phantom = phantom === null ? key : Math.min(phantom, key);
      }
    }
    return { keys: Float64Array.from(keys).sort(), phantom: phantom, phantoms: phantoms, vague: vague };
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

  gs.engine = { search: search };
})();
