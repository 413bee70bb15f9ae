"""Check the installed plugin end to end, as an operator would use it (CI runs this after
installing ccrules and this package into a fresh environment).

It copies examples/telecom-hotline, whose team T6 (夜班组 Night shift) works 14:30-23:30,
enables night-shift in the copy's center.toml, plans it with the ``ccrules`` command and
asks ``ccrules explain --rule night-shift.micro-video`` what the rule did. Exit 0 when the
night team's shares became micro-videos (or say why they stay), 1 otherwise.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "telecom-hotline"
RULE = "night-shift.micro-video"
NIGHT_TEAM = "T6"


def ccrules(*args: str) -> str:
    done = subprocess.run(["ccrules", *args], capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        sys.exit(f"ccrules {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        center = Path(tmp) / "telecom-hotline"
        shutil.copytree(EXAMPLE, center, ignore=shutil.ignore_patterns(".ccrules"))
        config = center / "center.toml"
        text = config.read_text(encoding="utf-8")
        enabled = re.search(r'^enabled = \["default"', text, re.M)
        if enabled is None:
            print(f'{config}: no `enabled = ["default", ...]` line to extend', file=sys.stderr)
            return 1
        config.write_text(
            text.replace('enabled = ["default"', 'enabled = ["night-shift", "default"', 1),
            encoding="utf-8",
        )
        listed = ccrules("plugins", str(center))
        plan = json.loads(ccrules("plan", str(center), "--json"))
        explained = ccrules("explain", str(center), "--rule", RULE)

    agents = {a for s in plan["sessions"] if s["team_id"] == NIGHT_TEAM for a in s["attendees"]}
    videos = [
        s
        for s in plan["sessions"]
        if s["format"] == "micro-video" and any(r["rule"] == RULE for r in s["reasons"])
    ]
    kept = [
        s for s in plan["sessions"] if s["format"] == "pre-shift" and s["team_id"] == NIGHT_TEAM
    ]
    problems = []
    if "night-shift 0.1.0" not in listed or "[enabled]" not in listed:
        problems.append("`ccrules plugins` does not show night-shift as enabled")
    if not videos:
        problems.append("no micro-video session carries the rule's reason")
    for session in videos:
        if session["id"] not in explained:
            problems.append(f"`ccrules explain --rule {RULE}` does not list {session['id']}")
    for session in kept:
        if not any(r["rule"] == RULE and "stays" in r["text"] for r in session["reasons"]):
            problems.append(
                f"pre-shift share {session['id']} of {NIGHT_TEAM} stayed without a reason"
            )
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if problems:
        return 1
    print(
        f"night-shift is installed and enabled: {len(videos)} micro-video session(s) replace "
        f"the night team's pre-shift shares ({', '.join(s['id'] for s in videos)}); "
        f"{len(kept)} share(s) stay, each saying why; {len(agents)} night agent(s) keep a "
        "share. `ccrules explain --rule night-shift.micro-video` shows each decision."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
