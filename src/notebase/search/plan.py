"""The query plan: what each typed word matches and what it translates to, as groups of terms to score.

One specification for the CLI and the site's search (templates/static/search-plan.js ports it):

1. Words. Each unquoted clause is one word with one coordination slot; its pieces are its terms
   (parse strips a trailing particle first). A word of n pieces matches an entry holding `need(n)`
   of them in any field: all of one or two, else more than half. When no entry holds that many,
   the most any entry holds will do. Its pieces weigh 1/n each, so a long Korean word (four
   bigrams) counts as much as a short one, and part of a word (`오버` of `오버피팅`) is not enough;
   each piece counts no more often than the rarest (`코딩` in `인코딩` does not make `디코딩` frequent).
2. Lone syllables. A word that is one Hangul syllable also matches the bigrams that hold it (the
   first LONE_LIMIT in the vocabulary's order), each weighing LONE_WEIGHT.
3. Typos. A Latin word of TYPO_MIN_LENGTH or more letters (no digits) that TYPO_FEW or fewer entries
   hold gets the indexed words one edit away with its first letter that TYPO_RATIO times as many
   entries hold (the TYPO_LIMIT most common); a Hangul word that matches nothing gets the
   glossary's spellings one letter (jamo) away. A correction fills the word's slot (TYPO_BOOST)
   and stands for the word in the glossary lookup.
4. Glossary (`Glossary.expand_all`): a concept's other terms fill the slots of the words they
   translate, with partial credit over their terms; a common word's translation fills its one
   word's slot (WORD_BOOST). A synonym weighs as much as the words it stands for (`_synonym`). Each synonym also fills a marker slot past the words', which says it
   matched ("matched via glossary").
6. Coordination weighs each word's slot by the word's idf (`slot_weights`): an entry that lacks
   the rare word of a query loses more than one that lacks a common word. A phrase's idf counts
   the entries holding all its terms in one field.
5. A quoted phrase is one slot: its terms in order (positions, slop 1, or 2 across Hangul).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from math import log

from notebase.search.analysis import terms as analyse
from notebase.search.glossary import Expansion, Glossary
from notebase.search.parse import Clause
from notebase.search.scoring import Group
from notebase.search.vocabulary import one_edit

EXPANSION_BOOST = 1.0  # a glossary synonym relative to the words typed
WORD_BOOST = 0.7  # a common word's translation (학습 -> learning), less sure than a concept
TYPO_BOOST = 0.8
TYPO_MIN_LENGTH = 5
TYPO_FEW = 2
TYPO_RATIO = 3
TYPO_LIMIT = 2
LONE_LIMIT = 64
LONE_WEIGHT = 0.5


def need(pieces: int) -> int:
    """Return how many of a word's pieces an entry must hold: all of one or two, else more than half."""
    return pieces if pieces <= 2 else pieces // 2 + 1


def slop(terms: tuple[str, ...]) -> int:
    """Return a phrase's slop: Hangul bigrams across a space (대조 학습 vs 대조학습) leave one position between."""
    return 2 if any(t[0] >= "\uac00" for t in terms) else 1


@dataclass
class Plan:
    """Groups to score, slots to coordinate, and what the glossary and corrections added."""

    groups: list[Group] = field(default_factory=list)
    slot_count: int = 0
    slot_weights: list[float] = field(default_factory=list)  # each word's idf: log(N / (entries it matches + 1)) + 1
    alternatives: list[tuple[str, str, tuple[str, ...], int]] = field(default_factory=list)  # typed, synonym, terms, marker
    expansions: list[Expansion] = field(default_factory=list)
    wanted: dict[str, set[int]] = field(default_factory=dict)  # term -> the slots it stands for, for snippets

    def want(self, terms, slots) -> None:
        """Note terms a snippet should show, for the slots they fill."""
        for term in terms:
            self.wanted.setdefault(term, set()).update(slots)


def build_plan(positive: tuple[Clause, ...], glossary: Glossary, index) -> Plan:
    """Return the plan of a query's positive clauses over an index (a `Scorer` and its `vocabulary`)."""
    plan = Plan(slot_count=len(positive))
    typed = []
    corrections: list[tuple[int, tuple[str, ...]]] = []
    for slot, clause in enumerate(positive):
        if clause.phrase:
            plan.groups.append(Group(clause.terms, 1.0, (slot,), all_terms=True,
                                     docs=index.phrase_docs(clause.terms, slop(clause.terms))))
            plan.slot_weights.append(_idf(index, len(_phrase_candidates(clause.terms, index))))
            plan.want(clause.terms, (slot,))
            typed.append(clause.text)
            continue
        pieces = tuple(dict.fromkeys(clause.terms))
        matched, best = _matched(pieces, index)
        lone = _lone(pieces, index)
        terms, weights = pieces + lone, (1 / len(pieces),) * len(pieces) + (LONE_WEIGHT,) * len(lone)
        plan.groups.append(Group(terms, 1.0, (slot,), docs=matched, weights=weights, capped=len(pieces) > 1))
        plan.slot_weights.append(_idf(index, len(index.group_docs(plan.groups[-1]))))
        plan.want(terms, (slot,))
        fixed = _corrections(clause, pieces, best, glossary, index)
        if fixed:
            corrections.append((slot, fixed))
            plan.expansions.append(Expansion(clause.text, fixed, "typo"))
        typed.append(fixed[0] if fixed else clause.text)
    for slot, fixed in corrections:
        for spelling in fixed:
            _synonym(plan, positive[slot].text, spelling, (slot,), TYPO_BOOST, partial=False)
    for start, end, expansion in glossary.expand_all(typed) if positive else []:
        covered = tuple(range(start, end))
        plan.expansions.append(expansion)
        boost = WORD_BOOST if expansion.kind == "word" else EXPANSION_BOOST
        matched = " ".join(positive[i].text for i in covered)
        for synonym in expansion.alternatives:
            _synonym(plan, matched, synonym, covered, boost, partial=True)
    return plan


def _phrase_candidates(terms: tuple[str, ...], index) -> set[int]:
    """Return the live entries holding every term of a phrase in one field (the site checks positions only for hits)."""
    found: set[int] = set()
    for field in index.fields:
        lists = [index.postings(field, term) for term in dict.fromkeys(terms)]
        if all(lists):
            found |= set.intersection(*(set(p.weights) for p in lists))
    return found - index.deleted


def _idf(index, count: int) -> float:
    """Return the idf of a word that `count` entries match, its weight in the coordination share."""
    return log(max(index.count, 1) / (count + 1)) + 1  # an index without entries weighs every word 1


def _synonym(plan: Plan, typed: str, synonym: str, covered: tuple[int, ...], boost: float, partial: bool) -> None:
    """Add a group for a synonym or correction that fills the covered slots and a marker slot of its own.

    Its terms share the weight of the words it stands for: each of its words gets len(covered) /
    its word count, spread over that word's pieces, as a typed word's pieces share one word's weight.
    """
    weights: dict[str, float] = {}
    words = [found for word in synonym.split() if (found := analyse(word))]
    for found in words:
        for term in found:
            weights[term] = weights.get(term, 0.0) + len(covered) / len(words) / len(found)
    if not weights:
        return
    terms = tuple(weights)
    marker = plan.slot_count + 1 + len(plan.alternatives)
    partial = partial and len(terms) > 1
    plan.groups.append(Group(terms, boost, covered + (marker,), all_terms=not partial,
                             weights=tuple(weights.values()), partial=partial))
    plan.alternatives.append((typed, synonym, terms, marker))
    plan.want(terms, covered)


def _matched(pieces: tuple[str, ...], index) -> tuple[frozenset[int] | None, int]:
    """Return the entries a word of several pieces matches (None for one piece: any holding it), and the most pieces any entry holds.

    The entries holding `need` pieces are the union of the intersections of every `need` of them
    (set operations, in C); the pieces are counted entry by entry only when no entry holds that many.
    """
    if len(pieces) == 1:
        return None, 1 if index.df(pieces[0]) else 0
    sets = [index.live_docs(piece) for piece in pieces]
    wanted = need(len(pieces))
    if len(pieces) <= 6:
        found = set().union(*(set.intersection(*combo) for combo in combinations(sets, wanted)))
        if found:
            return frozenset(found), wanted
    counts: dict[int, int] = {}
    for docs in sets:
        for doc in docs:
            counts[doc] = counts.get(doc, 0) + 1
    best = max(counts.values(), default=0)
    wanted = min(wanted, best) or 1
    return frozenset(doc for doc, count in counts.items() if count >= wanted), best


def _lone(pieces: tuple[str, ...], index) -> tuple[str, ...]:
    """Return the bigrams holding a word that is one Hangul syllable (LONE_LIMIT of them), else ()."""
    if len(pieces) != 1 or len(pieces[0]) != 1 or pieces[0] < "\uac00":
        return ()
    found = []
    for term in index.vocabulary.terms(pieces[0]):
        if term != pieces[0] and index.df(term):  # the vocabulary keeps terms whose entries were deleted
            found.append(term)
            if len(found) == LONE_LIMIT:
                break
    return tuple(found)


def _corrections(clause: Clause, pieces: tuple[str, ...], best: int, glossary: Glossary, index) -> tuple[str, ...]:
    """Return the spellings a word that finds little was probably meant as (see rule 3), or ()."""
    if len(pieces) == 1 and pieces[0][0] < "\uac00":
        word = pieces[0]
        if len(word) < TYPO_MIN_LENGTH or not word.isalpha() or (df := index.df(word)) > TYPO_FEW:
            return ()  # digits are names and versions (v100, x86), not misspellings
        near = [(index.df(term), term) for term in index.vocabulary.terms(word[0])
                if term.isalpha() and one_edit(word, term)]
        near = sorted((-n, term) for n, term in near if n >= max(1, TYPO_RATIO * df))
        return tuple(term for _, term in near[:TYPO_LIMIT])
    if best < need(len(pieces)) and _contiguous(pieces):
        spelled = pieces[0] + "".join(p[1] for p in pieces[1:])  # the word the bigrams overlap into
        return glossary.near_spellings(spelled)[:TYPO_LIMIT]
    return ()


def _contiguous(pieces: tuple[str, ...]) -> bool:
    """Whether the pieces are the overlapping Hangul bigrams of one run (so they spell one word)."""
    return all(len(p) == 2 and p[0] >= "\uac00" for p in pieces) and all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
