"""Generate a synthetic knowledge base of N notes for benchmarks (deterministic for a seed).

Words follow a Zipf distribution over a large made-up Korean and English vocabulary, and each note
has one or two topics whose research terms it uses often, as real notes do: a query term is then
in a few percent of notes, not in all of them. `--uniform` draws every word from the ~90 research
terms alone (each is then in nearly every note), the worst case for a search engine.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import shutil
from pathlib import Path

KO = ("대조 학습 모델 데이터 증강 불확실성 추정 그래프 신경망 강화 학습 확산 모델 실험 결과 방법 "
      "목적 성능 향상 학습률 배치 크기 논문 학회 발표 포스터 세션 정규화 어텐션 트랜스포머 지식 증류 "
      "표현 학습 자기지도 일반화 과적합 손실 함수 최적화 추론 속도 메모리 분포 베이지안 샘플링").split()
EN = ("contrastive learning model data augmentation uncertainty estimation graph neural network "
      "reinforcement diffusion experiment result method purpose accuracy learning rate batch size "
      "paper conference poster session normalization attention transformer distillation representation "
      "self-supervised generalization overfitting loss optimization inference latency memory "
      "distribution bayesian sampling benchmark ablation baseline encoder decoder embedding").split()
PARTICLES = ("을", "를", "이", "가", "에서", "으로", "의", "은", "는", "와")
SYLLABLES = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히개내대래매배새애재채해"
LETTERS = "abcdefghiklmnoprstuvw"
VOCABULARY = 6000  # made-up words per language
TOPIC_SHARE = 0.12  # share of a note's words drawn from its topics


class Words:
    """A deterministic vocabulary: Zipf-distributed filler words and topic clusters of research terms."""

    def __init__(self, seed: int):
        rng = random.Random(seed)
        self.ko = list(dict.fromkeys("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
                                     for _ in range(VOCABULARY * 2)))[:VOCABULARY]
        self.en = list(dict.fromkeys("".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 9)))
                                     for _ in range(VOCABULARY * 2)))[:VOCABULARY]
        weights = [1 / (rank ** 1.07) for rank in range(1, VOCABULARY + 1)]
        self.cumulative = list(itertools.accumulate(weights))
        terms = KO + EN
        rng.shuffle(terms)
        self.topics = [terms[i:i + 12] for i in range(0, len(terms), 9)]  # overlapping clusters

    def filler(self, rng: random.Random, korean: bool) -> str:
        """Return one Zipf-distributed made-up word."""
        i = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return (self.ko if korean else self.en)[min(i, VOCABULARY - 1)]


WORDS: Words | None = None
UNIFORM = False


def sentence(rng: random.Random, words: int, topics: list[list[str]] | None = None) -> str:
    """Return a mixed Korean/English sentence of about `words` words."""
    out = []
    for _ in range(words):
        korean = rng.random() < 0.55
        if UNIFORM or WORDS is None:
            word = rng.choice(KO if korean else EN)
        elif topics and rng.random() < TOPIC_SHARE:
            word = rng.choice(rng.choice(topics))
        else:
            word = WORDS.filler(rng, korean)
        if word[0] >= "\uac00" and rng.random() < 0.4:
            word += rng.choice(PARTICLES)
        out.append(word)
    return " ".join(out) + "."


def body(rng: random.Random, words: int, topics: list[list[str]] | None = None) -> str:
    """Return paragraphs totalling about `words` words."""
    paragraphs, left = [], words
    while left > 0:
        n = min(left, rng.randint(40, 90))
        paragraphs.append(" ".join(sentence(rng, rng.randint(8, 15), topics) for _ in range(max(1, n // 12))))
        left -= n
    return "\n\n".join(paragraphs)


def note(rng: random.Random, i: int) -> tuple[str, str]:
    """Return (relative path, text) of note number i."""
    kind = rng.choice(("paper", "paper", "tip", "tip", "conference"))
    year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    tags = rng.sample(["cv", "nlp", "rl", "gnn", "diffusion", "uncertainty", "contrastive", "python", "git", "통계"], 3)
    topics = rng.sample(WORDS.topics, rng.randint(1, 2)) if WORDS and not UNIFORM else None
    pool = [w for t in topics for w in t] if topics else KO + EN
    title = f"{rng.choice(pool).title()} {rng.choice(pool)} {i}"
    words = rng.randint(300, 1500)
    text = body(rng, words, topics)
    if kind == "paper":
        head = (f"---\ntitle: \"{title}\"\ntype: paper\ndate: {year}-{month:02d}-{day:02d}\ntags: {tags}\n"
                f"authors: [Kim, Lee]\nvenue: NeurIPS {year}\narxiv: \"{year % 100:02d}{month:02d}.{i:05d}\"\n---\n")
        text = f"## 목적\n\n{text}\n\n## Method\n\n{sentence(rng, 20)}\n\n## 실험\n\n{sentence(rng, 20)}\n"
    elif kind == "tip":
        head = f"---\ntitle: \"{title}\"\ntype: tip\ndate: {year}.{month:02d}.{day:02d}\ntags: {', '.join(tags)}\n---\n"
        text += "\n\n```python\nprint('hello')\n```\n"
    else:
        head = ""
        text = f"# {year} 학술대회 참관기 {i}\n\n작성자·{year}년 {month}월 {day}일\n\n포스터 세션과 키노트.\n\n{text}\n#{tags[0]}\n"
    return f"{kind}/{year}/{i:05d}.md", head + text


def generate(root: Path, count: int, seed: int = 7, uniform: bool = False) -> Path:
    """Write `count` notes under root/notes and return that folder."""
    global WORDS, UNIFORM
    WORDS, UNIFORM = Words(seed), uniform
    rng = random.Random(seed)
    notes = root / "notes"
    for i in range(count):
        rel, text = note(rng, i)
        path = notes / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return notes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options every benchmark shares: how many notes, where, and which kind."""
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--uniform", action="store_true", help="notes drawn from ~90 research terms (worst case)")


def knowledge_base(args: argparse.Namespace) -> Path:
    """Return the root of the generated knowledge base the options name, generating it once."""
    root = args.out / f"kb-{args.count}{'-uniform' if args.uniform else ''}"
    if not (root / "notes").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, args.count, uniform=args.uniform)
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--uniform", action="store_true", help="draw every word from the research terms alone")
    args = parser.parse_args()
    print(generate(args.root, args.count, uniform=args.uniform))
