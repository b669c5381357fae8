"""Find regexes that backtrack: `python bench/regex_audit.py [--size 2000] [--timeout 5]`.

Imports every notebase module, collects each compiled pattern at module level, and times
`search` on hostile strings (one unit repeated: spaces, newlines, brackets, backticks, names...,
after a prefix the pattern may anchor on) at two lengths. A pattern whose time grows more than
about 3x when the input doubles, or that does not finish within the time-out, is listed with the
string and the operation (match or search) that show it. Each pattern runs in its own process, so
one that hangs is killed. A pattern only ever used with match/fullmatch on short strings (a URL's
scheme, a query) may show up under `search` without being a risk; patterns compiled inside
functions are not seen.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import pkgutil
import re
import time

UNITS = (" ", "\n", " \n", "\t", "a", "a ", "가", "가 ", "#", "# ", "-", "- ", "*", "**", "_", "~", "=", "==",
         "[", "[[", "]", "](", "[a](", "![a](", "(", ")", "`", "``", "<", "<a ", "<!--a-->", ">", "> ", "!", "$",
         "|", ":", ": ", ",", ".", "0", "1.", "2024.", "&", "&#", "/", "http://a", "a/", "\\", "'", '"', "@",
         "김철수", "김철수: ", "(NeurIPS ", "[S1] ", "\ufeff", "\u200b")
PREFIXES = ("", "a", "# a", "## a", "[S1] a", "김철수: a", "Authors: ", "- ", "> ", "<rss", "<!DOCTYPE [", "\n")
SUFFIXES = ("", "x", "\n", "!")


def patterns() -> list[tuple[str, str, int]]:
    """Return (module.name, pattern, flags) of every module-level compiled regex in notebase."""
    import notebase

    found = []
    for info in pkgutil.walk_packages(notebase.__path__, "notebase."):
        if info.name.endswith("__main__"):
            continue  # running it would start the CLI
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 -- an optional module that cannot import is not audited
            continue
        for name, value in vars(module).items():
            # Patterns kept in a tuple, list or dict (a table of them) count too.
            items = value.items() if isinstance(value, dict) else enumerate(value) \
                if isinstance(value, (tuple, list)) else [(None, value)]
            for key, item in items:
                if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                    where = name if key is None else f"{name}[{key!r}]"
                    found.append((f"{info.name}.{where}", item.pattern, item.flags))
    return sorted(set(found))


def _time(call, text: str, runs: int = 5) -> float:
    """The best of a few runs of call(text): the least disturbed by other processes."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call(text)
        best = min(best, time.perf_counter() - started)
        if best > 0.05:
            break  # slow enough to tell; no need to wait for more runs
    return best


def audit_one(item: tuple[str, str, int], size: int, queue) -> None:
    """Put each input before timing it, then the worst growth ratio and its input, on queue."""
    name, source, flags = item
    pattern = re.compile(source, flags)
    worst = (0.0, "", 0.0)
    for prefix in PREFIXES:
        for unit in UNITS:
            for suffix in SUFFIXES:
                reps = max(1, size // len(unit))
                for op in ("match", "search"):
                    shown = f"{op} on {prefix!r} + {unit!r} * {reps} + {suffix!r}"
                    queue.put(("start", shown))
                    call = getattr(pattern, op)
                    small = _time(call, prefix + unit * (reps // 2) + suffix)
                    large = _time(call, prefix + unit * reps + suffix)
                    if large > 1e-3 and large / max(small, 1e-7) > worst[0]:
                        worst = (large / max(small, 1e-7), shown, large, op, prefix, unit, reps, suffix)
    if worst[0] > 3.0:
        # Confirm, alternating the two sizes: one busy moment of the machine is no finding.
        ratio, shown, _, op, prefix, unit, reps, suffix = worst
        call = getattr(pattern, op)
        smalls, larges = [], []
        for _ in range(7):
            smalls.append(_time(call, prefix + unit * (reps // 2) + suffix, runs=1))
            larges.append(_time(call, prefix + unit * reps + suffix, runs=1))
        worst = (min(larges) / max(min(smalls), 1e-7), shown, min(larges))
    queue.put(("done", worst[:3]))


def main() -> None:
    """Audit every pattern and print the ones that grow faster than linearly."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=2000, help="length of the larger input")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds one input may take")
    parser.add_argument("--only", help="audit only patterns whose name contains this")
    args = parser.parse_args()
    items = [p for p in patterns() if not args.only or args.only in p[0]]
    context = multiprocessing.get_context("fork")
    bad = 0
    for item in items:
        queue = context.Queue()
        worker = context.Process(target=audit_one, args=(item, args.size, queue))
        worker.start()
        current, result = "?", None
        while result is None:
            try:
                kind, value = queue.get(timeout=args.timeout)
            except Exception:  # noqa: BLE001 -- queue.Empty: one input took longer than the time-out
                worker.kill()
                print(f"HANG  {item[0]}: over {args.timeout:g} s on {current}", flush=True)
                bad += 1
                break
            if kind == "start":
                current = value
            else:
                result = value
        worker.join()
        if result is not None and result[0] > 3.0:
            ratio, where, seconds = result
            print(f"SLOW  {item[0]}: x{ratio:.1f} when doubled ({seconds * 1000:.1f} ms) on {where}", flush=True)
            bad += 1
    print(f"{len(items)} patterns audited, {bad} grow faster than linearly")


if __name__ == "__main__":
    main()
