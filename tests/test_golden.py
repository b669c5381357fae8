"""A small site compared byte for byte with tests/golden/site; `python tests/golden.py` regenerates it."""

from __future__ import annotations

from golden import EXPECTED, build_golden, outputs


def test_the_golden_site_is_unchanged(tmp_path):
    built = outputs(build_golden(tmp_path))
    expected = outputs(EXPECTED)
    assert sorted(built) == sorted(expected), "files differ; run `python tests/golden.py` and review the diff"
    changed = [rel for rel in built if built[rel] != expected[rel]]
    assert changed == [], f"{changed} differ; run `python tests/golden.py` if the change is intended"


def test_the_golden_site_is_deterministic(tmp_path):
    first = outputs(build_golden(tmp_path / "a"))
    second = outputs(build_golden(tmp_path / "b"))
    assert first == second
