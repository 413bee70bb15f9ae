"""Progress of long work: which file is loading, which aggregate is building, how far along.

The engine reports to a callback, ``progress(message, fraction)``: ``fraction`` is ``None``
when a step starts, and a number in [0, 1] while a long DuckDB query of that step runs (read
from DuckDB's own progress, polled from a thread). The CLI draws it on stderr; integrators
pass their own callback, or none (then nothing is polled at all).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import duckdb

__all__ = ["ProgressCallback", "StderrProgress", "watch"]

ProgressCallback = Callable[[str, float | None], None]


def enable(con: duckdb.DuckDBPyConnection) -> None:
    """Let DuckDB measure query progress without printing its own bar."""
    con.execute(
        "SET enable_progress_bar = true; SET enable_progress_bar_print = false; "
        "SET progress_bar_time = 0"
    )


@contextmanager
def watch(
    con: duckdb.DuckDBPyConnection,
    message: str,
    progress: ProgressCallback | None,
    interval: float = 0.25,
) -> Iterator[None]:
    """Report ``message`` now and, while the block runs, the running query's progress."""
    if progress is None:
        yield
        return
    progress(message, None)
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(interval):
            try:
                percent = con.query_progress()
            except duckdb.Error:  # the connection is busy closing; nothing to show
                return
            if percent >= 0:
                progress(message, min(1.0, percent / 100))

    thread = threading.Thread(target=poll, name="ccrules-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class StderrProgress:
    """Progress lines for a person watching a terminal: ``[  2.1s] loading data/qa.csv 45%``.

    Off when the stream is not a terminal (a log file, a pipe, CI) or when ``quiet``.
    A running percentage rewrites its own line; the next step starts a new one.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.started = time.perf_counter()
        self._open = False  # a percentage line waits for its newline
        self._lock = threading.Lock()

    def __call__(self, message: str, fraction: float | None = None) -> None:
        if not self.enabled:
            return
        with self._lock:
            elapsed = time.perf_counter() - self.started
            line = f"[{elapsed:6.1f}s] {message}"
            if fraction is None:
                self.stream.write(("\n" if self._open else "") + line + "\n")
                self._open = False
            else:
                self.stream.write(f"\r{line} {fraction:4.0%}")
                self._open = True
            self.stream.flush()

    def done(self) -> None:
        """End a percentage line left open."""
        if self.enabled and self._open:
            with self._lock:
                self.stream.write("\n")
                self.stream.flush()
                self._open = False
