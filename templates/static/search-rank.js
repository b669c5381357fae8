/* notebase ranking: Engine.search, a port of Searcher.search (search/searcher.py) and Scorer.score,
 * over the groups of the query plan (search-plan.js).
 *
 * Phrases: the CLI matches a quoted phrase (and a negated word of several terms) with Whoosh
 * positions, slop 1, or 2 when a term is Hangul. The data has no positions; instead every entry
 * that holds all the phrase's terms in one field is a candidate, scored as if the phrase were
 * there (an upper bound: a phrase only ever adds score and coordination). Candidates that reach the
 * page are checked against their own tokenized text (the chunk a hit needs anyway for its snippet)
 * with Whoosh's span rule, rescored, and the page re-sorted, until every entry on it is checked: the
 * page is then exactly the CLI's. The count is exact once the remaining candidates are checked too,
 * which is done when it needs few more chunks; otherwise it is given as a range.
 */
(function (global) {
  "use strict";
  var node = typeof module !== "undefined" && module.exports;
  var NS = node ? require("./search.js") : global.NotebaseSearch;
  var A = node ? require("./analysis.js") : global.NotebaseAnalysis;
  var Q = node ? require("./search-query.js") : global.NotebaseQuery;
  var S = node ? require("./search-snippet.js") : global.NotebaseSnippet;
  if (node) require("./search-plan.js");  // adds NS.plan
  var TOTAL_CHUNKS = 24;  // more text chunks a search may load to make its count exact

  function unique(list) { return Array.from(new Set(list)); }
  function slopOf(terms) { return terms.some(function (t) { return t.charCodeAt(0) >= 0xac00; }) ? 2 : 1; }
  function now() { return typeof performance !== "undefined" ? performance.now() : Date.now(); }

  /** Whoosh's Phrase (SpanNear2, ordered, mindist 1): each term 1..slop positions after the previous. */
  function phraseIn(tokens, terms, slop) {
    var ends = [];
    for (var p = 0; p < tokens.length; p++) if (tokens[p] === terms[0]) ends.push(p);
    for (var i = 1; i < terms.length && ends.length; i++) {
      var kept = [], k = 0;
      for (var b = 0; b < tokens.length; b++) {
        if (tokens[b] !== terms[i]) continue;
        while (k + 1 < ends.length && ends[k + 1] < b) k++;
        if (ends[k] < b && b - ends[k] <= slop) kept.push(b);
      }
      ends = kept;
    }
    return ends.length > 0;
  }

  /**
   * Search: resolves to {query, hits, total, totalMax, exact, expansions, docs, seconds} (docs: every
   * candidate, best first, for the page's counts by type, year and tag); rejects with a
   * QueryError for a bad query. options: limit (10), filters ([{field, values, negated}] from the UI).
   */
  NS.Engine.prototype.search = function (raw, options) {
    options = options || {};
    var self = this, started = now();
    return this.ready().then(function () {
      var query = Q.parse(raw, options.filters || [], self.manifest.typeAliases);
      return new Ranking(self, query, options.limit || 10).run();
    }).then(function (results) {
      results.seconds = (now() - started) / 1000;
      return results;
    });
  };

  function Ranking(engine, query, limit) {
    this.engine = engine;
    this.query = query;
    this.limit = limit;
    this.positive = query.clauses.filter(function (c) { return !c.negated; });
    this.negative = query.clauses.filter(function (c) { return c.negated; });
    this.phraseState = new Map();  // "group:doc" or "-clause:doc" -> whether the phrase is there
  }

  Ranking.prototype.run = function () {
    var self = this, e = this.engine;
    var excluded = unique([].concat.apply([], this.negative.map(function (c) { return c.terms; })));
    var tagged = this.query.filters.some(function (f) { return f.field === "tag"; });
    var topical = this.query.filters.some(function (f) { return f.field === "topic"; });
    return Promise.all([NS.plan(e, this.positive), Promise.all(excluded.map(function (t) { return e.postings(t); })),
      tagged ? e.get("tags", "", "tags.js") : null, topical ? e.get("topics", "", "topics.js") : null]).then(function (got) {
      var plan = got[0];
      self.groups = plan.groups;
      self.slotWeights = plan.slotWeights;
      self.alternatives = plan.alternatives;
      self.expansions = plan.expansions;
      self.wantedTerms = plan.wanted;
      self.lists = e.postingsCache;
      if (topical) self.resolveTopics(got[3]);
      self.keep = self.filters(got[2], got[3]);
      self.score();
      return self.rank();
    });
  };

  /** topic_filters.resolve_topics: each topic filter's names as topic keys (a QueryError for a name that is none). */
  Ranking.prototype.resolveTopics = function (topics) {
    this.query.filters.forEach(function (f) {
      if (f.field !== "topic") return;
      var keys = [];
      f.values.forEach(function (name) {
        var key = Q.findTopic(name, topics);
        if (keys.indexOf(key) < 0) keys.push(key);
      });
      f.values = keys;
    });
  };

  /** searcher._keep for what is certain: filters, and negated words of one term. */
  Ranking.prototype.filters = function (tags, topics) {
    var e = this.engine, self = this, allowed = [], masked = new Set(), dates = [];
    this.negCandidates = [];
    this.query.filters.forEach(function (f) {
      if (f.field === "date") { dates.push(f); return; }
      var docs = new Set();
      if (f.field === "tag") {
        f.values.forEach(function (v) {
          if (Object.prototype.hasOwnProperty.call(tags, v)) NS.decodeDocs(tags[v]).forEach(function (d) { docs.add(d); });
        });
      } else if (f.field === "topic") {
        f.values.forEach(function (v) {
          if (Object.prototype.hasOwnProperty.call(topics.docs, v)) topics.docs[v].forEach(function (d) { docs.add(d); });
        });
      } else {
        var names = f.field === "type" ? e.typeNames : e.langNames, column = f.field === "type" ? e.types : e.langs;
        for (var doc = 0; doc < e.count; doc++) if (f.values.indexOf(names[column[doc]]) >= 0) docs.add(doc);
      }
      if (f.negated) docs.forEach(function (d) { masked.add(d); });
      else allowed.push(docs);
    });
    this.negative.forEach(function (clause) {
      var lists = unique(clause.terms).map(function (t) { return self.lists.get(t); });
      if (clause.terms.length === 1) {
        if (lists[0]) lists[0].docs.forEach(function (docs) { docs.forEach(function (d) { masked.add(d); }); });
        self.negCandidates.push(new Set());
      } else {
        self.negCandidates.push(NS.phraseCandidates(lists, e.fields.length));
      }
    });
    return function (doc) {
      if (masked.has(doc) || allowed.some(function (s) { return !s.has(doc); })) return false;
      var day = e.dates[doc];
      return dates.every(function (f) {
        var inside = f.values.some(function (v) { return v[0] <= day && day <= v[1]; });
        return inside !== f.negated;
      });
    };
  };

  /** Scorer._caps: per field, the fewest times any of a word's pieces occurs in each document. */
  function caps(lists, fields) {
    var out = [];
    for (var f = 0; f < fields; f++) {
      var cap = new Map();
      lists.forEach(function (l) {
        if (!l) return;
        var docs = l.docs[f], tfs = l.tfs[f];
        for (var i = 0; i < docs.length; i++) if (!cap.has(docs[i]) || tfs[i] < cap.get(docs[i])) cap.set(docs[i], tfs[i]);
      });
      out.push(cap);
    }
    return out;
  }

  /** Scorer.fills: a partial group's share of its idf in each document holding PARTIAL_MIN of it, its rarest term among them. */
  Ranking.prototype.fills = function (terms) {
    var e = this.engine, self = this;
    var idfs = terms.map(function (t) { return Math.log(Math.max(e.count, 1) / (e.df(self.lists.get(t)) + 1)) + 1; });
    var whole = idfs.reduce(function (a, b) { return a + b; }, 0), held = new Map();
    terms.forEach(function (t, k) {
      e.holders(self.lists.get(t)).forEach(function (d) { held.set(d, (held.get(d) || 0.0) + idfs[k]); });
    });
    var rarest = e.holders(this.lists.get(terms[idfs.indexOf(Math.max.apply(null, idfs))]));
    var out = new Map(), least = e.manifest.partialMin;
    held.forEach(function (v, d) { if (v / whole >= least && rarest.has(d)) out.set(d, v / whole); });
    return out;
  };

  /** Scorer.score per group: each member document's summed BM25F over the group's terms (times its share, if partial). */
  Ranking.prototype.score = function () {
    var e = this.engine, self = this;
    this.members = this.groups.map(function (group) {
      var scores = new Map(), terms = unique(group.terms), found = [], weights = new Map();
      group.terms.forEach(function (t, i) { weights.set(t, group.weights ? group.weights[i] : 1.0); });
      var bounds = group.capped ? caps(terms.map(function (t) { return self.lists.get(t); }), e.fields.length) : null;
      terms.forEach(function (term) {
        var seen = group.allTerms && terms.length > 1 ? new Set() : null;
        e.addTerm(self.lists.get(term), group.boost * weights.get(term), scores, seen, bounds);
        found.push(seen);
      });
      var docs = Array.from(scores.keys());
      if (group.partial) {
        var share = self.fills(terms);
        group.share = share;
        return new Map(docs.filter(function (d) { return share.has(d); }).map(function (d) { return [d, scores.get(d) * share.get(d)]; }));
      }
      if (found.length && found[0] !== null) docs = docs.filter(function (d) { return found.every(function (s) { return s.has(d); }); });
      if (group.docs) docs = docs.filter(function (d) { return group.docs.has(d); });
      if (group.phrase) {
        var candidates = NS.phraseCandidates(terms.map(function (t) { return self.lists.get(t); }), e.fields.length);
        docs = docs.filter(function (d) { return candidates.has(d); });
      }
      return new Map(docs.map(function (d) { return [d, scores.get(d)]; }));
    });
  };

  /**
   * A document's score as far as its phrases are known, unknown ones counted as present (an upper
   * bound). `unknown`: the score may still fall; `sure`: it is in the results whatever the checks say.
   */
  Ranking.prototype.value = function (doc) {
    var total = 0.0, filled = new Map(), counted = !this.groups.length, certain = counted, unknown = false;
    for (var g = 0; g < this.groups.length; g++) {
      var v = this.members[g].get(doc), group = this.groups[g];
      if (v === undefined) continue;
      var state = group.phrase ? this.phraseState.get(g + ":" + doc) : true;
      if (state === false) continue;
      if (state === undefined) unknown = true; else certain = true;
      total += v;  // in group order, as Python adds them: the same float
      counted = true;
      var part = group.partial ? group.share.get(doc) : 1.0;
      group.slots.forEach(function (s) { if ((filled.get(s) || 0.0) < part) filled.set(s, part); });
    }
    if (!counted) return { member: false };
    var open = false;
    for (var c = 0; c < this.negCandidates.length; c++) {
      if (!this.negCandidates[c].has(doc)) continue;
      var excluded = this.phraseState.get("-" + c + ":" + doc);
      if (excluded === true) return { member: false };
      if (excluded === undefined) open = true;
    }
    // The coordination share: each word's slot weighted by its idf, slots in order, as Python sums them.
    var weights = this.slotWeights, floor = this.engine.manifest.coordFloor, share = 0;
    Array.from(filled.keys()).sort(function (a, b) { return a - b; }).forEach(function (s) {
      if (s < weights.length) share += weights[s] * filled.get(s);
    });
    var whole = weights.reduce(function (a, b) { return a + b; }, 0);
    var score = this.groups.length ? NS.round7(total * (floor + (1 - floor) * (share / whole))) : 0.0;
    return { member: true, score: score, filled: filled, unknown: unknown || open, sure: certain && !open };
  };

  /** Check the phrases a document is a candidate for against its tokenized fields. */
  Ranking.prototype.check = function (docs) {
    var self = this;
    return Promise.all(docs.map(function (doc) {
      return self.engine.tokens(doc).then(function (fields) {
        var holds = function (terms) {
          return fields.some(function (tokens) { return phraseIn(tokens, terms, slopOf(terms)); });
        };
        self.groups.forEach(function (g, i) {
          if (g.phrase && self.members[i].has(doc)) self.phraseState.set(i + ":" + doc, holds(g.terms));
        });
        self.negative.forEach(function (clause, c) {
          if (self.negCandidates[c].has(doc)) self.phraseState.set("-" + c + ":" + doc, holds(clause.terms));
        });
      });
    }));
  };

  Ranking.prototype.rank = function () {
    var self = this, e = this.engine, keep = this.keep, info = new Map(), candidates;
    if (this.groups.length) {
      var seen = new Set();
      this.members.forEach(function (m) { m.forEach(function (_, d) { seen.add(d); }); });
      candidates = Array.from(seen);
    } else {
      candidates = Array.from({ length: e.count }, function (_, d) { return d; });
    }
    candidates = candidates.filter(function (d) {
      if (!keep(d)) return false;
      var v = self.value(d);
      info.set(d, v);
      return v.member;
    });
    // Ties newest first, as in the CLI: documents are numbered oldest first.
    var order = function (a, b) { return info.get(b).score - info.get(a).score || b - a; };
    var settle = function (docs) {
      return self.check(docs).then(function () {
        docs.forEach(function (d) { info.set(d, self.value(d)); });
        candidates = candidates.filter(function (d) { return info.get(d).member; });
      });
    };
    var page = function () {
      candidates.sort(order);
      var open = candidates.slice(0, self.limit).filter(function (d) { return info.get(d).unknown; });
      return open.length ? settle(open).then(page) : null;
    };
    var count = function () {
      var open = candidates.filter(function (d) { return !info.get(d).sure; });
      var chunks = new Set(open.map(function (d) { return e.chunkOf[d]; }).filter(function (c) { return !e.has("text", c); }));
      return open.length && chunks.size <= TOTAL_CHUNKS ? settle(open) : null;
    };
    return Promise.resolve(page()).then(count).then(function () {
      candidates.sort(order);
      var sure = candidates.filter(function (d) { return info.get(d).sure; }).length;
      return Promise.all(candidates.slice(0, self.limit).map(function (d) { return self.hit(d, info.get(d)); }))
        .then(function (hits) {
          return { query: self.query, hits: hits, total: sure, totalMax: candidates.length, exact: sure === candidates.length,
            expansions: self.expansions, docs: candidates.slice() };
        });
    });
  };

  Ranking.prototype.wanted = function () {
    if (!this.pattern) this.pattern = new S.Pattern(this.wantedTerms);
    return this.pattern;
  };

  Ranking.prototype.hit = function (doc, value) {
    var self = this;
    return this.engine.row(doc).then(function (row) {
      var snippet = S.makeSnippet(row[8], self.wanted());
      var used = unique(self.alternatives.filter(function (a) { return value.filled && value.filled.has(a.marker); })
        .map(function (a) { return a.matched + " → " + a.synonym; }));
      return { doc: doc, id: row[0], title: row[1], type: row[2], date: row[3], tags: row[4], lang: row[5], path: row[6],
        score: value.score, snippet: snippet[0], highlights: snippet[1], titleHighlights: S.findSpans(row[1], self.wanted()),
        expansions: used };
    });
  };

  NS.phraseIn = phraseIn;
  if (node) module.exports = NS;
})(typeof window !== "undefined" ? window : this);
