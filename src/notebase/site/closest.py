"""Names to suggest for a link that matches nothing: "did you mean [[SimCLR: ...]]?"."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable


class Closest:
    """Names to suggest for a link that matches nothing, indexed on first need.

    difflib over every title costs ~30 ms a link at 10,000 notes, and a vault with links to notes
    not yet written has hundreds: difflib only ranks the few names sharing the most rare bigrams,
    after the names that start with what the link says ([[SimCLR]] for "SimCLR: ...").
    """

    POOL = 20  # names difflib ranks per link
    BUDGET = 1500  # name positions counted per link

    def __init__(self, names: Callable[[], dict[str, str]]):
        self._names = names
        self._shown: dict[str, str] | None = None  # normalised name -> the name as written
        self.keys: list[str] = []
        self.grams: dict[str, list[int]] = {}
        self.cache: dict[str, list[str]] = {}

    def shown(self) -> dict[str, str]:
        """Return every name, normalised, mapped to how it is written."""
        if self._shown is None:
            self._shown = self._names()
        return self._shown

    def closest(self, key: str) -> list[str]:
        """Return up to three names that read most like the normalised `key`, best first."""
        if key in self.cache:
            return self.cache[key]
        if not self.keys:
            self.keys = list(self.shown())
            for i, name in enumerate(self.keys):
                for gram in _bigrams(name):
                    self.grams.setdefault(gram, []).append(i)
        # The rarest bigrams first, up to a budget: a rare one says more and costs less to count.
        postings = sorted((self.grams.get(gram, ()) for gram in _bigrams(key)), key=len)
        shared: Counter[int] = Counter()
        budget = self.BUDGET
        for found in postings:
            if shared and len(found) > budget:
                break
            shared.update(found)
            budget -= len(found)
        pool = [self.keys[i] for i, _ in shared.most_common(self.POOL)]
        starts = [k for k in pool if k.startswith(key) and not k[len(key):len(key) + 1].isalnum()]
        close = starts + difflib.get_close_matches(key, pool, n=6)
        self.cache[key] = list(dict.fromkeys(self._shown[k] for k in close))[:3]
        return self.cache[key]


def _bigrams(text: str) -> set[str]:
    text = f" {text} "
    return {text[i:i + 2] for i in range(len(text) - 1)}
