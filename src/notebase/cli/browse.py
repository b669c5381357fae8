"""Find one entry by what a person types, and count tags the way the site does."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from notebase.config import Config
from notebase.errors import EntryNotFound, NotebaseError
from notebase.model import Entry, EntryType
from notebase.slug import slugify

_AT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")


class AmbiguousEntry(NotebaseError):
    """What was typed names more than one entry; carries the candidates."""

    def __init__(self, query: str, candidates: Sequence[Entry]):
        self.query = query
        self.candidates = tuple(candidates)
        listed = "\n".join(f"  {e.id}  ({e.source})" + ("" if slugify(e.title) == e.id else f"  {e.title}")
                           for e in self.candidates[:20])
        more = f"\n  … and {len(self.candidates) - 20} more" if len(self.candidates) > 20 else ""
        super().__init__(f"'{query}' matches {len(self.candidates)} entries; name one by its id or path:line:\n"
                         f"{listed}{more}")


def find_entry(entries: Sequence[Entry], query: str, notes_dir: str = "notes") -> Entry:
    """Return the entry an id, a unique id prefix, an exact title or a note's path[:line] names.

    Tried in this order, each case-insensitive: the id, the id of the text as a slug, the title
    (or paper title, or the title as a slug), the note's path or file name (with `:line` for one item of a log), a unique
    id prefix.
    Raise EntryNotFound with close matches, or AmbiguousEntry listing the candidates.
    """
    text = " ".join(query.split())
    if not text:
        raise EntryNotFound("no entry id given — pass an id from 'notebase list'")
    folded = text.casefold()
    slug = slugify(text) if any(ch.isalnum() for ch in text) else ""
    # One cheap pass per rule, most specific first: an id never loses to another entry's title.
    rules = (
        lambda e: e.id == text,
        lambda e: e.id.casefold() == folded or e.id == slug,
        lambda e: e.title.casefold() == folded or (getattr(e, "paper_title", "") or "").casefold() == folded
        or (bool(slug) and slugify(e.title) == slug),  # the title as a slug: what ids were before they came from files
        lambda e: _at_source(e, text, notes_dir),
        lambda e: e.id.casefold().startswith(folded) or (bool(slug) and e.id.startswith(slug)),
    )
    for rule in rules:
        found = [e for e in entries if rule(e)]
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousEntry(text, sorted(found, key=lambda e: (e.source.path, e.source.line, e.id)))
    close = suggestions(entries, text)
    hint = ("; did you mean " + ", ".join(f"'{e.id}'" for e in close) + "?") if close else \
        "; run 'notebase list' to see the ids"
    raise EntryNotFound(f"no entry '{text}'{hint}")


def _at_source(entry: Entry, text: str, notes_dir: str) -> bool:
    """True when text is the entry's note file, or the file and the line the entry starts on."""
    m = _AT_LINE.match(text)
    path, line = (m["path"], int(m["line"])) if m else (text, None)
    path = path.removeprefix("./").removeprefix(notes_dir.strip("/") + "/")
    source = entry.source.path
    # The file's name alone works too (`show simclr` for papers/simclr.md).
    named = path in (source, source.rsplit(".", 1)[0]) or ("/" not in path and path == PurePosixPath(source).stem)
    return named and (line is None or entry.source.line == line)


def suggestions(entries: Iterable[Entry], text: str, n: int = 5) -> list[Entry]:
    """Return up to n entries whose id, title or one of their words is close to text, closest first."""
    query = text.casefold()
    # Short words say little, but two Hangul syllables (학회, 정리) are a whole word.
    words = [w for w in re.split(r"[\W_]+", query) if len(w) >= 3 or (len(w) == 2 and not w.isascii())]
    matcher = difflib.SequenceMatcher()

    def ratio(a: str, b: str, floor: float) -> float:
        matcher.set_seqs(a, b)
        if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
            return 0.0
        return matcher.ratio()

    scored: list[tuple[float, int, Entry]] = []
    for rank, entry in enumerate(entries):
        names = (entry.id, entry.title.casefold())
        # Whole names, and the start of a long id: `show simclr-대조학습` for simclr-대조-학습-...
        best = max(ratio(query, name, 0.6) for name in (*names, entry.id[:len(query) + 2]))
        if words:
            # A misspelt word or two: every word of the query must be close to some word of the entry.
            parts = {w for name in names for w in re.split(r"[\W_]+", name) if w}
            # Containment counts fully: Korean compounds (한국컴퓨터종합학술대회) hold the word typed.
            per_word = [1.0 if any(w in part for part in parts) else
                        max((ratio(w, part, 0.6) for part in parts), default=0.0) for w in words]
            best = max(best, sum(per_word) / len(per_word))
        if best >= 0.75:
            scored.append((best, rank, entry))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [entry for _, _, entry in scored[:n]]


@dataclass(frozen=True)
class TagCount:
    """One tag as the site shows it: its label, how many entries carry it, its page."""

    tag: str
    count: int
    path: str  # the tag page's site path, e.g. 'tags/딥러닝/'
    spellings: tuple[str, ...]  # every spelling the notes use, most used first


def tag_counts(entries: Iterable[Entry], type_: EntryType | None = None, config: Config | None = None
               ) -> list[TagCount]:
    """Return every tag with its count, most used first, then by name, merged as the site merges them."""
    from collections import Counter

    # The site's own merging (case folded, most used spelling as the label) and its tag-page paths:
    # `notebase tags` must show what the site shows, so it calls the same code.
    from notebase.site.assemble import published
    from notebase.site.taxonomy import tag_taxonomy
    from notebase.site.tags import tag_key

    shown = sorted(published(entries, config), key=lambda e: (-e.date.toordinal(), e.id))
    # Terms come from every published entry even with a type filter, so the paths stay the site's.
    taxonomy, _ = tag_taxonomy(shown)
    kinds = {e.id: e.type for e in shown}
    spellings: dict[str, Counter] = {}
    for entry in shown:
        if type_ is None or entry.type is type_:
            for tag in dict.fromkeys(entry.tags):
                spellings.setdefault(tag_key(tag), Counter())[tag] += 1
    counts = []
    for term in taxonomy.terms:
        count = sum(1 for i in term.ids if type_ is None or kinds[i] is type_)
        if count:
            # A tag only others sit inside (`a` of `a/b`) has no spelling of its own: its label stands.
            ordered = sorted(spellings.get(term.key, Counter({term.label: 1})).items(), key=lambda kv: (-kv[1], kv[0]))
            counts.append(TagCount(term.label, count, term.path, tuple(s for s, _ in ordered)))
    return sorted(counts, key=lambda t: (-t.count, t.tag.casefold(), t.path))


@dataclass(frozen=True)
class TopicCount:
    """One concept topic as the site shows it: its key, its name, how many entries are about it, its page."""

    key: str  # what `topic:` and `list --topic` take
    label: str  # in the site's language
    count: int
    path: str  # the topic page's site path, e.g. 'topics/contrastive-learning/'
    names: tuple[str, ...]  # every term of the concept, in both languages


def topic_counts(entries: Iterable[Entry], type_: EntryType | None = None, config: Config | None = None
                 ) -> list[TopicCount]:
    """Return every topic with its count, most entries first, as the site's topic pages count them."""
    from notebase.site.categories import topic_taxonomy
    from notebase.site.assemble import published
    from notebase.site.topics import TopicSettings, build_vocabulary, vocabulary

    vocab = vocabulary(config) if config is not None else build_vocabulary(TopicSettings())
    if vocab is None:
        return []
    shown = sorted(published(entries, config), key=lambda e: (-e.date.toordinal(), e.id))
    topics = {e.id: vocab.topics_of(e) for e in shown}
    taxonomy = topic_taxonomy(shown, topics, vocab, config.language if config is not None else "ko")
    kinds = {e.id: e.type for e in shown}
    counts = []
    for term in taxonomy.terms:
        count = sum(1 for i in term.ids if type_ is None or kinds[i] is type_)
        if count:
            counts.append(TopicCount(term.key, term.label, count, term.path, vocab.concept(term.key).terms))
    return sorted(counts, key=lambda t: (-t.count, t.label.casefold(), t.key))


def topic_key(name: str, config: Config | None = None) -> str:
    """Return the key of the topic a name means (any term, either language); raise NotebaseError saying why not."""
    import difflib

    from notebase.search.glossary import squash
    from notebase.site.topics import TopicSettings, build_vocabulary, vocabulary

    vocab = vocabulary(config) if config is not None else build_vocabulary(TopicSettings())
    if vocab is None:
        raise NotebaseError("topics are turned off (topics: false in notebase.yaml)")
    found = vocab.find(name)
    if found is not None:
        return found.key
    if vocab.find(name, stopped=True) is not None:
        raise NotebaseError(f"'{name}' is never a topic: nearly every note mentions it — search for it instead")
    names = {squash(t): t for c in vocab.concepts for t in c.terms}
    close = difflib.get_close_matches(squash(name), list(names), n=3, cutoff=0.75)
    hint = ("; did you mean " + ", ".join(f"'{names[c]}'" for c in close) + "?") if close else \
        "; run 'notebase tags' to see the topics"
    raise NotebaseError(f"no topic '{name}'{hint}")
