"""Text as the keyword (BM25) index should see it: one spelling for every way a thing is said.

A question types "1,640 degrees", "160 bar", "T-5520" and "litres"; the speech recogniser
writes "1640", "one hundred and sixty bar", "T5,520" or "d5,520" and "liters". The word
tokenizer would keep these apart ("1,640" becomes "1" and "640", "V-204" becomes "v" and "204"),
so before tokenizing, both passages and questions are rewritten the same way:

- spoken numbers become digits ("one hundred and sixty" -> "160"; text2num's ``alpha2digit``);
- thousands separators go ("1,640" -> "1640");
- British spellings take the American form the recogniser mostly writes ("litres" -> "liters");
- a unit after a number is spelled out ("130mm" -> "130 millimeters", "45 Nm" -> "45 newton
  meters"), as people say it;
- a code gets its joined form beside it ("V-204" -> "V-204 V204", "V 204" -> also "V204");
- a code's number of three or more digits stands alone too ("T-5520" -> also "5520"), because
  the recogniser often mishears a code's letters ("d5,520") but rarely all of its digits;
- a number said in groups gets its digits joined beside it: people read codes out in twos and
  threes with "oh" for zero ("work order four seven, two nine one", "eight eight oh, one four
  two", "double seven"), which the recogniser writes "4 7, 2 9 1" or "47, 291"; the joined
  "47291" meets the "WO-47291" a question types, and "880-142" typed meets it as "880142".
  Inside such a run the recogniser's usual mishearings of a digit count as that digit ("work
  order for 8, 1, 1, 5" is 48115, "free free, 1 8" is 3318); they are only ever added, so a
  stray join ("from 5 to 10" also gives "5210") costs nothing but a token no one asks for.

Only the keyword side is rewritten: the dense model reads the text as it was said.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

# "1,640" or "12,345,678": a comma between digits followed by exactly three digits.
_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Alphanumeric parts joined by - / . (at least one join), e.g. V-204, CC-EP-007, S355/J2.
_JOINED_CODE = re.compile(r"\b[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+\b")
# One to three capitals, a space, then digits, as a transcript may write "V 204".
_SPACED_CODE = re.compile(r"\b([A-Z]{1,3}) (\d+)\b")
# Letters and digits in one word: "T5520", "S355", "d5520".
_MIXED_WORD = re.compile(r"\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]+\b")
_CODE_SEPARATORS = re.compile(r"[-/. ]")
_LONG_NUMBER = re.compile(r"\d{3,}")
# How the recogniser writes a digit read out in a code when it does not write the digit.
_DIGIT_SOUNDS = {
    "oh": "0",
    "o": "0",
    "nought": "0",
    "won": "1",
    "to": "2",
    "too": "2",
    "free": "3",
    "for": "4",
    "fore": "4",
    "ate": "8",
}
# The sounds that are also everyday words ("oh" for zero is not one of them: it reads a code).
_MISHEARD = frozenset(_DIGIT_SOUNDS) - {"oh", "o", "nought"}
# One group of a number read aloud: digits, a digit's sound, "double 7", "triple 5".
_GROUP = rf"(?:\d+|{'|'.join(_DIGIT_SOUNDS)}|(?:double|triple) \d)"
# Two or more groups in a row, apart only by spaces, commas, hyphens or slashes.
_GROUPED_NUMBER = re.compile(rf"\b{_GROUP}(?:[ ,/-]+{_GROUP})+\b", re.IGNORECASE)
_GROUP_SEPARATORS = re.compile(r"[ ,/-]+")
_REPEATS = {"double": 2, "triple": 3}

# "metre", "millimetres", "litres", "centre", "fibre" -> "meter", "millimeters", "liters"...
_RE_WORDS = re.compile(r"\b(\w*(?:met|lit|cent|fib|theat|calib|lust|mit|sab|spect))re(s?)\b", re.I)
_BRITISH = {
    "aluminium": "aluminum",
    "behaviour": "behavior",
    "colour": "color",
    "favour": "favor",
    "flavour": "flavor",
    "grey": "gray",
    "honour": "honor",
    "labour": "labor",
    "neighbour": "neighbor",
    "programme": "program",
    "rigour": "rigor",
    "tyre": "tire",
    "vapour": "vapor",
    "catalogue": "catalog",
    "analyse": "analyze",
    "sulphur": "sulfur",
    "mould": "mold",
    "plough": "plow",
}
_UNITS = {
    "mm": "millimeters",
    "cm": "centimeters",
    "km": "kilometers",
    "kg": "kilograms",
    "Nm": "newton meters",
    "kN": "kilonewtons",
    "kW": "kilowatts",
    "kV": "kilovolts",
    "MPa": "megapascals",
    "°C": "degrees",
    "rpm": "revolutions a minute",
    "psi": "pounds per square inch",
}
_UNIT_AFTER_NUMBER = re.compile(r"(?<=\d) ?(" + "|".join(map(re.escape, _UNITS)) + r")(?!\w)")
_BRITISH_WORD = re.compile(r"\b(" + "|".join(_BRITISH) + r")(s|ed|ing)?\b", re.IGNORECASE)


def keyword_text(text: str) -> str:
    """Rewrite numbers, spellings and codes so every way of saying one shares tokens."""
    text = _spoken_numbers(text)
    text = _THOUSANDS_SEPARATOR.sub("", text)
    text = _UNIT_AFTER_NUMBER.sub(lambda m: f" {_UNITS[m.group(1)]}", text)
    text = _RE_WORDS.sub(lambda m: f"{m.group(1)}er{m.group(2)}", text)
    text = _BRITISH_WORD.sub(lambda m: _BRITISH[m.group(1).lower()] + (m.group(2) or ""), text)
    extra: list[str] = []
    for match in _JOINED_CODE.finditer(text):
        code = match.group(0)
        # Dotted words without digits ("e.g") and plain decimals ("1.5") are not codes.
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            extra.append(_CODE_SEPARATORS.sub("", code))
    extra.extend(m.group(1) + m.group(2) for m in _SPACED_CODE.finditer(text))
    for code in [*extra, *_MIXED_WORD.findall(text)]:
        extra.extend(_LONG_NUMBER.findall(code))
    extra.extend(_joined_groups(text))
    if not extra:
        return text
    return f"{text} {' '.join(dict.fromkeys(extra))}"


def _joined_groups(text: str) -> list[str]:
    """Each number read out in groups, its digits joined: "4 7, 2 9 1" -> "47291".

    Only runs of two or more groups that hold a real digit and join to three or more digits
    count: "oh, 5" is an exclamation, not a code. A misheard word ("for", "to") counts only
    at the head of a run of four or more groups, as when a code is read digit by digit;
    elsewhere it is a word between numbers ("torque to 45", "from 5 to 10").
    """
    found = []
    for match in _GROUPED_NUMBER.finditer(text):
        for run in _runs(_GROUP_SEPARATORS.split(match.group(0))):
            digits: list[str] = []
            times = 1
            for group in run:
                word = group.lower()
                if word in _REPEATS:
                    times = _REPEATS[word]  # "double 7": the next group, twice
                    continue
                digits.append(_DIGIT_SOUNDS.get(word, group) * times)
                times = 1
            joined = "".join(digits)
            if len(run) >= 2 and any(c.isdigit() for g in run for c in g) and len(joined) >= 3:
                found.append(joined)
    return found


def _runs(groups: list[str]) -> list[list[str]]:
    """Split where a misheard word follows a digit; drop a head of such words under 4 groups."""
    runs: list[list[str]] = [[]]
    for group in groups:
        misheard = group.lower() in _MISHEARD
        if misheard and runs[-1] and runs[-1][-1].lower() not in _MISHEARD:
            runs.append([])
        runs[-1].append(group)
    kept = []
    for run in runs:
        head = next((i for i, g in enumerate(run) if g.lower() not in _MISHEARD), len(run))
        kept.append(run if len(run) >= 4 else run[head:])
    return kept


def _spoken_numbers(text: str) -> str:
    """Spoken numbers as digits; text2num leaves "one of them" and "a one-off" alone."""
    try:
        return str(alpha2digit(text, "en"))
    except Exception:  # a parser hiccup must not stop indexing: keep the words as said
        return text
