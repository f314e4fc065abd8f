// Small behaviours shared by every page; no framework, progressive enhancement only.
(function () {
  "use strict";

  // This script loads async (templates/base.html): what reads the page waits for it.
  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // After a failed submit, move the focus to the form's error summary (role="alert"), whose
  // links lead to the fields in error. Filter forms (GET) keep the focus where it was.
  ready(function () {
    var summary = document.querySelector("form[method=post] [data-error-summary]");
    if (summary) summary.focus();
  });

  // <select data-autosubmit> submits its form when changed (language switcher, page size).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  // <form data-confirm="…"> and <button data-confirm="…"> ask before a destructive action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Checkbox trees: checking a folder checks its children; a folder shows whether its
  // children are all, some or none checked.
  function syncFolder(folder) {
    var box = folder.querySelector("[data-tree-folder]");
    var children = folder.querySelectorAll("[data-tree-child]");
    var checked = Array.prototype.filter.call(children, function (c) { return c.checked; }).length;
    box.checked = checked > 0 && checked === children.length;
    box.indeterminate = checked > 0 && checked < children.length;
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    var folder = target.closest && target.closest("[data-tree]");
    if (!folder) return;
    if (target.hasAttribute("data-tree-folder")) {
      folder.querySelectorAll("[data-tree-child]").forEach(function (c) { c.checked = target.checked; });
    }
    syncFolder(folder);
  });
  ready(function () {
    document.querySelectorAll("[data-tree]").forEach(syncFolder);
  });

  // <input data-customer-search list="customer-options">: fill the datalist with the customers
  // the user may see, matching what was typed (service request form).
  var searchTimer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-customer-search]")) return;
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !list.dataset.searchUrl) return;
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(function () {
      fetch(list.dataset.searchUrl + "?q=" + encodeURIComponent(input.value), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.results.map(function (row) {
            var option = document.createElement("option");
            option.value = row.number;
            option.label = row.name;
            option.textContent = row.name;
            return option;
          }));
        });
    }, 200);
  });
})();
