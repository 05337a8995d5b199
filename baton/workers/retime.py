"""Give corrected text word timings, keeping the recogniser's timing for every unchanged word.

A person fixing "valve V two oh four" to "valve V-204" changes a few words; the rest keep the
exact times Whisper found, so search still lands on the right moment. Changed or added words
share the time of the words they replace (or the gap they are inserted into).
"""

from __future__ import annotations

from difflib import SequenceMatcher

from baton.workers.transcript import Word


def retime_words(old: tuple[Word, ...], text: str, start: float, end: float) -> tuple[Word, ...]:
    """Words for ``text`` spoken between ``start`` and ``end``, aligned to the ``old`` words."""
    tokens = text.split()
    if not old:
        return _spread(tokens, start, end)
    matcher = SequenceMatcher(
        a=[_key(w.text) for w in old], b=[_key(t) for t in tokens], autojunk=False
    )
    words: list[Word] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            words.extend(
                Word(w.start, w.end, token, w.probability)
                for w, token in zip(old[i1:i2], tokens[j1:j2], strict=True)
            )
        elif j2 > j1:
            span_start = old[i1].start if i2 > i1 else (old[i1 - 1].end if i1 else start)
            span_end = old[i2 - 1].end if i2 > i1 else (old[i1].start if i1 < len(old) else end)
            words.extend(_spread(tokens[j1:j2], span_start, max(span_start, span_end)))
    return tuple(words)


def _spread(tokens: list[str], start: float, end: float) -> tuple[Word, ...]:
    """Tokens given equal shares of the time; a person typed them, so they are certain."""
    if not tokens:
        return ()
    step = (end - start) / len(tokens)
    return tuple(
        Word(round(start + i * step, 3), round(start + (i + 1) * step, 3), token, 1.0)
        for i, token in enumerate(tokens)
    )


def _key(token: str) -> str:
    return token.lower().strip(".,;:!?\"'()")
