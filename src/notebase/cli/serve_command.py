"""The `serve` command, registered on the `notebase` group by cli/__init__.py."""

from __future__ import annotations

import sys

import click

from notebase.cli.common import count, load_settings, root_option


class _Reporter:
    """Prints what the server does: the address, each update, and problems as they appear or go."""

    def __init__(self):
        self.shown: set = set()

    def __call__(self, event) -> None:
        kind, value = event.kind, event.value
        if kind == "started":
            first, problems, url = value
            click.echo(f"built {count(first.entries, 'entry', 'entries')} in {first.seconds:.1f} s; serving {url} (Ctrl-C stops)",
                       err=True)
            self._problems(problems)
        elif kind == "updated":
            update, problems = value
            what = "rebuilt everything" if update.full else (
                f"{count(len(update.written), 'file')} written, {len(update.removed)} deleted")
            click.echo(f"updated in {update.seconds * 1000:.0f} ms: {what}", err=True)
            self._problems(problems)
        elif kind == "indexed":
            result, seconds = value
            if result.changed:
                click.echo(f"search index: {result.added} added, {result.updated} changed, "
                           f"{result.removed} removed ({seconds * 1000:.0f} ms)", err=True)
        elif kind == "failed":
            click.echo(f"notebase: {value}", err=True)

    def _problems(self, problems) -> None:
        """Print problems not shown before, and say when earlier ones are fixed."""
        now = set(problems)
        for problem in sorted(now - self.shown, key=lambda p: (p.path, p.line)):
            click.echo(str(problem), err=True)
        fixed = len(self.shown - now)
        if fixed:
            click.echo(f"{fixed} problem{'s' if fixed != 1 else ''} fixed", err=True)
        self.shown = now


@click.command("serve")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@root_option
def serve_command(port: int, host: str) -> None:
    """Build the site, serve it, rebuild what each edit changes and reload open pages."""
    import signal

    from notebase.serve.server import serve

    # Stopped by a service manager (SIGTERM) as by Ctrl-C: the server saves what it holds first.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve(load_settings(), host=host, port=port, report=_Reporter())
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    sys.exit(0)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
