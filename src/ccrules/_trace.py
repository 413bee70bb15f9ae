"""The record of one hook call, for tracing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import attrs

from ccrules.errors import PluginError, PluginInterrupted

__all__ = ["HookCall", "timed"]


@attrs.frozen
class HookCall:
    """One hook call, as recorded for tracing.

    :param plugins: the implementing plugins in the order they were first called (a plugin
        with a wrapper and an implementation of the hook is named once).
    :param duration_ms: wall time of the call.
    :param results: items returned (merged list length; 1 or 0 for a deciding hook).
    """

    hook: str
    plugins: tuple[str, ...]
    duration_ms: float
    results: int


def timed(
    trace: list[HookCall],
    hook: str,
    plugin: str,
    call: Callable[[], Any],
    count: Callable[[Any], int],
) -> Any:
    """Call a per-plugin hook implementation directly and record it."""
    started = time.perf_counter()
    try:
        result = call()
    except KeyboardInterrupt as error:
        raise PluginInterrupted(hook, plugin) from error
    except BaseException as error:
        raise PluginError(hook, plugin, error) from error
    duration = (time.perf_counter() - started) * 1000
    trace.append(HookCall(hook, (plugin,), round(duration, 3), count(result)))
    from ccrules._manager import MONITORS  # late: the manager module imports this one

    for monitor in MONITORS:
        monitor.record(hook, (plugin,), {}, result)
    return result
