"""Shared text normaliser and word error rate for Baton's speech benchmarks.

Every benchmark that scores a transcript against the corpus truth should call
:func:`word_error_rate` (or :func:`normalise` on both sides) so that numbers are comparable.

The normaliser is deliberately small and symmetric: the same function runs on the reference and
on the hypothesis, and it only removes differences of *writing*, never of *wording*.

1. Unicode NFKC, lowercase, curly quotes made straight.
2. Number punctuation: thousands separators go ("1,640" -> "1640"); a decimal point or a clock
   colon between digits becomes a word ("1.68" -> "1 point 6 8", "6:15" -> "6 15"), so "one point
   six eight" and "1.68" meet half-way; "%" -> "percent".
3. Hyphens, slashes and other punctuation become spaces ("MS-OP-014" -> "ms op 014",
   "eighty-five" -> "eighty five"); apostrophes are dropped ("don't" -> "dont").
   A comma, full stop, question mark, colon or semicolon also ends a number (see 4), so
   "1,500, 95" stays two numbers.
4. Spelled-out cardinals become digits, with English grouping: "one thousand six hundred and
   forty" -> "1640", "twenty five" -> "25", "one" -> "1". Digits written by the recogniser are
   joined the same way only across "and" after a whole hundred ("1600 and 40" -> "1640",
   which is how the speech synthesiser says 1,640); "200 and 250" stays apart. Digit strings
   with a leading zero ("007") are codes and are never merged.
5. A few British/American spellings that occur in the corpus are mapped to one form (Whisper
   mostly writes American: "colour" -> "color", "centre" -> "center", "mould" -> "mold",
   "grey" -> "gray", "-ised" -> "-ized" for the listed words), and "ok" -> "okay".

Ordinals ("17th", "first") and contractions are left as they are: "I got" for "I've got" is a
recognition error, not a writing difference.
"""

from __future__ import annotations

import re
import unicodedata

import jiwer

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 1_000, "million": 1_000_000}

_SPELLING = {
    "colour": "color", "colours": "colors", "centre": "center", "centres": "centers",
    "labour": "labor", "millimetre": "millimeter", "millimetres": "millimeters",
    "metre": "meter", "metres": "meters", "litre": "liter", "litres": "liters",
    "aluminised": "aluminized", "anodised": "anodized", "anodising": "anodizing",
    "realise": "realize", "realised": "realized", "organise": "organize",
    "organised": "organized", "mould": "mold", "moulds": "molds", "moulding": "molding",
    "grey": "gray", "aluminium": "aluminum", "ok": "okay",
}  # fmt: skip

# A token plus whether punctuation that ends a number (, . ? ! : ;) followed it.
_Token = tuple[str, bool]


def _tokens(text: str) -> list[_Token]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,640 -> 1640
    text = re.sub(  # 1.68 -> 1 point 6 8, as it is spoken
        r"(?<=\d)\.(\d+)", lambda m: " point " + " ".join(m.group(1)), text
    )
    text = re.sub(r"(?<=\d):(?=\d)", " ", text)  # 6:15 -> 6 15
    text = text.replace("%", " percent ")
    text = text.replace("'", "")
    text = re.sub(r"[,.?!:;]+", " \x00 ", text)  # \x00 marks a number boundary
    text = re.sub(r"[^\w\x00]+", " ", text)
    out: list[_Token] = []
    for word in text.split():
        if word == "\x00":
            if out:
                out[-1] = (out[-1][0], True)
        else:
            out.append((_SPELLING.get(word, word), False))
    return out


def _value(word: str) -> tuple[int, bool] | None:
    """(value, spelled) for a cardinal word or a plain digit string, else None."""
    if word in _UNITS:
        return _UNITS[word], True
    if word in _TENS:
        return _TENS[word], True
    if word.isdigit() and (word == "0" or not word.startswith("0")):
        return int(word), False
    return None


def _free_slot(value: int) -> int:
    """Largest addend that may still follow `value` ("twenty" takes 1-9, "1600" takes 1-99)."""
    if value % 100 == 0:
        return 100 if value else 0
    if value % 10 == 0 and value % 100 >= 20:
        return 10
    return 0


def _join_numbers(tokens: list[_Token]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word, stop = tokens[i]
        first = _value(word)
        if first is None:
            out.append(word)
            i += 1
            continue
        value, spelled = first
        high, group, slot = 0, value, _free_slot(value)
        hundreds = value >= 100
        i += 1
        while not stop and i < len(tokens):
            nxt, nxt_stop = tokens[i]
            if spelled and nxt == "hundred" and 0 < group < 10 and not hundreds:
                group, slot, hundreds = group * 100, 100, True
            elif spelled and nxt in _SCALES and 0 < group < 1000 and high == 0:
                high, group, slot, hundreds = group * _SCALES[nxt], 0, 1000, False
            elif nxt == "and" and slot in (100, 1000) and i + 1 < len(tokens):
                after = _value(tokens[i + 1][0])
                if after is None or after[0] >= 100:
                    break
                group += after[0]
                slot = _free_slot(after[0])
                nxt_stop = tokens[i + 1][1]
                i += 1
            else:
                addend = _value(nxt)
                if addend is None or not (spelled and addend[1]) or addend[0] >= max(slot, 1):
                    break
                group += addend[0]
                slot = _free_slot(addend[0])
            stop = nxt_stop
            i += 1
        out.append(str(high + group))
    return out


def normalise(text: str) -> str:
    """Lowercase, unpunctuated, numbers as digits; see the module docstring."""
    return " ".join(_join_numbers(_tokens(text)))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """jiwer WER of the two texts after :func:`normalise`."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return float(jiwer.wer(ref, hyp or "<empty>"))
