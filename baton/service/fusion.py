"""Weighted reciprocal rank fusion of the meaning (dense) and keyword (BM25) rankings.

Search asks the index for each ranking on its own and fuses them here, rather than inside the
engine, for two reasons: each hit can then say why it matched (its cosine similarity and BM25
score, and its place in each ranking), and the weights can follow the question. A question
that names a code or a number ("What Cpk did die T-5520 show?") is answered where that code
is said, which the keyword ranking finds and the meaning ranking blurs, so for such questions
the keyword ranking counts more (``bench/retrieval.py`` measured it; see BENCHMARKS.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from baton.service.index.base import IndexHit

_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Signal:
    """Where one ranking put a point: 1-based rank and the engine's score."""

    rank: int
    score: float


@dataclass(frozen=True)
class FusedHit:
    """A point of the fused ranking, with what each ranking said about it."""

    hit: IndexHit
    score: float
    meaning: Signal | None
    keywords: Signal | None


@dataclass(frozen=True)
class FusionWeights:
    """RRF constant and the keyword ranking's weight (meaning counts 1)."""

    k: int = 2
    keywords: float = 1.0
    keywords_with_codes: float = 3.0

    def for_question(self, question: str) -> float:
        """The keyword ranking's weight for this question: more when it names a code or number."""
        return self.keywords_with_codes if _HAS_DIGIT.search(question) else self.keywords


def fuse(
    meaning: Sequence[IndexHit],
    keywords: Sequence[IndexHit],
    *,
    k: int,
    keyword_weight: float,
) -> list[FusedHit]:
    """Score each point ``sum(weight / (k + rank))`` over the rankings it is in; best first.

    Ties keep the meaning ranking's order, then the keyword ranking's.
    """
    signals: dict[str, dict[str, Signal]] = {}
    hits: dict[str, IndexHit] = {}
    for name, ranking in (("meaning", meaning), ("keywords", keywords)):
        for rank, hit in enumerate(ranking, start=1):
            signals.setdefault(hit.id, {})[name] = Signal(rank, hit.score)
            hits.setdefault(hit.id, hit)
    weight = {"meaning": 1.0, "keywords": keyword_weight}
    fused = [
        FusedHit(
            hit=hits[point],
            score=sum(weight[name] / (k + s.rank) for name, s in found.items()),
            meaning=found.get("meaning"),
            keywords=found.get("keywords"),
        )
        for point, found in signals.items()
    ]
    # sorted() is stable: equal scores keep first-seen order (meaning ranking first).
    return sorted(fused, key=lambda f: -f.score)
