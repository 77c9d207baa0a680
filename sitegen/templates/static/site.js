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
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var ok = (!member || row.dataset.member === member) && (!status || row.dataset.status === status) &&
                 (!stars || row.dataset.stars === stars);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      form.elements.count.value = String(shown);
      var params = new URLSearchParams();
      if (member) { params.set("member", member); }
      if (status) { params.set("status", status); }
      if (stars) { params.set("stars", stars); }
      var query = params.toString();
      try { history.replaceState(null, "", query ? "?" + query : location.pathname); } catch (e) { /* file:// may refuse */ }
    }
    var initial = new URLSearchParams(location.search);
    ["member", "status", "stars"].forEach(function (name) {
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
    function run() {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var found = words.length ? entries.filter(function (item) {
        return words.every(function (w) { return item.haystack.indexOf(w) !== -1; });
      }) : [];
      document.getElementById("search-count").value = words.length ? String(found.length) : "";
      found.slice(0, 100).forEach(function (item) {
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
        list.appendChild(li);
      });
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

  customerFilter();
  search();
  drawCharts();
})();
