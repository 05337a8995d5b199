"""Who may call what: the rules routes are given, gathered here so that they read as a policy.

Every route under /api/v1 carries exactly one of these (as ``dependencies=`` on its router or
on the route); ``tests/service/accounts/test_authorization_matrix.py`` holds the same policy as
a table and calls every route of the OpenAPI document as every kind of caller.

Something a caller may not see answers 404, as an unknown id would, so that its existence does
not leak through the status; something they may see but not change answers 403.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import Depends
from sqlalchemy.orm import Session

from baton.service.accounts.audiences import STAFF_ROLES, may_see, member_pairs
from baton.service.api.callers import Caller, CallerDep, Forbidden, required_caller, with_role
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.db.programme import Goal, MentoringSession, Pair
from baton.service.db.tables import Recording
from baton.service.errors import not_found


def is_staff(caller: Caller) -> bool:
    return bool(caller.roles & STAFF_ROLES)


async def check_sees_recording(recording_id: str, caller: CallerDep, runtime: RuntimeDep) -> None:
    """The caller's audiences meet the recording's: its pair's members, its uploader, curators,
    and everyone once it is published."""

    def check(session: Session) -> None:
        recording = session.get(Recording, recording_id)
        if recording is not None and not may_see(session, caller, recording):
            raise not_found("recording", recording_id)

    await in_transaction(runtime, check)


def works_on(
    session: Session, caller: Caller, recording: Recording, pairs: Sequence[str] | None = None
) -> bool:
    """Curators, the members of the recording's pair and whoever uploaded it work on it; a
    learner who sees it in the library does not. ``pairs``: the caller's pairs, when a list
    of recordings has read them once already."""
    if is_staff(caller) or recording.uploaded_by == caller.user_id:
        return True
    meeting = session.get(MentoringSession, recording.session_id) if recording.session_id else None
    if meeting is None:
        return False
    return meeting.pair_id in (member_pairs(session, caller) if pairs is None else pairs)


def require_recording_member(session: Session, caller: Caller, recording_id: str) -> None:
    """Only those who work on the recording (``works_on``) may go on."""
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    if not works_on(session, caller, recording):
        raise Forbidden("Only a curator or a member of the recording's pair may do this.")


async def check_works_on_recording(
    recording_id: str, caller: CallerDep, runtime: RuntimeDep
) -> None:
    await in_transaction(runtime, lambda s: require_recording_member(s, caller, recording_id))


def may_file_into(session: Session, caller: Caller, session_id: str) -> bool:
    """Curators file a recording into any mentoring session; a mentor into their pairs' only."""
    meeting = session.get(MentoringSession, session_id)
    if meeting is None:
        return False
    return is_staff(caller) or meeting.pair_id in member_pairs(session, caller)


def require_pair_member(session: Session, caller: Caller, pair_id: str) -> None:
    """A pair's goals and sessions are theirs and the curators': to anyone else the pair does
    not exist."""
    if is_staff(caller):
        return
    if session.get(Pair, pair_id) is None or pair_id not in member_pairs(session, caller):
        raise not_found("pair", pair_id)


async def check_in_pair(pair_id: str, caller: CallerDep, runtime: RuntimeDep) -> None:
    await in_transaction(runtime, lambda s: require_pair_member(s, caller, pair_id))


PairItem = TypeVar("PairItem", Goal, MentoringSession)


async def _check_in_pair_of(
    model: type[PairItem],
    kind: str,
    item_id: str,
    caller: Caller,
    runtime: RuntimeDep,
) -> None:
    """A goal or a session belongs to its pair: its members and curators reach it."""

    def check(session: Session) -> None:
        item = session.get(model, item_id)
        if (
            item is not None
            and not is_staff(caller)
            and item.pair_id not in member_pairs(session, caller)
        ):
            raise not_found(kind, item_id)

    await in_transaction(runtime, check)


async def check_in_goal_pair(goal_id: str, caller: CallerDep, runtime: RuntimeDep) -> None:
    await _check_in_pair_of(Goal, "goal", goal_id, caller, runtime)


async def check_in_session_pair(session_id: str, caller: CallerDep, runtime: RuntimeDep) -> None:
    await _check_in_pair_of(MentoringSession, "session", session_id, caller, runtime)


SIGNED_IN = [Depends(required_caller)]
"""Anyone with an account."""
STAFF = [Depends(with_role(*sorted(STAFF_ROLES)))]
"""Curators and admins: the programme, the taxonomy, the review queue, the dashboards."""
ADMINS = [Depends(with_role("admin"))]
"""Accounts."""
SEES_RECORDING = [Depends(check_sees_recording)]
"""Reading a recording: whoever its audiences include."""
WORKS_ON_RECORDING = [Depends(check_sees_recording), Depends(check_works_on_recording)]
"""Changing a recording: curators and its pair's members."""
IN_PAIR = [Depends(check_in_pair)]
IN_GOAL_PAIR = [Depends(check_in_goal_pair)]
IN_SESSION_PAIR = [Depends(check_in_session_pair)]
"""A pair's own things: its members and curators."""

CONTRIBUTOR_ROLES = ("admin", "curator", "mentor")
"""Those who may bring recordings in (not learners)."""
ContributorDep = Annotated[Caller, Depends(with_role(*CONTRIBUTOR_ROLES))]
"""The caller, when they may bring recordings in."""
