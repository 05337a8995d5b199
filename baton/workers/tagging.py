"""Match passages to goals and topics, with the evidence a person needs to confirm the tag.

Each passage is scored against each target (a pair's goal, or a curated topic):

    score = (1 - WORD_WEIGHT) * similarity + WORD_WEIGHT * word_match

``similarity`` is the cosine between the passage's embedding and the target's (its title and
description); ``word_match`` is how many of the target's own words (title words, keywords,
synonyms) the passage says, saturating at ``words_to_saturate``. Meaning alone tags
near-misses (two goals of one pair both speak of "the press"), words alone miss paraphrase,
together they agree with a reader. A passage takes a target when its score clears the
threshold and comes within ``margin`` of its best target of that kind, so a passage about
lockout is not also tagged to every other goal of the pair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from baton.models.text_embedding import Vectors

WORD_WEIGHT = 0.35

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOPWORDS = frozenset(
    """a about after again all also an and any are as at be because been before being both but
    by can could did do does doing done down each even every few for from get gets getting got
    had has have having he her here him his how i if in into is it its just know let like make
    me more most much my need new no not now of off on once one only or other our out over own
    really right same see she should show so some such than that the their them then there these
    they thing things this those through to too up us use used using very want was way we well
    were what when where which while who why will with would you your""".split()  # noqa: SIM905 - a word list reads best as text
)


@dataclass(frozen=True)
class TagTarget:
    """Something passages can be tagged to: ``text`` is embedded, ``terms`` are its own words
    (single words or phrases) looked for in the passage."""

    id: str
    text: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class TagSuggestion:
    passage: int
    target_id: str
    score: float
    similarity: float
    matched_words: tuple[str, ...]


@dataclass(frozen=True)
class TagRule:
    threshold: float
    margin: float = 0.04
    words_to_saturate: int = 3


def target_terms(*texts: str) -> tuple[str, ...]:
    """The content words and phrases of a goal's title or a topic's keywords, deduplicated."""
    terms: dict[str, None] = {}
    for text in texts:
        phrase = " ".join(_WORD.findall(text.casefold()))
        words = [w for w in phrase.split() if w not in _STOPWORDS and len(w) > 1]
        if len(words) > 1 and len(phrase.split()) <= 4:
            terms.setdefault(phrase)
        for word in words:
            terms.setdefault(word)
    return tuple(terms)


def matched_terms(passage: str, terms: Sequence[str]) -> tuple[str, ...]:
    """Which of ``terms`` the passage says (whole words; a trailing plural 's' is ignored)."""
    said = " " + " ".join(_stem(w) for w in _WORD.findall(passage.casefold())) + " "
    return tuple(t for t in terms if f" {' '.join(_stem(w) for w in t.split())} " in said)


def suggest_tags(
    passages: Sequence[str],
    passage_vectors: Vectors,
    targets: Sequence[TagTarget],
    target_vectors: Vectors,
    rule: TagRule,
) -> list[TagSuggestion]:
    """Every (passage, target) whose evidence clears ``rule``; scores rounded to 4 places."""
    if not passages or not targets:
        return []
    similarity = np.asarray(passage_vectors) @ np.asarray(target_vectors).T
    suggestions = []
    for p, text in enumerate(passages):
        scored = []
        for t, target in enumerate(targets):
            words = matched_terms(text, target.terms)
            word_match = min(1.0, len(_single_words(words)) / rule.words_to_saturate)
            sim = float(similarity[p, t])
            score = (1 - WORD_WEIGHT) * sim + WORD_WEIGHT * word_match
            scored.append((score, sim, target.id, words))
        best = max(score for score, *_ in scored)
        for score, sim, target_id, words in scored:
            if score >= rule.threshold and score >= best - rule.margin:
                suggestions.append(
                    TagSuggestion(p, target_id, round(score, 4), round(sim, 4), words)
                )
    return suggestions


def _single_words(terms: tuple[str, ...]) -> set[str]:
    """Words behind the matched terms, so a phrase and its own words count once each."""
    return {word for term in terms for word in term.split()}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
