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
  the recogniser often mishears a code's letters ("d5,520") but rarely all of its digits.

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
    if not extra:
        return text
    return f"{text} {' '.join(dict.fromkeys(extra))}"


def _spoken_numbers(text: str) -> str:
    """Spoken numbers as digits; text2num leaves "one of them" and "a one-off" alone."""
    try:
        return str(alpha2digit(text, "en"))
    except Exception:  # a parser hiccup must not stop indexing: keep the words as said
        return text
