"""The notebase command: a thin layer that parses arguments, calls the library and prints."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from notebase.cli import authoring_commands, browse_commands, serve_command
from notebase.cli.common import EXIT_PROBLEMS, EXIT_USAGE, count, load_settings, root_option
from notebase.errors import NotebaseError, Problem


def _report(problems: list[Problem], strict: bool) -> int:
    """Print problems to stderr; return the exit code they call for."""
    for problem in problems:
        click.echo(str(problem), err=True)
    failing = [p for p in problems if strict or p.severity.value == "error"]
    return EXIT_PROBLEMS if failing else 0


def _bounds(value: str | None, which: int, name: str):
    if value is None:
        return None
    from notebase.load.dates import DateError
    from notebase.cli.query import date_bounds

    try:
        return date_bounds(value)[which]
    except DateError as exc:
        raise click.BadParameter(f"{exc} — write YYYY, YYYY-MM or YYYY-MM-DD", param_hint=name) from None


class _Group(click.Group):
    """A group that turns library errors into a clean message and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NotebaseError as exc:
            click.echo(f"notebase: {exc}", err=True)
            ctx.exit(EXIT_PROBLEMS)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Knowledge-base root (default: the current folder).")
@click.version_option(package_name="notebase")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Keep research notes in Korean and English as a searchable knowledge base."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@cli.command("list")
@click.option("--type", "type_", metavar="TYPE", help="paper, conference or tip (aliases work).")
@click.option("--tag", help="Only entries with this tag (case-insensitive).")
@click.option("--topic", metavar="TOPIC", help="Only entries about this concept topic: its key or any of its names, "
              "in Korean or English (see `notebase tags`).")
@click.option("--since", metavar="DATE", help="Only entries on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only entries on or before DATE.")
@click.option("--month", metavar="YYYY-MM", help="Only entries of one month.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@root_option
def list_command(type_, tag, topic, since, until, month, as_json) -> None:
    """List entries, newest first."""
    from notebase.load.loader import load
    from notebase.cli.query import entry_type, select
    from notebase.cli.serialize import entry_to_dict

    try:
        kind = entry_type(type_) if type_ else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--type") from None
    start, end = _bounds(since, 0, "--since"), _bounds(until, 1, "--until")
    if month:
        start, end = _bounds(month, 0, "--month"), _bounds(month, 1, "--month")
    config = load_settings()
    wanted = None
    if topic is not None:
        from notebase.cli.browse import topic_key
        from notebase.errors import NotebaseError

        try:
            wanted = topic_key(topic, config)
        except NotebaseError as exc:
            raise click.BadParameter(str(exc), param_hint="--topic") from None
    result = load(config)
    chosen = select(result.entries, type_=kind, tag=tag, since=start, until=end)
    if wanted is not None:
        from notebase.site.topics import vocabulary

        vocab = vocabulary(config)
        chosen = [e for e in chosen if wanted in vocab.topics_of(e)]
    if as_json:
        click.echo(json.dumps([entry_to_dict(e) for e in chosen], ensure_ascii=False, indent=2))
    else:
        for e in chosen:
            tags = " ".join(f"#{t}" for t in e.tags[:5])
            mark = "~" if e.date_inferred else " "
            click.echo(f"{e.date}{mark} {e.type.value:<10} {e.title}  {tags}  ({e.source})")
    sys.exit(_report(list(result.problems), strict=False))


@cli.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@root_option
def check(strict: bool) -> None:
    """Report every problem without building: load errors, broken links, missing fields, duplicates, future dates."""
    from notebase.build import scan_inputs
    from notebase.site.lint import lint, undated_summary
    from notebase.load.loader import load
    from notebase.site.redirects import plan_site
    from notebase.site.assemble import assemble
    from notebase.site.topic_filters import topic_warnings

    config = load_settings()
    result = load(config)
    site = assemble(result.entries, config, scan_inputs(config)[1])
    # Ordered and de-duplicated as the build's report is, so the two read alike.
    aliases = plan_site(site, {}, 0).problems  # what build says of aliases that cannot be addresses
    problems = sorted(dict.fromkeys([*result.problems, *lint(site), *topic_warnings(config), *aliases]),
                      key=lambda p: (p.path, p.line, p.message))
    code = _report(problems, strict)
    undated = undated_summary(result.entries)
    if undated:
        click.echo(undated, err=True)
    errors = sum(1 for p in problems if p.severity.value == "error")
    counts = {t: sum(1 for e in result.entries if e.type.value == t) for t in ("paper", "conference", "tip")}
    click.echo(f"{count(len(result.entries), 'entry', 'entries')} from {count(result.files, 'file')} "
               f"({count(counts['paper'], 'paper')}, {count(counts['conference'], 'conference')}, "
               f"{count(counts['tip'], 'tip')}); {count(errors, 'error')}, {count(len(problems) - errors, 'warning')}",
               err=True)
    sys.exit(code)


@cli.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--force", is_flag=True, help="Render everything even when nothing changed.")
@click.option("--output", "-d", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Build into DIR instead of output_dir (as hugo -d).")
@click.option("--base-url", "base_url", metavar="URL",
              help="Where the site will be served, e.g. https://me.github.io/notes/ (overrides base_url).")
@click.option("--drafts", "-D", is_flag=True, help="Include drafts, to preview them (as hugo -D).")
@root_option
def build(strict: bool, force: bool, output: Path | None, base_url: str | None, drafts: bool) -> None:
    """Build the site into site/ (atomically) and bring the search index up to date."""
    import dataclasses
    import time

    from notebase.build import build as build_site

    config = load_settings()
    changes = {}
    if output is not None:
        changes["output_dir"] = str(output.resolve())
    if base_url is not None:
        if not base_url.strip():
            raise click.BadParameter("give the address the site is served at, e.g. https://me.github.io/notes/",
                                     param_hint="--base-url")
        changes["base_url"] = base_url.strip() if base_url.strip().endswith("/") else base_url.strip() + "/"
    if drafts:
        changes["drafts"] = True
    config = dataclasses.replace(config, **changes)
    started = time.perf_counter()
    with _progress() as progress:
        report = build_site(config, progress=progress, force=force)
    code = _report(list(report.problems), strict)
    errors = len(report.errors)
    warnings = len(report.problems) - errors
    out = str(output).rstrip("/") if output is not None else config.output_dir
    if report.up_to_date:
        click.echo(f"{out}/ is up to date: {count(report.entries, 'entry', 'entries')}, {count(report.files, 'file')}; "
                   f"{count(errors, 'error')}, {count(warnings, 'warning')}", err=True)
    else:
        click.echo(f"built {out}/ from {count(report.entries, 'entry', 'entries')}: {count(report.files, 'file')}, "
                   f"{report.rewritten} changed, in {time.perf_counter() - started:.1f} s; "
                   f"{count(errors, 'error')}, {count(warnings, 'warning')}", err=True)
    if report.index is not None:
        click.echo(_index_summary(report.index), err=True)
    sys.exit(code)


class _progress:
    """A progress bar for the pages of a long build, shown only on a terminal."""

    def __enter__(self):
        self.bar = None
        return self.update if sys.stderr.isatty() else None

    def update(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=f"rendering {total} {stage}", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _index_summary(report) -> str:
    if report.rebuilt:
        return f"search index built: {count(report.total, 'entry', 'entries')} ({report.rebuilt})"
    if not report.changed:
        return f"search index up to date: {count(report.total, 'entry', 'entries')}"
    return (f"search index updated: {report.added} added, {report.updated} changed, {report.removed} removed; "
            f"{count(report.total, 'entry', 'entries')}")


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Throw the index away and build it from scratch.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@root_option
def index_command(rebuild: bool, strict: bool) -> None:
    """Build or update the search index alone, reading only notes changed since the last run."""
    import time

    from notebase.search.index import update

    config = load_settings()
    started = time.perf_counter()
    report = update(config, rebuild=rebuild)  # searches meanwhile use the old index until the new one is in
    code = _report(list(report.problems), strict)
    click.echo(f"{_index_summary(report)} (read {count(report.files_read, 'file')} in "
               f"{time.perf_counter() - started:.2f} s)", err=True)
    sys.exit(code)


@cli.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1)
@click.option("--type", "type_", metavar="TYPE", help="Only entries of this type: paper, conference or tip.")
@click.option("--tag", help="Only entries with this tag.")
@click.option("--since", metavar="DATE", help="Only entries on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only entries on or before DATE.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1), help="Most results shown.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@root_option
def search_command(words, type_, tag, since, until, limit, as_json) -> None:
    """Search the notes in Korean or English; exit 0 with results, 1 with none, 2 on a bad query.

    \b
    Query syntax:
      contrastive learning      any of the words; entries matching more rank higher
      "data augmentation"       an exact phrase
      -gan                      leave out entries with a word or "phrase"
      type:paper tag:GAN lang:ko year:2022 date:2022-05 date:2021..2022-06
                                filters; -tag:x leaves those out
    Korean and English research terms also find their translations (대조 학습 finds
    contrastive learning); the output says when a result matched that way.
    """
    from notebase.search.engine import search
    from notebase.search.parse import Filter, QueryError, date_range, parse
    from notebase.site.tags import tag_key

    text = " ".join(words)
    extra = []
    try:
        # The options are the query's own filters, checked by the same code.
        if type_:
            extra += parse(f"type:{type_}").filters
        if tag:
            extra.append(Filter("tag", (tag_key(tag),)))
        if since or until:
            extra.append(Filter("date", (date_range(f"{since or ''}..{until or ''}"),)))
        results, report = search(load_settings(), text, filters=tuple(extra), limit=limit)
    except QueryError as exc:
        click.echo(f"notebase search: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if report is not None and report.changed:
        click.echo(_index_summary(report), err=True)
        if report.problems:
            click.echo(f"{count(len(report.problems), 'problem')} in the notes; run 'notebase check' to see them",
                       err=True)
    if as_json:
        from notebase.search.render import hit_to_dict

        click.echo(json.dumps([hit_to_dict(h) for h in results.hits], ensure_ascii=False, indent=2))
    else:
        from notebase.search.render import format_results

        color = False if os.environ.get("NO_COLOR") else None
        click.echo(format_results(results), color=color)
    sys.exit(0 if results.hits else EXIT_PROBLEMS)


def main() -> None:
    """Run the CLI, turning library errors into a message and an exit code, never a traceback."""
    try:
        code = cli.main(prog_name="notebase", standalone_mode=False)
        # Without standalone mode click returns ctx.exit()'s code (a NotebaseError's 1) instead of exiting.
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)


# Browsing, authoring and serving commands live in their own modules, so this one stays short.
cli.add_command(browse_commands.tags_command)
cli.add_command(browse_commands.show_command)
cli.add_command(authoring_commands.new_command)
cli.add_command(authoring_commands.init_command)
cli.add_command(authoring_commands.export_command)
cli.add_command(serve_command.serve_command)
