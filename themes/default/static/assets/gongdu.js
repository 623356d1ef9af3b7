/* gongdu default theme — optional enhancements only; every page reads fully without this file.
   1. A "print handout" button on articles (printing works from the browser menu anyway).
   2. While printing, open every <details> in the article so nothing folded is lost.
   4. (below) On touch screens a tap on a glossary term shows its definition first. */
(function () {
  "use strict";

  var tools = document.querySelector(".article__tools");
  if (tools && typeof window.print === "function") {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--quiet";
    button.textContent = tools.getAttribute("data-print-label") || "Print";
    button.addEventListener("click", function () {
      window.print();
    });
    tools.appendChild(button);
    tools.hidden = false;
  }

  var reopened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("main details:not([open])");
    for (var i = 0; i < closed.length; i++) {
      closed[i].open = true;
      reopened.push(closed[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    while (reopened.length) {
      reopened.pop().open = false;
    }
  });
})();

/* 3. Study-path progress: a "mark as read" checkbox on articles of a study path, ticks and a
      count on the path's page, and a count for each path on the list of paths. Kept in localStorage (which also works from file://), per site. */
(function () {
  "use strict";

  var store;
  try {
    store = window.localStorage;
    store.getItem("gongdu");
  } catch (e) {
    return; // storage is off: the pages read the same without progress
  }
  function key(site, page) {
    return "gongdu:read:" + site + ":" + page;
  }

  var box = document.querySelector(".study-progress");
  if (box) {
    var site = box.getAttribute("data-progress-site") || "";
    var page = box.getAttribute("data-progress-page") || "";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.className = "study-progress__input";
    input.checked = store.getItem(key(site, page)) === "1";
    input.addEventListener("change", function () {
      if (input.checked) {
        store.setItem(key(site, page), "1");
      } else {
        store.removeItem(key(site, page));
      }
    });
    label.appendChild(input);
    label.appendChild(document.createTextNode(box.getAttribute("data-label") || "Read"));
    box.appendChild(label);
    box.hidden = false;
  }

  // A path's page has one count for its steps; the list of paths has one per path card.
  var summaries = document.querySelectorAll(".path-progress");
  for (var s = 0; s < summaries.length; s++) {
    var summary = summaries[s];
    var scope = summary.closest(".study-path-card") || document;
    var pathSite = summary.getAttribute("data-progress-site") || "";
    var steps = scope.querySelectorAll(".path-step[data-progress-page]");
    var read = 0;
    for (var i = 0; i < steps.length; i++) {
      if (store.getItem(key(pathSite, steps[i].getAttribute("data-progress-page"))) === "1") {
        read++;
        steps[i].className += " is-read";
        var done = steps[i].querySelector(".path-step__done");
        if (done) {
          done.hidden = false;
        }
      }
    }
    summary.textContent =
      (summary.getAttribute("data-label-prefix") || "") + read + (summary.getAttribute("data-label-suffix") || "");
    summary.hidden = false;
  }
})();

/* 4. Glossary terms on touch screens: there is no hover, and the first tap would follow the
      link before the reader saw the definition. The first tap focuses the term instead, which
      shows its tip (CSS :focus-within); a second tap on the same term follows the link. */
(function () {
  "use strict";

  if (!window.matchMedia || !window.matchMedia("(hover: none)").matches) {
    return;
  }
  var armed = null;
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".gd-term__link") : null;
    if (!link) {
      armed = null;
      return;
    }
    if (link !== armed) {
      event.preventDefault();
      armed = link;
      link.focus();
    }
  });
})();
