"""The passage index on a Qdrant server (or cluster), through qdrant-client.

This is the scale-out mode: many worker processes on many machines share one collection.
Tests run the same code against `QdrantClient(":memory:")`, which speaks the same client API.
Writes wait for the server to apply them, so they are searchable when a call returns.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from qdrant_client import QdrantClient, models

from baton.models.sparse import SparseVector
from baton.service.index.base import (
    DENSE_VECTOR,
    INTEGER_FIELDS,
    KEYWORD_FIELDS,
    SPARSE_VECTOR,
    IndexHit,
    IndexPoint,
    IntRange,
    PayloadFilter,
    search_vectors,
)

logger = logging.getLogger(__name__)

# Points per upsert request, to keep request bodies moderate on a remote server.
_UPSERT_BATCH = 256


def _server_filter(filter: PayloadFilter | None) -> models.Filter | None:
    """Translate a payload filter: every key must match, a sequence matches any of its values."""
    if not filter:
        return None
    conditions: list[models.Condition] = []
    for key, value in filter.items():
        if isinstance(value, IntRange):
            span = models.Range(gte=value.gte, lte=value.lte)
            conditions.append(models.FieldCondition(key=key, range=span))
            continue
        match: models.MatchValue | models.MatchAny = (
            models.MatchValue(value=value)
            if isinstance(value, str | int)
            else models.MatchAny(any=list(value))
        )
        conditions.append(models.FieldCondition(key=key, match=match))
    return models.Filter(must=conditions)


def _server_sparse(vector: SparseVector) -> models.SparseVector:
    return models.SparseVector(indices=list(vector.indices), values=list(vector.values))


class ServerIndex:
    """`PassageIndex` on one collection of a Qdrant server reached by `client`."""

    def __init__(self, client: QdrantClient, collection: str = "passages") -> None:
        """Use `collection` through `client`; `ensure_ready` creates it when missing."""
        self._client = client
        self._collection = collection

    @classmethod
    def from_url(cls, url: str, api_key: str | None) -> ServerIndex:
        """Connect to `url` (http(s)://host:port), or an in-process store for ":memory:"."""
        if url == ":memory:":
            return cls(QdrantClient(location=":memory:"))
        return cls(QdrantClient(url=url, api_key=api_key))

    def ensure_ready(self, dim: int) -> None:
        """Create the collection unless present (then check its `dim`); add keyword indexes."""
        if self._client.collection_exists(self._collection):
            self._check_dim(dim)
        else:
            self._client.create_collection(
                self._collection,
                vectors_config={
                    DENSE_VECTOR: models.VectorParams(size=dim, distance=models.Distance.COSINE)
                },
                sparse_vectors_config={
                    SPARSE_VECTOR: models.SparseVectorParams(modifier=models.Modifier.IDF)
                },
            )
            logger.info("Created Qdrant collection %r (dim=%d)", self._collection, dim)
        existing = self._client.get_collection(self._collection).payload_schema
        with warnings.catch_warnings():
            # Local mode (tests) warns that payload indexes do nothing there; a server uses them.
            warnings.filterwarnings("ignore", message="Payload indexes have no effect")
            wanted = [(f, models.PayloadSchemaType.KEYWORD) for f in KEYWORD_FIELDS]
            wanted += [(f, models.PayloadSchemaType.INTEGER) for f in INTEGER_FIELDS]
            for field, kind in wanted:
                if field not in existing:
                    self._client.create_payload_index(
                        self._collection, field_name=field, field_schema=kind, wait=True
                    )
                    logger.info("Created %s index on %r in %r", kind, field, self._collection)

    def _check_dim(self, dim: int) -> None:
        vectors = self._client.get_collection(self._collection).config.params.vectors
        params = vectors.get(DENSE_VECTOR) if isinstance(vectors, dict) else None
        if params is None or params.size != dim:
            found = "no 'dense' vector" if params is None else f"{params.size}-dim vectors"
            raise RuntimeError(
                f"Qdrant collection {self._collection!r} has {found}, not {dim}-dim. If the "
                "embedding model changed, use another collection or re-index."
            )

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        """Insert or replace `points` by id, waiting until the server applied them."""
        structs = [
            models.PointStruct(
                id=p.id,
                vector={DENSE_VECTOR: list(p.dense), SPARSE_VECTOR: _server_sparse(p.sparse)},
                payload=dict(p.payload),
            )
            for p in points
        ]
        for start in range(0, len(structs), _UPSERT_BATCH):
            batch = structs[start : start + _UPSERT_BATCH]
            self._client.upsert(self._collection, points=batch, wait=True)

    def delete_by(self, filter: PayloadFilter) -> None:
        """Delete every point matching `filter`; an empty filter is refused, not a wipe."""
        server_filter = _server_filter(filter)
        if server_filter is None:
            raise ValueError("delete_by needs a non-empty filter")
        self._client.delete(
            self._collection,
            points_selector=models.FilterSelector(filter=server_filter),
            wait=True,
        )

    def set_payload(self, point_ids: Sequence[str], payload: Mapping[str, Any]) -> None:
        """Set these payload fields on the points that exist among `point_ids`."""
        if not point_ids:
            return
        records = self._client.retrieve(
            self._collection, list(point_ids), with_payload=False, with_vectors=False
        )
        present: list[models.ExtendedPointId] = [r.id for r in records]
        if present:
            self._client.set_payload(
                self._collection, payload=dict(payload), points=present, wait=True
            )

    def vectors(self, point_ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored dense vectors by id."""
        if not point_ids:
            return {}
        records = self._client.retrieve(
            self._collection, list(point_ids), with_payload=False, with_vectors=[DENSE_VECTOR]
        )
        found: dict[str, list[float]] = {}
        for record in records:
            vector: Any = record.vector
            if isinstance(vector, dict) and DENSE_VECTOR in vector:
                found[str(record.id)] = [float(x) for x in vector[DENSE_VECTOR]]
        return found

    def count(self, filter: PayloadFilter | None = None) -> int:
        """Exact number of points, all or those matching `filter`."""
        result = self._client.count(
            self._collection, count_filter=_server_filter(filter), exact=True
        )
        return result.count

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
        server_filter = _server_filter(filter)
        stages: list[tuple[models.VectorInput, str]] = []
        if dense is not None:
            stages.append((list(dense), DENSE_VECTOR))
        if sparse is not None:
            stages.append((_server_sparse(sparse), SPARSE_VECTOR))
        if not stages:
            return []
        if len(stages) == 1:
            query, using = stages[0]
            response = self._client.query_points(
                self._collection,
                query=query,
                using=using,
                query_filter=server_filter,
                limit=limit,
                with_payload=payload,
            )
        else:
            response = self._client.query_points(
                self._collection,
                prefetch=[
                    models.Prefetch(
                        query=query, using=using, filter=server_filter, limit=max(prefetch, limit)
                    )
                    for query, using in stages
                ],
                query=models.FusionQuery(fusion=models.Fusion.RRF),
                query_filter=server_filter,
                limit=limit,
                with_payload=payload,
            )
        return [
            IndexHit(id=str(p.id), score=p.score, payload=dict(p.payload or {}))
            for p in response.points
        ]

    def close(self) -> None:
        """Close the client's connections."""
        self._client.close()
