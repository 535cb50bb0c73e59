// Lontara live reload: injected into pages by `lontara serve` only, never into `build`.
// Listens to the server's events: reloads this page when it changed (keeping the scroll
// position), swaps stylesheets in place, and shows the diagnostics of a bad edit.
(function () {
  "use strict";
  var KEY = "lontara-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var y = parseInt(saved, 10) || 0;
    window.addEventListener("load", function () { window.scrollTo(0, y); });
    window.scrollTo(0, y);
  }
  function here() {
    var p = location.pathname;
    return p.endsWith("/index.html") ? p.slice(0, -10) : p;
  }
  function reload() {
    sessionStorage.setItem(KEY, String(window.scrollY));
    location.reload();
  }
  function overlay(items) {
    var old = document.getElementById("lontara-overlay");
    if (old) old.remove();
    if (!items || !items.length) return;
    var box = document.createElement("div");
    box.id = "lontara-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#fff5f5;color:#1a1a1a;border-top:4px solid #b00020;padding:1rem 1.25rem;" +
      "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.25)";
    var h = document.createElement("strong");
    h.textContent = "lontara: " + items.length + " error(s); the page shows the last good version";
    box.appendChild(h);
    items.forEach(function (d) {
      var p = document.createElement("pre");
      p.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0";
      // textContent only: a diagnostic quotes what an editor typed.
      p.textContent = d.path + ":" + d.line + ":" + d.column + ": " + d.message +
        (d.hint ? "\n  hint: " + d.hint : "");
      box.appendChild(p);
    });
    (document.body || document.documentElement).appendChild(box);
  }
  function swapCss() {
    var stamp = Date.now();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var url = new URL(l.href);
      url.searchParams.set("lontara", String(stamp));
      l.href = url.toString();
    });
  }
  var source = new EventSource("/__lontara/events");
  source.onmessage = function (e) {
    var m = JSON.parse(e.data);
    if (m.type === "errors") overlay(m.items);
    else if (m.type === "ok") overlay([]);
    else if (m.type === "css") { overlay([]); swapCss(); }
    else if (m.type === "reload") {
      overlay([]);
      if (m.all || m.paths.indexOf(here()) >= 0) reload();
    }
  };
})();
