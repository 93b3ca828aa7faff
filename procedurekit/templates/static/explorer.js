/* procedurekit: filters, search and sorting for comparison matrices; the explorer's search page.
   No dependencies; works from file:// (the search index is a script, not a fetched file). */
(function () {
  "use strict";
  var RANK = {"looser": 0, "depends-on-reading": 1, "removed": 2, "changed": 3, "not-comparable": 4,
              "added": 5, "stricter": 6, "same": 7, "": 8};

  function norm(text) { return (text || "").toLowerCase().replace(/\s+/g, " ").trim(); }

  function setUpMatrix(root) {
    var table = root.querySelector("table.matrix");
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var boxes = root.querySelectorAll("input.class-filter");
    var search = root.querySelector("input.search");
    var topic = root.querySelector("select.topic");
    var status = root.querySelector(".status");

    function apply() {
      var on = {};
      boxes.forEach(function (b) { on[b.value] = b.checked; });
      var words = norm(search && search.value).split(" ").filter(Boolean);
      var wanted = topic ? topic.value : "";
      var shown = 0;
      rows.forEach(function (tr) {
        var visible = 0;
        tr.querySelectorAll("td.cell[data-change]").forEach(function (td) {
          var off = on[td.getAttribute("data-change")] === false;
          td.classList.toggle("off", off);
          if (!off) { visible += 1; }
        });
        var text = tr.getAttribute("data-search") || norm(tr.textContent);
        tr.setAttribute("data-search", text);
        var matches = words.every(function (w) { return text.indexOf(w) >= 0; });
        var inTopic = !wanted || (" " + tr.getAttribute("data-topics") + " ").indexOf(" " + wanted + " ") >= 0;
        var show = visible > 0 && matches && inTopic;
        tr.classList.toggle("hidden", !show);
        if (show) { shown += 1; }
      });
      if (status) { status.textContent = shown + " of " + rows.length + " rules shown"; }
      root.setAttribute("data-ready", "yes");
    }

    function sortBy(th) {
      var col = th.getAttribute("data-col");
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      function key(tr) {
        if (col === "rule") { return norm(tr.cells[0].textContent); }
        var td = tr.querySelector('td[data-col="' + col + '"]');
        var change = td ? td.getAttribute("data-change") || "" : "";
        return String(RANK[change] === undefined ? 9 : RANK[change]) + norm(tr.cells[0].textContent);
      }
      var sorted = rows.slice().sort(function (a, b) {
        var ka = key(a), kb = key(b);
        return (ka < kb ? -1 : ka > kb ? 1 : 0) * (dir === "ascending" ? 1 : -1);
      });
      sorted.forEach(function (tr) { body.appendChild(tr); });
    }

    boxes.forEach(function (b) { b.addEventListener("change", apply); });
    if (search) { search.addEventListener("input", apply); }
    if (topic) { topic.addEventListener("change", apply); }
    table.querySelectorAll("th button.sort").forEach(function (button) {
      button.addEventListener("click", function () { sortBy(button.closest("th")); });
    });
    var asked = /[?&]topic=([a-z-]+)/.exec(window.location.search || "");
    if (topic && asked) { topic.value = asked[1]; }
    apply();
  }

  function setUpSearch(root) {
    var input = root.querySelector("input[type=search]");
    var list = root.querySelector("ol.results");
    var status = root.querySelector(".status");
    var index = window.PROCEDUREKIT_SEARCH || [];
    var prefix = root.getAttribute("data-prefix") || "";
    function run() {
      var words = norm(input.value).split(" ").filter(Boolean);
      list.innerHTML = "";
      if (!words.length) { status.textContent = "Type to search " + index.length + " rules, quotes and roles."; return; }
      var found = index.filter(function (entry) {
        return words.every(function (w) { return entry.text.indexOf(w) >= 0; });
      });
      found.slice(0, 200).forEach(function (entry) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = prefix + entry.url;
        a.textContent = entry.title;
        li.appendChild(a);
        var p = document.createElement("p");
        p.className = "muted";
        p.textContent = entry.kind + " in " + entry.procedure + (entry.snippet ? ": " + entry.snippet : "");
        li.appendChild(p);
        list.appendChild(li);
      });
      status.textContent = found.length + " found" + (found.length > 200 ? " (first 200 shown)" : "");
    }
    input.addEventListener("input", run);
    var asked = /[?&]q=([^&]*)/.exec(window.location.search || "");
    if (asked) { input.value = decodeURIComponent(asked[1].replace(/\+/g, " ")); }
    run();
    root.setAttribute("data-ready", "yes");
  }

  document.querySelectorAll("[data-matrix]").forEach(setUpMatrix);
  document.querySelectorAll("[data-site-search]").forEach(setUpSearch);
}());
