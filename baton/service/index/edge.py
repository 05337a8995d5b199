"""The passage index on Qdrant Edge: an in-process shard persisted in one folder.

Edge is the embedded default: no server, fast upserts and queries. Only one process may open
a shard (``folder_lock.py`` says why Baton locks it before Edge does), and every call goes
through one lock here because API threads and the worker thread share the shard. Writes go
to the WAL before `update` returns (they survive a crash and are searchable at once); a flush
after each write also persists the segments, so a reopen replays little.

Edge builds no HNSW graph by itself: dense search stays exact (about 10 ms at 100,000 points
on 2 cores, fine for the embedded scale) until `EdgeShard.optimize()` runs. In 0.9.0 optimize
holds the GIL for its whole run (minutes at that size), freezing every thread of the process,
so this adapter never calls it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from baton.models.sparse import SparseVector
from baton.service.index.base import (
    DENSE_VECTOR,
    INTEGER_FIELDS,
    KEYWORD_FIELDS,
    RRF_K,
    SPARSE_VECTOR,
    IndexHit,
    IndexNotReadyError,
    IndexPoint,
    IntRange,
    PayloadFilter,
    search_vectors,
)
from baton.service.index.folder_lock import FolderLock

logger = logging.getLogger(__name__)

# A folder holding this file already holds a shard.
_SHARD_MARKER = "edge_config.json"


def _edge_config(dim: int) -> qe.EdgeConfig:
    return qe.EdgeConfig(
        vectors={DENSE_VECTOR: qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)},
        sparse_vectors={SPARSE_VECTOR: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
    )


def _edge_filter(filter: PayloadFilter | None) -> qe.Filter | None:
    """Translate a payload filter: every key must match, a sequence matches any of its values."""
    if not filter:
        return None
    conditions: list[Any] = []
    for key, value in filter.items():
        if isinstance(value, IntRange):
            span = qe.RangeFloat(gte=value.gte, lte=value.lte)
            conditions.append(qe.FieldCondition(key, range=span))
            continue
        match: qe.MatchValue | qe.MatchAny = (
            qe.MatchValue(value) if isinstance(value, str | int) else qe.MatchAny(list(value))
        )
        conditions.append(qe.FieldCondition(key, match=match))
    return qe.Filter(must=conditions)


def _edge_sparse(vector: SparseVector) -> qe.SparseVector:
    return qe.SparseVector(list(vector.indices), list(vector.values))


class EdgeIndex:
    """`PassageIndex` on a Qdrant Edge shard in `path` (created by `ensure_ready`)."""

    def __init__(self, path: Path) -> None:
        """Remember the folder; the shard opens in `ensure_ready` (or on first use if present)."""
        self._path = path
        self._shard: qe.EdgeShard | None = None
        self._dim: int | None = None
        self._lock = threading.Lock()
        self._folder_lock = FolderLock(path)

    def _require(self) -> qe.EdgeShard:
        """The open shard; opens an existing one on first use. Call with the lock held."""
        if self._shard is None:
            if not (self._path / _SHARD_MARKER).exists():
                raise IndexNotReadyError(
                    f"No passage index in {self._path} yet: call ensure_ready(dim) first."
                )
            self._folder_lock.acquire()
            self._shard = qe.EdgeShard.load(str(self._path))
            logger.info("Opened Edge index in %s", self._path)
        return self._shard

    def ensure_ready(self, dim: int) -> None:
        """Open the shard (checking `dim` against it) or create it; add missing keyword indexes."""
        with self._lock:
            if self._shard is not None and self._dim != dim:
                # Opened lazily (dimension unchecked) or asked for another size: reopen to check.
                self._shard.close()
                self._shard = None
            if self._shard is None:
                self._shard = self._open_or_create(dim)
                self._dim = dim
            shard = self._shard
            existing = shard.info().payload_schema
            wanted = [(f, qe.PayloadSchemaType.Keyword) for f in KEYWORD_FIELDS]
            wanted += [(f, qe.PayloadSchemaType.Integer) for f in INTEGER_FIELDS]
            for field, kind in wanted:
                if field not in existing:
                    shard.update(qe.UpdateOperation.create_field_index(field, kind))
                    logger.info("Created %s index on %r", kind, field)
            shard.flush()

    def _open_or_create(self, dim: int) -> qe.EdgeShard:
        self._folder_lock.acquire()
        config = _edge_config(dim)
        if not (self._path / _SHARD_MARKER).exists():
            self._path.mkdir(parents=True, exist_ok=True)
            shard = qe.EdgeShard.create(str(self._path), config)
            logger.info("Created Edge index in %s (dim=%d)", self._path, dim)
            return shard
        try:
            # Given a config, load checks it against the stored segments.
            shard = qe.EdgeShard.load(str(self._path), config)
        except Exception as error:
            raise RuntimeError(
                f"Cannot open the passage index in {self._path} for {dim}-dim vectors "
                f"({error}). If the embedding model changed, move the folder away and re-index."
            ) from error
        logger.info("Opened Edge index in %s (dim=%d)", self._path, dim)
        return shard

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        """Insert or replace `points` by id."""
        if not points:
            return
        edge_points = [
            qe.Point(
                p.id,
                {DENSE_VECTOR: list(p.dense), SPARSE_VECTOR: _edge_sparse(p.sparse)},
                dict(p.payload),
            )
            for p in points
        ]
        with self._lock:
            shard = self._require()
            shard.update(qe.UpdateOperation.upsert_points(edge_points))
            shard.flush()

    def delete_by(self, filter: PayloadFilter) -> None:
        """Delete every point matching `filter`; an empty filter is refused, not a wipe."""
        edge_filter = _edge_filter(filter)
        if edge_filter is None:
            raise ValueError("delete_by needs a non-empty filter")
        with self._lock:
            shard = self._require()
            shard.update(qe.UpdateOperation.delete_points_by_filter(edge_filter))
            shard.flush()

    def set_payload(self, point_ids: Sequence[str], payload: Mapping[str, Any]) -> None:
        """Set these payload fields on the points that exist among `point_ids`."""
        if not point_ids:
            return
        with self._lock:
            shard = self._require()
            present: list[Any] = [r.id for r in shard.retrieve(list(point_ids), False, False)]
            if present:
                shard.update(qe.UpdateOperation.set_payload(present, dict(payload)))
                shard.flush()

    def vectors(self, point_ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored dense vectors by id."""
        if not point_ids:
            return {}
        with self._lock:
            records = self._require().retrieve(list(point_ids), False, [DENSE_VECTOR])
        found: dict[str, list[float]] = {}
        for record in records:
            vector: Any = record.vector
            if isinstance(vector, dict) and DENSE_VECTOR in vector:
                found[str(record.id)] = [float(x) for x in vector[DENSE_VECTOR]]
        return found

    def count(self, filter: PayloadFilter | None = None) -> int:
        """Exact number of points, all or those matching `filter`."""
        request = qe.CountRequest(exact=True, filter=_edge_filter(filter))
        with self._lock:
            return self._require().count(request)

    def search(
        self,
        dense: Sequence[float] | None,
        sparse: SparseVector | None,
        limit: int,
        filter: PayloadFilter | None = None,
        prefetch: int = 50,
        fields: Sequence[str] | None = None,
    ) -> list[IndexHit]:
        """Dense, sparse or fused (RRF) search; the filter applies inside every stage."""
        dense, sparse = search_vectors(dense, sparse)
        payload: bool | list[str] = list(fields) if fields is not None else True
        edge_filter = _edge_filter(filter)
        queries: list[qe.Query] = []
        if dense is not None:
            queries.append(qe.Query.Nearest(list(dense), using=DENSE_VECTOR))
        if sparse is not None:
            queries.append(qe.Query.Nearest(_edge_sparse(sparse), using=SPARSE_VECTOR))
        if not queries:
            return []
        if len(queries) == 1:
            request = qe.QueryRequest(
                limit=limit, query=queries[0], filter=edge_filter, with_payload=payload
            )
        else:
            prefetches = [
                qe.Prefetch(limit=max(prefetch, limit), query=query, filter=edge_filter)
                for query in queries
            ]
            # 0.9.0's stubs leave Fusion.Rrf out of QueryRequest's query type; the engine takes it.
            fusion: Any = qe.Fusion.Rrf(k=RRF_K)
            request = qe.QueryRequest(
                limit=limit,
                prefetches=prefetches,
                query=fusion,
                filter=edge_filter,
                with_payload=payload,
            )
        with self._lock:
            scored = self._require().query(request)
        return [
            IndexHit(id=str(p.id), score=p.score, payload=dict(p.payload or {})) for p in scored
        ]

    def close(self) -> None:
        """Flush and release the shard (and its folder lock); later use reopens it."""
        with self._lock:
            if self._shard is not None:
                self._shard.flush()
                self._shard.close()
                self._shard = None
                self._dim = None
                logger.info("Closed Edge index in %s", self._path)
            self._folder_lock.release()
