"""Pruned top-k search gives exactly what scoring every matching entry gave: ids, order, scores, total.

The reference below is the scorer as it was before pruning, kept here on purpose: every posting
read through Whoosh's own matchers, every matching entry scored and coordinated, phrases,
filters and exclusions found with Whoosh queries. The knowledge base is generated with a few
research terms in most notes, in several segments with deleted documents, and the pruning
thresholds are lowered so that pruning, and its fallbacks, decide most queries.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from bisect import bisect_right
from dataclasses import replace
from math import log

import pytest
import yaml
from whoosh import query as wq

from conftest import REPO
from notebase.config import load_config
from notebase.search import build, scoring, w3
from notebase.search import searcher as searcher_module
from notebase.search.analysis import terms as analyse
from notebase.search.engine import ensure_index, open_searcher
from notebase.search.glossary import load_glossary
from notebase.search.index import index_path
from notebase.search.parse import QueryError, parse
from notebase.search.plan import build_plan, slop
from notebase.search.schema import FIELD_BOOSTS
from notebase.search.scoring import Group
from notebase.search.searcher import Searcher

sys.path.insert(0, str(REPO / "bench"))
from generate import EN, KO, PARTICLES  # noqa: E402
from search_bench import QUERIES  # noqa: E402

K1, B = 1.2, 0.75
PHRASES = ["batch size", "learning rate", "대조 학습", "데이터 증강", "graph neural network", "배치 크기",
           "contrastive learning", "불확실성 추정", "지식 증류", "self-supervised 표현 학습"]
FILTERS = ["type:paper", "type:tip", "-type:conference", "tag:rl", "-tag:cv", "tag:통계", "lang:ko", "year:2022",
           "-year:2020", "date:2021..2022-06", "date:2023-05", "date:..2020"]


def write_notes(root, count: int, seed: int = 5) -> None:
    """Short notes whose words come mostly from a dozen research terms each: terms in 10-60 % of notes."""
    rng = random.Random(seed)
    filler = [f"w{i}" for i in range(300)] + [f"단어{i}" for i in range(300)]
    for i in range(count):
        topic = rng.sample(KO + EN, 12)
        words = []
        for _ in range(rng.randint(20, 140)):
            r = rng.random()
            word = rng.choice(topic) if r < 0.35 else rng.choice(PHRASES) if r < 0.4 else rng.choice(filler)
            if word[0] >= "\uac00" and rng.random() < 0.3:
                word += rng.choice(PARTICLES)
            words.append(word)
        tags = ", ".join(rng.sample(["cv", "nlp", "rl", "gnn", "통계"], 2))
        date = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        head = (f"---\ntitle: \"{' '.join(rng.sample(topic, rng.randint(1, 3)))} {i}\"\n"
                f"type: {rng.choice(['paper', 'tip', 'conference'])}\ndate: {date}\ntags: [{tags}]\n---\n")
        path = root / "notes" / f"n{i:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + " ".join(words) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A 400-note knowledge base in several segments, then edited so that some documents are deleted."""
    root = tmp_path_factory.mktemp("prunekb")
    write_notes(root, 400)
    config = load_config(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "BATCH_CHARS", 40_000)
        ensure_index(config)
    for i in (3, 50, 222):
        path = root / "notes" / f"n{i:04d}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n대조 학습 batch size 추가.\n", encoding="utf-8")
    (root / "notes" / "n0007.md").unlink()
    ensure_index(config)
    return config


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("prunesample")
    shutil.copytree(REPO / "notes", root / "notes")
    config = load_config(root)
    ensure_index(config)
    return config


def text_query(terms):
    """The Whoosh query the searcher used for a phrase or an excluded word."""
    if len(terms) == 1:
        return wq.Or([wq.Term(f, terms[0]) for f in FIELD_BOOSTS])
    return wq.Or([wq.Phrase(f, list(terms), slop=slop(terms)) for f in FIELD_BOOSTS])


def read(ws, term, kept={}):  # noqa: B006 - one searcher's postings, kept for its many queries
    """Every live posting of a term through Whoosh's matchers: {field: {doc: tf}}."""
    if kept.get("searcher") is not ws:
        kept.clear()
        kept["searcher"] = ws
    if term in kept:
        return kept[term]
    found = kept[term] = {}
    for field in FIELD_BOOSTS:
        found[field] = {}
        for leaf, offset in [(sub.reader(), offset) for sub, offset in ws.leaf_searchers()]:
            if (field, term) in leaf:
                m = leaf.postings(field, term)
                while m.is_active():
                    found[field][offset + m.id()] = m.weight()
                    m.next()
    return found


def exhaustive(ws, groups):
    """Score every posting of every group's terms, the formula written out plainly; deleted entries dropped."""
    reader, count = ws.reader(), ws.doc_count_all()
    leaves = [(sub.reader(), offset) for sub, offset in ws.leaf_searchers()]
    live = set(reader.all_doc_ids())

    def length(doc, field):
        leaf, offset = leaves[bisect_right([o for _, o in leaves], doc) - 1]
        average = ws.field_length(field) / (count or 1) or 1.0
        return scoring.effective_length(leaf.doc_field_length(doc - offset, field), average) / average

    holders = {}

    def held(term):
        if term not in holders:
            holders[term] = {d for docs in read(ws, term).values() for d in docs} & live
        return holders[term]

    total, filled = {}, {}
    for group in groups:
        unique = tuple(dict.fromkeys(group.terms))
        each = dict(zip(group.terms, group.weights or (1.0,) * len(group.terms)))
        postings = {term: read(ws, term) for term in unique}
        caps = {field: {} for field in FIELD_BOOSTS}
        if group.capped:
            for field in FIELD_BOOSTS:
                for term in unique:
                    for doc, weight in postings[term][field].items():
                        caps[field][doc] = min(weight, caps[field].get(doc, weight))
        fill = None
        if group.partial:
            idf = {term: log(count / (len(held(term)) + 1)) + 1 for term in unique}
            rarest = held(max(unique, key=lambda term: (idf[term], -unique.index(term))))
            fill = {}
            for doc in set().union(*(held(term) for term in unique)):
                share = sum(idf[term] for term in unique if doc in held(term)) / sum(idf.values())
                if share >= scoring.PARTIAL_MIN and doc in rarest:
                    fill[doc] = share
        scores, found = {}, []
        for term in unique:
            seen = set()
            for field, field_boost in FIELD_BOOSTS.items():
                df = reader.doc_frequency(field, term)
                if not df:
                    continue
                weight = scoring.field_weight(field_boost, field, len(held(term)) / count)
                scale = group.boost * each[term] * weight * (log(count / (df + 1)) + 1) * (K1 + 1)
                for doc, tf in postings[term][field].items():
                    tf = min(tf, caps[field][doc]) if group.capped else tf
                    norm = K1 * (1 - B + B * length(doc, field))
                    scores[doc] = scores.get(doc, 0.0) + scale * tf / (tf + norm)
                    seen.add(doc)
            found.append(seen)
        if group.partial:
            docs = fill.keys()
        else:
            docs = set.intersection(*found) if group.all_terms and len(unique) > 1 else scores.keys()
        if group.docs is not None:
            docs = group.docs.intersection(docs)
        for doc in docs:
            part = fill[doc] if fill is not None else 1.0
            total[doc] = total.get(doc, 0.0) + scores[doc] * part
            slots = filled.setdefault(doc, {})
            for slot in group.slots:
                slots[slot] = max(slots.get(slot, 0.0), part)
    return total, filled


def columns(ws, kept={}):  # noqa: B006 - one searcher's columns, kept for its many queries
    if kept.get("searcher") is not ws:
        kept.update(searcher=ws, date=list(ws.reader().column_reader("date")), id=list(ws.reader().column_reader("id")))
    return kept


def passes(ws, query):
    """Return a test of the filters and exclusions, done document by document with Whoosh queries."""
    allowed, masked, dates = [], set(), []
    for f in query.filters:
        if f.field == "date":
            dates.append(([(s.isoformat(), e.isoformat()) for s, e in f.values], f.negated))
            continue
        docs = set(ws.docs_for_query(wq.Or([wq.Term(f.field, v) for v in f.values])))
        (masked.update if f.negated else allowed.append)(docs)
    for clause in query.negative:
        masked |= set(ws.docs_for_query(text_query(clause.terms)))
    column, live = columns(ws)["date"], set(ws.reader().all_doc_ids())

    def keep(doc):
        if doc in masked or doc not in live or any(doc not in docs for docs in allowed):
            return False
        return all(any(s <= column[doc] <= e for s, e in bounds) != negated for bounds, negated in dates)

    return keep


def whoosh_searcher(searcher):
    """Whoosh's own searcher over the reader notebase searches: the reference the scoring is checked against."""
    from whoosh.searching import Searcher as WhooshSearcher

    return WhooshSearcher(searcher.reader, closereader=False)


def reference(searcher, query):
    """Return (total, every hit as (id, score, expansions) in rank order) by scoring every match."""
    ws = whoosh_searcher(searcher)
    plan = build_plan(query.positive, searcher.glossary, searcher._scorer)  # the groups; what is tested is their scoring
    groups = [replace(g, docs=frozenset(ws.docs_for_query(text_query(g.terms)))) if g.docs is not None and g.all_terms
              else g for g in plan.groups]
    weights = plan.slot_weights
    keep = passes(ws, query)
    if groups:
        scores, filled = exhaustive(ws, groups)
        final = {}
        for doc, value in scores.items():
            if keep(doc):
                share = sum(weights[s] * f for s, f in sorted(filled[doc].items()) if s < len(weights)) / sum(weights)
                final[doc] = round(value * (searcher.coord_floor + (1 - searcher.coord_floor) * share), 7)
    else:
        filled, final = {}, {doc: 0.0 for doc in ws.reader().all_doc_ids() if keep(doc)}
    dates, ids = columns(ws)["date"], columns(ws)["id"]
    order = sorted(final, key=lambda d: (-final[d], -dt.date.fromisoformat(dates[d]).toordinal(), ids[d]))
    used = [tuple(dict.fromkeys(f"{typed} → {synonym}" for typed, synonym, _, marker in plan.alternatives
                                if marker in filled.get(d, ()))) for d in order]
    return len(final), [(ids[d], round(final[d], 4), u) for d, u in zip(order, used)]


def queries(count: int, seed: int, judged: bool = True) -> list[str]:
    """The judged, seed and bench queries, and random mixes of words, phrases, exclusions and filters."""
    fixed = [c["query"] for name in ("queries.yaml", "seed_queries.yaml") if judged
             for c in yaml.safe_load((REPO / "tests" / "relevance" / name).read_text(encoding="utf-8"))]
    rng = random.Random(seed)
    mixed = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 5)):
            r = rng.random()
            if r < 0.15:
                parts.append(f'"{rng.choice(PHRASES + [rng.choice(KO) + " " + rng.choice(KO)])}"')
            elif r < 0.25:
                parts.append("-" + rng.choice(KO + EN + [f'"{p}"' for p in PHRASES]))
            elif r < 0.35:
                parts.append(rng.choice(FILTERS))
            else:
                parts.append(rng.choice(KO + EN + PHRASES))
        mixed.append(" ".join(parts))
    return list(dict.fromkeys(fixed + (list(QUERIES) if judged else []) + mixed))


def compare(config, texts, limits=(1, 10, 50), coord_floor=searcher_module.COORD_FLOOR):
    """Assert every query's hits and total match the reference; return how often pruning cut the matches."""
    pruned = tried = 0
    original = searcher_module.Searcher._candidates

    def spy(self, groups, matched, fills, found, weights, limit):
        nonlocal pruned, tried
        docs, final, filled = original(self, groups, matched, fills, found, weights, limit)
        tried += 1
        pruned += len(docs | final.keys()) < len(found)
        return docs, final, filled

    glossary = load_glossary(config.glossary)
    with pytest.MonkeyPatch.context() as mp, Searcher(index_path(config), glossary, coord_floor) as searcher:
        mp.setattr(searcher_module.Searcher, "_candidates", spy)
        mp.setattr(searcher_module, "make_snippet", lambda body, wanted: ("", ()))  # not what is compared
        for text in texts:
            try:
                query = parse(text)
            except QueryError:
                continue
            total, ranked = reference(searcher, query)
            for limit in limits:
                results = searcher.search(query, limit)
                got = [(h.id, h.score, h.expansions) for h in results.hits]
                assert (results.total, got) == (total, ranked[:limit]), f"{text!r} limit {limit}"
    return pruned, tried


@pytest.fixture
def eager(monkeypatch):
    """Prune from the first match on, from very few seeds."""
    monkeypatch.setattr(searcher_module, "PRUNE_FROM", 0)
    monkeypatch.setattr(searcher_module, "SEEDS", 2)


def test_pruned_search_equals_scoring_every_match(generated, eager):
    pruned, tried = compare(generated, queries(80, seed=11))
    assert tried > 250 and pruned > tried // 2, (pruned, tried)  # pruning really decided these queries


def test_the_fallback_when_too_many_sets_of_groups_is_exact_too(generated, eager, monkeypatch):
    monkeypatch.setattr(searcher_module, "PRUNE_STEPS", 2)
    pruned, tried = compare(generated, queries(30, seed=12, judged=False))
    assert pruned > tried // 3, (pruned, tried)


def test_reading_postings_through_whoosh_matchers_is_exact_too(generated, eager, monkeypatch):
    def unexpected(*args):
        raise w3.Unexpected("as if the index were laid out otherwise")

    monkeypatch.setattr(w3, "_decode", unexpected)
    compare(generated, queries(15, seed=17, judged=False))


def test_without_coordination_too(generated, eager):
    pruned, tried = compare(generated, queries(20, seed=18, judged=False), coord_floor=1.0)
    assert pruned, tried


def test_default_thresholds_on_the_sample_notes(sample):
    compare(sample, queries(30, seed=13), limits=(1, 10))


def test_a_bound_too_low_is_caught(generated, eager, monkeypatch):
    """The comparison fails when pruning drops a true top result: here bounds cut to a third."""
    bounds = scoring.Scorer.bounds
    monkeypatch.setattr(scoring.Scorer, "bounds", lambda self, g, d: [(s, b / 3) for s, b in bounds(self, g, d)])
    with pytest.raises(AssertionError):
        compare(generated, queries(60, seed=14, judged=False))


def test_bounds_hold_for_every_posting(generated):
    with open_searcher(generated) as searcher:
        scorer, ws = searcher._scorer, whoosh_searcher(searcher)
        everything = set(range(scorer.count))
        terms = {t.decode("utf-8") for leaf, _ in scorer.leaves for f in FIELD_BOOSTS for t in leaf.lexicon(f)}
        for term in terms:
            fields = [f for f in FIELD_BOOSTS if scorer.postings(f, term)]
            parts = scorer.bounds(Group((term,), 1.0, (0,)), everything)
            assert len(parts) == len(fields)
            for field, (docs, bound) in zip(fields, parts):
                postings = scorer.postings(field, term)
                assert docs == set(postings.weights)
                boost = scoring.field_weight(FIELD_BOOSTS[field], field, scorer.df(term) / scorer.count)
                scale = boost * (log(scorer.count / (postings.df + 1)) + 1) * (K1 + 1)
                average = ws.field_length(field) / scorer.count
                for doc, weight in postings.weights.items():
                    leaf, offset = scorer.leaves[bisect_right(scorer.offsets, doc) - 1]
                    length = scoring.effective_length(leaf.doc_field_length(doc - offset, field), average)
                    norm = K1 * (1 - B + B * length / average)
                    assert scale * weight / (weight + norm) <= bound, (field, term, doc)


def test_blocks_decode_as_whoosh_reads_them(generated, monkeypatch):
    slow = []
    monkeypatch.setattr(w3, "_matcher_blocks", lambda *a: slow.append(a) or iter(()))
    with open_searcher(generated) as searcher:
        scorer = searcher._scorer
        assert scorer.deleted and len(scorer.leaves) > 3
        checked = 0
        for leaf, offset in scorer.leaves:
            for field in ("head", "body", "tag", "type"):
                for term in leaf.lexicon(field):
                    info = leaf.term_info(field, term)
                    for values in (False, True) if field in FIELD_BOOSTS else (False,):  # positions
                        blocks = list(w3._decode(leaf._terms._postfile, info, offset, values, None))
                        mine = [(d, w) + ((v,) if values else ()) for ids, ws, vs in blocks
                                for d, w, v in zip(ids, ws, vs or ids) if d not in scorer.deleted]
                        m, theirs = leaf.postings(field, term), []
                        while m.is_active():
                            theirs.append((m.id() + offset, m.weight()) + ((m.value(),) if values else ()))
                            m.next()
                        assert mine == theirs, (field, term)
                    checked += 1
        assert checked > 2000
        for text in queries(20, seed=15, judged=False):
            try:
                searcher.search(parse(text))
            except QueryError:
                pass
    assert not slow  # every posting list of this index was read without the general, slow path


def test_phrases_match_whoosh(generated):
    rng = random.Random(16)
    with open_searcher(generated) as searcher:
        scorer, ws = searcher._scorer, whoosh_searcher(searcher)
        cases = [tuple(p.split()) for p in PHRASES] + [(rng.choice(KO), rng.choice(KO)) for _ in range(30)]
        cases += [(rng.choice(EN), rng.choice(EN), rng.choice(EN)) for _ in range(10)] + [("batch", "batch")]
        for words in cases:
            terms = tuple(t for w in words for t in analyse(w))
            for slop in (1, 2, 3):
                whoosh = set(ws.docs_for_query(wq.Or([wq.Phrase(f, list(terms), slop=slop) for f in FIELD_BOOSTS])))
                assert scorer.phrase_docs(terms, slop) == whoosh, (terms, slop)
