"""A cold notebase build against Hugo on the same notes: `python bench/hugo_bench.py --count 5000`.

The generated notes (bench/generate.py) are loaded once by notebase and written out as a Hugo
site: each entry a page under content/<type>/ with its title, date and tags in front matter and
its text as the page body, and small layouts giving what notebase's pages give (an entry page with
its tags, a paginated list per section, tag and year, the home page's recent entries, RSS and a
sitemap, which Hugo makes by default). Then `notebase build --force` (site and search index, from
nothing: no site/, no .notebase/) and `hugo` (no public/, no resources/) run alternately, each in a
fresh process, `--runs` times; the medians and their ratio are printed. `hugo` is Debian's
package (`apt-get install hugo`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_arguments, knowledge_base  # noqa: E402

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.LanguageCode }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}<a href="{{ "tags/" | relURL }}">tags</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time> · {{ .Section }}
{{ range .Params.tags }}<a href="{{ (printf "tags/%s/" (urlize .)) | relURL }}">#{{ . }}</a> {{ end }}</p>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ $paginator := .Paginate $pages.ByDate.Reverse 50 }}
<ul>{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02" }}</time> {{ .Summary | plainify | truncate 160 }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
}


def hugo_site(root: Path, hugo: Path) -> int:
    """Write the notes of the notebase knowledge base at root as a Hugo site at hugo; return its pages."""
    from notebase.config import load_config
    from notebase.load.loader import load

    shutil.rmtree(hugo, ignore_errors=True)
    (hugo / "content").mkdir(parents=True)
    (hugo / "config.toml").write_text(
        'baseURL = "https://example.org/"\nlanguageCode = "ko"\ntitle = "notes"\ndisableKinds = []\n'
        "paginate = 50\n[taxonomies]\ntag = \"tags\"\n[markup.goldmark.renderer]\nunsafe = false\n",
        encoding="utf-8")
    for rel, text in LAYOUTS.items():
        (hugo / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / rel).write_text(text, encoding="utf-8")
    entries = load(load_config(root)).entries
    for n, entry in enumerate(entries):
        front = {"title": entry.title, "date": entry.date.isoformat(), "tags": list(entry.tags)}
        path = hugo / "content" / entry.type.value / f"{n:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(front, ensure_ascii=False) + "\n\n" + entry.text, encoding="utf-8")
    return len(entries)


def timed(command: list[str], cwd: Path) -> float:
    """Run a command in a fresh process and return its wall-clock seconds; fail loudly if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0,):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("hugo") is None:
        sys.exit("hugo is not installed: apt-get install hugo")
    root = knowledge_base(args)
    hugo = args.out / f"hugo-{args.count}"
    pages = hugo_site(root, hugo)
    notebase = str(Path(sys.executable).with_name("notebase"))
    times: dict[str, list[float]] = {"notebase": [], "hugo": []}
    for _ in range(args.runs):
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".notebase", ignore_errors=True)
        times["notebase"].append(timed([notebase, "--root", str(root), "build", "--force"], root))
        shutil.rmtree(hugo / "public", ignore_errors=True)
        shutil.rmtree(hugo / "resources", ignore_errors=True)
        times["hugo"].append(timed(["hugo", "--quiet", "-d", "public"], hugo))
    files = {name: sum(1 for p in folder.rglob("*") if p.is_file())
             for name, folder in (("notebase", root / "site"), ("hugo", hugo / "public"))}
    print(f"{args.count} notes, {pages} entries; {args.runs} cold builds each, alternating")
    for name, values in times.items():
        print(f"{name:9} median {statistics.median(values):6.2f} s  runs {', '.join(f'{v:.2f}' for v in values)}"
              f"  ({files[name]} files)")
    print(f"ratio notebase/hugo: {statistics.median(times['notebase']) / statistics.median(times['hugo']):.2f}")


if __name__ == "__main__":
    main()
