/* gongdu search — the header search box on every page: as the reader types, a dropdown of
   titles, headings and tags from the elasticlunr quick index (loaded on first focus); Enter on
   the box opens the full results page. Full-text search is results.js's and is never loaded
   here. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var data = gs.loader.data;
  var load = gs.loader.load;
  var loadTokenizer = gs.loader.loadTokenizer;
  var loadFold = gs.loader.loadFold;
  var siteUrl = gs.loader.siteUrl;
  var parseQuery = gs.query.parseQuery;
  var needlesOf = gs.highlight.needlesOf;
  var appendHighlighted = gs.highlight.appendHighlighted;
  var el = gs.ui.el;
  var debounce = gs.ui.debounce;
  var str = gs.ui.str;
  var resultsPageUrl = gs.ui.resultsPageUrl;

  var QUICK_LIMIT = 8;
  var quickIndex = null;
  var quickReady = null;

  function loadQuick() {
    if (!quickReady) {
      // The library's published name carries its content hash; the page says which it is.
      var lunr = document.querySelector("[data-elasticlunr]");
      var lunrPath = lunr ? lunr.getAttribute("data-elasticlunr") : "assets/elasticlunr.min.js";
      // The titles and headings are many and any may be Traditional: the folding table comes
      // with them rather than being asked for label by label.
      quickReady = Promise.all([load(siteUrl(lunrPath)), loadTokenizer(), loadFold()])
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
    // A site without the as-you-type list (`search.quick`) has no quick index to load: the
    // box stays a plain form that opens the results page.
    if (!input || form.getAttribute("data-quick") === "off") {
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

  gs.ui.onReady(function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.search-box"), setupQuickBox);
  });
})();
