"""Speak benchmark session scripts with espeak-ng, one voice per person, and write the truth.

Why: Baton's retrieval and speaker benchmarks need recordings whose every turn has a known
speaker, start and end. The held-out corpora in ``bench/`` are written as scripts
(``sessions/<sid>.json``) and spoken here, so that the timings are exact by construction and a
corpus can be remade from its scripts alone. Unlike the team's first generator (two fixed roles,
``expert`` and ``starter``), this one speaks any number of named people: a turn's ``speaker`` is
a key of the session's ``pair`` (``expert``, ``starter``) or of its ``guests`` (e.g.
``supervisor``), and each person has a voice of their own. ``--degrade`` turns chosen sessions
into a far-field recording (room echo, a distant phone's narrow band, steady background noise)
while keeping every turn's timing.

    .venv/bin/python -m bench.speak_sessions SESSIONS_DIR AUDIO_DIR [--degrade SID ...]
        [--voice "Full Name=espeak-voice@wpm" ...]

For each ``SESSIONS_DIR/<sid>.json`` it writes ``AUDIO_DIR/<sid>.ogg`` (Opus, 16 kbit/s, mono,
``-application voip``) and ``AUDIO_DIR/<sid>.truth.json`` (``id``, ``duration``, and per turn
``turn``, ``speaker`` (the key), ``name`` (the person), ``start``, ``end``, ``text``). Turns are
0.6 s apart and ``duration`` includes the gap after the last turn, as in the first corpora.
Needs ``espeak-ng`` (Debian package) and ffmpeg (the one ``imageio-ffmpeg`` ships, else PATH).
Byte for byte the same on every run with one espeak-ng and ffmpeg version (the noise has a
fixed seed, the Ogg stream a fixed serial number).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RATE = 16000
GAP_S = 0.6
OPUS = ["-c:a", "libopus", "-b:a", "16k", "-application", "voip"]


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice (with its variant) and a speed in words a minute."""

    name: str
    wpm: int

    @classmethod
    def parse(cls, spec: str) -> Voice:
        name, _, wpm = spec.partition("@")
        return cls(name, int(wpm or 160))


# The people of bench/handover_corpus and bench/toolbox_corpus. None of these voices is the
# first corpora's (en-gb-x-gbcwmd at 150, en-us+f3 at 170).
VOICES: dict[str, Voice] = {
    "Alistair Muir": Voice("en-gb-scotland", 145),
    "Tomasz Nowak": Voice("en-us+m5", 168),
    "Lorraine Kettle": Voice("en+f4", 158),
    "Alan Brocklehurst": Voice("en-gb-x-gbclan", 142),
    "Megan Pryce": Voice("en-gb-x-rp+f2", 165),
}
# Anyone else gets one of these, by their order of first speaking in the session.
SPARE = [Voice("en-gb-x-rp+m3", 155), Voice("en+f5", 165), Voice("en-029+m2", 150)]

# A far-field phone at the back of a room: four early reflections (23 to 137 ms), the narrow
# band of a cheap microphone, a touch of compression, then brown noise (a ventilation rumble)
# and a little pink hiss mixed in, about 18 dB under the speech.
DEGRADE = (
    "[0:a]aecho=0.8:0.6:23|47|89|137:0.35|0.22|0.12|0.06,"
    "highpass=f=250,lowpass=f=3400,"
    "acompressor=threshold=0.1:ratio=3[far];"
    "anoisesrc=r={rate}:color=brown:amplitude=0.05:seed=41,highpass=f=60[hum];"
    "anoisesrc=r={rate}:color=pink:amplitude=0.008:seed=7[hiss];"
    "[far][hum][hiss]amix=inputs=3:duration=first:normalize=0[out]"
)


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except ImportError:
        found = shutil.which("ffmpeg")
        if found is None:
            raise SystemExit("ffmpeg not found: install imageio-ffmpeg or ffmpeg") from None
        return found


def people(session: dict[str, Any]) -> dict[str, str]:
    """Speaker key -> the person's name, from the session's ``pair`` and ``guests``."""
    found = {key: str(person["name"]) for key, person in session["pair"].items()}
    found |= {key: str(person["name"]) for key, person in session.get("guests", {}).items()}
    return found


def voices_for(session: dict[str, Any], chosen: dict[str, Voice]) -> dict[str, Voice]:
    """Speaker key -> voice: the person's own, else a spare one not taken in this session."""
    names = people(session)
    spare = [v for v in SPARE if v not in chosen.values()]
    found: dict[str, Voice] = {}
    for turn in session["turns"]:
        key = turn["speaker"]
        if key in found:
            continue
        if key not in names:
            raise SystemExit(f"{session['id']}: speaker {key!r} is in neither pair nor guests")
        found[key] = chosen.get(names[key]) or spare.pop(0)
    return found


def speak(ffmpeg: str, text: str, voice: Voice, path: Path) -> float:
    """One turn as 16 kHz mono WAV; its length in seconds."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(
        ["espeak-ng", "-v", voice.name, "-s", str(voice.wpm), "-w", str(raw), "--stdin"],
        input=text.encode(),
        check=True,
    )
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-y", "-i", str(raw), "-ar", str(RATE), "-ac", "1",
         "-c:a", "pcm_s16le", str(path)],
        check=True,
    )  # fmt: skip
    raw.unlink()
    with wave.open(str(path)) as w:
        return float(w.getnframes() / w.getframerate())


def silence(ffmpeg: str, seconds: float, path: Path) -> None:
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         f"anullsrc=r={RATE}:cl=mono", "-t", str(seconds), "-c:a", "pcm_s16le", str(path)],
        check=True,
    )  # fmt: skip


def encode(ffmpeg: str, pcm: Path, out: Path, seconds: float, *, degrade: bool) -> None:
    """Opus at 16 kbit/s; with ``degrade``, through the far-field filters first, cut back to
    exactly ``seconds`` so that the echo's tail does not shift the truth."""
    filters = ["-filter_complex", DEGRADE.format(rate=RATE), "-map", "[out]"] if degrade else []
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-y", "-i", str(pcm), *filters, "-t", f"{seconds:.3f}",
         "-map_metadata", "-1", "-fflags", "+bitexact", "-ar", str(RATE), "-ac", "1", *OPUS,
         str(out)],
        check=True,
    )  # fmt: skip


def render(spec: Path, dst: Path, ffmpeg: str, chosen: dict[str, Voice], *, degrade: bool) -> None:
    session = json.loads(spec.read_text())
    sid = session["id"]
    names = people(session)
    voices = voices_for(session, chosen)
    with tempfile.TemporaryDirectory(prefix=f"speak-{sid}-") as tmp:
        folder = Path(tmp)
        gap = folder / "gap.wav"
        silence(ffmpeg, GAP_S, gap)
        parts: list[Path] = []
        truth: list[dict[str, Any]] = []
        at = 0.0
        for i, turn in enumerate(session["turns"]):
            part = folder / f"t{i:03d}.wav"
            seconds = speak(ffmpeg, turn["text"], voices[turn["speaker"]], part)
            truth.append({
                "turn": i, "speaker": turn["speaker"], "name": names[turn["speaker"]],
                "start": round(at, 3), "end": round(at + seconds, 3), "text": turn["text"],
            })  # fmt: skip
            parts += [part, gap]
            at += seconds + GAP_S
        listing = folder / "list.txt"
        listing.write_text("".join(f"file '{p}'\n" for p in parts))
        pcm = folder / "all.wav"
        subprocess.run(
            [ffmpeg, "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i",
             str(listing), "-c", "copy", str(pcm)],
            check=True,
        )  # fmt: skip
        encode(ffmpeg, pcm, dst / f"{sid}.ogg", at, degrade=degrade)
    body = {"id": sid, "duration": round(at, 3), "turns": truth}
    (dst / f"{sid}.truth.json").write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n")
    used = ", ".join(f"{names[k]} {v.name}@{v.wpm}" for k, v in voices.items())
    print(f"{sid}: {at / 60:.2f} min, {len(truth)} turns{' (degraded)' if degrade else ''}; {used}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sessions", type=Path, help="folder of <sid>.json scripts")
    parser.add_argument("audio", type=Path, help="where <sid>.ogg and <sid>.truth.json go")
    parser.add_argument("--degrade", nargs="*", default=[], metavar="SID",
                        help="sessions to make far-field and noisy")  # fmt: skip
    parser.add_argument("--voice", action="append", default=[], metavar="NAME=VOICE@WPM",
                        help="a person's voice, e.g. 'Megan Pryce=en+f4@160'")  # fmt: skip
    args = parser.parse_args()
    chosen = dict(VOICES)
    for spec in args.voice:
        name, _, voice = spec.partition("=")
        chosen[name.strip()] = Voice.parse(voice.strip())
    args.audio.mkdir(parents=True, exist_ok=True)
    ffmpeg = ffmpeg_exe()
    specs = sorted(args.sessions.glob("*.json"))
    unknown = set(args.degrade) - {p.stem for p in specs}
    if unknown:
        raise SystemExit(f"--degrade: no session {', '.join(sorted(unknown))}")
    for spec in specs:
        render(spec, args.audio, ffmpeg, chosen, degrade=spec.stem in args.degrade)


if __name__ == "__main__":
    main()
