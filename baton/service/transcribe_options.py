"""How settings become faster-whisper decoding options (chosen with ``bench/whisper_frontier.py``
and ``bench/ingest.py``; the numbers are in BENCHMARKS.md)."""

from __future__ import annotations

from baton.service.settings import Settings
from baton.workers.transcribe import TranscribeOptions


def transcribe_options(settings: Settings) -> TranscribeOptions:
    return TranscribeOptions(
        beam_size=settings.whisper_beam_size,
        best_of=settings.whisper_best_of,
        no_repeat_ngram_size=settings.whisper_no_repeat_ngram_size,
        batch_size=settings.whisper_batch_size,
        parallel_parts=settings.whisper_parallel_parts,
    )
