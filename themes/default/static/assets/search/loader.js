/* gongdu search — the shared namespace `window.gongduSearch`, the registry the data files call
   into (`.config(…)`, `.shard(…)`, `.tail(…)`, `.docs(…)`, `.quick(…)`, …) and the loading of those files as
   classic scripts. Listed first wherever search runs; how the index is read, queried and shown
   is left to the other files in assets/search/.

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
  gs.shard = function (n, obj) {
    data.shards[n] = obj;
  };
  gs.big = function (group, obj) {
    data.big[group] = obj;
  };
  gs.tail = function (group, obj) {
    data.tails[group] = obj;
  };
  gs.docs = function (block, entries) {
    data.blocks[block] = entries;
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
