/* notebase site script: the light/dark choice, and links that work when the site is opened from disk. */
(function () {
  "use strict";
  var root = document.documentElement;
  try {
    var saved = window.localStorage.getItem("notebase-theme");
    if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  } catch (e) { /* storage may be disabled: follow the system setting */ }

  function dark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  // Folder links (tags/x/) rely on a server serving index.html; from disk, point at the file itself.
  function fixFileLinks() {
    if (window.location.protocol !== "file:") return;
    var fix = function (value) {
      if (!value || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.charAt(0) === "#") return null;
      var cut = value.search(/[?#]/), path = cut < 0 ? value : value.slice(0, cut), rest = cut < 0 ? "" : value.slice(cut);
      return /\/$/.test(path) ? path + "index.html" + rest : null;
    };
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var fixed = fix(links[i].getAttribute("href"));
      if (fixed) links[i].setAttribute("href", fixed);
    }
    var forms = document.querySelectorAll("form[action]");
    for (var j = 0; j < forms.length; j++) {
      var action = fix(forms[j].getAttribute("action"));
      if (action) forms[j].setAttribute("action", action);
    }
  }

  // "/" focuses the search box, as on GitHub and in MkDocs; typed into a field it stays a "/".
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var active = document.activeElement, tag = active ? active.tagName : "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (active && active.isContentEditable)) return;
    var box = document.getElementById("search-q") || document.querySelector(".quick-search input[name=q]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  document.addEventListener("DOMContentLoaded", function () {
    fixFileLinks();
    var toggle = document.querySelector("[data-theme-toggle]");
    if (!toggle) return;
    toggle.setAttribute("aria-pressed", dark() ? "true" : "false");
    toggle.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      toggle.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
      try { window.localStorage.setItem("notebase-theme", next); } catch (e) { /* not kept, still applied */ }
    });
  });
})();
