"""The entry model: typed, frozen records that every later stage reads."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar


class EntryType(str, Enum):
    """The three kinds of entry a knowledge base holds."""

    PAPER = "paper"
    CONFERENCE = "conference"
    TIP = "tip"


# Where a date was stated rather than guessed: front matter, a feed item, a Jekyll-style file name,
# or the note's own date line, heading or property. Prose, log neighbours, git and mtime are guesses.
STATED_DATE_SOURCES = ("front matter", "feed", "filename", "folder", "text")


_MISSING = object()


class Deferred:
    """A record some of whose fields may arrive still encoded, to be decoded when first read.

    The engine's state (site/state_rows.py) gives entries and search documents back this way:
    an edit at 10,000 notes shows a few dozen of their texts, and decoding all of them was most
    of the time it took to load the state. Pending fields are held in `_pending` as (decode,
    find, {name: data}) and are absent from the instance until read, so reading one lands here.
    A text kept compressed (`squeeze`) is decompressed each time it is read, never kept.
    """

    def __getattr__(self, name: str):
        pending = self.__dict__.get("_pending")
        data = pending[2].get(name) if pending else None
        if data is None:
            # Asked often (getattr(entry, "paper_title", None) of every tip): the plain error, made cheaply.
            found = self.__dict__.get(name, _MISSING)  # decoded by another thread meanwhile
            if found is _MISSING:
                raise AttributeError(name)
            return found
        value = pending[0](data)
        if pending[0] is not unsqueezed:
            self.__dict__[name] = value  # frozen: set as dataclasses' own __init__ does, past __setattr__
            pending[2].pop(name, None)
        return value

    def holds(self, name: str, needle: str) -> bool:
        """Whether the text field `name` contains `needle`, looked for in its encoded form while it is pending."""
        pending = self.__dict__.get("_pending")
        data = pending[2].get(name) if pending else None
        return needle in getattr(self, name) if data is None else pending[1](data, needle)


# A text from this many characters is kept compressed (`squeeze`): shorter ones gain little.
SQUEEZE_FROM = 1024
SQUEEZED = ("body", "text")  # each read a few times a build: links, lint, topics, search data, the index, the page


def unsqueezed(data: bytes) -> str:
    """A text `squeeze` compressed, as it was."""
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


def _squeezed_holds(data: bytes, needle: str) -> bool:
    return needle in unsqueezed(data)


R = TypeVar("R", bound=Deferred)


def squeeze(record: R) -> R:
    """Keep a fresh record's long body and plain text compressed, decompressed whenever read; return it.

    A build holds every entry from load to the end, while each text is read only a few times (the
    page, the search data, the index, topics): compressed, the texts of 10,000 notes take 65 MB
    instead of 180. Not for a record whose fields are pending already (the state keeps those apart).
    """
    fields = record.__dict__
    if "_pending" in fields:
        return record
    pending = {}
    for name in SQUEEZED:
        value = fields.get(name)
        if type(value) is str and len(value) >= SQUEEZE_FROM:
            pending[name] = zlib.compress(value.encode("utf-8", "surrogatepass"), 1)
            del fields[name]
    if pending:
        fields["_pending"] = (unsqueezed, _squeezed_holds, pending)
    return record


def unsqueeze(record: Deferred) -> None:
    """Hold a record's compressed texts decompressed from now on (a server reads them again and again)."""
    pending = record.__dict__.get("_pending")
    if pending is not None and pending[0] is unsqueezed:
        for name, data in pending[2].items():
            record.__dict__[name] = unsqueezed(data)
        del record.__dict__["_pending"]


def replaced(record: R, **changes) -> R:
    """`dataclasses.replace` for a record whose fields may be pending: those not changed stay pending."""
    fields = dict(record.__dict__)
    pending = fields.get("_pending")
    if pending is not None:
        # A dict of its own: reading a text takes it out of the dict, which must not empty the other record's.
        fields["_pending"] = (pending[0], pending[1], {k: v for k, v in pending[2].items() if k not in changes})
    unknown = set(changes) - set(record.__dataclass_fields__)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {sorted(unknown)[0]!r}")
    fields.update(changes)
    new = object.__new__(type(record))
    new.__dict__.update(fields)
    return new


@dataclass(frozen=True)
class SourceRef:
    """Where an entry comes from: a file relative to the notes folder, a line, a feed item."""

    path: str
    line: int = 1
    item: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class WikiLink:
    """An Obsidian link `[[target|alias]]` or embed `![[target]]` found in a body."""

    target: str
    alias: str | None = None
    heading: str | None = None
    embed: bool = False
    line: int = 1


@dataclass(frozen=True)
class PaperLink:
    """A link to a paper: kind is arxiv, doi, pdf, code or web."""

    kind: str
    url: str


@dataclass(frozen=True)
class Section:
    """A named part of a paper summary; key is canonical (purpose, method, ...)."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Talk:
    """One talk of a conference log."""

    speaker: str
    title: str


@dataclass(frozen=True, kw_only=True)
class Entry(Deferred):
    """Fields every entry has, whatever its type."""

    id: str
    type: EntryType
    title: str
    date: dt.date
    date_source: str  # front matter, feed, filename, text (the note's own header); else a guess
    lang: str  # ko, en or mixed
    tags: tuple[str, ...]
    source: SourceRef
    url: str | None
    body: str
    body_format: str  # markdown or html
    body_line: int = 1  # the file line where body starts, for problems found while rendering it
    text: str  # the body as plain text
    summary: str
    author: str | None = None
    series: str | None = None  # the log, digest or feed this entry was split from
    updated: dt.date | None = None  # when the note says it was last changed (lastmod, updated)
    links: tuple[WikiLink, ...] = ()
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def date_inferred(self) -> bool:
        """True when no source stated the date and it was guessed."""
        return self.date_source not in STATED_DATE_SOURCES


@dataclass(frozen=True, kw_only=True)
class PaperSummary(Entry):
    """Someone's summary of one paper."""

    paper_title: str = ""
    authors: tuple[str, ...] = ()
    venue: str | None = None
    year: int | None = None
    paper_links: tuple[PaperLink, ...] = ()
    presenter: str | None = None

    @property
    def sections(self) -> tuple[Section, ...]:
        """The purpose/method/experiments/novelty/review parts the summary writes, found in its body."""
        # Worked out when asked (only `list --json` and scripts ask), not kept: kept, they repeated most of
        # every summary's text, 45 MB of a 10,000-note build's memory and of its state.
        from notebase.load.extract import sections

        return sections(self.text if self.body_format == "html" else self.body)


@dataclass(frozen=True, kw_only=True)
class ConferenceLog(Entry):
    """Notes taken at a conference, a workshop or a seminar day."""

    event: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    location: str | None = None
    talks: tuple[Talk, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TechTip(Entry):
    """A short technical note, often one item of a TIL log."""

    category: str | None = None


ENTRY_CLASSES: dict[EntryType, type[Entry]] = {
    EntryType.PAPER: PaperSummary,
    EntryType.CONFERENCE: ConferenceLog,
    EntryType.TIP: TechTip,
}
