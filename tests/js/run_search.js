// Run queries through templates/static/search*.js over search data written to disk, for the tests.
// stdin: {"static": dir of the scripts, "data": dir of search/data, "queries": [[text, filters]], "limit": n}
// stdout: one JSON result per query: {hits: [...], total, totalMax, exact, expansions, loaded} or {error}.
// `loaded` lists the data files the query read; each query starts from an empty store when "cold" is set.
"use strict";
const path = require("path");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const NS = require(path.join(input.static, "search-rank.js"));
global.NotebaseSearch = NS;  // the data files call NotebaseSearch.add(...)
let loaded = [];
const load = (rel) => { loaded.push(rel); require(path.join(input.data, rel)); };
let engine = NS.open(null, { load });

(async () => {
  const out = [];
  for (const [text, filters] of input.queries) {
    loaded = [];
    if (input.cold) {
      for (const key of Object.keys(NS._store)) delete NS._store[key];
      for (const key of Object.keys(require.cache)) if (key.startsWith(input.data)) delete require.cache[key];
      engine = NS.open(null, { load });
    }
    try {
      const r = await engine.search(text, { limit: input.limit || 10, filters: filters || [] });
      out.push({ hits: r.hits.map((h) => ({ id: h.id, score: h.score, snippet: h.snippet, highlights: h.highlights,
        titleHighlights: h.titleHighlights, expansions: h.expansions, path: h.path, type: h.type })),
        total: r.total, totalMax: r.totalMax, exact: r.exact, loaded,
        expansions: r.expansions.map((x) => [x.matched, x.alternatives]) });
    } catch (err) {
      out.push({ error: err.message, queryError: err instanceof NS.QueryError });
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err.stack); process.exit(1); });
