"""Authoring commands: `new` writes a note from a template, `export` writes a bibliography."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from notebase.cli.common import EXIT_PROBLEMS, count, load_settings, root_option
from notebase.cli.browse_commands import load_quietly


def _date(value: str | None, name: str):
    if value is None:
        return None
    from notebase.load.dates import DateError, parse_date

    try:
        return parse_date(value)
    except DateError as exc:
        raise click.BadParameter(f"{exc} — write YYYY-MM-DD", param_hint=name) from None


def _shown(path: Path) -> str:
    """The path to print: relative to the current folder when inside it, so `$EDITOR $(...)` works."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.command("new")
@click.argument("kind", metavar="TYPE")
@click.argument("title", nargs=-1, required=True)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeat, or separate with commas).")
@click.option("--date", "day", metavar="DATE", help="The note's date, or a conference's first day (default: today).")
@click.option("--dir", "folder", metavar="DIR",
              help="Folder under the notes folder (default: papers, conferences or tips).")
@click.option("--authors", metavar="NAMES", help="Paper: authors, separated by commas.")
@click.option("--venue", help="Paper: where it was published, e.g. NeurIPS.")
@click.option("--year", type=int, help="Paper: the year it was published.")
@click.option("--arxiv", metavar="ID", help="Paper: arXiv id or URL.")
@click.option("--doi", help="Paper: DOI.")
@click.option("--presenter", metavar="NAME", help="Paper: who presented or summarised it (default: config author).")
@click.option("--event", help="Conference: the event's name (default: the title).")
@click.option("--end", metavar="DATE", help="Conference: the last day.")
@click.option("--location", metavar="PLACE", help="Conference: where it took place.")
@click.option("--category", help="Tip: its category, e.g. Git.")
@click.option("--edit", is_flag=True, help="Open the new note in $EDITOR.")
@root_option
def new_command(kind, title, tags, day, folder, edit, **fields) -> None:
    """Write a new note of TYPE (paper, conference or tip; 논문, 학회, til… work too) titled TITLE.

    The note gets its type's front matter, with placeholders for what to fill in, and section
    headings in the configured language; its path is printed, so `$EDITOR $(notebase new tip "…")`
    opens it. An existing file is never overwritten.

    \b
    notebase new paper "Attention Is All You Need" --arxiv 1706.03762 --tag transformer
    notebase new 학회 "KCC 2024" --date 2024-06-26 --end 2024-06-28 --location 제주
    notebase new til "git worktree로 브랜치 두 개 열기" --category Git
    """
    from notebase.cli.authoring import NoteError, create_note
    from notebase.load.extract import split_names
    from notebase.cli.query import entry_type

    try:
        kind = entry_type(kind)
    except ValueError as exc:
        raise click.BadParameter(f"{exc} (aliases such as 논문, 학회, til work too)", param_hint="TYPE") from None
    fields["end"] = _date(fields["end"], "--end")
    if fields["authors"]:
        fields["authors"] = split_names(fields["authors"])
    tags = [t for value in tags for t in value.split(",")]
    try:
        path = create_note(load_settings(need_notes=False), kind, " ".join(title), day=_date(day, "--date"), tags=tags,
                           fields=fields, folder=folder)
    except NoteError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_shown(path))
    if edit:
        click.edit(filename=str(path))


@click.command("export")
@click.option("--bibtex", is_flag=True, help="Write paper summaries as BibTeX.")
@click.option("--tag", help="Only papers with this tag (case-insensitive).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@root_option
def export_command(bibtex: bool, tag: str | None, output: Path | None) -> None:
    """Export the knowledge base; with --bibtex, a bibliography of its paper summaries.

    One entry per paper (summaries of the same paper are merged) with author, title, venue, year,
    DOI and arXiv eprint; keys such as vaswani2017attention. Exit 1 when no paper matches.
    """
    if not bibtex:
        raise click.UsageError("choose what to export: --bibtex (paper summaries as BibTeX)")
    from notebase.cli.bibtex import bibliography, format_bibtex, missing_fields
    from notebase.model import EntryType
    from notebase.cli.query import select

    papers = select(load_quietly(load_settings()).entries, type_=EntryType.PAPER, tag=tag)
    if not papers:
        click.echo("no paper summaries" + (f" tagged '{tag}'" if tag else "") + " to export", err=True)
        sys.exit(EXIT_PROBLEMS)
    entries = bibliography(papers)
    for problem in missing_fields(entries):
        click.echo(str(problem), err=True)
    text = format_bibtex(entries)
    if output is None:
        click.echo(text, nl=False)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, output)  # whole or not at all: a LaTeX build never reads half a file
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        click.echo(f"notebase: cannot write {output}: {exc.strerror}", err=True)
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"wrote {count(len(entries), 'entry', 'entries')} from {count(len(papers), 'paper summary', 'paper summaries')} "
               f"to {output}", err=True)


@click.command("init")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--language", type=click.Choice(["ko", "en"]), default="ko", show_default=True,
              help="Language of the site's interface and of the sample notes.")
@click.option("--github-pages", is_flag=True, help="Also write .github/workflows/pages.yml, which publishes the site.")
def init_command(folder: Path | None, language: str, github_pages: bool) -> None:
    """Start a knowledge base in FOLDER (default: --root, else the current folder).

    Writes notebase.yaml (every setting, commented), one sample note of each type under notes/
    (none when notes/ already has notes), a .gitignore for site/ and .notebase/ and, with
    --github-pages, a workflow that publishes the site on every push to main. Never overwrites
    a file: when one is there already, nothing is written (exit 1).
    """
    from notebase.cli.scaffold import InitError, init

    folder = folder if folder is not None else click.get_current_context().obj["root"]
    try:
        written = init(folder, language=language, github_pages=github_pages)
    except InitError as exc:
        click.echo(f"notebase init: {exc}", err=True)
        sys.exit(EXIT_PROBLEMS)
    for rel in written:
        click.echo(_shown(folder.resolve() / rel))
    where = "" if folder.resolve() == Path.cwd().resolve() else f" --root {_shown(folder.resolve())}"
    click.echo(f"next: notebase{where} build, then open {_shown(folder.resolve() / 'site' / 'index.html')} "
               f"(or notebase{where} serve, which rebuilds while you write)", err=True)
