"""Browsing commands: `tags` and `show`, registered on the `notebase` group by cli/__init__.py."""

from __future__ import annotations

import json
import os
import shutil
import sys

import click

from notebase.cli.common import load_settings, root_option


def load_quietly(config):
    """Load the notes; say on stderr how many problems they have, without listing them."""
    from notebase.load.loader import load

    result = load(config)
    if result.problems:
        n = len(result.problems)
        click.echo(f"{n} problem{'s' if n != 1 else ''} in the notes; run 'notebase check' to see them", err=True)
    return result


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def type_option(value: str | None):
    """Return the EntryType an option names, or a usage error listing the types."""
    if not value:
        return None
    from notebase.cli.query import entry_type

    try:
        return entry_type(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc} (aliases such as 논문, 학회, til work too)", param_hint="--type") from None


@click.command("tags")
@click.option("--type", "type_", metavar="TYPE", help="Count only entries of this type (aliases work).")
@click.option("--json", "as_json", is_flag=True,
              help='Print a JSON array: {"kind": "tag", "tag", "count", "path", "spellings"} for each tag, then '
                   '{"kind": "topic", "topic", "label", "count", "path", "names"} for each topic.')
@click.option("--no-topics", is_flag=True, help="List the tags only.")
@root_option
def tags_command(type_, as_json, no_topics) -> None:
    """List every tag with how many entries carry it, most used first; then the topics, marked.

    Tags are counted as the site counts them: spellings that differ only in case, spaces, - or _
    are one tag, shown in its most used spelling; a nested tag (a/b) counts for a too; drafts
    and unpublished notes are left out. Topics are the research concepts notebase finds in the
    entries' text (either language), kept apart from the tags; each is marked [topic: KEY], the
    name `notebase list --topic KEY` and `notebase search topic:KEY` take.
    """
    from notebase.cli.browse import tag_counts, topic_counts
    from notebase.cli.show import format_tags

    kind = type_option(type_)
    config = load_settings()
    entries = load_quietly(config).entries
    counts = tag_counts(entries, kind, config)
    topics = [] if no_topics else topic_counts(entries, kind, config)
    if as_json:
        data = [{"kind": "tag", "tag": t.tag, "count": t.count, "path": t.path, "spellings": list(t.spellings)}
                for t in counts]
        data += [{"kind": "topic", "topic": t.key, "label": t.label, "count": t.count, "path": t.path,
                  "names": list(t.names)} for t in topics]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif counts or topics:
        color = use_color()
        click.echo(format_tags(counts, color=color, topics=topics), color=color)
    else:
        click.echo("no tags" + (f" on {kind.value} entries" if kind else ""), err=True)


@click.command("show")
@click.argument("words", nargs=-1, required=True, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as a JSON object, body included.")
@click.option("--width", type=click.IntRange(min=30), help="Wrap at this many columns (default: the terminal's, at most 100).")
@root_option
def show_command(words: tuple[str, ...], as_json: bool, width: int | None) -> None:
    """Show one entry: its facts, its type's fields, what links to it, and its text.

    ID is an entry id as `notebase list --json` prints it, a unique start of one, the entry's exact
    title (or paper title), or its note's path (papers/simclr.md, or path:line for one item of a
    log); case does not matter, and a title needs no quotes. Exit 1 when nothing or more than one
    entry matches.
    """
    from notebase.cli.browse import find_entry
    from notebase.site.assemble import assemble

    config = load_settings()
    result = load_quietly(config)
    entry = find_entry(result.entries, " ".join(words), notes_dir=config.notes_dir)
    site = assemble(result.entries, config)
    backlinks = [site.by_id[i] for i in site.backlinks.get(entry.id, ())]
    topics = site.topic_of.get(entry.id, ())
    related = site.related.get(entry.id, ())
    if as_json:
        from notebase.cli.serialize import entry_to_dict

        data = entry_to_dict(entry)
        data.update(body=entry.body, body_format=entry.body_format, draft=entry.draft,
                    backlinks=[e.id for e in backlinks], topics=list(topics),
                    related=[{"id": r.id, "reason": r.reason, "shared": list(r.shared)} for r in related])
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from notebase.render.labels import labels
    from notebase.cli.show import format_entry

    words = labels(config.language)

    def why(rel) -> str:
        shared = [site.tag(k).label if rel.reason == "tag" else site.topic(k).label if rel.reason == "topic" else k
                  for k in rel.shared[:3]]
        return words[f"reason_{rel.reason}"] + (": " + ", ".join(shared) if shared else "")

    color = use_color()
    width = width or max(40, min(100, shutil.get_terminal_size((80, 24)).columns))
    click.echo(format_entry(entry, width=width, color=color, language=config.language, backlinks=backlinks,
                            topics=[site.topic(k).label for k in topics],
                            related=[(site.by_id[r.id], why(r)) for r in related]), color=color)
