/* gongdu search — the results page (search/index.html?q=…&topic=…): the form, the status line,
   results with title, topic, date and a marked snippet, "more" paging, the topic filter and
   keyboard walking. The query itself is engine.js's; this file only asks and shows. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var siteUrl = gs.loader.siteUrl;
  var loadCore = gs.index.loadCore;
  var docFile = gs.index.docFile;
  var search = gs.engine.search;
  var needlesOf = gs.highlight.needlesOf;
  var appendHighlighted = gs.highlight.appendHighlighted;
  var appendSnippet = gs.snippet.appendSnippet;
  var el = gs.ui.el;
  var debounce = gs.ui.debounce;
  var str = gs.ui.str;

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

  gs.ui.onReady(function () {
    var page = document.getElementById("search-page");
    if (page) {
      setupResultsPage(page);
    }
  });
})();
