"""Where a right hit should start playing: rules for the answer inside a hit, tried offline.

Reads a library ``bench/retrieval.py --data DIR`` has kept, asks every question of the set
through the API as ``bench/retrieval.py`` does, and for each question whose first right hit is
in the top 5 tries each rule on that hit's stored sentences (their vectors, their speakers'
turn starts). Reports, per rule, the seconds from where playing starts to where the answering
turn begins, and to the answer (none when playing starts inside the answering turn): median,
90th percentile, share within 5 s. This is how
``search_answer_turn_reach`` and the scoring in ``service/answers.py`` were chosen; what
lands is then measured through the API by ``bench/retrieval.py``.

    .venv/bin/python -m bench.answer_levers --data DIR [--corpus DIR]

Rules: the passage's start (no answer); the sentence closest in meaning, played from itself
or from its speaker's turn when that began at most ``reach`` seconds before; the same with
the sentence's BM25 score on the question's words added to its cosine; either, where the
closest sentence is itself a question asked in the session, with the sentence after it; and
Baton's own ``answering`` over a grid of its ``Landing`` settings (the reply to a question asked
later, the number boost for a question asking for an amount).
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import select

from baton.service.answers import unpacked
from baton.service.api.app import create_app
from baton.service.db.tables import Recording, Sentence
from baton.service.runtime import Runtime
from baton.workers.answers import Landing, SpokenSentence, answering, play_from
from bench.corpora import add_corpus_option, announce
from bench.retrieval import DEPTH, Moment, Question, is_right, questions, to_answer
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, admin_settings
from tests.support.api import bearer

REACHES = (0.0, 8.0, 12.0, 20.0, 30.0, float("inf"))
KEYWORD_WEIGHTS = (0.0, 0.05)
REPLY_MARGINS = (0.0, 0.05, 0.08, 0.12, 0.16)
NUMBER_BOOSTS = (0.0, 0.05, 0.1, 0.15)


@dataclass(frozen=True)
class Stored:
    start: float
    end: float
    turn_start: float
    text: str
    vector: np.ndarray


Rule = Callable[[Question, Moment, list[Stored]], float]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a library bench.retrieval kept")
    add_corpus_option(parser)
    args = parser.parse_args()
    announce(args.corpus)
    asked = questions(args.corpus)
    settings = admin_settings(args.data)
    with TestClient(create_app(settings)) as client:
        client.headers.update(bearer(client, ADMIN_EMAIL, ADMIN_PASSWORD))
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        session_of = _sessions(runtime)
        found: list[tuple[Question, Moment, list[Stored]]] = []
        for question in asked:
            hits = client.get("/api/v1/search", params={"q": question.text, "limit": DEPTH}).json()[
                "hits"
            ]
            ranking = [
                (h["recording_id"], Moment(session_of[h["recording_id"]], h["start"], h["end"]))
                for h in hits
            ]
            right = next(((rid, m) for rid, m in ranking[:5] if is_right(m, question)), None)
            if right is not None:
                found.append((question, right[1], _sentences(runtime, *right)))
        vectors = dict(
            zip(
                [q.text for q, _, _ in found],
                runtime.dense.embed([q.text for q, _, _ in found]),
                strict=True,
            )
        )
        print(f"{len(found)} of {len(asked)} questions have a right hit in the top 5")
        print(f"{'rule':58} to the turn's start: median p90 within 5 s;  to the answer: same")
        for name, rule in rules(runtime, vectors).items():
            _report(name, [(rule(q, m, stored), q) for q, m, stored in found])


def rules(runtime: Runtime, vectors: dict[str, np.ndarray]) -> dict[str, Rule]:
    """Each rule by name: where a right hit plays from, given its stored sentences."""

    def closest(reach: float, weight: float, reply: bool, clamp: bool = False) -> Rule:
        def play(question: Question, moment: Moment, stored: list[Stored]) -> float:
            found = _answer_play(
                runtime, question, vectors[question.text], stored, reach, weight, reply
            )
            if found is None:
                return moment.start
            return max(found, moment.start) if clamp else found

        return play

    chosen: dict[str, Rule] = {"the passage's start": lambda q, moment, s: moment.start}
    for reply in (False, True):
        for weight in KEYWORD_WEIGHTS:
            for reach in REACHES:
                name = f"closest{', reply to a question' if reply else ''}, +{weight} x BM25"
                chosen[f"{name}, turn reach {reach:.0f} s"] = closest(reach, weight, reply)
    for reach in REACHES[1:5]:
        name = f"closest, reply to a question, reach {reach:.0f} s, not before the hit"
        chosen[name] = closest(reach, 0.0, True, clamp=True)
    for ahead in (0.3, 0.6, 1.0):
        for behind in (0.0, 0.3):
            name = f"closest after smoothing ({behind} before, {ahead} after), reply, reach 20 s"
            chosen[name] = _smoothed(vectors, behind, ahead)
    for margin in REPLY_MARGINS:
        for boost in NUMBER_BOOSTS:
            landing = Landing(turn_reach=20.0, reply_margin=margin, number_boost=boost)
            name = f"+ a later question's reply (margin {margin}), number boost {boost}"
            chosen[name] = _landing(vectors, landing)
    chosen["the turn whose sentences are closest on average"] = lambda q, moment, stored: (
        _best_turn(vectors[q.text], stored) or moment.start
    )
    return chosen


def _answer_play(
    runtime: Runtime,
    question: Question,
    vector: np.ndarray,
    stored: list[Stored],
    reach: float,
    keyword_weight: float,
    skip_questions: bool,
) -> float | None:
    if not stored:
        return None
    score = np.stack([s.vector for s in stored]) @ vector
    if keyword_weight:
        wanted = runtime.sparse.embed_query(question.text)
        weights = dict(zip(wanted.indices, wanted.values, strict=True))
        for n, document in enumerate(runtime.sparse.embed_documents([s.text for s in stored])):
            score[n] += keyword_weight * sum(
                v * weights[t] for t, v in zip(document.indices, document.values, strict=True)
                if t in weights
            )  # fmt: skip
    chosen = int(np.argmax(score))
    if skip_questions and stored[chosen].text.rstrip().endswith("?") and chosen + 1 < len(stored):
        chosen += 1  # the question someone asked in the session: play its reply
    best = stored[chosen]
    return best.turn_start if best.start - best.turn_start <= reach else best.start


def _landing(vectors: dict[str, np.ndarray], landing: Landing) -> Rule:
    """``workers/answers.py``'s own choice (``answering``, then ``play_from``) with
    ``landing``, on the stored sentences."""

    def play(question: Question, moment: Moment, stored: list[Stored]) -> float:
        if not stored:
            return moment.start
        said = [SpokenSentence(s.start, s.end, s.turn_start, s.text) for s in stored]
        score = (np.stack([s.vector for s in stored]) @ vectors[question.text]).tolist()
        return play_from(said[answering(said, score, question.text, landing)], landing.turn_reach)

    return play


def _smoothed(vectors: dict[str, np.ndarray], behind: float, ahead: float) -> Rule:
    """The closest sentence once each one's score takes in its neighbours' (an answer is
    rarely one sentence alone), with the reply to a question and a 20 s turn reach."""

    def play(question: Question, moment: Moment, stored: list[Stored]) -> float:
        if not stored:
            return moment.start
        score = np.stack([s.vector for s in stored]) @ vectors[question.text]
        padded = np.concatenate([[score[0]], score, [score[-1]]])
        smooth = score + behind * padded[:-2] + ahead * padded[2:]
        chosen = int(np.argmax(smooth))
        if stored[chosen].text.rstrip().endswith("?") and chosen + 1 < len(stored):
            chosen += 1
        best = stored[chosen]
        return best.turn_start if best.start - best.turn_start <= 20 else best.start

    return play


def _best_turn(vector: np.ndarray, stored: list[Stored]) -> float | None:
    """The start of the turn (within the hit) whose mean sentence vector is closest."""
    if not stored:
        return None
    by_turn: dict[float, list[np.ndarray]] = {}
    for sentence in stored:
        by_turn.setdefault(sentence.turn_start, []).append(sentence.vector)

    def closeness(turn: float) -> float:
        mean = np.mean(by_turn[turn], axis=0)
        return float(mean @ vector / max(float(np.linalg.norm(mean)), 1e-9))

    return max(by_turn, key=closeness)


def _sentences(runtime: Runtime, recording_id: str, moment: Moment) -> list[Stored]:
    with runtime.sessions() as session:
        rows = session.scalars(
            select(Sentence).where(
                Sentence.recording_id == recording_id,
                Sentence.start < moment.end,
                Sentence.end > moment.start,
            )
        ).all()
        return [
            Stored(
                r.start, r.end, r.turn_start, r.text,
                unpacked(r.vector),
            )
            for r in sorted(rows, key=lambda r: r.start)
            if moment.start <= (r.start + r.end) / 2 <= moment.end
        ]  # fmt: skip


def _sessions(runtime: Runtime) -> dict[str, str]:
    with runtime.sessions() as session:
        return {
            rid: Path(name).stem
            for rid, name in session.execute(select(Recording.id, Recording.original_filename))
        }


def _report(name: str, plays: list[tuple[float, Question]]) -> None:
    if not plays:
        return
    cells = [f"{name:58}"]
    for away in (
        [abs(play - q.start) for play, q in plays],
        [to_answer(play, q) for play, q in plays],
    ):
        within = sum(1 for a in away if a <= 5) / len(away)
        cells.append(
            f"{statistics.median(away):5.1f} {float(np.percentile(away, 90)):5.1f} {within:4.2f}"
        )
    print("   ".join(cells), flush=True)


if __name__ == "__main__":
    main()
