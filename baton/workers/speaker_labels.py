"""Give every transcript segment one speaker, splitting segments where the speaker changes.

Whisper cuts segments at pauses, not at speaker changes, so a quick reply can share a segment
with the question before it. Each word takes the speaker of the turn under its midpoint; a
segment whose words change speaker is cut there, so the transcript reads as speaker turns.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from baton.workers.speakers import Speakers, SpeakerTurn
from baton.workers.transcript import Segment, Transcript, Word, join_words

# A run this short inside another speaker's segment is more likely a window error than a reply.
_MIN_RUN_WORDS = 3


def label_segments(transcript: Transcript, speakers: Speakers) -> Transcript:
    """The transcript with a speaker on every segment (None where none could be found)."""
    if not speakers.turns:
        return transcript
    starts = [turn.start for turn in speakers.turns]
    segments: list[Segment] = []
    for segment in transcript.segments:
        if not segment.words:
            mid = (segment.start + segment.end) / 2
            segments.append(replace(segment, speaker=_speaker_at(mid, speakers.turns, starts)))
            continue
        labels = [_speaker_at((w.start + w.end) / 2, speakers.turns, starts) for w in segment.words]
        segments.extend(_split(segment, _absorb_short_runs(labels)))
    return replace(transcript, segments=tuple(segments))


def _speaker_at(moment: float, turns: Sequence[SpeakerTurn], starts: list[float]) -> str:
    """The turn holding ``moment``, else the nearest turn."""
    i = bisect.bisect_right(starts, moment) - 1
    candidates = [turns[j] for j in (i, i + 1) if 0 <= j < len(turns)]
    best = min(
        candidates,
        key=lambda t: (
            0.0 if t.start <= moment <= t.end else min(abs(moment - t.start), abs(moment - t.end))
        ),
    )
    return best.speaker


def _absorb_short_runs(labels: list[str]) -> list[str]:
    runs: list[list[int]] = []
    for i, label in enumerate(labels):
        if runs and labels[runs[-1][0]] == label:
            runs[-1].append(i)
        else:
            runs.append([i])
    if len(runs) == 1:
        return labels
    fixed = list(labels)
    for number, run in enumerate(runs):
        if len(run) >= _MIN_RUN_WORDS:
            continue
        neighbour = runs[number - 1] if number > 0 else runs[number + 1]
        for i in run:
            fixed[i] = fixed[neighbour[0]]
    return fixed


def _split(segment: Segment, labels: list[str]) -> list[Segment]:
    pieces: list[tuple[str, list[Word]]] = []
    for word, label in zip(segment.words, labels, strict=True):
        if pieces and pieces[-1][0] == label:
            pieces[-1][1].append(word)
        else:
            pieces.append((label, [word]))
    if len(pieces) == 1:
        return [replace(segment, speaker=pieces[0][0])]
    return [
        Segment(
            start=words[0].start,
            end=words[-1].end,
            text=join_words(w.text for w in words),
            words=tuple(words),
            speaker=label,
        )
        for label, words in pieces
    ]


def speaker_seconds(start: float, end: float, segments: Sequence[Segment]) -> dict[str, float]:
    """Seconds each speaker talks between ``start`` and ``end``, the main speaker first."""
    seconds: dict[str, float] = {}
    for segment in segments:
        overlap = min(end, segment.end) - max(start, segment.start)
        if segment.speaker and overlap > 0:
            seconds[segment.speaker] = seconds.get(segment.speaker, 0.0) + overlap
    ranked = sorted(seconds.items(), key=lambda item: -item[1])
    return {label: round(value, 2) for label, value in ranked}
