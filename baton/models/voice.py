"""Voice embeddings with resemblyzer's speaker encoder: who is speaking, not what is said.

The encoder is a 3-layer LSTM over 1.6 s of 40-band mel spectrogram, weights inside the pip
package. It is fast when fed in batches; what is slow is resemblyzer's own librosa path for
the spectrogram (seconds of warm-up per process), so the spectrogram is computed here with
``torch.stft`` and librosa's filter bank, once per recording, and windows are cut from it.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import torch

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
WINDOW_SECONDS = 1.6
_HOP = 160  # 10 ms frames
_N_FFT = 400  # 25 ms analysis window
_WINDOW_FRAMES = 160
_TARGET_DBFS = -30.0
_BATCH = 64
# Spectrogram frames computed beyond the windows, so that none is padded where the audio goes on.
_MARGIN_FRAMES = 10
# Windows are embedded a stretch of at most this many frames (60 s) at a time.
_STRETCH_FRAMES = 6000

VoiceVectors = npt.NDArray[np.float32]


class VoiceEncoder:
    """256-dimensional unit-length voice embeddings for fixed 1.6-second windows of audio."""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self._lock = threading.Lock()
        self._model: torch.nn.Module | None = None
        self._filters: torch.Tensor | None = None

    def _load(self) -> tuple[torch.nn.Module, torch.Tensor]:
        if self._model is None or self._filters is None:
            with self._lock:
                if self._model is None:
                    with warnings.catch_warnings():
                        # webrtcvad, imported by resemblyzer, still uses pkg_resources.
                        warnings.simplefilter("ignore", UserWarning)
                        import librosa
                        from resemblyzer import VoiceEncoder as Encoder
                    log.info("loading voice encoder (resemblyzer) on %s", self.device)
                    self._filters = torch.from_numpy(
                        librosa.filters.mel(sr=SAMPLE_RATE, n_fft=_N_FFT, n_mels=40)
                    ).float()
                    model = Encoder(self.device, verbose=False)
                    model.eval()
                    self._model = model
        assert self._model is not None and self._filters is not None
        return self._model, self._filters

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def embed_windows(
        self, audio: npt.NDArray[np.float32], starts: Sequence[float]
    ) -> VoiceVectors:
        """One embedding per window of 1.6 s beginning at each of ``starts`` (seconds).

        Every window is brought to the same loudness first, as resemblyzer does for whole
        utterances, so that a quiet and a loud stretch of one voice land close together.
        """
        if not starts:
            return np.zeros((0, 256), dtype=np.float32)
        model, filters = self._load()
        total_frames = len(audio) // _HOP + 1  # what a spectrogram of all the audio would have
        indices = [
            min(max(0, round(s * SAMPLE_RATE / _HOP)), max(0, total_frames - _WINDOW_FRAMES))
            for s in starts
        ]
        order = sorted(range(len(indices)), key=indices.__getitem__)
        vectors = np.empty((len(indices), 256), dtype=np.float32)
        done = 0
        for stretch in _stretches([indices[n] for n in order]):
            vectors[order[done : done + len(stretch)]] = self._embed_stretch(
                model, filters, audio, stretch
            )
            done += len(stretch)
        return vectors

    def _embed_stretch(
        self,
        model: torch.nn.Module,
        filters: torch.Tensor,
        audio: npt.NDArray[np.float32],
        indices: Sequence[int],
    ) -> VoiceVectors:
        """The windows starting at ``indices`` (frames, ascending, close together)."""
        # Only the stretch the windows lie in, with a margin: its frames are those of the
        # whole recording's spectrogram, so a few windows cost a few windows' work.
        first = max(0, indices[0] - _MARGIN_FRAMES)
        last = indices[-1] + _WINDOW_FRAMES + _MARGIN_FRAMES
        with torch.inference_mode():
            signal = torch.from_numpy(np.array(audio[first * _HOP : last * _HOP], dtype=np.float32))
            spectrum = torch.stft(
                signal,
                n_fft=_N_FFT,
                hop_length=_HOP,
                window=torch.hann_window(_N_FFT),
                center=True,
                pad_mode="constant",
                return_complex=True,
            )
            mel = (filters @ spectrum.abs().pow(2)).T  # frames x 40
            windows = torch.stack([_padded(mel, i - first) for i in indices])
            windows = windows * _loudness_gains(audio, indices).view(-1, 1, 1)
            vectors = [
                model(windows[b : b + _BATCH].to(self.device)).cpu()
                for b in range(0, len(windows), _BATCH)
            ]
        return torch.cat(vectors).numpy().astype(np.float32, copy=False)


def _stretches(indices: list[int]) -> list[list[int]]:
    """Ascending window starts in runs that each span at most ``_STRETCH_FRAMES``, so that the
    spectrogram computed at once is a minute's, not a recording's."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and index - runs[-1][0] < _STRETCH_FRAMES:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _padded(mel: torch.Tensor, first: int) -> torch.Tensor:
    window = mel[first : first + _WINDOW_FRAMES]
    if window.shape[0] < _WINDOW_FRAMES:
        window = torch.nn.functional.pad(window, (0, 0, 0, _WINDOW_FRAMES - window.shape[0]))
    return window


def _loudness_gains(audio: npt.NDArray[np.float32], first_frames: Sequence[int]) -> torch.Tensor:
    """Power gains that bring each window to -30 dBFS (the level resemblyzer was trained at)."""
    gains = []
    for first in first_frames:
        chunk = audio[first * _HOP : first * _HOP + _WINDOW_FRAMES * _HOP]
        rms = float(np.sqrt(np.mean(np.square(chunk)))) if len(chunk) else 0.0
        if rms < 1e-6:
            gains.append(1.0)
            continue
        amplitude = 10 ** (_TARGET_DBFS / 20) / rms
        gains.append(amplitude**2)
    return torch.tensor(gains, dtype=torch.float32)
