"""The passage index as the service sees it: points, hits, filters and one small interface.

Two engines implement it (Qdrant Edge in-process, Qdrant server through qdrant-client) and one
contract test suite holds them to the same behaviour. Each point carries a named dense vector
"dense" (cosine) and a named sparse BM25 vector "bm25" whose weights the engine multiplies by
IDF; hybrid search fuses the two rankings with reciprocal rank fusion inside the engine.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from baton.models.sparse import SparseVector

DENSE_VECTOR = "dense"
SPARSE_VECTOR = "bm25"
# Payload fields filtered on, so each gets an index: keyword fields hold ids (one or a list),
# integer fields hold numbers compared by range (``day`` is the session's date as YYYYMMDD).
KEYWORD_FIELDS: tuple[str, ...] = (
    "recording_id",
    "session_id",
    "pair_id",
    "person_ids",
    "speaker_ids",
    "goal_ids",
    "topic_ids",
    "audiences",
)
INTEGER_FIELDS: tuple[str, ...] = ("day",)
# Reciprocal rank fusion constant. Qdrant server's default is 2; Edge needs it spelled out,
# so both adapters use this one value and rank alike.
RRF_K = 2

# Fixed forever: changing it would orphan every point already stored.
_POINT_NAMESPACE = uuid.UUID("5f346d83-072b-40db-a3ed-9542c9d471ab")


@dataclass(frozen=True)
class IntRange:
    """Matches an integer field between ``gte`` and ``lte`` (inclusive; None leaves it open)."""

    gte: int | None = None
    lte: int | None = None


# Every key must match; a sequence value means "any of these", an IntRange a span of numbers.
# A field holding a list matches when any of its items does.
PayloadFilter = Mapping[str, str | int | Sequence[str] | IntRange]


@dataclass(frozen=True)
class IndexPoint:
    """One passage to store: a UUID-string id (see `point_id`), both vectors and its payload."""

    id: str
    dense: tuple[float, ...] | list[float]
    sparse: SparseVector
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class IndexHit:
    """One search result; a higher score is better, but scores compare only within one search."""

    id: str
    score: float
    payload: dict[str, Any]


class IndexNotReadyError(RuntimeError):
    """Raised when the index is used before `ensure_ready` created its collection or shard."""


class PassageIndex(Protocol):
    """A vector index of passages, with hybrid (dense + BM25) search and payload filters."""

    def ensure_ready(self, dim: int) -> None:
        """Create the collection (or open it) with `dim`-sized dense vectors and indexes."""
        ...

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        """Insert or replace points by id; visible to searches when this returns."""
        ...

    def delete_by(self, filter: PayloadFilter) -> None:
        """Delete every point matching `filter` (which must not be empty)."""
        ...

    def set_payload(self, point_ids: Sequence[str], payload: Mapping[str, Any]) -> None:
        """Set these payload fields on the given points (others keep theirs); missing ids are
        skipped."""
        ...

    def vectors(self, point_ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored dense vectors of the given points, by id; missing ids are left out."""
        ...

    def count(self, filter: PayloadFilter | None = None) -> int:
        """Count points, all of them or those matching `filter`."""
        ...

    def search(
        self,
        dense: Sequence[float] | None,
        sparse: SparseVector | None,
        limit: int,
        filter: PayloadFilter | None = None,
        prefetch: int = 50,
        fields: Sequence[str] | None = None,
    ) -> list[IndexHit]:
        """Best `limit` points for the given vectors, restricted by `filter` inside the query.

        Both vectors: each ranks `prefetch` candidates and RRF fuses them. One vector: that
        ranking alone. An empty sparse vector counts as absent; with nothing to rank by, [].
        `fields` names the payload fields to return (all when None): at 100 hits, leaving
        the passage text out halves the query's time on Edge.
        """
        ...

    def close(self) -> None:
        """Release the engine (files, locks, connections)."""
        ...


def point_id(*key: str) -> str:
    """A stable point id (uuid5) for `key`, so re-running a stage replaces its points."""
    if not key:
        raise ValueError("point_id needs at least one key part")
    # JSON keeps ("a-b", "c") and ("a", "b-c") apart, as a plain join would not.
    return str(uuid.uuid5(_POINT_NAMESPACE, json.dumps(list(key))))


def search_vectors(
    dense: Sequence[float] | None, sparse: SparseVector | None
) -> tuple[Sequence[float] | None, SparseVector | None]:
    """Validate search inputs and drop an empty sparse vector (a query of stopwords only)."""
    if dense is None and sparse is None:
        raise ValueError("search needs a dense vector, a sparse vector or both")
    if sparse is not None and not sparse.indices:
        sparse = None
    return dense, sparse
