/* notebase query plan: a port of src/notebase/search/plan.py. What each typed word matches (most of
 * its pieces, a lone syllable's bigrams, typo corrections) and what the glossary translates it to,
 * as groups of terms to score, with one coordination slot per word weighted by the word's idf.
 * NotebaseSearch.plan(engine, positive) resolves to {groups, slotCount, slotWeights, alternatives,
 * expansions, wanted}; it loads the postings and vocabulary it needs. Needs NotebaseSearch.
 */
(function (global) {
  "use strict";
  var node = typeof module !== "undefined" && module.exports;
  var NS = node ? require("./search.js") : global.NotebaseSearch;
  var A = node ? require("./analysis.js") : global.NotebaseAnalysis;

  function unique(list) { return Array.from(new Set(list)); }
  function hangul(term) { return term.charCodeAt(0) >= 0xac00; }

  /** plan.need: all of one or two pieces, else more than half. */
  function need(pieces) { return pieces <= 2 ? pieces : Math.floor(pieces / 2) + 1; }

  /** vocabulary.one_edit: one insertion, deletion, substitution or swap of neighbours (a != b). */
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0, n = Math.min(a.length, b.length);
    while (i < n && a.charAt(i) === b.charAt(i)) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return i + 1 < a.length && a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) &&
        a.slice(i + 2) === b.slice(i + 2);
    }
    var longer = a.length > b.length ? a : b, shorter = a.length > b.length ? b : a;
    return longer.slice(i + 1) === shorter.slice(i);
  }

  /** Whether pieces are the overlapping Hangul bigrams of one run (so they spell one word). */
  function contiguous(pieces) {
    for (var i = 0; i < pieces.length; i++) if (pieces[i].length !== 2 || !hangul(pieces[i])) return false;
    for (var k = 1; k < pieces.length; k++) if (pieces[k - 1].charAt(1) !== pieces[k].charAt(0)) return false;
    return true;
  }

  function Builder(engine, positive) {
    this.e = engine;
    this.m = engine.manifest;
    this.positive = positive;
    this.plan = { groups: [], slotCount: positive.length, slotWeights: [], alternatives: [], expansions: [], wanted: new Map() };
  }

  Builder.prototype.want = function (terms, slots) {
    var wanted = this.plan.wanted;
    terms.forEach(function (t) {
      if (!wanted.has(t)) wanted.set(t, new Set());
      slots.forEach(function (s) { wanted.get(t).add(s); });
    });
  };

  Builder.prototype.load = function (terms) {
    var e = this.e;
    return Promise.all(unique(terms).map(function (t) { return e.postings(t); }));
  };

  Builder.prototype.idf = function (count) { return Math.log(Math.max(this.e.count, 1) / (count + 1)) + 1; };

  /** plan._matched: the entries a word of several pieces matches (null for one piece), and the most pieces any holds. */
  Builder.prototype.matched = function (pieces) {
    var e = this.e;
    if (pieces.length === 1) return [null, e.df(e.postingsCache.get(pieces[0])) ? 1 : 0];
    var counts = new Map();
    pieces.forEach(function (p) {
      e.holders(e.postingsCache.get(p)).forEach(function (d) { counts.set(d, (counts.get(d) || 0) + 1); });
    });
    var best = 0;
    counts.forEach(function (c) { if (c > best) best = c; });
    var wanted = Math.min(need(pieces.length), best) || 1, docs = new Set();
    counts.forEach(function (c, d) { if (c >= wanted) docs.add(d); });
    return [docs, best];
  };

  /** plan._lone: the bigrams holding a word that is one Hangul syllable. */
  Builder.prototype.lone = function (pieces) {
    var limit = this.m.loneLimit;
    if (pieces.length !== 1 || pieces[0].length !== 1 || !hangul(pieces[0])) return Promise.resolve([]);
    return this.e.vocab(pieces[0]).then(function (found) {
      return found.filter(function (t) { return t !== pieces[0]; }).slice(0, limit);
    });
  };

  /** plan._corrections: what a word that finds little was probably meant as. */
  Builder.prototype.corrections = function (pieces, best) {
    var e = this.e, m = this.m, self = this;
    if (pieces.length === 1 && !hangul(pieces[0])) {
      var word = pieces[0], df = e.df(e.postingsCache.get(word));
      if (word.length < m.typoMinLength || !/^[a-z]+$/.test(word) || df > m.typoFew) return Promise.resolve([]);
      return e.vocab(word.charAt(0)).then(function (found) {
        var near = found.filter(function (t) { return /^[a-z]+$/.test(t) && oneEdit(word, t); });
        return self.load(near).then(function () {
          var scored = near.map(function (t) { return [e.df(e.postingsCache.get(t)), t]; })
            .filter(function (p) { return p[0] >= Math.max(1, m.typoRatio * df); })
            .sort(function (a, b) { return b[0] - a[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
          return scored.slice(0, m.typoLimit).map(function (p) { return p[1]; });
        });
      });
    }
    if (best < need(pieces.length) && contiguous(pieces)) {
      var spelled = pieces[0] + pieces.slice(1).map(function (p) { return p.charAt(1); }).join("");
      return Promise.resolve(e.glossary.nearSpellings(spelled).slice(0, m.typoLimit));
    }
    return Promise.resolve([]);
  };

  /** plan._synonym: a group for a synonym or correction, its terms sharing the weight of the words it stands for. */
  Builder.prototype.synonym = function (typed, synonym, covered, boost, partial) {
    var weights = new Map(), words = [];
    synonym.split(/\s+/).forEach(function (w) { var found = A.terms(w); if (found.length) words.push(found); });
    words.forEach(function (found) {
      found.forEach(function (t) { weights.set(t, (weights.get(t) || 0.0) + covered.length / words.length / found.length); });
    });
    if (!weights.size) return;
    var terms = Array.from(weights.keys()), plan = this.plan;
    var marker = plan.slotCount + 1 + plan.alternatives.length;
    partial = partial && terms.length > 1;
    plan.groups.push({ terms: terms, boost: boost, slots: covered.concat([marker]), allTerms: !partial,
      weights: Array.from(weights.values()), partial: partial });
    plan.alternatives.push({ matched: typed, synonym: synonym, terms: terms, marker: marker });
    this.want(terms, covered);
  };

  Builder.prototype.build = function () {
    var self = this, e = this.e, m = this.m, plan = this.plan, positive = this.positive;
    var typed = [], corrections = [];
    var words = positive.map(function (c) { return c.phrase ? null : unique(c.terms); });
    return this.load([].concat.apply([], positive.map(function (c) { return c.terms; }))).then(function () {
      return Promise.all(words.map(function (pieces) { return pieces ? self.lone(pieces) : []; }));
    }).then(function (lones) {
      return self.load([].concat.apply([], lones)).then(function () { return lones; });
    }).then(function (lones) {
      var found = words.map(function (pieces) { return pieces ? self.matched(pieces) : null; });
      return Promise.all(words.map(function (pieces, i) {
        return pieces ? self.corrections(pieces, found[i][1]) : [];
      })).then(function (fixes) { return [lones, found, fixes]; });
    }).then(function (got) {
      var lones = got[0], found = got[1], fixes = got[2];
      positive.forEach(function (clause, slot) {
        if (clause.phrase) {
          var candidates = e.phraseDocs(clause.terms);
          plan.groups.push({ terms: clause.terms, boost: 1.0, slots: [slot], allTerms: true, phrase: true });
          plan.slotWeights.push(self.idf(candidates.size));
          self.want(clause.terms, [slot]);
          typed.push(clause.text);
          return;
        }
        var pieces = words[slot], lone = lones[slot], terms = pieces.concat(lone);
        var weights = pieces.map(function () { return 1 / pieces.length; }).concat(lone.map(function () { return m.loneWeight; }));
        var group = { terms: terms, boost: 1.0, slots: [slot], docs: found[slot][0], weights: weights, capped: pieces.length > 1 };
        plan.groups.push(group);
        var docs = group.docs;
        if (!docs) {
          docs = new Set();
          terms.forEach(function (t) { e.holders(e.postingsCache.get(t)).forEach(function (d) { docs.add(d); }); });
        }
        plan.slotWeights.push(self.idf(docs.size));
        self.want(terms, [slot]);
        if (fixes[slot].length) {
          corrections.push([slot, fixes[slot]]);
          plan.expansions.push({ matched: clause.text, alternatives: fixes[slot], kind: "typo" });
        }
        typed.push(fixes[slot].length ? fixes[slot][0] : clause.text);
      });
      corrections.forEach(function (c) {
        c[1].forEach(function (spelling) { self.synonym(positive[c[0]].text, spelling, [c[0]], m.typoBoost, false); });
      });
      (positive.length ? e.glossary.expandAll(typed) : []).forEach(function (f) {
        var covered = [];
        for (var i = f[0]; i < f[1]; i++) covered.push(i);
        plan.expansions.push(f[2]);
        var boost = f[2].kind === "word" ? m.wordBoost : m.expansionBoost;
        var matched = covered.map(function (i) { return positive[i].text; }).join(" ");
        f[2].alternatives.forEach(function (synonym) { self.synonym(matched, synonym, covered, boost, true); });
      });
      return self.load([].concat.apply([], plan.groups.map(function (g) { return g.terms; })));
    }).then(function () { return plan; });
  };

  NS.plan = function (engine, positive) { return new Builder(engine, positive).build(); };
  NS.oneEdit = oneEdit;
  if (node) module.exports = NS;
})(typeof window !== "undefined" ? window : this);
