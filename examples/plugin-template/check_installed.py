"""Check the installed plugin end to end, as an operator would use it (CI runs this after
installing ccrules and this package into a fresh environment).

    python check_installed.py [CENTER_DIR]

It copies a center folder (by default the template's own ``tests/center``, whose team T6,
夜班组 Night shift, works 14:30-23:30), enables night-shift first in the copy's center.toml
when it is not, plans it with ``ccrules plan --no-history`` and asks ``ccrules explain
--rule night-shift.micro-video`` what the rule did. It passes when T6's agents got
micro-video sessions from the rule, no pre-shift share of T6 remains that the catalogue
could have replaced (a share whose competency has no micro-video stays, and the rule's
reason says so), and an agent's own explanation shows the video. Exit 0 on success, 1
otherwise, 2 when CENTER_DIR holds no center.toml.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

CENTER = Path(__file__).resolve().parent / "tests" / "center"
RULE = "night-shift.micro-video"
NIGHT_TEAM = "T6"


def ccrules(*args: str) -> str:
    done = subprocess.run(["ccrules", *args], capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        sys.exit(f"ccrules {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def enable(config: Path) -> bool:
    """Put night-shift first in ``[plugins] enabled``, so its wrapper surrounds the rest."""
    text = config.read_text(encoding="utf-8")
    if re.search(r'^enabled = \["night-shift"', text, flags=re.M):
        return True
    changed, count = re.subn(
        r"^enabled = \[", 'enabled = ["night-shift", ', text, count=1, flags=re.M
    )
    config.write_text(changed, encoding="utf-8")
    return count == 1


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else CENTER
    label = argv[0] if argv else "the template's test center (tests/center)"
    if not (source / "center.toml").is_file():
        print(f"{source}: no center.toml here; give the folder of a center", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        center = Path(tmp) / source.resolve().name
        shutil.copytree(source, center, ignore=shutil.ignore_patterns(".ccrules"))
        if not enable(center / "center.toml"):
            print("center.toml: no `enabled = [...]` line to extend", file=sys.stderr)
            return 1
        d = str(center)
        listed = ccrules("plugins", d)
        ccrules("plan", d, "--no-history")  # the operator's view; must succeed
        plan: dict[str, Any] = json.loads(ccrules("plan", d, "--no-history", "--json"))
        text = ccrules("explain", d, "--rule", RULE)
        explained: dict[str, Any] = json.loads(ccrules("explain", d, "--rule", RULE, "--json"))
        teams = {row["team_id"] for row in _csv(center / "data" / "teams.csv")}
        team_of = {row["agent_id"]: row["team_id"] for row in _csv(center / "data" / "agents.csv")}
        sessions = {s["id"]: s for s in plan["sessions"]}
        decided = {d["id"]: d["reason"] for d in explained["decisions"] if d["on"] == "session"}
        videos = [sessions[i] for i in decided if sessions[i]["format"] == "micro-video"]
        agent = videos[0]["attendees"][0] if videos else None
        agent_text = ccrules("explain", d, agent) if agent else ""

    problems = []
    if NIGHT_TEAM not in teams:
        problems.append(f"the example has no team {NIGHT_TEAM}")
    if not re.search(r"^night-shift 0\.1\.0 .*\[enabled\]", listed, re.M):
        problems.append("`ccrules plugins` does not show night-shift 0.1.0 as enabled")
    if not videos:
        problems.append(f"`ccrules explain --rule {RULE}` shows no micro-video session")
    for session in videos:
        if session["id"] not in text:
            problems.append(f"`ccrules explain --rule {RULE}` does not list {session['id']}")
        if session["trainer_id"] is not None or session["start"] is None:
            problems.append(f"{session['id']} is not scheduled as a self-paced video")
        for attendee in session["attendees"]:
            if team_of.get(attendee) != NIGHT_TEAM:
                problems.append(f"{session['id']}: {attendee} is not on team {NIGHT_TEAM}")
    kept = [
        s for s in plan["sessions"] if s["format"] == "pre-shift" and s["team_id"] == NIGHT_TEAM
    ]
    for session in kept:
        reason = decided.get(session["id"])
        if reason is None or "has no micro-video" not in reason["text"]:
            problems.append(f"pre-shift share {session['id']} of {NIGHT_TEAM} remains unexplained")
    if agent and videos[0]["id"] not in agent_text:
        problems.append(f"`ccrules explain DIR {agent}` does not show {videos[0]['id']}")
    if len(plan["sessions"]) != len(sessions):
        problems.append("session ids are not unique")
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if problems:
        return 1
    seats = ", ".join(f"{s['id']} for {' '.join(s['attendees'])}" for s in videos)
    print(
        f"night-shift 0.1.0 is installed and enabled on a copy of {label}: "
        f"{len(videos)} micro-video session(s) for {NIGHT_TEAM} agents "
        f"({seats}), self-paced and "
        f"scheduled; {len(kept)} {NIGHT_TEAM} pre-shift share(s) kept because the catalogue "
        f"has no micro-video for them ({', '.join(s['id'] for s in kept) or 'none'})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
