"""Decisions on tags survive re-processing, even when the passages are cut differently."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select

from baton.service.db.curation import Tag, Topic
from baton.service.db.engine import transaction
from baton.service.db.tables import Passage, Recording
from baton.service.index.base import IndexPoint
from baton.service.runtime import ModelSet, Runtime, build_runtime
from baton.service.settings import Settings
from baton.service.stages import passage_point_id
from baton.service.tagging import retag_recording

LOCKOUT = (
    "Before anyone touches the press we do the lockout: isolate the main breaker, put your own "
    "padlock on it, hang the tag with your name, then bleed the stored energy from the "
    "hydraulics and try the start button to prove it is dead."
)
CANTEEN = (
    "The canteen does a roast on Thursdays and the queue goes right round to the gatehouse, "
    "so most of the shift brings sandwiches and eats them in the mess room instead."
)


@pytest.fixture
def runtime(settings: Settings, models: ModelSet) -> Iterator[Runtime]:
    built = build_runtime(settings, models)
    yield built
    built.close()


def cut(runtime: Runtime, recording_id: str, spans: list[tuple[float, float, str]]) -> None:
    """Store and index the recording's passages, replacing any earlier cut."""
    with transaction(runtime.sessions) as session:
        session.execute(delete(Passage).where(Passage.recording_id == recording_id))
        session.add_all(
            Passage(
                id=passage_point_id(recording_id, n), recording_id=recording_id, position=n,
                start=start, end=end, text=text, language="en", word_count=len(text.split()),
            )
            for n, (start, end, text) in enumerate(spans)
        )  # fmt: skip
    texts = [text for _, _, text in spans]
    dense = runtime.dense.embed(texts)
    sparse = runtime.sparse.embed_documents(texts)
    runtime.index.delete_by({"recording_id": recording_id})
    runtime.index.upsert(
        [
            IndexPoint(
                passage_point_id(recording_id, n),
                [float(x) for x in dense[n]],
                sparse[n],
                {"recording_id": recording_id, "start": start, "end": end, "text": text},
            )
            for n, (start, end, text) in enumerate(spans)
        ]
    )


def topic_tags(runtime: Runtime, topic_id: str) -> list[Tag]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Tag).where(Tag.topic_id == topic_id)))


def test_a_rejection_holds_when_re_processing_cuts_the_passages_differently(
    runtime: Runtime,
) -> None:
    recording_id = str(uuid.uuid4())
    topic_id = str(uuid.uuid4())
    with transaction(runtime.sessions) as session:
        session.add(
            Recording(
                id=recording_id, title="P4", original_filename="p4.wav", size_bytes=1,
                sha256=uuid.uuid4().hex * 2,
            )
        )  # fmt: skip
        session.add(
            Topic(
                id=topic_id,
                name="Lockout-tagout",
                description="Isolating presses safely before work.",
                keywords=["lockout", "padlock", "isolate", "stored energy"],
                synonyms=["LOTO"],
            )
        )
    cut(runtime, recording_id, [(0.0, 30.0, LOCKOUT), (30.0, 50.0, CANTEEN)])
    retag_recording(runtime, recording_id)
    [suggested] = topic_tags(runtime, topic_id)
    assert (suggested.start, suggested.status) == (0.0, "suggested")
    assert {"lockout", "padlock"} <= set(suggested.matched_words)
    with transaction(runtime.sessions) as session:
        session.get(Tag, suggested.id).status = "rejected"  # type: ignore[union-attr]

    # Re-processing: a new cut whose first passage starts a little later and is longer.
    cut(runtime, recording_id, [(2.0, 34.0, LOCKOUT), (34.0, 50.0, CANTEEN)])
    retag_recording(runtime, recording_id)

    tags = topic_tags(runtime, topic_id)
    assert [(t.status, t.start) for t in tags] == [("rejected", 0.0)]
    assert runtime.index.count({"topic_ids": topic_id}) == 0


def test_a_confirmed_tag_follows_its_stretch_into_the_new_passage(runtime: Runtime) -> None:
    recording_id, topic_id = str(uuid.uuid4()), str(uuid.uuid4())
    with transaction(runtime.sessions) as session:
        session.add(
            Recording(
                id=recording_id, title="P4", original_filename="p4.wav", size_bytes=1,
                sha256=uuid.uuid4().hex * 2,
            )
        )  # fmt: skip
        session.add(Topic(id=topic_id, name="Lockout", keywords=["lockout", "padlock"]))
    cut(runtime, recording_id, [(10.0, 40.0, LOCKOUT)])
    retag_recording(runtime, recording_id)
    [tag] = topic_tags(runtime, topic_id)
    with transaction(runtime.sessions) as session:
        session.get(Tag, tag.id).status = "confirmed"  # type: ignore[union-attr]

    cut(runtime, recording_id, [(0.0, 9.0, CANTEEN), (9.0, 41.0, LOCKOUT)])
    retag_recording(runtime, recording_id)

    [kept] = topic_tags(runtime, topic_id)
    assert kept.status == "confirmed"
    assert kept.passage_id == passage_point_id(recording_id, 1)
    assert runtime.index.count({"topic_ids": topic_id}) == 1
