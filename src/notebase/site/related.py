"""Related entries for every entry, each with its reason: a shared tag, a shared topic, similar text.

Candidates come from the entry's tags and topics (those of at most `GROUP_LIMIT` entries: a tag on
thousands of entries says little, and enumerating it would cost n²) and from its text: each entry
keeps the `RARE_WORDS` rarest words of its first lines that at least one other entry uses too, so
two entries naming the same method, dataset or person meet. A shared tag counts 3, a shared topic
2, a shared rare word 1 (+1 for a tag or topic of at most `SMALL` entries). Up to `RELATED` are
kept, best first, then newest; an entry with fewer fills up from its largest shared topic or tag,
and one with none at all is matched by every word it shares, the rarer counting more.

Everything is counted with C-level Counter and set operations over integers and interned
strings, so 10,000 notes cost well under a second.
"""

from __future__ import annotations

import heapq
import math
import string
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from notebase.model import Entry
from notebase.site.tags import tag_key, with_ancestors
from notebase.site.taxonomy import Taxonomy

RELATED = 5  # related entries shown on a page, unless notebase.yaml says `related:`
GROUP_LIMIT = 300  # a tag or topic on more entries than this only fills up, never ranks
SMALL = 30  # a tag or topic on at most this many entries counts one more
PROFILE_WORDS = 250  # words at the start of an entry's text its rare words are chosen from
RARE_WORDS = 8  # rare words kept per entry
TAG, TOPIC, TEXT = "tag", "topic", "text"


class Related(NamedTuple):
    """One related entry and why: the tag keys, topic keys or words the two share.

    A typed named tuple rather than a frozen dataclass: a 10,000-note site has 50,000 of them, all
    in the build state, where they take 40% less room and are read back in half the time.
    """

    id: str
    reason: str  # tag, topic or text
    shared: tuple[str, ...]


# One letter, digit or Hangul syllable says nothing about what two notes share (`c`, `것`).
_SHORT = frozenset(string.ascii_lowercase + string.digits) | frozenset(map(chr, range(0xAC00, 0xD7A4)))


def profile(words: Sequence[str]) -> tuple[str, ...]:
    """Return the distinct words (of two characters or more) of an entry's first lines, interned.

    In no particular order (what reads them sorts what it keeps): sorting every entry's words
    would cost more than all the rest.
    """
    return tuple(map(sys.intern, set(words[:PROFILE_WORDS]) - _SHORT))


def telling_limit(entries: int) -> int:
    """Return in how many entries a word may be and still tell that two of them are akin."""
    return max(5, min(50, entries // 200))


def rare_words(profiles: Sequence[tuple[str, ...]], df: Counter, most: int | None = None) -> list[tuple[str, ...]]:
    """Return, per entry, its rarest words that another entry uses too (at most RARE_WORDS, rarest first).

    A word is rare in at most `most` entries (`telling_limit` of the profiles' count by default).
    """
    most = telling_limit(len(profiles)) if most is None else most
    telling = {word for word, n in df.items() if 1 < n <= most}
    count = df.__getitem__
    chosen = []
    for words in profiles:
        found = telling.intersection(words)
        if len(found) > RARE_WORDS:  # alphabetical, then by rarity (a stable sort): the same choice every time
            found = sorted(sorted(found), key=count)[:RARE_WORDS]
        else:
            found = sorted(sorted(found), key=count)
        chosen.append(tuple(found))
    return chosen


@dataclass(frozen=True)
class Ranking:
    """What the related entries were chosen from, kept so that new words in a few entries re-rank only their kin."""

    profiles: tuple[tuple[str, ...], ...]
    df: Counter  # in how many profiles each word is
    words: tuple[tuple[str, ...], ...]  # each entry's rare words (rare_words)
    postings: Mapping[str, list[int]]  # rare word -> the entries it is a rare word of, in order
    groups: tuple  # index, tag members, topic members, own tags, own topics, skip, most: fixed by names and tags
    ranked: Mapping[int, tuple[Related, ...]]  # by entry number; an entry ranked to nothing is not here
    needy: frozenset[int]  # entries ranked to nothing, matched by every word they share


def rank(entries: Sequence[Entry], tags: Taxonomy, topics: Taxonomy, topic_of: Mapping[str, tuple[str, ...]],
         profiles: Sequence[tuple[str, ...]], skip: Mapping[str, tuple[str, ...]] | None = None,
         most: int = RELATED) -> tuple[dict[str, tuple[Related, ...]], Ranking]:
    """Return up to `most` related entries per entry id, with reasons, and the Ranking they came from.

    `profiles` are the entries' words (`profile`), in the order of `entries`; `skip` lists ids not
    to offer (other summaries of the same paper).
    """
    groups = _groups(entries, tags, topics, topic_of, skip, most)
    df = Counter(chain.from_iterable(profiles))
    words = rare_words(profiles, df)
    postings = _postings(words)
    ranked = {}
    for n in range(len(entries)):
        found = _rank_entry(entries, n, words, postings, groups)
        if found:
            ranked[n] = found
    ranking = Ranking(tuple(profiles), df, tuple(words), postings, groups, ranked,
                      frozenset(n for n in range(len(entries)) if n not in ranked))
    return _results(entries, ranking), ranking


def rerank(before: Ranking, entries: Sequence[Entry], profiles: Sequence[tuple[str, ...]]
           ) -> tuple[dict[str, tuple[Related, ...]], Ranking]:
    """Rank again after some entries' words changed (names, tags, topics and order as `before` had them).

    Exactly what `rank` would give: a word whose count changed changes the rare words of the
    entries that have it while it is rare (at most `telling_limit` of them); an entry is ranked
    again when its rare words or the entries sharing one of them changed; the needy all are.
    """
    changed = [n for n, (a, b) in enumerate(zip(profiles, before.profiles)) if a != b]
    most = telling_limit(len(profiles))
    df, telling = _recount(before, [(before.profiles[n], profiles[n]) for n in changed], most)
    reread = set(changed) | {n for n, p in enumerate(profiles) if not telling.isdisjoint(p)} if telling else set(changed)
    words = list(before.words)
    postings = dict(before.postings)
    touched: set[str] = set()
    for n, chosen in zip(sorted(reread), rare_words([profiles[n] for n in sorted(reread)], df, most)):
        if chosen == words[n]:
            continue
        for word in set(words[n]) - set(chosen):
            postings[word] = [m for m in postings[word] if m != n]
            if not postings[word]:
                del postings[word]
        for word in set(chosen) - set(words[n]):
            postings[word] = sorted([*postings.get(word, ()), n])
        touched |= set(words[n]) ^ set(chosen)
        words[n] = chosen
    again = reread | {m for w in touched for m in chain(before.postings.get(w, ()), postings.get(w, ()))}
    ranked = dict(before.ranked)
    needy = set(before.needy)
    for n in again:
        found = _rank_entry(entries, n, words, postings, before.groups)
        if found:
            ranked[n] = found
            needy.discard(n)
        else:
            ranked.pop(n, None)
            needy.add(n)
    ranking = Ranking(tuple(profiles), df, tuple(words), postings, before.groups, ranked, frozenset(needy))
    return _results(entries, ranking), ranking


def rank_after(before: Ranking, entries: Sequence[Entry], tags: Taxonomy, topics: Taxonomy,
               topic_of: Mapping[str, tuple[str, ...]], profiles: Sequence[tuple[str, ...]],
               skip: Mapping[str, tuple[str, ...]] | None = None, most: int = RELATED
               ) -> tuple[dict[str, tuple[Related, ...]], Ranking] | None:
    """Exactly what `rank` gives, from the ranking of an earlier list (entries added, removed, re-tagged,
    re-dated); None when the share of entries a telling word may be in moved, and everything changes.

    Numbers shift with an added or removed entry, but the others keep their order, so an entry's
    related ones change only when it shares a tag, topic or rare word with a changed entry, or
    the counts made one of its words rare or common: only those are ranked again.
    """
    limit = telling_limit(len(profiles))
    if limit != telling_limit(len(before.profiles)) or before.groups[6] != most:
        return None
    groups = _groups(entries, tags, topics, topic_of, skip, most)
    index = groups[0]
    was, old_tags, old_topics, old_skip = before.groups[0], before.groups[3], before.groups[4], before.groups[5]
    own_tags, own_topics, skip = groups[3], groups[4], groups[5]
    changed, regrouped = [], []  # new words, or (regrouped) new tags, topics or papers, or new
    for n, e in enumerate(entries):
        m = was.get(e.id)
        if (m is None or old_tags[m] != own_tags[n] or tuple(old_topics[m]) != tuple(own_topics[n])
                or old_skip.get(e.id) != skip.get(e.id)):
            regrouped.append(n)
            changed.append(n)
        elif before.profiles[m] != profiles[n]:
            changed.append(n)
    gone = [m for i, m in was.items() if i not in index]
    pairs = [(before.profiles[was[entries[n].id]] if entries[n].id in was else (), profiles[n]) for n in changed]
    df, telling = _recount(before, pairs + [(before.profiles[m], ()) for m in gone], limit)
    reread = set(changed) | ({n for n, p in enumerate(profiles) if not telling.isdisjoint(p)} if telling else set())
    words = [before.words[was[e.id]] if e.id in was else () for e in entries]
    touched = {w for m in gone for w in before.words[m]}
    for n, chosen in zip(sorted(reread), rare_words([profiles[n] for n in sorted(reread)], df, limit)):
        touched.update(set(words[n]) ^ set(chosen))
        words[n] = chosen
    postings = _postings(words)
    again = reread | {n for w in touched for n in postings.get(w, ())}  # reread: a word's rarity orders its lists
    ids = {m: i for i, m in was.items()}  # old number -> id
    again |= {index[ids[m]] for w in touched for m in before.postings.get(w, ()) if ids[m] in index}
    # Entries sharing a tag or topic with a regrouped one, before or after, and those that listed one
    # (why the two are related may have changed): new words alone change none of this.
    moved_out = [was[entries[n].id] for n in regrouped if entries[n].id in was] + gone  # their old numbers
    keys = {k for m in moved_out for k in old_tags[m]} | {k for n in regrouped for k in own_tags[n]}
    again.update(n for k in keys for n in groups[1].get(k, ()))
    keys = {k for m in moved_out for k in old_topics[m]} | {k for n in regrouped for k in own_topics[n]}
    again.update(n for k in keys for n in groups[2].get(k, ()))
    left_ids = {ids[m] for m in moved_out}
    again.update(index[ids[m]] for m, found in before.ranked.items()
                 if ids[m] in index and any(r.id in left_ids for r in found))
    ranked = {index[ids[m]]: found for m, found in before.ranked.items() if ids[m] in index and index[ids[m]] not in again}
    needy = {index[ids[m]] for m in before.needy if ids[m] in index and index[ids[m]] not in again}
    for n in sorted(again):
        found = _rank_entry(entries, n, words, postings, groups)
        if found:
            ranked[n] = found
        else:
            needy.add(n)
    ranking = Ranking(tuple(profiles), df, tuple(words), postings, groups, ranked, frozenset(needy))
    return _results(entries, ranking), ranking


def _postings(words: Sequence[Sequence[str]]) -> dict[str, list[int]]:
    """Each rare word's entries, by number in order (Ranking.postings)."""
    postings: dict[str, list[int]] = {}
    for n, chosen in enumerate(words):
        for word in chosen:
            postings.setdefault(word, []).append(n)
    return postings


def _groups(entries: Sequence[Entry], tags: Taxonomy, topics: Taxonomy, topic_of: Mapping[str, tuple[str, ...]],
            skip: Mapping[str, tuple[str, ...]] | None, most: int) -> tuple:
    """What ranking reads of names, tags and topics (Ranking.groups), the entries' numbers by id first."""
    index = {e.id: n for n, e in enumerate(entries)}
    return (index, {t.key: [index[i] for i in t.ids] for t in tags.terms},
            {t.key: [index[i] for i in t.ids] for t in topics.terms},
            [list(dict.fromkeys(k for t in e.tags for k in with_ancestors(tag_key(t)))) for e in entries],
            [topic_of.get(e.id, ()) for e in entries], skip or {}, most)


def _recount(before: Ranking, pairs: list[tuple[tuple[str, ...], tuple[str, ...]]], limit: int
             ) -> tuple[Counter, set[str]]:
    """The word counts after some profiles changed ((old, new) pairs, () for none), and the words whose
    count moved while they were telling (in more than one entry, at most `limit`), before or after."""
    df = before.df.copy()
    moved: set[str] = set()
    for old, new in pairs:
        old, new = set(old), set(new)
        df.subtract(old - new)
        df.update(new - old)
        moved |= old ^ new
    for word in moved:
        if df[word] <= 0:
            del df[word]
    return df, {w for w in moved if 1 < before.df.get(w, 0) <= limit or 1 < df.get(w, 0) <= limit}


def _rank_entry(entries: Sequence[Entry], n: int, words, postings, groups) -> tuple[Related, ...]:
    """Entry n's related entries by shared tags, topics and rare words (with the fill-up); () if none."""
    index, tag_members, topic_members, own_tags, own_topics, skip, most = groups
    entry = entries[n]
    kin = [(key, tag_members[key], 3) for key in own_tags[n] if key in tag_members]
    kin += [(key, topic_members[key], 2) for key in own_topics[n] if key in topic_members]
    lists = []
    for _, members, weight in kin:
        if 1 < len(members) <= GROUP_LIMIT:
            lists += [members] * (weight + (len(members) <= SMALL))
    lists += [postings[w] for w in words[n] if len(postings[w]) > 1]
    scores = Counter(chain.from_iterable(lists))
    drop = {n} | {index[i] for i in skip.get(entry.id, ()) if i in index}
    for i in drop:
        scores.pop(i, None)
    # Best first; ties in the order the lists met them (newest first within each), so always the same.
    best = [i for i, _ in scores.most_common(most)]
    if len(best) < most and kin:
        _, members, _ = max(kin, key=lambda g: (len(g[1]) > 1, -len(g[1])))
        taken = set(best) | drop
        best += [i for i in _first(members, taken, most - len(best))]
    return tuple(_reason(entries, n, i, own_tags, own_topics, words) for i in best)


def _results(entries: Sequence[Entry], ranking: Ranking) -> dict[str, tuple[Related, ...]]:
    """The related entries by id: the ranked in order, then the needy, matched by every word they share."""
    index, _, _, own_tags, own_topics, skip, most = ranking.groups
    profiles, df, words = ranking.profiles, ranking.df, ranking.words
    related = {entries[n].id: found for n, found in sorted(ranking.ranked.items())}
    needy = sorted(ranking.needy)
    # Entries with none yet (nothing rare in common with anyone, no tag or topic shared) look at
    # every word they share, rarer ones counting more: a note of a few lines still meets its kin.
    shared = _common_words(profiles, df, needy)
    for n in needy:
        drop = {n} | {index[i] for i in skip.get(entries[n].id, ()) if i in index}
        scores = shared.get(n, {})
        best = heapq.nlargest(most, (i for i in scores if i not in drop), key=lambda i: (scores[i], -i))
        if best:
            found = tuple(_reason(entries, n, i, own_tags, own_topics, words) for i in best)
            related[entries[n].id] = tuple(r if r.reason != TEXT or r.shared else
                                           Related(r.id, TEXT, _shared(profiles[n], profiles[i], df))
                                           for r, i in zip(found, best))
    return related


def _common_words(profiles: Sequence[tuple[str, ...]], df: Counter, needy: list[int]) -> dict[int, dict[int, float]]:
    """For each entry in need, every other entry sharing a word with it, scored by the words' rarity."""
    wanted = set().union(*(profiles[n] for n in needy)) if needy else set()
    # A word in more than GROUP_LIMIT entries says little and would make each needy entry score
    # every entry (5,000 feed items sharing "item" were 16 million scores, quadratic).
    wanted = {w for w in wanted if 1 < df[w] <= GROUP_LIMIT}
    if not wanted:
        return {}
    postings: dict[str, list[int]] = {}
    for m, words in enumerate(profiles):
        for word in wanted.intersection(words):
            postings.setdefault(word, []).append(m)
    total = len(profiles)
    found = {}
    for n in needy:
        scores: dict[int, float] = {}
        for word in profiles[n]:
            if word in postings:
                weight = math.log(total / df[word])
                for m in postings[word]:
                    if m != n:
                        scores[m] = scores.get(m, 0.0) + weight
        found[n] = scores
    return found


def _shared(a: tuple[str, ...], b: tuple[str, ...], df: Counter) -> tuple[str, ...]:
    """The words two profiles share, rarest first (then alphabetically)."""
    return tuple(sorted(set(a).intersection(b), key=lambda w: (df[w], w)))


def _first(members: list[int], taken: set[int], n: int) -> list[int]:
    found = []
    for i in members:
        if i not in taken:
            found.append(i)
            if len(found) == n:
                break
    return found


def _reason(entries: Sequence[Entry], a: int, b: int, own_tags, own_topics, words) -> Related:
    """Why entry b is related to entry a: shared tags (keys) first, then topics (keys), then words."""
    if own_tags[a] and own_tags[b]:
        tags = [k for k in own_tags[a] if k in own_tags[b]]
        if len(tags) == 1 or tags and not any("/" in k for k in tags):  # no tag inside another: all of them
            return Related(entries[b].id, TAG, tuple(tags))
        if tags:  # the most specific: `a/b` rather than the `a` it sits in
            return Related(entries[b].id, TAG, tuple(k for k in tags if not any(o.startswith(k + "/") for o in tags)))
    if own_topics[a] and own_topics[b]:
        topics = [k for k in own_topics[a] if k in own_topics[b]]
        if topics:
            return Related(entries[b].id, TOPIC, tuple(topics))
    return Related(entries[b].id, TEXT, tuple(w for w in words[a] if w in words[b]))
