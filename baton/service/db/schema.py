"""Every table, in one metadata: what migrations build and what the migration test compares."""

from __future__ import annotations

from baton.service.db import accounts, curation, programme, speakers, tables
from baton.service.db.base import Base

__all__ = ["Base", "accounts", "curation", "programme", "speakers", "tables"]
