"""Naming the encoding of a file that is not UTF-8, and saying how to convert it.

Excel saves CSV in the region's legacy code page: GBK/GB18030 in mainland China, Big5 in
Taiwan and Hong Kong, Shift-JIS in Japan, EUC-KR (CP949) in Korea; its "Unicode Text" is
UTF-16. Those bytes overlap (most Big5 or EUC-KR text also decodes as GB18030, to the wrong
characters), so the guess is charset-normalizer's, which weighs what the decoded text looks
like, not only whether it decodes. The input gate and center.toml share these words.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import IO

import attrs
from charset_normalizer import from_bytes

__all__ = ["encoding_hint", "guess_encoding"]

EXCEL = "save it from Excel as 'CSV UTF-8'"

#: How much text is weighed: enough for a sure guess, little enough for any file.
_SAMPLE = 256 * 1024
#: Bytes outside ASCII (about half as many characters) below which no guess is sure.
_ENOUGH = 40
_NOT_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*\n?")


@attrs.frozen
class _Encoding:
    name: str  # as the operator knows it
    iconv: str  # what ``iconv -f`` calls it (a superset where Excel writes one)
    why: str  # where such files come from


_KNOWN = {
    "GB18030": _Encoding("GBK/GB18030", "GB18030", "Chinese Excel's default"),
    "Big5": _Encoding("Big5", "BIG5-HKSCS", "Excel's default in Taiwan and Hong Kong"),
    "Shift-JIS": _Encoding("Shift-JIS", "CP932", "Japanese Excel's default"),
    "EUC-KR": _Encoding("EUC-KR", "CP949", "Korean Excel's default"),
    "UTF-16": _Encoding("UTF-16", "UTF-16", "Excel's 'Unicode Text'"),
    "UTF-16LE": _Encoding("UTF-16LE", "UTF-16LE", "UTF-16 without a byte-order mark"),
    "UTF-16BE": _Encoding("UTF-16BE", "UTF-16BE", "UTF-16 without a byte-order mark"),
}

# charset-normalizer's (Python's) codec names, by the family an operator converts from
_FAMILIES = {
    "gb2312": "GB18030",
    "gbk": "GB18030",
    "gb18030": "GB18030",
    "hz": "GB18030",
    "big5": "Big5",
    "big5hkscs": "Big5",
    "cp950": "Big5",
    "shift_jis": "Shift-JIS",
    "cp932": "Shift-JIS",
    "shift_jis_2004": "Shift-JIS",
    "shift_jisx0213": "Shift-JIS",
    "euc_kr": "EUC-KR",
    "cp949": "EUC-KR",
    "johab": "EUC-KR",
    "utf_16_le": "UTF-16LE",
    "utf_16_be": "UTF-16BE",
}


def _sample(handle: IO[bytes]) -> bytes:
    """The start of the text; of text in an 8-bit encoding, its lines that are not plain
    ASCII (a few such lines deep in a big file are all there is to weigh)."""
    head = handle.read(_SAMPLE)
    if b"\x00" in head[:4096] or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head  # UTF-16: its lines cannot be cut at a newline byte
    kept: list[bytes] = []
    size, chunk, rest = 0, head, b""
    while chunk and size < _SAMPLE:
        chunk = rest + chunk
        cut = chunk.rfind(b"\n") + 1
        whole, rest = chunk[:cut], chunk[cut:]
        for match in _NOT_ASCII_LINE.finditer(whole):
            kept.append(match.group(0))
            size += len(match.group(0))
        chunk = handle.read(1 << 20)
    kept.append(rest)
    return b"".join(kept)[:_SAMPLE]


def guess_encoding(data: bytes | Path) -> str | None:
    """Name the encoding of text (or of a file) that is not UTF-8, when it is a usual one:
    ``GB18030``, ``Big5``, ``Shift-JIS``, ``EUC-KR``, ``UTF-16`` (with a byte-order mark),
    ``UTF-16LE`` or ``UTF-16BE`` (without); ``None`` for anything else."""
    with data.open("rb") if isinstance(data, Path) else io.BytesIO(data) as handle:
        sample = _sample(handle)
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    # a handful of characters (one name, a comment) fits several code pages equally well:
    # too few to tell, they are taken for GB18030 as most such files are
    if b"\x00" in sample or sum(byte > 0x7F for byte in sample) >= _ENOUGH:
        for match in from_bytes(sample, cp_isolation=list(_FAMILIES)):
            family = _FAMILIES.get(match.encoding)
            if family is not None and _reads_as(family, str(match)):
                return family
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample)
    except UnicodeDecodeError:
        return None
    return "GB18030"


def _reads_as(family: str, text: str) -> bool:
    """Whether ``text`` looks like what a file in ``family`` holds: on a few lines, the
    guess can fall on a code page that decodes the bytes into another script's characters
    (Chinese read as Korean Hanja, or as Japanese half-width katakana)."""
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return family.startswith("UTF-16")
    hangul = sum("\uac00" <= char <= "\ud7a3" for char in wide)
    if family == "EUC-KR":
        return hangul * 2 > len(wide)
    half_kana = sum("\uff61" <= char <= "\uff9f" for char in wide)
    return half_kana * 10 < len(wide) and hangul * 10 < len(wide)


def encoding_hint(
    display: str, encoding: str | None, fixed: str = "fixed.csv", save: str = EXCEL
) -> str:
    """What to tell the operator: the encoding found, the command that converts it to
    ``fixed``, and how to save it as UTF-8 instead."""
    known = _KNOWN.get(encoding or "")
    if known is None:
        return f"{save} and run again"
    return (
        f"it looks like {known.name} ({known.why}); convert it with "
        f"`iconv -f {known.iconv} -t UTF-8 {display} > {fixed}` or {save}"
    )
