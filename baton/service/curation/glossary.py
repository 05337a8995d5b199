"""The glossary: the programme's own words, given to transcription and to search.

Whisper ``tiny.en`` mishears shop-floor codes ("P4" as "before", "tundish" as "tonnish");
passing the terms as hotwords primes the decoder with their spelling. In search, a query that
says a term or one of its synonyms also looks for the others (BM25 query expansion), so
"LOTO" finds passages that say "lockout-tagout".
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baton.service.curation.forms import GlossaryChanges, GlossaryFields
from baton.service.db.curation import GlossaryTerm
from baton.service.db.lookup import get_or_refuse
from baton.service.errors import Conflict, flush_or_conflict

# Whisper's prompt holds about 220 tokens; the hotwords share it with the previous text.
HOTWORDS_MAX_CHARS = 300


def create_term(session: Session, fields: GlossaryFields) -> GlossaryTerm:
    _term_free(session, fields.term)
    term = GlossaryTerm(id=str(uuid.uuid4()), **fields.model_dump())
    session.add(term)
    flush_or_conflict(session, f"The glossary already has {fields.term!r}.")
    return term


def update_term(session: Session, term_id: str, changes: GlossaryChanges) -> GlossaryTerm:
    term = get_term(session, term_id)
    values = changes.model_dump(exclude_unset=True)
    if values.get("term") and values["term"].casefold() != term.term.casefold():
        _term_free(session, values["term"])
    for key, value in values.items():
        if value is not None:
            setattr(term, key, value)
    flush_or_conflict(session, f"The glossary already has {term.term!r}.")
    return term


def delete_term(session: Session, term_id: str) -> None:
    session.delete(get_term(session, term_id))


def get_term(session: Session, term_id: str) -> GlossaryTerm:
    return get_or_refuse(session, GlossaryTerm, term_id, "glossary term")


def list_terms(session: Session) -> list[GlossaryTerm]:
    return list(session.scalars(select(GlossaryTerm).order_by(func.lower(GlossaryTerm.term))))


def hotwords(terms: list[GlossaryTerm]) -> str | None:
    """The terms as one hotword string for Whisper, shortest first, within the prompt budget."""
    words: list[str] = []
    length = 0
    for term in sorted((t.term for t in terms), key=len):
        if length + len(term) + 1 > HOTWORDS_MAX_CHARS:
            break
        words.append(term)
        length += len(term) + 1
    return " ".join(words) or None


def glossary_prompt(terms: list[GlossaryTerm]) -> str | None:
    """The terms as an initial prompt ("Glossary: P4, IH-2, ..."), within the prompt budget."""
    words = hotwords(terms)
    return f"Glossary: {', '.join(words.split(' '))}." if words else None


def expand_query(query: str, terms: list[GlossaryTerm]) -> str:
    """The query plus the other spellings of every glossary term it says."""
    extra: list[str] = []
    for term in terms:
        spellings = [term.term, *term.synonyms]
        if any(_says(query, s) for s in spellings):
            extra += [s for s in spellings if not _says(query, s)]
    return " ".join([query, *extra])


def _forms(text: str) -> set[str]:
    """Lowercase words, with joined parts both closed up and apart: 'V-204' reads as 'v204'
    and 'v 204', so a query matches however the code was typed."""
    text = text.casefold()
    joiner = r"(?<=[a-z0-9])[-/](?=[a-z0-9])"
    return {" ".join(re.findall(r"[a-z0-9]+", re.sub(joiner, glue, text))) for glue in ("", " ")}


def _says(text: str, spelling: str) -> bool:
    said = {f" {form} " for form in _forms(text)}
    return any(form and any(f" {form} " in s for s in said) for form in _forms(spelling))


def _term_free(session: Session, term: str) -> None:
    taken = session.scalars(
        select(GlossaryTerm.id).where(func.lower(GlossaryTerm.term) == term.casefold())
    ).first()
    if taken:
        raise Conflict(f"The glossary already has {term!r}: add a synonym to it instead.")
