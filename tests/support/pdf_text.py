"""The text of a PDF drawn with fpdf2's core fonts, read back without a PDF library (none is a
test dependency): each content stream inflated (zlib), the strings of its `Tj` and `TJ`
operators decoded from windows-1252. Enough for the PDFs this project draws, and it also
checks their structure: a header, an `%%EOF`, pages, fonts."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOWN = re.compile(rb"\((?:\\.|[^\\)])*\)\s*Tj|\[(?:[^\]]*)\]\s*TJ", re.S)
_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        byte = raw[i : i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        following = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def pdf_lines(content: bytes) -> list[str]:
    """The shown text of every page, one entry per `Tj`/`TJ` (a cell, or a wrapped line)."""
    assert content.startswith(b"%PDF-"), "not a PDF"
    assert content.rstrip().endswith(b"%%EOF"), "a PDF ends with %%EOF"
    lines: list[str] = []
    for header, body in _STREAM.findall(content):
        data = zlib.decompress(body) if b"FlateDecode" in header else body
        if b"BT" not in data:
            continue
        for shown in _SHOWN.findall(data):
            text = b"".join(_unescape(s) for s in _STRING.findall(shown))
            lines.append(text.decode("windows-1252"))
    return lines


def pdf_text(content: bytes) -> str:
    """All the shown text, its pieces joined by spaces (for `in` checks)."""
    return " ".join(" ".join(pdf_lines(content)).split())


def page_count(content: bytes) -> int:
    """How many pages the PDF declares."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", content))
