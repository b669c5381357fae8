"""Relevance of the search with parts switched off: `python bench/relevance.py [--seeds]`.

Prints recall@10 and MRR of the judged queries in tests/relevance/ for the full search, without
the glossary, without the coordination factor, and with neither, so each part's worth is measured.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import yaml

from notebase.config import load_config
from notebase.search.glossary import Glossary, load_glossary
from notebase.search.searcher import COORD_FLOOR
from notebase.search.evaluate import evaluate

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    """Copy the notes (or seeds) aside, then evaluate each variant and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", action="store_true", help="the seeds in ../shared instead of notes/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.seeds:
            (root / "notes").mkdir()
            for path in (REPO.parent / "shared" / "seeds").glob("*.txt"):
                shutil.copy(path, root / "notes" / (path.stem + ".md"))
            shutil.copy(REPO.parent / "shared" / "seeds" / "003_feed_extracted.xml", root / "notes")
            judged = yaml.safe_load((REPO / "tests" / "relevance" / "seed_queries.yaml").read_text("utf-8"))
        else:
            shutil.copytree(REPO / "notes", root / "notes")
            judged = yaml.safe_load((REPO / "tests" / "relevance" / "queries.yaml").read_text("utf-8"))
        config = load_config(root)
        full, none = load_glossary(config.glossary), Glossary([])
        for name, words, floor in (("full search", full, COORD_FLOOR), ("no glossary", none, COORD_FLOOR),
                                   ("no coordination", full, 1.0), ("neither", none, 1.0)):
            figures = evaluate(config, judged, glossary=words, coord_floor=floor)
            print(f"{name:<16} recall@10 {figures.recall:.3f}  MRR {figures.mrr:.3f}  ({figures.queries} queries)")


if __name__ == "__main__":
    main()
