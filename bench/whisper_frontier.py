"""Speed / accuracy frontier of faster-whisper settings for the bundled tiny.en int8 model on CPU.

For each named configuration in ``CONFIGS`` and each chosen corpus session this script
transcribes the session and prints: audio seconds, wall seconds of the transcription, times
real time (audio / wall), word error rate against the truth turns, the process's CPU seconds,
how many cores *other* processes kept busy meanwhile (the machine is shared: a run with
``others`` near 1 on a 2-core machine is not a fair timing), the number of segments that needed
temperature fallback, and substitutions / deletions / insertions.

- Audio is decoded once per session to 16 kHz mono float32 with ``faster_whisper.decode_audio``;
  the decode time is printed separately and is *not* part of the wall time (except for configs
  with ``from_path=True``, which hand the file path to faster-whisper to show what that costs).
- Wall time covers ``transcribe()`` *and* draining its segment generator (faster-whisper is lazy),
  including voice-activity detection. Model loading is excluded; each model is warmed up once.
- Every config passes ``language=None`` (detected; tiny.en always answers "en") and
  ``word_timestamps=True`` unless its options say otherwise.
- ``parts > 1`` cuts the decoded audio where Baton does (``split_at_pauses``: the quietest 0.4 s
  near each even split) and transcribes the parts in parallel Python threads on one model loaded
  with ``num_workers=2, cpu_threads=1`` (true parallelism in CTranslate2). Only text is scored;
  a product would add each part's start time to its segment and word times.
- ``clips`` computes Silero VAD speech itself, merges it into clips up to ``max_clip_s`` and
  passes them as ``clip_timestamps`` (decoding windows then never cross a clip end).
- WER is ``bench.wer.word_error_rate``: jiwer WER after one shared normaliser (lowercase, no
  punctuation, "1,640" -> "1640", spelled numbers -> digits; see ``bench/wer.py``). The reference
  is all truth turns joined with spaces.
- ``--repeat N`` runs each (config, session) N times and keeps the fastest wall time; the
  transcript and WER come from the first run. Decoding is *not* always deterministic: a window
  that falls back to temperature > 0 samples, so sessions with fallbacks (s02 with the
  baseline) change WER from run to run.
- The plain sequential call ``baseline`` is always run, whatever ``--configs`` says.
- Configs of kind "baton" run the product's own ``baton.workers.transcribe.transcribe`` (parts,
  voice activity, re-decoding of skipped speech: what a recording's first pass does), with
  ``options`` overriding fields of ``TranscribeOptions``.
- ``--seed N`` seeds the decoders' random generators (temperature fallback samples), so a run
  repeats; runs with several seeds show how much of a WER difference is chance.
- ``--gain-db G`` (at most 0: the corpus peaks at full scale) scales the decoded audio. The same
  recording a little quieter is as fair a test as the original, yet tiny.en's words change
  with it: a method's WER is better judged over a few gains than on one.
- ``--corpus DIR`` reads the sessions from another corpus folder (``audio/`` with each session's
  recording and ``*.truth.json``), e.g. ``bench/second_corpus`` (sessions t01-t04); by default
  the demo's, which ships with Baton (``bench/corpora.py``).

Usage::

    .venv/bin/python -m bench.whisper_frontier --sessions s01
    .venv/bin/python -m bench.whisper_frontier --sessions s02 s03 --configs p2_b3_vad_nl --repeat 2
    .venv/bin/python -m bench.whisper_frontier --list
    .venv/bin/python -m bench.whisper_frontier --sessions s01 s02 --configs baton --seed 2
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypedDict, TypeVar

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import ctranslate2
import jiwer
import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio
from faster_whisper.transcribe import Segment
from faster_whisper.vad import VadOptions, get_speech_timestamps

if __package__ in (None, ""):  # run as a file: make `bench.wer` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from baton.models.speech import SAMPLING_SEED, SpeechModel, SpeechModelConfig
from baton.workers import transcribe as baton_transcribe
from bench.corpora import DEMO, add_corpus_option, announce, reference_text, session_files
from bench.wer import normalise, word_error_rate

T = TypeVar("T")
SAMPLE_RATE = 16_000

# Turns in the corpus are separated by 0.6 s of silence; pauses inside a turn are shorter.
TURN_VAD = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}


@dataclass(frozen=True)
class Config:
    """One way of calling faster-whisper.

    kind: "sequential" calls ``WhisperModel.transcribe``; "batched" calls
    ``BatchedInferencePipeline.transcribe``; "baton" calls Baton's own ``transcribe()``.
    cpu_threads / num_workers go to ``WhisperModel(...)``; ``options`` go to ``transcribe(...)``
    on top of ``language=None`` (detected) and ``word_timestamps=True`` (for "baton": fields of
    ``TranscribeOptions`` that differ from its defaults).
    """

    name: str
    kind: Literal["sequential", "batched", "baton"]
    options: dict[str, Any] = field(default_factory=dict)
    cpu_threads: int = 0  # 0 = CTranslate2's default (4 threads)
    num_workers: int = 1
    parts: int = 1  # >1: cut the audio at pauses, transcribe the parts in parallel threads
    clips: dict[str, Any] | None = None  # VadOptions for our own clip_timestamps (see vad_clips)
    max_clip_s: float = 30.0  # neighbouring speech is merged into clips up to this long
    from_path: bool = False
    note: str = ""


class Threads(TypedDict):
    """Config fields for how the model is loaded."""

    cpu_threads: int
    num_workers: int


class Parallel(TypedDict):
    """Config fields for cutting one recording into parts transcribed in parallel threads."""

    cpu_threads: int
    num_workers: int
    parts: int


BASELINE = Config("baseline", "sequential", {"beam_size": 5}, note="plain call, product today")

# Shorthands for the option sets below.
VAD = {"vad_filter": True}  # sequential VAD, default VadOptions (2 s silence, 400 ms pad)
SPLIT2: Parallel = {"cpu_threads": 1, "num_workers": 2, "parts": 2}  # halves, 1 thread each
SPLIT4: Parallel = {"cpu_threads": 1, "num_workers": 2, "parts": 4}  # 4 parts over 2 workers
NOLOOP = {"best_of": 2, "no_repeat_ngram_size": 6}  # cheap fallback + loop guard
NOCOND = {"condition_on_previous_text": False}
BATON_MODEL: Threads = {"cpu_threads": 1, "num_workers": 2}  # as Baton's runtime loads it
SENTENCE_VAD = {"min_silence_duration_ms": 300, "speech_pad_ms": 100}

CONFIGS: list[Config] = [
    BASELINE,
    # --- one stream: where the time goes (identical transcripts unless the decoding changes)
    Config(
        "baseline_path",
        "sequential",
        {"beam_size": 5},
        from_path=True,
        note="file path instead of decoded array",
    ),
    Config("seq_t2", "sequential", {"beam_size": 5}, cpu_threads=2),
    Config("seq_t1", "sequential", {"beam_size": 5}, cpu_threads=1),
    Config(
        "seq_t1_nowords",
        "sequential",
        {"beam_size": 5, "word_timestamps": False},
        cpu_threads=1,
        note="diagnostic only: word timestamps off",
    ),
    Config("seq_vad", "sequential", {"beam_size": 5, **VAD}),
    Config("seq_b5_vad_t1", "sequential", {"beam_size": 5, **VAD}, cpu_threads=1),
    Config("seq_b3_t1", "sequential", {"beam_size": 3}, cpu_threads=1),
    Config("seq_b3_vad_nl_t1", "sequential", {"beam_size": 3, **VAD, **NOLOOP}, cpu_threads=1),
    # --- one stream: decoding options that cost accuracy (measured with the default threads)
    Config("seq_nocond", "sequential", {"beam_size": 5, **NOCOND}),
    Config("seq_b2_nocond", "sequential", {"beam_size": 2, **NOCOND}),
    Config("seq_b1", "sequential", {"beam_size": 1}),
    Config("seq_b1_nocond", "sequential", {"beam_size": 1, **NOCOND}),
    Config(
        "seq_b1_nocond_T0",
        "sequential",
        {"beam_size": 1, **NOCOND, "temperature": 0.0},
        note="no temperature fallback: repetition loops",
    ),
    Config(
        "seq_b1_nocond_hst",
        "sequential",
        {"beam_size": 1, **NOCOND, "hallucination_silence_threshold": 1.0},
    ),
    Config(
        "seq_b1_nocond_nots", "sequential", {"beam_size": 1, **NOCOND, "without_timestamps": True}
    ),
    # --- our own VAD clips passed as clip_timestamps (windows never cross a clip end)
    Config(
        "clip30_b5_t1",
        "sequential",
        {"beam_size": 5},
        cpu_threads=1,
        clips=SENTENCE_VAD,
        max_clip_s=30,
    ),
    Config(
        "clip20_b5_t1",
        "sequential",
        {"beam_size": 5},
        cpu_threads=1,
        clips=SENTENCE_VAD,
        max_clip_s=20,
    ),
    Config(
        "clipturn_b5_t1",
        "sequential",
        {"beam_size": 5},
        cpu_threads=1,
        clips=TURN_VAD,
        max_clip_s=0,
    ),
    # --- two parallel streams on two cores (audio cut at pauses, one thread per stream)
    Config("p2_b5", "sequential", {"beam_size": 5}, **SPLIT2),
    Config("p2_b5_vad", "sequential", {"beam_size": 5, **VAD}, **SPLIT2),
    Config("p2_b5_vad_nl", "sequential", {"beam_size": 5, **VAD, **NOLOOP}, **SPLIT2),
    Config("p2_b3_vad", "sequential", {"beam_size": 3, **VAD}, **SPLIT2),
    Config("p2_b3_vad_bo2", "sequential", {"beam_size": 3, **VAD, "best_of": 2}, **SPLIT2),
    Config("p2_b3_vad_nl", "sequential", {"beam_size": 3, **VAD, **NOLOOP}, **SPLIT2),
    Config(
        "p2_b3_vad_T0",
        "sequential",
        {"beam_size": 3, **VAD, "temperature": 0.0},
        **SPLIT2,
        note="no temperature fallback: repetition loops",
    ),
    Config(
        "p2_b3_vad_bo2_rp",
        "sequential",
        {"beam_size": 3, **VAD, "best_of": 2, "repetition_penalty": 1.1},
        **SPLIT2,
    ),
    Config("p2_b2_vad", "sequential", {"beam_size": 2, **VAD}, **SPLIT2),
    Config("p2_b4_vad_nl", "sequential", {"beam_size": 4, **VAD, **NOLOOP}, **SPLIT2),
    Config("p2_b3_nl", "sequential", {"beam_size": 3, **NOLOOP}, **SPLIT2),
    Config(
        "p2_b3_vadpad_nl",
        "sequential",
        {"beam_size": 3, **VAD, "vad_parameters": {"speech_pad_ms": 800}, **NOLOOP},
        **SPLIT2,
    ),
    Config(
        "p2_b3_vad_nl_pat2",
        "sequential",
        {"beam_size": 3, **VAD, **NOLOOP, "patience": 2.0},
        **SPLIT2,
    ),
    # --- Baton's first pass as shipped (two parts, beam 5, best_of 2, no-repeat 6, VAD, gaps)
    Config("baton", "baton", {}, **BATON_MODEL, note="the product's transcribe()"),
    Config("baton_bo5", "baton", {"best_of": 5}, **BATON_MODEL),
    Config("baton_nr0", "baton", {"no_repeat_ngram_size": 0}, **BATON_MODEL),
    Config("baton_nogaps", "baton", {"fill_gaps": False}, **BATON_MODEL),
    Config("p4_b5_vad_nl", "sequential", {"beam_size": 5, **VAD, **NOLOOP}, **SPLIT4),
    Config("p4_b3_vad_nl", "sequential", {"beam_size": 3, **VAD, **NOLOOP}, **SPLIT4),
    # --- BatchedInferencePipeline (its own VAD; no prompt, no temperature fallback)
    Config(
        "batched_b5",
        "batched",
        {"beam_size": 5, "batch_size": 8},
        note="BatchedInferencePipeline defaults",
    ),
    Config("batched_b1", "batched", {"beam_size": 1, "batch_size": 8}),
    Config(
        "batched_b1_ts", "batched", {"beam_size": 1, "batch_size": 8, "without_timestamps": False}
    ),
    Config("batched_b5_c25", "batched", {"beam_size": 5, "batch_size": 8, "chunk_length": 25}),
    Config(
        "batched_b5_c25_t2",
        "batched",
        {"beam_size": 5, "batch_size": 8, "chunk_length": 25},
        cpu_threads=2,
    ),
    Config("batched_b1_c20", "batched", {"beam_size": 1, "batch_size": 8, "chunk_length": 20}),
    Config(
        "batched_b1_c25_nr3",
        "batched",
        {"beam_size": 1, "batch_size": 8, "chunk_length": 25, "no_repeat_ngram_size": 3},
    ),
    Config(
        "batched_b1_turnvad",
        "batched",
        {"beam_size": 1, "batch_size": 8, "vad_parameters": TURN_VAD},
    ),
    Config(
        "batched_b1_turnvad_c15",
        "batched",
        {"beam_size": 1, "batch_size": 8, "vad_parameters": TURN_VAD, "chunk_length": 15},
    ),
]


@dataclass
class Session:
    sid: str
    audio_path: Path
    audio: np.ndarray
    reference: str
    decode_s: float

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE


@dataclass
class Timing:
    wall_s: float
    cpu_s: float  # this process, all threads
    others: float  # average cores busy with *other* processes during the run

    @staticmethod
    def _busy_s() -> float:
        """Seconds of CPU spent by the whole machine since boot (all cores)."""
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")

    @classmethod
    def measure(cls, fn: Callable[[], T]) -> tuple[Timing, T]:
        busy, cpu, start = cls._busy_s(), time.process_time(), time.perf_counter()
        value = fn()
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        return cls(wall, cpu, max(0.0, (cls._busy_s() - busy - cpu) / wall)), value


@dataclass
class Result:
    config: str
    sid: str
    audio_s: float
    timing: Timing
    wer: float
    hypothesis: str
    fallbacks: int | None  # segments decoded at temperature > 0 (None: not known)

    @property
    def wall_s(self) -> float:
        return self.timing.wall_s

    @property
    def speed(self) -> float:
        return self.audio_s / self.wall_s


def load_session(sid: str, corpus: Path = DEMO, gain_db: float = 0.0) -> Session:
    audio_path = session_files(corpus, [sid])[0]
    reference = reference_text(corpus, sid)
    start = time.perf_counter()
    audio = decode_audio(str(audio_path), sampling_rate=SAMPLE_RATE)
    if gain_db:
        audio = (audio * 10 ** (gain_db / 20)).astype(np.float32)
    return Session(sid, audio_path, audio, reference, time.perf_counter() - start)


class Models:
    """One loaded, warmed-up model per (cpu_threads, num_workers), shared by every config that
    loads it that way: Baton's ``SpeechModel`` (the bundled tiny.en int8 on CPU, decoders
    seeded with ``seed``), whose ``WhisperModel`` the faster-whisper configs call directly."""

    def __init__(self, seed: int = SAMPLING_SEED) -> None:
        self.seed = seed
        self._speech: dict[tuple[int, int], SpeechModel] = {}

    def speech(self, config: Config) -> SpeechModel:
        key = (config.cpu_threads, config.num_workers)
        if key not in self._speech:
            model = SpeechModel(
                SpeechModelConfig(
                    cpu_threads=config.cpu_threads,
                    num_workers=config.num_workers,
                    sampling_seed=self.seed,
                )
            )
            list(model.whisper.transcribe(np.zeros(SAMPLE_RATE * 5, np.float32), beam_size=1)[0])
            self._speech[key] = model
        return self._speech[key]

    def get(self, config: Config) -> WhisperModel:
        return self.speech(config).whisper


def vad_clips(audio: np.ndarray, vad: dict[str, Any], max_clip_s: float) -> list[float]:
    """Silero VAD speech, merged into clips of at most `max_clip_s` (pauses inside a clip are
    kept; 0 = no merging), as faster-whisper's flat ``clip_timestamps`` [start, end, ...]."""
    longest = max_clip_s if max_clip_s > 0 else 30.0
    speech = get_speech_timestamps(audio, VadOptions(**{"max_speech_duration_s": longest, **vad}))
    clips: list[list[float]] = []
    for chunk in speech:
        start, end = chunk["start"] / SAMPLE_RATE, chunk["end"] / SAMPLE_RATE
        if clips and end - clips[-1][0] <= max_clip_s:
            clips[-1][1] = end
        else:
            clips.append([start, end])
    return [t for clip in clips for t in clip]


def transcribe(models: Models, config: Config, session: Session) -> list[Segment]:
    """All segments of one run (the lazy generators drained)."""
    if config.kind == "baton":
        return transcribe_as_baton(models, config, session)
    model = models.get(config)
    options: dict[str, Any] = {"language": None, "word_timestamps": True, **config.options}
    audio: Any = str(session.audio_path) if config.from_path else session.audio

    def one(piece: Any) -> list[Segment]:
        if config.clips is not None:
            clips = vad_clips(piece, config.clips, config.max_clip_s)
            if not clips:
                return []
            options["clip_timestamps"] = clips
        if config.kind == "sequential":
            segments, _ = model.transcribe(piece, **options)
        else:
            segments, _ = BatchedInferencePipeline(model).transcribe(piece, **options)
        return list(segments)

    if config.parts == 1:
        return one(audio)
    # Timestamps of part k would need cuts[k] / SAMPLE_RATE added; only text is scored here.
    cuts = baton_transcribe.split_at_pauses(audio, config.parts)
    with ThreadPoolExecutor(config.num_workers) as pool:
        pieces = pool.map(one, [audio[a:b] for a, b in itertools.pairwise(cuts)])
        return [segment for piece in pieces for segment in piece]


def transcribe_as_baton(models: Models, config: Config, session: Session) -> list[Segment]:
    """Baton's first pass, its segments in faster-whisper's shape (text only; temperature
    is not kept by Baton, so its fallbacks are not counted)."""
    options = replace(baton_transcribe.TranscribeOptions(), **config.options)
    transcript = baton_transcribe.transcribe(session.audio, models.speech(config), options)
    return [
        Segment(n, 0, s.start, s.end, " " + s.text, [], 0.0, 0.0, 0.0, None, None)
        for n, s in enumerate(transcript.segments)
    ]


def run(models: Models, config: Config, session: Session, repeat: int) -> Result:
    models.speech(config)  # load outside the timed region
    timing, segments = Timing.measure(lambda: transcribe(models, config, session))
    for _ in range(repeat - 1):
        again, _ = Timing.measure(lambda: transcribe(models, config, session))
        timing = min(timing, again, key=lambda t: t.wall_s)
    text = "".join(segment.text for segment in segments)
    known = [s.temperature for s in segments if s.temperature is not None]
    fallbacks = sum(t > 0 for t in known) if len(known) == len(segments) else None
    wer = word_error_rate(session.reference, text)
    return Result(config.name, session.sid, session.seconds, timing, wer, text, fallbacks)


def error_counts(reference: str, hypothesis: str) -> str:
    out = jiwer.process_words(normalise(reference), normalise(hypothesis))
    return f"S{out.substitutions} D{out.deletions} I{out.insertions}"


def top_errors(reference: str, hypothesis: str, n: int) -> list[tuple[str, int]]:
    """Most frequent substitutions / deletions / insertions after normalisation."""
    out = jiwer.process_words(normalise(reference), normalise(hypothesis))
    ref, hyp = out.references[0], out.hypotheses[0]
    counts: collections.Counter[str] = collections.Counter()
    for chunk in out.alignments[0]:
        r = " ".join(ref[chunk.ref_start_idx : chunk.ref_end_idx])
        h = " ".join(hyp[chunk.hyp_start_idx : chunk.hyp_end_idx])
        if chunk.type != "equal":
            counts[f"{chunk.type[:3]}: {r!r} -> {h!r}"] += 1
    return counts.most_common(n)


def print_table(results: list[Result], configs: list[Config]) -> None:
    print(
        f"\n{'config':28} {'session':>7} {'audio_s':>8} {'wall_s':>7} {'xRT':>6} {'WER':>6} "
        f"{'cpu_s':>6} {'others':>6}"
    )
    by_config: dict[str, list[Result]] = collections.defaultdict(list)
    for result in results:
        by_config[result.config].append(result)
    for config in configs:
        rows = by_config[config.name]
        for r in rows:
            print(
                f"{r.config:28} {r.sid:>7} {r.audio_s:8.1f} {r.wall_s:7.2f} "
                f"{r.speed:6.1f} {r.wer:6.3f} {r.timing.cpu_s:6.1f} {r.timing.others:6.2f}"
            )
        if len(rows) > 1:
            audio = sum(r.audio_s for r in rows)
            wall = sum(r.wall_s for r in rows)
            wer = sum(r.wer for r in rows) / len(rows)
            cpu = sum(r.timing.cpu_s for r in rows)
            print(
                f"{config.name:28} {'all':>7} {audio:8.1f} {wall:7.2f} "
                f"{audio / wall:6.1f} {wer:6.3f} {cpu:6.1f}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", nargs="+", default=["s01"], help="corpus ids, e.g. s01 s03")
    parser.add_argument("--configs", nargs="+", help="config names (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; fastest is kept")
    parser.add_argument("--errors", type=int, default=0, help="print N commonest errors per cell")
    parser.add_argument("--save", type=Path, help="write each transcript to DIR/config.sid.txt")
    parser.add_argument("--list", action="store_true", help="list the configurations and exit")
    parser.add_argument("--seed", type=int, default=SAMPLING_SEED, help="decoders' random seed")
    add_corpus_option(parser)
    parser.add_argument("--gain-db", type=float, default=0.0, help="scale the audio (dB, <= 0)")
    args = parser.parse_args(argv)

    if args.list:
        for c in CONFIGS:
            print(
                f"{c.name:28} {c.kind:10} threads={c.cpu_threads} workers={c.num_workers} "
                f"{c.options} {c.note}"
            )
        return
    names = set(args.configs or [c.name for c in CONFIGS]) | {BASELINE.name}
    unknown = names - {c.name for c in CONFIGS}
    if unknown:
        parser.error(f"unknown configs: {sorted(unknown)}")
    configs = [c for c in CONFIGS if c.name in names]

    ctranslate2.set_random_seed(args.seed)  # before any decoder thread draws a number
    if args.gain_db > 0:
        parser.error("--gain-db must be 0 or below: the corpus already peaks at full scale")
    announce(args.corpus)
    sessions = [load_session(sid, args.corpus, args.gain_db) for sid in args.sessions]
    for s in sessions:
        print(
            f"decoded {s.sid} ({s.audio_path.suffix[1:]}, {s.seconds:.1f} s audio) "
            f"in {s.decode_s:.2f} s = {s.seconds / s.decode_s:.0f}x real time"
        )

    models = Models(args.seed)
    results: list[Result] = []
    for config in configs:
        for session in sessions:
            result = run(models, config, session, args.repeat)
            results.append(result)
            print(
                f"  {config.name:28} {session.sid} {result.speed:6.1f}x  WER {result.wer:.3f}  "
                f"cpu {result.timing.cpu_s:5.1f}s  others {result.timing.others:.2f} cores  "
                f"fallbacks {result.fallbacks}  "
                f"{error_counts(session.reference, result.hypothesis)}",
                flush=True,
            )
            if args.errors:
                for error, count in top_errors(session.reference, result.hypothesis, args.errors):
                    print(f"      {count:3d}  {error}")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{config.name}.{session.sid}.txt").write_text(result.hypothesis)
    print_table(results, configs)


if __name__ == "__main__":
    main()
