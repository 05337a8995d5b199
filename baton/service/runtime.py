"""Everything a Baton process holds once: settings, database, index, models and job queue.

Built once per process (the server, a worker, a CLI command) and passed down; the models
load lazily, so a command that never transcribes never pays for loading Whisper.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from baton.models.sparse import SparseEmbedder
from baton.models.speech import SpeechModel, SpeechModelConfig
from baton.models.text_embedding import TextEmbedder
from baton.models.voice import VoiceEncoder
from baton.service.db import schema  # noqa: F401 - every table mapped before first use
from baton.service.db.engine import make_engine, make_session_factory
from baton.service.db.migrate import upgrade_to_head
from baton.service.index.base import PassageIndex
from baton.service.index.factory import open_index
from baton.service.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSet:
    """The models; built once and shareable between runtimes (tests build many)."""

    speech: SpeechModel
    dense: TextEmbedder
    sparse: SparseEmbedder
    voices: VoiceEncoder

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelSet:
        return cls(
            speech=SpeechModel(
                SpeechModelConfig(
                    model=settings.whisper_model,
                    device=settings.whisper_device,
                    compute_type=settings.whisper_compute_type,
                    cpu_threads=settings.whisper_cpu_threads,
                    num_workers=settings.whisper_parallel_parts,
                )
            ),
            dense=TextEmbedder(settings.embedding_model),
            sparse=SparseEmbedder(),
            voices=VoiceEncoder(settings.speaker_device),
        )


@dataclass
class Runtime:
    """The process's long-lived parts."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    index: PassageIndex
    speech: SpeechModel
    dense: TextEmbedder
    sparse: SparseEmbedder
    voices: VoiceEncoder
    _closed: bool = field(default=False, repr=False)
    _other_speech: dict[str, SpeechModel] = field(default_factory=dict, repr=False)

    def speech_for(self, model: str | None) -> SpeechModel:
        """The configured speech model, or another one a re-transcription asked for by name."""
        if model is None or model == self.speech.config.model:
            return self.speech
        if model not in self._other_speech:
            self._other_speech[model] = SpeechModel(replace(self.speech.config, model=model))
        return self._other_speech[model]

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.index.close()
            self.engine.dispose()


def build_runtime(settings: Settings, models: ModelSet | None = None) -> Runtime:
    """Create the data folders, migrate the database and open the index."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    upgrade_to_head(settings.sqlalchemy_url)
    engine = make_engine(settings.sqlalchemy_url)
    models = models or ModelSet.from_settings(settings)
    index = open_index(settings.qdrant_url, settings.qdrant_api_key, settings.edge_index_dir)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        index=index,
        speech=models.speech,
        dense=models.dense,
        sparse=models.sparse,
        voices=models.voices,
    )
    index.ensure_ready(models.dense.dimension)
    log.info("runtime ready: data in %s", settings.data_dir.resolve())
    return runtime
