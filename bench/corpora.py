"""Which corpus a benchmark reads, and reading it.

By default the demo's six sessions, which ship inside the package (``baton/service/demo/corpus``),
so a clone benchmarks with nothing beside it. ``--corpus DIR`` names any folder of the same
shape: ``audio/`` with each session's recording (``sNN.ogg``, ``tNN.wav``…) and its
``sNN.truth.json``, ``questions.jsonl``, and for some benchmarks ``programme.json`` and
``sessions/``. ``bench/second_corpus`` is the held-out set nobody tuned on; a copy of the corpus
in its first encodings may sit elsewhere (``--corpus ../shared/corpus`` in the team's workshop).
Every benchmark prints the corpus it read, so each number in BENCHMARKS.md can say its data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from baton.service.demo.bundled import demo_corpus, read_truth_turns
from baton.workers.media import MEDIA_SUFFIXES

DEMO = demo_corpus()
HELD_OUT = Path(__file__).resolve().parent / "second_corpus"


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEMO,
        help="a corpus folder (audio/, questions.jsonl …); default: the demo's, inside the "
        "package; bench/second_corpus is the held-out set",
    )


def announce(corpus: Path) -> None:
    """Say which data the numbers that follow come from."""
    name = "the demo corpus" if corpus.resolve() == DEMO.resolve() else str(corpus)
    sessions = ", ".join(path.stem for path in session_files(corpus))
    print(f"corpus: {name} ({sessions})", flush=True)


def session_files(corpus: Path, sessions: list[str] | None = None) -> list[Path]:
    """Each session's recording in ``corpus/audio`` (only those named in ``sessions``)."""
    found = sorted(
        path
        for path in (corpus / "audio").iterdir()
        if path.suffix.lower() in MEDIA_SUFFIXES and (sessions is None or path.stem in sessions)
    )
    return found


def reference_text(corpus: Path, session: str) -> str:
    """What was said in ``session``, as one text, for word error rates."""
    return " ".join(turn["text"] for turn in read_truth_turns(corpus, session))
