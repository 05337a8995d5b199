"""Embed passages for hybrid search: a dense sentence vector and a BM25 sparse vector each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from baton.models.sparse import SparseEmbedder, SparseVector
from baton.models.text_embedding import TextEmbedder
from baton.workers.transcript import Passage


@dataclass(frozen=True)
class EmbeddedPassage:
    """A passage with the two vectors the index stores for it."""

    passage: Passage
    dense: tuple[float, ...]
    sparse: SparseVector


def embed_passages(
    passages: Sequence[Passage],
    dense: TextEmbedder,
    sparse: SparseEmbedder,
    batch_size: int = 32,
) -> list[EmbeddedPassage]:
    """Embed in batches; dense vectors are unit length, sparse ones are BM25 term weights."""
    texts = [p.text for p in passages]
    dense_vectors = dense.embed(texts, batch_size=batch_size)
    sparse_vectors = sparse.embed_documents(texts)
    return [
        EmbeddedPassage(p, tuple(float(x) for x in d), s)
        for p, d, s in zip(passages, dense_vectors, sparse_vectors, strict=True)
    ]
