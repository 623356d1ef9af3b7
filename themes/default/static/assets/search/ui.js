/* gongdu search — small DOM helpers both search UIs use (elements, debouncing, UI strings from
   data-* attributes, the results page's URL, start-up) and the "/" key that jumps to a search
   box. The boxes themselves are quick.js's and results.js's. */
(function () {
  "use strict";

  var gs = window.gongduSearch;
  var siteUrl = gs.loader.siteUrl;

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

  /** Runs `fn` once the page is parsed: at once for a deferred script (it runs after parsing). */
  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
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

  gs.ui = { el: el, debounce: debounce, str: str, resultsPageUrl: resultsPageUrl, onReady: onReady };
})();
