/* notebase search query language and glossary: ports of search/parse.py, query.date_bounds,
 * dates.parse_date and search/glossary.py, with the same results and the same error messages.
 * Exposes window.NotebaseQuery (module.exports under node); needs NotebaseAnalysis.
 */
(function (global) {
  "use strict";
  var A = typeof module !== "undefined" && module.exports ? require("./analysis.js") : global.NotebaseAnalysis;

  function QueryError(message) {
    this.name = "QueryError";
    this.message = message;
    if (Error.captureStackTrace) Error.captureStackTrace(this, QueryError);
  }
  QueryError.prototype = Object.create(Error.prototype);
  QueryError.prototype.constructor = QueryError;

  var FIELDS = ["type", "tag", "topic", "lang", "year", "date"];
  var LANGS = { ko: "ko", korean: "ko", "한국어": "ko", en: "en", english: "en", "영어": "en",
    mixed: "mixed", "혼합": "mixed" };
  var EXAMPLES = { type: "type:paper", tag: "tag:GAN", topic: "topic:GAN", lang: "lang:ko", year: "year:2022",
    date: "date:2022-05 or date:2021..2022-06" };
  var MIN_DAY = 1, MAX_DAY = 3652059;  // Python's date.min and date.max as ordinals

  // tags.tag_key: case, spaces, "-", "_" and "," aside; "/" between the levels of a nested tag.
  var TAG_SEPARATORS = /[ \t\n\r\f\v\u00a0\u3000_,\-]+/g;
  function tagKey(tag) {
    var chars = Array.from(tag), a = 0, b = chars.length;
    while (a < b && A.isSpace(chars[a])) a++;  // Python's str.strip()
    while (b > a && A.isSpace(chars[b - 1])) b--;
    var text = chars.slice(a, b).join("").replace(/^#+/, "").toLowerCase().replace(TAG_SEPARATORS, "-");
    return text.split("/").map(function (p) { return p.replace(/^-+|-+$/g, ""); })
      .filter(function (p) { return p.length > 0; }).join("/");
  }

  /** Python's repr() of a string, for messages that quote what was typed. */
  function pyRepr(s) {
    var quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var out = quote;
    for (var ch of s) {
      var c = ch.codePointAt(0);
      if (ch === quote || ch === "\\") out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (c < 0x20 || c === 0x7f) out += "\\x" + hex(c, 2);
      else if (c >= 0x80 && !printable(ch)) out += c < 0x100 ? "\\x" + hex(c, 2) : c < 0x10000 ? "\\u" + hex(c, 4) : "\\U" + hex(c, 8);
      else out += ch;
    }
    return out + quote;
  }
  function hex(n, width) { var h = n.toString(16); while (h.length < width) h = "0" + h; return h; }
  // Unicode property classes need ES2018; an older engine falls back to the ASCII-only class.
  function unicodeRe(source, flags, ascii) {
    try { return new RegExp(source, flags + "u"); } catch (e) { return new RegExp(ascii(source), flags); }
  }
  var NOT_PRINTABLE = unicodeRe("^[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Zs}]$", "",
    function () { return "^[\\x00-\\x1f\\x7f-\\xa0\\xad]$"; });
  function printable(ch) { return !NOT_PRINTABLE.test(ch); }

  function pyStrip(s) {
    var chars = Array.from(s), a = 0, b = chars.length;
    while (a < b && A.isSpace(chars[a])) a++;
    while (b > a && A.isSpace(chars[b - 1])) b--;
    return chars.slice(a, b).join("");
  }

  /** Split a query into [text, quoted, negated] pieces; `field:"a b"` stays one piece. */
  function pieces(raw) {
    var chars = Array.from(raw), n = chars.length, out = [], i = 0;
    var text = function (a, b) { return chars.slice(a, b).join(""); };
    while (i < n) {
      if (A.isSpace(chars[i])) { i++; continue; }
      var negated = chars[i] === "-" && i + 1 < n && !A.isSpace(chars[i + 1]);
      var start = negated ? i + 1 : i, j = start;
      while (j < n && !A.isSpace(chars[j]) && chars[j] !== '"') j++;
      if (j < n && chars[j] === '"') {
        var close = chars.indexOf('"', j + 1);
        if (close < 0) {
          throw new QueryError("unbalanced quote at column " + (j + 1) + ": " + pyRepr(text(j, j + 30)) +
            ' — close the phrase with " or remove the quote');
        }
        if (j === start) { out.push([text(j + 1, close), true, negated]); i = close + 1; continue; }
        var before = text(start, j);
        if (before.slice(-1) === ":") { out.push([before + text(j + 1, close), false, negated]); i = close + 1; continue; }
      }
      out.push([text(start, j), false, negated]);
      i = j;
    }
    return out;
  }

  /** Parse a query; throw QueryError on an empty query or bad syntax. `extra` filters come from the UI. */
  function parse(raw, extra, typeAliases) {
    extra = extra || [];
    if (!pyStrip(raw) && !extra.length) throw new QueryError(EMPTY);
    var clauses = [], filters = extra.slice(), typed = [];
    pieces(raw).forEach(function (piece) {
      var text = piece[0], quoted = piece[1], negated = piece[2];
      var m = quoted ? null : /^([A-Za-z]+):([\s\S]*)$/.exec(text);
      if (m && m[2].slice(0, 2) !== "//") {
        filters.push(makeFilter(m[1].toLowerCase(), pyStrip(m[2]), negated, typeAliases || {}));
        return;
      }
      if (!text) return;
      typed.push(text);
      var found = quoted ? A.terms(text) : A.queryTerms(text);  // a word loses a trailing particle
      if (found.length) clauses.push({ text: text, terms: found, phrase: quoted && found.length > 1, negated: negated });
    });
    if (typed.length && !clauses.length && !filters.length) {
      throw new QueryError("nothing to search for in " + pyRepr(typed.join(" ")) + ": only stop words, single letters " +
        "or punctuation — add a more specific word");
    }
    if (!clauses.length && !filters.length) throw new QueryError(EMPTY);
    return { raw: raw, clauses: clauses, filters: merge(filters) };
  }
  var EMPTY = "empty query — type words to search for, or a filter such as type:paper";

  /** Join filters on the same field and sign, so `type:paper type:tip` means either. */
  function merge(filters) {
    var order = [], byKey = {};
    filters.forEach(function (f) {
      var key = f.field + "\u0000" + f.negated;
      if (!byKey[key]) { byKey[key] = { field: f.field, values: [], negated: f.negated }; order.push(key); }
      f.values.forEach(function (v) {
        var known = byKey[key].values.some(function (w) { return sameValue(v, w); });
        if (!known) byKey[key].values.push(v);
      });
    });
    return order.map(function (k) { return byKey[k]; });
  }
  function sameValue(a, b) { return Array.isArray(a) ? a[0] === b[0] && a[1] === b[1] : a === b; }

  function makeFilter(name, value, negated, typeAliases) {
    if (FIELDS.indexOf(name) < 0) {
      throw new QueryError("unknown field '" + name + ":' — use " + FIELDS.map(function (f) { return f + ":"; }).join(", ") +
        '; to search for the text itself, quote it: "' + name + ":" + value + '"');
    }
    if (!value) throw new QueryError("'" + name + ":' needs a value — write e.g. " + EXAMPLES[name]);
    if (name === "type") {
      var key = Array.from(value.toLowerCase()).filter(function (ch) { return " -_".indexOf(ch) < 0; }).join("");
      var kind = Object.prototype.hasOwnProperty.call(typeAliases, key) ? typeAliases[key] : null;
      if (!kind) throw new QueryError("unknown type '" + value + "' — use type:paper, type:conference or type:tip");
      return { field: "type", values: [kind], negated: negated };
    }
    if (name === "lang") {
      var lang = Object.prototype.hasOwnProperty.call(LANGS, value.toLowerCase()) ? LANGS[value.toLowerCase()] : null;
      if (!lang) throw new QueryError("unknown language '" + value + "' — use lang:ko, lang:en or lang:mixed");
      return { field: "lang", values: [lang], negated: negated };
    }
    if (name === "tag") return { field: "tag", values: [tagKey(value)], negated: negated };
    // A topic stays as typed: the ranking finds the concept in topics.js (topic_filters.resolve_topics).
    if (name === "topic") return { field: "topic", values: [value], negated: negated };
    return { field: "date", values: [dateRange(value, name)], negated: negated };
  }

  // --- dates: Python's \d and \s are Unicode-wide, so these classes are too ---------------------
  var D = "\\p{Nd}", S = "[" + A.SPACE_CHARS + "]";
  function re(source, flags) {
    return unicodeRe(source, flags || "", function (s) { return s.replace(/\\p\{Nd\}/g, "\\d").replace(/\[\\p\{L\}\\p\{N\}_\]/g, "\\w"); });
  }
  var IS_DIGIT = re("^" + D + "$");
  var YEAR_ONLY = re("^" + D + "{4}$");
  var YEAR = re("^" + S + "*(" + D + "{4})" + S + "*$");
  var MONTH = re("^" + S + "*(" + D + "{4})[-./](" + D + "{1,2})" + S + "*$");
  // dates.NUMERIC; Python's (?P=s) fails when the separator group did not take part, so the two
  // spellings are separate branches here (a JS backreference to such a group matches "").
  var NUMERIC = re("^((?:19|20)" + D + "{2})" + S + "*(?:([-./])" + S + "*(" + D + "{1,2})" + S + "*(?:\\2|월)|년" +
    S + "*(" + D + "{1,2})" + S + "*월)" + S + "*(" + D + "{1,2})(?!" + D + ")");
  var MONTHS = { jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6,
    june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
    november: 11, dec: 12, december: 12 };
  var MONTH_RE = Object.keys(MONTHS).sort(function (a, b) { return b.length - a.length; }).join("|");
  // Anchored at the start, Python's leading \\b always holds (both branches start with a word character).
  var B1 = "(?![\\p{L}\\p{N}_])";
  var ENGLISH = re("^(?:(" + MONTH_RE + ")\\.?" + S + "+(" + D + "{1,2})(?:st|nd|rd|th)?,?" + S + "+((?:19|20)" +
    D + "{2})|(" + D + "{1,2})" + S + "+(" + MONTH_RE + ")\\.?,?" + S + "+((?:19|20)" + D + "{2}))" + B1, "i");
  var RFC822 = re("^" + S + "*(?:[A-Za-z]{3}," + S + "*)?(" + D + "{1,2})" + S + "+([A-Za-z]{3})" + S + "+(" + D + "{4})");

  function DateError(message) { this.message = message; }

  function digits(text) {  // int() of Unicode decimal digits: each block of ten starts at its zero
    var n = 0;
    for (var ch of text) {
      var c = ch.codePointAt(0), zero = c;
      while (zero > 0 && IS_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
      n = n * 10 + ((c - zero) % 10);
    }
    return n;
  }

  function leap(y) { return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0); }
  function monthDays(y, m) { return [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]; }

  /** Python's date(y, m, d).toordinal(), or a DateError with datetime's own message. */
  function ordinal(y, m, d, raw) {
    var why = y < 1 || y > 9999 ? "year " + y + " is out of range" : m < 1 || m > 12 ? "month must be in 1..12" :
      d < 1 || d > monthDays(y, m) ? "day is out of range for month" : null;
    if (why) throw new DateError(raw === undefined ? why : "impossible date '" + raw + "': " + why);
    var yy = y - 1, days = yy * 365 + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400);
    for (var k = 1; k < m; k++) days += monthDays(y, k);
    return days + d;
  }

  /** [first, last] day ordinals a YYYY, YYYY-MM or full date means (query.date_bounds). */
  function dateBounds(value) {
    var m = YEAR.exec(value) || MONTH.exec(value), y;
    if (m && digits(m[1]) < 1) throw new DateError("impossible year '" + value + "': years start at 0001");
    m = YEAR.exec(value);
    if (m) { y = digits(m[1]); return [ordinal(y, 1, 1), ordinal(y, 12, 31)]; }
    m = MONTH.exec(value);
    if (m) {
      y = digits(m[1]);
      var month = digits(m[2]);
      if (month < 1 || month > 12) throw new DateError("impossible month '" + value + "': month must be in 1..12");
      return [ordinal(y, month, 1), ordinal(y, month, monthDays(y, month))];
    }
    var day = parseDate(value);
    return [day, day];
  }

  function parseDate(value) {
    if (!pyStrip(value)) throw new DateError("cannot read date " + pyRepr(value));
    var raw = pyStrip(value), m = NUMERIC.exec(raw);
    if (m) return ordinal(digits(m[1]), digits(m[3] || m[4]), digits(m[5]), raw);
    m = RFC822.exec(raw);
    if (m && raw.indexOf(":") >= 0) {
      // email.utils reads more forms; these are the ones a query can hold (day, month name, year).
      var mon = MONTHS[m[2].toLowerCase()];
      if (!mon || m[2].length !== 3) throw new DateError("impossible date '" + raw + "': cannot unpack non-iterable NoneType object");
      return ordinal(digits(m[3]), mon, digits(m[1]), raw);
    }
    m = ENGLISH.exec(raw);
    if (m) {
      var name = (m[1] || m[5]).toLowerCase().replace(/\.+$/, "");
      return ordinal(digits(m[3] || m[6]), MONTHS[name], digits(m[2] || m[4]), raw);
    }
    throw new DateError("cannot read date '" + raw + "'");
  }

  /** [first, last] ordinals of a year, month, day or `a..b` range (parse.date_range); throws QueryError. */
  function dateRange(value, name) {
    name = name || "date";
    var cut = value.indexOf(".."), startText = value, endText = value;
    if (cut >= 0) { startText = value.slice(0, cut); endText = value.slice(cut + 2); }
    if (name === "year" && [startText, endText].some(function (v) { return v && !YEAR_ONLY.test(v); })) {
      throw new QueryError("'" + name + ":" + value + "' is not a year — write year:2022 or year:2021..2023");
    }
    var start, end;
    try {
      start = startText ? dateBounds(startText)[0] : MIN_DAY;
      end = endText ? dateBounds(endText)[1] : MAX_DAY;
    } catch (exc) {
      if (!(exc instanceof DateError)) throw exc;
      throw new QueryError("'" + name + ":" + value + "': " + exc.message + " — write YYYY, YYYY-MM or YYYY-MM-DD, " +
        "or a range such as 2021..2022-06");
    }
    if (start > end) throw new QueryError("'" + name + ":" + value + "' ends before it starts — put the earlier date first");
    return [start, end];
  }

  // --- topic names: topics.name_forms and Vocabulary._lookup --------------------------------------
  /** The forms a typed topic name is looked up by: squashed, then without a particle or a plural s. */
  function nameForms(name) {
    var folded = squash(name), forms = [folded], n = Array.from(folded).length;
    PARTICLES.forEach(function (p) {
      var m = Array.from(p).length;
      if (folded.endsWith(p) && n > m + 1) forms.push(Array.from(folded).slice(0, n - m).join(""));
    });
    if (folded.endsWith("s") && n > 3) forms.push(Array.from(folded).slice(0, n - 1).join(""));
    return forms;
  }
  /**
   * The key of the topic a `topic:` name means, or a QueryError saying why there is none, with
   * topic_filters.topic_for_query's messages. data: topics.js ({enabled, keys, names, never, docs}).
   */
  function findTopic(name, data) {
    if (!data.enabled) throw new QueryError("no topic '" + name + "': topics are turned off — search for the word itself");
    var stripped = pyStrip(name);
    if (data.keys.indexOf(stripped) >= 0) return stripped;
    var forms = nameForms(name);
    for (var i = 0; i < forms.length; i++) {
      if (Object.prototype.hasOwnProperty.call(data.names, forms[i])) return data.names[forms[i]];
      if (data.never.indexOf(forms[i]) >= 0) {
        throw new QueryError("'" + name + "' is never a topic: nearly every note mentions it — search for the word itself");
      }
    }
    throw new QueryError("no topic '" + name + "' — name a concept from the topics page, or search for the word itself");
  }

  // --- glossary ----------------------------------------------------------------------------
  var MAX_WORDS = 6, WORD_OPTIONS = 3;
  var PARTICLES = A.PARTICLES;

  function squash(text) { return A.fold(text).replace(/[^0-9a-z\uac00-\ud7a3]+/g, ""); }

  function forms(word) {
    if (!word) return [];
    var found = [word];
    PARTICLES.forEach(function (p) {
      if (word.length > p.length + 1 && word.slice(-p.length) === p) found.push(word.slice(0, -p.length));
    });
    if (word.slice(-1) === "s" && word.length > 3) {
      found.push(word.slice(0, -1));
      if (word.slice(-2) === "es") found.push(word.slice(0, -2));
    }
    return found;
  }

  function expansion(matched, alternatives, kind) {
    return { matched: matched, alternatives: alternatives, kind: kind || "concept" };
  }

  function uniq(list) { return Array.from(new Set(list)); }

  /** Concepts as arrays of synonymous terms (merged by the build), looked up by squashed form; common words. */
  function Glossary(concepts, words) {
    this.concepts = concepts;
    this.index = new Map();
    for (var i = 0; i < concepts.length; i++) {
      for (var t = 0; t < concepts[i].length; t++) this.index.set(squash(concepts[i][t]), i);
    }
    // Squashed common word -> its translations, as Glossary.words (the manifest's glossaryWords).
    this.words = new Map(Object.keys(words || {}).map(function (k) { return [k, words[k]]; }));
  }

  /** {matched, alternatives} for exactly these words, each maybe with a particle or plural, or null. */
  Glossary.prototype.lookup = function (words) {
    var options = words.map(function (w) { return forms(squash(w)); });
    if (!options.every(function (f) { return f.length; })) return null;
    var picks = options.map(function () { return 0; });
    for (;;) {  // itertools.product order: the last word's forms vary fastest
      var combo = picks.map(function (p, k) { return options[k][p]; }).join("");
      if (this.index.has(combo)) {
        var typed = new Set(words.map(squash).concat([combo, squash(words.join(""))]));
        var others = this.concepts[this.index.get(combo)].filter(function (t) { return !typed.has(squash(t)); });
        return others.length ? expansion(words.join(" "), others) : null;
      }
      var k = picks.length - 1;
      while (k >= 0 && ++picks[k] === options[k].length) { picks[k] = 0; k--; }
      if (k < 0) return null;
    }
  };

  /** Concepts in a run of words of `smallest` words or more, longest first, not overlapping: [[start, end, expansion]]. */
  Glossary.prototype.expand = function (words, smallest) {
    smallest = smallest || 1;
    var found = [], i = 0;
    while (i < words.length) {
      var hit = false;
      for (var size = Math.min(MAX_WORDS, words.length - i); size >= smallest; size--) {
        var x = this.lookup(words.slice(i, i + size));
        if (x) { found.push([i, i + size, x]); i += size; hit = true; break; }
      }
      if (!hit) i++;
    }
    return found;
  };

  /** What one typed word translates to: its concept's other terms, or its common-word translations. */
  Glossary.prototype.translations = function (word) {
    var concept = this.lookup([word]);
    if (concept) return concept.alternatives;
    var options = forms(squash(word));
    for (var i = 0; i < options.length; i++) {
      if (this.words.has(options[i])) {
        return this.words.get(options[i]).filter(function (t) { return squash(t) !== squash(word); });
      }
    }
    return [];
  };

  function runs(count, covered) {
    var out = [], i = 0;
    while (i < count) {
      if (covered.has(i)) { i++; continue; }
      var end = i;
      while (end < count && !covered.has(end)) end++;
      out.push([i, end]);
      i = end;
    }
    return out;
  }

  /** glossary.expand_all: concepts of two or more words, runs translated word by word, one-word concepts, common words. */
  Glossary.prototype.expandAll = function (words) {
    if (words.length < 2) return this.expand(words);
    var self = this, found = this.expand(words, 2), covered = new Set();
    found.forEach(function (f) { for (var i = f[0]; i < f[1]; i++) covered.add(i); });
    runs(words.length, covered).forEach(function (r) { found = found.concat(self.translateRun(words, r[0], r[1], covered)); });
    runs(words.length, covered).forEach(function (r) {
      self.expand(words.slice(r[0], r[1])).forEach(function (f) {
        found.push([r[0] + f[0], r[0] + f[1], f[2]]);
        for (var i = r[0] + f[0]; i < r[0] + f[1]; i++) covered.add(i);
      });
    });
    words.forEach(function (word, i) {
      if (covered.has(i)) return;
      var others = self.translations(word);
      if (others.length) found.push([i, i + 1, expansion(word, others, "word")]);
    });
    return found.map(function (f, n) { return [f, n]; })
      .sort(function (a, b) { return a[0][0] - b[0][0] || a[1] - b[1]; }).map(function (p) { return p[0]; });
  };

  Glossary.prototype.translateRun = function (words, start, end, covered) {
    var found = [], i = start;
    while (i < end) {
      var took = false;
      for (var size = Math.min(MAX_WORDS, end - i); size > 1; size--) {
        var part = words.slice(i, i + size), self = this;
        var options = part.map(function (w) { return [w].concat(self.translations(w).slice(0, WORD_OPTIONS)); });
        var picks = options.map(function () { return 0; }), hit = null;
        for (;;) {
          var k = picks.length - 1;
          while (k >= 0 && ++picks[k] === options[k].length) { picks[k] = 0; k--; }
          if (k < 0) break;  // back to all zeros: every combination tried (the first, as typed, is skipped)
          var combo = picks.map(function (p, n) { return options[n][p]; });
          var concept = this.lookup(combo);
          if (concept) {
            var typed = new Set(part.map(squash).concat([squash(part.join(""))]));
            var alternatives = uniq((typed.has(squash(combo.join(""))) ? [] : [combo.join(" ")]).concat(concept.alternatives));
            hit = expansion(part.join(" "), alternatives.filter(function (a) { return !typed.has(squash(a)); }), "words");
            break;
          }
        }
        if (hit && hit.alternatives.length) {
          found.push([i, i + size, hit]);
          for (var c = i; c < i + size; c++) covered.add(c);
          i += size;
          took = true;
          break;
        }
      }
      if (!took) i++;
    }
    return found;
  };

  /** Whether two Hangul strings of one length differ in one letter (jamo) of one syllable. */
  function oneJamoApart(a, b) {
    var diff = [];
    for (var i = 0; i < a.length; i++) if (a.charAt(i) !== b.charAt(i)) diff.push(i);
    if (diff.length !== 1) return false;
    var x = a.charCodeAt(diff[0]) - 0xac00, y = b.charCodeAt(diff[0]) - 0xac00;
    if (!(x >= 0 && x < 11172 && y >= 0 && y < 11172)) return false;
    var parts = [Math.floor(x / 588) !== Math.floor(y / 588), Math.floor((x % 588) / 28) !== Math.floor((y % 588) / 28),
      x % 28 !== y % 28];
    return parts.filter(Boolean).length === 1;
  }

  /** The glossary's Hangul terms one letter (jamo) away from a Hangul word: 트렌스포머 -> 트랜스포머. */
  Glossary.prototype.nearSpellings = function (word) {
    var target = squash(word);
    if (!target || !/^[\uac00-\ud7a3]+$/.test(target)) return [];
    var found = [];
    this.concepts.forEach(function (concept) {
      concept.forEach(function (term) {
        var form = squash(term);
        if (form.length === target.length && form !== target && oneJamoApart(form, target)) found.push(term);
      });
    });
    return uniq(found);
  };

  var api = { QueryError: QueryError, parse: parse, tagKey: tagKey, pieces: pieces, dateRange: dateRange, ordinal: ordinal,
    pyRepr: pyRepr, pyStrip: pyStrip, squash: squash, forms: forms, Glossary: Glossary, PARTICLES: PARTICLES,
    oneJamoApart: oneJamoApart, nameForms: nameForms, findTopic: findTopic };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else global.NotebaseQuery = api;
})(typeof window !== "undefined" ? window : this);
