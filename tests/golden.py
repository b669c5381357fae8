"""Rebuild the golden site from tests/golden/kb: `python tests/golden.py` (then review the diff).

The golden test builds the same notes and compares every output file byte for byte, except the
theme's own static/ files, which are copied verbatim and checked by the other site tests.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
KB = GOLDEN / "kb"
EXPECTED = GOLDEN / "site"


def build_golden(into: Path) -> Path:
    """Build the golden notes in a copy under `into`; return the site folder."""
    from notebase.build import build
    from notebase.config import load_config

    root = into / "kb"
    shutil.copytree(KB, root)
    build(load_config(root), index=False, jobs=1)
    return root / "site"


def outputs(site: Path) -> dict[str, bytes]:
    """Return {path: bytes} of every output compared with the golden copy."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.relative_to(site).parts[0] != "static"}


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        site = build_golden(Path(tmp))
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, data in outputs(site).items():
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"golden site written to {EXPECTED}", file=sys.stderr)


if __name__ == "__main__":
    main()
