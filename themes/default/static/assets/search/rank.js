/* gongdu search — the ranking order (title hits, then body matches, then the newer document)
   and `Ranking`, which releases matches in that order while confirming candidates against
   their text only as far as the page shows, and loading the tails of split postings only
   when what the page shows needs them. Finding the candidates is engine.js's; one term's
   standing in one document is match.js's. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var docFile = gs.index.docFile;
  var termBound = gs.match.termBound;
  var documentPositions = gs.match.documentPositions;
  var termInText = gs.match.termInText;
  var inPlainText = gs.match.inPlainText;
  var phraseInText = gs.match.phraseInText;
  var singlesInText = gs.match.singlesInText;

  // How a query stays cheap: the index says, per token, which documents hold it, how often,
  // and whether in the title. That ranks the candidates, and is exact for every term of one
  // token (a word, a bigram, Han characters). A term of several tokens (a phrase) is confirmed
  // against the text of a candidate document, which the results page loads anyway to show it:
  // candidates are confirmed best-first, only as many as the page shows (see `Ranking`).

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
    // Documents are numbered oldest first: the higher number is the newer.
    return b.doc - a.doc;
  }

  // A candidate's place in the ranking as one number, so that thousands sort fast as a typed
  // array: title hits first, then more body matches, then the higher document number (the
  // newer, stored as DOC_SPAN − 1 − doc so that it sorts first), and in the lowest bit
  // whether the standing is only an upper bound.
  var DOC_SPAN = 16777216; // 2^24 documents
  // What confirming one document in its text is taken to load when config.js does not say
  // (`docBytes`, written by every index that splits postings).
  var DOC_BYTES = 4096;
  var BODY_CAP = 134217727; // 2^27 − 1 matches in one body
  var NO_TITLE = 134217728; // 2^27, in units of DOC_SPAN

  function rankKey(title, body, doc, exact) {
    var rest = (title ? 0 : NO_TITLE) + (BODY_CAP - Math.min(body, BODY_CAP));
    return (rest * DOC_SPAN + (DOC_SPAN - 1 - doc)) * 2 + (exact ? 0 : 1);
  }

  function fromKey(key) {
    var exact = key % 2 === 0;
    var half = (key - (exact ? 0 : 1)) / 2;
    var newer = half % DOC_SPAN;
    var doc = DOC_SPAN - 1 - newer;
    var rest = (half - newer) / DOC_SPAN;
    var title = rest < NO_TITLE;
    return { doc: doc, title: title, body: BODY_CAP - (title ? rest : rest - NO_TITLE), exact: exact };
  }

  /** The matches of a query in ranking order, produced on demand. Candidates (documents
   *  holding every token) are sorted by their upper bounds from the postings; a candidate
   *  whose standing is not exact is confirmed against its text, in that order, and a
   *  confirmed match is released as soon as no unconfirmed candidate could rank above it.
   *  So showing the first page confirms about a page of candidates, not all of them.
   *
   *  `found` is what engine.js's walk gave: {keys, phantom, phantoms, phantomShare, vague,
   *  tailBytes, docBytes}. Where the postings of
   *  common tokens came split and only their heads are loaded, `phantoms` documents could
   *  not be placed, and none could rank above `phantom`: matches ranking above it are
   *  released, and the first time one is wanted below it, `expand()` loads the tails and
   *  walks again, and the ranking starts over from complete postings (the documents
   *  confirmed so far are loaded already). */
  function Ranking(terms, found, bodyOffset, expand) {
    this.terms = terms;
    this.bodyOffset = bodyOffset;
    this.expand = expand;
    var wanted = new Set();
    terms.forEach(function (term) {
      term.tokens.forEach(function (t) {
        wanted.add(t[0]);
      });
    });
    this.wanted = wanted;
    this.start(found);
  }

  /** Sets the ranking out from a walk's candidates. */
  Ranking.prototype.start = function (found) {
    var keys = found.keys;
    this.keys = keys; // sorted rankKey()s of the candidates
    this.total = keys.length;
    this.phantom = found.phantom;
    this.phantoms = found.phantoms;
    this.phantomShare = found.phantomShare === undefined ? 1 : found.phantomShare;
    this.vague = found.vague;
    this.tailBytes = found.tailBytes || 0;
    this.docBytes = found.docBytes || DOC_BYTES;
    this.vagueTaken = 0; // candidates leaning on a tail, taken to be confirmed
    this.cursor = 0; // next candidate to confirm
    this.ready = []; // confirmed, exact, sorted; not released yet
    this.released = [];
    this.confirmed = 0;
    this.rejected = 0;
    this.open = 0; // unconfirmed candidates from the cursor on
    for (var i = 0; i < keys.length; i++) {
      this.open += keys[i] % 2;
    }
  };

  /** Whether confirming the next `size` candidates in their texts would take the documents
   *  leaning on a tail past what the tails themselves cost to load (config.docBytes a
   *  document): then loading the tails is the cheaper way on. Counts them as taken when not. */
  Ranking.prototype.tooVague = function (size) {
    var vague = this.vagueTaken;
    for (var i = this.cursor; i < this.total && i < this.cursor + size; i++) {
      if (this.vague && this.placed(this.keys[i]) && this.vague[fromKey(this.keys[i]).doc]) {
        vague += 1;
      }
    }
    if (vague > this.vagueTaken && vague * this.docBytes > this.tailBytes) {
      return true;
    }
    this.vagueTaken = vague;
    return false;
  };

  /** Whether a candidate with this key may be confirmed before the tails are loaded. */
  Ranking.prototype.placed = function (key) {
    return this.phantom === null || key < this.phantom;
  };

  /** Whether every candidate has been confirmed or rejected. */
  Ranking.prototype.settled = function () {
    return this.cursor >= this.total && this.phantom === null;
  };

  /** {n, exact}: the number of matches, exact when no unconfirmed candidate is left, else
   *  estimated from the share of candidates confirmed so far. */
  Ranking.prototype.count = function () {
    var sure = this.released.length + this.ready.length + (this.total - this.cursor - this.open);
    var tried = this.confirmed + this.rejected;
    var share = tried === 0 ? 1 : this.confirmed / tried;
    var open = this.open + this.phantoms * this.phantomShare;
    return { n: sure + Math.round(open * share), exact: this.open + this.phantoms === 0 };
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
      var m = this.ready[0];
      if (!this.placed(rankKey(m.title, m.body, m.doc, true))) {
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
    if (self.phantom !== null && self.tooVague(size)) {
      return self.whole(want);
    }
    while (self.cursor < self.total && batch.length < size && self.placed(self.keys[self.cursor])) {
      var c = fromKey(self.keys[self.cursor++]);
      self.open -= c.exact ? 0 : 1;
      batch.push(c);
    }
    if (batch.length === 0 && self.phantom !== null) {
      // What is wanted next could be among the documents the heads did not place.
      return self.whole(want);
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

  /** take(), once the tails are loaded and the ranking has started over from complete
   *  postings. */
  Ranking.prototype.whole = function (want) {
    var self = this;
    return self.expand().then(function (found) {
      self.start(found);
      return self.take(want, 0);
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
      if (!s) {
        return null;
      }
      if (!s.exact) {
        // Single characters are certain from complete postings; from a split list whose tail
        // is not loaded, only the text says whether, and how often, they are there.
        var least = singlesInText(term, doc);
        var found;
        if (least === 0) {
          found = null;
        } else if (term.positional === 0) {
          found = { title: null, body: least };
        } else if (term.phrase && inPlainText(doc)) {
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

  gs.rank = { rankKey: rankKey, Ranking: Ranking };
})();
