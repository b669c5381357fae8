"""New notes from per-type templates: front matter the loader reads, headings in the site's language."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from notebase.config import Config
from notebase.errors import NotebaseError
from notebase.model import EntryType
from notebase.slug import slugify

FOLDERS = {EntryType.PAPER: "papers", EntryType.CONFERENCE: "conferences", EntryType.TIP: "tips"}
# The front-matter fields `new` may fill per type; every one is a key the loader reads (typed.py).
FIELDS: dict[EntryType, tuple[str, ...]] = {
    EntryType.PAPER: ("authors", "venue", "year", "arxiv", "doi", "presenter"),
    EntryType.CONFERENCE: ("event", "end", "location"),
    EntryType.TIP: ("category",),
}
# Body headings the loader knows (extract.SECTION_LABELS), so a paper's sections are found by key.
HEADINGS: dict[str, dict[EntryType, tuple[str, ...]]] = {
    "ko": {
        EntryType.PAPER: ("목적", "방법", "실험", "기여", "한줄평"),
        EntryType.CONFERENCE: ("키노트", "세션", "포스터", "느낀 점"),
        EntryType.TIP: ("문제", "해결", "참고"),
    },
    "en": {
        EntryType.PAPER: ("Purpose", "Method", "Experiments", "Novelty", "One-line review"),
        EntryType.CONFERENCE: ("Keynotes", "Sessions", "Posters", "Takeaways"),
        EntryType.TIP: ("Problem", "Solution", "References"),
    },
}
# What to write in each field, as a YAML comment beside it: the template's placeholders.
HINTS: dict[str, dict[str, str]] = {
    "ko": {
        "tags": "태그, 예: [transformer, 대조-학습]", "paper_title": "논문 원제",
        "authors": "저자, 예: [Ashish Vaswani, 홍길동]", "venue": "학회·저널, 예: NeurIPS, Journal of Big Data",
        "year": "발표 연도, 예: 2017", "arxiv": "arXiv 번호, 예: 1706.03762",
        "doi": "DOI, 예: 10.1186/s40537-019-0197-0", "presenter": "발표·정리한 사람",
        "event": "행사 이름, 예: KCC 2024", "start": "첫날", "end": "마지막 날", "location": "장소, 예: 제주 ICC",
        "talks": "talks: [{speaker: 홍길동, title: 발표 제목}]", "category": "분류, 예: Git, Python",
    },
    "en": {
        "tags": "e.g. [transformer, contrastive-learning]", "paper_title": "the paper's own title",
        "authors": "e.g. [Ashish Vaswani, Noam Shazeer]", "venue": "e.g. NeurIPS, Journal of Big Data",
        "year": "e.g. 2017", "arxiv": "arXiv id, e.g. 1706.03762", "doi": "e.g. 10.1186/s40537-019-0197-0",
        "presenter": "who presented or summarised it", "event": "e.g. NeurIPS 2023", "start": "first day",
        "end": "last day", "location": "e.g. New Orleans, LA, USA",
        "talks": "talks: [{speaker: Jane Doe, title: Talk title}]", "category": "e.g. Git, Python",
    },
}
_COMMENT_COLUMN = 24


class NoteError(NotebaseError):
    """What `new` was asked for cannot make a note: an empty title, a folder outside the notes."""


class NoteExists(NotebaseError):
    """The note's file is already there; nothing is overwritten."""

    def __init__(self, path: Path, shown: str):
        self.path = path
        super().__init__(f"{shown} already exists; not overwritten — edit it, or choose another title")


def check_title(title: str) -> str:
    """Return the title with spaces tidied; raise NoteError for one that cannot name a note."""
    if re.search(r"[\x00-\x1f\x7f]", title.strip()):
        raise NoteError("the title must be one line of text, without control characters")
    title = " ".join(title.split())
    if not title:
        raise NoteError('the title is empty — write e.g. notebase new tip "git worktree로 브랜치 두 개 열기"')
    if not any(ch.isalnum() for ch in title):
        raise NoteError(f"the title '{title}' has no letters or digits to name its file")
    return title


def note_path(config: Config, kind: EntryType, title: str, day: dt.date, folder: str | None = None) -> Path:
    """Return where a new note goes: papers/<slug>.md, conferences/ and tips/ <date>-<slug>.md."""
    folder = FOLDERS[kind] if folder is None else folder
    parts = PurePosixPath(folder.replace("\\", "/")).parts
    if PurePosixPath(folder).is_absolute() or Path(folder).is_absolute() or ".." in parts:
        raise NoteError(f"the folder '{folder}' must be inside the notes folder — write e.g. --dir papers/vision")
    slug = slugify(check_title(title))
    name = slug if kind is EntryType.PAPER else f"{day.isoformat()}-{slug}"
    path = config.notes_path.joinpath(*parts, f"{name}.md")
    # A folder may be a link that leads elsewhere: what counts is where the file really lands.
    if not path.parent.resolve().is_relative_to(config.notes_path.resolve()):
        raise NoteError(f"the folder '{folder}' leads outside the notes folder")
    return path


def _scalar(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML double-quoted one


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple)) and not value)


def _line(key: str, value: Any, hint: str = "") -> str:
    text = f"{key}: {_scalar(value)}".rstrip()
    if not hint:
        return text
    from notebase.cli.show import display_width  # Hangul takes two columns: align what the eye sees

    pad = max(0, _COMMENT_COLUMN - display_width(text))
    return f"{text}{' ' * pad}  # {hint}"


def render_note(kind: EntryType, title: str, *, day: dt.date, tags: Iterable[str] = (),
                fields: Mapping[str, Any] | None = None, language: str = "ko") -> str:
    """Return a new note's text: front matter with the type's fields and placeholders, then headings."""
    fields = dict(fields or {})
    hints = HINTS.get(language, HINTS["en"])
    title = check_title(title)
    tags = [t for t in (" ".join(t.lstrip("#").split()) for t in tags) if t]
    lines = ["---", _line("title", title)]
    if kind is not EntryType.CONFERENCE:
        lines.append(_line("date", day))
    lines += [f"type: {kind.value}", _line("tags", tags, "" if tags else hints["tags"])]
    if kind is EntryType.PAPER:
        lines.append(_line("paper_title", title, hints["paper_title"]))
        for key in FIELDS[kind]:
            value = fields.get(key, [] if key == "authors" else None)
            lines.append(_line(key, value, hints[key] if _empty(value) else ""))
    elif kind is EntryType.CONFERENCE:
        # The first day is the entry's date; no separate `date:` to drift from it.
        # Left blank unless given: the loader then takes the title, and `check` can remind the writer.
        event = fields.get("event")
        lines += [_line("event", event, "" if event else hints["event"]),
                  _line("start", day, hints["start"]),
                  _line("end", fields.get("end") or day, hints["end"]),
                  _line("location", fields.get("location"), "" if fields.get("location") else hints["location"]),
                  f"# {hints['talks']}"]
    else:
        lines.append(_line("category", fields.get("category"), "" if fields.get("category") else hints["category"]))
    lines += ["---", ""]
    lines += [f"## {heading}\n" for heading in HEADINGS.get(language, HEADINGS["en"])[kind]]
    return "\n".join(lines)


def check_fields(kind: EntryType, fields: Mapping[str, Any], day: dt.date) -> None:
    """Raise NoteError for a field the type has no use for, or a value it cannot take."""
    for key, value in fields.items():
        if key not in FIELDS[kind]:
            owners = [k.value for k, names in FIELDS.items() if key in names]
            raise NoteError(f"--{key} is for {' and '.join(owners) or 'no'} notes, not {kind.value} notes")
    year = fields.get("year")
    if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
        raise NoteError(f"the year must be a four-digit year, not {year!r}")
    end = fields.get("end")
    if end is not None and end < day:
        raise NoteError(f"the conference ends ({end}) before it starts ({day})")


def create_note(config: Config, kind: EntryType, title: str, *, day: dt.date | None = None,
                tags: Iterable[str] = (), fields: Mapping[str, Any] | None = None,
                folder: str | None = None) -> Path:
    """Write a new note from its type's template and return its path; never overwrite a file."""
    day = day or dt.date.today()
    fields = {k: v for k, v in (fields or {}).items() if not _empty(v)}
    check_fields(kind, fields, day)
    if kind is EntryType.PAPER and config.author:
        fields.setdefault("presenter", config.author)
    if not config.notes_path.is_dir():
        raise NotebaseError(f"there is no notes folder '{config.notes_dir}' in {config.root} — "
                            f"create it, or run this in the knowledge base (or pass --root DIR)")
    path = note_path(config, kind, title, day, folder)
    text = render_note(kind, title, day=day, tags=tags, fields=fields, language=config.language)
    shown = path.relative_to(config.notes_path).as_posix()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": fails if the file exists
            out.write(text)
    except FileExistsError:
        raise NoteExists(path, f"{config.notes_dir}/{shown}") from None
    except OSError as exc:
        raise NotebaseError(f"cannot write {config.notes_dir}/{shown}: {exc.strerror}") from None
    return path
