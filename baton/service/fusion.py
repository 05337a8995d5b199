"""Weighted reciprocal rank fusion of the meaning (dense), keyword (BM25) and sentence rankings.

Search asks the index for each of the first two on its own and fuses them here, rather than
inside the engine, for two reasons: each hit can then say why it matched (its cosine
similarity and BM25 score, and its place in each ranking), and the weights can follow the
question. The third ranking reorders the head of that fusion by how close its passages' best
sentences come to the question (``service/answers.py``), and all three are fused again: a
passage's vector averages its lead-up with its answer, its sentences do not. A question
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
    sentences: Signal | None = None


@dataclass(frozen=True)
class FusionWeights:
    """RRF constant and the keyword and sentence rankings' weights (meaning counts 1)."""

    k: int = 2
    keywords: float = 1.0
    keywords_with_codes: float = 3.0
    sentences: float = 0.5

    def for_question(self, question: str) -> float:
        """The keyword ranking's weight for this question: more when it names a code or number."""
        return self.keywords_with_codes if _HAS_DIGIT.search(question) else self.keywords


def fuse(
    meaning: Sequence[IndexHit],
    keywords: Sequence[IndexHit],
    sentences: Sequence[IndexHit] = (),
    *,
    k: int,
    keyword_weight: float,
    sentence_weight: float = 0.0,
) -> list[FusedHit]:
    """Score each point ``sum(weight / (k + rank))`` over the rankings it is in; best first.

    Ties keep the meaning ranking's order, then the keyword ranking's.
    """
    signals: dict[str, dict[str, Signal]] = {}
    hits: dict[str, IndexHit] = {}
    for name, ranking in (("meaning", meaning), ("keywords", keywords), ("sentences", sentences)):
        for rank, hit in enumerate(ranking, start=1):
            signals.setdefault(hit.id, {})[name] = Signal(rank, hit.score)
            hits.setdefault(hit.id, hit)
    weight = {"meaning": 1.0, "keywords": keyword_weight, "sentences": sentence_weight}
    fused = [
        FusedHit(
            hit=hits[point],
            score=sum(weight[name] / (k + s.rank) for name, s in found.items()),
            meaning=found.get("meaning"),
            keywords=found.get("keywords"),
            sentences=found.get("sentences"),
        )
        for point, found in signals.items()
    ]
    # sorted() is stable: equal scores keep first-seen order (meaning ranking first).
    return sorted(fused, key=lambda f: -f.score)
