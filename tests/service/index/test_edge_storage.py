"""A shard an earlier Baton wrote with float32 vectors is rewritten once, losing nothing, and a
rewrite cut off at any step leaves a folder the next open puts right."""

from __future__ import annotations

import shutil
from pathlib import Path

import qdrant_edge as qe

from baton.models.sparse import SparseEmbedder
from baton.service.index.base import DENSE_VECTOR, SPARSE_VECTOR
from baton.service.index.edge import EdgeIndex
from baton.service.index.edge_storage import stored_vector, wanted_datatype
from tests.service.index.builders import DIM, axis, make_point


def _float32_shard(path: Path, sparse_embedder: SparseEmbedder) -> None:
    """Two passages in a shard made the way Baton made them before the vectors were packed."""
    path.mkdir(parents=True)
    config = qe.EdgeConfig(
        vectors={DENSE_VECTOR: qe.EdgeVectorParams(size=DIM, distance=qe.Distance.Cosine)},
        sparse_vectors={SPARSE_VECTOR: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
    )
    shard = qe.EdgeShard.create(str(path), config)
    points = [
        make_point("valve", axis(0), "valve V-204 sticks when cold", sparse_embedder),
        make_point("ladle", axis(1), "preheat the ladle", sparse_embedder, "rec-b", start=12),
    ]
    shard.update(
        qe.UpdateOperation.upsert_points(
            [
                qe.Point(
                    p.id,
                    {
                        DENSE_VECTOR: p.dense,
                        SPARSE_VECTOR: qe.SparseVector(list(p.sparse.indices), p.sparse.values),
                    },
                    p.payload,
                )
                for p in points
            ]
        )
    )
    shard.flush()
    shard.close()


def test_an_older_float32_shard_is_rewritten_with_every_point_and_payload(
    tmp_path: Path, sparse_embedder: SparseEmbedder
) -> None:
    folder = tmp_path / "index"
    _float32_shard(folder, sparse_embedder)
    assert stored_vector(folder, DENSE_VECTOR) == (DIM, "float32")

    index = EdgeIndex(folder)
    index.ensure_ready(DIM)
    try:
        assert stored_vector(folder, DENSE_VECTOR) == (DIM, wanted_datatype())
        assert index.count() == 2
        by_meaning = index.search(axis(1), None, limit=1)
        assert by_meaning[0].payload == {
            "recording_id": "rec-b",
            "text": "preheat the ladle",
            "start": 12,
        }
        by_words = index.search(None, sparse_embedder.embed_query("V-204"), limit=1)
        assert by_words[0].payload["recording_id"] == "rec-a"
    finally:
        index.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "index.lock"]


def test_a_copy_left_half_written_is_thrown_away_and_the_shard_rewritten_again(
    tmp_path: Path, sparse_embedder: SparseEmbedder
) -> None:
    folder = tmp_path / "index"
    _float32_shard(folder, sparse_embedder)
    (tmp_path / "index.rewrite" / "segments").mkdir(parents=True)  # killed while copying

    index = EdgeIndex(folder)
    try:
        assert index.count() == 2
        assert stored_vector(folder, DENSE_VECTOR)[1] == wanted_datatype()
    finally:
        index.close()
    assert not (tmp_path / "index.rewrite").exists()


def test_a_shard_moved_aside_before_its_copy_took_its_place_is_moved_back(
    tmp_path: Path, sparse_embedder: SparseEmbedder
) -> None:
    _float32_shard(tmp_path / "index.old", sparse_embedder)  # killed between the two renames
    shutil.rmtree(tmp_path / "index", ignore_errors=True)

    index = EdgeIndex(tmp_path / "index")
    index.ensure_ready(DIM)
    try:
        assert index.count() == 2
    finally:
        index.close()
    assert not (tmp_path / "index.old").exists()
