"""`notebase init`: a new knowledge base with commented settings, sample notes and a Pages workflow.

Every file is written only when none of them is there already (a `.gitignore` that exists gets the
missing lines added instead), so init never overwrites anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from notebase.config import CONFIG_NAMES, OPTIONS
from notebase.errors import NotebaseError

GITIGNORE_LINES = ("site/", ".notebase/")
WORKFLOW = ".github/workflows/pages.yml"
# Examples shown as comments under keys whose default is empty.
_EXAMPLES = {
    "author": ("author: 홍길동",),
    "exclude": ('exclude: [private, "drafts/*.md"]   # as in .gitignore; the root\'s .gitignore counts too',),
    "repo_url": ("repo_url: https://github.com/me/notes",),
    "edit_uri": ("edit_uri: -/edit/main/notes/   (GitLab)",),
    "feeds": ("feeds:", "  feeds/lab-blog.xml: {type: paper, tags: [lab]}"),
    "glossary": ("glossary:", "  - 확산 모델 = diffusion model"),
    "topics_add": ("topics_add:", "  - 상태 공간 모델 = state space model", "  - mamba"),
    "topics_stop": ("topics_stop: [transformer]",),
}
_NOTES = {
    "ko": {
        "papers/resnet.md": """\
---
title: "ResNet 정리: 잔차 연결로 깊은 망 학습하기"
date: 2024-03-12
type: paper
tags: [vision, resnet]
paper_title: "Deep Residual Learning for Image Recognition"
authors: [Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun]
venue: CVPR
year: 2016
arxiv: "1512.03385"
---

## 목적

층을 더 쌓으면 오히려 학습 오차가 커지는 degradation 문제를 풀고 싶었다.

## 방법

각 블록이 입력 x에 더할 잔차 F(x)만 배우게 하고, shortcut으로 x를 그대로 더한다.

## 실험

ImageNet에서 152층 모델이 더 얕은 모델보다 낮은 오차를 냈다.

## 한줄평

지금 쓰는 거의 모든 깊은 망의 기본 부품. [[git worktree로 브랜치 두 개 열기]]에 실험 브랜치 관리 팁이 있다.
""",
        "conferences/2024-06-26-kcc-2024.md": """\
---
title: KCC 2024 참관기
type: conference
tags: [학회]
event: KCC 2024
start: 2024-06-26
end: 2024-06-28
location: 제주
talks:
  - {speaker: 홍길동, title: 대조 학습으로 문서 검색 개선하기}
---

## 세션

첫날 세션에서는 검색과 추천 발표가 많았다. 질의응답에서 [[ResNet 정리: 잔차 연결로 깊은 망 학습하기]] 이야기도 나왔다.

## 느낀 점

포스터 세션이 발표보다 대화하기 좋았다.
""",
        "tips/2024-03-20-git-worktree.md": """\
---
title: git worktree로 브랜치 두 개 열기
date: 2024-03-20
type: tip
tags: [git]
category: Git
---

브랜치를 바꾸지 않고 다른 브랜치를 옆 폴더에 열어 둔다.

```sh
git worktree add ../hotfix hotfix
```
""",
    },
    "en": {
        "papers/resnet.md": """\
---
title: "ResNet: training very deep networks with residual connections"
date: 2024-03-12
type: paper
tags: [vision, resnet]
paper_title: "Deep Residual Learning for Image Recognition"
authors: [Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun]
venue: CVPR
year: 2016
arxiv: "1512.03385"
---

## Purpose

Deeper plain networks trained worse, not better: the degradation problem.

## Method

Each block learns only a residual F(x) that a shortcut adds to its input x.

## Experiments

On ImageNet a 152-layer network beat shallower ones.

## One-line review

The building block of nearly every deep network since. See [[Two branches at once with git worktree]].
""",
        "conferences/2024-06-26-kcc-2024.md": """\
---
title: Notes from KCC 2024
type: conference
tags: [conference]
event: KCC 2024
start: 2024-06-26
end: 2024-06-28
location: Jeju
talks:
  - {speaker: Jane Doe, title: Better document search with contrastive learning}
---

## Sessions

Most talks on the first day were about search and recommendation.

## Takeaways

The poster session was better for conversations than the talks.
""",
        "tips/2024-03-20-git-worktree.md": """\
---
title: Two branches at once with git worktree
date: 2024-03-20
type: tip
tags: [git]
category: Git
---

Open another branch in a folder beside this one, without switching branches.

```sh
git worktree add ../hotfix hotfix
```
""",
    },
}


class InitError(NotebaseError):
    """`init` would overwrite a file, or cannot write one."""


def config_text(title: str, language: str) -> str:
    """Return a notebase.yaml with every key, each under a comment saying what it does."""
    lines = ["# notebase settings. Every key is optional; the values below are the defaults.",
             "# A mistake is reported with its line: notebase.yaml:3: unknown key 'titel' — did you mean 'title'?", ""]
    for name, default, _types, help_text in OPTIONS:
        value = {"title": title, "language": language}.get(name, default)
        lines.append(f"# {help_text}")
        if name == "base_url":
            lines.append("# The full address (https://me.github.io/notes/) makes feed and sitemap links absolute;")
            lines.append("# `notebase build --base-url URL` sets it for one build.")
        if value is None or value == () or value == {}:
            example = _EXAMPLES.get(name, ())
            lines.append(f"{name}:" + (" []" if isinstance(default, tuple) else " {}" if isinstance(default, dict) else ""))
            if len(example) == 1:
                lines.append(f"# e.g. {example[0]}")
            elif example:
                lines += ["# e.g."] + [f"# {line}" for line in example]
        else:
            lines.append(f"{name}: {_yaml_scalar(value)}")
        lines.append("")
    return "\n".join(lines)


def _yaml_scalar(value) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain = re.fullmatch(r"[\w가-힣./ -]*", text) and not re.match(r"[-\s]|\d", text) and text.strip() == text
    return text if plain and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off") else json.dumps(
        text, ensure_ascii=False)


def workflow_text(install: str = ".") -> str:
    """Return the GitHub Pages workflow: build on every push to main and publish with GitHub's Pages actions."""
    return f"""\
name: Publish the notes

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write      # to publish
  id-token: write   # to prove the deployment comes from this repository

concurrency:        # one deployment at a time; a newer push waits instead of cancelling a live one
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"   # 3.11 or newer
          cache: pip
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install notebase
        # In a clone of notebase: `.`; in a repository of notes only, install it from where it lives,
        # e.g. pip install "notebase @ git+https://github.com/<owner>/notebase"
        run: pip install {install}
      - name: Build the site
        # exits 1 on an error in the notes, which stops the deployment (--strict: on warnings too)
        run: notebase build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site   # output_dir

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def _is_notebase_clone(folder: Path) -> bool:
    try:
        return re.search(r'^name\s*=\s*"notebase"', (folder / "pyproject.toml").read_text(encoding="utf-8"),
                         re.MULTILINE) is not None
    except OSError:
        return False


def plan(folder: Path, *, language: str = "ko", github_pages: bool = False) -> dict[str, str]:
    """Return what init would write: relative path -> text (a `.gitignore` entry holds only the lines to add)."""
    notes = folder / "notes"
    files = {CONFIG_NAMES[0]: config_text(folder.resolve().name or "notebase", language)}
    # A folder that already has notes keeps them as they are: no samples beside them.
    from notebase.load.folders import has_notes

    if not (notes.is_dir() and has_notes(notes)):
        files.update({f"notes/{rel}": text for rel, text in _NOTES[language].items()})
    gitignore = folder / ".gitignore"
    have = set(gitignore.read_text(encoding="utf-8").split()) if gitignore.is_file() else set()
    missing = [line for line in GITIGNORE_LINES if line not in have and line.rstrip("/") not in have]
    if missing:
        files[".gitignore"] = "\n".join(missing) + "\n"
    if github_pages:
        files[WORKFLOW] = workflow_text("." if _is_notebase_clone(folder) else "notebase")
    return files


def init(folder: Path, *, language: str = "ko", github_pages: bool = False) -> list[str]:
    """Write a new knowledge base into folder and return the paths written; raise InitError rather than overwrite."""
    if language not in ("ko", "en"):
        raise InitError(f"unknown language '{language}' — use ko or en")
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder")
    taken = [name for name in CONFIG_NAMES if (folder / name).exists()]
    files = plan(folder, language=language, github_pages=github_pages)
    taken += [rel for rel in files if rel != ".gitignore" and (folder / rel).exists()]
    if taken:
        raise InitError(f"{', '.join(sorted(set(taken)))} already in {folder}; nothing written — "
                        "init never overwrites (move them aside, or init another folder)")
    try:
        for rel, text in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if rel == ".gitignore" and path.exists():
                old = path.read_text(encoding="utf-8")
                text = ("" if old.endswith("\n") or not old else "\n") + text
                with path.open("a", encoding="utf-8", newline="\n") as out:
                    out.write(text)
            else:
                with path.open("x", encoding="utf-8", newline="\n") as out:
                    out.write(text)
    except OSError as exc:
        raise InitError(f"cannot write in {folder}: {exc.strerror}") from None
    return list(files)
