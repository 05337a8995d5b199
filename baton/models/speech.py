"""Speech-to-text with faster-whisper: one model per process, loaded on first use."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import ctranslate2
from faster_whisper import BatchedInferencePipeline, WhisperModel

from baton.models.bundled import BUNDLED_WHISPER, resolve

log = logging.getLogger(__name__)

SAMPLING_SEED = 20261122
"""Seed of the decoders' random generators. Whisper falls back to sampling when a window
decodes badly (repetition, low confidence), and CTranslate2 otherwise seeds each decoder
thread from the operating system: the same file could then come out differently from one
start of the server to the next. With a fixed seed a run repeats; what still varies is which
decoder thread takes which part, when both are busy."""


@dataclass(frozen=True)
class SpeechModelConfig:
    """Which weights to load and where to run them."""

    model: str = "tiny.en"
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0
    # Decoders that may run at once (faster-whisper's num_workers); one per parallel part.
    num_workers: int = 1
    # Benchmarks change it to see how much a result owes to chance (see SAMPLING_SEED).
    sampling_seed: int = SAMPLING_SEED


class SpeechModel:
    """A lazily loaded Whisper model, safe to share between threads.

    CTranslate2 serialises work on one model internally; the lock here only guards the
    one-time load, which takes seconds and must not run twice.
    """

    def __init__(self, config: SpeechModelConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._model: WhisperModel | None = None
        self._batched: BatchedInferencePipeline | None = None

    @property
    def whisper(self) -> WhisperModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    path = resolve(self.config.model, BUNDLED_WHISPER, "speech")
                    log.info("loading speech model %s from %s", self.config.model, path)
                    # Before any decoder thread draws its first number (its generator is
                    # seeded then, once, from this).
                    ctranslate2.set_random_seed(self.config.sampling_seed)
                    self._model = WhisperModel(
                        str(path),
                        device=self.config.device,
                        compute_type=self.config.compute_type,
                        cpu_threads=self.config.cpu_threads,
                        num_workers=self.config.num_workers,
                        local_files_only=True,
                    )
        return self._model

    @property
    def batched(self) -> BatchedInferencePipeline:
        if self._batched is None:
            model = self.whisper
            with self._lock:
                if self._batched is None:
                    self._batched = BatchedInferencePipeline(model=model)
        return self._batched

    @property
    def loaded(self) -> bool:
        return self._model is not None
