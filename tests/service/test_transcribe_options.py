"""The glossary reaches Whisper as the settings say: not at all, as a prompt, or as hotwords."""

from __future__ import annotations

from pathlib import Path

from baton.service.db.curation import GlossaryTerm
from baton.service.settings import Settings
from baton.service.transcribe_options import transcribe_options

TERMS = [
    GlossaryTerm(id="1", term="tundish", synonyms=[]),
    GlossaryTerm(id="2", term="IH-2", synonyms=["induction heater two"]),
]


def options(tmp_path: Path, use: str) -> tuple[str | None, str | None]:
    settings = Settings(data_dir=tmp_path, glossary_in_transcription=use)
    chosen = transcribe_options(settings, TERMS)
    return chosen.initial_prompt, chosen.hotwords


def test_the_glossary_is_left_out_by_default(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).glossary_in_transcription == "off"
    assert options(tmp_path, "off") == (None, None)


def test_the_glossary_becomes_a_prompt_or_hotwords(tmp_path: Path) -> None:
    assert options(tmp_path, "prompt") == ("Glossary: IH-2, tundish.", None)
    assert options(tmp_path, "hotwords") == (None, "IH-2 tundish")
