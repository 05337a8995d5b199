"""One contract for every passage index engine: Qdrant Edge and a Qdrant server (in memory)."""

from __future__ import annotations

from typing import Any

import pytest

from baton.models.sparse import SparseEmbedder, SparseVector
from baton.service.index.base import IndexPoint, IntRange, PassageIndex, point_id
from tests.service.index.builders import DIM, axis, make_point

VALVE = "valve V-204 sticks when cold, so warm it through before the shift"
LADLE = "preheat the ladle for twenty minutes before tapping the furnace"
TORQUE = "torque the flange bolts to 45 newton metres in a star pattern"
MELT = "the melt runs at 1,640 degrees until the sample comes back"


@pytest.fixture
def four_passages(index: PassageIndex, sparse_embedder: SparseEmbedder) -> list[IndexPoint]:
    """Valve, ladle, torque and melt passages on axes 0-3; the valve leans towards the ladle."""
    points = [
        make_point("valve", axis(0, lean=1), VALVE, sparse_embedder),
        make_point("ladle", axis(1), LADLE, sparse_embedder),
        make_point("torque", axis(2), TORQUE, sparse_embedder),
        make_point("melt", axis(3), MELT, sparse_embedder),
    ]
    index.upsert(points)
    return points


def test_upserted_points_are_counted(index: PassageIndex, four_passages: list[IndexPoint]) -> None:
    assert index.count() == 4


def test_upserting_the_same_id_twice_replaces_the_point(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    index.upsert([make_point("p1", axis(0), VALVE, sparse_embedder, version=1)])
    index.upsert([make_point("p1", axis(1), LADLE, sparse_embedder, version=2)])

    assert index.count() == 1
    hits = index.search(axis(1), None, limit=5)
    assert [hit.payload["version"] for hit in hits] == [2]


def test_dense_search_ranks_the_nearest_point_first(
    index: PassageIndex, four_passages: list[IndexPoint]
) -> None:
    hits = index.search(axis(2), None, limit=4)

    assert hits[0].id == four_passages[2].id
    assert hits[0].payload["text"] == TORQUE
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_sparse_search_ranks_the_passage_with_the_code_first(
    index: PassageIndex, four_passages: list[IndexPoint], sparse_embedder: SparseEmbedder
) -> None:
    hits = index.search(None, sparse_embedder.embed_query("what about V204?"), limit=4)

    assert hits[0].id == four_passages[0].id


def test_sparse_search_finds_a_number_written_without_its_comma(
    index: PassageIndex, four_passages: list[IndexPoint], sparse_embedder: SparseEmbedder
) -> None:
    hits = index.search(None, sparse_embedder.embed_query("1640 degrees"), limit=4)

    assert hits[0].id == four_passages[3].id


def test_fused_search_prefers_the_point_both_rankings_agree_on(
    index: PassageIndex, four_passages: list[IndexPoint], sparse_embedder: SparseEmbedder
) -> None:
    dense_query = axis(1)  # dense alone: ladle first, valve (leaning to axis 1) second
    sparse_query = sparse_embedder.embed_query("valve V-204")  # BM25 alone: only the valve

    dense_first = index.search(dense_query, None, limit=4)[0]
    fused = index.search(dense_query, sparse_query, limit=4)

    assert dense_first.id == four_passages[1].id
    assert fused[0].id == four_passages[0].id


@pytest.mark.parametrize("mode", ["dense", "sparse", "fused"])
def test_filter_applies_inside_the_query_not_to_a_top_k_afterwards(
    index: PassageIndex, sparse_embedder: SparseEmbedder, mode: str
) -> None:
    # 30 points in recording A match the query better than the one point in B.
    crowd = [
        make_point(f"a{i}", axis(0), f"valve V-204 valve V-204 sticks {i}", sparse_embedder)
        for i in range(30)
    ]
    lone = make_point("b0", axis(0, lean=4), "valve V-204 on line two", sparse_embedder, "rec-b")
    index.upsert([*crowd, lone])
    dense = axis(0) if mode in ("dense", "fused") else None
    sparse = sparse_embedder.embed_query("valve V-204") if mode in ("sparse", "fused") else None

    hits = index.search(dense, sparse, limit=5, filter={"recording_id": "rec-b"}, prefetch=10)

    assert [hit.id for hit in hits] == [lone.id]


def test_a_sequence_in_a_filter_matches_any_of_its_values(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    index.upsert(
        [make_point(f"p{i}", axis(i), VALVE, sparse_embedder, f"rec-{i}") for i in range(3)]
    )

    assert index.count({"recording_id": ["rec-0", "rec-2", "rec-9"]}) == 2
    hits = index.search(axis(1), None, limit=5, filter={"recording_id": ["rec-0", "rec-2"]})
    assert {hit.payload["recording_id"] for hit in hits} == {"rec-0", "rec-2"}


def test_every_key_of_a_filter_must_match(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    index.upsert(
        [
            make_point("p1", axis(0), VALVE, sparse_embedder, "rec-a", turn=1),
            make_point("p2", axis(0), VALVE, sparse_embedder, "rec-a", turn=2),
            make_point("p3", axis(0), VALVE, sparse_embedder, "rec-b", turn=1),
        ]
    )

    assert index.count({"recording_id": "rec-a", "turn": 1}) == 1


def test_delete_by_removes_one_recording_and_keeps_the_other(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    index.upsert(
        [make_point(f"a{i}", axis(i), VALVE, sparse_embedder, "rec-a") for i in range(3)]
        + [make_point(f"b{i}", axis(i), LADLE, sparse_embedder, "rec-b") for i in range(2)]
    )

    index.delete_by({"recording_id": "rec-a"})

    assert index.count({"recording_id": "rec-a"}) == 0
    assert index.count({"recording_id": "rec-b"}) == 2
    assert index.count() == 2
    hits = index.search(axis(0), sparse_embedder.embed_query("valve"), limit=10)
    assert {hit.payload["recording_id"] for hit in hits} == {"rec-b"}


def test_delete_by_refuses_an_empty_filter_instead_of_wiping_everything(
    index: PassageIndex, four_passages: list[IndexPoint]
) -> None:
    with pytest.raises(ValueError):
        index.delete_by({})
    assert index.count() == 4


def test_payload_comes_back_as_it_was_stored(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    payload: dict[str, Any] = {
        "start": 12.5,
        "end": 31.25,
        "turn": 7,
        "published": True,
        "speaker": None,
        "goal_ids": ["g1", "g2"],
        "words": [{"w": "ladle", "t": 13.0}],
        "text": "Tom sagte: « préchauffer » the ladle",
    }
    point = IndexPoint(
        id=point_id("rec-a", "p1"),
        dense=tuple(axis(0)),
        sparse=sparse_embedder.embed_documents([LADLE])[0],
        payload={"recording_id": "rec-a", **payload},
    )
    index.upsert([point])

    (hit,) = index.search(axis(0), None, limit=1)

    assert hit.id == point.id
    assert hit.payload == {"recording_id": "rec-a", **payload}


@pytest.mark.parametrize("mode", ["dense", "sparse", "fused"])
def test_search_returns_no_more_hits_than_the_limit(
    index: PassageIndex, sparse_embedder: SparseEmbedder, mode: str
) -> None:
    index.upsert(
        [make_point(f"p{i}", axis(i % DIM), f"{VALVE} {i}", sparse_embedder) for i in range(20)]
    )
    dense = axis(0) if mode in ("dense", "fused") else None
    sparse = sparse_embedder.embed_query("valve") if mode in ("sparse", "fused") else None

    assert len(index.search(dense, sparse, limit=5)) == 5


def test_search_on_an_empty_index_returns_nothing(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    sparse = sparse_embedder.embed_query("valve V-204")

    assert index.search(axis(0), None, limit=5) == []
    assert index.search(None, sparse, limit=5) == []
    assert index.search(axis(0), sparse, limit=5) == []
    assert index.count() == 0


def test_a_query_of_stopwords_only_searches_by_the_dense_vector_alone(
    index: PassageIndex, four_passages: list[IndexPoint], sparse_embedder: SparseEmbedder
) -> None:
    empty = sparse_embedder.embed_query("what is the")

    assert empty == SparseVector((), ())
    assert index.search(None, empty, limit=5) == []
    assert index.search(axis(2), empty, limit=1)[0].id == four_passages[2].id


def test_search_without_any_vector_is_a_programming_error(index: PassageIndex) -> None:
    with pytest.raises(ValueError):
        index.search(None, None, limit=5)


def test_ensure_ready_twice_keeps_the_points(
    index: PassageIndex, four_passages: list[IndexPoint]
) -> None:
    index.ensure_ready(DIM)

    assert index.count() == 4


def test_ensure_ready_refuses_another_vector_size(
    index: PassageIndex, four_passages: list[IndexPoint]
) -> None:
    with pytest.raises(RuntimeError, match="re-index"):
        index.ensure_ready(DIM * 2)


def test_point_ids_are_stable_and_keep_key_parts_apart() -> None:
    assert point_id("rec-a", "p1") == point_id("rec-a", "p1")
    assert point_id("a-b", "c") != point_id("a", "b-c")
    assert len(point_id("x")) == 36


def test_a_range_filter_keeps_days_inside_the_span(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    index.upsert(
        [
            make_point("march", axis(0), VALVE, sparse_embedder, day=20260310),
            make_point("april", axis(0), LADLE, sparse_embedder, day=20260407),
            make_point("june", axis(0), TORQUE, sparse_embedder, day=20260616),
        ]
    )

    spring = index.search(axis(0), None, limit=5, filter={"day": IntRange(20260401, 20260531)})
    from_april = index.count({"day": IntRange(gte=20260401)})

    assert [hit.payload["day"] for hit in spring] == [20260407]
    assert from_april == 2


def test_a_list_field_matches_when_any_of_its_items_does(
    index: PassageIndex, sparse_embedder: SparseEmbedder
) -> None:
    index.upsert(
        [
            make_point("both", axis(0), VALVE, sparse_embedder, goal_ids=["g1", "g2"]),
            make_point("one", axis(0), LADLE, sparse_embedder, goal_ids=["g2"]),
            make_point("none", axis(0), TORQUE, sparse_embedder, goal_ids=[]),
        ]
    )

    assert index.count({"goal_ids": "g1"}) == 1
    assert index.count({"goal_ids": "g2"}) == 2
    assert index.count({"goal_ids": ["g1", "g3"]}) == 1


def test_set_payload_changes_only_the_named_fields_of_existing_points(
    index: PassageIndex, four_passages: list[IndexPoint]
) -> None:
    valve, ladle = four_passages[0].id, four_passages[1].id

    index.set_payload([valve, ladle, point_id("never", "stored")], {"topic_ids": ["t1"]})

    hits = index.search(axis(0), None, limit=4, filter={"topic_ids": "t1"})
    assert {hit.id for hit in hits} == {valve, ladle}
    assert all(hit.payload["text"] in (VALVE, LADLE) for hit in hits)
    assert index.count() == 4


def test_vectors_returns_the_stored_dense_vectors_by_id(
    index: PassageIndex, four_passages: list[IndexPoint]
) -> None:
    missing = point_id("never", "stored")

    found = index.vectors([four_passages[2].id, missing])

    assert list(found) == [four_passages[2].id]
    stored = found[four_passages[2].id]
    assert stored == pytest.approx(axis(2), abs=1e-6)


def test_search_returns_only_the_payload_fields_asked_for(
    index: PassageIndex, four_passages: list[IndexPoint], sparse_embedder: SparseEmbedder
) -> None:
    hits = index.search(
        axis(0), sparse_embedder.embed_query("valve"), limit=4, fields=["recording_id"]
    )

    assert hits and all(hit.payload == {"recording_id": "rec-a"} for hit in hits)
