"""Plans and reviews run with fewer cyclic collections, and leave the process as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccrules import Engine, _gc


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_a_batch_raises_the_thresholds_and_restores_them(
    thresholds: tuple[int, int, int],
) -> None:
    with _gc.batch():
        assert gc.get_threshold() == (_gc.YOUNG, 50, 100)
        with _gc.batch():  # nested: the outer batch restores
            pass
        assert gc.get_threshold() == (_gc.YOUNG, 50, 100)
    assert gc.get_threshold() == thresholds


def test_a_batch_restores_after_an_error(thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), _gc.batch():
        raise RuntimeError
    assert gc.get_threshold() == thresholds


def test_collection_turned_off_stays_off() -> None:
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with _gc.batch():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_plan_runs_in_a_batch(
    tiny: Path, thresholds: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int, int]] = []
    real = Engine.build_evidence

    def spy(self: Engine) -> object:
        seen.append(gc.get_threshold())
        return real(self)

    monkeypatch.setattr(Engine, "build_evidence", spy)
    with Engine.from_folder(tiny) as engine:
        engine.plan()
    assert seen and all(t[0] == _gc.YOUNG for t in seen)
    assert gc.get_threshold() == thresholds
