"""After a correction, bring only the passages it touched up to date: text, speakers, vectors;
and the sentences it changed (the others keep their vectors).

A passage keeps its place (id, start, end); its words are read again from the segments under
it, then it is embedded and written to the index again with the same point id. Passages the
correction did not reach keep their vectors untouched. Tags are then re-suggested, since the
evidence they rest on may have changed.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from baton.service.answers import embed_sentences, replace_sentences
from baton.service.db.engine import transaction
from baton.service.db.tables import Passage as PassageRow
from baton.service.payloads import passage_fields, passage_point
from baton.service.runtime import Runtime
from baton.service.tagging import retag_recording
from baton.service.transcripts.store import segment_rows, to_segment
from baton.workers.embed import embed_passages
from baton.workers.speaker_labels import speaker_seconds
from baton.workers.transcript import Passage, join_words

log = logging.getLogger(__name__)


def refresh_passages(runtime: Runtime, recording_id: str, start: float, end: float) -> list[str]:
    """Re-read, re-embed and re-index the passages overlapping ``start``..``end``; their ids."""
    with transaction(runtime.sessions) as session:
        segments = [to_segment(row) for row in segment_rows(session, recording_id)]
        rows = list(
            session.scalars(
                select(PassageRow)
                .where(
                    PassageRow.recording_id == recording_id,
                    PassageRow.start < end,
                    PassageRow.end > start,
                )
                .order_by(PassageRow.position)
            )
        )
        passages = []
        for row in rows:
            words = tuple(
                w
                for s in segments
                for w in s.words
                if row.start <= (w.start + w.end) / 2 <= row.end
            )
            row.text = join_words(w.text for w in words)
            row.word_count = len(words)
            row.speakers = speaker_seconds(row.start, row.end, segments)
            passages.append(
                Passage(row.position, row.start, row.end, row.text, row.language or "en", words)
            )
        ids = {p.position: row.id for p, row in zip(passages, rows, strict=True)}
    if not passages:
        return []
    sentences = embed_sentences(runtime.sessions, runtime.dense, recording_id, segments)
    with transaction(runtime.sessions) as session:
        replace_sentences(session, recording_id, sentences)
    with runtime.sessions() as session:
        fields = passage_fields(session, recording_id)
    embedded = embed_passages(
        passages, runtime.dense, runtime.sparse, runtime.settings.embedding_batch_size
    )
    runtime.index.upsert(
        [
            passage_point(recording_id, point, e, fields[point])
            for e in embedded
            for point in [ids[e.passage.position]]
        ]
    )
    log.info(
        "recording=%s re-embedded %d passage(s) touched by a correction", recording_id, len(ids)
    )
    retag_recording(runtime, recording_id)
    return list(ids.values())
