// The event page's "Your time" line (issue 12): the event's times in the reader's own zone when
// that differs from the zones the page already shows. Without JavaScript the line stays hidden.
(function () {
  "use strict";
  document.querySelectorAll("[data-pp-local-time]").forEach(function (node) {
    var start = new Date(node.dataset.start);
    var end = new Date(node.dataset.end);
    if (isNaN(start) || isNaN(end)) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === "Europe/Berlin") return;
    var lang = document.documentElement.lang || undefined;
    var format = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });
    node.textContent = node.dataset.label + ": " + format.format(start) + " – " + format.format(end) + " (" + zone + ")";
    node.hidden = false;
  });
})();
