"""A topic's knowledge pack, for an onboarding binder: every approved passage with who said
it, when, and a link to the moment, grouped by the recording it comes from."""

from __future__ import annotations

import base64
import hashlib
import html
from itertools import groupby

from baton.service.exports.documents import PackPassage, TopicPack
from baton.service.exports.text import clock, escape_markdown

_NOTHING_YET = "No passages are approved for this topic yet."

_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; }
h1 { margin-bottom: .25rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
.facts { color: #555; } blockquote { margin: .5rem 0 1.25rem; padding-left: 1rem;
       border-left: 4px solid #2f6f8f; }
.who { font-weight: 600; } a { color: #1d5a78; }
@media print { a { color: inherit; text-decoration: none; } body { margin: 0; } }
"""
PACK_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"style-src 'sha256-{base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()}'; "
    "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""A pack is a page of its own: its one inline style (by hash) and nothing that runs."""


def _by_recording(pack: TopicPack) -> list[tuple[PackPassage, list[PackPassage]]]:
    groups = []
    for _, items in groupby(pack.passages, key=lambda p: p.recording_id):
        passages = list(items)
        groups.append((passages[0], passages))
    return groups


def _span(passage: PackPassage) -> str:
    return f"{clock(passage.start)}–{clock(passage.end)}"


def _who(passage: PackPassage) -> str:
    return ", ".join(passage.speakers) if passage.speakers else "Unknown speaker"


def _facts(pack: TopicPack) -> list[str]:
    facts = [f"{len(pack.passages)} approved passage(s)"]
    if pack.owner:
        facts.append(f"owner: {pack.owner}")
    if pack.keywords:
        facts.append("keywords: " + ", ".join(pack.keywords))
    facts.append(f"generated {pack.generated_at.date().isoformat()}")
    return facts


def pack_markdown(pack: TopicPack) -> str:
    parts = [f"# {escape_markdown(pack.name)}", ""]
    if pack.description:
        parts += [escape_markdown(pack.description), ""]
    parts += [" · ".join(escape_markdown(f) for f in _facts(pack)), ""]
    if not pack.passages:
        parts.append(_NOTHING_YET)
    for first, passages in _by_recording(pack):
        held = f" ({first.held_on.isoformat()})" if first.held_on else ""
        parts += [f"## {escape_markdown(first.recording_title)}{escape_markdown(held)}", ""]
        for p in passages:
            parts.append(f"**{escape_markdown(_who(p))}**, [{_span(p)}](<{p.link}>)")
            parts += [f"> {escape_markdown(p.text)}", ""]
    return "\n".join(parts) + "\n"


def pack_html(pack: TopicPack) -> str:
    e = html.escape
    body = [f"<h1>{e(pack.name)}</h1>"]
    if pack.description:
        body.append(f"<p>{e(pack.description)}</p>")
    body.append(f'<p class="facts">{e(" · ".join(_facts(pack)))}</p>')
    if not pack.passages:
        body.append(f"<p>{e(_NOTHING_YET)}</p>")
    for first, passages in _by_recording(pack):
        held = f" ({first.held_on.isoformat()})" if first.held_on else ""
        body.append(f"<h2>{e(first.recording_title + held)}</h2>")
        for p in passages:
            body.append(
                f'<p><span class="who">{e(_who(p))}</span>, '
                f'<a href="{e(p.link)}">{e(_span(p))}</a></p>'
                f"<blockquote>{e(p.text)}</blockquote>"
            )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(pack.name)} — knowledge pack</title>\n<style>{_CSS}</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
