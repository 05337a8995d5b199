"""A recording's transcript as SubRip, WebVTT, plain text, Markdown and JSON.

Subtitles keep one cue per segment (the recogniser's and speaker finder's cut); the reading
formats merge a speaker's consecutive segments into one turn, as a transcript reads.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass

from baton.service.exports.documents import ExportLine, RecordingDocument
from baton.service.exports.text import clock, cue_time, escape_markdown

# A cue must last a moment to be shown at all.
_MIN_CUE_SECONDS = 0.2
# One speaker's lines further apart than this start a new paragraph.
_TURN_GAP_SECONDS = 10.0


@dataclass(frozen=True)
class Turn:
    speaker: str | None
    start: float
    end: float
    text: str


def turns(lines: tuple[ExportLine, ...]) -> list[Turn]:
    """Consecutive lines by the same speaker, merged unless a long silence parts them."""
    merged: list[Turn] = []
    for line in lines:
        if not line.text.strip():
            continue
        if (
            merged
            and merged[-1].speaker == line.speaker
            and line.start - merged[-1].end <= _TURN_GAP_SECONDS
        ):
            last = merged[-1]
            merged[-1] = Turn(last.speaker, last.start, line.end, f"{last.text} {line.text}")
        else:
            merged.append(Turn(line.speaker, line.start, line.end, line.text))
    return merged


def _cues(doc: RecordingDocument) -> list[tuple[float, float, ExportLine]]:
    return [
        (line.start, max(line.end, line.start + _MIN_CUE_SECONDS), line)
        for line in doc.lines
        if line.text.strip()
    ]


def _one_line(text: str) -> str:
    """Cue text on one line: a blank line would end the cue early."""
    return " ".join(text.split())


def to_srt(doc: RecordingDocument) -> str:
    blocks = []
    for number, (start, end, line) in enumerate(_cues(doc), start=1):
        text = _one_line(line.text)
        if line.speaker:
            text = f"{_one_line(line.speaker)}: {text}"
        text = text.replace("-->", "->")
        blocks.append(f"{number}\n{cue_time(start, ',')} --> {cue_time(end, ',')}\n{text}\n")
    return "\n".join(blocks)


def to_webvtt(doc: RecordingDocument) -> str:
    title = _one_line(doc.title).replace("-->", "->")
    blocks = [f"WEBVTT - {title}\n" if title else "WEBVTT\n"]
    for start, end, line in _cues(doc):
        # Escaped text cannot hold "-->" (its ">" becomes "&gt;") nor a tag of its own.
        text = html.escape(_one_line(line.text), quote=False)
        if line.speaker:
            name = html.escape(_one_line(line.speaker), quote=False)
            text = f"<v {name}>{text}"
        blocks.append(f"{cue_time(start, '.')} --> {cue_time(end, '.')}\n{text}\n")
    return "\n".join(blocks)


def _heading_facts(doc: RecordingDocument) -> list[str]:
    facts = []
    if doc.held_on:
        facts.append(doc.held_on.isoformat())
    if doc.pair:
        facts.append(doc.pair)
    facts.append(clock(doc.duration))
    return facts


def to_text(doc: RecordingDocument) -> str:
    parts = [_one_line(doc.title), " · ".join(_heading_facts(doc)), ""]
    for turn in turns(doc.lines):
        prefix = f"{turn.speaker}: " if turn.speaker else ""
        parts.append(f"[{clock(turn.start)}] {prefix}{_one_line(turn.text)}\n")
    return "\n".join(parts)


def to_markdown(doc: RecordingDocument) -> str:
    parts = [
        f"# {escape_markdown(doc.title)}",
        "",
        " · ".join(escape_markdown(fact) for fact in _heading_facts(doc)),
        "",
    ]
    for turn in turns(doc.lines):
        moment = f"[{clock(turn.start)}](<{doc.link}&t={int(turn.start)}>)"
        who = f" **{escape_markdown(turn.speaker)}**:" if turn.speaker else ""
        parts.append(f"{moment}{who} {escape_markdown(turn.text)}\n")
    return "\n".join(parts)


def to_json(doc: RecordingDocument) -> str:
    body = {
        "recording_id": doc.recording_id,
        "title": doc.title,
        "duration": doc.duration,
        "language": doc.language,
        "held_on": doc.held_on.isoformat() if doc.held_on else None,
        "pair": doc.pair,
        "link": doc.link,
        "segments": [
            {"start": line.start, "end": line.end, "speaker": line.speaker, "text": line.text}
            for line in doc.lines
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


Renderer = Callable[[RecordingDocument], str]

FORMATS: dict[str, tuple[Renderer, str, str]] = {
    "srt": (to_srt, "application/x-subrip", "srt"),
    "vtt": (to_webvtt, "text/vtt", "vtt"),
    "txt": (to_text, "text/plain", "txt"),
    "md": (to_markdown, "text/markdown", "md"),
    "json": (to_json, "application/json", "json"),
}
"""Format name -> (renderer, media type, file extension)."""
