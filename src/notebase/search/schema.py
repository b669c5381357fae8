"""The index schema: fields, the Korean/English tokenizer adapter, and an entry as a document.

Whoosh pickles the schema into the index, so loading an index imports this module: it stays light
(Whoosh and the analyzer only) to keep `notebase search` fast to start.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import TYPE_CHECKING

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from notebase.search.analysis import spans, terms
from notebase.site.tags import tag_key, with_ancestors

if TYPE_CHECKING:
    from notebase.model import Entry

# Bump when the schema, the analyzer or what a document holds changes: older indexes rebuild.
SCHEMA_VERSION = 7  # 7: concept topics with the vocabulary folder; 6: English plurals fold to singulars; 5: C++ and C#
INDEX_NAME = "entries"
# Title, paper title, tags and people/venue words share one short "head" field weighted above the
# body: one field instead of four keeps a query to two posting lists per term, which is most of its cost.
FIELD_BOOSTS = {"head": 3.0, "body": 1.0}


class KoEnTokenizer(Tokenizer):
    """Whoosh adapter that yields exactly the tokens of `analysis.tokenize`."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        found = spans(value) if tokenize else [(value, 0, len(value))]
        for pos, (text, start, end) in enumerate(found, start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


SINGLE_CACHED = 4096  # positions whose pickling as a term's only one is kept (~200 KB)
_SINGLE: dict[int, bytes] = {}
_ONE = pack_uint(1)  # Positions.encode's count of one position


class FastPositions(Positions):
    """Whoosh's positions format, fed straight from `analysis.spans` without Token objects.

    Whoosh's own path builds a Token per term and groups them in Python; for 80 MB of notes
    that was a third of indexing time.
    """

    def word_values(self, value, analyzer, **kwargs):
        """Yield (term, frequency, weight, encoded positions) for each distinct term of value."""
        positions: dict[str, list[int]] = {}
        for pos, term in enumerate(terms(value)):
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        boost, encode, single = self.field_boost, self.encode, _SINGLE
        for term, found in positions.items():
            if len(found) == 1:  # most terms of a note: Positions.encode's pickling done once per position
                pos = found[0]
                pickled = single.get(pos)
                if pickled is None:
                    pickled = pickle.dumps(found, 2)
                    if pos < SINGLE_CACHED:
                        single[pos] = pickled
                # A new bytes object each time: Whoosh pickles a block's values, and one object
                # met twice would be written as a reference, not as the bytes Whoosh writes.
                yield term, 1, boost, _ONE + pickled
            else:
                yield term, len(found), len(found) * boost, encode(found)


def _text_field(**kwargs) -> TEXT:
    field = TEXT(analyzer=KoEnTokenizer(), **kwargs)
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """Return the index schema: text fields for ranking, exact fields for filters and display."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        type=ID(stored=True),
        lang=ID(stored=True),
        date=ID(stored=True, sortable=True),  # ISO dates sort and range as text
        tag=KEYWORD(commas=True, scorable=False),  # tag keys (tags.tag_key), with the tags they sit inside
        topic=KEYWORD(commas=True, scorable=False),  # concept topic keys (topics.topics_of)
        tags=STORED(),  # the tags as written, for display
        head=_text_field(),
        body=_text_field(stored=True),
        title=STORED(),
        source=STORED(),
        url=STORED(),
        summary=STORED(),
        inferred=STORED(),  # "1" when the date was guessed (shown as `~`, as `list` does)
    )


def to_document(entry: Entry, topics: tuple[str, ...] = ()) -> dict[str, str]:
    """Return the fields the index keeps for one entry, its concept topics (keys) given."""
    meta = [entry.author, getattr(entry, "presenter", None), getattr(entry, "venue", None),
            getattr(entry, "event", None), getattr(entry, "location", None), getattr(entry, "category", None)]
    meta += list(getattr(entry, "authors", ()))
    meta += [f"{talk.speaker} {talk.title}" for talk in getattr(entry, "talks", ())]
    return {
        "id": entry.id,
        "type": entry.type.value,
        "lang": entry.lang,
        "date": entry.date.isoformat(),
        "tag": ",".join(dict.fromkeys(k for t in entry.tags for k in with_ancestors(tag_key(t)))),
        "tags": ",".join(t.replace(",", " ") for t in entry.tags),
        "topic": ",".join(topics),
        "title": entry.title,
        "head": "\n".join([entry.title, getattr(entry, "paper_title", None) or "", " ".join(entry.tags)] + [m for m in meta if m]),
        "body": entry.text,
        "source": str(entry.source),
        "url": entry.url or "",
        "summary": entry.summary,
        "inferred": "1" if entry.date_inferred else "",
    }


def digest(entry: Entry, topics: tuple[str, ...] = ()) -> str:
    """Return a digest of everything the index keeps for one entry."""
    doc = to_document(entry, topics)
    blob = "\x1f".join(f"{k}\x1e{doc[k]}" for k in sorted(doc))
    return hashlib.blake2b(blob.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
