"""A small budget of bench/fuzz.py's seeded cases: mutated notes and feeds load and render, none dropped.

Each case is one damaged file (flipped bytes, truncation, stray `---`/`+++`, NUL, undecodable bytes,
RTL and zero-width marks, huge repeats, splices) in an empty knowledge base, loaded and rendered
in this process. The long run is `python bench/fuzz.py --cases 10000`.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from conftest import REPO

CASES = int(os.environ.get("NOTEBASE_FUZZ_CASES", "40"))


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("notebase_fuzz", REPO / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_mutator_is_deterministic_and_damages(fuzz):
    pool = fuzz.seeds()
    assert any(rel.endswith((".xml", ".atom", ".rss")) for rel in pool) and any(rel.endswith(".md") for rel in pool)
    first, again = fuzz.make_case(7, 3, pool), fuzz.make_case(7, 3, pool)
    assert first == again
    originals = set(pool.values())
    assert sum(fuzz.make_case(7, n, pool).data not in originals for n in range(20)) >= 18


def test_fuzzed_notes_and_feeds_load_and_render(fuzz):
    pool = fuzz.seeds()
    failures = {}
    for number in range(CASES):
        case = fuzz.make_case(12, number, pool)
        error = fuzz.check_case(case)
        if error:
            failures[f"case {number} ({case.rel})"] = error
    assert not failures, "\n".join(f"{k}:\n{v}" for k, v in failures.items())
