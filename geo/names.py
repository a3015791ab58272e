"""Normalised Vietnamese unit names, for matching files that carry no codes.

Three keys per name, from strict to loose:

* ``full_key``: Unicode NFC, lower case, punctuation and spacing unified, leading
  zeros dropped from numbers, and the tone mark taken off wherever it sits and
  written after the syllable, so old-style "Hòa" and new-style "Hoà" agree;
* ``bare_key``: the same without the type prefix (xã, phường, thị trấn, huyện,
  thị xã, thành phố, quận, tỉnh);
* ``loose_key``: no diacritics at all (đ -> d) and no spaces: "Đắk" = "Đăk" = "Dak".
  It merges real pairs such as Ia Băng and Ia Bang, so it is only used when unique.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first, so "thị xã" is not read as "thị" + "xã".
TYPE_PREFIXES = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
    "tp.",
    "tx.",
    "tt.",
)
# Combining tone marks; the other marks (circumflex, breve, horn) shape the vowel.
_TONES = {
    "\u0300": "`",  # huyền
    "\u0301": "'",  # sắc
    "\u0303": "~",  # ngã
    "\u0309": "?",  # hỏi
    "\u0323": ".",  # nặng
}
_PUNCTUATION = re.compile(r"[\s\-–—_,;:()/]+")
_APOSTROPHES = re.compile(r"['’ʼ`´]\s*")
_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def _syllable(word: str) -> str:
    """The word without its tone mark, followed by a symbol for that tone."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(_TONES[c] for c in decomposed if c in _TONES)
    plain = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", plain) + tones


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = _APOSTROPHES.sub("", text)
    text = _LEADING_ZEROS.sub(r"\1", _PUNCTUATION.sub(" ", text))
    return text.split()


def _strip_prefix(text: str) -> str:
    for prefix in TYPE_PREFIXES:
        glued = prefix.endswith(".") and text.startswith(prefix)  # "tp.pleiku"
        if glued or text.startswith(prefix + " "):
            return text[len(prefix) :].strip()
    return text


def clean(text: str) -> str:
    """NFC, lower case, single spaces, no apostrophes (prefixes are cut from it)."""
    return " ".join(_words(text))


def full_key(text: str) -> str:
    """Key equal for spellings that differ only in case, spacing or tone placement."""
    return " ".join(_syllable(w) for w in _words(text))


def bare_key(text: str) -> str:
    """``full_key`` without the administrative type prefix."""
    return full_key(_strip_prefix(clean(text)))


def loose_key(text: str) -> str:
    """Accent-, case- and space-insensitive key of the name without its prefix."""
    decomposed = unicodedata.normalize("NFD", _strip_prefix(clean(text)))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", ascii_only.replace("đ", "d"))
