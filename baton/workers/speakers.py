"""Find who speaks when: voice embeddings over the speech, clustered into speakers.

The recogniser's words say where the speech is; a 1.6 s voice window is embedded every half
second of it, the windows are clustered (average-linkage agglomerative clustering on cosine
distance, cut at a distance rather than at a fixed count, so the number of speakers is
estimated), stray windows are voted into their neighbours' speaker, and the result is a list of
speaker turns. A stereo recording with one voice per channel (a two-headset set-up) skips the
guessing: the louder channel names the speaker.

Labels are ``S1``, ``S2``… in order of first appearance; naming them after people is the
service's job (it keeps voice prints), so each speaker's mean voice vector is returned too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

from baton.models.voice import WINDOW_SECONDS, VoiceEncoder
from baton.workers.media import SAMPLE_RATE, AudioArray
from baton.workers.transcript import Segment

log = logging.getLogger(__name__)

VoiceVector = npt.NDArray[np.float32]

# A window every this many seconds of speech, standing for the stretch around its centre
# (0.5 s hops cost 40% more for no fewer errors on the corpus; 1 s hops split a voice in two).
HOP_SECONDS = 0.75
# Words closer than this belong to one stretch of speech.
_JOIN_GAP_SECONDS = 0.4
# Clusters closer than this cosine distance are one voice. Same-voice windows of the corpus
# and of real speech sit below ~0.25 from their centroid; different voices above ~0.4.
DISTANCE_THRESHOLD = 0.35
# Speakers whose mean voices are closer than this are one voice. Clustering judges a small
# cluster by its average distance to every window of a large one, so a stretch of one voice
# in other conditions (a laugh, a cough, a raised voice) can stand apart although its mean
# sits on that voice (0.18 from it on corpus s03); different corpus voices are 0.34-0.36 apart.
MERGE_DISTANCE = 0.25
# A "speaker" with less speech than this share (and under 10 s) is noise folded into the nearest.
_MIN_SPEAKER_SHARE = 0.05
_MIN_SPEAKER_SECONDS = 10.0
# At most this many windows (about 50 minutes of speech) grow the clustering tree, 64 MB of
# distances; a longer recording's other windows are labelled by the voices it found.
_TREE_WINDOWS = 4000
# Louder channel by this many decibels on most windows: one voice per channel.
_CHANNEL_DB = 6.0
_CHANNEL_AGREEMENT = 0.8


@dataclass(frozen=True)
class SpeakerTurn:
    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Voice:
    """One speaker's mean voice embedding (unit length) and how much speech it rests on."""

    speaker: str
    vector: tuple[float, ...]
    seconds: float


@dataclass(frozen=True)
class Speakers:
    turns: tuple[SpeakerTurn, ...]
    voices: tuple[Voice, ...]
    method: str
    """``voices`` (clustering), ``channels`` (one voice per stereo channel) or ``none``."""


@dataclass(frozen=True)
class _Window:
    start: float  # where the 1.6 s embedding window begins
    own_start: float  # the stretch of speech this window speaks for
    own_end: float

    @property
    def seconds(self) -> float:
        return self.own_end - self.own_start


def speech_spans(segments: Iterable[Segment]) -> list[tuple[float, float]]:
    """Stretches of speech from the recogniser's word timings, near words joined."""
    spans: list[tuple[float, float]] = []
    for segment in segments:
        for word in segment.words or ():
            if word.end <= word.start:
                continue
            if spans and word.start - spans[-1][1] <= _JOIN_GAP_SECONDS:
                spans[-1] = (spans[-1][0], max(spans[-1][1], word.end))
            else:
                spans.append((word.start, word.end))
    return spans


def find_speakers(
    audio: AudioArray,
    spans: Sequence[tuple[float, float]],
    encoder: VoiceEncoder,
    *,
    channels: tuple[AudioArray, AudioArray] | None = None,
    max_speakers: int = 8,
    known: Mapping[float, VoiceVector] | None = None,
) -> Speakers:
    """Speaker turns over ``spans`` of ``audio`` (16 kHz mono), with each speaker's voice.

    ``known`` holds vectors already embedded for windows by their start (``VoicesAhead``);
    only the other windows are embedded here.
    """
    windows = _windows(spans)
    if not windows:
        return Speakers((), (), "none")
    if channels is not None:
        sides = _channel_sides(channels, windows)
        if sides is not None:
            return _by_channel(channels, windows, sides, encoder)
    vectors = _voice_vectors(audio, windows, encoder, known or {})
    labels = _cluster(vectors, windows, max_speakers)
    return _result(windows, _smooth(labels, windows), vectors, "voices")


class VoicesAhead:
    """Voice vectors embedded while the rest of the recording is still being transcribed.

    The parts of a recording are transcribed side by side and seldom finish together (0.2-2 s
    apart on the corpus); the part done first leaves its core idle, and the windows over its
    words are embedded there instead of after the whole transcript. Windows are keyed by their
    start, which the speakers stage computes the same way from the same words.
    """

    def __init__(self, audio: AudioArray, encoder: VoiceEncoder) -> None:
        self.audio = audio
        self.encoder = encoder
        self.vectors: dict[float, VoiceVector] = {}
        self._lock = threading.Lock()

    def add(self, segments: Sequence[Segment]) -> None:
        """Embed the windows over ``segments`` (a part just transcribed, recording seconds)."""
        starts = [w.start for w in _windows(speech_spans(segments))]
        try:
            vectors = self.encoder.embed_windows(self.audio, starts)
        except Exception:  # the speakers stage embeds them again and reports what fails
            log.warning("embedding voice windows ahead failed", exc_info=True)
            return
        with self._lock:
            self.vectors.update(zip(starts, vectors, strict=True))


def _voice_vectors(
    audio: AudioArray,
    windows: Sequence[_Window],
    encoder: VoiceEncoder,
    known: Mapping[float, VoiceVector],
) -> npt.NDArray[np.float32]:
    """One vector per window: from ``known`` where it is there, embedded now otherwise."""
    missing = [w.start for w in windows if w.start not in known]
    fresh = dict(zip(missing, encoder.embed_windows(audio, missing), strict=True))
    return np.stack([known[w.start] if w.start in known else fresh[w.start] for w in windows])


def _windows(spans: Sequence[tuple[float, float]]) -> list[_Window]:
    windows: list[_Window] = []
    half = WINDOW_SECONDS / 2
    for start, end in spans:
        steps = max(1, round((end - start) / HOP_SECONDS))
        width = (end - start) / steps
        for i in range(steps):
            own_start = start + i * width
            centre = own_start + width / 2
            windows.append(_Window(max(0.0, centre - half), own_start, own_start + width))
    return windows


def _cluster(
    vectors: npt.NDArray[np.float32], windows: Sequence[_Window], max_speakers: int
) -> list[int]:
    if len(vectors) < 2:
        return [0] * len(vectors)
    # The tree holds every pair of its windows (N² / 2 distances): past _TREE_WINDOWS it is
    # grown from windows spread evenly over the recording, and the rest join the nearest voice.
    rows = np.linspace(0, len(vectors) - 1, min(len(vectors), _TREE_WINDOWS)).round().astype(int)
    tree = linkage(vectors[rows].astype(np.float64), method="average", metric="cosine")
    found = fcluster(tree, t=DISTANCE_THRESHOLD, criterion="distance") - 1
    if found.max() + 1 > max_speakers:
        found = fcluster(tree, t=max_speakers, criterion="maxclust") - 1
    labels = [int(x) for x in found]
    if len(rows) < len(vectors):
        labels = _nearest_voice(vectors, vectors[rows], labels)
    merged = _merge_close_voices(vectors, labels)
    return _fold_small_clusters(vectors, windows, merged)


def _nearest_voice(
    vectors: npt.NDArray[np.float32], clustered: npt.NDArray[np.float32], labels: list[int]
) -> list[int]:
    """Each of ``vectors`` labelled as the closest mean voice of the ``clustered`` windows."""
    names = sorted(set(labels))
    means = np.stack([_mean_voice(clustered, labels, name) for name in names])
    return [names[int(n)] for n in np.argmax(vectors @ means.T, axis=1)]


def _merge_close_voices(vectors: npt.NDArray[np.float32], labels: list[int]) -> list[int]:
    """Join the two clusters with the closest mean voices while they are within
    ``MERGE_DISTANCE`` of each other."""
    labels = list(labels)
    while True:
        names = sorted(set(labels))
        if len(names) < 2:
            return labels
        centroids = np.stack([_mean_voice(vectors, labels, name) for name in names])
        distance = 1.0 - centroids @ centroids.T
        np.fill_diagonal(distance, np.inf)
        a, b = np.unravel_index(int(np.argmin(distance)), distance.shape)
        if distance[a, b] >= MERGE_DISTANCE:
            return labels
        keep, gone = names[int(a)], names[int(b)]
        labels = [keep if label == gone else label for label in labels]


def _fold_small_clusters(
    vectors: npt.NDArray[np.float32], windows: Sequence[_Window], labels: list[int]
) -> list[int]:
    """Give the windows of a speaker with too little speech to the nearest real speaker."""
    seconds: dict[int, float] = {}
    for label, window in zip(labels, windows, strict=True):
        seconds[label] = seconds.get(label, 0.0) + window.seconds
    total = sum(seconds.values())
    keep = [
        label
        for label, s in seconds.items()
        if s >= _MIN_SPEAKER_SECONDS or s >= _MIN_SPEAKER_SHARE * total
    ]
    if not keep:
        keep = [max(seconds, key=lambda label: seconds[label])]
    centroids = {label: _mean_voice(vectors, labels, label) for label in keep}
    folded = []
    for label, vector in zip(labels, vectors, strict=True):
        if label in centroids:
            folded.append(label)
        else:
            folded.append(max(centroids, key=lambda k: float(vector @ centroids[k])))
    return folded


def _smooth(labels: list[int], windows: Sequence[_Window]) -> list[int]:
    """A lone window between two windows of another speaker, within one breath, is that speaker."""
    smoothed = list(labels)
    for i in range(1, len(labels) - 1):
        before, after = labels[i - 1], labels[i + 1]
        close = (
            windows[i].own_start - windows[i - 1].own_end < _JOIN_GAP_SECONDS
            and windows[i + 1].own_start - windows[i].own_end < _JOIN_GAP_SECONDS
        )
        if close and before == after != labels[i]:
            smoothed[i] = before
    return smoothed


def _channel_sides(
    channels: tuple[AudioArray, AudioArray], windows: Sequence[_Window]
) -> list[int] | None:
    """Which channel is louder over each window, or None when the channels do not split voices."""
    left, right = channels
    sides = []
    decided = 0
    for window in windows:
        a = int(window.own_start * SAMPLE_RATE)
        b = max(a + 1, int(window.own_end * SAMPLE_RATE))
        power_left = float(np.mean(np.square(left[a:b]))) + 1e-10
        power_right = float(np.mean(np.square(right[a:b]))) + 1e-10
        ratio = 10 * np.log10(power_left / power_right)
        decided += abs(ratio) >= _CHANNEL_DB
        sides.append(0 if ratio > 0 else 1)
    share_left = sides.count(0) / len(sides)
    if decided / len(windows) < _CHANNEL_AGREEMENT or not 0.05 <= share_left <= 0.95:
        return None
    return _smooth(sides, windows)


def _by_channel(
    channels: tuple[AudioArray, AudioArray],
    windows: Sequence[_Window],
    sides: list[int],
    encoder: VoiceEncoder,
) -> Speakers:
    vectors = np.zeros((len(windows), 256), dtype=np.float32)
    for side in (0, 1):
        chosen = [i for i, s in enumerate(sides) if s == side]
        embedded = encoder.embed_windows(channels[side], [windows[i].start for i in chosen])
        vectors[chosen] = embedded
    return _result(windows, sides, vectors, "channels")


def _result(
    windows: Sequence[_Window],
    labels: Sequence[int],
    vectors: npt.NDArray[np.float32],
    method: str,
) -> Speakers:
    names: dict[int, str] = {}
    for label in labels:
        names.setdefault(label, f"S{len(names) + 1}")
    turns: list[SpeakerTurn] = []
    for window, label in zip(windows, labels, strict=True):
        name = names[label]
        last = turns[-1] if turns else None
        if last and last.speaker == name and window.own_start - last.end < _JOIN_GAP_SECONDS:
            turns[-1] = SpeakerTurn(last.start, window.own_end, name)
        else:
            turns.append(SpeakerTurn(window.own_start, window.own_end, name))
    voices = []
    for label, name in names.items():
        members = [i for i, x in enumerate(labels) if x == label]
        seconds = sum(windows[i].seconds for i in members)
        vector = _unit(vectors[members].mean(axis=0))
        voices.append(Voice(name, tuple(round(float(v), 6) for v in vector), round(seconds, 2)))
    return Speakers(tuple(turns), tuple(voices), method)


def _mean_voice(
    vectors: npt.NDArray[np.float32], labels: Sequence[int], label: int
) -> npt.NDArray[np.float32]:
    """The unit-length mean of the windows labelled ``label``."""
    return _unit(vectors[np.asarray(labels) == label].mean(axis=0))


def _unit(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
