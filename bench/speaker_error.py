"""Score speaker labels against the corpus truth: the share of speech time given to the wrong
speaker, after matching each found speaker to the true speaker it overlaps most (one to one).

Time the transcript does not cover at all is reported apart as ``missed``: it is the
recogniser's gap, not a speaker mistake, and counting it would hide what this measure is for.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scipy.optimize import linear_sum_assignment

Span = tuple[float, float, str]


@dataclass(frozen=True)
class SpeakerScore:
    wrong_share: float
    """Wrongly labelled seconds over all seconds of true speech that got a label."""
    missed_share: float
    """Seconds of true speech under no labelled segment, over all true speech."""
    speakers_found: int
    mapping: dict[str, str]
    """Found label -> true speaker."""


def truth_turns(path: Path) -> list[Span]:
    turns = json.loads(path.read_text())["turns"]
    return [(float(t["start"]), float(t["end"]), str(t["speaker"])) for t in turns]


def score_speakers(truth: Sequence[Span], found: Iterable[Span]) -> SpeakerScore:
    found = [s for s in found if s[1] > s[0]]
    overlap: dict[tuple[str, str], float] = defaultdict(float)
    for t_start, t_end, true in truth:
        for f_start, f_end, label in found:
            seconds = min(t_end, f_end) - max(t_start, f_start)
            if seconds > 0:
                overlap[(true, label)] += seconds
    trues = sorted({t[2] for t in truth})
    labels = sorted({f[2] for f in found})
    gain = [[overlap[(t, label)] for label in labels] for t in trues]
    mapping: dict[str, str] = {}
    if trues and labels:
        rows, cols = linear_sum_assignment(gain, maximize=True)
        mapping = {labels[c]: trues[r] for r, c in zip(rows, cols, strict=True)}
    labelled = sum(overlap.values())
    right = sum(v for (true, label), v in overlap.items() if mapping.get(label) == true)
    speech = sum(end - start for start, end, _ in truth)
    covered = sum(_covered(start, end, found) for start, end, _ in truth)
    return SpeakerScore(
        wrong_share=(labelled - right) / labelled if labelled else 1.0,
        missed_share=1 - covered / speech if speech else 0.0,
        speakers_found=len(labels),
        mapping=mapping,
    )


def _covered(start: float, end: float, found: Sequence[Span]) -> float:
    pieces = sorted(
        (max(start, s), min(end, e)) for s, e, _ in found if min(end, e) > max(start, s)
    )
    total, reach = 0.0, start
    for a, b in pieces:
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total
