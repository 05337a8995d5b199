"""Partner suggestions: who complements a person best, in both directions, and why.

Two-way mentoring works when each side has something the other wants. For a person A and a
candidate B, we match what B can teach against what A wants to learn, and the reverse. Skills
are free text, so two skills match when they share a content word ("Python" and "SPC charts in
Python") or when their MiniLM embeddings are close ("ladle temperature control" and "ladle
metallurgy", cosine 0.56). Candidates with matches both ways rank first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from baton.models.text_embedding import TextEmbedder
from baton.service.db.programme import Pair, Person
from baton.service.programme.people import get_person

# Cosine similarity at which two differently worded skills count as the same (MiniLM).
SIMILAR_SKILLS = 0.5
# A shared content word is strong evidence even when the phrases are far apart as wholes.
SHARED_WORD_SCORE = 0.6
_STOPWORDS = frozenset(
    {"a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "how", "from", "by"}
    | {"at", "or", "into", "using", "use", "basics", "skills"}
)


@dataclass(frozen=True)
class SkillMatch:
    """``skill`` (what the teacher offers) answers ``wanted`` (what the learner asked for)."""

    skill: str
    wanted: str
    score: float


@dataclass(frozen=True)
class PartnerSuggestion:
    person: Person
    score: float
    they_teach: list[SkillMatch]
    you_teach: list[SkillMatch]
    reason: str


def suggest_partners(
    session: Session, embedder: TextEmbedder, person_id: str, limit: int = 10
) -> list[PartnerSuggestion]:
    """Rank everyone not already in an active pair with the person; best complement first."""
    person = get_person(session, person_id)
    current = _active_partner_ids(session, person_id)
    candidates = [
        p for p in session.scalars(select(Person)) if p.id != person_id and p.id not in current
    ]
    skills = {s for p in [person, *candidates] for s in [*p.skills_to_teach, *p.skills_to_learn]}
    vectors = dict(zip(sorted(skills), embedder.embed(sorted(skills)), strict=True))
    suggestions = []
    for candidate in candidates:
        they_teach = _matches(candidate.skills_to_teach, person.skills_to_learn, vectors)
        you_teach = _matches(person.skills_to_teach, candidate.skills_to_learn, vectors)
        if not they_teach and not you_teach:
            continue
        score = sum(m.score for m in they_teach) + sum(m.score for m in you_teach)
        suggestions.append(
            PartnerSuggestion(
                person=candidate,
                score=round(score, 3),
                they_teach=they_teach,
                you_teach=you_teach,
                reason=_reason(person, candidate, they_teach, you_teach),
            )
        )
    suggestions.sort(key=lambda s: (bool(s.they_teach and s.you_teach), s.score), reverse=True)
    return suggestions[:limit]


def _matches(
    offered: list[str], wanted: list[str], vectors: dict[str, np.ndarray]
) -> list[SkillMatch]:
    """For each wanted skill, the best offered skill that answers it, if any does."""
    found = []
    for want in wanted:
        best: SkillMatch | None = None
        for skill in offered:
            score = _skill_score(skill, want, vectors)
            if score is not None and (best is None or score > best.score):
                best = SkillMatch(skill=skill, wanted=want, score=round(score, 3))
        if best is not None:
            found.append(best)
    return found


def _skill_score(skill: str, want: str, vectors: dict[str, np.ndarray]) -> float | None:
    if skill.casefold() == want.casefold():
        return 1.0
    similarity = float(np.dot(vectors[skill], vectors[want]))
    if _content_words(skill) & _content_words(want):
        similarity = max(similarity, SHARED_WORD_SCORE)
    return similarity if similarity >= SIMILAR_SKILLS else None


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9][a-z0-9+#.-]*", text.casefold()) if w not in _STOPWORDS}


def _reason(
    person: Person, candidate: Person, they_teach: list[SkillMatch], you_teach: list[SkillMatch]
) -> str:
    parts = []
    if they_teach:
        parts.append(f"{candidate.name} can teach {person.name} {_listed(they_teach)}")
    if you_teach:
        parts.append(f"{person.name} can teach {candidate.name} {_listed(you_teach)}")
    sentence = "; ".join(parts) + "."
    if not (they_teach and you_teach):
        sentence += " Only one way so far: look for something the other side can teach back."
    return sentence


def _listed(matches: list[SkillMatch]) -> str:
    described = [
        m.skill if m.skill.casefold() == m.wanted.casefold() else f"{m.skill} (wanted: {m.wanted})"
        for m in matches
    ]
    return ", ".join(described)


def _active_partner_ids(session: Session, person_id: str) -> set[str]:
    pairs = session.scalars(
        select(Pair).where(
            Pair.status == "active",
            or_(Pair.first_member_id == person_id, Pair.second_member_id == person_id),
        )
    )
    return {member for pair in pairs for member in pair.member_ids if member != person_id}
