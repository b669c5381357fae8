"""Concept topics: the research concepts an entry is about, whatever language it is written in.

The vocabulary is the search glossary (one concept a line, `대조 학습 = contrastive learning`) with
the concepts and spellings of `topics.txt` beside this module and the `topics_add:` of
notebase.yaml; the concepts listed there as `[not topics]` (paper, experiment, accuracy: words every
note uses) and those of `topics_stop:` are never topics. `topics: false` turns topics off.

One function, `topics_of`, decides an entry's topics for the CLI, the site and the search index,
from the entry alone (never from other entries), so an edit changes only its own topics and an
index updated note by note agrees with a site built at once.

Weighting, so a passing mention does not count: a concept named in the title, the paper's title
or an author's tag scores 3; each mention in the text scores 1 (1.5 in its first lines). An
entry's topics are the concepts scoring at least 3 plus one for every `PER_CHARS` characters of
text (a long note mentions everything more often), and at least a quarter of its best concept's
score; at most `MOST` of them, best first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import compress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from notebase.search.glossary import Glossary, load_glossary, parse_line, squash
from notebase.site.topic_forms import HANGUL, endings, is_acronym, name_forms, spacings, stems, tokens
from notebase.slug import slugify

if TYPE_CHECKING:  # a search checks the topic settings without loading the entry model
    from notebase.model import Entry

MOST = 5  # topics an entry gets at most
STRONG = 3.0  # a concept in the title, paper title or a tag
LEAD = 300  # characters at the start of the text where a mention counts more
LEAD_WEIGHT = 1.5
NEED = 2.0  # the least score of a topic named only in the text, in a short note
PER_CHARS = 2000  # one more mention needed per this many characters of text
SCANNED = 3000  # characters of text read (some 450 words): enough to tell what a note is about, bounded for long notes
MAX_TOKENS = 6  # words in the longest term looked for
BARRIER = "\n0\n"  # between a title and a tag: a word that starts no term, so none spans the two
# A run of capitals (and digits) standing alone, maybe with a plural s: GAN, GANs, VAE, S4.
_ACRONYM = re.compile(r"(?<![0-9A-Za-z])([A-Z][A-Z0-9]{1,7})s?(?![0-9A-Za-z])")
_CAPITALS = re.compile(r"[A-Z][A-Z0-9]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Concept:
    """One concept: its key (for paths and `topic:`), its terms, and its names in Korean and English."""

    key: str
    terms: tuple[str, ...]
    ko: str
    en: str

    def label(self, language: str = "ko") -> str:
        """Return the concept's name in the site's language (the other when it has none)."""
        return (self.ko or self.en) if language == "ko" else (self.en or self.ko)

    def other(self, language: str = "ko") -> str:
        """Return the concept's name in the other language, or ''."""
        other = self.en if language == "ko" else self.ko
        return other if other != self.label(language) else ""


@dataclass(frozen=True)
class TopicSettings:
    """What decides the vocabulary: the config's glossary, topics_add and topics_stop."""

    enabled: bool = True
    glossary: tuple = ()
    add: tuple = ()
    stop: tuple = ()


def settings_of(config) -> TopicSettings:
    """Return the topic settings of a Config (hashable, so vocabularies are built once per settings)."""
    def frozen(items) -> tuple:
        return tuple(tuple(str(t) for t in i) if isinstance(i, (list, tuple)) else str(i) for i in items or ())

    return TopicSettings(bool(getattr(config, "topics", True)), frozen(getattr(config, "glossary", ())),
                         frozen(getattr(config, "topics_add", ())), frozen(getattr(config, "topics_stop", ())))


class Vocabulary:
    """The concepts topics are chosen from, and the tables that find them in text.

    Concepts that are never topics stay in the tables, so a term of one (`test data`) still
    takes its words from a shorter term inside it; they are only left out of what is counted.
    """

    def __init__(self, glossary: Glossary, not_topics: Iterable[str]):
        stop = {squash(name) for name in not_topics if squash(name)}
        every: list[Concept] = []
        self._names: dict[str, int] = {}  # squashed term -> concept number, for `find`
        # A term's words as a note may write them -> concept: one word by itself, longer terms by their
        # words. (A one-word form as a tuple of its own, and a table of those, cost 10 MB more in every process.)
        self._single: dict[str, int] = {}
        self._forms: dict[tuple[str, ...], int] = {}
        starts: dict[str, set[int]] = {}
        pairs: set[str] = set()
        self._acronyms: dict[str, int] = {}
        self._never: set[int] = set()  # numbers of the concepts that are never topics
        taken: set[str] = set()
        for terms in glossary.concepts:
            if not terms:
                continue
            number = len(every)
            every.append(_concept(terms, taken))
            if any(squash(t) in stop for t in terms):
                self._never.add(number)
            for term in terms:
                self._names.setdefault(squash(term), number)
                if is_acronym(term):
                    self._acronyms.setdefault(term.strip(), number)
                    continue
                words = tokens(term)
                if not words or len(words) > MAX_TOKENS:
                    continue
                for variant in spacings(words, korean=bool(HANGUL.search(term))):
                    # A one-word term is found by its word as written (particle, plural and all); a
                    # longer term by its first word, its last word's ending taken off when it is met.
                    for form in ([(w,) for w in endings(variant[0])] if len(variant) == 1 else [tuple(variant)]):
                        if len(form) == 1:
                            self._single.setdefault(form[0], number)
                        else:  # its first two words, the second as written or (the last) with an ending
                            self._forms.setdefault(form, number)
                            starts.setdefault(form[0], set()).add(len(form))
                            pairs.update(f"{form[0]} {w}" for w in (endings(form[1]) if len(form) == 2 else form[1:2]))
        self._every = tuple(every)
        self.concepts = tuple(c for n, c in enumerate(every) if n not in self._never)
        self.stopped = tuple(c for n, c in enumerate(every) if n in self._never)
        self._by_key = {c.key: n for n, c in enumerate(every)}
        self._starts = {w: tuple(sorted(lengths, reverse=True)) for w, lengths in starts.items()}  # of longer terms
        self._pairs = frozenset(pairs)  # the first two words of longer terms, joined by a space
        self._firsts = frozenset(p[:p.index(" ")] for p in pairs)  # the first words of longer terms

    def __len__(self) -> int:
        return len(self.concepts)

    def concept(self, key: str) -> Concept:
        """Return the concept with this key."""
        return self._every[self._by_key[key]]

    def is_topic(self, concept: Concept) -> bool:
        """Whether a concept may be a topic (not one of the concepts every note mentions)."""
        return self._by_key[concept.key] not in self._never

    def find(self, name: str, stopped: bool = False) -> Concept | None:
        """Return the topic concept a name means: its key, or any of its terms in either language, any spacing.

        With `stopped`, a concept that is never a topic is found too (to say so).
        """
        found = self._lookup(name)
        return found if found is not None and (stopped or self.is_topic(found)) else None

    def _lookup(self, name: str) -> Concept | None:
        """The concept a name means: a key as it is, else a term (squashed), else one without an ending.

        search-query.js `findTopic` repeats these steps for the site's search.
        """
        if name.strip() in self._by_key:
            return self.concept(name.strip())
        number = next((self._names[s] for s in name_forms(name) if s in self._names), None)
        return self._every[number] if number is not None else None

    def names(self, stopped: bool = False) -> dict[str, str]:
        """Return {squashed term: key} of the topic concepts (or, with `stopped`, of those never topics)."""
        return {squash(t): c.key for c in (self.stopped if stopped else self.concepts) for t in c.terms if squash(t)}

    def mentions(self, text: str) -> dict[str, int]:
        """Return how often text names each concept (topics or not), by key."""
        return {self._every[n].key: times for n, times in self.count(text).items()}

    def count(self, text: str) -> Counter:
        """Return how often each concept (by number) is named in text, longest term first, not overlapping."""
        return self._count(text, tokens(text))[0] if text else Counter()

    def _count(self, text: str, words: list[str], lead: int = 0) -> tuple[Counter, Counter]:
        """Count the concepts named in text (its words given): everywhere, and in its first `lead` words."""
        starts, forms, single_forms = self._starts, self._forms, self._single
        # Longer terms start where a word that starts one does, followed by a word that can come
        # second: those places are found with C-level set, map and compress over the words.
        uniq = set(words)
        matches = []
        if not self._firsts.isdisjoint(uniq):
            pairs = self._pairs
            for at in compress(range(len(words) - 1), map(self._firsts.__contains__, words)):
                first = words[at]
                if f"{first} {words[at + 1]}" not in pairs:
                    continue
                for length in starts[first]:
                    form = tuple(words[at:at + length])
                    number = forms.get(form)
                    if number is None and len(form) == length:
                        number = next((forms[f] for stem in stems(form[-1]) if (f := (*form[:-1], stem)) in forms),
                                      None)
                    if number is not None:
                        matches.append((at, -length, number))  # sorted: leftmost, then longest first
                        break
        single = single_forms.keys() & uniq
        found: Counter = Counter()
        early: Counter = Counter()
        covered: list[str] = []  # the words of the longer terms found, which one-word terms inside them lose
        covered_early: list[str] = []
        end = 0
        matches.sort()
        for at, minus, number in matches:
            if at >= end:  # not inside a longer term that starts earlier
                found[number] += 1
                if at < lead:
                    early[number] += 1
                end = at - minus
                if minus < -1:
                    covered += words[at:end]
                    if at < lead:
                        covered_early += words[at:min(end, lead)]
        head = words[:lead]
        counted = Counter(words) if len(single) > 8 else None  # one pass beats many list.count scans
        for word in single:
            times = counted[word] if counted is not None else words.count(word)
            times -= covered.count(word) if covered else 0
            if times > 0:
                found[single_forms[word]] += times
                first_times = head.count(word) - covered_early.count(word) if lead else 0
                if first_times > 0:
                    early[single_forms[word]] += first_times
        if self._acronyms and _CAPITALS.search(text):
            for m in _ACRONYM.finditer(text):
                number = self._acronyms.get(m.group(1))
                if number is not None:
                    found[number] += 1
                    if m.start() < LEAD and lead:
                        early[number] += 1
        return found, early

    def scores(self, entry: Entry) -> dict[int, float]:
        """Return each concept's score for an entry (see the module docstring), by concept number."""
        return self._scores(entry)[0]

    def _scores(self, entry: Entry) -> tuple[dict[int, float], set[int], list[str], int]:
        # One count over the title, the paper's title and the tags, a word no term has between them.
        heads = [entry.title, getattr(entry, "paper_title", "") or "", *(t.replace("/", " ") for t in entry.tags)]
        strong: set[int] = set(self.count(BARRIER.join(h for h in heads if h)))
        text = entry.text[:SCANNED]
        words = tokens(text)
        scores: dict[int, float] = {n: STRONG for n in strong}
        found, early = self._count(text, words, len(tokens(text[:LEAD])))
        for number, times in found.items():
            scores[number] = scores.get(number, 0.0) + times
        for number, times in early.items():
            scores[number] = scores.get(number, 0.0) + times * (LEAD_WEIGHT - 1)
        for number in self._never.intersection(scores):
            del scores[number]
        return scores, strong, words, len(text)  # the text read once: a long one is kept compressed

    def read(self, entry: Entry) -> tuple[tuple[str, ...], list[str]]:
        """Return an entry's topics (keys, best first) and the words of the text read for them."""
        scores, strong, words, scanned = self._scores(entry)
        if not scores:
            return (), words
        need = NEED + scanned / PER_CHARS
        least = max(scores.values()) / 4
        kept = sorted((n for n, s in scores.items() if n in strong or s >= need and s >= least),
                      key=lambda n: (-scores[n], self._every[n].key))
        return tuple(self._every[n].key for n in kept[:MOST]), words

    def topics_of(self, entry: Entry) -> tuple[str, ...]:
        """Return the keys of an entry's topics, best first (ties by key)."""
        return self.read(entry)[0]


def _concept(terms: tuple[str, ...], taken: set[str]) -> Concept:
    """A concept's key and names: the first English term (its full name rather than an acronym) keys it."""
    korean = [t for t in terms if HANGUL.search(t)]
    english = [t for t in terms if not HANGUL.search(t) and _LATIN.search(t)]
    spelled = [t for t in english if not is_acronym(t)] or english
    base = slugify(spelled[0] if spelled else terms[0], limit=60)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return Concept(key, tuple(terms), korean[0] if korean else "", spelled[0] if spelled else "")


def _data() -> tuple[list[tuple[str, ...]], list[str]]:
    """Return the concepts and the not-topics of topics.txt."""
    text = Path(__file__).with_name("topics.txt").read_text(encoding="utf-8")
    concepts: list[tuple[str, ...]] = []
    stop: list[str] = []
    section = concepts
    for line in text.splitlines():
        if line.strip() == "[not topics]":
            section = stop  # type: ignore[assignment]
            continue
        terms = parse_line(line)
        if not terms:
            continue
        if section is stop:
            stop.append(terms[0])
        else:
            concepts.append(terms)
    return concepts, stop


@lru_cache(maxsize=4)
def build_vocabulary(settings: TopicSettings) -> Vocabulary | None:
    """Return the vocabulary these settings give, or None when topics are off."""
    if not settings.enabled:
        return None
    glossary = load_glossary(settings.glossary)
    shipped, not_topics = _data()
    for terms in shipped:
        glossary.add(terms)
    for item in settings.add:
        terms = parse_line(item) if isinstance(item, str) else tuple(item)
        if terms:
            glossary.add(terms)
    return Vocabulary(glossary, [*not_topics, *settings.stop])


def adopt_vocabulary(settings: TopicSettings, vocab: Vocabulary) -> None:
    """Take a vocabulary built earlier for these settings (a build state's: vocab_cache.py) instead of building it."""
    _ADOPTED.clear()  # one at a time: as build_vocabulary's own cache, this lives as long as the process
    _ADOPTED[settings] = vocab


_ADOPTED: dict[TopicSettings, Vocabulary] = {}


def vocabulary(config) -> Vocabulary | None:
    """Return the topic vocabulary of a knowledge base, or None when its notebase.yaml says `topics: false`."""
    settings = settings_of(config)
    adopted = _ADOPTED.get(settings)
    return adopted if adopted is not None else build_vocabulary(settings)


def topics_of(entry: Entry, vocab: Vocabulary | None) -> tuple[str, ...]:
    """Return the keys of an entry's concept topics, best first; () when topics are off."""
    return vocab.topics_of(entry) if vocab is not None else ()
