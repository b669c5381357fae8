/* notebase Korean/English analyzer: a token-for-token port of src/notebase/search/analysis.py.
 *
 * 1. NFKC + lowercase.  2. Runs of Hangul syllables (U+AC00-U+D7A3) and of [a-z0-9]; anything else
 * separates runs.  3. A one-syllable Hangul run is a token, a longer run gives its overlapping
 * bigrams.  4. A Latin/digit run is one token.  One-character Latin tokens and stop words are dropped.
 * 5. One letter followed by `++` or `#` (and no letter or digit after) is a token with them (C++, C#).
 * 6. An English plural folds to its singular (`singular`, Python's `fold`): transformers -> transformer.
 *
 * Offsets are counted in code points, as Python counts them (JS strings count UTF-16 units), so
 * `spans` and `normalise` agree with Python even around emoji. Plain ES2017, no dependencies:
 * a classic <script> exposes window.NotebaseAnalysis; under node it is module.exports.
 */
(function (global) {
  "use strict";

  var STOP_WORDS = new Set((
    "a an and are as at be been but by can could did do does for from had has have he her his how " +
    "i if in into is it its may me my no not of on or our she should so than that the their them then " +
    "there these they this those to too was we were what when where which who why will with would you " +
    "your 을 를 이 가 은 는 의 에 와 과 도 로 만 에서 으로 하는 하고 했다 합니다 입니다 있는 있다").split(" "));

  // analysis.PARTICLES in the same order (longest first, then as listed); checked by the tests.
  var PARTICLES = ("이라는 에서는 으로는 에서의 으로의 으로서 들에서 에서도 으로도 하려면 으려면 하는지 되는지 하는가 에서 으로 에게 까지 부터 보다 처럼 이나 이란 라는 에는 와의 " +
    "과의 로의 이다 이고 로서 하는 하기 하고 하여 해서 되는 하다 했다 들을 들의 들이 들은 들에 들과 들로 들도 에도 로도 려면 하면 인지 는지 인가 할까 하게 되게 " +
    "해야 된다 한다 했던 하던 을 를 이 가 은 는 의 에 로 와 과 도 만 란 한 된 들").split(" ");
  var QUERY_PARTICLES = PARTICLES.filter(function (p) { return p !== "도"; });

  // Characters Python 3.11 (Unicode 14) does not know and so leaves alone, but a newer Unicode in
  // the browser would fold (outlined letters U+1CCD6.. become a-z). Keeping them as they are keeps
  // the browser's tokens equal to the index's; tests/test_search_js.py checks every code point.
  var NEWER_UNICODE = /[\u1c89\ua7cb\ua7cc\ua7ce\ua7d2\ua7d4\ua7da\ua7dc\ua7f1]|\ud803[\udd50-\udd65]|\ud81b[\udea0-\udeb8]|\ud833[\udcd6-\udcf9]|\ud838[\udc30-\udc6d]/g;
  var RUN = /[\uac00-\ud7a3]+|[a-z](?:\+\+|#)(?![a-z0-9])|[a-z0-9]+/g;
  var SURROGATE = /[\ud800-\udfff]/;
  // Python's str.isspace() (what str.split() and the query parser split on); JS's \s differs.
  var SPACE_CHARS = "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003" +
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

  function isSpace(ch) {
    return ch.length === 1 && SPACE_CHARS.indexOf(ch) >= 0;
  }

  /** NFKC + lowercase of a whole string, as Python's unicodedata (Unicode 14) + str.lower(). */
  function fold(text) {
    NEWER_UNICODE.lastIndex = 0;
    if (!NEWER_UNICODE.test(text)) return text.normalize("NFKC").toLowerCase();
    var out = "", last = 0, m;
    NEWER_UNICODE.lastIndex = 0;
    while ((m = NEWER_UNICODE.exec(text)) !== null) {
      out += text.slice(last, m.index).normalize("NFKC").toLowerCase() + m[0];
      last = m.index + m[0].length;
    }
    return out + text.slice(last).normalize("NFKC").toLowerCase();
  }

  /** Number of code points in a string (Python's len). */
  function cpLength(text) {
    if (!SURROGATE.test(text)) return text.length;
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) i++;
      }
      n++;
    }
    return n;
  }

  /** Map from UTF-16 index to code point index (length + 1 entries), or null when they are equal. */
  function unitToCp(text) {
    if (!SURROGATE.test(text)) return null;
    var map = new Array(text.length + 1), n = 0;
    for (var i = 0; i < text.length; i++) {
      map[i] = n;
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) { i++; map[i] = n; }
      }
      n++;
    }
    map[text.length] = n;
    return map;
  }

  /** Map from code point index to UTF-16 index (cpLength + 1 entries), or null when they are equal. */
  function cpToUnit(text) {
    if (!SURROGATE.test(text)) return null;
    var map = [];
    for (var i = 0; i < text.length; i++) {
      map.push(i);
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) i++;
      }
    }
    map.push(text.length);
    return map;
  }

  /** Python's text[start:end] with code point offsets. */
  function cpSlice(text, start, end, map) {
    if (map === undefined) map = cpToUnit(text);
    if (map === null) return text.slice(start, end);
    var n = map.length - 1;
    var s = Math.max(0, Math.min(n, start)), e = end === undefined ? n : Math.max(0, Math.min(n, end));
    return e <= s ? "" : text.slice(map[s], map[e]);
  }

  /**
   * NFKC + lowercase, with a map back to original code point offsets when the length changes:
   * [norm, offsets] where offsets is null (identity) or an array of cpLength(norm) + 1 numbers.
   */
  function normalise(text) {
    var norm = fold(text);
    if (cpLength(norm) === cpLength(text)) return [norm, null];
    var out = [], offsets = [], i = 0;
    for (var ch of text) {  // for..of walks code points; a lone surrogate is one step, as in Python
      var piece = fold(ch);
      out.push(piece);
      for (var k = cpLength(piece); k > 0; k--) offsets.push(i);
      i++;
    }
    offsets.push(i);
    return [out.join(""), offsets];
  }

  /** [[term, start, end], ...] for each token of text, offsets in code points of the original text. */
  function spans(text) {
    var pair = normalise(text), norm = pair[0], offsets = pair[1];
    var units = unitToCp(norm), found = [], m;
    var at = function (u) { return units === null ? u : units[u]; };
    RUN.lastIndex = 0;
    while ((m = RUN.exec(norm)) !== null) {
      var run = m[0], start = at(m.index), end = at(m.index + run.length);
      if (run < "\uac00" || run.length === 1) {
        if ((run.length > 1 || run >= "\uac00") && !STOP_WORDS.has(run)) {
          var token = run.charAt(run.length - 1) === "s" ? singular(run) : run;
          found.push(offsets === null ? [token, start, end] : [token, offsets[start], offsets[end - 1] + 1]);
        }
        continue;
      }
      for (var i = 0; i < run.length - 1; i++) {
        var term = run.substr(i, 2);
        if (STOP_WORDS.has(term)) continue;
        var p = start + i;  // a Hangul run holds no surrogates: units and code points agree inside it
        found.push(offsets === null ? [term, p, p + 2] : [term, offsets[p], offsets[p + 1] + 1]);
      }
    }
    return found;
  }

  /** The token texts of text, in order, exactly as Python's `terms` (whole-string NFKC) finds them. */
  function terms(text) {
    var norm = fold(text), found = [], m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(norm)) !== null) {
      var run = m[0];
      if (run.charCodeAt(0) < 0xac00) {
        if (run.length > 1 && !STOP_WORDS.has(run)) found.push(run.charAt(run.length - 1) === "s" ? singular(run) : run);
      } else if (run.length === 1) {
        if (!STOP_WORDS.has(run)) found.push(run);
      } else {
        for (var i = 0; i < run.length - 1; i++) {
          var term = run.substr(i, 2);
          if (!STOP_WORDS.has(term)) found.push(term);
        }
      }
    }
    return found;
  }

  /** Rule 6: a Latin token's singular (Python's `fold`); a term that is not a plural comes back as it is. */
  function singular(term) {
    var n = term.length, before = term.charAt(n - 2);
    if (n < 4 || term.charAt(n - 1) !== "s" || before === "s" || before === "i" || (before === "u" && n > 4)) return term;
    var folded;
    if (/ies$/.test(term) && n > 4) folded = term.slice(0, -3) + "y";
    else if (/(?:sses|shes|ches|xes)$/.test(term)) folded = term.slice(0, -2);
    else folded = term.slice(0, -1);
    return STOP_WORDS.has(folded) ? term : folded;
  }

  /** The spellings a text may use for an analysed Latin term: itself and the plurals that fold to it. */
  function surfaceForms(term) {
    var found = singular(term) === term ? [term] : [];
    var candidates = [term + "s", term + "es"].concat(/y$/.test(term) ? [term.slice(0, -1) + "ies"] : []);
    return found.concat(candidates.filter(function (c) { return singular(c) === term; }));
  }

  /** A Hangul run without a trailing particle or ending, when two or more syllables stay. */
  function stripParticle(run) {
    for (var i = 0; i < QUERY_PARTICLES.length; i++) {
      var p = QUERY_PARTICLES[i];
      if (run.length >= p.length + 2 && run.slice(-p.length) === p) return run.slice(0, -p.length);
    }
    return run;
  }

  /** The terms of a word typed in a query: its Hangul runs lose a trailing particle first. */
  function queryTerms(text) {
    var norm = fold(text);
    var found = terms(norm.replace(/[\uac00-\ud7a3]+/g, stripParticle));
    return found.length ? found : terms(norm);
  }

  /** [{text, pos, start, end}] as Python's `tokenize`. */
  function tokenize(text) {
    return spans(text).map(function (s, pos) { return { text: s[0], pos: pos, start: s[1], end: s[2] }; });
  }

  var api = {
    STOP_WORDS: STOP_WORDS, SPACE_CHARS: SPACE_CHARS, isSpace: isSpace, fold: fold, normalise: normalise,
    spans: spans, terms: terms, tokenize: tokenize, cpLength: cpLength, cpToUnit: cpToUnit,
    unitToCp: unitToCp, cpSlice: cpSlice, singular: singular, surfaceForms: surfaceForms, stripParticle: stripParticle,
    queryTerms: queryTerms, PARTICLES: PARTICLES, QUERY_PARTICLES: QUERY_PARTICLES
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else global.NotebaseAnalysis = api;
})(typeof window !== "undefined" ? window : this);
