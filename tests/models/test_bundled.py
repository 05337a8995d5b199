"""A model setting resolves to bundled weights or a folder of weights, never to an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from baton.models.bundled import (
    BUNDLED_EMBEDDINGS,
    BUNDLED_WHISPER,
    ModelNotAvailable,
    check_available,
    resolve,
)


@pytest.mark.parametrize(
    "setting",
    ["huge-v9", "0" * 300, "models/\x00whisper", "~no-such-user-here/model", "/"],
)
def test_a_setting_that_names_no_model_is_refused_in_words(setting: str) -> None:
    with pytest.raises(ModelNotAvailable, match="never downloaded"):
        check_available(setting, BUNDLED_WHISPER, "speech")
    with pytest.raises(ModelNotAvailable, match="neither bundled"):
        resolve(setting, BUNDLED_WHISPER, "speech")


def test_a_folder_counts_only_when_it_holds_weights_of_its_kind(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable):
        check_available(str(tmp_path), BUNDLED_WHISPER, "speech")
    (tmp_path / "model.bin").write_bytes(b"weights")
    check_available(str(tmp_path), BUNDLED_WHISPER, "speech")
    assert resolve(str(tmp_path), BUNDLED_WHISPER, "speech") == tmp_path
    with pytest.raises(ModelNotAvailable):
        check_available(str(tmp_path), BUNDLED_EMBEDDINGS, "embedding")


def test_the_bundled_names_resolve_to_folders_of_weights() -> None:
    assert (resolve("tiny.en", BUNDLED_WHISPER, "speech") / "model.bin").is_file()
    assert (resolve("all-MiniLM-L6-v2", BUNDLED_EMBEDDINGS, "embedding") / "config.json").is_file()
