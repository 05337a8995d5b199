"""Hybrid search: the question's dense and BM25 vectors, fused by the index with RRF."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from baton.service.db.tables import Recording
from baton.service.runtime import Runtime

MAX_QUERY_CHARS = 500


@dataclass(frozen=True)
class SearchHit:
    """One moment of one recording that answers the question."""

    recording_id: str
    title: str
    start: float
    end: float
    text: str
    score: float


def search(runtime: Runtime, query: str, limit: int = 10) -> list[SearchHit]:
    """Rank passages of the library for ``query``; best first, at most ``limit``."""
    dense = runtime.dense.embed([query])[0]
    sparse = runtime.sparse.embed_query(query)
    hits = runtime.index.search(
        [float(x) for x in dense], sparse, limit=limit, prefetch=max(50, limit * 5)
    )
    recording_ids = {str(hit.payload["recording_id"]) for hit in hits}
    with runtime.sessions() as session:
        rows = session.execute(
            select(Recording.id, Recording.title).where(Recording.id.in_(recording_ids))
        )
        titles = {recording_id: title for recording_id, title in rows}
    # A hit whose recording was deleted a moment ago is dropped, never shown half-gone.
    return [
        SearchHit(
            recording_id=str(hit.payload["recording_id"]),
            title=titles[str(hit.payload["recording_id"])],
            start=float(hit.payload["start"]),
            end=float(hit.payload["end"]),
            text=str(hit.payload["text"]),
            score=round(hit.score, 6),
        )
        for hit in hits
        if hit.payload["recording_id"] in titles
    ]
