"""Print the set-up commands of README.md, one per line: the fenced ``sh`` blocks of the
"Set up" section. .ci/run runs them; tests/test_docs.py checks there are exactly two."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def setup_commands(readme: str) -> list[str]:
    match = re.search(r"^## Set up\s*$(.*?)(?=^## )", readme, re.M | re.S)
    if not match:
        return []
    blocks = re.findall(r"^```sh\n(.*?)^```", match.group(1), re.M | re.S)
    return [" ".join(block.split("\n")).strip() for block in blocks]


if __name__ == "__main__":
    for command in setup_commands(Path(sys.argv[1]).read_text(encoding="utf-8")):
        print(command)
