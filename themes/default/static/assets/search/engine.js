/* gongdu search — a query from text to ranking: its terms' postings loaded, every document
   walked for the candidates holding every token (within a topic when asked), their upper
   bounds sorted into a `Ranking`; and `gongduSearch.run` for tests and tools. Reading the
   index is index.js's, confirming and ordering matches rank.js's, showing them results.js's. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var loadCore = gs.index.loadCore;
  var postings = gs.index.postings;
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
