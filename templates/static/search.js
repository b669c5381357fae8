/* notebase in-page search engine: the CLI's ranking (search/searcher.py + scoring.py) over the data
 * files search_data.py writes. Same BM25F (Whoosh's idf, K1, B, field boosts damped for common
 * words, passage-style length normalisation of the byte-quantised field lengths Whoosh stores),
 * query plan (search-plan.js), coordination, glossary synonyms, phrases, filters, ties newer then id.
 *
 * Data files are scripts that call NotebaseSearch.add(kind, key, data) (fetch cannot read file://),
 * loaded on demand with a <script> tag. Exposes window.NotebaseSearch (module.exports under node);
 * needs NotebaseAnalysis and NotebaseQuery. search-rank.js adds the ranking (Engine.search) and
 * search-ui.js the page.
 */
(function (global) {
  "use strict";
  var node = typeof module !== "undefined" && module.exports;
  var A = node ? require("./analysis.js") : global.NotebaseAnalysis;
  var Q = node ? require("./search-query.js") : global.NotebaseQuery;
  var FORMAT = 2;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = {};
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;

  /** Numbers written by search_data.encode_number: 5 bits a character, all but a number's last marked +32. */
  function decode(text) {
    var out = [], acc = 0;
    for (var i = 0; i < text.length; i++) {
      var v = DIGIT[text.charCodeAt(i)];
      acc = acc * 32 + (v & 31);
      if (v < 32) { out.push(acc); acc = 0; }
    }
    return out;
  }

  /** Ascending document numbers from their gaps (the first counted from -1). */
  function decodeDocs(text) {
    var gaps = decode(text), docs = new Int32Array(gaps.length), prev = -1;
    for (var i = 0; i < gaps.length; i++) { prev += gaps[i]; docs[i] = prev; }
    return docs;
  }

  /** 32-bit FNV-1a over UTF-16 units: which postings shard holds a term (search_data.fnv1a). */
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h >>> 0;
  }

  function unique(list) { return Array.from(new Set(list)); }

  /** Python's round(x, 7) for the scores here: toFixed rounds the exact binary value, as Python does. */
  function round7(x) { return Number(x.toFixed(7)); }

  // --- data files -------------------------------------------------------------------------
  var store = Object.create(null);

  /** Called by every data file: hand over its data. */
  function add(kind, key, data) {
    store[kind + "/" + key] = data;
  }

  function scriptLoader(base) {
    return function (path) {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = base + path;
        script.charset = "utf-8";
        script.async = true;
        script.onload = function () { script.remove(); resolve(); };
        script.onerror = function () { reject(new Error("cannot load search data " + base + path)); };
        document.head.appendChild(script);
      });
    };
  }

  /**
   * An open search over the data under `options.base` (a URL ending in "/", e.g. root + "search/data/"),
   * or read with `options.load(path)` (returns a promise, or nothing once the file has run).
   */
  function Engine(options) {
    this.load = options.load || scriptLoader(options.base);
    this.pending = Object.create(null);
    this.postingsCache = new Map();
    this.tokensCache = new Map();
  }

  /** The data of one file, loading it once: a script's onload fires after it ran and called add(). */
  Engine.prototype.get = function (kind, key, path) {
    var name = kind + "/" + key, pending = this.pending;
    if (name in store) return Promise.resolve(store[name]);
    if (!pending[name]) {
      pending[name] = Promise.resolve(this.load(path)).then(function () {
        if (!(name in store)) throw new Error("search data " + path + " did not register");
        return store[name];
      }).catch(function (err) { delete pending[name]; throw err; });
    }
    return pending[name];
  };

  /** Whether a data file is already loaded. */
  Engine.prototype.has = function (kind, key) { return (kind + "/" + key) in store; };

  /** Load the manifest and the per-document columns; resolves to the engine. */
  Engine.prototype.ready = function () {
    var self = this;
    if (!this.opened) {
      this.opened = Promise.all([this.get("manifest", "", "manifest.js"), this.get("docs", "", "docs.js")]).then(function (got) {
        self.setup(got[0], got[1]);
        return self;
      });
    }
    return this.opened;
  };

  Engine.prototype.setup = function (manifest, columns) {
    if (manifest.format !== FORMAT) throw new Error("search data format " + manifest.format + ", this script reads " + FORMAT);
    var n = manifest.count;
    this.manifest = manifest;
    this.count = n;
    this.fields = manifest.fields;
    // Python: average = field_length / (count or 1), then `or 1.0` where it is used.
    this.average = manifest.totals.map(function (t) { return t / (n || 1) || 1.0; });
    this.lengths = this.fields.map(function () { return new Float64Array(n); });
    for (var doc = 0; doc < n; doc++) {
      for (var f = 0; f < this.fields.length; f++) {
        var byte = parseInt(columns.lens.substr(doc * 2 * this.fields.length + 2 * f, 2), 16);
        this.lengths[f][doc] = manifest.lengthTable[byte];
      }
    }
    this.typeNames = columns.types;
    this.types = Uint8Array.from(columns.type, function (ch) { return +ch; });
    this.langNames = columns.langs;
    this.langs = Uint8Array.from(columns.lang, function (ch) { return DIGIT[ch.charCodeAt(0)]; });
    var steps = decode(columns.dates), day = columns.first;
    this.dates = new Int32Array(n);
    for (var i = 0; i < n; i++) { day += steps[i]; this.dates[i] = day; }  // oldest first
    var where = decode(columns.where);
    this.chunkOf = new Int32Array(n);
    this.rowOf = new Int32Array(n);
    for (var k = 0; k < n; k++) { this.chunkOf[k] = where[2 * k]; this.rowOf[k] = where[2 * k + 1]; }
    this.glossary = new Q.Glossary(manifest.glossary, manifest.glossaryWords);
    this.norms = this.fields.map(function () { return new Float64Array(n).fill(-1); });
  };

  /** The postings of a term: {docs: [Int32Array per field], tfs: [...]}, or null when no entry has it. */
  Engine.prototype.postings = function (term) {
    if (this.postingsCache.has(term)) return Promise.resolve(this.postingsCache.get(term));
    var self = this, shard = fnv1a(term) & (this.manifest.shards - 1);
    return this.get("terms", shard, "terms/" + shard + ".js").then(function (data) {
      var lists = Object.prototype.hasOwnProperty.call(data, term) ? data[term] : null, found = null;
      if (lists) {
        found = { docs: [], tfs: [] };
        for (var f = 0; f < self.fields.length; f++) {
          found.docs.push(decodeDocs(lists[2 * f]));
          found.tfs.push(decode(lists[2 * f + 1]));
        }
      }
      self.postingsCache.set(term, found);
      return found;
    });
  };

  /** The text row of a document: [id, title, type, date, tags, lang, path, head, body]. */
  Engine.prototype.row = function (doc) {
    var self = this, chunk = this.chunkOf[doc];
    return this.get("text", chunk, "text/" + chunk + ".js").then(function (rows) { return rows[self.rowOf[doc]]; });
  };

  /** Token lists of a document's fields, for phrase checks. */
  Engine.prototype.tokens = function (doc) {
    var self = this;
    if (this.tokensCache.has(doc)) return Promise.resolve(this.tokensCache.get(doc));
    return this.row(doc).then(function (row) {
      var found = [A.terms(row[7]), A.terms(row[8])];
      if (self.tokensCache.size > 2000) self.tokensCache.clear();
      self.tokensCache.set(doc, found);
      return found;
    });
  };

  /** Terms of the vocabulary filed under a key (vocabulary.py): bigrams holding a syllable, words of a first letter. */
  Engine.prototype.vocab = function (key) {
    var shard = fnv1a(key) & (this.manifest.vocabShards - 1);
    return this.get("vocab", shard, "vocab/" + shard + ".js").then(function (data) {
      return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : [];
    });
  };

  /** The documents holding a term in any field (a Set, kept on the postings), as Scorer.live_docs. */
  Engine.prototype.holders = function (postings) {
    if (!postings) return new Set();
    if (!postings.holders) {
      var found = new Set();
      postings.docs.forEach(function (docs) { for (var i = 0; i < docs.length; i++) found.add(docs[i]); });
      postings.holders = found;
    }
    return postings.holders;
  };

  /** Documents holding every one of the postings' terms in one field: the only ones a phrase can match. */
  function phraseCandidates(lists, fields) {
    var found = new Set();
    if (lists.some(function (l) { return !l; })) return found;
    for (var f = 0; f < fields; f++) {
      var common = null;
      lists.forEach(function (l) {
        var docs = new Set(l.docs[f]);
        common = common === null ? docs : new Set(Array.from(common).filter(function (d) { return docs.has(d); }));
      });
      common.forEach(function (d) { found.add(d); });
    }
    return found;
  }

  /** The phrase candidates of terms whose postings are loaded (plan._phrase_candidates). */
  Engine.prototype.phraseDocs = function (terms) {
    var self = this;
    return phraseCandidates(unique(terms).map(function (t) { return self.postingsCache.get(t); }), this.fields.length);
  };

  /** How many entries hold a term in any field (Scorer.df). */
  Engine.prototype.df = function (postings) { return this.holders(postings).size; };

  /** scoring.field_weight: the head's weight falls to 1 for a term in COMMON_SHARE of the entries. */
  Engine.prototype.fieldWeight = function (f, share) {
    var boost = this.manifest.boosts[f];
    if (this.fields[f] !== "head") return boost;
    return 1.0 + (boost - 1.0) * Math.max(0.0, 1.0 - share / this.manifest.commonShare);
  };

  /** scoring.effective_length: past PASSAGE averages, tokens count SPREAD each. */
  Engine.prototype.effectiveLength = function (length, average) {
    var cap = this.manifest.passage * average;
    return length <= cap ? length : cap + this.manifest.spread * (length - cap);
  };

  /**
   * Add one term's BM25F score over every field into scores (a Map), and its documents into seen.
   * `boost` is the group's boost times the term's weight; `caps` (per field, a Map doc -> tf) bound
   * the term frequencies of a word's pieces (Scorer._caps).
   */
  Engine.prototype.addTerm = function (postings, boost, scores, seen, caps) {
    if (!postings) return;
    var m = this.manifest, K1 = m.k1, B = m.b, share = this.df(postings) / (this.count || 1);
    for (var f = 0; f < this.fields.length; f++) {
      var docs = postings.docs[f], tfs = postings.tfs[f], df = docs.length;
      if (!df) continue;
      var scale = boost * this.fieldWeight(f, share) * (Math.log(this.count / (df + 1)) + 1) * (K1 + 1);
      var average = this.average[f], norms = this.norms[f], lengths = this.lengths[f], cap = caps ? caps[f] : null;
      for (var i = 0; i < df; i++) {
        var doc = docs[i], weight = cap ? Math.min(tfs[i], cap.get(doc)) : tfs[i], norm = norms[doc];
        if (norm < 0) norm = norms[doc] = K1 * (1 - B + B * this.effectiveLength(lengths[doc], average) / average);
        scores.set(doc, (scores.get(doc) || 0.0) + scale * weight / (weight + norm));
        if (seen) seen.add(doc);
      }
    }
  };

  /** Open the search data at `base` (or with options.load); returns an Engine (call ready() or search()). */
  function open(base, options) {
    options = options || {};
    if (base) options.base = base;
    return new Engine(options);
  }

  var api = { add: add, open: open, Engine: Engine, decode: decode, decodeDocs: decodeDocs, fnv1a: fnv1a,
    phraseCandidates: phraseCandidates,
    round7: round7, QueryError: Q.QueryError, FORMAT: FORMAT, _store: store };
  if (node) module.exports = api;
  else global.NotebaseSearch = api;
})(typeof window !== "undefined" ? window : this);
