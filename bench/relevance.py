"""Relevance of the search with parts switched off: `python bench/relevance.py [--seeds]`.

Prints recall@10, MRR, P@5 and nDCG@10 of the judged queries in tests/relevance/ (the sample notes
plus tests/relevance/notes/, or the seeds in ../shared) for the full search, without the glossary,
without the coordination factor, and with neither, so each part's worth is measured; `--kinds`
adds the figures per kind of query.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import yaml

from notebase.config import load_config
from notebase.search.evaluate import evaluate
from notebase.search.glossary import Glossary, load_glossary
from notebase.search.searcher import COORD_FLOOR

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    """Copy the notes (or seeds) aside, then evaluate each variant and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", action="store_true", help="the seeds in ../shared instead of notes/")
    parser.add_argument("--kinds", action="store_true", help="also the figures per kind of query")
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
            shutil.copytree(REPO / "tests" / "relevance" / "notes", root / "notes" / "relevance")
            judged = yaml.safe_load((REPO / "tests" / "relevance" / "queries.yaml").read_text("utf-8"))
        config = load_config(root)
        full, none = load_glossary(config.glossary), Glossary([])
        for name, words, floor in (("full search", full, COORD_FLOOR), ("no glossary", none, COORD_FLOOR),
                                   ("no coordination", full, 1.0), ("neither", none, 1.0)):
            f = evaluate(config, judged, glossary=words, coord_floor=floor)
            print(f"{name:<16} recall@10 {f.recall:.3f}  MRR {f.mrr:.3f}  P@5 {f.p5:.3f}  nDCG@10 {f.ndcg:.3f}"
                  f"  ({f.queries} queries)")
            if args.kinds and f.by_kind:
                for kind, m in sorted(f.by_kind.items()):
                    print(f"    {kind:<14} recall@10 {m.recall:.3f}  MRR {m.rr:.3f}  P@5 {m.p5:.3f}  nDCG@10 {m.ndcg:.3f}")


if __name__ == "__main__":
    main()
