"""Random secrets for tokens and sessions, and the digest under which they are stored."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str) -> str:
    """A URL-safe secret with 256 bits of randomness, ``prefix`` first (``bt_``, ``bs_``)."""
    return f"{prefix}{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
