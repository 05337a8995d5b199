"""BM25 sparse vectors for keyword matching, made locally by `qdrant_edge.Bm25`.

Shop-floor questions hinge on exact codes and numbers ("V-204", "1,640 degrees"), which dense
embeddings blur. BM25 keeps them, provided a code or number becomes the same tokens in a
passage and in a question, however it was written or heard: `keyword_text` rewrites both
before tokenizing. Term weights carry no IDF: the index applies it (sparse vector modifier
IDF) over the corpus.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import qdrant_edge

from baton.models.keyword_text import keyword_text

logger = logging.getLogger(__name__)

# A written word, codes and numbers whole: "T-5520", "1,640", "don't".
_WORD = re.compile(r"\w(?:[\w'’]|[-,./](?=\w))*")


@dataclass(frozen=True)
class SparseVector:
    """A sparse vector: token ids and their weights, in matching order."""

    indices: tuple[int, ...]
    values: tuple[float, ...]


def _to_vector(vector: qdrant_edge.SparseVector) -> SparseVector:
    return SparseVector(
        indices=tuple(int(i) for i in vector.indices),
        values=tuple(float(v) for v in vector.values),
    )


class SparseEmbedder:
    """English BM25 (lowercase, English stopwords, Snowball stemming, ASCII folding).

    Documents get term-frequency weights normalised by length; a query gets weight 1.0 per
    distinct token, as BM25 scores a document by the query's terms. The model is built once,
    lazily and under a lock, and is safe to share between threads afterwards.
    """

    def __init__(self, k: float = 1.2, b: float = 0.75, avg_len: float = 256.0) -> None:
        """Keep the BM25 parameters; `avg_len` is the expected passage length in tokens."""
        self._k = k
        self._b = b
        self._avg_len = avg_len
        self._model: qdrant_edge.Bm25 | None = None
        self._lock = threading.Lock()
        self._word_tokens: dict[str, frozenset[int]] = {}

    def _bm25(self) -> qdrant_edge.Bm25:
        model = self._model
        if model is not None:
            return model
        with self._lock:
            if self._model is None:
                config = qdrant_edge.Bm25Config(
                    k=self._k,
                    b=self._b,
                    avg_len=self._avg_len,
                    tokenizer=qdrant_edge.TokenizerType.Word,
                    language="english",
                    lowercase=True,
                    ascii_folding=True,
                    stemmer=qdrant_edge.SnowballParams(qdrant_edge.SnowballLanguage.English),
                )
                self._model = qdrant_edge.Bm25(config)
                logger.info(
                    "BM25 model ready (k=%s, b=%s, avg_len=%s)", self._k, self._b, self._avg_len
                )
            return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[SparseVector]:
        """Embed passages for indexing (term-frequency weights)."""
        model = self._bm25()
        return [_to_vector(model.embed_document(keyword_text(text))) for text in texts]

    def embed_query(self, text: str) -> SparseVector:
        """Embed a search question (1.0 per distinct token); empty when no token survives."""
        return _to_vector(self._bm25().embed_query(keyword_text(text)))

    def matched_words(self, query: SparseVector, text: str) -> list[str]:
        """The words of ``text`` that the keyword ranking matched to ``query``, in order.

        A word matches when it yields one of the query's tokens (after the same rewriting,
        stemming and stopwords), so "ladles" matches a question about a "ladle".
        """
        wanted = set(query.indices)
        found: dict[str, str] = {}
        for word in _WORD.findall(text):
            key = word.casefold()
            if key not in found and self._tokens(word) & wanted:
                found[key] = word
        return list(found.values())

    def _tokens(self, word: str) -> frozenset[int]:
        tokens = self._word_tokens.get(word)
        if tokens is None:
            tokens = frozenset(self.embed_query(word).indices)
            if len(self._word_tokens) < 100_000:  # a bound, not an eviction policy
                self._word_tokens[word] = tokens
        return tokens
