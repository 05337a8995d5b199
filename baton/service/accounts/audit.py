"""The audit log: one row per thing worth answering for later (who, what, when)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from baton.service.db.accounts import AuditEntry

log = logging.getLogger(__name__)


def audit(
    session: Session,
    action: str,
    *,
    actor: str | None,
    target: str | None = None,
    **detail: Any,
) -> None:
    """Record ``action`` (e.g. ``login.failed``, ``token.revoked``) in the caller's transaction."""
    session.add(AuditEntry(actor=actor, action=action, target=target, detail=detail))
    log.info("audit action=%s actor=%s target=%s %s", action, actor, target, detail or "")
