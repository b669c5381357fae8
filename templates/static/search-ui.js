/* notebase search page: the form, the filters and the results list, driven by NotebaseSearch.
 *
 * Reads ?q=, ?type= and ?tag= (so the header's search box can submit here) and keeps them in the
 * address bar as the query changes. Every piece of note text goes in with textContent: nothing from
 * a note is ever parsed as HTML. Works opened from disk: data comes in as <script> files.
 */
(function () {
  "use strict";
  var A = window.NotebaseAnalysis, NS = window.NotebaseSearch;
  var DELAY = 250;  // ms of quiet typing before searching as you type
  var PAGE = 20;  // hits shown at first, and added by each "more" 
  var SAFE = /[A-Za-z0-9\/\-_.~!$&'()*+,;=:@]/;  // what urls.relative leaves unescaped

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Append text with the [start, end] code point spans wrapped in <mark>. */
  function appendMarked(parent, text, spans) {
    var map = A.cpToUnit(text), at = 0;
    spans.forEach(function (span) {
      if (span[0] > at) parent.appendChild(document.createTextNode(A.cpSlice(text, at, span[0], map)));
      parent.appendChild(el("mark", "", A.cpSlice(text, span[0], span[1], map)));
      at = span[1];
    });
    var rest = A.cpSlice(text, at, undefined, map);
    if (rest) parent.appendChild(document.createTextNode(rest));
  }

  function href(root, path) {
    var out = "";
    for (var ch of path) out += SAFE.test(ch) ? ch : encodeURIComponent(ch);
    // From disk a folder link would open a directory listing: point at its index.html.
    if (window.location.protocol === "file:" && /\/$/.test(out)) out += "index.html";
    return root + out;
  }

  function init() {
    var box = document.getElementById("search");
    if (!box || !NS) return;
    var data = box.dataset, root = data.root || "";
    var form = document.getElementById("search-form"), input = document.getElementById("search-q");
    var typeSelect = document.getElementById("search-type"), tagSelect = document.getElementById("search-tag");
    var status = document.getElementById("search-status"), problem = document.getElementById("search-error");
    var also = document.getElementById("search-also"), list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var facets = document.getElementById("search-facets");
    var engine = NS.open(root + "search/data/"), ticket = 0, timer = null, wanted = params(), limit = PAGE;

    function params() {
      var found = { q: "", type: "", tag: "" };
      window.location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
        var cut = pair.indexOf("="), key = cut < 0 ? pair : pair.slice(0, cut);
        if (!Object.prototype.hasOwnProperty.call(found, key)) return;
        try { found[key] = decodeURIComponent((cut < 0 ? "" : pair.slice(cut + 1)).replace(/\+/g, " ")); } catch (e) { /* leave it out */ }
      });
      return found;
    }

    function syncUrl() {
      var parts = [];
      [["q", input.value], ["type", typeSelect.value], ["tag", tagSelect.value]].forEach(function (p) {
        if (p[1]) parts.push(p[0] + "=" + encodeURIComponent(p[1]).replace(/%20/g, "+"));
      });
      try {
        window.history.replaceState(null, "", window.location.pathname + (parts.length ? "?" + parts.join("&") : ""));
      } catch (e) { /* some browsers refuse for file:// pages; the search still works */ }
    }

    function filters() {
      var found = [];
      if (typeSelect.value) found.push({ field: "type", values: [typeSelect.value], negated: false });
      if (tagSelect.value) found.push({ field: "tag", values: [tagSelect.value], negated: false });
      return found;
    }

    function clear() {
      list.textContent = "";
      facets.textContent = "";
      facets.hidden = true;
      more.hidden = true;
      also.textContent = "";
      also.hidden = true;
      problem.textContent = "";
      problem.hidden = true;
    }

    function run(keep) {
      clearTimeout(timer);
      if (keep !== true) limit = PAGE;  // a new query starts at its first page
      syncUrl();
      var mine = ++ticket;
      if (!window.NotebaseQuery.pyStrip(input.value) && !filters().length) {
        clear();
        status.textContent = "";
        return;
      }
      status.textContent = data.loading;
      engine.search(input.value, { limit: limit, filters: filters() }).then(function (results) {
        if (mine === ticket) show(results, keep === true);
      }, function (err) {
        if (mine !== ticket) return;
        clear();
        status.textContent = "";
        problem.textContent = err.message;
        problem.hidden = false;
      });
    }

    function show(results, paging) {
      var before = paging ? links().length : 0;  // after "more", focus moves to the first new hit
      clear();
      var count = results.exact ? String(results.total) : results.total + "–" + results.totalMax;
      status.textContent = results.totalMax ? data.results.replace("{n}", count) : data.none;
      if (results.expansions.length) {
        also.appendChild(el("span", "label", data.also + ": "));
        also.appendChild(document.createTextNode(results.expansions.map(function (x) {
          return x.matched + " → " + x.alternatives.join(", ");
        }).join("; ")));
        also.hidden = false;
      }
      narrow(results.docs || []);
      results.hits.forEach(function (hit) { list.appendChild(item(hit)); });
      // Every hit can be reached: "more" shows the next page below the ones shown.
      var left = results.totalMax - results.hits.length;
      if (left > 0) {
        more.textContent = data.more.replace("{n}", String(Math.min(PAGE, left)));
        more.hidden = false;
      }
      var all = links();
      if (paging && before < all.length) all[before].focus();
    }

    /** Counts of the results by type, year and tag, each a button that narrows the search to it. */
    function narrow(docs) {
      facets.textContent = "";
      facets.hidden = true;
      if (docs.length < 2) return;
      var mine = ticket, types = new Map(), years = new Map();
      docs.forEach(function (d) {
        var type = engine.typeNames[engine.types[d]];
        types.set(type, (types.get(type) || 0) + 1);
        // Dates are days from 0001-01-01 as Python's date.toordinal() counts them; 719163 is 1970-01-01.
        var year = new Date((engine.dates[d] - 719163) * 86400000).getUTCFullYear();
        years.set(year, (years.get(year) || 0) + 1);
      });
      engine.get("tags", "", "tags.js").then(function (tagDocs) {
        if (mine !== ticket) return;  // a newer search has its own counts
        var inside = new Set(docs), tags = [];
        engine.manifest.tags.forEach(function (t) {
          if (!Object.prototype.hasOwnProperty.call(tagDocs, t[0])) return;
          var n = 0;
          NS.decodeDocs(tagDocs[t[0]]).forEach(function (d) { if (inside.has(d)) n++; });
          if (n && n < docs.length) tags.push([t[0], t[1], n]);
        });
        tags.sort(function (a, b) { return b[2] - a[2] || (a[1] < b[1] ? -1 : 1); });
        var groups = [
          [data.narrowTypes, typeSelect.value ? [] : Array.from(types).map(function (t) {
            return [typeName(t[0]), t[1], function () { typeSelect.value = t[0]; run(); }];
          })],
          [data.narrowYears, Array.from(years).sort(function (a, b) { return b[0] - a[0]; }).map(function (y) {
            return [String(y[0]), y[1], function () { input.value = (input.value.trim() + " year:" + y[0]).trim(); run(); }];
          })],
          [data.narrowTags, tagSelect.value ? [] : tags.slice(0, 12).map(function (t) {
            return ["#" + t[1], t[2], function () { tagSelect.value = t[0]; run(); }];
          })],
        ].filter(function (g) { return g[1].length > 1 || (g[1].length === 1 && g[1][0][1] < docs.length); });
        if (!groups.length) return;
        facets.appendChild(el("span", "label", data.narrow + ":"));
        groups.forEach(function (g) {
          var group = el("span", "facet-group");
          group.appendChild(el("span", "facet-name", g[0]));
          g[1].forEach(function (f) {
            var button = el("button", "facet", f[0] + " ");
            button.type = "button";
            button.appendChild(el("span", "count", String(f[1])));
            button.addEventListener("click", f[2]);
            group.appendChild(button);
          });
          facets.appendChild(group);
        });
        facets.hidden = false;
      }, function () { /* no tag data: the counts are only a help */ });
    }

    function typeName(type) {
      return data["type" + type[0].toUpperCase() + type.slice(1)] || type;
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll(".entry-link"));
    }

    // Arrow keys move from the box through the results and back; Enter on a result opens it.
    function arrows(event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var all = links(), at = all.indexOf(document.activeElement);
      if (document.activeElement === input) {
        if (event.key !== "ArrowDown" || !all.length) return;
        all[0].focus();
      } else if (at >= 0) {
        if (event.key === "ArrowDown" && at + 1 < all.length) all[at + 1].focus();
        else if (event.key === "ArrowDown" && !more.hidden) more.focus();
        else if (event.key === "ArrowUp") (at > 0 ? all[at - 1] : input).focus();
      } else if (document.activeElement === more && event.key === "ArrowUp" && all.length) {
        all[all.length - 1].focus();
      } else {
        return;
      }
      event.preventDefault();
    }

    function item(hit) {
      var li = el("li", "entry-item search-hit");
      li.lang = hit.lang === "ko" || hit.lang === "en" ? hit.lang : document.documentElement.lang;
      var meta = el("div", "meta");
      meta.appendChild(el("span", "badge badge-" + hit.type, data["type" + hit.type[0].toUpperCase() + hit.type.slice(1)] || hit.type));
      meta.appendChild(document.createTextNode(" "));
      var time = el("time", "", hit.date);
      time.dateTime = hit.date;
      meta.appendChild(time);
      li.appendChild(meta);
      var link = el("a", "entry-link");
      link.href = href(root, hit.path);
      appendMarked(link, hit.title, hit.titleHighlights);
      li.appendChild(link);
      var snippet = el("p", "summary snippet");
      appendMarked(snippet, hit.snippet, hit.highlights);
      li.appendChild(snippet);
      if (hit.expansions.length) li.appendChild(el("p", "meta search-via", data.via + ": " + hit.expansions.join(", ")));
      if (hit.tags.length) li.appendChild(el("p", "meta search-tags", hit.tags.map(function (t) { return "#" + t; }).join(" ")));
      return li;
    }

    function fill(manifest) {
      manifest.types.forEach(function (t) {
        var option = el("option", "", (data["type" + t[0][0].toUpperCase() + t[0].slice(1)] || t[0]) + " (" + t[1] + ")");
        option.value = t[0];
        typeSelect.appendChild(option);
      });
      manifest.tags.forEach(function (t) {
        var option = el("option", "", "#" + t[1] + " (" + t[2] + ")");
        option.value = t[0];
        tagSelect.appendChild(option);
      });
    }

    input.value = wanted.q;
    status.textContent = data.loading;
    engine.ready().then(function () {
      fill(engine.manifest);
      // ?type= takes the names the query language does (paper, 논문, til, ...), as `type:` would.
      var kind = Array.from(wanted.type.toLowerCase()).filter(function (ch) { return " -_".indexOf(ch) < 0; }).join("");
      typeSelect.value = Object.prototype.hasOwnProperty.call(engine.manifest.typeAliases, kind) ? engine.manifest.typeAliases[kind] : "";
      if (!typeSelect.value) typeSelect.value = "";
      tagSelect.value = window.NotebaseQuery.tagKey(wanted.tag);
      if (!tagSelect.value) tagSelect.value = "";
      status.textContent = "";
      run();
    }, function (err) {
      status.textContent = "";
      problem.textContent = err.message;
      problem.hidden = false;
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, DELAY); });
    typeSelect.addEventListener("change", run);
    tagSelect.addEventListener("change", run);
    more.addEventListener("click", function () { limit += PAGE; run(true); });
    box.addEventListener("keydown", arrows);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
