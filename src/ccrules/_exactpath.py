"""A file path DuckDB opens as written.

DuckDB's readers expand ``*``, ``?`` and ``[...]`` in every path and offer no way to turn
that off or escape it: a center folder named ``c[1]`` would be read from ``c1``. A path with
such characters is handed to DuckDB as a link, with a plain name, to the exact file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: characters DuckDB's file readers treat as a pattern (``~`` only at the start)
_PATTERN = frozenset("*?[]{}")


def _plain(text: str) -> bool:
    return not (_PATTERN & set(text)) and not text.startswith("~")


@contextmanager
def exact_path(path: Path) -> Iterator[str]:
    """A path naming ``path`` and nothing else for DuckDB, valid inside the ``with``."""
    text = str(path.absolute())
    if _plain(text):
        yield text
        return
    with tempfile.TemporaryDirectory(prefix="ccrules-") as folder:
        link = Path(folder) / f"file{''.join(path.suffixes)}"
        link.symlink_to(path.absolute())
        if not _plain(str(link)):
            raise OSError(f"the temporary folder {folder} has a glob character in its path")
        yield str(link)
