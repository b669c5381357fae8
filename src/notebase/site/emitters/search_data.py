"""The static site's search data: the CLI index's terms and statistics as on-demand script files.

Chromium will not `fetch` a file:// URL, so every file is a script that hands its data to
`NotebaseSearch.add(kind, key, data)` (templates/static/search.js) and is loaded by inserting a
<script> tag. Files under `search/data/`:

    manifest.js       doc count, field totals, BM25F constants, glossary, types and tags for the
                      filters, shard and chunk counts, Whoosh's byte-to-length table
    docs.js           one column per document property every query needs: the quantised field
                      lengths Whoosh stores (so scores match), type, language, date, and where the
                      document's text lives
    tags.js           the documents of each tag, loaded only for a tag filter
    terms/<n>.js      postings of the terms whose hash falls in shard n: per field, the documents
                      and term frequencies
    text/<n>.js       title, page path, tags, head and body text of the documents in chunk n, loaded
                      for the hits shown (snippets) and to check phrases
    vocab/<n>.js      the terms filed under each key whose hash falls in shard n (vocabulary.py):
                      the bigrams holding a syllable, the words of a first letter; loaded for a
                      lone-syllable query and a misspelt word

Documents are numbered oldest first (the exact reverse of the CLI's newest first, then by id), so
a higher number wins a tie, as in the CLI, and a new note, usually the newest, takes the next number:
adding or deleting it renumbers no other document, and changes no posting list it is not in.
Text chunks are picked by a hash of the entry id, so editing one note rewrites one chunk.
Numbers are written with `encode_number` (5 bits a character, see search.js `decode`) to keep shards small.

`LiveSearchData` (search_live.py, importable from here) keeps this data in memory for `notebase
serve` and, after an edit, returns only the files whose bytes changed.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Sequence
from itertools import repeat
from operator import sub

from whoosh.util.numeric import byte_to_length, length_to_byte

from notebase.config import Config
from notebase.crash import worker_pool
from notebase.load.entries import TYPE_ALIASES
from notebase.model import Entry, EntryType
from notebase.search import plan, scoring
from notebase.search.analysis import LATIN_TERM, STOP_WORDS, fold, terms
from notebase.search.glossary import load_glossary
from notebase.search.schema import FIELD_BOOSTS, to_document
from notebase.search.scoring import B, K1
from notebase.search.searcher import COORD_FLOOR
from notebase.search.vocabulary import fnv1a, group
from notebase.render.urls import entry_path

FORMAT = 2  # bump when the layout changes; search.js refuses data of another format
FOLDER = "search/data/"
SHARD_BYTES = 96_000  # aim for postings shards about this size: a query loads one per term
PARALLEL_DOCS = 2000  # below this, starting processes costs more than it saves
CHUNK_CHARS = 24_000  # aim for text chunks about this size: a page of hits loads up to ten
VOCAB_BYTES = 48_000  # aim for vocabulary shards about this size: a query loads one per key
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
FIELDS = tuple(FIELD_BOOSTS)  # ("head", "body")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_PAIR = re.compile(r"[\uac00-\ud7a3]{2}")


def search_files(entries: Sequence[Entry], config: Config, jobs: int | None = None) -> dict[str, bytes]:
    """Return the browser search data: {site path relative to the output root: file content}."""
    return dict(iter_search_files(entries, config, jobs))


def newest_first(entry: Entry) -> tuple[int, str]:
    """The CLI's order of results that tie (newest first, then by id); documents are numbered in its reverse."""
    return -entry.date.toordinal(), entry.id


def iter_search_files(entries: Sequence[Entry], config: Config, jobs: int | None = None) -> Iterator[tuple[str, bytes]]:
    """Yield the browser search data file by file (site path, content), so a large site never holds it all."""
    docs = sorted(entries, key=newest_first, reverse=True)  # numbered oldest first
    fields = [to_document(e) for e in docs]
    lengths, postings, _ = index_texts([(f["head"], f["body"]) for f in fields], jobs)
    shards = shard_count(sum(len(k) + sum(map(len, v)) + 12 for k, v in postings.items()), SHARD_BYTES)
    by_shard: list[dict[str, list[str]]] = [{} for _ in range(shards)]
    for term in list(postings):
        by_shard[fnv1a(term) & (shards - 1)][term] = postings.pop(term)
    vocab = vocab_shards([t for shard in by_shard for t in shard])
    chunk_of, chunks = _chunks(docs, fields)
    tags = tag_index(docs)
    where = [encode_number(c) + encode_number(r) for c, r in chunk_of]
    yield data_file("docs.js", "docs", "", doc_columns(docs, [length_code(h, b) for h, b in lengths], where))
    yield data_file("manifest.js", "manifest", "", manifest_data(*doc_counts(docs, lengths), config, shards, len(chunks),
                                                                   tags, len(vocab)))
    yield data_file("tags.js", "tags", "", tag_docs(tags, Codes()))
    for n in range(shards):
        shard, by_shard[n] = by_shard[n], {}
        yield data_file(f"terms/{n}.js", "terms", n, shard)
    for n, members in enumerate(chunks):
        yield data_file(f"text/{n}.js", "text", n, [text_row(docs[d], fields[d]) for d in members])
    for n, keys in enumerate(vocab):
        yield data_file(f"vocab/{n}.js", "vocab", n, keys)


def data_file(rel: str, kind: str, key, data) -> tuple[str, bytes]:
    """Return (site path, bytes) of one search data script: `kind` and `key` name what it holds."""
    return FOLDER + rel, _script(kind, key, data).encode("utf-8", "backslashreplace")


def doc_terms(head: str, body: str) -> tuple[Counter, Counter]:
    """Return the term counts of a document's head and body, as every path here tokenizes them."""
    return Counter(terms(head)), term_counts(body)


def term_counts(text: str) -> Counter:
    """Return Counter(analysis.terms(text)) without building the token list (faster, same counts).

    The same rules in C-level scans: Latin runs of two or more, one-syllable Hangul runs, and
    every Hangul bigram as the pairs at even offsets of each run, then at odd offsets.
    """
    norm = unicodedata.normalize("NFKC", text).lower()
    found = Counter(LATIN_TERM.findall(norm))
    runs = _HANGUL_RUN.findall(norm)
    found.update(run for run in runs if len(run) == 1)
    found.update(_PAIR.findall("\x00".join(runs)))
    found.update(_PAIR.findall("\x00".join([run[1:] for run in runs])))
    for stop in STOP_WORDS & found.keys():
        del found[stop]
    for plural in [t for t in found if t[-1] == "s" and fold(t) != t]:  # rule 6, on the distinct terms
        found[fold(plural)] += found.pop(plural)
    return found


def vocab_size(key: str, terms) -> int:
    """What one vocabulary key and its terms count towards the size its shards are cut by."""
    return len(key) + sum(len(t) + 3 for t in terms) + 6


def vocab_shards(words) -> list[dict[str, list[str]]]:
    """Return the vocabulary files' data: {key: sorted terms} per shard, as vocabulary.py files them."""
    keys = group(words)
    size = sum(vocab_size(k, v) for k, v in keys.items())
    shards: list[dict[str, list[str]]] = [{} for _ in range(shard_count(size, VOCAB_BYTES))]
    for key in sorted(keys):
        shards[fnv1a(key) & (len(shards) - 1)][key] = sorted(keys[key])
    return shards


def encode_number(value: int) -> str:
    """A number in 5-bit digits, most significant first; every digit but the last is marked +32."""
    digits = [ALPHABET[value & 31]]
    value >>= 5
    while value:
        digits.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    return "".join(reversed(digits))


class Codes(list):
    """`encode_number` of 0, 1, 2... precomputed, so encoding a posting list is one C-level map."""

    def upto(self, n: int) -> Codes:
        self.extend(encode_number(v) for v in range(len(self), n + 1))
        return self


def _enc_docs(docs: list[int], codes: Codes | None = None) -> str:
    """Document numbers (ascending) as the gaps from the previous one, the first from -1."""
    codes = (Codes() if codes is None else codes).upto(docs[-1] + 1 if docs else 0)
    return "".join(map(codes.__getitem__, map(sub, docs, [-1] + docs[:-1])))


# (head, body) of every document (or a sequence that makes them when asked), inherited by forked workers
_TEXTS: Sequence[tuple[str, str]] = []


def index_texts(texts: Sequence[tuple[str, str]], jobs: int | None
                ) -> tuple[list[tuple[int, int]], dict[str, list[str]], list[int]]:
    """Return each document's field lengths in tokens, {term: [head docs, head tfs, body docs, body tfs]}
    and each document's length in characters (head and body: what text chunks are sized by).

    Tokenizing is most of the work, so large sites split the documents between forked processes;
    each returns its postings encoded, and the pieces are joined in document order.
    """
    global _TEXTS
    jobs = min(os.cpu_count() or 1, 4) if jobs is None else jobs
    parts = jobs if jobs > 1 and len(texts) >= PARALLEL_DOCS and "fork" in multiprocessing.get_all_start_methods() else 1
    # Many small segments merged as they come, so no process ever holds half the postings twice.
    step = max(1, -(-len(texts) // (parts * 8)))
    ranges = [(start, min(len(texts), start + step)) for start in range(0, len(texts), step)]
    mine, theirs = (ranges[:len(ranges) // parts], ranges[len(ranges) // parts:]) if parts > 1 else (ranges, [])
    codes = Codes().upto(len(texts) + 1)
    lengths: list[tuple[int, int]] = []
    sizes: list[int] = []
    merged: dict[str, list] = {}

    def absorb(segment) -> None:
        found, postings, chars = segment
        lengths.extend(found)
        sizes.extend(chars)
        for term, pieces in postings.items():
            lists = merged.get(term)
            if lists is None:
                merged[term] = lists = [[], "", [], "", -1, -1]  # docs, tfs per field; then last doc per field
            for f, piece in enumerate(pieces):
                if piece is not None:
                    first, last, rest, tfs = piece
                    lists[2 * f].append(codes[first - lists[4 + f]] + rest)
                    lists[2 * f + 1] += tfs
                    lists[4 + f] = last

    _TEXTS = texts
    try:
        if not theirs:
            for bounds in mine:
                absorb(_segment(*bounds))
        else:
            gc.freeze()  # keep the children's collector from copying every shared page
            try:
                # fork: children inherit the texts, nothing to pickle; they die with this process
                with worker_pool(parts - 1, "fork") as pool:
                    results = pool.map(_segment, *zip(*theirs))  # in order, as they finish
                    for bounds in mine:
                        absorb(_segment(*bounds))
                    for segment in results:
                        absorb(segment)
            finally:
                gc.unfreeze()
    finally:
        _TEXTS = []
    return lengths, {term: ["".join(v[0]), v[1], "".join(v[2]), v[3]] for term, v in merged.items()}, sizes


def _segment(start: int, stop: int) -> tuple[list[tuple[int, int]], dict[str, list], list[int]]:
    """Tokenize documents start..stop-1 and return their lengths, postings (encoded) and characters.

    Each term's piece per field is (first doc, last doc, the other docs as gaps, the frequencies).
    """
    extend = list.extend
    # One document's counts at a time: holding every document's Counter at once cost more memory
    # than the rest of the build.
    inverted: list[defaultdict[str, list[int]]] = [defaultdict(list), defaultdict(list)]
    gets = [lists.__getitem__ for lists in inverted]
    lengths, chars = [], []
    top = 1
    for doc, (head, body) in enumerate(_TEXTS[start:stop], start):
        pair = doc_terms(head, body)
        lengths.append((sum(pair[0].values()), sum(pair[1].values())))
        chars.append(len(head) + len(body))
        for f, found in enumerate(pair):
            if found:
                top = max(top, max(found.values()))
                # [doc, tf, doc, tf, ...] per term, appended at C level: this runs once per posting.
                deque(map(extend, map(gets[f], found), zip(repeat(doc), found.values())), maxlen=0)
    codes = Codes().upto(max(stop, top) + 1)
    get = codes.__getitem__
    out: dict[str, list] = {}
    for f, lists in enumerate(inverted):
        for term, pairs in lists.items():
            pieces = out.get(term)
            if pieces is None:
                out[term] = pieces = [None, None]
            docs = pairs[0::2]
            rest = "".join(map(get, map(sub, docs[1:], docs[:-1])))
            pieces[f] = (docs[0], docs[-1], rest, "".join(map(get, pairs[1::2])))
    return lengths, out, chars


def shard_count(total: int, target: int) -> int:
    """The power of two that brings files nearest `target` bytes, so a hash picks one with a mask."""
    count = 1
    while total / count > target:
        count *= 2
    return count


def _chunks(docs: list[Entry], fields: list[dict]) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """Assign each document to a text chunk by the hash of its id; return (chunk, row) per doc and rows."""
    size = sum(len(f["body"]) + len(f["head"]) + 200 for f in fields)
    count = shard_count(size, CHUNK_CHARS)
    chunks: list[list[int]] = [[] for _ in range(count)]
    for doc in sorted(range(len(docs)), key=lambda d: docs[d].id):
        chunks[fnv1a(docs[doc].id) & (count - 1)].append(doc)
    where = [(0, 0)] * len(docs)
    for n, members in enumerate(chunks):
        for row, doc in enumerate(members):
            where[doc] = (n, row)
    return where, chunks


def text_row(entry: Entry, doc: dict) -> list:
    """What a hit shows and what a phrase is checked against; order documented in search.js."""
    return [entry.id, entry.title, entry.type.value, doc["date"], list(entry.tags), entry.lang,
            entry_path(entry.id, entry.type), doc["head"], doc["body"]]


def length_code(head: int, body: int) -> str:
    """A document's field lengths in tokens as docs.js stores them: Whoosh's length bytes in hex."""
    return f"{length_to_byte(head) or 0:02x}{length_to_byte(body) or 0:02x}"


def doc_columns(docs: list[Entry], lens: list[str], where: list[str]) -> dict:
    """The per-document columns every query reads (a few bytes a document), from `length_code` and chunk codes."""
    types = [t.value for t in EntryType]
    langs = sorted({e.lang for e in docs})
    type_code = {t: str(n) for n, t in enumerate(types)}
    lang_code = {lang: ALPHABET[n] for n, lang in enumerate(langs)}
    ordinals = [e.date.toordinal() for e in docs]
    # Oldest first, so each date is a non-negative step on from the one before.
    steps = list(map(sub, ordinals, ordinals[:1] + ordinals))
    step_code = {step: encode_number(step) for step in set(steps)}
    return {
        "lens": "".join(lens),
        "types": types,
        "type": "".join([type_code[e.type.value] for e in docs]),
        "langs": langs,
        "lang": "".join([lang_code[e.lang] for e in docs]),
        "dates": "".join(map(step_code.__getitem__, steps)),
        "first": ordinals[0] if ordinals else 0,
        "where": "".join(where),
    }


def tag_index(docs: list[Entry]) -> dict[str, tuple[str, list[int]]]:
    """Tags as the index and the site's tag pages key them (`tags.tag_key`, nested tags in their parents).

    {key: (label, docs)}: the label is the spelling most entries use, as on the tag's page.
    """
    from notebase.site.assemble import tag_taxonomy

    index = {entry.id: n for n, entry in enumerate(docs)}
    taxonomy, _ = tag_taxonomy(list(docs))
    return {term.key: (term.label, sorted(index[i] for i in term.ids))
            for term in sorted(taxonomy.terms, key=lambda t: t.key)}


def tag_docs(tags: dict[str, tuple[str, list[int]]], codes: Codes) -> dict[str, str]:
    """tags.js: each tag's documents, encoded."""
    return {key: _enc_docs(ids, codes) for key, (_, ids) in tags.items()}


_GLOSSARIES: dict[str, tuple[list, dict]] = {}


def _glossary_data(extra: tuple) -> tuple[list, dict]:
    """The glossary's concepts and words as manifest.js lists them, worked out once a process for each
    glossary setting (a server writes the manifest after every edit; the glossary took 20 ms)."""
    key = repr(extra)  # items may be lists: not hashable
    found = _GLOSSARIES.get(key)
    if found is None:
        glossary = load_glossary(extra)
        found = _GLOSSARIES[key] = ([list(c) for c in glossary.concepts if c],
                                    {word: list(others) for word, others in glossary.words.items()})
    return found


def doc_counts(docs: list[Entry], lengths: list[tuple[int, int]]) -> tuple[Counter, list[int]]:
    """What the manifest counts of the documents: how many of each type, and the tokens of each field."""
    return Counter(e.type.value for e in docs), [sum(length[i] for length in lengths) for i in range(len(FIELDS))]


def manifest_data(present: Counter, totals: list[int], config: Config, shards: int, chunks: int,
                  tags: dict[str, tuple[str, list[int]]], vocab: int) -> dict:
    """manifest.js: what the browser needs before any shard (counts, averages, glossary, shard sizes),
    from `doc_counts`."""
    concepts, words = _glossary_data(config.glossary)
    return {
        "format": FORMAT,
        "count": sum(present.values()),
        "fields": list(FIELDS),
        "boosts": [FIELD_BOOSTS[f] for f in FIELDS],
        "totals": totals,
        "k1": K1, "b": B, "coordFloor": COORD_FLOOR, "expansionBoost": plan.EXPANSION_BOOST,
        "commonShare": scoring.COMMON_SHARE, "passage": scoring.PASSAGE, "spread": scoring.SPREAD,
        "partialMin": scoring.PARTIAL_MIN, "wordBoost": plan.WORD_BOOST, "typoBoost": plan.TYPO_BOOST,
        "typoMinLength": plan.TYPO_MIN_LENGTH, "typoFew": plan.TYPO_FEW, "typoRatio": plan.TYPO_RATIO,
        "typoLimit": plan.TYPO_LIMIT, "loneLimit": plan.LONE_LIMIT, "loneWeight": plan.LONE_WEIGHT,
        "lengthTable": [byte_to_length(i) for i in range(256)],
        "shards": shards,
        "chunks": chunks,
        "vocabShards": vocab,
        "glossary": concepts,
        "glossaryWords": words,
        "typeAliases": {alias: kind.value for alias, kind in sorted(TYPE_ALIASES.items())},
        "types": [[t.value, present[t.value]] for t in EntryType if present[t.value]],
        "tags": sorted(([key, label, len(ids)] for key, (label, ids) in tags.items()), key=lambda t: (-t[2], t[0])),
    }


def _script(kind: str, key, data) -> str:
    """One data file: a call that hands the data to the page's search."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # U+2028/2029 end a line inside a string literal before ES2019; they only occur inside strings here.
    body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"NotebaseSearch.add({json.dumps(kind)},{json.dumps(key)},{body});\n"
