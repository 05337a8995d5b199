"""Builders for passage-index test data: small hand-made dense vectors, real BM25 vectors."""

from __future__ import annotations

from typing import Any

from baton.models.sparse import SparseEmbedder
from baton.service.index.base import IndexPoint, point_id

DIM = 8


def axis(i: int, lean: int | None = None) -> list[float]:
    """A dense vector along axis `i`, leaning a little towards axis `lean` when given."""
    vector = [0.0] * DIM
    vector[i] = 1.0
    if lean is not None:
        vector[lean] = 0.3
    return vector


def make_point(
    key: str,
    dense: list[float],
    text: str,
    embedder: SparseEmbedder,
    recording_id: str = "rec-a",
    **payload: Any,
) -> IndexPoint:
    """A point whose id derives from `key` and whose sparse vector is real BM25 of `text`."""
    return IndexPoint(
        id=point_id(recording_id, key),
        dense=dense,
        sparse=embedder.embed_documents([text])[0],
        payload={"recording_id": recording_id, "text": text, **payload},
    )
