"""Try retrieval levers offline on a library ``bench/retrieval.py --data DIR`` has kept.

Re-ingesting the corpus takes minutes per idea; this reads the stored transcripts (words,
timings, speakers) back from the library's database and rebuilds passages, embeddings and
rankings in memory, scored exactly as ``bench/retrieval.py`` scores them. It is how the
settings in BENCHMARKS.md ("Retrieval") were chosen; the chosen ones are then measured for real
through the API with ``bench/retrieval.py``.

    .venv/bin/python -m bench.retrieval_levers --data DIR [--corpus DIR] [--truth]

``--truth`` scores the corpus's true text instead of the transcripts (each turn one segment
of its speaker, words spread evenly over the turn's time): what the levers reach with a
perfect speech recogniser.

Levers: passages as Baton cuts them, with or without the shifted search cuts; speaker turns
as passages, alone or with the turn before; the session's title or title and goals in the
embedded text; who speaks, once voices are named (each found voice named after the true
speaker it overlaps most, as a mentor would name it), in the keyword text or before each turn;
the question widened with the words of its best passages by meaning (pseudo-relevance
feedback, the library's own vocabulary instead of a glossary); the head of the fusion ranked a
third time by each passage's closest sentences, embedded one by one (``SENTENCE_EVIDENCE``);
RRF constant and keyword weights. BM25 weights IDF as Qdrant does,
ln(1 + (N - n + 0.5) / (n + 0.5)).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from baton.models.sparse import SparseEmbedder
from baton.models.text_embedding import TextEmbedder
from baton.service.curation.glossary import expand_query
from baton.service.db.curation import GlossaryTerm
from baton.workers.passages import cut_passages, search_windows, sentences
from baton.workers.transcript import Segment, Transcript, Word, join_words
from bench.corpora import DEMO
from bench.retrieval import (
    DEPTH,
    Moment,
    Question,
    distinct,
    first_right,
    kinds_of,
    questions,
    scores,
)

PREFETCH = 100
SENTENCE_EVIDENCE = ((1, 1.0, 200), (2, 0.5, 200), (2, 1.0, 200), (2, 1.0, 50), (2, 1.0, 30))
"""(sentences averaged, the ranking's weight, how many of the fused head it reorders)"""


@dataclass(frozen=True)
class Candidate:
    session: str
    start: float
    end: float
    embedded: str
    """The text given to the dense model (and to BM25 unless ``keyword`` is set)."""
    keyword: str | None = None
    """The text given to BM25, where it differs."""


def transcripts(database: Path) -> dict[str, Transcript]:
    """Each session's stored transcript, keyed by the file stem it was uploaded as."""
    with sqlite3.connect(database) as db:
        found = {}
        for recording_id, filename in db.execute("select id, original_filename from recordings"):
            rows = db.execute(
                "select start, end, text, words, speaker from segments "
                "where recording_id = ? order by position",
                (recording_id,),
            )
            segments = tuple(
                Segment(start, end, text, _words(words), speaker)
                for start, end, text, words, speaker in rows
            )
            found[Path(filename).stem] = Transcript("en", 1.0, 0.0, segments)
    return found


def true_transcripts(corpus: Path) -> dict[str, Transcript]:
    """The truth files as transcripts: one segment per turn, words evenly timed."""
    found = {}
    for path in sorted((corpus / "audio").glob("*.truth.json")):
        truth = json.loads(path.read_text())
        segments = []
        for turn in truth["turns"]:
            tokens = turn["text"].split()
            step = (turn["end"] - turn["start"]) / len(tokens)
            words = tuple(
                Word(turn["start"] + i * step, turn["start"] + (i + 1) * step, token, 1.0)
                for i, token in enumerate(tokens)
            )
            segments.append(
                Segment(turn["start"], turn["end"], turn["text"], words, turn["speaker"])
            )
        found[truth["id"]] = Transcript("en", 1.0, truth["duration"], tuple(segments))
    return found


def _words(stored: str) -> tuple[Word, ...]:
    return tuple(
        Word(w["start"], w["end"], w["word"], w["probability"]) for w in json.loads(stored)
    )


def glossary(database: Path) -> list[GlossaryTerm]:
    with sqlite3.connect(database) as db:
        rows = db.execute("select term, synonyms from glossary_terms").fetchall()
    return [
        GlossaryTerm(term=term, synonyms=json.loads(synonyms or "[]")) for term, synonyms in rows
    ]


def baton_cuts(
    library: dict[str, Transcript], phases: int, header: dict[str, str]
) -> list[Candidate]:
    found = []
    for session, transcript in library.items():
        passages = cut_passages(transcript)
        windows = [w for _, w in search_windows(transcript, passages, phases)]
        for p in [*passages, *windows]:
            found.append(Candidate(session, p.start, p.end, _with(header, session, p.text)))
    return found


def turn_cuts(
    library: dict[str, Transcript], with_previous: bool, header: dict[str, str]
) -> list[Candidate]:
    """Each speaker turn a passage (long turns split at sentences to 120 words)."""
    found = []
    for session, transcript in library.items():
        turns: list[list[Word]] = []
        speakers: list[str | None] = []
        for segment in transcript.segments:
            if turns and speakers[-1] == segment.speaker:
                turns[-1].extend(segment.words)
            else:
                turns.append(list(segment.words))
                speakers.append(segment.speaker)
        pieces = [piece for turn in turns if turn for piece in _split(turn, 120)]
        for i, piece in enumerate(pieces):
            context = pieces[i - 1] if with_previous and i else []
            words = [*context, *piece]
            text = join_words(w.text for w in words)
            found.append(
                Candidate(session, words[0].start, words[-1].end, _with(header, session, text))
            )
    return found


def true_names(library: dict[str, Transcript], corpus: Path) -> dict[str, dict[str, str]]:
    """Each session's voice labels named after the true speaker each overlaps most."""
    named: dict[str, dict[str, str]] = {}
    for session, transcript in library.items():
        path = corpus / "audio" / f"{session}.truth.json"
        if not path.exists():
            continue
        turns = json.loads(path.read_text())["turns"]
        spec = corpus / "sessions" / f"{session}.json"
        pair = json.loads(spec.read_text())["pair"] if spec.exists() else {}
        heard: dict[str, Counter[str]] = {}
        for segment in transcript.segments:
            if segment.speaker is None:
                continue
            for turn in turns:
                overlap = min(segment.end, turn["end"]) - max(segment.start, turn["start"])
                if overlap > 0:
                    name = turn.get("name") or pair[turn["speaker"]]["name"]
                    heard.setdefault(segment.speaker, Counter())[name] += int(overlap * 100)
        named[session] = {label: c.most_common(1)[0][0] for label, c in heard.items()}
    return named


def named_cuts(
    library: dict[str, Transcript], names: dict[str, dict[str, str]], where: str
) -> list[Candidate]:
    """Baton's cuts with who speaks in them: ``keyword`` adds the speakers' names to the
    keyword text only; ``turns`` writes "Name:" before each turn, for both rankings."""
    found = []
    for session, transcript in library.items():
        speaker_at = {
            (w.start, w.text): names.get(session, {}).get(segment.speaker or "")
            for segment in transcript.segments
            for w in segment.words
        }
        passages = cut_passages(transcript)
        windows = [w for _, w in search_windows(transcript, passages, 4)]
        for p in [*passages, *windows]:
            speakers = [speaker_at.get((w.start, w.text)) for w in p.words]
            if where == "keyword":
                heard = " ".join(dict.fromkeys(n for n in speakers if n))
                found.append(Candidate(session, p.start, p.end, p.text, f"{p.text} {heard}"))
                continue
            pieces: list[str] = []
            previous: str | None = None
            for word, speaker in zip(p.words, speakers, strict=True):
                if speaker and speaker != previous:
                    pieces.append(f"{speaker}:")
                previous = speaker or previous
                pieces.append(word.text)
            found.append(Candidate(session, p.start, p.end, join_words(pieces)))
    return found


def _split(words: list[Word], most: int) -> list[list[Word]]:
    pieces: list[list[Word]] = [[]]
    for word in words:
        if len(pieces[-1]) >= most and pieces[-1][-1].text.endswith((".", "?", "!")):
            pieces.append([])
        pieces[-1].append(word)
    return pieces


def _with(header: dict[str, str], session: str, text: str) -> str:
    return f"{header[session]}. {text}" if session in header else text


def headers(corpus: Path, kind: str) -> dict[str, str]:
    found = {}
    for path in sorted((corpus / "sessions").glob("*.json")):
        spec = json.loads(path.read_text())
        goals = "; ".join(g["title"] for g in spec["goals"])
        found[spec["id"]] = spec["title"] if kind == "title" else f"{spec['title']}. {goals}"
    return found


class SentenceEvidence:
    """Each candidate's best sentence by meaning, as a third ranking: the sentences embedded
    one by one (as ingest stores them for landing), a candidate scored by its closest."""

    def __init__(
        self, library: dict[str, Transcript], candidates: Sequence[Candidate], dense: TextEmbedder
    ):
        said = [
            (session, s.start, s.end, s.text)
            for session, transcript in library.items()
            for s in sentences(transcript.segments)
        ]
        self.matrix = dense.embed([text for _, _, _, text in said])
        by_session: dict[str, list[tuple[int, float]]] = {}
        for n, (session, start, end, _) in enumerate(said):
            by_session.setdefault(session, []).append((n, (start + end) / 2))
        self.inside = [
            [n for n, middle in by_session.get(c.session, []) if c.start <= middle <= c.end]
            for c in candidates
        ]

    def ranking(self, vector: np.ndarray, top: int, among: Sequence[int]) -> list[int]:
        """The candidates ``among`` by the mean of their ``top`` closest sentences, best first
        (as search ranks the head of its fused pool)."""
        closeness = self.matrix @ vector
        score = {
            i: float(np.mean(np.sort(closeness[self.inside[i]])[-top:]))
            for i in among
            if self.inside[i]
        }
        return sorted(score, key=lambda i: -score[i])


class Scorer:
    """Dense cosine and BM25 over one set of candidates, fused as Baton's search fuses."""

    def __init__(
        self, candidates: Sequence[Candidate], dense: TextEmbedder, sparse: SparseEmbedder
    ):
        self.candidates = candidates
        self.sparse = sparse
        self.matrix = dense.embed([c.embedded for c in candidates])
        self.documents = sparse.embed_documents([c.keyword or c.embedded for c in candidates])
        counts: Counter[int] = Counter()
        for document in self.documents:
            counts.update(set(document.indices))
        n = len(self.documents)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in counts.items()}

    def rank(
        self,
        query: str,
        vector: np.ndarray,
        terms: list[GlossaryTerm],
        k: int,
        weights: tuple[float, float],
        feedback: tuple[int, int, float] = (0, 0, 0.0),
        evidence: tuple[SentenceEvidence, int, float, int] | None = None,
    ) -> list[Moment]:
        """Fuse the two rankings; ``feedback`` = (passages, terms, weight) widens the keyword
        query with the terms that weigh most (tf-idf) in the best passages by meaning."""
        by_meaning = list(np.argsort(-(self.matrix @ vector))[:PREFETCH])
        wanted = dict.fromkeys(self.sparse.embed_query(expand_query(query, terms)).indices, 1.0)
        passages, count, weight = feedback
        if passages and not re.search(r"\d", query):  # a code is matched as typed
            pooled: Counter[int] = Counter()
            for i in by_meaning[:passages]:
                d = self.documents[i]
                for t, v in zip(d.indices, d.values, strict=True):
                    pooled[t] += v * self.idf[t] / passages
            added = [t for t, _ in pooled.most_common() if t not in wanted][:count]
            wanted.update(dict.fromkeys(added, weight))
        bm25 = np.array(
            [
                sum(
                    v * self.idf[t] * wanted[t]
                    for t, v in zip(d.indices, d.values, strict=True)
                    if t in wanted
                )
                for d in self.documents
            ]
        )
        by_words = [i for i in np.argsort(-bm25)[:PREFETCH] if bm25[i] > 0]
        keyword_weight = weights[1] if re.search(r"\d", query) else weights[0]
        rankings = [(1.0, by_meaning), (keyword_weight, by_words)]
        order = _fused(rankings, k)
        if evidence is not None:
            found, top, weight, head = evidence
            rankings.append((weight, found.ranking(vector, top, order[:head])))
            order = _fused(rankings, k)
        ranked = [self.candidates[i] for i in order]
        return distinct([Moment(c.session, c.start, c.end) for c in ranked])[:DEPTH]


def _fused(rankings: Sequence[tuple[float, Sequence[int]]], k: int) -> list[int]:
    fused: dict[int, float] = {}
    for weight, ranking in rankings:
        for rank, i in enumerate(ranking, start=1):
            fused[int(i)] = fused.get(int(i), 0.0) + weight / (k + rank)
    return sorted(fused, key=lambda i: -fused[i])


def report(name: str, ranks: list[int | None], asked: list[Question]) -> None:
    cells = [f"{name:46}", "{:.2f}  {:.2f}  {:.2f}".format(*scores(ranks))]
    for kind in kinds_of(asked):
        picked = [r for r, q in zip(ranks, asked, strict=True) if q.kind == kind]
        cells.append("{:.2f} {:.2f} {:.2f}".format(*scores(picked)))
    print("  ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a library bench.retrieval kept")
    parser.add_argument("--corpus", type=Path, default=DEMO)
    parser.add_argument("--truth", action="store_true", help="the true text, not the transcripts")
    args = parser.parse_args()
    asked = questions(args.corpus)
    library = true_transcripts(args.corpus) if args.truth else transcripts(args.data / "baton.db")
    terms = glossary(args.data / "baton.db")
    names = true_names(library, args.corpus)
    dense, sparse = TextEmbedder(), SparseEmbedder()
    vectors = dense.embed([q.text for q in asked])
    none: dict[str, str] = {}
    variants: dict[str, Callable[[], list[Candidate]]] = {
        "passages (one cut)": lambda: baton_cuts(library, 1, none),
        "passages + 1 shifted cut": lambda: baton_cuts(library, 2, none),
        "passages + 3 shifted cuts (default)": lambda: baton_cuts(library, 4, none),
        "3 shifted cuts, title embedded": lambda: baton_cuts(
            library, 4, headers(args.corpus, "title")
        ),
        "3 shifted cuts, title+goals embedded": lambda: baton_cuts(
            library, 4, headers(args.corpus, "goals")
        ),
        "names of who speaks, keyword text": lambda: named_cuts(library, names, "keyword"),
        "names before each turn, both rankings": lambda: named_cuts(library, names, "turns"),
        "speaker turns": lambda: turn_cuts(library, False, none),
        "speaker turns with the turn before": lambda: turn_cuts(library, True, none),
    }
    kinds = ", ".join(kinds_of(asked))
    print(f"{len(asked)} questions; columns: R@1 R@5 MRR@10, then per kind {kinds}")
    for name, build in variants.items():
        scorer = Scorer(build(), dense, sparse)
        ranks = [
            first_right(scorer.rank(q.text, v, terms, 2, (1.0, 3.0)), q)
            for q, v in zip(asked, vectors, strict=True)
        ]
        report(name, ranks, asked)
    scorer = Scorer(baton_cuts(library, 4, none), dense, sparse)
    evidence = SentenceEvidence(library, scorer.candidates, dense)
    for top, weight, head in SENTENCE_EVIDENCE:
        ranks = [
            first_right(
                scorer.rank(
                    q.text, v, terms, 2, (1.0, 3.0), (0, 0, 0.0), (evidence, top, weight, head)
                ),
                q,
            )
            for q, v in zip(asked, vectors, strict=True)
        ]
        report(f"default cuts, + best {top} sentences x{weight} in the top {head}", ranks, asked)
    for feedback in ((3, 5, 0.3), (5, 5, 0.2), (5, 10, 0.2), (5, 10, 0.1), (8, 10, 0.2)):
        ranks = [
            first_right(scorer.rank(q.text, v, terms, 2, (1.0, 3.0), feedback), q)
            for q, v in zip(asked, vectors, strict=True)
        ]
        passages, count, weight = feedback
        report(f"default cuts, + {count} terms of the best {passages} x{weight}", ranks, asked)
    for k, weights in (
        (2, (1.0, 1.0)),
        (2, (0.5, 3.0)),
        (5, (1.0, 3.0)),
        (10, (1.0, 3.0)),
        (60, (1.0, 1.0)),
    ):
        ranks = [
            first_right(scorer.rank(q.text, v, terms, k, weights), q)
            for q, v in zip(asked, vectors, strict=True)
        ]
        report(
            f"default cuts, RRF k={k}, keyword weight {weights[0]}/{weights[1]} (coded)",
            ranks,
            asked,
        )


if __name__ == "__main__":
    main()
