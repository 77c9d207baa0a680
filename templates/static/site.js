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

  customerFilter();
  drawCharts();
})();
