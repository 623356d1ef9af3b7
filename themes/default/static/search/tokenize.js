/* gongdu search tokenizer: the browser half of the tokenizer in src/search/tokenize.rs.
   Both must give the same tokens and positions for every text (tests/search_parity.rs
   checks this on edge cases); the rules are in docs/search-format.md:

     1. NFKC;
     2. Traditional → Simplified, one code point at a time, with the pairs of search/fold.js
        (`gongduFoldPairs`, OpenCC TSCharacters);
     3. lowercase;
     4. classify each code point as HAN, WORD (letter or number) or SEP;
     5. a lone HAN character is a token, a run of n ≥ 2 gives its n − 1 overlapping bigrams,
        a WORD run is one token;
     6. tokens take consecutive positions, plus one extra wherever separators stand between
        two tokens.

   A classic script (no modules) so it loads from file:// by a plain <script src>. It defines
   one global, `gongduTokenize(text) -> [[token, position], …]`, with two helpers hung on it
   for the search UI: `gongduTokenize.normalize(text)` (steps 1–3) and
   `gongduTokenize.kind(codePoint)` (step 4). */
var gongduTokenize = (function () {
  "use strict";

  var SEP = 0;
  var HAN = 1;
  var WORD = 2;

  // Alphabetic or Numeric, as Rust's char::is_alphabetic() || char::is_numeric()
  // (Numeric there means the general categories Nd, Nl and No, which is \p{N}).
  var WORD_RE = /[\p{Alphabetic}\p{N}]/u;

  // The Han blocks of the contract: URO, extension A, compatibility ideographs and the
  // supplementary-plane extensions B–I.
  function isHan(cp) {
    return (
      (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x2a6df) ||
      (cp >= 0x2a700 && cp <= 0x2ebef) ||
      (cp >= 0x2ebf0 && cp <= 0x2ee5f) ||
      (cp >= 0x30000 && cp <= 0x3134f) ||
      (cp >= 0x31350 && cp <= 0x323af)
    );
  }

  function kind(cp) {
    if (isHan(cp)) {
      return HAN;
    }
    return WORD_RE.test(String.fromCodePoint(cp)) ? WORD : SEP;
  }

  // The folding table is built on first use, not at load time: search/fold.js may arrive
  // after this file. Until it has arrived nothing is cached, so a tokenize() that runs too
  // early folds nothing rather than poisoning every later call.
  var foldMap = null;

  function folds() {
    if (foldMap) {
      return foldMap;
    }
    if (typeof gongduFoldPairs !== "string") {
      return null;
    }
    var map = new Map();
    // Iterate by code point: many simplified forms are outside the BMP (𫝈, 𪠟, …).
    var cps = Array.from(gongduFoldPairs);
    for (var i = 0; i + 1 < cps.length; i += 2) {
      map.set(cps[i], cps[i + 1]);
    }
    foldMap = map;
    return map;
  }

  /** NFKC, Traditional → Simplified per code point, lowercase: the text tokens are cut from. */
  function normalize(text) {
    var nfkc = String(text).normalize("NFKC");
    var map = folds();
    var folded = "";
    if (map) {
      for (var ch of nfkc) {
        var to = map.get(ch);
        folded += to === undefined ? ch : to;
      }
    } else {
      folded = nfkc;
    }
    // Lowercase the whole string at once, like Rust's str::to_lowercase(): the final-sigma
    // rule looks at the neighbouring letters.
    return folded.toLowerCase();
  }

  function tokenize(text) {
    var tokens = [];
    var position = 0;
    // Separators seen since the last token; they only count between two tokens.
    var gapPending = false;
    var run = [];
    var runKind = SEP;

    function emit(token) {
      if (gapPending && tokens.length > 0) {
        position += 1;
      }
      gapPending = false;
      tokens.push([token, position]);
      position += 1;
    }

    function flush() {
      if (run.length === 0) {
        return;
      }
      if (runKind === WORD) {
        emit(run.join(""));
      } else if (run.length === 1) {
        emit(run[0]);
      } else {
        for (var i = 0; i + 1 < run.length; i++) {
          emit(run[i] + run[i + 1]);
        }
      }
      run = [];
    }

    for (var ch of normalize(text)) {
      var k = kind(ch.codePointAt(0));
      if (k === SEP) {
        flush();
        gapPending = true;
        continue;
      }
      if (k !== runKind) {
        flush();
        runKind = k;
      }
      run.push(ch);
    }
    flush();
    return tokens;
  }

  tokenize.normalize = normalize;
  tokenize.kind = kind;
  tokenize.isHan = isHan;
  tokenize.SEP = SEP;
  tokenize.HAN = HAN;
  tokenize.WORD = WORD;
  return tokenize;
})();
