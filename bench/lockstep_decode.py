"""Two ways to decode two parts of a recording on 2 cores: which one gives more per second?

Baton's first pass cuts a recording in two and runs two sequential decoders side by side,
each in its own thread with one CPU thread (``parallel_parts``). The alternative the field
uses for long-form batching (Hugging Face's sequential long-form generation) keeps the parts
in lock step: each step encodes and decodes the next 30-second window of *both* parts in one
CTranslate2 call of batch 2, so the model's weights are read once per token for both. That
wins when decoding is bound by memory traffic, and loses to padding and waiting when it is
bound by arithmetic.

This times the decoding of the same windows both ways (beam 5, as Baton decodes): two
one-thread streams in parallel, one two-thread call of batch 2, and one one-thread call of
batch 2. Windows are fixed 30-second slices of a corpus session, without previous-text
prompts, so all layouts decode exactly the same tokens; the printed token counts show it.

    .venv/bin/python -m bench.lockstep_decode [--session s04] [--windows 6] [--rounds 2]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable

import ctranslate2
import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio
from faster_whisper.feature_extractor import FeatureExtractor
from faster_whisper.tokenizer import Tokenizer

from baton.models.speech import SpeechModel, SpeechModelConfig
from bench.corpora import add_corpus_option, announce, session_files

WINDOW_SAMPLES = 30 * 16_000
Features = npt.NDArray[np.float32]
Parts = tuple[list[Features], list[Features]]


def load(threads: int, workers: int) -> tuple[WhisperModel, list[int]]:
    """The bundled tiny.en int8, as Baton loads it, and its English transcription prompt."""
    model = SpeechModel(SpeechModelConfig(cpu_threads=threads, num_workers=workers)).whisper
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    return model, list(tokenizer.sot_sequence)


def window_features(audio: npt.NDArray[np.float32], first: int, count: int) -> list[Features]:
    """Log-mel features of ``count`` consecutive 30-second windows from sample ``first``."""
    extract = FeatureExtractor()
    windows = []
    for n in range(count):
        piece = audio[first + n * WINDOW_SAMPLES : first + (n + 1) * WINDOW_SAMPLES]
        windows.append(extract(piece)[:, :3000])
    return windows


def decode(model: WhisperModel, prompt: list[int], windows: list[Features]) -> int:
    """Encode and beam-decode ``windows`` in one call; the number of tokens produced."""
    encoded = model.model.encode(ctranslate2.StorageView.from_array(np.stack(windows)))
    results = model.model.generate(
        encoded, [prompt] * len(windows), beam_size=5, max_length=224, suppress_blank=True
    )
    return sum(len(r.sequences_ids[0]) for r in results)


def side_by_side(parts: Parts) -> tuple[float, int]:
    """Baton's layout: each part its own thread, one CPU thread per decoder."""
    model, prompt = load(threads=1, workers=2)
    tokens = [0, 0]

    def stream(number: int) -> None:
        for window in parts[number]:
            tokens[number] += decode(model, prompt, [window])

    started = time.perf_counter()
    threads = [threading.Thread(target=stream, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sum(tokens)


def lock_step(parts: Parts, threads: int) -> tuple[float, int]:
    """Both parts' next window in one call of batch 2."""
    model, prompt = load(threads=threads, workers=1)
    started = time.perf_counter()
    tokens = sum(decode(model, prompt, [a, b]) for a, b in zip(*parts, strict=True))
    return time.perf_counter() - started, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--session", default="s04")
    parser.add_argument("--windows", type=int, default=6, help="windows per part")
    parser.add_argument("--rounds", type=int, default=2)
    add_corpus_option(parser)
    args = parser.parse_args()

    announce(args.corpus)
    source = session_files(args.corpus, [args.session])[0]
    audio = decode_audio(str(source))
    second_part = len(audio) // 2
    parts = (
        window_features(audio, 0, args.windows),
        window_features(audio, second_part, args.windows),
    )
    layouts: dict[str, Callable[[Parts], tuple[float, int]]] = {
        "two streams side by side (1 thread each)": side_by_side,
        "lock step, batch 2, 2 threads": lambda p: lock_step(p, threads=2),
        "lock step, batch 2, 1 thread": lambda p: lock_step(p, threads=1),
    }
    print(f"{args.session}: 2 parts x {args.windows} windows of 30 s, beam 5, tiny.en int8")
    for round_number in range(1, args.rounds + 1):
        for name, run in layouts.items():
            seconds, tokens = run(parts)
            print(f"round {round_number}  {name:<42} {seconds:6.2f} s  {tokens} tokens")


if __name__ == "__main__":
    main()
