// Partnerportal: small progressive enhancements; every page works without JavaScript.
(() => {
  const narrow = window.matchMedia("(max-width: 40rem)");

  // The header on small screens: one button folds the language, account and main navigation.
  function foldHeader(header) {
    const button = header.querySelector(".pp-menu-button");
    if (!button) return;
    header.classList.add("pp-header--folding");
    button.hidden = false;
    button.addEventListener("click", () => {
      const open = header.classList.toggle("pp-header--open");
      button.setAttribute("aria-expanded", String(open));
    });
    header.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && header.classList.contains("pp-header--open")) {
        header.classList.remove("pp-header--open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  // Filter panels folded on phones are opened on wide screens, where there is room.
  function openWide(details) {
    if (!narrow.matches) details.open = true;
  }

  // A table too wide for a small screen becomes stacked rows: each cell gets its column's name
  // (data-label, read by site.css) unless the template gave one.
  function labelCells(table) {
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) =>
      th.textContent.replace(/\s+/g, " ").trim(),
    );
    table.querySelectorAll("tbody tr").forEach((row) => {
      let column = 0;
      Array.from(row.cells).forEach((cell) => {
        if (!cell.hasAttribute("data-label") && headers[column]) {
          cell.setAttribute("data-label", headers[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }

  // With display changed by CSS some browsers stop announcing a table as one: the roles keep it.
  function keepTableRoles(table) {
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tfoot").forEach((g) => g.setAttribute("role", "rowgroup"));
    table.querySelectorAll("tr").forEach((row) => row.setAttribute("role", "row"));
    table.querySelectorAll("td").forEach((cell) => cell.setAttribute("role", "cell"));
    table.querySelectorAll("th").forEach((cell) => {
      cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
    });
  }

  function stackTables() {
    document.querySelectorAll("main table.kern-table").forEach((table) => {
      if (!table.classList.contains("pp-table--stack")) {
        if (!narrow.matches || table.scrollWidth <= table.clientWidth + 1) return;
        if (!table.querySelector("thead th")) return;
        table.classList.add("pp-table--stack");
      }
      labelCells(table);
      keepTableRoles(table);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-pp-menu]").forEach(foldHeader);
    document.querySelectorAll("details[data-pp-open-wide]").forEach(openWide);
    stackTables();
    narrow.addEventListener("change", stackTables);

    // Buttons that ask before they act (e.g. a revert) carry data-confirm with the question.
    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
