"""Naming the encoding of a file that is not UTF-8, and saying how to convert it.

Chinese Excel saves CSV as GBK/GB18030 by default, and "Unicode Text" as UTF-16; both are the
usual reasons an export will not read. The input gate and center.toml share these words.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO

__all__ = ["encoding_hint", "guess_encoding"]

EXCEL = "save it from Excel as 'CSV UTF-8'"


def guess_encoding(data: bytes | Path) -> str | None:
    """Name the encoding of text (or of a file) that is not UTF-8, when it is a usual one."""
    chunks: Iterable[bytes]
    handle: IO[bytes]
    if isinstance(data, Path):
        handle = data.open("rb")
        chunks = iter(partial(handle.read, 1 << 20), b"")
    else:
        handle = io.BytesIO()
        chunks = [data]
    with handle:
        decoder = codecs.getincrementaldecoder("gb18030")()
        for number, chunk in enumerate(chunks):
            if number == 0 and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                return "UTF-16"
            try:
                decoder.decode(chunk)  # a character cut at the end of ``data`` is no error
            except UnicodeDecodeError:
                return None
    return "GB18030"


def encoding_hint(
    display: str, encoding: str | None, fixed: str = "fixed.csv", save: str = EXCEL
) -> str:
    """What to tell the operator: the encoding found, the command that converts it to
    ``fixed``, and how to save it as UTF-8 instead."""
    if encoding == "GB18030":
        return (
            "it looks like GBK/GB18030 (Chinese Excel's default); convert it with "
            f"`iconv -f GB18030 -t UTF-8 {display} > {fixed}` or {save}"
        )
    if encoding == "UTF-16":
        return (
            "it looks like UTF-16 (Excel's 'Unicode Text'); convert it with "
            f"`iconv -f UTF-16 -t UTF-8 {display} > {fixed}` or {save}"
        )
    return f"{save} and run again"
