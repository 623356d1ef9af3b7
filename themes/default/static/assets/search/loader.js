/* gongdu search — the shared namespace `window.gongduSearch`, the registry the data files call
   into (`.config(…)`, `.shard(…)`, `.tail(…)`, `.docs(…)`, `.quick(…)`, …), the inflating of
   the packed ones, and the loading of those files as classic scripts. Listed first wherever
   search runs; how the index is read, queried and shown is left to the other files in
   assets/search/.

   Ground rules, because sites are opened from file:// (USB copies, LAN shares) as often as from
   a web server: no fetch, no modules, no workers, no WebAssembly, nothing from the network —
   data files are classic scripts inserted as <script src>, and the files in assets/search/ are
   classic scripts too, listed with `defer` so that they run in document order and share their
   parts through `gongduSearch`. Pages work without any of them: the header box is an ordinary
   GET form, and the results page says that search needs JavaScript. The data format and the
   query semantics are documented in the README (Search). */
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
    tails: Object.create(null),
    blocks: Object.create(null),
    docs: Object.create(null),
  };

  gs.config = function (obj) {
    data.config = obj;
  };
  gs.quick = function (obj) {
    data.quick = obj;
  };
  // The bulky files (shards, big groups, tails, document blocks) come packed: their JSON
  // deflated and in base 85 (src/search/packed.rs). Inflating is asynchronous, so the calling
  // script's element keeps the promise, and load() resolves only once the data is in place.
  // A ZIM file holds them plain (the JSON itself), since it compresses them anyway.
  function packed(store) {
    return function (key, payload) {
      if (typeof payload !== "string") {
        store[key] = payload;
        return;
      }
      var script = document.currentScript;
      var unpacked = inflate(payload).then(function (json) {
        store[key] = JSON.parse(json);
      });
      if (script) {
        script.gongduUnpacked = unpacked;
      }
    };
  }
  gs.shard = packed(data.shards);
  gs.big = packed(data.big);
  gs.tail = packed(data.tails);
  gs.docs = packed(data.blocks);
  gs.alphabet = function (str) {
    data.alphabet = Array.from(str);
  };
  gs.docTopics = function (str) {
    data.docTopics = str;
  };

  // ---------------------------------------------------------------------------------------
  // Inflating packed data.
  // ---------------------------------------------------------------------------------------

  // Base 85 with RFC 1924's digits, as Python's base64.b85encode writes it: each five
  // characters are four bytes, a big-endian number in base 85; a last run of n characters
  // (2 to 4) is n - 1 bytes, read as if padded with the highest digit. atob reads only base
  // 64, which takes a third more bytes than the data, where this takes a quarter.
  var DIGITS =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
  var DIGIT = new Int8Array(128);
  for (var d = 0; d < 128; d++) {
    DIGIT[d] = DIGITS.indexOf(String.fromCharCode(d));
  }

  function readBase85(text) {
    var tail = text.length % 5;
    if (tail === 1) {
      throw new Error("packed data cut short");
    }
    var bytes = new Uint8Array(((text.length - tail) / 5) * 4 + Math.max(tail - 1, 0));
    var at = 0;
    for (var i = 0; i < text.length; i += 5) {
      var value = 0;
      for (var j = i; j < i + 5; j++) {
        var code = j < text.length ? text.charCodeAt(j) : 126; // "~", the highest digit
        var digit = code < 128 ? DIGIT[code] : -1;
        if (digit < 0) {
          throw new Error("not base 85: " + text.charAt(j));
        }
        value = value * 85 + digit;
      }
      if (value > 0xffffffff) {
        throw new Error("not base 85: " + text.substr(i, 5));
      }
      for (var shift = 24; shift >= 0 && at < bytes.length; shift -= 8) {
        bytes[at++] = (value >>> shift) & 255;
      }
    }
    return bytes;
  }

  function nativeInflater() {
    if (typeof DecompressionStream !== "function" || typeof Response !== "function") {
      return null;
    }
    try {
      return new DecompressionStream("deflate-raw");
    } catch (e) {
      return null; // browsers that know only "gzip" and "deflate"
    }
  }

  /** The text whose raw DEFLATE stream `payload` holds in base 85: the browser's own
   *  decompression where it has one, else inflateRaw below. */
  function inflate(payload) {
    return Promise.resolve(payload).then(function (text) {
      var bytes = readBase85(text);
      var inflater = nativeInflater();
      if (inflater) {
        return new Response(new Blob([bytes]).stream().pipeThrough(inflater)).text();
      }
      return new TextDecoder().decode(inflateRaw(bytes));
    });
  }

  // A raw DEFLATE decoder (RFC 1951) for browsers without DecompressionStream("deflate-raw")
  // (Safari before 16.4, Firefox before 113, Chrome before 103, old WebViews). Written here,
  // small and plain rather than fast, because a page from file:// can load no library and the
  // packed files are small (a query inflates about 100 KB). Codes are read bit by bit against
  // canonical Huffman tables of (count per length, symbols in code order).
  var LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
    67, 83, 99, 115, 131, 163, 195, 227, 258];
  var LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5,
    5, 5, 5, 0];
  var DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
    769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
    10, 11, 11, 12, 12, 13, 13];
  // The order in which a dynamic block lists its code-length code's lengths.
  var LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  function huffman(lengths) {
    var counts = new Uint16Array(16);
    var next = new Uint16Array(16);
    var symbols = new Uint16Array(lengths.length);
    for (var i = 0; i < lengths.length; i++) {
      counts[lengths[i]]++;
    }
    for (var len = 1; len < 15; len++) {
      next[len + 1] = next[len] + counts[len];
    }
    for (i = 0; i < lengths.length; i++) {
      if (lengths[i]) {
        symbols[next[lengths[i]]++] = i;
      }
    }
    return { counts: counts, symbols: symbols };
  }

  var fixedTables = null;

  function fixed() {
    if (!fixedTables) {
      var lengths = [];
      for (var i = 0; i < 288; i++) {
        lengths.push(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
      }
      var distances = [];
      for (i = 0; i < 30; i++) {
        distances.push(5);
      }
      fixedTables = [huffman(lengths), huffman(distances)];
    }
    return fixedTables;
  }

  function inflateRaw(input) {
    var out = new Uint8Array(Math.max(1024, input.length * 4));
    var size = 0;
    var pos = 0;
    var hold = 0;
    var held = 0;

    function bits(n) {
      while (held < n) {
        if (pos >= input.length) {
          throw new Error("packed data ends early");
        }
        hold |= input[pos++] << held;
        held += 8;
      }
      var value = hold & ((1 << n) - 1);
      hold >>>= n;
      held -= n;
      return value;
    }

    function put(byte) {
      if (size === out.length) {
        var bigger = new Uint8Array(out.length * 2);
        bigger.set(out);
        out = bigger;
      }
      out[size++] = byte;
    }

    function decode(table) {
      var code = 0; // the code read so far
      var first = 0; // the first code of the current length
      var index = 0; // where the current length's symbols start
      for (var len = 1; len < 16; len++) {
        code |= bits(1);
        var count = table.counts[len];
        if (code - first < count) {
          return table.symbols[index + code - first];
        }
        index += count;
        first = (first + count) << 1;
        code <<= 1;
      }
      throw new Error("packed data holds a bad code");
    }

    function dynamic() {
      var literals = bits(5) + 257;
      var distances = bits(5) + 1;
      var codeLengths = bits(4) + 4;
      var order = new Uint8Array(19);
      for (var i = 0; i < codeLengths; i++) {
        order[LENGTH_ORDER[i]] = bits(3);
      }
      var lengthCode = huffman(order);
      var lengths = [];
      while (lengths.length < literals + distances) {
        var symbol = decode(lengthCode);
        if (symbol < 16) {
          lengths.push(symbol);
          continue;
        }
        var repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7);
        if (symbol === 16 && !lengths.length) {
          throw new Error("packed data repeats no length");
        }
        var value = symbol === 16 ? lengths[lengths.length - 1] : 0;
        while (repeat--) {
          lengths.push(value);
        }
      }
      if (lengths.length > literals + distances) {
        throw new Error("packed data has too many lengths");
      }
      return [huffman(lengths.slice(0, literals)), huffman(lengths.slice(literals))];
    }

    function codes(tables) {
      for (;;) {
        var symbol = decode(tables[0]);
        if (symbol < 256) {
          put(symbol);
        } else if (symbol === 256) {
          return;
        } else {
          symbol -= 257;
          if (symbol >= 29) {
            throw new Error("packed data has a bad length");
          }
          var length = LENGTH_BASE[symbol] + bits(LENGTH_EXTRA[symbol]);
          var d = decode(tables[1]);
          if (d >= 30) {
            throw new Error("packed data has a bad distance");
          }
          var distance = DISTANCE_BASE[d] + bits(DISTANCE_EXTRA[d]);
          if (distance > size) {
            throw new Error("packed data reaches before its start");
          }
          while (length--) {
            put(out[size - distance]);
          }
        }
      }
    }

    var last;
    do {
      last = bits(1);
      var type = bits(2);
      if (type === 0) {
        hold = 0; // a stored block starts at the next byte
        held = 0;
        if (pos + 4 > input.length) {
          throw new Error("packed data ends early");
        }
        var length = input[pos] | (input[pos + 1] << 8);
        pos += 4;
        if (pos + length > input.length) {
          throw new Error("packed data ends early");
        }
        for (var i = 0; i < length; i++) {
          put(input[pos++]);
        }
      } else if (type === 1) {
        codes(fixed());
      } else if (type === 2) {
        codes(dynamic());
      } else {
        throw new Error("packed data has a bad block type");
      }
    } while (!last);
    return out.subarray(0, size);
  }

  gs.inflateRaw = inflateRaw;
  gs.base85 = readBase85;

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

  /** A <script src> the page itself lists (the results page names the core files after
   *  results.js, so that they load in parallel with the scripts here). Such a script must not
   *  have run before load() is first asked for it: its load event is what load() waits for. */
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
        function fail(error) {
          delete loads[src];
          script.remove();
          reject(error);
        }
        script.addEventListener("load", function () {
          Promise.resolve(script.gongduUnpacked).then(resolve, fail);
        });
        script.addEventListener("error", function () {
          fail(new Error("cannot load " + src));
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

  /** tokenize.js: what both kinds of search need first. */
  function loadTokenizer() {
    if (typeof window.gongduTokenize === "function") {
      return Promise.resolve();
    }
    return load(siteUrl("search/tokenize.js"));
  }

  /** fold.js, the Traditional → Simplified pairs (26 KB): the tokenizer folds nothing until
   *  it has loaded, so it must be here before a text holding a character it folds is
   *  normalised (see `foldFor` in index.js, which asks for it only then). */
  function loadFold() {
    return load(siteUrl("search/fold.js"));
  }

  gs.loader = {
    data: data,
    siteUrl: siteUrl,
    load: load,
    loadTokenizer: loadTokenizer,
    loadFold: loadFold,
  };
})();
