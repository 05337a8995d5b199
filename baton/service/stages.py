"""The ingest stages, in order: each runs one worker function and stores what it made.

Every stage has the same small shape (a name, its share of the job's progress, ``run``, and
``restore`` for stages whose output is stored), so the pipeline loop in ``pipeline.py`` can
record status after each and resume after a crash without knowing what any stage does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import imageio_ffmpeg
from sqlalchemy import delete, select

from baton.service.answers import EmbeddedSentence, embed_sentences, replace_sentences
from baton.service.curation.glossary import list_terms
from baton.service.db.engine import transaction
from baton.service.db.tables import Passage as PassageRow
from baton.service.db.tables import Recording
from baton.service.index.base import point_id
from baton.service.payloads import passage_fields, passage_point
from baton.service.runtime import Runtime
from baton.service.speakers.naming import name_automatically, store_speakers
from baton.service.tagging import retag_recording
from baton.service.transcribe_options import transcribe_options
from baton.service.transcripts.store import load_transcript, store_segments
from baton.service.transcripts.versions import begin_version, carry_edits, current_version
from baton.workers.embed import EmbeddedPassage, embed_passages
from baton.workers.media import (
    AudioArray,
    MediaError,
    MediaInfo,
    decode_audio,
    decode_channels,
    probe,
)
from baton.workers.passages import cut_passages, search_windows
from baton.workers.playable import make_playable_copy, why_unplayable
from baton.workers.speaker_labels import label_segments, speaker_seconds
from baton.workers.speakers import VoicesAhead, VoiceVector, find_speakers, speech_spans
from baton.workers.transcribe import transcribe
from baton.workers.transcript import Passage, Transcript

log = logging.getLogger(__name__)

Progress = Callable[[float], None]


@dataclass
class IngestContext:
    """What one job knows so far; each stage reads the fields earlier stages filled."""

    runtime: Runtime
    recording_id: str
    job_id: str
    media_path: Path
    playable_path: Path
    """Where a copy browsers can play goes, for a recording that needs one."""
    whisper_model: str | None = None
    """A model other than the configured one, when someone asked for a re-transcription."""
    version: int | None = None
    info: MediaInfo | None = None
    audio: AudioArray | None = None
    transcript: Transcript | None = None
    voices_ahead: dict[float, VoiceVector] = field(default_factory=dict)
    """Voice windows embedded during transcription, by start (see ``VoicesAhead``)."""
    passages: list[Passage] = field(default_factory=list)
    embedded: list[EmbeddedPassage] = field(default_factory=list)
    sentences: list[EmbeddedSentence] = field(default_factory=list)
    """Each sentence with its own vector, by which search finds the answer inside a hit."""

    def release(self) -> None:
        """Drop the large intermediate values (the decoded audio's mapping, vectors)."""
        self.audio = None
        self.voices_ahead = {}
        self.embedded = []
        self.sentences = []


class Stage(Protocol):
    name: str
    weight: float

    def run(self, ctx: IngestContext, progress: Progress) -> None: ...

    def restore(self, ctx: IngestContext) -> bool:
        """Load this stage's stored output into ``ctx``; False if it has none to load."""
        ...


class ProbeStage:
    name, weight = "probe", 0.01

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        settings = ctx.runtime.settings
        ctx.info = probe(ctx.media_path, max_duration=settings.max_duration_seconds)
        with transaction(ctx.runtime.sessions) as session:
            recording = session.get(Recording, ctx.recording_id)
            if recording is not None:
                recording.duration = ctx.info.duration
                recording.container = ctx.info.container
                recording.has_video = ctx.info.has_video

    def restore(self, ctx: IngestContext) -> bool:
        return False


class DecodeStage:
    name, weight = "decode", 0.03

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        expected = ctx.info.duration if ctx.info else None
        ctx.audio = decode_audio(
            ctx.media_path,
            expected_duration=expected,
            max_duration=ctx.runtime.settings.max_duration_seconds,
            scratch_dir=ctx.runtime.settings.scratch_dir,
        )

    def restore(self, ctx: IngestContext) -> bool:
        return False


class TranscribeStage:
    name, weight = "transcribe", 0.81

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        assert ctx.audio is not None, "decode runs before transcribe"
        with ctx.runtime.sessions() as session:
            glossary = list_terms(session)
        options = transcribe_options(ctx.runtime.settings, glossary)
        model = ctx.runtime.speech_for(ctx.whisper_model)
        # A stereo recording may hold one voice per channel, embedded per channel later.
        stereo = ctx.info is not None and ctx.info.stereo
        ahead = None
        if ctx.runtime.settings.find_speakers and not stereo:
            ahead = VoicesAhead(ctx.audio, ctx.runtime.voices)
        ctx.transcript = transcribe(
            ctx.audio, model, options, progress, on_part_done=ahead.add if ahead else None
        )
        ctx.voices_ahead = ahead.vectors if ahead else {}
        with transaction(ctx.runtime.sessions) as session:
            ctx.version = begin_version(session, ctx.recording_id, model.config.model, ctx.job_id)
            store_segments(session, ctx.recording_id, ctx.transcript.segments)
            recording = session.get(Recording, ctx.recording_id)
            if recording is not None:
                recording.language = ctx.transcript.language

    def restore(self, ctx: IngestContext) -> bool:
        return restore_transcript(ctx)


class SpeakersStage:
    """Who speaks when: segments get a speaker (split where it changes), voices get names."""

    name, weight = "speakers", 0.03

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        assert ctx.transcript is not None, "transcribe runs before speakers"
        settings = ctx.runtime.settings
        if settings.find_speakers:
            self._find(ctx)
        ctx.audio = None
        with transaction(ctx.runtime.sessions) as session:
            version = ctx.version or current_version(session, ctx.recording_id)
            carry_edits(session, ctx.recording_id, version)
            ctx.transcript = load_transcript(session, ctx.recording_id) or ctx.transcript

    def _find(self, ctx: IngestContext) -> None:
        assert ctx.transcript is not None
        settings = ctx.runtime.settings
        audio = ctx.audio
        if audio is None:  # resumed after the transcript was stored
            audio = decode_audio(ctx.media_path, scratch_dir=settings.scratch_dir)
        info = ctx.info or probe(ctx.media_path, max_duration=settings.max_duration_seconds)
        speakers = find_speakers(
            audio,
            speech_spans(ctx.transcript.segments),
            ctx.runtime.voices,
            channels=decode_channels(ctx.media_path) if info.stereo else None,
            max_speakers=settings.max_speakers,
            known=ctx.voices_ahead,
        )
        ctx.audio = None
        ctx.voices_ahead = {}
        ctx.transcript = label_segments(ctx.transcript, speakers)
        with transaction(ctx.runtime.sessions) as session:
            store_segments(session, ctx.recording_id, ctx.transcript.segments)
            store_speakers(session, ctx.recording_id, speakers)
            name_automatically(session, ctx.recording_id, settings.speaker_match_similarity)
        log.info(
            "recording=%s job=%s stage=speakers found %d by %s",
            ctx.recording_id,
            ctx.job_id,
            len(speakers.voices),
            speakers.method,
        )

    def restore(self, ctx: IngestContext) -> bool:
        return restore_transcript(ctx)


class PassagesStage:
    """The passages proper (phase 0) and the shifted cuts search ranks beside them."""

    name, weight = "passages", 0.01

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        assert ctx.transcript is not None, "transcribe runs before passages"
        settings = ctx.runtime.settings
        sizes = {"min_words": settings.passage_min_words, "max_words": settings.passage_max_words}
        passages = cut_passages(ctx.transcript, **sizes)
        windows = search_windows(ctx.transcript, passages, settings.passage_phases, **sizes)
        phases = [0] * len(passages) + [phase for phase, _ in windows]
        ctx.passages = [*passages, *(window for _, window in windows)]
        with transaction(ctx.runtime.sessions) as session:
            session.execute(delete(PassageRow).where(PassageRow.recording_id == ctx.recording_id))
            session.add_all(
                PassageRow(
                    id=passage_point_id(ctx.recording_id, p.position),
                    recording_id=ctx.recording_id,
                    position=p.position,
                    start=p.start,
                    end=p.end,
                    text=p.text,
                    language=p.language,
                    word_count=p.word_count,
                    speakers=speaker_seconds(p.start, p.end, ctx.transcript.segments),
                    phase=phase,
                )
                for p, phase in zip(ctx.passages, phases, strict=True)
            )

    def restore(self, ctx: IngestContext) -> bool:
        """The stored passages, and the transcript they were cut from (the embed stage also
        embeds its sentences)."""
        if not restore_transcript(ctx):
            return False
        with ctx.runtime.sessions() as session:
            rows = session.scalars(
                select(PassageRow)
                .where(PassageRow.recording_id == ctx.recording_id)
                .order_by(PassageRow.position)
            ).all()
        ctx.passages = [
            Passage(r.position, r.start, r.end, r.text, r.language or "en", ()) for r in rows
        ]
        return bool(rows)


class EmbedStage:
    """The passages' dense and BM25 vectors, and a dense vector for each sentence."""

    name, weight = "embed", 0.06

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        assert ctx.transcript is not None, "transcribe runs before embed"
        runtime = ctx.runtime
        ctx.embedded = embed_passages(
            ctx.passages, runtime.dense, runtime.sparse, runtime.settings.embedding_batch_size
        )
        ctx.sentences = embed_sentences(
            runtime.sessions, runtime.dense, ctx.recording_id, ctx.transcript.segments
        )

    def restore(self, ctx: IngestContext) -> bool:
        return False


class IndexStage:
    """Replace the recording's points and sentences: ids are stable, so a re-run never
    duplicates."""

    name, weight = "index", 0.02

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        index = ctx.runtime.index
        with ctx.runtime.sessions() as session:
            fields = passage_fields(session, ctx.recording_id)
        with transaction(ctx.runtime.sessions) as session:
            replace_sentences(session, ctx.recording_id, ctx.sentences)
        index.delete_by({"recording_id": ctx.recording_id})
        # Tags come next (the tag stage reads these vectors back); until then, none.
        untagged: dict[str, list[str]] = {"goal_ids": [], "topic_ids": []}
        index.upsert(
            [
                passage_point(ctx.recording_id, point, e, {**fields[point], **untagged})
                for e in ctx.embedded
                for point in [passage_point_id(ctx.recording_id, e.passage.position)]
            ]
        )

    def restore(self, ctx: IngestContext) -> bool:
        return False


class TagStage:
    """Suggest goal and topic tags with their evidence; decisions people made are kept."""

    name, weight = "tag", 0.01

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        retag_recording(ctx.runtime, ctx.recording_id)

    def restore(self, ctx: IngestContext) -> bool:
        return False


class PlayableCopyStage:
    """A copy browsers can play, for a recording they cannot (an AMR, a WMA, a phone's HEVC
    .mov): last, so the transcript is searchable first, and nothing at all for ordinary files.

    Made once: a copy already there is kept (a refining pass or a re-processing changes no
    sound; redaction silences the copy with the original). A failure is logged and the original
    is served as before: it never fails the transcript.
    """

    name, weight = "playable_copy", 0.02

    def run(self, ctx: IngestContext, progress: Progress) -> None:
        if ctx.playable_path.is_file():
            return
        tag = f"recording={ctx.recording_id} job={ctx.job_id} stage={self.name}"
        try:
            settings = ctx.runtime.settings
            info = ctx.info or probe(ctx.media_path, max_duration=settings.max_duration_seconds)
            reason = why_unplayable(info)
            if reason is None:
                return
            started = time.perf_counter()
            make_playable_copy(
                ctx.media_path, ctx.playable_path, info, imageio_ffmpeg.get_ffmpeg_exe(), progress
            )
        except MediaError as error:
            log.warning("%s no playable copy, the original is served: %s", tag, error.reason)
            return
        seconds = time.perf_counter() - started
        log.info("%s made a playable copy in %.1fs (%s)", tag, seconds, reason)

    def restore(self, ctx: IngestContext) -> bool:
        return False


def restore_transcript(ctx: IngestContext) -> bool:
    """Load the stored transcript (with speakers once found); False if there is none yet."""
    with ctx.runtime.sessions() as session:
        ctx.transcript = load_transcript(session, ctx.recording_id)
    return ctx.transcript is not None


def passage_point_id(recording_id: str, position: int) -> str:
    return point_id("passage", recording_id, str(position))


STAGES: tuple[Stage, ...] = (
    ProbeStage(),
    DecodeStage(),
    TranscribeStage(),
    SpeakersStage(),
    PassagesStage(),
    EmbedStage(),
    IndexStage(),
    TagStage(),
    PlayableCopyStage(),
)
