"""Finding the right moment: Recall@1, Recall@5 and MRR@10 on the corpus's 60 questions.

Loads the demo programme (the corpus pairs, goals, topics, glossary) into an in-process Baton,
ingests the six sessions, asks every question of ``questions.jsonl`` and scores each ranking by
time: a hit is right when it comes from the question's session, overlaps the turn that holds the
answer, and lasts at most 60 seconds (a new starter wants the moment, not the session). Side by
side, in one run:

- Baton's search, through the API (dense and BM25 fused with weights that follow the question,
  glossary expansion), over the transcripts as they stand once refined;
- dense only and BM25 only: the same index queried with one vector;
- the plain stack a user would wire by hand: the transcript cut into fixed 80-word windows,
  embedded with the same MiniLM, ranked by cosine alone.

Overall and per question kind (paraphrase, keyword, goal); and where the right hits land:
for each question with a right hit in the top 5, the seconds from where that hit plays from
to where the answering turn begins, and to the answer (none when it plays from inside the
answering turn); median, 90th percentile, share within 5 s.

    .venv/bin/python -m bench.retrieval [--data DIR] [--misses] [--corpus DIR]

``--data`` keeps the library in DIR, so a second run skips the ingest (the same files are
recognised as already there); ``--misses`` lists the questions Baton's search gets wrong at
rank 1, with what it ranked first; ``--corpus bench/second_corpus`` runs the held-out set
(its own programme, sessions and questions; a corpus without ``programme.json`` gets the
demo's). Settings come from the environment as for ``baton serve``:
``BATON_WHISPER_REFINE_MODEL=`` scores the first-pass transcripts alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from baton.service.api.app import create_app
from baton.service.curation.glossary import expand_query, list_terms
from baton.service.demo.load import load_demo
from baton.service.runtime import Runtime
from baton.service.search import mostly_same
from bench.corpora import DEMO, add_corpus_option, announce
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, admin_settings
from tests.support.api import bearer, wait_until_settled

MOST_SECONDS = 60.0
WINDOW_WORDS = 80
DEPTH = 10


@dataclass(frozen=True)
class Moment:
    """A ranked span: which session, from when to when, and where playing starts."""

    session: str
    start: float
    end: float
    play: float | None = None
    """Where the player starts (None: at ``start``)."""

    @property
    def plays_from(self) -> float:
        return self.start if self.play is None else self.play


@dataclass(frozen=True)
class Question:
    text: str
    session: str
    kind: str
    start: float
    end: float


def questions(corpus: Path = DEMO) -> list[Question]:
    truth = {
        path.name.split(".")[0]: json.loads(path.read_text())["turns"]
        for path in (corpus / "audio").glob("*.truth.json")
    }
    found = []
    for line in (corpus / "questions.jsonl").read_text().splitlines():
        q = json.loads(line)
        turn = truth[q["session"]][q["turn"]]
        found.append(Question(q["question"], q["session"], q["kind"], turn["start"], turn["end"]))
    return found


def is_right(moment: Moment, question: Question) -> bool:
    return (
        moment.session == question.session
        and moment.end - moment.start <= MOST_SECONDS
        and moment.start < question.end
        and question.start < moment.end
    )


def distinct(ranking: Sequence[Moment]) -> list[Moment]:
    """Leave out a moment that mostly repeats a better one (passages and shifted search
    windows overlap), as Baton's search does."""
    kept: list[Moment] = []
    for m in ranking:
        if not any(
            m.session == k.session and mostly_same(m.start, m.end, k.start, k.end) for k in kept
        ):
            kept.append(m)
    return kept


def first_right(ranking: Sequence[Moment], question: Question) -> int | None:
    """The 1-based rank of the first right hit in the top ``DEPTH``, or None."""
    for rank, moment in enumerate(ranking[:DEPTH], start=1):
        if is_right(moment, question):
            return rank
    return None


def scores(ranks: list[int | None]) -> tuple[float, float, float]:
    """Recall@1, Recall@5 and MRR@10 of the given first-right ranks."""
    n = max(1, len(ranks))
    at1 = sum(1 for r in ranks if r == 1) / n
    at5 = sum(1 for r in ranks if r is not None and r <= 5) / n
    mrr = sum(1 / r for r in ranks if r is not None) / n
    return at1, at5, mrr


Ranker = Callable[[str], list[Moment]]


def api_ranker(client: TestClient, session_of: dict[str, str]) -> Ranker:
    def rank(question: str) -> list[Moment]:
        hits = client.get("/api/v1/search", params={"q": question, "limit": DEPTH}).json()["hits"]
        return [
            Moment(session_of[h["recording_id"]], h["start"], h["end"], h["play_from"])
            for h in hits
        ]

    return rank


def index_ranker(runtime: Runtime, session_of: dict[str, str], *, dense: bool) -> Ranker:
    with runtime.sessions() as session:
        terms = list_terms(session)

    def rank(question: str) -> list[Moment]:
        if dense:
            vectors: dict[str, Any] = {
                "dense": [float(x) for x in runtime.dense.embed([question])[0]],
                "sparse": None,
            }
        else:
            expanded = expand_query(question, terms)
            vectors = {"dense": None, "sparse": runtime.sparse.embed_query(expanded)}
        fields = ["recording_id", "start", "end"]
        hits = runtime.index.search(vectors["dense"], vectors["sparse"], 100, fields=fields)
        return distinct(
            [
                Moment(
                    session_of[str(h.payload["recording_id"])],
                    float(h.payload["start"]),
                    float(h.payload["end"]),
                )
                for h in hits
            ]
        )[:DEPTH]

    return rank


def plain_ranker(client: TestClient, runtime: Runtime, session_of: dict[str, str]) -> Ranker:
    """Fixed 80-word windows of each transcript, dense vectors, cosine: no passages, no BM25."""
    windows: list[Moment] = []
    texts: list[str] = []
    for recording_id, sid in session_of.items():
        segments = client.get(f"/api/v1/recordings/{recording_id}/transcript").json()["segments"]
        words = [w for s in segments for w in s["words"]]
        for at in range(0, len(words), WINDOW_WORDS):
            window = words[at : at + WINDOW_WORDS]
            windows.append(Moment(sid, window[0]["start"], window[-1]["end"]))
            texts.append(" ".join(w["word"].strip() for w in window))
    matrix = _unit(np.asarray(runtime.dense.embed(texts), dtype=np.float32))

    def rank(question: str) -> list[Moment]:
        query = _unit(np.asarray(runtime.dense.embed([question]), dtype=np.float32))[0]
        order = np.argsort(-(matrix @ query))[:DEPTH]
        return [windows[i] for i in order]

    return rank


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)


def kinds_of(asked: list[Question]) -> list[str]:
    """The question kinds of a set, in the order they first occur (each set has its own:
    paraphrase, keyword, goal, cause_effect, progress, code…)."""
    return list(dict.fromkeys(q.kind for q in asked))


def report(name: str, ranker: Ranker, asked: list[Question]) -> None:
    rankings = [ranker(q.text) for q in asked]
    ranks = [first_right(r, q) for r, q in zip(rankings, asked, strict=True)]
    lengths = [m.end - m.start for r in rankings for m in r]
    cells = [f"{name:34}", "{:.2f}  {:.2f}  {:.2f}".format(*scores(ranks))]
    for kind in kinds_of(asked):
        picked = [r for r, q in zip(ranks, asked, strict=True) if q.kind == kind]
        cells.append("{:.2f} {:.2f} {:.2f}".format(*scores(picked)))
    cells.append(f"{statistics.median(lengths):5.1f} s")
    plays = landings(rankings, asked)
    for away in (
        [abs(play - q.start) for play, q in plays],
        [to_answer(play, q) for play, q in plays],
    ):
        if away:
            cells.append(
                f"{statistics.median(away):4.1f} {float(np.percentile(away, 90)):4.1f} "
                f"{sum(1 for a in away if a <= 5) / len(away):4.2f}"
            )
    print("  ".join(cells), flush=True)


def landings(
    rankings: Sequence[Sequence[Moment]], asked: list[Question]
) -> list[tuple[float, Question]]:
    """For each question with a right hit in the top 5, where that first right hit plays from."""
    plays = []
    for ranking, question in zip(rankings, asked, strict=True):
        rank = first_right(ranking, question)
        if rank is not None and rank <= 5:
            plays.append((ranking[rank - 1].plays_from, question))
    return plays


def to_answer(play: float, question: Question) -> float:
    """Seconds from ``play`` to the answering turn: none inside it, else to its nearer end
    (before it, the lead-up a listener hears first; after it, the answer was missed)."""
    if question.start <= play <= question.end:
        return 0.0
    return question.start - play if play < question.start else play - question.end


def show_misses(ranker: Ranker, asked: list[Question], text_of: Callable[[Moment], str]) -> None:
    for question in asked:
        ranking = ranker(question.text)
        if ranking and is_right(ranking[0], question):
            continue
        rank = first_right(ranking, question)
        top = ranking[0] if ranking else None
        print(f"\n[{question.kind}] {question.text}  (answer {question.session} "
              f"{question.start:.0f}-{question.end:.0f} s; first right at {rank})")  # fmt: skip
        if top:
            print(f"  ranked first: {top.session} {top.start:.0f}-{top.end:.0f} s: {text_of(top)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="keep (or reuse) the library in this folder")
    parser.add_argument("--misses", action="store_true", help="list Baton's misses at rank 1")
    add_corpus_option(parser)
    args = parser.parse_args()
    announce(args.corpus)
    asked = questions(args.corpus)
    programme_file = args.corpus / "programme.json"
    programme = json.loads(programme_file.read_text()) if programme_file.is_file() else None
    with tempfile.TemporaryDirectory(prefix="baton-bench-retrieval-") as folder:
        settings = admin_settings(args.data or Path(folder) / "data")
        with TestClient(create_app(settings)) as client:
            client.headers.update(bearer(client, ADMIN_EMAIL, ADMIN_PASSWORD))
            loaded = load_demo(client, args.corpus / "audio", say=print, programme=programme)
            for recording_id in loaded.recordings.values():
                assert wait_until_settled(client, recording_id, timeout=3600)["status"] == "ready"
            session_of = {rid: sid for sid, rid in loaded.recordings.items()}
            runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
            print(
                f"\ntranscripts: {settings.whisper_model}, refined with "
                f"{settings.whisper_refine_model or 'nothing'}; embeddings: "
                f"{settings.embedding_model}"
            )
            print(
                f"{len(asked)} questions; a hit is right when it overlaps the answering turn "
                f"and lasts at most {MOST_SECONDS:.0f} s"
            )
            header = "".join(f"  {k:>14}" for k in kinds_of(asked))
            print(
                f"{'':34}  R@1   R@5   MRR{header}  median hit  landing to the turn's "
                "start: median p90 within 5 s; to the answer: same"
            )
            rankers = {
                "Baton search (API)": api_ranker(client, session_of),
                "dense only (Baton's passages)": index_ranker(runtime, session_of, dense=True),
                "BM25 only (Baton's passages)": index_ranker(runtime, session_of, dense=False),
                "plain: 80-word windows, dense": plain_ranker(client, runtime, session_of),
            }
            for name, ranker in rankers.items():
                report(name, ranker, asked)
            if args.misses:
                texts = {
                    (session_of[h["recording_id"]], h["start"]): h["text"]
                    for q in asked
                    for h in client.get("/api/v1/search", params={"q": q.text}).json()["hits"]
                }
                show_misses(
                    rankers["Baton search (API)"],
                    asked,
                    lambda m: texts.get((m.session, m.start), "")[:240],
                )


if __name__ == "__main__":
    main()
