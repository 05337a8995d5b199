"""BM25 sparse vectors for keyword matching, made locally by `qdrant_edge.Bm25`.

Shop-floor questions hinge on exact codes and numbers ("V-204", "1,640 degrees"), which dense
embeddings blur. BM25 keeps them, provided a code or number becomes the same tokens in a
passage and in a question, however it was written. The word tokenizer splits "V-204" into
"v" and "204" and "1,640" into "1" and "640", so before tokenizing we
- drop thousands separators ("1,640" -> "1640"), and
- add the joined form of a code beside the original ("V-204" -> "V-204 V204"; "V 204" -> also
  "V204"), so "V-204", "V204" and "V 204" all share a token.
Term weights carry no IDF: the index applies it (sparse vector modifier IDF) over the corpus.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import qdrant_edge

logger = logging.getLogger(__name__)

# "1,640" or "12,345,678": a comma between digits followed by exactly three digits.
_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Alphanumeric parts joined by - / . (at least one join), e.g. V-204, CC-EP-007, S355/J2.
_JOINED_CODE = re.compile(r"\b[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+\b")
# One to three capitals, a space, then digits, as a transcript may write "V 204".
_SPACED_CODE = re.compile(r"\b([A-Z]{1,3}) (\d+)\b")
_CODE_SEPARATORS = re.compile(r"[-/. ]")


@dataclass(frozen=True)
class SparseVector:
    """A sparse vector: token ids and their weights, in matching order."""

    indices: tuple[int, ...]
    values: tuple[float, ...]


def normalize_codes(text: str) -> str:
    """Rewrite numbers and part codes so every spelling of one shares tokens (see module doc)."""
    text = _THOUSANDS_SEPARATOR.sub("", text)
    joined: list[str] = []
    for match in _JOINED_CODE.finditer(text):
        code = match.group(0)
        # Dotted words without digits ("e.g") and plain decimals ("1.5") are not codes.
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            joined.append(_CODE_SEPARATORS.sub("", code))
    joined.extend(m.group(1) + m.group(2) for m in _SPACED_CODE.finditer(text))
    if not joined:
        return text
    return f"{text} {' '.join(joined)}"


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
        return [_to_vector(model.embed_document(normalize_codes(text))) for text in texts]

    def embed_query(self, text: str) -> SparseVector:
        """Embed a search question (1.0 per distinct token); empty when no token survives."""
        return _to_vector(self._bm25().embed_query(normalize_codes(text)))
