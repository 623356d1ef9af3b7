/* gongdu default theme — optional enhancements only; every page reads fully without this file.
   1. A "print handout" button on articles (printing works from the browser menu anyway).
   2. While printing, open every <details> in the article so nothing folded is lost. */
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
    var closed = document.querySelectorAll(".prose details:not([open])");
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
