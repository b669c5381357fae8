// Call functions of templates/static/*.js for the tests.
// stdin: {"static": dir, "calls": [[module, name, ...args]]}; module is analysis, query, snippet,
// search or glossary (["glossary", concepts, words, dictionary, method] runs
// Glossary(concepts, dictionary)[method or "expand"](words)).
// A name that is not a function returns the value (a Set as a list). Errors come back as {error}.
"use strict";
const path = require("path");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const load = (name) => require(path.join(input.static, name));
const mods = { analysis: load("analysis.js"), query: load("search-query.js"), snippet: load("search-snippet.js"),
  search: load("search-rank.js"), plan: load("search-plan.js") };
const plain = (v) => (v instanceof Set ? Array.from(v) : v);
const out = input.calls.map(([mod, name, ...args]) => {
  try {
    if (mod === "glossary") return new mods.query.Glossary(name, args[1])[args[2] || "expand"](args[0]);
    const value = mods[mod][name];
    return plain(typeof value === "function" ? value(...args) : value);
  } catch (err) {
    return { error: err.message, queryError: err.name === "QueryError" };
  }
});
process.stdout.write(JSON.stringify(out));
