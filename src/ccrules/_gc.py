"""Fewer cyclic garbage collections while a plan or a review is made.

A plan of 50,000 agents makes millions of small objects (needs, reasons, facts, sessions)
and frees almost none of them until it is done. Python's cyclic collector, at its default
thresholds, walks all of them again every time the young generations fill: about a sixth
of such a plan's time, for no garbage found. While :func:`batch` is active the young
generation is collected every 1,000,000 allocations instead of 700, and the oldest rarely;
the thresholds the process had are restored when the last batch ends. Reference counting
frees everything that is not in a cycle at once, as always, so memory does not grow.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: allocations between collections of the young generation while a batch runs: at 1,000,000
#: (100,000 before translatable reasons added a message per reason) a 50,000-agent plan is
#: about 1.1 s (5%) faster, measured alternately four times
YOUNG = 1_000_000
_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] = gc.get_threshold()


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Collect cycles less often until the block ends (nestable, thread-safe)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            young, middle, old = _saved
            if young:  # 0: the process turned collection off; leave it so
                gc.set_threshold(max(young, YOUNG), max(middle, 50), max(old, 100))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)


def batched(method: Callable[P, R]) -> Callable[P, R]:
    """Run ``method`` inside :func:`batch`."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with batch():
            return method(*args, **kwargs)

    return run
