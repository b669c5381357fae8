"""Generate a synthetic knowledge base of N notes for benchmarks (deterministic for a seed)."""

from __future__ import annotations

import argparse
import random
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


def sentence(rng: random.Random, words: int) -> str:
    """Return a mixed Korean/English sentence of about `words` words."""
    out = []
    for _ in range(words):
        if rng.random() < 0.55:
            out.append(rng.choice(KO) + (rng.choice(PARTICLES) if rng.random() < 0.4 else ""))
        else:
            out.append(rng.choice(EN))
    return " ".join(out) + "."


def body(rng: random.Random, words: int) -> str:
    """Return paragraphs totalling about `words` words."""
    paragraphs, left = [], words
    while left > 0:
        n = min(left, rng.randint(40, 90))
        paragraphs.append(" ".join(sentence(rng, rng.randint(8, 15)) for _ in range(max(1, n // 12))))
        left -= n
    return "\n\n".join(paragraphs)


def note(rng: random.Random, i: int) -> tuple[str, str]:
    """Return (relative path, text) of note number i."""
    kind = rng.choice(("paper", "paper", "tip", "tip", "conference"))
    year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    tags = rng.sample(["cv", "nlp", "rl", "gnn", "diffusion", "uncertainty", "contrastive", "python", "git", "통계"], 3)
    title = f"{rng.choice(EN).title()} {rng.choice(KO)} {i}"
    words = rng.randint(300, 1500)
    text = body(rng, words)
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


def generate(root: Path, count: int, seed: int = 7) -> Path:
    """Write `count` notes under root/notes and return that folder."""
    rng = random.Random(seed)
    notes = root / "notes"
    for i in range(count):
        rel, text = note(rng, i)
        path = notes / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return notes


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    print(generate(args.root, args.count))
