"""1 MB of hostile markup for each rule of markup_dialects, the CJK emphasis scan and plain text: no hang.

Every scan in those modules moves forward only, so each input here takes well under a second;
the guard's generous time-out only catches a hang (a quadratic scan takes minutes on these).
"""

from __future__ import annotations

import signal
from contextlib import contextmanager

import pytest

from notebase.render.renderer import markdown
from notebase.render.cjk import scan_delims
from notebase.render.dialects import prepare
from notebase.render.plaintext import markdown_to_text, mask_code
from notebase.render.sanitize import lazy_images

MB = 1_000_000
GUARD_SECONDS = 30


def fill(unit: str) -> str:
    return (unit * (MB // len(unit) + 1))[:MB]


@contextmanager
def hang_guard(seconds: int = GUARD_SECONDS):
    """Fail (instead of hanging the suite) if the block runs longer than `seconds`."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: a scan is not linear")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


HOSTILE = {
    "liquid tag openers, one closer at the end": fill("{%") + "%}",
    "liquid variables": fill("{{ site.x | a }}"),
    "triple braces": fill("{{{") + fill("}"),
    "unclosed liquid blocks": fill('{% hint style="info" %}\n'),
    "liquid raw": fill("{% raw %}x{{ y }}"),
    "hugo figures": fill('{{< figure src="a.png" caption="c" >}}\n'),
    "unclosed hugo pairs": fill("{{< notice info >}}\n"),
    "unclosed myst fences": fill("```{note}\n"),
    "unclosed colon fences": fill(":::{figure} x.png\n:alt: a\n"),
    "myst options": "```{figure} a\n---\n" + fill("k: v\n"),
    "myst roles": fill("{cite}`a` {a}`"),
    "kramdown attributes": fill("{: .x}\n{:"),
    "heading attributes": fill("## a {#b} {" + "." * 50 + "\n"),
    "logseq outline": "## h\n" + fill("\t- x\n\t  k:: v\n\t\t- y\n"),
    "logseq refs and macros": fill("((6380a818-1a69-46f1-85f0-2b86fcba9b70 {{embed (("),
    "org blocks": fill("#+BEGIN_QUOTE\n"),
    "comments": fill("%%"),
    "comments around code": fill("`%%` %% a\n"),
    "raw html": fill("<div><pre>\n<!--\n"),
    "backtick runs": "".join("`" * k + " " for k in range(1, 1400)),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_prepare_is_linear(name):
    body = HOSTILE[name]
    with hang_guard():
        prepare(body)


@pytest.mark.parametrize("unit", ["<a", "![a](", "[a](", "[[", "**x ", "__x ", "~~x ", "1", "```\n~~~\n"])
def test_plain_text_is_linear(unit):
    body = fill(unit)
    with hang_guard():
        markdown_to_text(body)
        mask_code(body)


@pytest.mark.parametrize("unit", ["**가(나)**를 ", "_가_나_", "**(**가*", "~~(취소)~~된"])
def test_cjk_delimiter_scan_is_constant_per_run(unit):
    src = fill(unit)
    with hang_guard():
        at = 0
        while at < len(src):
            if src[at] in "*_~":
                at += scan_delims(src, at, len(src), src[at] != "_").length
            else:
                at += 1


@pytest.mark.parametrize("body", [fill("<div><pre>\n"), fill("<div><pre>\n\n"), fill("<p><pre>x\n")])
def test_pre_block_rule_is_linear(body):
    with hang_guard():
        markdown().parse(body, {"nb": None})


@pytest.mark.parametrize("unit", ['<img data-src="a.png" src="data:x">', "<img ", "<img a=", "<img data-src="])
def test_lazy_images_are_linear(unit):
    with hang_guard():
        lazy_images(fill(unit))
