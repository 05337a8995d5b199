"""Weighted reciprocal rank fusion: each hit keeps what each ranking said of it."""

from __future__ import annotations

from baton.service.fusion import FusionWeights, fuse
from baton.service.index.base import IndexHit


def hits(*ids: str) -> list[IndexHit]:
    return [IndexHit(id=i, score=1.0 - n / 10, payload={}) for n, i in enumerate(ids)]


def test_a_point_both_rankings_agree_on_comes_first() -> None:
    fused = fuse(hits("a", "b", "c"), hits("c", "d", "b"), k=2, keyword_weight=1.0)

    assert {f.hit.id for f in fused[:2]} == {"b", "c"}
    assert {f.hit.id for f in fused} == {"a", "b", "c", "d"}


def test_each_fused_hit_keeps_its_rank_and_score_in_each_ranking() -> None:
    fused = {f.hit.id: f for f in fuse(hits("a", "b"), hits("b"), k=2, keyword_weight=1.0)}

    assert fused["b"].meaning is not None and fused["b"].meaning.rank == 2
    assert fused["b"].keywords is not None and fused["b"].keywords.rank == 1
    assert fused["a"].keywords is None
    assert fused["b"].score == 1 / (2 + 2) + 1 / (2 + 1)


def test_a_heavier_keyword_ranking_puts_its_first_point_first() -> None:
    meaning, words = hits("m", "x"), hits("w", "y")

    assert fuse(meaning, words, k=2, keyword_weight=1.0)[0].hit.id == "m"
    assert fuse(meaning, words, k=2, keyword_weight=3.0)[0].hit.id == "w"


def test_a_question_naming_a_code_or_number_weighs_keywords_more() -> None:
    weights = FusionWeights(k=2, keywords=1.0, keywords_with_codes=3.0)

    assert weights.for_question("What Cpk did die T-5520 show?") == 3.0
    assert weights.for_question("How warm must a die be?") == 1.0


def test_the_sentence_ranking_adds_its_own_term_and_says_where_it_put_each_point() -> None:
    two_way = {f.hit.id: f for f in fuse(hits("a", "b"), hits("b"), k=2, keyword_weight=1.0)}
    three_way = {
        f.hit.id: f
        for f in fuse(
            hits("a", "b"), hits("b"), hits("a"), k=2, keyword_weight=1.0, sentence_weight=0.5
        )
    }

    assert three_way["a"].sentences is not None and three_way["a"].sentences.rank == 1
    assert three_way["b"].sentences is None
    assert three_way["a"].score == two_way["a"].score + 0.5 / (2 + 1)
    assert three_way["b"].score == two_way["b"].score
