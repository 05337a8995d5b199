"""Does giving the glossary to Whisper help? Transcribe corpus sessions without the demo
glossary, with it as an initial prompt, and with it as hotwords; report WER and how many
spoken glossary terms come out right.

"Term recall": of the glossary terms (and synonyms) said in the truth text of a session, the
share that also appear in the transcript, compared after `bench/wer.py`'s normaliser with
hyphens closed up ("IH-2" = "ih2"). Both arms use Baton's default decoding otherwise.

    .venv/bin/python -m bench.glossary [--corpus DIR] [--sessions s01 s04 ...]
"""

from __future__ import annotations

import argparse
import re
import time
from typing import Any

from baton.models.speech import SpeechModel, SpeechModelConfig
from baton.service.demo.bundled import demo_programme
from baton.workers.media import decode_audio
from baton.workers.transcribe import TranscribeOptions, transcribe
from bench.corpora import add_corpus_option, announce, reference_text, session_files
from bench.wer import normalise, word_error_rate


def closed_up(text: str) -> str:
    return " " + re.sub(r"(?<=\w)[-/](?=\w)", "", normalise(text)).replace("-", " ") + " "


def term_hits(terms: list[str], reference: str, hypothesis: str) -> tuple[int, int]:
    """(terms said in the reference, of those also in the hypothesis), counting occurrences."""
    said = found = 0
    ref, hyp = closed_up(reference), closed_up(hypothesis)
    for term in terms:
        needle = closed_up(term)
        in_ref = ref.count(needle)
        said += in_ref
        found += min(in_ref, hyp.count(needle))
    return said, found


def glossary_prompt(glossary: list[dict[str, Any]]) -> str:
    return "Glossary: " + ", ".join(t["term"] for t in glossary) + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", nargs="+", help="e.g. s01 s04 (default: all)")
    add_corpus_option(parser)
    args = parser.parse_args()
    announce(args.corpus)
    glossary = demo_programme()["glossary"]
    hotwords = " ".join(sorted((t["term"] for t in glossary), key=len))
    terms = [s for t in glossary for s in [t["term"], *t["synonyms"]]]
    model = SpeechModel(SpeechModelConfig(cpu_threads=1, num_workers=2))
    model.whisper  # noqa: B018 - load before the clock
    print(f"hotwords: {hotwords!r}")
    arms: dict[str, TranscribeOptions] = {
        "plain": TranscribeOptions(),
        "prompt": TranscribeOptions(initial_prompt=glossary_prompt(glossary)),
        "hotwords": TranscribeOptions(hotwords=hotwords),
    }
    totals: dict[str, list[float]] = {arm: [0.0, 0, 0, 0.0] for arm in arms}
    audio_paths = session_files(args.corpus, args.sessions)
    for audio_path in audio_paths:
        sid = audio_path.stem
        reference = reference_text(args.corpus, sid)
        audio = decode_audio(audio_path)
        for arm, options in arms.items():
            started = time.perf_counter()
            transcript = transcribe(audio, model, options)
            seconds = time.perf_counter() - started
            hypothesis = " ".join(s.text for s in transcript.segments)
            wer = word_error_rate(reference, hypothesis)
            said, found = term_hits(terms, reference, hypothesis)
            totals[arm][0] += wer
            totals[arm][1] += said
            totals[arm][2] += found
            totals[arm][3] += seconds
            print(f"{sid} {arm:8} WER {wer:.3f}  terms {found}/{said}  {seconds:.1f}s", flush=True)
    n = len(audio_paths)
    for arm, (wer_sum, said, found, seconds) in totals.items():
        recall = found / said if said else 0.0
        print(
            f"ALL {arm:8} mean WER {wer_sum / n:.3f}  "
            f"term recall {found}/{said} = {recall:.2f}  {seconds:.0f}s"
        )


if __name__ == "__main__":
    main()
