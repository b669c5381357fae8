"""Mutated notes and feeds, loaded and rendered: `python bench/fuzz.py --cases 10000 [--seed 1]`.

A seeded mutator takes the sample notes in notes/ and a few small feeds and notes written here,
and damages them the ways files get damaged or attacked: flipped bytes, truncation, inserted
`---`/`+++` fences, NUL, undecodable bytes (lone surrogates as UTF-8), RTL and zero-width marks,
four-byte letters, huge repeats of a slice, splices of another file. Each case is one file in an
empty knowledge base, loaded and rendered in the process (entry pages, listings, feeds, search
data and `list --json`'s dicts, nothing written to disk). A case fails when anything raises, or
when its file gives neither an entry nor a problem (dropped silently), or when any text that
would be written is not valid UTF-8. A case running past the time-out is a failure too (a hang).

Case n of seed s is always the same input: `--only N` reruns one, `--save DIR` writes the failing
inputs there. tests/test_fuzz.py runs a small budget of the same cases.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "notes"

# Small inputs written for the fuzzer: feed shapes and front-matter shapes the sample notes lack.
EXTRA_SEEDS: dict[str, str] = {
    "feeds/rss.xml": (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>연구실 소식</title>\n'
        '<item><title>확산 모델 읽기 &amp; 정리</title><link>https://example.org/a</link>\n'
        '<pubDate>Tue, 05 Mar 2024 09:00:00 +0900</pubDate><category>ml</category>\n'
        '<description><![CDATA[<p>본문 <b>굵게</b> <a href="https://arxiv.org/abs/2006.11239">DDPM</a></p>]]>'
        '</description></item>\n<item><title>Second</title><description>plain &lt;i&gt;text&lt;/i&gt;'
        '</description></item>\n</channel></rss>\n'),
    "feeds/atom.atom": (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Reading group</title>\n'
        '<entry><title type="html">Attention &lt;em&gt;is&lt;/em&gt; all</title><id>urn:1</id>'
        '<updated>2024-01-02T00:00:00Z</updated><category term="nlp"/>\n'
        '<content type="html">&lt;p&gt;요약: transformer &amp;amp; attention&lt;/p&gt;</content></entry>\n'
        '<entry><title>Two</title><id>urn:2</id><summary type="text">짧은 요약</summary></entry>\n</feed>\n'),
    "feeds/rdf.rss": (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>RDF</title></channel>\n'
        '<item rdf:about="https://example.org/r"><title>RDF item</title><description>설명</description></item>\n'
        '</rdf:RDF>\n'),
    "notes/toml.md": (
        '+++\ntitle = "TOML 노트"\ndate = 2024-03-04\ntags = ["a", "b"]\n[extra]\nk = { x = 1, y = [1, 2] }\n'
        '+++\n## 방법\n본문 with `code` and $x^2$.\n'),
    "notes/yaml-anchors.md": (
        "---\ntitle: Anchors\nbase: &b {k: v, list: [1, 2]}\nother: *b\ntype: paper\nauthors: [Kim, Lee]\n"
        "venue: NeurIPS 2023\n---\n> [!tip] 팁\n> 내용 [[없는 노트|별칭]] ![[그림.png|100]]\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n"),
    "til/log.md": (
        "# TIL\n\n2024.01.05\n🧩 ML library\n같은 제목\n\n2024.01.06\n#태그 #tag 내용[^1]\n\n"
        "References\n\n1. A reference. 2020.\n\n[^1]: 각주\n"),
    "digests/presenters.md": (
        "# 세미나\n\n김철수: Attention Is All You Need (NeurIPS 2017)\n요약.\n\n"
        "이영희: Denoising Diffusion Probabilistic Models\n요약.\n\n박민수: Deep Residual Learning\n요약.\n"),
}

INSERTS = ["\x00", "\ufeff", "\u200b", "\u200c", "\u200d", "\u202e", "\u202d", "\u200f", "\u2066", "\u0301",
           "\U00020000", "😀", "\ufffd", "\x1b[31m", "\r", "\r\n", "\t", "\x0b", "\x0c", "\u2028", "\u2029",
           "<", "&", "&#x110000;", "&#xD800;", "&#0;", "<![", "]]>", "<!--", "-->", "[[", "]]", "```", "$$",
           "---\n", "+++\n", "...\n", "> [!note] ", "# ", "## ", "- ", "1. ", "| a |\n|---|\n", "[^1]", "\\",
           "*", "_", "~", "`", "==", "{{< x >}}", "{% raw %}", ":::", "{note}", "%%", "((x))", "::",
           "title: x\n", "type: paper\n", "date: 2024-13-45\n", "tags: [a, [b, [c]]]\n", "a: &a [*a]\n",
           "<script>alert(1)</script>", '<img src="javascript:alert(1)">', "javascript:", "../../etc/passwd",
           "2024.01.05\n", "김철수: Title Of A Paper\n", "[S1] 제목\n", "Authors: A, B\n", "장소: 서울\n"]
RAW_INSERTS = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xf4\x90\x80\x80",
               b"\xe2\x82", b"\x80", "한글".encode("cp949"), "한글".encode("utf-16")]


def seeds() -> dict[str, bytes]:
    """The inputs mutations start from: every note and feed in notes/, plus the extra seeds."""
    from notebase.load.files import NOTE_EXTENSIONS

    found = {p.relative_to(SAMPLES).as_posix(): p.read_bytes() for p in sorted(SAMPLES.rglob("*"))
             if p.is_file() and p.name.lower().endswith(NOTE_EXTENSIONS)}
    found.update((rel, text.encode("utf-8")) for rel, text in EXTRA_SEEDS.items())
    return found


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """Apply one to four random mutations to data."""
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("flip", "truncate", "fence", "insert", "insert", "raw", "unicode", "repeat",
                           "splice", "lines", "delete"))
        at = rng.randint(0, len(data)) if data else 0
        if kind == "flip" and data:
            buf = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(buf))
                buf[i] ^= 1 << rng.randrange(8)
            data = bytes(buf)
        elif kind == "truncate":
            data = data[:at]
        elif kind == "fence":
            fence = rng.choice((b"---\n", b"+++\n", b"---\n---\n", b"+++\n+++\n", b"---"))
            line = data.rfind(b"\n", 0, at) + 1 if rng.random() < 0.7 else at
            data = data[:line] + fence + data[line:] if rng.random() < 0.8 else fence + data
        elif kind == "insert":
            text = "".join(rng.choice(INSERTS) for _ in range(rng.randint(1, 5)))
            data = data[:at] + text.encode("utf-8") + data[at:]
        elif kind == "raw":
            data = data[:at] + rng.choice(RAW_INSERTS) + data[at:]
        elif kind == "unicode":  # any code point; surrogates go in as the bytes Python would write for them
            low, high = rng.choice(((0, 0x80), (0x80, 0x800), (0x800, 0x10000), (0xD800, 0xE000), (0x10000, 0x110000)))
            text = "".join(chr(rng.randrange(low, high)) for _ in range(rng.randint(1, 40)))
            data = data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "repeat" and data:
            start = rng.randrange(len(data))
            piece = data[start:start + rng.randint(1, 24)]
            data = data[:at] + piece * rng.randint(2, max(2, 60_000 // max(1, len(piece)))) + data[at:]
        elif kind == "splice":
            other = rng.choice(pool)
            a = rng.randint(0, len(other))
            data = data[:at] + other[a:a + rng.randint(1, 2000)] + data[at:]
        elif kind == "lines":
            lines = data.split(b"\n")
            rng.shuffle(lines) if rng.random() < 0.3 else lines.insert(rng.randint(0, len(lines)),
                                                                       rng.choice(lines) * rng.randint(1, 50))
            data = b"\n".join(lines)
        elif kind == "delete" and data:
            data = data[:at] + data[at + rng.randint(1, 200):]
    return data[:400_000]


@dataclass(frozen=True)
class Case:
    """One fuzz input: the file's path in the notes folder and its bytes."""

    number: int
    rel: str
    data: bytes


def make_case(seed: int, number: int, pool: dict[str, bytes] | None = None) -> Case:
    """Return case `number` of `seed`: always the same bytes."""
    pool = pool or seeds()
    rng = random.Random(f"{seed}:{number}")
    rel = rng.choice(sorted(pool))
    data = mutate(pool[rel], rng, list(pool.values()))
    if rng.random() < 0.1:  # the other reader: a feed saved as .md, a note saved as .xml
        stem, _, ext = rel.rpartition(".")
        rel = stem + (".md" if ext in ("xml", "rss", "atom") else ".xml")
    return Case(number, rel, data)


_ENV: list = []  # the Jinja environment of the first case, reused with each case's config


def check_case(case: Case, scratch: str | None = None) -> str | None:
    """Load and render one case; return what went wrong, or None."""
    from notebase.config import load_config
    from notebase.site.emitters.feeds import feed_files, feed_sets
    from notebase.site.emitters.listings import listing_pages, render_page
    from notebase.site.emitters.pages import entry_context, template_for
    from notebase.site.emitters.search_data import iter_search_files
    from notebase.load.loader import load
    from notebase.render.templates import make_env
    from notebase.cli.serialize import entry_to_dict
    from notebase.site.assemble import assemble

    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        root = Path(tmp)
        path = root / "notes" / case.rel
        path.parent.mkdir(parents=True)
        path.write_bytes(case.data)
        try:
            config = load_config(root)
            loaded = load(config, jobs=1)
            rel = loaded.loads[0].rel if loaded.loads else case.rel
            mine = [p for p in loaded.problems if p.path == rel]
            if not loaded.entries and not mine:
                return f"dropped silently: {case.rel} gave no entry and no problem"
            for problem in loaded.problems:
                str(problem).encode("utf-8")
            site = assemble(loaded.entries, config, [case.rel])
            env = _ENV[0] if _ENV else make_env(config)  # compiled templates kept: no case has its own
            _ENV[:] = [env]
            env.globals["site"] = config
            for index, entry in enumerate(site.entries):
                json.dumps(entry_to_dict(entry), ensure_ascii=False).encode("utf-8")
                context = entry_context(site, entry, index)
                env.get_template(template_for(entry, env)).render(context).encode("utf-8")
            for page in listing_pages(site, env):
                render_page(env, page)
            for page, title, entries in feed_sets(site):
                feed_files(site, page, title, entries)
            for _, data in iter_search_files(site.entries, config, 1):
                data.encode("utf-8") if isinstance(data, str) else data
        except Exception:  # noqa: BLE001 -- any exception is the finding
            return traceback.format_exc(limit=-6)
    return None


def _serve(conn, scratch: str | None) -> None:
    """The worker: check the cases the parent sends, one at a time, until it sends None."""
    pool = seeds()
    while (task := conn.recv()) is not None:
        seed, number = task
        case = make_case(seed, number, pool)
        conn.send((case.rel, check_case(case, scratch)))


class Worker:
    """A child process (not a daemon: the build may start worker pools of its own) that is killed on a hang."""

    def __init__(self, scratch: str | None):
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, scratch))
        self.process.start()

    def check(self, seed: int, number: int, timeout: float) -> tuple[str, str | None] | None:
        """Return (path, what went wrong or None), or None when the case ran past the time-out."""
        self.conn.send((seed, number))
        if self.conn.poll(timeout):
            return self.conn.recv()
        self.process.kill()
        self.process.join()
        return None

    def close(self) -> None:
        """Stop the worker."""
        if self.process.is_alive():
            self.conn.send(None)
            self.process.join(10)
            self.process.kill()


def main() -> None:
    """Run the cases in a worker process (killed and replaced when one hangs); print the failures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="number of the first case")
    parser.add_argument("--only", type=int, help="run just this case, in this process")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a case may take")
    parser.add_argument("--save", type=Path, help="write each failing input into this folder")
    args = parser.parse_args()
    scratch = "/dev/shm" if Path("/dev/shm").is_dir() else None
    if args.only is not None:
        case = make_case(args.seed, args.only)
        print(f"case {args.only}: {case.rel}, {len(case.data)} bytes")
        print(check_case(case, scratch) or "ok")
        return
    worker = Worker(scratch)
    failures, retried, slowest, started = [], [], (0.0, -1), time.perf_counter()
    for number in range(args.first, args.first + args.cases):
        rel, error = "", None
        for attempt in (1, 2):  # a case past the time-out runs once more in a fresh worker
            began = time.perf_counter()
            done = worker.check(args.seed, number, args.timeout)
            if done is not None:
                rel, error = done
                break
            worker = Worker(scratch)
            rel, error = make_case(args.seed, number).rel, f"hang: over {args.timeout:g} s, twice"
            if attempt == 1:
                print(f"case {number} ({rel}): over {args.timeout:g} s; running it again", flush=True)
        if attempt == 2 and not error:
            retried.append(number)
            print(f"case {number}: ok the second time, in {time.perf_counter() - began:.1f} s", flush=True)
        slowest = max(slowest, (time.perf_counter() - began, number))
        if error:
            failures.append(number)
            print(f"FAIL case {number} ({rel}): {error.strip().splitlines()[-1]}", flush=True)
            print("    " + error.strip().replace("\n", "\n    "), file=sys.stderr)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                case = make_case(args.seed, number)
                (args.save / f"{args.seed}-{number}-{case.rel.replace('/', '_')}").write_bytes(case.data)
        done = number - args.first + 1
        if done % 500 == 0:
            print(f"{done} cases, {len(failures)} failures, {time.perf_counter() - started:.0f} s", flush=True)
    worker.close()
    print(f"seed {args.seed}: {args.cases} cases (from {args.first}), {len(failures)} failures"
          + (f": {failures}" if failures else "") + f", {time.perf_counter() - started:.0f} s; slowest case "
          f"{slowest[1]} ({slowest[0]:.1f} s)" + (f"; over the time-out once but not again: {retried}" if retried else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
