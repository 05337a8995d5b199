"""The demo's data, installed with the package: the programme, six recorded sessions, the truth
of every turn in them and questions that they answer.

It ships inside ``baton`` (not beside the checkout) so that ``baton demo`` fills a library from
a wheel or the Docker image as well as from a clone; the tests and the default benchmarks read
the same folder. ``corpus/README.md`` says where it comes from and under which licence.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from baton.workers.media import MEDIA_SUFFIXES


def demo_corpus() -> Path:
    """The folder holding ``programme.json``, ``questions.jsonl``, ``audio/`` and ``sessions/``."""
    return Path(str(files("baton.service.demo").joinpath("corpus")))


def demo_programme() -> dict[str, Any]:
    """People, pairs, goals, sessions, topics and glossary of the demo programme."""
    data: dict[str, Any] = json.loads((demo_corpus() / "programme.json").read_text())
    return data


def session_media(audio_dir: Path, session: str) -> Path | None:
    """The recording of ``session`` (a file stem such as ``s04``) in ``audio_dir``, whatever
    container it came in: ``s04.ogg`` here, ``s04.wav`` in another copy of the corpus."""
    found = sorted(p for p in audio_dir.glob(f"{session}.*") if p.suffix.lower() in MEDIA_SUFFIXES)
    return found[0] if found else None


def read_questions(corpus: Path) -> list[dict[str, Any]]:
    """The questions of a corpus folder's ``questions.jsonl``, each naming its session and the
    index of the turn that answers it."""
    lines = (corpus / "questions.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def read_truth_turns(corpus: Path, session: str) -> list[dict[str, Any]]:
    """Every turn of ``session`` in a corpus folder: speaker, start and end second, text."""
    turns: list[dict[str, Any]] = json.loads(
        (corpus / "audio" / f"{session}.truth.json").read_text()
    )["turns"]
    return turns


SUGGESTED = ("q07", "q31", "q44")
"""Questions ``baton demo`` prints, one for each pair; a test asks each of the ingested demo."""


def suggested_questions() -> list[dict[str, Any]]:
    by_id = {q["id"]: q for q in read_questions(demo_corpus())}
    return [by_id[key] for key in SUGGESTED]
