"""The PostgreSQL history store: many centers in one database, each reading and writing its
own rows; two processes writing one center at once; and every way its URL can be wrong.

These tests need a PostgreSQL server (``CCRULES_TEST_POSTGRES``; .ci/run starts one) and skip
without it outside CI. The store's guarantees shared with SQLite (one transaction per command,
consecutive revisions, a kill changes nothing) are tested on both stores in
tests/test_history.py and tests/test_loop_cli.py.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import Result
from tests.conftest import EXAMPLE_CENTERS, TINY, append_line, replace_in, use_store, written

from ccrules import Engine, History
from ccrules._history_pg import PostgresStore, shown_url
from ccrules.errors import InputError

Run = Callable[..., Result]


@pytest.fixture
def center(tiny: Path, postgres_url: str) -> Path:
    """The tiny center, recording in a fresh PostgreSQL database as center ``tiny-01``."""
    return use_store(tiny, postgres_url)


def _revisions(url: str) -> list[tuple[str, str, int]]:
    with psycopg.connect(url) as con:
        rows = con.execute(
            "SELECT center_id, cycle_id, revision FROM ccrules.revisions ORDER BY 1, 2, 3"
        ).fetchall()
    return [(str(a), str(b), int(c)) for a, b, c in rows]


def test_a_center_records_and_reads_its_history_in_postgresql(
    center: Path, cli: Run, postgres_url: str
) -> None:
    assert cli("plan", center, "-q").exit_code == 0
    approve = cli("approve", center, "--cycle", "2026-W49", "--by", "王芳")
    assert approve.exit_code == 0, approve.stderr
    listed = cli("history", center, "--json")
    assert listed.exit_code == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["history"] == shown_url(postgres_url)
    (cycle,) = data["cycles"]
    assert [(r["revision"], r["status"], r["approved_by"]) for r in cycle["revisions"]] == [
        (1, "approved", "王芳")
    ]
    # nothing in the folder: the history is the database's
    assert written(center) == []
    assert _revisions(postgres_url) == [("tiny-01", "2026-W49", 1)]
    # the schema version is kept as in SQLite
    with psycopg.connect(postgres_url) as con:
        row = con.execute("SELECT value FROM ccrules.meta WHERE key = 'schema_version'")
        assert row.fetchone() == ("3",)


def test_centers_sharing_a_store_see_only_their_own_rows(
    tmp_path: Path, cli: Run, postgres_url: str
) -> None:
    first = use_store(_copy(TINY, tmp_path / "a"), postgres_url, "上海-01")
    second = use_store(_copy(TINY, tmp_path / "b"), postgres_url, "北京-02")
    replace_in(second / "center.toml", "threshold = 10", "threshold = 12")
    for folder in (first, second, first):
        assert cli("plan", folder, "-q").exit_code == 0
    replace_in(first / "center.toml", "threshold = 10", "threshold = 11")
    assert cli("plan", first, "-q").exit_code == 0
    assert cli("approve", second, "--cycle", "2026-W49", "--by", "李强").exit_code == 0
    assert _revisions(postgres_url) == [
        ("上海-01", "2026-W49", 1),
        ("上海-01", "2026-W49", 2),
        ("北京-02", "2026-W49", 1),
    ]
    a, b = History.open(first), History.open(second)
    assert [(r.revision, r.status) for r in a.revisions()] == [(1, "draft"), (2, "draft")]
    assert [(r.revision, r.status) for r in b.revisions()] == [(1, "approved")]
    assert a.approved("2026-W49") is None
    assert a.plan("2026-W49", 1) != b.plan("2026-W49", 1)
    assert {row[0] for row in a.dump()} >= {"revisions", "decisions", "inputs"}
    assert a.dump() != b.dump()


def _copy(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ccrules"))
    return target


_WRITER = textwrap.dedent(
    """
    import sys
    import attrs
    from ccrules import Engine, History
    from ccrules._history_pg import PostgresStore

    url, center, folder, tag, count = sys.argv[1:]
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
    history = History(folder, store=PostgresStore(url, center))
    print("ready", flush=True)
    sys.stdin.readline()  # both processes start writing together
    for number in range(int(count)):
        digest = f"sha256:{tag}{number:063x}"
        history.record(attrs.evolve(plan, digest=digest), {"data/qa.csv": digest})
    """
)


def test_two_processes_writing_one_center_keep_revisions_consecutive(
    postgres_url: str, tmp_path: Path
) -> None:
    count = 15
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, postgres_url, "中心-1", str(TINY), tag, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    try:
        for writer in writers:
            assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            _, stderr = writer.communicate(timeout=120)
            assert writer.returncode == 0, stderr
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    history = History(tmp_path, store=PostgresStore(postgres_url, "中心-1"))
    revisions = history.revisions()
    assert [r.revision for r in revisions] == list(range(1, 2 * count + 1))
    assert len({r.digest for r in revisions}) == 2 * count
    # every revision has its own inputs and decisions, none lost or doubled
    rows = history.dump()
    inputs = [row for row in rows if row[0] == "inputs"]
    assert sorted(row[2] for row in inputs) == list(range(1, 2 * count + 1))


def test_a_store_with_another_center_id_is_another_history(
    postgres_url: str, tmp_path: Path
) -> None:
    with Engine.from_folder(TINY) as engine:
        plan = engine.plan()
    one = History(tmp_path, store=PostgresStore(postgres_url, "one"))
    other = History(tmp_path, store=PostgresStore(postgres_url, "other"))
    one.record(plan, {})
    one.approve(plan.cycle.id, "王芳")
    assert other.revisions() == [] and other.dump() == [d for d in other.dump() if d[0] == "meta"]
    with pytest.raises(InputError) as refused:
        other.approve(plan.cycle.id, "王芳")
    assert refused.value.problems[0].code == "no-plan"
    assert [r.status for r in one.revisions()] == ["approved"]


# -- bad input: a clear message naming the store (never a password), exit 2, nothing written --


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server(postgres_server: str) -> tuple[str, str]:
    """The host:port and superuser of the test server."""
    from urllib.parse import urlsplit

    parts = urlsplit(postgres_server)
    return f"{parts.hostname}:{parts.port or 5432}", parts.username or "postgres"


def _refused(cli: Run, folder: Path, url: str) -> Result:
    """Plan a center whose store is ``url``: refused with exit 2, nothing written."""
    use_store(folder, url)
    result = cli("plan", folder, "-q")
    assert result.exit_code == 2, result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert written(folder) == []
    assert "s3cret" not in result.stderr + result.stdout
    return result


def test_an_unreachable_server_is_named(tiny: Path, cli: Run) -> None:
    port = _closed_port()
    result = _refused(cli, tiny, f"postgresql://ccrules:s3cret@127.0.0.1:{port}/history")
    assert f"postgresql://ccrules@127.0.0.1:{port}/history:" in result.stderr
    assert "no PostgreSQL server answered" in result.stderr
    assert "store-unreachable" in cli("validate", tiny, "--json").stdout


def test_a_missing_database_is_named(tiny: Path, cli: Run, postgres_server: str) -> None:
    where, user = _server(postgres_server)
    name = f"no_such_{uuid.uuid4().hex[:8]}"
    result = _refused(cli, tiny, f"postgresql://{user}:s3cret@{where}/{name}")
    assert f"postgresql://{user}@{where}/{name}:" in result.stderr
    assert f"the server has no database {name!r}" in result.stderr


@pytest.fixture
def role(postgres_server: str) -> Iterator[str]:
    """A role with a password that may not log in, dropped after the test."""
    name = f"ccrules_role_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f"CREATE ROLE {name} NOLOGIN PASSWORD 'right-password'")
    yield name
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f"DROP ROLE IF EXISTS {name}")


def test_refused_credentials_are_named(
    tmp_path: Path, cli: Run, postgres_server: str, role: str
) -> None:
    """The test server trusts local connections, so a wrong password is not checked there:
    the refusals it can produce are a role that may not log in (with its password given)
    and a role that does not exist. Both are the server refusing the user, reported the
    same way a wrong password is (store-credentials)."""
    where, _ = _server(postgres_server)
    for user in (role, "nobody_" + uuid.uuid4().hex[:8]):
        folder = _copy(TINY, tmp_path / user)
        result = _refused(cli, folder, f"postgresql://{user}:s3cret@{where}/postgres")
        assert f"postgresql://{user}@{where}/postgres:" in result.stderr
        assert "the server refused the user" in result.stderr
        assert "store-credentials" in cli("validate", folder, "--json").stdout


@pytest.mark.parametrize(
    ("store", "expected"),
    [
        ("mysql://root@db/history", "mysql:// is not a store ccrules knows"),
        ("sqlite:///tmp/h.sqlite", "sqlite:// is not a store ccrules knows"),
        ("postgresql://u@db:port/history", "not a PostgreSQL URL"),
        ("postgresql://u@db:5432", "names no database"),
    ],
)
def test_a_bad_store_url_is_refused_at_its_line(
    tiny: Path, cli: Run, store: str, expected: str
) -> None:
    append_line(tiny / "center.toml", "[history]")
    line = append_line(tiny / "center.toml", f'store = "{store}"')
    result = cli("plan", tiny, "-q")
    assert result.exit_code == 2, result.stderr
    assert f"center.toml:{line}: history.store: " in result.stderr
    assert expected in result.stderr
    assert written(tiny) == []
    validate = cli("validate", tiny, "--json")
    assert validate.exit_code == 2
    assert "bad-store" in validate.stdout
    # the commands that read center.toml without the full check name the line too
    for command in (("history",), ("approve", "--cycle", "2026-W49", "--by", "王芳")):
        other = cli(command[0], tiny, *command[1:])
        assert other.exit_code == 2, other.stderr
        assert f"center.toml:{line}: history.store: " in other.stderr
    assert written(tiny) == []


def test_a_shared_store_needs_the_center_id(tiny: Path, cli: Run, postgres_url: str) -> None:
    append_line(tiny / "center.toml", "[history]")
    append_line(tiny / "center.toml", f'store = "{postgres_url}"')
    result = cli("plan", tiny, "-q")
    assert result.exit_code == 2, result.stderr
    # the line of [center], where the id goes
    assert "center.toml:2: center.id: a shared history store" in result.stderr
    assert 'add id = "..." to [center]' in result.stderr
    assert written(tiny) == []


def test_the_override_wins_over_center_toml(tiny: Path, postgres_url: str) -> None:
    use_store(tiny, f"postgresql://u@127.0.0.1:{_closed_port()}/nowhere")
    with Engine.from_folder(TINY) as engine:
        plan = engine.plan()
    History.open(tiny, store=postgres_url).record(plan, {})
    assert _revisions(postgres_url) == [("tiny-01", "2026-W49", 1)]
    # and "" is SQLite in the folder, whatever center.toml says
    History.open(tiny, store="").record(plan, {})
    assert written(tiny) == [".ccrules/history.sqlite"]


def test_a_server_lost_mid_command_exits_1_and_writes_nothing(
    center: Path, cli: Run, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccrules import _history

    assert cli("plan", center, "-q").exit_code == 0
    before = History.open(center).dump()
    replace_in(center / "center.toml", "threshold = 10", "threshold = 12")
    rows = _history._decision_rows

    def lost(plan: object) -> Iterator[object]:
        for count, row in enumerate(rows(plan)):  # type: ignore[arg-type]
            if count == 2:  # the server ends ccrules' session half-way through the write
                with psycopg.connect(postgres_url, autocommit=True) as con:
                    con.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = 'ccrules' AND pid <> pg_backend_pid()"
                    )
            yield row

    monkeypatch.setattr(_history, "_decision_rows", lost)
    result = cli("plan", center, "-q")
    assert result.exit_code == 1, result.stderr
    assert f"the history store {shown_url(postgres_url)} failed during the command" in (
        result.stderr
    )
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert History.open(center).dump() == before


def test_group_plan_records_every_center_in_the_groups_store(
    tmp_path: Path, cli: Run, postgres_url: str
) -> None:
    """Two example centers of a group with ``[history] store``: `ccrules group plan` records
    both in the one database, and `ccrules history` of each lists its own revisions only."""
    from distributed import LocalCluster

    from ccrules.group import local_cluster_options

    names = {"fintech": "fin-01", "bpo": "bpo-02"}
    centers = {}
    for (name, center_id), source in zip(names.items(), EXAMPLE_CENTERS, strict=False):
        folder = _copy(source, tmp_path / source.name)
        replace_in(folder / "center.toml", "[center]\n", f'[center]\nid = "{center_id}"\n')
        centers[name] = folder
    lines = ["[history]", f'store = "{postgres_url}"', ""]
    for name, folder in centers.items():
        lines += ["[[centers]]", f'name = "{name}"', f'folder = "{folder.name}"', ""]
    group = tmp_path / "group.toml"
    group.write_text("\n".join(lines), encoding="utf-8")
    with LocalCluster(**local_cluster_options(1)) as cluster:
        result = cli("group", "plan", group, "--scheduler", cluster.scheduler_address, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [c["revision"] for c in summary["centers"]] == [1, 1]
    recorded = _revisions(postgres_url)
    assert sorted({row[0] for row in recorded}) == sorted(names.values())
    for name, folder in centers.items():
        assert written(folder) == []  # the group's store, not the folder
        append_line(folder / "center.toml", "[history]")
        append_line(folder / "center.toml", f'store = "{postgres_url}"')
        listed = cli("history", folder, "--json")
        assert listed.exit_code == 0, listed.stderr
        cycles = json.loads(listed.stdout)["cycles"]
        own = [(names[name], c["cycle"], r["revision"]) for c in cycles for r in c["revisions"]]
        assert own == [row for row in recorded if row[0] == names[name]]
        assert len(own) == 1


def test_a_bad_group_store_is_refused_at_its_line(tmp_path: Path, cli: Run) -> None:
    folder = _copy(TINY, tmp_path / "tiny")
    group = tmp_path / "group.toml"
    group.write_text(
        '[history]\nstore = "mysql://db/h"\n\n[[centers]]\nname = "t"\nfolder = "tiny"\n',
        encoding="utf-8",
    )
    result = cli("group", "plan", group, "--workers", "1")
    assert result.exit_code == 2, result.stderr
    assert f"{group}:2: history.store: mysql:// is not a store ccrules knows" in result.stderr
    assert written(folder) == []


@pytest.mark.skipif(os.name != "posix", reason="the environment of a child process")
def test_the_url_shown_never_holds_the_password() -> None:
    assert shown_url("postgresql://u:pw@h:5/d?sslmode=require") == "postgresql://u@h:5/d"
    assert shown_url("postgres://h/d") == "postgres://h/d"


def test_a_group_center_without_an_id_is_bad_input_and_the_others_record(
    tmp_path: Path, cli: Run, postgres_url: str
) -> None:
    named = _copy(TINY, tmp_path / "named")
    replace_in(named / "center.toml", "[center]\n", '[center]\nid = "named-01"\n')
    unnamed = _copy(TINY, tmp_path / "unnamed")
    group = tmp_path / "group.toml"
    group.write_text(
        f'[history]\nstore = "{postgres_url}"\n\n'
        '[[centers]]\nname = "named"\nfolder = "named"\n\n'
        '[[centers]]\nname = "无名"\nfolder = "unnamed"\n',
        encoding="utf-8",
    )
    from distributed import LocalCluster

    from ccrules.group import local_cluster_options

    with LocalCluster(**local_cluster_options(1)) as cluster:
        result = cli("group", "plan", group, "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 2, result.stderr
    assert "center 无名 (" in result.stderr
    assert "center.id: a shared history store ([history] store) needs the center's id" in (
        result.stderr
    )
    assert _revisions(postgres_url) == [("named-01", "2026-W49", 1)]
    assert written(named) == [] and written(unnamed) == []


def test_two_centers_of_a_shared_store_with_one_id_are_refused(tmp_path: Path, cli: Run) -> None:
    """The store tells centers apart by [center] id: a group whose store is shared and
    whose centers have the same id is refused before anything runs (no server is needed)."""
    lines = ["[history]", 'store = "postgresql://ccrules@127.0.0.1:9/h"', ""]
    for source in EXAMPLE_CENTERS[:2]:
        folder = _copy(source, tmp_path / source.name)
        replace_in(folder / "center.toml", "[center]\n", '[center]\nid = "sh-01"\n')
        lines += ["[[centers]]", f'name = "{source.name}"', f'folder = "{source.name}"', ""]
    group = tmp_path / "group.toml"
    group.write_text("\n".join(lines), encoding="utf-8")
    result = cli("group", "plan", group, "--workers", "1")
    assert result.exit_code == 2, result.stderr
    assert f"{group}:10: centers[1].folder: centers[1]: [center] id 'sh-01' is also" in (
        result.stderr
    )
    assert "give each its own" in result.stderr
