/* notebase snippets: a port of src/notebase/search/snippet.py. The passage of a text that covers
 * the most query words, and where the terms are, as the analyzer sees them (a Latin term is a whole
 * [a-z0-9] run in any spelling that folds to it, a one-syllable Hangul term a whole Hangul run, a
 * bigram anywhere in a run).
 * Offsets and widths count code points, as Python does. Python matches with one alternation of
 * lookbehind patterns; this walks the same alternatives by hand, so it needs no ES2018 regex.
 * Exposes window.NotebaseSnippet (module.exports under node).
 */
(function (global) {
  "use strict";
  var A = typeof module !== "undefined" && module.exports ? require("./analysis.js") : global.NotebaseAnalysis;
  var WIDTH = 180, LEAD = 40;

  function hangul(c) { return c >= 0xac00 && c <= 0xd7a3; }
  function latin(c) { return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39); }

  /**
   * The spellings of the wanted terms in the order Python's pattern tries them: longest first (a
   * Latin term in every spelling that folds to it). `wanted` is a Map term -> the query words it
   * stands for, or a Set/array of terms, each a word of its own.
   */
  function Pattern(wanted) {
    var units = new Map();
    if (wanted instanceof Map) wanted.forEach(function (v, k) { units.set(k, Array.from(v)); });
    else Array.from(wanted).forEach(function (t) { units.set(t, [t]); });
    var spellings = new Set();
    units.forEach(function (_, term) {
      var forms = hangul(term.charCodeAt(0)) ? [term] : A.surfaceForms(term);
      (forms.length ? forms : [term]).forEach(function (s) { spellings.add(s); });
    });
    this.units = units;
    this.terms = Array.from(spellings).sort(function (a, b) { return b.length - a.length; });
  }

  /** snippet._labels: the query words a matched spelling stands for. */
  Pattern.prototype.labels = function (found) {
    if (this.units.has(found)) return this.units.get(found);
    return this.units.get(A.singular(found)) || [];
  };

  // Whether term t matches at unit index i of s with the analyzer's boundaries.
  function fits(s, i, t) {
    var lead = t.charCodeAt(0);
    if (hangul(lead) && t.length > 1) return true;
    var test = hangul(lead) ? hangul : latin;
    return !(i > 0 && test(s.charCodeAt(i - 1))) && !(i + t.length < s.length && test(s.charCodeAt(i + t.length)));
  }

  /** A scan over one string: `search(from)` is Python's pattern.search(s, from) in UTF-16 units. */
  Pattern.prototype.scanner = function (s) {
    var terms = this.terms, next = terms.map(function () { return -2; });
    return function (from) {
      var best = -1, term = null;
      for (var k = 0; k < terms.length; k++) {
        var t = terms[k], at = next[k];
        if (at !== -1 && at < from) {
          at = s.indexOf(t, from);
          while (at >= 0 && !fits(s, at, t)) at = s.indexOf(t, at + 1);
          next[k] = at;
        }
        if (at >= 0 && (best < 0 || at < best)) { best = at; term = t; }  // ties: the earlier alternative
      }
      return best < 0 ? null : { start: best, end: best + term.length, text: term };
    };
  };

  function cpOf(map, u) { return map === null ? u : map[u]; }

  /** Merged [start, end] code point offsets in text of the wanted terms. */
  function findSpans(text, wanted) {
    var pattern = wanted instanceof Pattern ? wanted : new Pattern(wanted);
    if (!pattern.terms.length) return [];
    var pair = A.normalise(text), norm = pair[0], offsets = pair[1], map = A.unitToCp(norm);
    var search = pattern.scanner(norm), spans = [], pos = 0, m;
    while ((m = search(pos)) !== null) {
      var start = cpOf(map, m.start), end = cpOf(map, m.end);
      pos = m.start + 1;  // overlapping bigrams: 학회 and 회의 in 학회의
      if (offsets !== null) { end = offsets[end - 1] + 1; start = offsets[start]; }
      if (spans.length && start <= spans[spans.length - 1][1]) {
        var last = spans[spans.length - 1];
        last[1] = Math.max(last[1], end);
      } else {
        spans.push([start, end]);
      }
    }
    return spans;
  }

  function pySplitJoin(text) {
    var words = [], word = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (A.isSpace(ch)) { if (word) { words.push(word); word = ""; } } else word += ch;
    }
    if (word) words.push(word);
    return words.join(" ");
  }

  /** text[start:] (code points) flattened to one line and cut at a word boundary, with ellipses. */
  function cut(chars, start, width) {
    var end = start + width, piece = chars.slice(start, end);
    if (end < chars.length) {
      var space = piece.lastIndexOf(" ");
      if (space > Math.floor(width * 2 / 3)) piece = piece.slice(0, space);
    }
    return (start ? "…" : "") + pySplitJoin(piece.join("")) + (end < chars.length ? "…" : "");
  }

  function rfind(chars, ch, last) {
    for (var i = Math.min(last, chars.length - 1); i >= 0; i--) if (chars[i] === ch) return i;
    return -1;
  }

  /** [snippet, spans]: a one-line passage around the most distinct wanted terms, and their offsets in it. */
  function makeSnippet(text, wanted, width) {
    width = width || WIDTH;
    var pattern = wanted instanceof Pattern ? wanted : new Pattern(wanted);
    var chars = Array.from(text);
    var pair = A.normalise(text), norm = pair[0], offsets = pair[1], map = A.unitToCp(norm);
    var matches = [];
    if (pattern.terms.length) {
      var search = pattern.scanner(norm), pos = 0, m;
      while ((m = search(pos)) !== null) {  // finditer: matches do not overlap
        matches.push({ start: cpOf(map, m.start), end: cpOf(map, m.end), text: m.text });
        pos = m.end;
      }
    }
    if (!matches.length) return [cut(chars, 0, width), []];
    // Every window of matches: the one standing for most query words, then most distinct spellings.
    var labels = matches.map(function (x) { return pattern.labels(x.text); });
    var best = 0, bestWords = -1, bestSpellings = -1, words = new Map(), spellings = new Map(), j = 0;
    var bump = function (map, key, by) {
      var n = (map.get(key) || 0) + by;
      if (n) map.set(key, n); else map.delete(key);
    };
    for (var i = 0; i < matches.length; i++) {
      j = Math.max(j, i);
      while (j < matches.length && matches[j].end - matches[i].start <= width - LEAD) {
        labels[j].forEach(function (l) { bump(words, l, 1); });
        bump(spellings, matches[j].text, 1);
        j++;
      }
      if (words.size > bestWords || (words.size === bestWords && spellings.size > bestSpellings)) {
        best = i; bestWords = words.size; bestSpellings = spellings.size;
      }
      if (j > i) {
        labels[i].forEach(function (l) { bump(words, l, -1); });
        bump(spellings, matches[i].text, -1);
      }
    }
    var at = matches[best].start;
    var start = Math.max(0, (offsets !== null ? offsets[at] : at) - LEAD);
    if (start) {
      // Open at a word boundary when one is near, not mid-word.
      var boundary = Math.max(rfind(chars, " ", start), rfind(chars, "\n", start));
      if (boundary >= 0 && start - boundary < 20) start = boundary + 1;
    }
    var snippet = cut(chars, start, width);
    return [snippet, findSpans(snippet, pattern)];
  }

  var api = { Pattern: Pattern, findSpans: findSpans, makeSnippet: makeSnippet, WIDTH: WIDTH, LEAD: LEAD };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else global.NotebaseSnippet = api;
})(typeof window !== "undefined" ? window : this);
