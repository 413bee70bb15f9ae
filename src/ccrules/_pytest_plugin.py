"""The pytest plugin ccrules installs (entry point ``pytest11``): the fixtures of
:mod:`ccrules.testing`.

pytest loads every installed plugin at start-up, in every project of an environment where
ccrules is installed, tests of ccrules plugins or not. So this module imports nothing heavy:
:mod:`ccrules.testing`, and with it the engine, DuckDB and numpy, is imported the first time
a test asks for one of these fixtures.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

if TYPE_CHECKING:
    from ccrules._engine import Engine
    from ccrules.testing import CenterFolder, HookRecorder


@pytest.fixture(scope="session")
def _ccrules_small_center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ccrules.testing import small_center

    return small_center(tmp_path_factory.mktemp("ccrules-small") / "center")


@pytest.fixture
def ccrules_center(
    tmp_path: Path, _ccrules_small_center: Path
) -> Callable[[str | Path | None], CenterFolder]:
    """A factory: ``ccrules_center(source=None)`` copies a center folder (the small synthetic
    center when ``source`` is ``None``) into the test's temporary folder, without its
    history, and returns it as a :class:`CenterFolder`."""
    from ccrules.testing import CenterFolder

    made: list[Path] = []

    def copy(source: str | Path | None = None) -> CenterFolder:
        origin = Path(source) if source is not None else _ccrules_small_center
        target = tmp_path / f"center-{len(made)}-{origin.name}"
        shutil.copytree(origin, target, ignore=shutil.ignore_patterns(".ccrules"))
        made.append(target)
        return CenterFolder(target)

    return copy


class _CenterData(Protocol):
    def engine(self, plugins: Mapping[str, object] | None = None) -> Engine: ...


@pytest.fixture
def ccrules_engine(
    ccrules_center: Callable[[str | Path | None], CenterFolder],
) -> Iterator[Callable[..., Engine]]:
    """A factory: ``ccrules_engine(center=None, *, plugins=None, cycle=None)`` builds an
    :class:`~ccrules.Engine`.

    ``center`` is a :class:`CenterFolder` (used as it is), a folder path (copied first), a
    ``ccrules.strategies.CenterData`` (built in memory), or ``None`` (a copy of the small
    synthetic center). ``plugins`` maps names to plugin objects; each is enabled first, ahead
    of the center's own plugins. Engines are closed when the test ends.
    """
    from ccrules._engine import Engine
    from ccrules.testing import CenterFolder

    engines: list[Engine] = []

    def build(
        center: CenterFolder | str | Path | _CenterData | None = None,
        *,
        plugins: Mapping[str, object] | None = None,
        cycle: str | None = None,
    ) -> Engine:
        if center is not None and not isinstance(center, CenterFolder | str | Path):
            engine = center.engine(plugins)
        else:
            folder = center if isinstance(center, CenterFolder) else ccrules_center(center)
            for name in reversed(list(plugins or {})):
                folder.enable(name)
            engine = Engine.from_folder(folder.path, cycle=cycle, plugins=plugins)
        engines.append(engine)
        return engine

    yield build
    for engine in engines:
        engine.close()


@pytest.fixture
def ccrules_recorder() -> Iterator[HookRecorder]:
    """A :class:`HookRecorder` of every engine the test builds."""
    from ccrules.testing import HookRecorder

    with HookRecorder() as recorder:
        yield recorder
