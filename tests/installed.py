"""Register a package the way pip does, without installing it: a ``.dist-info`` folder with
its metadata and entry points, in a folder that goes on ``PYTHONPATH`` (or ``sys.path``)
beside the package's sources. ``importlib.metadata`` then finds the distribution and its
``ccrules`` entry points exactly as it finds an installed one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path


def register(site: Path, dist: str, version: str, entry_points: Mapping[str, str]) -> Path:
    """Write ``<site>/<dist>-<version>.dist-info`` declaring ``entry_points`` (name -> module)
    in the ``ccrules`` group; returns the dist-info folder."""
    normalized = re.sub(r"[-_.]+", "_", dist)
    info = site / f"{normalized}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[ccrules]", *(f"{name} = {target}" for name, target in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return info
