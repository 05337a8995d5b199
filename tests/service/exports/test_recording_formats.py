"""Every transcript format parses back with a real parser and says who spoke when."""

from __future__ import annotations

import html
import json
from datetime import date, timedelta

import pytest
import srt
import webvtt

from baton.service.exports.documents import ExportLine, RecordingDocument
from baton.service.exports.recording_formats import (
    FORMATS,
    to_json,
    to_markdown,
    to_srt,
    to_text,
    to_webvtt,
)

LINK = "http://baton.test/#play=rec-1"


def document(*lines: ExportLine, title: str = "Ladle temperatures") -> RecordingDocument:
    return RecordingDocument(
        recording_id="rec-1",
        title=title,
        duration=3800.0,
        language="en",
        held_on=date(2026, 3, 10),
        pair="Graham Pickering & Priya Nair",
        link=LINK,
        lines=lines,
    )


SAMPLE = document(
    ExportLine(1.0, 4.25, "We tap at 1,640 degrees.", "Graham Pickering"),
    ExportLine(4.5, 6.0, "For S355?", "Priya Nair"),
    ExportLine(6.2, 9.0, "Yes, for S355.", "Graham Pickering"),
    ExportLine(3725.5, 3730.0, "And that is the hour.", "Graham Pickering"),
)
HOSTILE = document(
    ExportLine(0.0, 1.0, "a <b>bold</b> & --> arrow", "Speaker 1"),
    ExportLine(1.0, 1.0, "zero length", None),
    ExportLine(2.0, 3.0, "two\n\nparagraphs", "A <script>"),
)


def test_srt_parses_back_with_times_speakers_and_text() -> None:
    cues = list(srt.parse(to_srt(SAMPLE)))
    assert [c.index for c in cues] == [1, 2, 3, 4]
    assert cues[0].start == timedelta(seconds=1) and cues[0].end == timedelta(seconds=4.25)
    assert cues[0].content == "Graham Pickering: We tap at 1,640 degrees."
    assert cues[3].start == timedelta(hours=1, minutes=2, seconds=5.5)


def test_srt_survives_arrows_blank_lines_and_zero_length_segments() -> None:
    cues = list(srt.parse(to_srt(HOSTILE)))
    assert len(cues) == 3
    assert all(c.end > c.start for c in cues)
    assert cues[2].content == "A <script>: two paragraphs"


def test_webvtt_parses_back_with_voice_tags() -> None:
    captions = webvtt.WebVTT.from_string(to_webvtt(SAMPLE)).captions
    assert [c.voice for c in captions] == [
        "Graham Pickering",
        "Priya Nair",
        "Graham Pickering",
        "Graham Pickering",
    ]
    assert captions[0].raw_text == "<v Graham Pickering>We tap at 1,640 degrees."
    assert (captions[0].start, captions[0].end) == ("00:00:01.000", "00:00:04.250")
    assert captions[3].start == "01:02:05.500"


def test_webvtt_escapes_text_so_markup_and_arrows_cannot_break_cues() -> None:
    captions = webvtt.WebVTT.from_string(to_webvtt(HOSTILE)).captions
    assert len(captions) == 3
    assert html.unescape(captions[0].text) == "a <b>bold</b> & --> arrow"
    assert captions[1].voice is None
    assert html.unescape(captions[2].raw_text) == "<v A <script>>two paragraphs"


def test_json_holds_every_segment() -> None:
    body = json.loads(to_json(SAMPLE))
    assert body["held_on"] == "2026-03-10" and body["link"] == LINK
    assert [s["speaker"] for s in body["segments"]][:2] == ["Graham Pickering", "Priya Nair"]
    assert body["segments"][3]["start"] == 3725.5


def test_text_and_markdown_read_as_speaker_turns() -> None:
    text = to_text(SAMPLE)
    assert "[0:01] Graham Pickering: We tap at 1,640 degrees." in text
    assert "[1:02:05] Graham Pickering: And that is the hour." in text
    markdown = to_markdown(SAMPLE)
    assert markdown.startswith("# Ladle temperatures\n")
    assert f"[0:01](<{LINK}&t=1>) **Graham Pickering**: We tap at 1,640 degrees." in markdown
    assert f"[1:02:05](<{LINK}&t=3725>)" in markdown


def test_consecutive_lines_of_one_speaker_become_one_turn() -> None:
    doc = document(
        ExportLine(0.0, 1.0, "First.", "Graham"),
        ExportLine(1.0, 2.0, "Second.", "Graham"),
        ExportLine(2.0, 3.0, "Reply.", "Priya"),
    )
    assert to_text(doc).count("Graham:") == 1
    assert "Graham:** First. Second." not in to_markdown(doc)
    assert "**Graham**: First. Second." in to_markdown(doc)


def test_markdown_cannot_be_made_to_link_or_run_script() -> None:
    doc = document(
        ExportLine(0.0, 1.0, "[click](javascript:alert(1)) <script>alert(1)</script>", "#1"),
        title="# [title](http://evil)",
    )
    markdown = to_markdown(doc)
    assert "[click](" not in markdown and "<script>" not in markdown
    assert r"\[click\](javascript:alert(1)) \<script\>" in markdown
    assert markdown.startswith(r"# \# \[title\](http://evil)")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_transcript_without_speakers_exports_in_every_format(name: str) -> None:
    render, media_type, extension = FORMATS[name]
    doc = document(ExportLine(0.0, 2.0, "Nobody named.", None))
    out = render(doc)
    assert "Nobody named." in out and ": Nobody" not in out
    assert media_type and extension == name
