"""Small text helpers the export formats share: clock times and Markdown escaping."""

from __future__ import annotations

import re

# Characters that start Markdown syntax inside a line: emphasis, code, links, images, HTML.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>~])")
# At the start of a line these make a heading, a list or a numbered list.
_MARKDOWN_LINE_START = re.compile(r"^(\d+(?=[.)])|(?=[#+-]))")


def clock(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour on: how people read a moment of a recording."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def cue_time(seconds: float, separator: str) -> str:
    """``HH:MM:SS,mmm`` (SubRip, ``,``) or ``HH:MM:SS.mmm`` (WebVTT, ``.``)."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def escape_markdown(text: str) -> str:
    """User text shown literally: no link, image, HTML, heading or emphasis can come out of it."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(text.split()))
    return _MARKDOWN_LINE_START.sub(r"\1\\", escaped)
