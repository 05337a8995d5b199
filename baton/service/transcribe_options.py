"""How settings become faster-whisper decoding options (chosen by ``bench/whisper_frontier.py``)."""

from __future__ import annotations

from baton.service.settings import Settings
from baton.workers.transcribe import TranscribeOptions


def transcribe_options(settings: Settings) -> TranscribeOptions:
    return TranscribeOptions(
        beam_size=settings.whisper_beam_size,
        batch_size=settings.whisper_batch_size,
    )
