/* sitegen: draw the charts and filter tables. No network: everything is in the page. */
(function () {
  "use strict";

  function drawCharts() {
    var boxes = document.querySelectorAll(".chart[data-spec]");
    Array.prototype.forEach.call(boxes, function (box) {
      var source = document.getElementById(box.getAttribute("data-spec"));
      if (!source || !window.vega || !window.vegaLite) { return; }
      try {
        var spec = JSON.parse(source.textContent);
        var compiled = vegaLite.compile(spec).spec;
        var runtime = vega.parse(compiled, null, { ast: true });
        var view = new vega.View(runtime, {
          renderer: "svg", container: box, hover: true,
          expr: window.vegaInterpreter, loader: vega.loader({ mode: "file" })
        });
        view.runAsync().then(function () { box.setAttribute("data-drawn", "true"); });
      } catch (error) {
        box.textContent = "chart error: " + error.message;
        box.setAttribute("data-drawn", "error");
      }
    });
  }

  function customerFilter() {
    var form = document.getElementById("customer-filter");
    var table = document.getElementById("customer-list");
    if (!form || !table) { return; }
    function apply() {
      var member = form.elements.member.value, status = form.elements.status.value, stars = form.elements.stars.value;
      var attention = form.elements.attention.value;
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        if (row.className === "empty-state") { return; }
        var ok = (!member || row.dataset.member === member) && (!status || row.dataset.status === status) &&
                 (!stars || row.dataset.stars === stars) &&
                 (!attention || (row.dataset.attention || "").split(" ").indexOf(attention) >= 0);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      form.elements.count.value = String(shown);
      var empty = table.querySelector("tr.empty-state");
      if (!shown && !empty) {  /* an empty list says so in a sentence */
        empty = document.createElement("tr");
        empty.className = "empty-state";
        var cell = document.createElement("td");
        cell.colSpan = table.tHead.rows[table.tHead.rows.length - 1].cells.length;
        cell.textContent = form.getAttribute("data-none");
        empty.appendChild(cell);
        table.tBodies[0].appendChild(empty);
      } else if (shown && empty) {
        empty.parentNode.removeChild(empty);
      }
      var params = new URLSearchParams();
      if (member) { params.set("member", member); }
      if (status) { params.set("status", status); }
      if (stars) { params.set("stars", stars); }
      if (attention) { params.set("attention", attention); }
      var query = params.toString();
      try { history.replaceState(null, "", query ? "?" + query : location.pathname); } catch (e) { /* file:// may refuse */ }
    }
    var initial = new URLSearchParams(location.search);
    ["member", "status", "stars", "attention"].forEach(function (name) {
      if (initial.get(name)) { form.elements[name].value = initial.get(name); }
    });
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  var hanFold = null;
  function normalise(text) {
    /* NFKC folds full-width forms; the table folds Traditional characters to Simplified, so either
       script finds the other (hanfold.js, loaded by the search page) */
    text = String(text).normalize("NFKC").toLowerCase();
    if (hanFold === null) {
      hanFold = {};
      var pairs = window.SITEGEN_HANFOLD || "";
      for (var i = 0; i + 1 < pairs.length; i += 2) { hanFold[pairs[i]] = pairs[i + 1]; }
    }
    var out = "";
    for (var j = 0; j < text.length; j++) { out += hanFold[text[j]] || text[j]; }
    return out;
  }

  function search() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    if (!input || !list || !window.SITEGEN_SEARCH) { return; }
    var entries = window.SITEGEN_SEARCH.map(function (e) {
      return { entry: e, haystack: normalise(e.t + " " + e.x) };
    });
    var base = document.querySelector("a.brand").getAttribute("href").replace(/index\.html$/, "");
    var LIMIT = 100, showAll = false, lastQuery = null;
    function run() {
      if (input.value !== lastQuery) { showAll = false; lastQuery = input.value; }
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var found = words.length ? entries.filter(function (item) {
        return words.every(function (w) { return item.haystack.indexOf(w) !== -1; });
      }) : [];
      var shown = showAll ? found.length : Math.min(found.length, LIMIT);
      document.getElementById("search-count").value = !words.length ? "" :
        (shown < found.length ? list.getAttribute("data-shown").replace("{shown}", shown).replace("{total}", found.length)
                              : String(found.length));
      try { history.replaceState(null, "", input.value ? "?q=" + encodeURIComponent(input.value) : location.pathname); } catch (e) { /* file:// may refuse */ }
      found.slice(0, shown).forEach(function (item) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = list.getAttribute("data-label-" + item.entry.k) || item.entry.k;
        var link = document.createElement("a");
        link.href = base + item.entry.u;  /* ids are safe slugs: the URL is ours, the text is escaped */
        link.textContent = item.entry.t;
        li.appendChild(kind);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(link);
        if (item.entry.s) {  /* whose, where, what: tells same-named results apart */
          var detail = document.createElement("div");
          detail.className = "small";
          detail.textContent = item.entry.s;
          li.appendChild(detail);
        }
        list.appendChild(li);
      });
      if (shown < found.length) {
        var more = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.id = "search-more";
        button.textContent = list.getAttribute("data-more");
        button.addEventListener("click", function () { showAll = true; run(); });
        more.appendChild(button);
        list.appendChild(more);
      }
      if (words.length && !found.length) {
        var none = document.createElement("li");
        none.textContent = list.getAttribute("data-none");
        list.appendChild(none);
      }
    }
    var initial = new URLSearchParams(location.search).get("q");
    if (initial) { input.value = initial; }
    input.addEventListener("input", run);
    document.getElementById("search-form").addEventListener("submit", function (event) { event.preventDefault(); run(); });
    run();
  }

  /* Every table sorts by any column: a button in each header; figures and dates by the raw value the
     cell carries (data-sort), names by the page language's collation; empty cells always last. */
  function sortableTables() {
    var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
    Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
      var body = table.tBodies[0];
      if (!body || body.rows.length < 2) { return; }
      Array.prototype.forEach.call(table.querySelectorAll("th[data-col]"), function (th) {
        var button = document.createElement("button");
        button.type = "button";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () {
          var column = Number(th.getAttribute("data-col"));
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          function key(row) {
            var cell = row.cells[column];
            if (!cell) { return null; }
            var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
            if (raw === "") { return null; }
            var number = Number(raw);
            return cell.hasAttribute("data-sort") && !isNaN(number) && !/^\d{4}-\d\d-\d\d$/.test(raw) ? number : raw;
          }
          var rows = Array.prototype.slice.call(body.rows).map(function (row, index) { return [key(row), index, row]; });
          rows.sort(function (a, b) {
            if (a[0] === null || b[0] === null) { return a[0] === b[0] ? a[1] - b[1] : (a[0] === null ? 1 : -1); }
            var order = typeof a[0] === "number" && typeof b[0] === "number" ? a[0] - b[0] : collator.compare(String(a[0]), String(b[0]));
            return (ascending ? order : -order) || a[1] - b[1];
          });
          rows.forEach(function (entry) { body.appendChild(entry[2]); });
        });
      });
    });
  }

  /* The header's search box opens the search page with the query in its address (a script, not the
     form's own submission: the pages' security policy allows no form to be sent anywhere). */
  function headerSearch() {
    var form = document.querySelector("form[data-search-form]");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = form.elements.q.value.trim();
      location.href = form.getAttribute("action") + (query ? "?q=" + encodeURIComponent(query) : "");
    });
  }

  /* The language switch keeps what the reader chose: the filters and the query in the address. */
  function keepChoicesAcrossLanguages() {
    Array.prototype.forEach.call(document.querySelectorAll("nav.locales a"), function (link) {
      link.addEventListener("click", function () {
        link.href = link.href.split(/[?#]/)[0] + location.search + location.hash;
      });
    });
  }

  keepChoicesAcrossLanguages();
  headerSearch();
  sortableTables();
  customerFilter();
  search();
  drawCharts();
})();
