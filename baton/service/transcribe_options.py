"""How settings and the glossary become faster-whisper decoding options (chosen with
``bench/whisper_frontier.py``, ``bench/ingest.py`` and ``bench/glossary.py``; the numbers are
in BENCHMARKS.md)."""

from __future__ import annotations

from baton.service.curation.glossary import glossary_prompt, hotwords
from baton.service.db.curation import GlossaryTerm
from baton.service.settings import Settings
from baton.workers.transcribe import TranscribeOptions


def transcribe_options(
    settings: Settings, glossary: list[GlossaryTerm] | None = None
) -> TranscribeOptions:
    """The decoding options; the glossary primes Whisper as its settings say (off by default:
    on the corpus both ways raised the word error rate more than they helped the terms)."""
    terms = glossary or []
    use = settings.glossary_in_transcription
    return TranscribeOptions(
        beam_size=settings.whisper_beam_size,
        best_of=settings.whisper_best_of,
        no_repeat_ngram_size=settings.whisper_no_repeat_ngram_size,
        batch_size=settings.whisper_batch_size,
        parallel_parts=settings.whisper_parallel_parts,
        max_part_seconds=settings.whisper_max_part_seconds,
        fill_gaps=settings.whisper_fill_gaps,
        initial_prompt=glossary_prompt(terms) if use == "prompt" else None,
        hotwords=hotwords(terms) if use == "hotwords" else None,
    )
