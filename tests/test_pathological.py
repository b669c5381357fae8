"""Hang guard: every pathological family of bench/pathological.py loads and renders, in a child with a time-out.

Before the fixes the smallest sizes alone took minutes (a heading of `# a`, 3,000 spaces and `x`:
76 s; 28 `<!--a-->` in a feed: over 45 s; a 335-byte YAML alias bomb: past 120 s and 1 GB). A
hang here is a failure, not a speed figure: the time-out is generous, and speed is measured in
bench/pathological.py.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

GUARD_TIMEOUT = 300  # seconds; the families take a few seconds together


def test_every_pathological_family_loads_and_renders():
    done = subprocess.run([sys.executable, str(REPO / "bench" / "pathological.py"), "--guard", "0"],
                          capture_output=True, text=True, timeout=GUARD_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("families: ok")
